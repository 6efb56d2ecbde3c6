import type { AgentEvent } from '../../protocol/agent-messages';
import type { AgentOutcome } from '../agent/types';
import { redact } from '../redact';
import type { StreamEvent, StreamOutcome } from '../stream/events';
import { AgentTrace, type AgentToolInfo } from './agent-trace';
import { BatchLog, ChunkLog, kindIndex, TimeLog } from './stream-log';
import { clip, DETAIL_CHARS, NAME_CHARS, round1, safeUrl } from './trace-text';
import type { BatchKind, ChunkKind, RequestTrace, TraceAttempt, TraceEnd, TraceRequest, TraceTool } from './trace-types';

export interface TraceRecorderOptions {
  /** A monotonic clock in milliseconds; `performance.now` by default. */
  now?: () => number;
  /** The epoch time of `now()`'s zero, to map the webview's times; `performance.timeOrigin` by default. */
  timeOrigin?: number;
  /** How many chunks (and webview batches) to keep one by one; 200 by default. */
  maxChunkRecords?: number;
  messageId?: string;
  /** Values removed from error details before they are kept (the API key, header values). */
  secrets?: readonly string[];
}

export const DEFAULT_MAX_CHUNK_RECORDS = 200;
export const DEFAULT_SDK_CALL = 'openai.chat.completions.create({stream: true})';

/** An attempt as it is being recorded: the saved form, filled in as its events arrive. */
type AttemptState = TraceAttempt;

/**
 * Takes a request's trace as it runs: one method per hop (the saved format is `RequestTrace`, in
 * trace-types.ts). Times are taken from the injected
 * clock when a hop is reported (the webview's hops carry their own time).
 *
 * `chunk` and `bodyBytes` are on the streaming hot path: they do constant work and allocate
 * nothing. Everything else happens a handful of times per request (per round, in agent mode).
 */
export class TraceRecorder {
  private readonly now: () => number;
  private readonly timeOrigin: number;
  private secrets: readonly string[];
  /** The answer this request streams into, as given to the constructor. */
  readonly messageId: string | undefined;
  private readonly createdAt: number;

  private trigger = 'send';
  private userAt: number | undefined;
  private hostAt: number | undefined;
  private request: TraceRequest | undefined;
  private readonly attempts: AttemptState[] = [];
  /** Index of the current request's first attempt: each agent round numbers its attempts from 1. */
  private attemptBase = 0;
  private lastRequest: { method: string; host: string; path: string; sdkCall: string } | undefined;
  private readonly chunks: ChunkLog;
  private readonly batches: BatchLog;
  private readonly agent: AgentTrace;
  private paintFirst: number | undefined;
  private paintLast: number | undefined;
  /** Every paint the webview reported while the answer streamed, and the text's length after it. */
  private readonly paints = new TimeLog();
  private lastPaintAt = 0;
  private paintsFrom: object | undefined;
  private stopAt: number | undefined;
  private tools: TraceTool[] | undefined;
  private end: TraceEnd | undefined;

  constructor(options: TraceRecorderOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.timeOrigin = options.timeOrigin ?? performance.timeOrigin;
    const cap = Math.max(0, Math.floor(options.maxChunkRecords ?? DEFAULT_MAX_CHUNK_RECORDS));
    this.secrets = options.secrets ?? [];
    this.messageId = options.messageId;
    this.chunks = new ChunkLog(cap);
    this.batches = new BatchLog(cap);
    this.agent = new AgentTrace({
      chunks: this.chunks,
      attemptCount: () => this.attempts.length,
      startRequest: () => {
        this.attemptBase = this.attempts.length;
      },
      secrets: () => this.secrets,
    });
    this.createdAt = this.now();
  }

  /** More values to redact (the key and header values are known only once the provider is resolved). */
  addSecrets(secrets: Iterable<string | undefined>): void {
    this.secrets = [...this.secrets, ...[...secrets].filter((s): s is string => typeof s === 'string' && s !== '')];
  }

  /**
   * The user sent the prompt in the webview. `atEpochMs` is the webview's
   * `performance.timeOrigin + performance.now()`; without it the host's current time is used.
   */
  userSent(atEpochMs?: number): void {
    const now = this.now();
    // Not after the host received it (clock skew between processes), and never in the future.
    const ceiling = this.hostAt ?? now;
    this.userAt = atEpochMs === undefined || !Number.isFinite(atEpochMs) ? ceiling : Math.min(atEpochMs - this.timeOrigin, ceiling);
  }

