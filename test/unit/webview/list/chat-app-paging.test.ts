import { strict as assert } from 'node:assert';
import type { ChatMessageView, ToWebviewMessage, ToWebviewPayload } from '../../../../src/protocol/messages';
import { installDom, type FakeWebview } from '../dom';

const environment = { demo: false, providerLabel: 'openai-compatible', model: 'm' };
const session = { id: 's1', title: 'Long chat', createdAt: 0, updatedAt: 0, messageCount: 200 };

function turns(from: number, to: number): ChatMessageView[] {
  const out: ChatMessageView[] = [];
  for (let n = from; n <= to; n++) {
    out.push({ id: `u${n}`, role: 'user', text: `Question ${n}`, state: 'done' });
    out.push({ id: `a${n}`, role: 'assistant', text: `Answer ${n}`, state: 'done' });
  }
  return out;
}

describe('ChatApp with a paged conversation (jsdom)', () => {
  let env: FakeWebview;
  let seq: number;

  beforeEach(async () => {
    env = installDom();
    const { ChatApp } = await import('../../../../src/webview/chat-app');
    new ChatApp(env.root, env.host).start();
    seq = 0;
    env.deliver({
      type: 'snapshot',
      seq: 0,
      snapshot: { session, sessions: [session], messages: turns(81, 100), olderCount: 160, environment, busy: false, draft: '', tools: { enabled: true } },
    });
  });
  afterEach(() => env.close());

  const deliver = (message: ToWebviewPayload) => env.deliver({ ...message, seq: ++seq } as ToWebviewMessage);
  const ids = () => Array.from(env.root.querySelectorAll('[data-testid="message"]'), (el) => (el as HTMLElement).dataset.messageId);
  const asked = () => env.host.posted.filter((m) => m.type === 'loadOlder');

  it('asks for the page before the oldest message, and shows it above, in order', () => {
    const more = env.root.querySelector('[data-testid="load-older"]') as HTMLButtonElement;
    assert.equal(more.hidden, false, 'Load earlier messages is offered');
    more.click();
    env.flushFrames();
    assert.deepEqual(asked(), [{ type: 'loadOlder', beforeId: 'u81' }], 'asked once, by the button or the scroll position');
    deliver({ type: 'olderMessages', beforeId: 'u81', messages: turns(61, 80), olderCount: 120 });
    assert.deepEqual(ids().slice(0, 3), ['u61', 'a61', 'u62']);
    assert.equal(ids().length, 80);
    assert.equal(ids().at(-1), 'a100');
  });

  it('keeps Regenerate and Up to edit on the newest messages after older pages came in', () => {
    env.flushFrames(); // the list is at the top (jsdom has no layout): it asks for the older page
    deliver({ type: 'olderMessages', beforeId: 'u81', messages: turns(61, 80), olderCount: 120 });
    const regenerate = env.root.querySelectorAll('[data-testid="regenerate"]');
    assert.equal(regenerate.length, 1);
    assert.equal((regenerate[0]!.closest('[data-testid="message"]') as HTMLElement).dataset.messageId, 'a100');
    const edit = env.root.querySelectorAll('[data-testid="edit"]');
    assert.equal(edit.length, 1);
    assert.equal((edit[0]!.closest('[data-testid="message"]') as HTMLElement).dataset.messageId, 'u100');
    const input = env.root.querySelector('[data-testid="chat-input"]') as HTMLTextAreaElement;
    input.dispatchEvent(new env.window.KeyboardEvent('keydown', { key: 'ArrowUp', cancelable: true }));
    assert.equal(input.value, 'Question 100', 'Up edits the last prompt');
  });

  it('hides the button once the first message is loaded, and a new snapshot starts over', () => {
    env.flushFrames();
    deliver({ type: 'olderMessages', beforeId: 'u81', messages: turns(1, 80), olderCount: 0 });
    assert.equal((env.root.querySelector('[data-testid="load-older"]') as HTMLElement).hidden, true);
    assert.equal(ids()[0], 'u1');
    // Without layout every height reads 0: the window settles, frame by frame, on rendering them all.
    for (let frames = 0; frames < 100 && env.flushFrames() > 0; frames++);
    assert.equal(ids().length, 200);
    env.deliver({ type: 'snapshot', seq: ++seq, snapshot: { session, sessions: [session], messages: turns(91, 100), environment, busy: false, draft: '', tools: { enabled: true } } });
    assert.deepEqual([ids()[0], ids().length], ['u91', 20]);
    assert.equal((env.root.querySelector('[data-testid="load-older"]') as HTMLElement).hidden, true, 'a snapshot without olderCount has nothing older');
    // An answer to a request from before the snapshot is not put above the new page.
    deliver({ type: 'olderMessages', beforeId: 'u81', messages: turns(61, 80), olderCount: 120 });
    assert.equal(ids()[0], 'u91');
  });
});
