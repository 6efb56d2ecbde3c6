import * as vscode from 'vscode';
import type { WorkspacePaths } from '../tools/builtin/workspace-paths';
import { encodeText, openDocument, readText } from '../tools/builtin/text-files';
import type { ChangeReviews } from './change-reviews';
import { asFileText } from '../../core/attachments/file-text';

export interface ApplyDeps {
  paths: WorkspacePaths;
  reviews: ChangeReviews;
  /** The editor the user was in last: "Apply to selection" means its selection. */
  editor(): vscode.TextEditor | undefined;
}

const t = vscode.l10n.t;

/**
 * Apply to file: an answer's code block becomes the new text of the file it names (created when it
 * does not exist), or, without a name, replaces the selection of the editor the user was in last.
 * The change opens in the diff editor; nothing is written until the user accepts it, and not even
 * then if the file changed after the diff was shown (the user accepted that diff, not another).
 * Paths are confined like the agent's tools: an answer cannot write outside the workspace.
 */
export async function applyCode(code: string, path: string, deps: ApplyDeps): Promise<void> {
  if (path === '') return applyToSelection(code, deps);
  const place = await deps.paths.confine(path, 'create');
  if (!place.ok) {
    void vscode.window.showWarningMessage(t('Rill: {0} is not a file in the workspace folders, so the code was not applied. ({1})', path, place.message));
    return;
  }
  const shown = deps.paths.folders().length > 1 ? `${place.folder}/${place.relative}` : place.relative;
  const read = place.exists ? await readText(place.path, shown, { strict: true }) : undefined;
  if (read && !read.ok) {
    void vscode.window.showWarningMessage(t('Rill: the code was not applied: {0}', read.message));
    return;
  }
  const before = read?.text;
  const after = asFileText(code, before);
  if (before === after) {
    void vscode.window.showInformationMessage(t('Rill: {0} already holds this code; nothing to apply.', shown));
    return;
  }
  const review = deps.reviews.review({ path: shown, before, after }, { notify: true });
  await review.opened;
  if ((await review.decision) !== 'accept') return;
  const uri = deps.paths.uri(place.path);
  const now = place.exists ? await readText(place.path, shown, { strict: true }) : undefined;
  const nowText = now?.ok ? now.text : undefined;
  if (nowText !== before) {
    void vscode.window.showWarningMessage(t('Rill: {0} changed after the diff was shown, so the code was not applied. Apply it again to see the new diff.', shown));
    return;
  }
  const document = place.exists ? (now?.ok && now.dirty) || (await openDocument(place.path)) : undefined;
  if (document && document.getText() === before) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), after);
    if (!(await vscode.workspace.applyEdit(edit)) || !(await document.save())) {
      void vscode.window.showWarningMessage(t('Rill: VS Code did not save {0}; the change is in its editor, unsaved.', shown));
      return;
    }
  } else {
    await vscode.workspace.fs.writeFile(uri, encodeText(after, now?.ok ? now.bom : false));
  }
  await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: true });
  void vscode.window.showInformationMessage(t('Rill: applied the code to {0}.', shown));
}

async function applyToSelection(code: string, deps: ApplyDeps): Promise<void> {
  const editor = deps.editor();
  if (!editor) {
    void vscode.window.showInformationMessage(t('Rill: open a file and select the code to replace, then apply again.'));
    return;
  }
  const { document } = editor;
  const selection = editor.selection;
  const before = document.getText();
  const start = document.offsetAt(selection.start);
  const end = document.offsetAt(selection.end);
  const inserted = document.eol === vscode.EndOfLine.CRLF ? code.replace(/\r?\n/g, '\r\n') : code.replace(/\r\n/g, '\n');
  const after = before.slice(0, start) + inserted + before.slice(end);
  const version = document.version;
  const shown = document.isUntitled ? document.fileName : vscode.workspace.asRelativePath(document.uri);
  const review = deps.reviews.review({ path: shown, before, after }, { notify: true });
  await review.opened;
  if ((await review.decision) !== 'accept') return;
  if (document.isClosed || document.version !== version) {
    void vscode.window.showWarningMessage(t('Rill: {0} changed after the diff was shown, so the code was not applied. Apply it again to see the new diff.', shown));
    return;
  }
  const wasDirty = document.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(selection.start, selection.end), inserted);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showWarningMessage(t('Rill: VS Code did not apply the change to {0} (is it read-only?).', shown));
    return;
  }
  // A file that had no unsaved changes is saved, as Apply to file saves; others stay as the user left them.
  if (!wasDirty && !document.isUntitled) await document.save();
  void vscode.window.showInformationMessage(t('Rill: applied the code to {0}.', shown));
}
