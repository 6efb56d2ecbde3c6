// A Script is a plain-data description of one HTTP response, down to where the bytes are split and
// how long the server pauses between them. Keeping it JSON-serialisable (no functions, no Buffers)
// means a test can build it in-process today and send it to a server in another process later.
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/** Any JSON value; used for script fields that end up inside response bodies. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** One thing the server does while answering. Steps run in order. */
export type Step =
  /** Send the status line and headers now (otherwise they go out with the first write). */
  | { type: 'headers' }
  /** Write UTF-8 text; `bytesPerWrite` splits it at the byte level (may cut a character in two). */
  | { type: 'write'; text: string; bytesPerWrite?: number }
  /** Write raw bytes given as base64 (for bodies that are not valid UTF-8). */
  | { type: 'writeBase64'; base64: string; bytesPerWrite?: number }
  /** Pause. */
  | { type: 'sleep'; ms: number }
  /** Finish the response normally (terminal). */
  | { type: 'end' }
  /** Kill the connection mid-response (terminal); `reset: false` closes with FIN instead of RST. */
  | { type: 'destroy'; reset?: boolean }
  /** Keep the socket open and send nothing more until the client goes away (terminal). */
  | { type: 'hold' };

/** A complete scripted response. */
export interface Script {
  /** Shown in `server.requests[i].scriptName`; helps when a test fails. */
  name?: string;
  status: number;
  /** Response headers; the server adds `x-request-id` unless one is given here. */
  headers?: Record<string, string>;
  /** Steps; if none of them is terminal the response is ended after the last one. */
  steps: Step[];
}

/** How a script run finished. */
export type ScriptOutcome =
  /** `end` step (or implicit end) completed. */
  | 'ended'
  /** A `destroy` step killed the connection. */
  | 'destroyed'
  /** A `hold` step was reached; the response stays open until the client or the server closes it. */
  | 'held'
  /** The client went away (or the server shut down) before the script finished. */
  | 'aborted';

/**
 * Plays `script` onto `res`. Resolves when the script has finished (for `hold`: as soon as the hold
 * starts, so callers are not blocked; the held socket is released by the client or by `signal`).
 * Never rejects: a client that disconnects simply turns the outcome into `aborted`.
 */
export async function runScript(
  res: ServerResponse,
  script: Script,
  signal: AbortSignal,
  /** Called after each write step has been handed to the socket (for latency stamps). */
  onWritten: () => void = () => undefined,
): Promise<ScriptOutcome> {
  // One controller for "stop now": the client closed the response, or the server is shutting down.
  const stop = new AbortController();
  const onStop = (): void => stop.abort();
  res.once('close', onStop);
  signal.addEventListener('abort', onStop, { once: true });
  const cleanup = (): void => {
    res.off('close', onStop);
    signal.removeEventListener('abort', onStop);
  };

  const ensureHead = (): void => {
    if (!res.headersSent) res.writeHead(script.status, script.headers ?? {});
  };

  try {
    for (const step of script.steps) {
      if (stop.signal.aborted || res.destroyed) return 'aborted';
      switch (step.type) {
        case 'headers':
          ensureHead();
          // Without this Node would wait for the first body write before sending the head.
          res.flushHeaders();
          break;
        case 'write':
          ensureHead();
          if (!(await writeSplit(res, Buffer.from(step.text, 'utf8'), step.bytesPerWrite, stop.signal))) {
            return 'aborted';
          }
          onWritten();
          break;
        case 'writeBase64':
          ensureHead();
          if (!(await writeSplit(res, Buffer.from(step.base64, 'base64'), step.bytesPerWrite, stop.signal))) {
            return 'aborted';
          }
          onWritten();
          break;
        case 'sleep':
          try {
            await sleep(step.ms, undefined, { signal: stop.signal });
          } catch {
            return 'aborted';
          }
          break;
        case 'end':
          ensureHead();
          res.end();
          return 'ended';
        case 'destroy': {
          const socket = res.socket;
          if (socket && step.reset !== false && typeof socket.resetAndDestroy === 'function') {
            socket.resetAndDestroy();
          } else if (socket) {
            socket.destroy();
          } else {
            res.destroy();
          }
          return 'destroyed';
        }
        case 'hold':
          // Nothing to do: the response is simply never ended. The server destroys it on close().
          return 'held';
      }
    }
    if (stop.signal.aborted || res.destroyed) return 'aborted';
    ensureHead();
    res.end();
    return 'ended';
  } finally {
    cleanup();
  }
}

/**
 * Writes `bytes` in pieces of `bytesPerWrite` (all at once when absent), waiting for each piece to be
 * handed to the kernel before the next, and yielding to the event loop in between so that pieces
 * leave as separate TCP segments (the server disables Nagle). Returns false if the client left.
 */
async function writeSplit(
  res: ServerResponse,
  bytes: Buffer,
  bytesPerWrite: number | undefined,
  signal: AbortSignal,
): Promise<boolean> {
  const size = bytesPerWrite && bytesPerWrite > 0 ? Math.floor(bytesPerWrite) : bytes.length;
  if (bytes.length === 0) return true;
  for (let offset = 0; offset < bytes.length; offset += size) {
    if (signal.aborted || res.destroyed) return false;
    const piece = bytes.subarray(offset, offset + size);
    const ok = await new Promise<boolean>((resolve) => {
      // The callback can be skipped when the socket dies under us, so also settle on abort.
      const onAbort = (): void => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
      res.write(piece, (error) => {
        signal.removeEventListener('abort', onAbort);
        resolve(!error);
      });
    });
    if (!ok) return false;
    if (offset + size < bytes.length) await nextTurn();
  }
  return true;
}

/** Everything a script writes, joined as text (for assertions on exact bytes without a server). */
export function scriptBodyText(script: Script): string {
  return script.steps
    .map((step) =>
      step.type === 'write'
        ? step.text
        : step.type === 'writeBase64'
          ? Buffer.from(step.base64, 'base64').toString('utf8')
          : '',
    )
    .join('');
}
