// Tool-calling streams in each provider's own shape (wire-formats.md, "Tools and agents"; catalogue
// rows 14, 29 and 30), for testing the agent loop byte for byte. Pure, like sse.ts: same input,
// same Script. Each builder keeps its server's id format, key order and the fields it adds.
import type { JsonObject, JsonValue, Script } from './script';
import { providerStream } from './provider-streams';
import { chatStream, errorResponse, type ToolCallSpec } from './sse';

/** What the model says in one tool-calling answer. */
export interface ToolAnswer {
  /** Text before the calls (a model thinking aloud, "Let me look that up."). */
  text?: string;
  calls: ToolCallSpec[];
  /** Default `tool_calls`; some servers say `stop` with calls. */
  finishReason?: 'tool_calls' | 'stop';
  /** Pause between events, ms. */
  delayMs?: number;
  name?: string;
}

/** The usage these answers report (any plausible figure: the loop only adds them up). */
const USAGE: JsonObject = { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 };

const argumentsText = (spec: ToolCallSpec): string =>
  typeof spec.arguments === 'string' ? spec.arguments : JSON.stringify(spec.arguments);

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

/** OpenAI: id and name first with `arguments: ""`, then argument pieces; parallel calls by `index`. */
export function openaiToolStream(answer: ToolAnswer): Script {
  return chatStream({
    name: answer.name ?? 'openaiTools',
    ...(answer.text ? { text: answer.text } : {}),
    toolCalls: answer.calls,
    toolCallMode: 'fragmented',
    finishReason: answer.finishReason ?? 'tool_calls',
    usage: true,
    ...(answer.delayMs !== undefined ? { delayMs: answer.delayMs } : {}),
  });
}

/**
 * Ollama (captured from 0.6-0.9 on `/v1/chat/completions`): every chunk repeats `role` and
 * `content`; each call arrives whole in a chunk of its own with its `index` and an 8-character id
 * (`call_hk81qg8b`), then a chunk with the finish; the stream's own id is a short counter
 * (`chatcmpl-417`), not unique. `oneDelta` puts all the calls in one delta instead.
 */
export function ollamaToolStream(answer: ToolAnswer & { oneDelta?: boolean }): Script {
  const identity = { id: 'chatcmpl-417', object: 'chat.completion.chunk', created: 1_735_689_600, model: 'qwen2.5-coder:7b', system_fingerprint: 'fp_ollama' };
  const chunk = (delta: JsonObject, finish: string | null = null): JsonObject => ({ ...identity, choices: [{ index: 0, delta: { role: 'assistant', ...delta }, finish_reason: finish }] });
  const chunks: JsonObject[] = [];
  for (const piece of answer.text ? pieces(answer.text, 6) : []) chunks.push(chunk({ content: piece }));
  const calls: JsonValue[] = answer.calls.map((spec, index) => ({
    id: spec.id ?? `call_${(0x5a3c91f0 + index * 7919).toString(36).padStart(8, 'k')}`,
    index,
    type: 'function',
    function: { name: spec.name, arguments: argumentsText(spec) },
  }));
  if (answer.oneDelta) chunks.push(chunk({ content: '', tool_calls: calls }));
  else for (const call of calls) chunks.push(chunk({ content: '', tool_calls: [call] }));
  chunks.push(chunk({ content: '' }, answer.finishReason ?? 'tool_calls'));
  chunks.push({ ...identity, choices: [], usage: USAGE });
  return providerStream(chunks, { name: answer.name ?? 'ollamaTools', ...(answer.delayMs !== undefined ? { delayMs: answer.delayMs } : {}) });
}

/**
 * vLLM (hermes / llama3_json parsers): the first tool delta has id `chatcmpl-tool-…`, type and
 * name but NO `arguments` key; the arguments follow in pieces (or, with `whole`, all in the first
 * delta, as some versions send them); the finish chunk carries vLLM's extra `stop_reason`.
 */
