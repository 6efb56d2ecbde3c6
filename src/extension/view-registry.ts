import type { ChatView } from './chat-view';

/** The chat views that exist, and the one the user used last: commands act on that one. */
export class ViewRegistry {
  private readonly views = new Set<ChatView>();
  private last?: ChatView;

  add(view: ChatView): void {
    this.views.add(view);
  }

  remove(view: ChatView): void {
    this.views.delete(view);
    if (this.last === view) this.last = [...this.views].pop();
  }

  focus(view: ChatView): void {
    this.last = view;
  }

  get active(): ChatView | undefined {
    return this.last;
  }

  /** The sessions shown by some view now. */
  shownSessions(): Set<string> {
    return new Set([...this.views].map((view) => view.session.id));
  }
}
