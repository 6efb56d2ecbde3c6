import { mentionAt, MENTION_KINDS, type MentionKind, type MentionQuery } from '../../core/attachments/mentions';
import { element } from '../dom';
import { strings } from '../strings';

/** What accepting a suggestion asks of the host. */
export interface MentionActions {
  addContext(what: 'selection' | 'workspaceProblems'): void;
  attachPath(path: string): void;
  suggestFiles(query: string): void;
}

type Option = { kind: 'name'; name: MentionKind } | { kind: 'file'; path: string };

/** How long typing after `#file:` pauses before the host is asked for matching files. */
export const SUGGEST_DELAY_MS = 100;
/** Files listed at most, whatever the host sends. */
const MAX_FILES = 50;

const describe = (name: MentionKind): string =>
  name === 'file' ? strings.composerContext.mentionFile : name === 'selection' ? strings.composerContext.mentionSelection : strings.composerContext.mentionProblems;

let popups = 0;

/**
 * `#` completion in the prompt box: `#file`, `#selection` and `#problems`, then workspace files
 * after `#file:`. A listbox whose active option the textarea names (`aria-activedescendant`), so
 * focus never leaves the prompt box. (The textarea keeps its textbox role: HTML allows a textarea
 * no other, and `aria-expanded` is not valid on a textbox, so the popup is announced through
 * `aria-haspopup`, `aria-controls` and the active option.) Keys are taken only while it is open,
 * never while an input method is composing.
 */
