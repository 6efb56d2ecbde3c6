import type { ChatMessageView, MessageState, TokenUsage } from '../protocol/messages';
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
  private readonly footer: HTMLElement;
  private text: string;
  private frame: number | undefined;

  constructor(
    private readonly message: ChatMessageView,
    private readonly onRendered: () => void,
  ) {
    this.text = message.text;
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
    this.footer = document.createElement('div');
    this.footer.className = 'footer';
    this.element.append(author, this.body, this.footer);
    this.renderNow();
    this.setState(message.state, message.error, message.usage);
  }

  append(text: string): void {
    this.text += text;
    this.frame ??= requestAnimationFrame(() => this.renderNow());
  }

  finish(state: Exclude<MessageState, 'streaming'>, error?: string, usage?: TokenUsage): void {
    this.renderNow();
    this.setState(state, error, usage);
  }

  private renderNow(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    if (this.message.role === 'user') {
      this.body.textContent = this.text;
    } else {
      this.body.replaceChildren(renderMarkdown(this.text));
    }
    this.onRendered();
  }

  private setState(state: MessageState, error?: string, usage?: TokenUsage): void {
    this.element.dataset.state = state;
    this.element.setAttribute('aria-busy', String(state === 'streaming'));
    this.footer.replaceChildren();
    const note = footerNote(state, error);
    if (note) {
      const line = document.createElement('div');
      line.className = `status ${state}`;
      line.dataset.testid = 'message-status';
      line.textContent = note; // Server error bodies can be HTML pages: always shown as text.
      this.footer.append(line);
    }
    if (usage && this.message.role === 'assistant') {
      const meter = document.createElement('div');
      meter.className = 'usage';
      meter.textContent = strings.tokens(usage.promptTokens, usage.completionTokens);
      this.footer.append(meter);
    }
  }
}

function footerNote(state: MessageState, error?: string): string | undefined {
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
