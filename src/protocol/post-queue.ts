import type { ToWebviewPayload } from './messages';

/** Sends one message; settles once the other side has taken it (VS Code's `webview.postMessage`). */
export type Send = (message: ToWebviewPayload) => PromiseLike<unknown>;

/**
 * Flow control for host → webview messages, by acknowledgement.
 *
 * Every message to a webview crosses the extension host's RPC, and in the web workbench a
 * websocket, before the page hands it to the webview. Measured in `npm run bench`, one message per
 * I/O turn at 1,000 chunks/s (1,645 messages for 3,000 chunks) queued on that path: the p95 from
 * the host's post to the webview grew to 203 ms while the host itself took 0.2 ms. So at most
 * `maxInFlight` messages travel at once (`postMessage` settles when the workbench has taken one);
 * what arrives meanwhile waits, and text appended to the same answer is merged into one message.
 * An idle channel sends at once, so a slow stream pays nothing; a fast one sends one message per
 * round trip, however fast the model.
 *
 * Order is kept: only adjacent appends of the same kind to the same message are merged.
 */
export class PostQueue {
  private readonly waiting: ToWebviewPayload[] = [];
  private inFlight = 0;

  constructor(
    private readonly send: Send,
    private readonly maxInFlight = 1,
  ) {}

  /** Messages waiting for the channel (tests and diagnostics). */
  get backlog(): number {
    return this.waiting.length;
  }

  post(message: ToWebviewPayload): void {
    const last = this.waiting.at(-1);
    if (last && isAppend(last) && isAppend(message) && last.type === message.type && last.messageId === message.messageId) {
      last.text += message.text;
      return;
    }
    this.waiting.push(isAppend(message) ? { ...message } : message);
    this.drain();
  }

  private drain(): void {
    while (this.inFlight < this.maxInFlight) {
      const next = this.waiting.shift();
      if (!next) return;
      this.inFlight++;
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        this.inFlight--;
        this.drain();
      };
      try {
        // A failed send (a disposed view) frees the channel as a delivered one does: the webview's
        // `ready` handshake repairs whatever it missed.
        Promise.resolve(this.send(next)).then(done, done);
      } catch {
        done();
      }
    }
  }
}

type Append = Extract<ToWebviewPayload, { type: 'textAppended' | 'reasoningAppended' }>;

function isAppend(message: ToWebviewPayload): message is Append {
  return message.type === 'textAppended' || message.type === 'reasoningAppended';
}
