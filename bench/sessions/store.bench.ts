// Issue 14, item 3: saved sessions at scale. In a temporary folder, 1,000 saved conversations of 40
// messages and one of 2,000, written as today's Rill writes them (plain `<id>.json`), then:
// (a) the history's first listing, by a fresh store as after a reload: from the index, beside the
//     way Rill listed before it (read and parse every file: the baseline, same run) and beside the
//     first start after an upgrade (no index yet: built from the files, then written);
// (b) bytes written while an answer streams (~50 tokens/s, a save per second, as ChatSession saves)
//     into the 2,000-message conversation and into a new one, with `saveChanges` (the log) beside
//     `save` (the whole file each second, as before).
// The same again at 10,000 conversations, to show how it grows. Figures are medians of rounds.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSessionRecord, summarize, type SessionRecord } from '../../src/core/sessions/session-record';
import { SessionStore } from '../../src/core/sessions/session-store';
import type { ChatMessageView, SessionSummary } from '../../src/protocol/messages';

const MESSAGES = 40;
const LONG = 2000;
const SECONDS = 30;
/** ~50 tokens of English prose: about four characters a token. */
const PER_SECOND = 'The quick brown fox jumps over the lazy dog near the river bank, '.repeat(3).slice(0, 200);
const WORDS = 'session index append log compaction stream token reload window history conversation answer'.split(' ');

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

function text(seed: number, chars: number): string {
  let out = '';
  for (let i = seed; out.length < chars; i = (i * 31 + 7) % 9973) out += `${WORDS[i % WORDS.length]} `;
  return out.slice(0, chars);
}

function conversation(id: string, messages: number, at: number): SessionRecord {
  const list: ChatMessageView[] = [];
  for (let i = 0; i < messages; i++) {
    const user = i % 2 === 0;
    // ~250 bytes a message on average: 1,000 conversations of 40 are about 10 MB, as in the issue.
    list.push({ id: `m${i}`, role: user ? 'user' : 'assistant', text: text(at + i, user ? 80 : 420), state: 'done' });
  }
  return { version: 1, id, title: text(at, 40).trim(), createdAt: at, updatedAt: at + messages, messages: list };
}

/** Today's files: plain `<id>.json`, as Rill wrote them before the index and the log. */
async function generate(dir: string, count: number): Promise<number> {
  let bytes = 0;
  const write = async (record: SessionRecord) => {
    const json = JSON.stringify(record);
    bytes += json.length;
    await writeFile(join(dir, `${record.id}.json`), json);
  };
  for (let i = 0; i < count; i++) await write(conversation(`s${i}`, MESSAGES, 1_700_000_000_000 + i * 1000));
  await write(conversation('long', LONG, 1_690_000_000_000));
  return bytes;
}

/** The listing before the index (the old SessionStore's `index()`): read and parse every file. */
async function listByParsing(dir: string): Promise<SessionSummary[]> {
  const summaries: SessionSummary[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json'))) {
    const record = parseSessionRecord(JSON.parse(await readFile(join(dir, name), 'utf8')));
    if (record) summaries.push(summarize(record));
  }
  return summaries.sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Wall time, and the process's CPU time (threads reading files included): on a loaded machine the wall time includes waits for a core. */
async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, value };
}

interface Listing {
  parseMs: number;
  parseCpuMs: number;
  indexMs: number;
  indexCpuMs: number;
  rebuildMs: number;
  rebuildCpuMs: number;
  indexBytes: number;
}

async function listing(dir: string, rounds: number): Promise<Listing> {
  const parse: number[] = [];
  const index: number[] = [];
  const rebuild: number[] = [];
  const parseCpu: number[] = [];
  const indexCpu: number[] = [];
  const rebuildCpu: number[] = [];
  await listByParsing(dir); // warm-up: the page cache holds the files for every way alike
  for (let round = 0; round < rounds; round++) {
    await rm(join(dir, 'sessions.index'), { force: true });
    const rebuilt = await timed(() => new SessionStore(dir).list());
    rebuild.push(rebuilt.ms);
    rebuildCpu.push(rebuilt.cpuMs);
    const old = await timed(() => listByParsing(dir));
    parse.push(old.ms);
    parseCpu.push(old.cpuMs);
    const fresh = new SessionStore(dir);
    const listed = await timed(() => fresh.list());
    index.push(listed.ms);
    indexCpu.push(listed.cpuMs);
    if (fresh.io.reads !== 0) throw new Error(`listing from the index read ${fresh.io.reads} session files`);
    if (JSON.stringify(listed.value) !== JSON.stringify(old.value) || JSON.stringify(rebuilt.value) !== JSON.stringify(old.value)) {
      throw new Error('the index lists something other than the files hold');
    }
  }
  const indexBytes = (await readFile(join(dir, 'sessions.index'))).length;
  return {
    parseMs: median(parse),
    parseCpuMs: median(parseCpu),
    indexMs: median(index),
    indexCpuMs: median(indexCpu),
    rebuildMs: median(rebuild),
    rebuildCpuMs: median(rebuildCpu),
    indexBytes,
  };
}

interface Streamed {
  /** Bytes per second while the answer streams (the saves of seconds 1 to 30). */
  perSecond: number;
  /** The save as the turn starts (the prompt and an empty answer) and the one as it ends. */
  startBytes: number;
  endBytes: number;
  /** Median time of one streaming save. */
  saveMs: number;
}

