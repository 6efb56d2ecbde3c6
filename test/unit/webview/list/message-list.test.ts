import { strict as assert } from 'node:assert';
import type { ChatMessageView } from '../../../../src/protocol/messages';
import type { MessageList as MessageListType } from '../../../../src/webview/list/message-list';
import type { MessageHost } from '../../../../src/webview/message-view';
import { installDom, type FakeWebview } from '../dom';

/** Turns n..m as prompt and answer pairs: u<n>, a<n>, ... */
function turns(from: number, to: number): ChatMessageView[] {
  const out: ChatMessageView[] = [];
  for (let n = from; n <= to; n++) {
    out.push({ id: `u${n}`, role: 'user', text: `Question ${n}`, state: 'done' });
    out.push({ id: `a${n}`, role: 'assistant', text: `Answer **${n}** with [a link](https://example.com/${n}), a list:\n\n- one\n- two\n\n\`\`\`ts\nconst n = ${n};\n\`\`\``, state: 'done' });
  }
  return out;
}

describe('MessageList (windowed and paged, jsdom with injected layout)', () => {
  let env: FakeWebview;
  let log: HTMLElement;
  let list: MessageListType;
  let requested: string[];
  let announced: string[];
  /** jsdom has no layout: every message is 100 px tall and the viewport is 500 px at `view.top`. */
  const view = { top: 0, height: 500 };

  beforeEach(async () => {
    env = installDom();
    const { MessageList } = await import('../../../../src/webview/list/message-list');
    log = env.window.document.createElement('div');
    env.root.append(log);
    requested = [];
    announced = [];
    const none = () => undefined;
    const host: MessageHost = {
      rendered: none, action: none, regenerate: none, edit: none, painted: none, showDiagram: none, openLink: none, openFile: none,
      linkFileRefs: none, approve: none, openDiff: none, copy: none, insertCode: none, openCode: none, applyCode: none,
      announce: (text) => void announced.push(text),
    };
    view.top = 0;
    list = new MessageList(log, host, (beforeId) => requested.push(beforeId), { measure: () => 100, viewport: () => view });
  });
  afterEach(() => env.close());

  const rendered = () => Array.from(log.querySelectorAll('[data-testid="message"]'), (el) => (el as HTMLElement).dataset.messageId);
  const spacer = (which: 'top' | 'bottom') => (log.querySelector(`[data-testid="list-spacer-${which}"]`) as HTMLElement).style.height || '0px';

  it('renders only the messages near the viewport once many are loaded, spacers standing for the rest', () => {
    list.reset(turns(1, 150), 0);
    assert.deepEqual(rendered(), turns(136, 150).map((m) => m.id), 'opened at its end: only the newest 30 rendered at once');
    list.update();
    // 300 messages, past WINDOW_FROM. 0..500 with 800 px overscan below: messages 0..13 touch it; then the tail (u150, a150).
    assert.deepEqual(rendered(), [...turns(1, 7).map((m) => m.id), 'u150', 'a150']);
    assert.equal(spacer('top'), '0px');
    // Only the newest 30 were rendered on open (measured at 100 px); the rest stand at the 120 px estimate.
    assert.equal(spacer('bottom'), `${(270 - 14) * 120 + (298 - 270) * 100}px`);

    view.top = 10_000;
    list.update();
    // Heights measured in one update move the band; the next frame (update again) settles it.
    list.update();
    const ids = rendered();
    // Messages never rendered stand at the 120 px estimate until measured (100 px here), so where
    // the band falls is read from the spacer: the first rendered message's bottom touches 9,200 px
    // (10,000 minus the overscan), and the window covers 9,200..11,300 px with 100 px messages.
    const top = parseFloat(spacer('top'));
    assert.ok(top <= 9_200 && top + 100 >= 9_200, `the first rendered message spans 9,200 px (top ${top})`);
    assert.equal(ids.at(-1), 'a150');
    assert.equal(ids.length, Math.floor((11_300 - top) / 100) + 1 + 2, 'every message whose top is in 9,200..11,300 px, and the tail, of 300');
    const index = (id: string) => Number(id.slice(1)) * 2 - (id.startsWith('u') ? 2 : 1);
    const window = ids.slice(0, -2).map((id) => index(id!));
    assert.deepEqual(window, window.map((_, i) => window[0]! + i), 'contiguous');
    assert.ok(log.getElementsByTagName('*').length < 1000);
  });

  it('keeps every message rendered in a conversation of fewer than WINDOW_FROM (250)', () => {
    list.reset(turns(1, 124), 0);
    view.top = 4000;
    list.update();
    assert.equal(rendered().length, 248);
  });

  it('renders a message again as it was: the same DOM as before it was windowed away', () => {
    list.reset(turns(1, 150), 0);
    list.update();
    const before = log.querySelector('[data-message-id="a3"]')!.outerHTML;
    assert.match(before, /<strong>3<\/strong>/);
    view.top = 12_000;
    list.update();
    assert.equal(log.querySelector('[data-message-id="a3"]'), null, 'windowed away');
    view.top = 0;
    list.update();
    assert.equal(log.querySelector('[data-message-id="a3"]')!.outerHTML, before);
  });

  it('never moves a message that stays rendered (focus inside it is kept)', () => {
    list.reset(turns(1, 150), 0);
    view.top = 2000;
    list.update();
    const kept = log.querySelector('[data-message-id="u12"]') as HTMLElement;
    const copy = kept.querySelector('button') as HTMLButtonElement;
    copy.focus();
    view.top = 2300;
    list.update();
    assert.equal(log.querySelector('[data-message-id="u12"]'), kept);
    assert.equal(env.window.document.activeElement, copy);
    // Still in order after messages were added on both sides.
    const ids = rendered().slice(0, -2).map((id) => Number(id!.slice(1)) * 2 - (id!.startsWith('u') ? 1 : 0));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  });

  it('always renders the last prompt and the streaming answer, wherever the reader is', () => {
    list.reset(turns(1, 150), 0);
    list.add({ id: 'u151', role: 'user', text: 'Another question', state: 'done' });
    const answer = list.add({ id: 'a151', role: 'assistant', text: '', state: 'streaming' });
    view.top = 0;
    list.update();
    assert.equal(list.get('a151'), answer);
    assert.deepEqual(rendered().slice(-2), ['u151', 'a151']);
    assert.equal(list.get('a150'), undefined, 'the previous answer is no longer kept');
    assert.deepEqual(list.views().slice(-2).map((v) => v.id), ['u151', 'a151']);
  });

  it('asks for the page before the oldest loaded message near the top, once at a time, and puts it above', () => {
    list.reset(turns(81, 100), 80);
    view.top = 3000;
    list.update();
    assert.deepEqual(requested, [], 'not near the top');
    view.top = 100;
    list.update();
    list.update();
    assert.deepEqual(requested, ['u81'], 'one request while it is answered');
    assert.equal((log.querySelector('[data-testid="load-older"]') as HTMLElement).hidden, false);

    list.prepend('u81', turns(61, 80), 60);
    assert.equal(rendered()[0], 'u61');
    assert.deepEqual(announced, ['40 earlier messages loaded above']);
    // Still near the top: the next page is asked for at once.
    assert.deepEqual(requested, ['u81', 'u61']);
    list.prepend('u81', turns(61, 80), 60);
    assert.equal(rendered().filter((id) => id === 'u61').length, 1, 'a stale page is ignored');

    list.prepend('u61', turns(1, 60), 0);
    assert.equal((log.querySelector('[data-testid="load-older"]') as HTMLElement).hidden, true, 'nothing older');
    view.top = 0;
    list.update();
    assert.equal(rendered()[0], 'u1');
    assert.deepEqual(requested, ['u81', 'u61'], 'nothing more to ask for');
  });

  it('offers a keyboard-reachable button that asks for the older page', () => {
    list.reset(turns(81, 100), 80);
    const more = log.querySelector('[data-testid="load-older"]') as HTMLButtonElement;
    assert.equal(more.localName, 'button');
    assert.equal(more.textContent, 'Load earlier messages');
    assert.equal(log.firstElementChild, more, 'first in the log, before every message');
    more.click();
    more.click();
    assert.deepEqual(requested, ['u81']);
  });

  it('forgets a pending request when a snapshot replaces the list', () => {
    list.reset(turns(81, 100), 80);
    list.loadOlder();
    list.reset(turns(91, 100), 90);
    list.prepend('u81', turns(61, 80), 60);
    assert.equal(rendered()[0], 'u91', 'the answer to the old request is ignored');
    list.loadOlder();
    assert.deepEqual(requested, ['u81', 'u91']);
  });
});
