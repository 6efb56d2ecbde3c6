import type { ApprovalPolicy } from '../../core/tools';
import type { ChangePreview, HostTool } from '../tools/host-tool';
import type { AgentSettings } from '../agent/agent-settings';
import type { Approvals } from '../agent/approvals';

/** What a request needs to run as an agent; absent when this conversation has tools off. */
export interface AgentRequestOptions {
  /** The tools to offer (built-in, MCP, VS Code's), already filtered by trust and the user's picks. */
  tools(signal: AbortSignal): Promise<readonly HostTool[]>;
  settings: AgentSettings;
  policy(): ApprovalPolicy;
  approvals: Approvals;
  /** The conversation already knows this model rejects tools. */
  toolsUnsupported: boolean;
  /** Keeps the change a waiting edit would make, for "open in diff editor". */
  keepPreview(stepId: string, change: ChangePreview): void;
}
