import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chatStream, startLlmServer, type LlmServer } from '../../src/local-llm';
import { openChat, openTimeline, send, waitForAnswer } from './support/chat';
import { openWorkbench, type Workbench } from './support/workbench';

const root = join(__dirname, '..', '..');
const artifacts = join(root, 'test-results', 'e2e');
const CHUNK = '[data-testid="timeline"] [data-testid="timeline-chunk"]';

describe('stream inspector timeline of real requests', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;

  before(async function () {
    server = await startLlmServer();
    workbench = await openWorkbench({
      settings: { 'rill.agent.enabled': false, 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-e2e' },
      loadTimeoutMs: 90_000,
    });
    chat = await openChat(workbench);
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
  });

  it('shows one mark per chunk the server sent, and the time to first token', async function () {
    const pieces = Array.from({ length: 48 }, (_, i) => `word${i} `.repeat(1 + (i % 3)));
    server.enqueue(chatStream({ chunks: pieces, delayMs: 12, usage: true }));
    const n = await send(chat, 'Stream me something to inspect');
    await waitForAnswer(chat, n, 'done');
    const frame = await openTimeline(workbench, chat, n);
    assert.equal(await frame.locator(CHUNK).count(), pieces.length);
    // Each mark carries its chunk's size: the server's pieces, in order.
    const sizes = await frame.locator(CHUNK).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-chars'))));
    assert.deepEqual(sizes, pieces.map((p) => p.length));
    assert.match((await frame.textContent('[data-testid="timeline-ttft"]')) ?? '', /^\d+(\.\d)? ms$/);
    assert.match((await frame.textContent('[data-testid="timeline-burstiness"]')) ?? '', /^\d+(\.\d+)? \(/);
    assert.equal(await frame.locator('table[data-testid="timeline-figures"] caption').textContent(), 'Figures');
    await frame.locator('[data-testid="timeline"]').scrollIntoViewIfNeeded();
    mkdirSync(artifacts, { recursive: true });
    await workbench.screenshot(join(artifacts, 'timeline.png'));
    if (process.env.RILL_SAVE_SCREENSHOTS === '1') copyFileSync(join(artifacts, 'timeline.png'), join(root, 'media', 'timeline.png'));
    await workbench.runCommand('View: Close Editor');
  });

  it('compares two requests on one axis', async function () {
    // A second request, all at once: its lane and figures sit beside the first on one axis.
    const pieces = Array.from({ length: 30 }, (_, i) => `b${i} `);
    server.enqueue(chatStream({ chunks: pieces, delayMs: 0, usage: true }));
    const n = await send(chat, 'A second stream');
    await waitForAnswer(chat, n, 'done');
    const frame = await openTimeline(workbench, chat, n);
    await frame.click('[data-testid="timeline-compare"]');
    // The quick pick lists the recent requests of every conversation, newest first, without this one.
    await workbench.page.waitForSelector('.quick-input-widget .monaco-list-row', { timeout: 10_000 });
    await workbench.page.keyboard.press('Enter');
    await frame.waitForFunction(() => document.querySelectorAll('.timeline-lane').length === 2, undefined, { timeout: 10_000 });
    const counts = await frame.$$eval('.timeline-lane', (lanes) => lanes.map((l) => l.querySelectorAll('[data-testid="timeline-chunk"]').length));
    assert.deepEqual(counts, [30, 48]);
    const boxes = await frame.$$eval('.timeline-lane svg', (svgs) => svgs.map((s) => s.getAttribute('viewBox')));
    assert.equal(boxes[0], boxes[1], 'one axis');
    assert.match((await frame.textContent('[data-testid="timeline-ttft-1"]')) ?? '', /ms$/);
    await workbench.screenshot(join(artifacts, 'timeline-compare.png'));
    await workbench.runCommand('View: Close Editor');
  });
});
