import { strict as assert } from 'node:assert';
import OpenAI from 'openai';
import type { StreamEvent } from '../../../../src/core/stream/events';
import { runChat, type Endpoint } from '../../../../src/core/stream/run-chat';
import { tracedFetch } from '../../../../src/core/trace/traced-fetch';
import {
  keepRecentTraces,
  parseRequestTrace,
  safeUrl,
  savedTrace,
  traceFigures,
  TraceRecorder,
  type RequestTrace,
} from '../../../../src/core/trace/trace';
import { scenarios, startLlmServer, type LlmServer } from '../../../../src/local-llm';
import { Script, TIME_ORIGIN, traceScenarios } from './scenarios';

/** A recorder whose clock the test moves by hand. */
function manual(options: { maxChunkRecords?: number; secrets?: string[] } = {}) {
  const clock = { t: 1000 };
  const recorder = new TraceRecorder({ now: () => clock.t, timeOrigin: TIME_ORIGIN, ...options });
  return { clock, recorder, epoch: (t: number) => TIME_ORIGIN + t };
}

describe('trace recorder', () => {
  it('records each hop on the injected clock and derives TTFT, duration, tokens/s and the largest gap', () => {
    const { clock, recorder, epoch } = manual();
    recorder.userSent(epoch(1000));
    clock.t = 1004;
    recorder.hostReceived();
    clock.t = 1005;
    recorder.requestBuilt({ messageCount: 3, promptTokens: 120, model: 'gpt-4o', provider: 'openai' });
    clock.t = 1006;
    recorder.httpRequest({ method: 'post', url: 'https://api.openai.com/v1/chat/completions' });
    clock.t = 1306;
    recorder.onEvent({ kind: 'response', status: 200, requestId: 'req_9', attempt: 1 });
    clock.t = 1400;
    recorder.onEvent({ kind: 'firstChunk' });
    const times = [1406, 1416, 1466, 1476];
    for (const t of times) {
      clock.t = t;
      recorder.onEvent({ kind: 'text', text: 'hello' });
    }
    recorder.onEvent({ kind: 'usage', usage: { promptTokens: 120, completionTokens: 8, totalTokens: 128 } });
    recorder.onEvent({ kind: 'finish', reason: 'stop' });
    clock.t = 1480;
    recorder.finished({ state: 'done', finishReason: 'stop', usage: { promptTokens: 120, completionTokens: 8, totalTokens: 128 }, textLength: 20, toolCalls: [], attempts: 1 });

    const trace = recorder.trace();
    assert.equal(trace.startedAt, TIME_ORIGIN + 1000);
    assert.equal(trace.userSentAt, 0);
    assert.equal(trace.hostReceivedAt, 4);
    assert.deepEqual(trace.request, { at: 5, messageCount: 3, promptTokens: 120, model: 'gpt-4o', provider: 'openai' });
    assert.deepEqual(trace.attempts, [
      { attempt: 1, at: 6, method: 'POST', host: 'api.openai.com', path: '/v1/chat/completions', sdkCall: 'openai.chat.completions.create({stream: true})', headersAt: 306, status: 200, requestId: 'req_9' },
    ]);
    assert.deepEqual(trace.stream, {
      firstChunkAt: 400,
      firstAt: 406,
      lastAt: 476,
      count: 4,
      chars: 20,
      maxGapMs: 50,
      maxGapAt: 466,
      phases: { text: { count: 4, chars: 20, firstAt: 406, lastAt: 476 } },
    });
    assert.deepEqual(trace.chunks, [
      [406, 5, 'text'],
      [416, 5, 'text'],
      [466, 5, 'text'],
      [476, 5, 'text'],
    ]);
    assert.deepEqual(trace.end, { at: 480, state: 'done', finishReason: 'stop', usage: { promptTokens: 120, completionTokens: 8, totalTokens: 128 }, textLength: 20, attempts: 1 });
    assert.deepEqual(traceFigures(trace), {
      ttftMs: 406,
      apiTtftMs: 400,
      headersMs: 300,
      streamMs: 70,
      maxGapMs: 50,
      tokens: 8,
      tokensFrom: 'usage',
      tokensPerSecond: 114.3,
      totalMs: 480,
    });
  });

  it('counts tokens by chunks when the server sent no usage, and gives no rate for a single chunk', () => {
    const { clock, recorder } = manual();
    recorder.hostReceived();
    for (let i = 0; i < 11; i++) {
      clock.t += 20;
      recorder.chunk('text', 3);
    }
    recorder.finished({ state: 'stopped', textLength: 33, toolCalls: [], attempts: 1 });
    const f = traceFigures(recorder.trace());
    assert.equal(f.tokensFrom, 'chunks');
    assert.equal(f.tokens, 11);
    assert.equal(f.streamMs, 200);
    assert.equal(f.tokensPerSecond, 55);

    const one = manual();
    one.recorder.hostReceived();
    one.recorder.chunk('text', 3);
    const single = traceFigures(one.recorder.trace());
    assert.equal(single.streamMs, 0);
    assert.equal(single.tokensPerSecond, undefined);
    assert.equal(single.maxGapMs, undefined);
  });

  it('keeps each phase apart: reasoning, tool calls, answer, refusal', () => {
    const { clock, recorder } = manual();
    const events: StreamEvent[] = [
      { kind: 'reasoning', text: 'think' },
      { kind: 'reasoning', text: 'more' },
      { kind: 'text', text: 'answer' },
      { kind: 'toolCall', index: 0, id: 'c1', name: 'get_weather', argumentsDelta: '{"a":' },
      { kind: 'toolCall', index: 0, argumentsDelta: '1}' },
      { kind: 'refusal', text: 'no' },
    ];
    for (const event of events) {
      clock.t += 10;
      recorder.onEvent(event);
    }
    const stream = recorder.trace().stream;
    assert.deepEqual(stream?.phases, {
      reasoning: { count: 2, chars: 9, firstAt: 10, lastAt: 20 },
      text: { count: 1, chars: 6, firstAt: 30, lastAt: 30 },
      toolCall: { count: 2, chars: 7, firstAt: 40, lastAt: 50 },
      refusal: { count: 1, chars: 2, firstAt: 60, lastAt: 60 },
    });
    assert.equal(stream?.count, 6);
    assert.equal(stream?.chars, 24);
  });

  it('keeps chunks one by one only up to the cap; the aggregates count every chunk', () => {
    const { clock, recorder } = manual({ maxChunkRecords: 200 });
    for (let i = 0; i < 1000; i++) {
      clock.t += 1;
      recorder.chunk(i % 2 ? 'text' : 'reasoning', 4);
      if (i % 5 === 4) recorder.postedBatch(20, i % 2 ? 'text' : 'reasoning');
    }
    const trace = recorder.trace();
    assert.equal(trace.chunks?.length, 200);
    assert.equal(trace.stream?.count, 1000);
    assert.equal(trace.stream?.chars, 4000);
    assert.equal((trace.stream?.phases.text?.count ?? 0) + (trace.stream?.phases.reasoning?.count ?? 0), 1000);
    assert.equal(trace.batches?.count, 200);
    assert.equal(trace.batches?.log.length, 200);
    assert.equal(trace.batches?.chars, 4000);
    assert.deepEqual(trace.batches?.byKind, { text: 100, reasoning: 100 });
  });

  it('stays compact: a 100,000-chunk answer saves as a few kilobytes of JSON', () => {
    const { clock, recorder } = manual();
    recorder.hostReceived();
    for (let i = 0; i < 100_000; i++) {
      clock.t += 0.013;
      recorder.chunk('text', 4);
      recorder.bodyBytes(120);
      if (i % 50 === 0) recorder.postedBatch(200);
    }
    recorder.finished({ state: 'done', finishReason: 'stop', textLength: 400_000, toolCalls: [], attempts: 1 });
    // As a conversation saves it: the full per-chunk timeline stays in memory (savedTrace).
    const json = JSON.stringify(savedTrace(recorder.trace()));
    assert.ok(json.length < 12_000, `${json.length} bytes`);
  });

  it('keeps the host and path of a request URL, never its query, credentials or keys', () => {
    assert.deepEqual(safeUrl('https://api.openai.com/v1/chat/completions'), { host: 'api.openai.com', path: '/v1/chat/completions' });
    assert.deepEqual(
      safeUrl('https://my.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21&api-key=abc123abc123'),
      { host: 'my.openai.azure.com', path: '/openai/deployments/gpt4o/chat/completions' },
    );
    assert.deepEqual(safeUrl('http://user:secret@localhost:11434/v1/chat/completions#frag'), { host: 'localhost:11434', path: '/v1/chat/completions' });
    assert.deepEqual(safeUrl('https://proxy.example/key/sk-abcdefghijklmnop/v1/chat/completions'), { host: 'proxy.example', path: '/key/[redacted]/v1/chat/completions' });
    assert.deepEqual(safeUrl('https://proxy.example/t/opaque-token-42/chat', ['opaque-token-42']), { host: 'proxy.example', path: '/t/[redacted]/chat' });
    assert.deepEqual(safeUrl('/v1/chat/completions?key=1'), { host: '', path: '/v1/chat/completions' });
    assert.deepEqual(safeUrl('weird://u:p@host/x?y'), { host: 'host', path: '/x' });
  });

  it('maps the webview clock onto the host clock, and never lets a hop come before its cause', () => {
    // The webview's send, 30 ms before the host got it: kept, and the trace starts there.
    const early = manual();
    early.clock.t = 2000;
    early.recorder.userSent(early.epoch(1970));
    early.recorder.hostReceived();
    assert.equal(early.recorder.trace().userSentAt, 0);
    assert.equal(early.recorder.trace().hostReceivedAt, 30);
    assert.equal(early.recorder.trace().startedAt, TIME_ORIGIN + 1970);

    // A webview clock running ahead: the send cannot come after the host received it.
    const ahead = manual();
    ahead.clock.t = 2000;
    ahead.recorder.hostReceived();
    ahead.recorder.userSent(ahead.epoch(2500));
    assert.equal(ahead.recorder.trace().userSentAt, ahead.recorder.trace().hostReceivedAt);

    // A paint is not before the first post, nor in the future; the last is not before the first.
    const paint = manual();
    paint.clock.t = 1100;
    paint.recorder.postedBatch(10);
    paint.clock.t = 1200;
    paint.recorder.webviewPainted('first', paint.epoch(1050));
    paint.recorder.webviewPainted('last', paint.epoch(1090));
    assert.deepEqual(paint.recorder.trace().paint, { firstAt: 100, lastAt: 100 });
    paint.recorder.webviewPainted('last', paint.epoch(9999));
    assert.deepEqual(paint.recorder.trace().paint, { firstAt: 100, lastAt: 200 });
    // A second "first" does not move it.
    paint.recorder.webviewPainted('first', paint.epoch(1150));
    assert.equal(paint.recorder.trace().paint?.firstAt, 100);
    // Without the webview's time, the host's is used.
    const plain = manual();
    plain.clock.t = 1234;
    plain.recorder.userSent();
    plain.recorder.stopRequested(Number.NaN);
    assert.equal(plain.recorder.trace().userSentAt, 0);
    assert.equal(plain.recorder.trace().stopAt, 0);
  });

  it('fills in attempts the engine reported without an HTTP hop, copying the last request', () => {
    const { clock, recorder } = manual();
    recorder.httpRequest({ method: 'POST', url: 'https://api.openai.com/v1/chat/completions' });
    clock.t += 100;
    recorder.onEvent({ kind: 'retrying', attempt: 1, delayMs: 500, problem: { kind: 'server', status: 503, actions: ['retry'], retryable: true } });
    clock.t += 600;
    recorder.onEvent({ kind: 'retrying', attempt: 2, delayMs: 1000, problem: { kind: 'connection', actions: ['retry'], retryable: true, requestId: 'req_2' } });
    recorder.finished({ state: 'error', textLength: 0, toolCalls: [], attempts: 3, problem: { kind: 'connection', actions: ['retry'], retryable: false } });
    const trace = recorder.trace();
    assert.deepEqual(
      trace.attempts.map((a) => [a.attempt, a.at, a.path, a.retry?.reason, a.retry?.status, a.retry?.delayMs, a.requestId]),
      [
        [1, 0, '/v1/chat/completions', 'server', 503, 500, undefined],
        [2, undefined, '/v1/chat/completions', 'connection', undefined, 1000, 'req_2'],
        [3, undefined, '/v1/chat/completions', undefined, undefined, undefined, undefined],
      ],
    );
  });

  it('redacts secrets from error details and cuts them short; keeps tool names and argument sizes, not arguments', () => {
    const { recorder } = manual({ secrets: ['my-very-secret-header-value'] });
    recorder.addSecrets(['another-secret-value', undefined, '']);
    recorder.finished({
      state: 'error',
      textLength: 0,
      attempts: 1,
      toolCalls: [{ id: 'c', name: 'get_weather', arguments: '{"city":"Tokyo"}' }],
      problem: { kind: 'auth', status: 401, actions: ['setApiKey'], retryable: false, detail: `bad key sk-abcdefghijklmnopqrstu and my-very-secret-header-value another-secret-value ${'x'.repeat(500)}` },
    });
    const end = recorder.trace().end;
    assert.ok(end?.problem?.detail?.startsWith('bad key [redacted] and [redacted] [redacted] xxx'));
    assert.equal(Array.from(end?.problem?.detail ?? '').length, 300);
    assert.ok(end?.problem?.detail?.endsWith('…'));
    assert.deepEqual(recorder.trace().tools, [{ name: 'get_weather', argsChars: 16 }]);
    assert.ok(!JSON.stringify(recorder.trace()).includes('Tokyo'));
  });

  it('hands out snapshots: recording more does not change a trace already taken', () => {
    const { clock, recorder } = manual();
    recorder.chunk('text', 1);
    const before = recorder.trace();
    const copy = JSON.parse(JSON.stringify(before));
    clock.t += 5;
    recorder.chunk('text', 1);
    recorder.postedBatch(2);
    recorder.finished({ state: 'done', textLength: 2, toolCalls: [], attempts: 1 });
    assert.deepEqual(before, copy);
  });

  it('reads back every scenario from JSON, and rejects what is not a trace', () => {
    for (const [name, scenario] of Object.entries(traceScenarios)) {
      const trace = scenario();
      assert.deepEqual(parseRequestTrace(JSON.parse(JSON.stringify(trace))), trace, name);
    }
    for (const junk of [null, 3, 'trace', [], {}, { v: 2, startedAt: 1, attempts: [] }, { v: 1, startedAt: 'x', attempts: [] }, { v: 1, startedAt: 1, attempts: [{ attempt: 'one' }] }]) {
      assert.equal(parseRequestTrace(junk), undefined, JSON.stringify(junk));
    }
    // Damaged optional parts are dropped, the rest kept.
    const damaged = { ...traceScenarios.normal!(), stream: { count: 'many' }, chunks: [[1, 2, 'text'], ['x'], [3, 4, 'evil']], end: { at: 1, state: 'exploded' } };
    const parsed = parseRequestTrace(JSON.parse(JSON.stringify(damaged))) as RequestTrace;
    assert.equal(parsed.stream, undefined);
    assert.deepEqual(parsed.chunks, [[1, 2, 'text']]);
    assert.equal(parsed.end, undefined);
    assert.equal(parsed.request?.model, 'gpt-4o-mini');
  });

  it('keeps the newest traces of a conversation', () => {
    const traces = Array.from({ length: 5 }, (_, i) => ({ ...traceScenarios.normal!(), startedAt: i }));
    assert.deepEqual(keepRecentTraces(traces.slice(0, 4), traces[4] as RequestTrace, 3).map((t) => t.startedAt), [2, 3, 4]);
    assert.deepEqual(keepRecentTraces(undefined, traces[0] as RequestTrace).map((t) => t.startedAt), [0]);
  });

  it('the scripted scenarios end the way their names say', () => {
    const states = Object.fromEntries(Object.entries(traceScenarios).map(([name, s]) => [name, s().end?.state]));
    assert.deepEqual(states, {
      normal: 'done',
      'retry-then-ok': 'done',
      stopped: 'stopped',
      'error-before-headers': 'error',
      'auth-error': 'error',
      'error-mid-stream': 'error',
      truncated: 'truncated',
      length: 'truncated',
      'tool-calls': 'done',
      reasoning: 'done',
      'done-without-finish': 'done',
      'idle-timeout': 'error',
      empty: 'error',
      'prompt-too-long': 'error',
      injection: 'error',
    });
    const retry = traceScenarios['retry-then-ok']!();
    assert.deepEqual(retry.attempts.map((a) => [a.status, a.retry?.reason]), [[429, 'rate-limit'], [undefined, 'connection'], [200, undefined]]);
    assert.equal(traceScenarios['error-before-headers']!().stream, undefined);
    const stopped = new Script().send().request();
    stopped.recorder.stopRequested();
    assert.equal(stopped.finish({ state: 'stopped' }).stopAt, 6.3);
  });

  it('is cheap per chunk: a million chunks in well under a second', () => {
    const recorder = new TraceRecorder();
    const started = performance.now();
    for (let i = 0; i < 1_000_000; i++) recorder.chunk('text', 4);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `${Math.round(elapsed)} ms`);
    assert.equal(recorder.trace().stream?.count, 1_000_000);
  });
});

