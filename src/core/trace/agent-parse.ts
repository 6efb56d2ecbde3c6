import { isCount, isNumber, isObject, isString } from './guards';
import { clip, NAME_CHARS, STEP_ERROR_CHARS } from './trace-text';
import {
  CHUNK_KINDS,
  MAX_TRACE_ROUNDS,
  MAX_TRACE_STEPS,
  STEP_STATES,
  TOOL_SOURCE_KINDS,
  type ChunkKind,
  type TraceAgent,
  type TraceRound,
  type TraceRoundStream,
  type TraceStep,
  type TraceToolSource,
} from './trace-types';

/**
 * Reads a saved trace's agent part strictly: any field of the wrong type, a state or source not in
 * the closed lists, or rounds pointing outside the trace's `attempts` (or out of order) rejects it.
 * Counts are bounded like the recorder's: beyond MAX_TRACE_ROUNDS rounds and MAX_TRACE_STEPS steps
 * the rest are dropped and counted. Texts are clipped to the recorder's lengths.
 */
export function parseAgentTrace(value: unknown, attemptCount: number): TraceAgent | undefined {
  if (!isObject(value) || !Array.isArray(value.rounds) || !Array.isArray(value.steps)) return undefined;
  if (!optional(value.droppedRounds, isCount) || !optional(value.droppedSteps, isCount) || !optional(value.omittedTools, isCount)) return undefined;
  const agent: TraceAgent = { rounds: [], steps: [] };
  let nextAttempt = 0;
  for (const item of value.rounds.slice(0, MAX_TRACE_ROUNDS)) {
    const round = parseRound(item);
    // A round's attempts follow the previous round's, inside the trace's own list.
    if (!round || round.firstAttempt < nextAttempt || round.firstAttempt + round.attempts > attemptCount) return undefined;
    nextAttempt = round.firstAttempt + round.attempts;
    agent.rounds.push(round);
  }
  for (const item of value.steps.slice(0, MAX_TRACE_STEPS)) {
    const step = parseStep(item);
    if (!step) return undefined;
    agent.steps.push(step);
  }
  if (value.tools !== undefined) {
    if (!Array.isArray(value.tools)) return undefined;
    const tools: TraceToolSource[] = [];
    // Only called tools are saved, so there are never more than steps.
    for (const item of value.tools.slice(0, MAX_TRACE_STEPS)) {
      const tool = parseSource(item);
      if (!tool) return undefined;
      tools.push(tool);
    }
    if (tools.length) agent.tools = tools;
  }
  if (value.omittedTools) agent.omittedTools = value.omittedTools;
  const droppedRounds = (value.droppedRounds ?? 0) + Math.max(0, value.rounds.length - MAX_TRACE_ROUNDS);
  const droppedSteps = (value.droppedSteps ?? 0) + Math.max(0, value.steps.length - MAX_TRACE_STEPS);
  if (droppedRounds) agent.droppedRounds = droppedRounds;
  if (droppedSteps) agent.droppedSteps = droppedSteps;
  return agent;
}

function parseRound(r: unknown): TraceRound | undefined {
  if (!isObject(r) || !isRound(r.round) || !isNumber(r.at) || !isCount(r.toolsOffered) || !isCount(r.firstAttempt) || !isCount(r.attempts)) return undefined;
  if (!optional(r.endAt, isNumber) || !optional(r.firstChunkAt, isNumber) || !optional(r.finishReason, isString)) return undefined;
  if (!optional(r.toolCalls, isCount) || !optional(r.completionTokens, isCount) || !optional(r.compactedResults, isCount)) return undefined;
  const round: TraceRound = { round: r.round, at: r.at, toolsOffered: r.toolsOffered, firstAttempt: r.firstAttempt, attempts: r.attempts };
  if (r.endAt !== undefined) round.endAt = r.endAt;
  if (r.toolsRefused !== undefined) {
    const refused = r.toolsRefused;
    if (!isObject(refused) || !optional(refused.detail, isString)) return undefined;
    round.toolsRefused = refused.detail !== undefined ? { detail: clip(refused.detail, STEP_ERROR_CHARS) } : {};
  }
  if (r.toolCalls !== undefined) round.toolCalls = r.toolCalls;
  if (r.finishReason !== undefined) round.finishReason = clip(r.finishReason, 40);
  if (r.completionTokens !== undefined) round.completionTokens = r.completionTokens;
  if (r.compactedResults) round.compactedResults = r.compactedResults;
  if (r.firstChunkAt !== undefined) round.firstChunkAt = r.firstChunkAt;
  if (r.stream !== undefined) {
    const stream = parseRoundStream(r.stream);
    if (!stream) return undefined;
    round.stream = stream;
  }
  return round;
}

function parseRoundStream(s: unknown): TraceRoundStream | undefined {
  if (!isObject(s) || !isNumber(s.firstAt) || !isNumber(s.lastAt) || !isCount(s.count) || !isCount(s.chars) || !isObject(s.kinds)) return undefined;
  const kinds: Partial<Record<ChunkKind, number>> = {};
  for (const [kind, count] of Object.entries(s.kinds)) {
    if (!CHUNK_KINDS.includes(kind as ChunkKind) || !isCount(count)) return undefined;
    kinds[kind as ChunkKind] = count;
  }
  return { firstAt: s.firstAt, lastAt: s.lastAt, count: s.count, chars: s.chars, kinds };
}

function parseStep(s: unknown): TraceStep | undefined {
  if (!isObject(s) || !isRound(s.round) || !isString(s.name) || !isCount(s.argsChars) || !isNumber(s.at)) return undefined;
  if (!isString(s.state) || !(STEP_STATES as readonly string[]).includes(s.state)) return undefined;
  if (!optional(s.approvalAt, isNumber) || !optional(s.runAt, isNumber) || !optional(s.endAt, isNumber)) return undefined;
  if (!optional(s.resultChars, isCount) || !optional(s.cutChars, isCount) || !optional(s.error, isString)) return undefined;
  const step: TraceStep = { round: s.round, name: clip(s.name, NAME_CHARS), argsChars: s.argsChars, at: s.at, state: s.state as TraceStep['state'] };
  if (s.approvalAt !== undefined) step.approvalAt = s.approvalAt;
  if (s.runAt !== undefined) step.runAt = s.runAt;
  if (s.endAt !== undefined) step.endAt = s.endAt;
  if (s.resultChars !== undefined) step.resultChars = s.resultChars;
  if (s.cutChars) step.cutChars = s.cutChars;
  if (s.error !== undefined) step.error = clip(s.error, STEP_ERROR_CHARS);
  return step;
}

function parseSource(t: unknown): TraceToolSource | undefined {
  if (!isObject(t) || !isString(t.name) || !isString(t.source) || !(TOOL_SOURCE_KINDS as readonly string[]).includes(t.source)) return undefined;
  if (!optional(t.server, isString) || !optional(t.tool, isString)) return undefined;
  const tool: TraceToolSource = { name: clip(t.name, NAME_CHARS), source: t.source as TraceToolSource['source'] };
  if (t.server !== undefined) tool.server = clip(t.server, NAME_CHARS);
  if (t.tool !== undefined) tool.tool = clip(t.tool, NAME_CHARS);
  return tool;
}

function isRound(value: unknown): value is number {
  return isCount(value) && value >= 1;
}

function optional<T>(value: unknown, check: (v: unknown) => v is T): value is T | undefined {
  return value === undefined || check(value);
}
