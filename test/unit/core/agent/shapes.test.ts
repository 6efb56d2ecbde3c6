import { strict as assert } from 'node:assert';
import {
  chatStream,
  llamaCppToolStream,
  ollamaToolStream,
  openaiToolStream,
  startLlmServer,
  toolCallsThenText,
  vllmToolStream,
  type LlmServer,
  type Script,
  type ToolCallSpec,
} from '../../../../src/local-llm';
import { messagesOf, runLoop, ScriptedRunner, stateTrail, TIME, toolMessages, WEATHER, type LoopRun } from './agent-harness';

const PARIS = { location: 'Paris', unit: 'celsius' };
const TWO_CALLS: ToolCallSpec[] = [
  { id: 'call_weather_1', name: 'get_weather', arguments: PARIS },
  { id: 'call_time_2', name: 'get_time', arguments: { timezone: 'Europe/Paris' } },
];
const ANSWER = 'It is 18 °C in Paris, and 14:05.';
const answer = (): Script => chatStream({ name: 'answer', text: ANSWER, usage: true });

/** What every tool round must hold: the server saw the calls answered, and the loop ended with text. */
function assertAnswered(run: LoopRun, runner: ScriptedRunner, expectedCalls: number): void {
  assert.equal(run.outcome.state, 'done', JSON.stringify(run.outcome.problem));
  assert.equal(run.outcome.text, ANSWER);
  assert.equal(run.requests.length, 2);
  assert.equal(runner.calls.length, expectedCalls);
  const second = messagesOf(run.requests[1]);
  const assistant = second.find((m) => m['role'] === 'assistant') as { tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }> };
  assert.ok(assistant?.tool_calls, 'the assistant message with its tool_calls was sent back');
  assert.equal(assistant.tool_calls.length, expectedCalls);
  const replies = toolMessages(run.requests[1]);
  assert.deepEqual(
    replies.map((r) => r.tool_call_id),
    assistant.tool_calls.map((c) => c.id),
    'one tool message per call, answering its id, in order',
  );
  assert.equal(new Set(replies.map((r) => r.tool_call_id)).size, expectedCalls, 'ids are unique');
  for (const [i, call] of assistant.tool_calls.entries()) {
    assert.equal(call.type, 'function');
    assert.deepEqual(JSON.parse(call.function.arguments), runner.calls[i]?.arguments);
    assert.equal(call.function.name, runner.calls[i]?.name);
    assert.match(replies[i]?.content ?? '', new RegExp(`^result of ${call.function.name}`));
  }
  assert.deepEqual(messagesOf(run.requests[1]).at(-1 - expectedCalls)?.['role'], 'assistant');
  assert.ok(run.outcome.steps.every((s) => s.state === 'done'));
  // What the loop hands back for saving is exactly what it sent, plus the answer.
  assert.deepEqual(run.outcome.messages.slice(0, -1), messagesOf(run.requests[1]).slice(1));
  assert.deepEqual(run.outcome.messages.at(-1), { role: 'assistant', content: ANSWER });
}

