import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostTool } from '../../../src/extension/tools/host-tool';
import type { ToolCatalog as ToolCatalogType } from '../../../src/extension/tools/tool-catalog';
import { RedactingLog } from '../../../src/extension/redacting-log';
import { fake, installFakeVscode, LanguageModelTextPart, type FakeItem } from './fake-vscode';

// The catalog over a fake `vscode` (settings, trust, lm.tools, the quick pick) and REAL MCP servers:
// server-everything over stdio, plus programs that fail in the ways users' servers do.
installFakeVscode();

const root = join(__dirname, '..', '..', '..');
const everything = { command: process.execPath, args: [join(root, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js'), 'stdio'] };

class Memento {
  readonly data = new Map<string, unknown>();
  keys = () => [...this.data.keys()];
  get<T>(key: string, fallback?: T): T | undefined {
    return this.data.has(key) ? (this.data.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Promise<void> {
    this.data.set(key, value);
    return Promise.resolve();
  }
}

const builtin = (name: string, readOnly: boolean): HostTool => ({
  definition: { name, description: `${name} does things` },
  source: { kind: 'builtin' },
  readOnly,
  run: async () => ({ status: 'ok', content: name }),
});
const BUILTIN = [builtin('rill_read_file', true), builtin('rill_edit_file', false)];

describe('tool catalog (fake VS Code, real MCP servers)', function () {
  this.timeout(60_000);
  let ToolCatalog: typeof ToolCatalogType;
  let catalog: ToolCatalogType | undefined;
  let logLines: string[];
  let state: Memento;
  const signal = () => new AbortController().signal;
  const names = (tools: readonly HostTool[]) => tools.map((t) => t.definition.name);

  before(async () => {
    ({ ToolCatalog } = await import('../../../src/extension/tools/tool-catalog'));
  });

  beforeEach(() => {
    fake.reset();
    logLines = [];
    state = new Memento();
  });

  afterEach(async () => {
    await catalog?.close();
    catalog?.dispose();
    catalog = undefined;
  });

  function create(): ToolCatalogType {
    const line = (level: string) => (text: string) => logLines.push(`${level} ${text}`);
    const channel = { info: line('info'), warn: line('warn'), error: line('error') } as unknown as ConstructorParameters<typeof RedactingLog>[0];
    catalog = new ToolCatalog({ builtin: () => BUILTIN, log: new RedactingLog(channel), state: state as unknown as import('vscode').Memento });
    return catalog;
  }

  it('offers built-in, then MCP, then VS Code tools, with valid unique names and read-only from annotations', async () => {
    fake.settings.globalValue = { everything };
    fake.lmTools = [
      { name: 'copilot_readFile', description: 'reads', tags: [] },
      { name: 'rill_read_file', description: 'a clash with a built-in', tags: [] },
      { name: 'rill_registered', description: "Rill's own", tags: [] },
      { name: 'mcp_everything_echo', description: 'the same server, run by VS Code', tags: [] },
      { name: 'odd.name with spaces', description: 'needs sanitising', tags: [] },
      { name: 'run_in_terminal', description: "VS Code's internal tool: in no manifest", tags: [] },
      { name: 'copilot_runTests', description: "Copilot Chat's own", tags: [] },
    ];
    const declares = (id: string, ...tools: string[]) => ({ id, packageJSON: { contributes: { languageModelTools: tools.map((name) => ({ name })) } } });
    fake.extensions = [
      declares('acme.tools', 'copilot_readFile', 'odd.name with spaces', 'rill_read_file'),
      declares('GitHub.copilot-chat', 'copilot_runTests'),
      declares('rill.rill', 'rill_registered'),
      { id: 'vscode.git', packageJSON: {} },
    ];
    const started = performance.now();
    const tools = await create().list(signal());
    console.log(`      first list (connects server-everything): ${(performance.now() - started).toFixed(0)} ms`);
    const list = names(tools);
    assert.deepEqual(list.slice(0, 2), ['rill_read_file', 'rill_edit_file']);
    const mcp = tools.filter((t) => t.source.kind === 'mcp');
    assert.ok(mcp.length >= 10);
    assert.equal(list.indexOf(mcp[0]!.definition.name), 2, 'MCP right after the built-ins');
    assert.ok(list.includes('mcp_everything_echo'));
    assert.equal(tools.find((t) => t.definition.name === 'mcp_everything_echo')?.readOnly, true);
    assert.equal(tools.find((t) => t.definition.name === 'mcp_everything_toggle-simulated-logging')?.readOnly, false);
    const lm = tools.filter((t) => t.source.kind === 'vscode');
    assert.deepEqual(lm.map((t) => (t.source.kind === 'vscode' ? t.source.name : '')), ['copilot_readFile', 'mcp_everything_echo', 'odd.name with spaces']);
    assert.equal(lm[0]?.definition.name, 'copilot_readFile');
    assert.match(lm[1]!.definition.name, /^mcp_everything_echo_[0-9a-f]{8}$/, 'a clash gets a hash suffix');
    assert.equal(lm[2]?.definition.name, 'odd_name_with_spaces');
    assert.ok(lm.every((t) => !t.readOnly), 'VS Code tools always ask');
    assert.ok(!list.includes('run_in_terminal') && !list.some((n) => n.startsWith('copilot_runTests')), "VS Code's internal and Copilot Chat's own tools are not offered");
    assert.equal(new Set(list).size, list.length);
    for (const name of list) assert.match(name, /^[a-zA-Z0-9_-]{1,64}$/);
    assert.deepEqual(list.slice(-3), lm.map((t) => t.definition.name), 'VS Code tools last');
  });

  it('runs MCP tools through the hub, and Stop ends a slow one at once', async () => {
    fake.settings.globalValue = { everything };
    const tools = await create().list(signal());
    const echo = tools.find((t) => t.definition.name === 'mcp_everything_echo')!;
    assert.deepEqual(echo.source, { kind: 'mcp', server: 'everything', tool: 'echo' });
    assert.deepEqual(await echo.run({ message: 'hi' }, signal()), { status: 'ok', content: 'Echo: hi' });
    const slow = tools.find((t) => t.definition.name === 'mcp_everything_trigger-long-running-operation')!;
    const abort = new AbortController();
    const run = slow.run({ duration: 30, steps: 30 }, abort.signal);
    setTimeout(() => abort.abort(new Error('Stop')), 200);
    const started = performance.now();
    await assert.rejects(run, /Stop/);
    assert.ok(performance.now() - started < 1_000);
  });

  it('runs VS Code tools with vscode.lm.invokeTool, their parts as text, and cancels them', async () => {
    fake.lmTools = [{ name: 'ext_tool', description: 'x', inputSchema: { type: 'object', properties: { q: { type: 'string' } } }, tags: [] }];
    fake.extensions = [{ id: 'acme.ext', packageJSON: { contributes: { languageModelTools: [{ name: 'ext_tool' }] } } }];
    let cancelled = false;
    fake.invoke = async (name, options, token) => {
      if ((options.input as { q?: string }).q === 'hang') {
        token.onCancellationRequested(() => (cancelled = true));
        return new Promise(() => undefined);
      }
      return { content: [new LanguageModelTextPart(`${name} got ${JSON.stringify(options.input)}`), { mimeType: 'image/png', data: new Uint8Array([1]) }] };
    };
    const [tool] = (await create().list(signal())).filter((t) => t.source.kind === 'vscode');
    assert.deepEqual(tool?.definition.parameters, fake.lmTools[0]?.inputSchema);
    assert.deepEqual(await tool!.run({ q: 'a' }, signal()), {
      status: 'ok',
      content: 'ext_tool got {"q":"a"}\n[image/png content left out: only text is passed to the model]',
    });
    const abort = new AbortController();
    const run = tool!.run({ q: 'hang' }, abort.signal);
    abort.abort(new Error('Stop'));
    await assert.rejects(run, /Stop/);
    assert.ok(cancelled, 'the cancellation token was cancelled');
  });

  it('in an untrusted workspace: read-only built-ins only, and no MCP process is started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rill-mcp-'));
    const marker = join(dir, 'started');
    try {
      fake.trusted = false;
      fake.settings.globalValue = { spy: { command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`] } };
      fake.lmTools = [{ name: 'copilot_readFile', description: 'reads', tags: [] }];
      const tools = await create().list(signal());
      assert.deepEqual(names(tools), ['rill_read_file']);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(existsSync(marker), false, 'the server was never started');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never reads the workspace's value of rill.mcp.servers", async () => {
    fake.settings.workspaceValue = { everything };
    const tools = await create().list(signal());
    assert.deepEqual(names(tools), ['rill_read_file', 'rill_edit_file']);
    assert.ok(logLines.some((l) => /workspace settings is ignored/.test(l)));
  });

  it('a server that fails is logged and shown with its reason; the others go on; a bad entry warns once', async () => {
    fake.settings.globalValue = { ghost: { command: 'rill-no-such-server-xyz' }, broken: { args: ['x'] }, everything };
    const cat = create();
    const tools = await cat.list(signal());
    assert.ok(names(tools).includes('mcp_everything_echo'));
    assert.ok(!names(tools).some((n) => n.startsWith('mcp_ghost')));
    assert.ok(logLines.some((l) => /MCP "ghost" failed: could not start "rill-no-such-server-xyz"/.test(l)), logLines.join('\n'));
    assert.ok(logLines.some((l) => /"broken" skipped: it has neither "command"/.test(l)));
    assert.equal(fake.warnings.length, 1);
    assert.match(fake.warnings[0]!, /skipped 1 MCP server settings: "broken"/);
    fake.changeSettings({ ...(fake.settings.globalValue as object) });
    assert.equal(fake.warnings.length, 1, 'the same problem is not warned about again');

    const done = cat.configure();
    await until(() => fake.picks.length > 0 && !fake.picks[0]!.busy);
    const pick = fake.picks[0]!;
    const ghost = pick.items.find((i) => i.label.includes('ghost') && i.toolName === undefined && i.kind === undefined);
    assert.ok(ghost, 'the failed server has a line');
    assert.match(ghost.detail ?? '', /no such program/);
    pick.hide();
    await done;
  });

  it('the picker turns tools off (stored by name, default on) and counts them against 128', async () => {
    fake.settings.globalValue = { everything };
    const cat = create();
    const all = await cat.list(signal());
    const done = cat.configure();
    await until(() => fake.picks.length > 0 && !fake.picks[0]!.busy);
    const pick = fake.picks[0]!;
    await until(() => pick.items.some((i) => i.toolName === 'mcp_everything_echo'));
    assert.match(pick.title, new RegExp(`\\(${all.length} of ${all.length} tools on; providers accept at most 128\\)`));
    assert.deepEqual(pick.items.filter((i) => i.kind === -1).map((i) => i.label), ['Built-in', 'MCP: everything']);
    const echoItem = pick.items.find((i) => i.toolName === 'mcp_everything_echo')!;
    assert.match(echoItem.description ?? '', /MCP: everything · read-only/);
    const keep = pick.selectedItems.filter((i: FakeItem) => i.toolName !== 'mcp_everything_echo' && i.toolName !== 'rill_edit_file');
    pick.select(keep);
    assert.match(pick.title, new RegExp(`\\(${all.length - 2} of ${all.length} tools on`));
    pick.accept();
    await done;
    assert.deepEqual(state.data.get('rill.tools.off'), ['mcp_everything_echo', 'rill_edit_file']);
    const after = names(await cat.list(signal()));
    assert.equal(after.length, all.length - 2);
    assert.ok(!after.includes('mcp_everything_echo') && !after.includes('rill_edit_file'));
  });

  it('list() honours its signal: a server that never answers does not hold the request', async () => {
    fake.settings.globalValue = { mute: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] } };
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 150);
    const started = performance.now();
    const tools = await create().list(abort.signal);
    assert.ok(performance.now() - started < 1_000);
    assert.deepEqual(names(tools), ['rill_read_file', 'rill_edit_file']);
  });

  it('a settings change reconnects only the server that changed', async () => {
    fake.settings.globalValue = { everything, other: { ...everything, args: [...everything.args] } };
    const cat = create();
    await cat.list(signal());
    const ready = () => logLines.filter((l) => /connected in/.test(l)).length;
    assert.equal(ready(), 2);
    fake.changeSettings({ everything, other: { ...everything, env: { CHANGED: '1' } } });
    const tools = await cat.list(signal());
    assert.equal(ready(), 3, 'only "other" connected again');
    assert.ok(names(tools).includes('mcp_other_echo'));
    fake.changeSettings({ everything });
    assert.ok(!names(await cat.list(signal())).some((n) => n.startsWith('mcp_other_')));
  });
});

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
