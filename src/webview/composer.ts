import type { ToolsState } from '../protocol/agent-messages';
import { ComposerContext } from './context/composer-context';
import { button, element, epochNow } from './dom';
import { strings } from './strings';
import type { HostConnection } from './vscode-api';

/**
 * The prompt box. Enter sends, Shift+Enter is a new line, and Enter never sends while an input
 * method is composing (Japanese input confirms a conversion with Enter). Up in an empty box edits
 * the last prompt; Enter then resends it in place of the original, Escape cancels.
 */
export class Composer {
  readonly element: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly editNote: HTMLElement;
  /** Agent mode's per-conversation switch: a toggle button (aria-pressed), beside Send. */
  private readonly toolsButton: HTMLButtonElement;
  private readonly toolsNote: HTMLElement;
  /** Attached context: chips, Add Context, `#` completion, drops (see context/). */
  readonly context: ComposerContext;
  private toolsEnabled = true;
  private editing?: { messageId: string; draft: string };
  private busy = false;
  private draftTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: HostConnection,
    /** The last prompt the user can edit, if any. */
    private readonly lastPrompt: () => { id: string; text: string } | undefined,
    /** Called before a prompt goes out: the reader wants to watch its answer arrive. */
    private readonly onSend: () => void,
  ) {
    this.element = element('footer', 'composer');
    this.input = element('textarea');
    this.input.dataset.testid = 'chat-input';
    this.input.rows = 3;
    this.input.placeholder = strings.placeholder;
    this.input.setAttribute('aria-label', strings.placeholder);
    this.input.value = host.getState()?.draft ?? '';
    this.editNote = element('div', 'edit-note', strings.editing);
    this.editNote.dataset.testid = 'edit-note';
    this.editNote.hidden = true;
    this.sendButton = button('send', strings.send, () => this.send(), { icon: 'send' });
    this.stopButton = button('stop', strings.stop, () => host.postMessage({ type: 'stop', at: epochNow() }), { icon: 'debug-stop', secondary: true });
    this.toolsButton = button('tools-toggle', strings.tool.toggle, () => this.toggleTools(), { icon: 'tools', secondary: true });
    this.toolsNote = element('span', 'tools-note');
    this.toolsNote.dataset.testid = 'tools-note';
    this.toolsNote.hidden = true;
    this.context = new ComposerContext(host, this.input);
    const actions = element('div', 'actions');
    // Add Context comes last in Tab order (the prompt box's Tab still reaches the tools switch, then
    // Send, as before it existed); CSS shows it first in the row, where peers put the paperclip.
    actions.append(this.toolsButton, this.toolsNote, this.stopButton, this.sendButton, this.context.addButton);
    this.element.append(this.editNote, ...this.context.above, this.context.inputArea, actions);

    this.input.addEventListener('keydown', (event) => this.onKey(event));
    this.input.addEventListener('input', () => this.saveDraft(true));
    this.setBusy(false);
  }

  /** A conversation was (re)loaded: show its saved draft, unless this box already holds newer text. */
  showDraft(draft: string, sessionChanged: boolean): void {
    if (this.editing) return;
    if (sessionChanged || this.input.value === '') this.input.value = draft;
    this.saveDraft(false);
  }

  /** Shows whether this conversation offers tools, and what limits them. */
  showTools(tools: ToolsState): void {
    this.toolsEnabled = tools.enabled;
    this.toolsButton.setAttribute('aria-pressed', String(tools.enabled));
    this.toolsButton.dataset.enabled = String(tools.enabled);
    this.toolsButton.title = tools.enabled ? strings.tool.toggleOn : strings.tool.toggleOff;
    const note = !tools.enabled ? undefined : tools.limit === 'untrusted' ? strings.tool.untrusted : tools.limit === 'unsupported' ? strings.tool.unsupported : undefined;
    this.toolsNote.hidden = note === undefined;
    this.toolsNote.textContent = note ?? '';
    if (tools.limit) this.toolsNote.dataset.limit = tools.limit;
    else delete this.toolsNote.dataset.limit;
  }

  private toggleTools(): void {
    // Shown at once; the host confirms with a `tools` message (and decides what the limits are).
    this.showTools({ enabled: !this.toolsEnabled });
    this.host.postMessage({ type: 'setTools', enabled: this.toolsEnabled });
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.sendButton.disabled = busy;
    this.stopButton.hidden = !busy;
  }

  /** Puts the last prompt in the box for editing. */
  editLast(): boolean {
    const last = this.lastPrompt();
    if (!last || this.busy) return false;
    this.editing = { messageId: last.id, draft: this.input.value };
    this.input.value = last.text;
    this.editNote.hidden = false;
    this.input.focus();
    return true;
  }

  private onKey(event: KeyboardEvent): void {
    if (this.context.onKey(event)) return; // the `#` popup's keys, Backspace on a chip
    const composing = event.isComposing || event.keyCode === 229;
    if (event.key === 'Enter' && !event.shiftKey && !composing) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'ArrowUp' && !composing && this.input.value === '' && this.editLast()) {
      event.preventDefault();
    } else if (event.key === 'Escape' && this.editing) {
      event.preventDefault();
      event.stopPropagation(); // cancels the edit; it must not also stop a stream
      this.cancelEdit();
    }
  }

  private send(): void {
    const text = this.input.value;
    if (this.busy || text.trim() === '') return;
    this.onSend();
    const at = epochNow();
    if (this.editing) this.host.postMessage({ type: 'resend', messageId: this.editing.messageId, text, at });
    else this.host.postMessage({ type: 'send', text, at });
    this.editing = undefined;
    this.editNote.hidden = true;
    this.input.value = '';
    clearTimeout(this.draftTimer); // the host clears the saved draft when the prompt arrives
    this.saveDraft(false);
  }

  private cancelEdit(): void {
    this.input.value = this.editing?.draft ?? '';
    this.editing = undefined;
    this.editNote.hidden = true;
    this.saveDraft(true);
  }

  /**
   * Keeps the draft in the webview's state (instant, survives the view being hidden) and with the
   * conversation on the host (survives a reload, when the webview's state may be stale).
   */
  private saveDraft(toHost: boolean): void {
    this.host.setState({ ...(this.host.getState() ?? { draft: '' }), draft: this.input.value });
    if (!toHost) return;
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.host.postMessage({ type: 'draft', text: this.input.value }), 300);
  }
}
