import * as vscode from 'vscode';
import type { ChangePreview } from '../host-tool';

export const CHANGE_SCHEME = 'rill-change';

/** Previews kept for the diff editor; older ones are forgotten (their tabs show empty text if reopened). */
const KEPT_PREVIEWS = 50;

/**
 * The texts shown by open diff editors, by URI. Module state because VS Code has one content
 * provider per scheme; the provider is read-only by nature (documents of a non-file scheme cannot
 * be saved), so a proposed change can be looked at but never edited or written from there.
 */
const texts = new Map<string, string>();
let counter = 0;

const provider: vscode.TextDocumentContentProvider = {
  provideTextDocumentContent: (uri) => texts.get(uri.toString()) ?? '',
};

/** Registers the `rill-change` content provider; dispose it with the extension. */
export function registerChangeDiffProvider(): vscode.Disposable {
  const registration = vscode.workspace.registerTextDocumentContentProvider(CHANGE_SCHEME, provider);
  return new vscode.Disposable(() => {
    registration.dispose();
    texts.clear();
  });
}

function remember(uri: vscode.Uri, text: string): void {
  texts.set(uri.toString(), text);
  while (texts.size > KEPT_PREVIEWS * 2) texts.delete(texts.keys().next().value as string);
}

/**
 * Opens a proposed change in VS Code's diff editor: the file as it is on the left (empty for a new
 * file), as it would be on the right. The URIs end with the file's own path so the editor picks the
 * language from its name; each opening gets a fresh id, so two proposals for one file never show
 * each other's text. Returns the right side's URI, which names this proposal (see review/).
 */
export async function openChangeDiff(preview: ChangePreview): Promise<vscode.Uri> {
  const id = String(++counter);
  const path = `/${preview.path.replace(/^\/+/, '')}`;
  const left = vscode.Uri.from({ scheme: CHANGE_SCHEME, path, query: `${id}-before` });
  const right = vscode.Uri.from({ scheme: CHANGE_SCHEME, path, query: `${id}-after` });
  remember(left, preview.before ?? '');
  remember(right, preview.after);
  const name = preview.path.split('/').pop() ?? preview.path;
  const title = preview.before === undefined ? `${name} (new file, proposed by Rill)` : `${name} (change proposed by Rill)`;
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
  return right;
}
