import { strict as assert } from 'node:assert';
import { installDom, type FakeWebview } from '../dom';
import { prng, randomChunks } from './documents';
import { missingWords, proseTags, SWALLOWING, visibleWords } from '../../../support/prose-tags';
import type * as Render from '../../../../src/webview/render/index';

/**
 * Answers that mention tags in prose lose nothing: every word outside an allowed tag's own markup
 * is on the page, at every frame while streaming and after the final pass, and none of the
 * elements that swallow text (raw-text, RCDATA, foreign content, form controls) is ever created.
 */

describe('raw HTML in prose: shown as text, nothing lost (jsdom)', function () {
  this.timeout(60_000);
  let env: FakeWebview;
  let render: typeof Render;
  const off = () => Promise.reject(new Error('decorations off in this test'));

  before(async () => {
    env = installDom();
    render = await import('../../../../src/webview/render/index');
  });
  after(() => env.close());

  function oneShot(text: string): HTMLElement {
    const div = document.createElement('div');
    div.append(render.renderMarkdown(text));
    return div;
  }

  /**
   * `spaced`: false while streaming, where the renderer may put raw text for the live block in a
   * paragraph of its own until its next parse (a word's halves then sit in two nodes, each shown).
   */
  function assertNothingLost(text: string, root: Element, where: string, spaced = true): void {
    assert.equal(root.querySelector(SWALLOWING), null, `${where}: ${root.innerHTML}`);
    const shown = spaced ? (root.textContent ?? '') : (root.textContent ?? '').replace(/\s+/g, '');
    assert.deepEqual(missingWords(text, shown), [], `${where}: words missing from ${JSON.stringify(root.textContent)}`);
  }

  it('has a corpus of at least 20 answers, each with text after its last tag', () => {
    const names = Object.keys(proseTags);
    assert.ok(names.length >= 20, `${names.length} answers`);
    for (const name of names) {
      const text = proseTags[name]!;
      assert.ok(visibleWords(text.slice(text.lastIndexOf('>') + 1)).length >= 2, `${name} ends with words after its last tag`);
    }
  });

  // The checks themselves must fail on the old behaviour, else the tests below pass vacuously:
  // the browser parsed `<textarea>` as swallowing the rest, then the sanitiser dropped it.
  it('the checks notice text that a swallowing element hid or took with it', () => {
    const text = 'Use a <textarea> element. The rest.';
    const swallowed = document.createElement('div');
    swallowed.innerHTML = `<p>${text}</p>`;
    assert.throws(() => assertNothingLost(text, swallowed, 'self-test'), /self-test/);
    swallowed.querySelector('textarea')?.remove();
    assert.deepEqual(missingWords(text, swallowed.textContent ?? ''), ['textarea', 'element', 'The', 'rest']);
    assert.throws(() => assertNothingLost(text, swallowed, 'self-test'), /words missing/);
  });

  for (const [name, text] of Object.entries(proseTags)) {
    it(`${name}: one-shot render keeps every word`, () => {
      assertNothingLost(text, oneShot(text), 'one-shot');
    });

    it(`${name}: streamed in random chunks, every frame shows what has arrived and the end equals the one-shot render`, () => {
      const expected = oneShot(text).innerHTML;
      const splittings = [Array.from(text), ...Array.from({ length: 12 }, (_, seed) => randomChunks(text, prng(seed * 31 + text.length), 9))];
      splittings.forEach((chunks, i) => {
        const element = document.createElement('div');
        env.root.append(element);
        const view = new render.StreamingMarkdown(element, { loadHighlighter: off, loadMermaid: off, ...(i % 2 ? { liveParseBudget: 1 } : {}) });
        let arrived = '';
        for (const chunk of chunks) {
          view.append(chunk);
          arrived += chunk;
          env.flushFrames();
          // The last word may still be growing (or be part of a tag still arriving): check the rest.
          const growing = arrived.search(/[\p{L}\p{N}]+$/u);
          const settled = growing === -1 ? arrived : arrived.slice(0, growing);
          assertNothingLost(settled, element, `${name}, splitting ${i}, after ${JSON.stringify(arrived.slice(-20))}`, false);
        }
        view.finish();
        assertNothingLost(text, element, `${name}, splitting ${i}, finished`);
        assert.equal(element.innerHTML, expected, `${name}, splitting ${i}: streamed DOM differs from the one-shot render`);
        element.remove();
      });
    });
  }

  it('renders the allowed tags when balanced in their block', () => {
    const div = oneShot(proseTags['balanced allowed tags']!);
    assert.equal(div.querySelectorAll('kbd').length, 2);
    assert.equal(div.querySelector('sub')?.textContent, '2');
    assert.equal(div.querySelector('sup')?.textContent, '2');
    assert.ok(div.querySelector('br'));
    const details = oneShot(proseTags['details in one paragraph']!).querySelector('details');
    assert.equal(details?.querySelector('summary')?.textContent, 'Show the steps');
    assert.equal(details?.hasAttribute('open'), true, 'shown open: a folded section would hide words of the answer');
  });

  it('shows a lone or crossing allowed tag as written instead of letting it format the rest', () => {
    const lone = oneShot(proseTags['lone allowed tags']!);
    assert.equal(lone.querySelector('b, details, summary'), null);
    assert.match(lone.textContent ?? '', /Wrap the label in <b> to make it bold, and use <details> with a <summary> for a section/);
    const crossing = oneShot(proseTags['crossing tags']!);
    assert.equal(crossing.querySelector('b')?.textContent, 'bold <i>both');
    assert.equal(crossing.querySelector('i'), null);
    assert.match(crossing.textContent ?? '', /italic<\/i> is invalid/);
  });

  it('keeps Markdown after a line that would have opened an HTML block', () => {
    const div = oneShot(proseTags['tag at the start of a line']!);
    assert.equal(div.querySelectorAll('li').length, 2);
    assert.equal(div.querySelector('pre code')?.textContent, '.card { margin: 0; }\n');
    assert.match(div.textContent ?? '', /<div class="card">/);
  });

  it('escapes text inside <kbd> (marked would pass it through raw)', () => {
    const div = oneShot(proseTags['style inside kbd']!);
    assert.equal(div.querySelector('kbd')?.textContent, 'a <style> tag');
  });

  it('no HTML reaches from one block into the next', () => {
    const div = oneShot('Open <details><summary>x</summary>\n\nSecond paragraph.\n\n</details> closes');
    assert.equal(div.querySelector('details'), null);
    const paragraphs = Array.from(div.querySelectorAll('p'), (p) => p.textContent);
    assert.equal(div.querySelector('summary'), null, 'a summary whose details is literal is literal too');
    assert.deepEqual(paragraphs, ['Open <details><summary>x</summary>', 'Second paragraph.', '</details> closes']);
  });
});
