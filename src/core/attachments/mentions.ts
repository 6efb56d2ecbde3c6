/**
 * The composer's `#` mentions (issue 13): `#file:src/a.ts`, `#file:"a b/c.ts"`, `#selection`,
 * `#problems`, `#problems:src/a.ts`. Found in the prompt when it is sent, and at the caret while it
 * is typed (for completion). Text in code is the user's code, not a request: a `#file` inside a
 * code span or a fenced block is never a mention.
 */

export type MentionKind = 'file' | 'selection' | 'problems';
export const MENTION_KINDS: readonly MentionKind[] = ['file', 'selection', 'problems'];

export interface Mention {
  kind: MentionKind;
  path?: string;
  start: number;
  end: number;
}

export interface MentionQuery {
  /** Where the token being typed starts (its '#') and ends (the caret). */
  start: number;
  end: number;
  /** The typed name so far after '#': '' for a bare '#', 'fi', 'file'. */
  name: string;
  /** Set once ':' follows a complete 'file' name: what is typed after `#file:` (may be ''). */
  fileQuery?: string;
}

/** Closes a sentence rather than a path: `see #file:a.ts.` names `a.ts`. */
const TRAILING = /[.,;:!?)]/;

/**
 * `#file:src/a.ts`, `#file:"a b/c.ts"` (quotes for spaces), `#selection`, `#problems`, `#problems:src/a.ts`;
 * only at the start or after whitespace or '(' ; never inside inline code spans or fenced code blocks;
 * `#file` with no path is not a mention; case-sensitive names; a path ends at whitespace (or the
 * closing quote); trailing sentence punctuation `.,;:!?)` is not part of an unquoted path.
 */
