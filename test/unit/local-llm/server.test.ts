// The server itself: loopback only, routes (OpenAI, Azure deployments, Azure v1, models, 404),
// request records, the script queue and the offline demo reply.
import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { performance } from 'node:perf_hooks';
import OpenAI, { AzureOpenAI } from 'openai';
import { DEMO_MODEL_ID, scenarios, SAMPLE_TEXT, startLlmServer, type LlmServer } from '../../../src/local-llm';
import { clientFor, collect, streamChat } from './helpers';

/** Resolves true if a TCP connection to host:port succeeds. */
function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('local-llm server', () => {
  let server: LlmServer;

  beforeEach(async () => {
    server = await startLlmServer({ demoDelayMs: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('binds 127.0.0.1 only and refuses any other host', async () => {
    const address = server.address();
    assert.equal(address.address, '127.0.0.1');
    assert.equal(address.family, 'IPv4');
    assert.equal(server.url, `http://127.0.0.1:${server.port}/v1`);
    for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.10']) {
      await assert.rejects(startLlmServer({ host }), /only binds 127\.0\.0\.1/, host);
    }
    assert.equal(await canConnect('127.0.0.1', server.port), true);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
    if (external) assert.equal(await canConnect(external.address, server.port), false, external.address);
  });

  it('GET /v1/models lists the configured models through client.models.list()', async () => {
    const client = clientFor(server);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.deepEqual(ids, [DEMO_MODEL_ID]);
    server.models = ['gpt-4o-mini', 'llama3.2'];
    const again: string[] = [];
    for await (const model of client.models.list()) again.push(model.id);
    assert.deepEqual(again, ['gpt-4o-mini', 'llama3.2']);
    assert.equal((await client.models.retrieve('llama3.2')).id, 'llama3.2');
    await assert.rejects(client.models.retrieve('nope'), OpenAI.NotFoundError);
    assert.equal(server.requests.length, 0, 'only chat requests are recorded');
  });

  it('unknown paths give a 404 OpenAI-style JSON error with x-request-id', async () => {
    const res = await fetch(`${server.origin}/v1/embeddings`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.match(res.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{24}$/);
    const body = (await res.json()) as { error: { message: string; type: string; code: unknown; param: unknown } };
    assert.deepEqual(body, {
      error: { message: 'Invalid URL (POST /v1/embeddings)', type: 'invalid_request_error', param: null, code: null },
    });
    const get = await fetch(`${server.url}/chat/completions`);
    assert.equal(get.status, 404, 'GET on the chat path is not a chat request');
    assert.equal(server.requests.length, 0);
  });

  it('records each chat request: body, path, headers, times, x-request-id', async () => {
    const before = performance.now();
    const wallBefore = Date.now();
    const got = await collect(await streamChat(clientFor(server), { content: 'record me' }));
    assert.equal(got.error, undefined);
    const record = await server.waitForClose(0);
    const closedAt = record.closedAt ?? Infinity;
    assert.equal(record.path, '/v1/chat/completions');
    assert.equal(record.method, 'POST');
    assert.equal(record.headers['authorization'], 'Bearer sk-rill-test');
    assert.deepEqual(record.body?.messages, [{ role: 'user', content: 'record me' }]);
    assert.equal(record.body?.stream, true);
    assert.ok(record.receivedAt >= before && record.receivedAt <= performance.now());
    assert.ok(record.receivedAtWall >= wallBefore && record.receivedAtWall <= Date.now());
    assert.equal(record.finishedNormally, true);
    assert.equal(record.outcome, 'ended');
    assert.ok(Number.isFinite(closedAt), "closedAt is set");
    assert.ok(closedAt >= record.receivedAt);
    assert.match(record.requestId, /^req_/);
  });

  it('serves Azure deployment paths (AzureOpenAI client) and the Azure v1 path with the same scripts', async () => {
    server.enqueue(scenarios.azureFilters(), scenarios.normal());
    const azure = new AzureOpenAI({
      endpoint: server.origin,
      apiKey: 'azure-key',
      apiVersion: '2024-10-21',
      deployment: 'my-gpt4o',
      maxRetries: 0,
    });
    const viaDeployment = await collect(await streamChat(azure));
    assert.equal(viaDeployment.text, SAMPLE_TEXT);
    const record = server.requests[0];
    assert.equal(record?.path, '/openai/deployments/my-gpt4o/chat/completions');
    assert.equal(record?.deployment, 'my-gpt4o');
    assert.equal(record?.query['api-version'], '2024-10-21');
    assert.equal(record?.headers['api-key'], 'azure-key');

    const v1 = new OpenAI({ apiKey: 'azure-key', baseURL: `${server.origin}/openai/v1/`, maxRetries: 0 });
    const viaV1 = await collect(await streamChat(v1));
    assert.equal(viaV1.text, SAMPLE_TEXT);
    assert.equal(server.requests[1]?.path, '/openai/v1/chat/completions');
    assert.equal(server.requests[1]?.deployment, undefined);
  });

  it('consumes queued scripts in order, one per request, then falls back to the demo reply', async () => {
    const client = clientFor(server);
    server.enqueue(scenarios.normal({ text: 'first' }), scenarios.normal({ text: 'second' }));
    assert.equal(server.pending(), 2);
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) texts.push((await collect(await streamChat(client))).text);
    assert.equal(texts[0], 'first');
    assert.equal(texts[1], 'second');
    assert.match(texts[2] ?? '', /offline demo model/);
    assert.equal(server.pending(), 0);
    assert.deepEqual(
      server.requests.map((r) => r.scriptName),
      ['normal', 'normal', 'demo'],
    );
  });

  it('the demo reply streams in small chunks with usage when asked, and as JSON when not streaming', async () => {
    const client = clientFor(server);
    const streamed = await collect(await streamChat(client, { content: 'Tell me about Rill' }));
    assert.match(streamed.text, /Rill's offline demo model, not a real LLM/);
    assert.ok(streamed.text.includes('> Tell me about Rill'));
    assert.match(streamed.text, /```ts\n/);
    assert.deepEqual(streamed.finishReasons, ['stop']);
    assert.ok(streamed.usage && streamed.usage.completion_tokens > 0);
    const sizes = streamed.chunks.map((c) => c.choices[0]?.delta.content?.length ?? 0).filter((n) => n > 0);
    assert.ok(sizes.length > 50 && Math.max(...sizes) <= 4, 'a few characters per chunk');
    assert.equal(streamed.chunks[0]?.model, 'gpt-4o-mini', 'answers as the requested model');

    const noUsage = await collect(
      await client.chat.completions.create({
        model: DEMO_MODEL_ID,
        messages: [{ role: 'user', content: 'Tell me about Rill' }],
        stream: true,
      }),
    );
    assert.equal(noUsage.usage, undefined);
    assert.equal(noUsage.text, streamed.text, 'deterministic');

    const completion = await client.chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: 'Tell me about Rill' }],
    });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0]?.message.content, streamed.text);
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.ok((completion.usage?.total_tokens ?? 0) > 0);
  });

  it('paces the demo with demoDelayMs (default 15 ms)', async () => {
    const paced = await startLlmServer();
    try {
      assert.equal(paced.demoDelayMs, 15);
      paced.demoDelayMs = 10;
      const got = await collect(await streamChat(clientFor(paced)), 6);
      const span = (got.arrivals[5] ?? 0) - (got.arrivals[1] ?? 0);
      assert.ok(span >= 30, `4 gaps took ${Math.round(span)} ms`);
    } finally {
      await paced.close();
    }
  });

  it('close() ends held connections and resolves; waitForClose reports them as not finished', async () => {
    server.enqueue(scenarios.stallMidStream());
    const controller = new AbortController();
    const stream = await streamChat(clientFor(server), { signal: controller.signal });
    const reading = collect(stream);
    await server.waitForRequest(0);
    const started = performance.now();
    await server.close();
    const got = await reading;
    assert.ok(performance.now() - started < 500);
    assert.equal(got.text, 'Hello fr');
    const record = await server.waitForClose(0, 500);
    const closedAt = record.closedAt ?? Infinity;
    assert.ok(closedAt - started < 500);
    assert.equal(record.finishedNormally, false);
  });

  it('answers a body that is not JSON with 400 and keeps the queue', async () => {
    server.enqueue(scenarios.normal());
    const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: 'not json' });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
    assert.equal(server.pending(), 1);
    assert.equal(server.requests[0]?.rawBody, 'not json');
  });
});
