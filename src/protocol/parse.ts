import type { FromWebviewMessage, MessageAction } from './messages';

/** Longest prompt accepted from the webview; a larger message is refused, not truncated. */
export const MAX_PROMPT_CHARS = 1_000_000;

const ACTIONS: readonly MessageAction[] = ['retry', 'continue', 'setApiKey', 'selectModel', 'trimAndRetry', 'openSettings'];

/**
 * Returns the message when it is exactly one of the protocol's closed set, else `undefined`.
 * The host never acts on anything this refuses: the webview renders model output and must be
 * treated as untrusted.
 */
export function parseFromWebview(value: unknown): FromWebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  switch (record.type) {
    case 'ready':
    case 'stop':
      return keys.length === 1 ? { type: record.type } : undefined;
    case 'send':
      return keys.length === 2 &&
        typeof record.text === 'string' &&
        record.text.trim().length > 0 &&
        record.text.length <= MAX_PROMPT_CHARS
        ? { type: 'send', text: record.text }
        : undefined;
    case 'action':
      return keys.length === 3 &&
        typeof record.messageId === 'string' &&
        /^[a-z0-9-]{1,64}$/i.test(record.messageId) &&
        ACTIONS.includes(record.action as MessageAction)
        ? { type: 'action', messageId: record.messageId, action: record.action as MessageAction }
        : undefined;
    default:
      return undefined;
  }
}
