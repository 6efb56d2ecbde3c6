/**
 * highlight.js output as DOM, without an HTML parser or DOMPurify. Measured in the latency bench's
 * long answer (issue 14), sanitising each highlighted block (innerHTML into an inert document, then
 * DOMPurify's walk) took about 40 % of the main thread's highlighting time, in one task per block.
 *
 * highlight.js escapes all text (`&amp; &lt; &gt; &quot; &#x27;`) and emits nothing but
 * `<span class="…">` and `</span>`. This reads exactly that grammar and builds the nodes with
 * `createElement('span')` and `createTextNode`, so nothing it builds can be more than a span with
 * classes around text: the same DOM DOMPurify's `span`/`class` allow-list leaves. Anything else
 * in the string (another tag, an attribute, an unknown entity, unbalanced spans) returns
 * `undefined`, and the caller sanitises it the usual way.
 */
const TOKEN = /<span class="([\w -]*)">|<\/span>|[^<&]+|&(amp|lt|gt|quot|#x27);/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'" };

export function highlightFragment(html: string, doc: Document = document): DocumentFragment | undefined {
  const fragment = doc.createDocumentFragment();
  const open: (DocumentFragment | HTMLElement)[] = [fragment];
  let text = '';
  const flushText = () => {
    if (text) open[open.length - 1]!.appendChild(doc.createTextNode(text));
    text = '';
  };
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < html.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(html);
    if (!match || match.index !== at) return undefined;
    const [token, classes, entity] = match;
    if (entity !== undefined) {
      text += ENTITIES[entity];
    } else if (classes !== undefined) {
      flushText();
      const span = doc.createElement('span');
      span.className = classes;
      open[open.length - 1]!.appendChild(span);
      open.push(span);
    } else if (token === '</span>') {
      if (open.length === 1) return undefined;
      flushText();
      open.pop();
    } else {
      text += token;
    }
  }
  if (open.length !== 1) return undefined;
  flushText();
  return fragment;
}
