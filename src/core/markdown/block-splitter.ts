/**
 * Finds the stable prefix of a markdown answer that is still streaming in: the part made of blocks
 * that no later text can change, so a renderer can render each of them once and re-render only the
 * live tail. Pure (no DOM, no parser): a line-based model of the top-level block structure of
 * `marked` (GFM, the webview's parser), kept incrementally so each append costs only its own lines.
 *
 * A boundary `b` (always a line start) is reported only when `text.slice(0, b)` renders the same
 * whatever is appended later, and the whole text renders as `render(text[0:b]) + render(text[b:])`:
 * - after a blank line, once the NEXT line is complete and starts a new top-level block: a list
 *   item of the same list (`2` becoming `2.`), an indented continuation, a lazy quote line, a table
 *   row or an indented-code continuation all continue the block before the blank line instead;
 *   waiting for the next line to end is what the design notes call "two blocks follow";
 * - right after the closing line of a top-level fenced code block, and after a top-level ATX
 *   heading line: such blocks end with their own last line.
 * Nothing inside an open fence is a boundary, whatever it looks like.
 *
 * Some constructs tie blocks together, and then no split is safe: a link reference definition
 * (`[a]: https://…`, which changes links anywhere in the text, earlier ones included), a footnote
 * definition (`[^1]: …`). When one is seen the result says `fallback: true` and the caller must
 * render the whole text; this is sticky for the rest of the text. Definitions nested in lists or
 * quotes need the parser to see: the renderer checks its tokens too. Raw HTML ties nothing: the
 * renderer's parser has no HTML blocks and balances inline tags within a block
 * (webview/render/html-policy), so lines that look like HTML are modelled as ordinary text.
 *
 * Line endings must be `\n` (normalise `\r\n` first, as marked does).
 */

import { BLANK, DEFINITION, FENCE_OPEN, HEADING, HR, HTML_INTERRUPT, INDENTED_CODE, LABEL_CLOSE, LABEL_OPEN, LIST_START, NESTED_BLOCK_MARKER, NESTED_CONTAINER_MARKERS, PARAGRAPH_FENCE, PARAGRAPH_LIST, QUOTE, QUOTE_END_LIST, SETEXT, SPACES_ONLY, TABLE_DELIMITER, TABLE_END_CODE, TABLE_END_LIST, TABLE_HEADER, expandLeadingTabs, fenceCloser, isTableStart, limited, quoteLine, setextFirstLine, setextNextLine } from './block-lines';
import type { ListState, QuoteState, State } from './block-lines';


export type SplitFallbackReason = 'reference-definition' | 'footnote' | 'ambiguous';

export interface OpenFence {
  /** Offset of the first content line (the line after the opening fence). */
  readonly contentStart: number;
  /** Spaces before the opening fence (0-3); marked strips up to as many from each content line. */
  readonly indent: number;
  /** The info string after the fence, trimmed (its first word is the language). */
  readonly info: string;
}

export interface SplitResult {
  /** `text.slice(0, stableEnd)` is made of finished blocks (the last boundary, or 0). */
  readonly stableEnd: number;
  /** Every boundary found so far, ascending; the array grows in place across appends. */
  readonly boundaries: readonly number[];
  /** True when a split is unsafe: render the whole text instead. */
  readonly fallback: boolean;
  readonly reason: SplitFallbackReason | undefined;
  /** The top-level fenced code block still open at the end of the complete lines, if any. */
  readonly openFence: OpenFence | undefined;
  /** Offset up to which complete lines have been scanned (the start of the incomplete last line). */
  readonly scanned: number;
}

export class BlockSplitter {
  /** Length of all text given so far. */
  private length = 0;
  /** The incomplete last line (everything after the last newline). */
  private pending = '';
  /** Offset of `pending`: complete lines end before it. */
  private scanPos = 0;
  private lastChar = '';
  private readonly found: number[] = [];
  private state: State = { kind: 'none' };
  /** The line before `scanPos` was blank. */
  private prevBlank = false;
  private labelOpen = false;
  private reason: SplitFallbackReason | undefined;
  /** Complete lines scanned so far: each line is looked at once, whatever the chunking. */
  linesScanned = 0;

