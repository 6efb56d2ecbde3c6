// The scripted streams, read by the real `openai` SDK over loopback: what each catalogue row gives a
// `for await` loop with the installed SDK version.
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { MULTIBYTE_TEXT, PARTIAL_TEXT, SAMPLE_TEXT, scenarios, startLlmServer, type LlmServer } from '../../../src/local-llm';
import { clientFor, collect, streamChat } from './helpers';

describe('local-llm streams through the openai SDK', () => {
  let server: LlmServer;
  let client: OpenAI;

  beforeEach(async () => {
    server = await startLlmServer({ demoDelayMs: 0 });
    client = clientFor(server);
  });
  afterEach(async () => {
    await server.close();
  });

  it('row 1: normal stream gives the exact text, finish stop and usage', async () => {
    server.enqueue(scenarios.normal());
    const got = await collect(await streamChat(client));
    assert.equal(got.error, undefined);
    assert.equal(got.text, SAMPLE_TEXT);
    assert.deepEqual(got.finishReasons, ['stop']);
    assert.deepEqual(got.usage, { prompt_tokens: 12, completion_tokens: 17, total_tokens: 29 });
    assert.ok(
      got.chunks.some((c) => c.choices[0]?.delta.content === '\n\n' || (c.choices[0]?.delta.content ?? '').includes('\n\n')),
      'a delta carries "\\n\\n" as text',
    );
    assert.equal(new Set(got.chunks.map((c) => c.id)).size, 1);
  });

  it('row 4: Japanese and emoji written one byte per write arrive intact', async () => {
    server.enqueue(scenarios.byteByByte());
    const got = await collect(await streamChat(client));
    assert.equal(got.error, undefined);
    assert.equal(got.text, MULTIBYTE_TEXT);
    assert.deepEqual(got.finishReasons, ['stop']);
  });

  it('row 4: the bytes really leave one per write (a raw HTTP client sees single-byte pieces inside characters)', async () => {
    server.enqueue(scenarios.byteByByte('日本語🙂'));
    const pieces = await new Promise<Buffer[]>((resolve, reject) => {
      const req = request(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => resolve(parts));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end('{"model":"m","stream":true,"messages":[]}');
    });
    const body = Buffer.concat(pieces);
    assert.ok(body.toString('utf8').includes('"content":"日本語🙂"'));
    assert.equal(pieces.length, body.length, 'one piece per byte');
    assert.ok(pieces.some((p) => p.length === 1 && (p[0] ?? 0) >= 0x80), 'a piece holds part of a multi-byte character');
  });

  it('rows 2 and 3: mixed line endings / data: without space / keep-alive comments parse like the plain stream', async () => {
    server.enqueue(scenarios.normal(), scenarios.mixedLineEndings(), scenarios.keepAlive(), scenarios.mixedLineEndings({ lineEnding: '\r' }));
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await collect(await streamChat(client)));
    const [plain, ...others] = results;
    for (const other of others) {
      assert.equal(other.error, undefined);
      assert.equal(other.text, SAMPLE_TEXT);
      assert.deepEqual(other.finishReasons, ['stop']);
      assert.deepEqual(other.usage, plain?.usage);
      assert.equal(other.chunks.length, plain?.chunks.length);
    }
  });

  it('writes are flushed as they happen: chunks 30 ms apart on the server arrive about 30 ms apart', async () => {
    server.enqueue(scenarios.normal({ text: 'abcdefghijkl', chunkSize: 2, delayMs: 30 }));
    const got = await collect(await streamChat(client));
    const gaps = got.arrivals.slice(1).map((t, i) => t - (got.arrivals[i] ?? t));
    assert.ok(gaps.length >= 6);
    // Median, not every gap: a busy machine may deliver two chunks in one read now and then.
    const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
    assert.ok(median >= 20, `gaps ${gaps.map(Math.round).join(',')}`);
  });

  it('row 14: tool calls, fragmented or whole, reassemble by index', async () => {
    for (const mode of ['fragmented', 'whole'] as const) {
      server.enqueue(scenarios.toolCalls(mode));
      const got = await collect(await streamChat(client));
      const calls = new Map<number, { id: string; name: string; args: string }>();
      for (const chunk of got.chunks) {
        for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
          const entry = calls.get(call.index) ?? { id: '', name: '', args: '' };
          entry.id += call.id ?? '';
          entry.name += call.function?.name ?? '';
          entry.args += call.function?.arguments ?? '';
          calls.set(call.index, entry);
        }
      }
      assert.deepEqual(got.finishReasons, ['tool_calls'], mode);
      assert.deepEqual(
        [...calls.entries()].map(([i, c]) => [i, c.id, c.name, JSON.parse(c.args) as unknown]),
        [
          [0, 'call_weather_1', 'get_weather', { location: 'Paris', unit: 'celsius' }],
          [1, 'call_time_2', 'get_time', { timezone: 'Europe/Paris' }],
        ],
        mode,
      );
    }
  });

  it('row 15: reasoning arrives in reasoning_content or reasoning, apart from the answer', async () => {
    for (const field of ['reasoning_content', 'reasoning'] as const) {
      server.enqueue(scenarios.reasoning(field));
      const got = await collect(await streamChat(client));
      assert.equal(got.reasoning, 'The user greets me. A short, friendly answer fits.', field);
      assert.equal(got.text, 'Hello! How can I help?', field);
      assert.ok(got.chunks.some((c) => field in (c.choices[0]?.delta ?? {})), field);
    }
  });

  it('rows 12 and 13: Azure filter chunks pass through; content_filter finish is reported', async () => {
    server.enqueue(scenarios.azureFilters(), scenarios.azureContentFilterFinish());
    const filtered = await collect(await streamChat(client));
    assert.equal(filtered.error, undefined);
    assert.equal(filtered.text, SAMPLE_TEXT);
    assert.deepEqual(filtered.finishReasons, ['stop']);
    assert.deepEqual(filtered.chunks[0]?.choices, [], 'prompt filter event has no choices');
    assert.ok(filtered.chunks.some((c) => c.choices[0] !== undefined && !('delta' in c.choices[0])), 'annotation without delta');

    const cut = await collect(await streamChat(client));
    assert.equal(cut.text, 'Here is a story that takes a dark turn when');
    assert.deepEqual(cut.finishReasons, ['content_filter']);
  });

  it('rows 24 and 25: length finish; refusal text in delta.refusal', async () => {
    server.enqueue(scenarios.lengthFinish(), scenarios.refusal());
    const length = await collect(await streamChat(client));
    assert.deepEqual(length.finishReasons, ['length']);
    assert.ok(length.text.length > 0);
    const refusal = await collect(await streamChat(client));
    assert.equal(refusal.text, '');
    assert.equal(refusal.refusal, "I'm sorry, but I can't help with that.");
    assert.deepEqual(refusal.finishReasons, ['stop']);
  });

  it('rows 8 and 9: a clean close gives partial text and no error; a reset gives TypeError terminated', async () => {
    server.enqueue(scenarios.closeWithoutDone(), scenarios.socketReset());
    const closed = await collect(await streamChat(client));
    assert.equal(closed.error, undefined);
    assert.equal(closed.text, PARTIAL_TEXT);
    assert.deepEqual(closed.finishReasons, []);

    const reset = await collect(await streamChat(client));
    assert.equal(reset.text, PARTIAL_TEXT);
    assert.ok(reset.error instanceof TypeError, String(reset.error));
    assert.equal(reset.error.message, 'terminated');
    assert.ok(!(reset.error instanceof OpenAI.APIError));
    await server.waitForClose(1);
    assert.equal(server.requests[1]?.outcome, 'destroyed');
    assert.equal(server.requests[1]?.finishedNormally, false);
  });

  it('rows 5 and 6: error events mid-stream throw APIError without status after the partial text', async () => {
    server.enqueue(scenarios.eventErrorWithoutErrorKey(), scenarios.midStreamDataError(), scenarios.midStreamDataError('vllm'));
    const event = await collect(await streamChat(client));
    assert.equal(event.text, PARTIAL_TEXT);
    assert.ok(event.error instanceof OpenAI.APIError);
    assert.equal(event.error.status, undefined);
    assert.equal(event.error.message, 'The model crashed while generating.');

    const data = await collect(await streamChat(client));
    assert.equal(data.text, PARTIAL_TEXT);
    assert.ok(data.error instanceof OpenAI.APIError);
    assert.equal(data.error.status, undefined);

    const vllm = await collect(await streamChat(client));
    assert.ok(vllm.error instanceof OpenAI.APIError);
    assert.equal(vllm.error.code, 500 as unknown as string, 'vLLM sends an integer code');
  });

  it('row 7: llama.cpp error: field is invisible: no chunk, no error', async () => {
    server.enqueue(scenarios.llamaCppErrorField());
    const got = await collect(await streamChat(client));
    assert.equal(got.error, undefined);
    assert.equal(got.chunks.length, 0);
    assert.equal(server.requests[0]?.scriptName, 'llamaCppErrorField');
  });

  it('row 10: [DONE] then a held socket: the 7.x loop ends at once and closes the connection', async () => {
    server.enqueue(scenarios.doneThenHoldOpen());
    const started = performance.now();
    const got = await collect(await streamChat(client));
    assert.equal(got.text, SAMPLE_TEXT);
    assert.ok(performance.now() - started < 1000);
    const record = await server.waitForClose(0, 1000);
    const closedAt = record.closedAt ?? Infinity;
    assert.ok(closedAt - started < 1000);
    assert.equal(record.outcome, 'held');
    assert.equal(record.finishedNormally, false, 'the server never ended it; the client hung up');
  });

  it('row 11: a last event without trailing blank line is still delivered (finish stop)', async () => {
    server.enqueue(scenarios.noTrailingBlankLine());
    const got = await collect(await streamChat(client));
    assert.equal(got.text, SAMPLE_TEXT);
    assert.deepEqual(got.finishReasons, ['stop']);
  });

  it('row 21: a JSON body to a streaming request yields no chunk and no error', async () => {
    server.enqueue(scenarios.jsonBodyToStream());
    const got = await collect(await streamChat(client));
    assert.equal(got.error, undefined);
    assert.equal(got.chunks.length, 0);
  });

  it('row 23: aborting mid-stream ends the loop silently and the server sees the socket close within 100 ms', async () => {
    server.enqueue(scenarios.slowStream());
    const controller = new AbortController();
    const stream = await streamChat(client, { signal: controller.signal });
    let abortedAt = 0;
    let count = 0;
    let error: unknown;
    try {
      for await (const chunk of stream) {
        void chunk;
        count += 1;
        if (count === 3) {
          abortedAt = performance.now();
          controller.abort();
        }
      }
    } catch (e) {
      error = e;
    }
    assert.equal(error, undefined, 'the loop ends without error');
    assert.equal(count, 3);
    const record = await server.waitForClose(0, 1000);
    const closedAt = record.closedAt ?? Infinity;
    const delay = closedAt - abortedAt;
    assert.ok(delay < 100, `closed ${Math.round(delay)} ms after abort`);
    assert.equal(record.finishedNormally, false);
    assert.equal(record.outcome, 'aborted');
  });

  it('row 23: abort before headers rejects with APIUserAbortError and closes the socket', async () => {
    server.enqueue(scenarios.stallBeforeHeaders());
    const controller = new AbortController();
    const pending = streamChat(client, { signal: controller.signal });
    await server.waitForRequest(0);
    const abortedAt = performance.now();
    controller.abort();
    await assert.rejects(pending, OpenAI.APIUserAbortError);
    const record = await server.waitForClose(0, 1000);
    const closedAt = record.closedAt ?? Infinity;
    assert.ok(closedAt - abortedAt < 100, `closed ${Math.round(closedAt - abortedAt)} ms after abort`);
    assert.equal(record.outcome, 'held');
    assert.equal(record.finishedNormally, false);
  });

  it('row 20: no headers before the timeout gives APIConnectionTimeoutError; a mid-stream stall just waits', async () => {
    server.enqueue(scenarios.stallBeforeHeaders());
    const quick = clientFor(server, { timeout: 200 });
    await assert.rejects(streamChat(quick), OpenAI.APIConnectionTimeoutError);
    assert.equal(server.requests.length, 1);

    server.enqueue(scenarios.stallMidStream());
    const controller = new AbortController();
    const stream = await streamChat(quick, { signal: controller.signal });
    // The SDK has no idle timeout after headers: after 400 ms (twice its timeout) the loop still waits.
    const timer = setTimeout(() => controller.abort(), 400);
    const started = performance.now();
    const got = await collect(stream);
    clearTimeout(timer);
    assert.ok(performance.now() - started >= 350);
    assert.equal(got.error, undefined);
    assert.equal(got.text, 'Hello fr', 'the text sent before the stall');
    assert.deepEqual(got.finishReasons, []);
  });
});
