import { strict as assert } from 'node:assert';
import type { ChatMessageView, ToWebviewMessage, ToWebviewPayload } from '../../../src/protocol/messages';
import { installDom, type FakeWebview } from './dom';

const environment = { demo: false, providerLabel: 'openai-compatible', model: 'm' };
const session = { id: 's1', title: 'Test chat', createdAt: 0, updatedAt: 0, messageCount: 0 };

describe('ChatApp (jsdom)', () => {
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

  function deliver(message: ToWebviewPayload): void {
    env.deliver({ ...message, seq: ++seq } as ToWebviewMessage);
  }
  const q = (sel: string) => env.root.querySelector(sel) as HTMLElement;
  const answerBody = () => q('[data-role="assistant"] [data-testid="message-body"]');
  const message = (id: string, role: 'user' | 'assistant', text = '', state: ChatMessageView['state'] = 'done'): ChatMessageView => ({
    id,
    role,
    text,
    state,
  });

  it('says ready on start, so the host sends a snapshot', () => {
    assert.deepEqual(env.host.posted[0], { type: 'ready' });
  });

  it('sends on Enter, not on Shift+Enter, and never while an IME is composing', () => {
    const input = q('[data-testid="chat-input"]') as HTMLTextAreaElement;
    const key = (init: KeyboardEventInit) => input.dispatchEvent(new env.window.KeyboardEvent('keydown', { key: 'Enter', cancelable: true, ...init }));
    input.value = '変換中';
    key({ isComposing: true });
    key({ shiftKey: true });
    assert.equal(env.host.posted.filter((m) => m.type === 'send').length, 0);
    key({});
    const sent = env.host.posted.at(-1);
    assert.equal(sent?.type === 'send' && sent.text, '変換中');
    assert.ok(sent?.type === 'send' && sent.at > 1e12, 'stamped with the time it was sent, for the trace');
    assert.equal(input.value, '');
  });

  it('renders an answer at most once per animation frame, touching only the streaming message', () => {
    deliver({ type: 'messageAdded', message: message('m1', 'user', 'question') });
    deliver({ type: 'messageAdded', message: message('m2', 'assistant', '', 'streaming') });
    const userBody = q('[data-role="user"] [data-testid="message-body"]');
    const userNode = userBody.firstChild;
    for (const piece of ['Hel', 'lo ', '**wor', 'ld**']) deliver({ type: 'textAppended', messageId: 'm2', text: piece });
    assert.equal(answerBody().textContent, '', 'nothing renders before the frame');
    assert.equal(env.flushFrames(), 1, 'four deltas, one frame');
    assert.equal(answerBody().textContent?.trim(), 'Hello world');
    assert.equal(answerBody().querySelector('strong')?.textContent, 'world');
    assert.equal(userBody.firstChild, userNode, 'the user message was not re-rendered');
    assert.equal(q('[data-testid="stop"]').hidden, false);
    assert.equal((q('[data-testid="send"]') as HTMLButtonElement).disabled, true);
  });

  it('shows a final state with its reason as text, and frees the composer', () => {
    deliver({ type: 'messageAdded', message: message('m2', 'assistant', '', 'streaming') });
    deliver({ type: 'textAppended', messageId: 'm2', text: 'partial' });
    deliver({ type: 'messageFinished', message: { ...message('m2', 'assistant', 'partial', 'error'), error: '<h1>502 Bad Gateway</h1>' } });
    const article = q('[data-testid="message"]');
    assert.equal(article.dataset.state, 'error');
    assert.equal(answerBody().textContent?.trim(), 'partial');
    const status = q('[data-testid="message-status"]');
    assert.match(status.textContent ?? '', /<h1>502 Bad Gateway<\/h1>/);
    assert.equal(status.querySelector('h1'), null, 'an HTML error body is shown as text');
    assert.equal(q('[data-testid="stop"]').hidden, true);
  });

  it('asks for a fresh snapshot when a numbered message is missing', () => {
    deliver({ type: 'messageAdded', message: message('m2', 'assistant', '', 'streaming') });
    seq++; // lose one message
    deliver({ type: 'textAppended', messageId: 'm2', text: 'late' });
    assert.deepEqual(env.host.posted.at(-1), { type: 'ready' });
    env.deliver({
      type: 'snapshot',
      seq: 10,
      snapshot: { session, sessions: [session], messages: [message('m2', 'assistant', 'the whole text', 'done')], environment, busy: false, draft: '', tools: { enabled: true } },
    });
    assert.equal(answerBody().textContent?.trim(), 'the whole text');
  });

  it('says when earlier turns were left out to fit the context window', () => {
    deliver({ type: 'messageAdded', message: message('m2', 'assistant', '', 'streaming') });
    deliver({ type: 'messageFinished', message: { ...message('m2', 'assistant', 'ok', 'done'), droppedTurns: 3 } });
    assert.match(q('[data-testid="message-context-note"]').textContent ?? '', /3 earlier turns were left out/);
  });

  it('offers the actions the host sent, and posts the one clicked', () => {
    deliver({ type: 'messageAdded', message: message('m2', 'assistant', '', 'streaming') });
    deliver({ type: 'messageFinished', message: { ...message('m2', 'assistant', 'cut', 'truncated'), error: 'cut off', actions: ['continue'] } });
    assert.equal(env.root.querySelectorAll('[data-testid^="action-"]').length, 1);
    q('[data-testid="action-continue"]').click();
    assert.deepEqual(env.host.posted.at(-1), { type: 'action', messageId: 'm2', action: 'continue' });
  });

  it('shows reasoning apart from the answer, collapsed', () => {
    deliver({ type: 'messageAdded', message: message('m2', 'assistant', '', 'streaming') });
    deliver({ type: 'reasoningAppended', messageId: 'm2', text: 'thinking <b>hard</b>' });
    const details = q('[data-testid="message-reasoning"]') as HTMLDetailsElement;
    assert.equal(details.open, false);
    assert.match(details.textContent ?? '', /thinking <b>hard<\/b>/, 'reasoning is text, never markup');
    assert.equal(answerBody().textContent, '');
  });

  it('Escape stops a streaming answer, and does nothing when idle', () => {
    const escape = () => document.dispatchEvent(new env.window.KeyboardEvent('keydown', { key: 'Escape', cancelable: true, bubbles: true }));
    escape();
    assert.equal(env.host.posted.filter((m) => m.type === 'stop').length, 0);
    deliver({ type: 'messageAdded', message: message('m2', 'assistant', '', 'streaming') });
    escape();
    assert.equal(env.host.posted.at(-1)?.type, 'stop');
  });

  it('says plainly when answers come from the demo model', () => {
    deliver({ type: 'environment', environment: { demo: true, providerLabel: 'Demo model (offline)', model: 'rill-demo' } });
    assert.match(q('[data-testid="demo-banner"]').textContent ?? '', /offline demo, not a real LLM/);
  });

  it('keeps the unsent draft in the webview state at once, and sends it to the host to save', async () => {
    const input = q('[data-testid="chat-input"]') as HTMLTextAreaElement;
    input.value = 'half a thought';
    input.dispatchEvent(new env.window.Event('input'));
    assert.deepEqual(env.host.state, { draft: 'half a thought', sessionId: 's1' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.deepEqual(env.host.posted.at(-1), { type: 'draft', text: 'half a thought' });
  });

  it("shows the conversation's saved draft when the box is empty or the conversation changed", () => {
    const input = q('[data-testid="chat-input"]') as HTMLTextAreaElement;
    const other = { ...session, id: 's2' };
    env.deliver({ type: 'snapshot', seq: 5, snapshot: { session: other, sessions: [session, other], messages: [], environment, busy: false, draft: 'saved draft', tools: { enabled: true } } });
    assert.equal(input.value, 'saved draft');
    input.value = 'newer text';
    env.deliver({ type: 'snapshot', seq: 6, snapshot: { session: other, sessions: [session, other], messages: [], environment, busy: false, draft: 'saved draft', tools: { enabled: true } } });
    assert.equal(input.value, 'newer text', 'a reload of the same conversation keeps newer typing');
  });
});
