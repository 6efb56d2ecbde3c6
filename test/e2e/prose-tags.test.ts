import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chatStream, startLlmServer, type LlmServer } from '../../src/local-llm';
import { missingWords, proseTags, SWALLOWING } from '../support/prose-tags';
import { prng, randomChunks } from './hostile-corpus';
import { ANSWERS, send, waitForAnswer } from './support/chat';
import { openWorkbench, type Workbench } from './support/workbench';

/**
 * Answers that mention tags in prose (test/support/prose-tags.ts), streamed in random chunks into
 * the real chat webview: what Chromium shows (`innerText`, which leaves out what a <style>, a
 * collapsed element or a swallowed tail would hide) holds every word of the answer outside an
 * allowed tag's markup, and no element that swallows text ever appears, mid-stream included.
 */
const artifacts = join(__dirname, '..', '..', 'test-results', 'e2e');

/** Watches every answer body for swallowing elements while it streams (a mutation observer). */
async function watchForSwallowing(frame: Frame): Promise<void> {
  await frame.evaluate((selector) => {
    const seen: string[] = [];
    (window as unknown as { rillSwallowed: string[] }).rillSwallowed = seen;
    const log = document.querySelector('[data-testid="messages"]');
    if (!log) throw new Error('no message log');
    new MutationObserver(() => {
      for (const body of Array.from(log.querySelectorAll('[data-testid="message-body"]'))) {
        const found = body.querySelector(selector);
        if (found) seen.push(found.outerHTML.slice(0, 120));
      }
    }).observe(log, { childList: true, subtree: true, characterData: true });
  }, SWALLOWING);
}

describe('raw HTML in prose through the real webview: shown as text, nothing lost', function () {
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
    await watchForSwallowing(chat);
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
  });

  it(`streams ${Object.keys(proseTags).length} answers in random chunks; every word stays visible`, async function () {
    this.timeout(240_000);
    const random = prng(0x7a95);
    const failures: string[] = [];
    for (const [name, text] of Object.entries(proseTags)) {
      server.enqueue(chatStream({ chunks: randomChunks(text, random, 1, 8), delayMs: 3 }));
      const n = await send(chat, `Tell me about ${name}`);
      await waitForAnswer(chat, n, 'done');
      const shown = await chat.$$eval(ANSWERS, (els, i) => (els[i]?.querySelector('[data-testid="message-body"]') as HTMLElement | null)?.innerText ?? '', n);
      const missing = missingWords(text, shown);
      if (missing.length) failures.push(`${name}: missing ${JSON.stringify(missing)} from ${JSON.stringify(shown)}`);
    }
    await workbench.screenshot(join(artifacts, 'prose-tags.png'));
    const swallowed = await chat.evaluate(() => (window as unknown as { rillSwallowed: string[] }).rillSwallowed);
    assert.deepEqual(swallowed, [], 'an element that swallows text appeared while streaming');
    assert.deepEqual(failures, []);
  });

  it('the last sentence after a <style> at the start of a line is on screen, and the list after it is a list', async function () {
    const text = proseTags['tag at the start of a line']!;
    server.enqueue(chatStream({ text, chunkSize: 5 }));
    const n = await send(chat, 'Structure again');
    await waitForAnswer(chat, n, 'done');
    const result = await chat.$$eval(
      ANSWERS,
      (els, i) => {
        const body = els[i]?.querySelector('[data-testid="message-body"]') as HTMLElement | null;
        return { items: body?.querySelectorAll('li').length ?? 0, text: body?.innerText ?? '' };
      },
      n,
    );
    assert.equal(result.items, 2);
    assert.match(result.text, /<style>\s*\.card \{ padding: 1rem; \}/);
    assert.match(result.text, /The code block above is code and this closing sentence is here\.$/);
  });
});
