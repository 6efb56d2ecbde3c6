import { findPathMentions, parseFileRef, type FileRefTarget } from '../../core/attachments/file-refs';
import type { FileRef } from '../../protocol/context-messages';
import { MAX_PATH_CHARS, MAX_PATHS } from '../../protocol/parse';
import { FILE_REF_ATTRIBUTE } from '../render/sanitize';
import { strings } from '../strings';

/**
 * Links back into the workspace (issue 13). An answer's relative links (the sanitiser keeps their
 * ref in `data-file-ref`, without href) and its `path:line` mentions become inert anchors when a
 * block is finished; the host is asked, once per ref and in batches, which name workspace files;
 * the confirmed ones then become links (`href="#"`: the webview never navigates, a click is handed
 * to the host as `openFile`, see render/links.ts). The rest stay text.
 *
 * Marking only reads finished blocks' DOM and the ref states, so a streamed answer and the same
 * text rendered at once end alike (test/unit/webview/file-links.test.ts checks it).
 */

/** Where no mention is looked for: code blocks, links, the app's own controls and placeholders. */
const SKIP = 'pre, a, button, .code-tools, [data-testid="image-placeholder"], .mermaid-diagram, .mermaid-error';

/** Candidate anchors under `nodes`, made where needed: links the sanitiser marked, mentions in text, inline code naming a file. */
export function markFileRefs(nodes: readonly Node[]): HTMLAnchorElement[] {
  const found: HTMLAnchorElement[] = [];
  for (const node of nodes) visit(node, found);
  return found;
}

function visit(node: Node, found: HTMLAnchorElement[]): void {
  if (node.nodeType === 3) {
    wrapMentions(node as Text, found);
    return;
  }
  if (node.nodeType !== 1) return;
  const element = node as Element;
  if (element.matches(SKIP)) {
    if (element.localName === 'a' && element.hasAttribute(FILE_REF_ATTRIBUTE)) found.push(element as HTMLAnchorElement);
    return;
  }
  if (element.localName === 'code') {
    // Inline code that is just a path (`src/a.ts:12`) links as a whole; other code is never searched.
    const text = element.textContent ?? '';
    const mentions = findPathMentions(text);
    if (mentions.length === 1 && mentions[0]!.start === 0 && mentions[0]!.end === text.length) {
      const anchor = inertAnchor(element.ownerDocument, mentions[0]!.ref);
      element.replaceWith(anchor);
      anchor.append(element);
      found.push(anchor);
    }
    return;
  }
  for (const child of Array.from(element.childNodes)) visit(child, found);
}

function wrapMentions(text: Text, found: HTMLAnchorElement[]): void {
  const data = text.data;
  // Every mention has a '/', '\' or a ':line' (findPathMentions); most text has neither.
  if (!/[/\\:]/.test(data)) return;
  const mentions = findPathMentions(data).filter((m) => m.ref.length <= MAX_PATH_CHARS);
  if (!mentions.length) return;
  const doc = text.ownerDocument;
  const fragment = doc.createDocumentFragment();
  let at = 0;
  for (const mention of mentions) {
    if (mention.start < at) continue;
    if (mention.start > at) fragment.append(data.slice(at, mention.start));
    const anchor = inertAnchor(doc, mention.ref);
    anchor.textContent = data.slice(mention.start, mention.end);
    fragment.append(anchor);
    found.push(anchor);
    at = mention.end;
  }
  if (at < data.length) fragment.append(data.slice(at));
  text.replaceWith(fragment);
}

function inertAnchor(doc: Document, ref: string): HTMLAnchorElement {
  const anchor = doc.createElement('a');
  anchor.setAttribute(FILE_REF_ATTRIBUTE, ref);
  return anchor;
}

/** What the host said of a ref: it names a workspace file (true), it does not (false), not yet answered (undefined). */
type RefState = boolean | undefined;

/**
 * The page's refs and what the host said of them. `link` marks finished blocks and asks about refs
 * it has not seen (one `resolveFileRefs` per task, at most MAX_PATHS refs each); `resolved` takes
 * the host's `fileRefs` answer and links the confirmed refs wherever they are shown.
 */
export class FileLinks {
  private readonly states = new Map<string, RefState>();
  private queue: string[] = [];
  private queued = false;

  constructor(
    /** Posts `resolveFileRefs`. */
    private readonly ask: (refs: string[]) => void,
    /** Where answers are shown: a confirmation links the ref's anchors there. */
    private readonly root: ParentNode,
  ) {}

  /** Finished blocks of an answer: their refs become inert anchors, linked at once if the host confirmed them already. */
  link(nodes: readonly Node[]): void {
    for (const anchor of markFileRefs(nodes)) {
      const ref = anchor.getAttribute(FILE_REF_ATTRIBUTE)!;
      const state = this.states.get(ref);
      if (state === true) makeLink(anchor, ref);
      else if (!this.states.has(ref)) this.request(ref);
    }
  }

  /** The host's answer. Refs it did not mention stay waiting. */
  resolved(refs: readonly FileRef[]): void {
    const confirmed = new Set<string>();
    for (const { ref, exists } of refs) {
      if (typeof ref !== 'string') continue;
      this.states.set(ref, exists === true);
      if (exists === true) confirmed.add(ref);
    }
    if (!confirmed.size) return;
    for (const anchor of Array.from(this.root.querySelectorAll<HTMLAnchorElement>(`a[${FILE_REF_ATTRIBUTE}]:not([href])`))) {
      const ref = anchor.getAttribute(FILE_REF_ATTRIBUTE)!;
      if (confirmed.has(ref)) makeLink(anchor, ref);
    }
  }

  /**
   * A snapshot rebuilt the log: an answer to an earlier question may have been posted while the
   * view was hidden, and lost. Refs still waiting are asked again when they are shown again.
   */
  forgetWaiting(): void {
    for (const [ref, state] of this.states) if (state === undefined) this.states.delete(ref);
  }

  private request(ref: string): void {
    this.states.set(ref, undefined);
    this.queue.push(ref);
    if (this.queued) return;
    this.queued = true;
    // Everything a task renders (a frame's commits, a snapshot's messages) goes in one request.
    queueMicrotask(() => {
      this.queued = false;
      const refs = this.queue;
      this.queue = [];
      for (let i = 0; i < refs.length; i += MAX_PATHS) this.ask(refs.slice(i, i + MAX_PATHS));
    });
  }
}

/** A confirmed ref's anchor becomes a link to `#` (never followed: render/links.ts hands the click to the host). */
function makeLink(anchor: HTMLAnchorElement, ref: string): void {
  const target = parseFileRef(ref);
  if (!target) return;
  anchor.setAttribute('href', '#');
  anchor.setAttribute('data-file-link', '');
  anchor.dataset.testid = 'file-link';
  anchor.title = openFileTitle(target);
}

function openFileTitle(target: FileRefTarget): string {
  return target.line ? strings.answerContext.openFileAt(target.path, target.line) : strings.answerContext.openFile(target.path);
}

/** A file link was pressed: `openFile` with its ref's path and 1-based line (0: none). */
export function openFileRef(ref: string, host: { openFile(path: string, line: number): void }): void {
  const target = parseFileRef(ref);
  if (target) host.openFile(target.path, target.line ?? 0);
}
