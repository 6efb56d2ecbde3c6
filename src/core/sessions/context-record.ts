import type { AttachmentKind, AttachmentView, ContextLeftOut } from '../../protocol/context-messages';

const KINDS: readonly AttachmentKind[] = ['file', 'folder', 'selection', 'problems'];
const ID = /^[a-z0-9-]{1,64}$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const line = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1;

/** A saved prompt's chips; a damaged entry is dropped (the chip only), never the conversation. */
export function parseAttachments(value: unknown): AttachmentView[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: AttachmentView[] = [];
  for (const item of value) {
    if (!isObject(item) || typeof item.id !== 'string' || !ID.test(item.id) || !KINDS.includes(item.kind as AttachmentKind)) continue;
    const view: AttachmentView = { id: item.id, kind: item.kind as AttachmentKind };
    if (typeof item.path === 'string') view.path = item.path;
    if (line(item.startLine)) view.startLine = item.startLine;
    if (line(item.endLine)) view.endLine = item.endLine;
    out.push(view);
  }
  return out.length ? out : undefined;
}

/** An answer's note of what did not fit; damaged entries are dropped. */
export function parseLeftOut(value: unknown): ContextLeftOut[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: ContextLeftOut[] = [];
  for (const item of value) {
    if (!isObject(item) || !KINDS.includes(item.kind as AttachmentKind) || !line(item.fromLine) || !line(item.toLine) || !line(item.totalLines)) continue;
    out.push({ kind: item.kind as AttachmentKind, ...(typeof item.path === 'string' ? { path: item.path } : {}), fromLine: item.fromLine, toLine: item.toLine, totalLines: item.totalLines });
  }
  return out.length ? out : undefined;
}
