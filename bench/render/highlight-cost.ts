// What highlighting a finished code block costs the main thread, by part, in headless Chromium:
// issue 14, item 5 (the long answer). Run: `node --import tsx bench/render/highlight-cost.ts`.
// Per block: highlight.js itself, then its HTML into the DOM two ways: parsed and sanitised
// (innerHTML + DOMPurify, before) or read directly (render/highlight-dom.ts, after); and the
// one-off compile of each language's grammar on its first highlight.
// Same page, same blocks (the long answer's 20, without markers), medians of the rounds.
import * as esbuild from 'esbuild';
import { highlightWorkerPlugin } from '../../scripts/highlight-worker-plugin.mjs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { benchDocument } from './document';

export async function benchHighlightCost(rounds = 15): Promise<Record<string, number>> {
  const text = benchDocument();
  const blocks = [...text.matchAll(/```(\w+)\n([\s\S]*?)\n```/g)].map((m) => [m[1]!, m[2]!] as [string, string]).filter(([language]) => language !== 'mermaid');
  const bundle = await esbuild.build({
    entryPoints: [join(__dirname, 'highlight-cost-page.ts')],
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
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><body></body>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    return await page.evaluate(([b, r]) => window.runHighlightCost(b, r), [blocks, rounds] as const);
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  benchHighlightCost().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
