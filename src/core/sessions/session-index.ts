import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionSummary } from '../../protocol/messages';
import { writeAtomic } from './atomic-write';

/**
 * The summaries of every saved session (id, title, dates, message count) in one file beside them,
 * so the history is listed from one small read instead of parsing every conversation.
 *
 * The file is `sessions.index`, not `*.json`, so an older Rill, which reads every `*.json` in the
 * folder as a session, does not set it aside as damaged; no session's file can have that name.
 *
 * Keeping it true without reading the sessions: writing the index on every save would cost a write
 * per streamed save (the index of 1,000 sessions is larger than an hour of streamed text), so it is
 * written a few seconds after saves stop: once per answer, not once a second. Before a session file
 * changes, its id goes into this store's marker file (`sessions.dirty-<pid>-<token>`, one line per
 * id, once per index write); after the index is written, the marker is removed. So at startup:
 * - a marker left by a crash (or by another window still writing) names the sessions the index may
 *   have wrong, and only those are read again;
 * - a session file the index does not name (written by another window or an older Rill) is read,
 *   and an entry whose file is gone is dropped: one `readdir`, no `stat` of every file (which costs
 *   about as much as the listing itself at 1,000 sessions);
 * - an index that is missing or does not parse is rebuilt from all the files.
 * What this does not see: an older Rill rewriting a session the index already names. Its entry then
 * shows the old title or date until that session is saved again.
 */
export const INDEX_FILE = 'sessions.index';
const MARKER_PREFIX = 'sessions.dirty-';
/** The index is written once no session was saved for this long (an answer saves every second). */
export const INDEX_WRITE_MS = 3000;

const SESSION_FILE = /^([a-z0-9-]{1,64})\.json$/i;

export interface IndexIo {
  /** Reads one session for its summary (the store's full load); `undefined` when it is not one. */
  summaryOf(id: string): Promise<SessionSummary | undefined>;
  /** Told of each index write (counted by benches). */
  wrote(bytes: number): void;
}

