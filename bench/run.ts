// `npm run bench`: every benchmark, each measured side by side with its baseline in the same run.
// Figures are printed as tables and written to bench-results/latest.json; BENCHMARKS.md records
// them with the machine they came from. Nothing here is a test: no figure fails the run. A
// benchmark that cannot measure says so in its table and the others still run (bench/runner.ts);
// the exit code is then 1, so that a run with missing figures is not mistaken for a full one.
// `npm run bench -- latency render` runs only the benchmarks named (engine, render, sizes, latency,
// highlight, agent-loop, agent-steps, scale, sessions, recording).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { agentLoopTable, benchAgentLoop } from './agent/loop.bench';
import { agentStepsTable, benchAgentSteps } from './agent/steps.bench';
import { benchEngine } from './engine.bench';
import { benchLatency } from './latency/latency.bench';
import { benchHighlightCost } from './render/highlight-cost';
import { benchRender, renderTable } from './render/render.bench';
import { benchTimeline } from './timeline/timeline.bench';
import { benchRecording, recordingTable } from './recording/recording.bench';
import { benchScale, scaleTable } from './scale/scale.bench';
import { runBenchmarks, type Benchmark } from './runner';
import { benchSessions, sessionsTable } from './sessions/store.bench';
import { bundleSizes } from './sizes';

const ms = (n: number | undefined) => `${(n ?? NaN).toFixed(1)} ms`;
const kb = (n: number | undefined) => `${((n ?? NaN) / 1024).toFixed(0)} KB`;
const say = (lines: string[]) => process.stdout.write(`${lines.join('\n')}\n\n`);

/** Issue 14: the long answer, whole and per quarter (bench/latency/long-answer.ts). */
function longAnswerTable(latency: Record<string, number>): string[] {
  const row = (label: string, p: string) =>
    `| ${label} | ${ms(latency[`${p}P95`])} | ${ms(latency[`${p}P99`])} | ${latency[`${p}Tasks`] ?? NaN} | ${ms(latency[`${p}TaskMs`])} | ${ms(latency[`${p}LongestTask`])} |`;
  return [
    `Long answer: ${latency.longChunks} chunks, ${latency.longChars} characters of Markdown at 1,000 chunks/s (achieved ${latency.longRate?.toFixed(0)}; ${latency.longFps?.toFixed(1)} frames/s); long tasks seen by the webview (it shares the workbench's main thread)`,
    '| | p95 | p99 | long tasks | their total | longest |',
    '|---|---|---|---|---|---|',
    row('whole answer (bar: p95 ≤ 50 ms, no task ≥ 50 ms of Rill\'s)', 'long'),
    ...[1, 2, 3, 4].map((q) => row(`quarter ${q}`, `longQ${q}`)),
    '',
    `The page's main thread (workbench and webview) over the answer's ${latency.longSeconds?.toFixed(1)} s, from Chromium's counters (\`Performance.getMetrics\`)`,
    '| busy in tasks | of which: script | layout | style | layouts |',
    '|---|---|---|---|---|',
    `| ${ms(latency.longMainTaskMs)} | ${ms(latency.longMainScriptMs)} | ${ms(latency.longMainLayoutMs)} | ${ms(latency.longMainStyleMs)} | ${latency.longMainLayouts} |`,
  ];
}

