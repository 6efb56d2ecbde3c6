import { strict as assert } from 'node:assert';
import type { ChatMessageView, ToWebviewMessage, ToWebviewPayload } from '../../../src/protocol/messages';
import type { Smoothing as SmoothingType } from '../../../src/webview/smoothing';
import { installDom, type FakeWebview } from './dom';

describe('Smoothing in the webview (rill.render.smoothing, jsdom)', () => {
  let env: FakeWebview;
  let now: number;
  let shown: string[];
  let smoothing: SmoothingType;

  beforeEach(async () => {
    env = installDom();
    const { Smoothing } = await import('../../../src/webview/smoothing');
    now = 0;
    shown = [];
    smoothing = new Smoothing((id, text) => shown.push(`${id}:${text}`), () => now);
  });
  afterEach(() => env.close());

  const text = () => shown.map((s) => s.slice(s.indexOf(':') + 1)).join('');

  it('off: every append is shown as it arrives, whole', () => {
    smoothing.append('a', 'x'.repeat(400));
    assert.deepEqual(shown, [`a:${'x'.repeat(400)}`]);
  });

  it('on: the first chunk at once, a later burst over frames, all of it by 100 ms after it arrived', () => {
    smoothing.setEnabled(true);
    smoothing.append('a', 'Hello ');
    assert.equal(text(), 'Hello ', 'the first chunk is not delayed');
    now = 300;
    const burst = 'word '.repeat(80);
    smoothing.append('a', burst);
    assert.equal(text(), 'Hello ', 'nothing of the burst at the instant it arrived');
    now = 340;
    env.flushFrames();
    const part = text().length;
    assert.ok(part > 6 && part < 6 + burst.length, `part of the burst after 40 ms: ${part}`);
    now = 400;
    env.flushFrames();
    assert.equal(text(), `Hello ${burst}`);
    assert.equal(env.flushFrames(), 0, 'nothing left to pace: no more frames asked for');
  });

  it('flush shows what is pending at once (an agent step follows the text); drop forgets it (the final copy holds it)', () => {
    smoothing.setEnabled(true);
    smoothing.append('a', 'one ');
    now = 300;
    smoothing.append('a', 'two three four ');
    smoothing.flush('a');
    assert.equal(text(), 'one two three four ');
    smoothing.append('b', 'first ');
    now = 600;
    smoothing.append('b', 'second');
    smoothing.drop('b');
    now = 700;
    env.flushFrames();
    assert.equal(shown.filter((s) => s.startsWith('b:')).join('|'), 'b:first ', 'dropped text is not shown again');
  });

  describe('through the chat', () => {
    const session = { id: 's1', title: 'Test chat', createdAt: 0, updatedAt: 0, messageCount: 0 };
    let seq = 0;
    const deliver = (message: ToWebviewPayload) => env.deliver({ ...message, seq: ++seq } as ToWebviewMessage);
    const message = (id: string, role: 'user' | 'assistant', text = '', state: ChatMessageView['state'] = 'done'): ChatMessageView => ({ id, role, text, state });
    const body = () => (env.root.querySelector('[data-role="assistant"] [data-testid="message-body"]') as HTMLElement).textContent ?? '';

    beforeEach(async () => {
      const { ChatApp } = await import('../../../src/webview/chat-app');
      new ChatApp(env.root, env.host).start();
      seq = 0;
      const environment = { demo: false, providerLabel: 'openai-compatible', model: 'm', smoothing: true };
      env.deliver({ type: 'snapshot', seq: 0, snapshot: { session, sessions: [session], messages: [], environment, busy: false, draft: '', tools: { enabled: true } } });
      deliver({ type: 'messageAdded', message: message('u1', 'user', 'question') });
      deliver({ type: 'messageAdded', message: message('a1', 'assistant', '', 'streaming') });
    });

    it('reports each paint of a streaming answer to the host, counting a continued answer from where Continue took it', async () => {
      deliver({ type: 'textAppended', messageId: 'a1', text: 'Start. ' });
      env.flushFrames();
      deliver({ type: 'messageFinished', message: message('a1', 'assistant', 'Start. ', 'truncated') });
      env.flushFrames();
      const sent = () => env.host.posted.flatMap((m) => (m.type === 'paints' && m.messageId === 'a1' ? m.chars : []));
      assert.deepEqual(sent(), [7], 'the paint while it streamed, sent before the last paint');
      const lastPaint = env.host.posted.findIndex((m) => m.type === 'painted' && m.which === 'last');
      assert.ok(env.host.posted.findIndex((m) => m.type === 'paints') < lastPaint);
      // Continue: the same answer streams again; its request's chunks start after the 7 characters.
      deliver({ type: 'messageFinished', message: message('a1', 'assistant', 'Start. ', 'streaming') });
      deliver({ type: 'textAppended', messageId: 'a1', text: 'More.' });
      env.flushFrames();
      deliver({ type: 'messageFinished', message: message('a1', 'assistant', 'Start. More.', 'done') });
      env.flushFrames();
      assert.equal(sent().at(-1), 5, 'the continuation reports only what it added');
    });

    it('a finished answer is shown whole at once, even with a burst still being revealed', async () => {
      deliver({ type: 'textAppended', messageId: 'a1', text: 'Start. ' });
      env.flushFrames();
      // A second burst right away: the pacer spreads it over the measured gap (real clock here).
      await new Promise((r) => setTimeout(r, 30));
      const rest = 'The rest of a long answer arrives in one burst. '.repeat(20);
      deliver({ type: 'textAppended', messageId: 'a1', text: rest });
      deliver({ type: 'messageFinished', message: message('a1', 'assistant', `Start. ${rest}`, 'done') });
      env.flushFrames();
      assert.equal(body().trim(), `Start. ${rest}`.trim());
      await new Promise((r) => setTimeout(r, 120));
      env.flushFrames();
      assert.equal(body().trim(), `Start. ${rest}`.trim(), 'nothing shown twice after the final copy');
    });
  });
});
