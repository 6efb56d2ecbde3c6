import { strict as assert } from 'node:assert';
import type { ChatMessageView, FromWebviewMessage, ToWebviewMessage, ToWebviewPayload } from '../../../src/protocol/messages';
import { auditTree } from '../../e2e/hostile-corpus';
import { installDom, type FakeWebview } from './dom';
import { documents, prng, randomChunks } from './render/documents';

const environment = { demo: false, providerLabel: 'openai-compatible', model: 'm' };
const session = { id: 's1', title: 'Links', createdAt: 0, updatedAt: 0, messageCount: 0 };
const snapshot = (messages: ChatMessageView[] = []) => ({ session, sessions: [session], messages, environment, busy: false, draft: '', tools: { enabled: true } });

/** Issue 13: links and `path:line` mentions in answers open workspace files, once the host confirms them. */
describe('file links in answers (jsdom)', () => {
  let env: FakeWebview;
  let seq: number;

  beforeEach(async () => {
    env = installDom();
    const { ChatApp } = await import('../../../src/webview/chat-app');
    new ChatApp(env.root, env.host).start();
    seq = 0;
    env.deliver({ type: 'snapshot', seq: 0, snapshot: snapshot() });
  });
  afterEach(() => env.close());

  function deliver(message: ToWebviewPayload): void {
    env.deliver({ ...message, seq: ++seq } as ToWebviewMessage);
  }
  const answer = (id: string, text: string, state: ChatMessageView['state'] = 'done'): ChatMessageView => ({ id, role: 'assistant', text, state });
  const body = (id = 'a1') => env.root.querySelector(`[data-message-id="${id}"] [data-testid="message-body"]`) as HTMLElement;
  /** The batch of refs is posted once the task that rendered them is over. */
  const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  const asked = () => env.host.posted.filter((m): m is Extract<FromWebviewMessage, { type: 'resolveFileRefs' }> => m.type === 'resolveFileRefs').map((m) => m.refs);
  const opened = () => env.host.posted.filter((m) => m.type === 'openFile' || m.type === 'openLink');
  const anchor = (text: string, id = 'a1') => Array.from(body(id).querySelectorAll('a')).find((a) => a.textContent === text) as HTMLAnchorElement;
  const log = () => env.root.querySelector('[data-testid="messages"]') as HTMLElement;
  const click = (el: Element) => el.dispatchEvent(new env.window.MouseEvent('click', { bubbles: true, cancelable: true }));
  const enter = (el: Element) => el.dispatchEvent(new env.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));

  it('keeps a relative link inert until the host confirms it, then opens the file at the parsed line', async () => {
    deliver({ type: 'messageAdded', message: answer('a1', 'See [the helper](src/utils.ts#L12) for details.') });
    const link = anchor('the helper');
    assert.ok(link, 'the link text is there');
    assert.equal(link.hasAttribute('href'), false, 'no href before the host confirms it');
    assert.equal(link.dataset.testid, undefined);
    assert.equal(click(link), false, 'a click on it is cancelled all the same');
    assert.deepEqual(opened(), [], 'and opens nothing');
    await tick();
    assert.deepEqual(asked(), [['src/utils.ts#L12']]);

    deliver({ type: 'fileRefs', refs: [{ ref: 'src/utils.ts#L12', exists: true }] });
    assert.equal(link.getAttribute('href'), '#', 'a link that goes nowhere by itself');
    assert.equal(link.dataset.testid, 'file-link');
    assert.equal(link.title, 'Open src/utils.ts at line 12');
    assert.equal(click(link), false, 'the webview never navigates');
    assert.deepEqual(opened(), [{ type: 'openFile', path: 'src/utils.ts', line: 12 }]);
    assert.equal(enter(link), false, 'Enter is taken by the link');
    assert.deepEqual(opened().at(-1), { type: 'openFile', path: 'src/utils.ts', line: 12 });
    assert.equal(opened().length, 2, 'one request per press');
    assert.equal(body().textContent?.trim(), 'See the helper for details.', 'the text is unchanged');
    assert.deepEqual(auditTree(log()), [], 'a confirmed link passes the hostile-output audit');
  });

  it('leaves a ref the host denies as text: no href, not focusable, nothing posted on click', async () => {
    deliver({ type: 'messageAdded', message: answer('a1', 'Compare [real](src/real.ts) with [made up](src/nope.ts).') });
    await tick();
    assert.deepEqual(asked(), [['src/real.ts', 'src/nope.ts']]);
    deliver({ type: 'fileRefs', refs: [{ ref: 'src/real.ts', exists: true }, { ref: 'src/nope.ts', exists: false }] });
    const denied = anchor('made up');
    assert.equal(denied.hasAttribute('href'), false);
    assert.equal(denied.dataset.testid, undefined);
    denied.focus();
    assert.notEqual(document.activeElement, denied, 'not focusable');
    anchor('real').focus();
    assert.equal(document.activeElement, anchor('real'), 'a confirmed one is');
    click(denied);
    enter(denied);
    assert.deepEqual(opened(), []);
    assert.equal(anchor('real').dataset.testid, 'file-link');
    click(anchor('real'));
    assert.deepEqual(opened(), [{ type: 'openFile', path: 'src/real.ts', line: 0 }], 'no line: 0');
  });

  it('links `path:line` mentions in prose and inline code after confirmation, never inside a code block', async () => {
    const text = 'The bug is in src/a.ts:12, called from `lib/b.py:3`.\n\n```ts\n// see src/a.ts:12 and src/only-in-code.ts:5\n```\n\nPlain `useState` stays code.';
    deliver({ type: 'messageAdded', message: answer('a1', text) });
    await tick();
    assert.deepEqual(asked(), [['src/a.ts:12', 'lib/b.py:3']], 'nothing from the code block, nothing from ordinary inline code');
    assert.equal(body().querySelector('pre a'), null, 'no anchor inside the code block');
    deliver({ type: 'fileRefs', refs: [{ ref: 'src/a.ts:12', exists: true }, { ref: 'lib/b.py:3', exists: true }] });
    const links = Array.from(body().querySelectorAll('[data-testid="file-link"]'));
    assert.deepEqual(links.map((a) => a.textContent), ['src/a.ts:12', 'lib/b.py:3']);
    assert.equal(links[1]!.firstElementChild?.localName, 'code', 'the inline code stays code, inside the link');
    assert.match(body().querySelector('pre')?.textContent ?? '', /see src\/a.ts:12 and src\/only-in-code.ts:5/, 'the code block is untouched');
    assert.equal(body().querySelector('pre [data-testid="file-link"]'), null);
    click(links[1]!);
    assert.deepEqual(opened(), [{ type: 'openFile', path: 'lib/b.py', line: 3 }]);
    assert.match(body().textContent ?? '', /^The bug is in src\/a.ts:12, called from lib\/b.py:3\./, 'the prose reads as before');
  });

  it('never makes javascript:, data:, file: or vscode: links clickable, keeps their text, and never asks about them', async () => {
    const text =
      'Try [js](javascript:alert(1)), [file](file:///etc/passwd), [vs](vscode://ms-vscode.x/run), [data](data:text/html,x), ' +
      '[spaced]( javascript:alert(2)) and [enc](%6Aavascript:alert(3)), then <code data-file-ref="src/a.ts" data-file-link="">forged</code>.';
    deliver({ type: 'messageAdded', message: answer('a1', text) });
    await tick();
    assert.deepEqual(asked(), [], 'none of them is a file ref');
    // Even a host that wrongly confirmed them changes nothing.
    deliver({ type: 'fileRefs', refs: ['javascript:alert(1)', 'file:///etc/passwd', 'vscode://ms-vscode.x/run', 'data:text/html,x', 'src/a.ts'].map((ref) => ({ ref, exists: true })) });
    for (const name of ['js', 'file', 'vs', 'data', 'spaced', 'enc']) {
      const a = anchor(name);
      assert.ok(a, `${name}: its text is still there`);
      assert.equal(a.hasAttribute('href'), false, `${name}: no href`);
      assert.equal(a.hasAttribute('data-file-ref'), false, `${name}: not a file ref`);
      click(a);
      enter(a);
    }
    const forged = body().querySelector('code');
    assert.equal(forged?.textContent, 'forged');
    assert.equal(forged?.hasAttribute('data-file-ref'), false, "the model cannot set the app's attributes");
    assert.equal(body().querySelector('[data-testid="file-link"]'), null);
    assert.deepEqual(opened(), []);
    assert.deepEqual(auditTree(log()), []);
  });

  it('asks about each ref once per page, in one request per task, and links a known ref at once', async () => {
    deliver({ type: 'messageAdded', message: answer('a1', 'Both [a](src/a.ts) and src/b/c.ts:4, and [a again](src/a.ts).') });
    deliver({ type: 'messageAdded', message: answer('a2', 'Again src/b/c.ts:4.') });
    await tick();
    assert.deepEqual(asked(), [['src/a.ts', 'src/b/c.ts:4']], 'one request for everything rendered in that task');
    // While the question is open, more answers with the same refs ask nothing.
    deliver({ type: 'messageAdded', message: answer('a3', '', 'streaming') });
    for (const piece of ['See src/b/', 'c.ts:4 here.\n\n', 'And [a](src/a.ts).\n\n', 'Done.']) {
      deliver({ type: 'textAppended', messageId: 'a3', text: piece });
      env.flushFrames();
    }
    deliver({ type: 'messageFinished', message: answer('a3', 'See src/b/c.ts:4 here.\n\nAnd [a](src/a.ts).\n\nDone.') });
    await tick();
    assert.equal(asked().length, 1, 'nothing asked twice');
    deliver({ type: 'fileRefs', refs: [{ ref: 'src/a.ts', exists: true }, { ref: 'src/b/c.ts:4', exists: true }] });
    assert.equal(env.root.querySelectorAll('[data-testid="file-link"]').length, 6, 'every anchor of both refs, in every answer');
    deliver({ type: 'messageAdded', message: answer('a4', 'Later: [a](src/a.ts).') });
    assert.equal(anchor('a', 'a4').dataset.testid, 'file-link', 'a confirmed ref links without asking');
    await tick();
    assert.equal(asked().length, 1);
  });

  it('splits a long batch at the protocol limit of 200 refs per request', async () => {
    const text = Array.from({ length: 250 }, (_, i) => `[f${i}](src/f${i}.ts)`).join(' ');
    deliver({ type: 'messageAdded', message: answer('a1', text) });
    await tick();
    assert.deepEqual(asked().map((refs) => refs.length), [200, 50]);
    assert.equal(new Set(asked().flat()).size, 250);
  });

  it('asks again about refs still waiting when a snapshot rebuilds the log (an answer may have been lost)', async () => {
    deliver({ type: 'messageAdded', message: answer('a1', 'See [x](src/x.ts) and [y](src/y.ts).') });
    await tick();
    deliver({ type: 'fileRefs', refs: [{ ref: 'src/x.ts', exists: true }] });
    env.deliver({ type: 'snapshot', seq: 20, snapshot: snapshot([answer('a1', 'See [x](src/x.ts) and [y](src/y.ts).')]) });
    seq = 20;
    await tick();
    assert.deepEqual(asked(), [['src/x.ts', 'src/y.ts'], ['src/y.ts']]);
    assert.equal(anchor('x').dataset.testid, 'file-link', 'the confirmed one is linked straight away');
  });

  it('marks finished blocks of a streaming answer while it streams, not its live tail', async () => {
    deliver({ type: 'messageAdded', message: answer('a1', '', 'streaming') });
    deliver({ type: 'textAppended', messageId: 'a1', text: 'First see src/one.ts:1.\n\nThen src/two.ts:2 and more' });
    env.flushFrames();
    await tick();
    assert.deepEqual(asked(), [], 'a paragraph still streaming is not read');
    deliver({ type: 'textAppended', messageId: 'a1', text: ' text.\n\nA third paragraph.\n\nAnd a fourth' });
    env.flushFrames();
    await tick();
    assert.deepEqual(asked().flat(), ['src/one.ts:1', 'src/two.ts:2']);
  });
});

