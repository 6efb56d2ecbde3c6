import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chatStream, startLlmServer, type LlmServer } from '../../src/local-llm';
import { ANSWERS, send, waitForAnswer } from './support/chat';
import { openWorkbench, type Workbench } from './support/workbench';


const transcript = (frame: Frame) =>
  frame.$$eval('[data-testid="message"]', (els) =>
    els.map((e) => [e.getAttribute('data-role'), e.getAttribute('data-state'), e.querySelector('[data-testid="message-body"]')?.textContent?.trim()]),
  );

describe('conversations: history, export, and reloads', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;
  const folder = mkdtempSync(join(tmpdir(), 'rill-e2e-workspace-'));

  before(async function () {
    server = await startLlmServer({ demoDelayMs: 1 });
    workbench = await openWorkbench({
      folder,
      settings: { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-e2e' },
    });
    await workbench.runCommand('Rill: Open Chat');
    chat = await workbench.webviewFrame('[data-testid="chat-input"]');
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('starts a new chat, lists both in the history, and switches back', async function () {
    server.enqueue(chatStream({ text: 'First answer.' }));
    await waitForAnswer(chat, await send(chat, 'First conversation'), 'done');
    assert.equal(await chat.textContent('[data-testid="session-title"]'), 'First conversation');

    await chat.click('[data-testid="new-chat"]');
    await chat.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 0);
    server.enqueue(chatStream({ text: 'Second answer.' }));
    await waitForAnswer(chat, await send(chat, 'Second conversation'), 'done');

    await chat.click('[data-testid="history"]');
    const titles = await chat.$$eval('[data-testid="session-item"] .session-name', (els) => els.map((e) => e.textContent));
    assert.deepEqual(titles, ['Second conversation', 'First conversation']);
    await chat.click('[data-testid="session-item"]:nth-child(2) .session-open');
    await chat.waitForFunction(() => document.querySelector('[data-testid="session-title"]')?.textContent === 'First conversation');
    assert.deepEqual(await transcript(chat), [
      ['user', 'done', 'First conversation'],
      ['assistant', 'done', 'First answer.'],
    ]);
  });

  it('renames and deletes a conversation, asking first', async function () {
    await chat.click('[data-testid="history"]');
    await chat.click('[data-testid="session-item"]:has-text("Second conversation") [data-testid="rename-session"]');
    const input = await workbench.page.waitForSelector('.quick-input-widget input');
    await input.fill('Renamed chat');
    await input.press('Enter');
    await chat.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="session-item"] .session-name')].some((e) => e.textContent === 'Renamed chat'),
    );

    await chat.click('[data-testid="session-item"]:has-text("Renamed chat") [data-testid="delete-session"]');
    const dialog = await workbench.page.waitForSelector('.monaco-dialog-box');
    assert.match((await dialog.textContent()) ?? '', /Delete the conversation "Renamed chat"\?/);
    await workbench.page.click('.monaco-dialog-box .dialog-buttons a:has-text("Delete"), .monaco-dialog-box .dialog-buttons button:has-text("Delete")');
    await chat.waitForFunction(() => document.querySelectorAll('[data-testid="session-item"]').length === 1);
  });

  it('exports the conversation as Markdown', async function () {
    // Rill proposes <title>.md in the workspace folder; VS Code's own save dialog (the web
    // workbench has no native one) shows it, and Enter accepts it. Typing a path instead races the
    // dialog's completion under load.
    const target = join(folder, 'First-conversation.md');
    await chat.click('[data-testid="export"]');
    const input = await workbench.page.waitForSelector('.quick-input-widget input');
    await workbench.page.waitForFunction(() => /First-conversation\.md$/.test((document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value ?? ''), undefined, { timeout: 15_000 });
    await input.press('Enter');
    for (let i = 0; i < 150 && !existsSync(target); i++) await new Promise((r) => setTimeout(r, 100));
    const markdown = readFileSync(target, 'utf8');
    assert.match(markdown, /^# First conversation\n/);
    assert.match(markdown, /## You\n\n> First conversation\n\n## Rill\n\nFirst answer\.\n/);
  });

  it('loses nothing when the window reloads mid-answer: turns, the partial answer and the draft', async function () {
    const text = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    server.enqueue(chatStream({ text, chunkSize: 4, delayMs: 40 }));
    const n = await send(chat, 'A long answer, then a reload');
    await chat.waitForFunction(
      ([selector, i]) => (document.querySelectorAll(selector)[i]?.textContent ?? '').length > 30,
      [`${ANSWERS} [data-testid="message-body"]`, n] as const,
    );
    await chat.fill('[data-testid="chat-input"]', 'an unsent draft');
    await new Promise((r) => setTimeout(r, 1500)); // the streaming answer is saved at least once a second

    await workbench.page.reload();
    await workbench.page.waitForSelector('.monaco-workbench', { timeout: 30_000 });
    try {
      chat = await workbench.webviewFrame('[data-testid="message"]', 30_000);
    } finally {
      await workbench.screenshot(join(__dirname, '..', '..', 'test-results', 'e2e', 'after-reload.png'));
    }
    const after = await transcript(chat);
    assert.deepEqual(after.slice(0, 3), [
      ['user', 'done', 'First conversation'],
      ['assistant', 'done', 'First answer.'],
      ['user', 'done', 'A long answer, then a reload'],
    ]);
    const [, state, partial] = after[3] ?? [];
    assert.ok(partial && partial.length > 30 && text.startsWith(partial), 'the partial answer is kept');
    // The reload restarts the extension host: the answer was cut, and says so.
    assert.equal(state, 'truncated');
    assert.match((await chat.textContent(`${ANSWERS} >> nth=${n} >> [data-testid="message-status"]`)) ?? '', /Interrupted/);
    assert.ok(await chat.$(`${ANSWERS} >> nth=${n} >> [data-testid="action-retry"]`), 'offers Retry');
    assert.equal(await chat.inputValue('[data-testid="chat-input"]'), 'an unsent draft');
  });
});
