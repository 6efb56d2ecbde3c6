import * as vscode from 'vscode';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { fitToBudget, type BudgetResult } from '../core/context/budget';
import { resolveContextTokens } from '../core/context/model-context';
import { Conversation } from '../core/conversation';
import { redact } from '../core/redact';
import type { StreamEvent, StreamOutcome } from '../core/stream/events';
import { runChat } from '../core/stream/run-chat';
import type { ChatMessageView, MessageAction, ToWebviewPayload } from '../protocol/messages';
import { parseFromWebview } from '../protocol/parse';
import type { ModelAccess, OpenEndpoint } from './model-access';
import { tokenCounterFor } from './token-counters';
import { describeProblem } from './problem-text';
import type { RedactingLog } from './redacting-log';
import { readRequestSettings, type RequestSettings } from './settings';

interface RunningRequest {
  messageId: string;
  abort: AbortController;
  /** Text received but not yet posted: deltas that arrive in one I/O turn go out as one message. */
  pending: string;
  pendingReasoning: string;
  flush?: NodeJS.Immediate;
}

/** Sent after a cut-off answer to get the rest of it. */
const CONTINUE_PROMPT = 'Continue exactly where your previous answer stopped, without repeating anything.';

/**
 * Drives one chat: owns its transcript, runs requests, and mirrors both into whichever webview is
 * attached (an editor panel or the sidebar view). The transcript lives here, not in the webview,
 * so a hidden or reloaded webview is rebuilt from a snapshot and loses nothing.
 */
export class ChatController implements vscode.Disposable {
  private readonly conversation = new Conversation();
  private webview?: vscode.Webview;
  private listener?: vscode.Disposable;
  private seq = 0;
  private running?: RunningRequest;
  /** Oldest turns to leave out of the next requests, raised by "trim and retry". */
  private trimmedTurns = 0;

  constructor(
    private readonly access: ModelAccess,
    private readonly log: RedactingLog,
  ) {}

  /** Connects a (new) webview; it will post `ready` when its script starts, and get a snapshot. */
  attach(webview: vscode.Webview): void {
    this.listener?.dispose();
    this.webview = webview;
    this.listener = webview.onDidReceiveMessage((raw: unknown) => this.receive(raw));
  }

  detach(webview: vscode.Webview): void {
    if (this.webview !== webview) return;
    this.listener?.dispose();
    this.listener = undefined;
    this.webview = undefined;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  stop(): void {
    this.running?.abort.abort();
  }

  dispose(): void {
    this.stop();
    this.listener?.dispose();
  }

  /** Sends a prompt as if typed: used by the webview, and by commands later. */
  ask(text: string): Promise<void> {
    if (this.running) return Promise.resolve(); // One answer at a time per chat; the webview disables Send meanwhile.
    this.post({ type: 'messageAdded', message: { ...this.conversation.addUser(text) } });
    const answer = this.conversation.startAssistant();
    this.post({ type: 'messageAdded', message: { ...answer } });
    return this.answer(answer.id, false);
  }

  private receive(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) {
      // Never act on what is outside the protocol: the webview renders untrusted model output.
      this.log.warn('Ignored a message from the webview that is not part of the protocol.');
      return;
    }
    switch (message.type) {
      case 'ready':
        void this.sendSnapshot();
        break;
      case 'send':
        void this.ask(message.text);
        break;
      case 'stop':
        this.stop();
        break;
      case 'action':
        void this.act(message.messageId, message.action);
        break;
    }
  }

  /** Runs an action the host itself offered on that message; anything else is ignored. */
  private async act(messageId: string, action: MessageAction): Promise<void> {
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
        // Drop half of the turns still sent (at least one); the UI says how many were left out.
        this.trimmedTurns += Math.max(1, Math.floor(this.turnCount() / 2));
        return this.retry(message);
      case 'retry':
        return this.retry(message);
      case 'continue': {
        if (this.conversation.last()?.id !== messageId) return;
        this.conversation.finish(messageId, { state: 'streaming', error: undefined, actions: undefined, finishReason: undefined });
        this.post({ type: 'messageFinished', message: { ...message } });
        return this.answer(messageId, true);
      }
    }
  }

  /** Asks again for the last answer: the failed one is replaced. */
  private async retry(message: ChatMessageView): Promise<void> {
    if (this.conversation.last()?.id !== message.id) return;
    this.conversation.removeLast(message.id);
    const answer = this.conversation.startAssistant();
    await this.sendSnapshot();
    return this.answer(answer.id, false);
  }

  private async sendSnapshot(): Promise<void> {
    this.flush();
    const environment = await this.access.environment();
    this.post({
      type: 'snapshot',
      snapshot: { messages: this.conversation.list().map((m) => ({ ...m })), environment, busy: this.busy },
    });
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
    const running: RunningRequest = { messageId, abort: new AbortController(), pending: '', pendingReasoning: '' };
    this.running = running;
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
        this.log.info(
          `Request to ${access.url} (${access.provider}), model ${access.model}: ${messages.length} messages, ` +
            `${budget.exact ? '' : '~'}${budget.promptTokens} of ${budget.budget} input tokens, ${droppedTurns} earlier turn(s) left out.`,
          access.secrets,
        );
        const endpoint: OpenEndpoint = access;
        outcome = await runChat(
          endpoint.endpoint,
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
    this.flush();
    this.running = undefined;
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
    this.log.info(
      `Answer ${messageId} ended: ${outcome.state}${outcome.finishReason ? ` (${outcome.finishReason})` : ''}` +
        `${outcome.problem ? `, ${outcome.problem.kind}${outcome.problem.detail ? `: ${outcome.problem.detail}` : ''}` : ''}` +
        `, ${outcome.textLength} chars, ${outcome.attempts} attempt(s), ${Math.round(performance.now() - started)} ms.`,
      secrets,
    );
    this.post({ type: 'messageFinished', message: { ...message } });
  }

  private onStreamEvent(running: RunningRequest, event: StreamEvent, access: OpenEndpoint): void {
    switch (event.kind) {
      case 'text':
      case 'refusal':
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
    }
  }

  private flush(): void {
    const running = this.running;
    if (!running) return;
    if (running.flush) clearImmediate(running.flush);
    running.flush = undefined;
    if (running.pendingReasoning) {
      const text = running.pendingReasoning;
      running.pendingReasoning = '';
      this.conversation.appendReasoning(running.messageId, text);
      this.post({ type: 'reasoningAppended', messageId: running.messageId, text });
    }
    if (running.pending) {
      const text = running.pending;
      running.pending = '';
      this.conversation.append(running.messageId, text);
      this.post({ type: 'textAppended', messageId: running.messageId, text });
    }
  }

  private post(message: ToWebviewPayload): void {
    // Not awaited: a hidden webview drops messages, and the `ready` handshake repairs that.
    void this.webview?.postMessage({ ...message, seq: ++this.seq });
  }
}
