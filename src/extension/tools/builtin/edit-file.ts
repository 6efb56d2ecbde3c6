import * as vscode from 'vscode';
import type { BuiltinArguments } from '../../../core/tools';
import { replaceOnce, replacementProblem } from '../../../core/tools/edit-text';
import type { ChangePreview } from '../host-tool';
import { defineBuiltin, fail, ok } from './define-tool';
import { withHint } from './read-file';
import { openDocument, readText } from './text-files';
import type { WorkspacePaths } from './workspace-paths';

type EditArgs = BuiltinArguments['rill_edit_file'];

/** Previews remembered, by call, so a run can tell the file changed after the user saw the diff. */
const REMEMBERED_PREVIEWS = 50;

/**
 * rill_edit_file: replaces the one occurrence of oldText. `preview` computes the change without
 * writing, for the approval step; `run` checks everything again (the path, the text, the single
 * occurrence) and refuses when the file is no longer what the previewed diff showed, since the user
 * approved that diff and not another. The change goes through a WorkspaceEdit on the document and a
 * save, so an open editor shows it at once, keeps its undo history, and the file keeps its encoding
 * and line ends.
 */
export function editFileTool(paths: WorkspacePaths) {
  const previewed = new Map<string, string>();
  const key = (args: EditArgs): string => JSON.stringify([args.path, args.oldText, args.newText]);

  async function plan(args: EditArgs): Promise<{ error: string } | { preview: ChangePreview; uri: vscode.Uri; realPath: string; index: number; length: number; inserted: string }> {
    const place = await paths.confine(args.path, 'write');
    if (!place.ok) return { error: withHint(place.message) };
    const uri = paths.uri(place.path);
    const read = await readText(uri, place.path, place.relative);
    if (!read.ok) return { error: read.message };
    const replaced = replaceOnce(read.text, args.oldText, args.newText);
    if (!replaced.ok) return { error: replacementProblem(place.relative, replaced.count) };
    return { preview: { path: place.relative, before: read.text, after: replaced.text }, uri, realPath: place.path, index: replaced.index, length: replaced.length, inserted: replaced.inserted };
  }

  return defineBuiltin('rill_edit_file', {
    async preview(args) {
      const planned = await plan(args);
      if ('error' in planned) return planned;
      previewed.delete(key(args));
      previewed.set(key(args), planned.preview.before ?? '');
      while (previewed.size > REMEMBERED_PREVIEWS) previewed.delete(previewed.keys().next().value as string);
      return planned.preview;
    },
    async run(args, signal) {
      const planned = await plan(args);
      if ('error' in planned) return fail(planned.error);
      const shown = previewed.get(key(args));
      previewed.delete(key(args));
      if (shown !== undefined && shown !== planned.preview.before) {
        return fail(`${planned.preview.path} changed after the change was shown to the user, so it was not applied. Read the file again and make the edit anew.`);
      }
      if (signal.aborted) return fail('Stopped before the file was changed.');
      const document = (await openDocument(planned.realPath)) ?? (await vscode.workspace.openTextDocument(planned.uri));
      if (document.getText() !== planned.preview.before) return fail(`${planned.preview.path} changed while the edit was prepared; nothing was changed. Try again.`);
      const wasDirty = document.isDirty;
      const edit = new vscode.WorkspaceEdit();
      const start = document.positionAt(planned.index);
      const end = document.positionAt(planned.index + planned.length);
      edit.replace(document.uri, new vscode.Range(start, end), planned.inserted);
      if (!(await vscode.workspace.applyEdit(edit))) return fail(`VS Code did not apply the edit to ${planned.preview.path} (is the file read-only?).`);
      const saved = await document.save();
      const newEnd = document.positionAt(planned.index + planned.inserted.length);
      const lines = `lines ${start.line + 1}-${end.line + 1} replaced by lines ${start.line + 1}-${newEnd.line + 1}`;
      if (!saved) return ok(`Edited ${planned.preview.path} (${lines}), but VS Code could not save it: the change is in the editor, unsaved.`);
      return ok(`Edited ${planned.preview.path} (${lines}) and saved it.${wasDirty ? ' The editor had unsaved changes of the user; they were saved with it.' : ''}`);
    },
  });
}
