// Runs in headless Chromium (bundled by render.bench.ts with esbuild: ESM, code splitting, so the
// lazy highlight.js and Mermaid chunks load exactly as they would in the webview). Each scenario
// renders into its own visible container and reports times in milliseconds.
import DOMPurify from 'dompurify';
import { Marked, type Token } from 'marked';
import { StreamingMarkdown, decorationWork, preloadDecorations, renderMarkdownInto } from '../../src/webview/render/index';
import type { Highlighter, MermaidApi, RenderOptions } from '../../src/webview/render/types';

// ---- Baselines -------------------------------------------------------------------------------

/** The old per-message renderer (src/webview/markdown.ts before this work): marked + DOMPurify. */
const baselineMarked = new Marked({ gfm: true, breaks: false, async: false });
const purifier = DOMPurify(window);
purifier.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'href' && !/^(?:https?:|mailto:|#)/i.test(data.attrValue.trim())) data.keepAttr = false;
});
const BASELINE_CONFIG = {
  RETURN_DOM_FRAGMENT: true as const,
  FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'svg', 'math'],
  FORBID_ATTR: ['style', 'srcset'],
  ALLOW_DATA_ATTR: false,
};
function baselineFragment(html: string): DocumentFragment {
  return purifier.sanitize(html, BASELINE_CONFIG) as unknown as DocumentFragment;
}

/** Cline-style: lex the whole text per update, keep top-level blocks whose raw did not change. */
class ClineStyle {
  private blocks: Array<{ raw: string; nodes: ChildNode[] }> = [];
  constructor(private readonly container: HTMLElement) {}
  update(text: string): void {
    const tokens = baselineMarked.lexer(text);
    let same = 0;
    while (same < tokens.length && same < this.blocks.length && this.blocks[same]!.raw === tokens[same]!.raw) same++;
    for (const block of this.blocks.splice(same)) for (const node of block.nodes) node.remove();
    for (const token of tokens.slice(same) as Token[]) {
      const fragment = baselineFragment(baselineMarked.parser([token]));
      const nodes = Array.from(fragment.childNodes);
      this.container.append(fragment);
      this.blocks.push({ raw: token.raw, nodes });
    }
  }
}

// ---- Helpers ----------------------------------------------------------------------------------

function container(): HTMLElement {
  const element = document.createElement('div');
  element.className = 'message';
  document.body.append(element);
  return element;
}

let highlighter: Highlighter | undefined;
let mermaid: MermaidApi | undefined;

/**
 * Fresh loader functions (so each run starts with empty caches) returning the preloaded modules.
 * 'highlight': highlight.js only (the Mermaid block stays code): the runs whose totals are compared.
 * 'all': highlight.js and Mermaid (the diagram is one async draw, timed apart).
 */
function decorations(mode: boolean | 'highlight' | 'all'): RenderOptions {
  const off = () => Promise.reject(new Error('off'));
  if (!mode) return { loadHighlighter: off, loadMermaid: off };
  return { loadHighlighter: async () => highlighter!, loadMermaid: mode === 'all' ? async () => mermaid! : off };
}

const now = () => performance.now();

// ---- Scenarios --------------------------------------------------------------------------------

async function setup(): Promise<{ chunksLoaded: boolean; crossOriginIsolated: boolean; violations: string[] }> {
  const violations: string[] = [];
  document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  highlighter = (await import('../../src/webview/render/highlight')).highlighter;
  mermaid = (await import('mermaid')).default as unknown as MermaidApi;
  return { chunksLoaded: Boolean(highlighter && mermaid), crossOriginIsolated: globalThis.crossOriginIsolated, violations };
}

/**
 * (a) Rill: one append + forced render per chunk; then finish; then wait for the diagram. The
 * loop holds nothing else (clock reads only every 1,000 updates), so its time is the renderer's.
 */
