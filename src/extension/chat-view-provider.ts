import * as vscode from 'vscode';
import type { ChatSession } from './chat-session';
import { ChatView } from './chat-view';
import type { PanelDeps } from './chat-panel';
import { chatHtml, webviewOptions } from './webview-html';

/**
 * The chat in the sidebar. VS Code may destroy and re-resolve the view's webview; the session it
 * shows (the most recent one at startup) outlives it.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'rill.chatView';
  private view?: ChatView;
  private webviewView?: vscode.WebviewView;
  private session?: ChatSession;
  private resolved?: () => void;
  private readonly whenResolved = new Promise<void>((resolve) => (this.resolved = resolve));

  constructor(private readonly deps: PanelDeps) {}

  /** The sidebar's chat view, once VS Code has shown it. */
  get chat(): ChatView | undefined {
    return this.view;
  }

  async resolveWebviewView(webviewView: vscode.WebviewView): Promise<void> {
    this.webviewView = webviewView;
    webviewView.webview.options = webviewOptions(this.deps.extensionUri);
    const session = this.session ?? (await this.deps.manager.mostRecent());
    this.view?.dispose();
    const view = new ChatView(webviewView.webview, session, this.deps.manager, this.deps.log, this.deps.context, (s) => {
      this.session = s;
      webviewView.description = s.summary().title || undefined;
    });
    view.revealer = () => this.reveal();
    view.onUsed = () => this.deps.views.focus(view);
    this.view = view;
    this.session = session;
    webviewView.description = session.summary().title || undefined;
    webviewView.webview.html = chatHtml(webviewView.webview, this.deps.extensionUri, 'sidebar');
    this.deps.views.add(view);
    this.deps.views.focus(view);
    webviewView.onDidChangeVisibility(() => webviewView.visible && this.deps.views.focus(view));
    webviewView.onDidDispose(() => {
      this.deps.views.remove(view);
      view.dispose();
      if (this.view === view) this.view = undefined;
      this.webviewView = undefined;
    });
    this.resolved?.();
  }

  /** Shows the sidebar chat, focused, and waits until its view exists. */
  async reveal(): Promise<ChatView | undefined> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
    await this.whenResolved;
    return this.view;
  }

  dispose(): void {
    this.view?.dispose();
  }
}