const BENCHMARKS: Benchmark[] = [
  {
    name: 'engine',
    title: 'Stream engine vs bare for-await over the same openai SDK stream (20,000 chunks, loopback)',
    measure: benchEngine,
    table: (engine) => [
      '| | CPU per chunk | chunks/s |',
      '|---|---|---|',
      `| bare \`for await\` (baseline) | ${engine.bareCpuUsPerChunk?.toFixed(2)} µs | ${Math.round(engine.bareChunksPerSecond ?? 0)} |`,
      `| Rill engine (runChat) | ${engine.engineCpuUsPerChunk?.toFixed(2)} µs | ${Math.round(engine.engineChunksPerSecond ?? 0)} |`,
      `| ratio (bar: ≤ 1.2, ≥ 20,000 chunks/s) | ${engine.cpuRatio?.toFixed(3)} | |`,
    ],
  },
  {
    name: 'render',
    title: 'Streaming render vs one-shot, full re-render and Cline-style baselines (headless Chromium)',
    measure: () => benchRender(),
    table: (render) => [renderTable(render)],
  },
  {
    name: 'sizes',
    title: 'What ships: dist/rill.vsix (npm run package) and the bundles in it',
    measure: bundleSizes,
    table: (sizes) => [
      '| | size |',
      '|---|---|',
      `| dist/rill.vsix | ${sizes.vsixBytes} bytes (${kb(sizes.vsixBytes)}), ${sizes.vsixFiles} files |`,
      `| dist/extension.js (bar: 1 MB) | ${kb(sizes.extensionBytes)} |`,
      `| chat webview, initial script (bar: 400 KB) | ${kb(sizes.webviewInitialBytes)} |`,
      `| chat webview, loaded on demand (highlighting, Mermaid) | ${kb(sizes.webviewOnDemandBytes)} |`,
      `| flow diagram view (Mermaid) | ${kb(sizes.diagramViewBytes)} |`,
    ],
  },
  {
    name: 'latency',
    title: 'Socket write to DOM in the real VS Code web workbench (Chromium), Rill installed from dist/rill.vsix',
    // The workbench installs dist/rill.vsix, packaged again first if the sources changed.
    measure: benchLatency,
    timeoutMs: 15 * 60_000,
    table: (latency) => [
      '| | achieved chunks/s | p50 | p95 | max | frames/s | longest frame |',
      '|---|---|---|---|---|---|---|',
      `| 100 chunks/s (bar: p95 ≤ 25 ms) | ${latency.slowRate?.toFixed(0)} | ${ms(latency.slowP50)} | ${ms(latency.slowP95)} | ${ms(latency.slowMax)} | | |`,
      `| 1,000 chunks/s (bar: p95 ≤ 50 ms, ≥ 50 frames/s) | ${latency.fastRate?.toFixed(0)} | ${ms(latency.fastP50)} | ${ms(latency.fastP95)} | ${ms(latency.fastMax)} | ${latency.fastFps?.toFixed(1)} | ${ms(latency.fastLongestFrameMs)} |`,
      `| activation (bar: 50 ms) | ${ms(latency.activationMs)} | | | | | |`,
      '',
      'Where the time goes: server write → the message in the webview (transport), then → DOM (render)',
      '| | messages | transport p50 | transport p95 | render p50 | render p95 |',
      '|---|---|---|---|---|---|',
      `| 100 chunks/s | ${latency.slowMessages} | ${ms(latency.slowTransportP50)} | ${ms(latency.slowTransportP95)} | ${ms(latency.slowRenderP50)} | ${ms(latency.slowRenderP95)} |`,
      `| 1,000 chunks/s | ${latency.fastMessages} | ${ms(latency.fastTransportP50)} | ${ms(latency.fastTransportP95)} | ${ms(latency.fastRenderP50)} | ${ms(latency.fastRenderP95)} |`,
      `| long answer | ${latency.longMessages} | ${ms(latency.longTransportP50)} | ${ms(latency.longTransportP95)} | ${ms(latency.longRenderP50)} | ${ms(latency.longRenderP95)} |`,
      '',
      ...longAnswerTable(latency),
    ],
  },
  {
    name: 'highlight',
    title: "Highlighting the long answer's 20 code blocks, main thread, headless Chromium (issue 14): highlight.js's HTML into the DOM sanitised (before) vs read directly (after), same run",
    measure: () => benchHighlightCost(),
    table: (h) => [
      '| 20 blocks, median of 15 rounds | main thread |',
      '|---|---|',
      `| highlight.js itself | ${ms(h.highlightMs)} |`,
      `| its HTML into the DOM: innerHTML + DOMPurify (before) | ${ms(h.purifyMs)} |`,
      `| its HTML into the DOM: read directly, render/highlight-dom.ts (after) | ${ms(h.directMs)} |`,
      `| compiling each language's grammar on its first highlight, once per page: longest (TypeScript ${ms(h.compileTypescript)}) / all 8 | ${ms(h.compileLongest)} / ${ms(h.compileTotal)} |`,
    ],
  },
  { name: 'agent-loop', title: "Agent loop's own CPU per round vs the same requests bare (issue 12, loopback)", measure: benchAgentLoop, table: agentLoopTable },
  { name: 'sessions', title: 'Saved sessions (issue 14): first listing from the index vs parsing every file; bytes written while streaming, log vs whole file', measure: benchSessions, table: sessionsTable },
  { name: 'agent-steps', title: 'Frame times while 20 tool steps stream vs plain text at the same rate (issue 12, headless Chromium)', measure: () => benchAgentSteps(), table: agentStepsTable },
  {
    name: 'scale',
    title: 'Long conversation and many saved ones vs an empty profile, real VS Code web workbench (issue 14), Rill installed from a .vsix',
    // RILL_BENCH_VSIX, RILL_SCALE_ROUNDS, RILL_SCALE_BIG, RILL_SCALE_BIG_ROUNDS: see bench/scale/scale.bench.ts.
    measure: () => benchScale(),
    // About 5 minutes on an idle machine; several times that under load.
    timeoutMs: 60 * 60_000,
    table: scaleTable,
  },
  { name: 'recording', title: 'Stream recorder (issue 15): CPU per chunk with the capture beside none, same stream, same run (loopback, real openai SDK); cost of saving the recording', measure: benchRecording, table: recordingTable },
  {
    name: 'timeline',
    title: "Stream inspector (issue 15): drawing a 20,000-chunk request's timeline vs the Mermaid diagram of the same trace (headless Chromium, medians of 5)",
    measure: () => benchTimeline(),
    table: (t) => [
      '| 20,000 chunks | time |',
      '|---|---|',
      `| Mermaid sequence diagram, rendered and painted (baseline) | ${ms(t.mermaidMs)} |`,
      `| timeline: DOM (one SVG mark per chunk, tables) | ${ms(t.timelineDomMs)} |`,
      `| timeline: DOM, uPlot chart, layout and paint | ${ms(t.timelineMs)} |`,
      `| its figures in Node (core/trace/timeline-figures.ts) | ${ms(t.figuresMs)} |`,
      `| the trace as JSON in memory (saved only up to 2,000 chunks) | ${kb(t.savedBytes)} |`,
    ],
  },
];

async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  const names = BENCHMARKS.map((b) => b.name);
  const unknown = asked.filter((name) => !names.includes(name));
  if (unknown.length) throw new Error(`Unknown benchmark ${unknown.join(', ')}; choose from ${names.join(', ')}.`);
  say([`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`]);

  const wanted = BENCHMARKS.filter((b) => asked.length === 0 || asked.includes(b.name));
  const { results, failures } = await runBenchmarks(wanted, say, (text) => process.stderr.write(`${text}\n`));

  const dir = join(__dirname, '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results, failures }, null, 2)}\n`);
  const failed = Object.keys(failures);
  if (failed.length) say([`${failed.length} of ${wanted.length} benchmarks failed: ${failed.join(', ')} (their tables above say why).`]);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
