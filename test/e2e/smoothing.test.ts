import { strict as assert } from 'node:assert';
import type { Frame } from 'playwright-core';
import { chatStream, startLlmServer, type LlmServer } from '../../src/local-llm';
import { ANSWERS, openChat, openTimeline, send, waitForAnswer } from './support/chat';
import { openWorkbench, type Workbench } from './support/workbench';

// Issue 15, item 4: `rill.render.smoothing` on a bursty stream (Azure's default content filter
// releases text in bursts of a few hundred characters with pauses between them), in the real
// workbench. The webview is watched from inside: when each `textAppended` reached it, and, every
// animation frame, how much of the answer was on screen.

const BURST_CHARS = 240;
const BURST_GAP_MS = 350;
const MAX_LAG_MS = 100;

/** Plain words, no Markdown: what is on screen is a prefix of what arrived, character for character. */
function burstyText(bursts: number): string {
  const words = ['stream', 'burst', 'filter', 'token', 'smooth', 'arrive', 'reveal', 'frame'];
  let text = '';
  for (let i = 0; text.length < bursts * BURST_CHARS; i++) text += `${words[i % words.length]}${i} `;
  return text.slice(0, bursts * BURST_CHARS - 1) + '.';
}

interface Watch {
  arrivals: Array<[at: number, total: number]>;
  samples: Array<[at: number, shown: number]>;
  finishedAt?: number;
}

/** Starts watching answer n (not yet added): its arrivals and, each frame, its length on screen. */
async function watch(chat: Frame): Promise<void> {
  // tsx names the functions below with an `__name` helper that the page does not have.
  await chat.evaluate('globalThis.__name ??= (f) => f');
  await chat.evaluate((answers) => {
    const w: Watch & { total: number; stop?: boolean } = { arrivals: [], samples: [], total: 0 };
    (window as unknown as { __smoothWatch: typeof w }).__smoothWatch = w;
    const before = document.querySelectorAll(answers).length;
    window.addEventListener('message', (event: MessageEvent<{ type?: string; text?: string }>) => {
      if (event.data?.type === 'textAppended') w.arrivals.push([performance.now(), (w.total += event.data.text?.length ?? 0)]);
      if (event.data?.type === 'messageFinished') w.finishedAt ??= performance.now();
    });
    const sample = () => {
      const answer = document.querySelectorAll(answers)[before];
      const body = answer?.querySelector('[data-testid="message-body"]')?.textContent ?? '';
      w.samples.push([performance.now(), body.trim().length]);
      if (!w.stop) requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  }, ANSWERS);
}

async function collect(chat: Frame): Promise<Watch> {
  return chat.evaluate(() => {
    const w = (window as unknown as { __smoothWatch: Watch & { stop?: boolean } }).__smoothWatch;
    w.stop = true;
    return { arrivals: w.arrivals, samples: w.samples, finishedAt: w.finishedAt };
  });
}

describe('smoothing for bursty providers (rill.render.smoothing)', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;

  before(async function () {
    server = await startLlmServer();
    workbench = await openWorkbench({
      settings: {
        'rill.agent.enabled': false,
        'rill.provider': 'openai-compatible',
        'rill.baseUrl': server.url,
        'rill.model': 'rill-e2e',
        'rill.render.smoothing': true,
      },
      loadTimeoutMs: 90_000,
    });
    chat = await openChat(workbench);
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
  });

  it('reveals each burst over several frames, never more than 100 ms after it arrived, and the finished answer at once', async function () {
    const text = burstyText(6);
    server.enqueue(chatStream({ text, chunkSize: BURST_CHARS, delayMs: BURST_GAP_MS }));
    await watch(chat);
    const n = await send(chat, 'A bursty answer, please');
    await waitForAnswer(chat, n, 'done', 30_000);
    await new Promise((r) => setTimeout(r, 200));
    const { arrivals, samples, finishedAt } = await collect(chat);

    assert.equal(arrivals.at(-1)?.[1], text.length, 'every character reached the webview');
    assert.ok(arrivals.length >= 5, `bursts seen: ${arrivals.length}`);
    const late: string[] = [];
    const lags: number[] = [];
    let spread = 0;
    for (const [at, total] of arrivals) {
      // The first frame that showed all of it; the frame before it had not (the text appeared in between).
      const i = samples.findIndex(([t, shown]) => t >= at && shown >= total - 1);
      assert.ok(i > 0, `the text up to ${total} characters was shown (samples: ${samples.length})`);
      const previous = samples[i - 1]![0];
      lags.push(Math.round(samples[i]![0] - at));
      if (previous - at > MAX_LAG_MS) late.push(`${total} chars: not yet all shown ${Math.round(previous - at)} ms after arriving`);
      // Frames in between that showed part of this burst: the burst was revealed, not dropped in at once.
      const partial = samples.filter(([t, shown]) => t >= at && t < samples[i]![0] && shown > total - BURST_CHARS && shown < total - 1);
      if (partial.length >= 2) spread++;
    }
    console.log(`      ${arrivals.length} bursts; all of each on screen after ${lags.join(', ')} ms (the frame that showed it); ${spread} revealed over several frames`);
    assert.deepEqual(late, []);
    assert.ok(spread >= 2, `bursts revealed over several frames: ${spread} of ${arrivals.length}`);

    // Finished answers are never delayed: the first frame after messageFinished shows the whole answer.
    assert.ok(finishedAt !== undefined);
    const after = samples.find(([t]) => t > finishedAt + 1);
    assert.ok(after && after[1] === text.length, `whole answer at the first frame after it finished (${after?.[1]} of ${text.length})`);
    const body = await chat.locator(ANSWERS).nth(n).locator('[data-testid="message-body"]').textContent();
    assert.equal(body?.trim(), text, 'the text is whole and in order');
  });

  it('shows the paints beside the chunks in the answer\'s timeline', async function () {
    const n = (await chat.locator(ANSWERS).count()) - 1;
    const frame = await openTimeline(workbench, chat, n);
    const chunks = await frame.locator('[data-testid="timeline-chunk"]').count();
    const paints = await frame.locator('[data-testid="timeline-paint"]').count();
    assert.ok(chunks >= 5);
    assert.ok(paints > chunks, `more paints (${paints}) than chunks (${chunks}): each burst was revealed in steps`);
    assert.match((await frame.textContent('[data-testid="timeline-display-lag"]')) ?? '', /^95th percentile [\d.]+ ms, largest [\d.]+ ms$/);
    assert.equal(await frame.locator('.timeline-display canvas').count() > 0, true, 'the arrived and shown chart is drawn');
    await workbench.runCommand('View: Close Editor');
  });
});
