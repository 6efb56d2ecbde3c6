import * as vscode from 'vscode';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { runAgent, toolMessages, TranscriptBuilder, type AgentOutcome } from '../../core/agent';
import { fitToBudget, type BudgetResult } from '../../core/context/budget';
import { resolveContextTokens } from '../../core/context/model-context';
import type { Conversation } from '../../core/conversation';
import { redact } from '../../core/redact';
import type { StreamEvent, StreamOutcome } from '../../core/stream/events';
import { runChat, type ChatRequest, type Endpoint } from '../../core/stream/run-chat';
import { TraceRecorder, tracedFetch } from '../../core/trace';
import { captureFetch } from '../../core/recording';
import { AnswerRecording } from '../recording/recent-recordings';
import type { AgentEvent } from '../../protocol/agent-messages';
import type { ChatMessageView, MessageAction } from '../../protocol/messages';
import { hostToolRunner } from '../agent/tool-runner';
import type { ModelAccess, OpenEndpoint } from '../model-access';
import { describeProblem } from '../problem-text';
import type { RedactingLog } from '../redacting-log';
import { readRequestSettings, type RequestSettings } from '../settings';
import { tokenCounterFor } from '../token-counters';
import type { AgentRequestOptions } from './agent-options';
import { LiveOutput } from './live-output';
import { traceAgentEvent, traceTools } from './trace-agent';
import type { SessionEvent } from './session-event';

/** Sent after a cut-off answer to get the rest of it. */
const CONTINUE_PROMPT = 'Continue exactly where your previous answer stopped, without repeating anything.';

/** A streaming answer's progress, for the status bar. */
export interface LiveStats {
  chunks: number;
  /** `performance.now()` of the first chunk. */
  firstChunkAt?: number;
}

/** What one answer needs from the session that runs it. */
export interface RequestHost {
  readonly conversation: Conversation;
  readonly access: ModelAccess;
  readonly log: RedactingLog;
  post(event: SessionEvent): void;
  /** The transcript changed: save within a second. */
  saveSoon(): void;
  /** Oldest turns to leave out ("trim and retry"). */
  readonly trimmedTurns: number;
}

/** How an answer ended, for the session to save and report. */
export interface AnswerResult {
  message: ChatMessageView;
  /** This model rejected `tools` during the answer. */
  toolsUnsupportedModel?: string;
}

/**
 * One answer being streamed into message `messageId`: the request (or, with tools, the agent loop's
 * requests), its trace, and what it sends to the views. Stop aborts `abort`: the request in flight,
 * a tool running, a wait for approval, and nothing starts after it.
 */
export class AnswerRequest {
  readonly recorder: TraceRecorder;
  /** The response bytes as they arrive, for Rill: Save Stream Recording (issue 15). */
  readonly recording = new AnswerRecording();
  readonly abort = new AbortController();
  readonly live: LiveStats = { chunks: 0 };
  private output?: LiveOutput;
  private transcript?: TranscriptBuilder;

  constructor(
    readonly messageId: string,
    private readonly host: RequestHost,
    private readonly agent: AgentRequestOptions | undefined,
    origin: { trigger: string; sentAt?: number },
  ) {
    this.recorder = new TraceRecorder({ messageId });
    this.recorder.userSent(origin.sentAt);
    this.recorder.hostReceived(origin.trigger);
  }

  /** Posts what is pending and puts the live steps into the transcript (before a snapshot or a save). */
  sync(final = false): void {
    this.output?.flush(final);
    if (this.transcript && !this.transcript.empty) this.host.conversation.setAgent(this.messageId, this.transcript.snapshot());
  }

