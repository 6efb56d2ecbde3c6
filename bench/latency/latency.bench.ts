// Issue 7's latency figures, in the real VS Code web workbench and Chromium: the local server
// stamps each chunk when it is written to the socket; the webview stamps when the chunk's text is
// in the DOM (a MutationObserver), both on the same machine's clock (`timeOrigin + now()`). At
// 100 chunks/s: p50 and p95 from socket write to DOM. At 1,000 chunks/s: p95 and the frame rate.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chunkChoice, chunkObject, SseScriptBuilder, startLlmServer, type LlmServer } from '../../src/local-llm';
import { openWorkbench } from '../../test/e2e/support/workbench';

const marker = (i: number) => `⟦${i}⟧ `;

/** `count` content chunks, each carrying its number, `burst` chunks every `burst * intervalMs`. */
function markedStream(count: number, intervalMs: number, burst: number) {
  const builder = new SseScriptBuilder().headers().data(chunkObject({}, [chunkChoice({ role: 'assistant', content: '', refusal: null })]));
  for (let i = 0; i < count; i++) {
    if (i % burst === 0) builder.sleep(intervalMs * burst);
    builder.data(chunkObject({}, [chunkChoice({ content: marker(i) })]));
  }
  return builder.data(chunkObject({}, [chunkChoice({}, 'stop')])).done().build('end', 'latency');
}

async function watch(frame: Frame): Promise<void> {
  // tsx keeps function names through a `__name` helper that the page does not have.
  await frame.evaluate('globalThis.__name ??= (f) => f');
  await frame.evaluate(() => {
    const seen: Record<number, number> = {};
    const received: Record<number, number> = {};
    const frames: number[] = [];
    const state = { seen, received, frames, messages: 0, active: true };
    (window as unknown as { rillLatency: typeof state }).rillLatency = state;
    const log = document.querySelector('[data-testid="messages"]');
    if (!log) throw new Error('no message log');
    // Only what each mutation added is scanned, so the measurement costs the same per chunk
    // however long the answer grows.
    const pattern = /⟦(\d+)⟧/g;
    const note = (text: string | null | undefined, now: number, into = seen) => {
      if (!text) return;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        const n = Number(m[1]);
        if (into[n] === undefined) into[n] = now;
      }
    };
    // When the host's message reached the webview (the app's own listener runs in the same dispatch):
    // this splits the path into transport (server → host → webview) and render (message → DOM).
    const onMessage = (event: MessageEvent<{ type?: string; text?: string }>) => {
      if (event.data?.type !== 'textAppended') return;
      state.messages++;
      note(event.data.text, performance.timeOrigin + performance.now(), received);
    };
    window.addEventListener('message', onMessage);
    const observer = new MutationObserver((records) => {
      const now = performance.timeOrigin + performance.now();
      for (const record of records) {
        if (record.type === 'characterData') note(record.target.textContent, now);
        for (const node of record.addedNodes) note(node.textContent, now);
      }
    });
    observer.observe(log, { childList: true, subtree: true, characterData: true });
    const tick = (t: number) => {
      frames.push(performance.timeOrigin + t);
      if (state.active) requestAnimationFrame(tick);
      else {
        observer.disconnect();
        window.removeEventListener('message', onMessage);
      }
    };
    requestAnimationFrame(tick);
  });
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function run(server: LlmServer, frame: Frame, count: number, intervalMs: number, burst: number) {
  await watch(frame);
  server.enqueue(markedStream(count, intervalMs, burst));
  const before = server.requests.length;
  await frame.fill('[data-testid="chat-input"]', `latency run at ${1000 / intervalMs} chunks/s`);
  await frame.press('[data-testid="chat-input"]', 'Enter');
  const request = await server.waitForClose(before, 120_000);
  await frame.waitForFunction((n) => Object.keys((window as unknown as { rillLatency: { seen: object } }).rillLatency.seen).length >= n, count, { timeout: 30_000 });
  type Stamps = Record<number, number>;
  const { seen, received, frames, messages } = await frame.evaluate(() => {
    const state = (window as unknown as { rillLatency: { seen: Stamps; received: Stamps; frames: number[]; messages: number; active: boolean } }).rillLatency;
    state.active = false;
    return { seen: state.seen, received: state.received, frames: state.frames, messages: state.messages };
  });
  // Write 0 is the role chunk; marker i went out in write i + 1.
  const latencies = Array.from({ length: count }, (_, i) => (seen[i] ?? NaN) - (request.writeTimes[i + 1] ?? NaN));
  const transport = Array.from({ length: count }, (_, i) => (received[i] ?? NaN) - (request.writeTimes[i + 1] ?? NaN));
  const render = Array.from({ length: count }, (_, i) => (seen[i] ?? NaN) - (received[i] ?? NaN));
  const first = request.writeTimes[1] ?? 0;
  const last = request.writeTimes[count] ?? 0;
  const during = frames.filter((t) => t >= first && t <= last);
  const gaps = during.slice(1).map((t, i) => t - (during[i] ?? t));
  return {
    chunksPerSecond: ((count - 1) * 1000) / (last - first),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: Math.max(...latencies),
    framesPerSecond: ((during.length - 1) * 1000) / ((during.at(-1) ?? 0) - (during[0] ?? 0)),
    longestFrameMs: Math.max(...gaps),
    messages,
    transportP50: percentile(transport, 50),
    transportP95: percentile(transport, 95),
    renderP50: percentile(render, 50),
    renderP95: percentile(render, 95),
  };
}

export async function benchLatency(): Promise<Record<string, number>> {
  const server = await startLlmServer();
  // A workbench that fails to open must not leave the server running for the benchmarks after it.
  const workbench = await openWorkbench({
    settings: { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-bench' },
  }).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  try {
    await workbench.runCommand('Rill: Open Chat');
    const frame = await workbench.webviewFrame('[data-testid="chat-input"]');
    const slow = await run(server, frame, 500, 10, 1);
    await workbench.runCommand('Rill: New Chat');
    const fast = await run(server, frame, 3000, 1, 4);
    return {
      activationMs: activationTime(workbench.userDataDir()),
      slowRate: slow.chunksPerSecond,
      slowP50: slow.p50,
      slowP95: slow.p95,
      slowMax: slow.max,
      fastRate: fast.chunksPerSecond,
      fastP50: fast.p50,
      fastP95: fast.p95,
      fastMax: fast.max,
      fastFps: fast.framesPerSecond,
      fastLongestFrameMs: fast.longestFrameMs,
      ...hops('slow', slow),
      ...hops('fast', fast),
    };
  } finally {
    await workbench.close();
    await server.close();
  }
}

type Run = Awaited<ReturnType<typeof run>>;
const hops = (prefix: string, r: Run): Record<string, number> => ({
  [`${prefix}Messages`]: r.messages,
  [`${prefix}TransportP50`]: r.transportP50,
  [`${prefix}TransportP95`]: r.transportP95,
  [`${prefix}RenderP50`]: r.renderP50,
  [`${prefix}RenderP95`]: r.renderP95,
});

/** The extension logs how long `activate()` took; its log file is somewhere under the user data. */
function activationTime(dir: string): number {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.log'));
  for (const file of files) {
    const match = /Rill activated in ([\d.]+) ms/.exec(readFileSync(join(file.parentPath, file.name), 'utf8'));
    if (match) return Number(match[1]);
  }
  return NaN;
}
