import * as vscode from 'vscode';
import { Conversation } from '../core/conversation';
import { pageBefore } from '../core/conversation-pages';
import { summarize, titleFrom, type SessionRecord } from '../core/sessions/session-record';
import type { SessionStore } from '../core/sessions/session-store';
import { keepRecentTraces, savedTrace, type RequestTrace, type TraceRecorder } from '../core/trace';
import type { ApprovalChoice, ToolsState } from '../protocol/agent-messages';
import type { ChatMessageView, MessageAction, SessionSummary } from '../protocol/messages';
import type { SessionAgent, SessionAgentFactory } from './agent/session-agent-types';
import { SessionContext, type PrepareContext, type PromptContext } from './context/session-context';
import { AnswerRequest, type LiveStats } from './request/answer-request';
import { recentRecordings } from './recording/recent-recordings';
import type { SessionEvent, SessionListener } from './request/session-event';
import type { ModelAccess } from './model-access';
import type { RedactingLog } from './redacting-log';

export type { SessionEvent, SessionListener } from './request/session-event';
export type { LiveStats } from './request/answer-request';
export type { SessionAgent, SessionAgentFactory } from './agent/session-agent-types';

/** How often a streaming answer is saved, so a crash or reload loses at most this much. */
const SAVE_WHILE_STREAMING_MS = 1000;

export interface SessionDeps {
  access: ModelAccess;
  log: RedactingLog;
  store: SessionStore;
  /** Told whenever the session's summary (title, date, size) changed on disk. */
  onSaved: (summary: SessionSummary) => void;
  /** Told when an answer starts or ends streaming (the final message when it ends). */
  onStreaming: (session: ChatSession, finished?: ChatMessageView) => void;
  /** Agent mode: builds what a request needs to run with tools (see session-agent.ts). */
  agent: SessionAgentFactory;
  /** Attached context: reads a prompt's attachments and fits them to the model (see context/). */
  prepareContext: PrepareContext;
}


/**
 * One conversation: its transcript, the request streaming into it, and its saved copy. Views
 * (an editor panel, the sidebar) subscribe to it; the transcript lives here, not in a webview, so a
 * hidden or reloaded webview is rebuilt from a snapshot and loses nothing, and two views showing
 * the same session never disagree.
 */
export class ChatSession implements vscode.Disposable {
  readonly id: string;
  private readonly conversation: Conversation;
  private readonly listeners = new Set<SessionListener>();
  private title: string;
  private titleIsCustom: boolean;
  private draftText: string;
  private readonly createdAt: number;
  private updatedAt: number;
  private saved: boolean;
  private saveTimer?: ReturnType<typeof setTimeout>;
  private running?: AnswerRequest;
  private readonly agent: SessionAgent;
  /** The chips waiting in the composer, and how a prompt's context is built. */
  readonly context: SessionContext;
  /** A prompt's context is being read: one prompt at a time, as with answers. */
  private preparing = false;
  /** The composer's tools toggle for this conversation. */
  private toolsEnabled: boolean;
  /** A model that rejected `tools` in this conversation: it is not offered them again. */
  private toolsUnsupportedModel?: string;
  /** Traces of the recent requests, saved with the conversation (the newest last). */
  private traces: RequestTrace[];
  /** The last request's recorder: the webview reports its last paint after the answer ended. */
  private lastRecorder?: TraceRecorder;
  /** What started the next answer, for its trace. */
  private origin: { trigger: string; sentAt?: number } = { trigger: 'send' };
  /** Oldest turns to leave out of the next requests, raised by "trim and retry". */
  private trimmedTurns = 0;

  constructor(
    record: SessionRecord,
    private readonly deps: SessionDeps,
  ) {
    this.id = record.id;
    this.conversation = new Conversation(record.messages);
    this.title = record.title;
    this.titleIsCustom = record.titleIsCustom === true;
    this.draftText = record.draft ?? '';
    this.traces = record.traces ?? [];
    this.createdAt = record.createdAt;
    this.updatedAt = record.updatedAt;
    this.saved = record.messages.length > 0 || this.draftText !== '';
    this.agent = deps.agent();
    this.context = new SessionContext((event) => this.post(event), deps.prepareContext);
    this.toolsEnabled = record.tools?.enabled ?? this.agent.defaultEnabled();
    this.toolsUnsupportedModel = record.tools?.unsupportedModel;
  }

