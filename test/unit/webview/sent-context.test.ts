import { strict as assert } from 'node:assert';
import type { AttachmentView, ContextLeftOut } from '../../../src/protocol/context-messages';
import type { ChatMessageView, ToWebviewMessage } from '../../../src/protocol/messages';
import { installDom, type FakeWebview } from './dom';

const environment = { demo: false, providerLabel: 'openai-compatible', model: 'm' };
const session = { id: 's1', title: 'Context', createdAt: 0, updatedAt: 0, messageCount: 0 };

/** Issue 13: a sent prompt shows its attachments as chips; an answer says what of them did not fit. */
describe('sent context and what was left out (jsdom)', () => {
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

  const add = (message: ChatMessageView) => env.deliver({ type: 'messageAdded', seq: ++seq, message } as ToWebviewMessage);
  const article = (id: string) => env.root.querySelector(`[data-message-id="${id}"]`) as HTMLElement;
  const chips = (id: string) => Array.from(article(id).querySelectorAll<HTMLElement>('[data-testid="context-chip"]'));

  const attachments: AttachmentView[] = [
    { id: 'c1', kind: 'file', path: 'src/deep/util.ts' },
    { id: 'c2', kind: 'selection', path: 'src/app.ts', startLine: 10, endLine: 20 },
    { id: 'c3', kind: 'problems', path: 'src/app.ts' },
    { id: 'c4', kind: 'problems' },
    { id: 'c5', kind: 'folder', path: 'docs' },
  ];

  it('shows a sent prompt’s attachments as chips above its typed text, with the full path in the title', () => {
    add({ id: 'u1', role: 'user', text: 'Why does this fail?', state: 'done', attachments });
    const shown = chips('u1');
    assert.deepEqual(
      shown.map((c) => c.querySelector('.context-chip-label')?.textContent),
      ['util.ts', 'app.ts:10-20', 'Problems: app.ts', 'Problems (workspace)', 'docs'],
    );
    assert.match(shown[0]!.title, /src\/deep\/util\.ts/);
    assert.match(shown[1]!.title, /src\/app\.ts, lines 10 to 20/);
    const body = article('u1').querySelector('[data-testid="message-body"]')!;
    assert.equal(body.textContent, 'Why does this fail?', 'the typed text only');
    assert.ok(shown.every((c) => !body.contains(c) && (c.compareDocumentPosition(body) & 4) !== 0), 'the chips come before the text, outside it');
    assert.equal(article('u1').querySelector('[data-testid="context-chip-remove"]'), null, 'a sent chip cannot be removed');
  });

  it('opens a file chip’s file, and a selection chip’s file at its first line; the others are not buttons', () => {
    add({ id: 'u1', role: 'user', text: 'q', state: 'done', attachments });
    const [file, selection, problems, workspace, folder] = chips('u1');
    file!.click();
    selection!.click();
    for (const chip of [problems, workspace, folder]) chip!.click();
    assert.deepEqual(
      env.host.posted.filter((m) => m.type === 'openFile'),
      [
        { type: 'openFile', path: 'src/deep/util.ts', line: 0 },
        { type: 'openFile', path: 'src/app.ts', line: 10 },
      ],
    );
    assert.deepEqual([file, selection, problems, workspace, folder].map((c) => c!.localName), ['button', 'button', 'span', 'span', 'span'], 'keyboard reachable where they do something');
    assert.equal(selection!.getAttribute('aria-label'), 'Open src/app.ts at line 10');
  });

  it('shows no chips on a prompt without attachments', () => {
    add({ id: 'u1', role: 'user', text: 'plain', state: 'done' });
    assert.equal(chips('u1').length, 0);
    assert.equal(article('u1').querySelector('[data-testid="message-context"]'), null);
  });

  it('says on the answer what was left out to fit the context window: lines of one file, all of another', () => {
    const contextLeftOut: ContextLeftOut[] = [
      { kind: 'file', path: 'src/big.ts', fromLine: 201, toLine: 900, totalLines: 900 },
      { kind: 'file', path: 'src/huge.ts', fromLine: 1, toLine: 5000, totalLines: 5000 },
      { kind: 'problems', fromLine: 1, toLine: 40, totalLines: 40 },
    ];
    add({ id: 'a1', role: 'assistant', text: '', state: 'streaming' });
    assert.equal(article('a1').querySelector('[data-testid="context-left-out"]'), null, 'nothing said before the host says it');
    env.deliver({ type: 'messageFinished', seq: ++seq, message: { id: 'a1', role: 'assistant', text: 'Answer.', state: 'done', contextLeftOut } } as ToWebviewMessage);
    const note = article('a1').querySelector('[data-testid="context-left-out"]');
    assert.equal(
      note?.textContent,
      'Left out to fit the context window: big.ts lines 201-900 of 900; all of huge.ts; all of Problems (workspace)',
    );
    assert.ok(article('a1').querySelector('.footer')?.contains(note!), 'in the answer’s footer');
  });

  it('has Japanese for what it shows', async () => {
    const l10n = await import('@vscode/l10n');
    const { strings } = await import('../../../src/webview/strings');
    const { readFileSync } = await import('node:fs');
    const s = strings.answerContext;
    const all = () => [s.sentContext, s.openFile('a'), s.openFileAt('a', 1), s.leftOut('x'), s.leftOutWhole('a'), s.leftOutLines('a', 1, 2, 3), s.applyTo('a'), s.applyToTitle('a'), s.applyToSelection, s.applyToSelectionTitle];
    const english = all();
    l10n.config({ contents: JSON.parse(readFileSync('l10n/bundle.l10n.ja.json', 'utf8')) as Record<string, string> });
    try {
      const japanese = all();
      english.forEach((en, i) => assert.notEqual(japanese[i], en, `no Japanese for: ${en}`));
      assert.equal(s.leftOutLines('big.ts', 201, 900, 900), 'big.ts の 201-900 行目 (全 900 行)');
    } finally {
      l10n.config({ contents: {} });
    }
  });
});
