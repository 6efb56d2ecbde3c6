import { strict as assert } from 'node:assert';
import type { ToWebviewPayload } from '../../../src/protocol/messages';
import { PostQueue } from '../../../src/protocol/post-queue';
import { prng } from '../../support/prng';

/** A channel whose deliveries the test settles by hand, in order. */
function channel() {
  const sent: ToWebviewPayload[] = [];
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const send = (message: ToWebviewPayload) =>
    new Promise<void>((resolve, reject) => {
      sent.push(structuredClone(message));
      pending.push({ resolve, reject });
    });
  /** Settles the oldest send and lets its continuation run. */
  const deliver = async (fail = false) => {
    const next = pending.shift();
    assert.ok(next, 'nothing in flight');
    if (fail) next.reject(new Error('Webview is disposed'));
    else next.resolve();
    await new Promise((r) => setImmediate(r));
  };
  return { sent, pending, send, deliver };
}

const text = (messageId: string, t: string): ToWebviewPayload => ({ type: 'textAppended', messageId, text: t });
const reasoning = (messageId: string, t: string): ToWebviewPayload => ({ type: 'reasoningAppended', messageId, text: t });
const progress = (messageId: string, p: string | undefined): ToWebviewPayload => ({ type: 'progress', messageId, progress: p });

describe('PostQueue', () => {
  it('sends at once when nothing is in flight', () => {
    const c = channel();
    const queue = new PostQueue(c.send);
    queue.post(text('m2', 'Hello'));
    assert.deepEqual(c.sent, [text('m2', 'Hello')]);
    assert.equal(queue.backlog, 0);
  });

  it('keeps one message in flight and merges what arrives meanwhile into one append', async () => {
    const c = channel();
    const queue = new PostQueue(c.send);
    queue.post(text('m2', 'a'));
    for (const piece of ['b', 'c', 'd']) queue.post(text('m2', piece));
    assert.equal(c.sent.length, 1);
    assert.equal(queue.backlog, 1);
    await c.deliver();
    assert.deepEqual(c.sent, [text('m2', 'a'), text('m2', 'bcd')]);
    await c.deliver();
    assert.equal(c.pending.length, 0);
    assert.equal(queue.backlog, 0);
  });

  it('never merges across another message, another kind or another answer', async () => {
    const c = channel();
    const queue = new PostQueue(c.send);
    queue.post(progress('m2', 'Retrying in 2 s'));
    const later: ToWebviewPayload[] = [
      reasoning('m2', 'think '),
      reasoning('m2', 'more'),
      text('m2', 'A'),
      text('m2', 'B'),
      progress('m2', undefined),
      text('m2', 'C'),
      text('m4', 'other answer'),
      text('m2', 'D'),
    ];
    for (const m of later) queue.post(m);
    while (c.pending.length) await c.deliver();
    assert.deepEqual(c.sent, [
      progress('m2', 'Retrying in 2 s'),
      reasoning('m2', 'think more'),
      text('m2', 'AB'),
      progress('m2', undefined),
      text('m2', 'C'),
      text('m4', 'other answer'),
      text('m2', 'D'),
    ]);
  });

  it('does not change the objects it is given (a session posts one object to every view)', async () => {
    const c = channel();
    const queue = new PostQueue(c.send);
    queue.post(text('m2', 'first'));
    const shared = text('m2', 'x');
    queue.post(shared);
    queue.post(text('m2', 'y'));
    assert.deepEqual(shared, text('m2', 'x'));
    await c.deliver();
    assert.deepEqual(c.sent.at(-1), text('m2', 'xy'));
  });

  it('frees the channel when a send fails or throws, and goes on in order', async () => {
    const c = channel();
    let throwNext = false;
    const queue = new PostQueue((m) => {
      if (throwNext) {
        throwNext = false;
        throw new Error('gone');
      }
      return c.send(m);
    });
    queue.post(text('m2', 'a'));
    queue.post(text('m2', 'b'));
    await c.deliver(true);
    assert.deepEqual(c.sent, [text('m2', 'a'), text('m2', 'b')]);
    throwNext = true;
    queue.post({ type: 'toggleHistory' });
    queue.post(text('m2', 'c'));
    await c.deliver();
    // The throwing send took `toggleHistory`; the channel went on to `c`.
    assert.deepEqual(c.sent.at(-1), text('m2', 'c'));
    await c.deliver();
    assert.equal(queue.backlog, 0);
  });

  it('keeps at most the asked number in flight', async () => {
    const c = channel();
    const queue = new PostQueue(c.send, 2);
    queue.post(text('m2', 'a'));
    queue.post(progress('m2', 'p'));
    queue.post(text('m2', 'b'));
    queue.post(text('m2', 'c'));
    assert.equal(c.pending.length, 2);
    await c.deliver();
    assert.equal(c.pending.length, 2);
    assert.deepEqual(c.sent.at(-1), text('m2', 'bc'));
  });

  for (const seed of [1, 2, 3]) {
    it(`delivers exactly the text posted, in order, whatever the timing (seed ${seed})`, async () => {
      const random = prng(seed);
      const c = channel();
      const queue = new PostQueue(c.send);
      let posted = '';
      let appends = 0;
      for (let i = 0; i < 2000; i++) {
        const piece = `${i},`;
        posted += piece;
        appends++;
        queue.post(text('m2', piece));
        if (random() < 0.3 && c.pending.length) await c.deliver();
      }
      while (c.pending.length) await c.deliver();
      const received = c.sent.map((m) => (m.type === 'textAppended' ? m.text : '')).join('');
      assert.equal(received, posted);
      assert.ok(c.sent.length < appends, `${c.sent.length} messages for ${appends} appends`);
    });
  }
});
