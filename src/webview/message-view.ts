import type { ChatMessageView, MessageAction } from '../protocol/messages';
import { button, element } from './dom';
import { renderMarkdown } from './markdown';
import { strings } from './strings';

/** What a message asks of the app around it. */
export interface MessageHost {
  /** After the message's DOM changed: the log may follow it to the bottom. */
  rendered(): void;
  /** A finished paragraph, for screen readers. */
  announce(text: string): void;
  action(messageId: string, action: MessageAction): void;
  copy(text: string): void;
  regenerate(messageId: string): void;
  edit(messageId: string): void;
  insertCode(code: string): void;
  openCode(code: string, language: string): void;
  /** The answer's first text, or its final form, is on screen. */
  painted(messageId: string, which: 'first' | 'last'): void;
  showDiagram(messageId: string): void;
}

/**
 * One message in the list. Assistant text is markdown and re-rendered at most once per animation
 * frame however many deltas arrive, and only this message is touched: the rest of the conversation
 * is never re-rendered while an answer streams.
 */
export class MessageView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly tools: HTMLElement;
  private reasoning?: { details: HTMLDetailsElement; text: HTMLElement };
  private message: ChatMessageView;
  private frame: number | undefined;
  private isLast = false;
  private paintedFirst: boolean;
  /** Top-level blocks of the answer already read out by the announcer. */
  private announced = 0;

  constructor(
    message: ChatMessageView,
    private readonly host: MessageHost,
  ) {
    this.message = { ...message };
    this.paintedFirst = message.state !== 'streaming';
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
    // A message that arrives finished (a snapshot) is not read out again.
    if (message.state !== 'streaming') this.announced = Number.POSITIVE_INFINITY;
    this.renderNow();
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

  append(text: string): void {
    this.message.text += text;
    this.frame ??= requestAnimationFrame(() => this.renderNow());
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
    const textChanged = message.text !== this.message.text;
    this.message = { ...message };
    if (textChanged || this.frame !== undefined) this.renderNow();
    this.setProgress(undefined);
    this.showFinal();
    if (message.state !== 'streaming') {
      this.announceFinished(true);
      if (message.role === 'assistant') this.host.painted(message.id, 'last');
    }
  }

  private renderNow(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    if (this.message.role === 'user') {
      this.body.textContent = this.message.text;
    } else {
      this.body.replaceChildren(renderMarkdown(this.message.text));
      for (const pre of this.body.querySelectorAll('pre')) this.decorateCodeBlock(pre);
      if (this.message.state === 'streaming') this.announceFinished(false);
      if (!this.paintedFirst && this.message.text) {
        this.paintedFirst = true;
        this.host.painted(this.message.id, 'first');
      }
    }
    this.host.rendered();
  }

  /** Reads out the blocks that can no longer change: all but the last while streaming, all at the end. */
  private announceFinished(all: boolean): void {
    if (this.message.role !== 'assistant') return;
    const blocks = [...this.body.children];
    const done = all ? blocks.length : blocks.length - 1;
    for (let i = this.announced; i < done; i++) {
      const text = blocks[i]?.textContent?.trim();
      if (text) this.host.announce(i === 0 ? strings.answered(text) : text);
    }
    this.announced = Math.max(this.announced, done);
  }

  /** Copy, insert at cursor and open in an editor, on every code block. */
  private decorateCodeBlock(pre: HTMLElement): void {
    const code = pre.querySelector('code');
    const text = code?.textContent ?? pre.textContent ?? '';
    const language = /language-([\w+#.-]+)/.exec(code?.className ?? '')?.[1] ?? '';
    const bar = element('div', 'code-tools');
    bar.append(
      button('code-copy', strings.copy, () => this.host.copy(text), { icon: 'copy', iconOnly: true }),
      button('code-insert', strings.insert, () => this.host.insertCode(text), { icon: 'insert', iconOnly: true }),
      button('code-open', strings.openInEditor, () => this.host.openCode(text, language), { icon: 'go-to-file', iconOnly: true }),
    );
    pre.classList.add('has-tools');
    pre.prepend(bar);
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
    const { state, error, usage, actions, toolCalls, durationMs, droppedTurns } = this.message;
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
