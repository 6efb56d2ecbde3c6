import type { TokenUsage } from '../../protocol/messages';
import { redact } from '../redact';
import type { ProblemKind, StreamEvent, StreamOutcome } from '../stream/events';

/**
 * A record of one request, hop by hop, taken while it runs, from which Rill draws its sequence
 * diagram. It is plain JSON and is saved with the conversation, so it stays small whatever the
 * answer's length: the token stream is kept as aggregates (counts, characters, bytes, largest
 * gap, one entry per phase), and individual chunks and webview batches only up to a cap, for the
 * detailed diagram.
 *
 * Every `at` is milliseconds since `startedAt`, on a monotonic clock, at 0.1 ms resolution. The
 * webview's own times (the send, its paints) come from another process: it reports them as
 * `performance.timeOrigin + performance.now()` and the recorder maps them onto the host's clock,
 * clamped so that no hop appears before its cause.
 */
export interface RequestTrace {
  v: 1;
  /** Wall-clock time of `at: 0`, milliseconds since the epoch (for listing traces, not for drawing). */
  startedAt: number;
  messageId?: string;
  /** The webview message that started the request: `send`, `regenerate`, `resend`, `action`. */
  trigger: string;
  /** The user's click or Enter, in the webview. */
  userSentAt?: number;
  /** The host received the webview's message. */
  hostReceivedAt?: number;
  request?: TraceRequest;
  /** One per HTTP attempt, in order. */
  attempts: TraceAttempt[];
  /** Present once the first chunk of an answer arrived. */
  stream?: TraceStream;
  /** The first chunks, up to the recorder's cap; `stream.count - chunks.length` were not kept. */
  chunks?: TraceChunk[];
  batches?: TraceBatches;
  paint?: { firstAt?: number; lastAt?: number };
  /** The user asked to stop. */
  stopAt?: number;
  /** Function calls the model asked for (names as the model sent them: untrusted text). */
  tools?: TraceTool[];
  end?: TraceEnd;
}

export interface TraceRequest {
  at: number;
  messageCount: number;
  promptTokens: number;
  /** False when `promptTokens` is an estimate (no exact tokenizer for the model). */
  exact?: boolean;
  model: string;
  provider: string;
  /** Earlier turns left out to fit the context window. */
  droppedTurns?: number;
}

export interface TraceAttempt {
  attempt: number;
  /** When the HTTP request was sent; absent when only the engine's events told of this attempt. */
  at?: number;
  method: string;
  /** Host name and port only: no scheme, credentials, path or query. */
  host: string;
  /** The URL's path only: no query string (Azure's `api-version`, keys some proxies take). */
  path: string;
  /** The SDK call that made the request. */
  sdkCall: string;
  headersAt?: number;
  status?: number;
  requestId?: string;
  /** Set when this attempt failed and the engine tried again. */
  retry?: { at: number; delayMs: number; reason: ProblemKind | string; status?: number };
}

export type ChunkKind = 'text' | 'reasoning' | 'toolCall' | 'refusal';

/** `[at, characters, kind]` for one chunk of the answer. */
export type TraceChunk = [at: number, chars: number, kind: ChunkKind];

export interface TracePhase {
  count: number;
  chars: number;
  firstAt: number;
  lastAt: number;
}

export interface TraceStream {
  /** The first SSE chunk of any kind (OpenAI's first carries only the role). */
  firstChunkAt?: number;
  /** First and last chunk carrying answer content (text, reasoning, tool call or refusal). */
  firstAt: number;
  lastAt: number;
  /** Content chunks. */
  count: number;
  /** Characters of content (text, reasoning, tool-call arguments, refusal). */
  chars: number;
  /** Body bytes received, when the transport was observed. */
  bytes?: number;
  /** The longest wait between two content chunks, and when it ended. */
  maxGapMs: number;
  maxGapAt: number;
  phases: Partial<Record<ChunkKind, TracePhase>>;
}

export type BatchKind = 'text' | 'reasoning';
/** `[at, characters, kind]` for one message posted to the webview. */
export type TraceBatch = [at: number, chars: number, kind: BatchKind];

export interface TraceBatches {
  count: number;
  chars: number;
  firstAt: number;
  lastAt: number;
  byKind: Partial<Record<BatchKind, number>>;
  /** The first batches, up to the recorder's cap. */
  log: TraceBatch[];
}

