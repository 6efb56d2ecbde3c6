import { DEFAULT_LIMITS } from '../agent';

/**
 * Shapes the built-in tools' text for the model, bounded by lines, characters and the length of one
 * line. The agent loop caps every result by characters anyway (agent/results.ts); this cuts first,
 * at line boundaries and with a note the model can act on ("ask for startLine 201"), so the loop's
 * blunt cut in mid-line is the exception.
 */
export interface OutputLimits {
  maxLines: number;
  maxChars: number;
  /** One line longer than this (minified code, a base64 blob) is cut with a note. */
  maxLineChars: number;
}

/** Under the loop's per-result cap, with room for the note. */
export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { maxLines: 400, maxChars: DEFAULT_LIMITS.maxResultChars - 500, maxLineChars: 400 };

function cutLine(line: string, max: number): string {
  return line.length <= max ? line : `${line.slice(0, max)}… [${line.length - max} more characters on this line]`;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * read_file's text: lines `startLine..endLine` (1-based, inclusive, clamped to the file), numbered
 * `  12| text` so the model can cite and edit them, cut to the limits with a note saying which
 * lines it got and where to go on.
 */
export function formatFileLines(text: string, range: { startLine?: number; endLine?: number }, limits: OutputLimits = DEFAULT_OUTPUT_LIMITS): string {
  if (text === '') return '[Rill: the file is empty.]';
  const lines = splitLines(text);
  const total = lines.length;
  const start = range.startLine ?? 1;
  if (start > total) return `[Rill: the file has ${total} lines; startLine ${start} is past its end.]`;
  const end = Math.min(range.endLine ?? total, total);
  const width = String(end).length;
  const out: string[] = [];
  let chars = 0;
  let last = start - 1;
  for (let n = start; n <= end && out.length < limits.maxLines; n++) {
    const line = `${String(n).padStart(width)}| ${cutLine(lines[n - 1] ?? '', limits.maxLineChars)}`;
    if (chars + line.length + 1 > limits.maxChars && out.length > 0) break;
    out.push(line);
    chars += line.length + 1;
    last = n;
  }
  if (last < end) out.push(`[Rill: showing lines ${start}-${last} of ${total}; call rill_read_file with startLine ${last + 1} for more.]`);
  else if (start > 1 || end < total) out.push(`[Rill: lines ${start}-${end} of ${total}.]`);
  return out.join('\n');
}

/**
 * A list of results (files, matches), the first ones up to the limits. `total` is how many there
 * were when the caller stopped looking earlier itself (a search with its own maximum).
 */
export function formatList(items: readonly string[], noun: { many: string; hint: string }, limits: OutputLimits = DEFAULT_OUTPUT_LIMITS, total = items.length): string {
  if (items.length === 0) return `[Rill: no ${noun.many} found.]`;
  const out: string[] = [];
  let chars = 0;
  for (const item of items) {
    const line = cutLine(item, limits.maxLineChars);
    if (out.length >= limits.maxLines || (chars + line.length + 1 > limits.maxChars && out.length > 0)) break;
    out.push(line);
    chars += line.length + 1;
  }
  const count = Math.max(total, items.length);
  if (out.length < count) out.push(`[Rill: showing the first ${out.length} of ${count}${total > items.length ? ' or more' : ''} ${noun.many}; ${noun.hint}]`);
  return out.join('\n');
}

export interface TextMatch {
  /** Relative to the workspace, with "/". */
  path: string;
  /** 1-based. */
  line: number;
  text: string;
}

/** search_text's results: `path:line: text`, the text trimmed of its indentation. */
export function formatMatches(matches: readonly TextMatch[], limits: OutputLimits = DEFAULT_OUTPUT_LIMITS, total = matches.length): string {
  const items = matches.map((match) => `${match.path}:${match.line}: ${match.text.trim()}`);
  return formatList(items, { many: 'matches', hint: 'narrow the query or the pattern to see the rest.' }, limits, total);
}

/** ANSI colour and cursor sequences: noise for the model, and they can hide text from a reader. */
// eslint-disable-next-line no-control-regex -- escape sequences are what it removes
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/**
 * run_command's output for the model: colours removed, progress bars reduced to their last state
 * (text after a bare `\r` replaces the line), and the END kept when it is too long, since errors and
 * test summaries come last. Says how the command ended.
 */
export function formatCommandOutput(output: string, end: { exitCode?: number; timedOutMs?: number }, limits: OutputLimits = DEFAULT_OUTPUT_LIMITS): string {
  const clean = output.replace(ANSI, '').replace(/\r\n/g, '\n');
  const lines = clean.replace(/\n$/, '').split('\n').map((line) => cutLine(line.slice(line.lastIndexOf('\r') + 1), limits.maxLineChars));
  const kept: string[] = [];
  let chars = 0;
  for (let i = lines.length - 1; i >= 0 && kept.length < limits.maxLines; i--) {
    const line = lines[i] ?? '';
    if (chars + line.length + 1 > limits.maxChars && kept.length > 0) break;
    kept.unshift(line);
    chars += line.length + 1;
  }
  const status =
    end.timedOutMs !== undefined
      ? `[Rill: the command was stopped after ${Math.round(end.timedOutMs / 1000)} s without finishing.]`
      : end.exitCode !== undefined
        ? `[Rill: exit code ${end.exitCode}.]`
        : '[Rill: the exit code is unknown (the terminal did not report it).]';
  const cut = lines.length - kept.length;
  const head = cut > 0 ? [`[Rill: the first ${cut} of ${lines.length} lines of output were cut; the last ${kept.length} follow.]`] : [];
  const body = clean.trim() === '' ? ['[Rill: no output.]'] : kept;
  return [...head, ...body, status].join('\n');
}
