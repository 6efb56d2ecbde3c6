import type { AgentEvent } from '../../protocol/agent-messages';
import { element } from '../dom';
import { strings } from '../strings';
import { ToolStep, type ToolStepHooks, type ToolStepLimits } from './tool-step';

export { domState, type ApprovalChoice, type ToolStepHooks } from './tool-step';

export interface AgentStepsHooks extends ToolStepHooks {
  /**
   * The text a round streamed so far turned out to be intermediate: a tool call followed it. It now
   * shows in the round's place above that call, so the answer's body (where it streamed, below the
   * steps) should drop it. The final round's text never settles: it stays the answer.
   */
  textSettled?(round: number, text: string): void;
  /** The view's DOM changed; called at most once per animation frame (the log may follow it). */
  rendered?(): void;
}

export const DEFAULT_LIMITS: ToolStepLimits = { argumentChars: 4_000, resultChunk: 2_000 };

/**
 * The agent steps of one assistant message, built from the loop's events as they stream. Each
 * round is a segment (its intermediate text, then its calls, in the order they came); a new step is
 * appended and earlier steps are never rebuilt, so 20 streaming steps cost 20 appends plus one
 * text append per argument delta.
 *
 * Placed above the message's body: while a round streams, its text grows in the body, right under
 * the steps; when a call follows, that text moves up into the round (see `textSettled`), at the
 * same place on screen.
 */
export class AgentStepsView {
  readonly element: HTMLElement;
  private readonly steps = new Map<string, ToolStep>();
  private readonly rounds = new Map<number, HTMLElement>();
  private pending = { round: 0, text: '' };
  private frame?: number;
  /** Replaying a saved conversation: nothing is announced and focus stays where it is. */
  private quiet = false;

  constructor(
    private readonly hooks: AgentStepsHooks,
    private readonly limits: ToolStepLimits = DEFAULT_LIMITS,
  ) {
    this.element = element('div', 'agent-steps');
    this.element.dataset.testid = 'agent-steps';
  }

  /** The step with this id, for tests and for the host's replies (diff ready, approval timed out). */
  step(id: string): ToolStep | undefined {
    return this.steps.get(id);
  }

  apply(event: AgentEvent): void {
    switch (event.kind) {
      case 'text':
        if (event.round !== this.pending.round) this.pending = { round: event.round, text: '' };
        this.pending.text += event.text;
        return; // it streams in the answer's body until a call makes it intermediate
      case 'stepStarted': {
        this.settleText(event.step.round);
        if (this.steps.has(event.step.id)) return;
        const step = new ToolStep(event.step, this.hooks, this.limits);
        this.steps.set(event.step.id, step);
        this.round(event.step.round).append(step.element);
        break;
      }
      case 'stepArguments':
        this.steps.get(event.id)?.appendArguments(event.delta);
        break;
      case 'stepState': {
        const step = this.steps.get(event.id);
        if (!step || step.state === event.state) return;
        step.setState(event.state, event);
        if (event.state === 'pending-approval') this.askApproval(step);
        break;
      }
      case 'roundEnded':
        if (event.toolCalls > 0) this.settleText(event.round);
        return;
      case 'toolsUnsupported': {
        const note = element('div', 'agent-note', strings.tool.toolsUnsupported);
        note.dataset.testid = 'agent-tools-unsupported';
        this.element.append(note);
        break;
      }
      case 'resultsCompacted':
        for (const id of event.ids) this.steps.get(id)?.markCompacted();
        break;
      default:
        return; // roundStarted, reasoning, toolsOmitted: shown elsewhere or not at all
    }
    this.changed();
  }

  /** Rebuilds the steps of a saved conversation from its events, silently. */
  replay(events: readonly AgentEvent[]): void {
    this.quiet = true;
    try {
      for (const event of events) this.apply(event);
    } finally {
      this.quiet = false;
    }
  }

  private round(round: number): HTMLElement {
    let segment = this.rounds.get(round);
    if (!segment) {
      segment = element('div', 'agent-round');
      segment.dataset.round = String(round);
      this.rounds.set(round, segment);
      this.element.append(segment);
    }
    return segment;
  }

  /** The round's text so far is intermediate: show it in the round, and let the body drop it. */
  private settleText(round: number): void {
    if (this.pending.round !== round || this.pending.text === '') return;
    const { text } = this.pending;
    this.pending = { round, text: '' };
    if (text.trim()) {
      // Plain text: model output, never markup.
      const block = element('div', 'agent-text', text.trim());
      block.dataset.testid = 'agent-text';
      this.round(round).append(block);
    }
    this.hooks.textSettled?.(round, text);
  }

  private askApproval(step: ToolStep): void {
    if (this.quiet) return;
    this.hooks.announce(step.approvalMessage());
    // Focus moves to Allow, but never out of a text field: Enter typed into the prompt must not
    // approve a command. Nor away from another approval the user is already answering.
    const active = document.activeElement;
    const typing = active instanceof HTMLElement && (active.isContentEditable || active.matches('textarea, input, select'));
    const answering = active instanceof HTMLElement && !!active.closest('[data-testid="tool-approval"]');
    if (!typing && !answering) step.focusAllow();
  }

  /** One `rendered` per frame, however many deltas arrive in it. */
  private changed(): void {
    if (this.frame !== undefined || !this.hooks.rendered) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.hooks.rendered?.();
    });
  }
}
