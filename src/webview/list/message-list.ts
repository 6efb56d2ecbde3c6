import type { ChatMessageView } from '../../protocol/messages';
import { button, element } from '../dom';
import { MessageView, type MessageHost } from '../message-view';
import { strings } from '../strings';
import { sumHeights, windowRange } from './window-range';

/**
 * The message log of a long conversation (issue 14): older pages loaded on demand, and only the
 * messages near the viewport rendered.
 *
 * Layout inside the log (role=log, each rendered message an <article>):
 *   [Load earlier messages] [top spacer] [rendered window] [bottom spacer] [last prompt and after]
 * A spacer stands for the messages it replaces at their last measured height, so the scrollbar and
 * the scroll position stay true. The last prompt and everything after it (the streaming answer) are
 * always rendered: the stream, Up to edit and Regenerate act on them.
 *
 * Find in page: VS Code's Ctrl+F in a webview finds only text in the DOM. We chose to window
 * anyway and not to render everything for search: a 2,000-message conversation is 50,000 nodes
 * (seconds to open, slow typing), and the webview find widget gives the page no hook to render on
 * demand. Ctrl+F therefore finds what is rendered (the messages around the viewport, the newest page
 * on open); scrolling renders more, and finding a conversation by its text is the history search's
 * job. Below WINDOW_FROM loaded messages nothing is windowed, so Ctrl+F finds everything there.
 * Copy (each message's button) copies the full message; a drag selection copies what is rendered.
 */

/**
 * Below this many loaded messages everything stays rendered: Ctrl+F, a drag selection and anything
 * that counts the articles see the whole conversation, and nothing can jump. At the ~25 nodes a
 * message issue 14 measured (2,000 messages, 50,000 nodes) that is ~6,000 nodes at most, what every
 * chat held before windowing; the long conversations the windowing is for are far past it. At 100 it
 * reached ordinary day-long chats (the e2e fault and hostile suites' single conversations).
 */
export const WINDOW_FROM = 250;
/** Messages rendered at once when a long page opens (at its end): more than a tall viewport shows. */
const RENDER_ON_OPEN = 30;
/** Height assumed for a message never rendered yet; corrected when it is measured. */
const ESTIMATED_HEIGHT = 120;
/** Rendered band above and below the visible part: a viewport's height, at least this. */
const MIN_OVERSCAN_PX = 800;
/** Ask for the older page when the visible part is within a viewport's height (at least this) of the top. */
const LOAD_OLDER_WITHIN_PX = 400;
/** As the composer's follow mode: within this of the bottom counts as at the bottom. */
const AT_END_PX = 40;

/** How the list reads the layout; injected in tests (jsdom has no layout). */
export interface ListLayout {
  /** A rendered message's height. */
  measure(element: HTMLElement): number;
  /** The visible part of the list: its top, from the top of the first loaded message, and its height. */
  viewport(): { top: number; height: number };
}

interface Entry {
  /** The message as last shown (taken back from its view when the view is dropped). */
  message: ChatMessageView;
  view?: MessageView;
  height: number;
}

export class MessageList {
  private entries: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  private olderCount = 0;
  /** The `beforeId` of the page asked for and not yet received. */
  private waitingFor?: string;
  private frame?: number;
  private readonly more: HTMLButtonElement;
  private readonly topSpacer = spacer('top');
  private readonly bottomSpacer = spacer('bottom');
  private readonly layout: ListLayout;
  /** Views the list renders again (scrolled back to, older pages): they must not move follow mode. */
  private readonly quietHost: MessageHost;

  constructor(
    private readonly log: HTMLElement,
    private readonly host: MessageHost,
    private readonly requestOlder: (beforeId: string) => void,
    layout: Partial<ListLayout> = {},
  ) {
    this.more = button('load-older', strings.loadOlder, () => this.loadOlder(), { icon: 'fold-up', secondary: true });
    this.more.classList.add('load-older');
    this.more.hidden = true;
    this.layout = {
      measure: layout.measure ?? ((el) => el.getBoundingClientRect().height),
      viewport: layout.viewport ?? (() => ({ top: this.log.getBoundingClientRect().top - this.topSpacer.getBoundingClientRect().top, height: this.log.clientHeight })),
    };
    this.quietHost = { ...host, rendered: () => undefined };
    this.log.replaceChildren(this.more, this.topSpacer, this.bottomSpacer);
    this.log.addEventListener('scroll', () => this.schedule());
  }

