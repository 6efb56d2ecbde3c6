import { strict as assert } from 'node:assert';
import { INTERRUPTED, markInterrupted, replayEvents, StepLog, toolMessages, TranscriptBuilder } from '../../../../src/core/agent';
import { Conversation } from '../../../../src/core/conversation';
import { parseAgentTranscript } from '../../../../src/core/sessions/agent-record';
import { parseSessionRecord, recoverInterrupted } from '../../../../src/core/sessions/session-record';
import type { AgentEvent, AgentTranscript } from '../../../../src/protocol/agent-messages';

/** Two rounds: a read that ran and a denied edit in round 1, a command interrupted in round 2. */
function transcript(): AgentTranscript {
  return {
    rounds: 2,
    texts: [{ round: 1, text: 'Let me look.' }],
    steps: [
      { id: 'call_a', round: 1, name: 'rill_read_file', arguments: '{"path":"a.txt"}', state: 'done', result: '1| hello' },
      { id: 'call_b', round: 1, name: 'rill_edit_file', arguments: '{"path":"a.txt","oldText":"hello","newText":"bye"}', state: 'denied', error: 'The user denied this call.' },
      { id: 'call_c', round: 2, name: 'rill_run_command', arguments: '{"command":"npm test"}', state: 'pending-approval' },
    ],
  };
}

