import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { runAgent } from '../../../../src/core/agent';
import type { AgentOptions, AgentOutcome, ApprovalDecision, ToolCall, ToolDefinition, ToolResult, ToolRunner } from '../../../../src/core/agent';
import type { AgentEvent, ToolStepState } from '../../../../src/protocol/agent-messages';
import type { LlmServer, RecordedRequest, Script } from '../../../../src/local-llm';
import { endpointFor } from '../stream/engine-harness';

export type Handler = (call: ToolCall, signal: AbortSignal) => ToolResult | Promise<ToolResult>;

/**
 * A tool runner for tests: the tools it offers and what each does. It is the loop's own interface,
 * not the SDK, that is scripted here; the model's side always goes through the real server.
 */
export class ScriptedRunner implements ToolRunner {
  readonly calls: ToolCall[] = [];
  readonly signals: AbortSignal[] = [];
  approve?: (call: ToolCall, signal: AbortSignal) => ApprovalDecision | Promise<ApprovalDecision>;

  constructor(
    private readonly definitions: ToolDefinition[],
    private readonly handlers: Record<string, Handler> = {},
  ) {}

  tools(): readonly ToolDefinition[] {
    return this.definitions;
  }

  async run(call: ToolCall, signal: AbortSignal): Promise<ToolResult> {
    this.calls.push(call);
    this.signals.push(signal);
    const handler = this.handlers[call.name];
    if (!handler) return { status: 'ok', content: `result of ${call.name} ${JSON.stringify(call.arguments)}` };
    return handler(call, signal);
  }
}

export const WEATHER: ToolDefinition = {
  name: 'get_weather',
  description: 'The weather at a place',
  parameters: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string' } }, required: ['location'] },
};
export const TIME: ToolDefinition = { name: 'get_time', description: 'The time in a timezone', parameters: { type: 'object', properties: { timezone: { type: 'string' } } } };

export interface LoopRun {
  outcome: AgentOutcome;
  events: AgentEvent[];
  /** The chat requests this run sent, as the server received them. */
  requests: RecordedRequest[];
  ms: number;
}

/** Queues `scripts`, runs the loop against the local server through the real SDK, and collects it all. */
export async function runLoop(
  server: LlmServer,
  scripts: Script[],
  runner: ToolRunner,
  options: Omit<Partial<AgentOptions>, 'onEvent'> & {
    messages?: ChatCompletionMessageParam[];
    /** Called on every event with the controller behind the signal (to press Stop). */
    onEvent?: (event: AgentEvent, controller: AbortController) => void;
  } = {},
): Promise<LoopRun> {
  server.enqueue(...scripts);
  const first = server.requests.length;
  const controller = new AbortController();
  const events: AgentEvent[] = [];
  const started = performance.now();
  const { onEvent, messages, ...rest } = options;
  const outcome = await runAgent(
    endpointFor(server.url),
    { model: 'rill-test', messages: messages ?? [{ role: 'user', content: 'What is the weather in Paris?' }] },
    runner,
    {
      ...rest,
      signal: options.signal ?? controller.signal,
      stream: options.stream ?? { idleTimeoutMs: 5000, maxRetries: 0 },
      onEvent: (event) => {
        events.push(event);
        onEvent?.(event, controller);
      },
    },
  );
  const ms = performance.now() - started;
  // Let the server record the close of the last response before the test reads the bodies.
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { outcome, events, requests: server.requests.slice(first), ms };
}

/** The messages of a recorded request, typed loosely for assertions. */
export function messagesOf(request: RecordedRequest | undefined): Array<Record<string, unknown>> {
  return (request?.body.messages ?? []) as Array<Record<string, unknown>>;
}

/** The states each step went through, by step id, in order. */
export function stateTrail(events: readonly AgentEvent[]): Map<string, ToolStepState[]> {
  const trail = new Map<string, ToolStepState[]>();
  for (const event of events) {
    if (event.kind === 'stepStarted') trail.set(event.step.id, [event.step.state]);
    if (event.kind === 'stepState') trail.get(event.id)?.push(event.state);
  }
  return trail;
}

/** The tool messages of a request, as `{tool_call_id, content}`. */
export function toolMessages(request: RecordedRequest | undefined): Array<{ tool_call_id: string; content: string }> {
  return messagesOf(request)
    .filter((m) => m['role'] === 'tool')
    .map((m) => ({ tool_call_id: String(m['tool_call_id']), content: String(m['content']) }));
}
