/**
 * The arithmetic of the windowed message list, without the DOM (message-list.ts measures and
 * applies it), so it is tested directly: jsdom has no layout.
 *
 * Positions are in pixels from the top of the first loaded message. `heights[i]` is message i's last
 * measured height (an estimate until it was rendered once).
 */

export interface WindowInput {
  heights: readonly number[];
  /** The visible part of the list: its top, and its height. */
  viewTop: number;
  viewHeight: number;
  /** How far above and below the visible part messages stay rendered, so scrolling shows no gaps. */
  overscan: number;
  /** Messages from this index on are always rendered: the last prompt and its (streaming) answer. */
  keepFrom: number;
}

/** Messages `[start, end)` are rendered; those before are the top spacer, `[end, keepFrom)` the bottom one. */
export interface WindowRange {
  start: number;
  end: number;
}

export function windowRange({ heights, viewTop, viewHeight, overscan, keepFrom }: WindowInput): WindowRange {
  const limit = Math.max(0, Math.min(keepFrom, heights.length));
  const from = viewTop - overscan;
  const to = viewTop + viewHeight + overscan;
  let y = 0;
  let start = limit;
  let end = limit;
  for (let i = 0; i < limit; i++) {
    const bottom = y + (heights[i] ?? 0);
    // Touching the band counts: a zero-height message at its edge (not laid out yet) stays rendered.
    if (start === limit && bottom >= from) start = i;
    if (y > to) {
      end = i;
      break;
    }
    y = bottom;
  }
  return { start, end: Math.max(start, end) };
}

export function sumHeights(heights: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let i = Math.max(0, from); i < Math.min(to, heights.length); i++) total += heights[i] ?? 0;
  return total;
}
