// Answers that mention HTML in prose, as models write them (small local ones most of all): tags
// without backticks, comments, declarations, tags that open and never close. Before the raw-HTML
// policy (src/webview/render/html-policy.ts) the browser read many of these as swallowing the rest
// of the answer, and the sanitiser then dropped it. Shared by the jsdom suite and the e2e suite in
// the real webview. Every entry ends with a sentence after its last tag, so a test can see that
// the text after each tag survived.

/** Tags whose own markup may disappear from the page because they are rendered (the allow-list). */
const ALLOWED_MARKUP =
  /<\/?(?:b|br|code|del|details|em|i|ins|kbd|mark|s|small|strong|sub|summary|sup|u|wbr)(?:\s[^<>]*)?\/?>/gi;

const fence = '```';

/**
 * Elements that swallow or hide the text after them (raw text, RCDATA, foreign content, form
 * controls, metadata): none may ever be created from an answer.
 */
export const SWALLOWING =
  'style, script, textarea, title, xmp, plaintext, iframe, noscript, noembed, noframes, svg, math, select, option, head, template, object';

export const proseTags: Record<string, string> = {
  'style in prose': 'Put your CSS in a <style> element inside the head. The browser applies it before the body renders, so the page never flashes unstyled.',
  'script in prose': 'Load the bundle with a <script> tag at the end of the body, or give it the defer attribute. Either way the parser is not blocked.',
  'textarea (RCDATA)': 'For several lines of input use a <textarea> rather than an input field. Its rows attribute sets the visible height.',
  'title (RCDATA)': 'The <title>My page</title> element names the tab. Keep it short: search engines cut it at about sixty characters.',
  'title left open': 'Every document needs a <title>My page heading in its head section. Without one the tab shows the address instead.',
  'xmp and plaintext': 'Old pages used <xmp> and <plaintext> to show markup verbatim. Both are obsolete; use pre with escaped text now.',
  'iframe and noscript': 'Embed the map with an <iframe> and add a <noscript> fallback link. Readers without scripts still reach the map.',
  'comment': 'You can hide a note with <!-- a comment like this --> and the browser skips it. Nothing inside is rendered.',
  'unclosed comment': 'A comment starts with <!-- and must end with two dashes and a bracket. Forget the end and the rest of the page vanishes.',
  'CDATA': 'In XHTML, wrap inline scripts in <![CDATA[ ... ]]> so the ampersands stay legal. Plain HTML documents never need it.',
  'processing instruction': 'An XML file may begin with <?xml version="1.0" encoding="UTF-8"?> before the root element. PHP uses <?php echo 1; ?> the same way.',
  'doctype': 'Start every page with <!DOCTYPE html> on the first line. It switches the browser out of quirks mode.',
  'unclosed svg': 'Draw the icon inline with <svg> and a path element. The viewBox attribute makes it scale with the text around it.',
  'unclosed math': 'MathML formulas go in a <math> element with mi and mo children. Chrome renders it natively since version 109.',
  'tag at the start of a line': `Here is the structure:

<div class="card">
holds the title and the body.

<style>
.card { padding: 1rem; }

After the style block, the list below still renders:

- first point stays a list item
- second point too

${fence}css
.card { margin: 0; }
${fence}

The code block above is code and this closing sentence is here.`,
  'lone allowed tags': 'Wrap the label in <b> to make it bold, and use <details> with a <summary> for a section readers can expand. The closing sentence survives.',
  'balanced allowed tags': 'Press <kbd>Ctrl</kbd>+<kbd>S</kbd> to save. Water is H<sub>2</sub>O and the area is r<sup>2</sup> times pi.<br>A new line follows the break.',
  'style inside kbd': 'Type <kbd>a <style> tag</kbd> to start a style sheet. The sentence after it is still here.',
  'details in one paragraph': 'Some answers fold text: <details><summary>Show the steps</summary>Step one, then step two.</details> And then they go on.',
  'crossing tags': 'Mixed nesting like <b>bold <i>both</b> italic</i> is invalid markup. The browser would guess; Rill shows what it cannot place.',
  'tags in a list and a table': `Options:

- a <select> element offers choices
- an <option> is one choice

| tag | use |
|---|---|
| <input> | a field |
| <table> | a grid of <td> cells |

Both the list and the table keep every word.`,
  'tags in a heading and a quote': `## The <head> element

> Everything in <head> is metadata, and <body> holds the content.

That is the whole distinction.`,
  'Japanese prose': '<style> 要素に CSS を書き、<script> 要素で読み込みます。<textarea> は複数行の入力欄です。最後の文もそのまま表示されます。',
  'a tag split by streaming': 'Close the dialog with the <button type="button" onclick="close()"> element in its footer. Nothing here may run, and this sentence stays.',
  'entities and angle brackets': 'Compare with a < b and b > c, or write &lt;p&gt; as entities. A <p> tag in prose is shown as written.',
};

/** The words of `text` a reader must see: letters and digits, minus allowed tags' own markup and a fence's info string. */
export function visibleWords(text: string): string[] {
  const prose = text
    .replace(ALLOWED_MARKUP, ' ')
    // A fence's info string (`css`) names the language; it is not text on the page.
    .replace(/^( {0,3})(`{3,}|~{3,}).*$/gm, '$1$2')
    // `&lt;` shows as `<`: its letters are not words on the page.
    .replace(/&(?:#\d+|#x[0-9a-f]+|[a-z]+);/gi, ' ');
  return prose.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The words of `text` missing from `shown`, in order (each searched after the last one found):
 * empty when every word a reader must see is on the page, in the order written.
 */
export function missingWords(text: string, shown: string): string[] {
  const missing: string[] = [];
  let at = 0;
  for (const word of visibleWords(text)) {
    const found = shown.indexOf(word, at);
    if (found === -1) missing.push(word);
    else at = found + word.length;
  }
  return missing;
}
