import { strict as assert } from 'node:assert';
import { DEFAULT_AZURE_API_VERSION, isLoopbackUrl, NO_KEY, resolveConnection, type ProviderSettings } from '../../../../src/core/providers/connection';
import { PRESETS } from '../../../../src/core/providers/presets';

const defaults: ProviderSettings = {
  provider: 'openai',
  providerExplicit: false,
  baseUrl: '',
  model: 'gpt-4o-mini',
  azure: { endpoint: '', deployment: '', apiVersion: '' },
  extraHeaders: {},
};
const set = (over: Partial<ProviderSettings>): ProviderSettings => ({ ...defaults, providerExplicit: true, ...over });

describe('resolveConnection', () => {
  it('uses the offline demo model when nothing at all is configured', () => {
    assert.deepEqual(resolveConnection(defaults, {}), { mode: 'demo' });
  });

  it('uses OpenAI with the stored key, preferring it over the environment variable', () => {
    const c = resolveConnection(defaults, { stored: 'sk-stored', environment: 'sk-env' });
    assert.deepEqual(c, {
      mode: 'remote',
      provider: 'openai',
      spec: { type: 'openai', baseURL: undefined, apiKey: 'sk-stored', headers: {} },
      model: 'gpt-4o-mini',
      url: 'https://api.openai.com/v1',
      local: false,
    });
  });

  it('falls back to the key from the environment', () => {
    const c = resolveConnection(defaults, { environment: 'sk-env' });
    assert.equal(c.mode === 'remote' && c.spec.apiKey, 'sk-env');
  });

  it('asks for a key when the provider was chosen but no key exists', () => {
    assert.deepEqual(resolveConnection(set({}), {}), { mode: 'unconfigured', provider: 'openai', problem: 'needs-key' });
  });

  it('needs no key for a loopback base URL, and says the server is local', () => {
    const c = resolveConnection(set({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1/', model: 'llama3.2' }), {});
    assert.ok(c.mode === 'remote');
    assert.equal(c.spec.apiKey, NO_KEY);
    assert.equal(c.url, 'http://127.0.0.1:11434/v1', 'trailing slash dropped');
    assert.equal(c.local, true);
  });

  it('passes extra headers through', () => {
    const c = resolveConnection(set({ provider: 'openai-compatible', baseUrl: 'http://localhost:8000/v1', extraHeaders: { 'X-Title': 'Rill' } }), {});
    assert.ok(c.mode === 'remote');
    assert.deepEqual(c.spec.headers, { 'X-Title': 'Rill' });
  });

  it('still wants a key for a remote OpenAI-compatible server', () => {
    const c = resolveConnection(set({ provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1' }), {});
    assert.deepEqual(c, { mode: 'unconfigured', provider: 'openai-compatible', problem: 'needs-key' });
  });

  it('asks for a base URL when an OpenAI-compatible provider has none', () => {
    const c = resolveConnection(set({ provider: 'openai-compatible' }), { stored: 'k' });
    assert.deepEqual(c, { mode: 'unconfigured', provider: 'openai-compatible', problem: 'needs-base-url' });
  });

  it('treats a base URL alone as configured, not as the demo', () => {
    assert.equal(resolveConnection({ ...defaults, baseUrl: 'http://localhost:1234/v1' }, {}).mode, 'remote');
  });

  describe('Azure OpenAI', () => {
    const azure = (over: Partial<ProviderSettings['azure']>) =>
      set({ provider: 'azure', azure: { endpoint: 'https://res.openai.azure.com/', deployment: 'gpt4o-prod', apiVersion: '', ...over } });

    it('uses the deployments API with a default api-version', () => {
      const c = resolveConnection(azure({}), { stored: 'azure-key-123456' });
      assert.ok(c.mode === 'remote');
      assert.deepEqual(c.spec, {
        type: 'azure',
        endpoint: 'https://res.openai.azure.com',
        deployment: 'gpt4o-prod',
        apiVersion: DEFAULT_AZURE_API_VERSION,
        apiKey: 'azure-key-123456',
        headers: {},
      });
      assert.equal(c.model, 'gpt4o-prod');
    });

    it("uses the plain client for Azure's v1 API, with the deployment as the model", () => {
      const c = resolveConnection(azure({ apiVersion: 'v1' }), { stored: 'k' });
      assert.ok(c.mode === 'remote');
      assert.deepEqual(c.spec, { type: 'openai', baseURL: 'https://res.openai.azure.com/openai/v1', apiKey: 'k', headers: {} });
      assert.equal(c.model, 'gpt4o-prod');
    });

    it('asks for what is missing: endpoint, deployment, key', () => {
      assert.equal((resolveConnection(azure({ endpoint: '' }), { stored: 'k' }) as { problem: string }).problem, 'needs-azure-endpoint');
      assert.equal((resolveConnection(azure({ deployment: '' }), { stored: 'k' }) as { problem: string }).problem, 'needs-azure-deployment');
      assert.equal((resolveConnection(azure({}), {}) as { problem: string }).problem, 'needs-key');
    });
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

describe('provider presets', () => {
  it('fill in the usual base URL of each local server and OpenRouter', () => {
    const url = (id: string) => PRESETS.find((p) => p.id === id)?.baseUrl;
    assert.equal(url('ollama'), 'http://127.0.0.1:11434/v1');
    assert.equal(url('lmstudio'), 'http://127.0.0.1:1234/v1');
    assert.equal(url('vllm'), 'http://127.0.0.1:8000/v1');
    assert.equal(url('llamacpp'), 'http://127.0.0.1:8080/v1');
    assert.equal(url('openrouter'), 'https://openrouter.ai/api/v1');
  });

  it('resolve to a working connection: local presets without a key', () => {
    for (const preset of PRESETS.filter((p) => p.baseUrl)) {
      const c = resolveConnection(set({ provider: preset.provider, baseUrl: preset.baseUrl, model: 'm' }), {});
      assert.equal(c.mode, preset.needsKey ? 'unconfigured' : 'remote', preset.id);
    }
  });
});
