import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { parseFileRef } from '../../core/attachments';
import type { FileRef } from '../../protocol/context-messages';
import type { WorkspacePaths } from '../tools/builtin/workspace-paths';

/** Refs remembered per path for a few seconds: a long answer repeats the same names. */
const CACHE_MS = 5_000;

/**
 * Which links and `path:line` mentions of answers name files in the workspace. Only those become
 * clickable; anything else (a path outside the folders, through `..` or a link, a file that does not
 * exist, VS Code's own storage) stays text. The same confinement as the agent's tools decides.
 */
export class FileRefs {
  private readonly cache = new Map<string, { exists: boolean; at: number }>();

  constructor(private readonly paths: WorkspacePaths) {}

  async resolve(refs: readonly string[]): Promise<FileRef[]> {
    return Promise.all(refs.map(async (ref) => ({ ref, exists: await this.exists(ref) })));
  }

  /** Opens a workspace file at a 1-based line (0: at its top), beside the chat when no editor is open. */
  async open(path: string, line: number): Promise<void> {
    const place = await this.file(path);
    if (!place) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Rill: {0} is not a file in the workspace folders.', path.slice(0, 200)));
      return;
    }
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    const column = vscode.window.visibleTextEditors[0]?.viewColumn ?? vscode.ViewColumn.Beside;
    await vscode.window.showTextDocument(place, { selection: new vscode.Range(position, position), preview: true, viewColumn: column });
  }

  private async exists(ref: string): Promise<boolean> {
    const target = parseFileRef(ref);
    if (!target) return false;
    const cached = this.cache.get(target.path);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.exists;
    const exists = (await this.file(target.path)) !== undefined;
    this.cache.set(target.path, { exists, at: Date.now() });
    if (this.cache.size > 2000) this.cache.delete(this.cache.keys().next().value as string);
    return exists;
  }

  /** The URI of a workspace file (not a folder) at this path, else undefined. */
  private async file(path: string): Promise<vscode.Uri | undefined> {
    const place = await this.paths.confine(path, 'read');
    if (!place.ok) return undefined;
    const stats = await stat(place.path).catch(() => undefined);
    return stats?.isFile() ? this.paths.uri(place.path) : undefined;
  }
}
