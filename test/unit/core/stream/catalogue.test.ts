import { strict as assert } from 'node:assert';
import {
  chatStream,
  GROQ_TEXT,
  MISTRAL_ANSWER,
  MISTRAL_REASONING,
  mistralChunks,
  MULTIBYTE_TEXT,
  NO_FINISH_TEXT,
  noFinishChunks,
  PARTIAL_TEXT,
  providerStream,
  SAMPLE_TEXT,
  scenarios,
  startLlmServer,
  textPart,
  thinkingPart,
  type JsonValue,
  type LlmServer,
  type ProviderStreamOptions,
} from '../../../../src/local-llm';
import type { StreamEvent } from '../../../../src/core/stream/events';
import { runScripts, type Run } from './engine-harness';

const skippedOf = (run: Run): string[] =>
  run.events.filter((e): e is Extract<StreamEvent, { kind: 'skipped' }> => e.kind === 'skipped').map((e) => e.what);

/**
 * Every row of the scenario catalogue (shared/docs/wire-formats.md) through the engine: the real
 * openai SDK over loopback to Rill's server, which writes each provider's exact bytes.
 */
describe('stream engine: the wire-format catalogue', function () {
  this.timeout(15_000);
  let server: LlmServer;

  before(async () => {
    server = await startLlmServer();
  });
  after(() => server.close());

  it('row 1: a normal stream gives the text, finish stop and usage', async () => {
    const run = await runScripts(server, [scenarios.normal()]);
    assert.equal(run.text, SAMPLE_TEXT);
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.finishReason, 'stop');
    assert.ok(run.outcome.usage && run.outcome.usage.completionTokens > 0 && run.outcome.usage.promptTokens > 0);
    assert.equal(run.outcome.attempts, 1);
  });

  it('row 2: mixed line endings and data: without a space read the same', async () => {
    const run = await runScripts(server, [scenarios.mixedLineEndings()]);
    assert.equal(run.text, SAMPLE_TEXT);
    assert.equal(run.outcome.state, 'done');
  });

  it('row 3: keep-alive comments are ignored, and count as a live server for the watchdog', async () => {
    // Comments every 150 ms before and between chunks, with a 400 ms watchdog: never idle.
    const run = await runScripts(server, [scenarios.keepAlive({ delayMs: 150, chunkSize: 20 })], { idleTimeoutMs: 400 });
    assert.equal(run.text, SAMPLE_TEXT);
    assert.equal(run.outcome.state, 'done');
  });

  it('row 4: Japanese and emoji written one byte per write arrive intact', async () => {
    const run = await runScripts(server, [scenarios.byteByByte()]);
    assert.equal(run.text, MULTIBYTE_TEXT);
    assert.equal(run.outcome.state, 'done');
  });

  it('row 5: an error event without an error key: partial text and an error', async () => {
    const run = await runScripts(server, [scenarios.eventErrorWithoutErrorKey()]);
    assert.equal(run.text, PARTIAL_TEXT);
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.problem?.kind, 'stream-error');
    assert.match(run.outcome.problem?.detail ?? '', /crashed/);
    assert.equal(run.outcome.attempts, 1, 'never retried after text arrived');
  });

  for (const flavor of ['openai', 'openrouter', 'vllm'] as const) {
    it(`row 6: a data: {"error"} event mid-stream (${flavor}): partial text and the server's message`, async () => {
      const run = await runScripts(server, [scenarios.midStreamDataError(flavor)]);
      assert.equal(run.text, PARTIAL_TEXT);
      assert.equal(run.outcome.state, 'error');
      assert.equal(run.outcome.problem?.kind, 'stream-error');
      assert.ok(run.outcome.problem?.detail, 'the server message is kept');
    });
  }

  it("row 7: llama.cpp's invisible error: field ends as an error, not a blank answer", async () => {
    const run = await runScripts(server, [scenarios.llamaCppErrorField()]);
    assert.equal(run.text, '');
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.problem?.kind, 'empty');
    assert.deepEqual(run.outcome.problem?.actions, ['retry']);
  });

  it('row 8: a close without [DONE] or finish_reason is truncated, with the partial text and a retry', async () => {
    const run = await runScripts(server, [scenarios.closeWithoutDone()]);
    assert.equal(run.text, PARTIAL_TEXT);
    assert.equal(run.outcome.state, 'truncated');
    assert.equal(run.outcome.problem?.kind, 'cut-short');
    assert.deepEqual(run.outcome.problem?.actions, ['retry']);
  });

  it('row 9: a socket reset mid-stream keeps the partial text and says the connection dropped', async () => {
    const run = await runScripts(server, [scenarios.socketReset()]);
    assert.equal(run.text, PARTIAL_TEXT);
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.problem?.kind, 'connection-lost');
    assert.equal(run.outcome.attempts, 1);
  });

  it('row 10: [DONE] with the socket held open ends promptly', async () => {
    const started = performance.now();
    const run = await runScripts(server, [scenarios.doneThenHoldOpen()], { idleTimeoutMs: 3000 });
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.text, SAMPLE_TEXT);
    assert.ok(performance.now() - started < 2000, 'did not wait for the held socket');
  });

  it('row 11: a last event without a trailing blank line still delivers the finish', async () => {
    const run = await runScripts(server, [scenarios.noTrailingBlankLine()]);
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.finishReason, 'stop');
  });

  it("row 12: Azure's prompt-filter chunk and delta-less annotations pass without a crash", async () => {
    const run = await runScripts(server, [scenarios.azureFilters()]);
    assert.equal(run.text, SAMPLE_TEXT);
    assert.equal(run.outcome.state, 'done');
  });

  it("row 13: Azure's content_filter finish marks the answer as filtered, text kept", async () => {
    const run = await runScripts(server, [scenarios.azureContentFilterFinish()]);
    assert.ok(run.text.length > 0);
    assert.equal(run.outcome.state, 'truncated');
    assert.equal(run.outcome.finishReason, 'content_filter');
    assert.equal(run.outcome.problem?.kind, 'content-filter');
  });

  for (const mode of ['fragmented', 'whole'] as const) {
    it(`row 14: tool calls (${mode}) are reassembled by index`, async () => {
      const run = await runScripts(server, [scenarios.toolCalls(mode)]);
      assert.equal(run.outcome.state, 'done');
      assert.equal(run.outcome.finishReason, 'tool_calls');
      assert.ok(run.outcome.toolCalls.length >= 1);
      for (const call of run.outcome.toolCalls) {
        assert.ok(call.id && call.name, 'id and name kept');
        assert.doesNotThrow(() => JSON.parse(call.arguments), `arguments reassembled into JSON: ${call.arguments}`);
      }
    });
  }

  for (const field of ['reasoning_content', 'reasoning'] as const) {
    it(`row 15: reasoning in ${field} is reported apart from the answer`, async () => {
      const run = await runScripts(server, [scenarios.reasoning(field)]);
      assert.ok(run.reasoning.length > 0);
      assert.ok(run.text.length > 0);
      assert.ok(!run.text.includes(run.reasoning), 'reasoning is not mixed into the answer');
      assert.equal(run.outcome.state, 'done');
    });
  }

  it('row 16: 429 with retry-after twice, then 200: visible retries, then the answer', async () => {
    const waits: number[] = [];
    const run = await runScripts(server, scenarios.rateLimitThenOk(), {
      sleep: async (ms) => void waits.push(ms),
    });
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.attempts, 3);
    assert.equal(run.retries.length, 2);
    assert.ok(run.retries.every((r) => r.problem.kind === 'rate-limit'));
    assert.deepEqual(waits, run.retries.map((r) => r.delayMs));
    assert.ok(waits.every((ms) => ms > 0), 'waits come from the server hint');
  });

  it('row 16: the default retry-after: 1 header is obeyed (about 2 s in all)', async function () {
    const started = performance.now();
    const run = await runScripts(server, scenarios.rateLimitThenOk({ failures: 2 }).map((s) => ({ ...s })));
    const elapsed = performance.now() - started;
    assert.equal(run.outcome.state, 'done');
    assert.deepEqual(run.retries.map((r) => r.delayMs), [1000, 1000]);
    assert.ok(elapsed >= 1900, `waited ${Math.round(elapsed)} ms`);
  });

  it('row 17: insufficient_quota is told apart from a rate limit and not retried', async () => {
    const run = await runScripts(server, [scenarios.insufficientQuota()]);
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.problem?.kind, 'quota');
    assert.equal(run.outcome.attempts, 1);
    assert.equal(run.retries.length, 0);
  });

  it('row 18: 500 every time is tried three times, then reported as a server error', async () => {
    const run = await runScripts(
      server,
      [scenarios.serverError500({ retryAfterMs: 1 }), scenarios.serverError500({ retryAfterMs: 1 }), scenarios.serverError500({ retryAfterMs: 1 })],
    );
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.attempts, 3);
    assert.equal(run.outcome.problem?.kind, 'server');
    assert.equal(run.outcome.problem?.status, 500);
  });

  it('row 18: a 503 HTML page becomes readable text, not markup', async () => {
    const page = scenarios.html503(503, { 'x-should-retry': 'false' });
    const run = await runScripts(server, [page]);
    assert.equal(run.outcome.problem?.kind, 'server');
    assert.equal(run.outcome.problem?.status, 503);
    const detail = run.outcome.problem?.detail ?? '';
    assert.ok(detail.length > 0);
    assert.doesNotMatch(detail, /<[a-z!/]/i, 'no tags left');
  });

  const oneTry: Array<[string, () => ReturnType<typeof scenarios.unauthorized>, string, string]> = [
    ['400 context length', scenarios.contextTooLong, 'context-too-long', 'trimAndRetry'],
    ['401', scenarios.unauthorized, 'auth', 'setApiKey'],
    ['404 model', () => scenarios.modelNotFound(), 'model-not-found', 'selectModel'],
    ['404 model (Ollama)', () => scenarios.modelNotFound('llama9', 'ollama'), 'model-not-found', 'selectModel'],
  ];
  for (const [name, script, kind, action] of oneTry) {
    it(`row 19: ${name} is tried once and offers ${action}`, async () => {
      const run = await runScripts(server, [script()]);
      assert.equal(run.outcome.state, 'error');
      assert.equal(run.outcome.attempts, 1);
      assert.equal(run.outcome.problem?.kind, kind);
      assert.ok(run.outcome.problem?.actions.includes(action as never));
      assert.ok(run.outcome.problem?.requestId?.startsWith('req_'), 'the request id is kept for support');
    });
  }

  it('row 20: no headers at all: the idle watchdog ends it as an error', async () => {
    const started = performance.now();
    const run = await runScripts(server, [scenarios.stallBeforeHeaders()], { idleTimeoutMs: 300 });
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.problem?.kind, 'idle-timeout');
    assert.ok(performance.now() - started < 1300);
  });

  it('row 20: headers then a stall: the watchdog ends it, keeping the partial text', async () => {
    const started = performance.now();
    const run = await runScripts(server, [scenarios.stallMidStream({ afterWrites: 3 })], { idleTimeoutMs: 300 });
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.problem?.kind, 'idle-timeout');
    assert.ok(run.text.length > 0 && SAMPLE_TEXT.startsWith(run.text), 'partial text kept');
    assert.ok(performance.now() - started < 1300, 'within the idle timeout plus one second');
    const request = await server.waitForClose(server.requests.length - 1);
    assert.equal(request.finishedNormally, false, 'the stalled connection was closed');
  });

  it('row 20: a pause shorter than the idle timeout does not fire the watchdog', async () => {
    const run = await runScripts(server, [scenarios.stallMidStream({ afterWrites: 3, resumeAfterMs: 200 })], { idleTimeoutMs: 600 });
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.text, SAMPLE_TEXT);
  });

  it('row 21: a JSON body to a streaming request is a clear error, not a blank answer', async () => {
    const run = await runScripts(server, [scenarios.jsonBodyToStream()]);
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.problem?.kind, 'not-streamed');
  });

  it('row 22: connection refused says which URL did not answer, after retries', async () => {
    const closed = await startLlmServer();
    const url = closed.url;
    await closed.close();
    const run = await runScripts(server, [], { url, sleep: async () => undefined });
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.problem?.kind, 'connection');
    assert.equal(run.outcome.attempts, 3);
    assert.match(run.outcome.problem?.detail ?? '', /ECONNREFUSED/);
  });

  it('row 23: stop before headers ends as stopped', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const run = await runScripts(server, [scenarios.stallBeforeHeaders()], { signal: controller.signal });
    assert.equal(run.outcome.state, 'stopped');
    const request = await server.waitForClose(server.requests.length - 1);
    assert.ok((request.closedAt ?? Infinity) - request.receivedAt < 1000);
  });

  it('row 23: stop mid-stream keeps the partial text and closes the socket within 100 ms', async () => {
    let stoppedAt = 0;
    const run = await runScripts(server, [scenarios.slowStream()], { abortAfterText: 30 });
    stoppedAt = performance.now();
    assert.equal(run.outcome.state, 'stopped');
    assert.ok(run.text.length >= 30);
    const request = await server.waitForClose(server.requests.length - 1);
    assert.equal(request.finishedNormally, false);
    assert.ok((request.closedAt ?? Infinity) - stoppedAt < 100, `closed ${Math.round((request.closedAt ?? 0) - stoppedAt)} ms after stop`);
  });

  it('row 23: stop during a retry wait ends as stopped without another attempt', async () => {
    const controller = new AbortController();
    const before = server.requests.length;
    const run = await runScripts(server, [scenarios.serverError500({ retryAfterMs: 5000 })], {
      signal: controller.signal,
      onEvent: undefined,
      sleep: (ms, signal) =>
        new Promise((resolve, reject) => {
          controller.abort();
          if (signal.aborted) reject(new Error('aborted'));
          else setTimeout(resolve, ms);
        }),
    });
    assert.equal(run.outcome.state, 'stopped');
    assert.equal(server.requests.length - before, 1);
  });

  it('row 24: finish_reason length is cut off and offers Continue', async () => {
    const run = await runScripts(server, [scenarios.lengthFinish()]);
    assert.equal(run.outcome.state, 'truncated');
    assert.equal(run.outcome.problem?.kind, 'cut-off');
    assert.deepEqual(run.outcome.problem?.actions, ['continue']);
  });

  it('row 25: refusal deltas are the answer text', async () => {
    const run = await runScripts(server, [scenarios.refusal()]);
    assert.equal(run.text, "I'm sorry, but I can't help with that.");
    assert.ok(run.events.some((e) => e.kind === 'refusal'));
    assert.equal(run.outcome.state, 'done');
  });

  it("row 26: Mistral's array content: text parts are the answer, thinking parts the reasoning, string deltas kept", async () => {
    const run = await runScripts(server, [scenarios.mistralContentParts()]);
    // "391", not "91": the answer's first character comes in the same array as the last thinking.
    assert.equal(run.text, MISTRAL_ANSWER);
    assert.equal(run.reasoning, MISTRAL_REASONING);
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.finishReason, 'stop');
    assert.deepEqual(run.outcome.usage, { promptTokens: 21, completionTokens: 47, totalTokens: 68 });
    assert.equal(run.outcome.textLength, MISTRAL_ANSWER.length);
    const kinds = run.events.filter((e) => e.kind === 'text' || e.kind === 'reasoning').map((e) => e.kind);
    assert.equal(kinds.lastIndexOf('reasoning') < kinds.indexOf('text'), true, `reasoning first, then the answer: ${kinds.join(',')}`);
    assert.deepEqual(skippedOf(run), [], 'nothing in a well-formed Magistral stream is skipped');
  });

  it('row 26: the same stream one byte per write arrives the same', async () => {
    const run = await runScripts(server, [scenarios.mistralContentParts({ bytesPerWrite: 1 })]);
    assert.equal(run.text, MISTRAL_ANSWER);
    assert.equal(run.reasoning, MISTRAL_REASONING);
    assert.equal(run.outcome.state, 'done');
  });

  it('row 26: unknown and malformed parts are skipped and reported once each, the rest of the answer kept', async () => {
    const contents: JsonValue[] = [
      [thinkingPart('Check the sum.'), { type: 'thinking', thinking: ' Flattened to a string.' }],
      [null, 42, 'loose', { type: 'text' }, { type: 'text', text: 7 }, { type: 'reference', reference_ids: [1, 2] }, textPart('Fine')],
      [{ type: 'thinking', thinking: [null, { type: 'image' }, { type: 'text', text: ' inner' }] }, { type: 'thinking' }],
      [{ type: 'reference', reference_ids: [3] }, textPart(', thanks.')],
      { unexpected: 'object' },
      '',
    ];
    const run = await runScripts(server, [providerStream(mistralChunks(contents, { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 }))]);
    assert.equal(run.text, 'Fine, thanks.');
    assert.equal(run.reasoning, 'Check the sum. Flattened to a string. inner');
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.finishReason, 'stop');
    assert.deepEqual(run.outcome.usage, { promptTokens: 5, completionTokens: 6, totalTokens: 11 });
    assert.deepEqual(skippedOf(run), [
      'content part of type null',
      'content part of type number',
      'content part of type string',
      '"text" part without a string text (undefined)',
      '"text" part without a string text (number)',
      'content part of unknown type "reference"',
      '"thinking" item of type null',
      '"thinking" item of unknown type "image"',
      '"thinking" part whose thinking is undefined',
      'delta.content of type object',
    ]);
  });

  it('row 27: usage and [DONE] without any finish_reason is a complete answer, not a cut one', async () => {
    const run = await runScripts(server, [scenarios.doneWithoutFinishReason()]);
    assert.equal(run.text, NO_FINISH_TEXT);
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.finishReason, undefined);
    assert.equal(run.outcome.problem, undefined);
    assert.deepEqual(run.outcome.usage, { promptTokens: 34, completionTokens: 16, totalTokens: 50 });
  });

  const doneFramings: Array<[string, ProviderStreamOptions]> = [
    ['\\r\\n line ends', { lineEnding: '\r\n' }],
    ['lone \\r line ends', { lineEnding: '\r' }],
    ['mixed line ends and data: without a space', { lineEnding: 'mixed', noSpaceAfterData: 'mixed' }],
    ['data:[DONE] without a space', { noSpaceAfterData: true }],
    ['no blank line after [DONE]', { noTrailingBlankLine: true }],
    ['no blank line and \\r\\n', { noTrailingBlankLine: true, lineEnding: '\r\n' }],
    ['[DONE] split across writes, one byte each', { bytesPerWrite: 1 }],
    ['[DONE] split across writes, three bytes each', { bytesPerWrite: 3 }],
  ];
  for (const [name, framing] of doneFramings) {
    it(`row 27: [DONE] without finish_reason ends done with ${name}`, async () => {
      const run = await runScripts(server, [scenarios.doneWithoutFinishReason(framing)]);
      assert.equal(run.text, NO_FINISH_TEXT);
      assert.equal(run.outcome.state, 'done', `state (problem: ${run.outcome.problem?.kind ?? 'none'})`);
      assert.equal(run.outcome.usage?.completionTokens, 16);
    });
  }

  it('row 27: [DONE] without finish_reason, then the socket held open: done, promptly (row 10 with it)', async () => {
    const started = performance.now();
    const run = await runScripts(server, [scenarios.doneWithoutFinishReason({ after: 'hold' })], { idleTimeoutMs: 3000 });
    assert.equal(run.text, NO_FINISH_TEXT);
    assert.equal(run.outcome.state, 'done');
    assert.ok(performance.now() - started < 2000, 'did not wait for the held socket');
    const request = await server.waitForClose(server.requests.length - 1);
    assert.equal(request.finishedNormally, false, 'Rill let go of the held connection');
  });

  it('row 27: a keep-alive comment after [DONE] still counts as [DONE]', async () => {
    const chunks = noFinishChunks(['All ', 'there.'], { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    const script = providerStream(chunks, { omitDone: true });
    const end = script.steps.pop();
    // One write, so that the comment is surely among the last bytes seen.
    script.steps.push({ type: 'write', text: 'data: [DONE]\n\n: keep-alive\n\n' });
    if (end) script.steps.push(end);
    const run = await runScripts(server, [script]);
    assert.equal(run.text, 'All there.');
    assert.equal(run.outcome.state, 'done');
  });

  it('row 27 without its [DONE]: the same chunks closed early stay truncated, text and usage kept', async () => {
    const run = await runScripts(server, [scenarios.doneWithoutFinishReason({ omitDone: true })]);
    assert.equal(run.text, NO_FINISH_TEXT);
    assert.equal(run.outcome.state, 'truncated');
    assert.equal(run.outcome.problem?.kind, 'cut-short');
    assert.deepEqual(run.outcome.problem?.actions, ['retry']);
    assert.deepEqual(run.outcome.usage, { promptTokens: 34, completionTokens: 16, totalTokens: 50 });
  });

  it('row 27: a [DONE] that is only text inside the last chunk is not the end marker', async () => {
    // The body's last bytes are `data: [DONE]"}}]}`: [DONE] is there, but not as a line of its own.
    const chunk = { id: 'x', created: 1, model: 'm', choices: [{ delta: { content: 'The line reads\ndata: [DONE]' } }] };
    const run = await runScripts(server, [providerStream([chunk], { omitDone: true })]);
    assert.equal(run.text, 'The line reads\ndata: [DONE]');
    assert.equal(run.outcome.state, 'truncated');
  });

  it("row 28: Groq's usage in x_groq.usage gives the token counts", async () => {
    const run = await runScripts(server, [scenarios.groqUsage()]);
    assert.equal(run.text, GROQ_TEXT);
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.finishReason, 'stop');
    assert.deepEqual(run.outcome.usage, { promptTokens: 45, completionTokens: 8, totalTokens: 53 });
    assert.equal(run.events.filter((e) => e.kind === 'usage').length, 1, 'counted once');
  });

  it('a stream with finish_reason but no text at all is an error, never a blank answer', async () => {
    const run = await runScripts(server, [chatStream({ text: '' })]);
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.problem?.kind, 'empty');
  });
});
