// Builders that turn "what the model says" into the exact bytes real OpenAI-compatible servers put on
// the wire (see /work/shared/docs/wire-formats.md). All functions here are pure: same input, same
// Script, so tests can compare bytes and a Script can be stored or sent as JSON.
import type { JsonObject, JsonValue, Script, Step } from './script';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

/** `'mixed'` rotates through `\n`, `\r\n` and a lone `\r` (never `\r` followed by `\n`, which would merge). */
export type LineEnding = '\n' | '\r\n' | '\r' | 'mixed';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** How SSE events are framed. */
export interface SseFormat {
  lineEnding?: LineEnding;
  /** `data:{...}` instead of `data: {...}`; `'mixed'` alternates per event. */
  noSpaceAfterData?: boolean | 'mixed';
  /** Split every write into pieces of this many bytes. */
  bytesPerWrite?: number;
}

/** Headers OpenAI sends with a stream. */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
});

/** Fixed defaults keep builders deterministic; callers that want "now" pass `created` themselves. */
export const DEFAULT_CHUNK_ID = 'chatcmpl-rill0000000000000000000001';
export const DEFAULT_CREATED = 1_735_689_600; // 2025-01-01T00:00:00Z
export const DEFAULT_MODEL = 'gpt-4o-mini';

// Line-terminator pairs (field line, blank line) used by 'mixed'. ['\r', '\n'] is excluded on
// purpose: "\r\n" would be read as ONE terminator and the event would never end.
const MIXED_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['\r\n', '\r\n'],
  ['\r', '\r'],
  ['\n', '\n'],
  ['\r\n', '\n'],
  ['\n', '\r'],
  ['\r', '\r\n'],
  ['\n', '\r\n'],
];

/**
 * Accumulates Steps for an SSE response. Each event (or comment) is one write, like real servers
 * that flush per token; `bytesPerWrite` splits those writes further.
 */
export class SseScriptBuilder {
  private readonly steps: Step[] = [];
  private eventCount = 0;
  private status = 200;
  private headerValues: Record<string, string> = { ...SSE_HEADERS };

  constructor(private readonly format: SseFormat = {}) {}

  /** Sets status/headers and sends them immediately (real servers answer before the first token). */
  headers(status = 200, headers: Record<string, string> = {}): this {
    this.status = status;
    this.headerValues = { ...SSE_HEADERS, ...headers };
    this.steps.push({ type: 'headers' });
    return this;
  }

  /** A `data:` event; strings are sent verbatim (e.g. `[DONE]`), other values as JSON. */
  data(value: JsonValue, options: { trailingBlankLine?: boolean } = {}): this {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return this.event([['data', text]], options);
  }

  /** An event with arbitrary fields in order, e.g. `[['event','error'],['data','{…}']]`. */
  event(fields: ReadonlyArray<readonly [string, string]>, options: { trailingBlankLine?: boolean } = {}): this {
    const [lineEnd, blankEnd] = this.terminators();
    const noSpace =
      this.format.noSpaceAfterData === 'mixed' ? this.eventCount % 2 === 1 : this.format.noSpaceAfterData === true;
    const lines = fields.map(([name, value]) => {
      const separator = name === 'data' && noSpace ? ':' : ': ';
      return `${name}${separator}${value}${lineEnd}`;
    });
    this.eventCount += 1;
    this.write(lines.join('') + (options.trailingBlankLine === false ? '' : blankEnd));
    return this;
  }

  /** An SSE comment (`: keep-alive`), which clients must ignore. */
  comment(text: string): this {
    const [lineEnd, blankEnd] = this.terminators();
    this.eventCount += 1;
    this.write(`: ${text}${lineEnd}${blankEnd}`);
    return this;
  }

  /** Raw text, no framing (for deliberately malformed output). */
  raw(text: string): this {
    this.write(text);
    return this;
  }

  done(options: { trailingBlankLine?: boolean } = {}): this {
    return this.data('[DONE]', options);
  }

  sleep(ms: number): this {
    if (ms > 0) this.steps.push({ type: 'sleep', ms });
    return this;
  }

