import { open, stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { looksBinary } from '../../core/tools/text-search';
import type { AttachmentView } from '../../protocol/context-messages';
import { wholeLines } from '../explain-selection';
import { MAX_READ_BYTES } from '../tools/builtin/text-files';
import type { WorkspacePaths } from '../tools/builtin/workspace-paths';
import type { CapturedText } from './pending-context';

export type Attached = { ok: true; view: Omit<AttachmentView, 'id'>; captured?: CapturedText } | { ok: false; message: string };

/** Bytes read to tell text from binary, as git does: a NUL in the first 8000 bytes means binary. */
const SNIFF_BYTES = 8000;

const t = vscode.l10n.t;

/**
 * Turns what the user points at (a URI from the Explorer, a path typed after `#file:`, the active
 * editor, its selection) into an attachment, or into a sentence saying why it cannot be one.
 * Everything goes through the same confinement as the agent's tools: inside the workspace folders,
 * symbolic links resolved, VS Code's and Rill's storage refused. Binary files are refused here, when
 * the user can still see why; text is read when the prompt is sent (see read-context.ts).
 */
export class AttachSources {
  constructor(private readonly paths: WorkspacePaths) {}

  /** The path to show and to read again at send: relative, with the folder's name first in a multi-root workspace. */
  private shown(folder: string, relative: string): string {
    return this.paths.folders().length > 1 ? `${folder}/${relative}` : relative;
  }

  async fromUri(uri: vscode.Uri): Promise<Attached> {
    const name = uri.path.split('/').pop() || uri.toString();
    const place = await this.paths.allows(uri);
    if (!place.ok) return { ok: false, message: t('Rill: {0} is outside the workspace folders, so it cannot be attached.', name) };
    return this.checked(place.path, this.shown(place.folder, place.relative));
  }

  /** A workspace-relative path, or a URI as text (a drop from the Explorer or the desktop). */
  async fromText(input: string): Promise<Attached> {
    const trimmed = input.trim();
    if (/^[a-z][a-z0-9+.-]+:/i.test(trimmed) && !/^[a-z]:[\\/]/i.test(trimmed)) {
      let uri: vscode.Uri;
      try {
        uri = vscode.Uri.parse(trimmed, true);
      } catch {
        return { ok: false, message: t('Rill: {0} is not a file that can be attached.', trimmed.slice(0, 200)) };
      }
      return this.fromUri(uri);
    }
    const place = await this.paths.confine(trimmed, 'read');
    if (!place.ok) {
      return { ok: false, message: t('Rill: {0} is not a file in the workspace folders, so it cannot be attached.', trimmed.slice(0, 200)) };
    }
    return this.checked(place.path, this.shown(place.folder, place.relative));
  }

  /** The file of the active editor (or the one given). */
  async activeFile(editor = vscode.window.activeTextEditor): Promise<Attached> {
    if (!editor) return { ok: false, message: t('Rill: open a file in the editor first, then attach it.') };
    return this.fromUri(editor.document.uri);
  }

  /** The selected lines (whole lines, as Explain Selection takes them), or the cursor's line when nothing is selected. */
  async selection(editor = vscode.window.activeTextEditor): Promise<Attached> {
    if (!editor) return { ok: false, message: t('Rill: open a file and select some code first, then attach the selection.') };
    const file = await this.fromUri(editor.document.uri);
    if (!file.ok) return file;
    const { document } = editor;
    const range = editor.selection.isEmpty ? document.lineAt(editor.selection.active.line).range : wholeLines(document, editor.selection);
    const full = new vscode.Range(range.start.line, 0, range.end.line, document.lineAt(range.end.line).text.length);
    const text = document.getText(full);
    if (text.trim() === '') return { ok: false, message: t('Rill: the selection is empty; select some code first.') };
    return {
      ok: true,
      view: { kind: 'selection', path: file.view.path, startLine: full.start.line + 1, endLine: full.end.line + 1 },
      captured: { text: text.replace(/\r\n/g, '\n'), language: document.languageId },
    };
  }

  /** The problems of one workspace file (given by its attachment path), or of the workspace. */
  problems(path?: string): Attached {
    return { ok: true, view: path === undefined ? { kind: 'problems' } : { kind: 'problems', path } };
  }

  private async checked(realPath: string, shown: string): Promise<Attached> {
    const stats = await stat(realPath).catch(() => undefined);
    if (!stats) return { ok: false, message: t('Rill: {0} does not exist.', shown) };
    if (stats.isDirectory()) return { ok: true, view: { kind: 'folder', path: shown } };
    if (stats.size > MAX_READ_BYTES) {
      return { ok: false, message: t('Rill: {0} is {1} MB, too large to attach (the limit is {2} MB).', shown, (stats.size / 1024 / 1024).toFixed(1), MAX_READ_BYTES / 1024 / 1024) };
    }
    if (await isBinary(realPath)) return { ok: false, message: t('Rill: {0} is a binary file; only text files can be attached.', shown) };
    return { ok: true, view: { kind: 'file', path: shown } };
  }
}

async function isBinary(realPath: string): Promise<boolean> {
  const handle = await open(realPath, 'r');
  try {
    const buffer = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return looksBinary(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
