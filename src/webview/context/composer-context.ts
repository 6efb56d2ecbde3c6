import type { AttachmentView } from '../../protocol/context-messages';
import type { FromWebviewMessage } from '../../protocol/messages';
import { button, element } from '../dom';
import { strings } from '../strings';
import type { HostConnection } from '../vscode-api';
import { ContextChips } from './context-chips';
import { ContextNotice } from './context-notice';
import { DropTarget } from './drop-target';
import { MentionPopup } from './mention-popup';

/**
 * The composer's share of attached context (issue 13): the chips above the prompt box, the Add
 * Context button, `#` completion, dropped files and what could not be attached. The host owns the
 * attachments; everything here shows what it sent and asks it for changes.
 */
export class ComposerContext {
  /** Above the prompt box, in this order: the notice, then the chips. */
  readonly above: HTMLElement[];
  /** The prompt box with its `#` popup, which opens above it. */
  readonly inputArea: HTMLElement;
  readonly addButton: HTMLButtonElement;
  private readonly chips: ContextChips;
  private readonly notice: ContextNotice;
  private readonly popup: MentionPopup;

  constructor(
    private readonly host: HostConnection,
    private readonly input: HTMLTextAreaElement,
  ) {
    const focusInput = () => input.focus();
    this.chips = new ContextChips((id) => {
      this.notice.clear();
      host.postMessage({ type: 'removeContext', id });
    }, focusInput);
    this.notice = new ContextNotice(focusInput);
    this.popup = new MentionPopup(input, {
      addContext: (what) => this.request({ type: 'addContext', what }),
      attachPath: (path) => this.request({ type: 'attachPaths', paths: [path] }),
      suggestFiles: (query) => host.postMessage({ type: 'suggestFiles', query }),
    });
    this.addButton = button('add-context', strings.composerContext.add, () => this.request({ type: 'addContext', what: 'menu' }), {
      icon: 'attach',
      iconOnly: true,
      secondary: true,
    });
    this.addButton.title = strings.composerContext.addTooltip;
    this.above = [this.notice.element, this.chips.element];
    this.inputArea = element('div', 'input-area');
    this.inputArea.append(this.popup.hint, this.popup.listbox, input);
  }

  /** The host's attachments for the next prompt. */
  show(attachments: AttachmentView[]): void {
    if (this.chips.show(attachments)) this.notice.chipsChanged();
  }

  showNotice(message: string): void {
    this.notice.show(message);
  }

  showFiles(query: string, files: string[]): void {
    this.popup.showFiles(query, files);
  }

  /** Files dropped anywhere on `root` (the whole chat) are attached. */
  acceptDrops(root: HTMLElement): void {
    new DropTarget(
      root,
      (paths) => this.request({ type: 'attachPaths', paths }),
      () => this.notice.show(strings.composerContext.dropUnreadable),
    );
  }

  /** A key in the prompt box, before the composer's own: returns true when it was taken here. */
  onKey(event: KeyboardEvent): boolean {
    if (this.popup.onKey(event)) return true;
    const plain = !event.isComposing && event.keyCode !== 229 && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    // Backspace in an empty prompt box takes back the last chip, as in peers' composers.
    if (event.key === 'Backspace' && plain && this.input.value === '' && this.chips.removeLast()) {
      event.preventDefault();
      return true;
    }
    return false;
  }

  private request(message: FromWebviewMessage): void {
    this.notice.requested();
    this.host.postMessage(message);
  }
}
