import * as vscode from 'vscode';
import { setApiKey } from './api-key';
import { openChatPanel } from './chat-panel';
import { ChatViewProvider } from './chat-view-provider';
import { ModelAccess } from './model-access';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Rill', { log: true });
  const access = new ModelAccess(context.secrets);
  const sidebar = new ChatViewProvider(context.extensionUri, access, log);

  context.subscriptions.push(
    log,
    access,
    sidebar,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, sidebar),
    vscode.commands.registerCommand('rill.openChat', () => {
      openChatPanel(context.extensionUri, access, log);
    }),
    vscode.commands.registerCommand('rill.setApiKey', () => setApiKey(context.secrets)),
  );
}

export function deactivate(): void {}