  /** Finishes the script with a terminal step. */
  build(terminal: 'end' | 'destroy' | 'hold' = 'end', name?: string): Script {
    const steps: Step[] = [...this.steps, { type: terminal }];
    return { ...(name ? { name } : {}), status: this.status, headers: { ...this.headerValues }, steps };
  }

  private write(text: string): void {
    const step: Step = { type: 'write', text };
    if (this.format.bytesPerWrite) step.bytesPerWrite = this.format.bytesPerWrite;
    this.steps.push(step);
  }

  private terminators(): readonly [string, string] {
    const ending = this.format.lineEnding ?? '\n';
    if (ending !== 'mixed') return [ending, ending];
    return MIXED_PAIRS[this.eventCount % MIXED_PAIRS.length] ?? ['\n', '\n'];
  }
}

/** Identity shared by every chunk of one stream. */
export interface ChunkIdentity {
  id?: string;
  created?: number;
  model?: string;
  /** `null` omits the field (most non-OpenAI servers). */
  systemFingerprint?: string | null;
  /** `null` omits the field. */
  serviceTier?: string | null;
  /** Extra top-level fields to put on every chunk (e.g. `obfuscation`) — clients must ignore them. */
  extraFields?: JsonObject;
}

/** Builds one `chat.completion.chunk` object with OpenAI's key order. */
export function chunkObject(
  identity: ChunkIdentity,
  choices: JsonValue[],
  usage?: Usage | null,
): JsonObject {
  const out: JsonObject = {
    id: identity.id ?? DEFAULT_CHUNK_ID,
    object: 'chat.completion.chunk',
    created: identity.created ?? DEFAULT_CREATED,
    model: identity.model ?? DEFAULT_MODEL,
  };
  const tier = identity.serviceTier === undefined ? 'default' : identity.serviceTier;
  if (tier !== null) out['service_tier'] = tier;
  const fingerprint = identity.systemFingerprint === undefined ? 'fp_rill0local' : identity.systemFingerprint;
  if (fingerprint !== null) out['system_fingerprint'] = fingerprint;
  out['choices'] = choices;
  // `undefined` = the request did not ask for usage: the key is absent, as on OpenAI.
  if (usage !== undefined) out['usage'] = usage === null ? null : { ...usage };
  if (identity.extraFields) Object.assign(out, identity.extraFields);
  return out;
}

/** One choice of a chunk. `delta: undefined` produces Azure's annotation-only choice (no `delta` key). */
export function chunkChoice(
  delta: JsonObject | undefined,
  finishReason: FinishReason | null = null,
  extra: JsonObject = {},
): JsonObject {
  const choice: JsonObject = { index: 0 };
  if (delta !== undefined) choice['delta'] = delta;
  if (delta !== undefined) choice['logprobs'] = null;
  choice['finish_reason'] = finishReason;
  return { ...choice, ...extra };
}

/** A tool call the model makes. */
export interface ToolCallSpec {
  /** Defaults to `call_rill_<n>`. */
  id?: string;
  name: string;
  /** JSON text, or a value that is stringified. */
  arguments: string | JsonValue;
  /** Characters per `arguments` fragment when fragmented (default 8). */
  argumentsChunkSize?: number;
}

