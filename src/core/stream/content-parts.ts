import type { StreamEvent } from './events';

/** Longest piece of a server's own words (a part's `type`) put into a `skipped` event. */
const NAME_CHARS = 40;

/**
 * Reads `delta.content`, which is a string on OpenAI but an ARRAY of typed parts on Mistral's
 * reasoning models, mixed with plain string deltas in the same stream:
 * `[{"type":"thinking","thinking":[{"type":"text","text":"..."}]},{"type":"text","text":"3"}]`.
 * Text parts are answer text and thinking parts reasoning, in the order they came. Anything
 * else (an unknown part type, `null`, a part without its text) is skipped and reported as a
 * `skipped` event, so that the host can log it; nothing here throws, whatever the server sent.
 */
export function readContent(content: unknown, emit: (event: StreamEvent) => void): void {
  // The common case first: one string per chunk, on the hot path.
  if (typeof content === 'string') {
    if (content) emit({ kind: 'text', text: content });
    return;
  }
  if (content === null || content === undefined) return;
  if (!Array.isArray(content)) {
    emit({ kind: 'skipped', what: `delta.content of type ${typeName(content)}` });
    return;
  }
  for (const part of content as unknown[]) readPart(part, emit);
}

function readPart(part: unknown, emit: (event: StreamEvent) => void): void {
  if (!isRecord(part)) {
    emit({ kind: 'skipped', what: `content part of type ${typeName(part)}` });
    return;
  }
  const type = part['type'];
  if (type === 'text') {
    const text = part['text'];
    if (typeof text === 'string') {
      if (text) emit({ kind: 'text', text });
    } else {
      emit({ kind: 'skipped', what: `"text" part without a string text (${typeName(text)})` });
    }
    return;
  }
  if (type === 'thinking') {
    readThinking(part['thinking'], emit);
    return;
  }
  emit({ kind: 'skipped', what: `content part of unknown type ${partType(type)}` });
}

/** Mistral nests the reasoning as text parts; a gateway that flattens it to a string is read too. */
function readThinking(thinking: unknown, emit: (event: StreamEvent) => void): void {
  if (typeof thinking === 'string') {
    if (thinking) emit({ kind: 'reasoning', text: thinking });
    return;
  }
  if (!Array.isArray(thinking)) {
    emit({ kind: 'skipped', what: `"thinking" part whose thinking is ${typeName(thinking)}` });
    return;
  }
  for (const inner of thinking as unknown[]) {
    if (!isRecord(inner)) {
      emit({ kind: 'skipped', what: `"thinking" item of type ${typeName(inner)}` });
    } else if (inner['type'] !== 'text') {
      emit({ kind: 'skipped', what: `"thinking" item of unknown type ${partType(inner['type'])}` });
    } else if (typeof inner['text'] !== 'string') {
      emit({ kind: 'skipped', what: `"thinking" text item without a string text (${typeName(inner['text'])})` });
    } else if (inner['text']) {
      emit({ kind: 'reasoning', text: inner['text'] });
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A part's `type` as the log shows it: quoted and cut when a string, else what it is. */
function partType(type: unknown): string {
  return typeof type === 'string' ? JSON.stringify(clip(type)) : typeName(type);
}

function clip(text: string): string {
  return text.length > NAME_CHARS ? `${text.slice(0, NAME_CHARS - 1)}…` : text;
}
