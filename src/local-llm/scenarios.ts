// One named Script builder per row of the scenario catalogue at the end of
// /work/shared/docs/wire-formats.md ("Row n" in each comment). Each takes optional overrides and
// returns plain data, so tests read as `server.enqueue(scenarios.socketReset())`.
import type { JsonObject, Script, Step } from './script';
import {
  chatCompletionResponse,
  chatStream,
  errorResponse,
  htmlErrorPage,
  jsonResponse,
  SseScriptBuilder,
  type ChatStreamOptions,
  splitText,
} from './sse';
import {
  groqChunks,
  mistralChunks,
  noFinishChunks,
  providerStream,
  textPart,
  thinkingPart,
  type MistralContent,
  type ProviderStreamOptions,
} from './provider-streams';

/** Default answer: two paragraphs, so one delta carries "\n\n" as text (not SSE framing). */
export const SAMPLE_TEXT = 'Hello from the Rill test server.\n\nThis answer has two paragraphs.';
/** Text that stops mid-sentence, for the "cut" scenarios. */
export const PARTIAL_TEXT = 'The answer starts like this and then';
/** Multi-byte text: 3-byte Japanese, 4-byte emoji and a ZWJ sequence. */
export const MULTIBYTE_TEXT = 'こんにちは、世界！🌏 Rill は日本語も絵文字も😀👩‍💻そのまま届けます。';

/** Row 26: Magistral's reasoning, then its answer; the answer's first character comes inside the array. */
export const MISTRAL_REASONING = 'The user asks for 17 × 23. 17 × 20 = 340 and 17 × 3 = 51, so 340 + 51 = 391.';
export const MISTRAL_ANSWER = '391, since 17 × 23 = 340 + 51.';
const MISTRAL_CONTENTS: MistralContent[] = [
  [thinkingPart('The user asks for 17 × 23.')],
  [thinkingPart(' 17 × 20 = 340 and 17 × 3 = 51,')],
  // The switch from reasoning to answer: the last thinking and the first answer text in one array.
  [thinkingPart(' so 340 + 51 = 391.'), textPart('3')],
  '91',
  ',',
  ' since',
  ' 17 × 23',
  ' = 340 + 51',
  '.',
];
export const MISTRAL_USAGE = { prompt_tokens: 21, completion_tokens: 47, total_tokens: 68 };
/** Row 27: a complete answer from a gateway that never sends `finish_reason`. */
export const NO_FINISH_TEXT = 'The report has three sections: a summary, the figures and the next steps.';
export const NO_FINISH_USAGE = { prompt_tokens: 34, completion_tokens: 16, total_tokens: 50 };
/** Row 28: Groq's answer and the counts it reports in `x_groq.usage`. */
export const GROQ_TEXT = 'Paris is the capital of France.';
export const GROQ_USAGE = { prompt_tokens: 45, completion_tokens: 8, total_tokens: 53 };

/** Fields of the "stopped early" streams: some text, then neither finish chunk nor [DONE]. */
const cut: ChatStreamOptions = { text: PARTIAL_TEXT, finishReason: null, omitDone: true };

const rateLimitMessage =
  'Rate limit reached for gpt-4o-mini in organization org-rill on requests per min (RPM): ' +
  'Limit 3, Used 3, Requested 1. Please try again in 644ms. Visit https://platform.openai.com/account/rate-limits to learn more.';

/** Inserts `extra` steps after the `n`-th write of `script` (used for stalls inside a stream). */
function afterNthWrite(script: Script, n: number, extra: Step[], dropRest: boolean): Script {
  const steps: Step[] = [];
  let writes = 0;
  for (const step of script.steps) {
    steps.push(step);
    if (step.type === 'write') {
      writes += 1;
      if (writes === n) {
        steps.push(...extra);
        if (dropRest) return { ...script, steps };
      }
    }
  }
  return { ...script, steps };
}

