import { traceFigures } from './trace-figures';
import { round1 } from './trace-text';
import type { RequestTrace } from './trace-types';

/**
 * The stream inspector's timeline of one request, computed from its trace: what the view draws
 * (one mark per chunk, per webview post, per hop) and the figures it shows beside it. Pure, so
 * that the figures are golden-tested from recorded traces and the view only draws.
 *
 * Times are milliseconds on the trace's clock (0 is the user's send).
 */
export type TimelineMarkKind = 'send' | 'request' | 'headers' | 'retry' | 'firstByte' | 'firstToken' | 'firstPaint' | 'lastPaint' | 'stop' | 'end';

export interface TimelineMark {
  kind: TimelineMarkKind;
  at: number;
  /** The HTTP attempt, for `request`, `headers` and `retry`. */
  attempt?: number;
}

/** A wait between two chunks: the chunk before it arrived at `from`, the next at `to`. */
export interface TimelineGap {
  from: number;
  to: number;
  ms: number;
}

/** Chunks of `min` to `max` characters (powers of two: 0, 1, 2-3, 4-7, ...). */
export interface SizeBin {
  min: number;
  max: number;
  count: number;
}

/** Tokens per second over the window that ends at `at`. */
export interface RatePoint {
  at: number;
  tokensPerSecond: number;
}

export interface TimelineFigures {
  /** Content chunks the server sent, and how many of them the trace kept one by one (drawn). */
  chunks: number;
  keptChunks: number;
  chars: number;
  posts: number;
  ttftMs?: number;
  tokensPerSecond?: number;
  peakTokensPerSecond?: number;
  medianChunkChars?: number;
  p90ChunkChars?: number;
  maxChunkChars?: number;
  meanGapMs?: number;
  maxGapMs?: number;
  /**
   * Burstiness: the coefficient of variation (standard deviation / mean) of the gaps between
   * chunks. About 0 for an even stream, about 1 for random (Poisson) arrivals, well above 1 when
   * text comes in bursts separated by stalls (a buffering proxy, a content filter).
   */
  gapCv?: number;
  /** Paints of the streaming answer the webview reported. */
  paints: number;
  /**
   * How long after its chunk arrived each chunk's text was on screen (the first paint showing
   * that many characters): the display's lag behind the arrival, 95th percentile and largest.
   * With `rill.render.smoothing` on these stay within its 100 ms bound.
   */
  displayLagP95Ms?: number;
  displayLagMaxMs?: number;
}

export interface Timeline {
  /** The axis: from the send (or the earliest hop) to the last paint (or the latest hop). */
  start: number;
  end: number;
  chunkAt: number[];
  chunkChars: number[];
  postAt: number[];
  postChars: number[];
  /** Each reported paint, and the answer's length on screen after it. */
  paintAt: number[];
  paintChars: number[];
  /** The characters arrived by each chunk (running total of `chunkChars`), beside `paintChars`; empty unless every chunk was answer text. */
  arrivedChars: number[];
  marks: TimelineMark[];
  /** The longest gaps between chunks, longest first. */
  gaps: TimelineGap[];
  rate: RatePoint[];
  sizes: SizeBin[];
  figures: TimelineFigures;
}

export interface TimelineOptions {
  /** How many of the longest gaps to mark; 3 by default. */
  longestGaps?: number;
  /** At most this many windows for tokens per second over time; 120 by default. */
  maxRatePoints?: number;
}

/** Windows for the rate are at least this long, so that a fast stream is not a comb of spikes. */
const MIN_RATE_WINDOW_MS = 50;

