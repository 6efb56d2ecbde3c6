// The line grammar the block splitter reads markdown with: the states it keeps between lines and
// the patterns and small helpers that classify one line (fences, headings, quotes, list items,
// tables, setext underlines, tab stops). block-splitter.ts walks the lines with them.
import type { OpenFence } from './block-splitter';

export type State =
  | { kind: 'none' }
  | ParagraphState
  | { kind: 'fence'; closer: RegExp; fence: OpenFence }
  | { kind: 'indented' }
  | QuoteState
  | { kind: 'table' }
  | ListState;

export interface ParagraphState {
  kind: 'paragraph';
  /** The paragraph can still become a setext heading. */
  setext: boolean;
  /** Its first line is `prev` (a table header there is the table tokenizer's, not a look-ahead). */
  first: boolean;
  /** The previous line, with its offsets, for a table header seen one line late. */
  prev: string;
  prevStart: number;
  prevNext: number;
}

/** What a quote's content ends with: marked ends a quote before a lazy line unless it is text. */
export type QuoteContent = 'text' | 'blank' | 'code' | 'other' | 'container';

export interface QuoteState {
  kind: 'quote';
  content: QuoteContent;
  /** The last `>` line had content: a following line without `>` may continue it lazily. */
  lazy: boolean;
  /** The previous content line, for a table's header. */
  prev: string;
  /** The closing-fence pattern of a fence open inside the quote. */
  fence: RegExp | undefined;
}

export interface ListState {
  kind: 'list';
  /** Matches the next item of this list: same bullet character, or same ordered delimiter. */
  item: RegExp;
  /** Column where the current item's content starts; lines indented this far belong to it. */
  width: number;
  /** Indent limit of the "starts another block" checks: min(3, width - 1). */
  limit: number;
  /** marked's `blankLine`: the previous line was blank, or the item's first line is empty. */
  blank: boolean;
  /** The previous line really was a blank line (a boundary may follow). */
  lineBlank: boolean;
  /** The previous line less the item's indentation (marked's `line`). */
  line: string;
  /** A line was added to the item after its first. */
  multiline: boolean;
  /** The previous line was a lazy continuation. */
  lazy: boolean;
  /** The item began with an empty line: a second blank line ends it at once. */
  emptyStart: boolean;
  /** The item has ended; the next line either starts another item or ends the list. */
  ended: boolean;
}

// Block starts, on one line without its newline, as marked 18.2 (GFM) recognises them.
export const BLANK = /^[ \t]*$/;
export const SPACES_ONLY = /^ *$/;
export const INDENTED_CODE = /^(?: {4}| {0,3}\t)/;
export const FENCE_OPEN = /^( {0,3})(`{3,}(?=[^`]*$)|~{3,})(.*)$/;
export const HEADING = /^ {0,3}#{1,6}(?=\s|$)/;
export const HR = /^ {0,3}(?:(?:-[\t ]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$/;
export const QUOTE = /^ {0,3}>/;
export const QUOTE_CONTENT = /^ {0,3}> ?(.*)$/;
export const LIST_START = /^( {0,3}(?:[*+-]|\d{1,9}[.)]))((?:[ \t].*)?)$/;
export const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;
export const NESTED_BLOCK_MARKER = /^ {0,3}(?:(?:[*+-]|\d{1,9}[.)])(?: |$)|> ?)/;
export const NESTED_CONTAINER_MARKERS = /^(?: {0,3}(?:(?:[*+-]|\d{1,9}[.)])[ \t]+|>[ \t]?))+/;
// What interrupts a paragraph (marked's gfm paragraph look-ahead); a table is checked apart.
export const PARAGRAPH_LIST = /^ {0,3}(?:[*+-]|1[.)])[ \t]+[^ \t]/;
export const PARAGRAPH_FENCE = /^ {0,3}(?:`{3,}(?=[^`]*$)|~~~)/;
export const HTML_TAGS =
  'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|' +
  'fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|' +
  'menuitem|meta|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul';
export const HTML_START_1_TO_6 =
  `(?:</?(?:${HTML_TAGS})(?:[ \\t]+|$|/?>)|<(?:(?:script|pre|style|textarea)(?:[\\s>]|$)|!--)|<\\?|<![A-Za-z]|<!\\[CDATA\\[)`;
/** HTML blocks of types 1-6, which may interrupt a paragraph. */
export const HTML_INTERRUPT = new RegExp(`^ {0,3}${HTML_START_1_TO_6}`, 'i');
// `[label]: destination` and footnotes `[^1]: text`; a label may go on over several lines.
export const DEFINITION = /^ {0,3}\[(?!\s*\])((?:\\[\s\S]|[^[\]\\])+)\]:/;
export const LABEL_OPEN = /^ {0,3}\[(?:\\[\s\S]|[^[\]\\])*$/;
export const LABEL_CLOSE = /^(?:\\[\s\S]|[^[\]\\])*\]:/;
// A table: header line, then a delimiter row with a `|` or `:`, with as many cells.
export const TABLE_DELIMITER = /^ {0,3}((?:\| *)?:?-+:? *(?:\| *:?-+:? *)*(?:\| *)?)$/;
export const TABLE_HEADER = /^ *[^ ]/;
export const TABLE_LIKE = /^ {0,3}\|?(?:[:\- ]*\|)+[:\- ]*$/;
// Lines that end a table's rows (marked's gfm table look-ahead).
export const TABLE_END_CODE = /^(?: {4}| {0,3}\t)./;
export const TABLE_END_LIST = /^ {0,3}(?:[*+-]|1[.)])[ \t]/;
// A lazy line cannot continue a quote when it starts another block (blockquote paragraph look-ahead).
export const QUOTE_END_LIST = /^ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)/;

