import * as vscode from 'vscode';
import { formatRecording, recordingFromCapture } from '../../core/recording';
import type { ChatSession } from '../chat-session';
import type { SessionManager } from '../session-manager';
import { recentRecordings } from './recent-recordings';

export interface SaveRecordingDeps {
  manager: SessionManager;
  activeSession: () => Promise<ChatSession | undefined>;
}

/**
 * `rill.saveStreamRecording`: writes the response of the last request of the chat used last, or
 * of answer `messageId` in session `sessionId`, as a stream recording file (src/core/recording/
 * recording-file.ts): the bytes as they arrived, with offsets and times, secrets redacted.
 * Arguments: `{ sessionId?, messageId?, uri? }`; `uri` (a file URI string) skips the save dialog,
 * for scripts and tests. Returns the saved file's URI string.
 */
export async function saveStreamRecording(args: unknown, deps: SaveRecordingDeps): Promise<string | undefined> {
  const options = (typeof args === 'object' && args !== null ? args : {}) as { sessionId?: unknown; messageId?: unknown; uri?: unknown };
  const session = typeof options.sessionId === 'string' ? await deps.manager.get(options.sessionId) : await deps.activeSession();
  const messageId = typeof options.messageId === 'string' ? options.messageId : session?.traceFor()?.messageId;
  const recording = session && messageId ? recentRecordings.get(session.id, messageId) : undefined;
  if (!recording || recording.capture.exchanges.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Rill: there is no recorded stream for this answer. Recordings are kept in memory for the latest answers of this window: send a prompt, then save.'),
    );
    return undefined;
  }
  const stamp = recording.startedAt.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  const target =
    typeof options.uri === 'string'
      ? vscode.Uri.parse(options.uri)
      : await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? '/'), `rill-stream-${stamp}.jsonl`),
          filters: { [vscode.l10n.t('Stream recording')]: ['jsonl'] },
          title: vscode.l10n.t('Save Stream Recording'),
        });
  if (!target) return undefined;
  const { meta } = recording;
  const text = formatRecording(
    recordingFromCapture(recording.capture.exchanges, {
      savedAt: new Date(),
      ...(meta.provider ? { provider: meta.provider } : {}),
      ...(meta.model ? { model: meta.model } : {}),
      secrets: meta.secrets,
    }),
  );
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  const cut = recording.capture.exchanges.some((e) => e.truncated);
  void vscode.window.showInformationMessage(
    cut
      ? vscode.l10n.t('Rill: stream recording saved to {0}. The answer was longer than the recording keeps: only its first bytes are in the file.', target.fsPath)
      : vscode.l10n.t('Rill: stream recording saved to {0}.', target.fsPath),
  );
  return target.toString();
}
