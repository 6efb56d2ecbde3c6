import { strict as assert } from 'node:assert';
import { installDom, type FakeWebview } from '../dom';
import { hostile, markupOf, prng, randomChunks } from './documents';
import type * as Render from '../../../../src/webview/render/index';
import type { MermaidApi } from '../../../../src/webview/render/types';

describe('StreamingMarkdown', function () {
  this.timeout(60_000);
  let env: FakeWebview;
  let render: typeof Render;
  const off = () => Promise.reject(new Error('decorations off in this test'));

  before(async () => {
    env = installDom();
    render = await import('../../../../src/webview/render/index');
  });
  after(() => env.close());

  function view(options: Render.StreamingMarkdownOptions = {}): Render.StreamingMarkdown {
    const element = document.createElement('div');
    env.root.append(element);
    return new render.StreamingMarkdown(element, { loadHighlighter: off, loadMermaid: off, ...options });
  }

  it('updates the DOM at most once per animation frame', () => {
    let updates = 0;
    const v = view({ onUpdate: () => updates++ });
    for (const word of 'many small appends before a frame runs'.split(' ')) v.append(`${word} `);
    assert.equal(v.element.textContent, '', 'nothing before the frame');
    assert.equal(env.flushFrames(), 1, 'one frame requested for all the appends');
    assert.equal(updates, 1);
    assert.match(v.element.textContent ?? '', /many small appends before a frame runs/);
    assert.equal(env.flushFrames(), 0, 'no frame without new text');
  });

  it('renders finished blocks once: their nodes survive later appends', () => {
    const v = view({ liveParseBudget: 1 });
    v.append('# Title\n\nFirst paragraph.\n\nSecond ');
    env.flushFrames();
    const heading = v.element.querySelector('h1');
    const first = Array.from(v.element.querySelectorAll('p')).find((p) => p.textContent === 'First paragraph.');
    assert.ok(heading && first);
    for (const chunk of ['paragraph.\n\n', '- a list\n', '- item\n\n', '```js\nx()\n```\n\n', 'Last.']) {
      v.append(chunk);
      env.flushFrames();
      assert.equal(v.element.querySelector('h1'), heading, 'the heading node is the same');
      assert.ok(first.isConnected && v.element.contains(first), 'the first paragraph node is the same');
    }
    v.finish();
    assert.equal(v.element.querySelector('h1'), heading);
    assert.ok(first.isConnected);
  });

  it('parses only the live tail: work per update does not grow with the text', () => {
    const v = view({ liveParseBudget: 1 });
    const paragraph = 'Some prose with **bold**, `code` and a [link](https://example.com) in it. '.repeat(2);
    const perUpdate: number[] = [];
    let total = 0;
    for (let i = 0; i < 80; i++) {
      const block = i % 10 === 9 ? '```ts\nconst x = 1;\n```\n\n' : `${paragraph}${i}\n\n`;
      for (const chunk of randomChunks(block, prng(i), 12)) {
        const before = render.parserWork.lexedChars + render.parserWork.parsedChars;
        v.append(chunk);
        env.flushFrames();
        perUpdate.push(render.parserWork.lexedChars + render.parserWork.parsedChars - before);
        total += chunk.length;
      }
    }
    v.finish();
    const longestBlock = paragraph.length + 10;
    const worst = Math.max(...perUpdate);
    // At most the live tail (the block being written plus the one it follows) lexed, and rendered.
    assert.ok(worst <= 4 * longestBlock, `worst update handled ${worst} characters (text is ${total})`);
    const early = Math.max(...perUpdate.slice(0, 250));
    const late = Math.max(...perUpdate.slice(-250));
    assert.ok(late <= early * 1.5 + 50, `late updates (${late}) handle no more than early ones (${early})`);
    assert.ok(v.stats.maxLexedPerUpdate <= 3 * longestBlock, `lexed at most ${v.stats.maxLexedPerUpdate} characters at once`);
  });

  it('shows an unclosed code fence as a growing code block, highlighted only once closed', async () => {
    const calls: string[] = [];
    const v = view({
      liveParseBudget: 1,
      loadHighlighter: async () => ({
        highlight: (code, language) => {
          calls.push(code);
          return `<span class="hljs-keyword">${language}</span>`;
        },
      }),
    });
    v.append('Code:\n\n```python\nprint(1)\n');
    env.flushFrames();
    const code = () => v.element.querySelector('pre code');
    assert.equal(code()?.textContent, 'print(1)\n');
    for (const chunk of ['print(', '2)\n', 'for i in x:\n', '    pass']) {
      v.append(chunk);
      env.flushFrames();
      assert.ok(code()?.textContent?.endsWith(`${chunk.replace(/\n$/, '')}\n`) || code()?.textContent?.includes(chunk));
    }
    await v.settled();
    assert.equal(calls.length, 0, 'nothing highlighted while the fence is open');
    assert.equal(code()?.classList.contains('hljs'), false);
    v.append('\n```\n');
    env.flushFrames();
    await v.settled();
    assert.deepEqual(calls, ['print(1)\nprint(2)\nfor i in x:\n    pass\n']);
    assert.equal(code()?.querySelector('span.hljs-keyword')?.textContent, 'python');
  });

  it('defers markup of the live block under load, never its text', () => {
    let time = 0;
    // Each clock read moves 1 ms on: a parse "costs" 1 ms, so the next may come 9 ms later.
    const v = view({ clock: () => ++time, liveParseBudget: 0.1 });
    v.append('Start of a paragraph');
    env.flushFrames(); // parses (first render)
    v.append(' with **bold');
    env.flushFrames();
    assert.equal(v.element.querySelector('strong'), null);
    assert.match(v.element.textContent ?? '', /with \*\*bold/, 'the text is there at once, as raw text');
    assert.equal(v.stats.deferredUpdates, 1);
    v.append('** text');
    time += 1000; // the budget allows a parse again
    env.flushFrames();
    assert.equal(v.element.querySelector('strong')?.textContent, 'bold');
    v.finish();
    assert.equal(v.element.innerHTML, '<p>Start of a paragraph with <strong>bold</strong> text</p>\n');
  });

  it('falls back to whole-text rendering for reference definitions, not for raw HTML', () => {
    const refs = view({ liveParseBudget: 1 });
    refs.append('See [docs].\n\nMore.\n\n');
    env.flushFrames();
    refs.append('[docs]: https://example.com\n');
    env.flushFrames();
    assert.equal(refs.isFallback, true);
    assert.equal(refs.element.querySelector('a')?.getAttribute('href'), 'https://example.com', 'the earlier block now has its link');
    const html = view({ liveParseBudget: 1 });
    html.append('Text <em>open\n\n<div>next para\n\nthird\n\n');
    env.flushFrames();
    assert.ok(html.stats.commits > 0, 'finished blocks were committed while streaming');
    html.finish();
    assert.equal(html.isFallback, false);
    assert.equal(html.element.querySelector('em, div'), null);
    assert.equal(html.element.textContent, 'Text <em>open\n<div>next para\nthird\n');
  });

  it('replaces its text with setText (a snapshot), or extends it', () => {
    const v = view();
    v.setText('Hello');
    v.setText('Hello world');
    v.finish();
    assert.equal(v.element.innerHTML, '<p>Hello world</p>\n');
    v.setText('# Other');
    v.finish();
    assert.equal(v.element.innerHTML, '<h1>Other</h1>\n');
  });

  it('handles \\r\\n split across chunks', () => {
    const v = view();
    for (const chunk of ['a\r', '\n\r', '\nb\r', '\n']) v.append(chunk);
    v.finish();
    assert.equal(v.value, 'a\n\nb\n');
    assert.equal(v.element.innerHTML, '<p>a</p>\n<p>b</p>\n');
  });

  describe('hostile input through the streaming path', () => {
    /** Mid-stream the hostile text may show as text; it must never be markup. */
    function assertInert(root: Element): void {
      assert.equal(root.querySelector('img, script, iframe, style, form, svg, math, object, embed, link, meta'), null, root.innerHTML);
      for (const element of Array.from(root.querySelectorAll('*'))) {
        for (const attribute of Array.from(element.attributes)) {
          assert.ok(!attribute.name.startsWith('on'), `${attribute.name} on ${element.tagName}`);
          if (attribute.name === 'href') assert.match(attribute.value, /^(?:https?:|mailto:|#)/i);
          if (attribute.name === 'class' && element.closest('[data-testid="image-placeholder"]') === null) {
            assert.match(attribute.value, /^language-/);
          }
        }
      }
    }

    for (const [name, text, forbidden, visible] of hostile) {
      it(`neutralises ${name} at every frame and at the end, keeping its text`, () => {
        for (const chunks of [Array.from(text), randomChunks(text, prng(text.length), 5), [text]]) {
          const v = view({ liveParseBudget: 1 });
          for (const chunk of chunks) {
            v.append(chunk);
            env.flushFrames();
            assertInert(v.element);
          }
          v.finish();
          assertInert(v.element);
          assert.doesNotMatch(markupOf(v.element), forbidden);
          if (visible !== undefined) assert.equal(v.element.textContent?.trim(), visible);
        }
      });
    }

    it('keeps http, https and mailto links, drops other schemes', () => {
      const v = view();
      v.append('[a](https://example.com) [b](http://example.com) [c](mailto:a@example.com) [d](vscode://x) [e](./rel)');
      v.finish();
      const hrefs = Array.from(v.element.querySelectorAll('a')).map((a) => a.getAttribute('href'));
      assert.deepEqual(hrefs, ['https://example.com', 'http://example.com', 'mailto:a@example.com', null, null]);
    });
  });

  describe('links and images', () => {
    it('never navigates: a click is cancelled and handed to onOpenLink', () => {
      const opened: string[] = [];
      const v = view({ onOpenLink: (url) => opened.push(url) });
      v.append('[site](https://example.com/x) and [bad](javascript:alert(1))');
      v.finish();
      const [good, bad] = Array.from(v.element.querySelectorAll('a'));
      const click = (target: Element) => {
        const event = new env.window.MouseEvent('click', { bubbles: true, cancelable: true });
        target.dispatchEvent(event);
        return event.defaultPrevented;
      };
      assert.equal(click(good!), true);
      assert.equal(click(bad!), true);
      assert.deepEqual(opened, ['https://example.com/x']);
    });

    it('shows a remote image as a placeholder whose button asks the host to open it', () => {
      const opened: string[] = [];
      const v = view({ onOpenLink: (url) => opened.push(url), labels: { openImage: 'Open' } });
      v.append('![a cat](https://example.com/cat.png?secret=1)');
      v.finish();
      assert.equal(v.element.querySelector('img'), null);
      const holder = v.element.querySelector('[data-testid="image-placeholder"]');
      assert.ok(holder);
      assert.match(holder.textContent ?? '', /a cat/);
      assert.match(holder.textContent ?? '', /https:\/\/example\.com\/cat\.png\?secret=1/);
      const button = holder.querySelector('button');
      assert.equal(button?.textContent, 'Open');
      button!.dispatchEvent(new env.window.MouseEvent('click', { bubbles: true, cancelable: true }));
      assert.deepEqual(opened, ['https://example.com/cat.png?secret=1']);
    });

    it('offers no button for data: or relative images', () => {
      const v = view();
      v.append('![x](data:image/png;base64,AAAA) ![y](./local.png)');
      v.finish();
      assert.equal(v.element.querySelectorAll('[data-testid="image-placeholder"]').length, 2);
      assert.equal(v.element.querySelector('button'), null);
    });
  });

  describe('Mermaid', () => {
    function stub(log: string[], fail = false): () => Promise<MermaidApi> {
      return async () => ({
        initialize: (config) => log.push(`init ${JSON.stringify(config)}`),
        parse: async (text) => {
          log.push(`parse ${text.length}`);
          if (fail) throw new Error('Parse error on line 2:\nExpecting something');
        },
        render: async (id, text) => {
          log.push(`render ${id}`);
          return { svg: `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text onclick="x()">${text.length}</text></svg>` };
        },
      });
    }

    it('waits for the end of the answer to draw, by default', async () => {
      const log: string[] = [];
      const v = view({ loadMermaid: stub(log), liveParseBudget: 1 });
      v.append('```mermaid\ngraph TD\n  A --> B\n```\n\nMore text.\n\n');
      env.flushFrames();
      await v.settled();
      assert.equal(log.length, 0);
      v.finish();
      await v.settled();
      assert.ok(v.element.querySelector('[data-testid="mermaid"] svg'));
    });

    it('tells its owner once each diagram or its error is in the DOM, after the answer ends (the height changed)', async () => {
      const log: string[] = [];
      const seen: string[] = [];
      const element = (): Element | null => v.element.querySelector('[data-testid="mermaid"], [data-testid="mermaid-error"]');
      const v = view({ loadMermaid: stub(log), onDiagram: () => seen.push(element()?.getAttribute('data-testid') ?? 'nothing yet') });
      v.append('Before.\n\n```mermaid\ngraph TD\n  A --> B\n```\n');
      v.finish();
      assert.equal(seen.length, 0, 'not before it is drawn');
      await v.settled();
      assert.deepEqual(seen, ['mermaid'], 'once, with the drawing already in place');
      assert.match(v.element.textContent ?? '', /^Before\./, 'the text before it stays');
      const broken = view({ loadMermaid: stub([], true), onDiagram: () => seen.push(broken.element.querySelector('[data-testid="mermaid-error"]') ? 'error' : 'no error yet') });
      broken.append('```mermaid\ngraph TD INVALID\n```\n');
      broken.finish();
      await broken.settled();
      assert.deepEqual(seen, ['mermaid', 'error']);
      assert.ok(broken.element.querySelector('pre code'), 'the source is still shown');
    });

    it('draws a diagram only once its fence closes: strict, parsed first, themed, sanitised', async () => {
      document.body.className = 'vscode-dark';
      const log: string[] = [];
      const v = view({ loadMermaid: stub(log), liveParseBudget: 1, drawDiagramsWhileStreaming: true });
      v.append('```mermaid\ngraph TD\n  A --> B\n');
      env.flushFrames();
      await v.settled();
      assert.equal(log.length, 0, 'not while the fence is open');
      v.append('```\n\nAfter.\n');
      env.flushFrames();
      await v.settled();
      assert.match(log[0] ?? '', /"startOnLoad":false/);
      assert.match(log[0] ?? '', /"securityLevel":"strict"/);
      assert.match(log[0] ?? '', /"theme":"dark"/);
      assert.deepEqual(log.slice(1).map((l) => l.split(' ')[0]), ['parse', 'render']);
      const figure = v.element.querySelector('[data-testid="mermaid"]');
      assert.ok(figure && figure.querySelector('svg'));
      assert.doesNotMatch(figure.innerHTML, /<script|onclick/);
      assert.equal(v.element.querySelector('pre'), null);
      document.body.className = '';
    });

    it('shows the source and a short note when the diagram does not parse', async () => {
      const log: string[] = [];
      const v = view({ loadMermaid: stub(log, true) });
      v.append('```mermaid\ngraph TD INVALID\n```\n');
      v.finish();
      await v.settled();
      assert.equal(v.element.querySelector('pre code')?.textContent, 'graph TD INVALID\n');
      assert.match(v.element.querySelector('[data-testid="mermaid-error"]')?.textContent ?? '', /^Diagram not drawn: Parse error on line 2: Expecting something$/);
      assert.ok(!log.some((l) => l.startsWith('render')), 'never rendered after a failed parse');
    });

    it('gives every drawing a unique id and follows a light theme', async () => {
      document.body.className = 'vscode-light';
      const log: string[] = [];
      const v = view({ loadMermaid: stub(log) });
      v.append('```mermaid\ngraph LR\n  X --> Y\n```\n\n```mermaid\ngraph LR\n  P --> Q\n```\n');
      v.finish();
      await v.settled();
      const ids = log.filter((l) => l.startsWith('render')).map((l) => l.split(' ')[1]);
      assert.equal(new Set(ids).size, 2);
      assert.ok(log.some((l) => l.includes('"theme":"default"')));
      document.body.className = '';
    });
  });
});
