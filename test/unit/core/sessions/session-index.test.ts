import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSessionRecord, type SessionRecord } from '../../../../src/core/sessions/session-record';
import { SessionStore } from '../../../../src/core/sessions/session-store';

function record(id: string, updatedAt: number, title = id): SessionRecord {
  return { ...newSessionRecord(id, 0), title, updatedAt, messages: [{ id: 'm1', role: 'user', text: 'hi', state: 'done' }] };
}

const INDEX = 'sessions.index';

describe('SessionStore: the index of summaries', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rill-index-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function saved(...records: SessionRecord[]): Promise<void> {
    const store = new SessionStore(dir);
    for (const r of records) await store.save(r);
    await store.flush();
  }

  it('lists from the index without reading a session file', async () => {
    await saved(record('a', 1), record('b', 3), record('c', 2));
    // Garbage in every session file: a store that read them would set them aside as damaged.
    for (const id of ['a', 'b', 'c']) await writeFile(join(dir, `${id}.json`), 'garbage');
    const damaged: string[] = [];
    const store = new SessionStore(dir, (file) => damaged.push(file));
    assert.deepEqual((await store.list()).map((s) => s.id), ['b', 'c', 'a']);
    assert.equal(store.io.reads, 0);
    assert.deepEqual(damaged, []);
  });

  it('is built from the session files when missing, and written for the next start', async () => {
    for (const r of [record('a', 1), record('b', 2)]) await writeFile(join(dir, `${r.id}.json`), JSON.stringify(r));
    const first = new SessionStore(dir);
    assert.deepEqual((await first.list()).map((s) => s.id), ['b', 'a']);
    assert.equal(first.io.reads, 2);
    assert.ok((await readdir(dir)).includes(INDEX));
    const second = new SessionStore(dir);
    assert.deepEqual((await second.list()).map((s) => s.id), ['b', 'a']);
    assert.equal(second.io.reads, 0);
  });

  it('is rebuilt when it does not parse', async () => {
    await saved(record('a', 1), record('b', 2));
    for (const garbage of ['{"version":1,"sessions":[{"id":"a"}]}', '{"version":1,"sess', 'null']) {
      await writeFile(join(dir, INDEX), garbage);
      const store = new SessionStore(dir);
      assert.deepEqual((await store.list()).map((s) => s.id), ['b', 'a'], garbage);
      assert.equal(store.io.reads, 2, garbage);
    }
  });

  it('drops an entry whose file is gone and reads only a file it does not name', async () => {
    await saved(record('a', 1), record('b', 2));
    await rm(join(dir, 'a.json'));
    await writeFile(join(dir, 'c.json'), JSON.stringify(record('c', 3))); // another window, or an older Rill
    const store = new SessionStore(dir);
    assert.deepEqual((await store.list()).map((s) => s.id), ['c', 'b']);
    assert.equal(store.io.reads, 1);
    assert.doesNotMatch(await readFile(join(dir, INDEX), 'utf8'), /"a"/, 'the repaired index was written');
  });

  it('writes the index once for many saves, not once per save', async () => {
    await saved(record('a', 1));
    const store = new SessionStore(dir);
    await store.list();
    const before = await readFile(join(dir, INDEX), 'utf8');
    for (let i = 2; i < 12; i++) await store.saveChanges(record('a', i, `title ${i}`));
    assert.equal(await readFile(join(dir, INDEX), 'utf8'), before, 'not yet written');
    assert.equal((await store.list())[0]?.title, 'title 11', 'the listing is current all the same');
    await store.flush();
    assert.equal(store.io.indexWrites, 1);
    assert.match(await readFile(join(dir, INDEX), 'utf8'), /title 11/);
    assert.ok(!(await readdir(dir)).some((f) => f.startsWith('sessions.dirty-')), 'the marker goes once the index is written');
  });

  it('after a crash before the index was written, reads again only the sessions that changed', async () => {
    await saved(record('a', 1), record('b', 2), record('c', 3));
    const crashed = new SessionStore(dir);
    await crashed.saveChanges(record('a', 10, 'renamed before the crash'));
    // No flush: the process ends here. The index on disk still has the old title.
    assert.doesNotMatch(await readFile(join(dir, INDEX), 'utf8'), /renamed/);
    const store = new SessionStore(dir);
    const list = await store.list();
    assert.deepEqual(list.map((s) => [s.id, s.title]), [['a', 'renamed before the crash'], ['c', 'c'], ['b', 'b']]);
    assert.equal(store.io.reads, 1);
  });

  it('keeps what another window wrote to the index meanwhile', async () => {
    await saved(record('a', 1));
    const one = new SessionStore(dir);
    const two = new SessionStore(dir);
    await one.list();
    await two.list();
    await two.save(record('b', 5));
    await two.flush();
    await one.save(record('a', 6, 'a again'));
    await one.flush();
    const fresh = new SessionStore(dir);
    assert.deepEqual((await fresh.list()).map((s) => [s.id, s.title]), [['a', 'a again'], ['b', 'b']]);
    assert.equal(fresh.io.reads, 0);
  });
});
