import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { StreamEvent, StreamOutcome } from './stream-events';
import { describeError } from './errors';

/** The part of the `openai` client the engine uses; tests and the extension pass a real client. */
export type ChatClient = Pick<OpenAI, 'chat'>;

export interface ChatRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
}

export interface StreamOptions {
  signal: AbortSignal;
  onEvent: (event: StreamEvent) => void;
}

/**
 * Streams one chat completion through the SDK and reports normalised events.
 *
 * The SDK parses SSE and decodes UTF-8 across packets; this function only reads its chunk objects,
 * guarding every optional field (Azure and usage chunks come without `choices[0]` or `delta`), and
 * classifies the end: the SDK lets a user abort, a clean close without `finish_reason` and an empty
 * stream all end the loop silently, and each must reach the user as a distinct, visible state.
 */
export async function streamChat(
  client: ChatClient,
  request: ChatRequest,
  { signal, onEvent }: StreamOptions,
): Promise<StreamOutcome> {
  let textLength = 0;
  let finishReason: string | undefined;
  let usage: StreamOutcome['usage'];
  try {
    const stream = await client.chat.completions.create(
      {
        model: request.model,
        messages: request.messages,
        stream: true,
        stream_options: { include_usage: true },
      },
      { signal },
    );
    for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
      if (chunk.usage) {
        usage = {
          promptTokens: chunk.usage.prompt_tokens,
          completionTokens: chunk.usage.completion_tokens,
          totalTokens: chunk.usage.total_tokens,
        };
        onEvent({ kind: 'usage', usage });
      }
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta as ChatCompletionChunk.Choice.Delta | undefined;
      const text = (delta?.content ?? '') + (delta?.refusal ?? '');
      if (text) {
        textLength += text.length;
        onEvent({ kind: 'text', text });
      }
      if (choice.finish_reason) {
        finishReason = choice.finish_reason;
        onEvent({ kind: 'finish', reason: finishReason });
      }
    }
  } catch (error) {
    if (signal.aborted) return { state: 'stopped', textLength, usage };
    return { state: 'error', error: describeError(error), textLength, usage };
  }
  if (signal.aborted) return { state: 'stopped', textLength, usage, finishReason };
  if (finishReason) return { state: 'done', finishReason, usage, textLength };
  if (textLength === 0) {
    return { state: 'error', error: 'The server ended the response without sending an answer.', textLength, usage };
  }
  return {
    state: 'truncated',
    error: 'The answer was cut short: the server closed the stream before it finished.',
    textLength,
    usage,
  };
}
