import { strict as assert } from 'node:assert';
import { mcpSecrets, mcpServerKey, parseMcpServers } from '../../../../src/core/tools/mcp-config';

describe('tools: the rill.mcp.servers setting', () => {
  it('reads stdio and Streamable HTTP servers in the order written', () => {
    const { servers, problems } = parseMcpServers({
      files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { TOKEN: 'abc' }, cwd: '/home/me' },
      remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer xyz' } },
      bare: { command: 'my-server' },
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(servers, [
      { kind: 'stdio', name: 'files', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { TOKEN: 'abc' }, cwd: '/home/me' },
      { kind: 'http', name: 'remote', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer xyz' } },
      { kind: 'stdio', name: 'bare', command: 'my-server', args: [], env: {} },
    ]);
  });

  it('nothing set is no servers and no problems', () => {
    for (const value of [undefined, null, {}]) assert.deepEqual(parseMcpServers(value), { servers: [], problems: [] });
  });

  it('a value that is not an object is one problem, not a crash', () => {
    for (const value of ['npx server', 42, ['a'], true]) {
      const { servers, problems } = parseMcpServers(value);
      assert.deepEqual(servers, []);
      assert.equal(problems.length, 1);
      assert.equal(problems[0]?.server, undefined);
    }
  });

  it('skips each bad entry with its reason and keeps the good ones', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['npx', /must be an object/],
      [null, /must be an object/],
      [{}, /neither "command".*nor "url"/],
      [{ comand: 'npx' }, /neither "command"/],
      [{ command: 'a', url: 'http://x' }, /both "command" and "url"/],
      [{ command: '' }, /"command" must be a non-empty string/],
      [{ command: 3 }, /"command" must be a non-empty string/],
      [{ command: 'a', args: 'x y' }, /"args" must be an array of strings/],
      [{ command: 'a', args: [1] }, /"args" must be an array of strings/],
      [{ command: 'a', env: { A: 1 } }, /"env" must be an object whose values are strings/],
      [{ command: 'a', cwd: 'relative/dir' }, /"cwd" must be an absolute path/],
      [{ command: 'a', argz: [] }, /unknown key "argz"/],
      [{ command: 'a', headers: {} }, /unknown key "headers"/],
      [{ url: 'not a url' }, /not a valid URL/],
      [{ url: 'file:///etc/passwd' }, /must start with http/],
      [{ url: 'ws://host/mcp' }, /must start with http/],
      [{ url: 'https://x/mcp', headers: { A: true } }, /"headers" must be an object whose values are strings/],
      [{ url: 'https://x/mcp', type: 'sse' }, /"type": "sse" is not supported/],
    ];
    for (const [entry, reason] of cases) {
      const { servers, problems } = parseMcpServers({ bad: entry, good: { command: 'ok' } });
      assert.deepEqual(servers.map((s) => s.name), ['good'], JSON.stringify(entry));
      assert.equal(problems.length, 1);
      assert.equal(problems[0]?.server, 'bad');
      assert.match(problems[0]?.message ?? '', reason, JSON.stringify(entry));
    }
  });

  it('accepts what people paste from other clients: "type" that agrees, an empty cwd, Windows paths', () => {
    const { servers, problems } = parseMcpServers({
      a: { type: 'stdio', command: 'x', cwd: '' },
      b: { type: 'http', url: 'http://127.0.0.1:3001/mcp' },
      c: { command: 'x', cwd: 'C:\\tools' },
      d: { command: 'x', cwd: '\\\\server\\share' },
    });
    assert.deepEqual(problems, []);
    assert.equal(servers.length, 4);
    assert.equal('cwd' in (servers[0] ?? {}), false);
  });

  it('a blank server name is a problem', () => {
    assert.match(parseMcpServers({ ' ': { command: 'x' } }).problems[0]?.message ?? '', /name is empty/);
  });

  it('header and environment values are secrets for the log', () => {
    const [stdio, http] = parseMcpServers({ a: { command: 'x', env: { KEY: 'k-123456789' } }, b: { url: 'https://h/mcp', headers: { Authorization: 'Bearer t' } } }).servers;
    assert.deepEqual(mcpSecrets(stdio!), ['k-123456789']);
    assert.deepEqual(mcpSecrets(http!), ['Bearer t']);
  });

  it('the key changes with the settings, not with the order of env or header keys', () => {
    const parse = (value: unknown) => parseMcpServers({ s: value }).servers[0]!;
    assert.equal(mcpServerKey(parse({ command: 'x', env: { A: '1', B: '2' } })), mcpServerKey(parse({ command: 'x', env: { B: '2', A: '1' } })));
    assert.notEqual(mcpServerKey(parse({ command: 'x', args: ['1'] })), mcpServerKey(parse({ command: 'x', args: ['2'] })));
    assert.notEqual(mcpServerKey(parse({ url: 'http://a/mcp' })), mcpServerKey(parse({ url: 'http://a/mcp', headers: { A: '1' } })));
  });
});
