import { strict as assert } from 'node:assert';
import { chatStream, openaiToolStream, startLlmServer, vllmToolStream, type LlmServer } from '../../../../src/local-llm';
import { StepLog } from '../../../../src/core/agent';
import type { ToolStepState } from '../../../../src/protocol/agent-messages';
import { runLoop, ScriptedRunner, TIME, WEATHER } from './agent-harness';

const FINAL: readonly ToolStepState[] = ['done', 'denied', 'error', 'stopped'];

/**
 * The events are the UI's only view of the loop: a webview (or a reloaded conversation) that
 * replays them must arrive at exactly the steps the loop reports, every step must end in a final
 * state, and nothing may refer to a step before it started.
 */
describe('agent loop: the events describe the steps completely', function () {
  this.timeout(15_000);
  let server: LlmServer;
  before(async () => {
    server = await startLlmServer();
  });
  after(() => server.close());

  it('replaying the events of a mixed run rebuilds the outcome’s steps exactly', async () => {
    const runner = new ScriptedRunner([WEATHER, TIME], {
      get_weather: (call) => (call.arguments['location'] === 'Atlantis' ? { status: 'error', message: 'no such place' } : { status: 'ok', content: '18 °C' }),
    });
    runner.approve = (call) => (call.arguments['timezone'] === 'secret' ? Promise.resolve({ allow: false }) : { allow: true });
    const scripts = [
      openaiToolStream({
        text: 'Checking.',
        calls: [
          { id: 'a', name: 'get_weather', arguments: { location: 'Paris' } },
          { id: 'b', name: 'get_weather', arguments: { location: 'Atlantis' } },
          { id: 'c', name: 'get_time', arguments: { timezone: 'secret' } },
        ],
      }),
      vllmToolStream({ calls: [{ name: 'get_time', arguments: '{"timezone": ' }] }),
      chatStream({ text: 'Done.' }),
    ];
    const run = await runLoop(server, scripts, runner);
    assert.equal(run.outcome.state, 'done');

    const replay = new StepLog();
    const started = new Set<string>();
    for (const event of run.events) {
      if (event.kind === 'stepArguments' || event.kind === 'stepState') assert.ok(started.has(event.id), `${event.kind} for ${event.id} after its start`);
      if (event.kind === 'stepStarted') started.add(event.step.id);
      replay.apply(event);
    }
    assert.deepEqual(replay.list(), run.outcome.steps);
    assert.deepEqual(
      run.outcome.steps.map((s) => [s.round, s.name, s.state]),
      [
        [1, 'get_weather', 'done'],
        [1, 'get_weather', 'error'],
        [1, 'get_time', 'denied'],
        [2, 'get_time', 'error'],
      ],
    );
    assert.ok(run.outcome.steps.every((s) => FINAL.includes(s.state)));
    assert.equal(run.outcome.steps[3]?.arguments, '{"timezone": ', 'the malformed arguments are shown as sent');
  });

  it('usage is summed over the rounds', async () => {
    const runner = new ScriptedRunner([TIME]);
    const run = await runLoop(server, [vllmToolStream({ calls: [{ name: 'get_time', arguments: {} }] }), chatStream({ text: 'ok', usage: { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105 } })], runner);
    assert.deepEqual(run.outcome.usage, { promptTokens: 140, completionTokens: 17, totalTokens: 157 });
  });
});