  /** A snapshot: the newest page, and how many older messages the host holds. */
  reset(messages: readonly ChatMessageView[], olderCount: number): void {
    this.cancel();
    this.entries = [];
    this.byId.clear();
    this.waitingFor = undefined;
    this.olderCount = olderCount;
    setHeight(this.topSpacer, 0);
    setHeight(this.bottomSpacer, 0);
    this.log.replaceChildren(this.more, this.topSpacer, this.bottomSpacer);
    this.showMore();
    // A long page opens at its end: only its newest messages are rendered now (rendering all 300 of
    // a page only to window most of them away made opening cost what windowing saves); the others
    // wait, at the estimated height, for update() to render what is near the viewport.
    const renderFrom = messages.length >= WINDOW_FROM ? messages.length - RENDER_ON_OPEN : 0;
    messages.forEach((message, i) => {
      if (i >= renderFrom) {
        this.add(message);
        return;
      }
      const entry: Entry = { message, height: ESTIMATED_HEIGHT };
      this.entries.push(entry);
      this.byId.set(message.id, entry);
    });
    if (renderFrom > 0) setHeight(this.topSpacer, renderFrom * ESTIMATED_HEIGHT);
  }

  /** A new message at the end (always rendered: it is part of the last turn). */
  add(message: ChatMessageView): MessageView {
    const view = new MessageView(message, this.host);
    const entry: Entry = { message, view, height: ESTIMATED_HEIGHT };
    this.entries.push(entry);
    this.byId.set(message.id, entry);
    this.log.append(view.element);
    this.schedule();
    return view;
  }

  /** The page before `beforeId` arrived; a stale answer (another snapshot came since) is ignored. */
  prepend(beforeId: string, messages: readonly ChatMessageView[], olderCount: number): void {
    if (beforeId !== this.waitingFor || beforeId !== this.entries[0]?.message.id) return;
    this.waitingFor = undefined;
    this.olderCount = olderCount;
    const fresh = messages.filter((m) => !this.byId.has(m.id)).map((message): Entry => ({ message, height: ESTIMATED_HEIGHT }));
    for (const entry of fresh) this.byId.set(entry.message.id, entry);
    // The new messages first join the top spacer at an estimated height, the reader's view held in
    // place, so the layout agrees with the entries before the window is worked out from it.
    // (Hiding the button when nothing older is left moves the messages too: it is done in between.)
    const anchor = this.anchor();
    this.entries.unshift(...fresh);
    this.showMore();
    setHeight(this.topSpacer, (parseFloat(this.topSpacer.style.height) || 0) + fresh.length * ESTIMATED_HEIGHT);
    if (anchor?.element.isConnected) this.log.scrollTop += anchor.element.getBoundingClientRect().top - anchor.top;
    // At once, not in a frame: the new messages go in above the reader, who must not see a jump.
    this.update();
    if (fresh.length) this.host.announce(strings.olderLoaded(fresh.length));
  }

  /** The rendered view of a message, if it is rendered. */
  get(id: string): MessageView | undefined {
    return this.byId.get(id)?.view;
  }

  /** The rendered messages, oldest first; always ends with the last prompt and what follows it. */
  views(): MessageView[] {
    return this.entries.flatMap((e) => (e.view ? [e.view] : []));
  }

  /** Asks the host for the page before the oldest loaded message (once at a time). */
  loadOlder(): void {
    const first = this.entries[0]?.message.id;
    if (this.olderCount <= 0 || this.waitingFor !== undefined || first === undefined) return;
    this.waitingFor = first;
    this.requestOlder(first);
  }

  /** Lays the window out again in the next frame (after a scroll or a new message). */
  schedule(): void {
    // A short conversation with nothing older (most chats) costs no frame and no layout read.
    if (this.entries.length < WINDOW_FROM && this.olderCount <= 0) return;
    if (this.frame === undefined) this.frame = requestAnimationFrame(() => this.update());
  }

