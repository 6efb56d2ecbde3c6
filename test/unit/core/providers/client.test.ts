import { strict as assert } from 'node:assert';
import { createClient } from '../../../../src/core/providers/client';
import { resolveConnection, type ProviderSettings } from '../../../../src/core/providers/connection';
import { runChat } from '../../../../src/core/stream/run-chat';
import { SAMPLE_TEXT, scenarios, startLlmServer, type LlmServer } from '../../../../src/local-llm';

const base: ProviderSettings = {
  provider: 'openai-compatible',
  providerExplicit: true,
  baseUrl: '',
  model: 'm',
  azure: { endpoint: '', deployment: '', apiVersion: '' },
  extraHeaders: {},
};

describe('clients built from settings, against the local server', () => {
  let server: LlmServer;
  before(async () => {
    server = await startLlmServer();
  });
  after(() => server.close());

  async function ask(settings: ProviderSettings, key?: string, request: { temperature?: number; maxTokens?: number; maxTokensParam?: 'max_tokens' | 'max_completion_tokens' } = {}) {
    const connection = resolveConnection(settings, { stored: key });
    assert.equal(connection.mode, 'remote');
    if (connection.mode !== 'remote') throw new Error('unreachable');
    server.enqueue(scenarios.normal());
    let text = '';
    const outcome = await runChat(
      { createClient: (fetch) => createClient(connection.spec, fetch) },
      { model: connection.model, messages: [{ role: 'user', content: 'hi' }], ...request },
      { signal: new AbortController().signal, idleTimeoutMs: 5000, maxRetries: 0, onEvent: (e) => void (e.kind === 'text' && (text += e.text)) },
    );
    return { outcome, text, received: server.requests.at(-1) };
  }

  it("Azure's deployments API: path, api-version and the api-key header", async () => {
    const { outcome, text, received } = await ask(
      { ...base, provider: 'azure', azure: { endpoint: server.origin, deployment: 'gpt4o-prod', apiVersion: '2024-10-21' } },
      'azure-secret-key',
    );
    assert.equal(outcome.state, 'done');
    assert.equal(text, SAMPLE_TEXT);
    assert.equal(received?.path, '/openai/deployments/gpt4o-prod/chat/completions');
    assert.equal(received?.query['api-version'], '2024-10-21');
    assert.equal(received?.headers['api-key'], 'azure-secret-key');
  });

  it("Azure's v1 API through the plain client, the deployment as the model", async () => {
    const { outcome, received } = await ask(
      { ...base, provider: 'azure', azure: { endpoint: server.origin, deployment: 'gpt4o-prod', apiVersion: 'v1' } },
      'azure-secret-key',
    );
    assert.equal(outcome.state, 'done');
    assert.equal(received?.path, '/openai/v1/chat/completions');
    assert.equal(received?.body.model, 'gpt4o-prod');
  });

  it('sends extra headers, temperature and the token limit under the name the provider takes', async () => {
    const settings = { ...base, baseUrl: server.url, extraHeaders: { 'X-Title': 'Rill', 'HTTP-Referer': 'https://rill.example' } };
    const first = await ask(settings, undefined, { temperature: 0.2, maxTokens: 300 });
    assert.equal(first.received?.headers['x-title'], 'Rill');
    assert.equal(first.received?.headers['http-referer'], 'https://rill.example');
    assert.equal(first.received?.body.temperature, 0.2);
    assert.equal(first.received?.body.max_tokens, 300);
    assert.deepEqual(first.received?.body.stream_options, { include_usage: true });
    const openai = await ask(settings, undefined, { maxTokens: 300, maxTokensParam: 'max_completion_tokens' });
    assert.equal(openai.received?.body.max_completion_tokens, 300);
    assert.equal(openai.received?.body.max_tokens, undefined);
    const none = await ask(settings);
    assert.equal(none.received?.body.temperature, undefined, 'unset settings are not sent');
  });
});
