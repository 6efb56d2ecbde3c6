// Saved conversations for the scale bench (issue 14), written as today's session files (one
// `<id>.json` per conversation, src/core/sessions/session-record.ts) into the folder the extension
// keeps them in. Deterministic (a seeded generator), so every run and every profile holds the same
// text. Answers are Markdown as models write it: paragraphs with inline code, lists, numbered steps,
// fenced code in a few languages, a table now and then, sized so that 1,000 conversations of 40
// messages plus one of 2,000 come to about 10 MB, the profile issue 14 was measured with.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatMessageView } from '../../src/protocol/messages';
import { titleFrom, type SessionRecord } from '../../src/core/sessions/session-record';

/** In the last answer of the long conversation: when it is on screen, that conversation is open. */
export const LAST_ANSWER_MARKER = '⟦scale-last-answer⟧';
export const LONG_SESSION_ID = 'scale-long-conversation';

/** mulberry32: small, fast, good enough to vary text. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = ['the cache', 'this reducer', 'the retry loop', 'the webhook handler', 'our CI job', 'the parser', 'the migration', 'the React hook', 'the SQL query', 'the Dockerfile', 'the auth middleware', 'the CSV import'];
const VERBS = ['is slow', 'throws on empty input', 'leaks memory', 'returns stale data', 'fails only on Windows', 'times out under load', 'double-counts rows', 'ignores the timeout'];
const IDENTS = ['fetchUser', 'parseRow', 'retryAfter', 'useSession', 'maxBatch', 'onMessage', 'buildIndex', 'flushQueue', 'toSlug', 'withTimeout'];
const WORDS = 'the a value list call returns when each first error because so then after before request response file line state cache key time batch loop item index order test build'.split(' ');

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

function sentence(rnd: () => number, min = 8, max = 18): string {
  const n = min + Math.floor(rnd() * (max - min));
  const words = Array.from({ length: n }, (_, i) => (i === 3 ? `\`${pick(rnd, IDENTS)}\`` : pick(rnd, WORDS)));
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function prompt(rnd: () => number): string {
  return `Why ${pick(rnd, SUBJECTS)} ${pick(rnd, VERBS)} when I call \`${pick(rnd, IDENTS)}\` twice?`;
}

const answers: Array<(rnd: () => number) => string> = [
  (rnd) => `${sentence(rnd)} ${sentence(rnd)}\n\n- ${sentence(rnd, 5, 9)}\n- ${sentence(rnd, 5, 9)}\n- ${sentence(rnd, 5, 9)}`,
  (rnd) => {
    const name = pick(rnd, IDENTS);
    return `${sentence(rnd)}\n\n\`\`\`ts\nexport async function ${name}(input: string[], limit = 10) {\n  const out = new Map<string, number>();\n  for (const item of input.slice(0, limit)) out.set(item, (out.get(item) ?? 0) + 1);\n  return out;\n}\n\`\`\`\n\n${sentence(rnd, 6, 12)}`;
  },
  (rnd) => `${sentence(rnd, 6, 10)}\n\n1. ${sentence(rnd, 5, 9)}\n2. ${sentence(rnd, 5, 9)}\n3. ${sentence(rnd, 5, 9)}`,
  (rnd) => `${sentence(rnd, 6, 10)}\n\n| option | cost | when |\n|---|---|---|\n| \`${pick(rnd, IDENTS)}\` | low | ${pick(rnd, WORDS)} |\n| \`${pick(rnd, IDENTS)}\` | high | ${pick(rnd, WORDS)} |`,
  (rnd) => `### ${pick(rnd, SUBJECTS)}\n\n${sentence(rnd)} ${sentence(rnd)}\n\n**In short:** ${sentence(rnd, 5, 9)}`,
  (rnd) => `${sentence(rnd, 6, 12)}\n\n\`\`\`python\ndef ${pick(rnd, IDENTS).toLowerCase()}(rows):\n    return [r for r in rows if r]\n\`\`\``,
  (rnd) => `${sentence(rnd)} ${sentence(rnd, 6, 12)}`,
];

function conversation(id: string, messages: number, updatedAt: number, seed: number, lastAnswerExtra = ''): SessionRecord {
  const rnd = random(seed);
  const list: ChatMessageView[] = [];
  let first = '';
  for (let i = 0; i < messages; i += 2) {
    const ask = prompt(rnd);
    first ||= ask;
    list.push({ id: `${id}-u${i}`, role: 'user', text: ask, state: 'done' });
    let text = pick(rnd, answers)(rnd);
    if (i + 2 >= messages && lastAnswerExtra) text += `\n\n${lastAnswerExtra}`;
    const completionTokens = Math.round(text.length / 4);
    const promptTokens = 200 + i * 60;
    list.push({
      id: `${id}-a${i + 1}`,
      role: 'assistant',
      text,
      state: 'done',
      finishReason: 'stop',
      usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
      durationMs: 400 + Math.round(rnd() * 3000),
    });
  }
  return { version: 1, id, title: titleFrom(first), createdAt: updatedAt - 3_600_000, updatedAt, messages: list };
}

export interface Corpus {
  sessions: number;
  files: number;
  bytes: number;
  longMessages: number;
  longBytes: number;
  longTitle: string;
}

/**
 * Writes `sessions` conversations of `messagesEach` messages and one of `longMessages` (the most
 * recently updated, so the sidebar opens on it) into `dir`.
 */
export function writeCorpus(dir: string, sessions: number, messagesEach = 40, longMessages = 2000): Corpus {
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  let bytes = 0;
  for (let i = 0; i < sessions; i++) {
    const id = `scale-${String(i).padStart(5, '0')}`;
    // Spread over the past year, older as i grows; all older than the long conversation.
    const record = conversation(id, messagesEach, now - 60_000 - i * 3_000_000, i + 1);
    const text = JSON.stringify(record);
    writeFileSync(join(dir, `${id}.json`), text);
    bytes += Buffer.byteLength(text);
  }
  const long = conversation(LONG_SESSION_ID, longMessages, now, 424242, `The last answer ends here. ${LAST_ANSWER_MARKER}`);
  const longText = JSON.stringify(long);
  writeFileSync(join(dir, `${LONG_SESSION_ID}.json`), longText);
  bytes += Buffer.byteLength(longText);
  return { sessions: sessions + 1, files: sessions + 1, bytes, longMessages, longBytes: Buffer.byteLength(longText), longTitle: long.title };
}
