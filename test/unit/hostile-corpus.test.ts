import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatMessageView, ToWebviewMessage, ToWebviewPayload } from '../../src/protocol/messages';
import { isOpenableLink } from '../../src/protocol/parse';
import { answers, answerText, auditTree, corpus, countByCategory, prng, randomChunks, type Payload } from '../e2e/hostile-corpus';
import { installDom, type FakeWebview } from './webview/dom';

/**
 * The hostile corpus (test/e2e/hostile-corpus.ts) through the webview's real rendering path in
 * jsdom: the app as the host drives it (numbered protocol messages, deltas split at random, frames
 * run at random points), with the DOM audited after every frame, so a payload that is only
 * dangerous half-streamed is caught too. The e2e suite runs the same corpus in the real webview.
 */
const SEEDS = [0x5eed0001, 0x5eed0002, 0x5eed0003];
const environment = { demo: false, providerLabel: 'openai-compatible', model: 'm' };
const session = { id: 's1', title: 'Hostile', createdAt: 0, updatedAt: 0, messageCount: 0 };

describe('hostile corpus: model output through the webview renderer (jsdom)', function () {
  this.timeout(180_000);
  let env: FakeWebview;
  let seq = 0;

  function deliver(message: ToWebviewPayload): void {
    env.deliver({ ...message, seq: ++seq } as ToWebviewMessage);
  }
  const log = (): Element => {
    const found = env.root.querySelector('[data-testid="messages"]');
    if (!found) throw new Error('no message log');
    return found;
  };

  beforeEach(async () => {
    env = installDom();
    const { ChatApp } = await import('../../src/webview/chat-app');
    new ChatApp(env.root, env.host).start();
    seq = 0;
    env.deliver({ type: 'snapshot', seq: 0, snapshot: { session, sessions: [session], messages: [], environment, busy: false, draft: '', tools: { enabled: true } } });
  });
  afterEach(() => env.close());

  it('has at least 150 payloads, unique ids, every category, each payload small', () => {
    assert.ok(corpus.length >= 150, `${corpus.length} payloads`);
    assert.equal(new Set(corpus.map((p) => p.id)).size, corpus.length);
    const counts = countByCategory();
    for (const category of ['script', 'event-handler', 'url-scheme', 'svg', 'mathml', 'comment-entity', 'css', 'markdown-exfil', 'mermaid', 'fence-split']) {
      assert.ok((counts[category] ?? 0) >= 5, `${category}: ${counts[category] ?? 0}`);
    }
    for (const p of corpus) assert.ok(p.text.length <= 400, `${p.id} is ${p.text.length} chars`);
  });

  it('the audit itself flags what it must (it is not vacuous)', () => {
    const div = env.window.document.createElement('div');
    div.innerHTML =
      '<img src="https://canary.invalid/a"><a href="javascript:x()">j</a><b onclick="x()">b</b><script></script>' +
      '<iframe></iframe><a href="data:text/html,x">d</a><p style="background:url(https://canary.invalid/b)">s</p><svg></svg>';
    const problems = auditTree(div).join('\n');
    for (const expected of [/src="https:\/\/canary.invalid\/a" would load/, /javascript: URL in href/, /event handler attribute onclick/, /forbidden element <script>/, /forbidden element <iframe>/, /data: URL in href/, /style attribute/, /svg outside a drawn diagram/]) {
      assert.match(problems, expected);
    }
    assert.doesNotMatch(auditTree.toString(), /\bawait\b/, 'the audit runs synchronously in the page');
  });

  it('every payload alone, as the app shows a finished answer', () => {
    const problems: string[] = [];
    let rendered = 0;
    for (const payload of corpus) {
      deliver({ type: 'messageAdded', message: { id: payload.id, role: 'assistant', text: payload.text, state: 'done' } });
      env.flushFrames();
      const article = log().querySelector(`[data-message-id="${payload.id}"]`);
      if (!article) throw new Error(`${payload.id} not shown`);
      if (article.querySelector('[data-testid="message-body"]')?.textContent?.trim()) rendered++;
      for (const problem of auditTree(article)) problems.push(`${payload.id}: ${problem}`);
      article.remove();
    }
    assert.deepEqual(problems, []);
    assert.ok(rendered > corpus.length / 2, `only ${rendered} payloads rendered any text (the audit would see nothing)`);
  });

  for (const seed of SEEDS) {
    it(`seed ${seed.toString(16)}: nothing dangerous in the DOM at any frame, and links only ever go to the host`, async () => {
      const random = prng(seed);
      // One line per distinct problem and answer (the same one is usually seen in many frames).
      const problems = new Map<string, string>();
      const note = (answer: string, stage: string, found: string[]) => {
        for (const problem of found) if (!problems.has(problem)) problems.set(problem, `${answer}, ${stage}: ${problem}`);
      };
      const groups = answers(random);
      let n = 0;
      for (const group of groups) {
        const id = `a${++n}`;
        const text = answerText(group);
        const where = `seed ${seed.toString(16)}, answer ${n} (${group.map((p: Payload) => p.id).join(' ')})`;
        deliver({ type: 'messageAdded', message: { id: `u${n}`, role: 'user', text: 'hostile', state: 'done' } });
        deliver({ type: 'messageAdded', message: { id, role: 'assistant', text: '', state: 'streaming' } });
        const chunks = randomChunks(text, random);
        chunks.forEach((chunk, i) => {
          deliver({ type: 'textAppended', messageId: id, text: chunk });
          if (random() < 0.1) {
            env.flushFrames();
            // While it streams only this answer changes.
            const article = log().querySelector(`[data-message-id="${id}"]`);
            if (article) note(where, `after chunk ${i + 1}/${chunks.length}`, auditTree(article));
          }
        });
        const done: ChatMessageView = { id, role: 'assistant', text, state: 'done' };
        deliver({ type: 'messageFinished', message: done });
        env.flushFrames();
        // Highlighting and diagrams arrive asynchronously in the streaming renderer.
        await new Promise((resolve) => setTimeout(resolve, 0));
        env.flushFrames();
        const article = log().querySelector(`[data-message-id="${id}"]`);
        if (article) note(where, 'finished', auditTree(article));
        const body = env.root.querySelector(`[data-message-id="${id}"] [data-testid="message-body"]`);
        assert.ok(body && body.textContent && body.textContent.includes(`payload ${group[0]?.id}`), `${where}: the answer rendered`);
      }
      assert.deepEqual([...problems.values()], []);

      // Every link: the click is cancelled (no navigation) and the host is only asked to open what it may open.
      const before = env.host.posted.length;
      const links = Array.from(log().querySelectorAll('[data-role="assistant"] [data-testid="message-body"] a'));
      assert.ok(links.length > 5, `${links.length} links rendered`);
      const navigated: string[] = [];
      for (const link of links) {
        const event = new env.window.MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
        link.dispatchEvent(event);
        if (!event.defaultPrevented) navigated.push(link.getAttribute('href') ?? '(no href)');
      }
      assert.deepEqual(navigated, [], 'links whose click was not cancelled');
      const asked = env.host.posted.slice(before).filter((m) => m.type === 'openLink').map((m) => (m as { url: string }).url);
      const refused = asked.filter((u) => !isOpenableLink(u) && !u.startsWith('#'));
      assert.deepEqual(refused, [], 'the webview asked the host to open links it must not');
    });
  }

  // The streaming renderer (src/webview/render), when present, straight: the same corpus, chunked.
  const renderIndex = join(__dirname, '..', '..', 'src', 'webview', 'render', 'index.ts');
  (existsSync(renderIndex) ? it : it.skip)('the streaming renderer on its own: every payload alone and every answer streamed', async function () {
    const render = (await import('../../src/webview/render/index')) as typeof import('../../src/webview/render/index');
    const problems = new Set<string>();
    const opened: string[] = [];
    let rendered = 0;
    const options = { onOpenLink: (u: string) => opened.push(u) };
    for (const payload of corpus) {
      const div = env.window.document.createElement('div');
      env.root.append(div);
      const result = render.renderMarkdownInto(div, payload.text, options);
      await Promise.race([result.settled(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
      if (div.textContent?.trim()) rendered++;
      for (const problem of auditTree(div)) problems.add(`${payload.id} alone: ${problem}`);
      result.dispose();
      div.remove();
    }
    // One seed here: the app's own path above already streams every seed.
    for (const seed of SEEDS.slice(0, 1)) {
      const random = prng(seed ^ 0xabc);
      for (const group of answers(random)) {
        const div = env.window.document.createElement('div');
        env.root.append(div);
        const view = new render.StreamingMarkdown(div, options);
        for (const chunk of randomChunks(answerText(group), random)) {
          view.append(chunk);
          if (random() < 0.15) {
            env.flushFrames();
            for (const problem of auditTree(div)) problems.add(`seed ${seed.toString(16)} streaming (${group.map((p) => p.id).join(' ')}): ${problem}`);
          }
        }
        view.finish();
        await Promise.race([view.settled(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
        for (const problem of auditTree(div)) problems.add(`seed ${seed.toString(16)} finished (${group.map((p) => p.id).join(' ')}): ${problem}`);
        view.dispose();
        div.remove();
      }
    }
    assert.deepEqual([...problems], []);
    assert.ok(rendered > corpus.length / 2, `only ${rendered} payloads rendered any text`);
  });
});
