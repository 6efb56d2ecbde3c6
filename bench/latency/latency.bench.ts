// Issue 7's latency figures, in the real VS Code web workbench and Chromium: the local server
// stamps each chunk when it is written to the socket; the webview stamps when the chunk's text is
// in the DOM (a MutationObserver), both on the same machine's clock (`timeOrigin + now()`). At
// 100 chunks/s: p50 and p95 from socket write to DOM. At 1,000 chunks/s: p95 and the frame rate.
// Issue 14: a ~20,000-token Markdown answer at 1,000 chunks/s, its p95/p99 and the long tasks of
// the page's main thread, whole and per quarter of the answer, so that growth with length shows.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Frame } from 'playwright-core';
import { chunkChoice, chunkObject, SseScriptBuilder, startLlmServer, type LlmServer } from '../../src/local-llm';
import { openWorkbench } from '../../test/e2e/support/workbench';
import { longAnswer, longAnswerFigures } from './long-answer';

const marker = (i: number) => `⟦${i}⟧ `;

/** `count` content chunks, each carrying its number, `burst` chunks every `burst * intervalMs`. */
function markedStream(count: number, intervalMs: number, burst: number, text: (i: number) => string = marker) {
  const builder = new SseScriptBuilder().headers().data(chunkObject({}, [chunkChoice({ role: 'assistant', content: '', refusal: null })]));
  for (let i = 0; i < count; i++) {
    if (i % burst === 0) builder.sleep(intervalMs * burst);
    builder.data(chunkObject({}, [chunkChoice({ content: text(i) })]));
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

/** A long task (50 ms or more) and, when the frame's long animation frame saw them, the scripts in it. */
export interface LongTask {
  /** Epoch milliseconds, on the same clock as the server's write stamps. */
  start: number;
  duration: number;
  /** Scripts that ran in the long animation frame: where from, what called them, for how long. */
  scripts: { source: string; invoker: string; duration: number }[];
}

/**
 * Records the long tasks of `frame`'s event loop until `stopLongTasks`: the `longtask` entries
 * (every task of 50 ms or more) and the `long-animation-frame` ones (which name the scripts).
 */
async function watchLongTasks(frame: Frame): Promise<void> {
  await frame.evaluate('globalThis.__name ??= (f) => f');
  await frame.evaluate(() => {
    const tasks: { start: number; duration: number }[] = [];
    const frames: { start: number; duration: number; scripts: { source: string; invoker: string; duration: number }[] }[] = [];
    const origin = performance.timeOrigin;
    const taskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: origin + e.startTime, duration: e.duration });
    });
    taskObserver.observe({ type: 'longtask' });
    const frameObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { scripts?: { sourceURL: string; invoker: string; duration: number }[] })[]) {
        const scripts = (e.scripts ?? []).map((s) => ({ source: s.sourceURL, invoker: s.invoker, duration: s.duration }));
        frames.push({ start: origin + e.startTime, duration: e.duration, scripts });
      }
    });
    try {
      frameObserver.observe({ type: 'long-animation-frame' });
    } catch {
      // Not in this browser: the long tasks are still counted, without their scripts.
    }
    (window as unknown as { rillLongTasks: unknown }).rillLongTasks = { tasks, frames, stop: () => (taskObserver.disconnect(), frameObserver.disconnect()) };
  });
}

async function stopLongTasks(frame: Frame): Promise<LongTask[]> {
  type Recorded = { tasks: { start: number; duration: number }[]; frames: { start: number; duration: number; scripts: LongTask['scripts'] }[]; stop(): void };
  // Entries are delivered in a task of their own: let the last ones arrive first.
  await frame.waitForTimeout(200);
  const { tasks, frames } = await frame.evaluate(() => {
    const state = (window as unknown as { rillLongTasks: Recorded }).rillLongTasks;
    state.stop();
    return { tasks: state.tasks, frames: state.frames };
  });
  if (process.env.RILL_BENCH_VERBOSE) for (const f of frames) process.stderr.write(`[long answer] long animation frame ${f.duration.toFixed(0)} ms: ${JSON.stringify(f.scripts)}\n`);
  // A long task inside a long animation frame takes that frame's scripts.
  return tasks.map((task) => ({
    ...task,
    scripts: frames.find((f) => f.start <= task.start + 1 && task.start + task.duration <= f.start + f.duration + 1)?.scripts ?? [],
  }));
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function run(server: LlmServer, frame: Frame, count: number, intervalMs: number, burst: number, text?: (i: number) => string) {
  await watch(frame);
  server.enqueue(markedStream(count, intervalMs, burst, text));
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
    latencies,
    writeTimes: request.writeTimes.slice(1, count + 1),
    lastSeen: Math.max(...Object.values(seen)),
  };
}

