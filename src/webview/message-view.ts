import { replayEvents } from '../core/agent/transcript';
import type { AgentEvent, ApprovalChoice, ChangePreviewView } from '../protocol/agent-messages';
import type { ChatMessageView, MessageAction } from '../protocol/messages';
import { fillChangePreview } from './agent/change-preview';
import { AgentStepsView } from './agent/tool-step-view';
import { decorateCodeBlock, type CodeActions } from './context/code-tools';
import { openFileRef } from './context/file-links';
import { leftOutNote, sentChips } from './context/sent-context';
import { button, element } from './dom';
import { StreamingMarkdown } from './render';
import { strings } from './strings';

/** What a message asks of the app around it (its code blocks' buttons: see CodeActions). */
export interface MessageHost extends CodeActions {
  /** After the message's DOM changed: the log may follow it to the bottom. */
  rendered(): void;
  /** A finished paragraph, for screen readers. */
  announce(text: string): void;
  action(messageId: string, action: MessageAction): void;
  regenerate(messageId: string): void;
  edit(messageId: string): void;
  /** The answer's first text, or its final form, is on screen. */
  painted(messageId: string, which: 'first' | 'last'): void;
  /** A streaming answer was painted with `chars` of its text on screen (the stream inspector draws each). */
  paint?(messageId: string, chars: number): void;
  showDiagram(messageId: string): void;
  /** A link in an answer was clicked: the host opens it after checking its scheme. */
  openLink(url: string): void;
  /** A workspace file: a sent chip, or a confirmed link or mention in an answer; line 0: none. */
  openFile(path: string, line: number): void;
  /** An answer's finished blocks: their links and mentions of files are marked and checked (context/file-links). */
  linkFileRefs(nodes: readonly Node[]): void;
  /** The user's Allow or Deny for a tool call waiting in this answer. */
  approve(messageId: string, stepId: string, choice: ApprovalChoice): void;
  openDiff(messageId: string, stepId: string): void;
}

/**
 * One message in the list. An answer's markdown is rendered by a StreamingMarkdown: at most once
 * per animation frame, finished blocks once, only the live tail again; the rest of the
 * conversation is never touched while an answer streams.
 */
