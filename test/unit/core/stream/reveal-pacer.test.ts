import { strict as assert } from 'node:assert';
import { MAX_LAG_MS, RevealPacer, safeCut } from '../../../../src/core/stream/reveal-pacer';

/** A stream as (time, chars) arrivals; the pacer is asked at every frame of `frameMs` until all is shown. */
function play(arrivals: ReadonlyArray<[number, number]>, frameMs = 16): { frames: Array<[number, number]>; pacer: RevealPacer } {
  const pacer = new RevealPacer();
  const frames: Array<[number, number]> = [];
  const last = arrivals[arrivals.length - 1]![0];
  let next = 0;
  for (let now = 0; now <= last + 2 * MAX_LAG_MS; now += frameMs) {
    while (next < arrivals.length && arrivals[next]![0] <= now) {
      const [at, chars] = arrivals[next++]!;
      pacer.arrive(chars, at);
    }
    frames.push([now, pacer.due(now)]);
  }
  return { frames, pacer };
}

/** Characters arrived at or before `t`. */
const arrivedBy = (arrivals: ReadonlyArray<[number, number]>, t: number) => arrivals.filter(([at]) => at <= t).reduce((sum, [, c]) => sum + c, 0);

describe('RevealPacer (smoothing, rill.render.smoothing)', () => {
  // Azure's default filter: ~400 characters at a time, every 300 ms.
  const bursty: Array<[number, number]> = [0, 300, 600, 900, 1200].map((at) => [at, 400]);

  it('reveals a burst over several frames instead of at once', () => {
    const { frames } = play(bursty);
    const during = frames.filter(([t]) => t > 300 && t < 400).map(([, shown]) => shown);
    assert.ok(during.length >= 5);
    // Strictly growing through the second burst, every frame shows more than the one before.
    for (let i = 1; i < during.length; i++) assert.ok(during[i]! > during[i - 1]!, `frame ${i}: ${during.join(', ')}`);
    assert.ok(during[0]! > 400 && during[0]! < 800);
  });

  it('never shows a character more than 100 ms after it arrived, and never one before it arrived', () => {
    for (const frameMs of [1, 7, 16, 33]) {
      const { frames } = play(bursty, frameMs);
      for (const [now, shown] of frames) {
        assert.ok(shown >= arrivedBy(bursty, now - MAX_LAG_MS), `at ${now} ms (frames of ${frameMs} ms): ${shown} shown`);
        assert.ok(shown <= arrivedBy(bursty, now), `at ${now} ms: ${shown} shown, more than arrived`);
      }
    }
  });

  it('shows the first chunk at once (time to first token is not delayed) and keeps up with an even stream', () => {
    const even: Array<[number, number]> = Array.from({ length: 50 }, (_, i) => [i * 20, 4]);
    const pacer = new RevealPacer();
    pacer.arrive(4, 0);
    assert.equal(pacer.due(0), 4);
    const { frames } = play(even, 5);
    // An even 20 ms stream is spread over its own 20 ms gaps: never more than one chunk behind.
    for (const [now, shown] of frames) assert.ok(shown >= arrivedBy(even, now - 20), `at ${now}: ${shown}`);
  });

  it('catches up with a later burst whose deadline passes while an earlier one is being revealed', () => {
    const pacer = new RevealPacer();
    pacer.arrive(10, 0);
    pacer.arrive(1000, 400); // the gap is now 400 ms: this burst is spread over 100 ms
    pacer.arrive(10, 420);
    assert.ok(pacer.due(450) < 1010);
    assert.equal(pacer.due(520), 1020, 'at 100 ms after the last arrival everything is shown');
    assert.equal(pacer.pending, false);
  });

  it('never goes back, and flush shows everything at once', () => {
    const pacer = new RevealPacer();
    pacer.arrive(100, 0);
    pacer.arrive(500, 300);
    const a = pacer.due(320);
    assert.ok(a < 600 && a > 100);
    assert.equal(pacer.due(310), a, 'an earlier time never takes shown text back');
    assert.equal(pacer.flush(), 600);
    assert.equal(pacer.shown, 600);
    assert.equal(pacer.pending, false);
    pacer.arrive(0, 400);
    assert.equal(pacer.arrived, 600, 'an empty arrival changes nothing');
  });

  it('cuts text without splitting a surrogate pair', () => {
    const text = 'ab😀cd';
    assert.equal(safeCut(text, 3), 2, 'not between the halves of the emoji');
    assert.equal(safeCut(text, 4), 4);
    assert.equal(safeCut(text, 2), 2);
    assert.equal(safeCut(text, 99), text.length);
    assert.equal(safeCut(text, -1), 0);
  });
});
