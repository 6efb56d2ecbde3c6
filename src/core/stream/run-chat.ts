import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { TokenUsage } from '../../protocol/messages';
import { IdleWatchdog, observeBytes, type Fetch } from './byte-watch';
import { readChunk, ToolCallAssembler } from './chunk-reader';
import { classifyError } from './classify-error';
import { BodyTail } from './done-marker';
import type { Problem, StreamEvent, StreamOutcome } from './events';
import { retryDelayMs } from './retry-policy';

/** The part of the `openai` client the engine uses. */
export type ChatClient = Pick<OpenAI, 'chat'>;

/** Where requests go. The engine builds a client per attempt around its own byte-watching fetch. */
export interface Endpoint {
  createClient(fetch: Fetch): ChatClient;
  /** The transport underneath (a proxy-aware fetch, say); the global `fetch` by default. */
  fetch?: Fetch;
}

export interface ChatRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
  temperature?: number;
  maxTokens?: number;
  /** OpenAI's newer models take `max_completion_tokens`; most other servers only `max_tokens`. */
  maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
  /** Functions the model may call (agent mode). Omitted from the body when empty: some servers reject `tools: []`. */
  tools?: ChatCompletionFunctionTool[];
}

export interface RunOptions {
  signal: AbortSignal;
  onEvent: (event: StreamEvent) => void;
  /** No bytes for this long ends the request as an error, keeping the text so far. */
  idleTimeoutMs: number;
  /** Further attempts after a retryable failure before the first byte of an answer. */
  maxRetries: number;
  /** For tests: replaces the wait between attempts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Streams one chat completion and reports normalised events; resolves with how it ended, never
 * rejects. The SDK parses SSE and decodes UTF-8; this function adds what the SDK leaves to its
 * caller: a watchdog for servers that stall, retries the user can see, and a distinct end state
 * for each way a stream can stop (the SDK ends the loop silently on a user abort, a clean close
 * without `finish_reason`, and an empty stream).
 */
export async function runChat(endpoint: Endpoint, request: ChatRequest, options: RunOptions): Promise<StreamOutcome> {
  const { signal, onEvent } = options;
  const toolCalls = new ToolCallAssembler();
  let textLength = 0;
  let finishReason: string | undefined;
  let usage: TokenUsage | undefined;
  // What was skipped, once per kind of thing: a server may send the same odd part on every chunk.
  let skipped: Set<string> | undefined;

  const handle = (event: StreamEvent): void => {
    switch (event.kind) {
      case 'text':
      case 'refusal':
        textLength += event.text.length;
        break;
      case 'toolCall':
        toolCalls.add(event);
        break;
      case 'usage':
        usage = event.usage;
        break;
      case 'finish':
        finishReason = event.reason;
        break;
      case 'skipped':
        skipped ??= new Set();
        if (skipped.has(event.what)) return;
        skipped.add(event.what);
        break;
    }
    onEvent(event);
  };
  const end = (state: StreamOutcome['state'], attempts: number, problem?: Problem): StreamOutcome => {
    const outcome: StreamOutcome = { state, textLength, toolCalls: toolCalls.list(), attempts };
    if (finishReason) outcome.finishReason = finishReason;
    if (usage) outcome.usage = usage;
    if (problem) outcome.problem = problem;
    return outcome;
  };

  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) return end('stopped', attempt - 1);
    const abort = new AbortController();
    const stopAttempt = () => abort.abort();
    signal.addEventListener('abort', stopAttempt);
    const watchdog = new IdleWatchdog(options.idleTimeoutMs, stopAttempt);
    let answering = false; // a 2xx response arrived: from here on nothing is retried
    let responded = false;
    let contentType = '';
    const tail = new BodyTail();
    const fetch = observeBytes(
      endpoint.fetch ?? globalThis.fetch,
      (response) => {
        watchdog.touch();
        if (responded) return;
        responded = true;
        answering = response.ok;
        contentType = response.headers.get('content-type') ?? '';
        onEvent({ kind: 'response', status: response.status, requestId: response.headers.get('x-request-id') ?? undefined, attempt });
      },
      (chunk) => tail.push(chunk),
    );
    let failure: unknown;
    let firstChunk = true;
    watchdog.start();
    try {
      const stream = await endpoint.createClient(fetch).chat.completions.create(body(request), {
        signal: abort.signal,
        maxRetries: 0,
        // The watchdog bounds the wait for headers too; the SDK's own timeout would retry silently.
        timeout: options.idleTimeoutMs + 1000,
      });
      for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
        if (firstChunk) {
          firstChunk = false;
          onEvent({ kind: 'firstChunk' });
        }
        readChunk(chunk, handle);
      }
    } catch (error) {
      failure = error;
    } finally {
      watchdog.stop();
      signal.removeEventListener('abort', stopAttempt);
    }

    if (signal.aborted) return end('stopped', attempt);
    if (watchdog.hasFired) {
      return end('error', attempt, { kind: 'idle-timeout', actions: ['retry'], retryable: false, detail: `${Math.round(options.idleTimeoutMs / 1000)}` });
    }
    if (failure !== undefined) {
      const problem = classifyError(failure, answering || textLength > 0);
      if (problem.retryable && !answering && attempt <= options.maxRetries) {
        const delayMs = retryDelayMs(attempt, problem.retryAfterMs);
        onEvent({ kind: 'retrying', attempt, delayMs, problem });
        try {
          await (options.sleep ?? abortableSleep)(delayMs, signal);
        } catch {
          return end('stopped', attempt);
        }
        continue;
      }
      return end('error', attempt, problem);
    }
    const ending = classifyEnd(finishReason, textLength > 0 || toolCalls.list().length > 0, contentType, tail.endedWithDone());
    return end(ending.state, attempt, ending.problem);
  }
}

/**
 * How a stream that closed without an exception ended. `endedWithDone`: the body's last line was
 * `data: [DONE]`, which is how a server says the answer is complete even when it never sends a
 * `finish_reason` (Snowflake Cortex and some gateways); a close without either is a cut.
 */
function classifyEnd(
  finishReason: string | undefined,
  said: boolean,
  contentType: string,
  endedWithDone: boolean,
): { state: StreamOutcome['state']; problem?: Problem } {
  if (finishReason === 'length') return { state: 'truncated', problem: { kind: 'cut-off', actions: ['continue'], retryable: false } };
  if (finishReason === 'content_filter') return { state: 'truncated', problem: { kind: 'content-filter', actions: [], retryable: false } };
  // Never a silent blank answer: llama.cpp's `error:` field and a JSON body both end up here.
  if (!said) {
    const kind = /json/i.test(contentType) ? 'not-streamed' : 'empty';
    return { state: 'error', problem: { kind, actions: ['retry'], retryable: false, detail: contentType || undefined } };
  }
  if (finishReason || endedWithDone) return { state: 'done' };
  return { state: 'truncated', problem: { kind: 'cut-short', actions: ['retry'], retryable: false } };
}

function body(request: ChatRequest): ChatCompletionCreateParamsStreaming {
  const params: ChatCompletionCreateParamsStreaming = {
    model: request.model,
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.maxTokens !== undefined) params[request.maxTokensParam ?? 'max_tokens'] = request.maxTokens;
  if (request.tools && request.tools.length > 0) params.tools = request.tools;
  return params;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
