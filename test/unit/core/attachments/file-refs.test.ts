import assert from 'node:assert/strict';
import { findPathMentions, parseFileRef } from '../../../../src/core/attachments/file-refs';

describe('parseFileRef', () => {
  it('reads relative paths, with or without "./"', () => {
    assert.deepEqual(parseFileRef('src/a.ts'), { path: 'src/a.ts' });
    assert.deepEqual(parseFileRef('./src/a.ts'), { path: 'src/a.ts' });
    assert.deepEqual(parseFileRef('README.md'), { path: 'README.md' });
    assert.deepEqual(parseFileRef('  src/a.ts  '), { path: 'src/a.ts' });
  });

  it('reads a line and a column after colons', () => {
    assert.deepEqual(parseFileRef('src/a.ts:12'), { path: 'src/a.ts', line: 12 });
    assert.deepEqual(parseFileRef('src/a.ts:12:4'), { path: 'src/a.ts', line: 12, column: 4 });
  });

  it('reads a line or a range from the fragment', () => {
    assert.deepEqual(parseFileRef('src/a.ts#L12'), { path: 'src/a.ts', line: 12 });
    assert.deepEqual(parseFileRef('src/a.ts#L12-L20'), { path: 'src/a.ts', line: 12, endLine: 20 });
    assert.deepEqual(parseFileRef('src/a.ts#12'), { path: 'src/a.ts', line: 12 });
    assert.deepEqual(parseFileRef('src/a.ts#L12-20'), { path: 'src/a.ts', line: 12, endLine: 20 });
    assert.deepEqual(parseFileRef('src/a.ts#L3C5'), { path: 'src/a.ts', line: 3, column: 5 });
    // A heading anchor names the file, not a line.
    assert.deepEqual(parseFileRef('docs/guide.md#install'), { path: 'docs/guide.md' });
  });

  it('drops line 0, absurd numbers and a backwards range, keeping the path', () => {
    assert.deepEqual(parseFileRef('a.ts:0'), { path: 'a.ts' });
    assert.deepEqual(parseFileRef('a.ts#L0'), { path: 'a.ts' });
    assert.deepEqual(parseFileRef('a.ts:99999999999999999999'), { path: 'a.ts' });
    assert.deepEqual(parseFileRef('a.ts:5:0'), { path: 'a.ts', line: 5 });
    assert.deepEqual(parseFileRef('a.ts#L20-L12'), { path: 'a.ts', line: 20 });
  });

  it('turns Windows separators into "/"', () => {
    assert.deepEqual(parseFileRef('src\\a.ts'), { path: 'src/a.ts' });
    assert.deepEqual(parseFileRef('.\\src\\a.ts:3'), { path: 'src/a.ts', line: 3 });
  });

  it('decodes %-escapes, and refuses a bad one', () => {
    assert.deepEqual(parseFileRef('my%20docs/a%20b.md'), { path: 'my docs/a b.md' });
    assert.deepEqual(parseFileRef('notes%23draft.md'), { path: 'notes#draft.md' });
    assert.equal(parseFileRef('a%zz.ts'), undefined);
    assert.equal(parseFileRef('a%E0%A4%A.ts'), undefined);
    assert.equal(parseFileRef('a%0Ab.ts'), undefined, 'a decoded new line is no file name');
  });

  it('keeps ".." and absolute paths for the host to judge', () => {
    assert.deepEqual(parseFileRef('../x.ts'), { path: '../x.ts' });
    assert.deepEqual(parseFileRef('src/../../x.ts:2'), { path: 'src/../../x.ts', line: 2 });
    assert.deepEqual(parseFileRef('/home/u/p/a.ts'), { path: '/home/u/p/a.ts' });
    assert.deepEqual(parseFileRef('C:\\p\\a.ts'), { path: 'C:/p/a.ts' });
    assert.deepEqual(parseFileRef('C:/p/a.ts:7'), { path: 'C:/p/a.ts', line: 7 });
    assert.deepEqual(parseFileRef('d:\\p\\a.ts#L2'), { path: 'd:/p/a.ts', line: 2 });
  });

  it('drops the query string', () => {
    assert.deepEqual(parseFileRef('src/a.ts?plain=1'), { path: 'src/a.ts' });
    assert.deepEqual(parseFileRef('src/a.ts?plain=1#L4'), { path: 'src/a.ts', line: 4 });
  });

  it('refuses URLs, protocol-relative and empty references', () => {
    for (const ref of [
      'http://example.com/a.ts',
      'https://github.com/o/r/blob/main/src/a.ts#L3',
      'file:///home/u/a.ts',
      'vscode://file/home/u/a.ts',
      'javascript:alert(1)',
      'mailto:a@b.c',
      'data:text/html,x',
      'command:workbench.action.quit',
      'vscode-webview://x/a.ts',
      'http://localhost:8080',
      '//evil.example/a.ts',
      '\\\\server\\share\\a.ts',
      '#L12',
      '#install',
      '?x=1',
      '',
      '   ',
      './',
      '.',
    ]) {
      assert.equal(parseFileRef(ref), undefined, ref);
    }
  });
});

