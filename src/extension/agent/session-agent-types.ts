import type { ApprovalChoice, ToolsState } from '../../protocol/agent-messages';
import type { AgentRequestOptions } from '../request/agent-options';

/** The agent side of one session, built by the extension (tools, approvals, settings). */
export interface SessionAgent {
  /** `rill.agent.enabled`: whether a conversation without its own choice offers tools. */
  defaultEnabled(): boolean;
  /** For the next request: undefined when tools are off or cannot be offered. */
  options(toolsUnsupported: boolean): AgentRequestOptions | undefined;
  /** Whether tools are offered, and why not. */
  state(enabled: boolean, unsupported: boolean): ToolsState;
  answerApproval(stepId: string, choice: ApprovalChoice): boolean;
  openDiff(stepId: string): Promise<void>;
}
export type SessionAgentFactory = () => SessionAgent;