export function vllmToolStream(answer: ToolAnswer & { whole?: boolean }): Script {
  const identity = { id: 'chatcmpl-9f3c2a7e1b5d4c8f', object: 'chat.completion.chunk', created: 1_735_689_600, model: 'Qwen/Qwen2.5-7B-Instruct' };
  const chunk = (delta: JsonObject, finish: string | null = null, extra: JsonObject = {}): JsonObject => ({ ...identity, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish, ...extra }] });
  const chunks: JsonObject[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of answer.text ? pieces(answer.text, 5) : []) chunks.push(chunk({ content: piece }));
  answer.calls.forEach((spec, index) => {
    const id = spec.id ?? `chatcmpl-tool-${(0xa1b2c3 + index).toString(16)}`;
    const args = argumentsText(spec);
    const fn: JsonObject = answer.whole ? { name: spec.name, arguments: args } : { name: spec.name };
    chunks.push(chunk({ tool_calls: [{ id, type: 'function', index, function: fn }] }));
    if (answer.whole) return;
    for (const piece of pieces(args, spec.argumentsChunkSize ?? 7)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  chunks.push(chunk({ content: '' }, answer.finishReason ?? 'tool_calls', { stop_reason: null }));
  chunks.push({ ...identity, choices: [], usage: USAGE });
  return providerStream(chunks, { name: answer.name ?? 'vllmTools', ...(answer.delayMs !== undefined ? { delayMs: answer.delayMs } : {}) });
}

/**
 * llama.cpp's server (with `--jinja`): first delta `content: null`, `model: ""`, calls in
 * fragments with a random 32-character id (or none, with `omitIds`, as older builds did), and the
 * finish, usage and a `timings` object together on the last chunk.
 */
export function llamaCppToolStream(answer: ToolAnswer & { omitIds?: boolean }): Script {
  const identity = { id: 'chatcmpl-Qm2VbT8pX1', object: 'chat.completion.chunk', created: 1_735_689_600, model: '', system_fingerprint: 'b5120-1e2f3a4b' };
  const chunk = (delta: JsonObject): JsonObject => ({ choices: [{ finish_reason: null, index: 0, delta }], ...identity });
  const chunks: JsonObject[] = [chunk({ role: 'assistant', content: null })];
  for (const piece of answer.text ? pieces(answer.text, 4) : []) chunks.push(chunk({ content: piece }));
  answer.calls.forEach((spec, index) => {
    const head: JsonObject = { index, type: 'function', function: { name: spec.name, arguments: '' } };
    if (!answer.omitIds) head['id'] = spec.id ?? `Xq7${index}kLm9Rt2Wv5Yb8Nc1Df4Gh6Jp0Ts3`;
    chunks.push(chunk({ tool_calls: [head] }));
    for (const piece of pieces(argumentsText(spec), spec.argumentsChunkSize ?? 6)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  chunks.push({
    choices: [{ finish_reason: answer.finishReason ?? 'tool_calls', index: 0, delta: {} }],
    ...identity,
    usage: USAGE,
    timings: { prompt_n: 40, prompt_ms: 12.5, predicted_n: 12, predicted_ms: 80.1 },
  });
  return providerStream(chunks, { name: answer.name ?? 'llamaCppTools', ...(answer.delayMs !== undefined ? { delayMs: answer.delayMs } : {}) });
}

/** Row 29: how each server refuses a request that carries `tools` for a model without them. */
export function toolsRejected(server: 'ollama' | 'llama.cpp' | 'vllm', model = 'gemma:2b'): Script {
  if (server === 'ollama') {
    return errorResponse(400, { message: `registry.ollama.ai/library/${model} does not support tools`, type: 'api_error' }, {}, { name: 'ollamaNoTools' });
  }
  if (server === 'llama.cpp') {
    return errorResponse(400, { message: 'tools param requires --jinja flag', type: 'invalid_request_error', code: 400 }, {}, { name: 'llamaCppNoJinja' });
  }
  return errorResponse(
    400,
    { message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', type: 'BadRequestError', code: 400 },
    {},
    { name: 'vllmNoAutoToolChoice' },
  );
}

/** Row 30: tool calls, then (once the results are back) the answer as text. */
export function toolCallsThenText(calls: ToolCallSpec[], answer: string): [Script, Script] {
  return [openaiToolStream({ calls }), chatStream({ name: 'answerAfterTools', text: answer, usage: true })];
}
