import { strict as assert } from 'node:assert';
import { chatStream, openaiToolStream, startLlmServer, type LlmServer, type Script, type ToolCallSpec } from '../../../../src/local-llm';
import type { ApprovalDecision, ToolCall } from '../../../../src/core/agent';
import { runLoop, ScriptedRunner, stateTrail, TIME, toolMessages, WEATHER } from './agent-harness';

const ANSWER = 'Done.';
const answer = (): Script => chatStream({ name: 'answer', text: ANSWER });
const GOOD: ToolCallSpec = { id: 'call_good', name: 'get_time', arguments: { timezone: 'UTC' } };

/**
 * Whatever goes wrong with one call, the model hears about it in that call's tool message and the
 * loop asks again; the other calls of the round still run.
 */
describe('agent loop: calls that cannot run are answered, never a crash', function () {
  this.timeout(15_000);
  let server: LlmServer;
  before(async () => {
    server = await startLlmServer();
  });
  after(() => server.close());

  async function oneBadCall(bad: ToolCallSpec, runner: ScriptedRunner) {
    const run = await runLoop(server, [openaiToolStream({ calls: [bad, GOOD] }), answer()], runner);
    assert.equal(run.outcome.state, 'done', 'the loop went on to the answer');
    assert.equal(run.outcome.text, ANSWER);
    const replies = toolMessages(run.requests[1]);
    assert.deepEqual(replies.map((r) => r.tool_call_id), [bad.id, GOOD.id], 'each call has its tool message');
    assert.match(replies[1]?.content ?? '', /^result of get_time/, 'the good call ran');
    const badStep = run.outcome.steps.find((s) => s.id === bad.id);
    return { run, reply: replies[0]?.content ?? '', badStep };
  }

  it('malformed JSON arguments: the tool is not run, the model is told the arguments were not valid JSON', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const { reply, badStep } = await oneBadCall({ id: 'call_bad', name: 'get_weather', arguments: '{"location": "Paris"' }, runner);
    assert.deepEqual(runner.calls.map((c) => c.name), ['get_time'], 'get_weather never ran');
    assert.match(reply, /^Error: The arguments were not valid JSON/);
    assert.equal(badStep?.state, 'error');
    assert.equal(badStep?.arguments, '{"location": "Paris"', 'the step keeps what the model sent');
  });

  it('malformed arguments are sent back as {}: servers that parse them would refuse the next request', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const { run } = await oneBadCall({ id: 'call_bad', name: 'get_weather', arguments: '{"location": "Par' }, runner);
    const body = run.requests[1]?.body as unknown as { messages: Array<{ role: string; tool_calls?: Array<{ id: string; function: { arguments: string } }> }> };
    const calls = body.messages.find((m) => m.role === 'assistant' && m.tool_calls)?.tool_calls ?? [];
    assert.deepEqual(calls.map((c) => [c.id, c.function.arguments]), [['call_bad', '{}'], ['call_good', '{"timezone":"UTC"}']]);
    for (const call of calls) assert.doesNotThrow(() => JSON.parse(call.function.arguments), 'every call parses');
  });

  it('arguments that are JSON but not an object are refused the same way', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const { reply } = await oneBadCall({ id: 'call_arr', name: 'get_weather', arguments: '["Paris"]' }, runner);
    assert.match(reply, /must be a JSON object/);
    assert.equal(runner.calls.length, 1);
  });

  it('empty arguments are no arguments: the tool runs with {}', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const run = await runLoop(server, [openaiToolStream({ calls: [{ id: 'call_e', name: 'get_time', arguments: '' }] }), answer()], runner);
    assert.equal(run.outcome.state, 'done');
    assert.deepEqual(runner.calls[0]?.arguments, {});
  });

  it('a tool that throws: the model gets its error, the loop goes on', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME], {
      get_weather: () => {
        throw new Error('weather service unreachable');
      },
    });
    const { reply, badStep } = await oneBadCall({ id: 'call_throw', name: 'get_weather', arguments: { location: 'Paris' } }, runner);
    assert.equal(reply, 'Error: The tool failed: weather service unreachable');
    assert.equal(badStep?.state, 'error');
    assert.match(badStep?.error ?? '', /unreachable/);
  });

  it('a tool that returns an error: the same', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME], { get_weather: () => ({ status: 'error', message: 'no such place: Atlantis' }) });
    const { reply, badStep } = await oneBadCall({ id: 'call_err', name: 'get_weather', arguments: { location: 'Atlantis' } }, runner);
    assert.equal(reply, 'Error: no such place: Atlantis');
    assert.equal(badStep?.state, 'error');
  });

  it('a call to a tool that was not offered: a tool error naming it, the runner never asked', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const { reply, badStep } = await oneBadCall({ id: 'call_unknown', name: 'rm_rf', arguments: {} }, runner);
    assert.match(reply, /^Error: There is no tool named "rm_rf"/);
    assert.deepEqual(runner.calls.map((c) => c.name), ['get_time']);
    assert.equal(badStep?.state, 'error');
  });

  it('denied while the user is asked: pending-approval, then denied; the model is told and goes on', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    const asked: ToolCall[] = [];
    runner.approve = (call): ApprovalDecision | Promise<ApprovalDecision> => {
      if (call.name === 'get_time') return { allow: true }; // read-only: decided at once
      asked.push(call);
      return new Promise((resolve) => setTimeout(() => resolve({ allow: false }), 30));
    };
    const { run, reply, badStep } = await oneBadCall({ id: 'call_deny', name: 'get_weather', arguments: { location: 'Paris' } }, runner);
    assert.deepEqual(asked.map((c) => c.id), ['call_deny']);
    assert.match(reply, /^The user denied this call\./);
    assert.deepEqual(runner.calls.map((c) => c.name), ['get_time'], 'the denied tool never ran');
    assert.equal(badStep?.state, 'denied');
    const trails = stateTrail(run.events);
    assert.deepEqual(trails.get('call_deny'), ['streaming', 'pending-approval', 'denied']);
    assert.deepEqual(trails.get('call_good'), ['streaming', 'running', 'done'], 'a synchronous yes never shows pending');
  });

  it('approved after asking: pending-approval, running, done', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    runner.approve = () => new Promise((resolve) => setTimeout(() => resolve({ allow: true }), 20));
    const run = await runLoop(server, [openaiToolStream({ calls: [GOOD] }), answer()], runner);
    assert.equal(run.outcome.state, 'done');
    assert.deepEqual(stateTrail(run.events).get('call_good'), ['streaming', 'pending-approval', 'running', 'done']);
  });

  it('a runner that answers denied itself (with a reason): the model gets the reason', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME], { get_weather: () => ({ status: 'denied', reason: 'not in this workspace' }) });
    const { reply, badStep } = await oneBadCall({ id: 'call_d2', name: 'get_weather', arguments: { location: 'Paris' } }, runner);
    assert.match(reply, /^The user denied this call: not in this workspace\./);
    assert.equal(badStep?.state, 'denied');
  });

  it('an approval that throws is a tool error, not a crash', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME]);
    runner.approve = (call) => {
      if (call.name === 'get_weather') throw new Error('approval UI gone');
      return { allow: true };
    };
    const { reply } = await oneBadCall({ id: 'call_ax', name: 'get_weather', arguments: { location: 'Paris' } }, runner);
    assert.match(reply, /approval UI gone/);
  });
});
