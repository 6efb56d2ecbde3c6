import type { ToolStepState, ToolStepView } from '../../protocol/agent-messages';
import { button, element } from '../dom';
import { strings } from '../strings';
import { toolResult } from './tool-result';

/** What the user answered to a call that waits for approval. */
export type ApprovalChoice = 'allow' | 'deny' | 'allow-conversation';

/** The `data-state` values other tests hold the chat to. */
export type DomStepState = Exclude<ToolStepState, 'stopped'>;

/**
 * `stopped` is not one of the contract's states: an interrupted call shows as `error` (it did not
 * complete), marked `data-stopped="true"` and labelled "Stopped" so it reads as interrupted.
 */
export function domState(state: ToolStepState): DomStepState {
  return state === 'stopped' ? 'error' : state;
}

export interface ToolStepHooks {
  approve(stepId: string, choice: ApprovalChoice): void;
  /** Said once by the polite live region. */
  announce(text: string): void;
  /** Fills the slot with the change an edit or create would make, once its arguments are complete. */
  previewDiff?(step: Readonly<ToolStepView>, slot: HTMLElement): void;
}

export interface ToolStepLimits {
  /** Argument characters put in the DOM; the rest is counted, not shown. */
  argumentChars: number;
  /** Result characters shown at first and per "Show more". */
  resultChunk: number;
}

const DIFF_TOOLS = new Set(['rill_edit_file', 'rill_create_file']);
const COMMAND_TOOL = 'rill_run_command';
const FINAL: ReadonlySet<ToolStepState> = new Set(['done', 'denied', 'error', 'stopped']);

/**
 * One tool call. Built once when its name arrives and then only extended: argument deltas append
 * to one text node, a state change touches this step alone. Everything the model or a tool wrote
 * (name, arguments, command, result, error) goes in as text, never as markup.
 */
export class ToolStep {
  readonly element: HTMLElement;
  private readonly step: ToolStepView;
  private readonly status: HTMLElement;
  private readonly argsPre: HTMLElement;
  private readonly args: Text;
  private argsCut?: HTMLElement;
  private approval?: HTMLElement;
  private argumentsComplete = false;
  private ended = false;

  constructor(
    step: ToolStepView,
    private readonly hooks: ToolStepHooks,
    private readonly limits: ToolStepLimits,
  ) {
    this.step = { ...step, arguments: '' };
    this.element = element('div', 'tool-step');
    this.element.dataset.testid = 'tool-step';
    this.element.dataset.tool = step.name;
    this.element.dataset.stepId = step.id;
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', strings.tool.stepLabel(step.name));
    // Focus lands here when the approval buttons go away under it, rather than on the page.
    this.element.tabIndex = -1;
    const head = element('div', 'tool-step-head');
    const icon = element('span', 'codicon codicon-tools');
    icon.setAttribute('aria-hidden', 'true');
    this.status = element('span', 'tool-step-status');
    this.status.dataset.testid = 'tool-status';
    head.append(icon, element('span', 'tool-step-name', step.name), this.status);
    this.argsPre = element('pre', 'tool-step-args');
    this.argsPre.dataset.testid = 'tool-arguments';
    this.args = document.createTextNode('');
    this.argsPre.append(this.args);
    this.element.append(head, this.argsPre);
    this.appendArguments(step.arguments);
    this.setState(step.state, step);
  }

  get id(): string {
    return this.step.id;
  }

  get state(): ToolStepState {
    return this.step.state;
  }

  appendArguments(delta: string): void {
    if (!delta) return;
    const room = this.limits.argumentChars - this.step.arguments.length;
    this.step.arguments += delta;
    if (room > 0) this.args.appendData(delta.slice(0, room));
    if (room < delta.length && !this.argsCut) {
      this.argsCut = element('div', 'tool-step-note');
      this.argsCut.dataset.testid = 'tool-arguments-cut';
      this.argsPre.after(this.argsCut);
    }
    // The count is written once the arguments are complete, not on every delta.
    if (this.argsCut && this.argumentsComplete) this.argsCut.textContent = strings.tool.argumentsCut(this.step.arguments.length);
  }

