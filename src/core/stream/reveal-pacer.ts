/**
 * Smoothing for bursty providers (issue 15, `rill.render.smoothing`, off by default). Azure's
 * default content filter, and proxies that buffer, release an answer in bursts of hundreds of
 * characters with pauses between them: shown as they arrive, the text jumps. With smoothing on,
 * each burst is revealed evenly over the time the stream has been taking between chunks (its
 * measured rate), but never over more than MAX_LAG_MS: no character is shown later than
 * MAX_LAG_MS after it arrived. A finished answer is never paced: its final copy replaces
 * whatever was still being revealed (the webview does that, see webview/smoothing.ts).
 *
 * VS Code's chat paces words at an estimated rate with no bound, which its users report as the
 * display lagging the model; the bound here is what keeps this a smoothing and not a delay.
 *
 * Pure and clock-free: the caller passes the times (performance.now() in the webview, numbers in
 * tests), so the bound is checked exactly in unit tests.
 */

/** No character is shown later than this after it arrived. */
export const MAX_LAG_MS = 100;

/** How much a new gap moves the measured one (exponential moving average). */
const GAP_WEIGHT = 0.3;

interface Burst {
  at: number;
  /** Characters arrived before this burst, and with it. */
  from: number;
  to: number;
  /** Revealed evenly over this many milliseconds from `at`. */
  spread: number;
}

export class RevealPacer {
  private readonly bursts: Burst[] = [];
  private arrivedChars = 0;
  private shownChars = 0;
  private lastAt: number | undefined;
  /** The measured gap between chunks; 0 until two chunks arrived (the first is shown at once). */
  private gap = 0;

  constructor(private readonly maxLagMs = MAX_LAG_MS) {}

  /** `chars` more characters arrived at `at`. */
  arrive(chars: number, at: number): void {
    if (chars <= 0) return;
    if (this.lastAt !== undefined) {
      const gap = Math.max(0, at - this.lastAt);
      this.gap = this.gap === 0 ? gap : this.gap + GAP_WEIGHT * (gap - this.gap);
    }
    this.lastAt = at;
    const from = this.arrivedChars;
    this.arrivedChars += chars;
    this.bursts.push({ at, from, to: this.arrivedChars, spread: Math.min(this.maxLagMs, this.gap) });
  }

  get arrived(): number {
    return this.arrivedChars;
  }

  get shown(): number {
    return this.shownChars;
  }

  /** Whether characters are still waiting to be shown. */
  get pending(): boolean {
    return this.shownChars < this.arrivedChars;
  }

  /**
   * How many characters (of all that arrived) should be on screen at `now`: never fewer than
   * before, never more than arrived, and every character that arrived MAX_LAG_MS ago or earlier.
   */
  due(now: number): number {
    let due = this.shownChars;
    while (this.bursts.length) {
      const burst = this.bursts[0] as Burst;
      const elapsed = now - burst.at;
      if (burst.spread <= 0 || elapsed >= burst.spread) {
        due = Math.max(due, burst.to);
        this.bursts.shift();
        continue;
      }
      // The burst being revealed: the part its elapsed time has reached. Later bursts wait for it,
      // each bounded by its own deadline through the loop above on later calls.
      if (elapsed > 0) due = Math.max(due, burst.from + Math.floor(((burst.to - burst.from) * elapsed) / burst.spread));
      break;
    }
    // A later burst whose deadline passed while an earlier one was still being revealed.
    for (const burst of this.bursts) if (now - burst.at >= this.maxLagMs) due = Math.max(due, burst.to);
    this.shownChars = Math.min(this.arrivedChars, due);
    return this.shownChars;
  }

  /** Everything arrived is shown now (the answer finished, or something else must follow it). */
  flush(): number {
    this.bursts.length = 0;
    this.shownChars = this.arrivedChars;
    return this.shownChars;
  }
}

/**
 * Where to cut `text` to show about `count` of its UTF-16 units without splitting a surrogate pair
 * (an emoji half-shown would paint as a replacement character for a frame).
 */
export function safeCut(text: string, count: number): number {
  const n = Math.max(0, Math.min(text.length, count));
  if (n > 0 && n < text.length) {
    const code = text.charCodeAt(n - 1);
    if (code >= 0xd800 && code <= 0xdbff) return n - 1;
  }
  return n;
}
