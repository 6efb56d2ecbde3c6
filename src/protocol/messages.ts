/**
 * The one protocol between the extension host and the chat webview.
 *
 * Both sides import these types (`import type`), so a message that one side sends and the other does
 * not understand is a compile error. The host additionally checks every incoming message at runtime
 * (`parseFromWebview`), because a webview is a browser page and model output is rendered inside it.
 *
 * Flow: the webview posts `ready` whenever its script starts (first open, reload, re-shown view);
 * the host answers with a full `snapshot`, then numbered deltas. A webview that sees a gap in `seq`
 * asks for a fresh snapshot by posting `ready` again, so a lost message never leaves it wrong.
 */

export type MessageRole = 'user' | 'assistant';

/** `streaming` while tokens arrive; every other state is final. */
export type MessageState = 'streaming' | 'done' | 'stopped' | 'error' | 'truncated';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatMessageView {
  id: string;
  role: MessageRole;
  text: string;
  state: MessageState;
  /** A sentence a person can act on, set when state is `error` or `truncated`. */
  error?: string;
  usage?: TokenUsage;
}

/** Where the answers come from, shown in the panel's header. */
export interface ChatEnvironment {
  /** True when Rill answers with its built-in offline demo model, not a real LLM. */
  demo: boolean;
  providerLabel: string;
  model: string;
}

export interface ChatSnapshot {
  messages: ChatMessageView[];
  environment: ChatEnvironment;
  busy: boolean;
}

export type ToWebviewMessage =
  | { type: 'snapshot'; seq: number; snapshot: ChatSnapshot }
  | { type: 'messageAdded'; seq: number; message: ChatMessageView }
  | { type: 'textAppended'; seq: number; messageId: string; text: string }
  | {
      type: 'messageFinished';
      seq: number;
      messageId: string;
      state: Exclude<MessageState, 'streaming'>;
      error?: string;
      usage?: TokenUsage;
    }
  | { type: 'environment'; seq: number; environment: ChatEnvironment };

export type FromWebviewMessage =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' };
