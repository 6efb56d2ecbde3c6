// Errors before the stream starts: each builder must surface the SDK class the doc's table names,
// and retry (or not) the way the SDK's policy says.
import { strict as assert } from 'node:assert';
import OpenAI from 'openai';
import { scenarios, SAMPLE_TEXT, startLlmServer, type LlmServer, type Script } from '../../../src/local-llm';
import { clientFor, collect, streamChat } from './helpers';

describe('local-llm error scenarios through the openai SDK', () => {
  let server: LlmServer;

  beforeEach(async () => {
    server = await startLlmServer({ demoDelayMs: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  /** Runs one streaming request with retries enabled and returns what `create()` rejected with. */
  async function failure(script: Script, maxRetries = 2): Promise<InstanceType<typeof OpenAI.APIError>> {
    server.enqueue(script);
    const error: unknown = await streamChat(clientFor(server, { maxRetries })).then(
      () => assert.fail('create() should reject'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof OpenAI.APIError, String(error));
    return error;
  }

  it('row 19: 401 gives AuthenticationError (invalid_api_key), one try', async () => {
    const error = await failure(scenarios.unauthorized());
    assert.ok(error instanceof OpenAI.AuthenticationError);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'invalid_api_key');
    assert.equal(server.requests.length, 1, 'never retried');
    assert.equal(error.requestID, server.requests[0]?.requestId, 'x-request-id reaches the error');
  });

  it('row 19: 404 gives NotFoundError (model_not_found), also for the Ollama shape', async () => {
    const error = await failure(scenarios.modelNotFound('gpt-x'));
    assert.ok(error instanceof OpenAI.NotFoundError);
    assert.equal(error.code, 'model_not_found');
    assert.match(error.message, /gpt-x/);
    const ollama = await failure(scenarios.modelNotFound('llama3', 'ollama'));
    assert.ok(ollama instanceof OpenAI.NotFoundError);
    assert.equal(ollama.type, 'not_found_error');
    assert.equal(server.requests.length, 2);
  });

  it('row 19: 400 context too long gives BadRequestError with code context_length_exceeded', async () => {
    const error = await failure(scenarios.contextTooLong());
    assert.ok(error instanceof OpenAI.BadRequestError);
    assert.equal(error.code, 'context_length_exceeded');
    assert.equal(error.param, 'messages');
    assert.equal(server.requests.length, 1);
  });

  it('row 19: 403 gives PermissionDeniedError; Azure prompt filter gives BadRequestError content_filter', async () => {
    assert.ok((await failure(scenarios.forbidden())) instanceof OpenAI.PermissionDeniedError);
    const filtered = await failure(scenarios.azurePromptFiltered());
    assert.ok(filtered instanceof OpenAI.BadRequestError);
    assert.equal(filtered.code, 'content_filter');
    assert.equal(filtered.type, null);
  });

  it('row 17: 429 insufficient_quota gives RateLimitError at once (x-should-retry: false)', async () => {
    const started = Date.now();
    const error = await failure(scenarios.insufficientQuota());
    assert.ok(error instanceof OpenAI.RateLimitError);
    assert.equal(error.code, 'insufficient_quota');
    assert.equal(server.requests.length, 1, 'no retry despite maxRetries 2');
    assert.ok(Date.now() - started < 400);
  });

  it('row 18: 503 HTML page gives InternalServerError whose message holds the raw HTML', async () => {
    const error = await failure(scenarios.html503(), 0);
    assert.ok(error instanceof OpenAI.InternalServerError);
    assert.equal(error.status, 503);
    assert.ok(error.message.includes('<title>503 Service Temporarily Unavailable</title>'), error.message);
  });

  it('row 18: 500 every time gives InternalServerError after three tries', async () => {
    server.setDefaultScript(scenarios.serverError500({ retryAfterMs: 5 }));
    const error = await streamChat(clientFor(server, { maxRetries: 2 })).then(
      () => assert.fail('should reject'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof OpenAI.InternalServerError);
    assert.equal(server.requests.length, 3);
    server.setDefaultScript(null);
    const demo = await collect(await streamChat(clientFor(server)));
    assert.match(demo.text, /offline demo model/, 'null restores the demo reply');
  });

  it('row 16: rateLimitThenOk succeeds after two retries, waiting retry-after-ms between tries', async () => {
    server.enqueue(...scenarios.rateLimitThenOk({ retryAfterMs: 40 }));
    const got = await collect(await streamChat(clientFor(server, { maxRetries: 2 })));
    assert.equal(got.error, undefined);
    assert.equal(got.text, SAMPLE_TEXT);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(
      server.requests.map((r) => r.scriptName),
      ['rateLimited', 'rateLimited', 'normal'],
    );
    const times = server.requests.map((r) => r.receivedAt);
    for (let i = 1; i < times.length; i++) {
      assert.ok((times[i] ?? 0) - (times[i - 1] ?? 0) >= 35, 'the SDK honoured retry-after-ms');
    }
  });

  it('row 16: by default the 429s carry retry-after: 1 like OpenAI', () => {
    const [first, second, ok] = scenarios.rateLimitThenOk();
    assert.equal(first?.status, 429);
    assert.equal(first?.headers?.['retry-after'], '1');
    assert.equal(second?.status, 429);
    assert.equal(ok?.status, 200);
  });

  it('row 22: a closed server gives APIConnectionError', async () => {
    const client = clientFor(server);
    await server.close();
    await assert.rejects(streamChat(client), (e: unknown) => e instanceof OpenAI.APIConnectionError);
  });
});