describe('Agent transcript: saved steps, reloaded and sent again', () => {
  it('builds the transcript from the loop events, moving a round’s text into it when a call follows', () => {
    const builder = new TranscriptBuilder();
    const events: AgentEvent[] = [
      { kind: 'roundStarted', round: 1, tools: 7 },
      { kind: 'stepStarted', step: { id: 'c1', round: 1, name: 'rill_list_files', arguments: '{', state: 'streaming' } },
      { kind: 'stepArguments', id: 'c1', delta: '}' },
      { kind: 'stepState', id: 'c1', state: 'running' },
      { kind: 'stepState', id: 'c1', state: 'done', result: 'a.txt' },
      { kind: 'roundStarted', round: 2, tools: 7 },
    ];
    const settles = events.map((event) => builder.apply(event));
    assert.deepEqual(settles, [false, true, false, false, false, false], 'only a step start settles the round’s text');
    builder.settle(1, 'Looking. ');
    builder.settle(1, 'More.');
    builder.settle(2, '   ');
    const value = builder.snapshot();
    assert.equal(value.rounds, 2);
    assert.deepEqual(value.texts, [{ round: 1, text: 'Looking. More.' }], 'blank text is not kept');
    assert.deepEqual(value.steps, [{ id: 'c1', round: 1, name: 'rill_list_files', arguments: '{}', state: 'done', result: 'a.txt' }]);
  });

  it('continues from a saved transcript (a continued loop keeps earlier steps)', () => {
    const builder = new TranscriptBuilder(transcript());
    builder.apply({ kind: 'stepState', id: 'call_c', state: 'done', result: 'ok' });
    const value = builder.snapshot();
    assert.equal(value.steps.length, 3);
    assert.equal(value.steps[2]?.state, 'done');
    assert.equal(value.texts[0]?.text, 'Let me look.');
  });

  it('rebuilds the assistant and tool messages the model saw, one tool message per call', () => {
    const messages = toolMessages(transcript());
    assert.deepEqual(messages.map((m) => m.role), ['assistant', 'tool', 'tool', 'assistant', 'tool']);
    const first = messages[0];
    assert.ok(first?.role === 'assistant');
    assert.equal(first.content, 'Let me look.');
    assert.deepEqual(first.tool_calls?.map((c) => c.id), ['call_a', 'call_b']);
    assert.deepEqual(messages[1], { role: 'tool', tool_call_id: 'call_a', content: '1| hello' });
    assert.deepEqual(messages[2], { role: 'tool', tool_call_id: 'call_b', content: 'The user denied this call.' });
    const second = messages[3];
    assert.ok(second?.role === 'assistant');
    assert.equal(second.content, null, 'a round with no text sends null content');
    assert.deepEqual(messages[4], { role: 'tool', tool_call_id: 'call_c', content: `Error: ${INTERRUPTED}` }, 'an unfinished call is answered, never left dangling');
  });

  it('sends a call cut off mid-arguments back with {} (valid JSON), its tool message saying it never ran', () => {
    const cut: AgentTranscript = { rounds: 1, texts: [], steps: [{ id: 'c', round: 1, name: 'rill_create_file', arguments: '{"path":"a.txt","content":"hel', state: 'stopped', error: 'Stopped.' }] };
    const [assistant, tool] = toolMessages(cut);
    assert.ok(assistant?.role === 'assistant');
    assert.equal((assistant.tool_calls?.[0] as { function: { arguments: string } } | undefined)?.function.arguments, '{}');
    assert.deepEqual(tool, { role: 'tool', tool_call_id: 'c', content: 'Error: Stopped.' });
  });

  it('marks unfinished steps interrupted on reload; finished ones stay as they were', () => {
    const marked = markInterrupted(transcript());
    assert.deepEqual(marked.steps.map((s) => s.state), ['done', 'denied', 'stopped']);
    assert.equal(marked.steps[2]?.error, INTERRUPTED);
    assert.equal(marked.steps[0]?.result, '1| hello', 'the finished read keeps its result');
    const done = { ...transcript(), steps: transcript().steps.slice(0, 2) };
    assert.equal(markInterrupted(done), done, 'nothing to mark: the same object');
  });

  it('recovers a session saved mid-loop: the answer truncated with Retry, its waiting step interrupted, never pending', () => {
    const record = parseSessionRecord({
      version: 1,
      id: 's1',
      title: 't',
      createdAt: 1,
      updatedAt: 2,
      messages: [
        { id: 'm1', role: 'user', text: 'run the tests', state: 'done' },
        { id: 'm2', role: 'assistant', text: '', state: 'streaming', agent: transcript() },
      ],
    });
    assert.ok(record);
    const recovered = recoverInterrupted(record, 'Interrupted.');
    const answer = recovered.messages[1];
    assert.equal(answer?.state, 'truncated');
    assert.deepEqual(answer?.actions, ['retry']);
    assert.deepEqual(answer?.agent?.steps.map((s) => s.state), ['done', 'denied', 'stopped']);
  });

  it('replays into the same steps a live view saw', () => {
    const saved = transcript();
    const log = new StepLog();
    const events = replayEvents(saved);
    for (const event of events) log.apply(event);
    assert.deepEqual(log.list(), saved.steps);
    assert.deepEqual(events[0], { kind: 'text', round: 1, text: 'Let me look.' }, 'a round’s text comes before its calls');
  });

  it('sends an agent answer’s calls and results with the history of later turns', () => {
    const conversation = new Conversation([
      { id: 'm1', role: 'user', text: 'read a.txt', state: 'done' },
      { id: 'm2', role: 'assistant', text: 'It says hello.', state: 'done', agent: { ...transcript(), rounds: 1, steps: transcript().steps.slice(0, 1) } },
      { id: 'm3', role: 'user', text: 'thanks', state: 'done' },
    ]);
    const history = conversation.history();
    assert.deepEqual(history.map((m) => m.role), ['user', 'assistant', 'tool', 'assistant', 'user']);
    assert.deepEqual(history[3], { role: 'assistant', content: 'It says hello.' });
  });

  it('refuses a damaged saved transcript, keeping the answer', () => {
    assert.ok(parseAgentTranscript(transcript()));
    const bad = [
      { ...transcript(), rounds: -1 },
      { ...transcript(), steps: [{ id: 'x', round: 1, name: 'n', arguments: '{}', state: 'exploded' }] },
      { ...transcript(), steps: [{ id: '', round: 1, name: 'n', arguments: '{}', state: 'done' }] },
      { ...transcript(), texts: [{ round: 1 }] },
      'steps',
    ];
    for (const value of bad) assert.equal(parseAgentTranscript(value), undefined, JSON.stringify(value));
    const record = parseSessionRecord({ version: 1, id: 's1', title: 't', createdAt: 1, updatedAt: 2, messages: [{ id: 'm2', role: 'assistant', text: 'kept', state: 'done', agent: bad[1] }] });
    assert.equal(record?.messages[0]?.text, 'kept');
    assert.equal(record?.messages[0]?.agent, undefined);
  });
});

describe('CallIds: every call gets an id the approval protocol accepts', () => {
  it('keeps a server’s plain id, replaces repeated, missing, long or odd ones', async () => {
    const { CallIds } = await import('../../../../src/core/agent');
    const { parseFromWebview } = await import('../../../../src/protocol/parse');
    const ids = new CallIds([{ role: 'tool', tool_call_id: 'call_old', content: 'x' }]);
    const got = [
      ids.assign('call_abc', 1, 0),
      ids.assign('call_abc', 1, 1),
      ids.assign(undefined, 1, 2),
      ids.assign('call_old', 2, 0),
      ids.assign('x'.repeat(65), 2, 1),
      ids.assign('a/b+c==', 2, 2),
      ids.assign('call with spaces', 2, 3),
    ];
    assert.deepEqual(got, ['call_abc', 'rill_1_1', 'rill_1_2', 'rill_2_0', 'rill_2_1', 'rill_2_2', 'rill_2_3']);
    for (const stepId of got) {
      assert.ok(parseFromWebview({ type: 'toolApproval', messageId: 'm2', stepId, choice: 'allow' }), `${stepId} can be approved`);
    }
  });
});