export interface TraceTool {
  name: string;
  /** Characters of the arguments (the arguments themselves are not kept). */
  argsChars: number;
}

export interface TraceEnd {
  at: number;
  state: StreamOutcome['state'];
  finishReason?: string;
  usage?: TokenUsage;
  problem?: { kind: ProblemKind | string; status?: number; requestId?: string; detail?: string };
  textLength: number;
  attempts: number;
}

/** Figures derived from a trace; absent when the trace has no data for them. */
export interface TraceFigures {
  /** First content chunk, from the user's send (or the host's receipt): what the user waits. */
  ttftMs?: number;
  /** First content chunk, from the HTTP request of the attempt that answered. */
  apiTtftMs?: number;
  /** Response headers, from the HTTP request of the attempt that answered. */
  headersMs?: number;
  /** First content chunk to last. */
  streamMs?: number;
  /** The user's send (or the host's receipt) to the end. */
  totalMs?: number;
  /** Completion tokens from `usage` when the server sent it, else the count of content chunks. */
  tokens?: number;
  tokensFrom?: 'usage' | 'chunks';
  tokensPerSecond?: number;
  maxGapMs?: number;
  /** First paint in the webview, from the user's send. */
  firstPaintMs?: number;
}

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
const DETAIL_CHARS = 300;
const NAME_CHARS = 120;

const KINDS: readonly ChunkKind[] = ['text', 'reasoning', 'toolCall', 'refusal'];
const BATCH_KINDS: readonly BatchKind[] = ['text', 'reasoning'];

interface PhaseState {
  count: number;
  chars: number;
  firstAt: number;
  lastAt: number;
}

interface AttemptState {
  attempt: number;
  at?: number;
  method: string;
  host: string;
  path: string;
  sdkCall: string;
  headersAt?: number;
  status?: number;
  requestId?: string;
  retry?: { at: number; delayMs: number; reason: string; status?: number };
}

/**
 * Takes a request's trace as it runs: one method per hop. Times are taken from the injected
 * clock when a hop is reported (the webview's hops carry their own time).
 *
 * `chunk` and `bodyBytes` are on the streaming hot path: they do constant work and allocate
 * nothing (the per-chunk log is three typed arrays sized once, at construction). Everything
 * else happens a handful of times per request.
 */
export class TraceRecorder {
  private readonly now: () => number;
  private readonly timeOrigin: number;
  private readonly cap: number;
  private secrets: readonly string[];
  /** The answer this request streams into, as given to the constructor. */
  readonly messageId: string | undefined;
  private readonly createdAt: number;

  private trigger = 'send';
  private userAt: number | undefined;
  private hostAt: number | undefined;
  private request: TraceRequest | undefined;
  private readonly attempts: AttemptState[] = [];
  private lastRequest: { method: string; host: string; path: string; sdkCall: string } | undefined;

  private firstChunkAt: number | undefined;
  private count = 0;
  private chars = 0;
  private bytes = 0;
  private firstAt = 0;
  private lastAt = 0;
  private maxGap = 0;
  private maxGapAt = 0;
  private readonly phases: PhaseState[] = KINDS.map(() => ({ count: 0, chars: 0, firstAt: 0, lastAt: 0 }));
  private readonly chunkAt: Float64Array;
  private readonly chunkChars: Float64Array;
  private readonly chunkKind: Uint8Array;

  private batchCount = 0;
  private batchChars = 0;
  private batchFirst = 0;
  private batchLast = 0;
  private readonly batchByKind = new Uint32Array(2);
  private readonly batchAt: Float64Array;
  private readonly batchCharsLog: Float64Array;
  private readonly batchKind: Uint8Array;

  private paintFirst: number | undefined;
  private paintLast: number | undefined;
  private stopAt: number | undefined;
  private tools: TraceTool[] | undefined;
  private end: TraceEnd | undefined;

