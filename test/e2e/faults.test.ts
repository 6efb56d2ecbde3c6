// Every row of the scenario catalogue in /work/shared/docs/wire-formats.md, driven through the real
// UI: the local server replays what the provider sends, a prompt goes in through the chat's
// composer, and the answer must end in the state and with the text the catalogue's last column
// asks for, within the idle timeout plus one second (plus whatever delay the row scripts), and the
// conversation must answer the next prompt normally. What each row must show is in fault-rows.ts.
import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chatStream, scenarios, startLlmServer, type LlmServer } from '../../src/local-llm';
import { ANSWERS, ROWS, watchProgress, type Row, type Shown } from './fault-rows';
import { openWorkbench, type Workbench } from './support/workbench';

const artifacts = join(__dirname, '..', '..', 'test-results', 'e2e');
/** `rill.request.idleTimeoutSeconds` in these workbenches. */
const IDLE_TIMEOUT_MS = 2_000;
/** No row may take longer than this beyond the delays it scripts itself. */
const BUDGET_MS = IDLE_TIMEOUT_MS + 1_000;
// The rows are the engine's: each provider quirk through a plain chat, tools off. Agent mode's own
// rows (tool calls in each provider's shape, servers that reject tools) are in agent*.test.ts.
const SETTINGS = {
  'rill.agent.enabled': false,
  'rill.provider': 'openai-compatible',
  'rill.model': 'rill-e2e',
  'rill.request.idleTimeoutSeconds': IDLE_TIMEOUT_MS / 1000,
  'rill.request.maxRetries': 2,
};

async function inspect(frame: Frame, n: number): Promise<Shown> {
  return frame.$$eval(
    ANSWERS,
    (els, i) => {
      const el = els[i];
      if (!el) throw new Error(`no answer #${i}`);
      const status = el.querySelector('[data-testid="message-status"]');
      const details = el.querySelector('[data-testid="message-reasoning"]');
      const progress = el.querySelector<HTMLElement>('[data-testid="message-progress"]');
      return {
        state: el.getAttribute('data-state') ?? undefined,
        body: el.querySelector('[data-testid="message-body"]')?.textContent ?? '',
        status: status?.textContent ?? undefined,
        statusElements: status?.childElementCount ?? 0,
        actions: [...el.querySelectorAll('[data-testid^="action-"]')].map((b) => b.getAttribute('data-testid')!.slice('action-'.length)),
        reasoning: details
          ? {
              tag: details.tagName.toLowerCase(),
              open: (details as HTMLDetailsElement).open,
              summary: details.querySelector('summary')?.textContent ?? '',
              text: details.querySelector('.reasoning-text')?.textContent ?? '',
            }
          : undefined,
        tools: [...el.querySelectorAll('[data-testid="tool-call"]')].map((t) => ({
          name: t.querySelector('.tool-name')?.textContent ?? '',
          args: t.querySelector('.tool-arguments')?.textContent ?? '',
        })),
        usage: el.querySelector('[data-testid="message-usage"]')?.textContent ?? undefined,
        progressVisible: !!progress && !progress.hidden,
        pageMarkup: el.querySelectorAll('h1, center, hr, title').length,
      };
    },
    n,
  );
}

/** Sends a prompt through the composer; returns the index its answer will have and when Enter went. */
async function send(frame: Frame, prompt: string): Promise<{ n: number; sentAt: number }> {
  const n = await frame.$$eval(ANSWERS, (els) => els.length);
  await frame.fill('[data-testid="chat-input"]', prompt);
  const sentAt = performance.now();
  await frame.press('[data-testid="chat-input"]', 'Enter');
  return { n, sentAt };
}

/** Waits until answer `n` exists and is final (any state but `streaming`); returns when it was seen so. */
async function waitForFinal(frame: Frame, n: number, timeoutMs = 15_000): Promise<number> {
  await frame.waitForFunction(
    ([selector, i]) => {
      const state = document.querySelectorAll(selector)[i]?.getAttribute('data-state');
      return state !== undefined && state !== null && state !== 'streaming';
    },
    [ANSWERS, n] as const,
    { timeout: timeoutMs, polling: 25 },
  );
  return performance.now();
}



const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

