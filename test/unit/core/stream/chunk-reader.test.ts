// The chunk reader on its own, fed chunk objects as the SDK yields them (JSON.parse of each event):
// every shape a server may send in `delta.content` and in the usage fields, including broken ones.
import { strict as assert } from 'node:assert';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { readChunk } from '../../../../src/core/stream/chunk-reader';
import type { StreamEvent } from '../../../../src/core/stream/events';

/** A chunk as the SDK hands it over: parsed JSON, whatever its shape. */
const chunk = (value: Record<string, unknown>): ChatCompletionChunk => JSON.parse(JSON.stringify(value)) as ChatCompletionChunk;
const withContent = (content: unknown, finish: string | null = null) =>
  chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: finish }] });

function read(...chunks: ChatCompletionChunk[]): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const c of chunks) readChunk(c, (event) => events.push(event));
  return events;
}

const texts = (events: StreamEvent[], kind: 'text' | 'reasoning') =>
  events.filter((e): e is Extract<StreamEvent, { kind: 'text' | 'reasoning' }> => e.kind === kind).map((e) => e.text).join('');
const skipped = (events: StreamEvent[]) =>
  events.filter((e): e is Extract<StreamEvent, { kind: 'skipped' }> => e.kind === 'skipped').map((e) => e.what);

