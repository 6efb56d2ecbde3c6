import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { AgentEvent, OmittedTool, ToolStepView } from '../../protocol/agent-messages';
import type { MessageAction, TokenUsage } from '../../protocol/messages';
import type { TokenCounter } from '../context/token-counter';
import type { Problem, StreamEvent, StreamOutcome } from '../stream/events';
import type { ChatRequest, RunOptions } from '../stream/run-chat';

/** A JSON Schema object, as MCP servers and `vscode.lm.tools` describe their inputs. */
export type JsonSchema = { [key: string]: unknown };

/** A tool the model may call. Built-in tools, MCP tools and `vscode.lm.tools` all end up as this. */
export interface ToolDefinition {
  /** Must match `^[a-zA-Z0-9_-]{1,64}$` (OpenAI's rule); other names are left out and reported. */
  name: string;
  description?: string;
  /** The arguments' JSON Schema; `{type: "object", properties: {}}` when absent. */
  parameters?: JsonSchema;
}

/** A complete call the model made, ready to run. */
export interface ToolCall {
  /** Unique in the conversation (servers' own ids are replaced when missing or repeated). */
  id: string;
  name: string;
  /** The parsed arguments: always a JSON object (malformed calls never reach the runner). */
  arguments: Record<string, unknown>;
  /** The arguments as the model sent them. */
  argumentsText: string;
  round: number;
}

/**
 * What a tool run gave. `error` and `denied` are sent to the model as a tool message too, so it can
 * go on; `content` is untrusted text and is capped before it is sent.
 */
export type ToolResult =
  | { status: 'ok'; content: string }
  | { status: 'error'; message: string }
  | { status: 'denied'; reason?: string };

/** The user's answer for one call; `reason` is told to the model. */
export type ApprovalDecision = { allow: true } | { allow: false; reason?: string };

/**
 * Runs the tools. The VS Code side implements it over its built-in tools, MCP clients and
 * `vscode.lm.invokeTool`; the loop never knows which. Both methods receive the conversation's one
 * AbortSignal: Stop aborts it, and the loop does not wait for a tool that ignores it.
 */
export interface ToolRunner {
  /** The tools to offer, most important first: beyond 128 the last ones are left out. */
  tools(): readonly ToolDefinition[];
  /**
   * Whether this call may run. Answer synchronously when nobody is asked (read-only tools,
   * auto-approved ones): the step goes straight to `running`. A promise means the user is asked,
   * and the step shows `pending-approval` until it settles. Absent: every call runs.
   */
  approve?(call: ToolCall, signal: AbortSignal): ApprovalDecision | Promise<ApprovalDecision>;
  /** Runs the call. May throw; may also answer `denied` when it asks the user itself. */
  run(call: ToolCall, signal: AbortSignal): Promise<ToolResult>;
}

/** Bounds on what tool results may cost. Every field has a default (see DEFAULT_LIMITS). */
export interface ResultLimits {
  /** Characters of one tool result sent to the model. */
  maxResultChars: number;
  /** Characters of all tool results sent back after one model answer (one round). */
  maxRoundResultChars: number;
}

/** The context window the conversation must fit; tool results are compacted, oldest first, to stay in it. */
export interface ContextBudget {
  contextTokens: number;
  /** Tokens kept for the answer (`rill.maxTokens`); default as in `fitToBudget`. */
  reserveForAnswer?: number;
  counter: TokenCounter;
}

export interface AgentOptions extends Partial<ResultLimits> {
  signal: AbortSignal;
  onEvent: (event: AgentEvent) => void;
  /** The engine's own events (response, retrying, usage, skipped), for the log and the trace. */
  onStreamEvent?: (event: StreamEvent, round: number) => void;
  /** Requests to the model before the loop stops with `round-limit` (`rill.agent.maxRounds`, default 25). */
  maxRounds?: number;
  /**
   * The number of this run's first request: a loop continued after `round-limit` goes on counting,
   * so its steps and texts never share a round with the earlier ones. Default 1.
   */
  firstRound?: number;
  /** The conversation already knows this model rejects tools: send none. */
  toolsUnsupported?: boolean;
  budget?: ContextBudget;
  /** Passed to the engine for every request. */
  stream: Pick<RunOptions, 'idleTimeoutMs' | 'maxRetries' | 'sleep'>;
}

/** The request without the parts the loop owns (messages grow, tools come from the runner). */
export type AgentRequest = Omit<ChatRequest, 'tools'>;

export interface AgentOutcome {
  /** `round-limit`: the model still wanted tools after `maxRounds` requests; `continue` goes on. */
  state: 'done' | 'stopped' | 'error' | 'truncated' | 'round-limit';
  /** Requests sent to the model (a retry without tools is not another round). */
  rounds: number;
  /** Every step, in order, each in its last state. */
  steps: ToolStepView[];
  /**
   * What the loop added to the conversation, in order: for each finished round the assistant
   * message (with its `tool_calls`) and one tool message per call; then the final answer when there
   * is one. Always valid to send again: every tool call has its tool message, even after a Stop.
   */
  messages: ChatCompletionMessageParam[];
  /** The last round's answer text (the final answer, or what arrived before a stop or failure). */
  text: string;
  actions: MessageAction[];
  /** From the last request, for `error` and `truncated`. */
  problem?: Problem;
  /** The last request's outcome, as the engine reported it. */
  last?: StreamOutcome;
  /** Summed over the rounds that reported usage. */
  usage?: TokenUsage;
  /** The server rejected `tools`; the answer came without them. The caller remembers it. */
  toolsUnsupported: boolean;
  omittedTools: OmittedTool[];
}

