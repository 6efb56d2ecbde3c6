import { round1 } from './trace-text';
import { BATCH_KINDS, CHUNK_KINDS, type BatchKind, type ChunkKind, type TraceBatch, type TraceBatches, type TraceChunk, type TraceStream } from './trace-types';

interface PhaseState {
  count: number;
  chars: number;
  firstAt: number;
  lastAt: number;
}

/** Times relative to the trace's zero, at 0.1 ms. */
export type Rel = (t: number) => number;

/**
 * Every chunk (or webview post) is kept for the timeline, up to this many: a 20,000-chunk answer
 * fits whole, and the bound keeps a runaway stream to about 800 KB of memory (12 bytes a record).
 */
export const MAX_TIMELINE_RECORDS = 65_536;

/**
 * Arrival time and size of every record, for the stream inspector's timeline. Two typed arrays
 * that double when full (from 256), so `add` is amortised O(1) and allocates only on a doubling
 * (8 times on the way to the bound), not per chunk; records past the bound are only counted.
 */
export class TimeLog {
  length = 0;
  private at = new Float64Array(256);
  private sizes = new Uint32Array(256);

  add(t: number, size: number): void {
    const n = this.length;
    if (n >= MAX_TIMELINE_RECORDS) return;
    if (n === this.at.length) {
      const grown = Math.min(n * 2, MAX_TIMELINE_RECORDS);
      const at = new Float64Array(grown);
      at.set(this.at);
      const sizes = new Uint32Array(grown);
      sizes.set(this.sizes);
      this.at = at;
      this.sizes = sizes;
    }
    this.at[n] = t;
    this.sizes[n] = size;
    this.length = n + 1;
  }

  /**
   * Saved compactly: times as gaps from the one before (the first from the trace's zero) in whole
   * tenths of a millisecond, so a 20,000-chunk answer is about 100 KB of JSON, not 400 KB.
   */
  snapshot(rel: Rel): { gaps: number[]; sizes: number[] } {
    const gaps: number[] = new Array(this.length);
    const sizes: number[] = new Array(this.length);
    let previous = 0;
    for (let i = 0; i < this.length; i++) {
      const tenths = Math.round(rel(this.at[i] as number) * 10);
      gaps[i] = tenths - previous;
      previous = tenths;
      sizes[i] = this.sizes[i] as number;
    }
    return { gaps, sizes };
  }
}

/** Index of a chunk kind in CHUNK_KINDS, without a search: this is on the hot path. */
export function kindIndex(kind: ChunkKind): number {
  return kind === 'text' ? 0 : kind === 'reasoning' ? 1 : kind === 'toolCall' ? 2 : 3;
}

/**
 * The answer's content chunks: aggregates over every chunk, and the first `cap` one by one.
 * `add` is the streaming hot path: constant work, no allocation (the log is three typed arrays
 * sized once, at construction).
 */
export class ChunkLog {
  count = 0;
  chars = 0;
  bytes = 0;
  firstAt = 0;
  lastAt = 0;
  firstChunkAt: number | undefined;
  private maxGap = 0;
  private maxGapAt = 0;
  private readonly phases: PhaseState[] = CHUNK_KINDS.map(() => ({ count: 0, chars: 0, firstAt: 0, lastAt: 0 }));
  private readonly at: Float64Array;
  private readonly sizes: Float64Array;
  private readonly kinds: Uint8Array;
  /**
   * The time of chunk number `markCount` (0-based) once it arrives: an agent round sets it to the
   * count at its start, to learn when its own first chunk came without keeping every chunk.
   */
  private markCount = -1;
  markAt: number | undefined;
  /** Every chunk's time and characters, for the timeline. */
  readonly all = new TimeLog();

  constructor(private readonly cap: number) {
    this.at = new Float64Array(cap);
    this.sizes = new Float64Array(cap);
    this.kinds = new Uint8Array(cap);
  }

