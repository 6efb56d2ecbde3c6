import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chatStream, startLlmServer, type LlmServer } from '../../src/local-llm';
import { openChat, send, waitForAnswer } from './support/chat';
import { openWorkbench, type Workbench } from './support/workbench';

const SEEDED = 300;
/** The one seeded conversation with this word, in its answer only (not its title); far below the first page. */
const NEEDLE = 'zanzibarite';
const FOUND = 'seed-0123';
const id = (i: number) => `seed-${String(i).padStart(4, '0')}`;

const itemIds = (frame: Frame) =>
  frame.$$eval('[data-testid="session-item"]', (els) => els.map((e) => (e as HTMLElement).dataset.sessionId ?? ''));

/**
 * The history with hundreds of saved conversations, in the real workbench: a page of them in the
 * DOM, a search that finds a word inside one of them, and opening what it found.
 */
describe('history of many conversations: paged, searched, opened', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;
  const folder = mkdtempSync(join(tmpdir(), 'rill-e2e-workspace-'));

  before(async function () {
    this.timeout(300_000); // packaging the .vsix when the sources changed, then 300 files
    server = await startLlmServer({ demoDelayMs: 1 });
    // A longer first load where the harness allows one (a busy machine); ignored where it does not.
    const options = { loadTimeoutMs: 120_000, folder, settings: { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-e2e' } };
    // The workbench page has 30 s to load; on a loaded machine a second start usually makes it.
    workbench = await openWorkbench(options).catch(() => openWorkbench(options));
    // Saved as today's Rill saves them, before the extension first starts (it activates on Open Chat).
    const dir = join(workbench.userDataDir(), 'User', 'globalStorage', 'rill.rill', 'sessions');
    mkdirSync(dir, { recursive: true });
    const now = Date.now() - 60_000;
    for (let i = 0; i < SEEDED; i++) {
      const answer = i === 123 ? `The mineral you mean is ${NEEDLE}, found on the coast.` : `Answer number ${i}.`;
      const record = {
        version: 1,
        id: id(i),
        title: `Seeded conversation ${i}`,
        createdAt: now - i * 60_000,
        updatedAt: now - i * 60_000,
        messages: [
          { id: 'm1', role: 'user', text: `Question number ${i}`, state: 'done' },
          { id: 'm2', role: 'assistant', text: answer, state: 'done' },
        ],
      };
      writeFileSync(join(dir, `${record.id}.json`), JSON.stringify(record));
    }
    chat = await openChat(workbench);
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows a page of the conversations, newest first, and the next page on Show more', async function () {
    await chat.click('[data-testid="history"]');
    await chat.waitForSelector('[data-testid="session-item"]');
    const ids = await itemIds(chat);
    assert.ok(ids.length >= 20 && ids.length <= 60, `a bounded page is in the DOM, not all ${SEEDED}: ${ids.length}`);
    assert.deepEqual(ids.slice(0, 3), [id(0), id(1), id(2)]);
    await chat.click('[data-testid="session-more"]');
    await chat.waitForFunction((n) => document.querySelectorAll('[data-testid="session-item"]').length > n, ids.length);
    const more = await itemIds(chat);
    assert.ok(more.length <= 2 * ids.length && more.length < SEEDED, `one more page: ${more.length}`);
    assert.deepEqual(more.slice(0, ids.length), ids);
  });

  it('filters by title while typing', async function () {
    await chat.fill('[data-testid="session-search"]', 'conversation 29');
    // 29, 129, 229 and 290-299: each title has both words ("29" inside "129" too), newest first.
    await chat.waitForFunction(() => document.querySelectorAll('[data-testid="session-item"]').length === 13);
    assert.deepEqual(await itemIds(chat), [29, 129, 229, ...Array.from({ length: 10 }, (_, i) => 290 + i)].map(id));
  });

  it('finds a conversation by a word inside it and opens it', async function () {
    assert.equal(await chat.getAttribute('[data-testid="session-search"]', 'placeholder'), 'Search conversations');
    await chat.fill('[data-testid="session-search"]', NEEDLE);
    // No title has the word: the host's search of the saved text answers a moment later.
    await chat.waitForFunction((found) => {
      const items = [...document.querySelectorAll('[data-testid="session-item"]')] as HTMLElement[];
      return items.length === 1 && items[0]!.dataset.sessionId === found;
    }, FOUND, { timeout: 20_000 });
    await chat.click('[data-testid="session-item"] .session-open');
    await chat.waitForFunction(() => document.querySelector('[data-testid="session-title"]')?.textContent === 'Seeded conversation 123');
    await chat.waitForFunction((needle) => document.querySelector('[data-testid="messages"]')?.textContent?.includes(needle), NEEDLE);
    // Opening closed the history; it opens again unfiltered.
    assert.equal(await chat.isVisible('[data-testid="session-search"]'), false);
  });

  it('moves the conversation being answered to the top as it is saved, keeping the page bounded', async function () {
    server.enqueue(chatStream({ text: 'A fresh answer.' }));
    await waitForAnswer(chat, await send(chat, 'One more question'), 'done');
    await chat.click('[data-testid="history"]');
    await chat.waitForFunction((found) => (document.querySelector('[data-testid="session-item"]') as HTMLElement | null)?.dataset.sessionId === found, FOUND);
    const ids = await itemIds(chat);
    assert.ok(ids.length <= 60, `still one page: ${ids.length}`);
    assert.deepEqual(ids.slice(1, 3), [id(0), id(1)]);
    assert.equal(new Set(ids).size, ids.length, 'each conversation once');
  });
});
