import type { AgentText, AgentTranscript, OmittedTool, OmittedToolReason, ToolStepState, ToolStepView } from '../../protocol/agent-messages';

const STEP_STATES: readonly ToolStepState[] = ['streaming', 'pending-approval', 'running', 'done', 'denied', 'error', 'stopped'];
const OMITTED: readonly OmittedToolReason[] = ['invalid-name', 'duplicate-name', 'over-limit'];
/** A saved answer with more steps than this was not written by Rill. */
const MAX_STEPS = 10_000;

/**
 * Reads an answer's saved agent steps, checking every field (a session file may be damaged or
 * written by hand). A step that does not check out makes the whole transcript unreadable: the
 * answer's text is kept, its steps are left out, rather than showing steps the model never saw.
 */
export function parseAgentTranscript(value: unknown): AgentTranscript | undefined {
  if (!isObject(value)) return undefined;
  const { rounds, steps, texts } = value;
  if (!isCount(rounds) || !Array.isArray(steps) || !Array.isArray(texts) || steps.length > MAX_STEPS) return undefined;
  const parsedSteps: ToolStepView[] = [];
  for (const step of steps) {
    const parsed = parseStep(step);
    if (!parsed) return undefined;
    parsedSteps.push(parsed);
  }
  const parsedTexts: AgentText[] = [];
  for (const text of texts) {
    if (!isObject(text) || !isCount(text.round) || typeof text.text !== 'string') return undefined;
    parsedTexts.push({ round: text.round, text: text.text });
  }
  const transcript: AgentTranscript = { rounds, steps: parsedSteps, texts: parsedTexts };
  if (value.toolsUnsupported === true) transcript.toolsUnsupported = true;
  if (Array.isArray(value.omittedTools)) {
    const omitted = value.omittedTools.filter(
      (t): t is OmittedTool => isObject(t) && typeof t.name === 'string' && OMITTED.includes(t.reason as OmittedToolReason),
    );
    if (omitted.length) transcript.omittedTools = omitted.map((t) => ({ name: t.name, reason: t.reason }));
  }
  if (Array.isArray(value.compacted)) {
    const compacted = value.compacted.filter((id): id is string => typeof id === 'string');
    if (compacted.length) transcript.compacted = compacted;
  }
  return transcript;
}

function parseStep(value: unknown): ToolStepView | undefined {
  if (!isObject(value)) return undefined;
  const { id, round, name, arguments: args, state } = value;
  if (typeof id !== 'string' || id === '' || !isCount(round) || typeof name !== 'string' || typeof args !== 'string') return undefined;
  if (!STEP_STATES.includes(state as ToolStepState)) return undefined;
  const step: ToolStepView = { id, round, name, arguments: args, state: state as ToolStepState };
  if (typeof value.result === 'string') step.result = value.result;
  if (typeof value.error === 'string') step.error = value.error;
  if (isCount(value.cutChars)) step.cutChars = value.cutChars;
  return step;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