describe('trace recorder, fed by the real engine', function () {
  this.timeout(15_000);
  let server: LlmServer;
  before(async () => {
    server = await startLlmServer();
  });
  after(() => server.close());

  async function run(scripts: ReturnType<typeof scenarios.normal>[]) {
    server.enqueue(...scripts);
    const recorder = new TraceRecorder();
    const events: StreamEvent[] = [];
    const endpoint: Endpoint = {
      createClient: (fetch) => new OpenAI({ baseURL: server.url, apiKey: 'sk-rill-test-key-000', fetch }),
      fetch: tracedFetch(globalThis.fetch, recorder),
    };
    recorder.hostReceived();
    const outcome = await runChat(endpoint, { model: 'rill-test', messages: [{ role: 'user', content: 'hi' }] }, {
      signal: new AbortController().signal,
      idleTimeoutMs: 5000,
      maxRetries: 2,
      sleep: async () => undefined,
      onEvent: (event) => {
        events.push(event);
        recorder.onEvent(event);
      },
    });
    recorder.finished(outcome);
    return { trace: recorder.trace(), events, outcome };
  }

  it('sees every attempt, chunk and byte of a normal stream', async () => {
    const { trace, events, outcome } = await run([scenarios.normal()]);
    const content = events.filter((e) => e.kind === 'text');
    assert.equal(trace.stream?.count, content.length);
    assert.equal(trace.stream?.chars, outcome.textLength);
    assert.ok((trace.stream?.bytes ?? 0) > outcome.textLength, 'body bytes counted');
    assert.equal(trace.attempts.length, 1);
    const [attempt] = trace.attempts;
    assert.equal(attempt?.method, 'POST');
    assert.match(attempt?.path ?? '', /\/chat\/completions$/);
    assert.equal(attempt?.status, 200);
    assert.ok((attempt?.at ?? -1) <= (attempt?.headersAt ?? -1));
    assert.ok((trace.stream?.firstChunkAt ?? -1) <= (trace.stream?.firstAt ?? -1));
    assert.equal(trace.end?.state, 'done');
    assert.ok(!JSON.stringify(trace).includes('sk-rill-test-key'));
  });

  it('sees each retried attempt as its own HTTP request', async () => {
    const { trace, outcome } = await run(scenarios.rateLimitThenOk());
    assert.equal(outcome.attempts, 3);
    assert.deepEqual(trace.attempts.map((a) => [a.attempt, a.status, a.retry?.reason]), [
      [1, 429, 'rate-limit'],
      [2, 429, 'rate-limit'],
      [3, 200, undefined],
    ]);
    assert.ok(trace.attempts.every((a) => a.at !== undefined && a.host !== ''));
  });
});