  get draft(): string {
    return this.draftText;
  }

  /** Keeps the prompt box's unsent text with the conversation (saved within a second). */
  setDraft(text: string): void {
    if (text === this.draftText) return;
    this.draftText = text;
    this.saveSoon();
  }

  private get access(): ModelAccess {
    return this.deps.access;
  }

  private get log(): RedactingLog {
    return this.deps.log;
  }

  subscribe(listener: SessionListener): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  summary(): SessionSummary {
    const { id, title, createdAt, updatedAt } = this;
    return { id, title, createdAt, updatedAt, messageCount: this.conversation.list().length };
  }

  /** The transcript as views show it: without the attachments' text, which only the model reads. */
  messages(): ChatMessageView[] {
    return this.savedMessages().map(withoutContext);
  }

  /**
   * One page of the transcript as views show it: the newest (for a snapshot), or the one before
   * `beforeId` (the webview scrolled up); `undefined` when no message has that id. Only the page is
   * copied, so opening a long conversation costs what a short one does.
   */
  page(beforeId?: string): { messages: ChatMessageView[]; olderCount: number } | undefined {
    this.running?.sync();
    const all = this.conversation.list();
    const bounds = pageBefore(all, beforeId);
    if (!bounds) return undefined;
    return { messages: all.slice(bounds.start, bounds.end).map(withoutContext), olderCount: bounds.start };
  }

  private savedMessages(): ChatMessageView[] {
    this.running?.sync();
    return this.conversation.list().map((m) => ({ ...m }));
  }

  get busy(): boolean {
    return this.running !== undefined || this.preparing;
  }

  get liveStats(): LiveStats {
    return this.running?.live ?? { chunks: 0 };
  }

  /** Whether this conversation offers tools (the composer's toggle), and what limits them. */
  toolsState(): ToolsState {
    return this.agent.state(this.toolsEnabled, this.toolsUnsupportedModel !== undefined);
  }

  /** The composer's toggle. Takes effect from the next request; a loop running now goes on as it began. */
  setToolsEnabled(enabled: boolean): void {
    if (enabled === this.toolsEnabled) return;
    this.toolsEnabled = enabled;
    // Turning tools on again is the user's way to retry a model that once rejected them.
    if (enabled) this.toolsUnsupportedModel = undefined;
    this.post({ type: 'tools', tools: this.toolsState() });
    void this.save();
  }

  /** The user's Allow or Deny for a waiting call; anything else (a stale or forged id) is ignored. */
  answerApproval(messageId: string, stepId: string, choice: ApprovalChoice): void {
    if (this.running?.messageId !== messageId) return;
    if (!this.agent.answerApproval(stepId, choice)) this.log.warn(`Ignored an approval for ${stepId}: no such call is waiting.`);
  }

  async openDiff(messageId: string, stepId: string): Promise<void> {
    if (!this.conversation.list().some((m) => m.id === messageId)) return;
    await this.agent.openDiff(stepId);
  }

  stop(at?: number): void {
    this.running?.recorder.stopRequested(at);
    this.running?.abort.abort();
  }

  /** The trace of the request that produced `messageId`, or of the latest request. */
  traceFor(messageId?: string): RequestTrace | undefined {
    if (messageId === undefined) return this.traces[this.traces.length - 1];
    return [...this.traces].reverse().find((t) => t.messageId === messageId);
  }

  recentTraces(): readonly RequestTrace[] {
    return this.traces;
  }

  /** The webview reported paints of an answer (its first text, those while it streamed, its final form). */
  painted(messageId: string, report: (recorder: TraceRecorder) => void): void {
    const recorder = this.recorderOf(messageId);
    if (!recorder) return;
    report(recorder);
    this.refreshEndedTrace(recorder);
  }