  constructor(options: TraceRecorderOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.timeOrigin = options.timeOrigin ?? performance.timeOrigin;
    this.cap = Math.max(0, Math.floor(options.maxChunkRecords ?? DEFAULT_MAX_CHUNK_RECORDS));
    this.secrets = options.secrets ?? [];
    this.messageId = options.messageId;
    this.chunkAt = new Float64Array(this.cap);
    this.chunkChars = new Float64Array(this.cap);
    this.chunkKind = new Uint8Array(this.cap);
    this.batchAt = new Float64Array(this.cap);
    this.batchCharsLog = new Float64Array(this.cap);
    this.batchKind = new Uint8Array(this.cap);
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
   * shaped like a key is redacted.
   */
  httpRequest(info: { method: string; url: string; attempt?: number; sdkCall?: string }): void {
    const attempt = info.attempt ?? this.attempts.length + 1;
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
    this.firstChunkAt ??= this.now();
  }

  /** A chunk of answer content arrived. Hot path: O(1), no allocation. */
  chunk(kind: ChunkKind, textChars: number): void {
    const t = this.now();
    const index = kind === 'text' ? 0 : kind === 'reasoning' ? 1 : kind === 'toolCall' ? 2 : 3;
    const n = this.count;
    if (n === 0) {
      this.firstAt = t;
    } else {
      const gap = t - this.lastAt;
      if (gap > this.maxGap) {
        this.maxGap = gap;
        this.maxGapAt = t;
      }
    }
    this.lastAt = t;
    this.count = n + 1;
    this.chars += textChars;
    const phase = this.phases[index] as PhaseState;
    if (phase.count === 0) phase.firstAt = t;
    phase.count++;
    phase.chars += textChars;
    phase.lastAt = t;
    if (n < this.cap) {
      this.chunkAt[n] = t;
      this.chunkChars[n] = textChars;
      this.chunkKind[n] = index;
    }
  }

  /** A block of response body bytes arrived. Hot path: O(1). */
  bodyBytes(count: number): void {
    this.bytes += count;
  }

  /** The host posted a batch of text (`textAppended`) or reasoning (`reasoningAppended`) to the webview. */
  postedBatch(chars: number, kind: BatchKind = 'text'): void {
    const t = this.now();
    const n = this.batchCount;
    if (n === 0) this.batchFirst = t;
    this.batchLast = t;
    this.batchCount = n + 1;
    this.batchChars += chars;
    const index = kind === 'reasoning' ? 1 : 0;
    this.batchByKind[index] = (this.batchByKind[index] as number) + 1;
    if (n < this.cap) {
      this.batchAt[n] = t;
      this.batchCharsLog[n] = chars;
      this.batchKind[n] = index;
    }
  }

  /**
   * The webview painted this answer for the first time, or for the last (after `messageFinished`),
   * as it acknowledged. `atEpochMs` as for `userSent`.
   */
  webviewPainted(which: 'first' | 'last', atEpochMs?: number): void {
    const now = this.now();
    let at = atEpochMs === undefined || !Number.isFinite(atEpochMs) ? now : Math.min(atEpochMs - this.timeOrigin, now);
    // A paint shows something the host posted: not before the first post.
    if (this.batchCount > 0) at = Math.max(at, this.batchFirst);
    // The last paint shows the finished message: not before the host posted it.
    if (which === 'last' && this.end) at = Math.min(Math.max(at, this.end.at), now);
    if (which === 'first') {
      this.paintFirst ??= at;
    } else {
      this.paintLast = Math.max(at, this.paintFirst ?? at);
    }
  }

  /** The user asked to stop. `atEpochMs` as for `userSent`, when the webview reports its time. */
  stopRequested(atEpochMs?: number): void {
    const now = this.now();
    this.stopAt ??= atEpochMs === undefined || !Number.isFinite(atEpochMs) ? now : Math.min(atEpochMs - this.timeOrigin, now);
  }

  /** The request ended, however it ended (the engine's `StreamOutcome`). */
  finished(outcome: StreamOutcome): void {
    const at = this.now();
    for (let n = this.attempts.length + 1; n <= outcome.attempts; n++) this.attempt(n);
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
      ...(outcome.finishReason ? { finishReason: clip(outcome.finishReason, 40) } : {}),
      ...(outcome.usage ? { usage: { ...outcome.usage } } : {}),
      ...(problem ? { problem } : {}),
      textLength: outcome.textLength,
      attempts: outcome.attempts,
    };
    this.tools = outcome.toolCalls.length
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
    if (this.count > 0 || this.firstChunkAt !== undefined) {
      const stream: TraceStream = {
        ...(this.firstChunkAt !== undefined ? { firstChunkAt: rel(this.firstChunkAt) } : {}),
        firstAt: rel(this.count > 0 ? this.firstAt : (this.firstChunkAt as number)),
        lastAt: rel(this.count > 0 ? this.lastAt : (this.firstChunkAt as number)),
        count: this.count,
        chars: this.chars,
        maxGapMs: round1(this.maxGap),
        maxGapAt: this.count > 1 ? rel(this.maxGapAt) : 0,
        phases: {},
      };
      if (this.bytes > 0) stream.bytes = this.bytes;
      KINDS.forEach((kind, i) => {
        const p = this.phases[i] as PhaseState;
        if (p.count > 0) stream.phases[kind] = { count: p.count, chars: p.chars, firstAt: rel(p.firstAt), lastAt: rel(p.lastAt) };
      });
      trace.stream = stream;
      const kept = Math.min(this.count, this.cap);
      if (kept > 0) {
        trace.chunks = [];
        for (let i = 0; i < kept; i++) trace.chunks.push([rel(this.chunkAt[i] as number), this.chunkChars[i] as number, KINDS[this.chunkKind[i] as number] as ChunkKind]);
      }
    }
    if (this.batchCount > 0) {
      const byKind: Partial<Record<BatchKind, number>> = {};
      BATCH_KINDS.forEach((kind, i) => {
        if (this.batchByKind[i]) byKind[kind] = this.batchByKind[i];
      });
      const log: TraceBatch[] = [];
      for (let i = 0; i < Math.min(this.batchCount, this.cap); i++) {
        log.push([rel(this.batchAt[i] as number), this.batchCharsLog[i] as number, BATCH_KINDS[this.batchKind[i] as number] as BatchKind]);
      }
      trace.batches = { count: this.batchCount, chars: this.batchChars, firstAt: rel(this.batchFirst), lastAt: rel(this.batchLast), byKind, log };
    }
    if (this.paintFirst !== undefined || this.paintLast !== undefined) {
      trace.paint = {};
      if (this.paintFirst !== undefined) trace.paint.firstAt = rel(this.paintFirst);
      if (this.paintLast !== undefined) trace.paint.lastAt = rel(this.paintLast);
    }
    if (this.stopAt !== undefined) trace.stopAt = rel(Math.max(this.stopAt, origin));
    if (this.tools) trace.tools = this.tools.map((t) => ({ ...t }));
    if (this.end) {
      const end: TraceEnd = { ...this.end, at: rel(this.end.at) };
      if (this.end.usage) end.usage = { ...this.end.usage };
      if (this.end.problem) end.problem = { ...this.end.problem };
      trace.end = end;
    }
    return trace;
  }

