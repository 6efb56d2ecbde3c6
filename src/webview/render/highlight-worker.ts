// The highlighting worker's script (issue 14, item 5). Compiling a grammar the first time its
// language is highlighted was the longest task of Rill's in a long answer (80-500 ms for TypeScript
// on the bench machine) and cannot be sliced; here it and highlight.js's own time run off the
// webview's thread, which is the workbench's main thread. Built into a string by
// scripts/highlight-worker-plugin.mjs and started from a blob (highlight-worker-client.ts).
import { highlighter } from './highlight';
import type { HighlightAnswer, HighlightRequest } from './highlight-worker-protocol';

/** What the worker answers to one request (exported for the unit tests, which have no worker). */
export function answerRequest({ id, code, language }: HighlightRequest): HighlightAnswer {
  try {
    return { id, html: highlighter.highlight(code, language) };
  } catch {
    // a block highlight.js cannot read stays plain
    return { id, html: undefined };
  }
}

// The project's lib is the DOM's; a worker's global scope needs only these two. Only in a worker
// (no `document`) does it listen: imported by a test, it does nothing.
const scope = globalThis as unknown as {
  document?: unknown;
  onmessage: ((event: MessageEvent<HighlightRequest>) => void) | null;
  postMessage(message: HighlightAnswer): void;
};
if (scope.document === undefined && typeof scope.postMessage === 'function') {
  scope.onmessage = (event) => scope.postMessage(answerRequest(event.data));
}