  async run(continuing: boolean): Promise<AnswerResult> {
    const { conversation, log } = this.host;
    const settings = readRequestSettings();
    const started = performance.now();
    let firstToken: number | undefined;
    let access: Awaited<ReturnType<ModelAccess['open']>> | undefined;
    let outcome: StreamOutcome | AgentOutcome;
    let droppedTurns = 0;
    try {
      access = await this.host.access.open();
      this.host.post({ type: 'environment', environment: access.environment });
      const budget = access.ok ? this.requestMessages(continuing, access.model, settings) : undefined;
      droppedTurns = budget?.droppedTurns ?? 0;
      if (!access.ok || !budget) {
        outcome = failed();
      } else if (budget.overflow) {
        outcome = failed({ kind: 'prompt-too-long', actions: ['openSettings'], retryable: false, detail: String(budget.overBy) });
      } else {
        const endpoint: OpenEndpoint = access;
        this.recorder.addSecrets(access.secrets);
        this.recording.meta = { provider: access.provider, model: access.model, secrets: access.secrets };
        const secrets = access.secrets.filter((secret) => secret.length >= 8);
        this.output = new LiveOutput(secrets, {
          text: (text) => {
            conversation.append(this.messageId, text);
            this.host.post({ type: 'textAppended', messageId: this.messageId, text });
          },
          reasoning: (text) => {
            conversation.appendReasoning(this.messageId, text);
            this.host.post({ type: 'reasoningAppended', messageId: this.messageId, text });
          },
          event: (event) => this.post(redactEvent(event, secrets)),
          flushed: () => this.host.saveSoon(),
        });
        this.recorder.requestBuilt({
          messageCount: budget.messages.length,
          promptTokens: budget.promptTokens,
          model: access.model,
          provider: access.provider,
          exact: budget.exact,
          droppedTurns,
        });
        log.info(
          `Request to ${access.url} (${access.provider}), model ${access.model}: ${budget.messages.length} messages, ` +
            `${budget.exact ? '' : '~'}${budget.promptTokens} of ${budget.budget} input tokens, ${droppedTurns} earlier turn(s) left out.`,
          access.secrets,
        );
        // The capture sits nearest the network, so its arrival times are the transport's.
        const transport = captureFetch(endpoint.endpoint.fetch ?? globalThis.fetch, this.recording.capture);
        const traced: Endpoint = { ...endpoint.endpoint, fetch: tracedFetch(transport, this.recorder) };
        const request: ChatRequest = {
          model: endpoint.model,
          messages: budget.messages,
          temperature: settings.temperature,
          maxTokens: settings.maxTokens,
          maxTokensParam: endpoint.provider === 'openai' ? 'max_completion_tokens' : 'max_tokens',
        };
        const onStreamEvent = (event: StreamEvent): void => {
          this.recorder.onEvent(event);
          if (event.kind === 'firstChunk') firstToken ??= performance.now();
          this.onStreamEvent(event, endpoint);
        };
        outcome = this.agent
          ? await this.runAgent(traced, request, settings, endpoint, onStreamEvent, continuing)
          : await runChat(traced, request, { signal: this.abort.signal, idleTimeoutMs: settings.idleTimeoutMs, maxRetries: settings.maxRetries, onEvent: onStreamEvent });
      }
    } catch (error) {
      // Anything unexpected still ends the answer in a visible state, never a spinner forever.
      outcome = failed({ kind: 'unexpected', actions: ['retry'], retryable: false, detail: String(error) });
    }
    this.sync(true);
    this.output?.dispose();
    this.recorder.finished(outcome);
    this.host.post({ type: 'progress', messageId: this.messageId, progress: undefined });

    const secrets = access?.secrets ?? [];
    const { state, error, actions } = this.ending(outcome, access);
    const agentOutcome = 'rounds' in outcome ? outcome : undefined;
    const message = conversation.finish(this.messageId, {
      state,
      error: error === undefined ? undefined : redact(error, secrets),
      actions: actions.length ? actions : undefined,
      finishReason: streamOutcomeOf(outcome).finishReason,
      usage: agentOutcome ? agentOutcome.usage : (outcome as StreamOutcome).usage,
      toolCalls: agentOutcome ? undefined : (outcome as StreamOutcome).toolCalls.length ? (outcome as StreamOutcome).toolCalls : undefined,
      durationMs: firstToken === undefined ? undefined : Math.round(performance.now() - firstToken),
      droppedTurns: droppedTurns > 0 ? droppedTurns : undefined,
    });
    log.info(
      `Answer ${this.messageId} ended: ${state}${agentOutcome ? ` after ${agentOutcome.rounds} request(s) and ${agentOutcome.steps.length} tool call(s)` : ''}` +
        `${outcome.problem ? `, ${outcome.problem.kind}${outcome.problem.detail ? `: ${outcome.problem.detail}` : ''}` : ''}` +
        `, ${Math.round(performance.now() - started)} ms.`,
      secrets,
    );
    const result: AnswerResult = { message };
    if (agentOutcome?.toolsUnsupported && !this.agent?.toolsUnsupported && access?.ok) result.toolsUnsupportedModel = access.model;
    return result;
  }