function assertShown(row: Row, shown: Shown): void {
  assert.equal(shown.state, row.state, `data-state (status: ${shown.status ?? 'none'})`);
  // Markdown renders the blank line between paragraphs as two <p>: compare the words, not the breaks.
  const body = words(shown.body);
  if (typeof row.body === 'string') assert.equal(body, words(row.body), 'the answer text');
  else assert.ok(body.length > 0 && words(row.body.prefixOf).startsWith(body), `a non-empty prefix of the sent text, got ${JSON.stringify(body)}`);
  if (row.status) {
    assert.ok(shown.status !== undefined, 'a status line');
    for (const pattern of row.status) assert.match(shown.status, pattern);
    assert.equal(shown.statusElements, 0, 'the status line is plain text');
  } else {
    assert.equal(shown.status, undefined, 'no status line');
  }
  assert.deepEqual(shown.actions, row.actions ?? [], 'action buttons');
}

/** The conversation still answers a normal prompt. */
async function assertUsable(frame: Frame, server: LlmServer, label: string): Promise<void> {
  const text = `Still usable after ${label}.`;
  server.enqueue(chatStream({ text, chunkSize: 6 }));
  const { n } = await send(frame, 'Are you still there?');
  await waitForFinal(frame, n);
  const shown = await inspect(frame, n);
  assert.equal(shown.state, 'done', `the next prompt is answered (status: ${shown.status ?? 'none'})`);
  assert.equal(shown.body.trim(), text);
}

/** Rill's log files (its output channel) under the workbench's user data, joined. */
function rillLog(workbench: Workbench): string {
  const logs = join(workbench.userDataDir(), 'logs');
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /(^|[/\\])rill\.rill[/\\]/.test(f))
    .filter((f) => statSync(join(logs, f)).isFile());
  return files.map((f) => readFileSync(join(logs, f), 'utf8')).join('\n');
}

async function screenshotOnFailure(context: Mocha.Context, workbench: Workbench | undefined): Promise<void> {
  const test = context.currentTest;
  if (test?.state !== 'failed' || !workbench) return;
  const name = test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  await workbench.screenshot(join(artifacts, `failed-faults-${name}.png`)).catch(() => undefined);
}

