import type { SessionSummary } from '../protocol/messages';
import { button, element } from './dom';
import { HistoryList } from './session-list';
import { strings } from './strings';
import type { HostConnection } from './vscode-api';

/**
 * The bar above the conversation: its title, new chat, history and export. The history lists the
 * saved conversations, newest first (see session-list.ts); renaming and deleting are confirmed by
 * the host.
 */
export class SessionBar {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  readonly history: HistoryList;
  private readonly historyButton: HTMLButtonElement;
  private currentId = '';

  constructor(private readonly host: HostConnection) {
    this.element = element('nav', 'session-bar');
    this.element.setAttribute('aria-label', strings.history);
    this.title = element('span', 'session-title');
    this.title.dataset.testid = 'session-title';
    this.historyButton = button('history', strings.history, () => this.toggle(), { icon: 'history', iconOnly: true });
    this.historyButton.setAttribute('aria-expanded', 'false');
    const actions = element('div', 'session-actions');
    actions.append(
      button('new-chat', strings.newChat, () => host.postMessage({ type: 'newSession' }), { icon: 'add', iconOnly: true }),
      this.historyButton,
      button('export', strings.exportChat, () => host.postMessage({ type: 'exportSession' }), { icon: 'export', iconOnly: true }),
    );
    this.history = new HistoryList({
      open: (sessionId) => {
        host.postMessage({ type: 'switchSession', sessionId });
        this.toggle();
      },
      rename: (sessionId) => host.postMessage({ type: 'renameSession', sessionId }),
      remove: (sessionId) => host.postMessage({ type: 'deleteSession', sessionId }),
      searchText: (query) => host.postMessage({ type: 'searchSessions', query }),
    });
    this.history.element.hidden = true;
    this.historyButton.setAttribute('aria-controls', 'rill-history');
    this.history.element.id = 'rill-history';
    const row = element('div', 'session-row');
    row.append(this.title, actions);
    this.element.append(row, this.history.element);
  }

  /** The conversation shown and the whole history list. */
  show(current: SessionSummary, sessions: SessionSummary[]): void {
    this.showCurrent(current);
    this.history.showAll(current.id, sessions);
  }

  /** A snapshot of another (or the same) conversation, keeping the list as it is. */
  showCurrent(current: SessionSummary): void {
    this.currentId = current.id;
    this.title.textContent = current.title || strings.untitled;
    this.history.setCurrent(current.id);
  }

  /** One saved conversation changed; the title follows when it is the one shown. */
  updated(summary: SessionSummary): void {
    if (summary.id === this.currentId) this.title.textContent = summary.title || strings.untitled;
    this.history.updated(summary);
  }

  removed(id: string): void {
    this.history.removed(id);
  }

  searchResults(query: string, ids: string[]): void {
    this.history.searchResults(query, ids);
  }

  toggle(): void {
    const open = this.history.element.hidden;
    this.history.element.hidden = !open;
    this.historyButton.setAttribute('aria-expanded', String(open));
    if (open) {
      if (!this.history.loaded) this.host.postMessage({ type: 'listSessions' });
      this.history.search.focus();
    } else {
      this.history.reset();
    }
  }
}
