import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionSummary } from '../../protocol/messages';
import { writeAtomic } from './atomic-write';
import { SessionIndex } from './session-index';
import { applyLog, diffRecord, headerLine, isStreaming, writtenState, type WrittenState } from './session-log';
import { parseSessionRecord, summarize, type SessionRecord } from './session-record';

/** A log shorter than this is never compacted for its size; past it, once it outgrows half its base. */
const LOG_MIN_BOUND = 256 * 1024;

/** What the store knows of a session's files since it last wrote or read them. */
interface OnDisk {
  /** The token in `<id>.json` that a log must name to apply (none in a file an older Rill wrote). */
  base?: string;
  baseBytes: number;
  /** Good bytes in `<id>.log` (0: no log, or one to be written afresh). */
  logBytes: number;
  written: WrittenState;
}

/**
 * Saved conversations, one JSON file each, in a folder of the extension's storage, with an index
 * of their summaries beside them (session-index.ts) and, while an answer streams, an append-only
 * log of what changed since the JSON file was written (session-log.ts). Whole files are written to
 * a temporary file renamed over the old one, so a crash mid-write leaves the previous version,
 * never half a file; a crash mid-append loses only the torn last line. Writes of one session are
 * queued, so the last one always wins.
 */
export class SessionStore {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly disk = new Map<string, OnDisk>();
  private readonly index: SessionIndex;
  /** Counted for tests and benches: session files and logs read, bytes written to them, index writes. */
  readonly io = { reads: 0, bytesWritten: 0, indexWrites: 0, indexBytes: 0 };

  constructor(
    private readonly dir: string,
    /** Told of a file that could not be read; it is set aside (renamed), not deleted. */
    private readonly onDamaged: (file: string, reason: string) => void = () => undefined,
  ) {
    this.index = new SessionIndex(dir, {
      summaryOf: async (id) => {
        const read = await this.read(id);
        return read && summarize(read.record);
      },
      wrote: (bytes) => {
        this.io.indexWrites++;
        this.io.indexBytes += bytes;
      },
    });
  }

