import * as vscode from 'vscode';
import { Conversation } from '../core/conversation';
import { streamChat } from '../core/chat-stream';
import { DEFAULT_SYSTEM_PROMPT } from '../core/prompts';
import type { StreamOutcome } from '../core/stream-events';
import type { ToWebviewMessage } from '../protocol/messages';
import { parseFromWebview } from '../protocol/parse';
import type { ModelAccess } from './model-access';

/** A message to post, before the controller numbers it. */
type Outgoing = ToWebviewMessage extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

interface RunningRequest {
  messageId: string;
  abort: AbortController;
  /** Text received but not yet posted: deltas that arrive in one I/O turn go out as one message. */
  pending: string;
  flush?: NodeJS.Immediate;
}

/**
 * Drives one chat: owns its transcript, runs requests, and mirrors both into whichever webview is
 * attached (an editor panel or the sidebar view). The transcript lives here, not in the webview,
 * so a hidden or reloaded webview is rebuilt from a snapshot and loses nothing.
 */
export class ChatController implements vscode.Disposable {
  private readonly conversation = new Conversation();
  private webview?: vscode.Webview;
  private listener?: vscode.Disposable;
  private seq = 0;
  private running?: RunningRequest;

  constructor(
    private readonly access: ModelAccess,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Connects a (new) webview; it will post `ready` when its script starts, and get a snapshot. */
  attach(webview: vscode.Webview): void {
    this.listener?.dispose();
    this.webview = webview;
    this.listener = webview.onDidReceiveMessage((raw: unknown) => this.receive(raw));
  }

  detach(webview: vscode.Webview): void {
    if (this.webview !== webview) return;
    this.listener?.dispose();
    this.listener = undefined;
    this.webview = undefined;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  stop(): void {
    this.running?.abort.abort();
  }

  dispose(): void {
    this.stop();
    this.listener?.dispose();
  }

  private receive(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) {
      // Never act on what is outside the protocol: the webview renders untrusted model output.
      this.log.warn('Ignored a message from the webview that is not part of the protocol.');
      return;
    }
    switch (message.type) {
      case 'ready':
        void this.sendSnapshot();
        break;
      case 'send':
        void this.ask(message.text);
        break;
      case 'stop':
        this.stop();
        break;
    }
  }

  private async sendSnapshot(): Promise<void> {
    this.flush();
    const environment = await this.access.environment();
    this.post({
      type: 'snapshot',
      snapshot: { messages: this.conversation.list().map((m) => ({ ...m })), environment, busy: this.busy },
    });
  }

  private async ask(text: string): Promise<void> {
    if (this.running) return; // One answer at a time per chat; the webview disables Send meanwhile.
    const messages = this.conversation.toApiMessages(DEFAULT_SYSTEM_PROMPT);
    messages.push({ role: 'user', content: text });
    this.post({ type: 'messageAdded', message: { ...this.conversation.addUser(text) } });
    const answer = this.conversation.startAssistant();
    const running: RunningRequest = { messageId: answer.id, abort: new AbortController(), pending: '' };
    this.running = running;
    this.post({ type: 'messageAdded', message: { ...answer } });

    let outcome: StreamOutcome;
    try {
      const access = await this.access.open();
      this.post({ type: 'environment', environment: access.environment });
      if (!access.ok) {
        outcome = { state: 'error', error: access.problem, textLength: 0 };
      } else {
        this.log.info(`Request to ${access.environment.providerLabel}, model ${access.model}, ${messages.length} messages.`);
        outcome = await streamChat(access.client, { model: access.model, messages }, {
          signal: running.abort.signal,
          onEvent: (event) => {
            if (event.kind === 'text') this.queueText(running, event.text);
          },
        });
      }
    } catch (error) {
      // Anything unexpected still ends the answer in a visible state, never a spinner forever.
      outcome = { state: 'error', error: error instanceof Error ? error.message : String(error), textLength: 0 };
    }
    this.flush();
    this.running = undefined;
    const state = outcome.state;
    this.conversation.finish(answer.id, state, { error: outcome.error, usage: outcome.usage });
    this.log.info(`Answer ${answer.id} ended: ${state}${outcome.finishReason ? ` (${outcome.finishReason})` : ''}.`);
    this.post({ type: 'messageFinished', messageId: answer.id, state, error: outcome.error, usage: outcome.usage });
  }

  private queueText(running: RunningRequest, text: string): void {
    running.pending += text;
    running.flush ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    const running = this.running;
    if (!running) return;
    if (running.flush) clearImmediate(running.flush);
    running.flush = undefined;
    if (!running.pending) return;
    const text = running.pending;
    running.pending = '';
    this.conversation.append(running.messageId, text);
    this.post({ type: 'textAppended', messageId: running.messageId, text });
  }

  private post(message: Outgoing): void {
    // Not awaited: a hidden webview drops messages, and the `ready` handshake repairs that.
    void this.webview?.postMessage({ ...message, seq: ++this.seq });
  }
}
