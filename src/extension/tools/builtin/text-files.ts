import { readFile, realpath, stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { looksBinary } from '../../../core/tools/text-search';

/** Files larger than this are not read whole (a log, a dump): the model is told to search instead. */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

const BOM = [0xef, 0xbb, 0xbf];

/**
 * The open document showing this real path, if any. Matched by real path too, since an editor may
 * have opened the file through a link or a linked workspace folder.
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

export type TextRead =
  | {
      ok: true;
      text: string;
      /** The editor holding unsaved changes, when that is where the text came from. */
      dirty?: vscode.TextDocument;
      /** Whether the file starts with a UTF-8 byte order mark (kept when it is written back). */
      bom: boolean;
    }
  | { ok: false; message: string };

/**
 * A workspace file's text as the user sees it: an editor's unsaved text when it has some, else the
 * file on disk (an editor without changes may lag a moment behind the disk, which is the truth).
 * Folders, binaries and huge files are refused with a message for the model; `strict` also refuses
 * what is not valid UTF-8, since writing such text back would corrupt it.
 */
export async function readText(realPath: string, shown: string, options: { maxBytes?: number; strict?: boolean } = {}): Promise<TextRead> {
  const maxBytes = options.maxBytes ?? MAX_READ_BYTES;
  const document = await openDocument(realPath);
  if (document?.isDirty) return { ok: true, text: document.getText(), dirty: document, bom: false };
  // Node's fs, not vscode.workspace.fs: the files are where this extension host runs (see
  // workspace-paths.ts), and in a remote window each workspace.fs call is a round trip through the
  // window (3-4 ms measured in code-server: 11 s to search 3000 files).
  const stats = await stat(realPath);
  if (stats.isDirectory()) return { ok: false, message: `${shown} is a folder, not a file. Use rill_list_files with a pattern like "${shown}/**" to see what it holds.` };
  if (stats.size > maxBytes) {
    return { ok: false, message: `${shown} is ${(stats.size / 1024 / 1024).toFixed(1)} MB, more than the ${maxBytes / 1024 / 1024} MB that can be read. Use rill_search_text to find the part you need.` };
  }
  const bytes = await readFile(realPath);
  if (looksBinary(bytes)) return { ok: false, message: `${shown} is a binary file (it contains NUL bytes); only text files can be read.` };
  const bom = BOM.every((byte, i) => bytes[i] === byte);
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: options.strict === true }).decode(bytes), bom };
  } catch {
    return { ok: false, message: `${shown} is not UTF-8 text; it is not changed by tools, to keep its encoding intact. Ask the user to make this change.` };
  }
}

/** The bytes to write for a text read by readText: UTF-8, with the byte order mark the file had. */
export function encodeText(text: string, bom: boolean): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!bom) return body;
  const bytes = new Uint8Array(body.length + BOM.length);
  bytes.set(BOM);
  bytes.set(body, BOM.length);
  return bytes;
}
