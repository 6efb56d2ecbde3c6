// Issue 12: the chat's frame times while 20 tool steps stream. The real chat webview (ChatApp,
// with the chat's stylesheet and a fake host connection) in headless Chromium receives, as the
// host's posted messages, an agent answer: per round a short sentence, a call whose 50 argument
// deltas are merged per host I/O turn as the host merges them, running, done with a
// 2,000-character result; 20 rounds, then the final answer streamed as text. Beside it, the same
// ChatApp receiving plain text at the same rate, as many chunks. The bar: no frame over 16 ms
// from Rill's work. The page is built and served like the render bench's (ESM with splitting, the
// webview's CSP). Run alone: `npm run bench -- agent-steps`.
import * as esbuild from 'esbuild';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { webviewSplitOptions } from '../render/render.bench';
import type { RunResult } from './steps-page';
import { frameCosts, TRACE_CATEGORIES, type FrameCosts, type TraceEvent } from './trace';

const ROOT = resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/**
 * Events per second: 100, about what a model streaming its arguments token by token sends, and
 * 1,000, the latency bench's fast rate (a burst, or a fast local model).
 */
const RATES = [100, 1000] as const;
const RUNS = 3;


function pageHtml(nonce: string): string {
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'`;
  const css = readFileSync(join(ROOT, 'media', 'chat.css'), 'utf8');
  return `<!DOCTYPE html><html><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<style>body{width:800px;font:13px sans-serif;background:#1e1e1e;color:#ddd}</style><style>${css}</style></head>
<body class="vscode-dark"><script nonce="${nonce}" type="module" src="/steps-page.js"></script></body></html>`;
}

function serve(dir: string, html: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    // Cross-origin isolation gives performance.now() its full resolution.
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    if (path === '/') return void response.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(html);
    const file = resolve(dir, `.${path}`);
    if (!file.startsWith(dir)) return void response.writeHead(403).end();
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      return void response.writeHead(404).end();
    }
    response.writeHead(200, { ...headers, 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' }).end(body);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      done({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
    }),
  );
}


