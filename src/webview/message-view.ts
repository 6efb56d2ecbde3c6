import type { ChatMessageView, MessageAction } from '../protocol/messages';
import { renderMarkdown } from './markdown';
import { strings } from './strings';

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
  private reasoning?: { details: HTMLDetailsElement; text: HTMLElement };
  private message: ChatMessageView;
  private frame: number | undefined;

  constructor(
    message: ChatMessageView,
    private readonly onRendered: () => void,
    private readonly onAction: (messageId: string, action: MessageAction) => void,
  ) {
    this.message = { ...message };
    this.element = document.createElement('article');
    this.element.className = `message ${message.role}`;
    this.element.dataset.testid = 'message';
    this.element.dataset.role = message.role;
    const author = document.createElement('div');
    author.className = 'author';
    author.textContent = message.role === 'user' ? strings.you : strings.assistant;
    this.body = document.createElement('div');
    this.body.className = 'body';
    this.body.dataset.testid = 'message-body';
    this.progress = document.createElement('div');
    this.progress.className = 'progress';
    this.progress.dataset.testid = 'message-progress';
    this.progress.hidden = true;
    this.footer = document.createElement('div');
    this.footer.className = 'footer';
    this.element.append(author, this.body, this.progress, this.footer);
    if (message.reasoning) this.appendReasoning(message.reasoning);
    this.renderNow();
    this.showFinal();
  }

  append(text: string): void {
    this.message.text += text;
    this.frame ??= requestAnimationFrame(() => this.renderNow());
  }

  /** Reasoning is shown apart from the answer, collapsed, as plain text. */
  appendReasoning(text: string): void {
    if (!this.reasoning) {
      const details = document.createElement('details');
      details.className = 'reasoning';
      details.dataset.testid = 'message-reasoning';
      const summary = document.createElement('summary');
      summary.textContent = strings.reasoning;
      const content = document.createElement('div');
      content.className = 'reasoning-text';
      details.append(summary, content);
      this.element.insertBefore(details, this.body);
      this.reasoning = { details, text: content };
    }
    this.reasoning.text.append(text);
  }

  setProgress(text: string | undefined): void {
    this.progress.hidden = text === undefined;
    this.progress.textContent = text ?? '';
  }

  /** The host's final copy of the message replaces what the deltas built. */
  finish(message: ChatMessageView): void {
    const textChanged = message.text !== this.message.text;
    this.message = { ...message };
    if (textChanged || this.frame !== undefined) this.renderNow();
    this.setProgress(undefined);
    this.showFinal();
  }

  private renderNow(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    if (this.message.role === 'user') {
      this.body.textContent = this.message.text;
    } else {
      this.body.replaceChildren(renderMarkdown(this.message.text));
    }
    this.onRendered();
  }

  private showFinal(): void {
    const { state, error, usage, actions, toolCalls, durationMs, droppedTurns } = this.message;
    this.element.dataset.state = state;
    this.element.setAttribute('aria-busy', String(state === 'streaming'));
    this.footer.replaceChildren();
    for (const call of toolCalls ?? []) {
      const step = element('div', 'tool-call');
      step.dataset.testid = 'tool-call';
      const name = element('div', 'tool-name');
      name.textContent = `${strings.toolCall}: ${call.name}`;
      const args = element('pre', 'tool-arguments');
      args.textContent = call.arguments;
      step.append(name, args);
      this.footer.append(step);
    }
    if (droppedTurns) {
      const dropped = element('div', 'context-note');
      dropped.dataset.testid = 'message-context-note';
      dropped.textContent = strings.droppedTurns(droppedTurns);
      this.footer.append(dropped);
    }
    const note = footerNote(state, error);
    if (note) {
      const line = element('div', `status ${state}`);
      line.dataset.testid = 'message-status';
      line.textContent = note; // Server error bodies can be HTML pages: always shown as text.
      this.footer.append(line);
    }
    if (actions?.length && state !== 'streaming') {
      const bar = element('div', 'message-actions');
      for (const action of actions) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'secondary';
        button.dataset.testid = `action-${action}`;
        button.textContent = strings.actions[action];
        button.addEventListener('click', () => this.onAction(this.message.id, action));
        bar.append(button);
      }
      this.footer.append(bar);
    }
    if (usage && this.message.role === 'assistant') {
      const meter = element('div', 'usage');
      meter.dataset.testid = 'message-usage';
      // Below 100 ms the clock's granularity dominates: a burst is not a speed worth showing.
      const speed = durationMs && durationMs >= 100 ? ` · ${strings.speed((usage.completionTokens * 1000) / durationMs)}` : '';
      meter.textContent = `${strings.usage(usage.promptTokens, usage.completionTokens)}${speed}`;
      this.footer.append(meter);
    }
  }
}

function element(tag: string, className: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  return el;
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
