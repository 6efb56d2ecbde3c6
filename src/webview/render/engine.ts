import { Marked, type Token, type TokensList } from 'marked';
import { defaultLabels, sanitizeMarkdownHtml } from './sanitize';
import type { RenderLabels } from './types';

/** The one parser configuration: the streamed and the one-shot render must agree exactly. */
export const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Characters handed to marked, for tests and the benchmark (work per update must not grow). */
export const parserWork = { lexedChars: 0, parsedChars: 0 };

export function lex(src: string): TokensList {
  parserWork.lexedChars += src.length;
  return marked.lexer(src);
}

/** Renders tokens to a sanitised fragment (inert until adopted; images already placeholders). */
export function renderTokens(tokens: Token[], labels: RenderLabels = defaultLabels): DocumentFragment {
  for (const token of tokens) parserWork.parsedChars += token.raw.length;
  return sanitizeMarkdownHtml(marked.parser(tokens), labels);
}

/**
 * The one-shot render: the whole text, parsed and sanitised into a fragment. Line endings are
 * normalised by marked itself.
 */
export function renderMarkdown(text: string, labels: RenderLabels = defaultLabels): DocumentFragment {
  return renderTokens(lex(text), labels);
}

/** Inline tags whose open/close pairs may be rendered block by block (they are balanced in each). */
const SPLITTABLE_INLINE = new Set([
  'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small',
  'span', 'strong', 'sub', 'sup', 'time', 'u', 'var',
]);
const VOID_INLINE = new Set(['br', 'wbr']);
const TAG = /^<(\/?)([a-zA-Z][\w-]*)(?:\s[^>]*)?>$/;

/**
 * Whether these tokens can be rendered apart from what follows them. Raw HTML can leave elements
 * open that the HTML parser carries into later blocks (and marked's lexer carries `<a>`/`<kbd>`
 * state too), so any HTML block, and any inline tag other than balanced simple inline ones, makes
 * the message fall back to whole-text rendering.
 */
export function splittable(tokens: Token[]): boolean {
  for (const top of tokens) {
    const open: string[] = [];
    let safe = true;
    marked.walkTokens([top], (token) => {
      if (!safe || token.type !== 'html') return;
      if ((token as { block?: boolean }).block) {
        safe = false;
        return;
      }
      const match = TAG.exec(token.raw.trim());
      const name = match?.[2]?.toLowerCase();
      if (!match || !name) {
        safe = false;
      } else if (VOID_INLINE.has(name)) {
        // nothing to balance
      } else if (!SPLITTABLE_INLINE.has(name) || token.raw.trim().endsWith('/>')) {
        safe = false;
      } else if (match[1]) {
        if (open.pop() !== name) safe = false;
      } else {
        open.push(name);
      }
    });
    if (!safe || open.length) return false;
  }
  return true;
}

/** Whether any token (at any depth) is raw HTML: such blocks are not reused between renders. */
export function hasHtml(tokens: Token[]): boolean {
  let found = false;
  marked.walkTokens(tokens, (token) => {
    if (token.type === 'html') found = true;
  });
  return found;
}
