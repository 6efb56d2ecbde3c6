// The built-in tools at a size where their bounds matter: thousands of files to list and search,
// a command printing megabytes. Durations are added to the test titles, for the report.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ToolResult } from '../../src/core/agent';
import { createBuiltinTools } from '../../src/extension/tools/builtin';
import type { HostTool } from '../../src/extension/tools/host-tool';

const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const FILES = 3000;
let tools: HostTool[] = [];

async function timed(name: string, args: Record<string, unknown>, signal = new AbortController().signal): Promise<{ result: ToolResult; ms: number }> {
  const tool = tools.find((candidate) => candidate.definition.name === name);
  assert.ok(tool);
  const started = Date.now();
  const result = await tool.run(args, signal);
  return { result, ms: Date.now() - started };
}
const text = (result: ToolResult): string => (result.status === 'ok' ? result.content : result.status === 'error' ? result.message : 'denied');

describe('Built-in tools at scale', function () {
  this.timeout(120_000);

  before(() => {
    assert.ok(folder && fs.existsSync(path.join(folder, 'rill-fixture.txt')), 'the window has the fixture workspace open');
    const lines = Array.from({ length: 40 }, (_, i) => `export const value${i} = ${i}; // some text to search through`);
    for (let i = 0; i < FILES; i++) {
      const dir = path.join(folder, 'gen', `d${i % 30}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `f${i}.ts`), [...lines, `// needle-token ${i}`].join('\n'));
    }
    tools = createBuiltinTools({ log: { info: () => undefined, warn: () => undefined }, storageUris: [], commandTimeoutMs: () => 60_000, shellIntegrationTimeoutMs: 30_000 });
  });

  after(() => fs.rmSync(path.join(folder, 'gen'), { recursive: true, force: true }));

  it('lists thousands of files, cut with a count', async function () {
    const { result, ms } = await timed('rill_list_files', { pattern: 'gen/**/*.ts' });
    const lines = text(result).split('\n');
    assert.equal(lines.length, 401);
    assert.equal(lines[400], '[Rill: showing the first 400 of 2000 or more files; give a narrower pattern, like "src/**/*.ts".]');
    if (this.test) this.test.title += ` [${ms} ms]`;
  });

  it('searches until the match limit, then says there are more', async function () {
    const { result, ms } = await timed('rill_search_text', { query: 'NEEDLE-TOKEN', pattern: 'gen/**' });
    const lines = text(result).split('\n');
    assert.match(lines[0] ?? '', /^gen\/d\d+\/f\d+\.ts:41: \/\/ needle-token \d+$/);
    assert.match(lines.at(-1) ?? '', /^\[Rill: showing the first 400 of 500 or more matches; narrow the query/);
    if (this.test) this.test.title += ` [${ms} ms]`;
  });

  it('searches every file when nothing matches, and Stop ends it between files', async function () {
    const { result, ms } = await timed('rill_search_text', { query: 'absent-token' });
    const searched = /^\[Rill: no line in the workspace contains "absent-token" \(case-insensitive; (\d+) files searched/.exec(text(result));
    assert.ok(searched && Number(searched[1]) >= FILES, text(result));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const stopped = await timed('rill_search_text', { query: 'absent-token' }, controller.signal);
    assert.deepEqual(stopped.result, { status: 'error', message: 'Stopped.' });
    assert.ok(stopped.ms < ms, `stopped after ${stopped.ms} ms, a whole search takes ${ms} ms`);
    if (this.test) this.test.title += ` [whole ${ms} ms, stopped after ${stopped.ms} ms]`;
  });

  it('a command printing megabytes: memory bounded, the end kept', async function () {
    const { result, ms } = await timed('rill_run_command', { command: 'seq 1 100000' });
    const output = text(result);
    assert.equal(result.status, 'ok');
    assert.match(output, /^\[Rill: the output was long; its first \d+ characters were not kept\.\]\n\[Rill: the first \d+ of \d+ lines of output were cut; the last \d+ follow\.\]\n/);
    assert.ok(output.endsWith('\n99999\n100000\n[Rill: exit code 0.]'), output.slice(-100));
    assert.ok(output.length < 25_000, `${output.length} characters`);
    if (this.test) this.test.title += ` [${ms} ms]`;
  });
});
