import * as vscode from 'vscode';
import { join } from 'node:path';
import { SessionStore } from '../core/sessions/session-store';
import { setApiKey } from './api-key';
import { askFromPalette } from './ask';
import { ChatPanelSerializer, openChatPanel, PANEL_VIEW_TYPE, type PanelDeps } from './chat-panel';
import type { ChatView } from './chat-view';
import { ChatViewProvider } from './chat-view-provider';
import { checkConnection } from './check-connection';
import { compareStreams, showStreamDiagram } from './stream-diagram';
import { chooseProvider } from './choose-provider';
import { explainSelection } from './explain-selection';
import { exportSession } from './export-chat';
import { saveStreamRecording } from './recording/save-recording';
import { ModelAccess } from './model-access';
import { RedactingLog } from './redacting-log';
import { selectModel } from './select-model';
import { SessionManager } from './session-manager';
import { RillStatusBar } from './status-bar';
import { ViewRegistry } from './view-registry';
import { readAgentSettings } from './agent/agent-settings';
import { sessionAgents } from './agent/session-agent';
import { activateTools } from './tools/activate-tools';
import { createBuiltinTools, registerChangeDiffProvider } from './tools/builtin';
import { activateContext } from './context/activate-context';

/** Set by activate: deactivate lets the MCP servers' processes exit before VS Code ends the host. */
let closeTools: (() => Promise<void>) | undefined;
/** Set by activate: deactivate writes the sessions' index, so the next start reads no session file. */
let flushSessions: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('Rill', { log: true });
  const log = new RedactingLog(channel);
  const access = new ModelAccess(context.secrets, context.extensionPath);
  // Conversations live in the extension's own storage, never in settings.
  const store = new SessionStore(join(context.globalStorageUri.fsPath, 'sessions'), (file, reason) => {
    log.error(`A saved conversation could not be read (${reason}); it was set aside as ${file}.`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Rill: a saved conversation could not be read and was set aside as {0}.', file));
  });
  const storageUris = [context.globalStorageUri, context.logUri, ...(context.storageUri ? [context.storageUri] : [])];
  const builtin = createBuiltinTools({
    log,
    storageUris,
    commandTimeoutMs: () => readAgentSettings().commandTimeoutMs,
  });
  // Built-in, MCP and VS Code tools; trust and the user's picks applied at each request.
  const catalog = activateTools(context, { log, builtin: () => builtin });
  closeTools = () => catalog.close();
  const views = new ViewRegistry();
  /** The chat a command acts on: the one used last, else the sidebar. */
  const activeChat = async (): Promise<ChatView | undefined> => views.active ?? (await sidebar.reveal());
  // Attachments, links into the workspace, and the review of proposed changes (Apply to file, the edit tool).
  const attached = activateContext(context, { log, access, storageUris, chat: activeChat });
  const agents = sessionAgents({
    tools: (signal) => catalog.list(signal),
    reviewChange: (change) => attached.reviews.review(change, { notify: false }),
  });
  const manager = new SessionManager(store, access, log, { agent: agents, prepareContext: attached.prepare });
  flushSessions = () => store.flush();
  const deps: PanelDeps = { extensionUri: context.extensionUri, manager, log, views, context: attached.actions };
  const sidebar = new ChatViewProvider(deps);
  /** Where `rill.ask` answers: the sidebar, or a chat panel (`rill.ask.target`). */
  const askTarget = async (): Promise<ChatView | undefined> => {
    if (vscode.workspace.getConfiguration('rill').get<string>('ask.target') !== 'panel') return sidebar.reveal();
    return views.activePanel ?? openChatPanel(deps);
  };

  context.subscriptions.push(
    channel,
    registerChangeDiffProvider(),
    access,
    manager,
    sidebar,
    new RillStatusBar(manager, access),
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, sidebar),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, new ChatPanelSerializer(deps)),
    vscode.commands.registerCommand('rill.openChat', () => {
      openChatPanel(deps);
    }),
    vscode.commands.registerCommand('rill.ask', () => askFromPalette(context.globalState, askTarget)),
    vscode.commands.registerCommand('rill.explainSelection', () => explainSelection(access, () => sidebar.reveal())),
    vscode.commands.registerCommand('rill.newChat', async () => {
      const view = await activeChat();
      await view?.show(manager.create());
    }),
    vscode.commands.registerCommand('rill.stop', () => {
      for (const session of manager.busySessions()) session.stop();
    }),
    vscode.commands.registerCommand('rill.showHistory', async () => (await activeChat())?.toggleHistory()),
    vscode.commands.registerCommand('rill.exportChat', async () => {
      const view = await activeChat();
      return view ? exportSession(view.session) : undefined;
    }),
    vscode.commands.registerCommand('rill.setApiKey', () => setApiKey(context.secrets)),
    vscode.commands.registerCommand('rill.saveStreamRecording', async (args?: unknown) =>
      saveStreamRecording(args, { manager, activeSession: async () => (await activeChat())?.session }),
    ),
    vscode.commands.registerCommand('rill.selectModel', () => selectModel(access, log)),
    vscode.commands.registerCommand('rill.chooseProvider', () => chooseProvider()),
    vscode.commands.registerCommand('rill.checkConnection', () => checkConnection(access, log)),
    vscode.commands.registerCommand('rill.showStreamDiagram', async (args?: unknown) =>
      showStreamDiagram(args, { manager, log, extensionUri: context.extensionUri, activeSession: async () => (await activeChat())?.session }),
    ),
    vscode.commands.registerCommand('rill.compareStreams', () =>
      compareStreams({ manager, log, extensionUri: context.extensionUri, activeSession: async () => (await activeChat())?.session }),
    ),
  );
  // Measured for BENCHMARKS.md (npm run bench reads this line): nothing slow may run at activation.
  log.info(`Rill activated in ${(performance.now() - started).toFixed(1)} ms.`);
}

export async function deactivate(): Promise<void> {
  await Promise.all([closeTools?.(), flushSessions?.().catch(() => undefined)]);
}
