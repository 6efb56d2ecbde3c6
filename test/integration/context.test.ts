// Attached context, links into the workspace and Apply to file in a real extension host, on the
// temporary copy of fixtures/workspace that scripts/integration/run-in-code-server.mjs opens. The
// modules are bundled into this suite directly; `vscode` is the host's own.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { AttachSources } from '../../src/extension/context/attach-sources';
import { FileRefs } from '../../src/extension/context/file-refs';
import type { PendingAttachment } from '../../src/extension/context/pending-context';
import { preparePrompt } from '../../src/extension/context/prepare-prompt';
import { applyCode } from '../../src/extension/review/apply-code';
import { ChangeReviews } from '../../src/extension/review/change-reviews';
import { workspacePaths } from '../../src/extension/tools/builtin/workspace-paths';

const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const inWorkspace = (...parts: string[]): string => path.join(folder, ...parts);
const never = new AbortController().signal;
const A_TS = 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n';

describe('Attached context in the extension host', function () {
  this.timeout(60_000);
  const paths = workspacePaths([]);
  const sources = new AttachSources(paths);
  let outside = '';

  before(() => {
    assert.ok(folder && fs.existsSync(inWorkspace('rill-fixture.txt')), 'the window has the fixture workspace open');
    fs.mkdirSync(inWorkspace('ctx', 'deep'), { recursive: true });
    fs.writeFileSync(inWorkspace('ctx', 'a.ts'), A_TS);
    fs.writeFileSync(inWorkspace('ctx', 'deep', 'b.md'), '# B\n');
    fs.writeFileSync(inWorkspace('ctx', 'blob.bin'), Buffer.from([0x47, 0x49, 0x46, 0x00, 0x01, 0x02]));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'rill-ctx-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside-token-91c2\n');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('attaches workspace files and folders, and refuses binaries and what is outside, saying why', async () => {
    assert.deepEqual(await sources.fromText('ctx/a.ts'), { ok: true, view: { kind: 'file', path: 'ctx/a.ts' } });
    assert.deepEqual(await sources.fromUri(vscode.Uri.file(inWorkspace('ctx', 'deep'))), { ok: true, view: { kind: 'folder', path: 'ctx/deep' } });
    const binary = await sources.fromText('ctx/blob.bin');
    assert.ok(!binary.ok && /binary/.test(binary.message), JSON.stringify(binary));
    const out = await sources.fromUri(vscode.Uri.file(path.join(outside, 'secret.txt')));
    assert.ok(!out.ok && /outside the workspace/.test(out.message), JSON.stringify(out));
    const climbing = await sources.fromText('../secret.txt');
    assert.equal(climbing.ok, false);
    const dropped = await sources.fromText(vscode.Uri.file(inWorkspace('ctx', 'a.ts')).toString());
    assert.deepEqual(dropped, { ok: true, view: { kind: 'file', path: 'ctx/a.ts' } }, 'a URI dropped from the Explorer names the same file');
  });

  it('takes the selected lines, whole, when a selection is attached', async () => {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(inWorkspace('ctx', 'a.ts')));
    editor.selection = new vscode.Selection(1, 3, 2, 5);
    const attached = await sources.selection(editor);
    assert.ok(attached.ok);
    assert.deepEqual(attached.view, { kind: 'selection', path: 'ctx/a.ts', startLine: 2, endLine: 3 });
    assert.equal(attached.captured?.text, 'export const b = 2;\nexport const c = 3;');
    assert.equal(attached.captured?.language, 'typescript');
  });

  it('sends chips and #file: mentions as fenced blocks with path, language and lines, cut to the room', async () => {
    const pending: PendingAttachment[] = [{ view: { id: 'c1', kind: 'file', path: 'ctx/a.ts' } }];
    const deps = { sources, paths, editor: () => undefined, room: async () => ({ tokens: 10_000, count: (text: string) => Math.ceil(text.length / 4) }) };
    const prepared = await preparePrompt(pending, 'Compare with #file:ctx/deep/b.md please', deps, never);
    assert.deepEqual(prepared.problems, []);
    assert.deepEqual(prepared.attachments.map((a) => [a.kind, a.path]), [['file', 'ctx/a.ts'], ['file', 'ctx/deep/b.md']]);
    assert.ok(prepared.context?.includes('ctx/a.ts') && prepared.context.includes(A_TS.trimEnd()), prepared.context);
    assert.match(prepared.context ?? '', /```typescript\n/);
    assert.ok(prepared.context?.includes('# B'));
    assert.deepEqual(prepared.leftOut, []);

    const tight = await preparePrompt(pending, 'Short', { ...deps, room: async () => ({ tokens: 40, count: (text: string) => Math.ceil(text.length / 4) }) }, never);
    assert.equal(tight.leftOut.length, 1, JSON.stringify(tight));
    assert.equal(tight.leftOut[0]?.path, 'ctx/a.ts');
    assert.ok(!tight.context?.includes('export const c = 3;'), 'the last line was left out');

    const missing = await preparePrompt([], 'see #file:ctx/nope.ts', deps, never);
    assert.equal(missing.problems.length, 1, 'a mention of a missing file is named, not sent');
    assert.equal(missing.context, undefined);
  });

  it('makes links of workspace files only, and opens them at their line', async () => {
    const refs = new FileRefs(paths);
    assert.deepEqual(await refs.resolve(['ctx/a.ts:2', 'ctx/a.ts#L3', '../secret.txt', 'ctx/nope.ts', 'ctx/deep', 'https://example.com/a.ts']), [
      { ref: 'ctx/a.ts:2', exists: true },
      { ref: 'ctx/a.ts#L3', exists: true },
      { ref: '../secret.txt', exists: false },
      { ref: 'ctx/nope.ts', exists: false },
      { ref: 'ctx/deep', exists: false },
      { ref: 'https://example.com/a.ts', exists: false },
    ]);
    await refs.open('ctx/a.ts', 3);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, inWorkspace('ctx', 'a.ts'));
    assert.equal(editor?.selection.active.line, 2);
  });

  it('applies a code block only when its diff is accepted, and not after the file changed', async () => {
    const reviews = new ChangeReviews();
    const file = inWorkspace('ctx', 'apply.ts');
    fs.writeFileSync(file, 'old\n');
    try {
      const discard = applyCode('new one', 'ctx/apply.ts', { paths, reviews, editor: () => undefined });
      await waitFor(() => reviews.decideFrom(undefined, 'discard'));
      await discard;
      assert.equal(fs.readFileSync(file, 'utf8'), 'old\n', 'Discard writes nothing');

      const accept = applyCode('new one', 'ctx/apply.ts', { paths, reviews, editor: () => undefined });
      await waitFor(() => reviews.decideFrom(undefined, 'accept'));
      await accept;
      assert.equal(fs.readFileSync(file, 'utf8'), 'new one\n', 'Accept writes the block, with the final newline the file had');

      const stale = applyCode('third', 'ctx/apply.ts', { paths, reviews, editor: () => undefined });
      await waitFor(() => {
        fs.writeFileSync(file, 'changed meanwhile\n');
        reviews.decideFrom(undefined, 'accept');
      });
      await stale;
      assert.equal(fs.readFileSync(file, 'utf8'), 'changed meanwhile\n', 'a diff accepted after the file changed is not applied');

      const created = applyCode('brand new', 'ctx/created.ts', { paths, reviews, editor: () => undefined });
      await waitFor(() => reviews.decideFrom(undefined, 'accept'));
      await created;
      assert.equal(fs.readFileSync(inWorkspace('ctx', 'created.ts'), 'utf8'), 'brand new\n');

      await applyCode('x', '../escape.ts', { paths, reviews, editor: () => undefined });
      assert.equal(fs.existsSync(path.join(folder, '..', 'escape.ts')), false, 'nothing outside the workspace is written');
    } finally {
      reviews.dispose();
    }
  });
});

const decided = new Set<string>();
/** Waits until a new proposal's diff is the active editor (not one decided before, still closing), then runs `act`. */
async function waitFor(act: () => void): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'rill-change' && !decided.has(input.modified.toString())) {
      decided.add(input.modified.toString());
      act();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the diff editor never showed the proposal');
}
