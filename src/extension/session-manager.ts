import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { newSessionRecord, recoverInterrupted } from '../core/sessions/session-record';
import { searchRecords } from '../core/sessions/session-search';
import type { SessionStore } from '../core/sessions/session-store';
import type { ChatMessageView, SessionSummary } from '../protocol/messages';
import { ChatSession, type SessionAgentFactory } from './chat-session';
import type { PrepareContext } from './context/session-context';
import type { ModelAccess } from './model-access';
import type { RedactingLog } from './redacting-log';

/** Which saved conversation changed: one was saved (or renamed), or one was deleted. */
export type SessionChange = { kind: 'saved'; summary: SessionSummary } | { kind: 'removed'; id: string };

/**
 * The open conversations and the saved ones. A session is loaded once and shared by every view
 * showing it, so it has one transcript, one request and one writer.
 */
export class SessionManager implements vscode.Disposable {
  private readonly open = new Map<string, ChatSession>();
  private readonly changed = new vscode.EventEmitter<SessionChange>();
  /** Fires when the list of saved sessions changed (a save, a rename, a delete), saying which one. */
  readonly onDidChange = this.changed.event;
  private readonly streaming = new vscode.EventEmitter<{ session: ChatSession; finished?: ChatMessageView }>();
  /** Fires when an answer starts streaming in some session, and when it ends (with the message). */
  readonly onDidChangeStreaming = this.streaming.event;

  constructor(
    private readonly store: SessionStore,
    private readonly access: ModelAccess,
    private readonly log: RedactingLog,
    /** What every session gets from the extension: its agent side and the reading of attached context. */
    private readonly parts: { agent: SessionAgentFactory; prepareContext: PrepareContext },
  ) {}

  environment(): ReturnType<ModelAccess['environment']> {
    return this.access.environment();
  }

  list(): Promise<SessionSummary[]> {
    return this.store.list();
  }

  /**
   * The ids of saved conversations, newest first, that contain every word of `query` (see
   * core/sessions/session-search.ts); `undefined` when `signal` cancelled it. Reads the saved files,
   * not the open sessions, so it never loads a conversation into memory to keep.
   */
  async search(query: string, signal?: AbortSignal): Promise<string[] | undefined> {
    const ids = (await this.store.list()).map((summary) => summary.id);
    return searchRecords(ids, (id) => this.store.load(id), query, { signal });
  }

  create(): ChatSession {
    const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    return this.track(new ChatSession(newSessionRecord(id, Date.now()), this.deps()));
  }

  /** The session with this id, loaded from disk if needed; `undefined` when it no longer exists. */
  async get(id: string): Promise<ChatSession | undefined> {
    const open = this.open.get(id);
    if (open) return open;
    const saved = await this.store.load(id);
    if (!saved) return undefined;
    // Another view may have opened it while the file was read.
    const raced = this.open.get(id);
    if (raced) return raced;
    const note = vscode.l10n.t('Interrupted: VS Code reloaded or closed while this answer was streaming. The text so far is kept.');
    return this.track(new ChatSession(recoverInterrupted(saved, note), this.deps()));
  }

  /**
   * The most recently used session, for the sidebar at startup or a panel restored without its
   * state, or a new one. `except` skips sessions another view already shows.
   */
  async mostRecent(except: ReadonlySet<string> = new Set()): Promise<ChatSession> {
    for (const summary of await this.list()) {
      if (except.has(summary.id)) continue;
      const session = await this.get(summary.id);
      if (session) return session;
    }
    return this.create();
  }

  async rename(id: string): Promise<void> {
    const session = await this.get(id);
    if (!session) return;
    const title = await vscode.window.showInputBox({
      title: vscode.l10n.t('Rename Conversation'),
      value: session.summary().title,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('A title cannot be empty.')),
    });
    if (title) await session.rename(title);
  }

  /** Deletes a saved session after the user confirms. Returns whether it was deleted. */
  async delete(id: string): Promise<boolean> {
    const session = await this.get(id);
    if (!session) return false; // nothing to delete (a stale list, or a forged message): ask nothing
    const title = session?.summary().title || vscode.l10n.t('Untitled conversation');
    const remove = vscode.l10n.t('Delete');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete the conversation "{0}"? This cannot be undone.', title),
      { modal: true },
      remove,
    );
    if (answer !== remove) return false;
    session?.dispose();
    this.open.delete(id);
    await this.store.delete(id);
    this.changed.fire({ kind: 'removed', id });
    return true;
  }

  /** Every session with an answer streaming now. */
  busySessions(): ChatSession[] {
    return [...this.open.values()].filter((session) => session.busy);
  }

  dispose(): void {
    for (const session of this.open.values()) session.dispose();
    this.changed.dispose();
    this.streaming.dispose();
  }

  private track(session: ChatSession): ChatSession {
    this.open.set(session.id, session);
    return session;
  }

  private deps() {
    return {
      access: this.access,
      log: this.log,
      store: this.store,
      onSaved: (summary: SessionSummary) => this.changed.fire({ kind: 'saved', summary }),
      onStreaming: (session: ChatSession, finished?: ChatMessageView) => this.streaming.fire({ session, finished }),
      agent: this.parts.agent,
      prepareContext: this.parts.prepareContext,
    };
  }
}
