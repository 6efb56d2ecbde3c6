// `npm run bench`: every benchmark, each measured side by side with its baseline in the same run.
// Figures are printed as tables and written to bench-results/latest.json; BENCHMARKS.md records
// them with the machine they came from. Nothing here is a test: no figure fails the run.
// `npm run bench -- latency render` runs only the benchmarks named (engine, render, sizes, latency).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchEngine } from './engine.bench';
import { benchLatency } from './latency/latency.bench';
import { benchRender, renderTable } from './render/render.bench';
import { buildProduction, bundleSizes } from './sizes';

const ms = (n: number | undefined) => `${(n ?? NaN).toFixed(1)} ms`;
const kb = (n: number | undefined) => `${((n ?? NaN) / 1024).toFixed(0)} KB`;
const say = (lines: string[]) => process.stdout.write(`${lines.join('\n')}\n\n`);

const NAMES = ['engine', 'render', 'sizes', 'latency'] as const;

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(NAMES as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`Unknown benchmark ${unknown.join(', ')}; choose from ${NAMES.join(', ')}.`);
  const wanted = (name: (typeof NAMES)[number]) => asked.length === 0 || asked.includes(name);
  const results: Record<string, Record<string, number>> = {};
  say([`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`]);

  if (wanted('engine')) {
    const engine = (results.engine = await benchEngine());
    say([
      'Stream engine vs bare for-await over the same openai SDK stream (20,000 chunks, loopback)',
      '| | CPU per chunk | chunks/s |',
      '|---|---|---|',
      `| bare \`for await\` (baseline) | ${engine.bareCpuUsPerChunk?.toFixed(2)} µs | ${Math.round(engine.bareChunksPerSecond ?? 0)} |`,
      `| Rill engine (runChat) | ${engine.engineCpuUsPerChunk?.toFixed(2)} µs | ${Math.round(engine.engineChunksPerSecond ?? 0)} |`,
      `| ratio (bar: ≤ 1.2, ≥ 20,000 chunks/s) | ${engine.cpuRatio?.toFixed(3)} | |`,
    ]);
  }

  if (wanted('render')) {
    const render = (results.render = await benchRender());
    say(['Streaming render vs one-shot, full re-render and Cline-style baselines (headless Chromium)', renderTable(render)]);
  }

  if (wanted('sizes')) {
    const sizes = (results.sizes = bundleSizes());
    say([
      'Production bundles',
      `| dist/extension.js (bar: 1 MB) | ${kb(sizes.extensionBytes)} |`,
      `| chat webview, initial script (bar: 400 KB) | ${kb(sizes.webviewInitialBytes)} |`,
      `| chat webview, loaded on demand (highlighting, Mermaid) | ${kb(sizes.webviewOnDemandBytes)} |`,
      `| flow diagram view (Mermaid) | ${kb(sizes.diagramViewBytes)} |`,
    ]);
  }

  if (wanted('latency')) {
    // The workbench loads the build in dist/: the production one, as users get it.
    if (!wanted('sizes')) buildProduction();
    const latency = (results.latency = await benchLatency());
    say([
      'Socket write to DOM in the real VS Code web workbench (Chromium)',
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
    ]);
  }

  const dir = join(__dirname, '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
