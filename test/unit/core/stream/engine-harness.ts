import OpenAI from 'openai';
import type { Endpoint } from '../../../../src/core/stream/run-chat';
import { runChat, type RunOptions } from '../../../../src/core/stream/run-chat';
import type { StreamEvent, StreamOutcome } from '../../../../src/core/stream/events';
import type { LlmServer, Script } from '../../../../src/local-llm';

/** An endpoint on the local server, through the real `openai` SDK. */
export function endpointFor(url: string): Endpoint {
  return { createClient: (fetch) => new OpenAI({ baseURL: url, apiKey: 'sk-rill-test', fetch }) };
}

export interface Run {
  outcome: StreamOutcome;
  events: StreamEvent[];
  text: string;
  reasoning: string;
  retries: Array<Extract<StreamEvent, { kind: 'retrying' }>>;
}

/** Queues `scripts`, runs one chat through the engine and collects everything it reported. */
export async function runScripts(
  server: LlmServer,
  scripts: Script[],
  options: Partial<RunOptions> & { abortAfterText?: number; url?: string } = {},
): Promise<Run> {
  server.enqueue(...scripts);
  const controller = new AbortController();
  const events: StreamEvent[] = [];
  let text = '';
  let reasoning = '';
  const outcome = await runChat(
    endpointFor(options.url ?? server.url),
    { model: 'rill-test', messages: [{ role: 'user', content: 'hi' }] },
    {
      signal: options.signal ?? controller.signal,
      idleTimeoutMs: options.idleTimeoutMs ?? 5000,
      maxRetries: options.maxRetries ?? 2,
      sleep: options.sleep,
      onEvent: (event) => {
        events.push(event);
        if (event.kind === 'text' || event.kind === 'refusal') text += event.text;
        if (event.kind === 'reasoning') reasoning += event.text;
        if (options.abortAfterText !== undefined && text.length >= options.abortAfterText) controller.abort();
      },
    },
  );
  const retries = events.filter((e): e is Extract<StreamEvent, { kind: 'retrying' }> => e.kind === 'retrying');
  return { outcome, events, text, reasoning, retries };
}