describe('agent loop: each provider’s tool-call shape through the real SDK', function () {
  this.timeout(15_000);
  let server: LlmServer;
  before(async () => {
    server = await startLlmServer();
  });
  after(() => server.close());

  it('row 30 (OpenAI fragments, parallel calls): tools sent, both run, results sent back, then the answer', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const run = await runLoop(server, toolCallsThenText(TWO_CALLS, ANSWER), runner);
    assertAnswered(run, runner, 2);
    const tools = run.requests[0]?.body['tools'] as Array<{ type: string; function: { name: string; parameters: unknown } }>;
    assert.deepEqual(tools.map((t) => [t.type, t.function.name]), [['function', 'get_weather'], ['function', 'get_time']]);
    assert.deepEqual(tools[0]?.function.parameters, WEATHER.parameters);
    assert.deepEqual(runner.calls.map((c) => c.id), ['call_weather_1', 'call_time_2'], "OpenAI's own ids are kept");
    assert.deepEqual(runner.calls[0]?.arguments, PARIS);
  });

  it('steps appear when the name arrives and their arguments grow live, before the round ends', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const run = await runLoop(server, toolCallsThenText(TWO_CALLS, ANSWER), runner);
    const kinds = run.events.map((e) => e.kind);
    const started = run.events.findIndex((e) => e.kind === 'stepStarted');
    assert.ok(started >= 0 && started < kinds.indexOf('roundEnded'), 'stepStarted before the round ended');
    const first = run.events[started];
    assert.ok(first?.kind === 'stepStarted' && first.step.name === 'get_weather' && first.step.arguments === '');
    const deltas = run.events.filter((e) => e.kind === 'stepArguments' && e.id === 'call_weather_1').map((e) => (e.kind === 'stepArguments' ? e.delta : ''));
    assert.ok(deltas.length > 1, 'arguments arrive in several pieces');
    assert.equal(deltas.join(''), JSON.stringify(PARIS));
    for (const trail of stateTrail(run.events).values()) assert.deepEqual(trail, ['streaming', 'running', 'done']);
    assert.deepEqual(kinds.filter((k) => k === 'roundStarted' || k === 'roundEnded'), ['roundStarted', 'roundEnded', 'roundStarted', 'roundEnded']);
  });

  for (const oneDelta of [false, true]) {
    it(`Ollama: parallel whole calls, ${oneDelta ? 'all in one delta' : 'one chunk each'}`, async () => {
      const runner = new ScriptedRunner([WEATHER, TIME]);
      const run = await runLoop(server, [ollamaToolStream({ calls: TWO_CALLS.map(({ id: _id, ...c }) => c), oneDelta }), answer()], runner);
      assertAnswered(run, runner, 2);
      assert.match(runner.calls[0]?.id ?? '', /^call_[a-z0-9]{8}$/);
    });
  }

  it('ids repeated across answers (servers that number calls call_0 in every answer) are replaced', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const scripts = [
      ollamaToolStream({ calls: [{ id: 'call_0', name: 'get_weather', arguments: PARIS }] }),
      ollamaToolStream({ calls: [{ id: 'call_0', name: 'get_time', arguments: { timezone: 'UTC' } }] }),
      answer(),
    ];
    const run = await runLoop(server, scripts, runner);
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.text, ANSWER);
    const ids = runner.calls.map((c) => c.id);
    assert.equal(ids[0], 'call_0');
    assert.notEqual(ids[1], 'call_0', 'the repeated id was replaced');
    const replies = toolMessages(run.requests[2]);
    assert.deepEqual(replies.map((r) => r.tool_call_id), ids);
    const calls = messagesOf(run.requests[2]).flatMap((m) => (m['tool_calls'] as Array<{ id: string }> | undefined) ?? []);
    assert.deepEqual(calls.map((c) => c.id), ids);
  });

  it('two calls with the same id in one answer get distinct ids', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const calls = TWO_CALLS.map((c) => ({ ...c, id: 'call_dup' }));
    const run = await runLoop(server, [ollamaToolStream({ calls }), answer()], runner);
    assertAnswered(run, runner, 2);
  });

  for (const whole of [false, true]) {
    it(`vLLM: name first without arguments, then ${whole ? 'the arguments whole' : 'argument pieces'}`, async () => {
      const runner = new ScriptedRunner([WEATHER, TIME]);
      const run = await runLoop(server, [vllmToolStream({ calls: TWO_CALLS.map(({ id: _id, ...c }) => c), whole }), answer()], runner);
      assertAnswered(run, runner, 2);
      assert.match(runner.calls[0]?.id ?? '', /^chatcmpl-tool-/);
    });
  }

  it('llama.cpp: content null first, finish with timings; calls without ids get ids of their own', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const run = await runLoop(server, [llamaCppToolStream({ calls: TWO_CALLS, omitIds: true }), answer()], runner);
    assertAnswered(run, runner, 2);
    assert.deepEqual(runner.calls.map((c) => c.id), ['rill_1_0', 'rill_1_1']);
  });

  it('llama.cpp with its own ids keeps them', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const run = await runLoop(server, [llamaCppToolStream({ calls: TWO_CALLS.map(({ id: _id, ...c }) => c) }), answer()], runner);
    assertAnswered(run, runner, 2);
    assert.match(runner.calls[0]?.id ?? '', /^Xq70/);
  });

  it('text before the calls: shown as the round’s text and sent back as the assistant content', async () => {
    const runner = new ScriptedRunner([WEATHER]);
    const before = 'Let me look that up.';
    const run = await runLoop(server, [openaiToolStream({ text: before, calls: [TWO_CALLS[0] as ToolCallSpec] }), answer()], runner);
    assertAnswered(run, runner, 1);
    const texts = run.events.filter((e) => e.kind === 'text');
    assert.equal(texts.filter((e) => e.round === 1).map((e) => e.text).join(''), before);
    assert.equal(texts.filter((e) => e.round === 2).map((e) => e.text).join(''), ANSWER);
    const assistant = messagesOf(run.requests[1]).find((m) => m['role'] === 'assistant');
    assert.equal(assistant?.['content'], before);
  });

  for (const shape of ['openai', 'ollama', 'vllm', 'llama.cpp'] as const) {
    it(`finish_reason "stop" with calls (${shape}): the calls still run`, async () => {
      const runner = new ScriptedRunner([WEATHER, TIME]);
      const spec = { calls: TWO_CALLS, finishReason: 'stop' as const };
      const script =
        shape === 'openai' ? openaiToolStream(spec) : shape === 'ollama' ? ollamaToolStream(spec) : shape === 'vllm' ? vllmToolStream(spec) : llamaCppToolStream(spec);
      const run = await runLoop(server, [script, answer()], runner);
      assertAnswered(run, runner, 2);
    });
  }

  it('a plain answer with no calls is one round; the tools were offered all the same', async () => {
    const runner = new ScriptedRunner([WEATHER]);
    const run = await runLoop(server, [answer()], runner);
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.rounds, 1);
    assert.equal(run.requests.length, 1);
    assert.equal((run.requests[0]?.body['tools'] as unknown[]).length, 1);
    assert.deepEqual(run.outcome.messages, [{ role: 'assistant', content: ANSWER }]);
  });
});
