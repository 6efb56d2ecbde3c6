import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ToolCallView } from '../../protocol/messages';
import { readContent } from './content-parts';
import type { StreamEvent } from './events';

/** Fields that OpenAI-compatible servers add to `delta` beyond OpenAI's own types. */
interface LooseDelta {
  /** A string on OpenAI; an array of text and thinking parts on Mistral (see content-parts). */
  content?: unknown;
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
  // Groq reports usage in `x_groq.usage` on its last chunk; read it only when `usage` is absent,
  // so a server that sends both (newer Groq does) is not counted twice.
  const usage = chunk.usage ?? (chunk as { x_groq?: { usage?: unknown } }).x_groq?.usage;
  if (usage) readUsage(usage, emit);
  const choices: unknown = chunk.choices;
  if (!Array.isArray(choices)) return;
  for (const choice of choices as ChatCompletionChunk.Choice[]) {
    // Rill asks for one answer (n = 1); another index would be a server's mistake, not ours to show.
    if (!choice || (choice.index ?? 0) !== 0) continue;
    const delta = choice.delta as LooseDelta | undefined;
    if (delta) {
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string' && reasoning) emit({ kind: 'reasoning', text: reasoning });
      readContent(delta.content, emit);
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

/** Token counts, when `usage` has at least the prompt's as a number (nothing else is trusted). */
function readUsage(usage: unknown, emit: (event: StreamEvent) => void): void {
  const u = usage as { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown };
  if (typeof u.prompt_tokens !== 'number') return;
  const completionTokens = typeof u.completion_tokens === 'number' ? u.completion_tokens : 0;
  emit({
    kind: 'usage',
    usage: {
      promptTokens: u.prompt_tokens,
      completionTokens,
      totalTokens: typeof u.total_tokens === 'number' ? u.total_tokens : u.prompt_tokens + completionTokens,
    },
  });
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
