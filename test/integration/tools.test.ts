// Rill's built-in tools in a real extension host, on the temporary copy of fixtures/workspace that
// scripts/integration/run-in-code-server.mjs opens. The modules are bundled into this suite
// directly (the extension does not export them); `vscode` is the host's own.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ToolResult } from '../../src/core/agent';
import { createBuiltinTools, openChangeDiff, registerChangeDiffProvider, CHANGE_SCHEME } from '../../src/extension/tools/builtin';
import type { ChangePreview, HostTool } from '../../src/extension/tools/host-tool';

const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const inWorkspace = (...parts: string[]): string => path.join(folder, ...parts);
const never = new AbortController().signal;
let timeoutMs = 120_000;
const logged: string[] = [];
let tools: HostTool[] = [];
let outside = '';

function tool(name: string): HostTool {
  const found = tools.find((candidate) => candidate.definition.name === name);
  assert.ok(found, `${name} exists`);
  return found;
}
const run = (name: string, args: Record<string, unknown>, signal = never): Promise<ToolResult> => tool(name).run(args, signal);
async function content(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await run(name, args);
  assert.equal(result.status, 'ok', JSON.stringify(result));
  return (result as { content: string }).content;
}
async function error(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await run(name, args);
  assert.equal(result.status, 'error', JSON.stringify(result));
  return (result as { message: string }).message;
}
const read = (...parts: string[]): string => fs.readFileSync(inWorkspace(...parts), 'utf8');

