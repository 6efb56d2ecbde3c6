import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { normalizeModelId } from './model-context';

/**
 * Token counting for the context budget.
 *
 * The real counts come from `gpt-tokenizer` (pure JavaScript, its BPE ranks ship inside the
 * package: no WASM, no download at run time). An encoding's ranks are 1–2 MB of JavaScript, so they
 * are never in the extension's main bundle: {@link loadTokenCounter} brings one in with a dynamic
 * `import()` the first time it is needed, and {@link estimateTokens} stands in until then.
 */

/** The two encodings of OpenAI's chat models: `o200k_base` (gpt-4o and later), `cl100k_base` (gpt-4, gpt-3.5). */
export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface TokenCounter {
  /** `estimate` for the heuristic counter, else the BPE encoding used. */
  readonly encoding: EncodingName | 'estimate';
  /**
   * True only when the encoding is the model's own and the chat framing is OpenAI's. False for the
   * estimator, and for other vendors' models, which are counted with `cl100k_base` as a stand-in.
   */
  readonly exact: boolean;
  /** Tokens in a piece of text. */
  count(text: string): number;
  /**
   * Tokens a request with these messages costs as input: each message's content and role, the
   * chat format's framing around each message, and the tokens that prime the reply.
   */
  countMessages(messages: readonly ChatCompletionMessageParam[]): number;
}

/** A loaded encoding, reduced to what counting needs. */
export interface Encoder {
  countTokens(text: string): number;
}

/** Brings in an encoding; the default imports it from `gpt-tokenizer`, tests may pass their own. */
export type EncodingLoader = (encoding: EncodingName) => Promise<Encoder>;

/**
 * The framing a chat template wraps around each message. OpenAI's (cookbook "How to count tokens
 * with tiktoken", checked there against the API's `usage.prompt_tokens`):
 * `<|start|>{role}\n{content}<|end|>\n` is 3 tokens besides the role and content, a `name` costs
 * one more, and every reply is primed with `<|start|>assistant<|message|>`, 3 tokens.
 * Llama 3's and ChatML's (Qwen) templates spend about 4 per message and 4 to prime the reply.
 */
export interface ChatFraming {
  perMessage: number;
  perName: number;
  replyPriming: number;
}

export const OPENAI_FRAMING: ChatFraming = { perMessage: 3, perName: 1, replyPriming: 3 };
export const GENERIC_FRAMING: ChatFraming = { perMessage: 4, perName: 1, replyPriming: 4 };

/**
 * What an image or other non-text part costs. OpenAI bills a 1024×1024 image at high detail as
 * 765 tokens; Rill sends text only today, so this is a placeholder that errs on the large side.
 */
export const NON_TEXT_PART_TOKENS = 765;

/**
 * The encoding a model uses and whether that count is exact. OpenAI's models from gpt-4o on use
 * `o200k_base` (gpt-oss's `o200k_harmony` has the same ranks); gpt-4 and gpt-3.5 `cl100k_base`. Any
 * other model (Llama, Qwen, Mistral, DeepSeek, Claude, ...) has a tokenizer of its own that is not
 * shipped here, and `cl100k_base` stands in: Llama 3's vocabulary is cl100k's plus 28k entries, and
 * Qwen's and DeepSeek's are byte-level BPEs of similar size, so English and code count alike; small
 * SentencePiece vocabularies (Llama 2, Mistral 7B) need more. Such counts are marked inexact, and
 * the budget keeps a margin for them (see fitToBudget).
 */
export function encodingForModel(model: string): { encoding: EncodingName; exact: boolean } {
  const id = normalizeModelId(model);
  if (/^((gpt|chatgpt)-4o|gpt-4\.[15]|gpt-5|gpt-oss|o[134](-|$))/.test(id)) return { encoding: 'o200k_base', exact: true };
  if (/^(gpt-4|gpt-3\.?5-turbo)/.test(id)) return { encoding: 'cl100k_base', exact: true };
  return { encoding: 'cl100k_base', exact: false };
}