  /**
   * Adds text at the end and scans the lines it completes. The cost is that of the new text (and
   * of the line it completes): nothing before the last newline is looked at again.
   */
  append(chunk: string): SplitResult {
    if (chunk) {
      this.length += chunk.length;
      this.lastChar = chunk.charAt(chunk.length - 1);
      this.pending += chunk;
      if (this.reason === undefined && chunk.includes('\n')) this.scan();
    }
    return this.result();
  }

  /**
   * Takes the whole text so far. It must extend the text given before (only its length and the
   * last character are checked, to keep this O(appended)); anything else starts over.
   */
  update(text: string): SplitResult {
    const old = this.length;
    if (text.length >= old && (old === 0 || text.charAt(old - 1) === this.lastChar)) return this.append(text.slice(old));
    this.reset();
    return this.append(text);
  }

  reset(): void {
    this.length = 0;
    this.pending = '';
    this.scanPos = 0;
    this.lastChar = '';
    this.found.length = 0;
    this.state = { kind: 'none' };
    this.prevBlank = false;
    this.labelOpen = false;
    this.reason = undefined;
    this.linesScanned = 0;
  }

  /** Number of boundaries found so far (cheaper than `result()` in a hot loop). */
  get boundaryCount(): number {
    return this.found.length;
  }

  get fallback(): boolean {
    return this.reason !== undefined;
  }

  get openFence(): OpenFence | undefined {
    return this.state.kind === 'fence' ? this.state.fence : undefined;
  }

  result(): SplitResult {
    return {
      stableEnd: this.found.length ? this.found[this.found.length - 1]! : 0,
      boundaries: this.found,
      fallback: this.reason !== undefined,
      reason: this.reason,
      openFence: this.openFence,
      scanned: this.scanPos,
    };
  }

  private scan(): void {
    const text = this.pending;
    let start = 0;
    let newline: number;
    while (this.reason === undefined && (newline = text.indexOf('\n', start)) !== -1) {
      const lineStart = this.scanPos;
      this.scanPos += newline - start + 1;
      this.linesScanned++;
      this.line(text.slice(start, newline), lineStart, this.scanPos);
      start = newline + 1;
    }
    if (this.reason !== undefined) {
      start = text.lastIndexOf('\n') + 1;
      this.scanPos = this.length - (text.length - start);
    }
    this.pending = text.slice(start);
  }

  private boundary(at: number): void {
    const last = this.found.length ? this.found[this.found.length - 1]! : 0;
    if (at > last) this.found.push(at);
  }

  private fallBack(reason: SplitFallbackReason): void {
    this.reason = reason;
  }

  /** Definitions are looked for on every line outside code: a false alarm only costs speed. */
  private checkDefinition(line: string): void {
    const match = DEFINITION.exec(line);
    if (match) return this.fallBack(match[1]?.startsWith('^') ? 'footnote' : 'reference-definition');
    if (this.labelOpen && LABEL_CLOSE.test(line)) return this.fallBack('reference-definition');
    if (LABEL_OPEN.test(line)) this.labelOpen = true;
    else if (this.labelOpen && (BLANK.test(line) || /[[\]]/.test(line))) this.labelOpen = false;
  }

