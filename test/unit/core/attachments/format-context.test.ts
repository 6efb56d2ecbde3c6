import assert from 'node:assert/strict';
import { formatContext, type AttachmentContent } from '../../../../src/core/attachments/format-context';

const INTRO = 'The user attached the following context to this message.';
const REASON = "to fit the model's context window";
/** One token per character: additive, so every expected cut can be worked out exactly. */
const chars = (text: string) => text.length;

function numbered(count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => `line ${String(from + i).padStart(3, '0')} of the text`).join('\n');
}

function file(path: string, text: string, extra: Partial<AttachmentContent> = {}): AttachmentContent {
  return { kind: 'file', path, language: 'typescript', text, startLine: 1, ...extra };
}

/** The lines of the fenced block that follows `header`, fence lines excluded. */
function blockAfter(text: string, header: string): string[] {
  const lines = text.split('\n');
  const at = lines.indexOf(header);
  assert.ok(at >= 0, `no header ${header} in:\n${text}`);
  const fence = /^`{3,}/.exec(lines[at + 1]!)![0];
  const end = lines.indexOf(fence, at + 2);
  assert.ok(end > at, 'the block is not closed');
  return lines.slice(at + 2, end);
}

/** Every block opened is closed by the same fence, and no line inside could have closed it early. */
function assertFencesClosed(text: string): void {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    if (open === undefined) {
      const fence = /^(`{3,})[\w+#.-]*$/.exec(line);
      if (fence) open = fence[1];
    } else if (line === open) open = undefined;
    else assert.ok(!line.startsWith(open), `a line inside the block starts with its fence: ${line}`);
  }
  assert.equal(open, undefined, `a block is not closed:\n${text}`);
}

