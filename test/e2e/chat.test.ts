import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chatStream, scenarios, startLlmServer, type LlmServer } from '../../src/local-llm';
import { ANSWERS, send, waitForAnswer, answer } from './support/chat';
import { openWorkbench, type Workbench } from './support/workbench';

const artifacts = join(__dirname, '..', '..', 'test-results', 'e2e');


/** Records every distinct text the last answer shows, as the DOM changes, until it is final. */
async function watchAnswerGrow(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { rillSeen: string[] }).rillSeen = seen;
    const log = document.querySelector('[data-testid="messages"]');
    if (!log) throw new Error('no message log');
    new MutationObserver(() => {
      const bodies = log.querySelectorAll('[data-testid="message"][data-role="assistant"] [data-testid="message-body"]');
      const text = bodies[bodies.length - 1]?.textContent ?? '';
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(log, { childList: true, subtree: true, characterData: true });
  });
}

describe('Rill in a real VS Code (web workbench + Chromium)', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;

  before(async function () {
    mkdirSync(artifacts, { recursive: true });
    server = await startLlmServer();
    workbench = await openWorkbench({
      settings: { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-e2e' },
    });
    await workbench.runCommand('Rill: Open Chat');
    chat = await workbench.webviewFrame('[data-testid="chat-input"]');
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
  });

  it('streams an answer that grows through intermediate states and ends equal to what the server sent', async function () {
    const sentences = Array.from({ length: 12 }, (_, i) => `Sentence ${i + 1} of a streamed answer arrives in small pieces.`);
    const text = sentences.join(' ');
    server.enqueue(chatStream({ text, chunkSize: 6, delayMs: 25 }));
    await watchAnswerGrow(chat);
    const n = await send(chat, 'Stream me a long answer');
    await waitForAnswer(chat, n, 'done');

    assert.equal((await answer(chat, n)).text.trim(), text);
    const seen = await chat.evaluate(() => (window as unknown as { rillSeen: string[] }).rillSeen);
    const intermediate = seen.filter((s) => s.trim() !== text);
    assert.ok(intermediate.length >= 3, `expected >= 3 intermediate states, saw ${intermediate.length}`);
    for (const state of intermediate) assert.ok(text.startsWith(state.trim()), `not a prefix of the answer: ${state}`);

    const body = server.requests.at(-1)?.body;
    assert.equal(body?.model, 'rill-e2e');
    assert.equal(body?.stream, true);
    assert.deepEqual(body?.messages?.at(-1), { role: 'user', content: 'Stream me a long answer' });
  });

  it('renders markdown from the stream as markup, not as source', async function () {
    const text = 'A **bold** word and a list:\n\n- one\n- two\n\n```ts\nconst x = 1;\n```\n';
    server.enqueue(chatStream({ text, chunkSize: 3, delayMs: 5 }));
    const n = await send(chat, 'Some markdown please');
    await waitForAnswer(chat, n, 'done');
    const shape = await chat.$$eval('[data-testid="message"][data-role="assistant"]', (els) => {
      const body = els[els.length - 1]?.querySelector('[data-testid="message-body"]');
      return {
        strong: body?.querySelector('strong')?.textContent,
        items: Array.from(body?.querySelectorAll('li') ?? []).map((li) => li.textContent),
        code: body?.querySelector('pre code')?.textContent,
      };
    });
    assert.deepEqual(shape, { strong: 'bold', items: ['one', 'two'], code: 'const x = 1;\n' });
  });

  it('renders Japanese and emoji written to the socket one byte at a time exactly', async function () {
    const text = 'こんにちは、世界！🌊 ストリーミングは一文字ずつ届きます 👩‍💻🇯🇵 漢字とカタカナ。';
    server.enqueue(chatStream({ text, chunkSize: 4, bytesPerWrite: 1 }));
    const n = await send(chat, '日本語で答えてください');
    await waitForAnswer(chat, n, 'done');
    assert.equal((await answer(chat, n)).text.trim(), text);
    await workbench.screenshot(join(artifacts, 'japanese.png'));
  });

  it('Stop closes the HTTP request within a second and keeps the partial answer', async function () {
    const text = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    server.enqueue(chatStream({ text, chunkSize: 5, delayMs: 50 }));
    const stopped = await send(chat, 'A very long answer I will stop');
    await chat.waitForFunction(
      ([selector, i]) => (document.querySelectorAll(selector)[i]?.textContent ?? '').length > 20,
      [`${ANSWERS} [data-testid="message-body"]`, stopped] as const,
    );
    const request = server.requests.length - 1;
    const clickedAt = performance.now();
    await chat.click('[data-testid="stop"]');
    const closed = await server.waitForClose(request);
    const delay = (closed.closedAt ?? Infinity) - clickedAt;
    assert.ok(delay < 1000, `socket closed ${Math.round(delay)} ms after Stop`);
    assert.equal(closed.finishedNormally, false, 'the server did not get to finish the answer');

    await waitForAnswer(chat, stopped, 'stopped');
    const partial = await answer(chat, stopped);
    assert.ok(partial.text.length > 20 && text.startsWith(partial.text.trim()), 'the partial answer is kept');
    // The chat stays usable: the next prompt gets a full answer.
    server.enqueue(chatStream({ text: 'Still here.', chunkSize: 4 }));
    const n = await send(chat, 'Are you still there?');
    await waitForAnswer(chat, n, 'done');
    assert.equal((await answer(chat, n)).text.trim(), 'Still here.');
  });

  it('keeps the transcript when the panel is hidden behind another editor and shown again', async function () {
    const transcript = (frame: Frame) =>
      frame.$$eval('[data-testid="message"]', (els) => els.map((e) => [e.getAttribute('data-state'), e.textContent]));
    const before = await transcript(chat);
    assert.ok(before.length >= 8, `expected the earlier turns, found ${before.length}`);
    await workbench.runCommand('File: New Untitled Text File');
    // Hidden, the webview's page is discarded (no retainContextWhenHidden); shown again it reloads,
    // says `ready`, and must be rebuilt from the host's transcript.
    await chat.waitForSelector('[data-testid="chat-input"]', { state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await workbench.runCommand('View: Open Previous Editor');
    chat = await workbench.webviewFrame('[data-testid="message"]');
    assert.deepEqual(await transcript(chat), before);
  });

  it('a cut-off answer offers Continue, and Continue streams the rest into the same answer', async function () {
    server.enqueue(chatStream({ text: 'The steps are: open the file,', finishReason: 'length', chunkSize: 5 }));
    server.enqueue(chatStream({ text: ' then save it.', chunkSize: 5 }));
    const n = await send(chat, 'Give me the steps');
    await waitForAnswer(chat, n, 'truncated');
    const status = await chat.textContent(`${ANSWERS} >> nth=${n} >> [data-testid="message-status"]`);
    assert.match(status ?? '', /token limit/);
    await chat.click(`${ANSWERS} >> nth=${n} >> [data-testid="action-continue"]`);
    await waitForAnswer(chat, n, 'done');
    assert.equal((await answer(chat, n)).text.trim(), 'The steps are: open the file, then save it.');
    const continued = (server.requests.at(-1)?.body.messages ?? []) as Array<{ role: string; content: string }>;
    assert.deepEqual(continued.at(-2), { role: 'assistant', content: 'The steps are: open the file,' });
    assert.equal(continued.at(-1)?.role, 'user');
  });

  it('an unknown model is a clear error whose action opens the model picker', async function () {
    server.enqueue(scenarios.modelNotFound('rill-e2e'));
    const n = await send(chat, 'Hello?');
    await waitForAnswer(chat, n, 'error');
    const status = await chat.textContent(`${ANSWERS} >> nth=${n} >> [data-testid="message-status"]`);
    assert.match(status ?? '', /model "rill-e2e" does not exist/);
    await chat.click(`${ANSWERS} >> nth=${n} >> [data-testid="action-selectModel"]`);
    // The picker lists what the server's GET /v1/models reports.
    await workbench.page.waitForSelector('.quick-input-widget .monaco-list-row:has-text("rill-demo")', { timeout: 10_000 });
    await workbench.page.keyboard.press('Escape');
  });

  it('shows "retrying in N s" while a rate-limited request waits, then the answer', async function () {
    server.enqueue(...scenarios.rateLimitThenOk({ failures: 1, retryAfterMs: 1500 }));
    const n = await send(chat, 'Busy server?');
    const progress = await chat.waitForSelector(`${ANSWERS} >> nth=${n} >> [data-testid="message-progress"]:visible`, { timeout: 5000 });
    assert.match((await progress.textContent()) ?? '', /Retrying in 2 s/);
    await waitForAnswer(chat, n, 'done');
    assert.equal(await progress.isVisible(), false, 'the retry line goes away');
  });

  it('shows the finished chat (screenshot artifact)', async function () {
    server.enqueue(
      chatStream({
        text: 'Rill renders **markdown** as it streams:\n\n1. tokens arrive\n2. the answer grows\n\n```ts\nconst answer = await rill.ask("hi");\n```\n\nDone.',
        chunkSize: 4,
        delayMs: 5,
      }),
    );
    const n = await send(chat, 'Show me what Rill looks like');
    await waitForAnswer(chat, n, 'done');
    await workbench.screenshot(join(artifacts, 'chat.png'));
    assert.equal((await answer(chat, n)).state, 'done');
  });
});

describe('Rill with nothing configured (the offline demo model)', function () {
  let workbench: Workbench;

  before(async function () {
    workbench = await openWorkbench({ settings: {}, env: { OPENAI_API_KEY: '' } });
  });

  after(async function () {
    await workbench?.close();
  });

  it('answers from the demo model and says so plainly', async function () {
    await workbench.runCommand('Rill: Open Chat');
    const chat = await workbench.webviewFrame('[data-testid="chat-input"]');
    const n = await send(chat, 'Hello demo');
    await waitForAnswer(chat, n, 'done', 30_000);
    const banner = await chat.textContent('[data-testid="demo-banner"]');
    assert.match(banner ?? '', /demo/i);
    const reply = await answer(chat, n);
    assert.match(reply.text, /demo/i);
    assert.match(reply.text, /Hello demo/);
    await workbench.screenshot(join(artifacts, 'demo.png'));
  });
});