export const scenarios = {
  /** Row 1: normal stream with usage chunk (`choices: []`), finish `stop`. */
  normal: (o: ChatStreamOptions = {}): Script =>
    chatStream({ name: 'normal', text: SAMPLE_TEXT, usage: true, ...o }),

  /** Row 2: rotating `\n` / `\r\n` / lone `\r` delimiters, and `data:` without a space on every other event. */
  mixedLineEndings: (o: ChatStreamOptions = {}): Script =>
    chatStream({ name: 'mixedLineEndings', text: SAMPLE_TEXT, usage: true, lineEnding: 'mixed', noSpaceAfterData: 'mixed', ...o }),

  /** Row 3: keep-alive comments before the first chunk and between all chunks. */
  keepAlive: (o: ChatStreamOptions = {}): Script =>
    chatStream({ name: 'keepAlive', text: SAMPLE_TEXT, usage: true, keepAliveComments: 'keep-alive', ...o }),

  /** Row 4: multi-byte text, every byte of the response body in its own write. */
  byteByByte: (text: string = MULTIBYTE_TEXT, o: ChatStreamOptions = {}): Script =>
    chatStream({ name: 'byteByByte', text, usage: true, bytesPerWrite: 1, ...o }),

  /** Row 5: partial text, then `event: error` whose data has no `error` key, then the server ends. */
  eventErrorWithoutErrorKey: (o: ChatStreamOptions = {}): Script =>
    chatStream({
      name: 'eventErrorWithoutErrorKey',
      ...cut,
      extraEvents: [
        {
          fields: [
            ['event', 'error'],
            ['data', JSON.stringify({ message: 'The model crashed while generating.', type: 'server_error', code: 'internal_error' })],
          ],
        },
      ],
      ...o,
    }),

  /**
   * Row 6: partial text, then `data: {"error":{…}}`. `openai` (default) and `openrouter` end the
   * response after it; `vllm` uses an integer code and still sends `[DONE]`.
   */
  midStreamDataError: (flavor: 'openai' | 'openrouter' | 'vllm' = 'openai', o: ChatStreamOptions = {}): Script => {
    const error: JsonObject =
      flavor === 'vllm'
        ? { object: 'error', message: 'CUDA out of memory while generating.', type: 'InternalServerError', param: null, code: 500 }
        : flavor === 'openrouter'
          ? { message: 'Provider returned error', code: 502, metadata: { provider_name: 'Rill' } }
          : { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null };
    return chatStream({
      name: 'midStreamDataError',
      ...cut,
      omitDone: flavor !== 'vllm',
      extraEvents: [{ fields: [['data', JSON.stringify({ error })]] }],
      ...o,
    });
  },

  /** Row 7: old llama.cpp: an `error:` SSE field (invisible to clients), then `[DONE]` without a trailing blank line. */
  llamaCppErrorField: (): Script =>
    new SseScriptBuilder()
      .headers()
      .event([['error', JSON.stringify({ code: 500, message: 'the request exceeds the available context size', type: 'server_error' })]])
      .done({ trailingBlankLine: false })
      .build('end', 'llamaCppErrorField'),

  /** Row 8: partial text, then a clean close: no finish chunk, no `[DONE]`. */
  closeWithoutDone: (o: ChatStreamOptions = {}): Script => chatStream({ name: 'closeWithoutDone', ...cut, ...o }),

  /** Row 9: partial text, then the socket is reset (RST). */
  socketReset: (o: ChatStreamOptions = {}): Script =>
    chatStream({ name: 'socketReset', ...cut, after: 'destroy', ...o }),

  /** Row 10: a complete stream and `[DONE]`, then the socket is held open forever. */
  doneThenHoldOpen: (o: ChatStreamOptions = {}): Script =>
    chatStream({ name: 'doneThenHoldOpen', text: SAMPLE_TEXT, holdOpenAfterDone: true, ...o }),

  /** Row 11: no `[DONE]`; the last event (the finish chunk) has no trailing blank line before EOF. */
  noTrailingBlankLine: (o: ChatStreamOptions = {}): Script =>
    chatStream({ name: 'noTrailingBlankLine', text: SAMPLE_TEXT, omitDone: true, noTrailingBlankLine: true, ...o }),

  /** Row 12: Azure: prompt-filter first event, text in bursts, an annotation chunk without `delta` after finish. */
  azureFilters: (o: ChatStreamOptions = {}): Script =>
    chatStream({
      name: 'azureFilters',
      text: SAMPLE_TEXT,
      chunkSize: 24,
      model: 'gpt-4o-2024-11-20',
      serviceTier: null,
      azurePromptFilter: true,
      azureAnnotations: true,
      ...o,
    }),

  /** Row 13: Azure asynchronous filter: text token by token, then `finish_reason: "content_filter"`. */
  azureContentFilterFinish: (o: ChatStreamOptions = {}): Script =>
    chatStream({
      name: 'azureContentFilterFinish',
      text: 'Here is a story that takes a dark turn when',
      chunkSize: 3,
      model: 'gpt-4o-2024-11-20',
      serviceTier: null,
      azurePromptFilter: true,
      finishReason: 'content_filter',
      finishContentFilterResults: {
        hate: { filtered: false, severity: 'safe' },
        self_harm: { filtered: false, severity: 'safe' },
        sexual: { filtered: false, severity: 'safe' },
        violence: { filtered: true, severity: 'medium' },
      },
      ...o,
    }),

  /** Row 14: two parallel tool calls, fragmented by index (OpenAI) or `whole` in one delta each (Ollama). */
  toolCalls: (mode: 'fragmented' | 'whole' = 'fragmented', o: ChatStreamOptions = {}): Script =>
    chatStream({
      name: 'toolCalls',
      toolCallMode: mode,
      toolCalls: [
        { id: 'call_weather_1', name: 'get_weather', arguments: { location: 'Paris', unit: 'celsius' } },
        { id: 'call_time_2', name: 'get_time', arguments: { timezone: 'Europe/Paris' } },
      ],
      usage: true,
      ...o,
    }),

  /** Row 15: reasoning deltas before the answer, in `reasoning_content` (default) or `reasoning`. */
  reasoning: (field: 'reasoning_content' | 'reasoning' = 'reasoning_content', o: ChatStreamOptions = {}): Script =>
    chatStream({
      name: 'reasoning',
      reasoning: 'The user greets me. A short, friendly answer fits.',
      reasoningField: field,
      text: 'Hello! How can I help?',
      usage: true,
      ...o,
    }),

  /**
   * Row 16: 429 `rate_limit_exceeded` `failures` times (default 2), then `then` (default: normal).
   * Waits `retry-after: 1` like OpenAI; pass `retryAfterMs` to send `retry-after-ms` instead (fast tests).
   */
  rateLimitThenOk: (options: { failures?: number; retryAfterMs?: number; then?: Script } = {}): Script[] => {
    const headers: Record<string, string> =
      options.retryAfterMs !== undefined ? { 'retry-after-ms': String(options.retryAfterMs) } : { 'retry-after': '1' };
    const limited = errorResponse(
      429,
      { message: rateLimitMessage, type: 'requests', code: 'rate_limit_exceeded' },
      { 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', ...headers },
      { name: 'rateLimited' },
    );
    const failures = options.failures ?? 2;
    return [...Array.from({ length: failures }, () => limited), options.then ?? scenarios.normal()];
  },

  /** Row 17: 429 `insufficient_quota`, with `x-should-retry: false` so clients give up at once. */
  insufficientQuota: (): Script =>
    errorResponse(
      429,
      {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      },
      { 'x-should-retry': 'false' },
      { name: 'insufficientQuota' },
    ),

  /** Row 18: 500 JSON error. Queue it once per attempt (or make it the server default) for "every time". */
  serverError500: (options: { retryAfterMs?: number } = {}): Script =>
    errorResponse(
      500,
      { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error' },
      options.retryAfterMs !== undefined ? { 'retry-after-ms': String(options.retryAfterMs) } : {},
      { name: 'serverError500' },
    ),

  /** Row 18: 503 with an nginx HTML page as the body (must be shown as text, never rendered). */
  html503: (status: 502 | 503 | 504 = 503, headers: Record<string, string> = {}): Script =>
    errorResponse(status, { message: '' }, headers, { html: htmlErrorPage(status), name: 'html503' }),

  /** Row 19: 400 `context_length_exceeded` (param `messages`). */
  contextTooLong: (): Script =>
    errorResponse(
      400,
      {
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
      {},
      { name: 'contextTooLong' },
    ),

  /** Row 19: 401 `invalid_api_key`. */
  unauthorized: (): Script =>
    errorResponse(
      401,
      {
        message:
          'Incorrect API key provided: sk-rill****test. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      },
      {},
      { name: 'unauthorized' },
    ),

  /** Row 19 (403 row of the error table): permission denied. */
  forbidden: (): Script =>
    errorResponse(
      403,
      { message: 'Project does not have access to this model.', type: 'invalid_request_error', code: 'model_not_allowed' },
      {},
      { name: 'forbidden' },
    ),

  /** Row 19: 404 `model_not_found`; `flavor: 'ollama'` gives Ollama's "not pulled" shape. */
  modelNotFound: (model = 'gpt-5-nonexistent', flavor: 'openai' | 'ollama' = 'openai'): Script =>
    flavor === 'ollama'
      ? errorResponse(
          404,
          { message: `model "${model}" not found, try pulling it first`, type: 'not_found_error' },
          {},
          { name: 'modelNotFound' },
        )
      : errorResponse(
          404,
          {
            message: `The model \`${model}\` does not exist or you do not have access to it.`,
            type: 'invalid_request_error',
            code: 'model_not_found',
          },
          {},
          { name: 'modelNotFound' },
        ),

  /** Row 19 (error table): Azure rejects the prompt itself: 400 `content_filter`, `type: null`. */
  azurePromptFiltered: (): Script =>
    jsonResponse(
      400,
      {
        error: {
          message:
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
          type: null,
          param: 'prompt',
          code: 'content_filter',
          status: 400,
          innererror: {
            code: 'ResponsibleAIPolicyViolation',
            content_filter_result: {
              hate: { filtered: false, severity: 'safe' },
              self_harm: { filtered: false, severity: 'safe' },
              sexual: { filtered: false, severity: 'safe' },
              violence: { filtered: true, severity: 'medium' },
            },
          },
        },
      },
      {},
      'azurePromptFiltered',
    ),

  /** Row 20: no response headers at all; with `ms`, they (and a normal stream) come after that delay. */
  stallBeforeHeaders: (options: { ms?: number } = {}): Script =>
    options.ms === undefined
      ? { name: 'stallBeforeHeaders', status: 200, steps: [{ type: 'hold' }] }
      : (() => {
          const normal = scenarios.normal();
          return { ...normal, name: 'stallBeforeHeaders', steps: [{ type: 'sleep', ms: options.ms }, ...normal.steps] };
        })(),

  /**
   * Row 20: headers and a few chunks, then silence with the socket open. With `resumeAfterMs` the
   * stream continues normally after that pause (to check a watchdog does not fire too early).
   */
  stallMidStream: (options: { afterWrites?: number; resumeAfterMs?: number } = {}): Script => {
    const n = options.afterWrites ?? 3;
    const base = { ...scenarios.normal(), name: 'stallMidStream' };
    return options.resumeAfterMs === undefined
      ? afterNthWrite(base, n, [{ type: 'hold' }], true)
      : afterNthWrite(base, n, [{ type: 'sleep', ms: options.resumeAfterMs }], false);
  },

  /** Row 21: a streaming request answered with a 200 `application/json` chat.completion body. */
  jsonBodyToStream: (text: string = SAMPLE_TEXT): Script => ({
    ...chatCompletionResponse({ text }),
    name: 'jsonBodyToStream',
  }),

  /** Row 23: a long, slow stream, for pressing Stop in the middle (Stop before headers: `stallBeforeHeaders`). */
  slowStream: (o: ChatStreamOptions = {}): Script =>
    chatStream({
      name: 'slowStream',
      text: Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} of a long answer.`).join(' '),
      chunkSize: 6,
      delayMs: 40,
      usage: true,
      ...o,
    }),

  /** Row 24: the answer is cut by the token limit: `finish_reason: "length"`. */
  lengthFinish: (o: ChatStreamOptions = {}): Script =>
    chatStream({ name: 'lengthFinish', text: 'Here are the first steps: 1. Open the file. 2. Find the', finishReason: 'length', usage: true, ...o }),

  /** Row 25: a refusal streamed as `delta.refusal` pieces, finish `stop`. */
  refusal: (o: ChatStreamOptions = {}): Script =>
    chatStream({ name: 'refusal', refusal: "I'm sorry, but I can't help with that.", usage: true, ...o }),

  /**
   * Row 26: Mistral's Magistral: reasoning as arrays of thinking parts, then one array with the
   * last thinking and the answer's first text part, then plain string deltas; the last one
   * carries `finish_reason` and `usage`.
   */
  mistralContentParts: (o: ProviderStreamOptions = {}): Script =>
    providerStream(mistralChunks(MISTRAL_CONTENTS, MISTRAL_USAGE), { name: 'mistralContentParts', ...o }),

  /** Row 27: a complete answer, usage and `data: [DONE]`, but no `finish_reason` anywhere (Snowflake Cortex). */
  doneWithoutFinishReason: (o: ProviderStreamOptions = {}): Script =>
    providerStream(noFinishChunks(splitText(NO_FINISH_TEXT, 6), NO_FINISH_USAGE), { name: 'doneWithoutFinishReason', ...o }),

  /** Row 28: Groq: `x_groq.id` on the first chunk, usage only in `x_groq.usage` on the finish chunk. */
  groqUsage: (o: ProviderStreamOptions = {}): Script =>
    providerStream(groqChunks(splitText(GROQ_TEXT, 5), GROQ_USAGE), { name: 'groqUsage', ...o }),
};

export type ScenarioName = keyof typeof scenarios;

/**
 * Catalogue row of every scenario. Row 22 (connection refused) has no script: point the client at
 * a closed server (`await server.close()` and reuse its URL). Row 23 (user stop) is driven by the
 * client, against `slowStream` or `stallBeforeHeaders`.
 */
export const scenarioRows: Readonly<Record<ScenarioName, number>> = Object.freeze({
  normal: 1,
  mixedLineEndings: 2,
  keepAlive: 3,
  byteByByte: 4,
  eventErrorWithoutErrorKey: 5,
  midStreamDataError: 6,
  llamaCppErrorField: 7,
  closeWithoutDone: 8,
  socketReset: 9,
  doneThenHoldOpen: 10,
  noTrailingBlankLine: 11,
  azureFilters: 12,
  azureContentFilterFinish: 13,
  toolCalls: 14,
  reasoning: 15,
  rateLimitThenOk: 16,
  insufficientQuota: 17,
  serverError500: 18,
  html503: 18,
  contextTooLong: 19,
  unauthorized: 19,
  forbidden: 19,
  modelNotFound: 19,
  azurePromptFiltered: 19,
  stallBeforeHeaders: 20,
  stallMidStream: 20,
  jsonBodyToStream: 21,
  slowStream: 23,
  lengthFinish: 24,
  refusal: 25,
  mistralContentParts: 26,
  doneWithoutFinishReason: 27,
  groqUsage: 28,
});
