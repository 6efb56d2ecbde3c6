import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionSummary } from '../../protocol/messages';
import { parseSessionRecord, summarize, type SessionRecord } from './session-record';

/**
 * Saved conversations, one JSON file each, in a folder of the extension's storage. Writes go to a
 * temporary file renamed over the old one, so a crash mid-write leaves the previous version, never
 * half a file. Writes of one session are queued, so the last one always wins.
 */
export class SessionStore {
  private summaries?: Map<string, SessionSummary>;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly dir: string,
    /** Told of a file that could not be read; it is set aside (renamed), not deleted. */
    private readonly onDamaged: (file: string, reason: string) => void = () => undefined,
  ) {}

  async list(): Promise<SessionSummary[]> {
    const summaries = await this.index();
    return [...summaries.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async load(id: string): Promise<SessionRecord | undefined> {
    await this.queues.get(id);
    const file = this.file(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    return this.parse(file, text);
  }

  save(record: SessionRecord): Promise<void> {
    const write = async (): Promise<void> => {
      await mkdir(this.dir, { recursive: true });
      const file = this.file(record.id);
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(record), 'utf8');
      await rename(temp, file);
      (await this.index()).set(record.id, summarize(record));
    };
    return this.enqueue(record.id, write);
  }

  delete(id: string): Promise<void> {
    return this.enqueue(id, async () => {
      await rm(this.file(id), { force: true });
      (await this.index()).delete(id);
    });
  }

  private enqueue(id: string, task: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(id) ?? Promise.resolve()).then(task, task);
    this.queues.set(id, next);
    void next.finally(() => {
      if (this.queues.get(id) === next) this.queues.delete(id);
    }).catch(() => undefined);
    return next;
  }

  private async index(): Promise<Map<string, SessionSummary>> {
    if (this.summaries) return this.summaries;
    const summaries = new Map<string, SessionSummary>();
    let names: string[] = [];
    try {
      names = await readdir(this.dir);
    } catch {
      // No folder yet: no sessions.
    }
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = join(this.dir, name);
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // unreadable now (permissions, a race): not damaged
      const record = this.parse(file, text);
      if (record) summaries.set(record.id, summarize(record));
    }
    this.summaries ??= summaries;
    return this.summaries;
  }

  private parse(file: string, text: string): SessionRecord | undefined {
    let record: SessionRecord | undefined;
    let reason = 'not a Rill session';
    try {
      record = parseSessionRecord(JSON.parse(text));
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    if (!record) {
      const aside = `${file}.damaged-${Date.now()}`;
      void rename(file, aside).catch(() => undefined);
      this.onDamaged(aside, reason);
    }
    return record;
  }

  private file(id: string): string {
    if (!/^[a-z0-9-]{1,64}$/i.test(id)) throw new Error(`Invalid session id: ${id}`);
    return join(this.dir, `${id}.json`);
  }
}