describe('formatContext', () => {
  it('gives nothing for no attachments', () => {
    assert.deepEqual(formatContext([], 1000, chars), { text: '', leftOut: [] });
  });

  it('names each item by path, line range and kind, in order, under one intro line', () => {
    const items: AttachmentContent[] = [
      { kind: 'selection', path: 'src/utils.ts', language: 'typescript', text: 'const a = 1;\nconst b = 2;', startLine: 10, totalLines: 300 },
      { kind: 'file', path: 'app.py', language: 'python', text: 'print(1)\n', startLine: 1 },
      { kind: 'folder', path: 'src', language: 'plaintext', text: 'a.ts\nb.ts', startLine: 1 },
      { kind: 'problems', language: 'plaintext', text: 'src/a.ts:3 error: x', startLine: 1 },
    ];
    const out = formatContext(items, 10_000, chars);
    assert.equal(
      out.text,
      [
        INTRO,
        '',
        'src/utils.ts (lines 10-11 of 300, selection):',
        '```typescript',
        'const a = 1;',
        'const b = 2;',
        '```',
        '',
        'app.py (line 1, file):',
        '```python',
        'print(1)',
        '```',
        '',
        'src (lines 1-2, folder listing):',
        '```plaintext',
        'a.ts',
        'b.ts',
        '```',
        '',
        'the whole workspace (line 1, problems):',
        '```plaintext',
        'src/a.ts:3 error: x',
        '```',
      ].join('\n'),
    );
    assert.deepEqual(out.leftOut, []);
    assert.deepEqual(formatContext(items, 10_000, chars), out, 'the same input gives the same text');
  });

  it('lengthens the fence beyond any backtick run in the text', () => {
    const text = 'Docs:\n````md\n```js\nx()\n```\n````';
    const out = formatContext([file('README.md', text, { language: 'markdown' })], 10_000, chars);
    assert.equal(out.text, `${INTRO}\n\nREADME.md (lines 1-6, file):\n\`\`\`\`\`markdown\n${text}\n\`\`\`\`\``);
  });

  it('keeps the info string to one word', () => {
    const out = formatContext([file('a.ts', 'x', { language: 'ts\n```\nInjected' })], 10_000, chars);
    assert.equal(out.text, `${INTRO}\n\na.ts (line 1, file):\n\`\`\`tsInjected\nx\n\`\`\``);
  });

  it('reads CRLF text as lines, sends it with \\n only, and counts its lines right', () => {
    const out = formatContext([file('win.ts', 'a\r\nb\r\nc\r\n')], 10_000, chars);
    assert.equal(out.text, `${INTRO}\n\nwin.ts (lines 1-3, file):\n\`\`\`typescript\na\nb\nc\n\`\`\``);
    const cut = formatContext([file('win.ts', `${numbered(50).split('\n').join('\r\n')}\r\n`)], 400, chars);
    assert.ok(!cut.text.includes('\r'));
    assert.equal(cut.leftOut.length, 1);
    assert.equal(cut.leftOut[0]!.toLine, 50);
    assert.equal(cut.leftOut[0]!.totalLines, 50);
  });

  it('cuts an item over the budget at whole lines from its top, and says which lines were left out', () => {
    const source = numbered(100);
    const expected = (k: number) =>
      `${INTRO}\n\nsrc/big.ts (lines 1-${k} of 100, file):\n\`\`\`typescript\n${numbered(k)}\n\`\`\`\n(Lines ${k + 1}-100 were left out of src/big.ts ${REASON}.)`;
    const budget = 1000;
    const out = formatContext([file('src/big.ts', source)], budget, chars);
    const kept = blockAfter(out.text, out.text.split('\n')[2]!).length;
    assert.ok(kept > 0 && kept < 100);
    assert.equal(out.text, expected(kept));
    assert.ok(chars(out.text) <= budget);
    assert.ok(chars(expected(kept + 1)) > budget, 'one more line would have fit');
    assert.deepEqual(out.leftOut, [{ kind: 'file', path: 'src/big.ts', fromLine: kept + 1, toLine: 100, totalLines: 100 }]);
  });

  it('reports a cut selection in the file\'s own line numbers', () => {
    const out = formatContext([{ kind: 'selection', path: 'src/a.ts', language: 'typescript', text: numbered(50, 11), startLine: 11, totalLines: 300 }], 600, chars);
    const header = out.text.split('\n')[2]!;
    const match = /^src\/a\.ts \(lines 11-(\d+) of 300, selection\):$/.exec(header);
    assert.ok(match, header);
    const last = Number(match[1]);
    assert.deepEqual(blockAfter(out.text, header), numbered(last - 10, 11).split('\n'));
    assert.match(out.text, new RegExp(`\\n\\(Lines ${last + 1}-60 were left out of src/a\\.ts`));
    assert.deepEqual(out.leftOut, [{ kind: 'selection', path: 'src/a.ts', fromLine: last + 1, toLine: 60, totalLines: 300 }]);
  });

  it('says "Line n was" when only the last line is left out', () => {
    const text = `${numbered(9)}\n${'z'.repeat(200)}`;
    const expected = `${INTRO}\n\na.ts (lines 1-9 of 10, file):\n\`\`\`typescript\n${numbered(9)}\n\`\`\`\n(Line 10 was left out of a.ts ${REASON}.)`;
    const out = formatContext([file('a.ts', text)], expected.length, chars);
    assert.equal(out.text, expected);
    assert.deepEqual(out.leftOut, [{ kind: 'file', path: 'a.ts', fromLine: 10, toLine: 10, totalLines: 10 }]);
  });

  it('shares the budget fairly: small items stay whole, large ones keep equal shares whatever their order', () => {
    const small = file('src/small.ts', 'export const x = 1;\nexport const y = 2;');
    const a = file('src/aaa.ts', numbered(300));
    const b = file('src/bbb.ts', numbered(300));
    const budget = 3000;
    const out = formatContext([a, small, b], budget, chars);
    assert.ok(chars(out.text) <= budget);
    const keptA = out.leftOut.find((l) => l.path === 'src/aaa.ts')!.fromLine - 1;
    const keptB = out.leftOut.find((l) => l.path === 'src/bbb.ts')!.fromLine - 1;
    assert.ok(keptA > 10, `a kept ${keptA}`);
    assert.equal(keptA, keptB);
    assert.equal(out.leftOut.length, 2, 'the small item is not cut');
    assert.ok(out.text.includes('src/small.ts (lines 1-2, file):\n```typescript\nexport const x = 1;\nexport const y = 2;\n```'));
    // Nearly all of the budget is used: less than one more line for each cut item is left over.
    assert.ok(budget - chars(out.text) < 2 * ('line 001 of the text'.length + 1), `${budget - chars(out.text)} left over`);
  });

  it('gives a large item no more than an even larger one', () => {
    const a = file('src/aaa.ts', numbered(200));
    const b = file('src/bbb.ts', numbered(600));
    const out = formatContext([a, b], 4000, chars);
    const keptA = out.leftOut.find((l) => l.path === 'src/aaa.ts')!.fromLine - 1;
    const keptB = out.leftOut.find((l) => l.path === 'src/bbb.ts')!.fromLine - 1;
    assert.equal(keptA, keptB);
    assert.ok(chars(out.text) <= 4000);
  });

  it('leaves out an item of which not even one line fits, and names it in a note', () => {
    const minified = file('dist/app.min.js', 'x'.repeat(5000), { language: 'javascript' });
    const note = file('notes.md', 'remember this', { language: 'markdown' });
    const out = formatContext([minified, note], 600, chars);
    assert.equal(
      out.text,
      `${INTRO}\n\ndist/app.min.js (line 1, file) was left out ${REASON}.\n\nnotes.md (line 1, file):\n\`\`\`markdown\nremember this\n\`\`\``,
    );
    assert.deepEqual(out.leftOut, [{ kind: 'file', path: 'dist/app.min.js', fromLine: 1, toLine: 1, totalLines: 1 }]);
  });

  it('leaves out everything, and reports it, for a budget of zero or less', () => {
    const items: AttachmentContent[] = [
      { kind: 'selection', path: 'src/a.ts', language: 'typescript', text: 'a\nb\nc', startLine: 5, totalLines: 40 },
      { kind: 'problems', language: 'plaintext', text: 'p', startLine: 1 },
    ];
    const expected = [
      { kind: 'selection', path: 'src/a.ts', fromLine: 5, toLine: 7, totalLines: 40 },
      { kind: 'problems', fromLine: 1, toLine: 1, totalLines: 1 },
    ];
    assert.deepEqual(formatContext(items, 0, chars), { text: '', leftOut: expected });
    assert.deepEqual(formatContext(items, -5, chars), { text: '', leftOut: expected });
    assert.deepEqual(formatContext(items, Number.NaN, chars), { text: '', leftOut: expected });
  });

  it('sends nothing when not even the notes fit', () => {
    const out = formatContext([file('a.ts', numbered(20))], 30, chars);
    assert.deepEqual(out, { text: '', leftOut: [{ kind: 'file', path: 'a.ts', fromLine: 1, toLine: 20, totalLines: 20 }] });
  });

  it('fits the budget exactly with a counter whose parts do not add up (one token per line)', () => {
    const lines = (text: string) => text.split('\n').length;
    // intro, blank, header, fence, k lines, fence, note: k + 6 lines.
    const out = formatContext([file('a.ts', numbered(100))], 50, lines);
    assert.equal(lines(out.text), 50);
    assert.deepEqual(out.leftOut, [{ kind: 'file', path: 'a.ts', fromLine: 45, toLine: 100, totalLines: 100 }]);
  });

  it('cuts nothing when everything fits, even by a counter far coarser than its lines suggest', () => {
    const coarse = (text: string) => Math.ceil(text.length / 100);
    const items = [file('a.ts', numbered(300)), file('b.ts', numbered(300))];
    const needed = coarse(formatContext(items, 1_000_000, coarse).text);
    const out = formatContext(items, needed, coarse);
    assert.deepEqual(out.leftOut, []);
    assert.equal(blockAfter(out.text, 'a.ts (lines 1-300, file):').length, 300);
    assert.equal(formatContext(items, needed - 1, coarse).leftOut.length, 2);
  });

  it('cuts a huge item quickly, counting little more than what is sent', () => {
    let counted = 0;
    const counting = (text: string) => {
      counted += text.length;
      return text.length;
    };
    const huge = numbered(50_000);
    const out = formatContext([file('huge.ts', huge)], 2000, counting);
    assert.ok(out.text.length <= 2000);
    assert.equal(out.leftOut[0]!.toLine, 50_000);
    assert.ok(counted < huge.length / 10, `counted ${counted} characters`);
  });

  it('stays within the budget with a coarse counter, for every budget', () => {
    const coarse = (text: string) => Math.ceil(text.length / 4);
    const items = [file('a.ts', numbered(80)), file('b.ts', 'short'), { ...file('c.md', '```\ncode\n```\n'.repeat(30)), language: 'markdown' }];
    for (let budget = 0; budget <= 1200; budget += 7) {
      const out = formatContext(items, budget, coarse);
      assert.ok(coarse(out.text) <= budget, `budget ${budget}: ${coarse(out.text)}`);
      for (const left of out.leftOut) assert.ok(left.fromLine >= 1 && left.fromLine <= left.toLine && left.toLine <= left.totalLines);
      assertFencesClosed(out.text);
    }
  });
});
