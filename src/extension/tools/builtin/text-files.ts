import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import { looksBinary } from '../../../core/tools/text-search';

/** Files larger than this are not read whole (a log, a dump): the model is told to use the terminal. */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

/**
 * The open document showing this real path, if any: what the user sees, unsaved changes included,
 * is what the tools read and change. Matched by real path too, since an editor may have opened the
 * file through a link or a linked workspace folder.
 */
export async function openDocument(realPath: string): Promise<vscode.TextDocument | undefined> {
  const candidates = vscode.workspace.textDocuments.filter((document) => document.uri.scheme === 'file' || document.uri.scheme === 'vscode-remote');
  const exact = candidates.find((document) => document.uri.fsPath === realPath);
  if (exact) return exact;
  for (const document of candidates) {
    const real = await realpath(document.uri.fsPath).catch(() => undefined);
    if (real === realPath) return document;
  }
  return undefined;
}

export type TextRead = { ok: true; text: string } | { ok: false; message: string };

/** A workspace file's text: the open document's, or the file's bytes as UTF-8, refusing folders, binaries and huge files. */
export async function readText(uri: vscode.Uri, realPath: string, shown: string, maxBytes = MAX_READ_BYTES): Promise<TextRead> {
  const document = await openDocument(realPath);
  if (document) return { ok: true, text: document.getText() };
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory) return { ok: false, message: `${shown} is a folder, not a file. Use rill_list_files with a pattern like "${shown}/**" to see what it holds.` };
  if (stat.size > maxBytes) {
    return { ok: false, message: `${shown} is ${(stat.size / 1024 / 1024).toFixed(1)} MB, more than the ${maxBytes / 1024 / 1024} MB that can be read. Use rill_search_text to find the part you need.` };
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (looksBinary(bytes)) return { ok: false, message: `${shown} is a binary file (it contains NUL bytes); only text files can be read.` };
  return { ok: true, text: new TextDecoder('utf-8').decode(bytes) };
}
