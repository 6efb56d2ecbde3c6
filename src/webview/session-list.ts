import { queryWords, titleMatches } from '../core/sessions/session-search';
import type { SessionSummary } from '../protocol/messages';
import { button, element } from './dom';
import { strings } from './strings';

/** Items rendered at first, and added by each "Show more" (or scroll to the end). */
export const PAGE_SIZE = 50;
/** Quiet time after typing before the host is asked to search inside the conversations. */
export const SEARCH_DELAY_MS = 250;

export interface HistoryActions {
  open(id: string): void;
  rename(id: string): void;
  remove(id: string): void;
  /** Search the conversations' text; the answer comes back through `searchResults`. */
  searchText(query: string): void;
}

interface Item {
  li: HTMLLIElement;
  summary: SessionSummary;
  current: boolean;
  name: HTMLElement;
  date: HTMLTimeElement;
  open: HTMLButtonElement;
}

/**
 * The history's list of saved conversations, newest first. With thousands of them only a page is in
 * the DOM: the first PAGE_SIZE, more on "Show more" or on scrolling to the end. (A page rather than
 * true virtualisation: every rendered item stays a real, focusable, findable element, and the
 * list's height is not estimated.) One changed conversation moves or updates its own item only; the
 * other items are the same elements before and after.
 *
 * The search box filters by title at once; after a pause the host searches the words inside the
 * conversations and its answer adds those. An answer to an older query is dropped.
 */
export class HistoryList {
  readonly element: HTMLElement;
  readonly search: HTMLInputElement;
  readonly list: HTMLUListElement;
  private readonly more: HTMLButtonElement;
  private readonly status: HTMLElement;
  private summaries: SessionSummary[] = [];
  private readonly items = new Map<string, Item>();
  private limit = PAGE_SIZE;
  private currentId = '';
  private query = '';
  private words: string[] = [];
  /** The host's text matches for `query` (absent until it answers). */
  private textHits?: Set<string>;
  private searchTimer?: ReturnType<typeof setTimeout>;
  /** Whether a full list arrived; until then opening the history asks the host for it. */
  loaded = false;

