import { strict as assert } from 'node:assert';
import { PAGE_SIZE, pageBefore } from '../../../src/core/conversation-pages';

/** Prompt and answer pairs: u1 a1 u2 a2 ... */
function turns(count: number): Array<{ id: string; role: 'user' | 'assistant' }> {
  return Array.from({ length: count * 2 }, (_, i) => ({ id: `${i % 2 ? 'a' : 'u'}${Math.floor(i / 2) + 1}`, role: i % 2 ? 'assistant' : 'user' }));
}

describe('pageBefore (paging a long conversation)', () => {
  it('gives the newest page, and how many are older, for a snapshot', () => {
    const all = turns(1000);
    assert.deepEqual(pageBefore(all, undefined), { start: 2000 - PAGE_SIZE, end: 2000 });
  });

  it('gives a whole short conversation', () => {
    assert.deepEqual(pageBefore(turns(3), undefined), { start: 0, end: 6 });
    assert.deepEqual(pageBefore([], undefined), { start: 0, end: 0 });
  });

  it('gives the page just before a message, down to the first one', () => {
    const all = turns(50); // 100 messages
    assert.deepEqual(pageBefore(all, 'u31', 40), { start: 20, end: 60 });
    assert.deepEqual(pageBefore(all, 'u11', 40), { start: 0, end: 20 });
    assert.deepEqual(pageBefore(all, 'u1', 40), { start: 0, end: 0 });
  });

  it('never starts a page with an answer whose prompt is just before it', () => {
    const all = turns(50);
    // 60 - 41 = 19 would start at a10; its prompt u10 (18) comes along.
    assert.deepEqual(pageBefore(all, 'u31', 41), { start: 18, end: 60 });
    // Two answers in a row (a continued one): only a prompt is pulled in.
    const odd = [
      { id: 'u1', role: 'user' as const },
      { id: 'a1', role: 'assistant' as const },
      { id: 'a2', role: 'assistant' as const },
      { id: 'u2', role: 'user' as const },
    ];
    assert.deepEqual(pageBefore(odd, undefined, 2), { start: 2, end: 4 });
  });

  it('refuses an id it does not hold (a view that switched conversation since)', () => {
    assert.equal(pageBefore(turns(5), 'elsewhere'), undefined);
  });

  it('keeps a snapshot the same size however long the conversation grows', () => {
    for (const count of [1000, 5000, 10000]) {
      const page = pageBefore(turns(count), undefined)!;
      assert.equal(page.end - page.start, PAGE_SIZE);
      assert.equal(page.start, count * 2 - PAGE_SIZE);
    }
  });
});
