// What every row of the scenario catalogue in /work/shared/docs/wire-formats.md must show in the
// chat, as data: the scripts the local server plays, the final state, text, status line, buttons
// and any further check. faults.test.ts drives each row through the real UI; this file is only
// the "what", so that a new row is one entry here.
import { strict as assert } from 'node:assert';
import type { Frame } from 'playwright-core';
import {
  chatStream,
  estimateTokens,
  GROQ_TEXT,
  MISTRAL_ANSWER,
  MISTRAL_REASONING,
  mistralChunks,
  providerStream,
  textPart,
  thinkingPart,
  MULTIBYTE_TEXT,
  NO_FINISH_TEXT,
  PARTIAL_TEXT,
  SAMPLE_TEXT,
  scenarios,
  type LlmServer,
  type Script,
} from '../../src/local-llm';

export const ANSWERS = '[data-testid="message"][data-role="assistant"]';

/** What an answer shows, read in one go. */
export interface Shown {
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

/** Records every progress line ("Retrying in 1 s: …") any answer shows, as the DOM changes. */
export async function watchProgress(frame: Frame): Promise<void> {
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

export const progressSeen = (frame: Frame) => frame.evaluate(() => [...(window as unknown as { rillProgress: string[] }).rillProgress]);

export interface Context {
  frame: Frame;
  server: LlmServer;
  n: number;
  /** Index in `server.requests` of the row's first request. */
  firstRequest: number;
  shown: Shown;
  /** Rill's log (its output channel's file) as written so far. */
  rillLog: () => string;
}

export interface Row {
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

export const ROWS: Row[] = [
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
  {
    title: '26 Mistral content as arrays of thinking and text parts, mixed with strings: answer and reasoning apart',
    scripts: () => [scenarios.mistralContentParts()],
    state: 'done',
    // "391, ...": the first character came in the same array as the last piece of reasoning.
    body: MISTRAL_ANSWER,
    requests: 1,
    check: async ({ shown }) => {
      assert.deepEqual(shown.reasoning, { tag: 'details', open: false, summary: 'Reasoning', text: MISTRAL_REASONING });
      assert.ok(shown.usage?.startsWith('21 prompt + 47 answer tokens'), `token counts: ${shown.usage}`);
    },
  },
  {
    title: "26 with an unknown part type and a null part: skipped, written to Rill's log, the rest kept",
    scripts: () => [
      providerStream(
        mistralChunks(
          [[thinkingPart('Weigh it.')], [{ type: 'reference', reference_ids: [1] }, textPart('Kept')], [null, textPart(' whole.')]],
          { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
        ),
      ),
    ],
    state: 'done',
    body: 'Kept whole.',
    requests: 1,
    check: async ({ shown, rillLog }) => {
      assert.equal(shown.reasoning?.text, 'Weigh it.');
      const expected = [/skipped content part of unknown type "reference" sent by http:\/\/127\.0\.0\.1:\d+\/v1\./, /skipped content part of type null sent by /];
      // VS Code writes its log files a moment after the line is logged.
      const until = performance.now() + 5_000;
      while (!expected.every((line) => line.test(rillLog())) && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
      for (const line of expected) assert.match(rillLog(), line);
    },
  },
  {
    title: '27 usage and [DONE] but no finish_reason anywhere (Snowflake Cortex): done, not cut short',
    scripts: () => [scenarios.doneWithoutFinishReason()],
    state: 'done',
    body: NO_FINISH_TEXT,
    requests: 1,
    check: async ({ shown }) => {
      assert.ok(shown.usage?.startsWith('34 prompt + 16 answer tokens'), `token counts: ${shown.usage}`);
      assert.equal(shown.reasoning, undefined);
    },
  },
  {
    title: '27 [DONE] without finish_reason, then the socket held open: done, promptly, connection let go',
    scripts: () => [scenarios.doneWithoutFinishReason({ after: 'hold' })],
    state: 'done',
    body: NO_FINISH_TEXT,
    requests: 1,
    clientCloses: true,
  },
  {
    title: '28 usage only in x_groq.usage (Groq): the answer and its token counts',
    scripts: () => [scenarios.groqUsage()],
    state: 'done',
    body: GROQ_TEXT,
    requests: 1,
    check: async ({ shown }) => assert.ok(shown.usage?.startsWith('45 prompt + 8 answer tokens'), `token counts: ${shown.usage}`),
  },
];
