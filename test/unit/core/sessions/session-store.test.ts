import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSessionRecord, type SessionRecord } from '../../../../src/core/sessions/session-record';
import { SessionStore } from '../../../../src/core/sessions/session-store';

function record(id: string, updatedAt: number, text = 'hi'): SessionRecord {
  return { ...newSessionRecord(id, 0), title: id, updatedAt, messages: [{ id: 'm1', role: 'user', text, state: 'done' }] };
}

describe('SessionStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rill-sessions-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('saves, lists newest first, loads and deletes', async () => {
    const store = new SessionStore(dir);
    await store.save(record('a', 1));
    await store.save(record('b', 2));
    assert.deepEqual((await store.list()).map((s) => s.id), ['b', 'a']);
    assert.deepEqual(await store.load('a'), record('a', 1));
    await store.delete('a');
    assert.deepEqual((await store.list()).map((s) => s.id), ['b']);
    assert.equal(await store.load('a'), undefined);
  });

  it('reads what an earlier instance wrote (a reload)', async () => {
    await new SessionStore(dir).save(record('a', 5, 'こんにちは'));
    const reopened = new SessionStore(dir);
    assert.deepEqual(await reopened.list(), [{ id: 'a', title: 'a', createdAt: 0, updatedAt: 5, messageCount: 1 }]);
    assert.equal((await reopened.load('a'))?.messages[0]?.text, 'こんにちは');
  });

  it('keeps the last of many quick saves of one session, and leaves no temporary files', async () => {
    const store = new SessionStore(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(record('a', i, `v${i}`))));
    assert.equal((await store.load('a'))?.messages[0]?.text, 'v19');
    await store.flush();
    assert.deepEqual((await readdir(dir)).sort(), ['a.json', 'sessions.index']);
  });

  it('sets a damaged file aside, says so, and lists the rest', async () => {
    const told: string[] = [];
    await new SessionStore(dir).save(record('good', 1));
    await writeFile(join(dir, 'bad.json'), '{"version":1,"id":"bad", truncated');
    const store = new SessionStore(dir, (file) => told.push(file));
    assert.deepEqual((await store.list()).map((s) => s.id), ['good']);
    assert.equal(told.length, 1);
    const files = await readdir(dir);
    assert.ok(files.some((f) => f.startsWith('bad.json.damaged-')), 'the damaged file is kept, renamed');
    assert.match(await readFile(join(dir, files.find((f) => f.startsWith('bad.json.damaged-')) ?? ''), 'utf8'), /truncated/);
  });

  it('makes its folder on the first save', async () => {
    const store = new SessionStore(join(dir, 'not', 'yet'));
    assert.deepEqual(await store.list(), []);
    await store.saveChanges(record('a', 1));
    assert.deepEqual((await store.list()).map((s) => s.id), ['a']);
    assert.deepEqual(await new SessionStore(join(dir, 'not', 'yet')).load('a'), record('a', 1));
  });

  it('refuses an id that would escape its folder', async () => {
    const store = new SessionStore(dir);
    await assert.rejects(store.save({ ...record('a', 1), id: '../evil' }), /Invalid session id/);
  });
});
