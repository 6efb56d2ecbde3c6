// Streams of providers whose chunks are not shaped like OpenAI's, byte for byte: Mistral's
// reasoning models (content as an array of parts), gateways that never send `finish_reason`
// (Snowflake Cortex), and Groq (usage inside `x_groq`). Pure, like sse.ts: same input, same Script.
// Each builder keeps the provider's own key order, id format and fields; see the catalogue rows
// 26-28 in /work/shared/docs/wire-formats.md.
import type { JsonObject, JsonValue, Script } from './script';
import { SseScriptBuilder, type SseFormat, type Usage } from './sse';

/** How a provider stream ends and is framed; every field optional. */
export interface ProviderStreamOptions extends SseFormat {
  /** Pause between events, ms. */
  delayMs?: number;
  /** No `data: [DONE]` at the end. */
  omitDone?: boolean;
  /** The last event ends with one line terminator and no blank line. */
  noTrailingBlankLine?: boolean;
  /** After the last event: end (default), reset the socket, or hold it open. */
  after?: 'end' | 'destroy' | 'hold';
  name?: string;
}

/** `data:` events for `chunks`, then `[DONE]` unless omitted. */
export function providerStream(chunks: readonly JsonObject[], options: ProviderStreamOptions = {}): Script {
  const builder = new SseScriptBuilder({
    ...(options.lineEnding !== undefined ? { lineEnding: options.lineEnding } : {}),
    ...(options.noSpaceAfterData !== undefined ? { noSpaceAfterData: options.noSpaceAfterData } : {}),
    ...(options.bytesPerWrite !== undefined ? { bytesPerWrite: options.bytesPerWrite } : {}),
  });
  builder.headers();
  const items: JsonValue[] = [...chunks];
  if (!options.omitDone) items.push('[DONE]');
  items.forEach((item, index) => {
    if (index > 0) builder.sleep(options.delayMs ?? 0);
    const last = index === items.length - 1;
    builder.data(item, { trailingBlankLine: !(last && options.noTrailingBlankLine) });
  });
  return builder.build(options.after ?? 'end', options.name);
}

// ---------------------------------------------------------------------------------------------
// Mistral (Magistral reasoning models)

/** One part of Mistral's array `content`. */
export type MistralContentPart =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: Array<{ type: 'text'; text: string }> };

/**
 * A `delta.content`: a plain string (most chunks) or an array of parts (reasoning, and the switch
 * to the answer). `mistralChunks` also takes any JSON there, to send malformed parts on purpose.
 */
export type MistralContent = string | MistralContentPart[];

/** Identity shared by every chunk of one stream; each provider has its own defaults. */
export interface ProviderIdentity {
  /** Mistral: 32 lowercase hex digits, no prefix; Groq: `chatcmpl-` and a UUID; Cortex: a UUID. */
  id?: string;
  created?: number;
  model?: string;
}

export const MISTRAL_CHUNK_ID = '5d0c3b7e9a1f4e2b8c6d0a9e7f1b3c5d';
export const MISTRAL_MODEL = 'magistral-small-2509';

/** A thinking part holding `text`, as Magistral streams its reasoning. */
export const thinkingPart = (text: string): MistralContentPart => ({ type: 'thinking', thinking: [{ type: 'text', text }] });
/** A text part: answer text inside an array `content`. */
export const textPart = (text: string): MistralContentPart => ({ type: 'text', text });

/**
 * Mistral's chunks: `{id, object, created, model, choices: [{index, delta, finish_reason}]}`, no
 * `logprobs`, `system_fingerprint` or `service_tier`; the first delta is `{role, content: ""}`;
 * the LAST content chunk also carries `finish_reason` and `usage` (prompt, total, completion, in
 * that order). No separate usage chunk.
 */