/** What the run's longest main-thread task (by CPU) was made of: its longest inner events, for the log. */
function longestTask(traceJson: string): string {
  const parsed = JSON.parse(traceJson) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = (Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? [])).filter((e) => e.ph === 'X' && typeof e.ts === 'number');
  const main = events.find((e) => e.name === 'FireAnimationFrame');
  if (!main) return 'unknown (no animation frames)';
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  const cpu = (e: TraceEvent) => e.tdur ?? e.dur ?? 0;
  const task = onMain.filter((e) => e.name === 'RunTask').reduce<TraceEvent | undefined>((a, b) => (!a || cpu(b) > cpu(a) ? b : a), undefined);
  if (!task) return 'unknown (no tasks)';
  const end = task.ts! + (task.dur ?? 0);
  const inner = onMain
    .filter((e) => e !== task && e.ts! >= task.ts! && e.ts! + (e.dur ?? 0) <= end)
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, 6)
    .map((e) => `${e.name}${e.args?.data?.type ? `(${e.args.data.type})` : ''}${e.args?.data?.functionName ? `(${e.args.data.functionName})` : ''} ${((e.dur ?? 0) / 1000).toFixed(1)} ms`);
  const posted = task.args?.src_func ? ` (posted by ${task.args.src_file ?? '?'} ${task.args.src_func})` : '';
  return `${(cpu(task) / 1000).toFixed(1)} ms CPU, ${((task.dur ?? 0) / 1000).toFixed(1)} ms wall${posted}: ${inner.join(', ') || 'no traced events inside'}`;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export async function benchAgentSteps(log: (line: string) => void = () => undefined): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'rill-agent-steps-bench-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  let server: Server | undefined;
  try {
    await esbuild.build({ ...webviewSplitOptions, entryPoints: { 'steps-page': join(__dirname, 'steps-page.ts') }, outdir: dir });
    const nonce = Buffer.from(String(Math.random())).toString('base64');
    let url: string;
    ({ server, url } = await serve(dir, pageHtml(nonce)));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForFunction(() => 'agentBench' in window, undefined, { timeout: 30_000 });
    // Each run is traced, for the main thread's CPU time per frame (see trace.ts).
    const run = async (mode: 'steps' | 'text', rate: number): Promise<{ page: RunResult; cpu: FrameCosts; longestTask: string }> => {
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const result = await page.evaluate(
        ([m, r]) => (window as unknown as { agentBench: { run(mode: string, rate: number): Promise<RunResult> } }).agentBench.run(m, r),
        [mode, rate] as const,
      );
      const trace = (await browser.stopTracing()).toString('utf8');
      return { page: result, cpu: frameCosts(trace), longestTask: longestTask(trace) };
    };

    await run('steps', 1000); // warm-up (JIT, styles), not counted
    await run('text', 1000);
    const results: Record<string, number> = { runs: RUNS };
    for (const rate of RATES) {
      const byMode: Record<'steps' | 'text', Array<{ page: RunResult; cpu: FrameCosts; longestTask: string }>> = { steps: [], text: [] };
      for (let i = 0; i < RUNS; i++) {
        // Alternating which goes first, so neither always inherits the other's garbage.
        const order = i % 2 === 0 ? (['steps', 'text'] as const) : (['text', 'steps'] as const);
        for (const mode of order) byMode[mode].push(await run(mode, rate));
      }
      for (const mode of ['steps', 'text'] as const) {
        const runs = byMode[mode];
        const p = `${mode}${rate}`;
        const maxCpu = runs.map((r) => Math.max(...r.cpu.frameCpuMs));
        Object.assign(results, {
          [`${p}CpuMaxFrameMs`]: median(maxCpu),
          [`${p}CpuWorstMaxFrameMs`]: Math.max(...maxCpu),
          [`${p}CpuMedianFrameMs`]: median(runs.map((r) => median(r.cpu.frameCpuMs))),
          [`${p}CpuFramesOver16Ms`]: runs.reduce((sum, r) => sum + r.cpu.frameCpuMs.filter((ms) => ms > 16).length, 0),
          [`${p}CpuLongestTaskMs`]: Math.max(...runs.map((r) => r.cpu.longestTaskCpuMs)),
          [`${p}Frames`]: runs.reduce((sum, r) => sum + r.cpu.frameCpuMs.length, 0),
          // Wall time as the page saw it (rAF callbacks and forced layout): includes waits for a core.
          [`${p}WallMaxFrameMs`]: median(runs.map((r) => r.page.maxFrameMs)),
          [`${p}WallFramesOver16Ms`]: runs.reduce((sum, r) => sum + r.page.framesOver16Ms, 0),
          // ChatApp's handling of one host message (wall): the steps view changes the DOM there.
          [`${p}MessageMaxMs`]: median(runs.map((r) => r.page.maxMessageMs)),
          [`${p}MessagesOver16Ms`]: runs.reduce((sum, r) => sum + r.page.messagesOver16Ms, 0),
          [`${p}Messages`]: median(runs.map((r) => r.page.messages)),
          [`${p}Seconds`]: median(runs.map((r) => r.page.durationMs)) / 1000,
          [`${p}DomNodes`]: runs[0]?.page.domNodes ?? NaN,
        });
        results.events = runs[0]?.page.events ?? NaN;
        runs.forEach((r, i) => {
          const cpu = r.cpu.frameCpuMs;
          log(`${p} run ${i + 1}: longest frame ${Math.max(...cpu).toFixed(1)} ms CPU (frame ${cpu.indexOf(Math.max(...cpu))} of ${cpu.length}), ${r.page.maxFrameMs.toFixed(1)} ms wall in the page, longest message ${r.page.maxMessageMs.toFixed(1)} ms wall (${r.page.messages} messages), ${r.page.durationMs.toFixed(0)} ms in all`);
          log(`${p} run ${i + 1}: longest main-thread task ${r.longestTask}`);
          for (const detail of r.page.longFrameDetails) log(`${p} run ${i + 1}: long animation frame ${detail}`);
        });
      }
    }
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return results;
  } finally {
    await browser.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function agentStepsTable(r: Record<string, number>): string[] {
  const ms = (v: number | undefined) => `${(v ?? NaN).toFixed(1)} ms`;
  const row = (label: string, p: string) =>
    `| ${label} | ${r[`${p}Messages`]} | ${ms(r[`${p}CpuMaxFrameMs`])} / ${ms(r[`${p}CpuWorstMaxFrameMs`])} | ${r[`${p}CpuFramesOver16Ms`]} of ${r[`${p}Frames`]} | ${ms(r[`${p}CpuMedianFrameMs`])} | ${ms(r[`${p}CpuLongestTaskMs`])} | ${ms(r[`${p}WallMaxFrameMs`])}; ${r[`${p}WallFramesOver16Ms`]} over 16 ms | ${ms(r[`${p}MessageMaxMs`])}; ${r[`${p}MessagesOver16Ms`]} over 16 ms | ${r[`${p}DomNodes`]} |`;
  return [
    `The real chat webview (ChatApp, fake host connection) receives the host's messages: ${r.events} events from the model and the loop (20 rounds: a sentence, a call with 50 argument deltas, running, done with a 2,000-character result; then a 100-chunk answer) or as many 8-character text chunks, posted once per host I/O turn (one timer callback), argument deltas and text merged per turn as the host does; ${r.runs} alternating runs each. A frame's work is the main thread's CPU time for the task that ran its animation-frame callbacks, style, layout and paint (Chromium trace); the wall columns are what the page timed (callbacks and forced layout; ChatApp's message handler), waits for a core included.`,
    '',
    '| | host messages (median run) | longest frame, CPU: median / worst run (bar ≤ 16 ms) | frames over 16 ms CPU, all runs | median frame, CPU | longest main-thread task, CPU | wall: longest frame (median run); frames over 16 ms, all runs | wall: longest message handled (median run); over 16 ms, all runs | DOM nodes of the answer at the end |',
    '|---|---|---|---|---|---|---|---|---|',
    ...RATES.flatMap((rate) => [
      row(`${rate} events/s: plain text through ChatApp (baseline)`, `text${rate}`),
      row(`${rate} events/s: agent answer, 20 tool steps, through ChatApp`, `steps${rate}`),
    ]),
  ];
}

if (require.main === module) {
  benchAgentSteps((line) => process.stdout.write(`${line}\n`))
    .then((figures) => process.stdout.write(`${agentStepsTable(figures).join('\n')}\n\n${JSON.stringify(figures, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
