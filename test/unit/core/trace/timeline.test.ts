/**
 * The stream inspector's timeline figures, from the recorded traces the diagram goldens use:
 *     UPDATE_GOLDEN=1 npx mocha --no-config --node-option import=tsx test/unit/core/trace/timeline.test.ts
 * rewrites test/golden/timeline-*.json (review the diff before committing).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { displayLags, longestGaps, ratePoints, sizeBins, traceTimeline } from '../../../../src/core/trace/timeline-figures';
import { fill, timelineEn, timelineJa, timelineLabelsFor } from '../../../../src/core/trace/timeline-labels';
import { parseRequestTrace, savedTrace, TraceRecorder } from '../../../../src/core/trace/trace';
import { GOLDEN_DIR } from './golden';
import { traceScenarios } from './scenarios';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** A recorder on a manual clock that receives chunks at the given gaps. */
function streamed(gaps: number[], chars = (i: number) => 1 + (i % 5)): ReturnType<TraceRecorder['trace']> {
  let t = 0;
  const recorder = new TraceRecorder({ now: () => t, timeOrigin: 0 });
  recorder.userSent(0);
  recorder.hostReceived();
  t = 300;
  recorder.firstChunk();
  gaps.forEach((gap, i) => {
    t += gap;
    recorder.chunk('text', chars(i));
    if (i % 10 === 9) recorder.postedBatch(10);
  });
  recorder.finished({ state: 'done', finishReason: 'stop', textLength: 10, toolCalls: [], attempts: 1 });
  return recorder.trace();
}

