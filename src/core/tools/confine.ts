import { posix, win32 } from 'node:path';
import { isVsCodeStorageSegment, segments, spellingProblem, writeProtectedSegment, type PathStyle } from './path-syntax';

export interface WorkspaceFolderPath {
  /** The folder's name as VS Code shows it; in a multi-root workspace a path may start with it. */
  name: string;
  /** Absolute, in the file system's own flavour. */
  path: string;
}

export interface ConfineOptions {
  /** The workspace folders, first one first. Relative paths resolve against the first. */
  folders: readonly WorkspaceFolderPath[];
  style: PathStyle;
  /** Whether the file system ignores case (Windows, macOS by default). Only then is `/A` inside `/a`. */
  caseInsensitive: boolean;
  /** Folders refused even inside the workspace: the user-data dir, the extension's storage folders. */
  forbiddenRoots?: readonly string[];
  /** The real path of an existing entry, every symbolic link resolved; rejects when nothing is there. */
  realpath(path: string): Promise<string>;
  /** Whether anything is at this exact path, not following a final link (so a dangling link counts). */
  lexists(path: string): Promise<boolean>;
}

/** `read`: must exist. `write`: an existing file to change. `create`: may not exist yet. */
export type PathAccess = 'read' | 'write' | 'create';

export type Confined =
  | {
      ok: true;
      /** The absolute real path: the only one to open (never the model's text, which may differ once `..` and links count). */
      path: string;
      folder: string;
      /** Relative to that folder, with "/": for messages to the model and the user. */
      relative: string;
      exists: boolean;
    }
  | { ok: false; message: string };

/**
 * Decides whether a path from the model names something inside the workspace, and where it really
 * is. Relative paths resolve against the first folder, or against the folder whose name is their
 * first segment in a multi-root workspace, and may not climb out of it with `..`; absolute paths
 * must lie inside one of the folders. Then the real path, every symbolic link resolved, must lie
 * inside a folder's real path too, outside VS Code's own storage. Never throws.
 *
 * The check and the later open are two steps: a link swapped in between is not caught here. The
 * tools narrow that by opening the returned real path, never the model's text.
 */
export async function confinePath(input: unknown, access: PathAccess, options: ConfineOptions): Promise<Confined> {
  try {
    return await confine(input, access, options);
  } catch (error) {
    return refuse(String(input), `it could not be checked (${error instanceof Error ? error.message : String(error)}).`);
  }
}

async function confine(input: unknown, access: PathAccess, options: ConfineOptions): Promise<Confined> {
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, message: 'The path is empty: give a path relative to the workspace folder.' };
  const p = options.style === 'win32' ? win32 : posix;
  const folders = options.folders.filter((folder) => p.isAbsolute(folder.path)).map((folder) => ({ name: folder.name, path: p.resolve(folder.path) }));
  if (folders.length === 0) return refuse(input, 'no workspace folder is open; open a folder first.');
  const spelling = spellingProblem(input, options.style);
  if (spelling) return refuse(input, spelling);
  // A storage folder reached through a link is refused under both its names.
  const given = (options.forbiddenRoots ?? []).filter((root) => p.isAbsolute(root));
  const realRoots = await Promise.all(given.map((root) => options.realpath(root).catch(() => root)));
  options = { ...options, forbiddenRoots: [...new Set([...given, ...realRoots])] };

  // Where the model's text points, by the text alone.
  let lexical: string;
  let folder: WorkspaceFolderPath | undefined;
  if (p.isAbsolute(input)) {
    lexical = p.resolve(input);
    folder = folders.find((candidate) => inside(lexical, candidate.path, options));
    if (!folder) return refuse(input, 'it is outside the workspace folders.');
  } else {
    const [first, ...rest] = segments(input, options.style);
    const named = folders.length > 1 ? folders.find((candidate) => same(candidate.name, first ?? '', options)) : undefined;
    folder = named ?? folders[0]!;
    lexical = p.resolve(folder.path, ...(named ? rest : [input]));
    // Climbing out of the folder is refused even when it lands in another one: the model meant
    // something else than it wrote, or is probing.
    if (!inside(lexical, folder.path, options)) return refuse(input, `".." takes it outside the workspace folder "${folder.name}".`);
  }
  const relative = below(lexical, folder.path, p).split(p.sep).join('/');
  const lexicalProblem = placeProblem(lexical, folder.path, access, options);
  if (lexicalProblem) return refuse(input, lexicalProblem);

  // Where it really is: links resolved, in the folders' real locations.
  const realFolders = await Promise.all(folders.map(async (candidate) => p.resolve(await options.realpath(candidate.path).catch(() => candidate.path))));
  let real: string;
  let exists = true;
  try {
    real = p.resolve(await options.realpath(lexical));
  } catch {
    if (await options.lexists(lexical)) return refuse(input, 'it is a symbolic link whose target does not exist (or a link loop).');
    if (access !== 'create') return { ok: false, message: `${quote(relative || input)} does not exist in the workspace folder "${folder.name}".` };
    exists = false;
    const parent = await realParent(lexical, p, options);
    if (typeof parent !== 'string') return refuse(input, parent.problem);
    real = parent;
  }
  const realFolder = realFolders.find((candidate) => inside(real, candidate, options));
  if (realFolder === undefined) return refuse(input, 'it leads, through a symbolic link, outside the workspace folders.');
  const realProblem = placeProblem(real, realFolder, access, options);
  if (realProblem) return refuse(input, `${realProblem} (through a symbolic link)`);
  return { ok: true, path: real, folder: folder.name, relative, exists };
}