/** Everything `chatStream` can vary. Every field is optional. */
export interface ChatStreamOptions extends ChunkIdentity, SseFormat {
  /** The answer text. */
  text?: string;
  /** Explicit content deltas (overrides `text`/`chunkSize`). */
  chunks?: string[];
  /** Characters (code points) per content delta; default 4. */
  chunkSize?: number;
  /** Pause between events, ms. */
  delayMs?: number;
  /** Pause after the headers before the first event, ms. */
  initialDelayMs?: number;
  /** Default `stop` (`tool_calls` when `toolCalls` is set); `null` sends no finish chunk at all. */
  finishReason?: FinishReason | null;
  /**
   * `true`: estimated usage; an object: exactly that. Adds the final `choices: []` chunk and
   * `usage: null` on earlier chunks, like `stream_options.include_usage`.
   */
  usage?: boolean | Usage;
  /** Prompt token count used when `usage` is `true` (default 12). */
  promptTokens?: number;
  /** Keep-alive comments before the first chunk and between chunks; a string sets the comment text. */
  keepAliveComments?: boolean | string;
  /** No `data: [DONE]` at the end. */
  omitDone?: boolean;
  /** After the last event, keep the socket open forever instead of ending (same as `after: 'hold'`). */
  holdOpenAfterDone?: boolean;
  /** The last event written ends with a single line terminator and no blank line. */
  noTrailingBlankLine?: boolean;
  /** Stream a refusal (`delta.refusal` pieces; first delta has `content: null, refusal: ""`). */
  refusal?: string;
  /** Reasoning text streamed before the answer, in `reasoning_content` (DeepSeek, llama.cpp) or `reasoning` (Ollama, vLLM, OpenRouter). */
  reasoning?: string;
  reasoningField?: 'reasoning_content' | 'reasoning';
  toolCalls?: ToolCallSpec[];
  /** `fragmented` (OpenAI: id+name first, then argument pieces) or `whole` (Ollama: one delta). */
  toolCallMode?: 'fragmented' | 'whole';
  /** Azure: first event with empty `choices` and `prompt_filter_results`; every chunk has `usage: null`. */
  azurePromptFilter?: boolean;
  /** Azure: `content_filter_results` on choices and an annotation chunk WITHOUT `delta` after the finish chunk. */
  azureAnnotations?: boolean;
  /** Filter results to put on the finish choice (Azure `content_filter` finish). */
  finishContentFilterResults?: JsonObject;
  /** Replace the first delta (e.g. llama.cpp's `{role:"assistant", content:null}`). */
  firstDelta?: JsonObject;
  /** Raw events sent after the content (and finish chunk) and before usage/`[DONE]`. */
  extraEvents?: Array<{ fields: Array<[string, string]> }>;
  /** What happens after the last event: end (default), reset the socket, or hold it open. */
  after?: 'end' | 'destroy' | 'hold';
  status?: number;
  headers?: Record<string, string>;
  /** Name recorded in `server.requests[i].scriptName`. */
  name?: string;
}

/** Splits text into deltas of `size` code points (never splitting a surrogate pair inside JSON). */
export function splitText(text: string, size: number): string[] {
  const points = Array.from(text);
  const step = Math.max(1, Math.floor(size));
  const out: string[] = [];
  for (let i = 0; i < points.length; i += step) out.push(points.slice(i, i + step).join(''));
  return out;
}

/** A rough, deterministic token estimate (about four characters per token). */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

