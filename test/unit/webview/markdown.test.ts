import { strict as assert } from 'node:assert';
import { installDom, type FakeWebview } from './dom';
import { hostile, markupOf } from './render/documents';

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

  for (const [name, text, forbidden, visible] of hostile) {
    it(`neutralises ${name}, keeping its text`, () => {
      const div = document.createElement('div');
      div.append(render(text));
      assert.doesNotMatch(markupOf(div), forbidden);
      if (visible !== undefined) assert.equal(div.textContent?.trim(), visible);
    });
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
