import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatMessageView, MessageState, TokenUsage } from '../protocol/messages';

/**
 * The transcript of one chat, owned by the extension host. The webview only mirrors it, so a
 * hidden or reloaded webview is rebuilt from here without losing anything.
 */
export class Conversation {
  private readonly messages: ChatMessageView[] = [];
  private nextId = 1;

  constructor(private readonly idPrefix = 'm') {}

  list(): readonly ChatMessageView[] {
    return this.messages;
  }

  addUser(text: string): ChatMessageView {
    return this.push({ role: 'user', text, state: 'done' });
  }

  startAssistant(): ChatMessageView {
    return this.push({ role: 'assistant', text: '', state: 'streaming' });
  }

  append(id: string, text: string): void {
    this.get(id).text += text;
  }

  finish(id: string, state: Exclude<MessageState, 'streaming'>, details: { error?: string; usage?: TokenUsage }): void {
    const message = this.get(id);
    message.state = state;
    if (details.error !== undefined) message.error = details.error;
    if (details.usage !== undefined) message.usage = details.usage;
  }

  /**
   * The messages to send to the model: finished turns only (an answer that failed with no text
   * says nothing the model should see), preceded by the system prompt.
   */
  toApiMessages(systemPrompt: string): ChatCompletionMessageParam[] {
    const out: ChatCompletionMessageParam[] = [];
    if (systemPrompt) out.push({ role: 'system', content: systemPrompt });
    for (const m of this.messages) {
      if (m.state === 'streaming' || m.text.length === 0) continue;
      out.push({ role: m.role, content: m.text });
    }
    return out;
  }

  private push(fields: Omit<ChatMessageView, 'id'>): ChatMessageView {
    const message: ChatMessageView = { id: `${this.idPrefix}${this.nextId++}`, ...fields };
    this.messages.push(message);
    return message;
  }

  private get(id: string): ChatMessageView {
    const message = this.messages.find((m) => m.id === id);
    if (!message) throw new Error(`No message ${id} in this conversation`);
    return message;
  }
}
