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

/**
 * How far the sum of the lines' counts may exceed the count of the text they make up. A tokenizer
 * merges a little across line ends; a counter of lines counts each '\n' twice. Lines past this many
 * budgets are not counted, so a huge file costs a few budgets' worth of counting, not its size.
 */
const ESTIMATE_SLACK = 4;
/** Beyond this many characters per token of budget, counting the whole text is not worth trying first. */
const WHOLE_CHECK_CHARS_PER_TOKEN = 32;

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
  if (!(budgetTokens > 0)) return nothingFits(normalised);

  const whole = assemble(normalised, normalised.map((item) => item.lines.length));
  // The usual case, everything fits, costs one count. A text far larger than the budget skips it:
  // the search below still tries everything whole when its estimate allows.
  if (whole.length <= WHOLE_CHECK_CHARS_PER_TOKEN * budgetTokens && count(whole) <= budgetTokens) return { text: whole, leftOut: [] };

  const costs = normalised.map((item) => costsOf(item, count, ESTIMATE_SLACK * budgetTokens));
  const level = fitLevel(costs, budgetTokens, count);
  if (level === undefined) return nothingFits(normalised);
  const kept = keptAt(costs, level);
  return { text: assemble(normalised, kept), leftOut: leftOutOf(normalised, kept) };
}

/**
 * What an item costs with its first k lines, estimated from counts taken once: each line's tokens
 * (with its '\n') summed, plus the frame around them (header, fences, note). Counting every
 * candidate text afresh would cost a whole count per try; this way the search counts each line once
 * and the whole text only to check a candidate.
 */
interface ItemCosts {
  item: Item;
  /** prefix[k]: tokens of the first k lines. */
  prefix: number[];
  full: number;
  cutFrame: number;
  omitted: number;
}

function costsOf(item: Item, count: (text: string) => number, limit: number): ItemCosts {
  const prefix = [0];
  for (const line of item.lines) {
    const total = prefix[prefix.length - 1]!;
    if (total > limit) break;
    prefix.push(total + count(`${line}\n`));
  }
  const n = item.lines.length;
  while (prefix.length <= n) prefix.push(Number.POSITIVE_INFINITY);
  return {
    item,
    prefix,
    full: count(render(item, n, '')) + prefix[n]!,
    cutFrame: n > 1 ? count(render(item, n - 1, '')) : Number.POSITIVE_INFINITY,
    omitted: count(render(item, 0)),
  };
}

/**
 * Water-filling: every item may cost up to `level` tokens. Those that cost less whole stay whole;
 * the others keep as many first lines as fit under the level, so equally large items keep equal
 * shares and no single file can starve the rest. One line over the level and the item is left out.
 */
function keptAt(costs: readonly ItemCosts[], level: number): number[] {
  return costs.map(({ item, prefix, full, cutFrame }) => {
    const n = item.lines.length;
    if (full <= level) return n;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (cutFrame + prefix[mid]! <= level) low = mid;
      else high = mid - 1;
    }
    return low;
  });
}

function estimate(costs: readonly ItemCosts[], kept: readonly number[]): number {
  return costs.reduce((sum, c, i) => {
    const k = kept[i]!;
    return sum + (k === 0 ? c.omitted : k === c.item.lines.length ? c.full : c.cutFrame + c.prefix[k]!);
  }, 0);
}

/**
 * The highest level whose assembled text really fits, or undefined when not even the notes do.
 * The estimate finds a starting level cheaply; since token counts of parts do not add up exactly to
 * the count of the whole (a tokenizer merges across joins), the real count of the assembled text then
 * decides. Each real count says how far off it is, so the next try moves by that much shared among
 * the cut items; after a few tries, every other one halves the bracket instead, so a poor guess cannot
 * make it slow.
 */
function fitLevel(costs: readonly ItemCosts[], budget: number, count: (text: string) => number): number | undefined {
  const items = costs.map((c) => c.item);
  // At `top` every item is whole, unless one was too large to count in full.
  const top = Math.min(ESTIMATE_SLACK * budget, Math.max(...costs.map((c) => c.full)));
  const measured = new Map<string, number>();
  const measure = (kept: readonly number[]): number => {
    const key = kept.join(',');
    let tokens = measured.get(key);
    if (tokens === undefined) {
      tokens = count(assemble(items, kept));
      measured.set(key, tokens);
    }
    return tokens;
  };

  // Cutting adds a note, which can cost more than the lines it removes: the levels just below `top`
  // may not fit while `top` does, so everything whole is tried first.
  if (costs.every((c) => c.full <= top) && measure(keptAt(costs, top)) <= budget) return top;

  const room = budget - count(CONTEXT_INTRO);
  let low = 0;
  let high = top;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (estimate(costs, keptAt(costs, mid)) <= room) low = mid;
    else high = mid - 1;
  }

  // Invariant: `good` fits (-1: none known), `bad` does not (top + 1: past the search).
  let good = -1;
  let bad = top + 1;
  let guess = low;
  for (let attempt = 0; bad - good > 1; attempt++) {
    if (guess <= good || guess >= bad || (attempt > 3 && attempt % 2 === 1 && bad <= top)) guess = Math.floor((good + bad) / 2);
    if (guess < 0) break;
    const kept = keptAt(costs, guess);
    const tokens = measure(kept);
    const cut = Math.max(1, kept.filter((k, i) => k < items[i]!.lines.length).length);
    if (tokens <= budget) {
      good = guess;
      guess += Math.max(1, Math.floor((budget - tokens) / cut));
    } else {
      bad = guess;
      guess -= Math.max(1, Math.ceil((tokens - budget) / cut));
    }
  }
  return good < 0 ? undefined : good;
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

function assemble(items: readonly Item[], kept: readonly number[]): string {
  return [CONTEXT_INTRO, ...items.map((item, i) => render(item, kept[i]!))].join('\n\n');
}

/** One item with its first `keep` lines (or `body` in their place): header, fenced block, and a note when lines are missing. */
function render(item: Item, keep: number, body = item.lines.slice(0, keep).join('\n')): string {
  if (keep <= 0) return `${item.name} (${range(item.startLine, item.lastLine, item.totalLines)}, ${KIND_LABELS[item.kind]}) was left out ${REASON}.`;
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
