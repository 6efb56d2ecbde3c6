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

import type { AgentEvent, AgentTranscript, ApprovalChoice, ChangePreviewView, ToolsState } from './agent-messages';
import type { AddContextRequest, AttachmentView, ContextLeftOut, FileRef } from './context-messages';

export type MessageRole = 'user' | 'assistant';

/** `streaming` while tokens arrive; every other state is final. */
export type MessageState = 'streaming' | 'done' | 'stopped' | 'error' | 'truncated';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** What the user can do about a finished message; the host maps each to its own code. */
export type MessageAction = 'retry' | 'continue' | 'setApiKey' | 'selectModel' | 'trimAndRetry' | 'openSettings';

/** A function call the model asked for, reassembled from its streamed fragments. */
export interface ToolCallView {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatMessageView {
  id: string;
  role: MessageRole;
  text: string;
  state: MessageState;
  /** A sentence a person can act on, set when state is `error` or `truncated`. */
  error?: string;
  /** What the user can do next (set API key, pick a model, continue, retry...). */
  actions?: MessageAction[];
  /** The provider's `finish_reason`, when one arrived. */
  finishReason?: string;
  /** The model's reasoning, shown apart from the answer and collapsed. */
  reasoning?: string;
  toolCalls?: ToolCallView[];
  usage?: TokenUsage;
  /** Milliseconds from the first token to the last, for tokens/s. */
  durationMs?: number;
  /** Earlier turns left out of the request to fit the model's context window or `rill.history.maxTurns`. */
  droppedTurns?: number;
  /** Agent mode: the tool steps of this answer and the text of its earlier rounds. */
  agent?: AgentTranscript;
  /** A prompt's attachments, shown as chips (their text is in `context`, which the webview never gets). */
  attachments?: AttachmentView[];
  /**
   * Host only: the attachments as the model received them (fenced blocks with paths and lines), sent
   * before the prompt's text. Saved with the conversation so later turns send the same context.
   */
  context?: string;
  /** An answer: what of its prompt's attachments did not fit the context window. */
  contextLeftOut?: ContextLeftOut[];
}

/** Where the answers come from, shown in the panel's header. */
export interface ChatEnvironment {
  /** True when Rill answers with its built-in offline demo model, not a real LLM. */
  demo: boolean;
  providerLabel: string;
  model: string;
  /** `rill.render.smoothing`: bursts of text are revealed over at most 100 ms (webview/smoothing.ts). */
  smoothing?: boolean;
}

/** One saved conversation, as listed in the history. */
export interface SessionSummary {
  id: string;
  title: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
  messageCount: number;
}

export interface ChatSnapshot {
  session: SessionSummary;
  messages: ChatMessageView[];
  environment: ChatEnvironment;
  busy: boolean;
  /** Every saved session, newest first, for the history list. */
  sessions: SessionSummary[];
  /** The unsent text of this conversation's prompt box, saved with it. */
  draft: string;
  tools: ToolsState;
  /** The attachments waiting in the composer for the next prompt (none when absent). */
  context?: AttachmentView[];
  /**
   * `messages` is only the newest page of a long conversation (see core/conversation-pages.ts): this
   * many older ones exist, sent on `loadOlder`. Absent: none. Keeps a snapshot's size independent of
   * the conversation's length.
   */
  olderCount?: number;
}

export type ToWebviewMessage =
  | { type: 'snapshot'; seq: number; snapshot: ChatSnapshot }
  | { type: 'messageAdded'; seq: number; message: ChatMessageView }
  | { type: 'textAppended'; seq: number; messageId: string; text: string }
  | { type: 'reasoningAppended'; seq: number; messageId: string; text: string }
  /** A transient line under a streaming answer ("retrying in 2 s"); `undefined` clears it. */
  | { type: 'progress'; seq: number; messageId: string; progress: string | undefined }
  | { type: 'messageFinished'; seq: number; message: ChatMessageView }
  /** Answer to `loadOlder`: the page just before `beforeId`, oldest first, and how many remain before it. */
  | { type: 'olderMessages'; seq: number; beforeId: string; messages: ChatMessageView[]; olderCount: number }
  | { type: 'environment'; seq: number; environment: ChatEnvironment }
  | { type: 'sessions'; seq: number; current: SessionSummary; sessions: SessionSummary[] }
  /** The view title's History button: open or close the list of conversations. */
  | { type: 'toggleHistory'; seq: number }
  /** Agent mode: a step or round of the streaming answer changed (its text comes as `textAppended`). */
  | { type: 'agentEvent'; seq: number; messageId: string; event: AgentEvent }
  /** The change a waiting edit or create would make. */
  | { type: 'stepPreview'; seq: number; messageId: string; stepId: string; preview: ChangePreviewView }
  | { type: 'tools'; seq: number; tools: ToolsState }
  /** The attachments waiting for the next prompt changed. */
  /** One saved conversation changed (a save, a rename): the history moves it, nothing else is sent. */
  | { type: 'sessionUpdated'; seq: number; summary: SessionSummary }
  | { type: 'sessionRemoved'; seq: number; id: string }
  /** Answer to `searchSessions`: the conversations whose text has every word of `query`, newest first. */
  | { type: 'sessionSearchResults'; seq: number; query: string; ids: string[] }
  | { type: 'context'; seq: number; attachments: AttachmentView[] }
  /** Something could not be attached (a binary file, a path outside the workspace): said in the composer. */
  | { type: 'contextNotice'; seq: number; message: string }
  /** Workspace files matching what follows `#file:` in the prompt box. */
  | { type: 'fileSuggestions'; seq: number; query: string; files: string[] }
  /** A command attached something to this chat: put the cursor in the prompt box. */
  | { type: 'focusComposer'; seq: number }
  /** Which links and `path:line` mentions of answers name workspace files. */
  | { type: 'fileRefs'; seq: number; refs: FileRef[] };

export type FromWebviewMessage =
  | { type: 'ready' }
  /** The reader scrolled near the top (or pressed Load earlier messages): the page before this message. */
  | { type: 'loadOlder'; beforeId: string }
  /** `at`: when the user sent it, `performance.timeOrigin + performance.now()` in the webview. */
  | { type: 'send'; text: string; at: number }
  | { type: 'stop'; at: number }
  | { type: 'action'; messageId: string; action: MessageAction }
  /** Ask again for this answer (the last one), replacing it. */
  | { type: 'regenerate'; messageId: string }
  /** Replace the last prompt (and its answer) with edited text and ask again. */
  | { type: 'resend'; messageId: string; text: string; at: number }
  /** The answer's first text, or its final form, is on screen (for the request's trace). */
  | { type: 'painted'; messageId: string; which: 'first' | 'last'; at: number }
  /**
   * Paints of a streaming answer since the last such message (at most MAX_PAINTS): when (epoch
   * milliseconds) and the answer's length on screen after each, for the stream inspector.
   */
  | { type: 'paints'; messageId: string; at: number[]; chars: number[] }
  /** Open the streaming flow diagram of this answer's request. */
  | { type: 'showDiagram'; messageId: string }
  /** The prompt box's unsent text, saved with the conversation so a reload keeps it. */
  | { type: 'draft'; text: string }
  | { type: 'newSession' }
  | { type: 'switchSession'; sessionId: string }
  | { type: 'renameSession'; sessionId: string }
  | { type: 'deleteSession'; sessionId: string }
  | { type: 'exportSession' }
  | { type: 'copy'; text: string }
  | { type: 'insertCode'; code: string }
  | { type: 'openCode'; code: string; language: string }
  /** A link the user clicked; the host opens it after checking its scheme. */
  | { type: 'openLink'; url: string }
  /** The user's answer to a tool call waiting in its step. */
  | { type: 'toolApproval'; messageId: string; stepId: string; choice: ApprovalChoice }
  /** Open a waiting edit's change in VS Code's diff editor. */
  | { type: 'openDiff'; messageId: string; stepId: string }
  /** Send the whole history list again (as `sessions`), e.g. when the history opens. */
  | { type: 'listSessions' }
  /** Find conversations by the words inside them; answered by `sessionSearchResults`. */
  | { type: 'searchSessions'; query: string }
  /** The composer's tools toggle, for this conversation. */
  | { type: 'setTools'; enabled: boolean }
  /** Attach context to the next prompt: the active file, the selection, a picked file, problems, or a menu of these. */
  | { type: 'addContext'; what: AddContextRequest }
  /** Attach these files or folders: URIs dropped from the Explorer, or workspace paths picked after `#file:`. */
  | { type: 'attachPaths'; paths: string[] }
  | { type: 'removeContext'; id: string }
  /** Workspace files whose path contains `query` (for `#file:` completion). */
  | { type: 'suggestFiles'; query: string }
  /** Links and mentions found in answers: which name workspace files? Answered by `fileRefs`. */
  | { type: 'resolveFileRefs'; refs: string[] }
  /** Open a workspace file (a link or mention in an answer, a sent chip) at a 1-based line; 0: no line. */
  | { type: 'openFile'; path: string; line: number }
  /** Apply to file: `code` replaces the file at `path`, or with `path` '' the active editor's selection, after review. */
  | { type: 'applyCode'; code: string; path: string };

/** A host message before the host numbers it (`Omit` distributed over the union). */
export type ToWebviewPayload = ToWebviewMessage extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;
