import { strict as assert } from 'node:assert';
import { Marked } from 'marked';
import { BlockSplitter, splitBlocks } from '../../../../src/core/markdown/block-splitter';
import { markedOptions, rawHtmlPolicy } from '../../../../src/webview/render/html-policy';
import { prng } from '../../../support/prng';

// The renderer's parser configuration: a boundary is right when rendering the two sides apart
// gives the same HTML as rendering the whole.
const marked = new Marked(markedOptions, rawHtmlPolicy);
const html = (text: string) => marked.parse(text) as string;


/** Every boundary found while `text` streams in, in random chunks. */
function streamed(text: string, seed: number): BlockSplitter {
  const random = prng(seed);
  const splitter = new BlockSplitter();
  for (let at = 0; at < text.length; ) {
    const size = 1 + Math.floor(random() * 9);
    splitter.append(text.slice(at, at + size));
    at += size;
  }
  return splitter;
}

function assertValid(text: string, boundaries: readonly number[]): void {
  const whole = html(text);
  for (const b of boundaries) {
    assert.equal(html(text.slice(0, b)) + html(text.slice(b)), whole, `boundary ${b} of ${JSON.stringify(text)}`);
  }
}

/** The text of the boundaries: what the stable prefix is at the end of `text`. */
function stable(text: string): string {
  return text.slice(0, splitBlocks(text).stableEnd);
}

