import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

/**
 * A server's id is kept when it is at most 64 characters of letters, digits and `_.:-` (OpenAI's
 * are about 30, some gateways' much longer). The id also names the step in the webview's approval
 * messages, which the host checks against that same set: any other id is replaced, so every call
 * can be approved.
 */
const SAFE_ID = /^[\w.:-]{1,64}$/;

/**
 * Gives every tool call an id unique in the conversation. A tool message answers its call by
 * `tool_call_id`, so two calls with one id (Ollama numbers them afresh in every answer; some
 * servers send none at all) would make the model read one call's result as the other's. A
 * server's id is kept when it is new; otherwise the call gets `rill_<round>_<index>`.
 */
export class CallIds {
  private readonly used = new Set<string>();

  /** Seeds with the ids already in the conversation, so a continued loop never reuses one. */
  constructor(history: readonly ChatCompletionMessageParam[] = []) {
    for (const message of history) {
      if (message.role === 'assistant') for (const call of message.tool_calls ?? []) this.used.add(call.id);
      if (message.role === 'tool') this.used.add(message.tool_call_id);
    }
  }

  assign(serverId: string | undefined, round: number, index: number): string {
    const fromServer = serverId?.trim();
    if (fromServer && SAFE_ID.test(fromServer) && !this.used.has(fromServer)) {
      this.used.add(fromServer);
      return fromServer;
    }
    let id = `rill_${round}_${index}`;
    for (let n = 2; this.used.has(id); n++) id = `rill_${round}_${index}_${n}`;
    this.used.add(id);
    return id;
  }
}