  setState(state: ToolStepState, extra: Pick<ToolStepView, 'result' | 'error' | 'cutChars'> = {}): void {
    this.step.state = state;
    this.element.dataset.state = domState(state);
    if (state === 'stopped') this.element.dataset.stopped = 'true';
    this.status.textContent = strings.tool.state(state);
    if (state !== 'streaming' && !this.argumentsComplete) this.completeArguments();
    if (state === 'pending-approval') this.showApproval();
    else this.hideApproval();
    // A step ends once; a repeated final event must not add a second result.
    if (this.ended || !FINAL.has(state)) return;
    this.ended = true;
    if (extra.result !== undefined) {
      this.element.append(toolResult(extra.result, { chunk: this.limits.resultChunk, ...(extra.cutChars ? { cutChars: extra.cutChars } : {}) }));
    }
    if (extra.error) {
      const line = element('div', 'tool-step-error', extra.error);
      line.dataset.testid = 'tool-error';
      this.element.append(line);
    }
  }

  /** Moves focus to Allow; false when there is nothing to focus. */
  focusAllow(): boolean {
    const allow = this.approval?.querySelector<HTMLButtonElement>('[data-testid="tool-allow"]');
    allow?.focus();
    return !!allow;
  }

  /** The text an approval request is announced with: the exact command when there is one. */
  approvalMessage(): string {
    const command = this.command();
    return command !== undefined ? strings.tool.commandAsked(command.slice(0, 300)) : strings.tool.approvalAsked(this.step.name);
  }

  markCompacted(): void {
    if (this.element.dataset.compacted) return;
    this.element.dataset.compacted = 'true';
    this.element.append(element('div', 'tool-step-note', strings.tool.compacted));
  }

  /** The arguments are whole: show what the user must see before approving. */
  private completeArguments(): void {
    this.argumentsComplete = true;
    if (this.argsCut) this.argsCut.textContent = strings.tool.argumentsCut(this.step.arguments.length);
    const command = this.command();
    if (command !== undefined) {
      const box = element('div', 'tool-step-command');
      box.dataset.testid = 'tool-command';
      box.append(element('span', 'tool-step-label', strings.tool.command), element('code', undefined, command));
      this.argsPre.before(box);
    }
    if (DIFF_TOOLS.has(this.step.name)) {
      const slot = element('div', 'tool-step-diff');
      slot.dataset.testid = 'tool-diff';
      slot.setAttribute('aria-label', strings.tool.diffPreview);
      slot.hidden = !this.hooks.previewDiff;
      this.argsPre.after(slot);
      this.hooks.previewDiff?.({ ...this.step }, slot);
    }
  }

  /** The command of a `rill_run_command` call, once its arguments parse. */
  private command(): string | undefined {
    if (this.step.name !== COMMAND_TOOL || !this.argumentsComplete) return undefined;
    try {
      const parsed: unknown = JSON.parse(this.step.arguments);
      const command = (parsed as { command?: unknown } | null)?.command;
      return typeof command === 'string' ? command : undefined;
    } catch {
      return undefined; // malformed: the raw arguments stay shown, and the tool will refuse them
    }
  }

  private showApproval(): void {
    if (this.approval) return;
    const bar = element('div', 'tool-step-approval');
    bar.dataset.testid = 'tool-approval';
    const choose = (choice: ApprovalChoice) => () => {
      // One answer per request: a double click must not send two.
      for (const b of bar.querySelectorAll('button')) b.disabled = true;
      this.hooks.approve(this.step.id, choice);
    };
    bar.append(
      button('tool-allow', strings.tool.allow, choose('allow'), { icon: 'check' }),
      button('tool-allow-conversation', strings.tool.allowConversation, choose('allow-conversation'), { icon: 'check-all', secondary: true }),
      button('tool-deny', strings.tool.deny, choose('deny'), { icon: 'close', secondary: true }),
    );
    this.approval = bar;
    this.element.append(bar);
  }

  private hideApproval(): void {
    if (!this.approval) return;
    const hadFocus = this.approval.contains(document.activeElement);
    this.approval.remove();
    this.approval = undefined;
    if (hadFocus) this.element.focus();
  }
}
