import type { ApprovalDecision, ToolCall, ToolResult, ToolRunner } from '../../core/agent';
import { decideApproval, previewLines, type ApprovalPolicy } from '../../core/tools';
import type { ChangePreviewView } from '../../protocol/agent-messages';
import type { ChangePreview, HostTool } from '../tools/host-tool';
import type { Approvals } from './approvals';

export interface RunnerDeps {
  /** Read at each call: settings and workspace trust may change while a loop runs. */
  policy: () => ApprovalPolicy;
  approvals: Approvals;
  /** A waiting edit's change is ready to be shown in its step. */
  onPreview: (stepId: string, view: ChangePreviewView, change: ChangePreview) => void;
  /** How each call was decided, for the log. */
  onDecision?: (call: ToolCall, how: string) => void;
}

/**
 * The agent loop's ToolRunner over the host's tools: built-in, MCP and `vscode.lm.tools` alike.
 * A call runs at once when it is read-only or approved by the user's own lists; anything else
 * waits in its step for Allow or Deny. An edit's change is computed (never applied) first so the
 * user approves what they saw; when it cannot apply, nobody is asked and the call ends in that
 * error without running (nothing is changed, and the model learns why).
 */
export function hostToolRunner(tools: readonly HostTool[], deps: RunnerDeps): ToolRunner {
  const byName = new Map(tools.map((tool) => [tool.definition.name, tool]));
  /** Calls whose change could not be computed: they fail with that reason and never run unasked. */
  const unappliable = new Map<string, string>();
  return {
    tools: () => tools.map((tool) => tool.definition),

    approve(call: ToolCall, signal: AbortSignal): ApprovalDecision | Promise<ApprovalDecision> {
      const tool = byName.get(call.name);
      if (!tool) return { allow: true }; // the loop refuses unknown names itself
      const policy = deps.policy();
      const verdict = decideApproval(call, tool.readOnly, { ...policy, conversation: deps.approvals.conversationList() });
      deps.onDecision?.(call, verdict.kind === 'run' ? verdict.why : verdict.kind);
      if (verdict.kind === 'run') return { allow: true };
      if (verdict.kind === 'refuse') return { allow: false, reason: verdict.message };
      if (!tool.preview) return deps.approvals.ask(call, signal);
      return (async () => {
        const preview = await tool.preview!(call.arguments, signal).catch((error: unknown) => ({ error: String(error) }));
        if ('error' in preview) {
          unappliable.set(call.id, preview.error);
          return { allow: true };
        }
        deps.onPreview(call.id, previewLines(preview), preview);
        return deps.approvals.ask(call, signal);
      })();
    },

    async run(call: ToolCall, signal: AbortSignal): Promise<ToolResult> {
      const tool = byName.get(call.name);
      if (!tool) return { status: 'error', message: `There is no tool named "${call.name}".` };
      const failed = unappliable.get(call.id);
      if (failed !== undefined) return { status: 'error', message: failed };
      return tool.run(call.arguments, signal);
    },
  };
}
