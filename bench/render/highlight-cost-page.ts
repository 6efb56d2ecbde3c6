// In headless Chromium (bundled by highlight-cost.ts): what highlighting one finished code block
// costs the main thread, by part, for the long answer's code blocks (issue 14, item 5).
import { highlightFragment } from '../../src/webview/render/highlight-dom';
import { highlighter } from '../../src/webview/render/highlight';
import { sanitizeHighlightHtml } from '../../src/webview/render/sanitize';

declare global {
  interface Window {
    runHighlightCost(blocks: [string, string][], rounds: number): Promise<Record<string, number>>;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

window.runHighlightCost = async (blocks, rounds) => {
  // The first highlight of each language compiles its grammar, once per page: one task each.
  const compile: Record<string, number> = {};
  for (const [language, code] of blocks) {
    if (compile[language] !== undefined) continue;
    const t = performance.now();
    highlighter.highlight(code.slice(0, 40), language);
    compile[language] = performance.now() - t;
  }
  const compileValues = Object.values(compile);
  const highlightMs: number[] = [];
  const purifyMs: number[] = [];
  const directMs: number[] = [];
  const code = document.createElement('code');
  document.body.append(code);
  for (let r = 0; r < rounds; r++) {
    let h = 0;
    let p = 0;
    let d = 0;
    for (const [language, source] of blocks) {
      let t = performance.now();
      const html = highlighter.highlight(source, language) ?? '';
      h += performance.now() - t;
      t = performance.now();
      code.replaceChildren(sanitizeHighlightHtml(html).cloneNode(true));
      p += performance.now() - t;
      t = performance.now();
      code.replaceChildren((highlightFragment(html) ?? sanitizeHighlightHtml(html)).cloneNode(true));
      d += performance.now() - t;
    }
    highlightMs.push(h);
    purifyMs.push(p);
    directMs.push(d);
  }
  return { compileLongest: Math.max(...compileValues), compileTotal: compileValues.reduce((a, b) => a + b, 0), compileTypescript: compile.ts ?? NaN, highlightMs: median(highlightMs), purifyMs: median(purifyMs), directMs: median(directMs), blocks: blocks.length };
};
