import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionStore } from '../../../../src/core/sessions/session-store';
import { answerText } from './fixtures/crash-text';

/** Runs the writer until it has reported `saves` saves, then kills it with SIGKILL. Returns the last save it reported. */
function writeThenKill(dir: string, saves: number): Promise<{ messages: number; length: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'crash-writer.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = 0;
    let last = { messages: 0, length: 0 };
    let buffer = '';
    child.stdout.on('data', (data: Buffer) => {
      buffer += data.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [messages, length] = line.split(' ').map(Number);
        last = { messages: messages ?? 0, length: length ?? 0 };
        if (++seen === saves) child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`the writer ended by itself (${signal ?? _code})`))));
    child.on('error', reject);
  });
}

describe('SessionStore: killed mid-write (SIGKILL), again and again', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rill-crash-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps every save that had completed, a prefix of the answer, and lists it right', async () => {
    // Kill points that land mid-answer (the log) and around the compactions at each answer's end.
    for (const saves of [5, 29, 30, 31, 17, 44, 3]) {
      const acked = await writeThenKill(dir, saves);
      const store = new SessionStore(dir);
      const record = await store.load('crash');
      assert.ok(record, `after ${saves} saves: the session loads`);
      const last = record.messages.at(-1);
      assert.ok(record.messages.length >= acked.messages, `after ${saves} saves: ${record.messages.length} messages, ${acked.messages} acknowledged`);
      if (record.messages.length === acked.messages) assert.ok((last?.text.length ?? 0) >= acked.length, `after ${saves} saves: the acknowledged text is kept`);
      for (const [i, m] of record.messages.entries()) {
        if (m.role === 'user') continue;
        assert.ok(answerText(Number(m.id.slice(1))).startsWith(m.text), `after ${saves} saves: answer ${m.id} is a prefix of what was sent`);
        if (i < record.messages.length - 1) assert.notEqual(m.state, 'streaming');
      }
      const listed = (await new SessionStore(dir).list()).find((s) => s.id === 'crash');
      assert.equal(listed?.messageCount, record.messages.length, `after ${saves} saves: the index is repaired`);
      assert.equal(listed?.updatedAt, record.updatedAt);
    }
  });
});
