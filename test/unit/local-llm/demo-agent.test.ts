// The pure agent loop against the offline demo model: what `npm start` shows in agent mode with no
// network. The model's side goes through the real server and SDK; the tools are an in-memory runner
// offering the built-in read-only definitions.
import { strict as assert } from 'node:assert';
import { BUILTIN_TOOLS } from '../../../src/core/tools';
import { startLlmServer, type LlmServer } from '../../../src/local-llm';
import { DEMO_LOOKING } from '../../../src/local-llm/demo-tools';
import { messagesOf, runLoop, ScriptedRunner, stateTrail } from '../core/agent/agent-harness';

const LISTING = ['README.md', 'package.json', 'src/extension/main.ts', 'src/core/agent/agent-loop.ts'].join('\n');

describe('demo model: the agent loop with the read-only tools', () => {
  let server: LlmServer;
  beforeEach(async () => {
    server = await startLlmServer({ demoDelayMs: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists the workspace, then answers with the result summarised: done after 2 rounds', async () => {
    const runner = new ScriptedRunner(
      BUILTIN_TOOLS.filter((tool) => tool.readOnly),
      { rill_list_files: () => ({ status: 'ok', content: LISTING }) },
    );
    const run = await runLoop(server, [], runner, { messages: [{ role: 'user', content: 'Which files are in this workspace?' }] });

    assert.equal(run.outcome.state, 'done', JSON.stringify(run.outcome.problem));
    assert.equal(run.outcome.rounds, 2);
    assert.deepEqual(run.requests.map((r) => r.scriptName), ['demoToolCall', 'demo']);
    assert.deepEqual(runner.calls.map((c) => [c.name, c.arguments]), [['rill_list_files', {}]]);
    assert.deepEqual([...stateTrail(run.events).values()], [['streaming', 'running', 'done']]);
    // The first round's text was intermediate; the loop sent the offered tools both times.
    const first = run.outcome.messages[0] as { content?: unknown };
    assert.equal(first.content, DEMO_LOOKING);
    assert.equal((run.requests[0]?.body['tools'] as unknown[]).length, 4);
    assert.equal(messagesOf(run.requests[1]).at(-1)?.['content'], LISTING);

    assert.match(run.outcome.text, /offline demo model, not a real LLM/);
    assert.match(run.outcome.text, /`rill_list_files` returned 4 lines:/);
    assert.ok(run.outcome.text.includes('```text\nREADME.md\npackage.json\nsrc/extension/main.ts\nsrc/core/agent/agent-loop.ts\n```'), run.outcome.text);
  });

  it('reads the file a prompt names, and reports a tool error as what came back', async () => {
    const runner = new ScriptedRunner(
      BUILTIN_TOOLS.filter((tool) => tool.readOnly),
      { rill_read_file: () => ({ status: 'error', message: 'No file named docs/missing.md in the workspace.' }) },
    );
    const run = await runLoop(server, [], runner, { messages: [{ role: 'user', content: 'Summarise docs/missing.md' }] });
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.rounds, 2);
    assert.deepEqual(runner.calls.map((c) => [c.name, c.arguments]), [['rill_read_file', { path: 'docs/missing.md' }]]);
    assert.match(run.outcome.text, /`rill_read_file` returned 1 line:\n\n```text\nError: No file named docs\/missing\.md in the workspace\.\n```/);
  });

  it('with a prompt not about the workspace, answers at once as the ordinary demo', async () => {
    const runner = new ScriptedRunner(BUILTIN_TOOLS.filter((tool) => tool.readOnly));
    const run = await runLoop(server, [], runner, { messages: [{ role: 'user', content: 'Tell me a joke' }] });
    assert.equal(run.outcome.state, 'done');
    assert.equal(run.outcome.rounds, 1);
    assert.equal(runner.calls.length, 0);
    assert.match(run.outcome.text, /You wrote:\n\n> Tell me a joke/);
  });
});
