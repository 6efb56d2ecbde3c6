import { MAX_LAG_MS, RevealPacer, safeCut } from '../core/stream/reveal-pacer';

/**
 * Text handed to an answer is painted at its next animation frame, and the pacer itself is asked
 * once a frame: two frames (about 35 ms) and slack for a busy one. The pacer finishes each reveal
 * this much earlier, so the text is on screen within MAX_LAG_MS of its arrival. (Without it the
 * e2e test saw bursts complete 117-126 ms after arriving; with it, 87-95 ms, at the frame that
 * showed them.)
 */
const PAINT_MARGIN_MS = 50;

/**
 * `rill.render.smoothing` in the chat: text the host posts (`textAppended`) goes to the answer
 * through a RevealPacer, so a burst is revealed over the stream's measured gap (at most 100 ms)
 * instead of landing at once. Off: every append is shown as it arrives, as before.
 *
 * The pacing never holds anything back for long or for good: the host's final copy of an answer
 * (`messageFinished`) replaces what is pending (drop), and anything that must come after the text
 * in order (an agent step) shows the pending text first (flush).
 */
export class Smoothing {
  private enabled = false;
  private readonly streams = new Map<string, { pacer: RevealPacer; pending: string }>();
  private frame: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly show: (messageId: string, text: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** From the host's environment; an answer already being paced finishes paced. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  append(messageId: string, text: string): void {
    let stream = this.streams.get(messageId);
    if (!stream) {
      if (!this.enabled) {
        this.show(messageId, text);
        return;
      }
      stream = { pacer: new RevealPacer(MAX_LAG_MS - PAINT_MARGIN_MS), pending: '' };
      this.streams.set(messageId, stream);
    }
    stream.pacer.arrive(text.length, this.now());
    stream.pending += text;
    this.tick();
  }

  /** Shows this answer's pending text now (something that must follow it in order is coming). */
  flush(messageId: string): void {
    const stream = this.streams.get(messageId);
    if (!stream) return;
    this.streams.delete(messageId);
    if (stream.pending) this.show(messageId, stream.pending);
  }

  /** Forgets this answer's pending text: the host's final copy, which holds it, replaces it. */
  drop(messageId: string): void {
    this.streams.delete(messageId);
  }

  /** A snapshot replaced the whole log. */
  clear(): void {
    this.streams.clear();
    this.cancel();
  }

  private tick = (): void => {
    this.cancel();
    const now = this.now();
    let waiting = false;
    for (const [messageId, stream] of this.streams) {
      // What is on screen is what is no longer pending (a surrogate pair held back by safeCut is
      // still pending, and goes out with the next cut).
      const due = stream.pacer.due(now);
      const cut = safeCut(stream.pending, due - (stream.pacer.arrived - stream.pending.length));
      if (cut > 0) {
        const text = stream.pending.slice(0, cut);
        stream.pending = stream.pending.slice(cut);
        this.show(messageId, text);
      }
      if (stream.pending.length > 0) waiting = true;
    }
    if (waiting) this.schedule();
  };

  /**
   * The next frame, or a timer if frames stop (a webview in a background tab gets none): the
   * 100 ms bound holds either way.
   */
  private schedule(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(this.tick);
    this.timer = setTimeout(this.tick, 50);
  }

  private cancel(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.frame = undefined;
    this.timer = undefined;
  }
}
