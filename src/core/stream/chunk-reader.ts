import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ToolCallView } from '../../protocol/messages';
import type { StreamEvent } from './events';

/** Fields that OpenAI-compatible servers add to `delta` beyond OpenAI's own types. */
interface LooseDelta {
  content?: string | null;
  refusal?: string | null;
  /** DeepSeek, llama.cpp, older vLLM. */
  reasoning_content?: string | null;
  /** Ollama, vLLM, OpenRouter. */
  reasoning?: string | null;
  tool_calls?: Array<{
    index?: number;
    id?: string;
    function?: { name?: string; arguments?: string };
  }>;
}

/**
 * Turns one chunk object from the SDK into events. Every field is optional here, whatever the
 * types say: Azure sends choices without `delta` (filter annotations) and a first chunk with no
 * choices, usage chunks have `choices: []`, and some SDK versions pass an error event through as
 * a chunk without `choices`.
 */
export function readChunk(chunk: ChatCompletionChunk, emit: (event: StreamEvent) => void): void {
  const usage = chunk.usage;
  if (usage && typeof usage.prompt_tokens === 'number') {
    emit({
      kind: 'usage',
      usage: {
        promptTokens: usage.prompt_tokens,
        completionTokens: usage.completion_tokens ?? 0,
        totalTokens: usage.total_tokens ?? usage.prompt_tokens + (usage.completion_tokens ?? 0),
      },
    });
  }
  const choices: unknown = chunk.choices;
  if (!Array.isArray(choices)) return;
  for (const choice of choices as ChatCompletionChunk.Choice[]) {
    // Rill asks for one answer (n = 1); another index would be a server's mistake, not ours to show.
    if (!choice || (choice.index ?? 0) !== 0) continue;
    const delta = choice.delta as LooseDelta | undefined;
    if (delta) {
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string' && reasoning) emit({ kind: 'reasoning', text: reasoning });
      if (typeof delta.content === 'string' && delta.content) emit({ kind: 'text', text: delta.content });
      if (typeof delta.refusal === 'string' && delta.refusal) emit({ kind: 'refusal', text: delta.refusal });
      if (Array.isArray(delta.tool_calls)) {
        delta.tool_calls.forEach((call, position) => {
          emit({
            kind: 'toolCall',
            // `index` is required by OpenAI; a server that omits it sends whole calls, in order.
            index: typeof call.index === 'number' ? call.index : position,
            id: call.id,
            name: call.function?.name,
            argumentsDelta: call.function?.arguments ?? '',
          });
        });
      }
    }
    if (choice.finish_reason) emit({ kind: 'finish', reason: choice.finish_reason });
  }
}

/** Reassembles streamed tool-call fragments by their `index`. */
export class ToolCallAssembler {
  private readonly calls = new Map<number, ToolCallView>();

  add(event: Extract<StreamEvent, { kind: 'toolCall' }>): void {
    const call = this.calls.get(event.index) ?? { id: '', name: '', arguments: '' };
    if (event.id) call.id = event.id;
    // The name comes with the first fragment; some servers repeat it on every one.
    if (event.name && !call.name) call.name = event.name;
    call.arguments += event.argumentsDelta;
    this.calls.set(event.index, call);
  }

  list(): ToolCallView[] {
    return [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => ({ ...call }));
  }
}
