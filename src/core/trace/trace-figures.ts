import { round1 } from './trace-text';
import type { RequestTrace, TraceAttempt, TraceFigures } from './trace-types';

/** Derived figures: time to first token, streaming time, tokens per second, largest gap. */
export function traceFigures(trace: RequestTrace): TraceFigures {
  const figures: TraceFigures = {};
  const start = trace.userSentAt ?? trace.hostReceivedAt;
  const stream = trace.stream && trace.stream.count > 0 ? trace.stream : undefined;
  const answering = answeringAttempt(trace);
  if (stream) {
    if (start !== undefined) figures.ttftMs = round1(stream.firstAt - start);
    if (answering?.at !== undefined) figures.apiTtftMs = round1(stream.firstAt - answering.at);
    figures.streamMs = round1(stream.lastAt - stream.firstAt);
    if (stream.count > 1) figures.maxGapMs = stream.maxGapMs;
    const usage = trace.end?.usage;
    if (usage && usage.completionTokens > 0) {
      figures.tokens = usage.completionTokens;
      figures.tokensFrom = 'usage';
    } else {
      figures.tokens = stream.count;
      figures.tokensFrom = 'chunks';
    }
    if (figures.streamMs > 0) figures.tokensPerSecond = round1((figures.tokens * 1000) / figures.streamMs);
  }
  if (answering?.at !== undefined && answering.headersAt !== undefined) figures.headersMs = round1(answering.headersAt - answering.at);
  if (start !== undefined && trace.end) figures.totalMs = round1(trace.end.at - start);
  if (start !== undefined && trace.paint?.firstAt !== undefined) figures.firstPaintMs = round1(trace.paint.firstAt - start);
  return figures;
}

/** The attempt that got an answer through (or the last one made). */
export function answeringAttempt(trace: RequestTrace): TraceAttempt | undefined {
  return trace.attempts.find((a) => !a.retry && a.status !== undefined && a.status < 400) ?? trace.attempts[trace.attempts.length - 1];
}

/** Timelines saved with a conversation: enough for most answers, about 10 KB of JSON at most. */
export const SAVED_TIMELINE_RECORDS = 2_000;

/**
 * A trace as a conversation saves it: a timeline longer than SAVED_TIMELINE_RECORDS stays in
 * memory only (the session's recent traces), so that long answers do not multiply the file's size;
 * after a reload their timeline falls back to the first chunks kept in `chunks`.
 */
export function savedTrace(trace: RequestTrace): RequestTrace {
  const timeline = trace.timeline;
  if (!timeline || (timeline.chunkGaps.length <= SAVED_TIMELINE_RECORDS && timeline.postGaps.length <= SAVED_TIMELINE_RECORDS)) return trace;
  const copy = { ...trace };
  delete copy.timeline;
  return copy;
}

/** Keeps the newest `max` traces, oldest first, with `trace` appended. */
export function keepRecentTraces(traces: readonly RequestTrace[] | undefined, trace: RequestTrace, max = 20): RequestTrace[] {
  const list = [...(traces ?? []), trace];
  return list.slice(Math.max(0, list.length - max));
}
