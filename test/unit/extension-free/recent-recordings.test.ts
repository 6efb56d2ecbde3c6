import { strict as assert } from 'node:assert';
import { AnswerRecording, RecentRecordings } from '../../../src/extension/recording/recent-recordings';

function withBytes(bytes: number): AnswerRecording {
  const recording = new AnswerRecording();
  const ex = recording.capture.begin({ method: 'POST', url: 'http://x/', headers: {} });
  if (bytes) ex.chunk(new Uint8Array(bytes));
  return recording;
}

describe('recent stream recordings (memory bound)', () => {
  it('finds an answer by session and message, not by message alone', () => {
    const recent = new RecentRecordings();
    const a = withBytes(10);
    const b = withBytes(10);
    recent.track('s1', 'm2', a);
    recent.track('s2', 'm2', b);
    assert.equal(recent.get('s1', 'm2'), a);
    assert.equal(recent.get('s2', 'm2'), b);
    assert.equal(recent.get('s1', 'm4'), undefined);
  });

  it('keeps only the latest eight answers, and a continued answer replaces its older request', () => {
    const recent = new RecentRecordings();
    const first = withBytes(1);
    recent.track('s', 'm0', first);
    for (let i = 1; i <= 8; i++) recent.track('s', `m${i}`, withBytes(1));
    assert.equal(recent.get('s', 'm0'), undefined, 'the oldest was dropped');
    assert.ok(recent.get('s', 'm1'));
    const again = withBytes(1);
    recent.track('s', 'm1', again);
    assert.equal(recent.get('s', 'm1'), again);
    assert.ok(recent.get('s', 'm2'), 'replacing did not drop another answer');
  });

  it('drops the oldest answers when their bytes pass 32 MiB together', () => {
    const recent = new RecentRecordings();
    recent.track('s', 'old', withBytes(7 * 1024 * 1024));
    for (let i = 0; i < 4; i++) recent.track('s', `m${i}`, withBytes(7 * 1024 * 1024));
    assert.equal(recent.get('s', 'old'), undefined);
    assert.ok(recent.get('s', 'm0'));
  });
});