export function findMentions(prompt: string): Mention[] {
  const code = codeRanges(prompt);
  const mentions: Mention[] = [];
  for (const match of prompt.matchAll(/#(file|selection|problems)/g)) {
    const start = match.index;
    // A '#' inside a quoted path already read is part of that path.
    const previous = mentions[mentions.length - 1];
    if ((previous && start < previous.end) || !startsToken(prompt, start) || inRanges(code, start)) continue;
    const mention = readMention(prompt, start, match[1] as MentionKind);
    if (mention) mentions.push(mention);
  }
  return mentions;
}

/**
 * The mention being typed at the caret, for completion; undefined when the caret is not in one
 * (e.g. '#' inside a word like 'C#', after a space is typed, or inside code).
 */
export function mentionAt(text: string, caret: number): MentionQuery | undefined {
  const end = Math.max(0, Math.min(text.length, Math.floor(caret)));
  const lineStart = text.lastIndexOf('\n', end - 1) + 1;
  let code: Array<[number, number]> | undefined;
  // The nearest '#' that starts a token and reads as a mention so far; an earlier one on the line
  // can still own the caret when a quoted path holds a space or a '#'.
  for (let start = end - 1; start >= lineStart; start--) {
    if (text[start] !== '#' || !startsToken(text, start)) continue;
    const query = queryOf(text.slice(start + 1, end), start, end);
    if (!query) continue;
    code ??= codeRanges(text);
    return inRanges(code, start) ? undefined : query;
  }
  return undefined;
}

function queryOf(typed: string, start: number, end: number): MentionQuery | undefined {
  if (/^[a-z]*$/.test(typed) && MENTION_KINDS.some((kind) => kind.startsWith(typed))) return { start, end, name: typed };
  const file = /^file:(?:"([^"]*)|([^\s"]*))$/.exec(typed);
  if (file) return { start, end, name: 'file', fileQuery: file[1] ?? file[2] ?? '' };
  return undefined;
}

function startsToken(text: string, index: number): boolean {
  return index === 0 || /[\s(]/.test(text[index - 1]!);
}

/** The mention whose '#' is at `start`, or undefined when what follows the name makes it none. */
function readMention(prompt: string, start: number, kind: MentionKind): Mention | undefined {
  const afterName = start + 1 + kind.length;
  if (kind !== 'selection' && prompt[afterName] === ':' && /\S/.test(prompt[afterName + 1] ?? '')) {
    const path = readPath(prompt, afterName + 1);
    if (path) return { kind, path: path.path, start, end: path.end };
    if (kind === 'file') return undefined;
  }
  if (kind === 'file') return undefined;
  // `#selection` and `#problems` end where the word does: `#selectionx` is no mention, `#selection.` is.
  return onlyTrailing(prompt, afterName) ? { kind, start, end: afterName } : undefined;
}

/** A quoted or unquoted path starting at `from`, and where the mention ends. */
function readPath(prompt: string, from: number): { path: string; end: number } | undefined {
  if (prompt[from] === '"') {
    const close = prompt.indexOf('"', from + 1);
    if (close < 0) return undefined;
    const path = prompt.slice(from + 1, close);
    if (path === '' || path.includes('\n') || !onlyTrailing(prompt, close + 1)) return undefined;
    return { path, end: close + 1 };
  }
  let end = from;
  while (end < prompt.length && !/\s/.test(prompt[end]!)) end++;
  end = trimTrailing(prompt, from, end);
  return end > from ? { path: prompt.slice(from, end), end } : undefined;
}

/** Drops sentence punctuation from the end; a ')' stays when the path opened it, as in `app/(auth)`. */
function trimTrailing(text: string, from: number, end: number): number {
  while (end > from && TRAILING.test(text[end - 1]!)) {
    if (text[end - 1] === ')') {
      const part = text.slice(from, end);
      if ((part.match(/\(/g)?.length ?? 0) >= (part.match(/\)/g)?.length ?? 0)) break;
    }
    end--;
  }
  return end;
}

/** Whether only sentence punctuation stands between `index` and the next whitespace. */
function onlyTrailing(text: string, index: number): boolean {
  for (let i = index; i < text.length && !/\s/.test(text[i]!); i++) if (!TRAILING.test(text[i]!)) return false;
  return true;
}

function inRanges(ranges: ReadonlyArray<[number, number]>, index: number): boolean {
  return ranges.some(([from, to]) => index >= from && index < to);
}

/**
 * Where the text is code, as CommonMark reads it: fenced blocks (``` or ~~~, up to three spaces of
 * indent, closed by a fence of the same character at least as long, or running to the end), then
 * inline code spans (a run of n backticks closed by the next run of exactly n, within a paragraph;
 * an unmatched run is literal).
 */
function codeRanges(text: string): Array<[number, number]> {
  const fences: Array<[number, number]> = [];
  let open: { char: string; length: number; start: number } | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineEnd = offset + line.length;
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line.replace(/\r$/, ''));
    if (!open) {
      if (fence && !(fence[1]![0] === '`' && fence[2]!.includes('`'))) open = { char: fence[1]![0]!, length: fence[1]!.length, start: offset };
    } else if (fence && fence[1]![0] === open.char && fence[1]!.length >= open.length && fence[2]!.trim() === '') {
      fences.push([open.start, lineEnd]);
      open = undefined;
    }
    offset = lineEnd + 1;
  }
  if (open) fences.push([open.start, text.length]);

  const ranges = [...fences];
  let segmentStart = 0;
  for (const [from, to] of [...fences, [text.length, text.length] as [number, number]]) {
    ranges.push(...codeSpans(text, segmentStart, from));
    segmentStart = to;
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

function codeSpans(text: string, from: number, to: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const segment = text.slice(from, to);
  const runs = [...segment.matchAll(/`+/g)].map((m) => ({ at: m.index, length: m[0].length }));
  for (let i = 0; i < runs.length; i++) {
    const opening = runs[i]!;
    const j = runs.findIndex((run, k) => k > i && run.length === opening.length);
    if (j < 0) continue;
    const closing = runs[j]!;
    // A blank line ends the paragraph, and a code span cannot cross it.
    if (/\n[ \t]*\r?\n/.test(segment.slice(opening.at, closing.at))) continue;
    spans.push([from + opening.at, from + closing.at + closing.length]);
    i = j;
  }
  return spans;
}
