// Every row of the scenario catalogue in /work/shared/docs/wire-formats.md, driven through the real
// UI: the local server replays what the provider sends, a prompt goes in through the chat's
// composer, and the answer must end in the state and with the text the catalogue's last column
// asks for, within the idle timeout plus one second (plus whatever delay the row scripts), and the
// conversation must answer the next prompt normally.
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import {
  chatStream,
  estimateTokens,
  MULTIBYTE_TEXT,
  PARTIAL_TEXT,
  SAMPLE_TEXT,
  scenarios,
  startLlmServer,
  type LlmServer,
  type Script,
} from '../../src/local-llm';
import { openWorkbench, type Workbench } from './support/workbench';

const artifacts = join(__dirname, '..', '..', 'test-results', 'e2e');
const ANSWERS = '[data-testid="message"][data-role="assistant"]';
/** `rill.request.idleTimeoutSeconds` in these workbenches. */
const IDLE_TIMEOUT_MS = 2_000;
/** No row may take longer than this beyond the delays it scripts itself. */
const BUDGET_MS = IDLE_TIMEOUT_MS + 1_000;
const SETTINGS = {
  'rill.provider': 'openai-compatible',
  'rill.model': 'rill-e2e',
  'rill.request.idleTimeoutSeconds': IDLE_TIMEOUT_MS / 1000,
  'rill.request.maxRetries': 2,
};

/** What an answer shows, read in one go. */
interface Shown {
  state: string | undefined;
  body: string;
  status: string | undefined;
  /** Element children inside the status line (an HTML error page must never become markup). */
  statusElements: number;
  actions: string[];
  reasoning?: { tag: string; open: boolean; summary: string; text: string };
  tools: Array<{ name: string; args: string }>;
  usage: string | undefined;
  progressVisible: boolean;
  /** Tags inside the answer that only an HTML error page would bring. */
  pageMarkup: number;
}

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

/** Records every progress line ("Retrying in 1 s: …") any answer shows, as the DOM changes. */
async function watchProgress(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { rillProgress: string[] }).rillProgress = seen;
    const log = document.querySelector('[data-testid="messages"]');
    if (!log) throw new Error('no message log');
    new MutationObserver(() => {
      for (const line of log.querySelectorAll<HTMLElement>('[data-testid="message-progress"]')) {
        const text = line.textContent ?? '';
        if (!line.hidden && text && seen[seen.length - 1] !== text) seen.push(text);
      }
    }).observe(log, { childList: true, subtree: true, characterData: true, attributes: true });
  });
}

const progressSeen = (frame: Frame) => frame.evaluate(() => [...(window as unknown as { rillProgress: string[] }).rillProgress]);

interface Context {
  frame: Frame;
  server: LlmServer;
  n: number;
  /** Index in `server.requests` of the row's first request. */
  firstRequest: number;
  shown: Shown;
}

interface Row {
  /** Catalogue row number and what the server does. */
  title: string;
  scripts: () => Script[];
  /** The final `data-state`. */
  state: 'done' | 'stopped' | 'error' | 'truncated';
  /** The answer's exact text (trimmed), or "a non-empty prefix of". */
  body: string | { prefixOf: string };
  /** Every pattern must match the status line; absent: there must be no status line. */
  status?: RegExp[];
  /** The action buttons, in order. */
  actions?: string[];
  /** HTTP requests the row makes (retries included). */
  requests: number;
  /** Delays the row scripts itself (retry waits), added to the time budget. */
  scriptedMs?: number;
  /** The server must see the client close its request before the response ended (stalls, held sockets). */
  clientCloses?: boolean;
  check?: (context: Context) => Promise<void>;
}

const TOOL_ARGS = [
  { name: 'Tool call: get_weather', args: '{"location":"Paris","unit":"celsius"}' },
  { name: 'Tool call: get_time', args: '{"timezone":"Europe/Paris"}' },
];
const REASONING = 'The user greets me. A short, friendly answer fits.';
const CONTENT_FILTERED_TEXT = 'Here is a story that takes a dark turn when';
const LENGTH_TEXT = 'Here are the first steps: 1. Open the file. 2. Find the';
const REFUSAL_TEXT = "I'm sorry, but I can't help with that.";
const SAMPLE_USAGE = `12 prompt + ${estimateTokens(SAMPLE_TEXT)} answer tokens`;
const times = (count: number, make: () => Script): Script[] => Array.from({ length: count }, make);