export class SessionIndex {
  private summaries?: Map<string, SessionSummary>;
  private opening?: Promise<Map<string, SessionSummary>>;
  private readonly marker: string;
  /** Ids in this store's marker file now. */
  private readonly marked = new Set<string>();
  /** Ids whose entry this store changed since its last index write (merged over the file's at the next). */
  private readonly changed = new Set<string>();
  /** Session writes between their mark and their summary update: an index write waits for none. */
  private pending = 0;
  private writing?: Promise<void>;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly dir: string,
    private readonly io: IndexIo,
  ) {
    this.marker = join(dir, `${MARKER_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  }

  /** The summaries, read from the index (repaired as above) the first time. */
  open(): Promise<Map<string, SessionSummary>> {
    if (this.summaries) return Promise.resolve(this.summaries);
    this.opening ??= this.read().then((map) => (this.summaries = map));
    return this.opening;
  }

  /** Call before a session's files change: from here until `changed`, a crash leaves it named. */
  async willChange(id: string): Promise<void> {
    while (this.writing) await this.writing;
    this.pending++;
    if (this.marked.has(id)) return;
    this.marked.add(id);
    try {
      await mkdir(this.dir, { recursive: true }); // the first save ever: no folder yet
      await appendFile(this.marker, `${id}\n`, 'utf8');
    } catch (error) {
      this.pending--;
      this.marked.delete(id);
      throw error;
    }
  }

  /** A session's files changed (`undefined`: it was deleted, or its write failed and it is re-read). */
  async didChange(id: string, summary: SessionSummary | undefined | 'unknown'): Promise<void> {
    try {
      const map = await this.open();
      if (summary === 'unknown') summary = await this.io.summaryOf(id).catch(() => undefined);
      if (summary) map.set(id, summary);
      else map.delete(id);
      this.changed.add(id);
    } finally {
      this.pending--;
      this.schedule();
    }
  }

  /** Writes the index now, if anything changed (tests, benches, and when the extension stops). */
  async flush(): Promise<void> {
    await this.writeNow();
  }

  /** Whether the index file now holds every change (false: a save is under way, it is tried again soon). */
  private async writeNow(): Promise<boolean> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (!this.summaries || (!this.changed.size && !this.marked.size)) return true;
    if (this.pending > 0) {
      this.schedule(50);
      return false;
    }
    this.writing = this.write(this.summaries).finally(() => (this.writing = undefined));
    await this.writing;
    return true;
  }

  /** Debounced: each save puts the write off again, and the markers cover a crash meanwhile. */
  private schedule(ms = INDEX_WRITE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined); // the marker stays: the next start repairs
    }, ms);
    this.timer.unref?.();
  }

  /**
   * Another window may share the folder and have written the index since this one read it: its
   * entries are kept, and this store's own changes (the newer of the two) go over them.
   */
  private async write(mine: Map<string, SessionSummary>): Promise<void> {
    const changed = [...this.changed];
    this.changed.clear();
    const merged = (await this.readIndexFile()) ?? new Map(mine);
    for (const id of changed) {
      const own = mine.get(id);
      const theirs = merged.get(id);
      if (!own) merged.delete(id);
      else if (!theirs || theirs.updatedAt <= own.updatedAt) merged.set(id, own);
    }
    try {
      this.io.wrote(await writeAtomic(join(this.dir, INDEX_FILE), JSON.stringify({ version: 1, sessions: [...merged.values()] })));
    } catch (error) {
      for (const id of changed) this.changed.add(id);
      throw error;
    }
    // No session write ran meanwhile (`willChange` waits for this), so every marked change is in.
    await rm(this.marker, { force: true });
    this.marked.clear();
  }

  private async read(): Promise<Map<string, SessionSummary>> {
    let names: string[] = [];
    try {
      names = await readdir(this.dir);
    } catch {
      return new Map(); // no folder yet: no sessions
    }
    const ids = new Set(names.map((n) => SESSION_FILE.exec(n)?.[1]).filter((id): id is string => id !== undefined));
    const index = await this.readIndexFile();
    const suspects = new Set<string>(index ? [...ids].filter((id) => !index.has(id)) : ids);
    const markers = names.filter((n) => n.startsWith(MARKER_PREFIX));
    for (const name of markers) {
      const text = await readFile(join(this.dir, name), 'utf8').catch(() => '');
      for (const id of text.split('\n')) if (ids.has(id)) suspects.add(id);
    }
    const map = new Map<string, SessionSummary>();
    for (const [id, summary] of index ?? []) if (ids.has(id) && !suspects.has(id)) map.set(id, summary);
    for (const id of suspects) {
      const summary = await this.io.summaryOf(id).catch(() => undefined);
      if (summary) map.set(id, summary);
    }
    const repaired = !index || suspects.size > 0 || map.size !== index.size;
    if (repaired) {
      for (const id of new Set([...ids, ...(index?.keys() ?? [])])) this.changed.add(id);
      // A fresh index now: the next start should not pay for this repair again.
      this.summaries = map;
      const written = await this.writeNow().catch(() => false);
      // A marker whose window is gone has been repaired into the index just written.
      if (written) for (const name of markers) if (!alive(name)) await rm(join(this.dir, name), { force: true }).catch(() => undefined);
    }
    return map;
  }

  private async readIndexFile(): Promise<Map<string, SessionSummary> | undefined> {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(join(this.dir, INDEX_FILE), 'utf8'));
    } catch {
      return undefined;
    }
    if (!isObject(value) || value.version !== 1 || !Array.isArray(value.sessions)) return undefined;
    const map = new Map<string, SessionSummary>();
    for (const s of value.sessions as unknown[]) {
      if (!isSummary(s)) return undefined;
      map.set(s.id, { id: s.id, title: s.title, createdAt: s.createdAt, updatedAt: s.updatedAt, messageCount: s.messageCount });
    }
    return map;
  }
}

/** Whether the process that owns a marker (`sessions.dirty-<pid>-<token>`) still runs. */
function alive(marker: string): boolean {
  const pid = Number(marker.slice(MARKER_PREFIX.length).split('-')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false; // an earlier store of this process (tests) or a reused pid
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isSummary(value: unknown): value is SessionSummary {
  if (!isObject(value)) return false;
  const { id, title, createdAt, updatedAt, messageCount } = value;
  return typeof id === 'string' && SESSION_FILE.test(`${id}.json`) && typeof title === 'string' && typeof createdAt === 'number' && typeof updatedAt === 'number' && typeof messageCount === 'number';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