export class MentionPopup {
  readonly listbox: HTMLElement;
  /** Said in place of options: files being searched, or none found. */
  readonly hint: HTMLElement;
  private options: Option[] = [];
  private active = 0;
  private query?: MentionQuery;
  /** The token whose popup Escape closed: it stays closed while the caret is in it. */
  private dismissed?: string;
  private files?: { query: string; files: string[] };
  private asked?: string;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly id = `rill-mentions-${++popups}`;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly actions: MentionActions,
  ) {
    this.listbox = element('ul', 'mention-popup');
    this.listbox.id = this.id;
    this.listbox.dataset.testid = 'mention-popup';
    this.listbox.setAttribute('role', 'listbox');
    this.listbox.setAttribute('aria-label', strings.composerContext.suggestions);
    this.listbox.hidden = true;
    this.hint = element('div', 'mention-hint');
    this.hint.dataset.testid = 'mention-hint';
    this.hint.hidden = true;
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-haspopup', 'listbox');
    input.setAttribute('aria-controls', this.id);
    input.addEventListener('input', () => this.update());
    input.addEventListener('click', () => this.update());
    input.addEventListener('keyup', (event) => {
      if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) this.update();
    });
    input.addEventListener('blur', () => this.close());
    // Clicking an option must not take focus from the prompt box.
    this.listbox.addEventListener('mousedown', (event) => event.preventDefault());
    this.listbox.addEventListener('click', (event) => {
      const option = (event.target as HTMLElement).closest<HTMLElement>('[role="option"]');
      if (option) this.accept(Number(option.dataset.index));
    });
  }

  get isOpen(): boolean {
    return this.query !== undefined;
  }

  /** A key in the prompt box: returns true when the popup took it. */
  onKey(event: KeyboardEvent): boolean {
    if (!this.isOpen || event.isComposing || event.keyCode === 229 || event.altKey || event.ctrlKey || event.metaKey) return false;
    const count = this.options.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (count === 0) return false;
        this.setActive((this.active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
        break;
      case 'Enter':
        if (event.shiftKey) return false;
        // Never sends while open: with nothing to accept, Enter only closes the popup.
        if (count > 0) this.accept(this.active);
        else this.dismiss();
        break;
      case 'Tab':
        if (event.shiftKey || count === 0) return false;
        this.accept(this.active);
        break;
      case 'Escape':
        // Closes the popup only: it must not also stop a stream or cancel an edit.
        event.stopPropagation();
        this.dismiss();
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  }

  /** The host's files for a `#file:` query; an answer to an earlier query is ignored. */
  showFiles(query: string, files: string[]): void {
    if (this.query?.fileQuery !== query) return;
    this.files = { query, files: files.slice(0, MAX_FILES) };
    this.render();
  }

  /** Reads the mention at the caret and opens, updates or closes the popup for it. */
  update(): void {
    const { value, selectionStart, selectionEnd } = this.input;
    const query = selectionStart === selectionEnd ? mentionAt(value, selectionStart) : undefined;
    const key = query && `${query.start}:${query.fileQuery !== undefined}`;
    if (this.dismissed !== undefined && this.dismissed !== key) this.dismissed = undefined;
    if (!query || this.dismissed !== undefined) return this.close();
    this.query = query;
    if (query.fileQuery !== undefined) this.askFiles(query.fileQuery);
    this.render();
    if (this.options.length === 0 && query.fileQuery === undefined) this.close();
  }

  close(): void {
    if (this.query === undefined && this.listbox.hidden) return;
    this.query = undefined;
    this.options = [];
    this.files = undefined;
    this.asked = undefined;
    clearTimeout(this.timer);
    this.listbox.hidden = true;
    this.listbox.replaceChildren();
    this.hint.hidden = true;
    this.input.removeAttribute('aria-activedescendant');
  }

  private dismiss(): void {
    const query = this.query;
    if (query) this.dismissed = `${query.start}:${query.fileQuery !== undefined}`;
    this.close();
  }

  private askFiles(fileQuery: string): void {
    if (fileQuery === this.asked) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.query?.fileQuery !== fileQuery) return;
      this.asked = fileQuery;
      this.actions.suggestFiles(fileQuery);
    }, SUGGEST_DELAY_MS);
  }

  private render(): void {
    const query = this.query;
    if (!query) return;
    const previous = this.options[this.active];
    if (query.fileQuery === undefined) {
      this.options = MENTION_KINDS.filter((name) => name.startsWith(query.name)).map((name) => ({ kind: 'name', name }));
    } else {
      // Until the host answers this query, the last answer narrowed here keeps the list useful.
      const needle = query.fileQuery.toLowerCase();
      const files = this.files?.files.filter((path) => this.files?.query === query.fileQuery || path.toLowerCase().includes(needle)) ?? [];
      this.options = files.map((path) => ({ kind: 'file', path }));
    }
    const keep = previous ? this.options.findIndex((option) => sameOption(option, previous)) : -1;
    this.active = Math.max(0, keep);
    this.listbox.replaceChildren(...this.options.map((option, index) => this.option(option, index)));
    this.listbox.hidden = this.options.length === 0;
    const waiting = query.fileQuery !== undefined && this.files?.query !== query.fileQuery;
    this.hint.hidden = this.options.length > 0 || query.fileQuery === undefined;
    this.hint.textContent = waiting ? strings.composerContext.searchingFiles : strings.composerContext.noFiles;
    this.setActive(this.active);
  }

  private option(option: Option, index: number): HTMLElement {
    const item = element('li', 'mention-option');
    item.id = `${this.id}-${index}`;
    item.dataset.testid = 'mention-option';
    item.dataset.index = String(index);
    item.setAttribute('role', 'option');
    if (option.kind === 'name') {
      item.dataset.value = `#${option.name}`;
      item.append(element('span', 'mention-name', `#${option.name}`), element('span', 'mention-detail', describe(option.name)));
    } else {
      item.dataset.value = option.path;
      const slash = option.path.lastIndexOf('/');
      const name = element('span', 'mention-name', option.path.slice(slash + 1));
      item.append(name);
      if (slash > 0) item.append(element('span', 'mention-detail', option.path.slice(0, slash)));
      item.title = option.path;
    }
    return item;
  }

  private setActive(index: number): void {
    this.active = index;
    [...this.listbox.children].forEach((item, i) => item.setAttribute('aria-selected', String(i === index)));
    const item = this.listbox.children[index] as HTMLElement | undefined;
    if (item) {
      this.input.setAttribute('aria-activedescendant', item.id);
      item.scrollIntoView?.({ block: 'nearest' });
    } else this.input.removeAttribute('aria-activedescendant');
  }

  private accept(index: number): void {
    const option = this.options[index];
    const query = this.query;
    if (!option || !query) return;
    const value = this.input.value;
    // The whole token, also what follows the caret (`#fi|le` accepted from the middle).
    let end = query.end + (/^\S*/.exec(value.slice(query.end))?.[0].length ?? 0);
    if (option.kind === 'name' && option.name === 'file') {
      this.replace(query.start, end, '#file:');
      return; // stays open, now listing files
    }
    // One space goes with the token, so `explain #selection now` becomes `explain now`.
    if ((query.start === 0 || /\s/.test(value[query.start - 1]!)) && value[end] === ' ') end++;
    this.close();
    this.replace(query.start, end, '');
    if (option.kind === 'file') this.actions.attachPath(option.path);
    else this.actions.addContext(option.name === 'selection' ? 'selection' : 'workspaceProblems');
  }

  /**
   * Replaces text as typing would: through `insertText` where the browser has it, so Undo brings the
   * typed token back; otherwise by setting the value. Either way an `input` event follows, which
   * saves the draft and updates this popup.
   */
  private replace(start: number, end: number, text: string): void {
    const value = this.input.value;
    const expected = value.slice(0, start) + text + value.slice(end);
    this.input.setSelectionRange(start, end);
    if (document.activeElement === this.input && typeof document.execCommand === 'function' && document.execCommand('insertText', false, text)) {
      if (this.input.value === expected) return;
    }
    this.input.value = expected;
    this.input.setSelectionRange(start + text.length, start + text.length);
    // The element's own window's Event (the same one in a webview; not Node's beside jsdom in tests).
    const view = this.input.ownerDocument.defaultView;
    this.input.dispatchEvent(new (view?.Event ?? Event)('input', { bubbles: true }));
  }
}

function sameOption(a: Option, b: Option): boolean {
  return a.kind === 'name' ? b.kind === 'name' && a.name === b.name : b.kind === 'file' && a.path === b.path;
}
