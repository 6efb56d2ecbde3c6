import assert from 'node:assert/strict';
import { MENTION_KINDS, findMentions, mentionAt } from '../../../../src/core/attachments/mentions';

/** The mentions' source text, to check start/end against what was written. */
function spans(prompt: string): string[] {
  return findMentions(prompt).map((m) => prompt.slice(m.start, m.end));
}

describe('findMentions', () => {
  it('finds each kind, with offsets that cover exactly the mention', () => {
    const prompt = '#file:src/a.ts and #selection, then #problems and #problems:lib/b.py';
    assert.deepEqual(findMentions(prompt), [
      { kind: 'file', path: 'src/a.ts', start: 0, end: 14 },
      { kind: 'selection', start: 19, end: 29 },
      { kind: 'problems', start: 36, end: 45 },
      { kind: 'problems', path: 'lib/b.py', start: 50, end: 68 },
    ]);
    assert.deepEqual(MENTION_KINDS, ['file', 'selection', 'problems']);
  });

  it('reads a quoted path with spaces, quotes included in the span', () => {
    const prompt = 'compare #file:"my docs/a b.md" with #file:c.ts';
    assert.deepEqual(findMentions(prompt), [
      { kind: 'file', path: 'my docs/a b.md', start: 8, end: 30 },
      { kind: 'file', path: 'c.ts', start: 36, end: 46 },
    ]);
    assert.deepEqual(findMentions('#file:"a b.ts".'), [{ kind: 'file', path: 'a b.ts', start: 0, end: 14 }]);
    assert.deepEqual(findMentions('#file:"notes (#selection) x.md"'), [{ kind: 'file', path: 'notes (#selection) x.md', start: 0, end: 31 }]);
  });

  it('refuses an unclosed or empty quote, and a quote followed by more text', () => {
    assert.deepEqual(findMentions('#file:"a b.ts'), []);
    assert.deepEqual(findMentions('#file:"" x'), []);
    assert.deepEqual(findMentions('#file:"a"b'), []);
    assert.deepEqual(findMentions('#file:"a\nb.ts"'), []);
  });

  it('leaves trailing sentence punctuation out of an unquoted path', () => {
    assert.deepEqual(spans('Look at #file:src/a.ts.'), ['#file:src/a.ts']);
    assert.deepEqual(findMentions('(see #file:src/a.ts), ok?')[0], { kind: 'file', path: 'src/a.ts', start: 5, end: 19 });
    assert.deepEqual(findMentions('is it #file:a.ts?!')[0]!.path, 'a.ts');
    assert.deepEqual(findMentions('#file:a.ts;')[0]!.path, 'a.ts');
    assert.deepEqual(findMentions('#file:a.ts:')[0]!.path, 'a.ts');
    // Dots inside the path stay; a ')' the path opened stays.
    assert.deepEqual(findMentions('#file:app/(auth)/page.tsx')[0]!.path, 'app/(auth)/page.tsx');
    assert.deepEqual(findMentions('(#file:app/(auth))')[0]!.path, 'app/(auth)');
    assert.deepEqual(findMentions('#file:.eslintrc.json')[0]!.path, '.eslintrc.json');
  });

  it('ends #selection and #problems at the word, punctuation aside', () => {
    assert.deepEqual(spans('Fix #selection. Then #problems: all of them! (#selection)'), ['#selection', '#problems', '#selection']);
    assert.deepEqual(findMentions('#problems: why?'), [{ kind: 'problems', start: 0, end: 9 }]);
    assert.deepEqual(findMentions('#selections #selectionx #problemsfoo #selection:x'), []);
  });

  it('starts only at the beginning, after whitespace or after "("', () => {
    assert.deepEqual(spans('#selection'), ['#selection']);
    assert.deepEqual(spans('a\n#selection\t#problems'), ['#selection', '#problems']);
    assert.deepEqual(findMentions('C#file:a.ts x#selection [#problems] "#selection'), []);
    assert.deepEqual(findMentions('I use C# and F#.'), []);
  });

  it('needs a path after #file, and exact lower-case names', () => {
    assert.deepEqual(findMentions('#file and #file: a.ts and #file:'), []);
    assert.deepEqual(findMentions('#File:a.ts #SELECTION #Problems #filex:a.ts'), []);
    assert.deepEqual(findMentions('#files:a.ts'), []);
  });

  it('ignores mentions inside inline code spans', () => {
    assert.deepEqual(findMentions('write `#file:a.ts` literally'), []);
    assert.deepEqual(findMentions('``a ` #selection`` then #problems'), [{ kind: 'problems', start: 24, end: 33 }]);
    // An unmatched backtick is literal, so what follows is prose.
    assert.deepEqual(spans("it`s in #file:a.ts"), ['#file:a.ts']);
    // A span does not cross a blank line.
    assert.deepEqual(spans('a `b\n\n#selection c` d'), ['#selection']);
  });

  it('ignores mentions inside fenced code blocks, closed or not', () => {
    const prompt = 'Explain:\n```md\n#file:a.ts\n#selection\n```\nand #problems';
    assert.deepEqual(spans(prompt), ['#problems']);
    assert.deepEqual(findMentions('~~~\n#selection\n~~~\n#selection')[0]!.start, 19);
    assert.deepEqual(findMentions('text\n```\n#selection never closed'), []);
    // A shorter fence does not close a longer one.
    assert.deepEqual(findMentions('````\n```\n#selection\n````\n#problems').map((m) => m.kind), ['problems']);
    // Up to three spaces of indent still open a fence.
    assert.deepEqual(findMentions('   ```\n#selection\n   ```'), []);
  });
});

