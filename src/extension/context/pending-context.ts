import { randomUUID } from 'node:crypto';
import type { AttachmentView } from '../../protocol/context-messages';

/** A selection's text is taken when it is attached: the selection may change before the prompt is sent. */
export interface CapturedText {
  text: string;
  /** VS Code's language id of the document it came from. */
  language: string;
}

/** One attachment waiting for the next prompt: the chip, and for a selection its text. */
export interface PendingAttachment {
  view: AttachmentView;
  captured?: CapturedText;
}

/** More than this many chips would hide the prompt box; the oldest stays, the new one is refused. */
export const MAX_PENDING = 50;

/** Two attachments naming the same thing are one chip: attaching a file twice does not send it twice. */
function sameTarget(a: AttachmentView, b: Omit<AttachmentView, 'id'>): boolean {
  return a.kind === b.kind && a.path === b.path && a.startLine === b.startLine && a.endLine === b.endLine;
}

/**
 * The attachments waiting in one conversation's composer. The host owns them, so a command run in
 * an editor and a chip removed in the webview act on one list, and every view of the conversation
 * shows the same chips. They live in memory until sent; a sent prompt keeps its own copy.
 */
export class PendingContext {
  private items: PendingAttachment[] = [];

  constructor(private readonly onChange: (views: AttachmentView[]) => void) {}

  list(): AttachmentView[] {
    return this.items.map((item) => ({ ...item.view }));
  }

  /** Adds (or refreshes, for the same target) an attachment; false when the list is full. */
  add(view: Omit<AttachmentView, 'id'>, captured?: CapturedText): boolean {
    const existing = this.items.find((item) => sameTarget(item.view, view));
    if (existing) {
      if (captured) existing.captured = captured;
    } else {
      if (this.items.length >= MAX_PENDING) return false;
      this.items.push({ view: { id: randomUUID(), ...view }, ...(captured ? { captured } : {}) });
    }
    this.onChange(this.list());
    return true;
  }

  remove(id: string): void {
    const before = this.items.length;
    this.items = this.items.filter((item) => item.view.id !== id);
    if (this.items.length !== before) this.onChange(this.list());
  }

  /** Hands the attachments to a prompt being sent and empties the list. */
  take(): PendingAttachment[] {
    const taken = this.items;
    this.items = [];
    if (taken.length) this.onChange([]);
    return taken;
  }

  /** Puts attachments back (a prompt that could not be sent keeps its chips). */
  restore(items: readonly PendingAttachment[]): void {
    for (const item of items) if (!this.items.some((kept) => sameTarget(kept.view, item.view))) this.items.push(item);
    this.onChange(this.list());
  }
}
