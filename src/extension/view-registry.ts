import type { ChatView } from './chat-view';

/** The chat views that exist, and the one the user used last: commands act on that one. */
export class ViewRegistry {
  private readonly views = new Set<ChatView>();
  private readonly panels = new Set<ChatView>();
  private last?: ChatView;
  private lastPanel?: ChatView;

  add(view: ChatView, isPanel = false): void {
    this.views.add(view);
    if (isPanel) this.panels.add(view);
  }

  remove(view: ChatView): void {
    this.views.delete(view);
    this.panels.delete(view);
    if (this.last === view) this.last = [...this.views].pop();
    if (this.lastPanel === view) this.lastPanel = [...this.panels].pop();
  }

  focus(view: ChatView): void {
    this.last = view;
    if (this.panels.has(view)) this.lastPanel = view;
  }

  /** The chat panel used last, if one is open. */
  get activePanel(): ChatView | undefined {
    return this.lastPanel;
  }

  get active(): ChatView | undefined {
    return this.last;
  }

  /** The sessions shown by some view now. */
  shownSessions(): Set<string> {
    return new Set([...this.views].map((view) => view.session.id));
  }
}
