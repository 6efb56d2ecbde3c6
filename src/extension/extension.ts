import * as vscode from 'vscode';
import { setApiKey } from './api-key';
import { openChatPanel } from './chat-panel';
import { ChatViewProvider } from './chat-view-provider';
import { chooseProvider } from './choose-provider';
import { ModelAccess } from './model-access';
import { RedactingLog } from './redacting-log';
import { selectModel } from './select-model';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Rill', { log: true });
  const log = new RedactingLog(channel);
  const access = new ModelAccess(context.secrets, context.extensionPath);
  const sidebar = new ChatViewProvider(context.extensionUri, access, log);

  context.subscriptions.push(
    channel,
    access,
    sidebar,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, sidebar),
    vscode.commands.registerCommand('rill.openChat', () => {
      openChatPanel(context.extensionUri, access, log);
    }),
    vscode.commands.registerCommand('rill.setApiKey', () => setApiKey(context.secrets)),
    vscode.commands.registerCommand('rill.selectModel', () => selectModel(access, log)),
    vscode.commands.registerCommand('rill.chooseProvider', () => chooseProvider()),
  );
}

export function deactivate(): void {}