  private async runAgent(
    endpoint: Endpoint,
    request: ChatRequest,
    settings: RequestSettings,
    access: OpenEndpoint,
    onStreamEvent: (event: StreamEvent) => void,
    continuing: boolean,
  ): Promise<AgentOutcome> {
    const agent = this.agent!;
    const saved = this.host.conversation.get(this.messageId).agent;
    this.transcript = new TranscriptBuilder(continuing ? saved : undefined);
    const tools = await agent.tools(this.abort.signal);
    traceTools(this.recorder, tools);
    const runner = hostToolRunner(tools, {
      policy: () => agent.policy(),
      approvals: agent.approvals,
      onPreview: (stepId, view, change) => {
        agent.keepPreview(stepId, change);
        this.output?.flush(false);
        this.host.post({ type: 'stepPreview', messageId: this.messageId, stepId, preview: view });
      },
      onDecision: (call, how) => this.host.log.info(`Tool call ${call.id} (${call.name}): ${how}.`),
    });
    return runAgent(endpoint, request, runner, {
      signal: this.abort.signal,
      firstRound: continuing && saved ? saved.rounds + 1 : 1,
      maxRounds: agent.settings.maxRounds,
      toolsUnsupported: agent.toolsUnsupported,
      budget: {
        contextTokens: resolveContextTokens(access.model, settings.contextTokens).tokens,
        ...(settings.maxTokens !== undefined ? { reserveForAnswer: settings.maxTokens } : {}),
        counter: tokenCounterFor(access.model),
      },
      stream: { idleTimeoutMs: settings.idleTimeoutMs, maxRetries: settings.maxRetries },
      onStreamEvent: (event) => onStreamEvent(event),
      onEvent: (event) => this.onAgentEvent(event),
    });
  }

  private onAgentEvent(event: AgentEvent): void {
    traceAgentEvent(this.recorder, event);
    // Text and reasoning reach the views through the engine's events (onStreamEvent), once.
    if (event.kind === 'text' || event.kind === 'reasoning') return;
    if (event.kind === 'toolsOmitted') {
      // Never a failed request: what was left out, and why, is in the log for the user to act on (Rill: Choose Tools).
      const list = event.tools.map((tool) => `${tool.name} (${tool.reason})`).join(', ');
      this.host.log.warn(`Answer ${this.messageId}: ${event.tools.length} tool(s) not offered to the model: ${list}. Turn some off with "Rill: Choose Tools".`);
    }
    this.output?.addEvent(event);
  }

  /** Agent events, in order after the text before them; the transcript follows what the views see. */
  private post(event: AgentEvent): void {
    const { conversation } = this.host;
    if (this.transcript?.apply(event) && event.kind === 'stepStarted') {
      // The round's text so far is intermediate: it moves into the steps, the answer starts again.
      const text = conversation.get(this.messageId).text;
      this.transcript.settle(event.step.round, text);
      if (text) conversation.restartText(this.messageId);
    }
    this.host.post({ type: 'agentEvent', messageId: this.messageId, event });
  }

  private onStreamEvent(event: StreamEvent, access: OpenEndpoint): void {
    switch (event.kind) {
      case 'text':
      case 'refusal':
        this.live.chunks++;
        this.live.firstChunkAt ??= performance.now();
        this.output?.addText(event.text);
        break;
      case 'reasoning':
        this.output?.addReasoning(event.text);
        break;
      case 'retrying': {
        const seconds = Math.max(1, Math.round(event.delayMs / 1000));
        const why = describeProblem(event.problem, { url: access.url, local: access.local, model: access.model });
        this.host.log.warn(`Attempt ${event.attempt} failed (${event.problem.kind}); retrying in ${event.delayMs} ms.`, access.secrets);
        this.host.post({ type: 'progress', messageId: this.messageId, progress: vscode.l10n.t('Retrying in {0} s: {1}', seconds, redact(why, access.secrets)) });
        break;
      }
      case 'response':
        if (event.attempt > 1) this.host.post({ type: 'progress', messageId: this.messageId, progress: undefined });
        break;
      case 'skipped':
        // Not shown in the answer; the log says what was left out, once per kind per request.
        this.host.log.info(`Answer ${this.messageId}: skipped ${event.what} sent by ${access.url}.`, access.secrets);
        break;
    }
  }

