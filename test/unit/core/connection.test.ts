import { strict as assert } from 'node:assert';
import { isLoopbackUrl, NO_KEY, resolveConnection, type ProviderSettings } from '../../../src/core/connection';

const defaults: ProviderSettings = { provider: 'openai', providerExplicit: false, baseUrl: '', model: 'gpt-4o-mini' };

describe('resolveConnection', () => {
  it('uses the offline demo model when nothing at all is configured', () => {
    assert.deepEqual(resolveConnection(defaults, {}), { mode: 'demo' });
  });

  it('uses OpenAI with the stored key, preferring it over the environment variable', () => {
    const c = resolveConnection(defaults, { stored: 'sk-stored', environment: 'sk-env' });
    assert.deepEqual(c, { mode: 'remote', provider: 'openai', baseURL: undefined, apiKey: 'sk-stored', model: 'gpt-4o-mini' });
  });

  it('falls back to OPENAI_API_KEY from the environment', () => {
    const c = resolveConnection(defaults, { environment: 'sk-env' });
    assert.equal(c.mode === 'remote' && c.apiKey, 'sk-env');
  });

  it('asks for a key when the provider was chosen but no key exists', () => {
    const c = resolveConnection({ ...defaults, providerExplicit: true }, {});
    assert.deepEqual(c, { mode: 'unconfigured', provider: 'openai', problem: 'needs-key' });
  });

  it('needs no key for a loopback base URL (Ollama, LM Studio, llama.cpp)', () => {
    const c = resolveConnection(
      { ...defaults, provider: 'openai-compatible', providerExplicit: true, baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2' },
      {},
    );
    assert.deepEqual(c, { mode: 'remote', provider: 'openai-compatible', baseURL: 'http://127.0.0.1:11434/v1', apiKey: NO_KEY, model: 'llama3.2' });
  });

  it('still wants a key for a remote OpenAI-compatible server', () => {
    const c = resolveConnection({ ...defaults, provider: 'openai-compatible', providerExplicit: true, baseUrl: 'https://openrouter.ai/api/v1' }, {});
    assert.deepEqual(c, { mode: 'unconfigured', provider: 'openai-compatible', problem: 'needs-key' });
  });

  it('asks for a base URL when an OpenAI-compatible provider has none', () => {
    const c = resolveConnection({ ...defaults, provider: 'openai-compatible', providerExplicit: true }, { stored: 'k' });
    assert.deepEqual(c, { mode: 'unconfigured', provider: 'openai-compatible', problem: 'needs-base-url' });
  });

  it('treats a base URL alone as configured, not as the demo', () => {
    const c = resolveConnection({ ...defaults, baseUrl: 'http://localhost:1234/v1' }, {});
    assert.equal(c.mode, 'remote');
  });
});

describe('isLoopbackUrl', () => {
  for (const url of ['http://127.0.0.1:8080/v1', 'http://localhost/v1', 'http://[::1]:11434/v1', 'http://127.5.6.7/']) {
    it(`accepts ${url}`, () => assert.equal(isLoopbackUrl(url), true));
  }
  for (const url of ['https://api.openai.com/v1', 'http://192.168.1.2/v1', 'http://127.0.0.1.example.com/', 'not a url', 'http://localhost.evil.com']) {
    it(`refuses ${url}`, () => assert.equal(isLoopbackUrl(url), false));
  }
});
