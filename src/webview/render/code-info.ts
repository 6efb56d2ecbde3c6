import type { Token, Tokens } from 'marked';

/**
 * A fenced code block's whole info string (```` ```ts src/a.ts ```` gives `ts src/a.ts`), for the
 * code block's toolbar (Apply to file). marked writes only its first word into the HTML
 * (`class="language-ts"`), and the sanitiser rightly keeps nothing else of a `<code>`; so the info
 * string never goes through the HTML at all: it is read from marked's tokens and kept here, beside
 * the DOM, keyed by the `<code>` element the block rendered to.
 */
const infos = new WeakMap<Element, string>();

/** The info string of the fenced block this `<code>` (of a `pre > code`) was rendered from, if it had one. */
export function codeInfo(code: Element): string | undefined {
  return infos.get(code);
}

/** Whether any of these tokens may hold a fenced block (a cheap test before walking them). */
function mayHaveFence(tokens: readonly Token[]): boolean {
  return tokens.some((token) => token.raw.includes('```') || token.raw.includes('~~~'));
}

/** The tokens' code blocks, in document order (the order marked renders them in). */
function codeTokens(tokens: readonly Token[], found: Tokens.Code[] = []): Tokens.Code[] {
  for (const token of tokens) {
    if (token.type === 'code') found.push(token as Tokens.Code);
    else if (token.type === 'list') for (const item of (token as Tokens.List).items) codeTokens(item.tokens, found);
    else if ('tokens' in token && Array.isArray(token.tokens)) codeTokens(token.tokens as Token[], found);
  }
  return found;
}

/**
 * Pairs the code blocks of `tokens` with the `pre > code` elements they rendered to in `fragment`
 * (sanitised already: only marked makes `<pre>`, raw HTML never does), and remembers each fenced
 * block's info string. When the counts differ nothing is paired: no info is better than a wrong one.
 */
export function recordCodeInfos(tokens: readonly Token[], fragment: DocumentFragment): void {
  if (!mayHaveFence(tokens)) return;
  const blocks = codeTokens(tokens);
  if (!blocks.some((block) => block.lang)) return;
  const codes = fragment.querySelectorAll('pre > code');
  if (codes.length !== blocks.length) return;
  blocks.forEach((block, i) => {
    const info = block.codeBlockStyle === 'indented' ? '' : (block.lang ?? '').trim();
    if (info) infos.set(codes[i]!, info);
  });
}