export type Limited = 'fence' | 'heading' | 'html' | 'quote' | 'bullet' | 'hr';
/** marked's indent-limited "another block starts here" checks inside a list item, for limits 0-3. */
export const LIMITED: Record<Limited, RegExp[]> = {
  fence: [0, 1, 2, 3].map((n) => new RegExp(`^ {0,${n}}(?:\`\`\`|~~~)`)),
  heading: [0, 1, 2, 3].map((n) => new RegExp(`^ {0,${n}}#{1,6}(?:\\s|$)`)),
  html: [0, 1, 2, 3].map((n) => new RegExp(`^ {0,${n}}${HTML_START_1_TO_6}`, 'i')),
  quote: [0, 1, 2, 3].map((n) => new RegExp(`^ {0,${n}}>`)),
  bullet: [0, 1, 2, 3].map((n) => new RegExp(`^ {0,${n}}(?:[*+-]|\\d{1,9}[.)])(?:[ \\t].*)?$`)),
  hr: [0, 1, 2, 3].map((n) => new RegExp(`^ {0,${n}}(?:(?:-[ \\t]*){3,}|(?:_[ \\t]*){3,}|(?:\\*[ \\t]*){3,})$`)),
};
export function limited(name: Limited, limit: number): RegExp {
  return LIMITED[name][limit]!;
}

export function expandTabs(text: string, column: number): string {
  if (!text.includes('\t')) return text;
  let out = '';
  for (const char of text) {
    if (char === '\t') {
      const added = 4 - (column % 4);
      out += ' '.repeat(added);
      column += added;
    } else {
      out += char;
      column++;
    }
  }
  return out;
}

/** Expands the tabs of a line's leading whitespace only, as marked's list items do. */
export function expandLeadingTabs(line: string, column: number): string {
  return line.replace(/^[ \t]+/, (space) => expandTabs(space, column));
}

/** marked's `splitCells` count for a table row. */
export function cellCount(row: string): number {
  const spaced = row.replace(/\|/g, (_match, offset: number, str: string) => {
    let escaped = false;
    let at = offset;
    while (--at >= 0 && str[at] === '\\') escaped = !escaped;
    return escaped ? '|' : ' |';
  });
  const cells = spaced.split(/ \|/);
  if (!cells[0]?.trim()) cells.shift();
  if (cells.length > 0 && !cells[cells.length - 1]?.trim()) cells.pop();
  return cells.length;
}

export function isTableStart(header: string, delimiter: string): boolean {
  if (!TABLE_HEADER.test(header)) return false;
  const match = TABLE_DELIMITER.exec(delimiter);
  if (!match?.[1] || !/[:|]/.test(match[1])) return false;
  return cellCount(header) === match[1].replace(/^\||\| *$/g, '').split('|').length;
}

/** marked's closing fence: the opening run or longer, of the same character, then only spaces. */
export function fenceCloser(run: string): RegExp {
  return new RegExp(`^ {0,3}${run}${run[0] === '`' ? '`' : '~'}* *$`);
}

export const SETEXT_BULLET = /^ {0,3}(?:[*+-]|\d{1,9}[.)]) /;
/** The first line of a setext heading's content may not look like another block (marked's lheading). */
export function setextFirstLine(line: string): boolean {
  return !(SETEXT_BULLET.test(line) || INDENTED_CODE.test(line) || QUOTE.test(line) || HEADING.test(line) || TABLE_LIKE.test(line));
}
/** Nor may a later line (the other blocks it names interrupt the paragraph anyway). */
export function setextNextLine(line: string): boolean {
  return !(SETEXT_BULLET.test(line) || TABLE_LIKE.test(line));
}

/**
 * One `>` line of a top-level quote: what its content ends with decides if a following line
 * without `>` still belongs to the quote (marked's blockquote tokenizer).
 */
export function quoteLine(state: QuoteState, line: string): void {
  const content = QUOTE_CONTENT.exec(line)?.[1] ?? '';
  state.lazy = !BLANK.test(content);
  if (state.fence) {
    if (state.fence.test(content)) state.fence = undefined;
    state.content = 'code';
    return;
  }
  const fence = FENCE_OPEN.exec(content);
  if (fence) {
    state.fence = fenceCloser(fence[2]!);
    state.content = 'code';
  } else if (BLANK.test(content)) {
    state.content = 'blank';
  } else if (INDENTED_CODE.test(content)) {
    // Indented code cannot interrupt a paragraph: after text, an indented line is more text.
    if (state.content !== 'text') state.content = 'code';
  } else if (HEADING.test(content) || HR.test(content)) {
    state.content = 'other';
  } else if (state.content === 'text' && (SETEXT.test(content) || isTableStart(state.prev, content))) {
    state.content = 'other';
  } else if (LIST_START.test(content) || QUOTE.test(content)) {
    state.content = 'container';
  } else if (state.content !== 'container') {
    state.content = 'text';
  }
  state.prev = content;
}