export function mistralChunks(contents: readonly (MistralContent | JsonValue)[], usage: Usage, identity: ProviderIdentity = {}, finishReason = 'stop'): JsonObject[] {
  const head = {
    id: identity.id ?? MISTRAL_CHUNK_ID,
    object: 'chat.completion.chunk',
    created: identity.created ?? 1_759_752_000,
    model: identity.model ?? MISTRAL_MODEL,
  };
  const chunk = (delta: JsonObject, finish: string | null, last: boolean): JsonObject => {
    const out: JsonObject = { ...head, choices: [{ index: 0, delta, finish_reason: finish }] };
    if (last) out['usage'] = { prompt_tokens: usage.prompt_tokens, total_tokens: usage.total_tokens, completion_tokens: usage.completion_tokens };
    return out;
  };
  const chunks = [chunk({ role: 'assistant', content: '' }, null, false)];
  contents.forEach((content, i) => {
    const last = i === contents.length - 1;
    chunks.push(chunk({ content }, last ? finishReason : null, last));
  });
  if (contents.length === 0) chunks.push(chunk({ content: '' }, finishReason, true));
  return chunks;
}

// ---------------------------------------------------------------------------------------------
// Gateways without finish_reason (Snowflake Cortex)

export const CORTEX_CHUNK_ID = '0f6b2c9e-4d1a-4b7e-9c3f-8a2d5e6b1c70';
export const CORTEX_MODEL = 'llama3.1-70b';

/**
 * A complete answer as gateways that never say `finish_reason` send it (reported for Snowflake
 * Cortex): chunks of `{id, created, model, choices: [{delta: {content}}]}` with no `object`, no
 * choice `index` and no `finish_reason` key at all, then one chunk with `choices: []` and the
 * usage, then `data: [DONE]`. Only the `[DONE]` says the answer is complete.
 */
export function noFinishChunks(pieces: readonly string[], usage: Usage, identity: ProviderIdentity = {}): JsonObject[] {
  const head = { id: identity.id ?? CORTEX_CHUNK_ID, created: identity.created ?? 1_760_000_000, model: identity.model ?? CORTEX_MODEL };
  const chunks: JsonObject[] = pieces.map((content) => ({ ...head, choices: [{ delta: { content } }] }));
  chunks.push({ ...head, choices: [], usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.total_tokens } });
  return chunks;
}

// ---------------------------------------------------------------------------------------------
// Groq

export const GROQ_CHUNK_ID = 'chatcmpl-3f9a7c21-6b4e-4d8a-9e15-2c7b0d4f8a63';
export const GROQ_REQUEST_ID = 'req_01k2rill7w3q9x5m8v4c6t0zye';
export const GROQ_MODEL = 'llama-3.3-70b-versatile';

/** Groq's timings beside the counts in `x_groq.usage` (seconds). */
export interface GroqTimings {
  queue_time: number;
  prompt_time: number;
  completion_time: number;
  total_time: number;
}

/**
 * Groq's chunks: OpenAI's shape with `system_fingerprint` and `logprobs: null`; the first chunk
 * carries `x_groq: {id}` (the request id), and the finish chunk `x_groq: {id, usage}` with the
 * counts among Groq's timings. There is no top-level `usage` anywhere.
 */
export function groqChunks(
  pieces: readonly string[],
  usage: Usage,
  timings: GroqTimings = { queue_time: 0.021843, prompt_time: 0.002915, completion_time: 0.048, total_time: 0.050915 },
  identity: ProviderIdentity & { requestId?: string } = {},
): JsonObject[] {
  const head = {
    id: identity.id ?? GROQ_CHUNK_ID,
    object: 'chat.completion.chunk',
    created: identity.created ?? 1_760_100_000,
    model: identity.model ?? GROQ_MODEL,
    system_fingerprint: 'fp_6507bcfb6f',
  };
  const requestId = identity.requestId ?? GROQ_REQUEST_ID;
  const choice = (delta: JsonObject, finish: string | null): JsonValue => [{ index: 0, delta, logprobs: null, finish_reason: finish }];
  const chunks: JsonObject[] = [{ ...head, choices: choice({ role: 'assistant', content: '' }, null), x_groq: { id: requestId } }];
  for (const content of pieces) chunks.push({ ...head, choices: choice({ content }, null) });
  chunks.push({
    ...head,
    choices: choice({}, 'stop'),
    x_groq: {
      id: requestId,
      usage: {
        queue_time: timings.queue_time,
        prompt_tokens: usage.prompt_tokens,
        prompt_time: timings.prompt_time,
        completion_tokens: usage.completion_tokens,
        completion_time: timings.completion_time,
        total_tokens: usage.total_tokens,
        total_time: timings.total_time,
      },
    },
  });
  return chunks;
}
