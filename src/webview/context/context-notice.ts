import { button, element } from '../dom';
import { strings } from '../strings';

/** How long a notice stays when nothing else clears it. */
const NOTICE_MS = 20_000;
/** A change of the chips this soon after a notice belongs to the same request: it keeps the notice. */
const SAME_REQUEST_MS = 1_500;

/**
 * What could not be attached ("binary files cannot be attached"), said in the composer. The status
 * element stays in the page while empty, so screen readers announce the text put into it; the
 * dismiss button sits beside it, not inside, so it is not read out with the message.
 */
export class ContextNotice {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  private readonly dismiss: HTMLButtonElement;
  private timer?: ReturnType<typeof setTimeout>;
  private shownAt = 0;
  /** The user asked for another change since the notice came: the next change of chips clears it. */
  private stale = false;

  constructor(private readonly focusInput: () => void) {
    this.element = element('div', 'context-notice-row');
    this.text = element('div', 'context-notice');
    this.text.dataset.testid = 'context-notice';
    this.text.setAttribute('role', 'status');
    this.text.setAttribute('aria-live', 'polite');
    this.dismiss = button('context-notice-dismiss', strings.composerContext.dismiss, () => this.clear(), { icon: 'close', iconOnly: true });
    this.dismiss.hidden = true;
    this.element.append(this.text, this.dismiss);
  }

  show(message: string): void {
    this.text.textContent = message;
    this.dismiss.hidden = false;
    this.element.dataset.shown = 'true';
    this.shownAt = Date.now();
    this.stale = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.clear(), NOTICE_MS);
  }

  /** The composer asked the host for another change. */
  requested(): void {
    this.stale = true;
  }

  /** The chips changed: a notice about an earlier request has had its say. */
  chipsChanged(): void {
    if (this.stale || Date.now() - this.shownAt > SAME_REQUEST_MS) this.clear();
  }

  clear(): void {
    if (this.dismiss.hidden) return;
    const hadFocus = this.dismiss === document.activeElement;
    clearTimeout(this.timer);
    this.text.textContent = '';
    this.dismiss.hidden = true;
    delete this.element.dataset.shown;
    if (hadFocus) this.focusInput(); // a hidden button must not keep focus
  }
}
