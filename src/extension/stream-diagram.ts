import * as vscode from 'vscode';
import { labelsFor, traceToMermaid, type RequestTrace, type TraceDetail } from '../core/trace';
import type { ChatSession } from './chat-session';
import { timelineLabelsFor } from '../core/trace/timeline-labels';
import { showDiagramPanel } from './diagram-panel';
import { namedTimeline, pickRequest } from './stream-compare';
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
    compareWith?: unknown;
  };
  const session = typeof options.sessionId === 'string' ? await deps.manager.get(options.sessionId) : await deps.activeSession();
  const trace = session?.traceFor(typeof options.messageId === 'string' ? options.messageId : undefined);
  if (!trace) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Rill: no request has been made in this conversation yet, so there is no flow to draw.'));
    return undefined;
  }
  const compareWith = isTrace(options.compareWith) ? options.compareWith : undefined;
  const detail: TraceDetail = options.detail === 'chunks' ? 'chunks' : 'summary';
  const source = traceToMermaid(trace, { detail, labels: labelsFor(vscode.env.language) });
  if (options.show !== false) {
    const title = vscode.l10n.t('Rill: Streaming Flow ({0})', new Date(trace.startedAt).toLocaleTimeString(vscode.env.language));
    showDiagramPanel(deps.extensionUri, title, source, deps.log, {
      timelines: [namedTimeline(trace), ...(compareWith ? [namedTimeline(compareWith)] : [])],
      labels: timelineLabelsFor(vscode.env.language),
      compare: async () => {
        const other = await pickRequest(deps.manager, vscode.l10n.t('Pick a request to compare with this one'), trace);
        return other && namedTimeline(other.trace);
      },
    });
  }
  return source;
}

function isTrace(value: unknown): value is RequestTrace {
  return typeof value === 'object' && value !== null && (value as RequestTrace).v === 1 && Array.isArray((value as RequestTrace).attempts);
}

/**
 * `rill.compareStreams`: pick two requests from any conversation and see their timelines on one
 * axis, in the diagram view (its flow tab shows the first's diagram).
 */
export async function compareStreams(deps: DiagramDeps): Promise<void> {
  const first = await pickRequest(deps.manager, vscode.l10n.t('Pick the first request to compare'));
  if (!first) return;
  const second = await pickRequest(deps.manager, vscode.l10n.t('Pick a request to compare with this one'), first.trace);
  if (!second) return;
  await showStreamDiagram({ sessionId: first.sessionId, messageId: first.trace.messageId, compareWith: second.trace }, deps);
}
