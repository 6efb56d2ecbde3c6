import type { AgentEvent } from '../../protocol/agent-messages';
import type { StreamEvent, StreamOutcome } from '../stream/events';
import { runChat, type ChatRequest, type Endpoint } from '../stream/run-chat';
import type { CallIds } from './call-ids';
import type { AgentOptions } from './types';

/** A tool call as one answer streamed it, with the id the loop gave it. */
export interface StreamedCall {
  id: string;
  name: string;
  argumentsText: string;
}

export interface RoundResult {
  outcome: StreamOutcome;
  text: string;
  calls: StreamedCall[];
}

/**
 * One request to the model, through the engine. Tool calls become steps the moment their name
 * arrives, and their arguments are reported as they grow, so the chat can show a step live instead
 * of a blank wait while a long `rill_create_file` streams. The engine's own assembler
 * (`ToolCallAssembler`, via `outcome.toolCalls`) gives the final calls; this only watches the
 * fragments go by to report them early.
 */
export async function streamRound(
  endpoint: Endpoint,
  request: ChatRequest,
  round: number,
  ids: CallIds,
  options: Pick<AgentOptions, 'signal' | 'onStreamEvent' | 'stream'> & { emit: (event: AgentEvent) => void },
): Promise<RoundResult> {
  const { emit } = options;
  // By the call's `index`: the id given once its name is known, and arguments seen before that.
  const live = new Map<number, { id?: string; serverId?: string; early: string }>();
  let text = '';

  const start = (index: number, serverId: string | undefined, name: string, args: string): string => {
    const id = ids.assign(serverId, round, index);
    emit({ kind: 'stepStarted', step: { id, round, name, arguments: args, state: 'streaming' } });
    return id;
  };

  const onEvent = (event: StreamEvent): void => {
    options.onStreamEvent?.(event, round);
    if (event.kind === 'text' || event.kind === 'refusal') {
      text += event.text;
      emit({ kind: 'text', round, text: event.text });
    } else if (event.kind === 'reasoning') {
      emit({ kind: 'reasoning', round, text: event.text });
    } else if (event.kind === 'toolCall') {
      const entry = live.get(event.index) ?? { early: '' };
      live.set(event.index, entry);
      entry.serverId ??= event.id;
      if (entry.id === undefined && event.name) {
        entry.id = start(event.index, entry.serverId, event.name, entry.early + event.argumentsDelta);
      } else if (entry.id !== undefined && event.argumentsDelta) {
        emit({ kind: 'stepArguments', id: entry.id, delta: event.argumentsDelta });
      } else {
        entry.early += event.argumentsDelta;
      }
    }
  };

  const outcome = await runChat(endpoint, request, {
    signal: options.signal,
    onEvent,
    idleTimeoutMs: options.stream.idleTimeoutMs,
    maxRetries: options.stream.maxRetries,
    ...(options.stream.sleep ? { sleep: options.stream.sleep } : {}),
  });

  // The engine lists calls sorted by index, as this does: the two line up one to one.
  const indices = [...live.keys()].sort((a, b) => a - b);
  const calls = outcome.toolCalls.map((call, position): StreamedCall => {
    const index = indices[position] ?? position;
    const entry = live.get(index);
    // A call whose name never came still gets a step, so its failure is visible.
    const id = entry?.id ?? start(index, call.id || entry?.serverId, call.name, call.arguments);
    return { id, name: call.name, argumentsText: call.arguments };
  });
  return { outcome, text, calls };
}