  /**
   * A view posted appended text to its webview. Views merge appends while their last message is in
   * flight, so this, not the session's flushes, is what crossed to the webview. Only the first view
   * showing the session is counted: two views would double the trace's batches.
   */
  delivered(listener: SessionListener, messageId: string, kind: 'text' | 'reasoning', chars: number): void {
    if (this.listeners.values().next().value !== listener) return;
    const recorder = this.recorderOf(messageId);
    if (!recorder) return;
    recorder.postedBatch(chars, kind);
    this.refreshEndedTrace(recorder);
  }

  private recorderOf(messageId: string): TraceRecorder | undefined {
    const recorder = this.running?.messageId === messageId ? this.running.recorder : this.lastRecorder;
    return recorder?.messageId === messageId ? recorder : undefined;
  }

  /** What the webview reports after an answer ended goes into its saved trace. */
  private refreshEndedTrace(recorder: TraceRecorder): void {
    if (this.running?.recorder === recorder) return;
    this.traces = keepRecentTraces(this.traces.filter((t) => t.messageId !== recorder.messageId), recorder.trace());
    this.saveSoon();
  }

  async rename(title: string): Promise<void> {
    this.title = title.trim() || this.title;
    this.titleIsCustom = true;
    await this.save();
  }

  dispose(): void {
    this.stop();
    clearTimeout(this.saveTimer);
    this.listeners.clear();
  }

  /** Sends a prompt as if typed, with the waiting attachments: used by the webview, and by commands. */
  async ask(text: string, sentAt?: number, trigger = 'send', carried?: PromptContext): Promise<void> {
    if (this.busy) return; // One answer at a time per chat; the webview disables Send meanwhile.
    this.origin = { trigger, sentAt };
    this.preparing = true;
    const context = await this.context.forPrompt(text, carried).finally(() => (this.preparing = false));
    if (this.running) return;
    if (!this.titleIsCustom && !this.conversation.list().some((m) => m.role === 'user')) this.title = titleFrom(text);
    this.draftText = '';
    this.post({ type: 'messageAdded', message: withoutContext(this.conversation.addUser(text, context.user)) });
    const answer = this.conversation.startAssistant();
    if (context.leftOut.length) answer.contextLeftOut = context.leftOut;
    this.post({ type: 'messageAdded', message: { ...answer } });
    void this.save();
    return this.answer(answer.id, false);
  }

  /** Asks again for the last answer, whatever its state; it is replaced. */
  regenerate(messageId: string): Promise<void> {
    const message = this.conversation.list().find((m) => m.id === messageId);
    if (!message || message.role !== 'assistant' || this.running) return Promise.resolve();
    this.origin = { trigger: 'regenerate' };
    return this.retry(message);
  }

  /** Replaces the last prompt (and what followed it) with edited text, and asks again. */
  resend(messageId: string, text: string, sentAt?: number): Promise<void> {
    const lastPrompt = [...this.conversation.list()].reverse().find((m) => m.role === 'user');
    if (lastPrompt?.id !== messageId || this.busy) return Promise.resolve();
    // The edited prompt keeps its attachments, as they were sent.
    const answer = this.conversation.list().find((m, i, all) => all[i - 1]?.id === messageId);
    const carried: PromptContext = { user: { attachments: lastPrompt.attachments, context: lastPrompt.context }, leftOut: answer?.contextLeftOut ?? [] };
    this.conversation.truncateFrom(messageId);
    this.post({ type: 'reset' });
    return this.ask(text, sentAt, 'resend', lastPrompt.attachments?.length ? carried : undefined);
  }

  /** Runs an action the host itself offered on that message; anything else is ignored. */
  async act(messageId: string, action: MessageAction): Promise<void> {
    const message = this.conversation.list().find((m) => m.id === messageId);
    if (!message?.actions?.includes(action) || this.running) return;
    switch (action) {
      case 'setApiKey':
        await vscode.commands.executeCommand('rill.setApiKey');
        return;
      case 'selectModel':
        await vscode.commands.executeCommand('rill.selectModel');
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:rill.rill');
        return;
      case 'trimAndRetry':
        this.origin = { trigger: 'trimAndRetry' };
        // Drop half of the turns still sent (at least one); the UI says how many were left out.
        this.trimmedTurns += Math.max(1, Math.floor(this.turnCount() / 2));
        return this.retry(message);
      case 'retry':
        this.origin = { trigger: 'retry' };
        return this.retry(message);
      case 'continue': {
        if (this.conversation.last()?.id !== messageId) return;
        this.conversation.finish(messageId, { state: 'streaming', error: undefined, actions: undefined, finishReason: undefined });
        this.post({ type: 'messageFinished', message: { ...message } });
        return this.answer(messageId, true);
      }
    }
  }

