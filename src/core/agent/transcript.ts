import type { ChatCompletionAssistantMessageParam, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { AgentEvent, AgentTranscript, ToolStepState, ToolStepView } from '../../protocol/agent-messages';
import { sendableArguments } from './run-tools';
import { StepLog } from './steps';

const FINAL: ReadonlySet<ToolStepState> = new Set(['done', 'denied', 'error', 'stopped']);

/** What a step that was cut short by a reload or a crash says, and what the model is told. */
export const INTERRUPTED =
  'Interrupted: VS Code closed or reloaded before this call finished. It was not run again; ask again if it is still needed.';

/**
 * An answer's agent transcript, kept as the loop's events arrive, on the host: what is saved with
 * the conversation mid-loop and sent in snapshots. The round's streaming text is the message's own
 * text; when a call follows it, it becomes the round's intermediate text here (`settle`).
 */
export class TranscriptBuilder {
  private readonly log = new StepLog();
  private readonly value: AgentTranscript;

  constructor(from?: AgentTranscript) {
    this.value = from ? structuredClone(from) : { rounds: 0, steps: [], texts: [] };
    for (const step of this.value.steps) this.log.apply({ kind: 'stepStarted', step });
  }

  /** Applies one event; answers true when the round's streamed text just became intermediate. */
  apply(event: AgentEvent): boolean {
    this.log.apply(event);
    switch (event.kind) {
      case 'roundStarted':
        this.value.rounds = Math.max(this.value.rounds, event.round);
        return false;
      case 'stepStarted':
        return true;
      case 'toolsUnsupported':
        this.value.toolsUnsupported = true;
        return false;
      case 'toolsOmitted':
        this.value.omittedTools = event.tools;
        return false;
      case 'resultsCompacted':
        this.value.compacted = [...(this.value.compacted ?? []), ...event.ids];
        return false;
      default:
        return false;
    }
  }

  /** The round's text so far was intermediate: it is kept apart from the answer. */
  settle(round: number, text: string): void {
    if (text.trim() === '') return;
    const existing = this.value.texts.find((t) => t.round === round);
    if (existing) existing.text += text;
    else this.value.texts.push({ round, text });
  }

  get empty(): boolean {
    return this.value.rounds === 0 && this.log.list().length === 0;
  }

  snapshot(): AgentTranscript {
    return { ...structuredClone(this.value), steps: this.log.list() };
  }
}

/**
 * A saved transcript loaded after a reload or crash: steps that had not ended are marked
 * interrupted (shown as stopped), never run again by themselves.
 */
export function markInterrupted(transcript: AgentTranscript): AgentTranscript {
  if (transcript.steps.every((step) => FINAL.has(step.state))) return transcript;
  return {
    ...transcript,
    steps: transcript.steps.map((step) => (FINAL.has(step.state) ? step : { ...step, state: 'stopped', error: INTERRUPTED })),
  };
}

/** The events that draw a saved transcript again (a snapshot, a reloaded webview). */
export function replayEvents(transcript: AgentTranscript): AgentEvent[] {
  const events: AgentEvent[] = [];
  for (let round = 1; round <= transcript.rounds; round++) {
    const text = transcript.texts.find((t) => t.round === round)?.text;
    if (text) events.push({ kind: 'text', round, text });
    const steps = transcript.steps.filter((step) => step.round === round);
    for (const step of steps) {
      const { result, error, cutChars, state, ...rest } = step;
      events.push({ kind: 'stepStarted', step: { ...rest, state: 'streaming' } });
      if (state !== 'streaming') {
        events.push({ kind: 'stepState', id: step.id, state, ...(result !== undefined ? { result } : {}), ...(error !== undefined ? { error } : {}), ...(cutChars !== undefined ? { cutChars } : {}) });
      }
    }
    if (steps.length > 0) events.push({ kind: 'roundEnded', round, toolCalls: steps.length });
  }
  if (transcript.toolsUnsupported) events.push({ kind: 'toolsUnsupported' });
  if (transcript.compacted?.length) events.push({ kind: 'resultsCompacted', ids: transcript.compacted });
  return events;
}

/**
 * The assistant and tool messages of the rounds that asked for tools, as the model saw them: each
 * call with the text its tool message carried (the loop's rule: a result as it is, an error or a
 * stop as "Error: ...", a denial as it is). Steps that never ended are answered as interrupted,
 * so what is sent again is always a valid conversation.
 */
export function toolMessages(transcript: AgentTranscript): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  for (let round = 1; round <= transcript.rounds; round++) {
    const steps = transcript.steps.filter((step) => step.round === round);
    if (steps.length === 0) continue;
    const text = transcript.texts.find((t) => t.round === round)?.text ?? '';
    const assistant: ChatCompletionAssistantMessageParam = {
      role: 'assistant',
      content: text === '' ? null : text,
      tool_calls: steps.map((step) => ({ id: step.id, type: 'function', function: { name: step.name, arguments: sendableArguments(step.arguments) } })),
    };
    out.push(assistant);
    for (const step of steps) out.push({ role: 'tool', tool_call_id: step.id, content: sentContent(step) });
  }
  return out;
}

function sentContent(step: ToolStepView): string {
  switch (step.state) {
    case 'done':
      return step.result ?? '';
    case 'denied':
      return step.error ?? 'The user denied this call.';
    case 'error':
    case 'stopped':
      return `Error: ${step.error ?? 'The call did not complete.'}`;
    default:
      return `Error: ${INTERRUPTED}`;
  }
}
