import type { ChatCompletionToolMessageParam } from 'openai/resources/chat/completions';
import type { AgentEvent } from '../../protocol/agent-messages';
import { RoundResultBudget } from './results';
import type { StreamedCall } from './round';
import type { ApprovalDecision, ResultLimits, ToolCall, ToolDefinition, ToolResult, ToolRunner } from './types';

export interface RunToolsContext {
  runner: ToolRunner;
  /** The tools offered this round; a call to any other name is not run. */
  byName: ReadonlyMap<string, ToolDefinition>;
  signal: AbortSignal;
  limits: ResultLimits;
  round: number;
  emit: (event: AgentEvent) => void;
}

const STOPPED = Symbol('stopped');

/**
 * Runs one round's calls, one after another in the model's order (an edit and a read of the same
 * file must not race, and approvals come one at a time), and returns one tool message per call,
 * whatever happened: the model is told about malformed arguments, unknown tools, denials and
 * failures, and goes on. Nothing here throws. After Stop, every call not finished is answered
 * with "stopped", so the conversation stays valid to send again.
 */
export async function runToolCalls(calls: readonly StreamedCall[], context: RunToolsContext): Promise<ChatCompletionToolMessageParam[]> {
  const budget = new RoundResultBudget(context.limits);
  const messages: ChatCompletionToolMessageParam[] = [];
  for (const call of calls) {
    const content = await runOne(call, context, budget);
    messages.push({ role: 'tool', tool_call_id: call.id, content });
  }
  return messages;
}

async function runOne(streamed: StreamedCall, context: RunToolsContext, budget: RoundResultBudget): Promise<string> {
  const { emit, signal } = context;
  const end = (state: 'error' | 'denied' | 'stopped', error: string): string => {
    emit({ kind: 'stepState', id: streamed.id, state, error });
    return state === 'denied' ? error : `Error: ${error}`;
  };
  if (signal.aborted) return end('stopped', 'The user stopped the answer before this call ran; it was not run.');
  if (!context.byName.has(streamed.name)) {
    return end('error', `There is no tool named "${streamed.name}". The call was not run; use one of the tools offered.`);
  }
  const parsed = parseArguments(streamed.argumentsText);
  if (typeof parsed === 'string') return end('error', `${parsed} The tool was not run; call it again with valid arguments.`);
  const call: ToolCall = { id: streamed.id, name: streamed.name, arguments: parsed, argumentsText: streamed.argumentsText, round: context.round };

  let decision: ApprovalDecision | typeof STOPPED;
  try {
    const answer = context.runner.approve?.(call, signal) ?? { allow: true };
    if (isPromise(answer)) emit({ kind: 'stepState', id: call.id, state: 'pending-approval' });
    decision = await untilStopped(Promise.resolve(answer), signal);
  } catch (error) {
    return end('error', `The approval failed: ${messageOf(error)}`);
  }
  if (decision === STOPPED) return end('stopped', 'The user stopped the answer while this call waited for approval; it was not run.');
  if (!decision.allow) return end('denied', denial(decision.reason));

  emit({ kind: 'stepState', id: call.id, state: 'running' });
  let result: ToolResult | typeof STOPPED;
  try {
    result = await untilStopped(context.runner.run(call, signal), signal);
  } catch (error) {
    return end('error', `The tool failed: ${messageOf(error)}`);
  }
  if (result === STOPPED) return end('stopped', 'The user stopped this call before it finished.');
  if (result.status === 'denied') return end('denied', denial(result.reason));
  // A tool's error text is as untrusted as its output: capped the same way.
  if (result.status === 'error') return end('error', budget.take(result.message || 'The tool failed without saying why.').content);
  const { content, cutChars } = budget.take(typeof result.content === 'string' ? result.content : String(result.content));
  emit({ kind: 'stepState', id: call.id, state: 'done', result: content, ...(cutChars > 0 ? { cutChars } : {}) });
  return content;
}

function denial(reason: string | undefined): string {
  return `The user denied this call${reason ? `: ${reason}` : ''}. It was not run; do not try it again unchanged.`;
}

/**
 * A call's arguments as the conversation sends them back to the model. Servers that parse them
 * (Ollama, templates of vLLM and llama.cpp) refuse a whole request holding malformed JSON, so a
 * call cut off mid-arguments (Stop, a dropped stream) or malformed by the model goes back as `{}`;
 * its tool message says what was wrong, so nothing is hidden from the model.
 */
export function sendableArguments(text: string): string {
  return text.trim() === '' || typeof parseArguments(text) === 'string' ? '{}' : text;
}

/** The arguments as an object, or why they are not one. Empty text is no arguments (some servers send that). */
export function parseArguments(text: string): Record<string, unknown> | string {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `The arguments were not valid JSON (${messageOf(error)}).`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'The arguments must be a JSON object.';
  return value as Record<string, unknown>;
}

/**
 * Settles with the promise, or with STOPPED as soon as the signal aborts: Stop must not wait for a
 * tool that ignores its signal. A late rejection of the abandoned promise is swallowed.
 */
function untilStopped<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof STOPPED> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(STOPPED);
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(STOPPED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(signal.aborted ? STOPPED : value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) resolve(STOPPED);
        else reject(error);
      },
    );
  });
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
