import type { ChatCompletionMessageParam, ChatCompletionToolMessageParam } from 'openai/resources/chat/completions';
import { inputBudget } from '../context/budget';
import type { ContextBudget, ResultLimits } from './types';

/**
 * Tool results are untrusted input of any size: a `cat` of a log, a search with ten thousand hits,
 * an MCP server that returns a whole database. Each is capped, the results of one round share a
 * total, and when the conversation outgrows the context window the oldest results give way first.
 */

export const DEFAULT_LIMITS: ResultLimits = { maxResultChars: 20_000, maxRoundResultChars: 60_000 };

/** The start of the note that replaces a compacted result; also how a compacted one is recognised. */
export const COMPACTED_NOTE = '[Rill: this earlier tool result was removed to fit the context window';

/** Shares out the round's total among its results, in call order. */
export class RoundResultBudget {
  private remaining: number;

  constructor(private readonly limits: ResultLimits) {
    this.remaining = limits.maxRoundResultChars;
  }

  /** The text to send for one result, and how many of its characters were cut. */
  take(text: string): { content: string; cutChars: number } {
    const allowed = Math.max(0, Math.min(this.limits.maxResultChars, this.remaining));
    if (text.length <= allowed) {
      this.remaining -= text.length;
      return { content: text, cutChars: 0 };
    }
    this.remaining -= allowed;
    const cutChars = text.length - allowed;
    const why =
      allowed < this.limits.maxResultChars
        ? `the results of this round reached their limit of ${this.limits.maxRoundResultChars} characters`
        : `the limit is ${this.limits.maxResultChars} characters per result`;
    // The model is told what it is missing, so it can ask for a narrower range instead of guessing.
    const note = `[Rill: ${cutChars} of ${text.length} characters of this tool result were cut: ${why}.]`;
    return { content: allowed > 0 ? `${text.slice(0, allowed)}\n${note}` : note, cutChars };
  }
}

/**
 * Replaces the oldest tool results with a short note while the request would not fit the budget,
 * in place. Only tool messages change: the calls stay, so the model still sees what it did. Returns
 * the `tool_call_id`s compacted.
 *
 * Two results are never given up: those of the newest round (the model asked for them just now,
 * and a request without them is useless), and any at all when even compacting every older one
 * would not make the request fit (the tools' own schemas can outgrow a small window). Then the
 * request goes out as it is, and the server's "context too long" answer is reported like any
 * other, rather than the model being sent notes in place of everything it read.
 */
export function compactToolResults(
  messages: ChatCompletionMessageParam[],
  budget: ContextBudget,
  /** Tokens the request costs besides its messages (the tools' schemas). */
  extraTokens: number,
): string[] {
  const limit = inputBudget(budget);
  const cost = (list: ChatCompletionMessageParam[]): number => budget.counter.countMessages(list) + extraTokens;
  if (cost(messages) <= limit) return [];
  // The newest round's results follow the last assistant message: they stay.
  let newest = messages.length;
  while (newest > 0 && messages[newest - 1]?.role === 'tool') newest--;
  const candidates: number[] = [];
  for (let i = 0; i < newest; i++) {
    const message = messages[i];
    if (message?.role === 'tool' && !contentOf(message).startsWith(COMPACTED_NOTE)) candidates.push(i);
  }
  const trial = [...messages];
  for (const i of candidates) trial[i] = noteFor(messages[i] as ChatCompletionToolMessageParam);
  if (candidates.length === 0 || cost(trial) > limit) return [];
  const compacted: string[] = [];
  for (const i of candidates) {
    const message = messages[i] as ChatCompletionToolMessageParam;
    messages[i] = noteFor(message);
    compacted.push(message.tool_call_id);
    if (cost(messages) <= limit) break;
  }
  return compacted;
}

function contentOf(message: ChatCompletionToolMessageParam): string {
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
}

function noteFor(message: ChatCompletionToolMessageParam): ChatCompletionToolMessageParam {
  return {
    role: 'tool',
    tool_call_id: message.tool_call_id,
    content: `${COMPACTED_NOTE} (it had ${contentOf(message).length} characters). Call the tool again if you need it.]`,
  };
}
