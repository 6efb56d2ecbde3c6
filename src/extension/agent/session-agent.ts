import * as vscode from 'vscode';
import type { ToolsState } from '../../protocol/agent-messages';
import type { SessionAgent, SessionAgentFactory } from './session-agent-types';
import type { ChangePreview, HostTool } from '../tools/host-tool';
import { readAgentSettings } from './agent-settings';
import { Approvals } from './approvals';
import type { Review } from '../review/change-reviews';

export interface AgentDeps {
  /** The tools to offer now (the catalog: built-in, MCP, VS Code's; trust and the user's picks applied). */
  tools(signal: AbortSignal): Promise<readonly HostTool[]>;
  /** Opens a proposed change in VS Code's diff editor, where Accept and Discard answer it (see review/). */
  reviewChange(change: ChangePreview): Review;
}

/** Waiting edits kept for "open in diff editor"; older ones give way. */
const MAX_PREVIEWS = 50;

/**
 * Each conversation's agent side: its own approvals ("Allow for this conversation" is per
 * conversation), and the changes its waiting edits would make. Settings and workspace trust are
 * read at every request and every call, never cached: trusting a workspace or editing
 * `rill.agent.autoApprove` takes effect at once.
 */
export function sessionAgents(deps: AgentDeps): SessionAgentFactory {
  return (): SessionAgent => {
    const approvals = new Approvals();
    const previews = new Map<string, ChangePreview>();
    return {
      defaultEnabled: () => readAgentSettings().enabled,
      options: (toolsUnsupported) => ({
        tools: (signal) => deps.tools(signal),
        settings: readAgentSettings(),
        policy: () => ({ autoApprove: readAgentSettings().autoApprove, trusted: vscode.workspace.isTrusted }),
        approvals,
        toolsUnsupported,
        keepPreview: (stepId, change) => {
          previews.set(stepId, change);
          for (const key of previews.keys()) {
            if (previews.size <= MAX_PREVIEWS) break;
            previews.delete(key);
          }
        },
      }),
      state: (enabled, unsupported): ToolsState => {
        if (!vscode.workspace.isTrusted) return { enabled, limit: 'untrusted' };
        if (unsupported) return { enabled, limit: 'unsupported' };
        return { enabled };
      },
      answerApproval: (stepId, choice) => approvals.answer(stepId, choice),
      // The diff editor's Accept and Discard answer the waiting call, as Allow and Deny in the chat do.
      openDiff: async (stepId) => {
        const change = previews.get(stepId);
        if (!change) return;
        const review = deps.reviewChange(change);
        void review.decision.then((decision) => {
          if (decision !== 'closed') approvals.answer(stepId, decision === 'accept' ? 'allow' : 'deny');
        });
        await review.opened;
      },
    };
  };
}
