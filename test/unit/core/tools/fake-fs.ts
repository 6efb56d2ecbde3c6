import { posix, win32 } from 'node:path';
import type { ConfineOptions, PathStyle, WorkspaceFolderPath } from '../../../../src/core/tools';

/**
 * A file system in memory, enough for confinement: files, folders and symbolic links, resolved the
 * way the OS resolves them (a link's target relative to the link's folder, links inside targets
 * followed, loops failing). Its realpath and lexists are what the host would inject.
 */
export class FakeFs {
  private readonly entries = new Map<string, { link?: string }>();
  private readonly p: typeof posix;

  constructor(
    readonly style: PathStyle,
    readonly caseInsensitive = style === 'win32',
  ) {
    this.p = style === 'win32' ? win32 : posix;
  }

  private key(path: string): string {
    const resolved = this.p.resolve(path);
    return this.caseInsensitive ? resolved.toLowerCase() : resolved;
  }

  /** A file or folder, with every folder above it. */
  add(...paths: string[]): this {
    for (const path of paths) {
      let current = this.p.resolve(path);
      while (!this.entries.has(this.key(current))) {
        this.entries.set(this.key(current), {});
        const up = this.p.dirname(current);
        if (up === current) break;
        current = up;
      }
    }
    return this;
  }

  link(path: string, target: string): this {
    this.add(this.p.dirname(path));
    this.entries.set(this.key(path), { link: target });
    return this;
  }

  realpath = async (path: string, depth = 0): Promise<string> => {
    if (depth > 20) throw Object.assign(new Error(`ELOOP: ${path}`), { code: 'ELOOP' });
    const resolved = this.p.resolve(path);
    const { root } = this.p.parse(resolved);
    let current = root;
    for (const segment of resolved.slice(root.length).split(this.p.sep).filter(Boolean)) {
      const next = this.p.join(current, segment);
      const entry = this.entries.get(this.key(next));
      if (!entry) throw Object.assign(new Error(`ENOENT: ${next}`), { code: 'ENOENT' });
      current = entry.link === undefined ? next : await this.realpath(this.p.resolve(current, entry.link), depth + 1);
    }
    return current;
  };

  lexists = async (path: string): Promise<boolean> => {
    const resolved = this.p.resolve(path);
    const up = this.p.dirname(resolved);
    if (up === resolved) return true;
    try {
      return this.entries.has(this.key(this.p.join(await this.realpath(up), this.p.basename(resolved))));
    } catch {
      return false;
    }
  };

  options(folders: WorkspaceFolderPath[], forbiddenRoots: string[] = []): ConfineOptions {
    return { folders, style: this.style, caseInsensitive: this.caseInsensitive, forbiddenRoots, realpath: (path) => this.realpath(path), lexists: this.lexists };
  }
}