  /** Renders what is near the viewport, drops what is far, keeps what the reader sees in place. */
  update(): void {
    this.cancel();
    if (this.entries.length >= WINDOW_FROM || this.entries.some((e) => !e.view)) {
      const atEnd = this.log.scrollHeight - this.log.clientHeight - this.log.scrollTop < AT_END_PX;
      const anchor = atEnd ? undefined : this.anchor();
      // Newly rendered messages change the heights the range was computed from: settle in a few passes.
      let changed = true;
      for (let pass = 0; pass < 3 && changed; pass++) {
        changed = this.applyWindow();
        if (atEnd) this.log.scrollTop = this.log.scrollHeight;
        else if (anchor?.element.isConnected) this.log.scrollTop += anchor.element.getBoundingClientRect().top - anchor.top;
      }
      // Estimates far from the real heights: go on settling in the next frame rather than block this one.
      if (changed) this.schedule();
    }
    this.loadOlderIfNearTop();
  }

  private applyWindow(): boolean {
    const { heights, keepFrom } = this.measure();
    let range = { start: 0, end: keepFrom };
    if (this.entries.length >= WINDOW_FROM) {
      const { top, height } = this.layout.viewport();
      range = windowRange({ heights, viewTop: top, viewHeight: height, overscan: Math.max(MIN_OVERSCAN_PX, height), keepFrom });
    }
    let changed = false;
    this.entries.forEach((entry, i) => {
      if (entry.view && i < keepFrom && (i < range.start || i >= range.end)) {
        entry.message = entry.view.current;
        entry.view.element.remove();
        entry.view = undefined;
        changed = true;
      }
    });
    // Existing elements are never moved (that would drop focus inside them): new ones go in beside them.
    let previous: Element = this.topSpacer;
    const place = (entry: Entry): void => {
      if (!entry.view) {
        entry.view = new MessageView(entry.message, this.quietHost);
        previous.after(entry.view.element);
        entry.height = this.layout.measure(entry.view.element);
        changed = true;
      }
      previous = entry.view.element;
    };
    for (let i = range.start; i < range.end; i++) place(this.entries[i]!);
    if (previous.nextSibling !== this.bottomSpacer) previous.after(this.bottomSpacer);
    previous = this.bottomSpacer;
    for (let i = keepFrom; i < this.entries.length; i++) place(this.entries[i]!);
    const all = this.entries.map((e) => e.height);
    setHeight(this.topSpacer, sumHeights(all, 0, range.start));
    setHeight(this.bottomSpacer, sumHeights(all, range.end, keepFrom));
    return changed;
  }

  /** Measures the rendered messages; returns every height and where the always-rendered tail starts. */
  private measure(): { heights: number[]; keepFrom: number } {
    let keepFrom = Math.max(0, this.entries.length - 1);
    this.entries.forEach((entry, i) => {
      if (entry.view) entry.height = this.layout.measure(entry.view.element);
      if (entry.message.role === 'user') keepFrom = i;
    });
    return { heights: this.entries.map((e) => e.height), keepFrom };
  }

  /** The first rendered message still visible at the top: it keeps its place on screen. */
  private anchor(): { element: HTMLElement; top: number } | undefined {
    const top = this.log.getBoundingClientRect().top;
    for (const entry of this.entries) {
      const rect = entry.view?.element.getBoundingClientRect();
      if (entry.view && rect && rect.bottom > top) return { element: entry.view.element, top: rect.top };
    }
    return undefined;
  }

  private loadOlderIfNearTop(): void {
    if (this.olderCount <= 0 || this.waitingFor !== undefined) return;
    const { top, height } = this.layout.viewport();
    if (top < Math.max(LOAD_OLDER_WITHIN_PX, height)) this.loadOlder();
  }

  private showMore(): void {
    this.more.hidden = this.olderCount <= 0;
  }

  private cancel(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }
}

function spacer(which: 'top' | 'bottom'): HTMLElement {
  const el = element('div', 'list-spacer');
  el.dataset.testid = `list-spacer-${which}`;
  // Stands for messages not rendered: nothing in it for assistive technology to read.
  el.setAttribute('aria-hidden', 'true');
  return el;
}

/** An empty spacer has no style attribute at all: the DOM audits flag any (test/e2e/hostile-corpus.ts). */
function setHeight(el: HTMLElement, px: number): void {
  const value = `${Math.round(px * 100) / 100}px`;
  if (px <= 0) el.removeAttribute('style');
  else if (el.style.height !== value) el.style.height = value;
}
