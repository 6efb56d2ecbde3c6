import { strict as assert } from 'node:assert';
import { installDom, type FakeWebview } from '../dom';
import { documents, prng, randomChunks } from './documents';
import type * as Render from '../../../../src/webview/render/index';
import type { MermaidApi, RenderOptions } from '../../../../src/webview/render/types';

/**
 * The streamed DOM must end equal to a one-shot render of the final text, whatever the chunking
 * and whenever frames run. Equality is checked twice:
 * - structure: with highlighting and diagrams failing to load, the streamed DOM's HTML equals the
 *   plain one-shot `renderMarkdown(text)` exactly (markdown structure, sanitising, placeholders);
 * - decorated: with the real highlight.js and a deterministic Mermaid stub, after `finish()` and
 *   `settled()`, it equals `renderMarkdownInto(text)` after `settled()`, spans and diagrams included.
 */
describe('StreamingMarkdown: streamed DOM equals a one-shot render', function () {
  this.timeout(120_000);
  let env: FakeWebview;
  let render: typeof Render;

  // Decorations switched off: the loaders fail, so code stays plain and diagrams stay code.
  const off = () => Promise.reject(new Error('decorations off in this test'));
  const mermaidStub = async (): Promise<MermaidApi> => ({
    initialize: () => undefined,
    parse: async (text) => {
      if (text.includes('INVALID')) throw new Error('Parse error on line 1:\n...graph TD INVALID');
    },
    render: async (id, text) => ({
      svg: `<svg id="${id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g class="node"><text>${text.length}</text></g></svg>`,
    }),
  });

  before(async () => {
    env = installDom();
    render = await import('../../../../src/webview/render/index');
  });
  after(() => env.close());

  /** Streams `chunks`, running the pending frame at random points, then finishes. */
  function stream(chunks: string[], random: () => number, options: Render.StreamingMarkdownOptions): Render.StreamingMarkdown {
    const element = document.createElement('div');
    env.root.append(element);
    const view = new render.StreamingMarkdown(element, options);
    for (const chunk of chunks) {
      view.append(chunk);
      if (random() < 0.35) env.flushFrames();
    }
    if (random() < 0.5) env.flushFrames();
    view.finish();
    return view;
  }

  function plainHtml(text: string): string {
    const div = document.createElement('div');
    div.append(render.renderMarkdown(text));
    return div.innerHTML;
  }

  const names = Object.keys(documents);
  it('has at least 30 documents', () => assert.ok(names.length >= 30, `${names.length} documents`));

  for (const name of names) {
    const text = documents[name]!;
    it(`structure: ${name} (20 random splittings and one character at a time)`, () => {
      const expected = plainHtml(text);
      const splittings: string[][] = [Array.from(text)];
      for (let seed = 1; seed <= 20; seed++) splittings.push(randomChunks(text, prng(seed * 7919 + name.length)));
      splittings.forEach((chunks, i) => {
        const random = prng(i + 1);
        // Half the runs re-parse the live block on every update; half run the default budget on a
        // fake clock that moves 0-3 ms per chunk, so parses and raw appends mix, seeded.
        let time = 0;
        const clock = () => (time += random() * 3);
        const view = stream(chunks, random, { loadHighlighter: off, loadMermaid: off, ...(i % 2 ? { liveParseBudget: 1 } : { clock }) });
        assert.equal(view.element.innerHTML, expected, `${name}, splitting ${i}`);
        view.element.remove();
      });
    });

    it(`decorated: ${name} (highlight.js and a Mermaid stub, 5 splittings)`, async () => {
      const options: RenderOptions = {
        loadMermaid: mermaidStub,
        // The fence's whole info string (Apply to file reads it) must reach both renders alike.
        decorateCodeBlock: (pre, _code, language, info) => pre.setAttribute('data-decorated', `${language ?? ''}|${info ?? ''}`),
      };
      for (let seed = 1; seed <= 5; seed++) {
        const random = prng(seed * 31 + name.length);
        const view = stream(randomChunks(text, random), random, options);
        await view.settled();
        const oneShot = document.createElement('div');
        env.root.append(oneShot);
        await render.renderMarkdownInto(oneShot, text, options).settled();
        assert.equal(view.element.innerHTML, oneShot.innerHTML, `${name}, seed ${seed}`);
        view.element.remove();
        oneShot.remove();
      }
    });
  }
});
