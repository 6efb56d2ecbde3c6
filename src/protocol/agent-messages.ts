/**
 * Agent mode as the host and the webview will both see it: the steps of a tool-calling answer and
 * the events that move them. Types only, so that both sides can `import type` them; the loop that
 * emits them is `core/agent/`.
 *
 * A step is one tool call. Its life: `streaming` (the name arrived, the arguments are still
 * growing) -> `pending-approval` (only when the user is asked) -> `running` -> `done`, `denied` or
 * `error`. `stopped` marks a step the user's Stop interrupted or that never started because of it:
 * a saved conversation shows it as interrupted and nothing re-runs it by itself.
 */

export type ToolStepState = 'streaming' | 'pending-approval' | 'running' | 'done' | 'denied' | 'error' | 'stopped';

/** One tool call, as the chat shows it. */
export interface ToolStepView {
  /** Unique within the conversation; the `tool_call_id` sent back to the model. */
  id: string;
  /** The LLM request (1-based) whose answer asked for this call. */
  round: number;
  /** The tool's name as the model wrote it (it may name no tool at all). */
  name: string;
  /** The arguments' JSON text as the model streamed it, possibly malformed. */
  arguments: string;
  state: ToolStepState;
  /** What the model was sent back as the tool's result (capped), once the step has ended. */
  result?: string;
  /** Why the step ended in `error`, `denied` or `stopped`, in plain words. */
  error?: string;
  /** Characters cut from the tool's own output before it was sent to the model. */
  cutChars?: number;
}

/** Why a tool offered by the caller was not sent to the model. */
export type OmittedToolReason = 'invalid-name' | 'duplicate-name' | 'over-limit';

export interface OmittedTool {
  name: string;
  reason: OmittedToolReason;
}

/** What the agent loop reports while it runs, in order. */
export type AgentEvent =
  /** A request to the model is about to be sent. `tools` is how many were offered (0 without tools). */
  | { kind: 'roundStarted'; round: number; tools: number }
  /** Answer text of this round (intermediate text before tool calls, or the final answer). */
  | { kind: 'text'; round: number; text: string }
  | { kind: 'reasoning'; round: number; text: string }
  /** A tool call's name arrived: the step exists from here on, in state `streaming`. */
  | { kind: 'stepStarted'; step: ToolStepView }
  /** More of a streaming step's arguments. */
  | { kind: 'stepArguments'; id: string; delta: string }
  /** A step changed state; `result`, `error` and `cutChars` come with the final states. */
  | { kind: 'stepState'; id: string; state: ToolStepState; result?: string; error?: string; cutChars?: number }
  /** A request ended; `toolCalls` is how many calls its answer asked for. */
  | { kind: 'roundEnded'; round: number; toolCalls: number }
  /** Tools left out of the requests (provider limit of 128, invalid or repeated names). */
  | { kind: 'toolsOmitted'; tools: OmittedTool[] }
  /**
   * The server refused the request because of `tools`; it was sent again without them. The chat
   * says "this model cannot use tools; answered without them", and the conversation remembers it.
   */
  | { kind: 'toolsUnsupported'; detail?: string }
  /** Earlier tool results replaced by a short note to fit the context window (oldest first). */
  | { kind: 'resultsCompacted'; ids: string[] };

/** Intermediate text a round showed before its calls. */
export interface AgentText {
  round: number;
  text: string;
}

/**
 * An answer's agent steps as saved with the conversation and sent in snapshots: enough to draw
 * every step again, and to rebuild the assistant and tool messages for the next requests. The
 * last round's text is the message's own `text`.
 */
export interface AgentTranscript {
  /** Requests sent to the model for this answer so far. */
  rounds: number;
  steps: ToolStepView[];
  texts: AgentText[];
  /** The server rejected `tools`; the answer came without them. */
  toolsUnsupported?: boolean;
  omittedTools?: OmittedTool[];
  /** Steps whose results were replaced by a note to fit the context window. */
  compacted?: string[];
}

/** What the user answered to a call that waits for approval. */
export type ApprovalChoice = 'allow' | 'deny' | 'allow-conversation';

/** One line of a change preview: context, added, removed, or a hunk header. */
export type DiffLine = [kind: ' ' | '+' | '-' | '@', text: string];

/** The change an edit or create would make, shown in its step before the user approves it. */
export interface ChangePreviewView {
  /** Workspace-relative path. */
  path: string;
  created: boolean;
  /** The unified diff's lines, at most a few hundred; `cutLines` says how many more there were. */
  lines: DiffLine[];
  cutLines?: number;
  added: number;
  removed: number;
}

/** Whether this conversation offers tools, and why not when it cannot. */
export interface ToolsState {
  /** The composer's toggle: tools are offered in this conversation's requests. */
  enabled: boolean;
  /** Set when tools are limited regardless of the toggle. */
  limit?: 'untrusted' | 'unsupported' | 'disabled-by-setting';
}
