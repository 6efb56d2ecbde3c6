import type { ChatCompletionAssistantMessageParam, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { AgentEvent } from '../../protocol/agent-messages';
import type { TokenUsage } from '../../protocol/messages';
import type { StreamOutcome } from '../stream/events';
import type { Endpoint } from '../stream/run-chat';
import { CallIds } from './call-ids';
import { compactToolResults, DEFAULT_LIMITS } from './results';
import { streamRound, type RoundResult } from './round';
import { runToolCalls, sendableArguments } from './run-tools';
import { StepLog } from './steps';
import { offerTools } from './tool-offer';
import { rejectedForTools } from './tools-unsupported';
import type { AgentOptions, AgentOutcome, AgentRequest, ToolDefinition, ToolRunner } from './types';

/** `rill.agent.maxRounds`' default: a loop that has not answered in 25 requests is probably stuck. */
export const DEFAULT_MAX_ROUNDS = 25;

/**
 * The agent loop: sends the runner's tools with the conversation, streams the answer through the
 * engine, and while the model asks for tools (`finish_reason: "tool_calls"`, or calls with `stop`,
 * as some servers say), runs them, appends the assistant message with its `tool_calls` and one tool
 * message per call, and asks again. Resolves with how it ended, never rejects.
 *
 * Approval is the runner's business (see ToolRunner.approve); the loop only reports the step's
 * states. One AbortSignal stops everything: the request in flight, the tool running (it gets the
 * signal, and is not waited for), and anything after.
 */
export async function runAgent(endpoint: Endpoint, request: AgentRequest, runner: ToolRunner, options: AgentOptions): Promise<AgentOutcome> {
  const { signal } = options;
  const limits = {
    maxResultChars: options.maxResultChars ?? DEFAULT_LIMITS.maxResultChars,
    maxRoundResultChars: options.maxRoundResultChars ?? DEFAULT_LIMITS.maxRoundResultChars,
  };
  const maxRounds = Math.max(1, Math.floor(options.maxRounds ?? DEFAULT_MAX_ROUNDS));
  const conversation: ChatCompletionMessageParam[] = [...request.messages];
  const added: ChatCompletionMessageParam[] = [];
  const ids = new CallIds(request.messages);
  const steps = new StepLog();
  const compacted = new Set<string>();
  const emit = (event: AgentEvent): void => {
    steps.apply(event);
    options.onEvent(event);
  };

  const offer = offerTools(runner.tools());
  if (offer.omitted.length > 0) emit({ kind: 'toolsOmitted', tools: offer.omitted });
  let toolsUnsupported = options.toolsUnsupported === true;
  let usage: TokenUsage | undefined;
  let rounds = 0;
  let text = '';
  let last: StreamOutcome | undefined;

  const finish = (state: AgentOutcome['state'], extra: Partial<AgentOutcome> = {}): AgentOutcome => {
    // Steps that cannot go on now: interrupted by Stop, or cut off with their answer.
    for (const step of steps.unfinished()) {
      const stopped = state === 'stopped';
      emit({
        kind: 'stepState',
        id: step.id,
        state: stopped ? 'stopped' : 'error',
        error: stopped ? 'Stopped before this call was complete.' : 'The answer ended before this call was complete; it was not run.',
      });
    }
    const outcome: AgentOutcome = {
      state,
      rounds,
      steps: steps.list(),
      messages: added,
      text,
      actions: [],
      toolsUnsupported,
      omittedTools: offer.omitted,
      ...extra,
    };
    if (last) outcome.last = last;
    if (usage) outcome.usage = usage;
    return outcome;
  };

  const send = async (round: number, withTools: boolean): Promise<RoundResult> => {
    const tools = withTools ? offer.tools : [];
    const messages = [...conversation];
    if (options.budget) {
      const toolTokens = tools.length > 0 ? options.budget.counter.count(JSON.stringify(tools)) : 0;
      const fresh = compactToolResults(messages, options.budget, toolTokens).filter((id) => !compacted.has(id));
      fresh.forEach((id) => compacted.add(id));
      if (fresh.length > 0) emit({ kind: 'resultsCompacted', ids: fresh });
    }
    emit({ kind: 'roundStarted', round, tools: tools.length });
    return streamRound(endpoint, { ...request, messages, tools }, round, ids, { ...options, emit });
  };

  const first = Math.max(1, Math.floor(options.firstRound ?? 1));
  for (let round = first; ; round++) {
    if (signal.aborted) return finish('stopped');
    rounds = round - first + 1;
    let result = await send(round, !toolsUnsupported && offer.tools.length > 0);
    if (!toolsUnsupported && offer.tools.length > 0 && rejectedForTools(result.outcome)) {
      // Retried once, in the same round; the caller keeps `toolsUnsupported` for the conversation.
      toolsUnsupported = true;
      emit({ kind: 'toolsUnsupported', ...(result.outcome.problem?.detail ? { detail: result.outcome.problem.detail } : {}) });
      result = await send(round, false);
    }
    last = result.outcome;
    text = result.text;
    if (result.outcome.usage) usage = addUsage(usage, result.outcome.usage);
    emit({ kind: 'roundEnded', round, toolCalls: result.calls.length });

    const { state, problem } = result.outcome;
    if (state !== 'done') {
      return finish(state, { actions: problem?.actions ?? [], ...(problem ? { problem } : {}) });
    }
    if (result.calls.length === 0) {
      added.push({ role: 'assistant', content: result.text });
      return finish('done');
    }

    const assistant: ChatCompletionAssistantMessageParam = {
      role: 'assistant',
      content: result.text === '' ? null : result.text,
      tool_calls: result.calls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: sendableArguments(call.argumentsText) },
      })),
    };
    conversation.push(assistant);
    added.push(assistant);
    const byName = toolsUnsupported ? new Map<string, ToolDefinition>() : offer.byName;
    const replies = await runToolCalls(result.calls, { runner, byName, signal, limits, round, emit });
    conversation.push(...replies);
    added.push(...replies);

    if (signal.aborted) return finish('stopped');
    if (rounds >= maxRounds) return finish('round-limit', { actions: ['continue'] });
  }
}

function addUsage(total: TokenUsage | undefined, more: TokenUsage): TokenUsage {
  if (!total) return { ...more };
  return {
    promptTokens: total.promptTokens + more.promptTokens,
    completionTokens: total.completionTokens + more.completionTokens,
    totalTokens: total.totalTokens + more.totalTokens,
  };
}