export function traceTimeline(trace: RequestTrace, options: TimelineOptions = {}): Timeline {
  const [chunkAt, chunkChars] = chunkLog(trace);
  const [postAt, postChars] = postLog(trace);
  const [paintAt, paintChars] = paintLog(trace);
  const marks = timelineMarks(trace);
  const base = traceFigures(trace);
  const stream = trace.stream && trace.stream.count > 0 ? trace.stream : undefined;
  const figures: TimelineFigures = {
    chunks: stream?.count ?? 0,
    keptChunks: chunkAt.length,
    chars: stream?.chars ?? 0,
    posts: trace.batches?.count ?? 0,
    paints: paintAt.length,
  };
  // Comparable only when every chunk was answer text: reasoning and tool-call arguments are not painted in the body.
  const onlyText = stream !== undefined && Object.keys(stream.phases).every((kind) => kind === 'text') && chunkAt.length === stream.count;
  // The arrived line too: reasoning and tool-call characters would put it above anything shown.
  const arrivedChars = onlyText ? runningTotal(chunkChars) : [];
  const lags = onlyText ? displayLags(chunkAt, arrivedChars, paintAt, paintChars) : [];
  if (lags.length) {
    const sorted = [...lags].sort((a, b) => a - b);
    figures.displayLagP95Ms = round1(quantile(sorted, 0.95));
    figures.displayLagMaxMs = round1(sorted[sorted.length - 1] as number);
  }
  if (base.ttftMs !== undefined) figures.ttftMs = base.ttftMs;
  if (base.tokensPerSecond !== undefined) figures.tokensPerSecond = base.tokensPerSecond;
  const sizes = sizeBins(chunkChars);
  if (chunkChars.length) {
    const sorted = [...chunkChars].sort((a, b) => a - b);
    figures.medianChunkChars = quantile(sorted, 0.5);
    figures.p90ChunkChars = quantile(sorted, 0.9);
    figures.maxChunkChars = sorted[sorted.length - 1] as number;
  }
  const gapStats = gapStatistics(chunkAt);
  if (gapStats) {
    figures.meanGapMs = round1(gapStats.mean);
    figures.maxGapMs = round1(gapStats.max);
    figures.gapCv = Math.round(gapStats.cv * 100) / 100;
  }
  const rate = ratePoints(chunkAt, chunkChars, tokensPerChar(trace, chunkChars), options.maxRatePoints ?? 120);
  if (rate.length) figures.peakTokensPerSecond = Math.max(...rate.map((p) => p.tokensPerSecond));
  const times = [0, ...marks.map((m) => m.at), ...chunkAt.slice(-1), ...postAt.slice(-1), ...paintAt.slice(-1)];
  return {
    start: Math.min(...times),
    end: Math.max(...times),
    chunkAt,
    chunkChars,
    postAt,
    postChars,
    paintAt,
    paintChars,
    arrivedChars,
    marks,
    gaps: longestGaps(chunkAt, options.longestGaps ?? 3),
    rate,
    sizes,
    figures,
  };
}

/** Every chunk's time and size: the whole timeline when recorded, else the first chunks kept for the diagram. */
function chunkLog(trace: RequestTrace): [number[], number[]] {
  if (trace.timeline && trace.timeline.chunkGaps.length) return [fromGaps(trace.timeline.chunkGaps), [...trace.timeline.chunkChars]];
  const chunks = trace.chunks ?? [];
  return [chunks.map((c) => c[0]), chunks.map((c) => c[1])];
}

function postLog(trace: RequestTrace): [number[], number[]] {
  if (trace.timeline && trace.timeline.postGaps.length) return [fromGaps(trace.timeline.postGaps), [...trace.timeline.postChars]];
  const log = trace.batches?.log ?? [];
  return [log.map((b) => b[0]), log.map((b) => b[1])];
}

function paintLog(trace: RequestTrace): [number[], number[]] {
  const { paintGaps, paintChars } = trace.timeline ?? {};
  return paintGaps && paintChars && paintGaps.length === paintChars.length ? [fromGaps(paintGaps), [...paintChars]] : [[], []];
}

function runningTotal(values: readonly number[]): number[] {
  let sum = 0;
  return values.map((v) => (sum += v));
}

/**
 * For each chunk, the wait from its arrival to the first paint that showed the text up to it.
 * Only where the paints are comparable with the chunks: the length on screen never shrinks (agent
 * rounds restart the answer's body) and the chunks were all kept. A chunk no paint reached (the
 * final copy, not a paint, showed it) has no lag.
 */
export function displayLags(chunkAt: readonly number[], arrived: readonly number[], paintAt: readonly number[], paintChars: readonly number[]): number[] {
  if (!paintAt.length || !chunkAt.length) return [];
  for (let j = 1; j < paintChars.length; j++) if ((paintChars[j] as number) < (paintChars[j - 1] as number)) return [];
  const lags: number[] = [];
  let j = 0;
  for (let i = 0; i < chunkAt.length; i++) {
    while (j < paintAt.length && (paintChars[j] as number) < (arrived[i] as number)) j++;
    if (j === paintAt.length) break;
    lags.push(Math.max(0, (paintAt[j] as number) - (chunkAt[i] as number)));
  }
  return lags;
}

/** Gaps in tenths of a millisecond back to times in milliseconds (summed as integers: no drift). */
function fromGaps(gaps: readonly number[]): number[] {
  const out: number[] = new Array(gaps.length);
  let tenths = 0;
  for (let i = 0; i < gaps.length; i++) {
    tenths += gaps[i] as number;
    out[i] = tenths / 10;
  }
  return out;
}

