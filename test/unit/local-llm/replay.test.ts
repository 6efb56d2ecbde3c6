import { strict as assert } from 'node:assert';
import OpenAI from 'openai';
import { captureFetch, formatRecording, parseRecording, recordingFromCapture, StreamCapture } from '../../../src/core/recording';
import { runChat, type Endpoint } from '../../../src/core/stream/run-chat';
import type { StreamEvent, StreamOutcome } from '../../../src/core/stream/events';
import { chatStream, replayScripts, scenarios, startLlmServer, type LlmServer, type ScenarioName, type Script } from '../../../src/local-llm';

interface Recorded {
  outcome: StreamOutcome;
  text: string;
  reasoning: string;
  capture: StreamCapture;
}

/** One answer through Rill's engine and the real openai SDK, its response bytes captured. */
async function answer(server: LlmServer, scripts: Script[], options: { idleTimeoutMs?: number; maxRetries?: number } = {}): Promise<Recorded> {
  server.enqueue(...scripts);
  const capture = new StreamCapture();
  const endpoint: Endpoint = {
    createClient: (fetch) => new OpenAI({ baseURL: server.url, apiKey: 'sk-rill-replay-test', fetch }),
    fetch: captureFetch(globalThis.fetch, capture),
  };
  let text = '';
  let reasoning = '';
  const outcome = await runChat(endpoint, { model: 'rill-test', messages: [{ role: 'user', content: 'hi' }] }, {
    signal: new AbortController().signal,
    idleTimeoutMs: options.idleTimeoutMs ?? 5000,
    maxRetries: options.maxRetries ?? 2,
    sleep: async () => undefined,
    onEvent: (event: StreamEvent) => {
      if (event.kind === 'text' || event.kind === 'refusal') text += event.text;
      if (event.kind === 'reasoning') reasoning += event.text;
    },
  });
  return { outcome, text, reasoning, capture };
}

/** The recording as a file would hold it: written and read back. */
const throughFile = (capture: StreamCapture) => parseRecording(formatRecording(recordingFromCapture(capture.exchanges, { secrets: ['sk-rill-replay-test'] })));

const chunksOf = (capture: StreamCapture, n = 0) => capture.exchanges[n]!.chunks.map((c) => Buffer.from(c).toString('latin1'));

