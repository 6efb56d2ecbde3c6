// The offline "demo model": what Rill answers when no real provider is configured (npm start) and
// what the test server answers when a test queued nothing. It must never be mistaken for a real
// model, so the reply says what it is in its first line. It is deterministic: the same request
// always gets the same text, which keeps screenshots and end-to-end assertions stable.
import type { Script } from './script';
import { contentText, demoTurn } from './demo-tools';
import { chatCompletionResponse, chatStream, estimateTokens, type ToolCallSpec } from './sse';

/** The model id the demo server lists and answers as. */
export const DEMO_MODEL_ID = 'rill-demo';

/** The fields of a chat request the server looks at; everything else is kept but ignored. */
export interface ChatRequestBody {
  model?: string;
  messages?: unknown[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean | null } | null;
  [key: string]: unknown;
}

const QUOTE_LIMIT = 80;

/** The last user message's text, or '' if there is none. */
export function lastUserMessage(body: ChatRequestBody | undefined): string {
  const messages = body?.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message !== null && typeof message === 'object' && (message as { role?: unknown }).role === 'user') {
      return contentText((message as { content?: unknown }).content);
    }
  }
  return '';
}

/** One line, at most QUOTE_LIMIT characters, so the quote cannot break the markdown around it. */
function briefQuote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(an empty message)';
  const points = Array.from(flat);
  return points.length > QUOTE_LIMIT ? `${points.slice(0, QUOTE_LIMIT).join('')}…` : flat;
}

/** The demo reply in markdown. */
export function demoReplyText(body: ChatRequestBody | undefined): string {
  return [
    "**This is Rill's offline demo model, not a real LLM.** It runs inside Rill and answers by fixed " +
      'rules, so you can try the chat without an account or a network. Ask it to list or read the ' +
      "workspace's files to see agent mode's tool steps.",
    '',
    'You wrote:',
    '',
    `> ${briefQuote(lastUserMessage(body))}`,
    '',
    'To talk to a real model:',
    '',
    '- Choose a provider in the Rill settings (`rill.provider`, `rill.model`) and set its API key.',
    '- Or point `rill.baseUrl` at a local server such as Ollama or LM Studio.',
    '- Press **Stop** while a reply streams to cancel it.',
    '',
    'A small code block, to check how code renders:',
    '',
    '```ts',
    'function greet(name: string): string {',
    '  return `Hello, ${name}!`;',
    '}',
    '```',
    '',
  ].join('\n');
}

/** Rough prompt size in tokens, for the usage chunk. */
function promptTokens(body: ChatRequestBody | undefined): number {
  const text = (body?.messages ?? [])
    .map((message) =>
      message !== null && typeof message === 'object' ? contentText((message as { content?: unknown }).content) : '',
    )
    .join('\n');
  return Math.max(1, estimateTokens(text));
}

export interface DemoScriptOptions {
  /** Pause between streamed chunks (default 15 ms). */
  delayMs?: number;
  /** Characters per chunk (default 4). */
  chunkSize?: number;
  id?: string;
  created?: number;
}

/**
 * The demo answer to `body` as a Script: a stream when `stream: true`, otherwise a JSON completion.
 * In agent mode (Rill's read-only tools offered) it may be a tool call instead (demo-tools.ts).
 */
export function demoScript(body: ChatRequestBody | undefined, options: DemoScriptOptions = {}): Script {
  const turn = demoTurn(body);
  const text = turn ? turn.text : demoReplyText(body);
  // Arguments in small pieces, as real servers stream them, so the step visibly grows.
  const toolCalls: ToolCallSpec[] = turn?.call ? [{ id: turn.call.id, name: turn.call.name, arguments: turn.call.arguments, argumentsChunkSize: 6 }] : [];
  const calls = toolCalls.length > 0 ? { toolCalls } : {};
  const model = typeof body?.model === 'string' && body.model !== '' ? body.model : DEMO_MODEL_ID;
  const identity = {
    model,
    ...(options.id !== undefined ? { id: options.id } : {}),
    ...(options.created !== undefined ? { created: options.created } : {}),
  };
  if (body?.stream !== true) {
    return { ...chatCompletionResponse({ ...identity, text, ...calls, promptTokens: promptTokens(body) }), name: turn?.call ? 'demoToolCall' : 'demo' };
  }
  return chatStream({
    ...identity,
    name: turn?.call ? 'demoToolCall' : 'demo',
    text,
    ...(toolCalls.length > 0 ? { toolCalls, toolCallMode: 'fragmented' as const } : {}),
    chunkSize: options.chunkSize ?? 4,
    delayMs: options.delayMs ?? 15,
    usage: body.stream_options?.include_usage === true,
    promptTokens: promptTokens(body),
  });
}
