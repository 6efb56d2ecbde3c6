import { parseAgentTrace } from './agent-parse';
import { MAX_TIMELINE_RECORDS } from './stream-log';
import { isNumber, isObject, isString } from './guards';
import {
  BATCH_KINDS,
  CHUNK_KINDS,
  END_STATES,
  type BatchKind,
  type ChunkKind,
  type RequestTrace,
  type TraceAttempt,
  type TraceBatch,
  type TraceChunk,
  type TraceEnd,
  type TraceStream,
  type TraceTool,
} from './trace-types';

/**
 * Reads a saved trace, checking every field it will draw: files can be damaged or edited by hand.
 * Returns `undefined` when the value is not a trace; malformed optional parts are dropped.
 */
export function parseRequestTrace(value: unknown): RequestTrace | undefined {
  if (!isObject(value) || value.v !== 1 || !isNumber(value.startedAt) || !Array.isArray(value.attempts)) return undefined;
  const trace: RequestTrace = { v: 1, startedAt: value.startedAt, trigger: isString(value.trigger) ? value.trigger : 'send', attempts: [] };
  if (isString(value.messageId)) trace.messageId = value.messageId;
  if (isNumber(value.userSentAt)) trace.userSentAt = value.userSentAt;
  if (isNumber(value.hostReceivedAt)) trace.hostReceivedAt = value.hostReceivedAt;
  const r = value.request;
  if (isObject(r) && isNumber(r.at) && isNumber(r.messageCount) && isNumber(r.promptTokens) && isString(r.model) && isString(r.provider)) {
    trace.request = { at: r.at, messageCount: r.messageCount, promptTokens: r.promptTokens, model: r.model, provider: r.provider };
    if (r.exact === false) trace.request.exact = false;
    if (isNumber(r.droppedTurns)) trace.request.droppedTurns = r.droppedTurns;
  }
  for (const a of value.attempts) {
    if (!isObject(a) || !isNumber(a.attempt) || !isString(a.method) || !isString(a.host) || !isString(a.path) || !isString(a.sdkCall)) return undefined;
    const attempt: TraceAttempt = { attempt: a.attempt, method: a.method, host: a.host, path: a.path, sdkCall: a.sdkCall };
    if (isNumber(a.at)) attempt.at = a.at;
    if (isNumber(a.headersAt)) attempt.headersAt = a.headersAt;
    if (isNumber(a.status)) attempt.status = a.status;
    if (isString(a.requestId)) attempt.requestId = a.requestId;
    const retry = a.retry;
    if (isObject(retry) && isNumber(retry.at) && isNumber(retry.delayMs) && isString(retry.reason)) {
      attempt.retry = { at: retry.at, delayMs: retry.delayMs, reason: retry.reason };
      if (isNumber(retry.status)) attempt.retry.status = retry.status;
    }
    trace.attempts.push(attempt);
  }
  const s = value.stream;
  if (isObject(s) && isNumber(s.firstAt) && isNumber(s.lastAt) && isNumber(s.count) && isNumber(s.chars) && isNumber(s.maxGapMs) && isNumber(s.maxGapAt)) {
    const stream: TraceStream = { firstAt: s.firstAt, lastAt: s.lastAt, count: s.count, chars: s.chars, maxGapMs: s.maxGapMs, maxGapAt: s.maxGapAt, phases: {} };
    if (isNumber(s.firstChunkAt)) stream.firstChunkAt = s.firstChunkAt;
    if (isNumber(s.bytes)) stream.bytes = s.bytes;
    if (isObject(s.phases)) {
      for (const kind of CHUNK_KINDS) {
        const p = s.phases[kind];
        if (isObject(p) && isNumber(p.count) && isNumber(p.chars) && isNumber(p.firstAt) && isNumber(p.lastAt)) {
          stream.phases[kind] = { count: p.count, chars: p.chars, firstAt: p.firstAt, lastAt: p.lastAt };
        }
      }
    }
    trace.stream = stream;
  }
  if (Array.isArray(value.chunks)) {
    const chunks = value.chunks.filter(
      (c): c is TraceChunk => Array.isArray(c) && isNumber(c[0]) && isNumber(c[1]) && CHUNK_KINDS.includes(c[2] as ChunkKind),
    );
    if (chunks.length) trace.chunks = chunks.map((c) => [c[0], c[1], c[2]]);
  }
  const b = value.batches;
  if (isObject(b) && isNumber(b.count) && isNumber(b.chars) && isNumber(b.firstAt) && isNumber(b.lastAt)) {
    const byKind: Partial<Record<BatchKind, number>> = {};
    if (isObject(b.byKind)) for (const kind of BATCH_KINDS) if (isNumber(b.byKind[kind])) byKind[kind] = b.byKind[kind];
    const log = Array.isArray(b.log)
      ? b.log.filter((e): e is TraceBatch => Array.isArray(e) && isNumber(e[0]) && isNumber(e[1]) && BATCH_KINDS.includes(e[2] as BatchKind)).map((e): TraceBatch => [e[0], e[1], e[2]])
      : [];
    trace.batches = { count: b.count, chars: b.chars, firstAt: b.firstAt, lastAt: b.lastAt, byKind, log };
  }
  if (isObject(value.paint)) {
    trace.paint = {};
    if (isNumber(value.paint.firstAt)) trace.paint.firstAt = value.paint.firstAt;
    if (isNumber(value.paint.lastAt)) trace.paint.lastAt = value.paint.lastAt;
  }
  const l = value.timeline;
  if (isObject(l)) {
    const ints = (v: unknown): number[] | undefined => (Array.isArray(v) && v.length <= MAX_TIMELINE_RECORDS && v.every((n) => Number.isInteger(n) && (n as number) >= 0) ? (v as number[]) : undefined);
    const [chunkGaps, chunkChars, postGaps, postChars] = [ints(l.chunkGaps), ints(l.chunkChars), ints(l.postGaps), ints(l.postChars)];
    // A log whose two halves disagree cannot be drawn: the timeline is dropped, the rest is kept.
    if (chunkGaps && chunkChars && postGaps && postChars && chunkGaps.length === chunkChars.length && postGaps.length === postChars.length) {
      trace.timeline = { chunkGaps: [...chunkGaps], chunkChars: [...chunkChars], postGaps: [...postGaps], postChars: [...postChars] };
      const [paintGaps, paintChars] = [ints(l.paintGaps), ints(l.paintChars)];
      if (paintGaps && paintChars && paintGaps.length === paintChars.length) {
        trace.timeline.paintGaps = [...paintGaps];
        trace.timeline.paintChars = [...paintChars];
      }
    }
  }
  if (isNumber(value.stopAt)) trace.stopAt = value.stopAt;
  if (Array.isArray(value.tools)) {
    const tools = value.tools.filter((t): t is TraceTool => isObject(t) && isString(t.name) && isNumber(t.argsChars));
    if (tools.length) trace.tools = tools.map((t) => ({ name: t.name, argsChars: t.argsChars }));
  }
  if (value.agent !== undefined) {
    // Unlike the other optional parts, damaged agent data drops the whole trace: its rounds point
    // into `attempts`, and a half-kept loop would draw a request that never happened.
    const agent = parseAgentTrace(value.agent, trace.attempts.length);
    if (!agent) return undefined;
    trace.agent = agent;
  }
  const e = value.end;
  const states: readonly string[] = END_STATES;
  if (isObject(e) && isNumber(e.at) && isString(e.state) && states.includes(e.state) && isNumber(e.textLength) && isNumber(e.attempts)) {
    const end: TraceEnd = { at: e.at, state: e.state as TraceEnd['state'], textLength: e.textLength, attempts: e.attempts };
    if (isString(e.finishReason)) end.finishReason = e.finishReason;
    const u = e.usage;
    if (isObject(u) && isNumber(u.promptTokens) && isNumber(u.completionTokens) && isNumber(u.totalTokens)) {
      end.usage = { promptTokens: u.promptTokens, completionTokens: u.completionTokens, totalTokens: u.totalTokens };
    }
    const p = e.problem;
    if (isObject(p) && isString(p.kind)) {
      end.problem = { kind: p.kind };
      if (isNumber(p.status)) end.problem.status = p.status;
      if (isString(p.requestId)) end.problem.requestId = p.requestId;
      if (isString(p.detail)) end.problem.detail = p.detail;
    }
    trace.end = end;
  }
  return trace;
}