describe('BlockSplitter', () => {
  describe('stable boundaries', () => {
    it('needs a blank line and a complete next line', () => {
      assert.equal(stable('para one\n\npara tw'), '');
      assert.equal(stable('para one\n\npara two\n'), 'para one\n\n');
      assert.equal(stable('para one\npara two\n'), '');
    });

    it('does not split an ordered list whose next item appears digit by digit', () => {
      assert.equal(stable('1. one\n\n2'), '');
      assert.equal(stable('1. one\n\n2.'), '');
      assert.equal(stable('1. one\n\n2. two\n'), '', 'the second item continues the list');
      assert.equal(stable('1. one\n\n2\n'), '1. one\n\n', 'a complete "2" line is a paragraph');
      assert.equal(stable('1. one\n\n2. two\n\nAfter.\n'), '1. one\n\n2. two\n\n');
    });

    it('keeps list items, indented continuations and nested lists together', () => {
      assert.equal(stable('- a\n\n- b\n'), '');
      assert.equal(stable('- a\n\n  continued\n'), '');
      assert.equal(stable('- a\n  - nested\n\n  more of a\n'), '');
      assert.equal(stable('- a\n\n* other bullet\n'), '- a\n\n', 'another bullet character is another list');
      assert.equal(stable('1. a\n\n1) b\n'), '1. a\n\n', 'another delimiter is another list');
    });

    it('never splits inside a fenced code block, whatever it holds', () => {
      const text = '```js\nconst a = 1;\n\n# not a heading\n\n- not a list\n\n';
      assert.equal(stable(text), '');
      assert.equal(stable('~~~\n\n```\n\nstill code\n'), '');
      assert.equal(stable('````\n```\n\ninner\n```\n\n'), '');
    });

    it('splits right after a closed fence and after an ATX heading', () => {
      assert.equal(stable('```js\nx()\n```\nnext'), '```js\nx()\n```\n');
      assert.equal(stable('# Title\nText'), '# Title\n');
      assert.equal(stable('````\n```\n````\n'), '````\n```\n````\n');
    });

    it('knows which fences close which (character, length, indentation)', () => {
      assert.equal(splitBlocks('```\na\n~~~\n').openFence?.contentStart, 4);
      assert.equal(splitBlocks('````\na\n```\n').openFence?.contentStart, 5);
      assert.equal(splitBlocks('```\na\n    ```\n').openFence?.contentStart, 4, 'four spaces is content, not a closer');
      assert.equal(splitBlocks('```\na\n``` x\n').openFence?.contentStart, 4, 'a closer has no info string');
      assert.equal(splitBlocks('```\na\n   ```  \n').openFence, undefined);
      assert.deepEqual(splitBlocks('  ```py extra\n').openFence, { contentStart: 14, indent: 2, info: 'py extra' });
    });

    it('waits for a setext underline or a table delimiter on the paragraph', () => {
      // The boundary is before the paragraph: it must not be moved by what the next line does.
      assert.equal(stable('Intro.\n\nTitle\n'), 'Intro.\n\n');
      assert.equal(stable('Intro.\n\nTitle\n===\n'), 'Intro.\n\n');
      assert.equal(stable('a | b\n--|--\n1 | 2\n\nnext\n'), 'a | b\n--|--\n1 | 2\n\n');
    });

    it('keeps lazy quote lines and indented code across blank lines together', () => {
      assert.equal(stable('> quote\nlazy\n'), '');
      assert.equal(stable('    code\n\n    more code\n'), '');
      assert.equal(stable('    code\n\ntext\n'), '    code\n\n');
    });

    it('treats a tab-only line inside a table as a row, not a blank line', () => {
      assert.equal(stable('a | b\n--|--\n\t\nx\n'), '');
    });
  });

  describe('fallbacks', () => {
    const cases: Array<[string, string, string]> = [
      ['a reference definition', 'See [docs].\n\n[docs]: https://example.com\n', 'reference-definition'],
      ['a footnote', 'Claim.[^1]\n\n[^1]: Source.\n', 'footnote'],
      ['a multi-line label', 'x\n\n[a\nlabel]: /url\n', 'reference-definition'],
    ];
    for (const [name, text, reason] of cases) {
      it(`falls back on ${name}`, () => {
        const result = splitBlocks(text);
        assert.equal(result.fallback, true);
        assert.equal(result.reason, reason);
      });
    }

    it('does not fall back on raw HTML, which ties no blocks together (html-policy)', () => {
      for (const text of ['Text.\n\n<details>\n<summary>x</summary>\n\nmore\n', '<!-- note\n\nstill the comment -->\n\nx\n', 'Text\n<div>\n\nnext\n\nlast\n']) {
        const result = splitBlocks(text);
        assert.equal(result.fallback, false, text);
        assert.ok(result.boundaries.length > 0, `no boundary in ${JSON.stringify(text)}`);
        assertValid(text, result.boundaries);
      }
    });

    it('does not fall back on look-alikes inside code or inline', () => {
      assert.equal(splitBlocks('```\n[a]: /url\n<div>\n```\n').fallback, false);
      assert.equal(splitBlocks('Use `<div>` and [a](b): fine.\n\nNext.\n').fallback, false);
      assert.equal(splitBlocks('<https://example.com> is an autolink\n').fallback, false);
    });

    it('stays in fallback for the rest of the text', () => {
      const splitter = new BlockSplitter();
      splitter.append('[a]: /url\n\n');
      splitter.append('para\n\nmore\n\n');
      assert.equal(splitter.result().fallback, true);
    });
  });

  describe('incremental', () => {
    it('finds the same boundaries however the text is cut', () => {
      const text = '# T\n\nP one.\n\n- a\n- b\n\n```js\nx\n\ny\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> q\n\nEnd.\n';
      const whole = splitBlocks(text).boundaries;
      assert.ok(whole.length >= 6, `boundaries: ${whole.join(',')}`);
      for (let seed = 1; seed <= 20; seed++) assert.deepEqual([...streamed(text, seed).result().boundaries], [...whole]);
      const oneByOne = new BlockSplitter();
      for (const char of text) oneByOne.append(char);
      assert.deepEqual([...oneByOne.result().boundaries], [...whole]);
    });

    it('scans each line once, so an append costs its own lines', () => {
      const splitter = new BlockSplitter();
      const line = 'A line of prose that goes on for a while.\n';
      for (let i = 0; i < 5000; i++) {
        for (const part of [line.slice(0, 10), line.slice(10, 30), line.slice(30)]) splitter.append(part);
        if (i % 50 === 49) splitter.append('\n');
      }
      assert.equal(splitter.linesScanned, 5000 + 100);
    });

    it('takes the whole text with update()', () => {
      const splitter = new BlockSplitter();
      splitter.update('a\n\nb');
      splitter.update('a\n\nb\n\nc\n');
      assert.deepEqual([...splitter.result().boundaries], [3, 6]);
      splitter.update('other\n\ntext\n');
      assert.deepEqual([...splitter.result().boundaries], [7]);
    });
  });

  // Random documents from lines that stress the block rules, streamed in random chunks: every
  // boundary found must render the same apart as together.
  describe('against marked, on random documents', () => {
    const pool = [
      '', '', '', 'para text', 'more words here', '- item', '* star', '+ plus', '1. one', '2. two', '2', '2)', '10. ten',
      '  - nested', '   ```', '  ```', '```', '```js', '~~~', '~~~~', '````', '    indented', '\tindented tab', '> quote', '>',
      '> ```', '# head', '## h2 #', '---', '***', '===', '- - -', 'a | b', '|---|---|', '| x | y |', '--|--', '  continued',
      '   three', '     five', '-', '1.', '- [ ] task', '  # h in item', '\t', '   ', 'text with `code`', '> - q item',
      '  > q in item', '    - deep', '-   wide item', '1)  paren', '* * *', '_ _ _', 'lazy line', '> > nested',
      '>     indented in quote', '> para', '|a|', '\t\t', '1. ```', '- ```', '   - sub', '1.  two spaces', '> ~~~', '    ```',
      '  ~~~', 'x | y | z', ':-:|--', '#', '#nospace', '> # qh', '-\tdash tab', '\t- tab item', '2. ```py', '   ````', '*',
      // Lines CommonMark would start (or end) an HTML block with, and balanced or lone inline tags.
      '<div>', '</div>', '<style>', '</style>', '<!-- note', '-->', '<details>', '<summary>x</summary>', '</details>',
      '<br>', 'a <b>bold</b> word', '<b>open', '> <div>', '- <pre>', '<?php', '<![CDATA[x', '<x-tag a="1">',
    ];
    for (let round = 0; round < 4; round++) {
      it(`finds only valid boundaries (round ${round + 1}, 400 documents)`, () => {
        const random = prng(1000 + round);
        let checked = 0;
        for (let doc = 0; doc < 400; doc++) {
          const lines = Array.from({ length: 3 + Math.floor(random() * 25) }, () => pool[Math.floor(random() * pool.length)]!);
          const text = lines.join('\n') + (random() < 0.5 ? '\n' : '');
          const result = streamed(text, doc).result();
          if (result.fallback) continue;
          assertValid(text, result.boundaries);
          checked += result.boundaries.length;
        }
        assert.ok(checked > 300, `only ${checked} boundaries checked`);
      });
    }
  });
});