export function makeUsage(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** Azure's "nothing filtered" annotation. */
export function azureSafeFilterResults(): JsonObject {
  return {
    hate: { filtered: false, severity: 'safe' },
    self_harm: { filtered: false, severity: 'safe' },
    sexual: { filtered: false, severity: 'safe' },
    violence: { filtered: false, severity: 'safe' },
  };
}

function toolArguments(spec: ToolCallSpec): string {
  return typeof spec.arguments === 'string' ? spec.arguments : JSON.stringify(spec.arguments);
}

/** A full chat-completions stream as a Script. See ChatStreamOptions for every knob. */
export function chatStream(options: ChatStreamOptions = {}): Script {
  const builder = new SseScriptBuilder({
    ...(options.lineEnding !== undefined ? { lineEnding: options.lineEnding } : {}),
    ...(options.noSpaceAfterData !== undefined ? { noSpaceAfterData: options.noSpaceAfterData } : {}),
    ...(options.bytesPerWrite !== undefined ? { bytesPerWrite: options.bytesPerWrite } : {}),
  });
  builder.headers(options.status ?? 200, options.headers ?? {});

  const identity: ChunkIdentity = options;
  const azure = options.azurePromptFilter === true || options.azureAnnotations === true;
  const wantsUsage = options.usage !== undefined && options.usage !== false;
  // Earlier chunks carry `usage: null` when usage was requested, and on Azure always.
  const earlyUsage: null | undefined = wantsUsage || azure ? null : undefined;
  const filterExtra = (): JsonObject =>
    options.azureAnnotations ? { content_filter_results: azureSafeFilterResults() } : {};

  const events: JsonObject[] = [];
  if (options.azurePromptFilter) {
    events.push({
      choices: [],
      created: 0,
      id: '',
      model: '',
      object: '',
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: azureSafeFilterResults() }],
      usage: null,
    });
  }

  const isRefusal = options.refusal !== undefined;
  const firstDelta: JsonObject =
    options.firstDelta ??
    (isRefusal
      ? { role: 'assistant', content: null, refusal: '' }
      : { role: 'assistant', content: '', refusal: null });
  events.push(chunkObject(identity, [chunkChoice(firstDelta, null, options.azureAnnotations ? { content_filter_results: {} } : {})], earlyUsage));

  const size = options.chunkSize ?? 4;
  let streamed = '';
  if (options.reasoning) {
    const field = options.reasoningField ?? 'reasoning_content';
    for (const piece of splitText(options.reasoning, size)) {
      streamed += piece;
      events.push(chunkObject(identity, [chunkChoice({ [field]: piece })], earlyUsage));
    }
  }

  const answer = isRefusal ? (options.refusal ?? '') : (options.text ?? '');
  const pieces = options.chunks ?? (answer === '' ? [] : splitText(answer, size));
  for (const piece of pieces) {
    streamed += piece;
    const delta: JsonObject = isRefusal ? { refusal: piece } : { content: piece };
    events.push(chunkObject(identity, [chunkChoice(delta, null, filterExtra())], earlyUsage));
  }

  const toolCalls = options.toolCalls ?? [];
  toolCalls.forEach((spec, index) => {
    const id = spec.id ?? `call_rill_${index}`;
    const args = toolArguments(spec);
    streamed += spec.name + args;
    if (options.toolCallMode === 'whole') {
      const call: JsonObject = { id, index, type: 'function', function: { name: spec.name, arguments: args } };
      events.push(chunkObject(identity, [chunkChoice({ tool_calls: [call] })], earlyUsage));
      return;
    }
    const head: JsonObject = { index, id, type: 'function', function: { name: spec.name, arguments: '' } };
    events.push(chunkObject(identity, [chunkChoice({ tool_calls: [head] })], earlyUsage));
    for (const piece of splitText(args, spec.argumentsChunkSize ?? 8)) {
      const fragment: JsonObject = { index, function: { arguments: piece } };
      events.push(chunkObject(identity, [chunkChoice({ tool_calls: [fragment] })], earlyUsage));
    }
  });

  const finish =
    options.finishReason === undefined ? (toolCalls.length > 0 ? 'tool_calls' : 'stop') : options.finishReason;
  if (finish !== null) {
    const extra: JsonObject = options.finishContentFilterResults
      ? { content_filter_results: options.finishContentFilterResults }
      : filterExtra();
    events.push(chunkObject(identity, [chunkChoice({}, finish, extra)], earlyUsage));
  }
  if (options.azureAnnotations) {
    // Annotation event without a `delta` key, arriving after the finish chunk (asynchronous filter).
    const length = streamed.length;
    events.push(
      chunkObject(
        identity,
        [
          chunkChoice(undefined, null, {
            content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: length },
            content_filter_results: azureSafeFilterResults(),
          }),
        ],
        earlyUsage,
      ),
    );
  }

  const keepAlive =
    options.keepAliveComments === true
      ? 'keep-alive'
      : typeof options.keepAliveComments === 'string'
        ? options.keepAliveComments
        : undefined;

  type Item = { kind: 'json'; value: JsonObject } | { kind: 'fields'; fields: Array<[string, string]> } | { kind: 'done' };
  const items: Item[] = events.map((value) => ({ kind: 'json', value }));
  for (const extra of options.extraEvents ?? []) items.push({ kind: 'fields', fields: extra.fields });
  if (wantsUsage) {
    const usage =
      typeof options.usage === 'object'
        ? options.usage
        : makeUsage(options.promptTokens ?? 12, estimateTokens(streamed));
    items.push({ kind: 'json', value: chunkObject(identity, [], usage) });
  }
  if (!options.omitDone) items.push({ kind: 'done' });

  builder.sleep(options.initialDelayMs ?? 0);
  items.forEach((item, index) => {
    if (index > 0) builder.sleep(options.delayMs ?? 0);
    if (keepAlive !== undefined) builder.comment(keepAlive);
    const last = index === items.length - 1;
    const trailing = { trailingBlankLine: !(last && options.noTrailingBlankLine) };
    if (item.kind === 'json') builder.data(item.value, trailing);
    else if (item.kind === 'fields') builder.event(item.fields, trailing);
    else builder.done(trailing);
  });

  const after = options.after ?? (options.holdOpenAfterDone ? 'hold' : 'end');
  return builder.build(after, options.name);
}

