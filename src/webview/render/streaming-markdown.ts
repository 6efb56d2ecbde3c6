import type { Token } from 'marked';
import { BlockSplitter } from '../../core/markdown/block-splitter';
import { Decorator } from './decorate';
import { lex, renderTokens } from './engine';
import { handleLinks } from './links';
import { defaultLabels } from './sanitize';
import type { RenderLabels, RenderOptions } from './types';

export interface StreamingMarkdownOptions extends RenderOptions {
  /** Called after each DOM update (e.g. to keep the view scrolled to the bottom). */
  onUpdate?: () => void;
  /** Called with the top-level nodes of blocks as they are finished (e.g. for a polite live region). */
  onCommit?: (nodes: readonly Node[]) => void;
  /**
   * Share of wall time the live block's re-parsing may take (0 < budget <= 1, default 0.1). Text
   * always reaches the DOM on the frame it arrives; when an append changes markup in the live
   * block (a `**`, a new list item), the block is re-parsed at once if the budget allows, else as
   * soon as it does: after a re-parse that cost `c`, the next waits `c * (1 - budget) / budget`.
   * At 60 frames/s a typical block is re-parsed every frame; under load formatting lags, text
   * does not. 1 re-parses the live block on every such update.
   */
  liveParseBudget?: number;
  /** The clock the budget reads (tests pass a fake one); default `performance.now`. */
  clock?: () => number;
  /**
   * Draw Mermaid diagrams as soon as their fence closes (true), or when the answer is finished
   * (default): Mermaid draws in one long task that would stall the stream for ~100 ms.
   */
  drawDiagramsWhileStreaming?: boolean;
}

/** Counters for tests and the benchmark. */
export interface StreamingStats {
  /** DOM updates (at most one per animation frame while streaming). */
  updates: number;
  /** Updates that appended text to the live block without parsing. */
  fastUpdates: number;
  /** Of those, appends that left the live block's markup to be re-parsed later (budget). */
  deferredUpdates: number;
  /** Updates that parsed the live tail. */
  tailUpdates: number;
  /** Whole-text renders (fallback mode). */
  fullRenders: number;
  /** Times finished blocks were committed. */
  commits: number;
  /** Candidate boundaries the parser's tokens did not confirm (kept in the tail). */
  rejectedBoundaries: number;
  /** Characters lexed by the most expensive single update. */
  maxLexedPerUpdate: number;
  /** Milliseconds spent parsing and rendering (commits, tail and whole-text renders). */
  parseMs: number;
  /** Characters lexed by the last parse. */
  lastLexed: number;
}

/** A top-level token of the live tail and the nodes it rendered to. */
interface TailEntry {
  start: number;
  raw: string;
  type: string;
  nodes: ChildNode[];
  /** Changed in place by a fast update: never reused as a finished block. */
  dirty: boolean;
}

/** Live prose: appending plain text goes straight into this text node. */
interface LiveText {
  kind: 'text';
  node: Text;
  /** The node's last character (reading `data` would copy the whole string). */
  last: string;
  /** The tail block it belongs to (marked dirty once text is appended). */
  entry?: TailEntry;
}

/** A growing code block: finished lines in frozen text nodes, the current line (plus `\n`) in `line`. */
interface LiveCode {
  kind: 'code';
  contentStart: number;
  code: HTMLElement;
  line: Text;
}

