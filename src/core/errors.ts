import { APIConnectionError, APIError } from 'openai';

/**
 * Turns whatever the SDK or the network threw into one plain sentence for the user.
 * Server bodies can be HTML pages from proxies: they are returned as text and the webview renders
 * them as text, never as markup.
 */
export function describeError(error: unknown): string {
  if (error instanceof APIConnectionError) {
    return `Could not reach the model server: ${error.message}`;
  }
  if (error instanceof APIError) {
    const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
    return `The model server reported an error${status}: ${error.message}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