export async function benchLatency(vsix = process.env.RILL_BENCH_VSIX || undefined): Promise<Record<string, number>> {
  const server = await startLlmServer();
  // A workbench that fails to open must not leave the server running for the benchmarks after it.
  const workbench = await openWorkbench({
    vsix,
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
    await workbench.runCommand('Rill: New Chat');
    const long = await runLong(server, frame, workbench.page.mainFrame());
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
      ...long,
    };
  } finally {
    await workbench.close();
    await server.close();
  }
}

/**
 * Issue 14: a ~20,000-token Markdown answer (long-answer.ts) at 1,000 chunks/s, as the fast run
 * sends its chunks; long tasks recorded in the webview and, apart, in the workbench's page.
 * RILL_BENCH_TRACE=<file> also writes a Chromium trace of the run there.
 */
async function runLong(server: LlmServer, frame: Frame, workbenchFrame: Frame): Promise<Record<string, number>> {
  const answer = longAnswer(marker);
  await watchLongTasks(frame);
  await watchLongTasks(workbenchFrame);
  const traceFile = process.env.RILL_BENCH_TRACE;
  const browser = workbenchFrame.page().context().browser();
  if (traceFile && browser) await browser.startTracing(workbenchFrame.page(), { categories: (process.env.RILL_BENCH_TRACE_CATEGORIES ?? 'devtools.timeline,blink.user_timing').split(',') });
  // RILL_BENCH_PROFILE=<file>: a V8 CPU profile of the page's main thread (the webview shares it).
  const profileFile = process.env.RILL_BENCH_PROFILE;
  const cdp = profileFile ? await workbenchFrame.page().context().newCDPSession(workbenchFrame.page()) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  // The page's main thread (the webview's too) during the answer, from Chromium's own counters in
  // thread time (what the thread ran, not what it waited for): steadier between runs than a p95,
  // so it shows what a change to the page's work did.
  const metrics = await workbenchFrame.page().context().newCDPSession(workbenchFrame.page());
  await metrics.send('Performance.enable', { timeDomain: 'threadTicks' });
  const before = await mainThread(metrics);
  const result = await run(server, frame, answer.chunks.length, 1, 4, (i) => answer.chunks[i] ?? '');
  const after = await mainThread(metrics);
  await metrics.detach();
  if (cdp && profileFile) writeFileSync(profileFile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  if (traceFile && browser) writeFileSync(traceFile, await browser.stopTracing());
  const webviewTasks = await stopLongTasks(frame);
  const workbenchTasks = await stopLongTasks(workbenchFrame);
  if (process.env.RILL_BENCH_VERBOSE) {
    for (const task of webviewTasks) process.stderr.write(`[long answer] webview task ${task.duration.toFixed(0)} ms at +${(task.start - (result.writeTimes[0] ?? 0)).toFixed(0)} ms: ${JSON.stringify(task.scripts)}\n`);
  }
  return {
    longChunks: answer.chunks.length,
    longChars: answer.chars,
    longRate: result.chunksPerSecond,
    longFps: result.framesPerSecond,
    longLongestFrameMs: result.longestFrameMs,
    ...hops('long', result),
    longMainTaskMs: after.task - before.task,
    longMainScriptMs: after.script - before.script,
    longMainLayoutMs: after.layout - before.layout,
    longMainStyleMs: after.style - before.style,
    longMainLayouts: after.layouts - before.layouts,
    longSeconds: ((result.writeTimes.at(-1) ?? 0) - (result.writeTimes[0] ?? 0)) / 1000,
    ...longAnswerFigures(result, webviewTasks),
    ...longAnswerFigures(result, workbenchTasks, 'longWorkbench'),
  };
}

/** The long answer alone, in a workbench of its own (to look into it without the other runs). */
export async function benchLongAnswer(vsix?: string): Promise<Record<string, number>> {
  const server = await startLlmServer();
  const workbench = await openWorkbench({
    vsix,
    settings: { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-bench' },
  }).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  try {
    await workbench.runCommand('Rill: Open Chat');
    const frame = await workbench.webviewFrame('[data-testid="chat-input"]');
    return await runLong(server, frame, workbench.page.mainFrame());
  } finally {
    await workbench.close();
    await server.close();
  }
}

/** Main-thread time so far (ms) in tasks, script, layout and style, and the count of layouts. */
async function mainThread(cdp: CDPSession): Promise<{ task: number; script: number; layout: number; style: number; layouts: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { task: get('TaskDuration') * 1000, script: get('ScriptDuration') * 1000, layout: get('LayoutDuration') * 1000, style: get('RecalcStyleDuration') * 1000, layouts: get('LayoutCount') };
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
