import type { AttachmentKind, ContextLeftOut } from '../../protocol/context-messages';

/**
 * The text of the attachments as the model reads it (issue 13), fitted to a token budget.
 *
 * Each attachment is a header naming its path, line range and kind, then a fenced block. When they
 * do not all fit, the budget is shared by water-filling: the small ones stay whole and the large ones
 * share the rest equally, so one huge file cannot starve a selection. A cut keeps whole lines from the
 * top, and a note says which lines are missing so the model can tell the user; `leftOut` says the
 * same to the UI.
 */

export interface AttachmentContent {
  kind: AttachmentKind;
  /** Workspace-relative path with '/'; absent for the whole workspace's problems. */
  path?: string;
  /** VS Code language id for the fence ('typescript', 'python', 'plaintext'...). */
  language: string;
  /** The text as it would be sent, lines separated by '\n'. */
  text: string;
  /** 1-based number of text's first line in the file (1 for a whole file). */
  startLine: number;
  /** Lines of the whole source when text is itself part of it; defaults to text's own line count + startLine - 1. */
  totalLines?: number;
}

export interface FormattedContext {
  text: string;
  leftOut: ContextLeftOut[];
}

export const CONTEXT_INTRO = 'The user attached the following context to this message.';
const REASON = "to fit the model's context window";
const KIND_LABELS: Record<AttachmentKind, string> = { file: 'file', selection: 'selection', folder: 'folder listing', problems: 'problems' };

/** One attachment, normalised: its lines and where they sit in the source. */
interface Item {
  kind: AttachmentKind;
  path: string | undefined;
  name: string;
  language: string;
  lines: string[];
  startLine: number;
  /** Last line of `lines` in the source. */
  lastLine: number;
  totalLines: number;
}

export function formatContext(items: readonly AttachmentContent[], budgetTokens: number, count: (text: string) => number): FormattedContext {
  if (items.length === 0) return { text: '', leftOut: [] };
  const normalised = items.map(normalise);
  const all = normalised.map((item) => item.lines.length);
  if (budgetTokens <= 0) return nothingFits(normalised);

  const whole = assemble(normalised, all);
  if (count(whole) <= budgetTokens) return { text: whole, leftOut: [] };

  const kept = share(normalised, budgetTokens, count);
  // Token counts of parts do not add up exactly to the count of the whole (BPE merges across the
  // joins), so the assembled text is measured again and trimmed until it really fits.
  for (;;) {
    const text = assemble(normalised, kept);
    const over = count(text) - budgetTokens;
    if (over <= 0) return { text, leftOut: leftOutOf(normalised, kept) };
    const victim = largestKept(normalised, kept, count);
    if (victim === undefined) return nothingFits(normalised);
    const item = normalised[victim]!;
    const current = kept[victim]!;
    const target = count(render(item, current)) - over;
    kept[victim] = mostLinesWithin(item, target, count, 0, current - 1);
  }
}

