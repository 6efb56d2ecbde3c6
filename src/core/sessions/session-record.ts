import type { ChatMessageView, MessageAction, MessageState, SessionSummary } from '../../protocol/messages';
import { markInterrupted } from '../agent/transcript';
import { parseRequestTrace, type RequestTrace } from '../trace';
import { parseAgentTranscript } from './agent-record';
import { parseAttachments, parseLeftOut } from './context-record';

/** A conversation as saved on disk. `version` lets a later Rill read files an earlier one wrote. */
export interface SessionRecord {
  version: 1;
  id: string;
  title: string;
  /** True once the user renamed it: the title no longer follows the first prompt. */
  titleIsCustom?: boolean;
  createdAt: number;
  updatedAt: number;
  messages: ChatMessageView[];
  /** The unsent text of the prompt box. */
  draft?: string;
  /** Traces of the recent requests, for their flow diagrams. */
  traces?: RequestTrace[];
  /** Agent mode for this conversation: the composer's toggle, and a model known to reject tools. */
  tools?: { enabled: boolean; unsupportedModel?: string };
}

const TITLE_CHARS = 60;
const STATES: readonly MessageState[] = ['streaming', 'done', 'stopped', 'error', 'truncated'];
const ACTIONS: readonly MessageAction[] = ['retry', 'continue', 'setApiKey', 'selectModel', 'trimAndRetry', 'openSettings'];

export function newSessionRecord(id: string, now: number): SessionRecord {
  return { version: 1, id, title: '', createdAt: now, updatedAt: now, messages: [] };
}

/** A title from the first prompt: its first line, cut at a word near 60 characters. */
export function titleFrom(prompt: string): string {
  const line = prompt.trim().split(/\r?\n/)[0]?.trim() ?? '';
  if (line.length <= TITLE_CHARS) return line;
  const cut = line.slice(0, TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

export function summarize(record: SessionRecord): SessionSummary {
  return { id: record.id, title: record.title, createdAt: record.createdAt, updatedAt: record.updatedAt, messageCount: record.messages.length };
}

/**
 * An answer still `streaming` in a saved file was cut by a reload, a crash or a closed window.
 * It is kept, with its text, and marked so the user can ask again.
 */
export function recoverInterrupted(record: SessionRecord, note: string): SessionRecord {
  return {
    ...record,
    messages: record.messages.map((m) =>
      m.state === 'streaming' ? { ...m, state: 'truncated', error: note, actions: ['retry'], ...(m.agent ? { agent: markInterrupted(m.agent) } : {}) } : m,
    ),
  };
}

/**
 * Reads a saved session, checking every field: files can be damaged or written by hand, and a
 * bad one must be reported, not crash the chat. Returns `undefined` when it is not a session.
 */
export function parseSessionRecord(value: unknown): SessionRecord | undefined {
  if (!isObject(value) || value.version !== 1) return undefined;
  const { id, title, createdAt, updatedAt, messages, titleIsCustom } = value;
  if (typeof id !== 'string' || !/^[a-z0-9-]{1,64}$/i.test(id)) return undefined;
  if (typeof title !== 'string' || typeof createdAt !== 'number' || typeof updatedAt !== 'number') return undefined;
  if (!Array.isArray(messages)) return undefined;
  const parsed: ChatMessageView[] = [];
  for (const m of messages) {
    const message = parseMessage(m);
    if (!message) return undefined;
    parsed.push(message);
  }
  const record: SessionRecord = { version: 1, id, title, createdAt, updatedAt, messages: parsed };
  if (titleIsCustom === true) record.titleIsCustom = true;
  if (typeof value.draft === 'string' && value.draft) record.draft = value.draft;
  if (isObject(value.tools) && typeof value.tools.enabled === 'boolean') {
    record.tools = { enabled: value.tools.enabled };
    if (typeof value.tools.unsupportedModel === 'string') record.tools.unsupportedModel = value.tools.unsupportedModel;
  }
  // Traces are Rill's own data; a damaged one only costs its diagram, never the conversation.
  if (Array.isArray(value.traces)) {
    const traces = value.traces.map(parseRequestTrace).filter((t): t is RequestTrace => t !== undefined);
    if (traces.length) record.traces = traces;
  }
  return record;
}

function parseMessage(value: unknown): ChatMessageView | undefined {
  if (!isObject(value)) return undefined;
  const { id, role, text, state } = value;
  if (typeof id !== 'string' || (role !== 'user' && role !== 'assistant') || typeof text !== 'string') return undefined;
  if (!STATES.includes(state as MessageState)) return undefined;
  const message: ChatMessageView = { id, role, text, state: state as MessageState };
  if (typeof value.error === 'string') message.error = value.error;
  if (typeof value.finishReason === 'string') message.finishReason = value.finishReason;
  if (typeof value.reasoning === 'string') message.reasoning = value.reasoning;
  if (typeof value.durationMs === 'number') message.durationMs = value.durationMs;
  if (typeof value.droppedTurns === 'number') message.droppedTurns = value.droppedTurns;
  if (Array.isArray(value.actions)) message.actions = value.actions.filter((a): a is MessageAction => ACTIONS.includes(a as MessageAction));
  if (isObject(value.usage)) {
    const { promptTokens, completionTokens, totalTokens } = value.usage;
    if (typeof promptTokens === 'number' && typeof completionTokens === 'number' && typeof totalTokens === 'number') {
      message.usage = { promptTokens, completionTokens, totalTokens };
    }
  }
  if (value.agent !== undefined) {
    const agent = parseAgentTranscript(value.agent);
    if (agent) message.agent = agent;
  }
  const attachments = parseAttachments(value.attachments);
  if (attachments) message.attachments = attachments;
  if (typeof value.context === 'string' && value.context) message.context = value.context;
  const leftOut = parseLeftOut(value.contextLeftOut);
  if (leftOut) message.contextLeftOut = leftOut;
  if (Array.isArray(value.toolCalls)) {
    message.toolCalls = value.toolCalls.filter(isObject).map((c) => ({ id: String(c.id ?? ''), name: String(c.name ?? ''), arguments: String(c.arguments ?? '') }));
  }
  return message;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