  private line(line: string, start: number, next: number): void {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const state = this.state;
    switch (state.kind) {
      case 'fence':
        if (state.closer.test(line)) {
          this.state = { kind: 'none' };
          this.prevBlank = false;
          this.boundary(next);
        }
        return;
      case 'indented':
        if (BLANK.test(line) || INDENTED_CODE.test(line)) {
          this.prevBlank = BLANK.test(line);
          return;
        }
        this.state = { kind: 'none' };
        return this.startBlock(line, start, next);
      case 'quote':
        if (BLANK.test(line)) {
          this.state = { kind: 'none' };
          this.prevBlank = true;
          return;
        }
        if (QUOTE.test(line)) {
          quoteLine(state, line);
          return;
        }
        if (state.lazy && !this.endsQuoteParagraph(line)) {
          // The line is lazy text: it joins a quote ending in text, and ends one ending in code,
          // a heading, a rule or a table. After a nested list or quote, marked re-parses that
          // container with the line; this model does not follow it, so it gives up the split.
          if (state.content === 'text') return;
          if (state.content === 'container') return this.fallBack('ambiguous');
        }
        this.state = { kind: 'none' };
        this.prevBlank = false;
        return this.startBlock(line, start, next);
      case 'table':
        if (SPACES_ONLY.test(line)) {
          this.state = { kind: 'none' };
          this.prevBlank = true;
          return;
        }
        if (this.endsTable(line)) {
          this.state = { kind: 'none' };
          this.prevBlank = false;
          return this.startBlock(line, start, next);
        }
        return;
      case 'paragraph':
        if (BLANK.test(line)) {
          this.state = { kind: 'none' };
          this.prevBlank = true;
          this.labelOpen = false;
          return;
        }
        this.checkDefinition(line);
        if (this.reason) return;
        if (state.setext && SETEXT.test(line)) {
          this.state = { kind: 'none' };
          this.prevBlank = false;
          return;
        }
        if (this.interruptsParagraph(line)) {
          this.state = { kind: 'none' };
          this.prevBlank = false;
          return this.startBlock(line, start, next);
        }
        if (TABLE_HEADER.test(state.prev) && TABLE_DELIMITER.test(line)) {
          // marked's paragraph stops before a line followed by what looks like a delimiter row,
          // even one the table tokenizer then rejects: that line is lexed again as a new block.
          if (isTableStart(state.prev, line)) {
            this.state = { kind: 'table' };
            return;
          }
          if (!state.first) {
            this.state = { kind: 'none' };
            this.prevBlank = false;
            this.startBlock(state.prev, state.prevStart, state.prevNext);
            if (this.reason) return;
            return this.line(line, start, next);
          }
        }
        if (!setextNextLine(line)) state.setext = false;
        state.first = false;
        state.prev = line;
        state.prevStart = start;
        state.prevNext = next;
        return;
      case 'list':
        return this.listLine(state, line, start, next);
      case 'none':
        return this.startBlock(line, start, next);
    }
  }

