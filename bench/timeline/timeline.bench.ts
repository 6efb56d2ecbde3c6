// The stream inspector's timeline (issue 15, item 3): the time to draw the timeline of a
// 20,000-chunk request in headless Chromium, beside drawing the Mermaid sequence diagram of the
// same trace (the diagram view's Flow tab) as the baseline. Medians of the rounds.
// Run alone: `node --import tsx bench/timeline/timeline.bench.ts`; `benchTimeline()` is for bench/run.ts.
import * as esbuild from 'esbuild';
import { highlightWorkerPlugin } from '../../scripts/highlight-worker-plugin.mjs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { traceTimeline } from '../../src/core/trace/timeline-figures';
import { en, traceToMermaid } from '../../src/core/trace';
import { longTrace } from './trace';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function benchTimeline(chunks = 20_000, rounds = 5): Promise<Record<string, number>> {
  const trace = longTrace(chunks);
  let t = performance.now();
  const timeline = traceTimeline(trace);
  const figuresMs = performance.now() - t;
  t = performance.now();
  const source = traceToMermaid(trace, { detail: 'summary', labels: en });
  const mermaidSourceMs = performance.now() - t;
  const bundle = await esbuild.build({
    entryPoints: [join(__dirname, 'timeline-page.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    plugins: [highlightWorkerPlugin()],
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.setContent('<!doctype html><body></body>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const figures = await page.evaluate(([timelines, s, r]) => window.runTimelineBench(timelines, s, r), [[{ name: 'bench', timeline }], source, rounds] as const);
    return { chunks, figuresMs, mermaidSourceMs, savedBytes: JSON.stringify(trace).length, ...figures };
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  benchTimeline().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
