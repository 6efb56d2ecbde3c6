import { strict as assert } from 'node:assert';
import { chatStream, openaiToolStream, startLlmServer, type LlmServer, type Script } from '../../../../src/local-llm';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { COMPACTED_NOTE, compactToolResults } from '../../../../src/core/agent';
import { estimateTokenCounter } from '../../../../src/core/context/token-counter';
import { runLoop, ScriptedRunner, TIME, toolMessages, WEATHER } from './agent-harness';

const ANSWER = 'Summarised.';
const answer = (): Script => chatStream({ name: 'answer', text: ANSWER });

/** Tool output is untrusted and unbounded: what reaches the model is capped and budgeted. */
describe('agent loop: tool results are capped and give way to the context budget', function () {
  this.timeout(15_000);
  let server: LlmServer;
  before(async () => {
    server = await startLlmServer();
  });
  after(() => server.close());

  it('a huge result is cut to the per-result cap, with a note saying how much was cut', async () => {
    const huge = 'x'.repeat(50_000);
    const runner = new ScriptedRunner([WEATHER], { get_weather: () => ({ status: 'ok', content: huge }) });
    const call = { id: 'call_big', name: 'get_weather', arguments: { location: 'Paris' } };
    const run = await runLoop(server, [openaiToolStream({ calls: [call] }), answer()], runner, { maxResultChars: 1000 });
    assert.equal(run.outcome.state, 'done');
    const sent = toolMessages(run.requests[1])[0]?.content ?? '';
    assert.ok(sent.startsWith('x'.repeat(1000) + '\n'), 'the head of the result is kept');
    assert.ok(sent.length < 1200, `what the server received is capped (${sent.length})`);
    assert.match(sent, /49000 of 50000 characters of this tool result were cut/);
    assert.equal(run.outcome.steps[0]?.cutChars, 49_000);
    assert.equal(run.outcome.steps[0]?.result, sent, 'the step shows what the model was sent');
  });

  it("the results of one round share a total: later ones are cut, then left out, each saying so", async () => {
    const runner = new ScriptedRunner([WEATHER, TIME], { get_weather: () => ({ status: 'ok', content: 'w'.repeat(800) }), get_time: () => ({ status: 'ok', content: 't'.repeat(800) }) });
    const calls = [
      { id: 'c1', name: 'get_weather', arguments: {} },
      { id: 'c2', name: 'get_time', arguments: {} },
      { id: 'c3', name: 'get_weather', arguments: {} },
    ];
    const run = await runLoop(server, [openaiToolStream({ calls }), answer()], runner, { maxResultChars: 1000, maxRoundResultChars: 1200 });
    const [a, b, c] = toolMessages(run.requests[1]).map((m) => m.content);
    assert.equal(a, 'w'.repeat(800));
    assert.ok(b?.startsWith('t'.repeat(400) + '\n[Rill: 400 of 800'), b);
    assert.match(b ?? '', /results of this round reached their limit of 1200/);
    assert.match(c ?? '', /^\[Rill: 800 of 800 characters/);
    assert.deepEqual(run.outcome.steps.map((s) => s.cutChars), [undefined, 400, 800]);
  });

  it('a tool error of any size is capped too', async () => {
    const runner = new ScriptedRunner([WEATHER], { get_weather: () => ({ status: 'error', message: 'e'.repeat(5000) }) });
    const run = await runLoop(server, [openaiToolStream({ calls: [{ id: 'c', name: 'get_weather', arguments: {} }] }), answer()], runner, { maxResultChars: 300 });
    assert.ok((toolMessages(run.requests[1])[0]?.content.length ?? 0) < 450);
  });

  it('over the context budget, the oldest tool results become a short note first; the newest stay', async () => {
    const result = (word: string) => `${word} `.repeat(600); // about 600 tokens each
    let n = 0;
    const runner = new ScriptedRunner([TIME], { get_time: () => ({ status: 'ok', content: result(['alpha', 'bravo', 'charlie'][n++] ?? 'zulu') }) });
    const call = (id: string) => openaiToolStream({ calls: [{ id, name: 'get_time', arguments: {} }] });
    // 2,000 tokens of window with 200 kept for the answer: two results fit, a third does not.
    const budget = { contextTokens: 2000, reserveForAnswer: 200, counter: estimateTokenCounter };
    const run = await runLoop(server, [call('r1'), call('r2'), call('r3'), answer()], runner, { budget });
    assert.equal(run.outcome.state, 'done');
    assert.equal(toolMessages(run.requests[2]).filter((m) => m.content.startsWith(COMPACTED_NOTE)).length, 0, 'two results still fit');
    const last = toolMessages(run.requests[3]);
    assert.deepEqual(last.map((m) => m.tool_call_id), ['r1', 'r2', 'r3']);
    assert.ok(last[0]?.content.startsWith(COMPACTED_NOTE), 'the oldest gave way');
    assert.ok(last[1]?.content.startsWith('bravo'), 'only as many as needed');
    assert.ok(last[2]?.content.startsWith('charlie'), 'the newest is whole');
    const compacted = run.events.filter((e) => e.kind === 'resultsCompacted');
    assert.deepEqual(compacted, [{ kind: 'resultsCompacted', ids: ['r1'] }], 'reported once');
    // The saved conversation keeps the result; only what was sent was shortened.
    const saved = run.outcome.messages.find((m) => m.role === 'tool' && m.tool_call_id === 'r1');
    assert.ok(typeof saved?.content === 'string' && saved.content.startsWith('alpha'));
  });

  describe('compactToolResults on its own', () => {
    const big = (word: string) => `${word} `.repeat(600);
    const conversation = (): ChatCompletionMessageParam[] => [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'old', type: 'function', function: { name: 't', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'old', content: big('alpha') },
      { role: 'assistant', content: null, tool_calls: [{ id: 'new', type: 'function', function: { name: 't', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'new', content: big('bravo') },
    ];

    it('never gives up the newest round’s results, even when they alone are over the budget', () => {
      const messages = conversation();
      const ids = compactToolResults(messages, { contextTokens: 600, reserveForAnswer: 100, counter: estimateTokenCounter }, 0);
      assert.deepEqual(ids, [], 'compacting the older one would not make it fit: nothing is compacted');
      assert.ok((messages[4] as { content: string }).content.startsWith('bravo'));
      assert.ok((messages[2] as { content: string }).content.startsWith('alpha'), 'nor the older one, uselessly');
    });

    it('compacts nothing when the tools’ schemas alone outgrow the window', () => {
      const messages = conversation();
      const ids = compactToolResults(messages, { contextTokens: 2000, reserveForAnswer: 100, counter: estimateTokenCounter }, 5000);
      assert.deepEqual(ids, []);
      assert.ok((messages[2] as { content: string }).content.startsWith('alpha'));
    });

    it('compacts the older results when that makes the request fit', () => {
      const messages = conversation();
      // Each result is about 600 tokens: both do not fit in 900, one does.
      const ids = compactToolResults(messages, { contextTokens: 1100, reserveForAnswer: 100, counter: estimateTokenCounter }, 0);
      assert.deepEqual(ids, ['old']);
      assert.ok((messages[2] as { content: string }).content.startsWith(COMPACTED_NOTE));
      assert.ok((messages[4] as { content: string }).content.startsWith('bravo'));
    });
  });
});
