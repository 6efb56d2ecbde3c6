import type { TraceLabels } from './labels';
import { Diagram, formatBytes, formatCount, formatMs, formatRate, HOST_POST, KIND_ORDER, NAME_CHARS, postCall, SDK_DONE, SDK_STREAM_CHUNK, STATUS_TEXT, WIRE, DEFAULT_PATH, type Part } from './mermaid-text';
import { clip } from './trace-text';
import type { RequestTrace, TraceAttempt, TraceBatch, TraceChunk, TraceFigures } from './trace-types';

/** The hops of one request to the model, drawn the same way in a plain trace and in each agent round. */

/** A label with its time: `text · at 12 ms`. */
export type At = (text: string, t: number | undefined) => string;
/** A label with its time span: `text · at 12 ms – 80 ms`. */
export type Span = (text: string, from: number, to: number) => string;

export function requestLines(attempt: TraceAttempt, at: At): string[] {
  const where = `${attempt.method} ${attempt.path || DEFAULT_PATH}${attempt.host ? ` (${clip(attempt.host, NAME_CHARS)})` : ''}`;
  return [at(attempt.sdkCall, attempt.at), where];
}

export function statusText(status: number, requestId: string | undefined): string {
  const reason = STATUS_TEXT[status];
  return `HTTP ${status}${reason ? ` ${reason}` : ''}${requestId ? `, x-request-id: ${clip(requestId, NAME_CHARS)}` : ''}`;
}

export function reasonText(reason: string, status: number | undefined): string {
  return status === undefined ? reason : `${status} ${reason}`;
}

/** Summary: one `loop` per phase of the stream (reasoning, tool calls, answer), in order of arrival. */
export function drawPhases(d: Diagram, trace: RequestTrace, L: TraceLabels, at: At, span: Span): void {
  const stream = trace.stream;
  if (!stream) return;
  const kinds = KIND_ORDER.filter((k) => stream.phases[k]).sort(
    (a, b) => (stream.phases[a]?.firstAt ?? 0) - (stream.phases[b]?.firstAt ?? 0) || KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b),
  );
  const byKind = trace.batches?.byKind ?? {};
  let textPosted = false;
  let painted = false;
  for (const kind of kinds) {
    const phase = stream.phases[kind];
    if (!phase) continue;
    const title = `${L.phase[kind]} (${WIRE[kind]}): ${L.list([L.chunks(formatCount(phase.count)), L.chars(formatCount(phase.chars))])}`;
    d.block('loop', title, () => {
      d.message('L', '-->>', 'H', span(`${SDK_STREAM_CHUNK} ×${formatCount(phase.count)}`, phase.firstAt, phase.lastAt));
      let posted = 0;
      if (kind === 'reasoning' && byKind.reasoning) {
        posted = byKind.reasoning;
        d.message('H', '-)', 'W', `${HOST_POST}${postCall('reasoningAppended')} ×${formatCount(posted)}`);
      } else if ((kind === 'text' || kind === 'refusal') && byKind.text && !textPosted) {
        textPosted = true;
        posted = byKind.text;
        d.message('H', '-)', 'W', `${HOST_POST}${postCall('textAppended')} ×${formatCount(posted)}`);
      } else if (kind === 'toolCall') {
        d.note('H', L.flow.toolNote);
      }
      if (posted) {
        const first = trace.paint?.firstAt;
        d.message('W', '->>', 'U', !painted && first !== undefined ? L.firstPaint(L.at(formatMs(first))) : L.render);
        painted = true;
      }
    });
  }
}

/** The chunks of a stream, or of one agent round, with what the host posted and painted meanwhile. */
export interface ChunkWindow {
  /** The chunks the recorder kept, in order. */
  recorded: readonly TraceChunk[];
  /** Every chunk the stream had, and their characters. */
  count: number;
  chars: number;
  batches: readonly TraceBatch[];
  paint?: number;
}

/**
 * Chunk by chunk: the recorded chunks, the batches posted and the first paint, in time order. The
 * first entry shows its time; each later one the wait since the entry before (`+12 ms`), which is
 * what this level is for.
 */
