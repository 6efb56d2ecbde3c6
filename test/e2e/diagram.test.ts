import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chatStream, scenarios, startLlmServer, type LlmServer } from '../../src/local-llm';
import { ANSWERS, send, waitForAnswer } from './support/chat';
import { openWorkbench, type Workbench } from './support/workbench';

const artifacts = join(__dirname, '..', '..', 'test-results', 'e2e');

describe('streaming flow diagrams of real requests', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;

  before(async function () {
    server = await startLlmServer();
    // Tools off: these are plain requests' diagrams; agent rounds are drawn by the golden tests.
    workbench = await openWorkbench({ settings: { 'rill.agent.enabled': false, 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-e2e' } });
    await workbench.runCommand('Rill: Open Chat');
    chat = await workbench.webviewFrame('[data-testid="chat-input"]');
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
  });

  /** Opens answer n's diagram through its action and returns the diagram view's frame, once drawn. */
  async function openDiagram(n: number): Promise<{ frame: Frame; source: string }> {
    await chat.locator(ANSWERS).nth(n).hover();
    await chat.locator(ANSWERS).nth(n).locator('[data-testid="show-diagram"]').click();
    const frame = await workbench.webviewFrame('[data-testid="diagram-drawing"] svg', 30_000);
    const source = (await frame.textContent('[data-testid="diagram-source"]')) ?? '';
    return { frame, source };
  }

  it('draws a finished request with the four participants, its chunk count and finish', async function () {
    const pieces = Array.from({ length: 12 }, (_, i) => `part${i} `);
    server.enqueue(chatStream({ chunks: pieces, delayMs: 20, usage: true }));
    const n = await send(chat, 'Draw me');
    await waitForAnswer(chat, n, 'done');
    const { frame, source } = await openDiagram(n);
    const drawn = (await frame.textContent('[data-testid="diagram-drawing"] svg')) ?? '';
    for (const participant of ['User', 'Webview (frontend)', 'Extension Host (backend)', 'LLM API']) {
      assert.ok(drawn.includes(participant), `the drawing shows ${participant}`);
    }
    assert.match(source, new RegExp(`loop answer \\(delta\\.content\\): 12 chunks, ${pieces.join("").length} chars`));
    assert.match(source, /finish_reason: "stop"/);
    // Mermaid source escapes the host's colon as #58;
    assert.ok(source.includes(`POST /v1/chat/completions (127.0.0.1#58;${server.port})`), 'the real call, host and path');
    assert.match(source, /data: \[DONE\]/);
    assert.match(source, /first paint at/);
    assert.equal((await frame.textContent('[data-testid="diagram-status"]'))?.trim(), '', 'Mermaid drew it without error');
    await workbench.screenshot(join(artifacts, 'diagram.png'));
    await workbench.runCommand('View: Close Editor');
  });

  it('counts the messages that reached the webview, merged while one was in flight', async function () {
    const pieces = Array.from({ length: 600 }, (_, i) => `w${i} `);
    server.enqueue(chatStream({ chunks: pieces, delayMs: 1 }));
    await chat.evaluate(() => {
      const state = { appends: 0, text: '' };
      (window as unknown as { rillAppends: typeof state }).rillAppends = state;
      window.addEventListener('message', (event: MessageEvent<{ type?: string; text?: string }>) => {
        if (event.data?.type !== 'textAppended') return;
        state.appends++;
        state.text += event.data.text ?? '';
      });
    });
    const n = await send(chat, 'Fast, please');
    await waitForAnswer(chat, n, 'done');
    const { appends, text } = await chat.evaluate(() => (window as unknown as { rillAppends: { appends: number; text: string } }).rillAppends);
    assert.equal(text, pieces.join(''), 'every piece arrived once, in order');
    const { source } = await openDiagram(n);
    assert.match(source, /loop answer \(delta\.content\): 600 chunks/);
    // The diagram counts what crossed to the webview, not the host's own flushes.
    assert.ok(source.includes(`postMessage({type: 'textAppended'}) ×${appends}`), `×${appends} expected in:\n${source}`);
    await workbench.runCommand('View: Close Editor');
  });

  it('draws a stopped request with its break branch', async function () {
    server.enqueue(scenarios.slowStream());
    const n = await send(chat, 'Stop me');
    await chat.waitForFunction(([s, i]) => (document.querySelectorAll(s)[i]?.textContent ?? '').length > 20, [`${ANSWERS} [data-testid="message-body"]`, n] as const);
    await chat.click('[data-testid="stop"]');
    await waitForAnswer(chat, n, 'stopped');
    const { source } = await openDiagram(n);
    assert.match(source, /break stopped by the user/);
    assert.match(source, /AbortController\.abort\(\)/);
    await workbench.runCommand('View: Close Editor');
  });

  it('draws a failed request with its error branch and status', async function () {
    server.enqueue(scenarios.unauthorized());
    const n = await send(chat, 'Fail me');
    await waitForAnswer(chat, n, 'error');
    const { source } = await openDiagram(n);
    assert.match(source, /HTTP 401/);
    assert.match(source, /(alt|break) /);
    await workbench.runCommand('View: Close Editor');
  });

  it('returns the Mermaid text of the last request when run as a command', async function () {
    await workbench.runCommand('Rill: Show Streaming Flow Diagram');
    const frame = await workbench.webviewFrame('[data-testid="diagram-drawing"] svg', 30_000);
    assert.match((await frame.textContent('[data-testid="diagram-source"]')) ?? '', /^sequenceDiagram/);
  });
});
