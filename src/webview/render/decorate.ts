import { codeInfo } from './code-info';
import { highlightFragment } from './highlight-dom';
import { defaultLabels, sanitizeHighlightHtml, sanitizeSvg } from './sanitize';
import type { Highlighter, MermaidApi, RenderLabels, RenderOptions } from './types';

/** A fast 53-bit string hash (cyrb53) for the caches' keys; entries still compare the full text. */
export function contentHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** A small LRU of rendered results, keyed by content hash. */
class Cache<T> {
  private readonly map = new Map<string, { source: string; value: T }>();
  constructor(private readonly limit: number) {}
  get(key: string, source: string): T | undefined {
    const entry = this.map.get(key);
    if (!entry || entry.source !== source) return undefined;
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }
  set(key: string, source: string, value: T): void {
    this.map.delete(key);
    this.map.set(key, { source, value });
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
  }
}

/** Highlighted code per highlighter (a test's stub must not see the real one's results). */
const highlightCaches = new WeakMap<object, Cache<DocumentFragment>>();
/** Drawings (or the parse error's message), in flight or done: one Mermaid run per source and theme. */
const diagramCaches = new WeakMap<object, Cache<Promise<DocumentFragment | string>>>();
function cacheFor<T>(caches: WeakMap<object, Cache<T>>, loader: object, limit: number): Cache<T> {
  let cache = caches.get(loader);
  if (!cache) {
    cache = new Cache<T>(limit);
    caches.set(loader, cache);
  }
  return cache;
}
const diagramSources = new WeakMap<Element, string>();

const loadOnThread = (): Promise<Highlighter> => import('./highlight').then((module) => module.highlighter);
/** In a worker where the page can start one (a webview can; jsdom cannot), else on this thread. */
const defaultLoadHighlighter = (): Promise<Highlighter> => {
  if (typeof Worker !== 'function' || typeof URL.createObjectURL !== 'function') return loadOnThread();
  // A chunk that fails to load leaves highlighting on this thread, not off.
  return import('./highlight-worker-start').then(({ startWorker }) => startWorker(loadOnThread), loadOnThread);
};
const defaultLoadMermaid = (): Promise<MermaidApi> => import('mermaid').then((module) => module.default as unknown as MermaidApi);

/** One load per loader, shared by every message; the loaded value is kept for synchronous use. */
const loaded = new WeakMap<object, { promise: Promise<unknown>; value?: unknown; failed?: boolean }>();
function load<T>(loader: () => Promise<T>): { promise: Promise<T>; value?: T; failed?: boolean } {
  let entry = loaded.get(loader);
  if (!entry) {
    const created: { promise: Promise<unknown>; value?: unknown; failed?: boolean } = { promise: Promise.resolve() };
    created.promise = loader().then(
      (value) => {
        created.value = value;
        return value;
      },
      (error: unknown) => {
        created.failed = true;
        throw error;
      },
    );
    entry = created;
    loaded.set(loader, entry);
  }
  return entry as { promise: Promise<T>; value?: T; failed?: boolean };
}

/** Mermaid's theme follows VS Code's: the body carries `vscode-light`, `vscode-dark`, `vscode-high-contrast(-light)`. */
export function mermaidTheme(): 'dark' | 'default' {
  const classes = document.body?.classList;
  if (!classes) return 'default';
  if (classes.contains('vscode-high-contrast-light') || classes.contains('vscode-light')) return 'default';
  return classes.contains('vscode-dark') || classes.contains('vscode-high-contrast') ? 'dark' : 'default';
}

/**
 * Highlighting runs in tasks of its own, a few milliseconds of blocks at a time, so the frame that
 * commits a long code block does not also pay for highlighting it.
 */
const HIGHLIGHT_SLICE_MS = 6;
/** Milliseconds spent in highlight jobs (benchmarks add it to render time, without the idle gaps between tasks). */
export const decorationWork = { highlightMs: 0 };
const highlightJobs: Array<() => void> = [];
let highlightRun: Promise<void> | undefined;
function queueHighlight(job: () => void): Promise<void> {
  highlightJobs.push(job);
  highlightRun ??= new Promise<void>((resolve) => {
    const drain = () => {
      const started = performance.now();
      let now = started;
      while (highlightJobs.length && now - started < HIGHLIGHT_SLICE_MS) {
        try {
          highlightJobs.shift()!();
        } catch {
          // a block that cannot be highlighted stays plain
        }
        now = performance.now();
      }
      decorationWork.highlightMs += now - started;
      if (highlightJobs.length) {
        setTimeout(drain, 0);
      } else {
        highlightRun = undefined;
        resolve();
      }
    };
    setTimeout(drain, 0);
  });
  return highlightRun;
}

