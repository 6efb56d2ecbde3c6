import { strict as assert } from 'node:assert';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessageView } from '../../../../src/protocol/messages';
import { newSessionRecord, type SessionRecord } from '../../../../src/core/sessions/session-record';
import { SessionStore } from '../../../../src/core/sessions/session-store';

const user = (id: string, text: string): ChatMessageView => ({ id, role: 'user', text, state: 'done' });
const answer = (id: string, text: string, state: ChatMessageView['state'] = 'streaming'): ChatMessageView => ({ id, role: 'assistant', text, state });

function conversation(turns: number, streaming = ''): SessionRecord {
  const messages: ChatMessageView[] = [];
  for (let i = 0; i < turns; i++) messages.push(user(`u${i}`, `question ${i}`), answer(`a${i}`, `answer ${i} `.repeat(50), 'done'));
  if (streaming !== undefined) messages.push(user('u-live', 'and now?'), answer('a-live', streaming));
  return { ...newSessionRecord('s1', 0), title: 'long', updatedAt: 1, messages };
}

/** The record as the next start of VS Code sees it. */
const reopened = (dir: string) => new SessionStore(dir).load('s1');

describe('SessionStore: the append-only log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rill-log-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes only the streamed tail while an answer streams, and reads it back', async () => {
    const store = new SessionStore(dir);
    let record = conversation(40, '');
    await store.saveChanges(record);
    const whole = (await stat(join(dir, 's1.json'))).size;
    let text = '';
    for (let second = 1; second <= 10; second++) {
      text += `word${second} `.repeat(40);
      record = { ...record, updatedAt: 1 + second, messages: [...record.messages.slice(0, -1), answer('a-live', text)] };
      const before = store.io.bytesWritten;
      await store.saveChanges(record);
      const written = store.io.bytesWritten - before;
      assert.ok(written < 400 + (second === 1 ? 100 : 0), `save ${second} wrote ${written} bytes`);
    }
    assert.equal((await stat(join(dir, 's1.json'))).size, whole, 'the conversation file is not rewritten while streaming');
    assert.deepEqual(await reopened(dir), record);
  });

  it('compacts the log into the conversation file when the answer finishes', async () => {
    const store = new SessionStore(dir);
    const record = conversation(2, 'par');
    await store.saveChanges(record);
    await store.saveChanges({ ...record, messages: [...record.messages.slice(0, -1), answer('a-live', 'partial')] });
    assert.ok((await readdir(dir)).includes('s1.log'));
    const done = { ...record, messages: [...record.messages.slice(0, -1), answer('a-live', 'partial and done', 'done')] };
    await store.saveChanges(done);
    assert.ok(!(await readdir(dir)).includes('s1.log'), 'no log once the answer finished');
    const file = JSON.parse(await readFile(join(dir, 's1.json'), 'utf8')) as SessionRecord;
    assert.equal(file.messages.at(-1)?.text, 'partial and done');
    assert.deepEqual(await reopened(dir), done);
  });

  it('round-trips every kind of change: fields, new, changed, removed and replaced messages', async () => {
    const store = new SessionStore(dir);
    const steps: SessionRecord[] = [];
    let r = conversation(1, 'a');
    steps.push(r);
    r = { ...r, draft: 'typing', messages: [...r.messages.slice(0, -1), { ...answer('a-live', 'ab'), reasoning: 'think' }] };
    steps.push(r);
    r = { ...r, title: 'renamed', titleIsCustom: true, messages: [...r.messages.slice(0, -1), { ...answer('a-live', 'abc'), reasoning: 'thinking' }] };
    steps.push(r);
    r = { ...r, messages: [...r.messages.slice(0, -1), { ...answer('a-live', 'abc'), reasoning: 'thinking', usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 } }] };
    steps.push(r);
    r = { ...r, messages: [...r.messages.slice(0, -1), answer('a-live', 'rewritten')] }; // not an append: the whole message
    steps.push(r);
    r = { ...r, draft: undefined, messages: [...r.messages.slice(0, 2), answer('a-retry', 'again')] }; // a retry replaces the answer
    steps.push(r);
    r = { ...r, messages: r.messages.slice(0, 1) };
    steps.push(r);
    for (const [i, step] of steps.entries()) {
      const clean = JSON.parse(JSON.stringify(step)) as SessionRecord;
      await store.saveChanges(step);
      assert.deepEqual(await reopened(dir), clean);
      // All but the first (a new file) and the last (no answer streams any more: compacted) are appends.
      if (i > 0 && i < steps.length - 1) assert.ok((await readdir(dir)).includes('s1.log'), `step ${i} went through the log`);
    }
  });

  it('ignores a torn last line, and goes on appending after the good ones', async () => {
    const record = conversation(1, 'one');
    const store = new SessionStore(dir);
    await store.saveChanges(record);
    const two = { ...record, messages: [...record.messages.slice(0, -1), answer('a-live', 'one two')] };
    await store.saveChanges(two);
    await appendFile(join(dir, 's1.log'), '{"m":[["t",3,"a-live"," thr'); // the crash cut this save short
    const after = new SessionStore(dir);
    assert.deepEqual(await after.load('s1'), two);
    const three = { ...record, messages: [...record.messages.slice(0, -1), answer('a-live', 'one two three')] };
    await after.saveChanges(three);
    assert.deepEqual(await reopened(dir), three);
  });

  it('ignores a log left by a crash between compaction and its removal (it names the old base)', async () => {
    const record = conversation(1, 'one');
    const store = new SessionStore(dir);
    await store.saveChanges(record);
    await store.saveChanges({ ...record, messages: [...record.messages.slice(0, -1), answer('a-live', 'one two')] });
    const staleLog = await readFile(join(dir, 's1.log'));
    const done = { ...record, messages: [...record.messages.slice(0, -1), answer('a-live', 'one, done', 'done')] };
    await store.saveChanges(done);
    await writeFile(join(dir, 's1.log'), staleLog); // as if the crash came before the log was removed
    const after = new SessionStore(dir);
    assert.deepEqual(await after.load('s1'), done);
    // and the next save does not append to the stale log
    const next = { ...done, draft: 'more' };
    await after.saveChanges(next);
    assert.deepEqual(await reopened(dir), next);
  });

  it('ignores a log that makes no sense for its base, keeping the conversation file', async () => {
    const record = conversation(1, 'one');
    const store = new SessionStore(dir);
    await store.saveChanges(record);
    const base = (JSON.parse(await readFile(join(dir, 's1.json'), 'utf8')) as { logBase: string }).logBase;
    await writeFile(join(dir, 's1.log'), `{"rill":"session-log","v":1,"base":"${base}"}\n{"m":[["t",9,"nope","x"]]}\n`);
    assert.deepEqual(await reopened(dir), record);
  });

  it('loads a file written before the log existed, and its first changes append, naming the hash of its text', async () => {
    const record = conversation(40, 'old');
    const legacy = JSON.stringify(record);
    await writeFile(join(dir, 's1.json'), legacy);
    const store = new SessionStore(dir);
    assert.deepEqual(await store.load('s1'), record);
    assert.deepEqual((await store.list()).map((s) => s.id), ['s1']);
    const before = store.io.bytesWritten;
    const next = { ...record, draft: 'x', messages: [...record.messages.slice(0, -1), answer('a-live', 'old and new')] };
    await store.saveChanges(next);
    assert.ok(store.io.bytesWritten - before < 300, `the first save into a ${legacy.length}-byte file wrote ${store.io.bytesWritten - before} bytes`);
    assert.equal(await readFile(join(dir, 's1.json'), 'utf8'), legacy, 'the file an older Rill wrote is left as it was');
    assert.match(await readFile(join(dir, 's1.log'), 'utf8'), /^\{"rill":"session-log","v":1,"base":"sha256:[0-9a-f]{32}"\}\n/);
    assert.deepEqual(await reopened(dir), next);
    // The file changed under the log (an older Rill wrote it again): the log no longer applies.
    const rewritten = { ...record, title: 'written again by an older Rill' };
    await writeFile(join(dir, 's1.json'), JSON.stringify(rewritten));
    assert.deepEqual(await reopened(dir), rewritten);
  });

  it('delete removes the log and the index entry', async () => {
    const record = conversation(1, 'one');
    const store = new SessionStore(dir);
    await store.saveChanges(record);
    await store.saveChanges({ ...record, messages: [...record.messages.slice(0, -1), answer('a-live', 'one two')] });
    assert.ok((await readdir(dir)).includes('s1.log'));
    await store.delete('s1');
    await store.flush();
    assert.deepEqual(await readdir(dir), ['sessions.index']);
    assert.deepEqual(await new SessionStore(dir).list(), []);
    assert.doesNotMatch(await readFile(join(dir, 'sessions.index'), 'utf8'), /s1/);
  });
});
