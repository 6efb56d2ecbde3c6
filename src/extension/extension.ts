import * as vscode from 'vscode';
import { join } from 'node:path';
import { SessionStore } from '../core/sessions/session-store';
import { setApiKey } from './api-key';
import { ChatPanelSerializer, openChatPanel, PANEL_VIEW_TYPE, type PanelDeps } from './chat-panel';
import { ChatViewProvider } from './chat-view-provider';
import { chooseProvider } from './choose-provider';
import { exportSession } from './export-chat';
import { ModelAccess } from './model-access';
import { RedactingLog } from './redacting-log';
import { selectModel } from './select-model';
import { SessionManager } from './session-manager';
import { ViewRegistry } from './view-registry';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Rill', { log: true });
  const log = new RedactingLog(channel);
  const access = new ModelAccess(context.secrets, context.extensionPath);
  // Conversations live in the extension's own storage, never in settings.
  const store = new SessionStore(join(context.globalStorageUri.fsPath, 'sessions'), (file, reason) => {
    log.error(`A saved conversation could not be read (${reason}); it was set aside as ${file}.`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Rill: a saved conversation could not be read and was set aside as {0}.', file));
  });
  const manager = new SessionManager(store, access, log);
  const views = new ViewRegistry();
  const deps: PanelDeps = { extensionUri: context.extensionUri, manager, log, views };
  const sidebar = new ChatViewProvider(deps);

  context.subscriptions.push(
    channel,
    access,
    manager,
    sidebar,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, sidebar),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, new ChatPanelSerializer(deps)),
    vscode.commands.registerCommand('rill.openChat', () => {
      openChatPanel(deps);
    }),
    vscode.commands.registerCommand('rill.exportChat', async () => {
      const view = views.active ?? (await sidebar.reveal());
      return view ? exportSession(view.session) : undefined;
    }),
    vscode.commands.registerCommand('rill.setApiKey', () => setApiKey(context.secrets)),
    vscode.commands.registerCommand('rill.selectModel', () => selectModel(access, log)),
    vscode.commands.registerCommand('rill.chooseProvider', () => chooseProvider()),
  );
}

export function deactivate(): void {}
