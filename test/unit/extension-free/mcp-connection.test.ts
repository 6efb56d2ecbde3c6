import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { McpServerConfig } from '../../../src/core/tools/mcp-config';
import { McpConnection } from '../../../src/extension/mcp/mcp-connection';

// The real reference server from npm (a devDependency), not a stand-in: what its tools list, how it
// reports errors and how it takes a cancellation is what Rill meets in the field.
const root = join(__dirname, '..', '..', '..');
const everything = join(root, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

const stdioServer: McpServerConfig = { kind: 'stdio', name: 'everything', command: process.execPath, args: [everything, 'stdio'], env: {} };

/** Starts the HTTP fixture on 127.0.0.1 and resolves with its URL once it listens. */
function startHttpServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'everything-http.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /PORT (\d+)/.exec(out)?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}/mcp`, child });
    });
    child.on('exit', (code) => reject(new Error(`the HTTP fixture exited with ${code}`)));
  });
}

const transports: Array<{ name: string; setup: () => Promise<{ config: McpServerConfig; stop: () => void }> }> = [
  { name: 'stdio', setup: async () => ({ config: stdioServer, stop: () => undefined }) },
  {
    name: 'Streamable HTTP',
    setup: async () => {
      const { url, child } = await startHttpServer();
      return { config: { kind: 'http', name: 'everything', url, headers: { 'x-test': 'rill' } }, stop: () => child.kill() };
    },
  },
];

