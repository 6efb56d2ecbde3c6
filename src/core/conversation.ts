import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { AgentTranscript } from '../protocol/agent-messages';
import type { ChatMessageView } from '../protocol/messages';
import { toolMessages } from './agent/transcript';

/**
 * The transcript of one chat, owned by the extension host. The webview only mirrors it, so a
 * hidden or reloaded webview is rebuilt from here without losing anything.
 */
export class Conversation {
  private readonly messages: ChatMessageView[];
  private nextId: number;

  /** Starts empty, or from a saved transcript; new ids continue after the saved ones. */
  constructor(messages: readonly ChatMessageView[] = [], private readonly idPrefix = 'm') {
    this.messages = messages.map((m) => ({ ...m }));
    const numbers = this.messages.map((m) => Number(/(\d+)$/.exec(m.id)?.[1] ?? 0));
    this.nextId = Math.max(0, ...numbers) + 1;
  }

  list(): readonly ChatMessageView[] {
    return this.messages;
  }

  get(id: string): ChatMessageView {
    const message = this.messages.find((m) => m.id === id);
    if (!message) throw new Error(`No message ${id} in this conversation`);
    return message;
  }

  last(): ChatMessageView | undefined {
    return this.messages[this.messages.length - 1];
  }

  /** A prompt; `context` (its attachments as the model reads them) is sent before its text. */
  addUser(text: string, attached?: Pick<ChatMessageView, 'attachments' | 'context'>): ChatMessageView {
    const extra = attached?.attachments?.length ? { attachments: attached.attachments, ...(attached.context ? { context: attached.context } : {}) } : {};
    return this.push({ role: 'user', text, state: 'done', ...extra });
  }

  startAssistant(): ChatMessageView {
    return this.push({ role: 'assistant', text: '', state: 'streaming' });
  }

  append(id: string, text: string): void {
    this.get(id).text += text;
  }

  /** Agent mode: the round's streamed text became intermediate (kept in the transcript); the answer starts again. */
  restartText(id: string): void {
    this.get(id).text = '';
  }

  setAgent(id: string, agent: AgentTranscript | undefined): void {
    const message = this.get(id);
    if (agent) message.agent = agent;
    else delete message.agent;
  }

  appendReasoning(id: string, text: string): void {
    const message = this.get(id);
    message.reasoning = (message.reasoning ?? '') + text;
  }

  /** Sets the final fields of an answer; `undefined` values clear earlier ones (a continued answer). */
  finish(id: string, fields: Omit<Partial<ChatMessageView>, 'id' | 'role' | 'text'> & { state: ChatMessageView['state'] }): ChatMessageView {
    const message = this.get(id);
    for (const [key, value] of Object.entries(fields) as Array<[keyof ChatMessageView, unknown]>) {
      if (value === undefined) delete message[key];
      else (message as unknown as Record<string, unknown>)[key] = value;
    }
    return message;
  }

  /** Removes message `id` and everything after it (an answer asked again, a prompt edited). */
  truncateFrom(id: string): void {
    const index = this.messages.findIndex((m) => m.id === id);
    if (index < 0) throw new Error(`No message ${id} in this conversation`);
    this.messages.splice(index);
  }

  /**
   * The turns to send to the model: finished messages with text (an answer that failed with none
   * says nothing the model should see), oldest first, without the system prompt. An agent answer
   * brings its tool calls and results with it, so the model remembers what it read and changed.
   */
  history(): ChatCompletionMessageParam[] {
    const out: ChatCompletionMessageParam[] = [];
    for (const m of this.messages) {
      if (m.state === 'streaming') continue;
      if (m.role === 'assistant' && m.agent) out.push(...toolMessages(m.agent));
      if (m.text.length === 0) continue;
      out.push({ role: m.role, content: m.role === 'user' && m.context ? `${m.context}\n\n${m.text}` : m.text });
    }
    return out;
  }

  private push(fields: Omit<ChatMessageView, 'id'>): ChatMessageView {
    const message: ChatMessageView = { id: `${this.idPrefix}${this.nextId++}`, ...fields };
    this.messages.push(message);
    return message;
  }
}
