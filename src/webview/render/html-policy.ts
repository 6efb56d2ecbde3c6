/**
 * What raw HTML in a model's answer may do. Models, small local ones most of all, mention tags in
 * prose without backticks ("put your CSS in a <style> element", "<title>My page"). Handed to a
 * browser, `<style>`, `<script>`, `<textarea>`, `<title>`, `<xmp>`, a comment or an unclosed
 * `<svg>`/`<math>` swallow the rest of the answer as raw text, and the sanitiser then drops it:
 * nothing runs, but the user loses the text. So the parser itself decides, before any HTML exists:
 *
 * - There are no HTML blocks: a line that CommonMark would start an HTML block with is a paragraph
 *   like any other, so the Markdown after it (lists, code, paragraphs) is still Markdown.
 * - Inline, only the short allow-list below is markup, and only where the tag is balanced among its
 *   siblings in one block (an open tag and its close in the same paragraph, cell or link text;
 *   `<br>` and `<wbr>` need no close). Anything else (other tags, a lone `<b>`, comments,
 *   declarations, CDATA, processing instructions) stays literal text, escaped like any text.
 *
 * So no block's HTML can reach into another block, and every word that is not inside an allowed
 * tag's own markup reaches the page. The same rules apply to every parse, streamed or one-shot.
 * No DOM here (marked only); DOMPurify still sanitises the result (attributes, URLs).
 */
import { Tokenizer, type MarkedExtension, type Token, type Tokens } from 'marked';

/** Harmless inline formatting models use in prose and tables. */
export const ALLOWED_HTML_TAGS: ReadonlySet<string> = new Set([
  'b', 'br', 'code', 'del', 'details', 'em', 'i', 'ins', 'kbd', 'mark', 's', 'small', 'strong', 'sub', 'summary', 'sup',
  'u', 'wbr',
]);
const VOID_TAGS: ReadonlySet<string> = new Set(['br', 'wbr']);

/** An allowed tag as marked's inline `tag` rule matched it: `<name …>`, `</name>`, `<name …/>`. */
const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/;

function tagName(raw: string): { name: string; closing: boolean; selfClosing: boolean } | undefined {
  const match = TAG.exec(raw);
  if (!match) return undefined;
  return { name: match[2]!.toLowerCase(), closing: match[1] === '/', selfClosing: raw.endsWith('/>') };
}

/**
 * The policy as a marked extension: no HTML blocks at all, inline tags only from the allow-list
 * (the rest falls through to marked's text rule and is escaped), then balanced per block. marked
 * runs the `processAllTokens` hook in `parse()` only: a caller of `lexer()` calls
 * `balanceInlineHtml` itself.
 */
export const rawHtmlPolicy: MarkedExtension = {
  hooks: {
    processAllTokens(tokens) {
      balanceInlineHtml(tokens);
      return tokens;
    },
  },
  tokenizer: {
    // `undefined` (not `false`, which would run marked's own rule) means "no HTML block here":
    // the lexer goes on to its other rules and the line becomes part of a paragraph.
    html: () => undefined,
    tag(this: Tokenizer, src: string) {
      const tag = tagName(src);
      if (!tag || !ALLOWED_HTML_TAGS.has(tag.name)) return undefined;
      const token = Tokenizer.prototype.tag.call(this, src);
      // marked treats text after `<code>`/`<kbd>` as raw HTML (`inRawBlock`) and stops escaping
      // it: a `<style>` inside `<kbd>…</kbd>` would then reach the browser as markup.
      this.lexer.state.inRawBlock = false;
      return token;
    },
  },
};

/** The parser configuration every render uses (the splitter's tests check boundaries against it). */
export const markedOptions = { gfm: true, breaks: false, async: false } as const;

type Html = Tokens.HTML | Tokens.Tag;

/** An open tag waiting for its close; a `<details>` also holds its `<summary>` tags. */
interface OpenTag {
  name: string;
  token: Html;
  summary: Html[];
}

/**
 * Turns every inline HTML token that is not balanced among its siblings into literal text. A
 * `<summary>` counts only directly inside a `<details>` that is itself balanced. Mutates `tokens`
 * (fresh from the lexer); linear in their number.
 */
export function balanceInlineHtml(tokens: Token[]): void {
  const open: OpenTag[] = [];
  const literal = (tag: OpenTag) => [tag.token, ...tag.summary].forEach(toText);
  for (const token of tokens) {
    if (token.type === 'html') {
      const html = token as Html;
      const tag = tagName(html.raw);
      const isVoid = VOID_TAGS.has(tag?.name ?? '');
      if (!tag || !ALLOWED_HTML_TAGS.has(tag.name) || (isVoid ? tag.closing : tag.selfClosing)) {
        toText(html);
      } else if (isVoid) {
        // `<br>`, `<br/>`, `<wbr>`: nothing to balance
      } else if (!tag.closing) {
        if (tag.name === 'summary' && open[open.length - 1]?.name !== 'details') toText(html);
        else open.push({ name: tag.name, token: html, summary: [] });
      } else {
        let at = open.length - 1;
        while (at >= 0 && open[at]!.name !== tag.name) at--;
        if (at < 0) {
          toText(html);
        } else {
          const [matched, ...crossing] = open.splice(at);
          // Tags opened after the match and never closed cross it: literal.
          crossing.forEach(literal);
          if (matched!.name === 'summary') open[open.length - 1]!.summary.push(matched!.token, html);
        }
      }
    }
    for (const children of childLists(token)) balanceInlineHtml(children);
  }
  open.forEach(literal);
}

function childLists(token: Token): Token[][] {
  switch (token.type) {
    case 'list':
      return (token as Tokens.List).items.map((item) => item.tokens);
    case 'table': {
      const table = token as Tokens.Table;
      return [...table.header, ...table.rows.flat()].map((cell) => cell.tokens);
    }
    default:
      return 'tokens' in token && Array.isArray(token.tokens) ? [token.tokens] : [];
  }
}

/** Rewrites an HTML token in place as a text token that marked escapes when it renders. */
function toText(token: Html): void {
  const text = token as unknown as Tokens.Text & Record<string, unknown>;
  delete text.inLink;
  delete text.inRawBlock;
  delete text.block;
  text.type = 'text';
  text.text = token.raw;
  text.escaped = false;
}
