import type { MessageAction, TokenUsage, ToolCallView } from '../../protocol/messages';

/** Why a request did not end in a complete answer, in words a person can act on. */
export type ProblemKind =
  | 'auth'
  | 'permission'
  | 'model-not-found'
  | 'not-found'
  | 'context-too-long'
  | 'prompt-too-long'
  | 'prompt-filtered'
  | 'bad-request'
  | 'quota'
  | 'rate-limit'
  | 'server'
  | 'connection'
  | 'connection-lost'
  | 'idle-timeout'
  | 'stream-error'
  | 'empty'
  | 'not-streamed'
  | 'cut-off'
  | 'cut-short'
  | 'content-filter'
  | 'unexpected';

/**
 * A failure, as data: the host turns it into a sentence in the user's language. `detail` is the
 * server's own words, as plain text (an HTML error page is reduced to its text).
 */
export interface Problem {
  kind: ProblemKind;
  detail?: string;
  actions: MessageAction[];
  status?: number;
  /** The provider's `x-request-id`, for support tickets. */
  requestId?: string;
  /** Whether trying the same request again may succeed (only ever done before the first byte). */
  retryable: boolean;
  /** The server's own wait hint, from `retry-after-ms` or `retry-after`. */
  retryAfterMs?: number;
}

/** What the engine reports while a completion streams, whatever the provider's wire quirks. */
export type StreamEvent =
  | { kind: 'text'; text: string }
  /** A refusal is shown as the answer's text; this kind lets callers mark it. */
  | { kind: 'refusal'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'toolCall'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { kind: 'usage'; usage: TokenUsage }
  | { kind: 'finish'; reason: string }
  /** The response headers arrived (an attempt got through). */
  | { kind: 'response'; status: number; requestId?: string; attempt: number }
  /** The first chunk of the answer arrived; no retry happens after this. */
  | { kind: 'firstChunk' }
  | { kind: 'retrying'; attempt: number; delayMs: number; problem: Problem }
  /**
   * Something in a chunk that Rill does not show (an unknown content part type, a malformed
   * part). Reported once per distinct `what` per request, so that the host can log it: the
   * pure engine cannot reach the output channel. `what` quotes at most a short piece of the
   * server's own words; the host's log redacts it like any other line.
   */
  | { kind: 'skipped'; what: string };

/** How a request ended. Every path ends in one of these, with the text received so far kept. */
export interface StreamOutcome {
  state: 'done' | 'stopped' | 'error' | 'truncated';
  finishReason?: string;
  usage?: TokenUsage;
  /** Set for `error` and `truncated`. */
  problem?: Problem;
  /** Characters of answer text (content and refusal) received. */
  textLength: number;
  toolCalls: ToolCallView[];
  /** HTTP attempts made, 1 when the first one got through. */
  attempts: number;
}
