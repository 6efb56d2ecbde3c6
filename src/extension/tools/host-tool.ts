import type { ToolDefinition, ToolResult } from '../../core/agent';

/** Where a tool comes from, for the tools picker, the step's label and the flow diagram. */
export type ToolSource =
  | { kind: 'builtin' }
  /** `server`: the key in `rill.mcp.servers`; `tool`: the tool's own name on that server. */
  | { kind: 'mcp'; server: string; tool: string }
  /** A tool another extension registered (`vscode.lm.tools`), called with `vscode.lm.invokeTool`. */
  | { kind: 'vscode'; name: string };

/**
 * What a proposed file change looks like before the user approves it: the whole old and new text,
 * so the step can show a diff and VS Code's diff editor can open it.
 */
export interface ChangePreview {
  /** Workspace-relative path, forward slashes. */
  path: string;
  /** `undefined` when the file does not exist yet (`rill_create_file`). */
  before: string | undefined;
  after: string;
}

/**
 * One tool as the VS Code side holds it: what the model is told (`definition`, whose `name` is the
 * name the model calls), whether it runs without asking, and how it runs. Built-in tools, MCP tools
 * and `vscode.lm.tools` all become this; the ToolRunner the agent loop sees is built over a list of
 * them (see tool-runner.ts).
 */
export interface HostTool {
  definition: ToolDefinition;
  source: ToolSource;
  /** Runs without asking (built-in readers, MCP tools annotated `readOnlyHint`); the only kind offered in Restricted Mode. */
  readOnly: boolean;
  /**
   * Runs the call. `args` is the parsed JSON object the model sent (untrusted: check it). Honour
   * `signal`: Stop aborts it and the loop does not wait. Throwing is allowed and becomes a tool
   * error; never let it change settings or approvals.
   */
  run(args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult>;
  /**
   * For tools that change files: the change the call would make, computed without making it, shown
   * before approval. Resolves with an error message when the call cannot apply (e.g. `oldText` not
   * found), so the step says so instead of asking.
   */
  preview?(args: Record<string, unknown>, signal: AbortSignal): Promise<ChangePreview | { error: string }>;
}
