import { strict as assert } from 'node:assert';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { createProxyFetch } from '../../../../src/core/net/proxy-fetch';
import { runChat } from '../../../../src/core/stream/run-chat';
import { SAMPLE_TEXT, scenarios, startLlmServer, type LlmServer } from '../../../../src/local-llm';

/** A minimal forwarding proxy on loopback that records every tunnel it opens (CONNECT). */
async function startProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host = '', port = '80'] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('requests through an HTTP proxy', () => {
  let llm: LlmServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  before(async () => {
    llm = await startLlmServer();
    proxy = await startProxy();
  });
  after(async () => {
    await proxy.close();
    await llm.close();
  });

  it('streams a whole answer through the proxy tunnel', async () => {
    llm.enqueue(scenarios.normal());
    let text = '';
    const outcome = await runChat(
      { createClient: (fetch) => new OpenAI({ baseURL: llm.url, apiKey: 'sk-test-key', fetch }), fetch: createProxyFetch(proxy.url, true) },
      { model: 'rill-test', messages: [{ role: 'user', content: 'hi' }] },
      {
        signal: new AbortController().signal,
        idleTimeoutMs: 5000,
        maxRetries: 0,
        onEvent: (e) => {
          if (e.kind === 'text') text += e.text;
        },
      },
    );
    assert.equal(outcome.state, 'done');
    assert.equal(text, SAMPLE_TEXT);
    assert.deepEqual(proxy.tunnels, [`127.0.0.1:${llm.port}`], 'the request went through the proxy');
  });
});