let diagramCount = 0;
let mermaidQueue: Promise<unknown> = Promise.resolve();
let initializedTheme: string | undefined;
let initializedApi: MermaidApi | undefined;

function languageOf(code: Element): string | undefined {
  for (const name of Array.from(code.classList)) {
    if (name.startsWith('language-')) return name.slice('language-'.length);
  }
  return undefined;
}

/**
 * Decorates finished code blocks: highlight.js (lazy, class-based spans, cached by content hash)
 * and Mermaid diagrams (lazy, strict security, parsed before drawing, theme-aware, cached by
 * content hash and theme). Used alike by the streamed and the one-shot render, so both end in the
 * same DOM once `settled()` resolves.
 */
export class Decorator {
  private pending = new Set<Promise<unknown>>();
  private readonly labels: RenderLabels;
  private readonly loadHighlighter: () => Promise<Highlighter>;
  private readonly loadMermaid: () => Promise<MermaidApi>;

  constructor(private readonly options: RenderOptions = {}) {
    this.labels = { ...defaultLabels, ...options.labels };
    this.loadHighlighter = options.loadHighlighter ?? defaultLoadHighlighter;
    this.loadMermaid = options.loadMermaid ?? defaultLoadMermaid;
  }

  private heldDiagrams: Array<{ pre: HTMLElement; source: string }> = [];

  /**
   * Decorates every `pre > code` under `root` (finished blocks only). With `holdDiagrams`, Mermaid
   * blocks wait for `drawHeldDiagrams()`: drawing is one long task of Mermaid's own (~100 ms),
   * which a streaming answer should not stutter on.
   */
  decorate(root: ParentNode, holdDiagrams = false): void {
    for (const code of Array.from(root.querySelectorAll('pre > code'))) {
      const pre = code.parentElement as HTMLElement;
      const language = languageOf(code);
      const source = code.textContent ?? '';
      if (language === 'mermaid') {
        if (holdDiagrams) this.heldDiagrams.push({ pre, source });
        else this.track(this.drawDiagram(pre, source));
        continue;
      }
      this.options.decorateCodeBlock?.(pre, source, language, codeInfo(code));
      if (language) this.highlight(code as HTMLElement, source, language);
    }
  }

  /** Draws the diagrams `decorate` held back (those still in the document, or in a fragment). */
  drawHeldDiagrams(): void {
    const held = this.heldDiagrams;
    this.heldDiagrams = [];
    for (const { pre, source } of held) if (pre.parentNode) this.track(this.drawDiagram(pre, source));
  }