  private attempt(n: number): AttemptState {
    const number = Math.max(1, Math.floor(n));
    for (let i = this.attempts.length + 1; i <= number; i++) {
      // An attempt only the engine's events told of: same request as the one before, time unknown.
      const like = this.lastRequest ?? { method: 'POST', host: '', path: '', sdkCall: DEFAULT_SDK_CALL };
      this.attempts.push({ attempt: i, ...like });
    }
    return this.attempts[number - 1] as AttemptState;
  }
}

/** Derived figures: time to first token, streaming time, tokens per second, largest gap. */
export function traceFigures(trace: RequestTrace): TraceFigures {
  const figures: TraceFigures = {};
  const start = trace.userSentAt ?? trace.hostReceivedAt;
  const stream = trace.stream && trace.stream.count > 0 ? trace.stream : undefined;
  const answering = answeringAttempt(trace);
  if (stream) {
    if (start !== undefined) figures.ttftMs = round1(stream.firstAt - start);
    if (answering?.at !== undefined) figures.apiTtftMs = round1(stream.firstAt - answering.at);
    figures.streamMs = round1(stream.lastAt - stream.firstAt);
    if (stream.count > 1) figures.maxGapMs = stream.maxGapMs;
    const usage = trace.end?.usage;
    if (usage && usage.completionTokens > 0) {
      figures.tokens = usage.completionTokens;
      figures.tokensFrom = 'usage';
    } else {
      figures.tokens = stream.count;
      figures.tokensFrom = 'chunks';
    }
    if (figures.streamMs > 0) figures.tokensPerSecond = round1((figures.tokens * 1000) / figures.streamMs);
  }
  if (answering?.at !== undefined && answering.headersAt !== undefined) figures.headersMs = round1(answering.headersAt - answering.at);
  if (start !== undefined && trace.end) figures.totalMs = round1(trace.end.at - start);
  if (start !== undefined && trace.paint?.firstAt !== undefined) figures.firstPaintMs = round1(trace.paint.firstAt - start);
  return figures;
}

