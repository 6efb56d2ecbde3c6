/**
 * Paging a long conversation for the webview (issue 14). A snapshot carries only the newest page and
 * the webview asks for older pages as the reader scrolls up, so what crosses to the webview on open
 * does not grow with the conversation (Roo Code's blank panels came from re-sending the whole
 * history: Roo-Code#6513).
 */

/** Messages per page: every ordinary conversation arrives whole (the e2e suites index answers by position); a 2,000-message one still arrives in pages. */
export const PAGE_SIZE = 300;

interface Turn {
  readonly id: string;
  readonly role: 'user' | 'assistant';
}

export interface PageBounds {
  /** Index of the page's first message; also how many older messages remain before it. */
  start: number;
  /** Index just past the page's last message. */
  end: number;
}

/**
 * The page of messages just before `beforeId` (the newest page when `beforeId` is undefined), or
 * `undefined` when no message has that id (a request from a view that has since switched session).
 * A page never starts with an answer whose prompt is just before it: the prompt comes along, so the
 * reader never sees an answer without its question at a page's edge.
 */
export function pageBefore(messages: readonly Turn[], beforeId: string | undefined, size = PAGE_SIZE): PageBounds | undefined {
  const end = beforeId === undefined ? messages.length : messages.findIndex((m) => m.id === beforeId);
  if (end < 0) return undefined;
  let start = Math.max(0, end - Math.max(1, size));
  if (start > 0 && messages[start]?.role === 'assistant' && messages[start - 1]?.role === 'user') start--;
  return { start, end };
}