export function drawChunks(d: Diagram, w: ChunkWindow, L: TraceLabels, maxChunks: number): void {
  const shown = w.recorded.slice(0, maxChunks);
  const everyChunk = shown.length === w.count;
  const until = everyChunk ? Infinity : (shown[shown.length - 1]?.[0] ?? -Infinity);
  type Entry = { at: number; rank: number; draw: (when: string) => void };
  const entries: Entry[] = shown.map(([t, chars, kind]) => ({
    at: t,
    rank: 0,
    draw: (when) => d.message('L', '-->>', 'H', `${SDK_STREAM_CHUNK} (${WIRE[kind]}, ${L.chars(formatCount(chars))}) · ${when}`),
  }));
  for (const [t, chars, kind] of w.batches) {
    if (t > until) continue;
    const type = kind === 'reasoning' ? 'reasoningAppended' : 'textAppended';
    entries.push({ at: t, rank: 1, draw: (when) => d.message('H', '-)', 'W', `${HOST_POST}${postCall(type)} (${L.chars(formatCount(chars))}) · ${when}`) });
  }
  const paint = w.paint;
  if (paint !== undefined && paint <= until) entries.push({ at: paint, rank: 2, draw: (when) => d.message('W', '->>', 'U', `${L.firstPaint()} · ${when}`) });
  // Stable: equal times keep chunk, then batch, then paint, each in recorded order.
  entries.sort((a, b) => a.at - b.at || a.rank - b.rank);
  d.block('loop', `${L.chunkByChunk}: ${L.list([L.chunks(formatCount(w.count)), L.chars(formatCount(w.chars))])}`, () => {
    let previous: number | undefined;
    for (const entry of entries) {
      entry.draw(previous === undefined ? L.at(formatMs(entry.at)) : `+${formatMs(entry.at - previous)}`);
      previous = entry.at;
    }
    if (!everyChunk) {
      d.note('H,L', L.moreChunks(formatCount(shown.length), formatCount(w.count)), w.recorded.length < w.count && w.recorded.length < maxChunks ? L.notRecorded(formatCount(w.recorded.length)) : undefined);
    }
  });
}

/**
 * Each HTTP attempt of a request; a failed one that was retried in an `alt` block. A final error
 * status is left to the end's `break` block when `failsFinally`; with `failArrow` it is drawn here
 * as a failure (an agent round refused for its tools, sent again).
 */
export function drawAttempts(
  d: Diagram,
  attempts: readonly TraceAttempt[],
  L: TraceLabels,
  at: At,
  options: { failsFinally: boolean; headersMs?: number; failArrow?: boolean },
): void {
  attempts.forEach((attempt, index) => {
    const final = index === attempts.length - 1;
    if (attempt.retry) {
      const retry = attempt.retry;
      d.block('alt', L.attemptFailed(String(attempt.attempt), reasonText(retry.reason, retry.status ?? attempt.status)), () => {
        d.message('H', '->>', 'L', ...requestLines(attempt, at));
        if (attempt.status !== undefined) d.message('L', '--x', 'H', at(statusText(attempt.status, attempt.requestId), attempt.headersAt));
        else d.message('L', '--x', 'H', L.noResponse(retry.reason));
        d.note('H', at(L.waitThenRetry(formatMs(retry.delayMs)), retry.at));
      });
      return;
    }
    d.message('H', '->>', 'L', ...requestLines(attempt, at));
    const failedFinally = final && options.failsFinally && attempt.status !== undefined && attempt.status >= 400;
    if (attempt.status !== undefined && !failedFinally) {
      const arrow = options.failArrow && attempt.status >= 400 ? '--x' : '-->>';
      d.message('L', arrow, 'H', at(statusText(attempt.status, attempt.requestId), attempt.headersAt), options.headersMs !== undefined && final ? L.headers(formatMs(options.headersMs)) : undefined);
    }
  });
}

/** The chunk that carries `finish_reason` (and the usage, when sent), then the end marker. */
export function drawFinish(d: Diagram, reason: string, completionTokens: number | undefined): void {
  const usage = completionTokens !== undefined ? `, usage.completion_tokens: ${formatCount(completionTokens)}` : '';
  d.message('L', '-->>', 'H', `${SDK_STREAM_CHUNK} (finish_reason: "${clip(reason, NAME_CHARS)}"${usage})`);
  d.message('L', '-->>', 'H', SDK_DONE);
}

export function figureLines(trace: RequestTrace, f: TraceFigures, L: TraceLabels): Part[] {
  const lines: Part[] = [];
  if (f.ttftMs !== undefined) lines.push(L.ttft(formatMs(f.ttftMs), f.apiTtftMs !== undefined ? formatMs(f.apiTtftMs) : undefined));
  else if (f.apiTtftMs !== undefined) lines.push(L.ttft(formatMs(f.apiTtftMs)));
  if (f.streamMs !== undefined) {
    const tokens = f.tokens === undefined ? '' : f.tokensFrom === 'usage' ? L.tokensFromUsage(formatCount(f.tokens)) : L.tokensFromChunks(formatCount(f.tokens));
    const rate = f.tokensPerSecond !== undefined ? L.rate(formatRate(f.tokensPerSecond)) : undefined;
    lines.push(`${L.list([L.streamed(formatMs(f.streamMs)), rate].filter((x): x is string => x !== undefined))}${tokens ? ` (${tokens})` : ''}`);
  }
  if (f.maxGapMs !== undefined) lines.push(L.largestGap(formatMs(f.maxGapMs)));
  if (trace.stream?.bytes) lines.push(L.received(formatBytes(trace.stream.bytes)));
  return lines;
}