  /** Asks again for the last answer: the old one is replaced. */
  private async retry(message: ChatMessageView): Promise<void> {
    if (this.conversation.last()?.id !== message.id) return;
    this.conversation.truncateFrom(message.id);
    const answer = this.conversation.startAssistant();
    // Asked again with the same prompt: the same attachments did not fit.
    if (message.contextLeftOut) answer.contextLeftOut = message.contextLeftOut;
    this.post({ type: 'reset' });
    return this.answer(answer.id, false);
  }

  /** Everything a view needs to draw this session from scratch. */
  record(): SessionRecord {
    this.running?.sync();
    return {
      version: 1,
      id: this.id,
      title: this.title,
      ...(this.titleIsCustom ? { titleIsCustom: true } : {}),
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      messages: this.savedMessages(),
      ...(this.draftText ? { draft: this.draftText } : {}),
      ...(this.traces.length ? { traces: this.traces.map(savedTrace) } : {}),
      ...(!this.toolsEnabled || this.toolsUnsupportedModel !== undefined
        ? { tools: { enabled: this.toolsEnabled, ...(this.toolsUnsupportedModel !== undefined ? { unsupportedModel: this.toolsUnsupportedModel } : {}) } }
        : {}),
    };
  }

  /** Saves now (a turn began or ended) or, while an answer streams, at most once a second. */
  private async save(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.saved && this.conversation.list().length === 0 && !this.draftText) return; // an untouched new chat leaves no file
    this.updatedAt = Date.now();
    const record = this.record();
    try {
      // Only what changed since the last write (the text that streamed in); the store writes whole when it must.
      await this.deps.store.saveChanges(record);
      this.saved = true;
      this.deps.onSaved(summarize(record));
    } catch (error) {
      this.log.error(`Could not save the conversation "${this.title}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private saveSoon(): void {
    this.saveTimer ??= setTimeout(() => void this.save(), SAVE_WHILE_STREAMING_MS);
  }

  private turnCount(): number {
    return this.conversation.history().filter((m) => m.role === 'user').length;
  }

  /** Streams an answer into message `messageId` (new, or continued): a request, or with tools the agent loop. */
  private async answer(messageId: string, continuing: boolean): Promise<void> {
    const origin = continuing ? { trigger: 'continue' } : this.origin;
    this.origin = { trigger: 'send' };
    const agent = this.toolsEnabled ? this.agent.options(this.toolsUnsupportedModel !== undefined) : undefined;
    const host = {
      conversation: this.conversation,
      access: this.access,
      log: this.log,
      post: (event: SessionEvent) => this.post(event),
      saveSoon: () => this.saveSoon(),
      trimmedTurns: this.trimmedTurns,
    };
    const running = new AnswerRequest(messageId, host, agent, origin);
    recentRecordings.track(this.id, messageId, running.recording);
    this.running = running;
    this.deps.onStreaming(this);
    const { message, toolsUnsupportedModel } = await running.run(continuing);
    this.running = undefined;
    this.lastRecorder = running.recorder;
    this.traces = keepRecentTraces(this.traces, running.recorder.trace());
    if (toolsUnsupportedModel !== undefined) {
      this.toolsUnsupportedModel = toolsUnsupportedModel;
      this.post({ type: 'tools', tools: this.toolsState() });
    }
    void this.save();
    this.post({ type: 'messageFinished', message: { ...message } });
    this.deps.onStreaming(this, { ...message });
  }

  private post(message: SessionEvent): void {
    for (const listener of this.listeners) listener(message);
  }
}

/** A message as views get it: the attachments' text stays on the host (it can be large, and only the model reads it). */
function withoutContext(message: ChatMessageView): ChatMessageView {
  const view = { ...message };
  delete view.context;
  return view;
}
