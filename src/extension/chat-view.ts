import * as vscode from 'vscode';
import type { FromWebviewMessage, ToWebviewPayload } from '../protocol/messages';
import { isOpenableLink, parseFromWebview } from '../protocol/parse';
import { PostQueue } from '../protocol/post-queue';
import type { ChatSession, SessionEvent, SessionListener } from './chat-session';
import { exportSession } from './export-chat';
import type { RedactingLog } from './redacting-log';
import type { SessionChange, SessionManager } from './session-manager';
import type { ContextActions } from './context/context-actions';

/** What the user does in a chat (not what the webview asks by itself): it makes the chat the one used last. */
const USED: ReadonlySet<FromWebviewMessage['type']> = new Set(['send', 'resend', 'draft', 'addContext', 'attachPaths']);

/**
 * Binds one webview (an editor panel or the sidebar) to the session it shows. It numbers what it
 * posts, answers `ready` with a full snapshot, checks every incoming message against the
 * protocol, and maps the few things a webview may ask for to the host's own code.
 */
export class ChatView implements vscode.Disposable {
  private seq = 0;
  /** Everything to the webview goes through here: at most one message in flight (see PostQueue). */
  private readonly outbox = new PostQueue((message) => {
    if (message.type === 'textAppended' || message.type === 'reasoningAppended') {
      this.current.delivered(this.listener, message.messageId, message.type === 'textAppended' ? 'text' : 'reasoning', message.text.length);
    }
    return this.webview.postMessage({ ...message, seq: ++this.seq });
  });
  private readonly listener: SessionListener = (event) => this.relay(event);
  private subscription?: vscode.Disposable;
  /** The history search running for this view; a newer query cancels it. */
  private search?: AbortController;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly webview: vscode.Webview,
    private current: ChatSession,
    private readonly manager: SessionManager,
    private readonly log: RedactingLog,
    /** Attachments, links into the workspace and Apply to file (see context/). */
    private readonly context: ContextActions,
    /** Told when this view switches to another session (a panel retitles itself). */
    private readonly onSwitched: (session: ChatSession) => void = () => undefined,
  ) {
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      manager.onDidChange((change) => this.sendChange(change)),
    );
    this.subscription = current.subscribe(this.listener);
  }

  get session(): ChatSession {
    return this.current;
  }

  toggleHistory(): void {
    this.post({ type: 'toggleHistory' });
  }

  /** Set by the panel or the sidebar that holds this view: brings it to front, focused. */
  revealer?: () => Thenable<unknown> | void;

  /**
   * Set by the panel or the sidebar that holds this view: the user typed, sent or attached something
   * in it, so it is the chat used last (commands such as rill.addFileToChat act on that one). Being
   * shown is not enough: a panel can stay shown while the user works in the sidebar.
   */
  onUsed?: () => void;

  /** Shows this chat with the prompt box focused (after a command attached something to it). */
  async reveal(): Promise<void> {
    await this.revealer?.();
    this.post({ type: 'focusComposer' });
  }

  async show(session: ChatSession): Promise<void> {
    this.subscription?.dispose();
    this.current = session;
    this.subscription = session.subscribe(this.listener);
    this.onSwitched(session);
    await this.sendSnapshot();
  }

  dispose(): void {
    this.search?.abort();
    this.subscription?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private relay(event: SessionEvent): void {
    if (event.type === 'reset') void this.sendSnapshot();
    else {
      this.post(event);
      if (event.type === 'messageAdded' || event.type === 'messageFinished') this.onSwitched(this.current);
    }
  }

  private receive(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) {
      // Never act on what is outside the protocol: the webview renders untrusted model output.
      this.log.warn('Ignored a message from the webview that is not part of the protocol.');
      return;
    }
    this.handle(message).catch((error: unknown) => {
      this.log.error(`Handling "${message.type}" failed: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Rill: {0}', error instanceof Error ? error.message : String(error)));
    });
  }

  private async handle(message: FromWebviewMessage): Promise<void> {
    const session = this.current;
    if (USED.has(message.type)) this.onUsed?.();
    switch (message.type) {
      case 'ready':
        return this.sendSnapshot();
      case 'loadOlder':
        return this.sendOlder(message.beforeId);
      case 'send':
        return session.ask(message.text, message.at);
      case 'draft':
        return session.setDraft(message.text);
      case 'stop':
        return session.stop(message.at);
      case 'action':
        return session.act(message.messageId, message.action);
      case 'regenerate':
        return session.regenerate(message.messageId);
      case 'resend':
        return session.resend(message.messageId, message.text, message.at);
      case 'painted':
        return session.painted(message.messageId, (trace) => trace.webviewPainted(message.which, message.at));
      case 'paints':
        return session.painted(message.messageId, (trace) => trace.webviewPaints(message.at, message.chars, this));
      case 'showDiagram':
        if (!session.traceFor(message.messageId)) return;
        await vscode.commands.executeCommand('rill.showStreamDiagram', { sessionId: session.id, messageId: message.messageId });
        return;
      case 'newSession':
        return this.show(this.manager.create());
      case 'switchSession': {
        const target = await this.manager.get(message.sessionId);
        return target ? this.show(target) : this.sendSessions();
      }
      case 'renameSession':
        return this.manager.rename(message.sessionId);
      case 'deleteSession':
        if ((await this.manager.delete(message.sessionId)) && message.sessionId === session.id) {
          await this.show(await this.manager.mostRecent());
        }
        return;
      case 'listSessions':
        return this.sendSessions();
      case 'searchSessions':
        return this.searchSessions(message.query);
      case 'exportSession':
        await exportSession(session);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'insertCode':
        return insertIntoEditor(message.code);
      case 'openCode': {
        const document = await vscode.workspace.openTextDocument({ content: message.code, language: message.language || 'plaintext' });
        await vscode.window.showTextDocument(document, { preview: false });
        return;
      }
      case 'toolApproval':
        return session.answerApproval(message.messageId, message.stepId, message.choice);
      case 'openDiff':
        return session.openDiff(message.messageId, message.stepId);
      case 'setTools':
        return session.setToolsEnabled(message.enabled);
      case 'addContext':
        return this.context.add(session, message.what);
      case 'attachPaths':
        return this.context.attachPaths(session, message.paths);
      case 'removeContext':
        return session.context.pending.remove(message.id);
      case 'suggestFiles':
        this.post({ type: 'fileSuggestions', query: message.query, files: await this.context.suggest(message.query) });
        return;
      case 'resolveFileRefs':
        this.post({ type: 'fileRefs', refs: await this.context.refs.resolve(message.refs) });
        return;
      case 'openFile':
        return this.context.refs.open(message.path, message.line);
      case 'applyCode':
        return this.context.apply(message.code, message.path);
      case 'openLink':
        if (isOpenableLink(message.url)) await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        else this.log.warn(`Refused to open a link with a scheme other than http, https or mailto.`);
        return;
    }
  }

  private async sendSnapshot(): Promise<void> {
    const session = this.current;
    const [environment, sessions] = await Promise.all([this.manager.environment(), this.manager.list()]);
    // The newest page only: older pages follow on `loadOlder`, so a snapshot does not grow with the conversation.
    const { messages, olderCount } = session.page() ?? { messages: [], olderCount: 0 };
    this.post({
      type: 'snapshot',
      snapshot: { session: session.summary(), messages, olderCount, environment, busy: session.busy, sessions, draft: session.draft, tools: session.toolsState(), context: session.context.pending.list() },
    });
  }

  /** The page before `beforeId`; nothing when this view has switched to a session without it (its snapshot follows). */
  private sendOlder(beforeId: string): void {
    const page = this.current.page(beforeId);
    if (page) this.post({ type: 'olderMessages', beforeId, ...page });
  }

  private async sendSessions(): Promise<void> {
    this.post({ type: 'sessions', current: this.current.summary(), sessions: await this.manager.list() });
  }

  /**
   * One conversation changed: the webview moves or drops that one item. (Sending the whole list on
   * every save cost ~130 bytes per saved conversation once a second while an answer streamed, and a
   * rebuild of the history in the webview each time.)
   */
  private sendChange(change: SessionChange): void {
    if (change.kind === 'saved') this.post({ type: 'sessionUpdated', summary: change.summary });
    else this.post({ type: 'sessionRemoved', id: change.id });
  }

  private async searchSessions(query: string): Promise<void> {
    this.search?.abort();
    const search = new AbortController();
    this.search = search;
    const ids = await this.manager.search(query, search.signal);
    if (this.search === search) this.search = undefined;
    // A cancelled search's answer is never sent; the webview also drops answers to older queries.
    if (ids) this.post({ type: 'sessionSearchResults', query, ids });
  }

  private post(message: ToWebviewPayload): void {
    // A hidden webview drops messages; the `ready` handshake repairs that.
    this.outbox.post(message);
  }
}

/** Inserts code at the cursor of the editor the user was last in (replacing its selection). */
async function insertIntoEditor(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Rill: open a file first, then insert the code at its cursor.'));
    return;
  }
  await editor.edit((edit) => edit.replace(editor.selection, code));
  await vscode.window.showTextDocument(editor.document, editor.viewColumn);
}
