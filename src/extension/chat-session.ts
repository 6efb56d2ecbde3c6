import * as vscode from 'vscode';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { fitToBudget, type BudgetResult } from '../core/context/budget';
import { resolveContextTokens } from '../core/context/model-context';
import { Conversation } from '../core/conversation';
import { redact, redactStream } from '../core/redact';
import type { StreamEvent, StreamOutcome } from '../core/stream/events';
import { runChat } from '../core/stream/run-chat';
import type { ChatMessageView, MessageAction, SessionSummary, ToWebviewPayload } from '../protocol/messages';
import { summarize, titleFrom, type SessionRecord } from '../core/sessions/session-record';
import { keepRecentTraces, TraceRecorder, tracedFetch, type RequestTrace } from '../core/trace';
import type { SessionStore } from '../core/sessions/session-store';
import type { ModelAccess, OpenEndpoint } from './model-access';
import { tokenCounterFor } from './token-counters';
import { describeProblem } from './problem-text';
import type { RedactingLog } from './redacting-log';
import { readRequestSettings, type RequestSettings } from './settings';

interface RunningRequest {
  messageId: string;
  recorder: TraceRecorder;
  /** The key and header values of this request: a server that echoes one never gets it shown or saved. */
  secrets: string[];
  abort: AbortController;
  /**
   * Text received but not yet posted: deltas that arrive in one I/O turn are flushed together
   * (each view merges flushes further while its last message is on the way to its webview).
   */
  pending: string;
  pendingReasoning: string;
  flush?: NodeJS.Immediate;
}

/** Sent after a cut-off answer to get the rest of it. */
const CONTINUE_PROMPT = 'Continue exactly where your previous answer stopped, without repeating anything.';

/** What a session tells its views: a protocol message, or `reset` when they must redraw from a snapshot. */
export type SessionEvent = ToWebviewPayload | { type: 'reset' };
export type SessionListener = (event: SessionEvent) => void;

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
}

/** A streaming answer's progress, for the status bar. */
export interface LiveStats {
  chunks: number;
  /** `performance.now()` of the first chunk. */
  firstChunkAt?: number;
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
  private running?: RunningRequest;
  private live: LiveStats = { chunks: 0 };
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

