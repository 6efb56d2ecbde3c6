import * as vscode from 'vscode';
import type { RequestTrace } from '../core/trace';
import { traceTimeline } from '../core/trace/timeline-figures';
import { fill, timelineLabelsFor } from '../core/trace/timeline-labels';
import type { NamedTimeline } from '../protocol/diagram-messages';
import type { SessionManager } from './session-manager';

/** A request from any conversation, for the Compare pick. */
export interface RecentRequest {
  sessionId: string;
  sessionTitle: string;
  trace: RequestTrace;
}

/**
 * Conversations looked at for recent requests: the newest ones only, because each not already
 * open is loaded from disk to read its traces.
 */
const MAX_SESSIONS = 20;
const MAX_REQUESTS = 60;

/** Recent requests across conversations, newest first. */
export async function recentRequests(manager: SessionManager): Promise<RecentRequest[]> {
  const summaries = (await manager.list()).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, MAX_SESSIONS);
  const requests: RecentRequest[] = [];
  for (const summary of summaries) {
    const session = await manager.get(summary.id);
    for (const trace of session?.recentTraces() ?? []) requests.push({ sessionId: summary.id, sessionTitle: summary.title, trace });
  }
  return requests.sort((a, b) => b.trace.startedAt - a.trace.startedAt).slice(0, MAX_REQUESTS);
}

/** The name a request goes by in the pick and in the comparison's legend: its time and model. */
export function requestName(trace: RequestTrace): string {
  const time = new Date(trace.startedAt).toLocaleTimeString(vscode.env.language);
  return trace.request?.model ? `${time} · ${trace.request.model}` : time;
}

export function namedTimeline(trace: RequestTrace): NamedTimeline {
  return { name: requestName(trace), timeline: traceTimeline(trace) };
}

/** Asks for one of the recent requests (except `except`); `undefined` when cancelled or none. */
export async function pickRequest(manager: SessionManager, placeHolder: string, except?: RequestTrace): Promise<RecentRequest | undefined> {
  const labels = timelineLabelsFor(vscode.env.language);
  const requests = (await recentRequests(manager)).filter((r) => r.trace !== except);
  if (!requests.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Rill: there is no other request to compare with yet.'));
    return undefined;
  }
  const items = requests.map((request) => {
    const { figures } = traceTimeline(request.trace);
    const parts = [`${labels.chunks}: ${figures.chunks}`];
    if (figures.ttftMs !== undefined) parts.unshift(`${labels.ttft}: ${fill(labels.ms, figures.ttftMs)}`);
    return { label: requestName(request.trace), description: request.sessionTitle, detail: parts.join(' · '), request };
  });
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.request;
}
