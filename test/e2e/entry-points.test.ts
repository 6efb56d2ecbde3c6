import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chatStream, startLlmServer, type LlmServer } from '../../src/local-llm';
import { ANSWERS, waitForAnswer } from './support/chat';
import { openWorkbench, type Workbench } from './support/workbench';

const SAMPLE = ['def greet(name):', '    """Say hello."""', '    message = f"Hello, {name}!"', '    return message', '', 'print(greet("Rill"))', ''].join('\n');

/**
 * Waits for a notification containing `text` and returns its message. VS Code shows it as a toast,
 * or only in the notification center (e.g. while the Welcome page has focus): wherever it is.
 */
async function toast(workbench: Workbench, text: string, timeout = 5_000, lookInCenter = true): Promise<string> {
  const message = workbench.page.locator('.notification-list-item-message').filter({ hasText: text }).first();
  try {
    await message.waitFor({ state: 'attached', timeout });
  } catch (error) {
    if (!lookInCenter) throw error;
    await workbench.runCommand('Notifications: Show Notifications');
    try {
      await message.waitFor({ state: 'attached', timeout: 10_000 });
    } catch (error) {
      const center = await workbench.page.evaluate(() =>
        [...document.querySelectorAll('.notifications-center .monaco-list-row')].map((row) => row.getAttribute('aria-label')).join(' | '),
      );
      throw new Error(`no notification with "${text}"; the notification center holds: ${center}`, { cause: error });
    }
  }
  return ((await message.textContent()) ?? '').trim();
}

async function answerCount(frame: Frame): Promise<number> {
  return frame.$$eval(ANSWERS, (els) => els.length);
}

describe('entry points: palette, editor, keyboard, walkthrough', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let sidebar: Frame;
  const folder = mkdtempSync(join(tmpdir(), 'rill-e2e-entry-'));
  writeFileSync(join(folder, 'greet.py'), SAMPLE);

  before(async function () {
    server = await startLlmServer({ demoDelayMs: 1 });
    workbench = await openWorkbench({
      folder,
      settings: { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-demo' },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = (this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60));
      await workbench?.screenshot(join(__dirname, '..', '..', 'test-results', 'e2e', `failed-${name}.png`));
    }
  });

  after(async function () {
    await workbench?.close();
    await server?.close().catch(() => undefined); // the last test already closed it
    rmSync(folder, { recursive: true, force: true });
  });

  it('Rill: Ask... from the command palette streams into the sidebar chat', async function () {
    server.enqueue(chatStream({ text: 'Use a list comprehension.', chunkSize: 4, delayMs: 5 }));
    await workbench.runCommand('Rill: Ask...');
    const input = workbench.page.locator('.quick-input-widget input');
    await input.fill('How do I filter a list in Python?');
    await input.press('Enter');
    sidebar = await workbench.webviewFrame('[data-testid="message"]');
    await waitForAnswer(sidebar, 0, 'done');
    assert.equal((await sidebar.textContent(`${ANSWERS} [data-testid="message-body"]`))?.trim(), 'Use a list comprehension.');
    // The sidebar, not an editor panel: Rill's view container is the open one, and no editor tab opened.
    assert.equal(await workbench.page.locator('.part.sidebar .composite.title', { hasText: /Rill/i }).count(), 1);
    assert.equal(await workbench.page.locator('.tabs-container .tab', { hasText: 'Rill' }).count(), 0);
    assert.deepEqual(server.requests.at(-1)?.body.messages?.at(-1), { role: 'user', content: 'How do I filter a list in Python?' });
  });

  it('Explain Selection from the editor context menu sends the code, file name and language', async function () {
    // VS Code's own Open File dialog starts in the workspace folder and lists its files.
    await workbench.runCommand('File: Open File...');
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'greet.py' }).click();
    await workbench.page.locator('.tabs-container .tab', { hasText: 'greet.py' }).waitFor();
    const editor = workbench.page.locator('.monaco-editor .view-lines').first();
    await editor.waitFor();
    await editor.click();
    await workbench.page.keyboard.press('Control+Home');
    for (let i = 0; i < 4; i++) await workbench.page.keyboard.press('Shift+ArrowDown');

    server.enqueue(chatStream({ text: 'It builds a greeting and returns it.', chunkSize: 4, delayMs: 5 }));
    const before = server.requests.length;
    const n = await answerCount(sidebar);
    await editor.click({ button: 'right', position: { x: 40, y: 10 } });
    // Context menus show commands without their category, and ignore a click that comes too soon
    // after they open.
    const item = workbench.page.locator('.context-view .action-label', { hasText: 'Explain Selection' });
    await item.hover();
    await new Promise((r) => setTimeout(r, 300));
    await item.click();
    await waitForAnswer(sidebar, n, 'done');

    const received = server.requests[before]?.body.messages ?? [];
    const prompt = String((received.at(-1) as { content?: unknown } | undefined)?.content ?? '');
    assert.match(prompt, /greet\.py/);
    assert.match(prompt, /python/);
    assert.match(prompt, /lines 1-4/);
    assert.ok(prompt.includes('def greet(name):\n    """Say hello."""\n    message = f"Hello, {name}!"\n    return message'), prompt);
  });

  it('Escape in the editor stops a streaming answer', async function () {
    const text = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    server.enqueue(chatStream({ text, chunkSize: 4, delayMs: 50 }));
    const n = await answerCount(sidebar);
    await workbench.runCommand('Rill: Ask...');
    const input = workbench.page.locator('.quick-input-widget input');
    await input.fill('Tell me a long story');
    await input.press('Enter');
    await sidebar.waitForFunction(
      ([selector, i]) => (document.querySelectorAll(selector)[i]?.textContent ?? '').length > 20,
      [`${ANSWERS} [data-testid="message-body"]`, n] as const,
    );
    await workbench.page.locator('.monaco-editor .view-lines').first().click();
    const closing = server.requests.length - 1;
    await workbench.page.keyboard.press('Escape');
    await waitForAnswer(sidebar, n, 'stopped');
    assert.equal((await server.waitForClose(closing)).finishedNormally, false);
  });

  it("the walkthrough's connection check reports success, then a clear failure on a closed port", async function () {
    await workbench.runCommand('Welcome: Open Walkthrough...');
    const pick = workbench.page.locator('.quick-input-widget input');
    await pick.fill('Get started with Rill');
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Rill' }).first().click();
    // A completed step hands over to the next one: open the step each time before its button.
    const check = async () => {
      await workbench.page.locator('.getting-started-step', { hasText: 'Check the connection' }).first().click();
      await workbench.page.locator('.getting-started-step.expanded a, .getting-started-step.expanded button', { hasText: 'Check Connection' }).first().click();
    };
    await check();
    assert.equal(await toast(workbench, 'connected to'), `Rill: connected to ${server.url}; models available: 1.`);

    // The same address with nothing listening: the configured server stops.
    const closedUrl = server.url;
    await server.close();
    await check();
    // Errors always show as toasts.
    const failure = await toast(workbench, 'No server answered', 10_000, false);
    assert.equal(
      failure,
      `No server answered at ${closedUrl}. Rill expects a local server there (Ollama, LM Studio, vLLM or llama.cpp): is it running? Server: ECONNREFUSED: connect ECONNREFUSED ${closedUrl.replace(/^http:\/\/|\/v1$/g, '')}`,
    );
  });
});
