import type { ChatMessageView } from '../../protocol/messages';
import type { SessionRecord } from './session-record';

/**
 * The append-only log beside a session file (`<id>.log`): what changed since `<id>.json` was last
 * written whole, so that a save while an answer streams costs the text that arrived, not the whole
 * conversation. Its first line names the base it extends (a random token also written into the
 * JSON file); each later line is one save, JSON, ended by a newline:
 *
 *   {"rill":"session-log","v":1,"base":"9f2c…"}
 *   {"f":{"updatedAt":1767000000000},"m":[["t",41,"m42","tail of the answer"]]}
 *
 * `f` replaces top-level fields (`null` removes one); `m` edits messages: `["t",i,id,tail]` and
 * `["r",i,id,tail]` append to message i's text or reasoning, `["m",i,message]` puts a whole message
 * at i (new or changed in any other way), `["n",length]` cuts the list. One line per save, applied
 * all or nothing, so a line torn by a crash loses only that save.
 */

export const LOG_FORMAT = 'session-log';

type LogOp = ['t' | 'r', number, string, string] | ['m', number, ChatMessageView] | ['n', number];

export interface LogLine {
  f?: Record<string, unknown>;
  m?: LogOp[];
}

/** What the store remembers of the state last written for a session, to diff the next save against. */
export interface WrittenState {
  /** Each top-level field but `messages`, as JSON. */
  fields: Map<string, string>;
  messages: WrittenMessage[];
  /** Whether an answer was streaming: the save after it ends compacts the log. */
  streaming: boolean;
}

interface WrittenMessage {
  id: string;
  // Strings are immutable, so keeping them costs no copy, and an unchanged one compares by identity.
  text: string;
  reasoning: string | undefined;
  /** The rest of the message as JSON: attachments, usage, the agent's steps (which change in place). */
  rest: string;
}

export function headerLine(base: string): string {
  return `${JSON.stringify({ rill: LOG_FORMAT, v: 1, base })}\n`;
}

/** The state a whole record was written in (a full save, or a load). */
export function writtenState(record: SessionRecord): WrittenState {
  return { fields: fieldsOf(record), messages: record.messages.map(remember), streaming: isStreaming(record) };
}

export function isStreaming(record: SessionRecord): boolean {
  return record.messages.some((m) => m.state === 'streaming');
}

/**
 * The log line that turns `before` into `record`, or `undefined` when nothing changed. Costs a pass
 * over the messages (their fields but text as JSON; texts by identity, else by prefix), and writes
 * only appended tails and the messages that changed otherwise.
 */
export function diffRecord(before: WrittenState, record: SessionRecord): { line?: LogLine; state: WrittenState } {
  const state = writtenState(record);
  const f: Record<string, unknown> = {};
  for (const [key, json] of state.fields) if (before.fields.get(key) !== json) f[key] = (record as unknown as Record<string, unknown>)[key];
  for (const key of before.fields.keys()) if (!state.fields.has(key)) f[key] = null;
  const m: LogOp[] = [];
  const old = before.messages;
  const now = state.messages;
  let same = 0;
  while (same < old.length && same < now.length && old[same]?.id === now[same]?.id) same++;
  if (same < old.length) m.push(['n', same]);
  for (let i = 0; i < now.length; i++) {
    const was = i < same ? old[i] : undefined;
    const is = now[i] as WrittenMessage;
    if (was && sameMessage(was, is)) continue;
    if (was && appendedTo(was, is)) {
      if (was.text !== is.text) m.push(['t', i, is.id, is.text.slice(was.text.length)]);
      if ((was.reasoning ?? '') !== (is.reasoning ?? '')) m.push(['r', i, is.id, (is.reasoning ?? '').slice((was.reasoning ?? '').length)]);
    } else {
      m.push(['m', i, record.messages[i] as ChatMessageView]);
    }
  }
  const line: LogLine = {};
  if (Object.keys(f).length) line.f = f;
  if (m.length) line.m = m;
  return { line: line.f || line.m ? line : undefined, state };
}

