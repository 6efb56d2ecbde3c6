import type { AttachmentView } from '../../protocol/context-messages';
import { button, element } from '../dom';
import { strings } from '../strings';

const icons: Record<AttachmentView['kind'], string> = { file: 'file', folder: 'folder', selection: 'symbol-text', problems: 'warning' };

function fileName(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() || path;
}

/** A chip's visible text: the file name, `name:10-20` for lines, or what problems it carries. */
export function chipLabel(attachment: AttachmentView): string {
  const name = fileName(attachment.path ?? '');
  switch (attachment.kind) {
    case 'selection': {
      const { startLine: start, endLine: end } = attachment;
      if (start === undefined) return name;
      return end === undefined || end === start ? `${name}:${start}` : `${name}:${start}-${end}`;
    }
    case 'problems':
      return attachment.path ? strings.composerContext.problemsOf(name) : strings.composerContext.workspaceProblems;
    default:
      return name;
  }
}

/** A chip's full description, with the workspace-relative path: its tooltip and accessible name. */
export function chipDescription(attachment: AttachmentView): string {
  const s = strings.composerContext;
  const path = attachment.path ?? '';
  switch (attachment.kind) {
    case 'file':
      return s.file(path);
    case 'folder':
      return s.folder(path);
    case 'selection': {
      const { startLine: start, endLine: end } = attachment;
      if (start === undefined) return path;
      return end === undefined || end === start ? s.line(path, start) : s.lines(path, start, end);
    }
    case 'problems':
      return attachment.path ? s.problemsIn(path) : s.problemsInWorkspace;
  }
}

/**
 * The attachments waiting for the next prompt, as chips above the prompt box. The host owns the
 * list: `show` draws what it sent, and a removal is drawn at once (so focus has somewhere to go) and
 * then confirmed by the host's next `context`.
 */
export class ContextChips {
  readonly element: HTMLElement;
  private attachments: AttachmentView[] = [];

  constructor(
    private readonly remove: (id: string) => void,
    /** Where focus goes when the last chip that had it is removed: the prompt box. */
    private readonly focusInput: () => void,
  ) {
    this.element = element('div', 'context-chips');
    this.element.dataset.testid = 'context-chips';
    this.element.setAttribute('role', 'list');
    this.element.setAttribute('aria-label', strings.composerContext.chips);
    this.element.hidden = true;
  }

  get count(): number {
    return this.attachments.length;
  }

  /** Draws the host's list. Returns whether it differs from what was shown. */
  show(attachments: AttachmentView[]): boolean {
    const changed = JSON.stringify(attachments) !== JSON.stringify(this.attachments);
    // Focus on a chip that is still there stays on it, though the chips are drawn anew.
    const focusedId = (document.activeElement?.closest('[data-testid="context-chip"]') as HTMLElement | null)?.dataset.id;
    this.attachments = attachments.slice();
    this.element.replaceChildren(...attachments.map((attachment) => this.chip(attachment)));
    this.element.hidden = attachments.length === 0;
    if (focusedId) this.removeButton(attachments.findIndex((a) => a.id === focusedId))?.focus();
    return changed;
  }

  /** Removes the last chip (Backspace in an empty prompt box). */
  removeLast(): boolean {
    const last = this.attachments.at(-1);
    if (!last) return false;
    this.removeAt(this.attachments.length - 1, false);
    return true;
  }

  private chip(attachment: AttachmentView): HTMLElement {
    const label = chipLabel(attachment);
    const description = chipDescription(attachment);
    const chip = element('div', 'context-chip');
    chip.setAttribute('role', 'listitem');
    chip.dataset.testid = 'context-chip';
    chip.dataset.id = attachment.id;
    chip.dataset.kind = attachment.kind;
    chip.title = description;
    chip.setAttribute('aria-label', description);
    const icon = element('span', `codicon codicon-${icons[attachment.kind]}`);
    icon.setAttribute('aria-hidden', 'true');
    const text = element('span', 'context-chip-label', label);
    const remove = button('context-chip-remove', strings.composerContext.remove(label), () => this.removeAt(this.attachments.indexOf(attachment), true), {
      icon: 'close',
      iconOnly: true,
    });
    chip.append(icon, text, remove);
    return chip;
  }

  private removeAt(index: number, moveFocus: boolean): void {
    const attachment = this.attachments[index];
    if (!attachment) return;
    this.attachments.splice(index, 1);
    this.element.children[index]?.remove();
    this.element.hidden = this.attachments.length === 0;
    this.remove(attachment.id);
    if (!moveFocus) return;
    // Focus goes to the chip that took this one's place, or back to the prompt box.
    const next = this.removeButton(index);
    if (next) next.focus();
    else this.focusInput();
  }

  private removeButton(index: number): HTMLButtonElement | undefined {
    if (index < 0) return undefined;
    return this.element.children[index]?.querySelector<HTMLButtonElement>('[data-testid="context-chip-remove"]') ?? undefined;
  }
}