/** The texts a message contributes to the prompt, and how many non-text parts it carries. */
function messageParts(message: ChatCompletionMessageParam): { texts: string[]; nonText: number } {
  const texts: string[] = [message.role];
  let nonText = 0;
  const content = message.content;
  if (typeof content === 'string') {
    texts.push(content);
  } else if (Array.isArray(content)) {
    for (const part of content) {
      if (part.type === 'text') texts.push(part.text);
      else if (part.type === 'refusal') texts.push(part.refusal);
      else nonText += 1;
    }
  }
  if (message.role === 'assistant') {
    if (typeof message.refusal === 'string') texts.push(message.refusal);
    for (const call of message.tool_calls ?? []) {
      if (call.type === 'function') texts.push(call.function.name, call.function.arguments);
      else texts.push(call.custom.name, call.custom.input);
    }
    if (message.function_call) texts.push(message.function_call.name, message.function_call.arguments);
  }
  return { texts, nonText };
}

/** Counts a request's input tokens with a text counter and a chat framing (see {@link ChatFraming}). */
export function countChatTokens(
  messages: readonly ChatCompletionMessageParam[],
  count: (text: string) => number,
  framing: ChatFraming,
): number {
  let total = framing.replyPriming;
  for (const message of messages) {
    const { texts, nonText } = messageParts(message);
    total += framing.perMessage + nonText * NON_TEXT_PART_TOKENS;
    for (const text of texts) total += count(text);
    if ('name' in message && typeof message.name === 'string') {
      total += count(message.name) + framing.perName;
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// The estimator

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3000-\\u303f\\u30fc\\uff00-\\uffef';

/** One alternative per kind of text piece; the weights are in {@link estimateTokens}. */
const PIECE = new RegExp(
  [
    '(\\p{Script=Han})', // 1: a Chinese character (kanji)
    `([${CJK}])`, // 2: kana, hangul, CJK punctuation, full-width forms
    '([A-Z]+(?![a-z])|[A-Z]?[a-z]+)', // 3: an ASCII word, camelCase split into its parts
    `((?:(?![${CJK}])[\\p{L}\\p{M}])+)`, // 4: a word in another alphabet (accented Latin, Cyrillic, ...)
    '(\\p{N}+)', // 5: digits
    '([ \\t]+(?=\\p{N})|[ \\t]*[\\r\\n]+[ \\t]*|[ \\t]{2,})', // 6: line breaks, indentation, a space before digits
    '([ \\t])', // 7: a single space, which joins the word after it
    '([\\x21-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e]+)', // 8: ASCII punctuation
    '([\\u{10000}-\\u{10ffff}])', // 9: emoji and other astral characters
    '([\\s\\S])', // 10: anything else
  ].join('|'),
  'gu',
);

/**
 * An ESTIMATE of the tokens in `text`, for use until the real tokenizer has loaded, without any
 * vocabulary: it splits the text the way BPE pre-tokenisers do and charges each piece a typical
 * cost (an English word up to 7 letters is one token, digits go in threes, a kanji about 1.25, a
 * kana one, ...). Measured against the real encodings (test/unit/core/context): English prose and
 * TypeScript 1.0–1.2× the true count, Japanese 1.0–1.6×; it errs high on purpose, so a budget fitted
 * with it is safe. Random base64 is the worst case the other way, at about 0.75×.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const m of text.matchAll(PIECE)) {
    if (m[1] !== undefined) tokens += 1.25;
    else if (m[2] !== undefined) tokens += 1;
    else if (m[3] !== undefined) tokens += 1 + Math.floor((m[3].length - 1) / 7);
    else if (m[4] !== undefined) tokens += 1 + (m[4].length - 1) / 2.5;
    else if (m[5] !== undefined) tokens += Math.ceil(m[5].length / 3);
    else if (m[6] !== undefined) tokens += 1;
    else if (m[7] !== undefined) tokens += 0;
    else if (m[8] !== undefined) tokens += Math.ceil(m[8].length / 2);
    else if (m[9] !== undefined) tokens += 2;
    else tokens += 1;
  }
  return Math.ceil(tokens);
}

/** The synchronous stand-in: {@link estimateTokens} with the generic framing. Never exact. */
export const estimateTokenCounter: TokenCounter = {
  encoding: 'estimate',
  exact: false,
  count: estimateTokens,
  countMessages: (messages) => countChatTokens(messages, estimateTokens, GENERIC_FRAMING),
};

// ---------------------------------------------------------------------------------------------
// The real counter

/** Text that spells a special token (`<|endoftext|>`) is ordinary text in a chat request. */
const NO_SPECIAL_TOKENS = { disallowedSpecial: new Set<string>() };

/**
 * Imports an encoding from `gpt-tokenizer`. The specifiers are literal so that a bundler can see
 * them: the extension's build maps each to a separate file (see scripts/build.mjs) instead of
 * inlining megabytes of ranks into the main bundle.
 */
export const importEncoding: EncodingLoader = async (encoding) => {
  const mod =
    encoding === 'o200k_base'
      ? await import('gpt-tokenizer/encoding/o200k_base')
      : await import('gpt-tokenizer/encoding/cl100k_base');
  return { countTokens: (text: string) => mod.countTokens(text, NO_SPECIAL_TOKENS) };
};

/** Builds a counter over a loaded encoding. */
export function createTokenCounter(encoder: Encoder, encoding: EncodingName, exact: boolean): TokenCounter {
  const count = (text: string) => (text === '' ? 0 : encoder.countTokens(text));
  const framing = exact ? OPENAI_FRAMING : GENERIC_FRAMING;
  return { encoding, exact, count, countMessages: (messages) => countChatTokens(messages, count, framing) };
}

/** Encodings loaded through {@link importEncoding}, shared by every counter (each loads once). */
const loadedEncodings = new Map<EncodingName, Promise<Encoder>>();

/**
 * The real counter for a model, once its encoding has loaded (tens to a hundred-odd milliseconds
 * the first time; later calls share the loaded encoding). Rejects if the encoding cannot be loaded.
 */
export async function loadTokenCounter(model: string, load: EncodingLoader = importEncoding): Promise<TokenCounter> {
  const { encoding, exact } = encodingForModel(model);
  let encoder: Promise<Encoder>;
  if (load === importEncoding) {
    encoder = loadedEncodings.get(encoding) ?? load(encoding);
    loadedEncodings.set(encoding, encoder);
    encoder.catch(() => loadedEncodings.delete(encoding));
  } else {
    encoder = load(encoding);
  }
  return createTokenCounter(await encoder, encoding, exact);
}

/** A counter usable at once: it estimates until the real one has loaded, then counts exactly. */
export interface LazyTokenCounter extends TokenCounter {
  /** Settles when loading has ended: with the real counter, or with the estimator if it failed. */
  readonly ready: Promise<TokenCounter>;
  /** Why loading failed, if it did; the counter then keeps estimating. */
  readonly loadError: unknown;
}

/**
 * Starts loading the model's encoding and returns at once. Until the encoding has loaded (or if it
 * never does) counts are {@link estimateTokens}'s; `encoding` and `exact` tell which is in use.
 */
export function lazyTokenCounter(model: string, load: EncodingLoader = importEncoding): LazyTokenCounter {
  let current: TokenCounter = estimateTokenCounter;
  let loadError: unknown;
  const ready = loadTokenCounter(model, load).then(
    (real) => {
      current = real;
      return real;
    },
    (error: unknown) => {
      loadError = error;
      return current;
    },
  );
  return {
    get encoding() {
      return current.encoding;
    },
    get exact() {
      return current.exact;
    },
    get loadError() {
      return loadError;
    },
    ready,
    count: (text) => current.count(text),
    countMessages: (messages) => current.countMessages(messages),
  };
}
