import * as vscode from 'vscode';
import { ChatController } from './chat-controller';
import type { ModelAccess } from './model-access';
import type { RedactingLog } from './redacting-log';
import { chatHtml, webviewOptions } from './webview-html';

/** Opens a chat as an editor tab. Each panel is its own chat with its own transcript. */
export function openChatPanel(
  extensionUri: vscode.Uri,
  access: ModelAccess,
  log: RedactingLog,
): ChatController {
  const panel = vscode.window.createWebviewPanel('rill.chat', 'Rill', vscode.ViewColumn.Active, webviewOptions(extensionUri));
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'rill.svg');
  const controller = new ChatController(access, log);
  controller.attach(panel.webview);
  panel.webview.html = chatHtml(panel.webview, extensionUri);
  panel.onDidDispose(() => controller.dispose());
  return controller;
}