  /** Resolves when every highlight and diagram started so far has been applied. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled(Array.from(this.pending));
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private highlight(code: HTMLElement, source: string, language: string): void {
    const key = `${language}:${contentHash(source)}`;
    const highlightCache = cacheFor(highlightCaches, this.loadHighlighter, 300);
    const cached = highlightCache.get(key, source);
    if (cached) return applyHighlight(code, cached);
    const highlighter = load(this.loadHighlighter);
    if (highlighter.failed) return;
    const show = (html: string | undefined) => {
      if (html === undefined) return;
      // Built directly when it is highlight.js's span grammar (highlight-dom.ts), sanitised otherwise.
      const fragment = highlightFragment(html) ?? sanitizeHighlightHtml(html);
      highlightCache.set(key, source, fragment);
      applyHighlight(code, fragment);
    };
    // A worker's answer is put into the DOM in a highlight slice of its own, as on-thread work is.
    const apply = async (api: Highlighter) => {
      const later: { answer?: Promise<string | undefined> } = {};
      await queueHighlight(() => {
        const answer = api.highlight(source, language);
        if (isPromise(answer)) later.answer = answer;
        else show(answer);
      });
      if (later.answer) {
        const html = await later.answer;
        await queueHighlight(() => show(html));
      }
    };
    const loadedValue = highlighter.value;
    if (loadedValue) this.track(apply(loadedValue));
    else this.track(highlighter.promise.then(apply));
  }

  private async drawDiagram(pre: HTMLElement, source: string): Promise<void> {
    const theme = mermaidTheme();
    const key = `${theme}:${contentHash(source)}`;
    const diagramCache = cacheFor(diagramCaches, this.loadMermaid, 50);
    let drawing = diagramCache.get(key, source);
    if (!drawing) {
      const loadMermaid = this.loadMermaid;
      drawing = (async () => {
        const mermaid = load(loadMermaid);
        const api = mermaid.value ?? (await mermaid.promise);
        // Mermaid keeps global state: draw one diagram at a time.
        const job = mermaidQueue.then(() => drawWithMermaid(api, source, theme));
        mermaidQueue = job.catch(() => undefined);
        return job;
      })();
      diagramCache.set(key, source, drawing);
    }
    const result = await drawing;
    if (typeof result === 'string') {
      this.showDiagramError(pre, source, result);
      return;
    }
    const figure = document.createElement('div');
    figure.className = 'mermaid-diagram';
    figure.dataset.testid = 'mermaid';
    figure.setAttribute('role', 'img');
    figure.setAttribute('aria-label', this.labels.diagram);
    figure.append(result.cloneNode(true));
    diagramSources.set(figure, source);
    pre.replaceWith(figure);
    this.options.onDiagram?.();
  }

  private showDiagramError(pre: HTMLElement, source: string, message: string): void {
    const code = pre.querySelector('code');
    this.options.decorateCodeBlock?.(pre, source, 'mermaid', code ? codeInfo(code) : undefined);
    const note = document.createElement('div');
    note.className = 'mermaid-error';
    note.dataset.testid = 'mermaid-error';
    note.textContent = `${this.labels.diagramError} ${message}`;
    pre.after(note);
    this.options.onDiagram?.();
  }

  /** Redraws every diagram under `root` in the current theme (call when the body's theme class changes). */
  async redrawDiagrams(root: ParentNode = document): Promise<void> {
    for (const figure of Array.from(root.querySelectorAll('.mermaid-diagram'))) {
      const source = diagramSources.get(figure);
      if (source === undefined) continue;
      const pre = document.createElement('pre');
      figure.replaceWith(pre);
      await this.drawDiagram(pre, source);
    }
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function applyHighlight(code: HTMLElement, fragment: DocumentFragment): void {
  code.replaceChildren(fragment.cloneNode(true));
  code.classList.add('hljs');
}

/** Parses, then draws; a failure comes back as the first line of its message. */
async function drawWithMermaid(api: MermaidApi, source: string, theme: string): Promise<DocumentFragment | string> {
  if (initializedApi !== api || initializedTheme !== theme) {
    api.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme,
      htmlLabels: false,
      flowchart: { htmlLabels: false },
      // A diagram's own %%{init}%% or front matter may not change these: fonts and theme CSS can
      // carry url(...) into the drawn <style> (Mermaid only checks that braces balance).
      secure: ['secure', 'securityLevel', 'startOnLoad', 'maxTextSize', 'suppressErrorRendering', 'maxEdges', 'fontFamily', 'altFontFamily', 'themeCSS', 'themeVariables'],
    });
    initializedApi = api;
    initializedTheme = theme;
  }
  try {
    await api.parse(source);
    const { svg } = await api.render(`rill-mermaid-${++diagramCount}`, source);
    return sanitizeSvg(svg);
  } catch (error) {
    // Mermaid's parse errors read "Parse error on line N:", the line, a caret, "Expecting …".
    const lines = (error instanceof Error ? error.message : String(error)).split('\n').map((line) => line.trim()).filter(Boolean);
    const first = lines[0] ?? 'error';
    const last = lines.length > 1 ? lines[lines.length - 1]! : '';
    const note = last && !/^[-^ ]+$/.test(last) ? `${first} ${last}` : first;
    return note.length > 200 ? `${note.slice(0, 200)}…` : note;
  }
}

/** Watches the body's theme class and redraws diagrams when light/dark changes. Returns a stop function. */
export function observeThemeChanges(decorator: Decorator = new Decorator()): () => void {
  let theme = mermaidTheme();
  const observer = new MutationObserver(() => {
    const now = mermaidTheme();
    if (now === theme) return;
    theme = now;
    void decorator.redrawDiagrams();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

/**
 * Starts loading highlight.js and Mermaid now (e.g. when an answer starts streaming), so the first
 * finished code block is highlighted in the same frame it is committed.
 */
export async function preloadDecorations(
  options: RenderOptions = {},
  which: { highlight?: boolean; mermaid?: boolean } = { highlight: true },
): Promise<void> {
  const loads: Promise<unknown>[] = [];
  if (which.highlight) loads.push(load(options.loadHighlighter ?? defaultLoadHighlighter).promise);
  if (which.mermaid) loads.push(load(options.loadMermaid ?? defaultLoadMermaid).promise);
  await Promise.allSettled(loads);
}