  messages(): ChatMessageView[] {
    return this.conversation.list().map((m) => ({ ...m }));
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get liveStats(): LiveStats {
    return this.live;
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

  /** The webview showed an answer's first text or its final form. */
  painted(messageId: string, which: 'first' | 'last', at: number): void {
    const recorder = this.recorderOf(messageId);
    if (!recorder) return;
    recorder.webviewPainted(which, at);
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

  /** Sends a prompt as if typed: used by the webview, and by commands. */
  ask(text: string, sentAt?: number, trigger = 'send'): Promise<void> {
    this.origin = { trigger, sentAt };
    if (this.running) return Promise.resolve(); // One answer at a time per chat; the webview disables Send meanwhile.
    if (!this.titleIsCustom && !this.conversation.list().some((m) => m.role === 'user')) this.title = titleFrom(text);
    this.draftText = '';
    this.post({ type: 'messageAdded', message: { ...this.conversation.addUser(text) } });
    const answer = this.conversation.startAssistant();
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
    if (lastPrompt?.id !== messageId || this.running) return Promise.resolve();
    this.conversation.truncateFrom(messageId);
    this.post({ type: 'reset' });
    return this.ask(text, sentAt, 'resend');
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
    this.post({ type: 'reset' });
    return this.answer(answer.id, false);
  }

  /** Everything a view needs to draw this session from scratch. */
  record(): SessionRecord {
    this.flush();
    return {
      version: 1,
      id: this.id,
      title: this.title,
      ...(this.titleIsCustom ? { titleIsCustom: true } : {}),
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      messages: this.messages(),
      ...(this.draftText ? { draft: this.draftText } : {}),
      ...(this.traces.length ? { traces: this.traces } : {}),
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
      await this.deps.store.save(record);
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

  /**
   * What to send: the system prompt, as many of the latest turns as fit the model's context window
   * (and `rill.history.maxTurns`), and the prompt. A continued answer sends its partial text and
   * asks for the rest.
   */
  private requestMessages(messageId: string, continuing: boolean, model: string, settings: RequestSettings): BudgetResult {
    const history = this.conversation.history();
    let prompt: ChatCompletionMessageParam | undefined;
    if (continuing) {
      history.push({ role: 'assistant', content: this.conversation.get(messageId).text });
      prompt = { role: 'user', content: CONTINUE_PROMPT };
    } else {
      prompt = history.pop();
    }
    const earlierTurns = history.filter((m) => m.role === 'user').length;
    return fitToBudget({
      system: settings.systemPrompt,
      history,
      prompt: prompt?.role === 'user' ? prompt : { role: 'user', content: '' },
      contextTokens: resolveContextTokens(model, settings.contextTokens).tokens,
      reserveForAnswer: settings.maxTokens,
      maxTurns: Math.max(0, Math.min(settings.maxTurns, earlierTurns - this.trimmedTurns)),
      counter: tokenCounterFor(model),
    });
  }

  /** Streams an answer into message `messageId` (new, or continued). */
  private async answer(messageId: string, continuing: boolean): Promise<void> {
    // Each request records its own trace, from the user's send to the last paint.
    const recorder = new TraceRecorder({ messageId });
    recorder.userSent(this.origin.sentAt);
    recorder.hostReceived(continuing ? 'continue' : this.origin.trigger);
    this.origin = { trigger: 'send' };
    const running: RunningRequest = { messageId, recorder, secrets: [], abort: new AbortController(), pending: '', pendingReasoning: '' };
    this.running = running;
    this.live = { chunks: 0 };
    this.deps.onStreaming(this);
    const settings = readRequestSettings();
    const started = performance.now();
    let firstToken: number | undefined;
    let access: Awaited<ReturnType<ModelAccess['open']>> | undefined;
    let outcome: StreamOutcome;
    let droppedTurns = 0;
    try {
      access = await this.access.open();
      this.post({ type: 'environment', environment: access.environment });
      const budget = access.ok ? this.requestMessages(messageId, continuing, access.model, settings) : undefined;
      droppedTurns = budget?.droppedTurns ?? 0;
      if (!access.ok || !budget) {
        outcome = { state: 'error', textLength: 0, toolCalls: [], attempts: 0 };
      } else if (budget.overflow) {
        const problem = { kind: 'prompt-too-long' as const, actions: ['openSettings' as const], retryable: false, detail: String(budget.overBy) };
        outcome = { state: 'error', textLength: 0, toolCalls: [], attempts: 0, problem };
      } else {
        const { messages } = budget;
        recorder.addSecrets(access.secrets);
        running.secrets = access.secrets.filter((secret) => secret.length >= 8);
        recorder.requestBuilt({
          messageCount: messages.length,
          promptTokens: budget.promptTokens,
          model: access.model,
          provider: access.provider,
          exact: budget.exact,
          droppedTurns,
        });
        this.log.info(
          `Request to ${access.url} (${access.provider}), model ${access.model}: ${messages.length} messages, ` +
            `${budget.exact ? '' : '~'}${budget.promptTokens} of ${budget.budget} input tokens, ${droppedTurns} earlier turn(s) left out.`,
          access.secrets,
        );
        const endpoint: OpenEndpoint = access;
        const traced = { ...endpoint.endpoint, fetch: tracedFetch(endpoint.endpoint.fetch ?? globalThis.fetch, recorder) };
        outcome = await runChat(
          traced,
          {
            model: endpoint.model,
            messages,
            temperature: settings.temperature,
            maxTokens: settings.maxTokens,
            maxTokensParam: endpoint.provider === 'openai' ? 'max_completion_tokens' : 'max_tokens',
          },
          {
            signal: running.abort.signal,
            idleTimeoutMs: settings.idleTimeoutMs,
            maxRetries: settings.maxRetries,
            onEvent: (event) => {
              recorder.onEvent(event);
              if (event.kind === 'firstChunk') firstToken = performance.now();
              this.onStreamEvent(running, event, endpoint);
            },
          },
        );
      }
    } catch (error) {
      // Anything unexpected still ends the answer in a visible state, never a spinner forever.
      outcome = { state: 'error', textLength: 0, toolCalls: [], attempts: 0, problem: { kind: 'unexpected', actions: ['retry'], retryable: false, detail: String(error) } };
    }
    this.flush(true);
    this.running = undefined;
    recorder.finished(outcome);
    this.lastRecorder = recorder;
    this.traces = keepRecentTraces(this.traces, recorder.trace());
    this.post({ type: 'progress', messageId, progress: undefined });

    const secrets = access?.secrets ?? [];
    let error: string | undefined;
    if (access && !access.ok) error = access.problem;
    else if (outcome.problem) {
      const context = access?.ok ? { url: access.url, local: access.local, model: access.model } : { url: '', local: false, model: '' };
      error = redact(describeProblem(outcome.problem, context), secrets);
    }
    const message = this.conversation.finish(messageId, {
      state: outcome.state,
      error,
      actions: access && !access.ok ? ['setApiKey', 'openSettings'] : outcome.problem?.actions.length ? outcome.problem.actions : undefined,
      finishReason: outcome.finishReason,
      usage: outcome.usage,
      toolCalls: outcome.toolCalls.length ? outcome.toolCalls : undefined,
      durationMs: firstToken === undefined ? undefined : Math.round(performance.now() - firstToken),
      droppedTurns: droppedTurns > 0 ? droppedTurns : undefined,
    });
    void this.save();
    this.log.info(
      `Answer ${messageId} ended: ${outcome.state}${outcome.finishReason ? ` (${outcome.finishReason})` : ''}` +
        `${outcome.problem ? `, ${outcome.problem.kind}${outcome.problem.detail ? `: ${outcome.problem.detail}` : ''}` : ''}` +
        `, ${outcome.textLength} chars, ${outcome.attempts} attempt(s), ${Math.round(performance.now() - started)} ms.`,
      secrets,
    );
    this.post({ type: 'messageFinished', message: { ...message } });
    this.deps.onStreaming(this, { ...message });
  }

  private onStreamEvent(running: RunningRequest, event: StreamEvent, access: OpenEndpoint): void {
    switch (event.kind) {
      case 'text':
      case 'refusal':
        this.live.chunks++;
        this.live.firstChunkAt ??= performance.now();
        running.pending += event.text;
        running.flush ??= setImmediate(() => this.flush());
        break;
      case 'reasoning':
        running.pendingReasoning += event.text;
        running.flush ??= setImmediate(() => this.flush());
        break;
      case 'retrying': {
        const seconds = Math.max(1, Math.round(event.delayMs / 1000));
        const why = describeProblem(event.problem, { url: access.url, local: access.local, model: access.model });
        this.log.warn(`Attempt ${event.attempt} failed (${event.problem.kind}); retrying in ${event.delayMs} ms.`, access.secrets);
        this.post({ type: 'progress', messageId: running.messageId, progress: vscode.l10n.t('Retrying in {0} s: {1}', seconds, redact(why, access.secrets)) });
        break;
      }
      case 'response':
        if (event.attempt > 1) this.post({ type: 'progress', messageId: running.messageId, progress: undefined });
        break;
      case 'skipped':
        // Not shown in the answer; the log says what was left out, once per kind per request.
        this.log.info(`Answer ${running.messageId}: skipped ${event.what} sent by ${access.url}.`, access.secrets);
        break;
    }
  }

  private flush(final = false): void {
    const running = this.running;
    if (!running) return;
    if (running.flush) clearImmediate(running.flush);
    running.flush = undefined;
    if (running.pendingReasoning) {
      // A server that echoes the key (or a header value) never gets it shown or saved.
      const { emit: text, hold } = redactStream(running.pendingReasoning, running.secrets, final);
      running.pendingReasoning = hold;
      if (text) {
        this.conversation.appendReasoning(running.messageId, text);
        this.post({ type: 'reasoningAppended', messageId: running.messageId, text });
      }
    }
    if (running.pending) {
      const { emit: text, hold } = redactStream(running.pending, running.secrets, final);
      running.pending = hold;
      if (text) {
        this.conversation.append(running.messageId, text);
        this.post({ type: 'textAppended', messageId: running.messageId, text });
      }
    }
    this.saveSoon();
  }

  private post(message: SessionEvent): void {
    for (const listener of this.listeners) listener(message);
  }
}
