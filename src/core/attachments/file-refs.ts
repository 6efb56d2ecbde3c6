/**
 * Links and `path:line` mentions in an answer that may name a workspace file (issue 13). This only
 * reads the spelling; the host decides whether the path exists and stays inside the workspace, and
 * only then does the webview make it clickable. So the parser may accept generously what looks like
 * a path, but must refuse everything that is a URL: those keep going through the link check.
 */

export interface FileRefTarget {
  path: string;
  line?: number;
  column?: number;
  endLine?: number;
}

export interface TextMention {
  start: number;
  end: number;
  ref: string;
}

/** Past this a line or column number is not one (a port, a timestamp, an id). */
const MAX_POSITION = 10_000_000;
const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
/** `C:\x` or `C:/x`: a drive, which a one-letter scheme would otherwise swallow. */
const DRIVE = /^[a-zA-Z]:[\\/]/;

/**
 * A relative link's href or a mention -> path and position; undefined for anything with a URL
 * scheme (http:, file:, vscode:, javascript:; `C:\` is a drive, not a scheme), protocol-relative
 * '//x', an empty path, a pure anchor '#x' or a query-only '?x'. Accepts 'src/a.ts', './src/a.ts',
 * 'src/a.ts:12', 'src/a.ts:12:4', 'src/a.ts#L12', 'src/a.ts#L12-L20', 'src/a.ts#12', 'src\a.ts',
 * '%20'-encoded names (a bad escape -> undefined), '../x.ts' (kept: the host refuses what leaves the
 * workspace), absolute '/home/u/p/a.ts' and 'C:\p\a.ts' / 'C:/p/a.ts' (kept, with '/' separators).
 * Lines and columns are positive integers; line 0 or absurd values -> no line. Query strings are dropped.
 */
export function parseFileRef(ref: string): FileRefTarget | undefined {
  const trimmed = ref.trim();
  const hash = trimmed.indexOf('#');
  // The fragment is split off before decoding, so '%23' stays part of a name.
  let raw = hash < 0 ? trimmed : trimmed.slice(0, hash);
  const fragment = hash < 0 ? '' : trimmed.slice(hash + 1);
  const query = raw.indexOf('?');
  if (query >= 0) raw = raw.slice(0, query);
  if (raw === '') return undefined;

  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  let position: Position = {};
  const suffix = /:(\d+)(?::(\d+))?$/.exec(path);
  if (suffix) {
    path = path.slice(0, suffix.index);
    position = positionOf(suffix[1], suffix[2], undefined);
  } else {
    const anchor = /^L?(\d+)(?:C(\d+))?(?:-L?(\d+)(?:C\d+)?)?$/i.exec(fragment);
    if (anchor) position = positionOf(anchor[1], anchor[2], anchor[3]);
  }

  if (SCHEME.test(path) && !DRIVE.test(path)) return undefined;
  path = path.replace(/\\/g, '/');
  // '//host/x' (and '\\host\x', a UNC share) names another machine.
  if (path.startsWith('//')) return undefined;
  while (path.startsWith('./')) path = path.slice(2);
  // eslint-disable-next-line no-control-regex -- a decoded '%0A' or NUL is no file name
  if (path === '' || path === '.' || /[\u0000-\u001f]/.test(path)) return undefined;
  return { path, ...position };
}

type Position = Omit<FileRefTarget, 'path'>;

function positionOf(line: string | undefined, column: string | undefined, endLine: string | undefined): Position {
  const first = positive(line);
  if (first === undefined) return {};
  const position: Position = { line: first };
  const col = positive(column);
  if (col !== undefined) position.column = col;
  const last = positive(endLine);
  if (last !== undefined && last > first) position.endLine = last;
  return position;
}

function positive(digits: string | undefined): number | undefined {
  if (digits === undefined) return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) && value >= 1 && value <= MAX_POSITION ? value : undefined;
}

/**
 * Conservative: finds `path:line[:col]` mentions and slash-containing paths with an extension in
 * plain prose, e.g. 'see src/utils.ts:42', '(lib/a.py:3:7)', 'src/a.ts'. Not URLs (nothing inside
 * 'http://...'), not emails, not version numbers like '1.2.3', not bare words without a slash or
 * line suffix unless they look like file.ext:line. `ref` is the matched text without trailing punctuation.
 */
export function findPathMentions(text: string): TextMention[] {
  const mentions: TextMention[] = [];
  // Words, split where prose splits them; quotes and backticks around a path are not part of it.
  for (const word of text.matchAll(/[^\s"'`<>]+/g)) {
    let start = word.index;
    let end = start + word[0].length;
    const whole = word[0];
    // A URL, an email or a package@version is skipped whole, so no part of it becomes a path.
    if (whole.includes('://') || whole.includes('@') || /^(www\.|mailto:)/i.test(whole)) continue;
    while (start < end && /[([{]/.test(text[start]!)) start++;
    end = trimEnd(text, start, end);
    const ref = text.slice(start, end);
    if (looksLikeFileMention(ref)) mentions.push({ start, end, ref });
  }
  return mentions;
}

/** Sentence punctuation off the end; a closing bracket only when the word did not open it. */
function trimEnd(text: string, start: number, end: number): number {
  while (end > start) {
    const last = text[end - 1]!;
    if (/[.,;:!?]/.test(last)) {
      end--;
      continue;
    }
    const open = { ')': '(', ']': '[', '}': '{' }[last];
    if (open === undefined) break;
    const part = text.slice(start, end);
    if (part.split(open).length >= part.split(last).length) break;
    end--;
  }
  return end;
}

/** Brackets too: 'app/(auth)/page.tsx', 'pages/[id].tsx' are routes in Next.js and SvelteKit. */
const SEGMENT = String.raw`[\w.+()[\]-]+`;
/** An extension starts with a letter: '1.2.3' and 'v1.2' are versions, not files. */
const FILE_NAME = String.raw`[\w.+()[\]-]*[\w)\]-]\.[A-Za-z][A-Za-z0-9_]{0,9}`;
const PREFIX = String.raw`(?:\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/])?`;
/** 'src/a.ts', './a/b.py', 'C:\p\a.ts', optionally '#L12' or '#L12-L20'. */
const SLASHED = new RegExp(String.raw`^${PREFIX}(?:${SEGMENT}[\\/])+${FILE_NAME}(?:#L\d+(?:-L?\d+)?)?$`);
/** 'a.ts:12', 'src/a.ts:12:4': with a line, a path needs no slash. */
const WITH_LINE = new RegExp(String.raw`^${PREFIX}(?:${SEGMENT}[\\/])*${FILE_NAME}:\d+(?::\d+)?$`);
/** Host names read like file.ext: 'example.com:8080' is a port, not a line. */
const DOMAIN_LIKE = /^[\w-]+(\.[\w-]+)*\.(com|org|net|edu|gov|io|dev|app|co|uk|de|jp|fr|cn|ru|info|local|localhost)(:\d+)?$/i;

function looksLikeFileMention(ref: string): boolean {
  if (ref.length < 3 || ref.length > 300) return false;
  if (DOMAIN_LIKE.test(ref)) return false;
  if (!SLASHED.test(ref) && !WITH_LINE.test(ref)) return false;
  return parseFileRef(ref) !== undefined;
}