const ROWS: Row[] = [
  {
    title: '1 normal stream with a usage chunk: the answer and its token counts',
    scripts: () => [scenarios.normal()],
    state: 'done',
    body: SAMPLE_TEXT,
    requests: 1,
    check: async ({ shown }) => assert.ok(shown.usage?.startsWith(SAMPLE_USAGE), `token counts: ${shown.usage}`),
  },
  {
    title: '2 mixed \\r\\n / \\r / \\n delimiters and data: without a space: same as row 1',
    scripts: () => [scenarios.mixedLineEndings()],
    state: 'done',
    body: SAMPLE_TEXT,
    requests: 1,
    check: async ({ shown }) => assert.ok(shown.usage?.startsWith(SAMPLE_USAGE), `token counts: ${shown.usage}`),
  },
  {
    title: '3 keep-alive comments before and between chunks: same as row 1',
    scripts: () => [scenarios.keepAlive()],
    state: 'done',
    body: SAMPLE_TEXT,
    requests: 1,
    check: async ({ shown }) => assert.ok(shown.usage?.startsWith(SAMPLE_USAGE), `token counts: ${shown.usage}`),
  },
  {
    title: '4 Japanese and emoji written one byte per write: the exact text',
    scripts: () => [scenarios.byteByByte()],
    state: 'done',
    body: MULTIBYTE_TEXT,
    requests: 1,
    // Some 3,900 one-byte writes, each waiting for a turn of the server's event loop (the server
    // shares this process with the test's Playwright client): pacing the row itself scripts.
    scriptedMs: 1_500,
  },
  {
    title: '5 event: error without an error key: partial text and an error',
    scripts: () => [scenarios.eventErrorWithoutErrorKey()],
    state: 'error',
    body: PARTIAL_TEXT,
    status: [/^Error: The server reported an error in the middle of the answer\./, /Server: The model crashed while generating\./],
    actions: ['retry'],
    requests: 1,
  },
  {
    title: '6 data: {"error"} mid-stream (OpenAI): partial text and an error',
    scripts: () => [scenarios.midStreamDataError('openai')],
    state: 'error',
    body: PARTIAL_TEXT,
    status: [/^Error: The server reported an error in the middle of the answer\./, /Server: The server had an error while processing your request\./],
    actions: ['retry'],
    requests: 1,
  },
  {
    title: '6 data: {"error"} mid-stream (OpenRouter, numeric code): partial text and an error',
    scripts: () => [scenarios.midStreamDataError('openrouter')],
    state: 'error',
    body: PARTIAL_TEXT,
    status: [/^Error: The server reported an error in the middle of the answer\./, /Server: Provider returned error/],
    actions: ['retry'],
    requests: 1,
  },
  {
    title: '6 data: {"error"} mid-stream then [DONE] (vLLM): partial text and an error',
    scripts: () => [scenarios.midStreamDataError('vllm')],
    state: 'error',
    body: PARTIAL_TEXT,
    status: [/^Error: The server reported an error in the middle of the answer\./, /Server: CUDA out of memory while generating\./],
    actions: ['retry'],
    requests: 1,
  },
  {
    title: '7 llama.cpp error: field then [DONE]: an error, not a blank answer',
    scripts: () => [scenarios.llamaCppErrorField()],
    state: 'error',
    body: '',
    status: [/^Error: The server ended the response without any answer\./],
    actions: ['retry'],
    requests: 1,
  },
  {
    title: '8 close without [DONE] or finish_reason: "truncated" with Retry, and Retry answers',
    scripts: () => [scenarios.closeWithoutDone()],
    state: 'truncated',
    body: PARTIAL_TEXT,
    status: [/^Incomplete: The server closed the stream before the answer was finished\./],
    actions: ['retry'],
    requests: 1,
    check: async ({ frame, server, n }) => {
      server.enqueue(chatStream({ text: 'The whole answer, this time.' }));
      await frame.click(`${ANSWERS} >> nth=${n} >> [data-testid="action-retry"]`);
      await frame.waitForFunction(
        ([selector, i]) => {
          const el = document.querySelectorAll(selector)[i];
          return el?.getAttribute('data-state') === 'done' && el.querySelector('[data-testid="message-body"]')?.textContent?.trim() === 'The whole answer, this time.';
        },
        [ANSWERS, n] as const,
        { timeout: 15_000 },
      );
      assert.equal(await frame.$$eval(ANSWERS, (els) => els.length), n + 1, 'Retry replaces the answer, it does not add one');
    },
  },
  {
    title: '9 socket reset mid-stream: partial text and an error',
    scripts: () => [scenarios.socketReset()],
    state: 'error',
    body: PARTIAL_TEXT,
    status: [/^Error: The connection to http:\/\/127\.0\.0\.1:\d+\/v1 dropped in the middle of the answer\./],
    actions: ['retry'],
    requests: 1,
  },
  {
    title: '10 [DONE] then the socket held open: ends promptly',
    scripts: () => [scenarios.doneThenHoldOpen()],
    state: 'done',
    body: SAMPLE_TEXT,
    requests: 1,
    // Rill lets go of the connection the server holds open, rather than leaking it.
    clientCloses: true,
  },
  {
    title: '11 last event without a trailing blank line: the full answer',
    scripts: () => [scenarios.noTrailingBlankLine()],
    state: 'done',
    body: SAMPLE_TEXT,
    requests: 1,
  },
  {
    title: '12 Azure prompt-filter first chunk and annotation chunks without delta: the answer, no crash',
    scripts: () => [scenarios.azureFilters()],
    state: 'done',
    body: SAMPLE_TEXT,
    requests: 1,
  },
  {
    title: '13 Azure finish_reason content_filter after text: the text and a filtered notice',
    scripts: () => [scenarios.azureContentFilterFinish()],
    state: 'truncated',
    body: CONTENT_FILTERED_TEXT,
    status: [/^Incomplete: The provider's content filter stopped this answer; the text above may be incomplete\./],
    actions: [],
    requests: 1,
  },
  {
    title: '14 tool calls in fragments: reassembled tool steps',
    scripts: () => [scenarios.toolCalls('fragmented')],
    state: 'done',
    body: '',
    requests: 1,
    check: async ({ shown }) => assert.deepEqual(shown.tools, TOOL_ARGS),
  },
  {
    title: '14 whole tool calls in one delta each (Ollama): tool steps',
    scripts: () => [scenarios.toolCalls('whole')],
    state: 'done',
    body: '',
    requests: 1,
    check: async ({ shown }) => assert.deepEqual(shown.tools, TOOL_ARGS),
  },
  {
    title: '15 reasoning_content deltas: reasoning shown apart, collapsed',
    scripts: () => [scenarios.reasoning('reasoning_content')],
    state: 'done',
    body: 'Hello! How can I help?',
    requests: 1,
    check: async ({ shown }) => assert.deepEqual(shown.reasoning, { tag: 'details', open: false, summary: 'Reasoning', text: REASONING }),
  },
  {
    title: '15 reasoning deltas (Ollama, vLLM): reasoning shown apart, collapsed',
    scripts: () => [scenarios.reasoning('reasoning')],
    state: 'done',
    body: 'Hello! How can I help?',
    requests: 1,
    check: async ({ shown }) => assert.deepEqual(shown.reasoning, { tag: 'details', open: false, summary: 'Reasoning', text: REASONING }),
  },
  {
    title: '16 429 with retry-after twice, then 200: "retrying", then the answer',
    scripts: () => scenarios.rateLimitThenOk({ failures: 2, retryAfterMs: 250 }),
    state: 'done',
    body: SAMPLE_TEXT,
    requests: 3,
    scriptedMs: 500,
    check: async ({ frame, shown }) => {
      const seen = await progressSeen(frame);
      assert.ok(
        seen.some((line) => /^Retrying in 1 s: The provider's rate limit was reached \(HTTP 429\)\./.test(line)),
        `a "retrying" line was shown; saw ${JSON.stringify(seen)}`,
      );
      assert.equal(shown.progressVisible, false, 'the retry line goes away');
    },
  },
  {
    title: '17 429 insufficient_quota with x-should-retry: false: the quota message at once',
    scripts: () => [scenarios.insufficientQuota()],
    state: 'error',
    body: '',
    status: [/^Error: The account has no quota or credit left \(HTTP 429\)\. Check the plan and billing with the provider; waiting will not help\./, /Server: You exceeded your current quota/],
    actions: ['openSettings'],
    requests: 1,
  },
  {
    title: '18 500 every time: the server error as text after three attempts',
    scripts: () => times(3, () => scenarios.serverError500({ retryAfterMs: 1 })),
    state: 'error',
    body: '',
    status: [/^Error: The model server failed \(HTTP 500\)\. Server: The server had an error while processing your request\. Sorry about that!/],
    actions: ['retry'],
    requests: 3,
    scriptedMs: 2,
  },
  {
    title: '18 503 with an nginx HTML page every time: the page shown as text, never as markup',
    scripts: () => times(3, () => scenarios.html503(503, { 'retry-after-ms': '1' })),
    state: 'error',
    body: '',
    status: [/^Error: The model server failed \(HTTP 503\)\. Server: 503 Service Temporarily Unavailable/, /nginx/],
    actions: ['retry'],
    requests: 3,
    scriptedMs: 2,
    check: async ({ shown }) => {
      assert.doesNotMatch(shown.status ?? '', /[<>]/, 'no tags in the status text');
      assert.equal(shown.pageMarkup, 0, 'no element of the HTML page in the answer');
    },
  },
  {
    title: '19 400 context_length_exceeded: actionable message with Trim and Retry',
    scripts: () => [scenarios.contextTooLong()],
    state: 'error',
    body: '',
    status: [/^Error: The conversation is longer than the model's context window\. Trim the oldest turns and try again\./],
    actions: ['trimAndRetry'],
    requests: 1,
  },
  {
    title: '19 401 invalid_api_key: actionable message with Set API Key',
    scripts: () => [scenarios.unauthorized()],
    state: 'error',
    body: '',
    status: [/^Error: The server refused the API key \(HTTP 401\)\. Set a valid key with "Rill: Set API Key"\./],
    actions: ['setApiKey'],
    requests: 1,
  },
  {
    title: '19 403 permission denied: actionable message',
    scripts: () => [scenarios.forbidden()],
    state: 'error',
    body: '',
    status: [/^Error: The API key has no access to this model or endpoint \(HTTP 403\)\./],
    actions: ['setApiKey', 'openSettings'],
    requests: 1,
  },
  {
    title: '19 404 model_not_found: actionable message with Select Model',
    scripts: () => [scenarios.modelNotFound('rill-e2e')],
    state: 'error',
    body: '',
    status: [/^Error: The model "rill-e2e" does not exist on http:\/\/127\.0\.0\.1:\d+\/v1\. Pick one with "Rill: Select Model"\./],
    actions: ['selectModel'],
    requests: 1,
  },
  {
    title: '19 404 Ollama model not pulled: actionable message with Select Model',
    scripts: () => [scenarios.modelNotFound('rill-e2e', 'ollama')],
    state: 'error',
    body: '',
    status: [/^Error: The model "rill-e2e" does not exist on /, /Server: model "rill-e2e" not found, try pulling it first/],
    actions: ['selectModel'],
    requests: 1,
  },
  {
    title: '19 400 Azure prompt filtered: the filter message',
    scripts: () => [scenarios.azurePromptFiltered()],
    state: 'error',
    body: '',
    status: [/^Error: The provider's content filter rejected the prompt\./],
    actions: [],
    requests: 1,
  },
  {
    title: '20 no headers at all: idle-timeout error within the idle timeout + 1 s',
    scripts: () => [scenarios.stallBeforeHeaders()],
    state: 'error',
    body: '',
    status: [/^Error: The server sent nothing for 2 s, so Rill stopped waiting \(rill\.request\.idleTimeoutSeconds\)\./],
    actions: ['retry'],
    requests: 1,
    clientCloses: true,
  },
  {
    title: '20 headers and a few chunks, then a stall: idle-timeout error, partial text kept',
    scripts: () => [scenarios.stallMidStream({ afterWrites: 3 })],
    state: 'error',
    body: { prefixOf: SAMPLE_TEXT },
    status: [/^Error: The server sent nothing for 2 s, so Rill stopped waiting \(rill\.request\.idleTimeoutSeconds\)\./],
    actions: ['retry'],
    requests: 1,
    clientCloses: true,
  },
  {
    title: '20 a pause shorter than the idle timeout: no false alarm, the full answer',
    scripts: () => [scenarios.stallMidStream({ afterWrites: 3, resumeAfterMs: 1_200 })],
    state: 'done',
    body: SAMPLE_TEXT,
    requests: 1,
    scriptedMs: 1_200,
  },
  {
    // The catalogue allows the JSON answer or a clear error: Rill gives the error.
    title: '21 200 application/json body to a streaming request: a clear error, not a blank answer',
    scripts: () => [scenarios.jsonBodyToStream()],
    state: 'error',
    body: '',
    status: [/^Error: The server answered without streaming \(application\/json\); it may not support streamed chat completions\./],
    actions: ['retry'],
    requests: 1,
  },
  {
    title: '24 finish_reason length: "cut off" with Continue',
    scripts: () => [scenarios.lengthFinish()],
    state: 'truncated',
    body: LENGTH_TEXT,
    status: [/^Incomplete: The answer reached the token limit and was cut off\. Continue to get the rest\./],
    actions: ['continue'],
    requests: 1,
  },
  {
    title: '25 refusal deltas: the refusal text',
    scripts: () => [scenarios.refusal()],
    state: 'done',
    body: REFUSAL_TEXT,
    requests: 1,
  },
];


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
      await row.check?.({ frame: chat, server, n, firstRequest, shown });
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