  /** The host received the webview's message (`send`, or `regenerate`, `resend`, `action`). */
  hostReceived(trigger = 'send'): void {
    this.hostAt = this.now();
    this.trigger = clip(trigger, 40);
    if (this.userAt !== undefined && this.userAt > this.hostAt) this.userAt = this.hostAt;
  }

  requestBuilt(info: { messageCount: number; promptTokens: number; model: string; provider: string; exact?: boolean; droppedTurns?: number }): void {
    this.request = {
      at: this.now(),
      messageCount: info.messageCount,
      promptTokens: info.promptTokens,
      model: clip(info.model, NAME_CHARS),
      provider: clip(info.provider, NAME_CHARS),
    };
    if (info.exact === false) this.request.exact = false;
    if (info.droppedTurns) this.request.droppedTurns = info.droppedTurns;
  }

  /**
   * An HTTP request left the host (one per attempt). Only the host name and the path are kept:
   * the scheme, credentials, query string and fragment are dropped, and anything in the path
   * shaped like a key is redacted. `attempt` counts within the current request (agent round).
   */
  httpRequest(info: { method: string; url: string; attempt?: number; sdkCall?: string }): void {
    const attempt = info.attempt ?? this.attempts.length - this.attemptBase + 1;
    const { host, path } = safeUrl(info.url, this.secrets);
    const request = { method: clip(info.method.toUpperCase(), 10), host, path, sdkCall: clip(info.sdkCall ?? DEFAULT_SDK_CALL, NAME_CHARS) };
    this.lastRequest = request;
    const state = this.attempt(attempt);
    Object.assign(state, request);
    state.at = this.now();
  }

  /** The response headers of an attempt arrived. */
  responseHeaders(info: { status: number; requestId?: string; attempt: number }): void {
    const state = this.attempt(info.attempt);
    state.headersAt = this.now();
    state.status = info.status;
    if (info.requestId) state.requestId = clip(info.requestId, NAME_CHARS);
  }

  /** An attempt failed before any answer and the engine waits `delayMs` before the next. */
  retry(info: { attempt: number; delayMs: number; reason: string; status?: number; requestId?: string }): void {
    const state = this.attempt(info.attempt);
    state.retry = { at: this.now(), delayMs: info.delayMs, reason: clip(info.reason, 40) };
    if (info.status !== undefined) state.retry.status = info.status;
    if (info.requestId && !state.requestId) state.requestId = clip(info.requestId, NAME_CHARS);
  }

  /** The first SSE chunk of the answer arrived (the engine's `firstChunk` event). */
  firstChunk(): void {
    const now = this.now();
    this.chunks.firstChunkAt ??= now;
    this.agent.firstChunk(now);
  }

  /** A chunk of answer content arrived. Hot path: O(1), no allocation. */
  chunk(kind: ChunkKind, textChars: number): void {
    this.chunks.add(kindIndex(kind), textChars, this.now());
  }

  /** A block of response body bytes arrived. Hot path: O(1). */
  bodyBytes(count: number): void {
    this.chunks.bytes += count;
  }

  /** The host posted a batch of text (`textAppended`) or reasoning (`reasoningAppended`) to the webview. */
  postedBatch(chars: number, kind: BatchKind = 'text'): void {
    this.batches.add(chars, kind, this.now());
  }

  /**
   * The webview painted this answer for the first time, or for the last (after `messageFinished`),
   * as it acknowledged. `atEpochMs` as for `userSent`.
   */
  webviewPainted(which: 'first' | 'last', atEpochMs?: number): void {
    const now = this.now();
    let at = atEpochMs === undefined || !Number.isFinite(atEpochMs) ? now : Math.min(atEpochMs - this.timeOrigin, now);
    // A paint shows something the host posted: not before the first post.
    if (this.batches.count > 0) at = Math.max(at, this.batches.firstAt);
    // The last paint shows the finished message: not before the host posted it.
    if (which === 'last' && this.end) at = Math.min(Math.max(at, this.end.at), now);
    if (which === 'first') {
      this.paintFirst ??= at;
    } else {
      this.paintLast = Math.max(at, this.paintFirst ?? at);
    }
  }

