import * as vscode from 'vscode';
import { labelsFor, traceToMermaid, type TraceDetail } from '../core/trace';
import type { ChatSession } from './chat-session';
import { showDiagramPanel } from './diagram-panel';
import type { RedactingLog } from './redacting-log';
import type { SessionManager } from './session-manager';

export interface DiagramDeps {
  manager: SessionManager;
  log: RedactingLog;
  extensionUri: vscode.Uri;
  activeSession: () => Promise<ChatSession | undefined>;
}

/**
 * `rill.showStreamDiagram`: the sequence diagram of what a request really did, drawn from its
 * recorded trace, for the last request of the chat used last, or for the answer `messageId`
 * (each answer's "flow diagram" action). Returns the Mermaid text, for programmatic callers.
 * Arguments: `{ sessionId?, messageId?, detail?: 'summary' | 'chunks', show?: boolean }`.
 */
export async function showStreamDiagram(args: unknown, deps: DiagramDeps): Promise<string | undefined> {
  const options = (typeof args === 'object' && args !== null ? args : {}) as {
    sessionId?: unknown;
    messageId?: unknown;
    detail?: unknown;
    show?: unknown;
  };
  const session = typeof options.sessionId === 'string' ? await deps.manager.get(options.sessionId) : await deps.activeSession();
  const trace = session?.traceFor(typeof options.messageId === 'string' ? options.messageId : undefined);
  if (!trace) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Rill: no request has been made in this conversation yet, so there is no flow to draw.'));
    return undefined;
  }
  const detail: TraceDetail = options.detail === 'chunks' ? 'chunks' : 'summary';
  const source = traceToMermaid(trace, { detail, labels: labelsFor(vscode.env.language) });
  if (options.show !== false) {
    const title = vscode.l10n.t('Rill: Streaming Flow ({0})', new Date(trace.startedAt).toLocaleTimeString(vscode.env.language));
    showDiagramPanel(deps.extensionUri, title, source, deps.log);
  }
  return source;
}