/** Body of an OpenAI-style error: `{"error":{"message","type","param","code"}}`. */
export interface ApiErrorBody {
  message: string;
  type?: string | null;
  param?: string | null;
  /** A string on OpenAI; vLLM and OpenRouter send integers. */
  code?: string | number | null;
}

function defaultErrorType(status: number): string {
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** A JSON body with an exact `content-length` (no chunked encoding, like most API gateways). */
export function jsonResponse(status: number, body: JsonValue, headers: Record<string, string> = {}, name?: string): Script {
  const text = JSON.stringify(body);
  return {
    ...(name ? { name } : {}),
    status,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text, 'utf8')),
      ...headers,
    },
    steps: [{ type: 'write', text }, { type: 'end' }],
  };
}

/** The HTML page a reverse proxy (nginx) answers with when the upstream is down. */
export function htmlErrorPage(status: number): string {
  const reason: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Temporarily Unavailable',
    504: 'Gateway Time-out',
  };
  const title = `${status} ${reason[status] ?? 'Error'}`;
  return (
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}

/**
 * An error answered before any stream starts. With `options.html` the body is that HTML page
 * (`text/html`) instead of JSON — what a proxy in front of the model server sends on 502/503.
 */
export function errorResponse(
  status: number,
  error: ApiErrorBody,
  headers: Record<string, string> = {},
  options: { html?: string; name?: string } = {},
): Script {
  if (options.html !== undefined) {
    return {
      ...(options.name ? { name: options.name } : {}),
      status,
      headers: {
        'content-type': 'text/html',
        'content-length': String(Buffer.byteLength(options.html, 'utf8')),
        ...headers,
      },
      steps: [{ type: 'write', text: options.html }, { type: 'end' }],
    };
  }
  const body: JsonObject = {
    error: {
      message: error.message,
      type: error.type === undefined ? defaultErrorType(status) : error.type,
      param: error.param ?? null,
      code: error.code ?? null,
    },
  };
  return jsonResponse(status, body, headers, options.name);
}

/** Options for a non-streaming `chat.completion` body. */
export interface ChatCompletionOptions extends ChunkIdentity {
  text?: string;
  refusal?: string;
  finishReason?: FinishReason;
  usage?: Usage;
  promptTokens?: number;
  toolCalls?: ToolCallSpec[];
}

/** A non-streaming `chat.completion` object. */
export function chatCompletionBody(options: ChatCompletionOptions = {}): JsonObject {
  const toolCalls = options.toolCalls ?? [];
  const message: JsonObject = {
    role: 'assistant',
    content: options.refusal !== undefined ? null : (options.text ?? ''),
    refusal: options.refusal ?? null,
    annotations: [],
  };
  if (toolCalls.length > 0) {
    message['tool_calls'] = toolCalls.map((spec, index) => ({
      id: spec.id ?? `call_rill_${index}`,
      type: 'function',
      function: { name: spec.name, arguments: toolArguments(spec) },
    }));
  }
  const text = (options.text ?? '') + (options.refusal ?? '');
  const body: JsonObject = {
    id: options.id ?? DEFAULT_CHUNK_ID,
    object: 'chat.completion',
    created: options.created ?? DEFAULT_CREATED,
    model: options.model ?? DEFAULT_MODEL,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: options.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      },
    ],
    usage: { ...(options.usage ?? makeUsage(options.promptTokens ?? 12, estimateTokens(text))) },
  };
  const tier = options.serviceTier === undefined ? 'default' : options.serviceTier;
  if (tier !== null) body['service_tier'] = tier;
  const fingerprint = options.systemFingerprint === undefined ? 'fp_rill0local' : options.systemFingerprint;
  if (fingerprint !== null) body['system_fingerprint'] = fingerprint;
  return body;
}

/** A 200 `application/json` chat completion as a Script. */
export function chatCompletionResponse(options: ChatCompletionOptions = {}, headers: Record<string, string> = {}): Script {
  return jsonResponse(200, chatCompletionBody(options), headers, 'chatCompletion');
}