describe('faults: every catalogue row through the UI', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;
  const durations: string[] = [];

  before(async function () {
    mkdirSync(artifacts, { recursive: true });
    server = await startLlmServer();
    workbench = await openWorkbench({ settings: { ...SETTINGS, 'rill.baseUrl': server.url } });
    await workbench.runCommand('Rill: Open Chat');
    chat = await workbench.webviewFrame('[data-testid="chat-input"]');
    await watchProgress(chat);
  });

  afterEach(async function () {
    await screenshotOnFailure(this, workbench);
  });

  after(async function () {
    if (durations.length) console.log(`      send → final state, per row:\n${durations.map((d) => `        ${d}`).join('\n')}`);
    await workbench?.close();
    await server?.close();
  });

  for (const row of ROWS) {
    it(`row ${row.title}`, async function () {
      assert.equal(server.pending(), 0, 'no script left over from an earlier row');
      const firstRequest = server.requests.length;
      server.enqueue(...row.scripts());
      const { n, sentAt } = await send(chat, `Row ${row.title.split(' ')[0]}, please`);
      const finalAt = await waitForFinal(chat, n);
      const elapsed = finalAt - sentAt;
      durations.push(`${Math.round(elapsed)} ms  row ${row.title.slice(0, 70)}`);
      const shown = await inspect(chat, n);
      assertShown(row, shown);
      const budget = BUDGET_MS + (row.scriptedMs ?? 0);
      assert.ok(elapsed < budget, `final after ${Math.round(elapsed)} ms, more than ${budget} ms`);
      assert.equal(server.requests.length - firstRequest, row.requests, 'HTTP requests (retries included)');
      assert.equal(server.pending(), 0, 'every scripted response was asked for');
      if (row.clientCloses) {
        const closed = await server.waitForClose(firstRequest);
        assert.equal(closed.finishedNormally, false, 'Rill closed the request the server kept open');
      }
      await row.check?.({ frame: chat, server, n, firstRequest, shown, rillLog: () => rillLog(workbench) });
      await assertUsable(chat, server, `row ${row.title.split(' ')[0]}`);
    });
  }

  it('row 23 user stop before the response headers: "stopped", socket closed', async function () {
    const first = server.requests.length;
    server.enqueue(scenarios.stallBeforeHeaders());
    const { n } = await send(chat, 'Row 23, stop me before the headers');
    await server.waitForRequest(first);
    await chat.waitForSelector('[data-testid="stop"]:visible');
    const clickedAt = performance.now();
    await chat.click('[data-testid="stop"]');
    const finalAt = await waitForFinal(chat, n);
    const closed = await server.waitForClose(first);
    assert.ok(finalAt - clickedAt < BUDGET_MS, `stopped ${Math.round(finalAt - clickedAt)} ms after Stop`);
    assert.equal(closed.finishedNormally, false, 'the request was closed, not answered');
    assert.ok((closed.closedAt ?? Infinity) - clickedAt < 1_000, `socket closed ${Math.round((closed.closedAt ?? Infinity) - clickedAt)} ms after Stop`);
    const shown = await inspect(chat, n);
    assert.equal(shown.state, 'stopped');
    assert.equal(shown.body.trim(), '');
    assert.match(shown.status ?? '', /^Stopped\. The answer so far is kept\./);
    assert.equal(server.requests.length - first, 1, 'no retry after a stop');
    await assertUsable(chat, server, 'row 23 (before headers)');
  });

  it('row 23 user stop mid-stream: "stopped", partial kept, socket closed', async function () {
    const text = Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} of a long answer.`).join(' ');
    const first = server.requests.length;
    server.enqueue(scenarios.slowStream({ text }));
    const { n } = await send(chat, 'Row 23, stop me in the middle');
    await chat.waitForFunction(
      ([selector, i]) => (document.querySelectorAll(selector)[i]?.querySelector('[data-testid="message-body"]')?.textContent ?? '').length > 20,
      [ANSWERS, n] as const,
    );
    const clickedAt = performance.now();
    await chat.click('[data-testid="stop"]');
    const finalAt = await waitForFinal(chat, n);
    const closed = await server.waitForClose(first);
    assert.ok(finalAt - clickedAt < BUDGET_MS, `stopped ${Math.round(finalAt - clickedAt)} ms after Stop`);
    assert.equal(closed.finishedNormally, false, 'the server did not get to finish');
    assert.ok((closed.closedAt ?? Infinity) - clickedAt < 1_000, `socket closed ${Math.round((closed.closedAt ?? Infinity) - clickedAt)} ms after Stop`);
    const shown = await inspect(chat, n);
    assert.equal(shown.state, 'stopped');
    const partial = shown.body.trim();
    assert.ok(partial.length > 20 && text.startsWith(partial) && partial !== text, `a partial answer is kept: ${JSON.stringify(partial)}`);
    assert.match(shown.status ?? '', /^Stopped\. The answer so far is kept\./);
    await assertUsable(chat, server, 'row 23 (mid-stream)');
  });
});

describe('faults: row 22, connection refused', function () {
  let server: LlmServer | undefined;
  let workbench: Workbench;
  let chat: Frame;
  let url: string;
  let port: number;

  before(async function () {
    // A port that was just free: a server is started there and closed again.
    const probe = await startLlmServer();
    ({ url, port } = probe);
    await probe.close();
    workbench = await openWorkbench({ settings: { ...SETTINGS, 'rill.baseUrl': url } });
    await workbench.runCommand('Rill: Open Chat');
    chat = await workbench.webviewFrame('[data-testid="chat-input"]');
  });

  afterEach(async function () {
    await screenshotOnFailure(this, workbench);
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
  });

  it('row 22 connection refused: "is the server running at URL?", then answers once the server is up', async function () {
    const { n, sentAt } = await send(chat, 'Row 22, anyone there?');
    const finalAt = await waitForFinal(chat, n);
    const shown = await inspect(chat, n);
    assert.equal(shown.state, 'error');
    assert.equal(shown.body.trim(), '');
    assert.ok(
      shown.status?.startsWith(
        `Error: No server answered at ${url}. Rill expects a local server there (Ollama, LM Studio, vLLM or llama.cpp): is it running?`,
      ),
      shown.status,
    );
    assert.match(shown.status ?? '', new RegExp(`ECONNREFUSED.*127\\.0\\.0\\.1:${port}`));
    assert.deepEqual(shown.actions, ['retry', 'openSettings']);
    // Two retries with backoff (0.5 s and 1 s, less jitter) are the row's own delay.
    const budget = BUDGET_MS + 1_500;
    assert.ok(finalAt - sentAt < budget, `final after ${Math.round(finalAt - sentAt)} ms, more than ${budget} ms`);

    // The server comes up at that address: the same conversation answers, no reload needed.
    server = await startLlmServer({ port });
    await assertUsable(chat, server, 'row 22');
  });
});
