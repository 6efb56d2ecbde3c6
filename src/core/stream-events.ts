import type { TokenUsage } from '../protocol/messages';

/** What the engine reports while a completion streams, whatever the provider's wire quirks. */
export type StreamEvent =
  | { kind: 'text'; text: string }
  | { kind: 'usage'; usage: TokenUsage }
  | { kind: 'finish'; reason: string };

/** How a request ended. Every path ends in one of these, with the text received so far kept. */
export interface StreamOutcome {
  state: 'done' | 'stopped' | 'error' | 'truncated';
  /** The provider's `finish_reason`, when one arrived. */
  finishReason?: string;
  usage?: TokenUsage;
  /** A sentence for the user when state is `error` or `truncated`. */
  error?: string;
  /** Characters of answer text received. */
  textLength: number;
}