/** The hops of the request, in time order. */
export function timelineMarks(trace: RequestTrace): TimelineMark[] {
  const marks: TimelineMark[] = [];
  const send = trace.userSentAt ?? trace.hostReceivedAt;
  if (send !== undefined) marks.push({ kind: 'send', at: send });
  for (const a of trace.attempts) {
    if (a.at !== undefined) marks.push({ kind: 'request', at: a.at, attempt: a.attempt });
    if (a.headersAt !== undefined) marks.push({ kind: 'headers', at: a.headersAt, attempt: a.attempt });
    if (a.retry) marks.push({ kind: 'retry', at: a.retry.at, attempt: a.attempt });
  }
  if (trace.stream?.firstChunkAt !== undefined) marks.push({ kind: 'firstByte', at: trace.stream.firstChunkAt });
  if (trace.stream && trace.stream.count > 0) marks.push({ kind: 'firstToken', at: trace.stream.firstAt });
  if (trace.paint?.firstAt !== undefined) marks.push({ kind: 'firstPaint', at: trace.paint.firstAt });
  if (trace.stopAt !== undefined) marks.push({ kind: 'stop', at: trace.stopAt });
  if (trace.end) marks.push({ kind: 'end', at: trace.end.at });
  if (trace.paint?.lastAt !== undefined) marks.push({ kind: 'lastPaint', at: trace.paint.lastAt });
  // Stable: hops at the same time keep the order above (send before request, end before last paint).
  return marks.sort((a, b) => a.at - b.at);
}

/** The `count` longest waits between consecutive chunks, longest first (earlier first on a tie). */
export function longestGaps(at: readonly number[], count: number): TimelineGap[] {
  const best: TimelineGap[] = [];
  for (let i = 1; i < at.length; i++) {
    const ms = round1((at[i] as number) - (at[i - 1] as number));
    if (best.length === count && ms <= (best[best.length - 1] as TimelineGap).ms) continue;
    const gap = { from: at[i - 1] as number, to: at[i] as number, ms };
    let j = best.length;
    while (j > 0 && (best[j - 1] as TimelineGap).ms < ms) j--;
    best.splice(j, 0, gap);
    if (best.length > count) best.pop();
  }
  return best;
}

function gapStatistics(at: readonly number[]): { mean: number; max: number; cv: number } | undefined {
  // Two gaps at least: one gap has no spread to speak of.
  if (at.length < 3) return undefined;
  let sum = 0;
  let max = 0;
  const n = at.length - 1;
  for (let i = 1; i < at.length; i++) {
    const gap = (at[i] as number) - (at[i - 1] as number);
    sum += gap;
    if (gap > max) max = gap;
  }
  const mean = sum / n;
  let squares = 0;
  for (let i = 1; i < at.length; i++) squares += ((at[i] as number) - (at[i - 1] as number) - mean) ** 2;
  const cv = mean > 0 ? Math.sqrt(squares / n) / mean : 0;
  return { mean, max, cv };
}

/**
 * Tokens each character stands for: from the server's usage when it sent one (spread over the
 * characters), else one token per chunk (what OpenAI-compatible servers stream), as `undefined`.
 */
function tokensPerChar(trace: RequestTrace, chars: readonly number[]): number | undefined {
  const tokens = trace.end?.usage?.completionTokens;
  const total = chars.reduce((a, b) => a + b, 0);
  return tokens && total > 0 && chars.length === trace.stream?.count ? tokens / total : undefined;
}

/** Tokens per second in consecutive windows from the first chunk to the last. */
export function ratePoints(at: readonly number[], chars: readonly number[], perChar: number | undefined, maxPoints: number): RatePoint[] {
  if (at.length < 2) return [];
  const first = at[0] as number;
  const span = (at[at.length - 1] as number) - first;
  if (span <= 0) return [];
  const windows = Math.max(1, Math.min(maxPoints, Math.floor(span / MIN_RATE_WINDOW_MS)));
  const width = span / windows;
  const tokens = new Array<number>(windows).fill(0);
  for (let i = 0; i < at.length; i++) {
    const w = Math.min(windows - 1, Math.floor(((at[i] as number) - first) / width));
    tokens[w] = (tokens[w] as number) + (perChar === undefined ? 1 : (chars[i] as number) * perChar);
  }
  return tokens.map((count, w) => ({ at: round1(first + (w + 1) * width), tokensPerSecond: round1((count * 1000) / width) }));
}

/** Chunk sizes in power-of-two bins, from the smallest bin used to the largest. */
export function sizeBins(chars: readonly number[]): SizeBin[] {
  if (!chars.length) return [];
  const counts: number[] = [];
  for (const c of chars) {
    const bin = c <= 0 ? 0 : Math.floor(Math.log2(c)) + 1;
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  const bins: SizeBin[] = [];
  const low = counts.findIndex((n) => n !== undefined);
  for (let bin = low; bin < counts.length; bin++) {
    bins.push({ min: bin === 0 ? 0 : 2 ** (bin - 1), max: bin === 0 ? 0 : 2 ** bin - 1, count: counts[bin] ?? 0 });
  }
  return bins;
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