/**
 * For a path that does not exist yet: the real path of its nearest existing ancestor, with the
 * missing names put back. A dangling link on the way is refused: writing through it would create
 * its target, wherever that is.
 */
async function realParent(path: string, p: typeof posix, options: ConfineOptions): Promise<string | { problem: string }> {
  const missing: string[] = [p.basename(path)];
  let current = p.dirname(path);
  for (;;) {
    try {
      return p.join(p.resolve(await options.realpath(current)), ...missing);
    } catch {
      if (await options.lexists(current)) return { problem: `"${p.basename(current)}" on its way is a symbolic link whose target does not exist.` };
      const up = p.dirname(current);
      if (up === current) return { problem: 'none of its folders exists.' };
      missing.unshift(p.basename(current));
      current = up;
    }
  }
}

/** VS Code's storage and, for writes, the settings, tasks and hooks: refused inside the workspace too. */
function placeProblem(path: string, folder: string, access: PathAccess, options: ConfineOptions): string | undefined {
  const roots = options.forbiddenRoots ?? [];
  // Refusing more is always safe, so these compare without case whatever the file system does.
  const loose = { ...options, caseInsensitive: true };
  if (roots.some((root) => inside(path, root, loose))) return "it is in VS Code's own storage, which tools may not touch.";
  const p = options.style === 'win32' ? win32 : posix;
  const parts = segments(below(path, folder, p), options.style);
  if (parts.some(isVsCodeStorageSegment)) return "it is in VS Code's own server and storage folder, which tools may not touch.";
  if (access === 'read') return undefined;
  const protectedName = writeProtectedSegment(parts);
  if (protectedName) return `"${protectedName}" holds VS Code settings, tasks or git hooks; tools may read it but not change it (ask the user to make this change).`;
  return undefined;
}

/** Whether `child` is `parent` or inside it. A separator must follow: `/work/app-evil` is not in `/work/app`. */
export function inside(child: string, parent: string, options: Pick<ConfineOptions, 'style' | 'caseInsensitive'>): boolean {
  const p = options.style === 'win32' ? win32 : posix;
  const a = fold(p.resolve(child), options);
  const b = fold(p.resolve(parent), options);
  if (a === b) return true;
  return a.startsWith(b.endsWith(p.sep) ? b : b + p.sep);
}

/**
 * The part of `child` below `parent`, which contains it. Not `path.relative`: on POSIX it compares
 * case-sensitively, and `/WORK/APP/x` inside `/work/app` would come out as `../../WORK/APP/x`.
 */
function below(child: string, parent: string, p: typeof posix): string {
  return child.length === parent.length ? '' : child.slice(parent.endsWith(p.sep) ? parent.length : parent.length + 1);
}

function same(a: string, b: string, options: Pick<ConfineOptions, 'caseInsensitive'>): boolean {
  return fold(a, options) === fold(b, options);
}

function fold(text: string, options: Pick<ConfineOptions, 'caseInsensitive'>): string {
  return options.caseInsensitive ? text.toLowerCase() : text;
}

function quote(path: string): string {
  return `"${path}"`;
}

function refuse(input: string, why: string): Confined {
  const shown = input.length > 200 ? `${input.slice(0, 200)}…` : input;
  return { ok: false, message: `The path ${JSON.stringify(shown)} is refused: ${why}` };
}