  async list(): Promise<SessionSummary[]> {
    const summaries = await this.index.open();
    return [...summaries.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** Queued with the session's writes, so what it remembers of the files is what they hold. */
  async load(id: string): Promise<SessionRecord | undefined> {
    let record: SessionRecord | undefined;
    await this.queue(id, async () => {
      const read = await this.read(id);
      if (!read) return;
      if (read.onDisk.logBytes && read.logLength > read.onDisk.logBytes) {
        // A torn last line: cut it, so that the next append does not follow garbage. Only here, in
        // the session's queue: the index's reads run beside its writes.
        await truncate(this.log(id), read.onDisk.logBytes).catch(() => (read.onDisk.logBytes = 0));
      }
      this.disk.set(id, read.onDisk);
      record = read.record;
    });
    return record;
  }

  /** Writes the whole record: `<id>.json` afresh, and its log (if any) folded in and removed. */
  save(record: SessionRecord): Promise<void> {
    return this.write(record.id, () => this.writeWhole(record), summarize(record));
  }

  /**
   * Saves what changed since the record was last written or read: appended text and changed
   * messages go to the log, so a save while an answer streams costs what arrived. The whole file is
   * written instead when there is nothing to append to (a new session, or one an older Rill wrote),
   * when the log outgrows its bound, and when an answer has just finished: so `<id>.json` on its
   * own holds every finished answer, for an older Rill and for the next start's cheap read.
   */
  saveChanges(record: SessionRecord): Promise<void> {
    return this.write(record.id, () => this.writeChanges(record), summarize(record));
  }

  delete(id: string): Promise<void> {
    return this.write(id, async () => {
      await rm(this.file(id), { force: true });
      await rm(this.log(id), { force: true });
      this.disk.delete(id);
    }, undefined);
  }

  /** Writes the index now if it is behind (it is otherwise written within a few seconds of a save). */
  flush(): Promise<void> {
    return this.index.flush();
  }

  private write(id: string, task: () => Promise<void>, summary: SessionSummary | undefined): Promise<void> {
    return this.queue(id, async () => {
      this.file(id); // an id that would escape the folder is refused before anything is marked
      await this.index.willChange(id);
      let ok = false;
      try {
        await task();
        ok = true;
      } finally {
        // A failed write may have left either version: the index reads the session again.
        await this.index.didChange(id, ok ? summary : 'unknown');
      }
    });
  }

  private queue(id: string, job: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(id) ?? Promise.resolve()).then(job, job);
    this.queues.set(id, next);
    void next.finally(() => {
      if (this.queues.get(id) === next) this.queues.delete(id);
    }).catch(() => undefined);
    return next;
  }

  private async writeWhole(record: SessionRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const base = randomBytes(8).toString('hex');
    this.disk.delete(record.id); // until both steps are done, the next save writes whole again
    const bytes = await writeAtomic(this.file(record.id), JSON.stringify({ ...record, logBase: base }));
    this.io.bytesWritten += bytes;
    // A crash here leaves a log naming the previous base, which no longer applies.
    await rm(this.log(record.id), { force: true });
    this.disk.set(record.id, { base, baseBytes: bytes, logBytes: 0, written: writtenState(record) });
  }

  private async writeChanges(record: SessionRecord): Promise<void> {
    const known = this.disk.get(record.id);
    if (!known?.base) return this.writeWhole(record);
    const { line, state } = diffRecord(known.written, record);
    if (!line) return;
    if (known.written.streaming && !isStreaming(record)) return this.writeWhole(record);
    const text = `${JSON.stringify(line)}\n`;
    const bytes = Buffer.byteLength(text);
    if (known.logBytes + bytes > Math.max(LOG_MIN_BOUND, known.baseBytes / 2)) return this.writeWhole(record);
    this.disk.delete(record.id); // a failed append leaves the log unknown: the next save writes whole
    if (known.logBytes === 0) {
      const header = headerLine(known.base);
      await writeFile(this.log(record.id), header + text, 'utf8');
      known.logBytes = Buffer.byteLength(header);
      this.io.bytesWritten += known.logBytes;
    } else {
      await appendFile(this.log(record.id), text, 'utf8');
    }
    this.io.bytesWritten += bytes;
    this.disk.set(record.id, { ...known, logBytes: known.logBytes + bytes, written: state });
  }

  /** Reads `<id>.json` and applies its log. Not queued: the index reads through it from inside a write. */
  private async read(id: string): Promise<{ record: SessionRecord; onDisk: OnDisk; logLength: number } | undefined> {
    const file = this.file(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
      this.io.reads++;
    } catch {
      return undefined;
    }
    let value: unknown;
    let reason = 'not a Rill session';
    try {
      value = JSON.parse(text);
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    const base = parseSessionRecord(value);
    if (!base) {
      this.setAside(file, reason);
      return undefined;
    }
    const raw = value as Record<string, unknown>;
    // A file an older Rill wrote has no token: its log names the hash of its text instead, so the
    // first save into it appends too rather than rewriting the whole conversation (547 KB of a
    // 2,000-message one, which made streaming into it write 113x a new chat's bytes per second).
    const logBase = typeof raw.logBase === 'string' ? raw.logBase : contentBase(text);
    const log = await readFile(this.log(id)).catch(() => undefined);
    if (log) this.io.reads++;
    const applied = log ? applyLog(raw, log, logBase) : undefined;
    // A log that makes the record invalid is ignored, as one for another base is: the JSON stands.
    const record = (applied?.lines ? parseSessionRecord(applied.value) : undefined) ?? base;
    const logBytes = record === base ? 0 : (applied?.goodBytes ?? 0);
    const onDisk = { base: logBase, baseBytes: Buffer.byteLength(text), logBytes, written: writtenState(record) };
    return { record, onDisk, logLength: log?.length ?? 0 };
  }

  private setAside(file: string, reason: string): void {
    const aside = `${file}.damaged-${Date.now()}`;
    void rename(file, aside).catch(() => undefined);
    this.onDamaged(aside, reason);
  }

  private file(id: string): string {
    if (!/^[a-z0-9-]{1,64}$/i.test(id)) throw new Error(`Invalid session id: ${id}`);
    return join(this.dir, `${id}.json`);
  }

  private log(id: string): string {
    this.file(id);
    return join(this.dir, `${id}.log`);
  }
}

/** The base a log names for a session file that has no `logBase` token: a hash of the file's text. */
function contentBase(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}
