import { strict as assert } from 'node:assert';
import type { SessionSummary, ToWebviewMessage, ToWebviewPayload } from '../../../src/protocol/messages';
import { installDom, type FakeWebview } from './dom';

const environment = { demo: false, providerLabel: 'openai-compatible', model: 'm' };
/** `count` saved conversations, newest first: s0 (updated at 1e6) ... */
const summaries = (count: number): SessionSummary[] =>
  Array.from({ length: count }, (_, i) => ({ id: `s${i}`, title: i % 10 === 3 ? `Kubernetes notes ${i}` : `Chat ${i}`, createdAt: 0, updatedAt: 1_000_000 - i, messageCount: 2 }));
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('history list (jsdom)', () => {
  let env: FakeWebview;
  let seq: number;
  const all = summaries(1000);

  beforeEach(async () => {
    env = installDom();
    const { ChatApp } = await import('../../../src/webview/chat-app');
    new ChatApp(env.root, env.host).start();
    seq = 0;
    env.deliver({ type: 'snapshot', seq: 0, snapshot: { session: all[0]!, sessions: all, messages: [], environment, busy: false, draft: '', tools: { enabled: true } } });
  });
  afterEach(() => env.close());

  function deliver(message: ToWebviewPayload): void {
    env.deliver({ ...message, seq: ++seq } as ToWebviewMessage);
  }
  const q = <T extends HTMLElement = HTMLElement>(sel: string) => env.root.querySelector(sel) as T;
  const items = () => [...env.root.querySelectorAll<HTMLLIElement>('[data-testid="session-item"]')];
  const ids = () => items().map((li) => li.dataset.sessionId);
  const open = () => q('[data-testid="history"]').click();
  const type = (text: string) => {
    const box = q<HTMLInputElement>('[data-testid="session-search"]');
    box.value = text;
    box.dispatchEvent(new env.window.Event('input'));
  };

  it('holds one page of 1,000 conversations in the DOM, and more on Show more or at the end of the scroll', () => {
    open();
    assert.equal(items().length, 50);
    assert.deepEqual(ids().slice(0, 3), ['s0', 's1', 's2']);
    q('[data-testid="session-more"]').click();
    assert.equal(items().length, 100);
    q('[data-testid="session-list"]').dispatchEvent(new env.window.Event('scroll'));
    assert.equal(items().length, 150);
    assert.deepEqual(ids(), all.slice(0, 150).map((s) => s.id));
  });

  it('is a named list whose items say the title and the date', () => {
    const list = q('[data-testid="session-list"]');
    assert.equal(list.tagName, 'UL');
    assert.equal(list.getAttribute('aria-label'), 'Saved conversations');
    const first = items()[0]!.querySelector('.session-open')!;
    assert.equal(first.querySelector('.session-name')?.textContent, 'Chat 0');
    assert.equal(first.querySelector('time')?.getAttribute('datetime'), new Date(1_000_000).toISOString());
    assert.equal(first.getAttribute('aria-current'), 'true');
    assert.equal(q('[data-testid="session-search"]').getAttribute('aria-label'), 'Search conversations');
  });

  it('moves the one saved conversation to the top and leaves every other item as it was', () => {
    const before = items();
    const observed: MutationRecord[] = [];
    const observer = new env.window.MutationObserver((records) => observed.push(...records));
    observer.observe(q('[data-testid="session-list"]'), { childList: true, subtree: true, characterData: true });
    // s700 is far below the page; a save makes it the newest.
    deliver({ type: 'sessionUpdated', summary: { ...all[700]!, title: 'Streaming now', updatedAt: 2_000_000 } });
    const after = items();
    assert.equal(after.length, 50);
    assert.equal(after[0]!.dataset.sessionId, 's700');
    assert.equal(after[0]!.querySelector('.session-name')?.textContent, 'Streaming now');
    // The same <li> objects, in the same order, one place down; the last one of the page left.
    after.slice(1).forEach((li, i) => assert.equal(li, before[i], `item ${i + 1} is the element it was`));
    assert.ok(!before[49]!.isConnected);
    observer.takeRecords().forEach((r) => observed.push(r));
    observer.disconnect();
    const touched = new Set(observed.flatMap((r) => [...r.addedNodes, ...r.removedNodes]));
    assert.deepEqual([...touched].map((n) => (n as HTMLElement).dataset?.sessionId).sort(), ['s49', 's700']);
  });

  it('updates a conversation already on top in place (a save while streaming), and the title of the one shown', () => {
    const before = items();
    deliver({ type: 'sessionUpdated', summary: { ...all[0]!, title: 'Renamed', updatedAt: 2_000_000 } });
    assert.deepEqual(items(), before);
    assert.equal(before[0]!.querySelector('.session-name')?.textContent, 'Renamed');
    assert.equal(q('[data-testid="session-title"]').textContent, 'Renamed');
    // Another conversation's save does not retitle the one shown.
    deliver({ type: 'sessionUpdated', summary: { ...all[5]!, title: 'Other', updatedAt: 3_000_000 } });
    assert.equal(q('[data-testid="session-title"]').textContent, 'Renamed');
  });

  it('adds a conversation saved for the first time, and drops a deleted one (the next fills the page)', () => {
    deliver({ type: 'sessionUpdated', summary: { id: 'fresh', title: 'Brand new', createdAt: 0, updatedAt: 5_000_000, messageCount: 1 } });
    assert.equal(ids()[0], 'fresh');
    const s1 = items()[2];
    deliver({ type: 'sessionRemoved', id: 's1' });
    assert.ok(!s1!.isConnected);
    assert.equal(items().length, 50);
    assert.deepEqual(ids().slice(0, 3), ['fresh', 's0', 's2']);
    assert.equal(ids()[49], 's49');
  });

  it('filters by title as soon as one types, and asks the host to search the text once', async () => {
    open();
    type('kube');
    type('kuber');
    type('KUBERNETES');
    // Title matches at once: every tenth conversation, a page of them.
    assert.equal(items().length, 50);
    assert.ok(items().every((li) => /^Kubernetes notes/.test(li.querySelector('.session-name')!.textContent ?? '')));
    assert.match(q('.session-status').textContent ?? '', /100 conversations match/);
    for (let i = 0; i < 50 && !env.host.posted.some((m) => m.type === 'searchSessions'); i++) await tick(20);
    assert.deepEqual(env.host.posted.filter((m) => m.type === 'searchSessions'), [{ type: 'searchSessions', query: 'KUBERNETES' }]);
  });

  it('adds the host\'s text matches, and ignores an answer to an older query', () => {
    open();
    type('needle');
    assert.equal(items().length, 0);
    assert.equal(q('.session-status').textContent, 'No conversation matches.');
    type('haystack');
    deliver({ type: 'sessionSearchResults', query: 'needle', ids: ['s5', 's6'] });
    assert.equal(items().length, 0, 'a stale answer is dropped');
    deliver({ type: 'sessionSearchResults', query: 'haystack', ids: ['s9', 's700'] });
    assert.deepEqual(ids(), ['s9', 's700']);
    // Clearing the box shows everything again; a late answer to the cleared query changes nothing.
    type('');
    deliver({ type: 'sessionSearchResults', query: 'haystack', ids: ['s9'] });
    assert.equal(items().length, 50);
    assert.equal(q('.session-status').hidden, true);
  });

  it('opens a found conversation and closes the history, which opens next time unfiltered', () => {
    open();
    // Every word, anywhere in the title, ignoring case: "13" is also inside "113".
    type('13 kubernetes');
    assert.deepEqual(ids(), ['s13', 's113', 's133', 's213', 's313', 's413', 's513', 's613', 's713', 's813', 's913']);
    (items()[0]!.querySelector('.session-open') as HTMLElement).click();
    assert.deepEqual(env.host.posted.at(-1), { type: 'switchSession', sessionId: 's13' });
    assert.equal(q('.session-history').hidden, true);
    open();
    assert.equal(q<HTMLInputElement>('[data-testid="session-search"]').value, '');
    assert.equal(items().length, 50);
  });

  it('is reachable by keyboard: the box focused on open, Down and Up between conversations, End', () => {
    open();
    const box = q('[data-testid="session-search"]');
    assert.equal(env.window.document.activeElement, box);
    const key = (target: Element, k: string) => target.dispatchEvent(new env.window.KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
    key(box, 'ArrowDown');
    const opens = () => [...env.root.querySelectorAll('.session-open')];
    assert.equal(env.window.document.activeElement, opens()[0]);
    key(opens()[0]!, 'ArrowDown');
    assert.equal(env.window.document.activeElement, opens()[1]);
    key(opens()[1]!, 'ArrowUp');
    key(opens()[0]!, 'ArrowUp');
    assert.equal(env.window.document.activeElement, box);
    key(box, 'ArrowDown');
    key(opens()[0]!, 'End');
    assert.equal(env.window.document.activeElement, opens()[49]);
    // Down from the last one shown brings the next page.
    key(opens()[49]!, 'ArrowDown');
    assert.equal(opens().length, 100);
    assert.equal(env.window.document.activeElement, opens()[50]);
  });

  it('keeps the same items across a full list that says the same (a snapshot after switching)', () => {
    const before = items();
    env.deliver({ type: 'snapshot', seq: 100, snapshot: { session: all[3]!, sessions: all.map((s) => ({ ...s })), messages: [], environment, busy: false, draft: '', tools: { enabled: true } } });
    assert.deepEqual(items(), before);
    assert.equal(before[3]!.classList.contains('current'), true);
    assert.equal(before[0]!.classList.contains('current'), false);
  });
});
