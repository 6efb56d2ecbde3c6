import type { AttachmentView, ContextLeftOut } from '../../protocol/context-messages';
import { element } from '../dom';
import { strings } from '../strings';
import { chipDescription, chipLabel } from './context-chips';

/**
 * The answer side of attached context (issue 13): a sent prompt shows its attachments as chips (the
 * composer's look, no remove button; a file or selection opens in the editor), and an answer says
 * what of them did not fit the context window.
 */

const icons: Record<AttachmentView['kind'], string> = { file: 'file', folder: 'folder', selection: 'symbol-text', problems: 'warning' };

/** A sent prompt's chips; `open` posts `openFile` (line 0: none). */
export function sentChips(attachments: readonly AttachmentView[], open: (path: string, line: number) => void): HTMLElement {
  const holder = element('div', 'context-chips sent-context');
  holder.dataset.testid = 'message-context';
  holder.setAttribute('role', 'group');
  holder.setAttribute('aria-label', strings.answerContext.sentContext);
  for (const attachment of attachments) holder.append(sentChip(attachment, open));
  return holder;
}

function sentChip(attachment: AttachmentView, open: (path: string, line: number) => void): HTMLElement {
  const { kind, path } = attachment;
  // A file or a selection opens in the editor (a button: keyboard reachable); the others only say what was sent.
  const line = kind === 'selection' ? (attachment.startLine ?? 0) : 0;
  const opens = (kind === 'file' || kind === 'selection') && path ? path : undefined;
  const chip = element(opens ? 'button' : 'span', 'context-chip');
  chip.dataset.testid = 'context-chip';
  chip.dataset.kind = kind;
  // The full description names the workspace-relative path.
  const description = chipDescription(attachment);
  chip.title = description;
  const icon = element('span', `codicon codicon-${icons[kind]}`);
  icon.setAttribute('aria-hidden', 'true');
  chip.append(icon, element('span', 'context-chip-label', chipLabel(attachment)));
  if (opens) {
    chip.setAttribute('type', 'button');
    chip.setAttribute('aria-label', line ? strings.answerContext.openFileAt(opens, line) : strings.answerContext.openFile(opens));
    chip.addEventListener('click', () => open(opens, line));
  } else {
    chip.setAttribute('aria-label', description);
  }
  return chip;
}

/** The note on an answer: each attachment, or the lines of it, left out to fit the context window. */
export function leftOutNote(items: readonly ContextLeftOut[]): HTMLElement {
  const parts = items.map((item) => {
    const name = chipLabel({ id: '', kind: item.kind, ...(item.path ? { path: item.path } : {}) });
    // Nothing of it was sent when the cut starts at its first line (or covers all its lines).
    const whole = item.fromLine <= 1 || item.toLine - item.fromLine + 1 >= item.totalLines;
    return whole ? strings.answerContext.leftOutWhole(name) : strings.answerContext.leftOutLines(name, item.fromLine, item.toLine, item.totalLines);
  });
  const note = element('div', 'context-note', strings.answerContext.leftOut(parts.join('; ')));
  note.dataset.testid = 'context-left-out';
  return note;
}