describe('stream engine: reading delta.content and usage', () => {
  it('a string content is one text event, as before', () => {
    assert.deepEqual(read(withContent('Hello')), [{ kind: 'text', text: 'Hello' }]);
    assert.deepEqual(read(withContent(''), withContent(null)), [], 'empty and null say nothing');
  });

  it('array content: text parts and thinking parts in their order, mixed with string deltas', () => {
    const events = read(
      withContent([{ type: 'thinking', thinking: [{ type: 'text', text: 'Think ' }, { type: 'text', text: 'twice.' }] }]),
      withContent([{ type: 'thinking', thinking: [{ type: 'text', text: ' Done.' }] }, { type: 'text', text: '3' }]),
      withContent('91'),
      withContent([{ type: 'text', text: '!' }], 'stop'),
    );
    assert.deepEqual(events, [
      { kind: 'reasoning', text: 'Think ' },
      { kind: 'reasoning', text: 'twice.' },
      { kind: 'reasoning', text: ' Done.' },
      { kind: 'text', text: '3' },
      { kind: 'text', text: '91' },
      { kind: 'text', text: '!' },
      { kind: 'finish', reason: 'stop' },
    ]);
  });

  it("a thinking part closed with Mistral's `closed: true` is read the same", () => {
    const events = read(withContent([{ type: 'thinking', thinking: [{ type: 'text', text: 'Sure.' }], closed: true }, { type: 'text', text: 'Yes' }]));
    assert.equal(texts(events, 'reasoning'), 'Sure.');
    assert.equal(texts(events, 'text'), 'Yes');
    assert.deepEqual(skipped(events), []);
  });

  // Each malformed piece sits between two good ones: the good ones must all survive.
  const malformed: Array<[string, unknown, string]> = [
    ['null', null, 'content part of type null'],
    ['a number', 7, 'content part of type number'],
    ['a bare string', 'loose', 'content part of type string'],
    ['an array', ['nested'], 'content part of type array'],
    ['a boolean', true, 'content part of type boolean'],
    ['a part without a type', { text: 'x' }, 'content part of unknown type undefined'],
    ['a numeric type', { type: 3, text: 'x' }, 'content part of unknown type number'],
    ['an unknown type', { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }, 'content part of unknown type "image_url"'],
    ['a very long unknown type', { type: 'x'.repeat(300) }, `content part of unknown type "${'x'.repeat(39)}…"`],
    ['a text part without text', { type: 'text' }, '"text" part without a string text (undefined)'],
    ['a text part with a null text', { type: 'text', text: null }, '"text" part without a string text (null)'],
    ['a text part with an object text', { type: 'text', text: { value: 'x' } }, '"text" part without a string text (object)'],
    ['a thinking part without thinking', { type: 'thinking' }, '"thinking" part whose thinking is undefined'],
    ['a thinking part with an object', { type: 'thinking', thinking: { text: 'x' } }, '"thinking" part whose thinking is object'],
    ['a null thinking item', { type: 'thinking', thinking: [null] }, '"thinking" item of type null'],
    ['a thinking item of another type', { type: 'thinking', thinking: [{ type: 'image' }] }, '"thinking" item of unknown type "image"'],
    ['a thinking item without text', { type: 'thinking', thinking: [{ type: 'text' }] }, '"thinking" text item without a string text (undefined)'],
  ];
  for (const [name, part, what] of malformed) {
    it(`skips ${name}, says so, and keeps the parts around it`, () => {
      const events = read(
        withContent([
          { type: 'thinking', thinking: [{ type: 'text', text: 'before' }] },
          { type: 'text', text: 'A' },
          part,
          { type: 'thinking', thinking: [{ type: 'text', text: ' after' }] },
          { type: 'text', text: 'B' },
        ]),
      );
      assert.equal(texts(events, 'text'), 'AB');
      assert.equal(texts(events, 'reasoning'), 'before after');
      assert.deepEqual(skipped(events), [what]);
    });
  }

  it('a thinking part flattened to a string is reasoning', () => {
    const events = read(withContent([{ type: 'thinking', thinking: 'Flat.' }, { type: 'text', text: 'Answer' }]));
    assert.equal(texts(events, 'reasoning'), 'Flat.');
    assert.equal(texts(events, 'text'), 'Answer');
    assert.deepEqual(skipped(events), []);
  });

  it('content that is neither a string nor an array is skipped and said; the finish on the same chunk is kept', () => {
    for (const [content, type] of [
      [{ type: 'text', text: 'x' }, 'object'],
      [42, 'number'],
      [false, 'boolean'],
    ] as const) {
      const events = read(withContent(content, 'stop'));
      assert.deepEqual(events, [{ kind: 'skipped', what: `delta.content of type ${type}` }, { kind: 'finish', reason: 'stop' }]);
    }
  });

  it('empty parts and empty texts say nothing', () => {
    assert.deepEqual(read(withContent([]), withContent([{ type: 'text', text: '' }, { type: 'thinking', thinking: [{ type: 'text', text: '' }] }, { type: 'thinking', thinking: [] }])), []);
  });

  const groqLast = (extra: Record<string, unknown>) =>
    chunk({ id: 'chatcmpl-g', object: 'chat.completion.chunk', created: 1, model: 'llama', choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], ...extra });
  const groqUsage = { queue_time: 0.02, prompt_tokens: 45, prompt_time: 0.003, completion_tokens: 8, completion_time: 0.05, total_tokens: 53, total_time: 0.053 };

  it("Groq: the counts in x_groq.usage when there is no top-level usage", () => {
    const events = read(groqLast({ x_groq: { id: 'req_1', usage: groqUsage } }));
    assert.deepEqual(events, [
      { kind: 'usage', usage: { promptTokens: 45, completionTokens: 8, totalTokens: 53 } },
      { kind: 'finish', reason: 'stop' },
    ]);
  });

  it('Groq: a top-level usage wins over x_groq.usage, and is counted once', () => {
    const events = read(groqLast({ x_groq: { id: 'req_1', usage: groqUsage }, usage: { prompt_tokens: 40, completion_tokens: 9, total_tokens: 49 } }));
    assert.deepEqual(events.filter((e) => e.kind === 'usage'), [{ kind: 'usage', usage: { promptTokens: 40, completionTokens: 9, totalTokens: 49 } }]);
  });

  it('Groq: x_groq with only an id (the first chunk), or broken, gives no usage and no crash', () => {
    for (const x_groq of [{ id: 'req_1' }, null, 'x', 3, { usage: null }, { usage: 'many' }, { usage: { prompt_tokens: '45' } }, { usage: [] }]) {
      const events = read(groqLast({ x_groq }));
      assert.deepEqual(events, [{ kind: 'finish', reason: 'stop' }], JSON.stringify(x_groq));
    }
  });

  it('usage with only prompt_tokens, or counts that are not numbers: what is known is kept', () => {
    const [first] = read(chunk({ choices: [], usage: { prompt_tokens: 12, completion_tokens: null, total_tokens: 'x' } }));
    assert.deepEqual(first, { kind: 'usage', usage: { promptTokens: 12, completionTokens: 0, totalTokens: 12 } });
  });
});
