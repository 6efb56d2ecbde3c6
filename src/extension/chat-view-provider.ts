import * as vscode from 'vscode';
import { ChatController } from './chat-controller';
import type { ModelAccess } from './model-access';
import type { RedactingLog } from './redacting-log';
import { chatHtml, webviewOptions } from './webview-html';

/**
 * The chat in the sidebar. VS Code may destroy and re-resolve the view's webview (when it is
 * hidden and shown again); the controller, and so the transcript, outlives it.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'rill.chatView';
  readonly controller: ChatController;

  constructor(
    private readonly extensionUri: vscode.Uri,
    access: ModelAccess,
    log: RedactingLog,
  ) {
    this.controller = new ChatController(access, log);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    this.controller.attach(view.webview);
    view.webview.html = chatHtml(view.webview, this.extensionUri);
    view.onDidDispose(() => this.controller.detach(view.webview));
  }

  dispose(): void {
    this.controller.dispose();
  }
}
