import { strict as assert } from 'node:assert';
import type { Frame } from 'playwright-core';
import { chatStream, startLlmServer, type LlmServer } from '../../src/local-llm';
import { ANSWERS, openChat, send, waitForAnswer } from './support/chat';
import { openWorkbench, type Workbench } from './support/workbench';

// Issue 14, item 5: code blocks are highlighted by highlight.js in a worker (its grammar compiles
// were the longest tasks of Rill's on the workbench's main thread), in the real workbench with the
// installed .vsix, under the chat's real CSP (`worker-src blob:`).

const TS = [
  'interface Point { x: number; y: number }',
  'export function norm(p: Point): number {',
  '  const s = "a < b && c > d"; // entities survive',
  '  return Math.sqrt(p.x * p.x + p.y * p.y);',
  '}',
].join('\n');
// Markup inside code is text: highlighting must not turn it into elements.
const PY = ['def greet(name):', '    return f"<img src=x onerror=alert(1)></span>{name}"'].join('\n');
const UNKNOWN = 'just some text in a language highlight.js does not know';
const TEXT = `Before the code.\n\n\`\`\`ts\n${TS}\n\`\`\`\n\nBetween.\n\n\`\`\`python\n${PY}\n\`\`\`\n\n\`\`\`klingon\n${UNKNOWN}\n\`\`\`\n\nAfter the code.`;

describe('code highlighting in a worker', function () {
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

  it('highlights each known language off the page thread, keeps every character, and builds no markup from code', async function () {
    server.enqueue(chatStream({ text: TEXT, chunkSize: 7, delayMs: 5 }));
    const n = await send(chat, 'Show me code');
    await waitForAnswer(chat, n, 'done', 30_000);
    const answer = chat.locator(ANSWERS).nth(n);
    await answer.locator('code.hljs').nth(1).waitFor({ timeout: 15_000 });

    const blocks = await answer.locator('pre > code').evaluateAll((codes) =>
      codes.map((code) => ({ text: code.textContent, hljs: code.classList.contains('hljs'), spans: code.querySelectorAll('span[class^="hljs-"]').length, other: code.querySelectorAll(':not(span)').length })),
    );
    assert.equal(blocks.length, 3);
    // (marked ends a fenced block's text with its newline)
    assert.deepEqual(blocks.map((b) => b.text), [`${TS}\n`, `${PY}\n`, `${UNKNOWN}\n`], 'every character of every block, in order');
    assert.ok(blocks[0]!.hljs && blocks[0]!.spans >= 5, `TypeScript highlighted: ${JSON.stringify(blocks[0])}`);
    assert.ok(blocks[1]!.hljs && blocks[1]!.spans >= 2, `Python highlighted: ${JSON.stringify(blocks[1])}`);
    assert.equal(blocks[2]!.spans, 0, 'an unknown language stays plain');
    assert.deepEqual(blocks.map((b) => b.other), [0, 0, 0], 'nothing but spans and text inside code');
    assert.equal(await answer.locator('img').count(), 0, 'the <img> in the Python string is text');
    const body = (await answer.locator('[data-testid="message-body"]').textContent()) ?? '';
    for (const prose of ['Before the code.', 'Between.', 'After the code.']) assert.ok(body.includes(prose), `${prose} kept`);

    // The highlighting worker (named by Rill) runs, started from a blob: URL. The browser's own list of
    // targets is asked: a webview's workers are not among the page's in Playwright.
    const cdp = await workbench.page.context().browser()!.newBrowserCDPSession();
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ type: string; url: string; title: string }> };
    await cdp.detach();
    const ours = targetInfos.filter((t) => t.type === 'worker' && t.title === 'rill-highlight');
    assert.equal(ours.length, 1, `one highlighting worker: ${JSON.stringify(targetInfos.filter((t) => t.type === 'worker'))}`);
    assert.match(ours[0]!.url, /^blob:/);
  });
});
