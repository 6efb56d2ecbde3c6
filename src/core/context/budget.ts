import type {
  ChatCompletionDeveloperMessageParam,
  ChatCompletionMessageParam,
  ChatCompletionSystemMessageParam,
  ChatCompletionUserMessageParam,
} from 'openai/resources/chat/completions';
import type { TokenCounter } from './token-counter';

/**
 * Fits a conversation into a model's context window.
 *
 * The system prompt and the new prompt are always sent. Earlier turns are kept newest first while
 * they fit; the first that does not fit and every older one are left out, so what the model sees
 * is always an unbroken recent stretch of the conversation. A turn is a user message with all that
 * answers it (the assistant's reply, tool calls and tool results), kept or dropped whole, so an
 * answer is never sent without its question. The prompt itself is never shortened: when it does
 * not fit even alone, the result says so (`overflow`) and by how much.
 */

export interface BudgetInput {
  /** The system prompt; an empty string sends none. A message object may use the `developer` role. */
  system: string | ChatCompletionSystemMessageParam | ChatCompletionDeveloperMessageParam;
  /** Earlier messages, oldest first, without the system prompt and without the new prompt. */
  history: readonly ChatCompletionMessageParam[];
  /** The new user message. */
  prompt: string | ChatCompletionUserMessageParam;
  /** The model's context window in tokens (see resolveContextTokens). */
  contextTokens: number;
  /** Tokens kept free for the answer: `rill.maxTokens` when set, else {@link defaultAnswerReserve}. */
  reserveForAnswer?: number;
  /** At most this many earlier turns are sent (`rill.history.maxTurns`); unset means no limit. */
  maxTurns?: number;
  counter: TokenCounter;
  /**
   * Share of the input budget left unused when the counter is not exact (an estimate, or another
   * vendor's model counted with a stand-in encoding). Default {@link INEXACT_MARGIN}; 0 when exact.
   */
  inexactMargin?: number;
}

/**
 * Kept free when counts are not the model's own: the stand-in encoding can count fewer tokens than
 * a model with a small SentencePiece vocabulary (Mistral 7B, Llama 2) really uses.
 */
export const INEXACT_MARGIN = 0.1;

export interface BudgetResult {
  /** What to send: the system prompt, the kept turns in order, the new prompt. */
  messages: ChatCompletionMessageParam[];
  /** Earlier turns left out, for either reason below. */
  droppedTurns: number;
  /** ...of which left out by the `maxTurns` window. */
  droppedByWindow: number;
  /** ...of which left out because they did not fit the token budget. */
  droppedForBudget: number;
  /** Earlier turns sent. */
  keptTurns: number;
  /** Input tokens of `messages`, by the counter (an estimate when `exact` is false). */
  promptTokens: number;
  /** Tokens available for the input: the window less the reserve for the answer (and the margin, if inexact). */
  budget: number;
  /** Whether `promptTokens` came from the model's own tokenizer. */
  exact: boolean;
  /** True when the system prompt and new prompt alone exceed the budget; nothing was cut. */
  overflow: boolean;
  /** By how many tokens the input exceeds the budget (0 unless `overflow`). */
  overBy: number;
}

/**
 * The share of the window kept for the answer when `rill.maxTokens` is not set: a quarter of the
 * window, at most 4096 tokens (a long answer; an 8k model still gets 6k of input).
 */
export function defaultAnswerReserve(contextTokens: number): number {
  return Math.min(Math.floor(Math.max(0, contextTokens) / 4), 4096);
}

/**
 * Splits history into turns: each user message starts one. Messages before the first user message
 * belong to no turn (an answer whose question is gone) and are returned apart, to be dropped.
 */
export function splitTurns(history: readonly ChatCompletionMessageParam[]): {
  orphans: ChatCompletionMessageParam[];
  turns: ChatCompletionMessageParam[][];
} {
  const orphans: ChatCompletionMessageParam[] = [];
  const turns: ChatCompletionMessageParam[][] = [];
  for (const message of history) {
    const current = turns[turns.length - 1];
    if (message.role === 'user') turns.push([message]);
    else if (current) current.push(message);
    else orphans.push(message);
  }
  return { orphans, turns };
}

/**
 * Tokens available for a request's input: the window less the reserve for the answer, less the
 * margin when the counter is not exact. The agent loop fits its tool results to the same figure.
 */
export function inputBudget(
  input: Pick<BudgetInput, 'contextTokens' | 'reserveForAnswer' | 'counter' | 'inexactMargin'>,
): number {
  const reserve = Math.max(0, Math.floor(input.reserveForAnswer ?? defaultAnswerReserve(input.contextTokens)));
  const margin = input.counter.exact ? 0 : Math.min(1, Math.max(0, input.inexactMargin ?? INEXACT_MARGIN));
  return Math.floor(Math.max(0, Math.floor(input.contextTokens) - reserve) * (1 - margin));
}

export function fitToBudget(input: BudgetInput): BudgetResult {
  const { counter } = input;
  const system: ChatCompletionMessageParam[] =
    typeof input.system === 'string' ? (input.system === '' ? [] : [{ role: 'system', content: input.system }]) : [input.system];
  const prompt: ChatCompletionUserMessageParam =
    typeof input.prompt === 'string' ? { role: 'user', content: input.prompt } : input.prompt;

  const budget = inputBudget(input);

  const { turns } = splitTurns(input.history);
  const window = windowSize(input.maxTurns, turns.length);
  const candidates = turns.slice(turns.length - window);
  const droppedByWindow = turns.length - window;

  // countMessages is a sum over messages plus a constant (the reply priming), so a turn's share is
  // its count less that of an empty request.
  const empty = counter.countMessages([]);
  let used = counter.countMessages([...system, prompt]);
  const kept: ChatCompletionMessageParam[][] = [];
  if (used <= budget) {
    for (let i = candidates.length - 1; i >= 0; i--) {
      const turn = candidates[i] as ChatCompletionMessageParam[];
      const cost = counter.countMessages(turn) - empty;
      if (used + cost > budget) break;
      used += cost;
      kept.unshift(turn);
    }
  }

  const messages = [...system, ...kept.flat(), prompt];
  const promptTokens = counter.countMessages(messages);
  const overflow = promptTokens > budget;
  return {
    messages,
    droppedTurns: turns.length - kept.length,
    droppedByWindow,
    droppedForBudget: candidates.length - kept.length,
    keptTurns: kept.length,
    promptTokens,
    budget,
    exact: counter.exact,
    overflow,
    overBy: overflow ? promptTokens - budget : 0,
  };
}

function windowSize(maxTurns: number | undefined, available: number): number {
  if (maxTurns === undefined || Number.isNaN(maxTurns)) return available;
  return Math.min(available, Math.max(0, Math.floor(maxTurns)));
}
