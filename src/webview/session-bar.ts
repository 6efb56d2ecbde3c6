import type { SessionSummary } from '../protocol/messages';
import { button, element } from './dom';
import { strings } from './strings';
import type { HostConnection } from './vscode-api';

/**
 * The bar above the conversation: its title, new chat, history and export. The history lists the
 * saved conversations, newest first; renaming and deleting are confirmed by the host.
 */
export class SessionBar {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly list: HTMLElement;
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
    this.list = element('ul', 'session-list');
    this.list.dataset.testid = 'session-list';
    this.list.hidden = true;
    const row = element('div', 'session-row');
    row.append(this.title, actions);
    this.element.append(row, this.list);
  }

  show(current: SessionSummary, sessions: SessionSummary[]): void {
    this.currentId = current.id;
    this.title.textContent = current.title || strings.untitled;
    this.list.replaceChildren(...sessions.map((s) => this.item(s)));
  }

  toggle(): void {
    this.list.hidden = !this.list.hidden;
    this.historyButton.setAttribute('aria-expanded', String(!this.list.hidden));
  }

  private item(summary: SessionSummary): HTMLElement {
    const item = element('li', summary.id === this.currentId ? 'current' : undefined);
    item.dataset.testid = 'session-item';
    item.dataset.sessionId = summary.id;
    const open = element('button', 'session-open');
    open.type = 'button';
    open.append(element('span', 'session-name', summary.title || strings.untitled), element('span', 'session-date', new Date(summary.updatedAt).toLocaleString()));
    open.addEventListener('click', () => {
      this.host.postMessage({ type: 'switchSession', sessionId: summary.id });
      this.toggle();
    });
    if (summary.id === this.currentId) open.setAttribute('aria-current', 'true');
    item.append(
      open,
      button('rename-session', strings.rename, () => this.host.postMessage({ type: 'renameSession', sessionId: summary.id }), { icon: 'edit', iconOnly: true }),
      button('delete-session', strings.delete, () => this.host.postMessage({ type: 'deleteSession', sessionId: summary.id }), { icon: 'trash', iconOnly: true }),
    );
    return item;
  }
}
