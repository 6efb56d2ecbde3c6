// The webview's side of the highlighting worker (see highlight-worker.ts for why it exists).
import type { HighlightAnswer, HighlightRequest } from './highlight-worker-protocol';
import type { Highlighter } from './types';

/**
 * A highlighter whose work runs in a worker running `source` (the worker's script, as a string),
 * started from a blob: URL (the page's CSP allows `worker-src blob:`; a webview cannot start a
 * worker from the extension's files). If the worker cannot start or dies, every block asked for
 * since, and every later one, is highlighted on this thread by `fallback` instead: never lost.
 */
export function startHighlightWorker(source: string, fallback: () => Promise<Highlighter>): Highlighter {
  const waiting = new Map<number, { request: HighlightRequest; resolve: (html: string | undefined) => void }>();
  let nextId = 0;
  let worker: Worker | undefined;
  let onThread: Promise<Highlighter> | undefined;

  const inThread = (request: HighlightRequest): Promise<string | undefined> => {
    onThread ??= fallback();
    return onThread.then((api) => api.highlight(request.code, request.language)).catch(() => undefined);
  };
  const fail = () => {
    worker?.terminate();
    worker = undefined;
    const left = [...waiting.values()];
    waiting.clear();
    for (const { request, resolve } of left) void inThread(request).then(resolve);
  };

  try {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    worker = new Worker(url, { name: 'rill-highlight' });
    worker.onmessage = (event: MessageEvent<HighlightAnswer>) => {
      const entry = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      entry?.resolve(event.data.html);
    };
    worker.onerror = fail;
  } catch {
    worker = undefined;
  }

  return {
    highlight(code, language) {
      const request: HighlightRequest = { id: nextId++, code, language };
      if (!worker) return inThread(request);
      return new Promise((resolve) => {
        waiting.set(request.id, { request, resolve });
        worker!.postMessage(request);
      });
    },
  };
}
