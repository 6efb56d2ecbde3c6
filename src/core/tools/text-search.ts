/**
 * The pure parts of reading and searching workspace files: what counts as binary, which lines
 * match, and which globs are refused before VS Code's file search sees them.
 */

/** How much of a file's start is looked at for a NUL byte (what git and grep do, roughly). */
const SNIFF_BYTES = 8000;

/** Text files have no NUL byte; UTF-16 text does, and is treated as binary like git does. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

export interface LineMatch {
  /** 1-based. */
  line: number;
  text: string;
}

/**
 * The lines containing `query`: a literal substring, case-insensitive. Literal because a model's
 * regular expression is often wrong (unescaped "(" or ".") and a catastrophic one could hang the
 * extension host; case-insensitive because the model rarely knows the exact case of an identifier.
 */
export function matchingLines(text: string, query: string, limit: number): LineMatch[] {
  const needle = query.toLowerCase();
  const found: LineMatch[] = [];
  if (limit <= 0 || !text.toLowerCase().includes(needle)) return found;
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length && found.length < limit; i++) {
    const line = lines[i] ?? '';
    if (line.toLowerCase().includes(needle)) found.push({ line: i + 1, text: line });
  }
  return found;
}

/** Why a search query cannot match anything line by line, or undefined. */
export function queryProblem(query: string): string | undefined {
  if (/[\r\n]/.test(query)) return 'The query contains a line break, but matches are found line by line: search for one line of the text.';
  return undefined;
}

/**
 * Why a glob from the model is refused, or undefined. Globs are matched relative to each workspace
 * folder; one that is absolute or climbs with ".." means the model is looking outside them.
 */
export function globProblem(pattern: string): string | undefined {
  if (/^([/\\]|[a-zA-Z]:)/.test(pattern)) return `The pattern ${JSON.stringify(pattern)} is absolute; give a glob relative to the workspace, like "src/**/*.ts".`;
  if (pattern.split(/[/\\]/).includes('..')) return `The pattern ${JSON.stringify(pattern)} contains "..": only files inside the workspace can be listed.`;
  if (pattern.includes('\\')) return `The pattern ${JSON.stringify(pattern)} contains "\\": use "/" between folders.`;
  return undefined;
}

/**
 * The default exclusions that still apply to a pattern: one the pattern names on purpose (a glob
 * starting "node_modules/some-lib/") is dropped, since "left out by default" must not mean "cannot
 * be listed at all". An exclusion is dropped when one of its literal folder names is a segment of
 * the pattern.
 */
export function exclusionsFor(pattern: string | undefined, excludes: readonly string[]): string[] {
  if (pattern === undefined) return [...excludes];
  const named = new Set(pattern.split('/').filter((segment) => segment !== '' && !/[*?[\]{}]/.test(segment)));
  return excludes.filter((glob) => !glob.split('/').some((segment) => !/[*?[\]{}]/.test(segment) && named.has(segment)));
}
