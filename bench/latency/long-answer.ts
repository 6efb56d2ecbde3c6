// Issue 14, item 5: the long answer of the latency bench. The render bench's ~20,000-token
// document (prose, lists, tables, code fences, one Mermaid block), cut into chunks of one to three
// words, each chunk opening with its number (`⟦i⟧ `) so that the webview can stamp when its text
// is in the DOM. A chunk only ever starts right after a space that follows a non-space on the same
// line, so the marker never lands where it would change the Markdown: not at a line's start
// (a list's `- `, a heading's `#`, a fence), not in indentation, not inside the Mermaid source.
import { benchDocument, prng } from '../render/document';

export interface LongAnswer {
  /** The chunks' texts, markers included, in order. */
  chunks: string[];
  /** The answer's length with markers (what the webview ends up holding). */
  chars: number;
}

export function longAnswer(marker: (i: number) => string, targetChars = 80_000, seed = 14): LongAnswer {
  // A sentence first: the document opens with a heading, which a marker before it would break.
  const text = `Here is the long answer you asked for.\n\n${benchDocument(targetChars)}`;
  const random = prng(seed);
  const cuts = [0];
  let inMermaid = false;
  let lineStart = 0;
  let words = 0;
  let want = 1 + Math.floor(random() * 3);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = i + 1;
      const next = text.slice(lineStart, text.indexOf('\n', lineStart) >>> 0);
      if (next.startsWith('```mermaid')) inMermaid = true;
      else if (inMermaid && next.startsWith('```')) inMermaid = false;
      continue;
    }
    if (c !== ' ' || inMermaid || i === lineStart || text[i - 1] === ' ') continue;
    if (++words < want) continue;
    cuts.push(i + 1);
    words = 0;
    want = 1 + Math.floor(random() * 3);
  }
  const pieces = cuts.map((start, i) => text.slice(start, cuts[i + 1] ?? text.length)).filter(Boolean);
  const chunks = pieces.map((piece, i) => `${marker(i)}${piece}`);
  return { chunks, chars: chunks.reduce((sum, chunk) => sum + chunk.length, 0) };
}

/** What the latency bench's run returns that the long answer's figures are made of. */
export interface LongRun {
  /** Socket write to DOM per chunk, ms (NaN where a chunk was never seen). */
  latencies: number[];
  /** When each chunk was written to the socket (epoch ms). */
  writeTimes: number[];
  /** When the last chunk's text was in the DOM (epoch ms). */
  lastSeen: number;
}

/** A long task as the bench records it (see latency.bench.ts). */
export interface TaskStamp {
  start: number;
  duration: number;
  scripts: { source: string; invoker: string; duration: number }[];
}

const percentile = (values: number[], p: number): number => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/**
 * p95/p99 socket-to-DOM and the long tasks, over the whole answer (`long…`) and per quarter of its
 * chunks (`longQ1…` to `longQ4…`, so that growth with the answer's length shows). A quarter's tasks
 * are those that started between its first chunk's write and the next quarter's (the last: up to
 * when the last chunk was in the DOM).
 */
export function longAnswerFigures(run: LongRun, tasks: TaskStamp[], prefix = 'long'): Record<string, number> {
  const n = run.latencies.length;
  const figures: Record<string, number> = {};
  const put = (name: string, latencies: number[], from: number, to: number) => {
    const inside = tasks.filter((t) => t.start >= from && t.start < to);
    figures[`${name}P95`] = percentile(latencies, 95);
    figures[`${name}P99`] = percentile(latencies, 99);
    figures[`${name}Tasks`] = inside.length;
    figures[`${name}TaskMs`] = inside.reduce((sum, t) => sum + t.duration, 0);
    figures[`${name}LongestTask`] = Math.max(0, ...inside.map((t) => t.duration));
  };
  const end = run.lastSeen + 1;
  put(prefix, run.latencies, run.writeTimes[0] ?? 0, end);
  for (let q = 0; q < 4; q++) {
    const first = Math.floor((q * n) / 4);
    const next = Math.floor(((q + 1) * n) / 4);
    put(`${prefix}Q${q + 1}`, run.latencies.slice(first, next), run.writeTimes[first] ?? 0, q === 3 ? end : (run.writeTimes[next] ?? end));
  }
  return figures;
}