async function rill(chunks: string[], decorate: boolean, liveParseBudget?: number) {
  const element = container();
  const options = decorations(decorate ? 'highlight' : false);
  await preloadDecorations(options, { highlight: decorate });
  const view = new StreamingMarkdown(element, { ...options, liveParseBudget });
  const highlightBefore = decorationWork.highlightMs;
  const marks: number[] = [];
  const lastStart = chunks.length - 1000;
  const start = now();
  for (let i = 0; i < chunks.length; i++) {
    if (i % 1000 === 0 || i === lastStart) marks[i] = now();
    view.append(chunks[i]!);
    view.flush();
  }
  const beforeFinish = now();
  view.finish();
  const finished = now();
  await view.settled();
  // Highlighting runs in tasks of its own: its work (not the idle time between tasks) is added.
  const highlightMs = decorationWork.highlightMs - highlightBefore;
  const result = {
    totalMs: finished - start + highlightMs,
    updatesMs: beforeFinish - start,
    finishMs: finished - beforeFinish,
    highlightSettleMs: highlightMs,
    firstThousandMeanMs: (marks[1000]! - marks[0]!) / 1000,
    lastThousandMeanMs: (beforeFinish - marks[lastStart]!) / 1000,
    stats: { ...view.stats },
    html: element.innerHTML,
  };
  element.remove();
  return result;
}

/** The longest single update of a Rill run (a separate run: timing each update has a cost of its own). */
async function rillMaxUpdate(chunks: string[]) {
  const element = container();
  const options = decorations('highlight');
  await preloadDecorations(options, { highlight: true });
  const view = new StreamingMarkdown(element, options);
  let max = 0;
  for (const chunk of chunks) {
    const t = now();
    view.append(chunk);
    view.flush();
    max = Math.max(max, now() - t);
  }
  view.finish();
  await view.settled();
  element.remove();
  return max;
}

/** (b) One-shot render of the final text (what a finished message costs). */
async function oneShot(text: string, decorate: boolean) {
  const element = container();
  const options = decorations(decorate ? 'highlight' : false);
  await preloadDecorations(options, { highlight: decorate });
  const highlightBefore = decorationWork.highlightMs;
  const start = now();
  const rendered = renderMarkdownInto(element, text, options);
  const end = now();
  await rendered.settled();
  const html = element.innerHTML;
  element.remove();
  return { totalMs: end - start + decorationWork.highlightMs - highlightBefore, html };
}

/** The Mermaid block alone: one draw (parse, render, sanitise, insert), as the streamed answer does it. */
async function diagram(text: string) {
  const element = container();
  const options = decorations('all');
  await preloadDecorations(options, { mermaid: true });
  const source = /```mermaid\n[\s\S]*?\n```\n/.exec(text)?.[0] ?? '';
  const start = now();
  const rendered = renderMarkdownInto(element, source, options);
  await rendered.settled();
  const end = now();
  const drawn = element.querySelector('svg') !== null;
  element.remove();
  return { ms: end - start, drawn };
}

/**
 * (c) Full marked + DOMPurify re-render of the whole message per chunk, and (d) Cline-style. Both
 * cost O(text) per chunk, so they are measured on every `step`-th chunk (each sample is one update
 * at that point of the stream, from the state the previous chunk left) and the total is
 * extrapolated as the sum of the samples times `step`.
 */
function sampled(chunks: string[], step: number) {
  const prefixes: string[] = [];
  let text = '';
  for (const chunk of chunks) prefixes.push((text += chunk));
  let full = 0;
  let cline = 0;
  let samples = 0;
  const fullElement = container();
  const clineElement = container();
  for (let i = step - 1; i < chunks.length; i += step) {
    samples++;
    let t = now();
    fullElement.replaceChildren(baselineFragment(baselineMarked.parse(prefixes[i]!) as string));
    full += now() - t;
    const cl = new ClineStyle(clineElement);
    clineElement.replaceChildren();
    if (i > 0) cl.update(prefixes[i - 1]!); // untimed: the state before this chunk
    t = now();
    cl.update(prefixes[i]!);
    cline += now() - t;
  }
  fullElement.remove();
  clineElement.remove();
  return { fullTotalMs: full * step, clineTotalMs: cline * step, samples, step };
}

/**
 * (e) Real time: chunks arrive on a timer at `tokensPerSecond`, renders run on animation frames.
 * Every frame's render is timed, alone and with the layout it causes (forced right after).
 */