export class MessageView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly tools: HTMLElement;
  private reasoning?: { details: HTMLDetailsElement; text: HTMLElement };
  private message: ChatMessageView;
  private readonly markdown?: StreamingMarkdown;
  private isLast = false;
  private paintedFirst: boolean;
  /** Characters the answer had when Continue reopened it: its paints report what the new request added. */
  private paintBase = 0;
  /** Whether finished blocks are read out: only while the answer streams, up to its last block. */
  private announcing: boolean;
  /** Blocks of the answer already read out by the announcer. */
  private announced = 0;
  /** Agent mode: the answer's tool steps, above its body. */
  private steps?: AgentStepsView;
  /** The round whose text is streaming into the body now. */
  private round = 0;
  private replaying = false;
  /** Waiting edits' preview slots, filled when the host has computed the change. */
  private readonly diffSlots = new Map<string, HTMLElement>();

  constructor(
    message: ChatMessageView,
    private readonly host: MessageHost,
  ) {
    this.message = { ...message };
    this.paintedFirst = message.state !== 'streaming';
    this.announcing = message.state === 'streaming';
    this.element = element('article', `message ${message.role}`);
    this.element.dataset.testid = 'message';
    this.element.dataset.role = message.role;
    this.element.dataset.messageId = message.id;
    const author = element('div', 'author', message.role === 'user' ? strings.you : strings.assistant);
    this.body = element('div', 'body');
    this.body.dataset.testid = 'message-body';
    this.progress = element('div', 'progress');
    this.progress.dataset.testid = 'message-progress';
    this.progress.hidden = true;
    this.footer = element('div', 'footer');
    this.tools = element('div', 'message-tools');
    this.element.append(author, this.body, this.progress, this.footer, this.tools);
    if (message.reasoning) this.appendReasoning(message.reasoning);
    if (message.agent) {
      // Before the body gets its text: replaying settles earlier rounds' text into the steps.
      this.replaying = true;
      this.stepsView().replay(replayEvents(message.agent));
      this.replaying = false;
      this.round = message.agent.rounds;
    }
    if (message.role === 'user') {
      // The typed text only: the attachments' text goes to the model, never to the webview.
      if (message.attachments?.length) this.element.insertBefore(sentChips(message.attachments, (path, line) => host.openFile(path, line)), this.body);
      this.body.textContent = message.text;
    } else {
      this.markdown = new StreamingMarkdown(this.body, {
        onUpdate: () => this.updated(),
        // Finished blocks, as they are committed: file refs marked, read out once each while the answer streams.
        onCommit: (nodes) => (host.linkFileRefs(nodes), this.announce(nodes)),
        // A diagram drawn after the answer ended changes its height: the log follows it to the end.
        onDiagram: () => host.rendered(),
        onOpenLink: (url) => host.openLink(url),
        onOpenFile: (ref) => openFileRef(ref, host),
        decorateCodeBlock: (pre, code, language, info) => decorateCodeBlock(pre, code, language ?? '', info, host),
        labels: { openImage: strings.openImage, image: strings.image, diagramError: strings.diagramError, diagram: strings.diagram },
      });
      this.markdown.setText(message.text);
      if (message.state !== 'streaming') this.markdown.finish();
    }
    this.showFinal();
  }

  get id(): string {
    return this.message.id;
  }

  get role(): ChatMessageView['role'] {
    return this.message.role;
  }

  get text(): string {
    return this.message.text;
  }

  get state(): ChatMessageView['state'] {
    return this.message.state;
  }

  /** The message as shown now, to render it again after the windowed list dropped this view. */
  get current(): ChatMessageView {
    return { ...this.message };
  }

  append(text: string): void {
    this.message.text += text;
    this.markdown?.append(text);
    // The steps view learns the round's text, to move it above the round's calls if one follows.
    this.steps?.apply({ kind: 'text', round: this.round, text });
  }

  /** A step or round of this streaming answer changed. */
  agentEvent(event: AgentEvent): void {
    if (event.kind === 'roundStarted') this.round = event.round;
    this.stepsView().apply(event);
  }

  /** The change a waiting edit would make, computed by the host. */
  showPreview(stepId: string, preview: ChangePreviewView): void {
    const slot = this.diffSlots.get(stepId);
    if (slot) fillChangePreview(slot, preview, () => this.host.openDiff(this.message.id, stepId));
  }

  private stepsView(): AgentStepsView {
    if (!this.steps) {
      this.steps = new AgentStepsView({
        approve: (stepId, choice) => this.host.approve(this.message.id, stepId, choice),
        announce: (text) => this.host.announce(text),
        previewDiff: (step, slot) => {
          slot.hidden = true; // until the host sends the change
          this.diffSlots.set(step.id, slot);
        },
        textSettled: () => {
          if (!this.replaying) this.restartAnswer();
        },
        rendered: () => this.host.rendered(),
      });
      this.attachSteps(this.steps.element);
    }
    return this.steps;
  }

  /** Reasoning is shown apart from the answer, collapsed, as plain text. */
  appendReasoning(text: string): void {
    if (!this.reasoning) {
      const details = element('details', 'reasoning');
      details.dataset.testid = 'message-reasoning';
      const content = element('div', 'reasoning-text');
      details.append(element('summary', undefined, strings.reasoning), content);
      this.element.insertBefore(details, this.body);
      this.reasoning = { details, text: content };
    }
    this.reasoning.text.append(text);
  }

  /** Agent mode: the steps go above the answer's body, so each round's text streams just below them. */
  attachSteps(steps: HTMLElement): void {
    this.element.insertBefore(steps, this.body);
  }

  /**
   * Agent mode: the text streamed so far was a round's intermediate text, which the steps view now
   * shows above its calls; the body starts again for the next round (the last one is the answer).
   */
  restartAnswer(): void {
    this.message.text = '';
    this.markdown?.setText('');
  }

  setProgress(text: string | undefined): void {
    this.progress.hidden = text === undefined;
    this.progress.textContent = text ?? '';
  }

  /** Whether this is the last message of the conversation: only it can be regenerated or edited. */
  setLast(isLast: boolean): void {
    if (this.isLast === isLast) return;
    this.isLast = isLast;
    this.showTools();
  }

  /** The host's final copy of the message replaces what the deltas built. */
  finish(message: ChatMessageView): void {
    const reopened = this.message.state !== 'streaming' && message.state === 'streaming';
    if (reopened) this.announcing = true;
    // Continue's request streams only what follows: its paints count from here.
    if (reopened) this.paintBase = message.text.length;
    this.message = { ...message };
    if (this.markdown) {
      // A finished answer that streams again (Continue) is rendered afresh: its last block was
      // committed as final, and the continuation must be able to extend it.
      if (reopened) this.markdown.setText('');
      this.markdown.setText(message.text);
      // The final pass commits the last blocks, which are read out; then the answer is quiet.
      if (message.state !== 'streaming') this.markdown.finish();
    }
    if (message.state !== 'streaming') this.announcing = false;
    if (!this.markdown) {
      this.body.textContent = message.text;
    }
    this.setProgress(undefined);
    this.showFinal();
    if (message.state !== 'streaming' && message.role === 'assistant') this.host.painted(message.id, 'last');
    this.host.rendered();
  }

  private updated(): void {
    if (!this.paintedFirst && this.body.textContent) {
      this.paintedFirst = true;
      this.host.painted(this.message.id, 'first');
    }
    if (this.message.state === 'streaming' && this.message.role === 'assistant') this.host.paint?.(this.message.id, Math.max(0, this.message.text.length - this.paintBase));
    this.host.rendered();
  }

  /** Reads out finished blocks of a streaming answer (a snapshot's are not read again). */
  private announce(nodes: readonly Node[]): void {
    if (!this.announcing) return;
    for (const node of nodes) {
      const text = node.textContent?.trim();
      if (!text) continue;
      this.host.announce(this.announced === 0 ? strings.answered(text) : text);
      this.announced++;
    }
  }

  private showTools(): void {
    this.tools.replaceChildren();
    if (this.message.state === 'streaming') return;
    this.tools.append(button('copy', strings.copy, () => this.host.copy(this.message.text), { icon: 'copy', iconOnly: true }));
    if (this.message.role === 'assistant') {
      this.tools.append(button('show-diagram', strings.flowDiagram, () => this.host.showDiagram(this.message.id), { icon: 'type-hierarchy-sub', iconOnly: true }));
    }
    if (this.isLast && this.message.role === 'assistant') {
      this.tools.append(button('regenerate', strings.regenerate, () => this.host.regenerate(this.message.id), { icon: 'refresh', iconOnly: true }));
    }
    if (this.isLast && this.message.role === 'user') {
      this.tools.append(button('edit', strings.edit, () => this.host.edit(this.message.id), { icon: 'edit', iconOnly: true }));
    }
  }

  private showFinal(): void {
    const { state, error, usage, actions, toolCalls, durationMs, droppedTurns, contextLeftOut } = this.message;
    this.element.dataset.state = state;
    this.element.setAttribute('aria-busy', String(state === 'streaming'));
    this.footer.replaceChildren();
    for (const call of toolCalls ?? []) {
      const step = element('div', 'tool-call');
      step.dataset.testid = 'tool-call';
      step.append(element('div', 'tool-name', `${strings.toolCall}: ${call.name}`), element('pre', 'tool-arguments', call.arguments));
      this.footer.append(step);
    }
    if (droppedTurns) {
      const dropped = element('div', 'context-note', strings.droppedTurns(droppedTurns));
      dropped.dataset.testid = 'message-context-note';
      this.footer.append(dropped);
    }
    if (contextLeftOut?.length && this.message.role === 'assistant') this.footer.append(leftOutNote(contextLeftOut));
    const note = footerNote(state, error);
    if (note) {
      // Server error bodies can be HTML pages: always shown as text.
      const line = element('div', `status ${state}`, note);
      line.dataset.testid = 'message-status';
      this.footer.append(line);
    }
    if (actions?.length && state !== 'streaming') {
      const bar = element('div', 'message-actions');
      for (const action of actions) {
        bar.append(button(`action-${action}`, strings.action(action), () => this.host.action(this.message.id, action), { secondary: true }));
      }
      this.footer.append(bar);
    }
    if (usage && this.message.role === 'assistant') {
      // Below 100 ms the clock's granularity dominates: a burst is not a speed worth showing.
      const speed = durationMs && durationMs >= 100 ? ` · ${strings.speed((usage.completionTokens * 1000) / durationMs)}` : '';
      const meter = element('div', 'usage', `${strings.usage(usage.promptTokens, usage.completionTokens)}${speed}`);
      meter.dataset.testid = 'message-usage';
      this.footer.append(meter);
    }
    this.showTools();
  }
}

function footerNote(state: ChatMessageView['state'], error?: string): string | undefined {
  switch (state) {
    case 'stopped':
      return strings.stopped;
    case 'truncated':
      return `${strings.truncated}: ${error ?? ''}`;
    case 'error':
      return `${strings.failed}: ${error ?? ''}`;
    default:
      return undefined;
  }
}
