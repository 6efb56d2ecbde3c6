import { strict as assert } from 'node:assert';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { INEXACT_MARGIN, defaultAnswerReserve, fitToBudget, splitTurns, type BudgetInput } from '../../../../src/core/context/budget';
import { loadTokenCounter, type TokenCounter } from '../../../../src/core/context/token-counter';
import { resolveContextTokens } from '../../../../src/core/context/model-context';
import { ENGLISH, JAPANESE } from './samples';

/** One token per word, one per message of framing, two to prime the reply: easy to add up by hand. */
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const byWords: TokenCounter = {
  encoding: 'estimate',
  exact: true,
  count: words,
  countMessages: (messages) =>
    2 + messages.reduce((n, m) => n + 1 + (typeof m.content === 'string' ? words(m.content) : 0), 0),
};

const user = (content: string): ChatCompletionMessageParam => ({ role: 'user', content });
const assistant = (content: string): ChatCompletionMessageParam => ({ role: 'assistant', content });
/** A turn of `size` tokens by byWords: a user message and an answer, each `size / 2 - 1` words. */
function turn(label: string, size = 10): ChatCompletionMessageParam[] {
  const half = Array.from({ length: size / 2 - 1 }, () => label).join(' ');
  return [user(half), assistant(half)];
}
const text = (m: ChatCompletionMessageParam | undefined) => (typeof m?.content === 'string' ? m.content : '');

function fit(overrides: Partial<BudgetInput>) {
  return fitToBudget({
    system: 'be brief',
    history: [],
    prompt: 'the question',
    contextTokens: 1000,
    reserveForAnswer: 0,
    counter: byWords,
    ...overrides,
  });
}