  constructor(
    private readonly actions: HistoryActions,
    private readonly searchDelayMs = SEARCH_DELAY_MS,
  ) {
    this.element = element('div', 'session-history');
    this.search = element('input', 'session-search');
    this.search.type = 'search';
    this.search.dataset.testid = 'session-search';
    this.search.placeholder = strings.searchHistory;
    this.search.setAttribute('aria-label', strings.searchHistory);
    this.search.addEventListener('input', () => this.setQuery(this.search.value));
    this.search.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        this.focusItem(0);
      } else if (event.key === 'Escape' && this.search.value) {
        // Clear first; a second Escape reaches the chat (which stops a streaming answer).
        event.preventDefault();
        this.search.value = '';
        this.setQuery('');
      }
    });
    this.list = element('ul', 'session-list');
    this.list.dataset.testid = 'session-list';
    this.list.setAttribute('aria-label', strings.savedConversations);
    this.list.addEventListener('keydown', (event) => this.onKey(event));
    this.list.addEventListener('scroll', () => {
      if (this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 40) this.showMore();
    });
    this.more = button('session-more', strings.showMore, () => this.showMore(), { secondary: true });
    this.more.classList.add('session-more');
    this.status = element('div', 'session-status');
    this.status.setAttribute('role', 'status');
    this.element.append(this.search, this.list, this.status, this.more);
    this.render();
  }

  /** The whole list (a snapshot, or the host's answer to `listSessions`). */
  showAll(currentId: string, sessions: readonly SessionSummary[]): void {
    this.loaded = true;
    this.currentId = currentId;
    this.summaries = [...sessions];
    this.render();
  }

  setCurrent(currentId: string): void {
    this.currentId = currentId;
    this.render();
  }

  /** One conversation was saved: it takes its place by date (the top, for a save now). */
  updated(summary: SessionSummary): void {
    const rest = this.summaries.filter((s) => s.id !== summary.id);
    const at = rest.findIndex((s) => s.updatedAt <= summary.updatedAt);
    rest.splice(at < 0 ? rest.length : at, 0, summary);
    this.summaries = rest;
    this.render();
  }

  removed(id: string): void {
    this.summaries = this.summaries.filter((s) => s.id !== id);
    this.textHits?.delete(id);
    this.render();
  }

  /** The host's answer to a text search; dropped unless it answers what the box says now. */
  searchResults(query: string, ids: readonly string[]): void {
    if (query !== this.query || !this.words.length) return;
    this.textHits = new Set(ids);
    this.render();
  }

  /** Back to the first page and no filter: how the history opens next time. */
  reset(): void {
    clearTimeout(this.searchTimer);
    this.search.value = '';
    this.query = '';
    this.words = [];
    this.textHits = undefined;
    this.limit = PAGE_SIZE;
    this.render();
  }

  showMore(): void {
    if (this.more.hidden) return;
    this.limit += PAGE_SIZE;
    this.render();
  }

  private setQuery(value: string): void {
    const query = value.trim();
    if (query === this.query) return;
    this.query = query;
    this.words = queryWords(query);
    this.textHits = undefined;
    this.limit = PAGE_SIZE;
    this.render();
    clearTimeout(this.searchTimer);
    if (this.words.length) this.searchTimer = setTimeout(() => this.actions.searchText(query), this.searchDelayMs);
  }

  private visible(): SessionSummary[] {
    if (!this.words.length) return this.summaries;
    return this.summaries.filter((s) => titleMatches(s, this.words) || this.textHits?.has(s.id));
  }

  /** Brings the DOM to the first `limit` visible items, touching only items that came, went or moved. */
  private render(): void {
    const visible = this.visible();
    const shown = visible.slice(0, this.limit);
    const keep = new Set(shown.map((s) => s.id));
    for (const [id, item] of this.items) {
      if (keep.has(id)) continue;
      item.li.remove();
      this.items.delete(id);
    }
    let previous: Element | null = null;
    for (const summary of shown) {
      const item = this.items.get(summary.id) ?? this.create(summary);
      this.update(item, summary);
      const at: Element | null = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (at !== item.li) this.list.insertBefore(item.li, at);
      previous = item.li;
    }
    this.more.hidden = visible.length <= shown.length;
    const searching = this.words.length > 0;
    this.status.textContent = searching ? (visible.length ? strings.matchingConversations(visible.length) : strings.noMatches) : '';
    this.status.hidden = !searching;
  }

  private create(summary: SessionSummary): Item {
    const li = element('li');
    li.dataset.testid = 'session-item';
    li.dataset.sessionId = summary.id;
    const open = element('button', 'session-open');
    open.type = 'button';
    const name = element('span', 'session-name');
    const date = element('time', 'session-date');
    open.append(name, date);
    const id = summary.id;
    open.addEventListener('click', () => this.actions.open(id));
    li.append(
      open,
      button('rename-session', strings.rename, () => this.actions.rename(id), { icon: 'edit', iconOnly: true }),
      button('delete-session', strings.delete, () => this.actions.remove(id), { icon: 'trash', iconOnly: true }),
    );
    const item: Item = { li, summary, current: false, name, date, open };
    this.items.set(id, item);
    this.fill(item);
    return item;
  }

  private update(item: Item, summary: SessionSummary): void {
    const current = summary.id === this.currentId;
    if (item.summary === summary && item.current === current) return;
    item.summary = summary;
    this.fill(item);
  }

  private fill(item: Item): void {
    const { summary } = item;
    item.current = summary.id === this.currentId;
    item.name.textContent = summary.title || strings.untitled;
    item.date.dateTime = new Date(summary.updatedAt).toISOString();
    item.date.textContent = new Date(summary.updatedAt).toLocaleString();
    item.li.classList.toggle('current', item.current);
    if (item.current) item.open.setAttribute('aria-current', 'true');
    else item.open.removeAttribute('aria-current');
  }

  /** Up and Down move between conversations (Home, End: first and last shown); Tab still walks every button. */
  private onKey(event: KeyboardEvent): void {
    const opens = [...this.list.querySelectorAll<HTMLButtonElement>('.session-open')];
    const from = opens.findIndex((b) => b.parentElement?.contains(document.activeElement ?? null));
    if (from < 0) return;
    let to: number;
    if (event.key === 'ArrowDown') to = from + 1;
    else if (event.key === 'ArrowUp') to = from - 1;
    else if (event.key === 'Home') to = 0;
    else if (event.key === 'End') to = opens.length - 1;
    else return;
    event.preventDefault();
    if (to < 0) this.search.focus();
    else {
      if (to >= opens.length) this.showMore();
      this.focusItem(to);
    }
  }

  private focusItem(index: number): void {
    const opens = this.list.querySelectorAll<HTMLButtonElement>('.session-open');
    opens[Math.min(index, opens.length - 1)]?.focus();
  }
}
