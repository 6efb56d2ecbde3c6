import { strict as assert } from 'node:assert';
import {
  DEFAULT_CONTEXT_TOKENS,
  knownContextWindow,
  normalizeModelId,
  resolveContextTokens,
} from '../../../../src/core/context/model-context';

describe('model context windows', () => {
  it('knows the OpenAI models by their published windows', () => {
    const expected: [string, number][] = [
      ['gpt-4o', 128_000],
      ['gpt-4o-mini', 128_000],
      ['gpt-4o-2024-08-06', 128_000],
      ['chatgpt-4o-latest', 128_000],
      ['gpt-4.1', 1_047_576],
      ['gpt-4.1-mini', 1_047_576],
      ['gpt-4.1-nano-2025-04-14', 1_047_576],
      ['o1', 200_000],
      ['o1-mini', 128_000],
      ['o3-mini', 200_000],
      ['o4-mini', 200_000],
      ['gpt-5', 400_000],
      ['gpt-5-mini', 400_000],
      ['gpt-5-chat-latest', 128_000],
      ['gpt-4-turbo', 128_000],
      ['gpt-4-1106-preview', 128_000],
      ['gpt-4', 8_192],
      ['gpt-4-0613', 8_192],
      ['gpt-4-32k', 32_768],
      ['gpt-3.5-turbo', 16_385],
      ['gpt-35-turbo', 16_385],
      ['gpt-3.5-turbo-0613', 4_096],
      ['gpt-oss-20b', 131_072],
    ];
    for (const [model, tokens] of expected) {
      assert.equal(knownContextWindow(model)?.tokens, tokens, model);
    }
  });

  it('knows open-weight families under Ollama, OpenRouter and Hugging Face names', () => {
    const expected: [string, number][] = [
      ['llama3.2:3b', 131_072],
      ['llama3.1:8b-instruct-q4_K_M', 131_072],
      ['meta-llama/llama-3.3-70b-instruct', 131_072],
      ['hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M', 131_072],
      ['llama3:8b', 8_192],
      ['llama2', 4_096],
      ['qwen2.5-coder:7b', 32_768],
      ['qwen/qwen-2.5-72b-instruct', 32_768],
      ['qwen3:8b', 32_768],
      ['mistral:7b', 32_768],
      ['mistralai/mixtral-8x7b-instruct', 32_768],
      ['deepseek-chat', 64_000],
      ['deepseek/deepseek-reasoner', 64_000],
      ['anthropic/claude-3.5-sonnet', 200_000],
      ['anthropic/claude-sonnet-4', 200_000],
      ['google/gemini-2.0-flash-001', 1_048_576],
      ['phi4:14b', 16_384],
    ];
    for (const [model, tokens] of expected) {
      assert.equal(knownContextWindow(model)?.tokens, tokens, model);
    }
  });

  it('strips provider prefixes and tags, and ignores case', () => {
    assert.equal(normalizeModelId('openai/gpt-4o'), 'gpt-4o');
    assert.equal(normalizeModelId('  OpenAI/GPT-4o-mini:free '), 'gpt-4o-mini');
    assert.equal(normalizeModelId('llama3.2:3b'), 'llama3.2');
    assert.equal(knownContextWindow('openai/gpt-4o')?.family, 'gpt-4o');
  });

  it('does not mistake a neighbour for a known model', () => {
    // gpt-4o must not be caught by the gpt-4 entry, nor o1-mini by o1, nor llama3.2 by llama3.
    assert.equal(knownContextWindow('gpt-4o')?.family, 'gpt-4o');
    assert.equal(knownContextWindow('o1-mini')?.family, 'o1-mini');
    assert.equal(knownContextWindow('llama3.2')?.family, 'llama3.x');
    assert.equal(knownContextWindow('gpt-3.5-turbo-instruct'), undefined);
    assert.equal(knownContextWindow('o10-future'), undefined);
    assert.equal(knownContextWindow('my-finetune'), undefined);
    assert.equal(knownContextWindow(''), undefined);
  });

  it('falls back to a conservative default for an unknown model', () => {
    assert.deepEqual(resolveContextTokens('rill-demo'), { tokens: DEFAULT_CONTEXT_TOKENS, source: 'default' });
    assert.equal(DEFAULT_CONTEXT_TOKENS, 8192);
  });

  it('lets a positive override win, and treats 0 or nothing as automatic', () => {
    assert.deepEqual(resolveContextTokens('gpt-4o', 4096), { tokens: 4096, source: 'override' });
    assert.deepEqual(resolveContextTokens('unknown', 32000.7), { tokens: 32000, source: 'override' });
    assert.deepEqual(resolveContextTokens('gpt-4o', 0), { tokens: 128_000, source: 'known', family: 'gpt-4o' });
    assert.equal(resolveContextTokens('gpt-4o', null).source, 'known');
    assert.equal(resolveContextTokens('gpt-4o', -5).source, 'known');
    assert.equal(resolveContextTokens('gpt-4o', Number.NaN).source, 'known');
  });
});