describe('Built-in tools in the extension host', function () {
  this.timeout(60_000);

  before(() => {
    // Only ever on the disposable copy: these tests write files, make links and run commands.
    assert.ok(folder && fs.existsSync(inWorkspace('rill-fixture.txt')), 'the window has the fixture workspace open (run through scripts/integration/run-in-code-server.mjs)');
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'rill-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside-token-7f3a\n');
    fs.symlinkSync(path.join(outside, 'secret.txt'), inWorkspace('link-out.txt'));
    fs.symlinkSync(outside, inWorkspace('linked-dir'));
    fs.mkdirSync(inWorkspace('node_modules', 'dep'), { recursive: true });
    fs.writeFileSync(inWorkspace('node_modules', 'dep', 'index.ts'), 'export const hello = 1;\n');
    fs.writeFileSync(inWorkspace('src', 'image.bin'), Buffer.from([0x89, 0x50, 0x00, 0x01, ...Buffer.from('hello binary')]));
    fs.mkdirSync(inWorkspace('fake-user-data', 'User', 'globalStorage', 'rill.rill'), { recursive: true });
    fs.writeFileSync(inWorkspace('fake-user-data', 'User', 'settings.json'), '{"rill.agent.autoApprove": []}\n');
    tools = createBuiltinTools({
      log: { info: (message) => logged.push(message), warn: (message) => logged.push(`warn: ${message}`) },
      // As if VS Code kept its user data inside the workspace: its storage must still be refused.
      storageUris: [vscode.Uri.file(inWorkspace('fake-user-data', 'User', 'globalStorage', 'rill.rill'))],
      commandTimeoutMs: () => timeoutMs,
      // Above the 15 s default: on a loaded test machine the web workbench's terminal has needed 9 s.
      shellIntegrationTimeoutMs: 30_000,
    });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('offers the seven tools of the contract, readers read-only', () => {
    assert.deepEqual(
      tools.map((candidate) => [candidate.definition.name, candidate.readOnly, candidate.source.kind]),
      [
        ['rill_read_file', true, 'builtin'],
        ['rill_list_files', true, 'builtin'],
        ['rill_search_text', true, 'builtin'],
        ['rill_diagnostics', true, 'builtin'],
        ['rill_edit_file', false, 'builtin'],
        ['rill_create_file', false, 'builtin'],
        ['rill_run_command', false, 'builtin'],
      ],
    );
  });

  it('rill_read_file: numbered lines, a range, a missing file, bad arguments', async () => {
    assert.equal(await content('rill_read_file', { path: 'src/greeting.ts', startLine: 2, endLine: 2 }), '2|   return `Hello, ${name}!`;\n[Rill: lines 2-2 of 5.]');
    assert.match(await content('rill_read_file', { path: 'src/greeting.ts' }), /^1\| export function greet\(name: string\): string \{\n/);
    assert.match(await error('rill_read_file', { path: 'src/nope.ts' }), /"src\/nope\.ts" does not exist .*Use rill_list_files to find it\./);
    assert.match(await error('rill_read_file', { path: 'src' }), /is a folder/);
    assert.match(await error('rill_read_file', { path: 'src/image.bin' }), /binary/);
    assert.match(await error('rill_read_file', { file: 'src/greeting.ts' }), /unknown argument "file"/);
  });

  it('rill_read_file: an open editor\'s unsaved text is what is read', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(inWorkspace('src', 'notes.md')));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'UNSAVED LINE\n'));
    assert.match(await content('rill_read_file', { path: 'src/notes.md', endLine: 1 }), /^1\| UNSAVED LINE/);
    await editor.edit((edit) => edit.delete(new vscode.Range(0, 0, 1, 0)));
    await document.save();
    assert.match(await content('rill_read_file', { path: 'src/notes.md', endLine: 1 }), /^1\| # Notes/);
  });

  it('rill_list_files: by glob, node_modules left out, globs outside refused', async () => {
    const all = (await content('rill_list_files', {})).split('\n');
    assert.ok(all.includes('src/greeting.ts') && all.includes('rill-fixture.txt'), all.join(', '));
    assert.ok(!all.some((line) => line.startsWith('node_modules/')), 'node_modules is left out');
    assert.deepEqual((await content('rill_list_files', { pattern: 'node_modules/**' })).split('\n'), ['node_modules/dep/index.ts'], 'unless asked for');
    assert.deepEqual((await content('rill_list_files', { pattern: 'src/**/*.ts' })).split('\n'), ['src/greeting.ts']);
    assert.match(await content('rill_list_files', { pattern: '**/*.nothing' }), /^\[Rill: no files match/);
    assert.match(await error('rill_list_files', { pattern: '../**' }), /contains "\.\."/);
    assert.match(await error('rill_list_files', { pattern: '/etc/*' }), /absolute/);
  });

  it('rill_list_files and rill_search_text leave out what the folder\'s .gitignore lists, unless the pattern names it', async () => {
    fs.writeFileSync(inWorkspace('.gitignore'), '# build output\nbuild/\n*.tmp\n');
    fs.mkdirSync(inWorkspace('build'), { recursive: true });
    fs.writeFileSync(inWorkspace('build', 'out.js'), 'const built = "hello from the build";\n');
    fs.writeFileSync(inWorkspace('src', 'scratch.tmp'), 'hello scratch\n');
    const all = (await content('rill_list_files', {})).split('\n');
    assert.ok(all.includes('.gitignore') && all.includes('src/greeting.ts'), all.join(', '));
    assert.ok(!all.includes('build/out.js') && !all.includes('src/scratch.tmp'), `ignored files are left out: ${all.join(', ')}`);
    assert.deepEqual((await content('rill_list_files', { pattern: 'build/**' })).split('\n'), ['build/out.js'], 'unless asked for');
    assert.match(await content('rill_search_text', { query: 'hello from the build' }), /^\[Rill: no line in the workspace contains/);
    assert.match(await content('rill_search_text', { query: 'hello from the build', pattern: 'build/**' }), /^build\/out\.js:1:/);
  });

  it('rill_search_text: literal, case-insensitive, binaries skipped, never through a link out', async () => {
    const found = await content('rill_search_text', { query: 'HELLO' });
    assert.deepEqual(found.split('\n').sort(), ['src/greeting.ts:2: return `Hello, ${name}!`;', 'src/notes.md:3: The greeting says hello.']);
    assert.deepEqual((await content('rill_search_text', { query: 'hello', pattern: '**/*.md' })).split('\n'), ['src/notes.md:3: The greeting says hello.']);
    assert.match(await content('rill_search_text', { query: '${name' }), /^src\/greeting\.ts:2:/, 'not a regular expression');
    assert.match(await content('rill_search_text', { query: 'outside-token-7f3a' }), /^\[Rill: no line in the workspace contains/);
    assert.match(await error('rill_search_text', { query: 'a\nb' }), /line by line/);
  });

  it('rill_diagnostics: what VS Code holds, one file or the workspace, nothing from outside', async () => {
    const collection = vscode.languages.createDiagnosticCollection('rill-test');
    try {
      const error = new vscode.Diagnostic(new vscode.Range(1, 9, 1, 15), "Cannot find name 'nameX'.", vscode.DiagnosticSeverity.Error);
      error.source = 'ts';
      error.code = 2304;
      collection.set(vscode.Uri.file(inWorkspace('src', 'greeting.ts')), [error, new vscode.Diagnostic(new vscode.Range(4, 0, 4, 5), 'Prefer let.', vscode.DiagnosticSeverity.Warning)]);
      collection.set(vscode.Uri.file(path.join(outside, 'secret.txt')), [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), 'outside problem')]);
      const one = await content('rill_diagnostics', { path: 'src/greeting.ts' });
      assert.equal(one, "1 error, 1 warning in src/greeting.ts:\nsrc/greeting.ts:2:10: error: Cannot find name 'nameX'. (ts 2304)\nsrc/greeting.ts:5:1: warning: Prefer let.");
      const all = await content('rill_diagnostics', {});
      assert.match(all, /src\/greeting\.ts:2:10: error: Cannot find name 'nameX'\./);
      assert.doesNotMatch(all, /outside problem/);
      assert.match(await content('rill_diagnostics', { path: 'src/notes.md' }), /no problems for src\/notes\.md/);
    } finally {
      collection.dispose();
    }
  });

  it('rill_edit_file: previewed, then applied and saved, an open editor in sync', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(inWorkspace('src', 'greeting.ts')));
    await vscode.window.showTextDocument(document);
    const args = { path: 'src/greeting.ts', oldText: "DEFAULT_NAME = 'world'", newText: "DEFAULT_NAME = 'Rill'" };
    const preview = (await tool('rill_edit_file').preview?.(args, never)) as ChangePreview;
    assert.equal(preview.path, 'src/greeting.ts');
    assert.equal(preview.after, (preview.before ?? '').replace("'world'", "'Rill'"));
    assert.equal(read('src', 'greeting.ts'), preview.before, 'the preview wrote nothing');
    assert.match(await content('rill_edit_file', args), /^Edited src\/greeting\.ts \(lines 5-5 replaced by lines 5-5\) and saved it\.$/);
    assert.equal(read('src', 'greeting.ts'), preview.after);
    assert.equal(document.getText(), preview.after);
    assert.equal(document.isDirty, false);
  });

  it('rill_edit_file: oldText missing or repeated, a file changed after its preview, refused', async () => {
    const before = read('src', 'notes.md');
    assert.match(await error('rill_edit_file', { path: 'src/notes.md', oldText: 'not in the file', newText: 'x' }), /oldText was not found in src\/notes\.md/);
    assert.match(await error('rill_edit_file', { path: 'src/notes.md', oldText: 'e', newText: 'x' }), /oldText occurs \d+ times in src\/notes\.md; it must occur exactly once/);
    assert.deepEqual(await tool('rill_edit_file').preview?.({ path: 'src/notes.md', oldText: 'nope', newText: '' }, never), { error: 'oldText was not found in src/notes.md. It must match the file exactly, whitespace and indentation included; read the file again with rill_read_file and copy the text from it.' });
    const args = { path: 'src/notes.md', oldText: '# Notes', newText: '# Changed' };
    await tool('rill_edit_file').preview?.(args, never);
    fs.appendFileSync(inWorkspace('src', 'notes.md'), 'a line added by the user\n');
    assert.match(await error('rill_edit_file', args), /changed after the change was shown/);
    assert.equal(read('src', 'notes.md'), `${before}a line added by the user\n`);
  });

  it('rill_edit_file: an editor\'s unsaved text is edited and saved with it', async () => {
    // A file of its own: one changed on disk behind an open editor's back would conflict on save.
    fs.writeFileSync(inWorkspace('src', 'draft.md'), '# Draft\n');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(inWorkspace('src', 'draft.md')));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'Draft line\n'));
    const result = await content('rill_edit_file', { path: 'src/draft.md', oldText: 'Draft line', newText: 'Kept line' });
    assert.match(result, /^Edited src\/draft\.md \(lines 1-1 replaced by lines 1-1\) and saved it\. Its editor had unsaved changes; they were saved with it\.$/);
    assert.equal(read('src', 'draft.md'), 'Kept line\n# Draft\n');
    assert.equal(document.isDirty, false);
  });

  it('rill_create_file: a new file with its folders; an existing one refused', async () => {
    const preview = await tool('rill_create_file').preview?.({ path: 'made/by/rill.txt', content: 'one\ntwo\n' }, never);
    assert.deepEqual(preview, { path: 'made/by/rill.txt', before: undefined, after: 'one\ntwo\n' });
    assert.equal(fs.existsSync(inWorkspace('made')), false, 'the preview created nothing');
    assert.equal(await content('rill_create_file', { path: 'made/by/rill.txt', content: 'one\ntwo\n' }), 'Created made/by/rill.txt (2 lines).');
    assert.equal(read('made', 'by', 'rill.txt'), 'one\ntwo\n');
    // A file no editor shows is written directly, its byte order mark kept.
    fs.writeFileSync(inWorkspace('made', 'bom.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('first\r\nsecond\r\n')]));
    assert.match(await content('rill_edit_file', { path: 'made/bom.txt', oldText: 'first\nsecond', newText: 'one\ntwo\nthree' }), /^Edited made\/bom\.txt \(lines 1-2 replaced by lines 1-3\) and saved it\.$/);
    assert.deepEqual(fs.readFileSync(inWorkspace('made', 'bom.txt')), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('one\r\ntwo\r\nthree\r\n')]));
    assert.match(await error('rill_create_file', { path: 'src/greeting.ts', content: 'overwritten' }), /src\/greeting\.ts already exists; .*Use rill_edit_file/);
    assert.doesNotMatch(read('src', 'greeting.ts'), /overwritten/);
  });

  it('confinement: "..", absolute paths outside, links out, VS Code storage, settings folders', async () => {
    assert.match(await error('rill_read_file', { path: '../secret.txt' }), /refused: "\.\." takes it outside the workspace folder/);
    assert.match(await error('rill_read_file', { path: path.join(outside, 'secret.txt') }), /refused: it is outside the workspace folders/);
    assert.match(await error('rill_read_file', { path: 'link-out.txt' }), /refused: it leads, through a symbolic link, outside the workspace folders/);
    assert.match(await error('rill_read_file', { path: 'linked-dir/secret.txt' }), /through a symbolic link/);
    assert.match(await error('rill_edit_file', { path: 'link-out.txt', oldText: 'outside', newText: 'x' }), /through a symbolic link/);
    assert.match(await error('rill_create_file', { path: 'linked-dir/new.txt', content: 'x' }), /through a symbolic link/);
    assert.match(await error('rill_read_file', { path: 'fake-user-data/User/settings.json' }), /refused: it is in VS Code's own storage/);
    assert.match(await error('rill_diagnostics', { path: 'fake-user-data/User/settings.json' }), /VS Code's own storage/);
    assert.match(await error('rill_create_file', { path: '.vscode/tasks.json', content: '{}' }), /"\.vscode" holds VS Code settings/);
    assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'outside-token-7f3a\n');
    assert.equal(fs.existsSync(path.join(outside, 'new.txt')), false);
  });

  it('the change diff opens in VS Code\'s diff editor, read-only', async () => {
    const registration = registerChangeDiffProvider();
    try {
      await openChangeDiff({ path: 'src/greeting.ts', before: 'old text\n', after: 'new text\n' });
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      assert.ok(input instanceof vscode.TabInputTextDiff, 'a diff tab is active');
      assert.equal(input.original.scheme, CHANGE_SCHEME);
      assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), 'old text\n');
      assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), 'new text\n');
      assert.equal((await vscode.workspace.openTextDocument(input.modified)).languageId, 'typescript');
    } finally {
      registration.dispose();
    }
  });

  describe('rill_run_command', () => {
    it('runs in the workspace folder; output and exit code come back', async function () {
      let started = Date.now();
      const output = await content('rill_run_command', { command: '  echo "rill-$((40 + 2))" && pwd  ' });
      assert.equal(output, `rill-42\n${fs.realpathSync(folder)}\n[Rill: exit code 0.]`);
      const first = Date.now() - started;
      started = Date.now();
      assert.equal(await content('rill_run_command', { command: 'echo again' }), 'again\n[Rill: exit code 0.]');
      // Shown in the report: the first call includes starting the terminal and its shell integration.
      const integration = logged.find((line) => line.includes('shell integration after'))?.replace(/^.*after /, '') ?? '?';
      if (this.test) this.test.title += ` [first ${first} ms (shell integration ${integration}), next ${Date.now() - started} ms]`;
      // A command that changes folder does not move the next one: it gets a new terminal in the workspace folder.
      assert.equal(await content('rill_run_command', { command: 'cd src && pwd' }), `${fs.realpathSync(folder)}/src\n[Rill: exit code 0.]`);
      assert.equal(await content('rill_run_command', { command: 'pwd' }), `${fs.realpathSync(folder)}\n[Rill: exit code 0.]`);
      // A cd in a subshell moves nothing: the terminal (and anything it started in the background) is kept.
      const rill = () => vscode.window.terminals.filter((t) => t.name === 'Rill' && t.exitStatus === undefined);
      const [kept] = rill();
      // (Not a line that starts with "(": here the shell integration never reported such a command ended; it waited out its timeout.)
      assert.equal(await content('rill_run_command', { command: 'echo sub && (cd src && true)' }), 'sub\n[Rill: exit code 0.]');
      assert.equal(await content('rill_run_command', { command: 'pwd' }), `${fs.realpathSync(folder)}\n[Rill: exit code 0.]`);
      assert.ok(kept && rill().includes(kept), 'the same Rill terminal ran both');
      assert.equal(await content('rill_run_command', { command: "printf '\\033[31mred\\033[0m\\n'; sh -c 'exit 3'" }), 'red\n[Rill: exit code 3.]');
    });

    it('a command past the timeout is interrupted, and the next one runs', async () => {
      timeoutMs = 2000;
      try {
        const started = Date.now();
        const message = await error('rill_run_command', { command: 'echo waiting; sleep 30' });
        assert.match(message, /^waiting\n(\^C\n)?\[Rill: the command was stopped after 2 s without finishing\.\]$/);
        assert.ok(Date.now() - started < 8000, `ended ${Date.now() - started} ms after it started`);
      } finally {
        timeoutMs = 120_000;
      }
      assert.equal(await content('rill_run_command', { command: 'echo after' }), 'after\n[Rill: exit code 0.]');
    });

    it('a shell without shell integration is a clear error, and nothing runs', async () => {
      const settings = vscode.workspace.getConfiguration('terminal.integrated');
      await settings.update('shellIntegration.enabled', false, vscode.ConfigurationTarget.Global);
      try {
        const [, , , , , , runCommand] = createBuiltinTools({ log: { info: () => undefined, warn: () => undefined }, storageUris: [], commandTimeoutMs: () => 5000, shellIntegrationTimeoutMs: 3000 });
        const result = await runCommand!.run({ command: 'touch should-not-exist.txt' }, never);
        assert.equal(result.status, 'error');
        assert.match((result as { message: string }).message, /did not start VS Code's shell integration within 3 s, .*nothing was run\. .*terminal\.integrated\.shellIntegration\.enabled/);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        assert.equal(fs.existsSync(inWorkspace('should-not-exist.txt')), false);
      } finally {
        await settings.update('shellIntegration.enabled', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('Stop interrupts at once', async () => {
      const controller = new AbortController();
      const running = run('rill_run_command', { command: 'sleep 30' }, controller.signal);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const stopped = Date.now();
      controller.abort();
      assert.deepEqual(await running, { status: 'error', message: 'Stopped by the user: the command was interrupted (Ctrl+C).' });
      assert.ok(Date.now() - stopped < 200, `returned ${Date.now() - stopped} ms after Stop`);
      assert.equal(await content('rill_run_command', { command: 'echo still-works' }), 'still-works\n[Rill: exit code 0.]');
    });
  });
});
