// Shared by the local-llm tests: a client pointed at the server and a collector that turns the
// SDK's `for await` into plain facts (text, finish reasons, usage, chunk arrival times).
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { performance } from 'node:perf_hooks';
import type { LlmServer } from '../../../src/local-llm';

export function clientFor(server: LlmServer, options: { maxRetries?: number; timeout?: number } = {}): OpenAI {
  return new OpenAI({
    apiKey: 'sk-rill-test',
    baseURL: server.url,
    maxRetries: options.maxRetries ?? 0,
    timeout: options.timeout ?? 5000,
  });
}

export interface Collected {
  text: string;
  refusal: string;
  reasoning: string;
  finishReasons: string[];
  usage: ChatCompletionChunk['usage'] | undefined;
  chunks: ChatCompletionChunk[];
  /** performance.now() when each chunk reached the loop. */
  arrivals: number[];
  error: unknown;
}

/** Iterates a stream to its end, keeping the error (if any) instead of throwing. */
export async function collect(stream: AsyncIterable<ChatCompletionChunk>, stopAfter?: number): Promise<Collected> {
  const out: Collected = {
    text: '',
    refusal: '',
    reasoning: '',
    finishReasons: [],
    usage: undefined,
    chunks: [],
    arrivals: [],
    error: undefined,
  };
  try {
    for await (const chunk of stream) {
      out.chunks.push(chunk);
      out.arrivals.push(performance.now());
      const choice = chunk.choices?.[0];
      const delta = choice?.delta as (ChatCompletionChunk.Choice.Delta & Record<string, unknown>) | undefined;
      if (typeof delta?.content === 'string') out.text += delta.content;
      if (typeof delta?.refusal === 'string') out.refusal += delta.refusal;
      const reasoning = delta?.['reasoning_content'] ?? delta?.['reasoning'];
      if (typeof reasoning === 'string') out.reasoning += reasoning;
      if (choice?.finish_reason) out.finishReasons.push(choice.finish_reason);
      if (chunk.usage) out.usage = chunk.usage;
      if (stopAfter !== undefined && out.chunks.length >= stopAfter) break;
    }
  } catch (error) {
    out.error = error;
  }
  return out;
}

/** A streaming chat request with usage, the way the extension sends it. */
export async function streamChat(
  client: OpenAI,
  options: { signal?: AbortSignal; content?: string } = {},
): Promise<AsyncIterable<ChatCompletionChunk>> {
  return client.chat.completions.create(
    {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: options.content ?? 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    },
    options.signal ? { signal: options.signal } : undefined,
  );
}

