import * as vscode from 'vscode';
import type { AttachmentContent } from '../../core/attachments';
import { formatDiagnostics, type DiagnosticLine } from '../../core/tools/diagnostic-lines';
import { findWorkspaceFiles } from '../tools/builtin/list-files';
import { diagnosticLine } from '../tools/builtin/diagnostics';
import { openDocument, readText } from '../tools/builtin/text-files';
import type { WorkspacePaths } from '../tools/builtin/workspace-paths';
import type { PendingAttachment } from './pending-context';

/** Files a folder attachment lists, at most: the model gets their names, and reads what it needs. */
const MAX_FOLDER_FILES = 500;

/** What could be read for a prompt, and what could not (said to the user; the rest is still sent). */
export interface ReadContext {
  items: AttachmentContent[];
  /** The attachments actually read, in the same order as `items`. */
  read: PendingAttachment[];
  problems: string[];
}

const t = vscode.l10n.t;

/**
 * Reads the attachments' text when the prompt is sent: a file as the user sees it now (an editor's
 * unsaved text first), a selection as it was when attached, a folder as the list of its files,
 * problems as VS Code reports them now. Each path is confined again: the workspace or a link may
 * have changed since the chip was added.
 */
export async function readContext(pending: readonly PendingAttachment[], paths: WorkspacePaths, signal: AbortSignal): Promise<ReadContext> {
  const out: ReadContext = { items: [], read: [], problems: [] };
  for (const item of pending) {
    const result = await readOne(item, paths, signal).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
    if ('error' in result) out.problems.push(result.error);
    else {
      out.items.push(result);
      out.read.push(item);
    }
  }
  return out;
}

async function readOne(item: PendingAttachment, paths: WorkspacePaths, signal: AbortSignal): Promise<AttachmentContent | { error: string }> {
  const { view } = item;
  if (view.kind === 'selection' && item.captured) {
    return { kind: 'selection', path: view.path, language: item.captured.language, text: item.captured.text, startLine: view.startLine ?? 1 };
  }
  if (view.kind === 'problems') return problemsOf(view.path, paths);
  if (view.path === undefined) return { error: t('Rill: an attachment without a path was left out.') };
  if (view.kind === 'folder') {
    const listed = await findWorkspaceFiles(paths, `${globSafe(view.path)}/**`, MAX_FOLDER_FILES, signal);
    if ('error' in listed) return { error: t('Rill: the folder {0} could not be listed: {1}', view.path, listed.error) };
    const names = listed.files.map((file) => file.relative);
    if (listed.more) names.push(t('(and more files: only the first {0} are listed)', MAX_FOLDER_FILES));
    return { kind: 'folder', path: view.path, language: 'text', text: names.join('\n') || t('(no files)'), startLine: 1 };
  }
  const place = await paths.confine(view.path, 'read');
  if (!place.ok) return { error: t('Rill: {0} is no longer a file in the workspace; it was left out.', view.path) };
  const text = await readText(place.path, view.path);
  if (!text.ok) return { error: t('Rill: {0} could not be read: {1}', view.path, text.message) };
  const document = await openDocument(place.path);
  return { kind: 'file', path: view.path, language: document?.languageId ?? languageOf(view.path), text: text.text.replace(/\r\n/g, '\n'), startLine: 1 };
}

function problemsOf(path: string | undefined, paths: WorkspacePaths): Promise<AttachmentContent> | AttachmentContent {
  const multiRoot = paths.folders().length > 1;
  const lines: DiagnosticLine[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const relative = vscode.workspace.asRelativePath(uri, multiRoot);
    if (relative === uri.fsPath || relative === uri.toString()) continue; // not in the workspace
    if (path !== undefined && relative !== path) continue;
    lines.push(...diagnostics.map((diagnostic) => diagnosticLine(relative, diagnostic)));
  }
  const scope = path ?? 'the workspace';
  return { kind: 'problems', ...(path !== undefined ? { path } : {}), language: 'text', text: formatDiagnostics(lines, scope), startLine: 1 };
}

/** Glob characters in a folder's name are matched literally. */
function globSafe(path: string): string {
  return path.replace(/[[\]{}*?!]/g, (c) => `[${c}]`);
}

/** A fence language from the file's extension, when no editor has told us its language. */
function languageOf(path: string): string {
  const name = path.split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : 'text';
}
