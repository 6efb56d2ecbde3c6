import type { AgentEvent, ToolStepState, ToolStepView } from '../../protocol/agent-messages';

const FINAL: ReadonlySet<ToolStepState> = new Set(['done', 'denied', 'error', 'stopped']);

/**
 * The steps as the events describe them. The loop keeps its outcome with this, and a view that
 * receives the same events (the webview, a restored conversation) can rebuild the same steps.
 * Pure and DOM-free, so either side may use it.
 */
export class StepLog {
  private readonly steps = new Map<string, ToolStepView>();

  apply(event: AgentEvent): void {
    if (event.kind === 'stepStarted') {
      this.steps.set(event.step.id, { ...event.step });
    } else if (event.kind === 'stepArguments') {
      const step = this.steps.get(event.id);
      if (step) step.arguments += event.delta;
    } else if (event.kind === 'stepState') {
      const step = this.steps.get(event.id);
      if (!step) return;
      step.state = event.state;
      if (event.result !== undefined) step.result = event.result;
      if (event.error !== undefined) step.error = event.error;
      if (event.cutChars !== undefined) step.cutChars = event.cutChars;
    }
  }

  /** Steps not yet in a final state (still streaming, waiting or running). */
  unfinished(): ToolStepView[] {
    return [...this.steps.values()].filter((step) => !FINAL.has(step.state));
  }

  list(): ToolStepView[] {
    return [...this.steps.values()].map((step) => ({ ...step }));
  }
}