  /**
   * Paints of the streaming answer, as the webview reported them in a batch: when (epoch
   * milliseconds, as for `userSent`) and how many characters of the answer were on screen after
   * each. Kept in time order, none before the first post nor after now. The webview's clock may
   * run ahead of the host's (another process, in code-server another machine): a batch that would
   * end in the future is moved back whole, keeping the gaps between its paints, not clamped paint
   * by paint onto one instant.
   */
  webviewPaints(atEpochMs: readonly number[], chars: readonly number[], view?: object): void {
    // Two views showing the conversation (the sidebar and a panel) both paint it: the paints of the
    // first to report are kept, not both interleaved.
    this.paintsFrom ??= view;
    if (view !== this.paintsFrom) return;
    const now = this.now();
    const floor = this.batches.count > 0 ? this.batches.firstAt : this.createdAt;
    const count = Math.min(atEpochMs.length, chars.length);
    let latest = -Infinity;
    for (let i = 0; i < count; i++) if (Number.isFinite(atEpochMs[i])) latest = Math.max(latest, (atEpochMs[i] as number) - this.timeOrigin);
    const shift = latest > now ? now - latest : 0;
    for (let i = 0; i < count; i++) {
      const epoch = atEpochMs[i] as number;
      if (!Number.isFinite(epoch)) continue;
      const at = Math.min(now, Math.max(epoch - this.timeOrigin + shift, floor, this.lastPaintAt));
      this.lastPaintAt = at;
      this.paints.add(at, Math.max(0, Math.floor(chars[i] as number)));
    }
  }

  /** The user asked to stop. `atEpochMs` as for `userSent`, when the webview reports its time. */
  stopRequested(atEpochMs?: number): void {
    const now = this.now();
    this.stopAt ??= atEpochMs === undefined || !Number.isFinite(atEpochMs) ? now : Math.min(atEpochMs - this.timeOrigin, now);
  }

  /**
   * The agent mode's tools, by the name the model sees: where each really comes from (built-in,
   * an MCP server's tool, a VS Code tool). Call it before the loop; only called tools are kept.
   */
  describeTools(tools: ReadonlyArray<AgentToolInfo>): void {
    this.agent.describeTools(tools);
  }

  /**
   * One event of the agent loop: rounds, tool steps, their states. Call it from the loop's
   * `onEvent`, as it happens: a round's HTTP attempts are those recorded after its `roundStarted`.
   * `atMs` is when it happened on this recorder's clock (`performance.now()` by default), if it
   * is reported late; never later than now.
   */
  agentEvent(event: AgentEvent, atMs?: number): void {
    const now = this.now();
    this.agent.event(event, atMs === undefined || !Number.isFinite(atMs) ? now : Math.min(atMs, now));
  }

  /**
   * The request ended, however it ended: the engine's `StreamOutcome`, or in agent mode the
   * loop's `AgentOutcome` (its state, summed usage, and the last request's finish and attempts).
   */
  finished(outcome: StreamOutcome | AgentOutcome): void {
    const at = this.now();
    const agent = 'rounds' in outcome;
    const last = agent ? outcome.last : outcome;
    const attempts = agent ? (outcome.last?.attempts ?? 0) : outcome.attempts;
    for (let n = this.attempts.length - this.attemptBase + 1; n <= attempts; n++) this.attempt(n);
    let problem: TraceEnd['problem'];
    if (outcome.problem) {
      const { kind, status, requestId, detail } = outcome.problem;
      problem = { kind };
      if (status !== undefined) problem.status = status;
      if (requestId) problem.requestId = clip(requestId, NAME_CHARS);
      if (detail) problem.detail = clip(redact(detail, this.secrets), DETAIL_CHARS);
    }
    this.end = {
      at,
      state: outcome.state,
      ...(last?.finishReason ? { finishReason: clip(last.finishReason, 40) } : {}),
      ...(outcome.usage ? { usage: { ...outcome.usage } } : {}),
      ...(problem ? { problem } : {}),
      textLength: agent ? outcome.text.length : outcome.textLength,
      attempts,
    };
    // In agent mode the steps tell of every call; a plain request lists the calls it was asked for.
    this.tools = !agent && outcome.toolCalls.length
      ? outcome.toolCalls.map((call) => ({ name: clip(call.name, NAME_CHARS), argsChars: call.arguments.length }))
      : undefined;
  }