describe('fitting a conversation to the context budget', () => {
  it('sends everything when it fits, system prompt first and the new prompt last', () => {
    const history = [...turn('a'), ...turn('b')];
    const r = fit({ history });
    assert.deepEqual(r.messages, [{ role: 'system', content: 'be brief' }, ...history, { role: 'user', content: 'the question' }]);
    assert.equal(r.droppedTurns, 0);
    assert.equal(r.keptTurns, 2);
    // 2 (priming) + 3 (system) + 2 × 10 (turns) + 3 (prompt)
    assert.equal(r.promptTokens, 28);
    assert.equal(r.overflow, false);
    assert.equal(r.overBy, 0);
  });

  it('drops the oldest turns first and says how many', () => {
    const history = [...turn('a'), ...turn('b'), ...turn('c'), ...turn('d')];
    // Fixed part is 8 tokens; a budget of 30 leaves room for two 10-token turns.
    const r = fit({ history, contextTokens: 30 });
    assert.deepEqual(r.messages.slice(1, -1).map(text), ['c c c c', 'c c c c', 'd d d d', 'd d d d']);
    assert.equal(r.droppedTurns, 2);
    assert.equal(r.droppedForBudget, 2);
    assert.equal(r.droppedByWindow, 0);
    assert.equal(r.promptTokens, 28);
    assert.ok(r.promptTokens <= r.budget);
  });

  it('keeps an unbroken recent stretch: a small old turn does not skip over a big newer one', () => {
    const history = [...turn('old', 4), ...turn('big', 40), ...turn('new', 10)];
    const r = fit({ history, contextTokens: 30 });
    assert.deepEqual(r.messages.slice(1, -1).map(text), ['new new new new', 'new new new new']);
    assert.equal(r.droppedTurns, 2);
  });

  it('never sends an answer without its question', () => {
    // The last turn's question is long and its answer short: room for the answer alone is not enough.
    const history = [...turn('a'), user('q q q q q q q q q q q q'), assistant('short')];
    const r = fit({ history, contextTokens: 12 });
    assert.deepEqual(r.messages.map((m) => m.role), ['system', 'user']);
    assert.equal(r.droppedTurns, 2);

    // An answer whose question is already gone from the history is not sent either.
    const orphaned = fit({ history: [assistant('lost answer'), ...turn('b')] });
    assert.deepEqual(orphaned.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(orphaned.keptTurns, 1);
  });

  it('keeps tool calls and tool results with the turn they belong to', () => {
    const toolTurn: ChatCompletionMessageParam[] = [
      user('read it'),
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'read', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't1', content: 'file text' },
      assistant('done'),
    ];
    const { turns, orphans } = splitTurns([...turn('a'), ...toolTurn]);
    assert.equal(orphans.length, 0);
    assert.equal(turns.length, 2);
    assert.deepEqual(turns[1], toolTurn);
  });

  it('applies the maxTurns window before the budget', () => {
    const history = [...turn('a'), ...turn('b'), ...turn('c'), ...turn('d'), ...turn('e')];
    const r = fit({ history, maxTurns: 2 });
    assert.deepEqual(r.messages.slice(1, -1).map(text), ['d d d d', 'd d d d', 'e e e e', 'e e e e']);
    assert.equal(r.droppedTurns, 3);
    assert.equal(r.droppedByWindow, 3);
    assert.equal(r.droppedForBudget, 0);

    const both = fit({ history, maxTurns: 3, contextTokens: 20 });
    assert.equal(both.keptTurns, 1);
    assert.equal(both.droppedByWindow, 2);
    assert.equal(both.droppedForBudget, 2);
    assert.equal(both.droppedTurns, 4);

    assert.equal(fit({ history, maxTurns: 0 }).messages.length, 2);
    assert.equal(fit({ history, maxTurns: Number.POSITIVE_INFINITY }).keptTurns, 5);
    assert.equal(fit({ history, maxTurns: -1 }).keptTurns, 0);
  });

  it('reports a prompt too long to fit instead of cutting it', () => {
    const prompt = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    const r = fit({ history: turn('a'), prompt, contextTokens: 40 });
    assert.equal(r.overflow, true);
    // 2 + 3 (system) + 51 (prompt) = 56 against a budget of 40.
    assert.equal(r.promptTokens, 56);
    assert.equal(r.overBy, 16);
    assert.equal(text(r.messages[r.messages.length - 1]), prompt, 'the prompt is sent whole');
    assert.equal(r.droppedTurns, 1);
  });

  it('keeps room for the answer: maxTokens when given, else a quarter of the window up to 4096', () => {
    assert.equal(defaultAnswerReserve(8192), 2048);
    assert.equal(defaultAnswerReserve(128_000), 4096);
    assert.equal(defaultAnswerReserve(0), 0);
    assert.equal(fitToBudget({ system: '', history: [], prompt: 'q', contextTokens: 8192, counter: byWords }).budget, 6144);
    assert.equal(fit({ contextTokens: 8192, reserveForAnswer: 1000 }).budget, 7192);
    const squeezed = fit({ history: turn('a'), contextTokens: 20, reserveForAnswer: 12 });
    assert.equal(squeezed.budget, 8);
    assert.equal(squeezed.keptTurns, 0);
    assert.equal(squeezed.overflow, false);
    assert.equal(fit({ contextTokens: 100, reserveForAnswer: 200 }).overflow, true);
  });

  it('keeps a margin when the counts are not exact', () => {
    const inexact: TokenCounter = { ...byWords, exact: false };
    assert.equal(INEXACT_MARGIN, 0.1);
    assert.equal(fit({ contextTokens: 1000 }).budget, 1000);
    const r = fit({ contextTokens: 1000, counter: inexact });
    assert.equal(r.budget, 900);
    assert.equal(r.exact, false);
    assert.equal(fit({ contextTokens: 1000, counter: inexact, inexactMargin: 0.25 }).budget, 750);
    assert.equal(fit({ contextTokens: 1000, counter: inexact, inexactMargin: 0 }).budget, 1000);
    // 8 fixed + 10 per turn: 30 tokens would hold two turns, the 27 left after the margin only one.
    const history = [...turn('a'), ...turn('b'), ...turn('c')];
    assert.equal(fit({ history, contextTokens: 30 }).keptTurns, 2);
    assert.equal(fit({ history, contextTokens: 30, counter: inexact }).keptTurns, 1);
  });

  it('omits an empty system prompt and accepts a developer message', () => {
    assert.deepEqual(fit({ system: '' }).messages, [{ role: 'user', content: 'the question' }]);
    const developer: ChatCompletionMessageParam = { role: 'developer', content: 'be brief' };
    assert.deepEqual(fit({ system: developer }).messages[0], developer);
  });

  it('is deterministic and leaves its input alone', () => {
    const history = Object.freeze([...turn('a'), ...turn('b'), ...turn('c')].map((m) => Object.freeze(m)));
    const input = { history, contextTokens: 25 };
    assert.deepEqual(fit(input), fit(input));
    assert.equal(history.length, 6);
  });

  it('holds its invariants over many random conversations', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 300; run++) {
      const history: ChatCompletionMessageParam[] = [];
      const turnCount = Math.floor(random() * 8);
      for (let t = 0; t < turnCount; t++) history.push(...turn(`t${t}`, 2 * (2 + Math.floor(random() * 10))));
      const contextTokens = Math.floor(random() * 120);
      const maxTurns = random() < 0.3 ? Math.floor(random() * 5) : undefined;
      const r = fit({ history, contextTokens, maxTurns });

      const sent = r.messages.slice(1, -1);
      // A contiguous stretch ending at the newest turn, made of whole turns.
      assert.deepEqual(sent, history.slice(history.length - sent.length));
      assert.equal(sent.length, 2 * r.keptTurns);
      assert.equal(r.keptTurns + r.droppedTurns, turnCount);
      assert.equal(r.droppedTurns, r.droppedByWindow + r.droppedForBudget);
      assert.equal(r.promptTokens, byWords.countMessages(r.messages));
      assert.equal(r.overflow, r.promptTokens > r.budget);
      if (maxTurns !== undefined) assert.ok(r.keptTurns <= maxTurns);
      // Maximal: the next older turn, if the window allowed it, would not have fitted.
      if (!r.overflow && r.droppedForBudget > 0) {
        const next = history.slice(history.length - sent.length - 2, history.length - sent.length);
        assert.ok(r.promptTokens + byWords.countMessages(next) - byWords.countMessages([]) > r.budget);
      }
    }
  });

  it('fits a real conversation for gpt-4o with the o200k tokenizer', async () => {
    const counter = await loadTokenCounter('gpt-4o');
    const history: ChatCompletionMessageParam[] = [];
    for (let i = 0; i < 20; i++) history.push(user(`${i}: ${JAPANESE}`), assistant(ENGLISH));
    const contextTokens = resolveContextTokens('gpt-4o', 4096).tokens;
    const r = fitToBudget({ system: 'You are Rill.', history, prompt: 'まとめてください。', contextTokens, counter });
    assert.equal(r.budget, 4096 - 1024);
    assert.equal(r.exact, true);
    assert.equal(r.overflow, false);
    assert.ok(r.keptTurns > 0 && r.keptTurns < 20, `kept ${r.keptTurns}`);
    assert.equal(r.droppedTurns, 20 - r.keptTurns);
    assert.equal(r.promptTokens, counter.countMessages(r.messages));
    assert.ok(r.promptTokens <= r.budget);
    assert.equal(text(r.messages[1]), `${20 - r.keptTurns}: ${JAPANESE}`, 'the oldest kept turn follows the system prompt');
  });
});
