import * as vscode from 'vscode';
import type { AddContextRequest } from '../../protocol/context-messages';
import type { ChatSession } from '../chat-session';
import type { RedactingLog } from '../redacting-log';
import { applyCode } from '../review/apply-code';
import type { ChangeReviews } from '../review/change-reviews';
import { findWorkspaceFiles } from '../tools/builtin/list-files';
import type { WorkspacePaths } from '../tools/builtin/workspace-paths';
import type { AttachSources, Attached } from './attach-sources';
import { FileRefs } from './file-refs';
import { rankFiles } from '../../core/attachments/rank-files';

/** Files listed for the quick pick and `#file:` completion; the list is kept a few seconds between keystrokes. */
const MAX_FILES = 5000;
const FILE_LIST_MS = 10_000;
const SUGGESTIONS = 20;

const t = vscode.l10n.t;

export interface ContextActionDeps {
  paths: WorkspacePaths;
  sources: AttachSources;
  reviews: ChangeReviews;
  log: RedactingLog;
  /** The text editor the user was in last (the chat may have focus now). */
  editor(): vscode.TextEditor | undefined;
}

/**
 * What the chat's composer and answers ask of the workspace: attach the active file, the
 * selection, a picked file or folder, problems, dropped files; complete `#file:`; tell which paths
 * in an answer are files; open them; apply code blocks. Every path from the webview is untrusted
 * (the webview renders model output) and is confined before anything is read or shown.
 */
export class ContextActions {
  readonly refs: FileRefs;
  private fileList?: { at: number; files: Promise<string[]> };

  constructor(private readonly deps: ContextActionDeps) {
    this.refs = new FileRefs(deps.paths);
  }

  /** Adds what `attached` names to the session's chips, or says in the composer why it cannot. */
  attach(session: ChatSession, attached: Attached): void {
    if (!attached.ok) {
      this.deps.log.warn(attached.message);
      session.context.notice(attached.message);
      return;
    }
    if (!session.context.pending.add(attached.view, attached.captured)) session.context.notice(t('Rill: too many attachments; remove some first.'));
  }

  async add(session: ChatSession, what: AddContextRequest): Promise<void> {
    const { sources } = this.deps;
    switch (what) {
      case 'menu': {
        const choice = await this.menu();
        if (choice) await this.add(session, choice);
        return;
      }
      case 'activeFile':
        return this.attach(session, await sources.activeFile(this.deps.editor()));
      case 'selection':
        return this.attach(session, await sources.selection(this.deps.editor()));
      case 'problems': {
        const file = await sources.activeFile(this.deps.editor());
        return this.attach(session, file.ok && file.view.path !== undefined ? sources.problems(file.view.path) : file);
      }
      case 'workspaceProblems':
        return this.attach(session, sources.problems());
      case 'pickFile': {
        const picked = await this.pickFiles();
        for (const path of picked) this.attach(session, await sources.fromText(path));
        return;
      }
    }
  }

  /** Files dropped from the Explorer (URIs) or picked after `#file:` (workspace paths). */
  async attachPaths(session: ChatSession, paths: readonly string[]): Promise<void> {
    for (const path of paths) this.attach(session, await this.deps.sources.fromText(path));
  }

  /** `#file:` completion: workspace files whose path contains the query, best first. */
  async suggest(query: string): Promise<string[]> {
    return rankFiles(await this.files(), query, SUGGESTIONS);
  }

  apply(code: string, path: string): Promise<void> {
    return applyCode(code, path, { paths: this.deps.paths, reviews: this.deps.reviews, editor: () => this.deps.editor() });
  }

  private async menu(): Promise<AddContextRequest | undefined> {
    const editor = this.deps.editor();
    const name = editor ? vscode.workspace.asRelativePath(editor.document.uri) : undefined;
    const items: Array<vscode.QuickPickItem & { what: AddContextRequest }> = [
      { what: 'activeFile', label: `$(file) ${t('Active file')}`, description: name ?? t('no editor is open') },
      { what: 'selection', label: `$(selection) ${t('Selection')}`, description: name },
      { what: 'pickFile', label: `$(files) ${t('Files and folders…')}` },
      { what: 'problems', label: `$(warning) ${t('Problems in the active file')}`, description: name },
      { what: 'workspaceProblems', label: `$(warning) ${t('Problems in the workspace')}` },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: t('Rill: add context to the prompt'), placeHolder: t('What should Rill see with your next prompt?') });
    return picked?.what;
  }

  private async pickFiles(): Promise<string[]> {
    const files = await this.files();
    const folders = [...new Set(files.flatMap((file) => parentFolders(file)))].sort();
    const items: vscode.QuickPickItem[] = [
      ...files.map((file) => ({ label: `$(file) ${file.split('/').pop() ?? file}`, description: file, path: file })),
      ...folders.map((folder) => ({ label: `$(folder) ${folder.split('/').pop() ?? folder}`, description: `${folder}/`, path: folder })),
    ];
    const picked = await vscode.window.showQuickPick(items as Array<vscode.QuickPickItem & { path: string }>, {
      title: t('Rill: attach files or folders'),
      placeHolder: t('Type to search the workspace; pick one or more'),
      canPickMany: true,
      matchOnDescription: true,
    });
    return (picked ?? []).map((item) => item.path);
  }

  /** The workspace's files (ignored ones left out, like rill_list_files), listed at most every few seconds. */
  private files(): Promise<string[]> {
    if (!this.fileList || Date.now() - this.fileList.at > FILE_LIST_MS) {
      const files = findWorkspaceFiles(this.deps.paths, undefined, MAX_FILES, new AbortController().signal).then((result) => ('error' in result ? [] : result.files.map((file) => file.relative)));
      this.fileList = { at: Date.now(), files };
    }
    return this.fileList.files;
  }
}

/** 'a/b/c.ts' -> ['a', 'a/b']. */
function parentFolders(file: string): string[] {
  const parts = file.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
