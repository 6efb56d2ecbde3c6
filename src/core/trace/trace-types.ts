import type { ToolStepState } from '../../protocol/agent-messages';
import type { TokenUsage } from '../../protocol/messages';
import type { ProblemKind, StreamOutcome } from '../stream/events';

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
  /** Every chunk and webview post (up to MAX_TIMELINE_RECORDS each), for the stream inspector's timeline. */
  timeline?: TraceTimeline;
  /** The user asked to stop. */
  stopAt?: number;
  /** Function calls the model asked for (names as the model sent them: untrusted text). */
  tools?: TraceTool[];
  /** Agent mode only: the requests of the loop and the tool calls run between them. */
  agent?: TraceAgent;
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

/**
 * Arrival time and characters of every content chunk and every message posted to the webview.
 * Times are gaps from the previous record (the first from the trace's zero) in whole tenths of a
 * millisecond: summed and divided by 10 they give each record's `at`. When the bound cut a log,
 * its length is less than `stream.count` (or `batches.count`).
 */
export interface TraceTimeline {
  chunkGaps: number[];
  chunkChars: number[];
  postGaps: number[];
  postChars: number[];
  /**
   * Every paint of the streaming answer the webview reported (as gaps, like the others), with the
   * answer's length on screen after it: with `rill.render.smoothing` this is the display beside
   * the arrival. Absent in traces from before it was recorded.
   */
  paintGaps?: number[];
  paintChars?: number[];
}

export interface TraceTool {
  name: string;
  /** Characters of the arguments (the arguments themselves are not kept). */
  argsChars: number;
}

/** How a request ended: the engine's states, and the agent loop's `round-limit`. */
export type TraceEndState = StreamOutcome['state'] | 'round-limit';

export interface TraceEnd {
  at: number;
  state: TraceEndState;
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

export const CHUNK_KINDS: readonly ChunkKind[] = ['text', 'reasoning', 'toolCall', 'refusal'];
export const BATCH_KINDS: readonly BatchKind[] = ['text', 'reasoning'];
export const END_STATES: readonly TraceEndState[] = ['done', 'stopped', 'error', 'truncated', 'round-limit'];

// ---------------------------------------------------------------------------------------------
// Agent mode

/**
 * An agent request's loop: one entry per request sent to the model (a round, or the same round
 * sent again without tools after the server refused them), and one per tool call. Times are on
 * the trace's clock, like every other `at`. Bounded: at most MAX_TRACE_ROUNDS rounds and
 * MAX_TRACE_STEPS steps are kept (the first ones), the rest only counted.
 */
export interface TraceAgent {
  rounds: TraceRound[];
  steps: TraceStep[];
  /** Where the called tools come from, for the names the model saw (only tools that were called). */
  tools?: TraceToolSource[];
  /** Tools left out of the requests (the provider limit of 128, invalid or repeated names). */
  omittedTools?: number;
  droppedRounds?: number;
  droppedSteps?: number;
}

export interface TraceRound {
  /** The loop's round number (a continued loop goes on counting). */
  round: number;
  at: number;
  /** The round's request ended (its answer, or its failure, is in). */
  endAt?: number;
  /** Tools sent with the request (0: none). */
  toolsOffered: number;
  /** The server refused the tools: the same round was sent again without them (the next entry). */
  toolsRefused?: { detail?: string };
  /** Index in `attempts` of this request's first HTTP attempt, and how many it made. */
  firstAttempt: number;
  attempts: number;
  /** Tool calls the answer asked for. */
  toolCalls?: number;
  finishReason?: string;
  completionTokens?: number;
  /** Earlier tool results shortened to fit the context window before this request. */
  compactedResults?: number;
  /** The first SSE chunk of this request (OpenAI's carries only the role). */
  firstChunkAt?: number;
  stream?: TraceRoundStream;
}

export interface TraceRoundStream {
  firstAt: number;
  lastAt: number;
  count: number;
  chars: number;
  /** Content chunks by kind. */
  kinds: Partial<Record<ChunkKind, number>>;
}

/** One tool call and what happened to it, state by state. */
export interface TraceStep {
  round: number;
  /** The name as the model wrote it (untrusted text, clipped). */
  name: string;
  /** Characters of the arguments (the arguments themselves are not kept). */
  argsChars: number;
  /** The call's name arrived. */
  at: number;
  /** The last state seen. */
  state: ToolStepState;
  /** The user was asked to approve it. */
  approvalAt?: number;
  /** It started running (the approval, if any, was answered). */
  runAt?: number;
  /** It ended: done, denied, error or stopped. */
  endAt?: number;
  /** Characters of the result sent back to the model, and how many were cut from the tool's output. */
  resultChars?: number;
  cutChars?: number;
  /** Why it failed or was denied: clipped, with the recorder's secrets redacted. */
  error?: string;
}

export type ToolSourceKind = 'builtin' | 'mcp' | 'vscode';

/** A tool as the model saw it (`name`) and what it really is: an MCP server's tool, VS Code's. */
export interface TraceToolSource {
  name: string;
  source: ToolSourceKind;
  /** MCP: the server's key in `rill.mcp.servers`. */
  server?: string;
  /** MCP: the tool's own name on its server; VS Code: the registered name, when it differs. */
  tool?: string;
}

export const TOOL_SOURCE_KINDS: readonly ToolSourceKind[] = ['builtin', 'mcp', 'vscode'];
export const STEP_STATES: readonly ToolStepState[] = ['streaming', 'pending-approval', 'running', 'done', 'denied', 'error', 'stopped'];
/** Far more than the loop can make (`rill.agent.maxRounds` is at most 200): the bound is for files read back. */
export const MAX_TRACE_ROUNDS = 256;
export const MAX_TRACE_STEPS = 200;
