import { strict as assert } from 'node:assert';
import { installDom, type FakeWebview } from '../dom';
import type * as Client from '../../../../src/webview/render/highlight-worker-client';
import type * as WorkerScript from '../../../../src/webview/render/highlight-worker';
import type * as Highlight from '../../../../src/webview/render/highlight';
import type * as Render from '../../../../src/webview/render';
import type { HighlightAnswer, HighlightRequest } from '../../../../src/webview/render/highlight-worker-protocol';
import type { Highlighter } from '../../../../src/webview/render/types';

// The highlighting worker's client (issue 14, item 5) with a stand-in for the browser's Worker:
// jsdom has none. The stand-in answers with the worker script's own handler, so what comes back
// is what the real worker computes; or it fails in the ways a real one can.

type Behaviour = 'answers' | 'throws' | 'dies';

describe('highlighting in a worker', () => {
  let env: FakeWebview;
  let client: typeof Client;
  let script: typeof WorkerScript;
  let highlight: typeof Highlight;
  let render: typeof Render;
  let behaviour: Behaviour;
  let started: Array<{ url: string; name?: string; terminated: boolean; received: HighlightRequest[] }>;
  const g = globalThis as Record<string, unknown>;
  const saved: Record<string, unknown> = {};

  class StandInWorker {
    onmessage: ((event: { data: HighlightAnswer }) => void) | null = null;
    onerror: (() => void) | null = null;
    private readonly record: (typeof started)[number];
    constructor(url: string, options?: { name?: string }) {
      if (behaviour === 'throws') throw new Error('SecurityError: refused by the page policy');
      this.record = { url, name: options?.name, terminated: false, received: [] };
      started.push(this.record);
    }
    postMessage(request: HighlightRequest): void {
      this.record.received.push(request);
      setTimeout(() => {
        if (this.record.terminated) return;
        if (behaviour === 'dies') this.onerror?.();
        else this.onmessage?.({ data: script.answerRequest(request) });
      }, 1);
    }
    terminate(): void {
      this.record.terminated = true;
    }
  }

  before(async () => {
    env = installDom();
    client = await import('../../../../src/webview/render/highlight-worker-client');
    script = await import('../../../../src/webview/render/highlight-worker');
    highlight = await import('../../../../src/webview/render/highlight');
    render = await import('../../../../src/webview/render');
  });
  after(() => env.close());
  beforeEach(() => {
    behaviour = 'answers';
    started = [];
    saved.Worker = g.Worker;
    saved.createObjectURL = URL.createObjectURL;
    g.Worker = StandInWorker;
    URL.createObjectURL = () => 'blob:rill-test/1';
  });
  afterEach(() => {
    g.Worker = saved.Worker;
    URL.createObjectURL = saved.createObjectURL as typeof URL.createObjectURL;
  });

  const onThreadCalls: string[] = [];
  const fallback = async (): Promise<Highlighter> => ({
    highlight: (code, language) => {
      onThreadCalls.push(language);
      return highlight.highlighter.highlight(code, language);
    },
  });
  const code = 'const a: number = 1 < 2 ? 3 : 4; // "x" & y';

  it('answers with what highlight.js makes, from a worker started from a blob: URL', async () => {
    onThreadCalls.length = 0;
    const api = client.startHighlightWorker('/* the worker script */', fallback);
    const [ts, unknown] = await Promise.all([api.highlight(code, 'typescript'), api.highlight('x', 'klingon')]);
    assert.equal(ts, highlight.highlighter.highlight(code, 'typescript'));
    assert.match(ts ?? '', /<span class="hljs-keyword">const<\/span>/);
    assert.equal(unknown, undefined, 'an unknown language comes back plain');
    assert.equal(started.length, 1);
    assert.equal(started[0]!.url, 'blob:rill-test/1');
    assert.equal(started[0]!.name, 'rill-highlight');
    assert.equal(started[0]!.received.length, 2);
    assert.deepEqual(onThreadCalls, [], 'nothing was highlighted on the page thread');
  });

  it('highlights on the page thread when the worker cannot start', async () => {
    onThreadCalls.length = 0;
    behaviour = 'throws';
    const api = client.startHighlightWorker('', fallback);
    assert.equal(await api.highlight(code, 'typescript'), highlight.highlighter.highlight(code, 'typescript'));
    assert.deepEqual(onThreadCalls, ['typescript']);
    assert.equal(started.length, 0);
  });

  it('loses no block when the worker dies: those waiting and those after go to the page thread', async () => {
    onThreadCalls.length = 0;
    behaviour = 'dies';
    const api = client.startHighlightWorker('', fallback);
    const waiting = await Promise.all([api.highlight(code, 'typescript'), api.highlight('print(1)', 'python')]);
    assert.deepEqual(waiting, [highlight.highlighter.highlight(code, 'typescript'), highlight.highlighter.highlight('print(1)', 'python')]);
    assert.equal(started[0]!.terminated, true, 'the dead worker is let go');
    const later = await api.highlight('SELECT 1', 'sql');
    assert.equal(later, highlight.highlighter.highlight('SELECT 1', 'sql'));
    assert.deepEqual(onThreadCalls, ['typescript', 'python', 'sql']);
    assert.equal(started[0]!.received.length, 2, 'nothing more was sent to it');
  });

  it('a worker-highlighted answer ends in the same DOM as one highlighted on the page thread', async () => {
    const text = 'Intro.\n\n```ts\nexport const x = 1 < 2;\n```\n\nBetween.\n\n```python\ndef f(): return "<b>"\n```\n\nEnd.';
    const off = async () => {
      throw new Error('not in this test');
    };
    const draw = async (loadHighlighter: () => Promise<Highlighter>) => {
      const element = document.createElement('div');
      const view = new render.StreamingMarkdown(element, { loadHighlighter, loadMermaid: off });
      for (let i = 0; i < text.length; i += 5) {
        view.append(text.slice(i, i + 5));
        env.flushFrames();
      }
      view.finish();
      env.flushFrames();
      await view.settled();
      return element.innerHTML;
    };
    const inWorker = await draw(async () => client.startHighlightWorker('', fallback));
    const onThread = await draw(async () => highlight.highlighter);
    assert.match(inWorker, /<code class="language-ts hljs">.*hljs-keyword/);
    assert.match(inWorker, /&lt;b&gt;/, 'markup in code is text');
    assert.equal(inWorker, onThread);
  });
});
