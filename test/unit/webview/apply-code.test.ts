import { strict as assert } from 'node:assert';
import type { ChatMessageView, ToWebviewMessage } from '../../../src/protocol/messages';
import { auditTree } from '../../e2e/hostile-corpus';
import { installDom, type FakeWebview } from './dom';
import { prng, randomChunks } from './render/documents';

const environment = { demo: false, providerLabel: 'openai-compatible', model: 'm' };
const session = { id: 's1', title: 'Apply', createdAt: 0, updatedAt: 0, messageCount: 0 };
const fence = '```';

/** Issue 13: Apply to file on finished code blocks, the target read from the fence's info string or a first-line comment. */
describe('Apply to file (jsdom)', () => {
  let env: FakeWebview;
  let seq: number;

  beforeEach(async () => {
    env = installDom();
    const { ChatApp } = await import('../../../src/webview/chat-app');
    new ChatApp(env.root, env.host).start();
    seq = 0;
    env.deliver({ type: 'snapshot', seq: 0, snapshot: { session, sessions: [session], messages: [], environment, busy: false, draft: '', tools: { enabled: true } } });
  });
  afterEach(() => env.close());

  const show = (text: string, state: ChatMessageView['state'] = 'done') =>
    env.deliver({ type: 'messageAdded', seq: ++seq, message: { id: `a${seq}`, role: 'assistant', text, state } } as ToWebviewMessage);
  const applyButtons = () => Array.from(env.root.querySelectorAll<HTMLButtonElement>('[data-testid="apply-code"]'));
  const applied = () => env.host.posted.filter((m) => m.type === 'applyCode');

  it('applies a block whose info string names a file to that file', () => {
    show(`Change it so:\n\n${fence}ts src/a.ts\nexport const a = 2;\n${fence}\n`);
    const [apply] = applyButtons();
    assert.ok(apply, 'the block has an Apply button');
    assert.ok(apply.closest('pre > .code-tools'), 'in the code block’s toolbar');
    assert.equal(apply.textContent, 'Apply to src/a.ts');
    assert.match(apply.title, /src\/a\.ts/);
    assert.match(apply.title, /diff editor/);
    apply.click();
    assert.deepEqual(applied(), [{ type: 'applyCode', code: 'export const a = 2;\n', path: 'src/a.ts' }]);
  });

  it('reads other info string spellings marked leaves out of the HTML', () => {
    show(`${fence}python title="lib/app.py"\nprint(1)\n${fence}\n\n- in a list:\n\n  ${fence}go   cmd/main.go\n  package main\n  ${fence}\n`);
    assert.deepEqual(applyButtons().map((b) => b.textContent), ['Apply to lib/app.py', 'Apply to cmd/main.go']);
    applyButtons()[1]!.click();
    assert.deepEqual(applied().at(-1), { type: 'applyCode', code: 'package main\n', path: 'cmd/main.go' });
  });

  it('applies a block whose first line is a path comment to that file, without that line', () => {
    show(`${fence}ts\n// src/b.ts\nexport const b = 1;\nexport const c = 2;\n${fence}\n`);
    const [apply] = applyButtons();
    assert.equal(apply?.textContent, 'Apply to src/b.ts');
    apply!.click();
    assert.deepEqual(applied(), [{ type: 'applyCode', code: 'export const b = 1;\nexport const c = 2;\n', path: 'src/b.ts' }]);
    const copy = env.root.querySelector('[data-testid="code-copy"]') as HTMLButtonElement;
    copy.click();
    assert.deepEqual(env.host.posted.at(-1), { type: 'copy', text: '// src/b.ts\nexport const b = 1;\nexport const c = 2;\n' }, 'Copy still copies the block as shown');
  });

  it('applies a block without a file name to the active editor’s selection (path "")', () => {
    show(`${fence}ts\n// compute the sum\nconst sum = a + b;\n${fence}\n\n${fence}\nplain\n${fence}\n\n    indented code\n`);
    const buttons = applyButtons();
    assert.deepEqual(buttons.map((b) => b.textContent), ['Apply to selection', 'Apply to selection', 'Apply to selection']);
    assert.match(buttons[0]!.title, /selection/);
    buttons[0]!.click();
    assert.deepEqual(applied(), [{ type: 'applyCode', code: '// compute the sum\nconst sum = a + b;\n', path: '' }], 'a prose comment is code, not a file');
  });

  it('gets the info string to a streamed block too, split anywhere', () => {
    show('', 'streaming');
    const text = `Here:\n\n${fence}ts src/streamed.ts\nconst x = 1;\nconst y = 2;\n${fence}\n\nDone.\n\nMore.\n\nEnd.`;
    // One character at a time through the info string, then random pieces.
    for (const chunk of [...Array.from(text.slice(0, 40)), ...randomChunks(text.slice(40), prng(7))]) {
      env.deliver({ type: 'textAppended', seq: ++seq, messageId: 'a1', text: chunk } as ToWebviewMessage);
      env.flushFrames();
    }
    assert.deepEqual(applyButtons().map((b) => b.textContent), ['Apply to src/streamed.ts'], 'committed while the answer streams');
    env.deliver({ type: 'messageFinished', seq: ++seq, message: { id: 'a1', role: 'assistant', text, state: 'done' } } as ToWebviewMessage);
    assert.deepEqual(applyButtons().map((b) => b.textContent), ['Apply to src/streamed.ts']);
    applyButtons()[0]!.click();
    assert.deepEqual(applied(), [{ type: 'applyCode', code: 'const x = 1;\nconst y = 2;\n', path: 'src/streamed.ts' }]);
  });

  it('never takes a URL or hostile text in the info string for a file, and the toolbar passes the audit', () => {
    show(`${fence}ts https://evil.example/a.ts\nx\n${fence}\n\n${fence}js" onclick="alert(1) src/q.ts\ny\n${fence}\n`);
    const labels = applyButtons().map((b) => b.textContent);
    assert.equal(labels[0], 'Apply to selection');
    assert.equal(applyButtons().length, 2);
    assert.deepEqual(auditTree(env.root.querySelector('[data-testid="messages"]')!), []);
  });
});