describe('stream inspector timeline', () => {
  describe('goldens from the diagram scenarios', () => {
    for (const [name, scenario] of Object.entries(traceScenarios)) {
      it(`${name}`, () => {
        const actual = `${JSON.stringify(traceTimeline(scenario()), null, 1)}\n`;
        const target = path.join(GOLDEN_DIR, `timeline-${name}.json`);
        if (UPDATE) fs.writeFileSync(target, actual);
        assert.ok(fs.existsSync(target), `${target} is missing: run with UPDATE_GOLDEN=1 and review it`);
        assert.equal(actual, fs.readFileSync(target, 'utf8'), `timeline-${name}.json differs from its golden`);
      });
    }
  });

  it('keeps one mark per chunk of a 20,000-chunk answer, through save and reload', () => {
    const trace = streamed(Array.from({ length: 20_000 }, (_, i) => 1 + (i % 3)));
    const timeline = traceTimeline(trace);
    assert.equal(timeline.chunkAt.length, 20_000);
    assert.equal(timeline.figures.chunks, 20_000);
    assert.equal(timeline.figures.keptChunks, 20_000);
    assert.equal(timeline.postAt.length, 2_000);
    // Times survive the gap encoding exactly: the last chunk is at 300 + the sum of the gaps.
    const sum = Array.from({ length: 20_000 }, (_, i) => 1 + (i % 3)).reduce((a, b) => a + b, 0);
    assert.equal(timeline.chunkAt[19_999], 300 + sum);
    const back = parseRequestTrace(JSON.parse(JSON.stringify(trace)));
    assert.deepEqual(back?.timeline, trace.timeline, 'in memory the trace reads back whole');
    assert.equal(savedTrace(trace).timeline, undefined, 'saved with a conversation it is dropped: too long');
    assert.ok(savedTrace(streamed([5, 5, 5])).timeline, 'a short one is saved');
  });

  it('puts the webview\'s paints beside the arrival and measures the display\'s lag behind it', () => {
    let t = 0;
    const recorder = new TraceRecorder({ now: () => t, timeOrigin: 1_000_000 });
    recorder.userSent(1_000_000);
    recorder.hostReceived();
    t = 100;
    recorder.firstChunk();
    // Two bursts of 300 characters, at 100 and 400 ms; each posted at once.
    recorder.chunk('text', 300);
    recorder.postedBatch(300);
    t = 400;
    recorder.chunk('text', 300);
    recorder.postedBatch(300);
    t = 600;
    // Smoothed: the second burst shown over 80 ms (epoch times, as the webview reports them).
    recorder.webviewPaints([1_000_110, 1_000_420, 1_000_450, 1_000_480], [300, 380, 500, 600]);
    // A paint reported out of order, or before anything was posted, is kept in order and not before the first post.
    recorder.webviewPaints([1_000_050], [600]);
    recorder.finished({ state: 'done', finishReason: 'stop', textLength: 600, toolCalls: [], attempts: 1 });
    const trace = recorder.trace();
    const timeline = traceTimeline(trace);
    assert.deepEqual(timeline.paintAt, [110, 420, 450, 480, 480]);
    assert.deepEqual(timeline.paintChars, [300, 380, 500, 600, 600]);
    assert.deepEqual(timeline.arrivedChars, [300, 600]);
    assert.equal(timeline.figures.paints, 5);
    // The first burst was on screen 10 ms after it arrived, the second (all of it) 80 ms after.
    assert.equal(timeline.figures.displayLagMaxMs, 80);
    assert.equal(timeline.figures.displayLagP95Ms, 80);
    assert.deepEqual(parseRequestTrace(JSON.parse(JSON.stringify(trace)))?.timeline, trace.timeline, 'the paints read back');
  });

  it('moves a batch of paints from a webview clock running ahead back whole, and keeps one view\'s paints', () => {
    let t = 0;
    const recorder = new TraceRecorder({ now: () => t, timeOrigin: 1_000_000 });
    recorder.userSent(1_000_000);
    t = 100;
    recorder.firstChunk();
    recorder.chunk('text', 10);
    recorder.postedBatch(10);
    t = 300;
    const panel = {};
    const sidebar = {};
    // The webview's clock is 5 s ahead: its paints at "5,150" and "5,250" ms were at 200 and 300 here.
    recorder.webviewPaints([1_005_150, 1_005_250], [4, 10], panel);
    recorder.webviewPaints([1_000_120, 1_000_130], [10, 10], sidebar);
    recorder.finished({ state: 'done', finishReason: 'stop', textLength: 10, toolCalls: [], attempts: 1 });
    const timeline = traceTimeline(recorder.trace());
    assert.deepEqual(timeline.paintAt, [200, 300], 'the gap between the paints is kept; the second view is left out');
    assert.deepEqual(timeline.paintChars, [4, 10]);
  });

  it('gives no display lag where paints and chunks cannot be compared', () => {
    assert.deepEqual(displayLags([0, 10], [5, 10], [], []), [], 'no paints');
    assert.deepEqual(displayLags([0, 10], [5, 10], [1, 2, 3], [5, 2, 10]), [], 'the text on screen shrank (an agent round restarted it)');
    assert.deepEqual(displayLags([0, 10, 20], [5, 10, 15], [3, 12], [5, 10]), [3, 2], 'a chunk no paint reached has no lag');
  });

  it('falls back to the first chunks kept for the diagram when there is no timeline', () => {
    const trace = streamed(Array.from({ length: 500 }, () => 4));
    delete trace.timeline;
    const timeline = traceTimeline(trace);
    assert.equal(timeline.figures.chunks, 500);
    assert.equal(timeline.figures.keptChunks, 200);
  });

  it('tells an even stream from a bursty one by the coefficient of variation of its gaps', () => {
    const even = traceTimeline(streamed(Array.from({ length: 100 }, () => 10))).figures;
    assert.equal(even.gapCv, 0);
    assert.equal(even.meanGapMs, 10);
    // Ten chunks at once, then a 500 ms stall: what Azure's content filter does.
    const bursty = traceTimeline(streamed(Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 500 : 0.5)))).figures;
    assert.ok((bursty.gapCv ?? 0) > 2, `cv ${bursty.gapCv}`);
    assert.equal(bursty.maxGapMs, 500);
  });

  it('marks the hops in time order and measures time to first token from the send', () => {
    const timeline = traceTimeline(streamed([10, 10, 10]));
    assert.deepEqual(timeline.marks.map((m) => m.kind), ['send', 'firstByte', 'firstToken', 'end']);
    assert.equal(timeline.figures.ttftMs, 310);
    assert.equal(timeline.start, 0);
    assert.equal(timeline.end, 330);
  });

  it('finds the longest gaps, longest first', () => {
    assert.deepEqual(longestGaps([0, 5, 105, 110, 160, 161], 2), [
      { from: 5, to: 105, ms: 100 },
      { from: 110, to: 160, ms: 50 },
    ]);
    assert.deepEqual(longestGaps([0], 3), []);
  });

  it('bins chunk sizes by powers of two and rates tokens per window', () => {
    assert.deepEqual(sizeBins([1, 2, 3, 4, 9]), [
      { min: 1, max: 1, count: 1 },
      { min: 2, max: 3, count: 2 },
      { min: 4, max: 7, count: 1 },
      { min: 8, max: 15, count: 1 },
    ]);
    // 11 chunks over 100 ms: two 50 ms windows; one token a chunk without usage.
    const rate = ratePoints(Array.from({ length: 11 }, (_, i) => i * 10), new Array(11).fill(3), undefined, 120);
    assert.deepEqual(rate, [
      { at: 50, tokensPerSecond: 100 },
      { at: 100, tokensPerSecond: 120 },
    ]);
    // With usage, tokens follow the characters: 2 tokens a character.
    assert.deepEqual(ratePoints([0, 100], [1, 1], 2, 120), [
      { at: 50, tokensPerSecond: 40 },
      { at: 100, tokensPerSecond: 40 },
    ]);
  });

  it('has every label in English and Japanese, and picks by the UI language', () => {
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v).map((s) => `${k}.${s}`) : [k]));
    assert.deepEqual(keys(timelineJa).sort(), keys(timelineEn).sort());
    for (const [key, value] of Object.entries(timelineJa)) {
      if (typeof value === 'string' && key !== 'lang' && !/^[AB]$|ms/.test(value)) assert.notEqual(value, (timelineEn as unknown as Record<string, string>)[key], key);
    }
    assert.equal(timelineLabelsFor('ja').lang, 'ja');
    assert.equal(timelineLabelsFor('en-US').lang, 'en');
    assert.equal(fill(timelineEn.stripLabel, 3, '1 s'), '3 chunks over 1 s');
  });
});
