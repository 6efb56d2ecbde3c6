import { element } from './dom';

/**
 * A polite live region that screen readers read aloud. Streaming answers are `aria-busy`, so their
 * every token is not announced; instead each finished paragraph is said once, here.
 */
export class Announcer {
  readonly element: HTMLElement;

  constructor() {
    this.element = element('div', 'sr-only');
    this.element.setAttribute('role', 'status');
    this.element.setAttribute('aria-live', 'polite');
    this.element.dataset.testid = 'announcer';
  }

  say(text: string): void {
    const line = element('p', undefined, text);
    this.element.append(line);
    // Keep only the latest few: the region is for announcements, not a second transcript.
    while (this.element.childElementCount > 5) this.element.firstElementChild?.remove();
  }
}
