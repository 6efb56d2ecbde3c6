import { strict as assert } from 'node:assert';
import { traceTimeline } from '../../../src/core/trace/timeline-figures';
import { timelineEn, timelineJa } from '../../../src/core/trace/timeline-labels';
import { TraceRecorder, type RequestTrace } from '../../../src/core/trace/trace';
import { renderTimeline } from '../../../src/webview/diagram/timeline-view';
import { traceScenarios } from '../core/trace/scenarios';
import { installDom, type FakeWebview } from './dom';

/** A request of `count` chunks, 2 ms apart, of 1 to 4 characters. */
function request(count: number): RequestTrace {
  let t = 0;
  const recorder = new TraceRecorder({ now: () => t, timeOrigin: 0 });
  recorder.userSent(0);
  recorder.hostReceived();
  t = 120;
  for (let i = 0; i < count; i++) {
    t += 2;
    recorder.chunk('text', 1 + (i % 4));
  }
  recorder.finished({ state: 'done', finishReason: 'stop', textLength: 0, toolCalls: [], attempts: 1 });
  return recorder.trace();
}

describe('stream inspector timeline view', () => {
  let env: FakeWebview;
  beforeEach(() => {
    env = installDom();
  });
  afterEach(() => env.close());

  it('draws exactly one chunk mark per chunk (20,000 are drawn by the bench, in Chromium)', () => {
    for (const count of [0, 1, 37, 2_000]) {
      const dom = renderTimeline([{ name: 'x', timeline: traceTimeline(request(count)) }], timelineEn);
      env.root.replaceChildren(dom.root);
      assert.equal(env.root.querySelectorAll('[data-testid="timeline"] [data-testid="timeline-chunk"]').length, count);
    }
  });

  it('gives the figures as a table a screen reader can read, with the time to first token', () => {
    const dom = renderTimeline([{ name: 'x', timeline: traceTimeline(traceScenarios.normal!()) }], timelineEn);
    env.root.replaceChildren(dom.root);
    const table = env.root.querySelector('table[data-testid="timeline-figures"]') as HTMLTableElement;
    assert.equal(table.caption?.textContent, 'Figures');
    const rows = [...table.tBodies[0]!.rows].map((r) => [r.cells[0]!.textContent, r.cells[1]!.textContent]);
    assert.deepEqual(rows[0], ['Time to first token', '413.3 ms']);
    assert.ok(rows.some(([name, value]) => name === 'Burstiness (CV of gaps)' && value?.startsWith('1.61')));
    assert.equal(env.root.querySelector('th')?.getAttribute('scope'), 'col');
    // The longest gap, 210 ms, is shaded on the lane and listed.
    assert.ok(env.root.textContent?.includes('210 ms'));
    assert.equal(env.root.querySelectorAll('.timeline-lane .gap').length, 3);
  });

  it('lists every event only when asked, in time order', () => {
    const dom = renderTimeline([{ name: 'x', timeline: traceTimeline(request(5)) }], timelineEn);
    env.root.replaceChildren(dom.root);
    const details = env.root.querySelector('details.timeline-events') as HTMLDetailsElement;
    assert.equal(details.querySelector('table'), null, 'not built before it is opened');
    details.open = true;
    details.dispatchEvent(new env.window.Event('toggle'));
    const cells = [...details.querySelectorAll('tbody tr')].map((r) => r.children[1]!.textContent);
    assert.deepEqual(cells, ['Send', 'First token', 'Chunk 1', 'Chunk 2', 'Chunk 3', 'Chunk 4', 'Chunk 5', 'End']);
  });

  it('puts two requests on one axis, in Japanese too', () => {
    const a = traceTimeline(request(10));
    const b = traceTimeline(request(300));
    const dom = renderTimeline([{ name: 'a', timeline: a }, { name: 'b', timeline: b }], timelineJa);
    env.root.replaceChildren(dom.root);
    const lanes = [...env.root.querySelectorAll('.timeline-lane')];
    assert.equal(lanes.length, 2);
    assert.deepEqual(lanes.map((l) => l.querySelectorAll('[data-testid="timeline-chunk"]').length), [10, 300]);
    // One axis: both lanes have the same viewBox, the longer request's span.
    assert.deepEqual(new Set(lanes.map((l) => l.querySelector('svg')?.getAttribute('viewBox'))).size, 1);
    assert.equal(dom.end, b.end);
    assert.ok(env.root.textContent?.includes('最初のトークンまでの時間'));
    assert.equal(env.root.querySelector('[data-testid="timeline-ttft-1"]')?.textContent, '122 ms');
  });
});
