import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { parseRecording } from '../../src/core/recording';
import { chatStream, replayScripts, scenarios, startLlmServer, type LlmServer, type Script } from '../../src/local-llm';
import { answer, openChat, send, waitForAnswer } from './support/chat';
import { openWorkbench, type Workbench } from './support/workbench';

const artifacts = join(__dirname, '..', '..', 'test-results', 'e2e');

/**
 * Issue 15, record and replay: an answer streamed from the local server in the real workbench is
 * saved with Rill: Save Stream Recording (through VS Code's own save dialog), the file is replayed
 * by the local server, and the replayed answer ends with the same text and state.
 */
describe('stream recording: save, replay, same answer', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;
  let folder: string;

  before(async function () {
    this.timeout(600_000); // packaging the .vsix when the sources changed, a loaded machine
    folder = mkdtempSync(join(tmpdir(), 'rill-recording-'));
    server = await startLlmServer();
    workbench = await openWorkbench({
      folder,
      loadTimeoutMs: 120_000,
      // A .vsix packaged beforehand (default: dist/rill.vsix, packaged again when stale).
      ...(process.env.RILL_E2E_VSIX ? { vsix: process.env.RILL_E2E_VSIX } : {}),
      settings: { 'rill.agent.enabled': false, 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-e2e' },
    });
    chat = await openChat(workbench, 4);
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** Runs the command and accepts the save dialog's proposed file; returns that file's path. */
  async function saveRecording(): Promise<string> {
    const before = new Set(readdirSync(folder));
    await workbench.runCommand('Rill: Save Stream Recording');
    const input = workbench.page.locator('.quick-input-widget .quick-input-box input').first();
    // VS Code's (simple) save dialog proposes <workspace>/rill-stream-<date>.jsonl.
    await workbench.page.waitForFunction(() => /rill-stream-[^/]*\.jsonl$/.test((document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value ?? ''), undefined, { timeout: 15_000 });
    await input.press('Enter');
    const deadline = Date.now() + 15_000;
    for (;;) {
      const added = readdirSync(folder).filter((name) => !before.has(name) && /^rill-stream-.*\.jsonl$/.test(name));
      if (added[0]) {
        const file = join(folder, added[0]);
        // Written in one go by workspace.fs: wait until it parses.
        try {
          parseRecording(readFileSync(file, 'utf8'));
          return file;
        } catch {
          /* still being written */
        }
      }
      if (Date.now() > deadline) throw new Error(`no recording appeared in ${folder}: ${readdirSync(folder).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const cases: Array<{ name: string; script: Script; state: string }> = [
    {
      name: 'a Markdown answer streamed in 40 chunks, finish stop',
      script: chatStream({ chunks: Array.from({ length: 40 }, (_, i) => (i % 8 === 7 ? `item ${i}\n\n` : `- word${i} `)), delayMs: 15, usage: true }),
      state: 'done',
    },
    { name: 'an answer cut by the token limit (finish length)', script: scenarios.lengthFinish({ delayMs: 10 }), state: 'truncated' },
  ];

  for (const { name, script, state } of cases) {
    it(`${name}: the replayed recording ends with the same text and state`, async function () {
      server.enqueue(script);
      const first = await send(chat, `Record: ${name}`);
      await waitForAnswer(chat, first, state, 30_000);
      const original = await answer(chat, first);

      const file = await saveRecording();
      const text = readFileSync(file, 'utf8');
      const recording = parseRecording(text);
      assert.equal(recording.exchanges.length, 1);
      const exchange = recording.exchanges[0]!;
      assert.equal(exchange.response?.status, 200);
      assert.ok(exchange.chunks.length > 1, 'the chunks as they arrived');
      // openai 7.x returns at `[DONE]` and cancels the body, often before the server's close arrives.
      assert.ok(exchange.end?.how === 'end' || exchange.end?.how === 'cancel', `ended: ${exchange.end?.how}`);
      assert.ok(exchange.events.length > 3, 'SSE events marked');
      assert.match(exchange.request.body ?? '', /Record: /, 'the request body as sent');
      assert.ok(!/Bearer\s+[^[]/.test(JSON.stringify(exchange.request.headers)), 'no credential in the saved headers');

      server.enqueue(...replayScripts(text));
      const replayed = await send(chat, `Replay: ${name}`);
      await waitForAnswer(chat, replayed, state, 30_000);
      const again = await answer(chat, replayed);
      assert.equal(again.text, original.text);
      assert.equal(again.state, original.state);
      assert.equal(server.pending(), 0);
      await workbench.screenshot(join(artifacts, `recording-${state}.png`));
    });
  }
});
