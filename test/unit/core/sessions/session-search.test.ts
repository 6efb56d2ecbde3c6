import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSessionRecord, type SessionRecord } from '../../../../src/core/sessions/session-record';
import { containsAll, queryWords, recordMatches, searchRecords, titleMatches } from '../../../../src/core/sessions/session-search';
import { SessionStore } from '../../../../src/core/sessions/session-store';

function record(id: string, title: string, ...texts: string[]): SessionRecord {
  return {
    ...newSessionRecord(id, 0),
    title,
    updatedAt: 1,
    messages: texts.map((text, i) => ({ id: `m${i}`, role: i % 2 ? 'assistant' : 'user', text, state: 'done' })),
  };
}

describe('session search: matching', () => {
  it('splits a query into folded words; a blank one has none', () => {
    assert.deepEqual(queryWords('  Rust   LIFETIMES '), ['rust', 'lifetimes']);
    assert.deepEqual(queryWords(' \n\t '), []);
    // NFKC: full-width Latin and half-width kana become what people usually type.
    assert.deepEqual(queryWords('ＡＰＩ ｶﾀｶﾅ'), ['api', 'カタカナ']);
  });

  it('needs every word, as a substring, in any case', () => {
    assert.equal(containsAll('Deploying to Kubernetes', queryWords('kube deploy')), true);
    assert.equal(containsAll('Deploying to Kubernetes', queryWords('kube docker')), false);
    assert.equal(containsAll('設定ファイルの読み込み', queryWords('ファイル')), true);
    assert.equal(titleMatches({ title: 'API keys' }, queryWords('ａｐｉ')), true);
    assert.equal(titleMatches({ title: 'anything' }, []), true);
  });

  it('finds a conversation by words spread over its title and messages, not by reasoning', () => {
    const chat = record('a', 'Build errors', 'why does tsc complain', 'Because strictNullChecks is on.');
    assert.equal(recordMatches(chat, queryWords('strictnullchecks')), true);
    assert.equal(recordMatches(chat, queryWords('build strictNullChecks tsc')), true);
    assert.equal(recordMatches(chat, queryWords('build webpack')), false);
    const reasoned = { ...chat, messages: [{ id: 'm', role: 'assistant' as const, text: 'Yes.', state: 'done' as const, reasoning: 'secret-word' }] };
    assert.equal(recordMatches(reasoned, queryWords('secret-word')), false);
    // A blank query is not a text search: it finds nothing (the list shows everything by itself).
    assert.equal(recordMatches(chat, []), false);
  });
});

describe('session search: reading saved conversations', () => {
  const records = new Map<string, SessionRecord>(
    Array.from({ length: 30 }, (_, i) => [`s${i}`, record(`s${i}`, `Chat ${i}`, i % 3 === 0 ? `the needle ${i}` : 'hay')] as const),
  );
  const ids = [...records.keys()];

  it('returns the matches in the order given, and skips what cannot be read', async () => {
    const load = async (id: string) => {
      if (id === 's3') throw new Error('EACCES');
      return id === 's6' ? undefined : records.get(id);
    };
    assert.deepEqual(await searchRecords(ids, load, 'needle'), ['s0', 's9', 's12', 's15', 's18', 's21', 's24', 's27']);
  });

  it('stops reading at the limit', async () => {
    const read: string[] = [];
    const hits = await searchRecords(ids, async (id) => (read.push(id), records.get(id)), 'NEEDLE', { limit: 2 });
    assert.deepEqual(hits, ['s0', 's3']);
    assert.deepEqual(read, ['s0', 's1', 's2', 's3']);
  });

  it('stops reading when cancelled, and says so', async () => {
    const abort = new AbortController();
    const read: string[] = [];
    const hits = await searchRecords(
      ids,
      async (id) => {
        read.push(id);
        if (read.length === 5) abort.abort(); // a newer query arrived while this file was read
        return records.get(id);
      },
      'needle',
      { signal: abort.signal },
    );
    assert.equal(hits, undefined);
    assert.equal(read.length, 5);
  });

  it('reads nothing for a blank query', async () => {
    let reads = 0;
    assert.deepEqual(await searchRecords(ids, async (id) => (reads++, records.get(id)), '   '), []);
    assert.equal(reads, 0);
  });

  it('searches a real store, newest first', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rill-search-'));
    try {
      const store = new SessionStore(dir);
      await store.save({ ...record('old', 'Old', 'we talked about the flux capacitor'), updatedAt: 1 });
      await store.save({ ...record('new', 'New', 'a Flux capacitor again'), updatedAt: 2 });
      await store.save({ ...record('other', 'Other', 'nothing here'), updatedAt: 3 });
      const list = (await store.list()).map((s) => s.id);
      assert.deepEqual(await searchRecords(list, (id) => store.load(id), 'flux capacitor'), ['new', 'old']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
