import { Marked, type Token, type TokensList } from 'marked';
import { recordCodeInfos } from './code-info';
import { balanceInlineHtml, markedOptions, rawHtmlPolicy } from './html-policy';
import { defaultLabels, sanitizeMarkdownHtml } from './sanitize';
import type { RenderLabels } from './types';

/**
 * The one parser configuration: the streamed and the one-shot render must agree exactly. Raw HTML
 * follows webview/render/html-policy: literal text unless an allowed tag balanced in its block.
 */
export const marked = new Marked(markedOptions, rawHtmlPolicy);

/** Characters handed to marked, for tests and the benchmark (work per update must not grow). */
export const parserWork = { lexedChars: 0, parsedChars: 0 };

export function lex(src: string): TokensList {
  parserWork.lexedChars += src.length;
  const tokens = marked.lexer(src);
  if (src.includes('<')) balanceInlineHtml(tokens);
  return tokens;
}

/** Renders tokens to a sanitised fragment (inert until adopted; images already placeholders). */
export function renderTokens(tokens: Token[], labels: RenderLabels = defaultLabels): DocumentFragment {
  for (const token of tokens) parserWork.parsedChars += token.raw.length;
  const fragment = sanitizeMarkdownHtml(marked.parser(tokens), labels);
  // A fence's whole info string (`ts src/a.ts`) goes beside the HTML, never through it.
  recordCodeInfos(tokens, fragment);
  return fragment;
}

/**
 * The one-shot render: the whole text, parsed and sanitised into a fragment. Line endings are
 * normalised by marked itself.
 */
export function renderMarkdown(text: string, labels: RenderLabels = defaultLabels): DocumentFragment {
  return renderTokens(lex(text), labels);
}