  add(index: number, chars: number, t: number): void {
    const n = this.count;
    if (n === 0) {
      this.firstAt = t;
    } else {
      const gap = t - this.lastAt;
      if (gap > this.maxGap) {
        this.maxGap = gap;
        this.maxGapAt = t;
      }
    }
    if (n === this.markCount) this.markAt = t;
    this.lastAt = t;
    this.count = n + 1;
    this.chars += chars;
    const phase = this.phases[index] as PhaseState;
    if (phase.count === 0) phase.firstAt = t;
    phase.count++;
    phase.chars += chars;
    phase.lastAt = t;
    this.all.add(t, chars);
    if (n < this.cap) {
      this.at[n] = t;
      this.sizes[n] = chars;
      this.kinds[n] = index;
    }
  }

  /** Starts watching for the next chunk's time (`markAt`). */
  mark(): void {
    this.markCount = this.count;
    this.markAt = undefined;
  }

  /** Chunks so far of each kind, in CHUNK_KINDS order. */
  kindCounts(): number[] {
    return this.phases.map((p) => p.count);
  }

  /** The stream's aggregates and the kept chunks, or nothing when no chunk arrived. */
  snapshot(rel: Rel): { stream?: TraceStream; chunks?: TraceChunk[] } {
    if (this.count === 0 && this.firstChunkAt === undefined) return {};
    const stream: TraceStream = {
      ...(this.firstChunkAt !== undefined ? { firstChunkAt: rel(this.firstChunkAt) } : {}),
      firstAt: rel(this.count > 0 ? this.firstAt : (this.firstChunkAt as number)),
      lastAt: rel(this.count > 0 ? this.lastAt : (this.firstChunkAt as number)),
      count: this.count,
      chars: this.chars,
      maxGapMs: round1(this.maxGap),
      maxGapAt: this.count > 1 ? rel(this.maxGapAt) : 0,
      phases: {},
    };
    if (this.bytes > 0) stream.bytes = this.bytes;
    CHUNK_KINDS.forEach((kind, i) => {
      const p = this.phases[i] as PhaseState;
      if (p.count > 0) stream.phases[kind] = { count: p.count, chars: p.chars, firstAt: rel(p.firstAt), lastAt: rel(p.lastAt) };
    });
    const kept = Math.min(this.count, this.cap);
    if (kept === 0) return { stream };
    const chunks: TraceChunk[] = [];
    for (let i = 0; i < kept; i++) chunks.push([rel(this.at[i] as number), this.sizes[i] as number, CHUNK_KINDS[this.kinds[i] as number] as ChunkKind]);
    return { stream, chunks };
  }
}

/** The messages posted to the webview for this answer: aggregates, and the first `cap` one by one. */
export class BatchLog {
  count = 0;
  firstAt = 0;
  private chars = 0;
  private lastAt = 0;
  private readonly byKind = new Uint32Array(2);
  /** Every post's time and characters, for the timeline. */
  readonly all = new TimeLog();
  private readonly at: Float64Array;
  private readonly sizes: Float64Array;
  private readonly kinds: Uint8Array;

  constructor(private readonly cap: number) {
    this.at = new Float64Array(cap);
    this.sizes = new Float64Array(cap);
    this.kinds = new Uint8Array(cap);
  }

  add(chars: number, kind: BatchKind, t: number): void {
    const n = this.count;
    if (n === 0) this.firstAt = t;
    this.lastAt = t;
    this.count = n + 1;
    this.chars += chars;
    const index = kind === 'reasoning' ? 1 : 0;
    this.byKind[index] = (this.byKind[index] as number) + 1;
    this.all.add(t, chars);
    if (n < this.cap) {
      this.at[n] = t;
      this.sizes[n] = chars;
      this.kinds[n] = index;
    }
  }

  snapshot(rel: Rel): TraceBatches | undefined {
    if (this.count === 0) return undefined;
    const byKind: Partial<Record<BatchKind, number>> = {};
    BATCH_KINDS.forEach((kind, i) => {
      if (this.byKind[i]) byKind[kind] = this.byKind[i];
    });
    const log: TraceBatch[] = [];
    for (let i = 0; i < Math.min(this.count, this.cap); i++) {
      log.push([rel(this.at[i] as number), this.sizes[i] as number, BATCH_KINDS[this.kinds[i] as number] as BatchKind]);
    }
    return { count: this.count, chars: this.chars, firstAt: rel(this.firstAt), lastAt: rel(this.lastAt), byKind, log };
  }
}