  /** Feeds one engine event to the matching hop; usage and finish are taken from the outcome. */
  onEvent(event: StreamEvent): void {
    switch (event.kind) {
      case 'text':
      case 'refusal':
      case 'reasoning':
        this.chunk(event.kind, event.text.length);
        break;
      case 'toolCall':
        this.chunk('toolCall', event.argumentsDelta.length);
        break;
      case 'firstChunk':
        this.firstChunk();
        break;
      case 'response':
        this.responseHeaders(event);
        break;
      case 'retrying':
        this.retry({ attempt: event.attempt, delayMs: event.delayMs, reason: event.problem.kind, status: event.problem.status, requestId: event.problem.requestId });
        break;
      // Per agent round: the outcome gives them for the request as a whole.
      case 'finish':
        this.agent.finish(event.reason);
        break;
      case 'usage':
        this.agent.usage(event.usage.completionTokens);
        break;
    }
  }

  /** The trace so far, as JSON-safe data (a copy: the recorder can keep recording). */
  trace(): RequestTrace {
    // Time zero is the user's send; without it, the host's receipt; without that, the recorder's creation.
    const origin = this.userAt ?? this.hostAt ?? this.createdAt;
    const rel = (t: number) => round1(t - origin);
    // Keys in the order of the hops, so that a saved trace reads top to bottom.
    const trace: RequestTrace = {
      v: 1,
      startedAt: Math.round(this.timeOrigin + origin),
      ...(this.messageId ? { messageId: this.messageId } : {}),
      trigger: this.trigger,
      ...(this.userAt !== undefined ? { userSentAt: rel(this.userAt) } : {}),
      ...(this.hostAt !== undefined ? { hostReceivedAt: rel(this.hostAt) } : {}),
      ...(this.request ? { request: { ...this.request, at: rel(this.request.at) } } : {}),
      attempts: [],
    };
    trace.attempts = this.attempts.map((a) => {
      const out: TraceAttempt = { attempt: a.attempt, method: a.method, host: a.host, path: a.path, sdkCall: a.sdkCall };
      if (a.at !== undefined) out.at = rel(a.at);
      if (a.headersAt !== undefined) out.headersAt = rel(a.headersAt);
      if (a.status !== undefined) out.status = a.status;
      if (a.requestId) out.requestId = a.requestId;
      if (a.retry) out.retry = { ...a.retry, at: rel(a.retry.at) };
      return out;
    });
    const { stream, chunks } = this.chunks.snapshot(rel);
    if (stream) trace.stream = stream;
    if (chunks) trace.chunks = chunks;
    const batches = this.batches.snapshot(rel);
    if (batches) trace.batches = batches;
    if (this.paintFirst !== undefined || this.paintLast !== undefined) {
      trace.paint = {};
      if (this.paintFirst !== undefined) trace.paint.firstAt = rel(this.paintFirst);
      if (this.paintLast !== undefined) trace.paint.lastAt = rel(this.paintLast);
    }
    if (this.chunks.all.length > 0 || this.batches.all.length > 0) {
      const chunks = this.chunks.all.snapshot(rel);
      const posts = this.batches.all.snapshot(rel);
      trace.timeline = { chunkGaps: chunks.gaps, chunkChars: chunks.sizes, postGaps: posts.gaps, postChars: posts.sizes };
      if (this.paints.length > 0) {
        const paints = this.paints.snapshot(rel);
        trace.timeline.paintGaps = paints.gaps;
        trace.timeline.paintChars = paints.sizes;
      }
    }
    if (this.stopAt !== undefined) trace.stopAt = rel(Math.max(this.stopAt, origin));
    if (this.tools) trace.tools = this.tools.map((t) => ({ ...t }));
    if (this.agent.active) trace.agent = this.agent.snapshot(rel);
    if (this.end) {
      const end: TraceEnd = { ...this.end, at: rel(this.end.at) };
      if (this.end.usage) end.usage = { ...this.end.usage };
      if (this.end.problem) end.problem = { ...this.end.problem };
      trace.end = end;
    }
    return trace;
  }

  /** The state of attempt `n` of the current request, created (with the ones before it) if new. */
  private attempt(n: number): AttemptState {
    const number = Math.max(1, Math.floor(n));
    for (let i = this.attempts.length - this.attemptBase + 1; i <= number; i++) {
      // An attempt only the engine's events told of: same request as the one before, time unknown.
      const like = this.lastRequest ?? { method: 'POST', host: '', path: '', sdkCall: DEFAULT_SDK_CALL };
      this.attempts.push({ attempt: i, ...like });
    }
    return this.attempts[this.attemptBase + number - 1] as AttemptState;
  }
}
