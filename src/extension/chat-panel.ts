import * as vscode from 'vscode';
import type { ChatSession } from './chat-session';
import { ChatView } from './chat-view';
import type { RedactingLog } from './redacting-log';
import type { SessionManager } from './session-manager';
import type { ViewRegistry } from './view-registry';
import type { ContextActions } from './context/context-actions';
import { chatHtml, webviewOptions } from './webview-html';

export const PANEL_VIEW_TYPE = 'rill.chat';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  manager: SessionManager;
  log: RedactingLog;
  views: ViewRegistry;
  context: ContextActions;
}

/** Opens a chat as an editor tab, on a new session unless one is given. */
export function openChatPanel(deps: PanelDeps, session: ChatSession = deps.manager.create()): ChatView {
  const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Rill', vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
  return bindPanel(panel, session, deps);
}

/**
 * Brings back the chat panels that were open when VS Code reloaded, each on its own session: the
 * webview keeps the session id in its state, which VS Code hands back here. The web workbench
 * saves that state only from time to time, so a panel may come back without it: it then shows the
 * latest conversation no other view shows, not an empty one.
 */
export class ChatPanelSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(private readonly deps: PanelDeps) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const id = typeof state === 'object' && state !== null ? (state as { sessionId?: unknown }).sessionId : undefined;
    const session =
      (typeof id === 'string' && (await this.deps.manager.get(id))) || (await this.deps.manager.mostRecent(this.deps.views.shownSessions()));
    panel.webview.options = webviewOptions(this.deps.extensionUri);
    bindPanel(panel, session, this.deps);
  }
}

function bindPanel(panel: vscode.WebviewPanel, session: ChatSession, deps: PanelDeps): ChatView {
  panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'rill.svg');
  const retitle = (s: ChatSession) => (panel.title = s.summary().title || 'Rill');
  const view = new ChatView(panel.webview, session, deps.manager, deps.log, deps.context, retitle);
  retitle(session);
  view.revealer = () => panel.reveal(undefined, false);
  view.onUsed = () => deps.views.focus(view);
  panel.webview.html = chatHtml(panel.webview, deps.extensionUri);
  deps.views.add(view, true);
  panel.onDidChangeViewState(() => panel.active && deps.views.focus(view));
  panel.onDidDispose(() => {
    deps.views.remove(view);
    view.dispose();
  });
  deps.views.focus(view);
  return view;
}
