import { lstat, realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import { confinePath, type ConfineOptions, type Confined, type PathAccess, type WorkspaceFolderPath } from '../../../core/tools';
import { forbiddenRoots } from '../../../core/tools/storage-roots';

/**
 * The workspace as the confinement check sees it, and the way back from a checked real path to a
 * URI VS Code knows. Only folders whose files this extension host can reach with Node's fs count:
 * `file` (local) and `vscode-remote` (the host runs where the files are: SSH, WSL, containers,
 * code-server). A virtual folder (a GitHub repository in the browser) cannot be checked for links,
 * so it is not offered to the tools rather than trusted unchecked.
 */
const REACHABLE = new Set(['file', 'vscode-remote']);

export interface WorkspacePaths {
  /** The folders the tools work in, first one first; empty when none is open. */
  folders(): readonly vscode.WorkspaceFolder[];
  /** Checks a path from the model (see core/tools/confine.ts). */
  confine(input: unknown, access: PathAccess): Promise<Confined>;
  /** The URI of a checked real path, in the scheme and authority of its workspace folder, so open editors match it. */
  uri(realPath: string): vscode.Uri;
  /** Whether a URI VS Code returned (a search hit, a diagnostic) is inside the workspace and outside VS Code's storage. */
  allows(uri: vscode.Uri): Promise<Confined>;
}

export function workspacePaths(storageUris: readonly vscode.Uri[]): WorkspacePaths {
  const style = process.platform === 'win32' ? 'win32' : 'posix';
  const folders = (): vscode.WorkspaceFolder[] => (vscode.workspace.workspaceFolders ?? []).filter((folder) => REACHABLE.has(folder.uri.scheme));
  const options = (): ConfineOptions => ({
    folders: folders().map((folder): WorkspaceFolderPath => ({ name: folder.name, path: folder.uri.fsPath })),
    style,
    // macOS's default file system ignores case as Windows' does; refusing `/A` as outside `/a` there would be wrong.
    caseInsensitive: process.platform === 'win32' || process.platform === 'darwin',
    // Every scheme counts here: VS Code may hand out storage as `vscode-userdata:` with the real
    // path, and refusing a folder that turns out to be elsewhere costs nothing.
    forbiddenRoots: forbiddenRoots(
      storageUris.map((uri) => uri.fsPath),
      style,
    ),
    realpath: (path) => realpath(path),
    lexists: (path) => lstat(path).then(
      () => true,
      () => false,
    ),
  });
  // Every reachable folder lives where this extension host runs, so they share one scheme and authority.
  const uri = (realPath: string): vscode.Uri => {
    const folder = folders()[0];
    const file = vscode.Uri.file(realPath);
    return folder ? file.with({ scheme: folder.uri.scheme, authority: folder.uri.authority }) : file;
  };
  return {
    folders,
    confine: (input, access) => confinePath(input, access, options()),
    uri,
    allows: (target) =>
      REACHABLE.has(target.scheme) ? confinePath(target.fsPath, 'read', options()) : Promise.resolve({ ok: false, message: `${target.toString()} is not a file in the workspace.` }),
  };
}
