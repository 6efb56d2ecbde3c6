import { approvalEntry, parseApproveList, type ApproveList } from '../../core/tools';
import type { ApprovalDecision, ToolCall } from '../../core/agent';
import type { ApprovalChoice } from '../../protocol/agent-messages';

interface Waiting {
  call: ToolCall;
  resolve: (decision: ApprovalDecision) => void;
}

/**
 * The approvals of one conversation: calls waiting for the user, and what the user allowed "for
 * this conversation". Only the user's click (a `toolApproval` message naming a waiting step)
 * resolves a call; nothing a tool or the model returns reaches this. The conversation's list is
 * kept in memory: it ends with the window, as its name says.
 */
export class Approvals {
  private readonly waiting = new Map<string, Waiting>();
  private readonly allowed: string[] = [];

  /** What "Allow for this conversation" has approved, in the same form as `rill.agent.autoApprove`. */
  conversationList(): ApproveList {
    return parseApproveList(this.allowed);
  }

  /** Waits for the user's answer to this call; Stop (the signal) ends the wait without an answer. */
  ask(call: ToolCall, signal: AbortSignal): Promise<ApprovalDecision> {
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.waiting.delete(call.id);
        resolve({ allow: false, reason: 'stopped' });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(call.id, {
        call,
        resolve: (decision) => {
          signal.removeEventListener('abort', onAbort);
          this.waiting.delete(call.id);
          resolve(decision);
        },
      });
    });
  }

  /** The user answered; false when no call with that id is waiting (a stale or forged message). */
  answer(stepId: string, choice: ApprovalChoice): boolean {
    const waiting = this.waiting.get(stepId);
    if (!waiting) return false;
    if (choice === 'allow-conversation') {
      const entry = approvalEntry(waiting.call.name, waiting.call.arguments);
      if (entry !== undefined && !this.allowed.includes(entry)) this.allowed.push(entry);
    }
    waiting.resolve(choice === 'deny' ? { allow: false } : { allow: true });
    return true;
  }

  isWaiting(stepId: string): boolean {
    return this.waiting.has(stepId);
  }
}
