import { strict as assert } from 'node:assert';
import { installDom, type FakeWebview } from '../dom';
import type * as HighlightDom from '../../../../src/webview/render/highlight-dom';
import type * as Sanitize from '../../../../src/webview/render/sanitize';
import type * as Highlight from '../../../../src/webview/render/highlight';

// Samples in every grammar shape highlight.js emits: nested scopes (`title function_`), sub-languages
// (`language-css` inside HTML), every escaped character.
const SAMPLES: [string, string][] = [
  ['typescript', "export function step(input: string, limit = 3): number {\n  if (a < b && c > d) throw new Error('too \"many\" parts');\n  return `x ${input}`; // total\n}"],
  ['python', 'class Worker:\n    def run(self, limit: int = 3) -> bool:\n        return self.queue.drain(limit) > 0  # drained'],
  ['xml', '<div class="a" onclick="x()">\n<style>.b { color: red; }</style>\n<script>if (a < 1) alert("&amp;");</script>\n</div>'],
  ['markdown', '# Title\n\n```js\nconst a = 1 < 2;\n```\n\n**bold** & <tag>'],
  ['bash', 'for f in src/*.ts; do echo "$f" > /dev/null 2>&1; done'],
  ['json', '{ "key": "value \\"quoted\\" \' & <x>", "n": 7 }'],
  ['sql', "SELECT id, name FROM users WHERE age > 3 AND name <> 'O''Brien';"],
];

describe('highlightFragment (highlight.js output as DOM without an HTML parser)', () => {
  let env: FakeWebview;
  let dom: typeof HighlightDom;
  let sanitize: typeof Sanitize;
  let highlight: typeof Highlight;

  before(async () => {
    env = installDom();
    dom = await import('../../../../src/webview/render/highlight-dom');
    sanitize = await import('../../../../src/webview/render/sanitize');
    highlight = await import('../../../../src/webview/render/highlight');
  });
  after(() => env.close());

  const markup = (fragment: DocumentFragment): string => {
    const holder = document.createElement('code');
    holder.append(fragment);
    return holder.innerHTML;
  };
  /** Text nodes and spans in order, so that two trees that serialise alike but split text differently differ. */
  const shape = (node: Node): string =>
    Array.from(node.childNodes)
      .map((child) => (child.nodeType === 3 ? `T(${(child as Text).data})` : `S[${(child as Element).className}](${shape(child)})`))
      .join('');

  it('builds the DOM that sanitising highlight.js output builds, for every grammar shape', () => {
    for (const [language, code] of SAMPLES) {
      const html = highlight.highlighter.highlight(code, language);
      assert.ok(html, language);
      const built = dom.highlightFragment(html);
      assert.ok(built, `${language}: highlight.js output is read directly`);
      const purified = sanitize.sanitizeHighlightHtml(html);
      assert.equal(markup(built.cloneNode(true) as DocumentFragment), markup(purified.cloneNode(true) as DocumentFragment), language);
      assert.equal(shape(built), shape(purified), `${language}: same text nodes`);
      assert.equal(built.textContent, code, `${language}: the text is the source`);
    }
  });

  it('decodes exactly the entities highlight.js writes', () => {
    const built = dom.highlightFragment('a &lt;b&gt; &amp; &quot;c&quot; &#x27;d&#x27;');
    assert.equal(built?.textContent, 'a <b> & "c" \'d\'');
    assert.equal(built?.childNodes.length, 1, 'one text node, as the HTML parser makes');
  });

  it('returns undefined for anything but spans with classes around escaped text', () => {
    for (const html of [
      '<img src=x onerror="alert(1)">',
      '<span class="a" onclick="alert(1)">x</span>',
      '<span class=a>x</span>',
      '<span class="a"><script>alert(1)</script></span>',
      '<span class="a">unclosed',
      'x</span>',
      '<b>bold</b>',
      'a &nbsp; b',
      'a & b',
      '<span class="a" style="color:red">x</span>',
      '<span class="a" onmouseover="x">x</span>',
    ]) {
      assert.equal(dom.highlightFragment(html), undefined, html);
    }
  });

  it('builds nothing but spans and text, whatever the classes', () => {
    const built = dom.highlightFragment('<span class="hljs-title function_">f</span>(<span class="language-css"><span class="hljs-selector-tag">a</span></span>)');
    assert.ok(built);
    assert.deepEqual(
      Array.from(built.querySelectorAll('*')).map((e) => e.tagName),
      ['SPAN', 'SPAN', 'SPAN'],
    );
    assert.equal(shape(built), 'S[hljs-title function_](T(f))T(()S[language-css](S[hljs-selector-tag](T(a)))T())');
  });
});
