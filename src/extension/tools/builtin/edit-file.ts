import * as vscode from 'vscode';
import type { BuiltinArguments } from '../../../core/tools';
import { replaceOnce, replacementProblem } from '../../../core/tools/edit-text';
import type { ChangePreview } from '../host-tool';
import { defineBuiltin, fail, ok } from './define-tool';
import { withHint } from './read-file';
import { encodeText, openDocument, readText } from './text-files';
import type { WorkspacePaths } from './workspace-paths';

type EditArgs = BuiltinArguments['rill_edit_file'];

/** Previews remembered, by call, so a run can tell the file changed after the user saw the diff. */
const REMEMBERED_PREVIEWS = 50;

interface Plan {
  preview: ChangePreview & { before: string };
  uri: vscode.Uri;
  realPath: string;
  index: number;
  length: number;
  inserted: string;
  dirty: vscode.TextDocument | undefined;
  bom: boolean;
}

/**
 * rill_edit_file: replaces the one occurrence of oldText. `preview` computes the change without
 * writing, for the approval step; `run` checks everything again (the path, the text, the single
 * occurrence) and refuses when the file is no longer what the previewed diff showed, since the user
 * approved that diff and not another. When an editor shows the file with the same text, the change
 * goes through a WorkspaceEdit and a save, so the editor shows it at once and can undo it; otherwise
 * the file is written and editors without unsaved changes reload it.
 */
export function editFileTool(paths: WorkspacePaths) {
  const previewed = new Map<string, string>();
  const key = (args: EditArgs): string => JSON.stringify([args.path, args.oldText, args.newText]);

  async function plan(args: EditArgs): Promise<{ error: string } | Plan> {
    const place = await paths.confine(args.path, 'write');
    if (!place.ok) return { error: withHint(place.message) };
    const uri = paths.uri(place.path);
    const read = await readText(place.path, place.relative, { strict: true });
    if (!read.ok) return { error: read.message };
    const replaced = replaceOnce(read.text, args.oldText, args.newText);
    if (!replaced.ok) return { error: replacementProblem(place.relative, replaced.count) };
    return {
      preview: { path: place.relative, before: read.text, after: replaced.text },
      uri,
      realPath: place.path,
      index: replaced.index,
      length: replaced.length,
      inserted: replaced.inserted,
      dirty: read.dirty,
      bom: read.bom,
    };
  }

  return defineBuiltin('rill_edit_file', {
    async preview(args) {
      const planned = await plan(args);
      if ('error' in planned) return planned;
      previewed.delete(key(args));
      previewed.set(key(args), planned.preview.before);
      while (previewed.size > REMEMBERED_PREVIEWS) previewed.delete(previewed.keys().next().value as string);
      return planned.preview;
    },
    async run(args, signal) {
      const planned = await plan(args);
      if ('error' in planned) return fail(planned.error);
      const shown = previewed.get(key(args));
      previewed.delete(key(args));
      const path = planned.preview.path;
      if (shown !== undefined && shown !== planned.preview.before) {
        return fail(`${path} changed after the change was shown to the user, so it was not applied. Read the file again and make the edit anew.`);
      }
      if (signal.aborted) return fail('Stopped before the file was changed.');
      const document = planned.dirty ?? (await openDocument(planned.realPath));
      if (!document || document.getText() !== planned.preview.before) {
        if (planned.dirty) return fail(`${path} changed in its editor while the edit was prepared; nothing was changed. Try again.`);
        await vscode.workspace.fs.writeFile(planned.uri, encodeText(planned.preview.after, planned.bom));
        return ok(`Edited ${path} (${changedLines(planned.preview.before, planned.index, planned.length, planned.inserted)}) and saved it.`);
      }
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(planned.index), document.positionAt(planned.index + planned.length)), planned.inserted);
      if (!(await vscode.workspace.applyEdit(edit))) return fail(`VS Code did not apply the edit to ${path} (is the file read-only?).`);
      const lines = changedLines(planned.preview.before, planned.index, planned.length, planned.inserted);
      if (!(await saved(document, planned.realPath, planned.preview.after))) return ok(`Edited ${path} (${lines}) in its editor, but VS Code could not save it (the file may have changed on disk): the change is in the editor, unsaved.`);
      return ok(`Edited ${path} (${lines}) and saved it.${planned.dirty ? ' Its editor had unsaved changes; they were saved with it.' : ''}`);
    },
  });
}

/** "lines 5-6 replaced by lines 5-9": where the change is, for the model's next read. */
function changedLines(before: string, index: number, length: number, inserted: string): string {
  const first = before.slice(0, index).split(/\r\n|\n|\r/).length;
  return `lines ${first}-${first + spanLines(before.slice(index, index + length)) - 1} replaced by lines ${first}-${first + spanLines(inserted) - 1}`;
}

/** How many lines a piece of text touches; its final line break does not start another. */
function spanLines(text: string): number {
  return Math.max(1, text.split(/\r\n|\n|\r/).length - (/(\r\n|\n|\r)$/.test(text) ? 1 : 0));
}

/**
 * Saves the edited document. `save()` has answered false in the web workbench although nothing
 * else touched the file (1 run in 7 of the integration suite): so a false answer is checked against
 * the disk, and the save is tried once more before the edit is reported as unsaved.
 */
async function saved(document: vscode.TextDocument, realPath: string, after: string): Promise<boolean> {
  if (await document.save()) return true;
  const onDisk = async (): Promise<boolean> => {
    const read = await readText(realPath, '', { strict: true }).catch(() => undefined);
    return read?.ok === true && read.text === after;
  };
  if (!document.isDirty && (await onDisk())) return true;
  await new Promise((resolve) => setTimeout(resolve, 500));
  return (await document.save()) || (!document.isDirty && (await onDisk()));
}
