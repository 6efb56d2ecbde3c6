import type { SessionSummary } from '../../protocol/messages';
import type { SessionRecord } from './session-record';

/**
 * Finding saved conversations by their title or by the words inside them. A query is split into
 * words; a conversation matches when it contains every word, anywhere, ignoring case and width
 * (NFKC, so `ＡＢＣ` finds `abc` and half-width kana find full-width). Substrings count: Japanese has
 * no spaces between words, and a prefix of a word is what people type while searching.
 */

/** Stop after this many conversations: a list longer than this is not read, the query is refined. */
export const MAX_SEARCH_HITS = 200;

/** The words of a query, normalised; none for a blank one. */
export function queryWords(query: string): string[] {
  return fold(query).split(/\s+/).filter(Boolean);
}

/** Whether `text` contains every word (already folded by `queryWords`). No words: everything matches. */
export function containsAll(text: string, words: readonly string[]): boolean {
  if (!words.length) return true;
  const folded = fold(text);
  return words.every((word) => folded.includes(word));
}

export function titleMatches(summary: Pick<SessionSummary, 'title'>, words: readonly string[]): boolean {
  return containsAll(summary.title, words);
}

/**
 * Whether the conversation has every word, each somewhere in its title or its messages' text (a
 * word in a prompt and another in an answer is a match, as in a search engine over the page).
 * Reasoning, tool output and attached files are left out: they are not what the reader remembers
 * having written or read, and they would make most queries match most conversations.
 */
export function recordMatches(record: Pick<SessionRecord, 'title' | 'messages'>, words: readonly string[]): boolean {
  if (!words.length) return false;
  const left = new Set(words);
  const take = (text: string) => {
    const folded = fold(text);
    for (const word of left) if (folded.includes(word)) left.delete(word);
    return left.size === 0;
  };
  if (take(record.title)) return true;
  return record.messages.some((message) => take(message.text));
}

export interface TextSearchOptions {
  /** Stop after this many hits (default MAX_SEARCH_HITS). */
  limit?: number;
  /** A newer query arrived: stop reading, the answer would be thrown away. */
  signal?: AbortSignal;
}

/**
 * Reads the conversations one at a time, in the order given (newest first), and returns the ids of
 * those that match; `undefined` when the search was cancelled. Each read is awaited, so a search
 * over thousands of files shares the extension host with everything else instead of holding it;
 * a file that cannot be read is skipped.
 */
export async function searchRecords(
  ids: readonly string[],
  load: (id: string) => Promise<Pick<SessionRecord, 'title' | 'messages'> | undefined>,
  query: string,
  options: TextSearchOptions = {},
): Promise<string[] | undefined> {
  const words = queryWords(query);
  const limit = options.limit ?? MAX_SEARCH_HITS;
  const hits: string[] = [];
  if (!words.length) return hits;
  for (const id of ids) {
    if (options.signal?.aborted) return undefined;
    const record = await load(id).catch(() => undefined);
    if (options.signal?.aborted) return undefined;
    if (record && recordMatches(record, words)) {
      hits.push(id);
      if (hits.length >= limit) break;
    }
  }
  return hits;
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
