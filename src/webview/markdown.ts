import { Marked } from 'marked';
import DOMPurify from 'dompurify';

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Only these URL schemes survive in links; anything else (javascript:, data:, vscode:) is dropped. */
const SAFE_URL = /^(?:https?:|mailto:|#)/i;

const purifier = DOMPurify(window);
purifier.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'href' && !SAFE_URL.test(data.attrValue.trim())) data.keepAttr = false;
});

/**
 * Model output is untrusted: it is parsed to HTML by marked and then sanitised by DOMPurify into a
 * fragment, never assigned as raw HTML. Images are dropped (a markdown image whose URL carries data
 * is the known exfiltration channel), and so are forms, styles and every event handler.
 */
export function renderMarkdown(text: string): DocumentFragment {
  const html = marked.parse(text) as string;
  return purifier.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'svg', 'math'],
    FORBID_ATTR: ['style', 'srcset'],
    ALLOW_DATA_ATTR: false,
  });
}