describe('replay of a stream recording (local server)', function () {
  this.timeout(60_000);
  let server: LlmServer;
  before(async () => {
    server = await startLlmServer();
  });
  after(() => server.close());

  it('sends the same bytes in the same chunking, status and headers', async () => {
    const original = await answer(server, [scenarios.byteByByte('こんにちは、世界！🌏')]);
    assert.ok(original.capture.exchanges[0]!.chunks.length > 50, 'one byte per write arrives as many chunks');
    const replayed = await answer(server, replayScripts(throughFile(original.capture)));
    assert.deepEqual(chunksOf(replayed.capture), chunksOf(original.capture));
    assert.equal(replayed.capture.exchanges[0]!.status, 200);
    assert.equal(replayed.capture.exchanges[0]!.responseHeaders?.['content-type'], original.capture.exchanges[0]!.responseHeaders?.['content-type']);
    assert.equal(replayed.capture.exchanges[0]!.responseHeaders?.['x-request-id'], original.capture.exchanges[0]!.responseHeaders?.['x-request-id']);
    assert.equal(replayed.text, original.text);
  });

  it('keeps the timing, or scales it by --speed', async () => {
    const original = await answer(server, [chatStream({ text: 'one two three four five six', chunkSize: 4, delayMs: 60 })]);
    const gaps = (capture: StreamCapture) => {
      const ats = capture.exchanges[0]!.ats;
      return ats[ats.length - 1]! - ats[0]!;
    };
    const span = gaps(original.capture);
    assert.ok(span > 300, `the original spans ${span} ms`);
    const same = await answer(server, replayScripts(throughFile(original.capture)));
    assert.deepEqual(chunksOf(same.capture), chunksOf(original.capture));
    assert.ok(Math.abs(gaps(same.capture) - span) < 0.25 * span, `replayed over ${gaps(same.capture)} ms, recorded ${span} ms`);
    const fast = await answer(server, replayScripts(throughFile(original.capture), { speed: 4 }));
    assert.ok(gaps(fast.capture) < 0.5 * span, `at speed 4: ${gaps(fast.capture)} ms vs ${span} ms`);
  });

  it('refuses a speed that is not positive', () => {
    assert.throws(() => replayScripts(formatRecording({ v: 1, exchanges: [] }), { speed: 0 }), /positive/);
  });

  // Every provider row of the catalogue: recorded, written to a file, read and replayed, the
  // answer ends the same through Rill's engine (text, reasoning, state, finish, usage, tool calls).
  const rows: Record<ScenarioName, { scripts: () => Script[]; idleTimeoutMs?: number; maxRetries?: number }> = {
    normal: { scripts: () => [scenarios.normal()] },
    mixedLineEndings: { scripts: () => [scenarios.mixedLineEndings()] },
    keepAlive: { scripts: () => [scenarios.keepAlive({ delayMs: 5 })] },
    byteByByte: { scripts: () => [scenarios.byteByByte('Rill は😀👩‍💻')] },
    eventErrorWithoutErrorKey: { scripts: () => [scenarios.eventErrorWithoutErrorKey()] },
    midStreamDataError: { scripts: () => [scenarios.midStreamDataError('vllm')] },
    llamaCppErrorField: { scripts: () => [scenarios.llamaCppErrorField()] },
    closeWithoutDone: { scripts: () => [scenarios.closeWithoutDone()] },
    socketReset: { scripts: () => [scenarios.socketReset()] },
    doneThenHoldOpen: { scripts: () => [scenarios.doneThenHoldOpen()], idleTimeoutMs: 500 },
    noTrailingBlankLine: { scripts: () => [scenarios.noTrailingBlankLine()] },
    azureFilters: { scripts: () => [scenarios.azureFilters()] },
    azureContentFilterFinish: { scripts: () => [scenarios.azureContentFilterFinish()] },
    toolCalls: { scripts: () => [scenarios.toolCalls()] },
    reasoning: { scripts: () => [scenarios.reasoning('reasoning')] },
    rateLimitThenOk: { scripts: () => scenarios.rateLimitThenOk({ retryAfterMs: 1 }) },
    insufficientQuota: { scripts: () => [scenarios.insufficientQuota()] },
    serverError500: { scripts: () => [1, 2, 3].map(() => scenarios.serverError500({ retryAfterMs: 1 })) },
    html503: { scripts: () => [1, 2, 3].map(() => scenarios.html503()) },
    contextTooLong: { scripts: () => [scenarios.contextTooLong()] },
    unauthorized: { scripts: () => [scenarios.unauthorized()] },
    forbidden: { scripts: () => [scenarios.forbidden()] },
    modelNotFound: { scripts: () => [scenarios.modelNotFound()] },
    azurePromptFiltered: { scripts: () => [scenarios.azurePromptFiltered()] },
    stallBeforeHeaders: { scripts: () => [scenarios.stallBeforeHeaders()], idleTimeoutMs: 300, maxRetries: 0 },
    stallMidStream: { scripts: () => [scenarios.stallMidStream()], idleTimeoutMs: 300 },
    jsonBodyToStream: { scripts: () => [scenarios.jsonBodyToStream()] },
    slowStream: { scripts: () => [scenarios.slowStream({ delayMs: 1 })] },
    lengthFinish: { scripts: () => [scenarios.lengthFinish()] },
    refusal: { scripts: () => [scenarios.refusal()] },
    mistralContentParts: { scripts: () => [scenarios.mistralContentParts()] },
    doneWithoutFinishReason: { scripts: () => [scenarios.doneWithoutFinishReason()] },
    groqUsage: { scripts: () => [scenarios.groqUsage()] },
  };

  const endState = (run: Recorded) => ({
    text: run.text,
    reasoning: run.reasoning,
    state: run.outcome.state,
    finishReason: run.outcome.finishReason,
    usage: run.outcome.usage,
    toolCalls: run.outcome.toolCalls,
    problem: run.outcome.problem && { kind: run.outcome.problem.kind, status: run.outcome.problem.status },
    attempts: run.outcome.attempts,
  });

  for (const [name, row] of Object.entries(rows)) {
    it(`row ${name}: the replay ends in the same state as the recorded stream`, async () => {
      const options = { idleTimeoutMs: row.idleTimeoutMs, maxRetries: row.maxRetries };
      const original = await answer(server, row.scripts(), options);
      const recording = throughFile(original.capture);
      assert.equal(recording.exchanges.length, original.outcome.attempts || 1, 'one exchange per attempt');
      const replayed = await answer(server, replayScripts(recording, { speed: Infinity }), options);
      assert.deepEqual(endState(replayed), endState(original));
      assert.equal(server.pending(), 0, 'every recorded exchange was requested again');
    });
  }
});