describe('mentionAt', () => {
  it('gives the name typed so far after a bare # and partial names', () => {
    assert.deepEqual(mentionAt('#', 1), { start: 0, end: 1, name: '' });
    assert.deepEqual(mentionAt('look at #fi', 11), { start: 8, end: 11, name: 'fi' });
    assert.deepEqual(mentionAt('#file', 5), { start: 0, end: 5, name: 'file' });
    assert.deepEqual(mentionAt('(#sel', 5), { start: 1, end: 5, name: 'sel' });
    assert.deepEqual(mentionAt('one\n#p', 6), { start: 4, end: 6, name: 'p' });
  });

  it('ends at the caret when the caret is inside the word', () => {
    assert.deepEqual(mentionAt('see #file and more', 7), { start: 4, end: 7, name: 'fi' });
  });

  it('gives the file query once "#file:" is typed, quoted or not', () => {
    assert.deepEqual(mentionAt('#file:', 6), { start: 0, end: 6, name: 'file', fileQuery: '' });
    assert.deepEqual(mentionAt('see #file:src/a', 15), { start: 4, end: 15, name: 'file', fileQuery: 'src/a' });
    assert.deepEqual(mentionAt('#file:"my do', 12), { start: 0, end: 12, name: 'file', fileQuery: 'my do' });
    assert.deepEqual(mentionAt('#file:"a #b', 11), { start: 0, end: 11, name: 'file', fileQuery: 'a #b' });
  });

  it('is undefined where no mention is being typed', () => {
    assert.equal(mentionAt('C#', 2), undefined);
    assert.equal(mentionAt('#fi ', 4), undefined, 'a space ends it');
    assert.equal(mentionAt('#xyz', 4), undefined, 'not the start of any name');
    assert.equal(mentionAt('#File', 5), undefined);
    assert.equal(mentionAt('#file:a.ts x', 12), undefined);
    assert.equal(mentionAt('#file:"a b"', 11), undefined, 'the closing quote finishes it');
    assert.equal(mentionAt('#problems:x', 11), undefined);
    assert.equal(mentionAt('plain text', 5), undefined);
    assert.equal(mentionAt('', 0), undefined);
  });

  it('is undefined inside code', () => {
    assert.equal(mentionAt('`a #fi`', 6), undefined);
    assert.equal(mentionAt('```\n#fi', 7), undefined);
    assert.deepEqual(mentionAt('`a` #fi', 7), { start: 4, end: 7, name: 'fi' });
  });

  it('does not reach back past the current line', () => {
    assert.equal(mentionAt('#file:"a\nb', 10), undefined);
  });
});
