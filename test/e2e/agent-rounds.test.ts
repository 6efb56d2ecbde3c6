// Agent mode's round limit end to end: a loop that reaches `rill.agent.maxRounds` stops in a clear
// state with Continue, and Continue goes on from where it stopped: the same steps, the model sent
// every call and result so far, the rounds counted on.
import { strict as assert } from 'node:assert';
import { chatStream, openaiToolStream } from '../../src/local-llm';
import { ANSWERS, answer, send, waitForAnswer } from './support/chat';
import { messagesOf, openAgentBench, screenshotOnFailure, stepCount, toolMessages, waitForStep, type AgentBench } from './support/agent';

describe('agent mode: the round limit and Continue in the real workbench', function () {
  let bench: AgentBench;

  before(async function () {
    bench = await openAgentBench({ files: { 'notes.txt': 'first note\n', 'todo.txt': 'second note\n' }, settings: { 'rill.agent.maxRounds': 1 } });
  });
  afterEach(async function () {
    await screenshotOnFailure(this, bench?.workbench, 'agent-rounds');
  });
  after(async function () {
    await bench?.close();
  });

  it('stops after maxRounds with Continue; Continue goes on with every call and result so far', async function () {
    const { server, chat } = bench;
    const first = server.requests.length;
    server.enqueue(
      openaiToolStream({ text: 'Reading the notes.', calls: [{ id: 'call_r1', name: 'rill_read_file', arguments: { path: 'notes.txt' } }] }),
      openaiToolStream({ calls: [{ id: 'call_r2', name: 'rill_read_file', arguments: { path: 'todo.txt' } }] }),
      chatStream({ text: 'Both notes are read.' }),
    );
    const n = await send(chat, 'Read my notes');
    await waitForAnswer(chat, n, 'truncated');
    assert.equal(server.requests.length, first + 1, 'one request: the limit is 1');
    const step = await waitForStep(chat, 0, 'done');
    assert.ok(step.result?.includes('first note'), 'the call of the last allowed round still ran');
    const status = await chat.textContent(`${ANSWERS} >> nth=${n} >> [data-testid="message-status"]`);
    assert.match(status ?? '', /rill\.agent\.maxRounds/, 'the answer says why it stopped');

    await chat.click(`${ANSWERS} >> nth=${n} >> [data-testid="action-continue"]`);
    await waitForStep(chat, 1, 'done');
    // maxRounds counts each run: Continue allows one more round, which asked for another call.
    await waitForAnswer(chat, n, 'truncated');
    const second = server.requests[first + 1];
    assert.deepEqual(toolMessages(second).map((m) => m.id), ['call_r1'], 'Continue sent the first call’s result');
    assert.ok(toolMessages(second)[0]?.text.includes('first note'));
    const roles = messagesOf(second).map((m) => m.role);
    assert.deepEqual(roles.slice(-3), ['user', 'assistant', 'tool'], 'the prompt, the call, its result: nothing asks to "continue" a text');

    await chat.click(`${ANSWERS} >> nth=${n} >> [data-testid="action-continue"]`);
    await waitForAnswer(chat, n, 'done');
    const third = server.requests[first + 2];
    assert.deepEqual(toolMessages(third).map((m) => m.id), ['call_r1', 'call_r2']);
    assert.equal(await stepCount(chat), 2, 'the same two steps, none repeated or lost');
    assert.equal((await answer(chat, n)).text.trim(), 'Both notes are read.');
    const intermediate = await chat.$$eval('[data-testid="agent-text"]', (els) => els.map((el) => el.textContent));
    assert.deepEqual(intermediate, ['Reading the notes.'], 'the first round’s text stays above its call');
  });
});