/**
 * Applies a log's lines to the parsed JSON of its base. Returns the result and how many bytes of
 * the log were good: reading stops at the first line that does not parse or does not fit (a torn
 * last line after a crash), keeping every save before it. A log for another base applies nothing.
 */
/**
 * `base` with the log's lines applied, when the log's header names `expectedBase` (the token in the
 * JSON file, or for a file an older Rill wrote without one, the hash of its text: contentBase).
 */
export function applyLog(base: Record<string, unknown>, log: Buffer, expectedBase: string): { value: Record<string, unknown>; goodBytes: number; lines: number } {
  let value = base;
  let offset = 0;
  let lines = 0;
  for (;;) {
    const end = log.indexOf(0x0a, offset);
    if (end < 0) break; // no newline: a torn last line, or the end
    let parsed: unknown;
    try {
      parsed = JSON.parse(log.subarray(offset, end).toString('utf8'));
    } catch {
      break;
    }
    if (lines === 0) {
      if (!isObject(parsed) || parsed.rill !== LOG_FORMAT || parsed.v !== 1 || parsed.base !== expectedBase) {
        return { value: base, goodBytes: 0, lines: 0 };
      }
    } else {
      const next = applyLine(value, parsed);
      if (!next) break;
      value = next;
    }
    lines++;
    offset = end + 1;
  }
  return { value, goodBytes: offset, lines };
}

function applyLine(value: Record<string, unknown>, line: unknown): Record<string, unknown> | undefined {
  if (!isObject(line) || !Array.isArray(value.messages)) return undefined;
  const next: Record<string, unknown> = { ...value };
  const messages: unknown[] = [...value.messages];
  if (line.f !== undefined) {
    if (!isObject(line.f)) return undefined;
    for (const [key, field] of Object.entries(line.f)) {
      if (key === 'messages' || key === 'logBase' || key === 'id' || key === 'version') continue;
      if (field === null) delete next[key];
      else next[key] = field;
    }
  }
  if (line.m !== undefined) {
    if (!Array.isArray(line.m)) return undefined;
    for (const op of line.m as unknown[]) {
      if (!Array.isArray(op) || typeof op[1] !== 'number' || !Number.isInteger(op[1]) || op[1] < 0) return undefined;
      const [kind, at] = op as [unknown, number];
      if (kind === 'n') {
        if (at > messages.length) return undefined;
        messages.length = at;
      } else if (kind === 'm') {
        if (at > messages.length || !isObject(op[2])) return undefined;
        messages[at] = op[2];
      } else if (kind === 't' || kind === 'r') {
        const target = messages[at];
        const key = kind === 't' ? 'text' : 'reasoning';
        if (!isObject(target) || target.id !== op[2] || typeof op[3] !== 'string') return undefined;
        const before = target[key] ?? '';
        if (typeof before !== 'string') return undefined;
        messages[at] = { ...target, [key]: before + op[3] };
      } else {
        return undefined;
      }
    }
  }
  next.messages = messages;
  return next;
}

function fieldsOf(record: SessionRecord): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'messages' && value !== undefined) fields.set(key, JSON.stringify(value));
  }
  return fields;
}

function remember(message: ChatMessageView): WrittenMessage {
  const { text, reasoning, ...rest } = message;
  return { id: message.id, text, reasoning, rest: JSON.stringify(rest) };
}

function sameMessage(a: WrittenMessage, b: WrittenMessage): boolean {
  return a.rest === b.rest && a.text === b.text && a.reasoning === b.reasoning;
}

/** Whether `now` differs from `before` only by text appended to its text or reasoning. */
function appendedTo(before: WrittenMessage, now: WrittenMessage): boolean {
  // An empty reasoning where there was none is a change a tail cannot say.
  if (before.reasoning === undefined && now.reasoning === '') return false;
  return before.rest === now.rest && extends_(before.text, now.text) && extends_(before.reasoning ?? '', now.reasoning ?? '');
}

/** Whether `now` is `before` with text appended (identity first: an unchanged text is the same string). */
function extends_(before: string, now: string): boolean {
  return before === now || (now.length > before.length && now.startsWith(before));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