  /** The message's final state, error sentence and actions. */
  private ending(
    outcome: StreamOutcome | AgentOutcome,
    access: Awaited<ReturnType<ModelAccess['open']>> | undefined,
  ): { state: ChatMessageView['state']; error?: string; actions: MessageAction[] } {
    if (access && !access.ok) return { state: 'error', error: access.problem, actions: ['setApiKey', 'openSettings'] };
    if (outcome.state === 'round-limit') {
      const rounds = this.agent?.settings.maxRounds ?? outcome.rounds;
      return { state: 'truncated', error: vscode.l10n.t('Agent mode stopped after {0} requests to the model (rill.agent.maxRounds). Continue lets it go on.', rounds), actions: ['continue'] };
    }
    const context = access?.ok ? { url: access.url, local: access.local, model: access.model } : { url: '', local: false, model: '' };
    const error = outcome.problem ? describeProblem(outcome.problem, context) : undefined;
    return { state: outcome.state, ...(error !== undefined ? { error } : {}), actions: outcome.problem?.actions ?? [] };
  }

  /**
   * What to send: the system prompt, as many of the latest turns as fit the model's context window
   * (and `rill.history.maxTurns`), and the prompt. A continued answer sends what it has so far
   * (an agent answer: its calls and their results) and asks for the rest.
   */
  private requestMessages(continuing: boolean, model: string, settings: RequestSettings): BudgetResult {
    const { conversation } = this.host;
    const history = conversation.history();
    const prompt = history.pop();
    const current = conversation.get(this.messageId);
    const earlierTurns = history.filter((m) => m.role === 'user').length;
    const budget = fitToBudget({
      system: settings.systemPrompt,
      history,
      prompt: prompt?.role === 'user' ? prompt : { role: 'user', content: '' },
      contextTokens: resolveContextTokens(model, settings.contextTokens).tokens,
      reserveForAnswer: settings.maxTokens,
      maxTurns: Math.max(0, Math.min(settings.maxTurns, earlierTurns - this.host.trimmedTurns)),
      counter: tokenCounterFor(model),
    });
    if (!continuing) return budget;
    const more: ChatCompletionMessageParam[] = [];
    if (this.agent && current.agent) more.push(...toolMessages(current.agent));
    if (current.text) more.push({ role: 'assistant', content: current.text }, { role: 'user', content: CONTINUE_PROMPT });
    return { ...budget, messages: [...budget.messages, ...more] };
  }
}

function failed(problem?: StreamOutcome['problem']): StreamOutcome {
  return { state: 'error', textLength: 0, toolCalls: [], attempts: 0, ...(problem ? { problem } : {}) };
}

/** The last request's outcome, which the trace records. */
function streamOutcomeOf(outcome: StreamOutcome | AgentOutcome): StreamOutcome {
  if (!('rounds' in outcome)) return outcome;
  return outcome.last ?? { state: outcome.state === 'round-limit' ? 'done' : outcome.state, textLength: outcome.text.length, toolCalls: [], attempts: 0 };
}

/** A server that echoes the key never gets it shown or saved: in a step's name, arguments, result or error either. */
function redactEvent(event: AgentEvent, secrets: readonly string[]): AgentEvent {
  if (secrets.length === 0) return event;
  switch (event.kind) {
    case 'stepStarted':
      return { ...event, step: { ...event.step, name: redact(event.step.name, secrets), arguments: redact(event.step.arguments, secrets) } };
    case 'stepArguments':
      return { ...event, delta: redact(event.delta, secrets) };
    case 'stepState':
      return {
        ...event,
        ...(event.result !== undefined ? { result: redact(event.result, secrets) } : {}),
        ...(event.error !== undefined ? { error: redact(event.error, secrets) } : {}),
      };
    default:
      return event;
  }
}