describe('findPathMentions', () => {
  it('finds path:line mentions and slashed paths with an extension in prose', () => {
    const text = 'see src/utils.ts:42, then (lib/a.py:3:7) and src/a.ts.';
    assert.deepEqual(findPathMentions(text), [
      { start: 4, end: 19, ref: 'src/utils.ts:42' },
      { start: 27, end: 39, ref: 'lib/a.py:3:7' },
      { start: 45, end: 53, ref: 'src/a.ts' },
    ]);
  });

  it('finds file.ext:line without a slash, and relative, absolute, Windows and anchored paths', () => {
    const refs = (text: string) => findPathMentions(text).map((m) => m.ref);
    assert.deepEqual(refs('In index.ts:5 the bug'), ['index.ts:5']);
    assert.deepEqual(refs('Open ./src/app.tsx or ../lib/x.js'), ['./src/app.tsx', '../lib/x.js']);
    assert.deepEqual(refs('at /home/u/p/main.rs:10:2'), ['/home/u/p/main.rs:10:2']);
    assert.deepEqual(refs('edit src\\win\\a.cs now'), ['src\\win\\a.cs']);
    assert.deepEqual(refs('"src/a.ts" and `lib/b.go:9`'), ['src/a.ts', 'lib/b.go:9']);
    assert.deepEqual(refs('see src/a.ts#L12.'), ['src/a.ts#L12']);
    assert.deepEqual(refs('(app/(auth)/page.tsx)'), ['app/(auth)/page.tsx']);
    assert.deepEqual(refs('[pages/[id].tsx]'), ['pages/[id].tsx']);
  });

  it('reports offsets that slice back to the ref', () => {
    const text = 'Fixed in src/a.ts:3; also test/b.test.ts.';
    for (const m of findPathMentions(text)) assert.equal(text.slice(m.start, m.end), m.ref);
    assert.equal(findPathMentions(text).length, 2);
  });

  it('finds nothing in URLs, emails, versions, abbreviations and plain words', () => {
    for (const text of [
      'see http://example.com/src/a.ts:12 for more',
      'https://github.com/o/r/blob/main/src/a.ts',
      'mail me@example.com or a.b@c.io:3',
      'upgrade to 1.2.3 or v2.0.1, node 18.x',
      'e.g. this, i.e. that, etc.',
      'the file utils.ts has it',
      'and/or, TCP/IP, km/h, 24/7',
      'Node.js and Vue.js',
      'at 10:30 or 12:00:01',
      'example.com:8080 and localhost:3000',
      'www.example.com/a/b.html',
      'install @types/node.d.ts',
      'the ratio 3/4.5 is fine',
    ]) {
      assert.deepEqual(findPathMentions(text), [], text);
    }
  });
});