  /** `line` starts a new top-level block (or is blank between blocks). */
  private startBlock(line: string, start: number, next: number): void {
    if (BLANK.test(line)) {
      this.prevBlank = true;
      this.labelOpen = false;
      return;
    }
    const afterBlank = this.prevBlank;
    this.prevBlank = false;
    const candidate = () => {
      if (afterBlank && start > 0) this.boundary(start);
    };
    if (INDENTED_CODE.test(line)) {
      candidate();
      this.state = { kind: 'indented' };
      return;
    }
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      candidate();
      const run = fence[2]!;
      this.state = {
        kind: 'fence',
        closer: fenceCloser(run),
        fence: { contentStart: next, indent: fence[1]!.length, info: (fence[3] ?? '').trim() },
      };
      return;
    }
    if (HEADING.test(line)) {
      candidate();
      this.state = { kind: 'none' };
      this.boundary(next);
      return;
    }
    if (HR.test(line)) {
      candidate();
      this.state = { kind: 'none' };
      return;
    }
    if (QUOTE.test(line)) {
      candidate();
      const quote: QuoteState = { kind: 'quote', content: 'blank', lazy: false, prev: '', fence: undefined };
      quoteLine(quote, line);
      this.state = quote;
      return;
    }
    const item = LIST_START.exec(line);
    if (item) {
      candidate();
      const bullet = item[1]!.trim();
      const pattern = bullet.length > 1 ? `\\d{1,9}\\${bullet.slice(-1)}` : `\\${bullet}`;
      this.beginItem(new RegExp(`^( {0,3}${pattern})((?:[\\t ].*)?)$`), item);
      return;
    }
    // No HTML blocks (webview/render/html-policy): a line that would start one starts a paragraph.
    this.checkDefinition(line);
    if (this.reason) return;
    candidate();
    this.state = { kind: 'paragraph', setext: setextFirstLine(line), first: true, prev: line, prevStart: start, prevNext: next };
  }

  /**
   * marked's paragraph also stops before a line that could start an HTML block, but with no HTML
   * blocks (html-policy) the next paragraph it lexes there is merged back into this one.
   */
  private interruptsParagraph(line: string): boolean {
    return HR.test(line) || HEADING.test(line) || QUOTE.test(line) || PARAGRAPH_FENCE.test(line) || PARAGRAPH_LIST.test(line);
  }

  private endsQuoteParagraph(line: string): boolean {
    return (
      HR.test(line) || HEADING.test(line) || QUOTE.test(line) || PARAGRAPH_FENCE.test(line) || QUOTE_END_LIST.test(line) || HTML_INTERRUPT.test(line)
    );
  }

  private endsTable(line: string): boolean {
    return (
      HR.test(line) ||
      HEADING.test(line) ||
      QUOTE.test(line) ||
      TABLE_END_CODE.test(line) ||
      PARAGRAPH_FENCE.test(line) ||
      TABLE_END_LIST.test(line) ||
      HTML_INTERRUPT.test(line)
    );
  }

  private beginItem(item: RegExp, match: RegExpExecArray): void {
    const bulletLength = match[1]!.length;
    const line = expandLeadingTabs(match[2] ?? '', bulletLength);
    const empty = !line.trim();
    let width: number;
    if (empty) {
      width = bulletLength + 1;
    } else {
      let indent = line.search(/[^ ]/);
      indent = indent > 4 ? 1 : indent;
      width = indent + bulletLength;
    }
    this.state = {
      kind: 'list',
      item,
      width,
      limit: Math.max(0, Math.min(3, width - 1)),
      blank: empty,
      lineBlank: false,
      line,
      multiline: false,
      lazy: false,
      emptyStart: empty,
      ended: false,
    };
  }

  /** One line after a list item's first line: marked's list item loop, line by line. */
  private listLine(state: ListState, line: string, start: number, next: number): void {
    if (!state.ended && state.emptyStart) {
      state.emptyStart = false;
      if (BLANK.test(line)) {
        // An item may begin with at most one blank line.
        state.ended = true;
        state.blank = true;
        state.lineBlank = true;
        return;
      }
    }
    if (!state.ended && this.itemContinues(state, line)) return;
    // The item ends before this line: another item of the same list, or the end of the list.
    const item = state.item.exec(line);
    if (item && !HR.test(line)) {
      this.beginItem(state.item, item);
      return;
    }
    this.state = { kind: 'none' };
    this.prevBlank = state.lineBlank;
    this.startBlock(line, start, next);
  }

  /** Whether `line` belongs to the current list item (and if so, takes it in). */
  private itemContinues(state: ListState, line: string): boolean {
    const { limit, width } = state;
    if (
      limited('fence', limit).test(line) ||
      limited('heading', limit).test(line) ||
      limited('html', limit).test(line) ||
      limited('quote', limit).test(line) ||
      limited('bullet', limit).test(line) ||
      limited('hr', limit).test(line)
    ) {
      return false;
    }
    const untabbed = expandLeadingTabs(line, 0);
    const blank = !line.trim();
    if (blank || untabbed.search(/[^ ]/) >= width) {
      state.multiline = true;
      state.lazy = false;
      state.blank = blank;
      state.lineBlank = blank;
      state.line = untabbed.slice(width);
      return true;
    }
    // Not indented enough: only a lazy continuation of a paragraph stays in the item.
    if (state.blank) return false;
    let lastBlock = state.line;
    if (!state.multiline && !lastBlock.includes('\t')) {
      let marker: RegExpExecArray | null;
      while (!limited('hr', limit).test(lastBlock) && (marker = NESTED_BLOCK_MARKER.exec(lastBlock))) {
        lastBlock = lastBlock.slice(marker[0].length);
      }
      if (!lastBlock.trim()) return false;
    }
    if (
      lastBlock.replace(/\t/g, '    ').search(/[^ ]/) >= 4 ||
      limited('fence', limit).test(lastBlock) ||
      limited('heading', limit).test(lastBlock) ||
      limited('html', limit).test(lastBlock) ||
      limited('hr', limit).test(lastBlock)
    ) {
      return false;
    }
    if (!state.lazy) {
      const blockLine = state.line.replace(NESTED_CONTAINER_MARKERS, '');
      if (FENCE_OPEN.test(blockLine) || HEADING.test(blockLine) || HR.test(blockLine)) return false;
    }
    state.multiline = true;
    state.lazy = true;
    state.blank = false;
    state.lineBlank = false;
    state.line = untabbed.slice(width);
    return true;
  }
}

/** Splits a whole text at once (for tests and one-off use). */
export function splitBlocks(text: string): SplitResult {
  return new BlockSplitter().append(text);
}