/** One answer streamed into `record` for SECONDS, saved as ChatSession saves it. */
async function stream(store: SessionStore, record: SessionRecord, how: 'saveChanges' | 'save'): Promise<Streamed> {
  const save = (r: SessionRecord) => (how === 'save' ? store.save(r) : store.saveChanges(r));
  const start = store.io.bytesWritten;
  const prompt: ChatMessageView = { id: 'q-live', role: 'user', text: 'And how does it grow?', state: 'done' };
  let answer: ChatMessageView = { id: 'a-live', role: 'assistant', text: '', state: 'streaming' };
  let now = record.updatedAt;
  const at = (message: ChatMessageView) => ({ ...record, updatedAt: ++now, messages: [...record.messages, prompt, message] });
  await save(at(answer));
  const startBytes = store.io.bytesWritten - start;
  const times: number[] = [];
  for (let second = 0; second < SECONDS; second++) {
    answer = { ...answer, text: answer.text + PER_SECOND };
    const r = at(answer);
    times.push((await timed(() => save(r))).ms);
  }
  const streamBytes = store.io.bytesWritten - start - startBytes;
  await save(at({ ...answer, state: 'done' }));
  const endBytes = store.io.bytesWritten - start - startBytes - streamBytes;
  return { perSecond: streamBytes / SECONDS, startBytes, endBytes, saveMs: median(times) };
}

async function streaming(dir: string): Promise<Record<string, Streamed>> {
  const out: Record<string, Streamed> = {};
  for (const how of ['save', 'saveChanges'] as const) {
    const store = new SessionStore(dir);
    const long = await store.load('long');
    if (!long) throw new Error('the long conversation did not load');
    out[`${how}Long`] = await stream(store, long, how);
    out[`${how}New`] = await stream(store, { version: 1, id: `new-${how.toLowerCase()}`, title: '', createdAt: 1, updatedAt: 1, messages: [] }, how);
    await store.flush();
  }
  return out;
}

async function measureAt(sessions: number, rounds: number): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'rill-bench-sessions-'));
  try {
    const bytes = await generate(dir, sessions);
    const list = await listing(dir, rounds);
    const s = await streaming(dir);
    const figures: Record<string, number> = { sessions, megabytes: bytes / 1e6, ...list };
    for (const [name, streamed] of Object.entries(s)) {
      for (const [key, value] of Object.entries(streamed)) figures[`${name}.${key}`] = value;
    }
    figures.ratio = (s.saveChangesLong?.perSecond ?? NaN) / (s.saveChangesNew?.perSecond ?? NaN);
    figures.ratioBefore = (s.saveLong?.perSecond ?? NaN) / (s.saveNew?.perSecond ?? NaN);
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchSessions(): Promise<Record<string, number>> {
  const at1k = await measureAt(1000, 5);
  const at10k = await measureAt(10_000, 3);
  const figures: Record<string, number> = {};
  for (const [key, value] of Object.entries(at1k)) figures[key] = value;
  for (const [key, value] of Object.entries(at10k)) figures[`x10.${key}`] = value;
  return figures;
}

const ms = (n: number | undefined) => `${(n ?? NaN).toFixed(1)} ms`;
const bps = (n: number | undefined) => `${Math.round(n ?? NaN).toLocaleString('en-US')} B/s`;
const b = (n: number | undefined) => `${Math.round(n ?? NaN).toLocaleString('en-US')} B`;

export function sessionsTable(f: Record<string, number>): string[] {
  const rows: string[] = [];
  for (const p of ['', 'x10.']) {
    const g = (key: string) => f[`${p}${key}`];
    rows.push(
      '',
      `${g('sessions')?.toLocaleString('en-US')} conversations of ${MESSAGES} messages and one of ${LONG.toLocaleString('en-US')} (${g('megabytes')?.toFixed(1)} MB); index ${b(g('indexBytes'))}`,
      '| first listing, fresh store | wall, median | CPU, median |',
      '|---|---|---|',
      `| read and parse every file (before, baseline) | ${ms(g('parseMs'))} | ${ms(g('parseCpuMs'))} |`,
      `| from the index (bar: < 100 ms) | ${ms(g('indexMs'))} | ${ms(g('indexCpuMs'))} |`,
      `| no index yet (first start after the upgrade: built, then written) | ${ms(g('rebuildMs'))} | ${ms(g('rebuildCpuMs'))} |`,
      '',
      `| an answer streaming for ${SECONDS} s, a save a second | written per second | at the turn's start | at its end | one save, median |`,
      '|---|---|---|---|---|',
      `| whole file each save (before), new conversation | ${bps(g('saveNew.perSecond'))} | ${b(g('saveNew.startBytes'))} | ${b(g('saveNew.endBytes'))} | ${ms(g('saveNew.saveMs'))} |`,
      `| whole file each save (before), ${LONG.toLocaleString('en-US')}-message conversation | ${bps(g('saveLong.perSecond'))} | ${b(g('saveLong.startBytes'))} | ${b(g('saveLong.endBytes'))} | ${ms(g('saveLong.saveMs'))} |`,
      `| log (saveChanges), new conversation | ${bps(g('saveChangesNew.perSecond'))} | ${b(g('saveChangesNew.startBytes'))} | ${b(g('saveChangesNew.endBytes'))} | ${ms(g('saveChangesNew.saveMs'))} |`,
      `| log (saveChanges), ${LONG.toLocaleString('en-US')}-message conversation | ${bps(g('saveChangesLong.perSecond'))} | ${b(g('saveChangesLong.startBytes'))} | ${b(g('saveChangesLong.endBytes'))} | ${ms(g('saveChangesLong.saveMs'))} |`,
      `| long / new, per second (bar: ≤ 2): before ${g('ratioBefore')?.toFixed(1)}, after | ${g('ratio')?.toFixed(2)} | | | |`,
    );
  }
  return rows;
}