/** The attempt that got an answer through (or the last one made). */
export function answeringAttempt(trace: RequestTrace): TraceAttempt | undefined {
  return trace.attempts.find((a) => !a.retry && a.status !== undefined && a.status < 400) ?? trace.attempts[trace.attempts.length - 1];
}

/** Keeps the newest `max` traces, oldest first, with `trace` appended. */
export function keepRecentTraces(traces: readonly RequestTrace[] | undefined, trace: RequestTrace, max = 20): RequestTrace[] {
  const list = [...(traces ?? []), trace];
  return list.slice(Math.max(0, list.length - max));
}

/**
 * Host and path of a request URL, with nothing secret: no scheme, user info, query, fragment,
 * and anything in the path that looks like a key (or equals one of `secrets`) redacted.
 */
export function safeUrl(url: string, secrets: readonly string[] = []): { host: string; path: string } {
  let host = '';
  let path: string;
  try {
    const parsed = new URL(url);
    host = parsed.host;
    path = parsed.pathname;
  } catch {
    // A relative or malformed URL: cut at the query or fragment, drop any `scheme://user@host`.
    path = url.split(/[?#]/, 1)[0] ?? '';
    const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)/i.exec(path);
    if (authority) {
      host = (authority[1] ?? '').replace(/^.*@/, '');
      path = path.slice(authority[0].length) || '/';
    }
  }
  return { host: clip(host.replace(/^.*@/, ''), NAME_CHARS), path: clip(redact(path, secrets), 200) };
}

function round1(x: number): number {
  const r = Math.round(x * 10) / 10;
  return r === 0 ? 0 : r; // no -0 in JSON or labels
}

/** Cuts text to `max` code points, marking the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/**
 * Reads a saved trace, checking every field it will draw: files can be damaged or edited by hand.
 * Returns `undefined` when the value is not a trace; malformed optional parts are dropped.
 */
export function parseRequestTrace(value: unknown): RequestTrace | undefined {
  if (!isObject(value) || value.v !== 1 || !isNumber(value.startedAt) || !Array.isArray(value.attempts)) return undefined;
  const trace: RequestTrace = { v: 1, startedAt: value.startedAt, trigger: isString(value.trigger) ? value.trigger : 'send', attempts: [] };
  if (isString(value.messageId)) trace.messageId = value.messageId;
  if (isNumber(value.userSentAt)) trace.userSentAt = value.userSentAt;
  if (isNumber(value.hostReceivedAt)) trace.hostReceivedAt = value.hostReceivedAt;
  const r = value.request;
  if (isObject(r) && isNumber(r.at) && isNumber(r.messageCount) && isNumber(r.promptTokens) && isString(r.model) && isString(r.provider)) {
    trace.request = { at: r.at, messageCount: r.messageCount, promptTokens: r.promptTokens, model: r.model, provider: r.provider };
    if (r.exact === false) trace.request.exact = false;
    if (isNumber(r.droppedTurns)) trace.request.droppedTurns = r.droppedTurns;
  }
  for (const a of value.attempts) {
    if (!isObject(a) || !isNumber(a.attempt) || !isString(a.method) || !isString(a.host) || !isString(a.path) || !isString(a.sdkCall)) return undefined;
    const attempt: TraceAttempt = { attempt: a.attempt, method: a.method, host: a.host, path: a.path, sdkCall: a.sdkCall };
    if (isNumber(a.at)) attempt.at = a.at;
    if (isNumber(a.headersAt)) attempt.headersAt = a.headersAt;
    if (isNumber(a.status)) attempt.status = a.status;
    if (isString(a.requestId)) attempt.requestId = a.requestId;
    const retry = a.retry;
    if (isObject(retry) && isNumber(retry.at) && isNumber(retry.delayMs) && isString(retry.reason)) {
      attempt.retry = { at: retry.at, delayMs: retry.delayMs, reason: retry.reason };
      if (isNumber(retry.status)) attempt.retry.status = retry.status;
    }
    trace.attempts.push(attempt);
  }
  const s = value.stream;
  if (isObject(s) && isNumber(s.firstAt) && isNumber(s.lastAt) && isNumber(s.count) && isNumber(s.chars) && isNumber(s.maxGapMs) && isNumber(s.maxGapAt)) {
    const stream: TraceStream = { firstAt: s.firstAt, lastAt: s.lastAt, count: s.count, chars: s.chars, maxGapMs: s.maxGapMs, maxGapAt: s.maxGapAt, phases: {} };
    if (isNumber(s.firstChunkAt)) stream.firstChunkAt = s.firstChunkAt;
    if (isNumber(s.bytes)) stream.bytes = s.bytes;
    if (isObject(s.phases)) {
      for (const kind of KINDS) {
        const p = s.phases[kind];
        if (isObject(p) && isNumber(p.count) && isNumber(p.chars) && isNumber(p.firstAt) && isNumber(p.lastAt)) {
          stream.phases[kind] = { count: p.count, chars: p.chars, firstAt: p.firstAt, lastAt: p.lastAt };
        }
      }
    }
    trace.stream = stream;
  }
  if (Array.isArray(value.chunks)) {
    const chunks = value.chunks.filter(
      (c): c is TraceChunk => Array.isArray(c) && isNumber(c[0]) && isNumber(c[1]) && KINDS.includes(c[2] as ChunkKind),
    );
    if (chunks.length) trace.chunks = chunks.map((c) => [c[0], c[1], c[2]]);
  }
  const b = value.batches;
  if (isObject(b) && isNumber(b.count) && isNumber(b.chars) && isNumber(b.firstAt) && isNumber(b.lastAt)) {
    const byKind: Partial<Record<BatchKind, number>> = {};
    if (isObject(b.byKind)) for (const kind of BATCH_KINDS) if (isNumber(b.byKind[kind])) byKind[kind] = b.byKind[kind];
    const log = Array.isArray(b.log)
      ? b.log.filter((e): e is TraceBatch => Array.isArray(e) && isNumber(e[0]) && isNumber(e[1]) && BATCH_KINDS.includes(e[2] as BatchKind)).map((e): TraceBatch => [e[0], e[1], e[2]])
      : [];
    trace.batches = { count: b.count, chars: b.chars, firstAt: b.firstAt, lastAt: b.lastAt, byKind, log };
  }
  if (isObject(value.paint)) {
    trace.paint = {};
    if (isNumber(value.paint.firstAt)) trace.paint.firstAt = value.paint.firstAt;
    if (isNumber(value.paint.lastAt)) trace.paint.lastAt = value.paint.lastAt;
  }
  if (isNumber(value.stopAt)) trace.stopAt = value.stopAt;
  if (Array.isArray(value.tools)) {
    const tools = value.tools.filter((t): t is TraceTool => isObject(t) && isString(t.name) && isNumber(t.argsChars));
    if (tools.length) trace.tools = tools.map((t) => ({ name: t.name, argsChars: t.argsChars }));
  }
  const e = value.end;
  const states: readonly string[] = ['done', 'stopped', 'error', 'truncated'];
  if (isObject(e) && isNumber(e.at) && isString(e.state) && states.includes(e.state) && isNumber(e.textLength) && isNumber(e.attempts)) {
    const end: TraceEnd = { at: e.at, state: e.state as TraceEnd['state'], textLength: e.textLength, attempts: e.attempts };
    if (isString(e.finishReason)) end.finishReason = e.finishReason;
    const u = e.usage;
    if (isObject(u) && isNumber(u.promptTokens) && isNumber(u.completionTokens) && isNumber(u.totalTokens)) {
      end.usage = { promptTokens: u.promptTokens, completionTokens: u.completionTokens, totalTokens: u.totalTokens };
    }
    const p = e.problem;
    if (isObject(p) && isString(p.kind)) {
      end.problem = { kind: p.kind };
      if (isNumber(p.status)) end.problem.status = p.status;
      if (isString(p.requestId)) end.problem.requestId = p.requestId;
      if (isString(p.detail)) end.problem.detail = p.detail;
    }
    trace.end = end;
  }
  return trace;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