/**
 * The marking is a decoration of finished blocks: applied to what a stream commits, or to a
 * one-shot render, it must give the same DOM.
 */
describe('file links: streamed answers equal the one-shot render, decorated', function () {
  this.timeout(120_000);
  let env: FakeWebview;
  let render: typeof import('../../../src/webview/render/index');
  let links: typeof import('../../../src/webview/context/file-links');
  const off = () => Promise.reject(new Error('decorations off in this test'));
  before(async () => {
    env = installDom();
    render = await import('../../../src/webview/render/index');
    links = await import('../../../src/webview/context/file-links');
  });
  after(() => env.close());

  const extra: Record<string, string> = {
    'file refs': `See [utils](src/utils.ts), [line](src/a.ts#L12) and src/b.ts:40 in prose.

- a list naming \`lib/c.py:3\` and ./d/e.go
- [**bold ref**](src/f.ts:7) and (src/g.rs:1).

> quoted src/h.ts:9

| file | note |
| --- | --- |
| src/i.ts:2 | in a table |

\`\`\`ts src/j.ts
// src/k.ts:3 in code
\`\`\`
`,
  };
  const all = { ...documents, ...extra };

  for (const [name, text] of Object.entries(all)) {
    it(`${name}: streamed and marked as committed equals rendered at once and marked`, () => {
      // Some refs confirmed before, the rest not: both kinds of anchor are compared.
      const fileLinks = new links.FileLinks(() => undefined, env.root);
      fileLinks.resolved([{ ref: 'src/utils.ts', exists: true }, { ref: 'src/b.ts:40', exists: true }, { ref: 'lib/c.py:3', exists: true }]);
      const oneShot = document.createElement('div');
      env.root.append(oneShot);
      render.renderMarkdownInto(oneShot, text, { loadHighlighter: off, loadMermaid: off });
      fileLinks.link(Array.from(oneShot.childNodes));
      for (let seed = 1; seed <= 5; seed++) {
        const random = prng(seed * 131 + name.length);
        const element = document.createElement('div');
        env.root.append(element);
        const view = new render.StreamingMarkdown(element, { loadHighlighter: off, loadMermaid: off, onCommit: (nodes) => fileLinks.link(nodes) });
        for (const chunk of randomChunks(text, random)) {
          view.append(chunk);
          if (random() < 0.4) env.flushFrames();
        }
        view.finish();
        assert.equal(element.innerHTML, oneShot.innerHTML, `${name}, seed ${seed}`);
        element.remove();
      }
      if (name === 'file refs') assert.equal(oneShot.querySelectorAll('[data-testid="file-link"]').length, 3, 'the comparison includes links');
      oneShot.remove();
    });
  }
});
