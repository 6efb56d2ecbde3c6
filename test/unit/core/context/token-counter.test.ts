import { strict as assert } from 'node:assert';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import {
  NON_TEXT_PART_TOKENS,
  encodingForModel,
  estimateTokenCounter,
  estimateTokens,
  lazyTokenCounter,
  loadTokenCounter,
  type Encoder,
  type EncodingName,
  type TokenCounter,
} from '../../../../src/core/context/token-counter';
import { CODE, ENGLISH, JAPANESE } from './samples';

// The example request of OpenAI's cookbook "How to count tokens with tiktoken", whose input the API
// reported as 129 tokens for gpt-4 / gpt-3.5-turbo and 124 for gpt-4o / gpt-4o-mini.
const COOKBOOK_MESSAGES: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
  { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

describe('token counting', () => {
  let o200k: TokenCounter;
  let cl100k: TokenCounter;

  before(async () => {
    o200k = await loadTokenCounter('gpt-4o');
    cl100k = await loadTokenCounter('gpt-4');
  });

  it('picks the encoding of the model, exact only for OpenAI models', () => {
    assert.deepEqual(encodingForModel('gpt-4o-mini'), { encoding: 'o200k_base', exact: true });
    assert.deepEqual(encodingForModel('openai/gpt-4.1-mini'), { encoding: 'o200k_base', exact: true });
    assert.deepEqual(encodingForModel('o3-mini'), { encoding: 'o200k_base', exact: true });
    assert.deepEqual(encodingForModel('gpt-5'), { encoding: 'o200k_base', exact: true });
    assert.deepEqual(encodingForModel('gpt-4-turbo'), { encoding: 'cl100k_base', exact: true });
    assert.deepEqual(encodingForModel('gpt-3.5-turbo'), { encoding: 'cl100k_base', exact: true });
    assert.deepEqual(encodingForModel('llama3.2:3b'), { encoding: 'cl100k_base', exact: false });
    assert.equal(o200k.encoding, 'o200k_base');
    assert.equal(cl100k.encoding, 'cl100k_base');
    assert.equal(o200k.exact, true);
  });

  // Expected values: tiktoken's own output in OpenAI's cookbook (all but the 吾輩 and こんにちは
  // lines), and for every line the same count from a second implementation (js-tiktoken 1.0.21).
  const references: [string, number, number][] = [
    // text, o200k_base, cl100k_base
    ['hello world', 2, 2],
    ['tiktoken is great!', 6, 6],
    ['antidisestablishmentarianism', 6, 6],
    ['2 + 2 = 4', 7, 7],
    ['お誕生日おめでとう', 8, 9],
    ['吾輩は猫である。名前はまだ無い。', 14, 21],
    ['こんにちは、世界！', 4, 6],
    ['', 0, 0],
  ];
  for (const [text, inO200k, inCl100k] of references) {
    it(`counts ${JSON.stringify(text)} as ${inO200k} (o200k) and ${inCl100k} (cl100k) tokens`, () => {
      assert.equal(o200k.count(text), inO200k);
      assert.equal(cl100k.count(text), inCl100k);
    });
  }

  it('counts text that spells a special token as plain text instead of throwing', () => {
    // As a special token it would be 1; as text it is `<`, `|`, `endo`, `ft`, `ext`, `|`, `>`.
    assert.equal(o200k.count('<|endoftext|>'), 7);
    assert.equal(cl100k.count('<|endoftext|>'), 7);
    assert.ok(o200k.count('<|im_start|>') > 1);
  });

  it('counts a chat request as the API does (cookbook example: 124 tokens for gpt-4o, 129 for gpt-4)', () => {
    assert.equal(o200k.countMessages(COOKBOOK_MESSAGES), 124);
    assert.equal(cl100k.countMessages(COOKBOOK_MESSAGES), 129);
  });

  it('charges the framing per message and for the reply, a name, parts and tool calls', () => {
    const c = o200k;
    assert.equal(c.countMessages([]), 3, 'reply priming');
    assert.equal(c.countMessages([{ role: 'user', content: 'hello world' }]), 3 + 3 + 1 + 2);
    assert.equal(
      c.countMessages([{ role: 'user', name: 'ann', content: 'hello world' }]) - c.countMessages([{ role: 'user', content: 'hello world' }]),
      c.count('ann') + 1,
    );
    assert.equal(
      c.countMessages([{ role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'text', text: ' world' }] }]),
      3 + 3 + 1 + c.count('hello') + c.count(' world'),
    );
    assert.equal(
      c.countMessages([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }]),
      3 + 3 + 1 + NON_TEXT_PART_TOKENS,
    );
    const call: ChatCompletionMessageParam = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }],
    };
    assert.equal(c.countMessages([call]), 3 + 3 + c.count('assistant') + c.count('read_file') + c.count('{"path":"a.ts"}'));
  });

  it('estimates within 0.9–1.6× of the real count for English, code and Japanese', () => {
    for (const [name, text] of [['English', ENGLISH], ['code', CODE], ['Japanese', JAPANESE]] as const) {
      for (const counter of [o200k, cl100k]) {
        const ratio = estimateTokens(text) / counter.count(text);
        assert.ok(ratio >= 0.9 && ratio <= 1.6, `${name} in ${counter.encoding}: estimate/real = ${ratio.toFixed(2)}`);
      }
    }
  });

  it('estimates cheaply, with no vocabulary, and says that it is an estimate', () => {
    assert.equal(estimateTokenCounter.exact, false);
    assert.equal(estimateTokenCounter.encoding, 'estimate');
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('hello world'), 2);
    assert.equal(estimateTokens('1234567'), 3, 'digits go in groups of three');
    assert.ok(estimateTokenCounter.countMessages([{ role: 'user', content: 'hi' }]) > estimateTokens('hi'));
  });

  it('estimates until the encoding has loaded, then counts exactly', async () => {
    let release: (encoder: Encoder) => void = () => undefined;
    const requested: EncodingName[] = [];
    const counter = lazyTokenCounter('gpt-4o', (encoding) => {
      requested.push(encoding);
      return new Promise<Encoder>((resolve) => (release = resolve));
    });
    assert.deepEqual(requested, ['o200k_base']);
    assert.equal(counter.exact, false);
    assert.equal(counter.count('one two three four'), estimateTokens('one two three four'));
    release({ countTokens: (text) => text.length });
    const real = await counter.ready;
    assert.equal(real.exact, true);
    assert.equal(counter.exact, true);
    assert.equal(counter.encoding, 'o200k_base');
    assert.equal(counter.count('one two three four'), 18);
  });

  it('keeps estimating when the encoding cannot be loaded, and says why', async () => {
    const failure = new Error('tokenizer file missing');
    const counter = lazyTokenCounter('gpt-4o', () => Promise.reject(failure));
    const settled = await counter.ready;
    assert.equal(settled, estimateTokenCounter);
    assert.equal(counter.loadError, failure);
    assert.equal(counter.exact, false);
    assert.equal(counter.count('hello world'), 2);
    await assert.rejects(loadTokenCounter('gpt-4o', () => Promise.reject(failure)), /tokenizer file missing/);
  });

  it('loads each encoding once and shares it', async () => {
    const a = await loadTokenCounter('gpt-4o-mini');
    const start = performance.now();
    const b = await loadTokenCounter('openai/gpt-4.1');
    assert.ok(performance.now() - start < 50, 'a second load reuses the first (a fresh one takes 100 ms or more)');
    assert.equal(a.count(ENGLISH), b.count(ENGLISH));
  });
});
