import type { FromWebviewMessage } from '../protocol/messages';

/**
 * What the webview keeps across its own reloads through VS Code's `setState`: the unsent draft,
 * and the session shown (VS Code hands it back to restore an editor panel after a reload).
 */
export interface WebviewState {
  draft: string;
  sessionId?: string;
}

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The host connection, typed by the protocol: the webview can only post what the host accepts. */
export type HostConnection = VsCodeApi;

export function connectToHost(): HostConnection {
  return acquireVsCodeApi();
}