// A delta with none of these cannot change the structure or inline markup of prose it is appended
// to (given the other checks in `exactAppend`), so it can go straight into the DOM, exactly.
const MARKUP_CHARS = /[\n\r\\`*_~[\]()<>&|#:@;!=]/;
const LETTER = /\p{L}/u;
const PROSE_PARENTS = new Set(['P', 'LI', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TD', 'TH']);

/**
 * One assistant message's markdown, rendered while it streams in.
 *
 * - At most one DOM update per animation frame, however many appends arrive (`flush()` forces one).
 * - The text is split (BlockSplitter, pure) into finished blocks and a live tail. A boundary the
 *   splitter reports is committed only where marked's own tokens of the tail agree; finished blocks
 *   are then parsed, sanitised and appended once, and never touched again (bar highlighting).
 * - Appended text reaches the DOM on its frame: into the live text node (plain prose: exact), into
 *   the open code fence's current line (exact), or as raw text when it may change markup (`**`, a
 *   new list item). The live block is then re-parsed within the `liveParseBudget` share of time:
 *   at 60 frames/s that is every frame for ordinary blocks; under load formatting lags, text not.
 * - Code is highlighted (in tasks of their own) only once its block is finished; Mermaid diagrams
 *   are drawn when the answer finishes (or as soon as the fence closes, if asked).
 * - Footnotes and reference definitions make blocks depend on each other: the message then renders
 *   its whole text per parse instead. Raw HTML never does (webview/render/html-policy).
 * - `finish()` commits the rest: the DOM then equals `renderMarkdownInto` of the whole text.
 */
export class StreamingMarkdown {
  readonly stats: StreamingStats = {
    updates: 0,
    fastUpdates: 0,
    deferredUpdates: 0,
    tailUpdates: 0,
    fullRenders: 0,
    commits: 0,
    rejectedBoundaries: 0,
    maxLexedPerUpdate: 0,
    parseMs: 0,
    lastLexed: 0,
  };
  // The text is kept in pieces so that an update touches only what it needs: reading a long string
  // that grows by `+=` makes V8 flatten (copy) it, which per update would be O(n) again.
  /** The whole text (read only for whole-text renders and `value`). */
  private full = '';
  private length = 0;
  /** Text appended since the last DOM update. */
  private delta = '';
  /** As of the last DOM update: the text's last line (after its last newline), its last character, and its last word. */
  private lastLine = '';
  private lastChar = '';
  private word = '';
  private lineHasLetter = false;
  private pendingCR = false;
  private readonly splitter = new BlockSplitter();
  private committedEnd = 0;
  private tail: TailEntry[] = [];
  /** Splitter boundaries already looked at by the last parse. */
  private boundariesSeen = 0;
  private frame: number | undefined;
  private fallback = false;
  private live: LiveText | LiveCode | undefined;
  /** The live block shows raw text appended since its last parse. */
  private stale = false;
  /** When the live block may be parsed again (see `liveParseBudget`). */
  private nextParseAt = 0;
  private readonly budget: number;
  private readonly now: () => number;
  private readonly decorator: Decorator;
  private readonly labels: RenderLabels;
  private readonly unhookLinks: () => void;

  constructor(
    readonly element: HTMLElement,
    private readonly options: StreamingMarkdownOptions = {},
  ) {
    this.decorator = new Decorator(options);
    this.budget = Math.min(1, Math.max(0.001, options.liveParseBudget ?? 0.1));
    this.now = options.clock ?? (() => performance.now());
    this.labels = { ...defaultLabels, ...options.labels };
    this.unhookLinks = handleLinks(element, options.onOpenLink, options.onOpenFile);
  }

  /** The text so far (line endings normalised). */
  get value(): string {
    return this.full + (this.pendingCR ? '\n' : '');
  }

  get isFallback(): boolean {
    return this.fallback;
  }

  /** Adds streamed text; the DOM catches up on the next animation frame. */
  append(chunk: string): void {
    if (!chunk) return;
    if (this.pendingCR) {
      chunk = `\r${chunk}`;
      this.pendingCR = false;
    }
    if (chunk.endsWith('\r')) {
      this.pendingCR = true;
      chunk = chunk.slice(0, -1);
    }
    if (chunk.includes('\r')) chunk = chunk.replace(/\r\n?/g, '\n');
    if (!chunk) return;
    this.full += chunk;
    this.length += chunk.length;
    this.delta += chunk;
    if (!this.fallback) this.splitter.append(chunk);
    this.schedule();
  }

  /** Replaces the text (a snapshot): an extension of the current text is appended, anything else starts over. */
  setText(text: string): void {
    const normalised = text.replace(/\r\n?/g, '\n');
    const current = this.value;
    if (normalised.length >= current.length && normalised.startsWith(current)) {
      this.append(normalised.slice(current.length));
      return;
    }
    this.cancelFrame();
    this.full = '';
    this.length = 0;
    this.delta = '';
    this.lastLine = '';
    this.lastChar = '';
    this.word = '';
    this.lineHasLetter = false;
    this.pendingCR = false;
    this.splitter.reset();
    this.committedEnd = 0;
    this.tail = [];
    this.boundariesSeen = 0;
    this.fallback = false;
    this.live = undefined;
    this.stale = false;
    this.nextParseAt = 0;
    this.element.replaceChildren();
    this.append(normalised);
  }

  /** Renders now whatever is pending (the frame already requested then finds nothing to do). */
  flush(): void {
    this.render(false);
  }

  /**
   * The end of the message: one consistency pass that commits the live tail as finished blocks
   * (highlighting and drawing them). Afterwards the DOM equals a one-shot render of the text.
   */
  finish(): void {
    this.cancelFrame();
    if (this.pendingCR) {
      this.pendingCR = false;
      this.full += '\n';
      this.length += 1;
      this.delta += '\n';
      if (!this.fallback) this.splitter.append('\n');
    }
    this.render(true);
    this.decorator.drawHeldDiagrams();
  }

  /** Resolves once highlighting and diagrams started so far are in the DOM. */
  settled(): Promise<void> {
    return this.decorator.settled();
  }

  dispose(): void {
    this.cancelFrame();
    this.unhookLinks();
  }

  private schedule(): void {
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
      this.render(false);
    });
  }

  private cancelFrame(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  private render(final: boolean): void {
    if (!final && !this.delta) return;
    this.stats.updates++;
    if (!this.fallback && this.splitter.fallback) this.fallback = true;
    // New finished blocks are committed at once (that needs a parse of the tail anyway).
    let parse = final || (!this.fallback && this.splitter.boundaryCount > this.boundariesSeen);
    if (!parse) {
      const exact = this.exactAppend();
      if (exact === undefined) parse = true;
      else if (exact && !this.stale) this.appendLive(true);
      else if (this.now() < this.nextParseAt) this.appendLive(false);
      else parse = true;
    }
    if (parse) {
      const started = this.now();
      this.stale = false;
      if (this.fallback) this.renderWhole(final);
      else this.renderTail(final, !final && started < this.nextParseAt);
      const ended = this.now();
      this.stats.parseMs += ended - started;
      this.nextParseAt = ended + ((ended - started) * (1 - this.budget)) / this.budget;
    }
    this.advance();
    this.options.onUpdate?.();
  }

  /** The delta is now in the DOM: move the "as of the last update" state past it. */
  private advance(): void {
    const delta = this.delta;
    if (!delta) return;
    const newline = delta.lastIndexOf('\n');
    if (newline === -1) {
      this.lastLine += delta;
      if (!this.lineHasLetter) this.lineHasLetter = LETTER.test(delta);
    } else {
      this.lastLine = delta.slice(newline + 1);
      this.lineHasLetter = LETTER.test(this.lastLine);
    }
    this.lastChar = delta.charAt(delta.length - 1);
    let space = delta.length;
    while (space > 0 && !isSpace(delta.charAt(space - 1))) space--;
    this.word = space > 0 ? delta.slice(space) : (this.word + delta).slice(-200);
    this.delta = '';
  }

  /** Fallback: the whole text; decorated only at the end. */
  private renderWhole(final: boolean): void {
    this.stats.fullRenders++;
    this.tail = [];
    this.committedEnd = 0;
    this.stats.maxLexedPerUpdate = Math.max(this.stats.maxLexedPerUpdate, this.length);
    const fragment = renderTokens(lex(this.full), this.labels);
    this.element.replaceChildren(fragment);
    this.live = final ? undefined : proseNode(Array.from(this.element.childNodes));
    if (final) {
      this.decorator.decorate(this.element);
      this.options.onCommit?.(Array.from(this.element.childNodes));
    }
  }

  /**
   * Whether appending the new text to the live node leaves the DOM exactly as a parse would:
   * true (plain prose, or lines of an open code fence), false (it may change markup: the append
   * is then approximate until the next parse), undefined (it cannot be appended: parse now).
   */
  private exactAppend(): boolean | undefined {
    const live = this.live;
    if (live?.kind === 'code') {
      // Still the same open fence, not indented (marked strips fence indentation from its lines).
      const fence = this.splitter.openFence;
      const same = fence?.contentStart === live.contentStart && fence.indent === 0 && this.splitter.boundaryCount === this.boundariesSeen;
      return same && live.code.parentNode !== null ? true : undefined;
    }
    if (!live || live.node.parentNode === null) return false;
    const delta = this.delta;
    if (MARKUP_CHARS.test(delta)) return false;
    const before = this.lastChar;
    if (!before || isSpace(before) || live.last !== before) return false;
    if (!this.lineHasLetter) return false;
    // An e-mail address or a www. link may be completing: let the parser decide.
    const word = this.word;
    return !(word.includes('@') || /www\./i.test(word));
  }

  /** Puts the new text into the live text node or code block (as raw text if not `exact`). */
  private appendLive(exact: boolean): void {
    let live = this.live;
    const delta = this.delta;
    if (live?.kind === 'code') {
      // The current line plus its newline (none while it is empty, as marked shows it).
      const newline = delta.lastIndexOf('\n');
      if (newline !== -1) {
        live.code.insertBefore(document.createTextNode(this.lastLine + delta.slice(0, newline + 1)), live.line);
        const rest = delta.slice(newline + 1);
        live.line.data = rest ? `${rest}\n` : '';
      } else {
        live.line.data = `${this.lastLine}${delta}\n`;
      }
    } else {
      if (!live || live.node.parentNode === null) live = this.live = this.rawHolder();
      live.node.appendData(delta);
      live.last = delta.charAt(delta.length - 1);
      if (live.entry) live.entry.dirty = true;
    }
    this.stats.fastUpdates++;
    if (!exact) {
      this.stale = true;
      this.stats.deferredUpdates++;
    }
  }

  /** A paragraph at the end for raw text when the live block has no text node to take it. */
  private rawHolder(start = this.length): LiveText {
    const holder = document.createElement('p');
    const node = document.createTextNode('');
    holder.append(node);
    this.element.append(holder);
    this.tail.push({ start, raw: '', type: 'raw', nodes: [holder], dirty: true });
    return { kind: 'text', node, last: '' };
  }

  /**
   * Parses the text after the finished blocks; commits the blocks the splitter has found finished
   * (if the parser agrees they are whole blocks), and re-renders the tail blocks whose text changed.
   */
  private renderTail(final: boolean, deferLive = false): void {
    this.stats.tailUpdates++;
    const base = this.committedEnd;
    const source = this.full.slice(base);
    const tokens = lex(source);
    this.stats.lastLexed = source.length;
    this.stats.maxLexedPerUpdate = Math.max(this.stats.maxLexedPerUpdate, source.length);
    if (Object.keys(tokens.links).length) return this.enterFallback(final);

    // Offsets of the tokens (their raws cover the source exactly).
    const starts: number[] = [];
    let offset = 0;
    for (const token of tokens) {
      starts.push(base + offset);
      offset += token.raw.length;
    }
    if (offset !== source.length) return this.enterFallback(final);

    // The largest boundary that falls between tokens (or inside blank lines) is committed.
    let commitCount = 0;
    let commitEnd = base;
    if (final) {
      commitCount = tokens.length;
      commitEnd = this.length;
    } else {
      const boundaries = this.splitter.result().boundaries;
      for (let b = boundaries.length - 1; b >= 0 && boundaries[b]! > base; b--) {
        const at = boundaries[b]!;
        const count = tokensBefore(tokens, starts, at);
        if (count !== undefined) {
          commitCount = count;
          commitEnd = at;
          break;
        }
        this.stats.rejectedBoundaries++;
      }
    }
    this.boundariesSeen = this.splitter.boundaryCount;

    // Raw HTML cannot tie blocks together (webview/render/html-policy), so any split marked agrees with holds.
    const finished = tokens.slice(0, commitCount);
    const liveTokens = tokens.slice(commitCount);
    const liveStarts = starts.slice(commitCount);

    // Old tail entries: those still matching a token keep their nodes.
    const reusable = new Map<number, TailEntry>();
    for (const entry of this.tail) reusable.set(entry.start, entry);
    const take = (token: Token, start: number): TailEntry | undefined => {
      const entry = reusable.get(start);
      if (entry && !entry.dirty && entry.raw === token.raw && entry.type === token.type) {
        reusable.delete(start);
        return entry;
      }
      return undefined;
    };

    // 1. Finished blocks: reuse the tail's nodes where a block did not change, render the rest.
    if (finished.length) {
      const fragment = document.createDocumentFragment();
      let pending: Token[] = [];
      const flushPending = () => {
        if (pending.length) fragment.append(renderTokens(pending, this.labels));
        pending = [];
      };
      finished.forEach((token, i) => {
        const entry = take(token, starts[i]!);
        if (entry) {
          flushPending();
          fragment.append(...entry.nodes);
        } else {
          pending.push(token);
        }
      });
      flushPending();
      const nodes = Array.from(fragment.childNodes);
      const hasCode = fragment.querySelector('pre') !== null;
      this.element.insertBefore(fragment, this.firstTailNode());
      if (hasCode) this.decorator.decorate(fragmentOf(nodes), !final && !this.options.drawDiagramsWhileStreaming);
      this.committedEnd = commitEnd;
      this.stats.commits++;
      if (nodes.length) this.options.onCommit?.(nodes);
    }

    // 2. The live tail. A commit came before the live block's parse was due (see liveParseBudget):
    // show its text raw for now, it is parsed when due.
    if (deferLive && finished.length) {
      for (const entry of reusable.values()) for (const node of entry.nodes) node.remove();
      this.tail = [];
      this.live = undefined;
      const rest = source.slice(commitEnd - base);
      if (rest) {
        const holder = this.rawHolder(commitEnd);
        holder.node.appendData(rest);
        holder.last = rest.charAt(rest.length - 1);
        this.live = holder;
        this.stale = true;
      }
      return;
    }
    // Keep unchanged blocks, re-render the changed ones.
    const next: TailEntry[] = [];
    liveTokens.forEach((token, i) => {
      const start = liveStarts[i]!;
      next.push(take(token, start) ?? { start, raw: token.raw, type: token.type, nodes: [], dirty: false });
    });
    for (const entry of reusable.values()) for (const node of entry.nodes) node.remove();
    // Entries keep document order: re-insert from the end so each goes before its successor.
    let anchor: ChildNode | null = null;
    for (let i = next.length - 1; i >= 0; i--) {
      const entry = next[i]!;
      if (!entry.nodes.length && entry.type !== 'space') {
        const fragment = renderTokens([liveTokens[i]!], this.labels);
        entry.nodes = Array.from(fragment.childNodes);
        this.element.insertBefore(fragment, anchor);
      } else if (entry.nodes.length && entry.nodes[entry.nodes.length - 1]!.nextSibling !== anchor) {
        const fragment = document.createDocumentFragment();
        fragment.append(...entry.nodes);
        this.element.insertBefore(fragment, anchor);
      }
      if (entry.nodes.length) anchor = entry.nodes[0]!;
    }
    this.tail = next;
    this.live = final ? undefined : this.findLive(next, liveTokens, source, base);
  }

  private firstTailNode(): ChildNode | null {
    for (const entry of this.tail) if (entry.nodes.length && entry.nodes[0]!.parentNode === this.element) return entry.nodes[0]!;
    return null;
  }

  /** Where the next appended text will go without parsing, if anywhere. */
  private findLive(entries: TailEntry[], tokens: Token[], source: string, base: number): LiveText | LiveCode | undefined {
    const entry = entries[entries.length - 1];
    const token = tokens[tokens.length - 1];
    if (!entry || !token) return undefined;
    const fence = this.splitter.openFence;
    if (token.type === 'code' && fence && fence.indent === 0 && entry.start + token.raw.length === this.length && fence.contentStart > entry.start) {
      const code = entry.nodes.find((node): node is HTMLElement => node.nodeName === 'PRE')?.querySelector('code');
      // The opening line is the token's first line (the fence is the last block, up to the end).
      const content = source.slice(fence.contentStart - base);
      if (!code || source.slice(entry.start - base, fence.contentStart - base).indexOf('\n') !== fence.contentStart - entry.start - 1) {
        return undefined;
      }
      // Finished lines in frozen text nodes, the current line in another; exact again when parsed.
      const newline = content.lastIndexOf('\n');
      const rest = content.slice(newline + 1);
      const line = document.createTextNode(rest ? `${rest}\n` : '');
      code.replaceChildren(document.createTextNode(content.slice(0, newline + 1)), line);
      entry.dirty = true;
      return { kind: 'code', contentStart: fence.contentStart, code: code as HTMLElement, line };
    }
    if (token.type === 'code' || token.type === 'space' || token.type === 'hr') return undefined;
    const live = proseNode(entry.nodes);
    if (live) live.entry = entry;
    return live;
  }

  private enterFallback(final: boolean): void {
    this.fallback = true;
    this.renderWhole(final);
  }
}

function isSpace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\n' || /\s/.test(char);
}

/** The last text node of the last element, if it sits in prose (where appended text can go). */
function proseNode(nodes: ChildNode[]): LiveText | undefined {
  let node: Node | null = null;
  for (let i = nodes.length - 1; i >= 0 && !node; i--) {
    if (nodes[i]!.nodeType === 1) node = nodes[i]!;
  }
  while (node && node.lastChild) node = node.lastChild;
  if (!node || node.nodeType !== 3 || !node.parentNode || !PROSE_PARENTS.has(node.parentNode.nodeName)) return undefined;
  const text = node as Text;
  return { kind: 'text', node: text, last: text.data.charAt(text.data.length - 1) };
}

/** How many tokens lie before `at`, if `at` is between two tokens or inside blank lines. */
function tokensBefore(tokens: Token[], starts: number[], at: number): number | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const start = starts[i]!;
    if (start === at) return i;
    const end = start + tokens[i]!.raw.length;
    if (start < at && at < end) return tokens[i]!.type === 'space' ? i + 1 : undefined;
    if (at === end && i === tokens.length - 1) return tokens.length;
  }
  return undefined;
}

/** A root for querySelectorAll over nodes already in the document. */
function fragmentOf(nodes: ChildNode[]): ParentNode {
  return {
    querySelectorAll(selector: string) {
      const found: Element[] = [];
      for (const node of nodes) {
        if (node.nodeType !== 1) continue;
        const element = node as Element;
        if (element.matches(selector)) found.push(element);
        found.push(...Array.from(element.querySelectorAll(selector)));
      }
      return found as unknown as NodeListOf<Element>;
    },
  } as ParentNode;
}
