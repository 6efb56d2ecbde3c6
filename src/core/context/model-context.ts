/**
 * How many tokens a model's context window holds, looked up by model id.
 *
 * The table lists only numbers that are published for the model (OpenAI's model pages, the model
 * cards of the open-weight families). Where a family's members differ, the pattern that catches the
 * family takes the smallest member's window, so an unknown variant is under-, never over-estimated.
 * An unknown model gets {@link DEFAULT_CONTEXT_TOKENS}; the `rill.contextTokens` setting overrides
 * all of it (Azure deployment names, fine-tunes, a local server run with a smaller window).
 *
 * Note for local servers: Ollama and llama.cpp serve a model with the window they were started
 * with (Ollama's `num_ctx`), often far smaller than the model's native window listed here, and
 * they cut the oldest part of an over-long prompt silently. The override is the remedy.
 */

/** For a model the table does not know: small enough for nearly every chat model in use. */
export const DEFAULT_CONTEXT_TOKENS = 8192;

/** Where a context size came from; the UI can say "assumed" for `default`. */
export type ContextSource = 'override' | 'known' | 'default';

export interface ContextWindow {
  tokens: number;
  source: ContextSource;
  /** The table entry that matched (for `known`), e.g. `gpt-4o`. */
  family?: string;
}

interface Entry {
  family: string;
  pattern: RegExp;
  tokens: number;
}

/**
 * First match wins, so specific entries come before the family they belong to. Patterns match the
 * start of a normalised id (see {@link normalizeModelId}).
 */
const KNOWN: readonly Entry[] = [
  // OpenAI (Azure spells gpt-3.5 `gpt-35`). gpt-5.x "chat" variants have the ChatGPT window, the rest of the family 400k.
  { family: 'gpt-5-chat', pattern: /^gpt-5(\.\d+)?-chat/, tokens: 128_000 },
  { family: 'gpt-5', pattern: /^gpt-5/, tokens: 400_000 },
  { family: 'gpt-4.1', pattern: /^gpt-4\.1/, tokens: 1_047_576 },
  { family: 'gpt-4.5', pattern: /^gpt-4\.5/, tokens: 128_000 },
  { family: 'gpt-4o', pattern: /^(gpt|chatgpt)-4o/, tokens: 128_000 },
  { family: 'gpt-4-turbo', pattern: /^gpt-4-(turbo|vision|\d{4}-(vision-)?preview)/, tokens: 128_000 },
  { family: 'gpt-4-32k', pattern: /^gpt-4-32k/, tokens: 32_768 },
  { family: 'gpt-4', pattern: /^gpt-4(-\d{4})?$/, tokens: 8_192 },
  { family: 'gpt-3.5-turbo (2023)', pattern: /^gpt-3\.?5-turbo-(0301|0613)$/, tokens: 4_096 },
  { family: 'gpt-3.5-turbo', pattern: /^gpt-3\.?5-turbo(?!-instruct)/, tokens: 16_385 },
  { family: 'gpt-oss', pattern: /^gpt-oss/, tokens: 131_072 },
  { family: 'o1-mini', pattern: /^o1-(mini|preview)/, tokens: 128_000 },
  { family: 'o1', pattern: /^o1(-|$)/, tokens: 200_000 },
  { family: 'o3', pattern: /^o3(-|$)/, tokens: 200_000 },
  { family: 'o4-mini', pattern: /^o4-mini/, tokens: 200_000 },
  // Other hosted families, as reached through OpenRouter or a compatible gateway.
  { family: 'claude', pattern: /^claude-(3|4|(opus|sonnet|haiku)-4)/, tokens: 200_000 },
  { family: 'gemini', pattern: /^gemini-(1\.5|2\.0|2\.5)/, tokens: 1_048_576 },
  // DeepSeek's API: 64k when V3 launched, raised since; the smaller figure is safe for both.
  { family: 'deepseek', pattern: /^deepseek-(chat|reasoner)/, tokens: 64_000 },
  // Open-weight models, by their native window.
  { family: 'llama3.x', pattern: /^(meta-)?llama-?3\.[123]/, tokens: 131_072 },
  { family: 'llama3', pattern: /^(meta-)?llama-?3(?![.\d])/, tokens: 8_192 },
  { family: 'llama2', pattern: /^(meta-)?llama-?2(?![.\d])/, tokens: 4_096 },
  { family: 'codellama', pattern: /^codellama/, tokens: 16_384 },
  // Qwen2, 2.5 and 3: 32k native (128k only with YaRN scaling switched on).
  { family: 'qwen', pattern: /^qwen-?(2|2\.5|3)(?![\d])/, tokens: 32_768 },
  { family: 'mistral', pattern: /^(mistral|mixtral)/, tokens: 32_768 },
  { family: 'phi4', pattern: /^phi-?4/, tokens: 16_384 },
  { family: 'gemma2', pattern: /^gemma-?2(?![.\d])/, tokens: 8_192 },
  // Gemma 3: 32k for the 1B model, 128k for the others.
  { family: 'gemma3', pattern: /^gemma-?3(?![.\d])/, tokens: 32_768 },
];

/**
 * Lower-cases the id and removes what gateways and local servers add around the model's own name:
 * a provider or namespace prefix (`openai/gpt-4o`, `meta-llama/llama-3.1-8b-instruct`,
 * `hf.co/org/Model-GGUF`), an Ollama tag or OpenRouter variant (`llama3.2:3b`, `...:free`).
 */
export function normalizeModelId(model: string): string {
  let id = model.trim().toLowerCase();
  const slash = id.lastIndexOf('/');
  if (slash >= 0) id = id.slice(slash + 1);
  const colon = id.indexOf(':');
  if (colon >= 0) id = id.slice(0, colon);
  return id;
}

/** The table entry for a model id, if any. */
export function knownContextWindow(model: string): { family: string; tokens: number } | undefined {
  const id = normalizeModelId(model);
  if (id === '') return undefined;
  const entry = KNOWN.find((e) => e.pattern.test(id));
  return entry && { family: entry.family, tokens: entry.tokens };
}

/**
 * The context size to budget against: the override when it is a positive number (the setting's
 * `0` or an empty value means "automatic"), else the table, else {@link DEFAULT_CONTEXT_TOKENS}.
 */
export function resolveContextTokens(model: string, override?: number | null): ContextWindow {
  if (typeof override === 'number' && Number.isFinite(override) && override > 0) {
    return { tokens: Math.floor(override), source: 'override' };
  }
  const known = knownContextWindow(model);
  if (known) return { tokens: known.tokens, source: 'known', family: known.family };
  return { tokens: DEFAULT_CONTEXT_TOKENS, source: 'default' };
}
