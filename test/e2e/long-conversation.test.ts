import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chatStream, startLlmServer, type LlmServer } from '../../src/local-llm';
import { openWorkbench, type Workbench } from './support/workbench';

// Issue 14: a saved conversation of 2,000 messages opens with only its newest page, renders only
// what is near the viewport, loads older pages as the reader scrolls up, and still streams.

const TURNS = 1000;
const SESSION_ID = 'long-conversation-e2e';

function answerText(n: number): string {
  return [
    `Answer ${n}. Here is a paragraph with \`inline code\`, **bold** text and a [link](https://example.com/${n}).`,
    '',
    `- first point of answer ${n}`,
    '- second point, a little longer so that it wraps on a narrow panel',
    '',
    '```ts',
    `const answer${n} = ${n};`,
    '```',
  ].join('\n');
}

function longConversation(): object {
  const messages = [];
  for (let n = 1; n <= TURNS; n++) {
    messages.push({ id: `u${n}`, role: 'user', text: `Question ${n}: what about item ${n}?`, state: 'done' });
    messages.push({ id: `a${n}`, role: 'assistant', text: answerText(n), state: 'done', usage: { promptTokens: 20, completionTokens: 40, totalTokens: 60 } });
  }
  const now = Date.now();
  return { version: 1, id: SESSION_ID, title: 'A very long conversation', createdAt: now - 86_400_000, updatedAt: now, messages };
}

const LOG = '[data-testid="messages"]';
const domNodes = (frame: Frame) => frame.evaluate(() => document.getElementsByTagName('*').length);
/** Whether the message is in the log's visible part. */
const visible = (frame: Frame, id: string) =>
  frame.evaluate(
    ([log, messageId]) => {
      const box = document.querySelector(log)!.getBoundingClientRect();
      const rect = document.querySelector(`[data-testid="message"][data-message-id="${messageId}"]`)?.getBoundingClientRect();
      return rect !== undefined && rect.bottom > box.top && rect.top < box.bottom;
    },
    [LOG, id] as const,
  );

