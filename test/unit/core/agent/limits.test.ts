import { strict as assert } from 'node:assert';
import { chatStream, errorResponse, openaiToolStream, startLlmServer, toolsRejected, type LlmServer, type Script, type ToolCallSpec } from '../../../../src/local-llm';
import type { ToolDefinition } from '../../../../src/core/agent';
import { messagesOf, runLoop, ScriptedRunner, stateTrail, TIME, toolMessages, WEATHER } from './agent-harness';

const ANSWER = 'Here is the answer.';
const answer = (): Script => chatStream({ name: 'answer', text: ANSWER });
const timeCall = (id: string): Script => openaiToolStream({ calls: [{ id, name: 'get_time', arguments: { timezone: 'UTC' } }] });

describe('agent loop: round limit, Stop, providers without tools, the 128-tool cap', function () {
  this.timeout(15_000);
  let server: LlmServer;
  before(async () => {
    server = await startLlmServer();
  });
  after(() => server.close());

  it('the round limit ends with state round-limit and Continue, the conversation valid to send again', async () => {
    const runner = new ScriptedRunner([TIME]);
    const run = await runLoop(server, [timeCall('c1'), timeCall('c2')], runner, { maxRounds: 2 });
    assert.equal(run.outcome.state, 'round-limit');
    assert.deepEqual(run.outcome.actions, ['continue']);
    assert.equal(run.outcome.rounds, 2);
    assert.equal(run.requests.length, 2, 'no third request');
    assert.equal(runner.calls.length, 2, "the last round's calls ran, so Continue needs no re-run");
    const roles = run.outcome.messages.map((m) => m.role);
    assert.deepEqual(roles, ['assistant', 'tool', 'assistant', 'tool']);
  });

  it('Continue after the limit: the loop resumes from the saved messages and reuses no id', async () => {
    const runner = new ScriptedRunner([TIME]);
    const first = await runLoop(server, [timeCall('c1')], runner, { maxRounds: 1 });
    assert.equal(first.outcome.state, 'round-limit');
    const messages = [{ role: 'user' as const, content: 'time?' }, ...first.outcome.messages];
    const run = await runLoop(server, [timeCall('c1'), answer()], runner, { messages });
    assert.equal(run.outcome.state, 'done');
    assert.notEqual(runner.calls[1]?.id, 'c1', 'the repeated id was replaced');
    assert.equal(toolMessages(run.requests[1]).length, 2);
  });

  it('Stop during a request: the half-streamed call never runs, nothing is sent after, the step is stopped', async () => {
    const runner = new ScriptedRunner([WEATHER]);
    const slow = openaiToolStream({ calls: [{ id: 'call_slow', name: 'get_weather', arguments: { location: 'Paris', unit: 'celsius' } }], delayMs: 150 });
    const run = await runLoop(server, [slow], runner, {
      onEvent: (event, controller) => {
        if (event.kind === 'stepStarted') controller.abort();
      },
    });
    assert.equal(run.outcome.state, 'stopped');
    assert.equal(runner.calls.length, 0);
    assert.equal(run.requests.length, 1);
    assert.ok(run.ms < 1000, `ended at once (${Math.round(run.ms)} ms)`);
    assert.deepEqual(stateTrail(run.events).get('call_slow'), ['streaming', 'stopped']);
    assert.deepEqual(run.outcome.messages, [], 'nothing half-streamed is kept as if complete');
    const closed = await server.waitForClose(server.requests.length - 1);
    assert.equal(closed.finishedNormally, false, 'the request was cut, not read to the end');
  });

  for (const aware of [true, false]) {
    it(`Stop during a slow tool that ${aware ? 'honours' : 'ignores'} its signal: ends at once, nothing after`, async () => {
      let sawAbort = false;
      const runner = new ScriptedRunner([WEATHER, TIME], {
        get_weather: (_call, signal) =>
          new Promise((resolve) => {
            const timer = setTimeout(() => resolve({ status: 'ok', content: 'late' }), 5000);
            if (aware) {
              signal.addEventListener('abort', () => {
                sawAbort = true;
                clearTimeout(timer);
                resolve({ status: 'error', message: 'cancelled' });
              });
            }
          }),
      });
      const calls: ToolCallSpec[] = [
        { id: 'call_w', name: 'get_weather', arguments: { location: 'Paris' } },
        { id: 'call_t', name: 'get_time', arguments: {} },
      ];
      const run = await runLoop(server, [openaiToolStream({ calls })], runner, {
        onEvent: (event, controller) => {
          if (event.kind === 'stepState' && event.state === 'running') setTimeout(() => controller.abort(), 20);
        },
      });
      assert.equal(run.outcome.state, 'stopped');
      assert.ok(run.ms < 1500, `ended at once (${Math.round(run.ms)} ms)`);
      assert.equal(sawAbort, aware, 'the tool got the signal');
      assert.ok(runner.signals[0]?.aborted, 'the signal passed to the tool is the aborted one');
      assert.deepEqual(runner.calls.map((c) => c.name), ['get_weather'], 'the next call never started');
      assert.equal(run.requests.length, 1, 'no request after Stop');
      assert.deepEqual(stateTrail(run.events).get('call_w'), ['streaming', 'running', 'stopped']);
      assert.deepEqual(stateTrail(run.events).get('call_t'), ['streaming', 'stopped']);
      // Every call still has its tool message: the saved conversation can be sent again.
      assert.deepEqual(run.outcome.messages.map((m) => m.role), ['assistant', 'tool', 'tool']);
      const notRun = run.outcome.messages.at(-1);
      assert.match(String(notRun?.content), /stopped the answer before this call ran; it was not run/);
      assert.equal(run.outcome.rounds, 1);
      assert.ok(!run.events.some((e) => e.kind === 'roundStarted' && e.round > 1), 'no second round begins');
    });
  }

  it('Stop while a call waits for approval: the step is stopped at once and the tool never runs', async () => {
    const runner = new ScriptedRunner([WEATHER]);
    let approvalSignal: AbortSignal | undefined;
    runner.approve = (_call, signal) => {
      approvalSignal = signal;
      return new Promise(() => undefined); // the user never answers
    };
    const calls: ToolCallSpec[] = [{ id: 'call_ask', name: 'get_weather', arguments: { location: 'Paris' } }];
    const run = await runLoop(server, [openaiToolStream({ calls })], runner, {
      onEvent: (event, controller) => {
        if (event.kind === 'stepState' && event.state === 'pending-approval') setTimeout(() => controller.abort(), 20);
      },
    });
    assert.equal(run.outcome.state, 'stopped');
    assert.ok(run.ms < 1500);
    assert.ok(approvalSignal?.aborted, 'the approval saw the Stop (to close its prompt)');
    assert.equal(runner.calls.length, 0);
    assert.deepEqual(stateTrail(run.events).get('call_ask'), ['streaming', 'pending-approval', 'stopped']);
    assert.equal(run.requests.length, 1);
  });

  for (const provider of ['ollama', 'llama.cpp', 'vllm'] as const) {
    it(`row 29 (${provider}): a 400 for tools is retried once without them, reported, and remembered`, async () => {
      const runner = new ScriptedRunner([WEATHER]);
      const run = await runLoop(server, [toolsRejected(provider), answer()], runner);
      assert.equal(run.outcome.state, 'done');
      assert.equal(run.outcome.text, ANSWER);
      assert.equal(run.outcome.toolsUnsupported, true);
      assert.ok(run.events.some((e) => e.kind === 'toolsUnsupported'));
      assert.equal(run.requests.length, 2);
      assert.ok(Array.isArray(run.requests[0]?.body['tools']));
      assert.equal(run.requests[1]?.body['tools'], undefined, 'the retry carries no tools');
      assert.equal(run.outcome.rounds, 1, 'the retry is the same round');
    });
  }

  it('a conversation that remembers it sends no tools at all', async () => {
    const runner = new ScriptedRunner([WEATHER]);
    const run = await runLoop(server, [answer()], runner, { toolsUnsupported: true });
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.requests[0]?.body['tools'], undefined);
    assert.ok(!run.events.some((e) => e.kind === 'toolsUnsupported'));
  });

  it('another 400 is not retried without tools', async () => {
    const runner = new ScriptedRunner([WEATHER]);
    const run = await runLoop(server, [errorResponse(400, { message: "Unrecognized request argument supplied: temperatur" })], runner);
    assert.equal(run.outcome.state, 'error');
    assert.equal(run.outcome.problem?.kind, 'bad-request');
    assert.equal(run.outcome.toolsUnsupported, false);
    assert.equal(run.requests.length, 1);
  });

  it('more than 128 tools: the first 128 valid ones are sent, the rest reported with their reason', async () => {
    const many: ToolDefinition[] = Array.from({ length: 130 }, (_, i) => ({ name: `tool_${String(i).padStart(3, '0')}` }));
    const definitions = [{ name: 'bad name!' }, ...many.slice(0, 2), { name: 'tool_000', description: 'again' }, ...many.slice(2)];
    const run = await runLoop(server, [answer()], new ScriptedRunner(definitions));
    assert.equal(run.outcome.state, 'done', 'never a failed request');
    const sent = (run.requests[0]?.body['tools'] as Array<{ function: { name: string } }>).map((t) => t.function.name);
    assert.equal(sent.length, 128);
    assert.deepEqual(sent, many.slice(0, 128).map((t) => t.name));
    assert.deepEqual(run.outcome.omittedTools, [
      { name: 'bad name!', reason: 'invalid-name' },
      { name: 'tool_000', reason: 'duplicate-name' },
      { name: 'tool_128', reason: 'over-limit' },
      { name: 'tool_129', reason: 'over-limit' },
    ]);
    const event = run.events.find((e) => e.kind === 'toolsOmitted');
    assert.ok(event && event.kind === 'toolsOmitted' && event.tools.length === 4);
    assert.deepEqual(messagesOf(run.requests[0]).length, 1);
  });
});