async function realtime(chunks: string[], tokenCounts: number[], tokensPerSecond: number) {
  const element = container();
  const options = decorations('all');
  await preloadDecorations(options, { highlight: true, mermaid: true });
  const frames: number[] = [];
  const framesWithLayout: number[] = [];
  const appends: number[] = [];
  const longTasks: Array<[number, number]> = [];
  const longFrames: Array<[number, number]> = [];
  const longFrameScripts: string[] = [];
  const observers: PerformanceObserver[] = [];
  for (const type of ['longtask', 'long-animation-frame']) {
    try {
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          (type === 'longtask' ? longTasks : longFrames).push([entry.startTime, entry.duration]);
          const scripts = (entry as PerformanceEntry & { scripts?: Array<{ sourceURL?: string; duration?: number; invoker?: string }> }).scripts;
          for (const script of scripts ?? []) {
            if ((script.duration ?? 0) >= 16) longFrameScripts.push(`${Math.round(script.duration ?? 0)}ms ${script.invoker ?? ''} ${(script.sourceURL ?? '').split('/').pop()}`);
          }
        }
      });
      observer.observe({ type, buffered: false });
      observers.push(observer);
    } catch {
      // not supported
    }
  }
  const original = window.requestAnimationFrame.bind(window);
  const slow: string[] = [];
  window.requestAnimationFrame = (callback) =>
    original((time) => {
      void element.offsetHeight; // layout owed to other work (e.g. a diagram just inserted) is not this render's
      const before = { ...view.stats };
      const t = now();
      callback(time);
      const js = now() - t;
      void element.offsetHeight; // the layout this render caused
      const total = now() - t;
      frames.push(js);
      framesWithLayout.push(total);
      if (total > 12) {
        const after = view.stats;
        slow.push(
          `${total.toFixed(1)}ms (js ${js.toFixed(1)}): commits +${after.commits - before.commits}, parses +${after.tailUpdates - before.tailUpdates}` +
            ` (${after.lastLexed} chars), fast +${after.fastUpdates - before.fastUpdates}`,
        );
      }
    });
  const view = new StreamingMarkdown(element, options);
  const due: number[] = [];
  let tokens = 0;
  for (const count of tokenCounts) due.push((tokens += count) * (1000 / tokensPerSecond));
  const start = now();
  await new Promise<void>((resolve) => {
    let next = 0;
    const pump = () => {
      const elapsed = now() - start;
      while (next < chunks.length && due[next]! <= elapsed) {
        const t = now();
        view.append(chunks[next++]!);
        appends.push(now() - t);
      }
      if (next >= chunks.length) resolve();
      else setTimeout(pump, Math.max(0, due[next]! - (now() - start)));
    };
    pump();
  });
  // Let the last frame run, then finish.
  await new Promise((resolve) => original(() => resolve(undefined)));
  const streamEnd = now();
  const t = now();
  view.finish();
  const finishMs = now() - t;
  await view.settled();
  await new Promise((resolve) => setTimeout(resolve, 100));
  window.requestAnimationFrame = original;
  for (const observer of observers) observer.disconnect();
  element.remove();
  const sorted = [...framesWithLayout].sort((a, b) => a - b);
  return {
    stats: { ...view.stats },
    durationMs: now() - start,
    frames: frames.length,
    maxFrameJsMs: Math.max(...frames),
    maxFrameWithLayoutMs: Math.max(...framesWithLayout),
    p99FrameWithLayoutMs: sorted[Math.floor(sorted.length * 0.99)] ?? NaN,
    framesOver16Ms: framesWithLayout.filter((d) => d > 16).length,
    maxAppendMs: Math.max(...appends),
    finishMs,
    // During the stream; after it, the one Mermaid draw (held for the end) is a long task of its own.
    longTasks: longTasks.filter(([start]) => start < streamEnd).map(([, duration]) => duration),
    longAnimationFrames: longFrames.filter(([start]) => start < streamEnd).map(([, duration]) => duration),
    afterStreamLongTasks: longTasks.filter(([start]) => start >= streamEnd).map(([, duration]) => duration),
    longFrameScripts,
    slowFrames: slow,
  };
}

/** Renders `text` as a finished answer, with everything on, and leaves it on the page (for a screenshot). */
async function show(text: string) {
  const element = container();
  const options = decorations('all');
  await preloadDecorations(options, { highlight: true, mermaid: true });
  const view = new StreamingMarkdown(element, options);
  for (const chunk of text.match(/[\s\S]{1,7}/g) ?? []) {
    view.append(chunk);
    view.flush();
  }
  view.finish();
  await view.settled();
  return element.innerHTML.length;
}

Object.assign(window, { bench: { setup, rill, rillMaxUpdate, oneShot, diagram, sampled, realtime, show } });