for (const transport of transports) {
  describe(`MCP connection over ${transport.name}, against the real server-everything`, () => {
    let connection: McpConnection;
    let stop: () => void;
    const stderr: string[] = [];
    let connectMs = 0;

    before(async () => {
      const setup = await transport.setup();
      stop = setup.stop;
      connection = new McpConnection(setup.config, { onStderr: (line) => stderr.push(line) });
      const started = performance.now();
      await connection.connect();
      connectMs = performance.now() - started;
    });

    after(async () => {
      await connection?.close();
      stop?.();
    });

    it('connects within the connect timeout', () => {
      assert.ok(connection.connected);
      assert.ok(connectMs < 15_000, `${connectMs} ms`);
      console.log(`      connect: ${connectMs.toFixed(0)} ms`);
    });

    it('lists its tools with their schemas and read-only annotations', async () => {
      const tools = await connection.listTools();
      const byName = new Map(tools.map((t) => [t.name, t]));
      for (const name of ['echo', 'get-sum', 'trigger-long-running-operation', 'toggle-simulated-logging']) assert.ok(byName.has(name), name);
      const echo = byName.get('echo');
      assert.equal(echo?.readOnly, true);
      assert.equal(echo?.inputSchema.type, 'object');
      assert.ok(echo?.description);
      // Annotated `readOnlyHint: false`: must ask before running.
      assert.equal(byName.get('toggle-simulated-logging')?.readOnly, false);
      assert.equal(new Set(tools.map((t) => t.name)).size, tools.length);
    });

    if (transport.name === 'stdio') {
      it("sends the server's stderr to the log", () => {
        assert.ok(stderr.some((line) => /STDIO/i.test(line)), stderr.join('\n'));
      });
    }

    it('calls echo', async () => {
      const result = await connection.callTool('echo', { message: 'hello from Rill' }, new AbortController().signal);
      assert.deepEqual(result, { status: 'ok', content: 'Echo: hello from Rill' });
    });

    it('turns an error result (bad arguments) into a tool error', async () => {
      const result = await connection.callTool('get-sum', { a: 'one' }, new AbortController().signal);
      assert.equal(result.status, 'error');
      assert.match(result.status === 'error' ? result.message : '', /get-sum/);
    });

    it('names content it cannot pass on: an image becomes a note, text is kept', async () => {
      const result = await connection.callTool('get-tiny-image', {}, new AbortController().signal);
      assert.equal(result.status, 'ok');
      const content = result.status === 'ok' ? result.content : '';
      assert.match(content, /\[image \(image\/png\) left out/);
      assert.doesNotMatch(content, /iVBOR/, 'no base64');
    });

    it('Stop cancels a long-running tool promptly, and the connection stays usable', async () => {
      const abort = new AbortController();
      const call = connection.callTool('trigger-long-running-operation', { duration: 20, steps: 20 }, abort.signal);
      await new Promise((r) => setTimeout(r, 300));
      const stopped = performance.now();
      abort.abort(new Error('stopped'));
      await assert.rejects(call, /stopped/);
      const latency = performance.now() - stopped;
      console.log(`      cancellation: ${latency.toFixed(1)} ms`);
      assert.ok(latency < 500, `${latency} ms`);
      const after = await connection.callTool('echo', { message: 'still here' }, new AbortController().signal);
      assert.deepEqual(after, { status: 'ok', content: 'Echo: still here' });
    });

    it('an already aborted signal does not start the call', async () => {
      const abort = new AbortController();
      abort.abort(new Error('gone'));
      await assert.rejects(connection.callTool('echo', { message: 'x' }, abort.signal), /gone/);
    });
  });
}

describe('MCP connection failures', () => {
  it('a command that does not exist fails at once with a clear reason', async () => {
    const connection = new McpConnection({ kind: 'stdio', name: 'ghost', command: 'rill-no-such-mcp-server-xyz', args: [], env: {} });
    const started = performance.now();
    await assert.rejects(connection.connect(), /could not start "rill-no-such-mcp-server-xyz": no such program/);
    assert.ok(performance.now() - started < 5_000);
    assert.equal(connection.connected, false);
  });

  it('a process that exits at once fails with the end of its stderr', async () => {
    const config: McpServerConfig = { kind: 'stdio', name: 'crash', command: process.execPath, args: ['-e', 'console.error("boom: missing API key"); process.exit(3)'], env: {} };
    await assert.rejects(new McpConnection(config).connect(), /boom: missing API key/);
  });

  it('a process that never answers times out instead of hanging, and is ended', async () => {
    const config: McpServerConfig = { kind: 'stdio', name: 'mute', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], env: {} };
    const connection = new McpConnection(config, { connectTimeoutMs: 800 });
    const started = performance.now();
    await assert.rejects(connection.connect(), /did not answer within 1 s/);
    assert.ok(performance.now() - started < 3_000);
  });

  it('an HTTP URL nobody listens on fails with the URL in the reason', async () => {
    const connection = new McpConnection({ kind: 'http', name: 'down', url: 'http://127.0.0.1:9/mcp', headers: {} }, { connectTimeoutMs: 5_000 });
    await assert.rejects(connection.connect(), /could not connect to http:\/\/127\.0\.0\.1:9\/mcp/);
  });

  it('connecting can be cancelled', async () => {
    const config: McpServerConfig = { kind: 'stdio', name: 'mute', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], env: {} };
    const abort = new AbortController();
    const connecting = new McpConnection(config).connect(abort.signal);
    setTimeout(() => abort.abort(), 100);
    await assert.rejects(connecting, /cancelled/);
  });
});

describe('MCP connection shutdown', () => {
  it('close() during a connect that hangs ends it at once, not at the timeout', async () => {
    const config: McpServerConfig = { kind: 'stdio', name: 'mute', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], env: {} };
    const connection = new McpConnection(config);
    const connecting = connection.connect();
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    await connection.close();
    await assert.rejects(connecting, /cancelled/);
    // The SDK waits up to 2 s for the process to exit after stdin closes, then sends SIGTERM.
    assert.ok(performance.now() - started < 5_000, `${performance.now() - started} ms`);
  });

  it('close() ends the real server within a second', async () => {
    const connection = new McpConnection(stdioServer);
    await connection.connect();
    const started = performance.now();
    await connection.close();
    const ms = performance.now() - started;
    console.log(`      close: ${ms.toFixed(0)} ms`);
    assert.ok(ms < 1_000, `${ms} ms`);
    assert.equal(connection.connected, false);
  });
});
