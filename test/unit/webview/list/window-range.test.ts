import { strict as assert } from 'node:assert';
import { sumHeights, windowRange } from '../../../../src/webview/list/window-range';

const even = (count: number, height = 100) => Array.from({ length: count }, () => height);

describe('windowRange (which messages of a long list are rendered)', () => {
  it('renders the messages touching the viewport and its overscan, no more', () => {
    // Messages 100 px tall; viewport 1000..1500, overscan 200: 800..1700 -> messages 7 (its bottom touches 800) to 17.
    assert.deepEqual(windowRange({ heights: even(100), viewTop: 1000, viewHeight: 500, overscan: 200, keepFrom: 98 }), { start: 7, end: 18 });
  });

  it('starts at the top when the viewport is there', () => {
    assert.deepEqual(windowRange({ heights: even(100), viewTop: 0, viewHeight: 500, overscan: 200, keepFrom: 98 }), { start: 0, end: 8 });
  });

  it('never covers the always-rendered tail (the last prompt and its answer)', () => {
    const range = windowRange({ heights: even(100), viewTop: 9500, viewHeight: 500, overscan: 200, keepFrom: 98 });
    assert.deepEqual(range, { start: 92, end: 98 });
    // Scrolled into the tail only: nothing before it is needed.
    assert.deepEqual(windowRange({ heights: even(10), viewTop: 5000, viewHeight: 500, overscan: 0, keepFrom: 8 }), { start: 8, end: 8 });
  });

  it('follows uneven heights', () => {
    const heights = [50, 3000, 50, 50, 50, 50];
    // 3,000 px tall message 1 spans the viewport: it alone (and its neighbours within overscan).
    assert.deepEqual(windowRange({ heights, viewTop: 1500, viewHeight: 400, overscan: 100, keepFrom: 6 }), { start: 1, end: 2 });
  });

  it('renders everything when nothing is measured yet (no layout)', () => {
    assert.deepEqual(windowRange({ heights: even(300, 0), viewTop: 0, viewHeight: 0, overscan: 800, keepFrom: 299 }), { start: 0, end: 299 });
  });

  it('keeps the rendered count independent of the list length', () => {
    for (const count of [200, 2000, 20000]) {
      const { start, end } = windowRange({ heights: even(count), viewTop: 50 * count, viewHeight: 800, overscan: 800, keepFrom: count - 2 });
      assert.ok(end - start <= 26, `${end - start} rendered of ${count}`);
    }
  });

  it('sums the heights a spacer stands for', () => {
    assert.equal(sumHeights([1, 2, 3, 4], 1, 3), 5);
    assert.equal(sumHeights([1, 2, 3, 4], 0, 0), 0);
    assert.equal(sumHeights([1, 2], -5, 99), 3);
  });
});