function normalise(content: AttachmentContent): Item {
  let text = content.text.replace(/\r\n?/g, '\n');
  // A final '\n' ends the last line; it does not start an empty one (a file 'a\n' is one line).
  if (text.endsWith('\n')) text = text.slice(0, -1);
  const lines = text.split('\n');
  const startLine = Math.max(1, Math.floor(content.startLine) || 1);
  const lastLine = startLine + lines.length - 1;
  const path = content.path === undefined || content.path === '' ? undefined : content.path.replace(/[\r\n]+/g, ' ');
  return {
    kind: content.kind,
    path,
    name: path ?? (content.kind === 'problems' ? 'the whole workspace' : 'the workspace folder'),
    // The info string is one word: anything else could end the fence's line or smuggle text into it.
    language: content.language.replace(/[^\w+#.-]/g, ''),
    lines,
    startLine,
    lastLine,
    totalLines: Math.max(lastLine, content.totalLines ?? lastLine),
  };
}

/**
 * Lines each item keeps. The fixed part (the intro) is paid first; the rest is shared by
 * water-filling on each item's cost when whole. What the line granularity leaves unused is then
 * offered back to the cut items, in order.
 */
function share(items: readonly Item[], budget: number, count: (text: string) => number): number[] {
  const costs = items.map((item) => count(render(item, item.lines.length)));
  let remaining = budget - count(CONTEXT_INTRO);
  const allotment: number[] = new Array<number>(items.length).fill(0);
  const order = items.map((_, i) => i).sort((a, b) => costs[a]! - costs[b]! || a - b);
  order.forEach((index, position) => {
    const fair = Math.floor(Math.max(0, remaining) / (order.length - position));
    allotment[index] = Math.min(costs[index]!, fair);
    remaining -= allotment[index]!;
  });
  const kept = items.map((item, i) => (allotment[i]! >= costs[i]! ? item.lines.length : mostLinesWithin(item, allotment[i]!, count, 0, item.lines.length - 1)));
  let spare = budget - count(CONTEXT_INTRO) - items.reduce((sum, item, i) => sum + count(render(item, kept[i]!)), 0);
  items.forEach((item, i) => {
    const k = kept[i]!;
    if (spare <= 0 || k >= item.lines.length) return;
    const before = count(render(item, k));
    const more = mostLinesWithin(item, before + spare, count, k, item.lines.length);
    if (more > k) {
      spare -= count(render(item, more)) - before;
      kept[i] = more;
    }
  });
  return kept;
}

/** The most lines, between low and high, whose rendering costs at most `tokens` (low when none does). */
function mostLinesWithin(item: Item, tokens: number, count: (text: string) => number, low: number, high: number): number {
  // Binary search: counting is the expensive part, and cost grows with the number of lines.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (count(render(item, mid)) <= tokens) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The item that still sends lines and costs the most (the last one on a tie), or undefined. */
function largestKept(items: readonly Item[], kept: readonly number[], count: (text: string) => number): number | undefined {
  let best: number | undefined;
  let bestCost = -1;
  items.forEach((item, i) => {
    if (kept[i]! === 0) return;
    const cost = count(render(item, kept[i]!));
    if (cost >= bestCost) {
      best = i;
      bestCost = cost;
    }
  });
  return best;
}

function assemble(items: readonly Item[], kept: readonly number[]): string {
  return [CONTEXT_INTRO, ...items.map((item, i) => render(item, kept[i]!))].join('\n\n');
}

/** One item with its first `keep` lines: header, fenced block, and a note when lines are missing. */
function render(item: Item, keep: number): string {
  if (keep <= 0) return `${item.name} (${range(item.startLine, item.lastLine, item.totalLines)}, ${KIND_LABELS[item.kind]}) was left out ${REASON}.`;
  const lines = item.lines.slice(0, keep);
  const body = lines.join('\n');
  // Longer than any run of backticks in the text, so no line of it can close the block.
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  const end = item.startLine + keep - 1;
  const header = `${item.name} (${range(item.startLine, end, item.totalLines)}, ${KIND_LABELS[item.kind]}):`;
  const block = `${header}\n${fence}${item.language}\n${body}\n${fence}`;
  if (keep >= item.lines.length) return block;
  const from = end + 1;
  const missing = from === item.lastLine ? `Line ${from} was` : `Lines ${from}-${item.lastLine} were`;
  return `${block}\n(${missing} left out of ${item.name} ${REASON}.)`;
}

/** 'lines 10-20', 'line 7', with ' of N' when the source goes on past the last line. */
function range(from: number, to: number, total: number): string {
  const lines = from === to ? `line ${from}` : `lines ${from}-${to}`;
  return total > to ? `${lines} of ${total}` : lines;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

function leftOutOf(items: readonly Item[], kept: readonly number[]): ContextLeftOut[] {
  const out: ContextLeftOut[] = [];
  items.forEach((item, i) => {
    const k = kept[i]!;
    if (k >= item.lines.length) return;
    const path = item.path === undefined ? {} : { path: item.path };
    out.push({ kind: item.kind, ...path, fromLine: item.startLine + k, toLine: item.lastLine, totalLines: item.totalLines });
  });
  return out;
}

function nothingFits(items: readonly Item[]): FormattedContext {
  return { text: '', leftOut: leftOutOf(items, items.map(() => 0)) };
}
