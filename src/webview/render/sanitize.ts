import DOMPurify, { type Config } from 'dompurify';
import { parseFileRef } from '../../core/attachments/file-refs';
import { MAX_PATH_CHARS } from '../../protocol/parse';
import type { RenderLabels } from './types';

/** Only these URL schemes survive in links; anything else (javascript:, data:, vscode:, relative) is dropped. */
export const SAFE_HREF = /^(?:https?:|mailto:|#)/i;
/**
 * A relative link that may name a workspace file (`src/a.ts`, `src/a.ts#L12`) loses its href like
 * every other relative link, and keeps its text in this attribute instead: an `<a>` without href,
 * inert (not a link, not focusable) until the host confirms the file (webview/context/file-links).
 */
export const FILE_REF_ATTRIBUTE = 'data-file-ref';
/** What the host may be asked to open. */
export const OPENABLE_URL = /^(?:https?:|mailto:)/i;

export const defaultLabels: RenderLabels = {
  openImage: 'Open image',
  image: 'Image',
  diagramError: 'Diagram not drawn:',
  diagram: 'Diagram',
};

/**
 * Everything marked emits for GFM, and the harmless inline HTML models write. No form controls
 * except the task-list checkbox, no media, no SVG/MathML, no styles, no scripting.
 */
const MARKDOWN_TAGS = [
  'a', 'abbr', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'cite', 'code', 'dd', 'del', 'details', 'dfn', 'div',
  'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'input', 'ins',
  'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'summary', 'sup', 'table',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'wbr',
];
const MARKDOWN_ATTRIBUTES = ['href', 'title', 'alt', 'src', 'class', 'align', 'start', 'checked', 'disabled', 'type', 'open', 'colspan', 'rowspan', 'datetime'];
const MARKDOWN_CONFIG: Config = {
  ALLOWED_TAGS: MARKDOWN_TAGS,
  ALLOWED_ATTR: MARKDOWN_ATTRIBUTES,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  IN_PLACE: true,
};
/** highlight.js output: spans with classes, nothing else. */
const CODE_CONFIG: Config = { ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'], IN_PLACE: true };
/**
 * A Mermaid drawing (already sanitised by Mermaid in strict mode): SVG with its own `<style>`, no
 * script, no links, no external images or references.
 */
const SVG_CONFIG: Config = {
  USE_PROFILES: { svg: true, svgFilters: true },
  ADD_TAGS: ['style'],
  FORBID_TAGS: ['a', 'image', 'script', 'foreignObject', 'use'],
  FORBID_ATTR: ['href', 'xlink:href'],
  RETURN_DOM_FRAGMENT: true,
};

/**
 * One inert document (no browsing context: nothing in it loads or runs) where HTML is parsed and
 * sanitised in place. Cheaper than a fresh document per block, which is what sanitising a string
 * costs, and it is one document for the page's life.
 */
let inertDocument: Document | undefined;
let inertUses = 0;
function inert(): Document {
  // DOMPurify leaves a NodeIterator per call on the document, and DOM removals visit the live
  // ones until they are collected; a fresh document now and then keeps that set small.
  if (!inertDocument || ++inertUses > 100) {
    inertDocument = document.implementation.createHTMLDocument('');
    inertUses = 0;
  }
  return inertDocument;
}

/**
 * Parses `html` under a `holder` element of the inert document, sanitises it there (with the
 * purifier's fixed configuration: see `getPurifiers`), returns its nodes.
 */
function sanitizeInPlace(purifier: ReturnType<typeof DOMPurify>, holderTag: string, html: string): DocumentFragment {
  const doc = inert();
  const holder = doc.createElement(holderTag);
  holder.innerHTML = html;
  purifier.sanitize(holder);
  const fragment = doc.createDocumentFragment();
  while (holder.firstChild) fragment.appendChild(holder.firstChild);
  return fragment;
}

interface Purifiers {
  markdown: ReturnType<typeof DOMPurify>;
  code: ReturnType<typeof DOMPurify>;
  svg: ReturnType<typeof DOMPurify>;
}
let purifiers: Purifiers | undefined;

function getPurifiers(): Purifiers {
  if (purifiers) return purifiers;
  const markdown = DOMPurify(window);
  // Links whose dropped href reads as a file path: the ref moves to FILE_REF_ATTRIBUTE once the
  // element's attributes are sanitised. Model output can never set that attribute itself: data-*
  // attributes are not allowed (ALLOW_DATA_ATTR false), so DOMPurify removes any it brings.
  const fileRefs = new WeakMap<Element, string>();
  markdown.addHook('uponSanitizeAttribute', (node, data) => {
    const value = data.attrValue.trim();
    if (data.attrName === 'href' && !SAFE_HREF.test(value)) {
      data.keepAttr = false;
      if (node.nodeName === 'A' && value.length <= MAX_PATH_CHARS && parseFileRef(value)) fileRefs.set(node, value);
    }
    // marked marks code with `language-x`; other classes could dress text up as the app's own UI.
    if (data.attrName === 'class') {
      const kept = value.split(/\s+/).filter((name) => /^language-[\w+#.-]+$/.test(name));
      if (kept.length) data.attrValue = kept.join(' ');
      else data.keepAttr = false;
    }
    if (data.attrName === 'src' && node.nodeName !== 'IMG') data.keepAttr = false;
    if ((data.attrName === 'type' || data.attrName === 'checked' || data.attrName === 'disabled') && node.nodeName !== 'INPUT') data.keepAttr = false;
  });
  markdown.addHook('afterSanitizeAttributes', (node) => {
    const ref = fileRefs.get(node);
    if (ref === undefined) return;
    fileRefs.delete(node);
    // A value in an attribute nothing navigates to or loads: only ever read as text.
    node.setAttribute(FILE_REF_ATTRIBUTE, ref);
  });
  // Each purifier keeps its configuration (parsed once, not on every call).
  markdown.setConfig(MARKDOWN_CONFIG);
  const code = DOMPurify(window);
  code.setConfig(CODE_CONFIG);
  const svg = DOMPurify(window);
  svg.setConfig(SVG_CONFIG);
  purifiers = { markdown, code, svg };
  return purifiers;
}

/**
 * Sanitises the HTML marked produced into a fragment of the inert document (nothing loads or runs
 * there), then swaps images for placeholders before the caller adopts it into the page.
 */
export function sanitizeMarkdownHtml(html: string, labels: RenderLabels = defaultLabels): DocumentFragment {
  const fragment = sanitizeInPlace(getPurifiers().markdown, 'div', html);
  // `<im` also catches `<image>`, which the HTML parser turns into `<img>`.
  if (/<im/i.test(html)) replaceImages(fragment, labels);
  if (/<input/i.test(html)) fixInputs(fragment);
  // A folded section would hide words of the answer: Rill shows every word, the reader may fold it.
  if (/<details/i.test(html)) for (const details of Array.from(fragment.querySelectorAll('details'))) details.setAttribute('open', '');
  return fragment;
}

export function sanitizeHighlightHtml(html: string): DocumentFragment {
  return sanitizeInPlace(getPurifiers().code, 'span', html);
}

export function sanitizeSvg(svg: string): DocumentFragment {
  return getPurifiers().svg.sanitize(svg) as unknown as DocumentFragment;
}

/** Only GFM's task-list checkbox survives, and it cannot be ticked. */
function fixInputs(fragment: DocumentFragment): void {
  for (const input of Array.from(fragment.querySelectorAll('input'))) {
    if (input.getAttribute('type') !== 'checkbox') input.remove();
    else input.setAttribute('disabled', '');
  }
}

/**
 * No image is ever loaded by the webview (a markdown image whose URL carries data is the known
 * exfiltration channel, and the CSP blocks remote images anyway). Each becomes a placeholder with
 * its alt text and URL as text, and, for http(s), a button the user can press to have the host
 * open the URL outside the webview.
 */
function replaceImages(fragment: DocumentFragment, labels: RenderLabels): void {
  const doc = fragment.ownerDocument;
  for (const img of Array.from(fragment.querySelectorAll('img'))) {
    const src = (img.getAttribute('src') ?? '').trim();
    const alt = img.getAttribute('alt') ?? '';
    const holder = doc.createElement('span');
    holder.className = 'image-placeholder';
    holder.dataset.testid = 'image-placeholder';
    const name = doc.createElement('span');
    name.className = 'image-alt';
    name.textContent = alt || labels.image;
    holder.append(name);
    if (src) {
      const url = doc.createElement('code');
      url.className = 'image-url';
      url.textContent = src.length > 300 ? `${src.slice(0, 300)}…` : src;
      holder.append(' ', url);
    }
    if (/^https?:/i.test(src)) {
      holder.dataset.url = src;
      const open = doc.createElement('button');
      open.type = 'button';
      open.className = 'image-open';
      open.dataset.action = 'open-image';
      open.textContent = labels.openImage;
      holder.append(' ', open);
    }
    img.replaceWith(holder);
  }
}