describe('a long conversation (2,000 messages): paged and windowed', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;
  const folder = mkdtempSync(join(tmpdir(), 'rill-e2e-long-'));

  before(async function () {
    this.timeout(600_000);
    server = await startLlmServer({ demoDelayMs: 1 });
    const options = {
      folder,
      settings: { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-e2e' },
      // RILL_E2E_VSIX: measure another build (the figures before and after issue 14) with the same test.
      ...(process.env.RILL_E2E_VSIX ? { vsix: process.env.RILL_E2E_VSIX } : {}),
      // A longer first load where the harness allows one (a busy machine); ignored where it does not.
      loadTimeoutMs: 120_000,
    };
    // The workbench's first load can exceed its 30 s on a machine busy with other runs: try again.
    workbench = await openWorkbench(options).catch(() => openWorkbench(options)).catch(() => openWorkbench(options));
    // Rill activates when its chat first shows, so the saved conversation is there before it lists them.
    const sessions = join(workbench.userDataDir(), 'User', 'globalStorage', 'rill.rill', 'sessions');
    mkdirSync(sessions, { recursive: true });
    const file = JSON.stringify(longConversation());
    writeFileSync(join(sessions, `${SESSION_ID}.json`), file);
    console.log(`      session file: ${file.length} bytes`);
    // The sidebar chat opens on the most recent conversation (Open Chat would start a new one).
    await workbench.runCommand('Rill: Focus on Chat View').catch(() => workbench.runCommand('Rill: Focus on Chat View'));
    chat = await workbench.webviewFrame('[data-testid="chat-input"]', 60_000);
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('opens on the newest answer with a small snapshot and a small DOM', async function () {
    await chat.waitForSelector(`[data-testid="message"][data-message-id="a${TURNS}"]`, { timeout: 60_000 });
    await chat.waitForFunction((id) => {
      const log = document.querySelector('[data-testid="messages"]')!;
      const rect = document.querySelector(`[data-message-id="${id}"]`)!.getBoundingClientRect();
      const box = log.getBoundingClientRect();
      return rect.bottom > box.top && rect.top < box.bottom;
    }, `a${TURNS}`);
    assert.match((await chat.textContent(`[data-message-id="a${TURNS}"] [data-testid="message-body"]`)) ?? '', new RegExp(`Answer ${TURNS}\\.`));
    const nodes = await domNodes(chat);
    // The snapshot as the webview receives it: a message out of sequence makes the webview ask for
    // a fresh one (its recovery from lost messages), which is measured on arrival.
    const snapshotBytes = await chat.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          window.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
            if (event.data?.type === 'snapshot') resolve(JSON.stringify(event.data).length);
          });
          window.dispatchEvent(new MessageEvent('message', { data: { type: 'focusComposer', seq: 1e9 } }));
          setTimeout(() => reject(new Error('no snapshot came')), 30_000);
        }),
    );
    await chat.waitForSelector(`[data-testid="message"][data-message-id="a${TURNS}"]`);
    console.log(`      on open: ${nodes} DOM nodes; snapshot ${snapshotBytes} bytes`);
    assert.ok(nodes < 5000, `${nodes} DOM nodes on open`);
    assert.ok(snapshotBytes < 100_000, `snapshot of ${snapshotBytes} bytes`);
    assert.equal(await chat.isVisible('[data-testid="load-older"]'), true, 'Load earlier messages is offered');
  });

  it('loads older pages while scrolling to the top, keeping the reader in place, until the first prompt', async function () {
    this.timeout(240_000);
    let worstShift = 0;
    let measured = 0;
    for (let round = 0; round < 300; round++) {
      // To the top; two frames later the window there is rendered and the older page asked for.
      const before = await chat.evaluate(async (log) => {
        const box = document.querySelector(log)!;
        box.scrollTop = 0;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const top = box.getBoundingClientRect().top;
        const seen = Array.from(box.querySelectorAll('[data-testid="message"]')).find((el) => el.getBoundingClientRect().bottom > top + 1);
        return {
          done: (box.querySelector('[data-testid="load-older"]') as HTMLElement).hidden,
          scrolled: box.scrollTop,
          height: box.scrollHeight,
          id: seen?.getAttribute('data-message-id') ?? '',
          offset: seen ? seen.getBoundingClientRect().top - top : 0,
        };
      }, LOG);
      if (before.done) break;
      if (before.scrolled > 0 || !before.id) continue; // the page came in during those frames: nothing to compare
      await chat.waitForFunction(
        ([log, height]) => {
          const box = document.querySelector(log)!;
          return box.scrollHeight > height + 100 || (box.querySelector('[data-testid="load-older"]') as HTMLElement).hidden;
        },
        [LOG, before.height] as const,
        { timeout: 20_000 },
      );
      // The page came in above: the message that was at the top stays where it was on screen.
      const offset = await chat.evaluate(
        async ([log, id]) => {
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const el = document.querySelector(`[data-message-id="${id}"]`);
          return el ? el.getBoundingClientRect().top - document.querySelector(log)!.getBoundingClientRect().top : Number.NaN;
        },
        [LOG, before.id] as const,
      );
      worstShift = Math.max(worstShift, Math.abs(offset - before.offset));
      measured++;
    }
    assert.ok(measured > 0, 'at least one page was seen coming in');
    await chat.evaluate((log) => (document.querySelector(log)!.scrollTop = 0), LOG);
    await chat.waitForSelector('[data-testid="message"][data-message-id="u1"]');
    assert.equal((await chat.textContent('[data-message-id="u1"] [data-testid="message-body"]'))?.trim(), 'Question 1: what about item 1?');
    await chat.waitForFunction((id) => {
      const rect = document.querySelector(`[data-message-id="${id}"]`)!.getBoundingClientRect();
      const box = document.querySelector('[data-testid="messages"]')!.getBoundingClientRect();
      return rect.bottom > box.top && rect.top < box.bottom;
    }, 'u1');
    assert.equal(await chat.isVisible('[data-testid="load-older"]'), false, 'nothing older to load');
    assert.ok(worstShift <= 2, `the message at the top moved ${worstShift}px when a page came in above it`);
    const nodes = await domNodes(chat);
    const rendered = await chat.$$eval('[data-testid="message"]', (els) => els.length);
    console.log(`      all 2,000 loaded, at the top: ${nodes} DOM nodes, ${rendered} messages rendered; worst shift ${worstShift}px over ${measured} pages`);
    assert.ok(nodes < 5000, `${nodes} DOM nodes with every message loaded`);
  });

  it('renders messages again when scrolled back to them', async function () {
    const middle = await chat.evaluate((log) => {
      const box = document.querySelector(log)!;
      box.scrollTop = box.scrollHeight / 2;
      return box.scrollTop;
    }, LOG);
    assert.ok(middle > 0);
    await chat.waitForFunction((log) => {
      const box = document.querySelector(log)!.getBoundingClientRect();
      // The middle of the view shows a rendered message, not a spacer.
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit?.closest('[data-testid="message"]') !== null;
    }, LOG);
    assert.ok((await domNodes(chat)) < 5000);
  });

  it('sends a new prompt and follows its answer to the bottom', async function () {
    const text = Array.from({ length: 30 }, (_, i) => `Paragraph ${i + 1} of the newest answer, long enough to need some room.`).join('\n\n');
    server.enqueue(chatStream({ text, chunkSize: 40, delayMs: 5 }));
    const input = await chat.waitForSelector('[data-testid="chat-input"]');
    await input.fill('One more question');
    await input.press('Enter');
    await chat.waitForFunction(() => {
      const answers = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
      const last = answers[answers.length - 1];
      return last?.getAttribute('data-state') === 'done' && last.textContent?.includes('Paragraph 30 of the newest answer');
    }, undefined, { timeout: 30_000 });
    await chat.waitForFunction((log) => {
      const box = document.querySelector(log)!;
      return box.scrollHeight - box.clientHeight - box.scrollTop < 40;
    }, LOG);
    const lastId = await chat.evaluate(() => {
      const answers = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
      return answers[answers.length - 1]!.getAttribute('data-message-id')!;
    });
    assert.equal(await visible(chat, lastId), true, 'the new answer is on screen');
    const prompt = await chat.$$eval('[data-testid="message"][data-role="user"]', (els) => els.at(-1)?.textContent ?? '');
    assert.match(prompt, /One more question/);
    assert.ok((await domNodes(chat)) < 5000);
  });
});
