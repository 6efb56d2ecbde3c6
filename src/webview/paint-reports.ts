import type { FromWebviewMessage } from '../protocol/messages';
import { MAX_PAINTS } from '../protocol/parse';
import { epochNow } from './dom';

/** How often the paints of a streaming answer are sent: often enough for a live timeline, not one message a frame. */
const REPORT_EVERY_MS = 250;

/**
 * The paints of streaming answers, reported to the host in batches for the request's trace: the
 * stream inspector's timeline draws every paint and the answer's length on screen beside the
 * chunks' arrival (what `rill.render.smoothing` changes). A message a frame would double the
 * webview's traffic while streaming; a batch every quarter second costs one post.
 */
export class PaintReports {
  private readonly pending = new Map<string, { at: number[]; chars: number[] }>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly post: (message: Extract<FromWebviewMessage, { type: 'paints' }>) => void) {}

  /** The answer was painted, `chars` of its text on screen. */
  record(messageId: string, chars: number): void {
    let batch = this.pending.get(messageId);
    if (!batch) this.pending.set(messageId, (batch = { at: [], chars: [] }));
    batch.at.push(epochNow());
    batch.chars.push(chars);
    if (batch.at.length >= MAX_PAINTS) this.flush(messageId);
    else this.timer ??= setTimeout(() => this.flushAll(), REPORT_EVERY_MS);
  }

  /** Sends this answer's paints now (before its last paint is reported). */
  flush(messageId: string): void {
    const batch = this.pending.get(messageId);
    if (!batch) return;
    this.pending.delete(messageId);
    this.post({ type: 'paints', messageId, at: batch.at, chars: batch.chars });
  }

  private flushAll(): void {
    this.timer = undefined;
    for (const messageId of [...this.pending.keys()]) this.flush(messageId);
  }
}
