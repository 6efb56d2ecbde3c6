import * as vscode from 'vscode';
import { sessionToMarkdown } from '../core/sessions/export-markdown';
import type { ChatSession } from './chat-session';

/** `rill.exportChat`: writes the conversation as a Markdown file the user picks. */
export async function exportSession(session: ChatSession): Promise<vscode.Uri | undefined> {
  const record = session.record();
  if (record.messages.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Rill: this conversation is empty; there is nothing to export.'));
    return undefined;
  }
  const t = vscode.l10n.t;
  const markdown = sessionToMarkdown(
    record,
    {
      user: t('You'),
      assistant: 'Rill',
      states: { stopped: t('Stopped'), error: t('Error'), truncated: t('Incomplete'), streaming: t('Still streaming') },
      attached: t('Attached'),
      workspaceProblems: t('Problems (workspace)'),
    },
    (ms) => new Date(ms).toLocaleString(vscode.env.language),
  );
  const name = (record.title || 'rill-chat').replace(/[\\/:*?"<>|\s]+/g, '-').slice(0, 60);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, `${name}.md`) : undefined,
    filters: { Markdown: ['md'] },
    title: t('Rill: Export Chat as Markdown'),
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(markdown));
  return target;
}
