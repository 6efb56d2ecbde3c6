import type { ChatEnvironment, ChatMessageView, ChatSnapshot, ToWebviewMessage } from '../protocol/messages';
import { MessageView } from './message-view';
import { strings } from './strings';
import type { HostConnection } from './vscode-api';

/**
 * The chat webview: a header saying where answers come from, the message log and the composer.
 * It mirrors the host's transcript: a snapshot rebuilds it, numbered deltas extend it, and a gap
 * in the numbering asks the host for a fresh snapshot instead of guessing.
 */
export class ChatApp {
  private readonly header: HTMLElement;
  private readonly log: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly views = new Map<string, MessageView>();
  private lastSeq = -1;
  private busy = false;
  /** Whether the reader is at the bottom of the log; only then does new text scroll it. */
  private pinned = true;

  constructor(
    root: HTMLElement,
    private readonly host: HostConnection,
  ) {
    this.header = element('header', 'environment');
    this.header.dataset.testid = 'environment';
    this.log = element('main', 'log');
    this.log.setAttribute('role', 'log');
    this.log.setAttribute('aria-live', 'polite');
    this.log.dataset.testid = 'messages';

    this.input = document.createElement('textarea');
    this.input.dataset.testid = 'chat-input';
    this.input.rows = 3;
    this.input.placeholder = strings.placeholder;
    this.input.setAttribute('aria-label', strings.placeholder);
    this.input.value = host.getState()?.draft ?? '';
    this.sendButton = button('send', strings.send, () => this.send());
    this.stopButton = button('stop', strings.stop, () => this.host.postMessage({ type: 'stop' }));

    const composer = element('footer', 'composer');
    const actions = element('div', 'actions');
    actions.append(this.stopButton, this.sendButton);
    composer.append(this.input, actions);
    root.append(this.header, this.log, composer);

    this.input.addEventListener('keydown', (event) => {
      // While an IME is composing (Japanese input), Enter confirms the conversion: never send then.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.send();
      }
    });
    // Escape stops the answer that is streaming, wherever focus is in the chat.
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.busy) {
        event.preventDefault();
        this.host.postMessage({ type: 'stop' });
      }
    });
    this.log.addEventListener('scroll', () => {
      this.pinned = this.log.scrollHeight - this.log.clientHeight - this.log.scrollTop < 40;
    });
    this.input.addEventListener('input', () => this.host.setState({ draft: this.input.value }));
    this.setBusy(false);
  }

  start(): void {
    window.addEventListener('message', (event: MessageEvent<ToWebviewMessage>) => this.receive(event.data));
    this.host.postMessage({ type: 'ready' });
  }

  private receive(message: ToWebviewMessage): void {
    if (message.type === 'snapshot') {
      this.lastSeq = message.seq;
      this.showSnapshot(message.snapshot);
      return;
    }
    if (message.seq !== this.lastSeq + 1) {
      // A message was lost (posted while the view was hidden): rebuild from the host's transcript.
      this.host.postMessage({ type: 'ready' });
      return;
    }
    this.lastSeq = message.seq;
    switch (message.type) {
      case 'messageAdded':
        this.add(message.message);
        if (message.message.state === 'streaming') this.setBusy(true);
        break;
      case 'textAppended':
        this.views.get(message.messageId)?.append(message.text);
        break;
      case 'reasoningAppended':
        this.views.get(message.messageId)?.appendReasoning(message.text);
        break;
      case 'progress':
        this.views.get(message.messageId)?.setProgress(message.progress);
        break;
      case 'messageFinished':
        this.views.get(message.message.id)?.finish(message.message);
        this.setBusy(message.message.state === 'streaming');
        this.followIfPinned();
        break;
      case 'environment':
        this.showEnvironment(message.environment);
        break;
    }
  }

  private showSnapshot(snapshot: ChatSnapshot): void {
    this.views.clear();
    this.log.replaceChildren();
    for (const message of snapshot.messages) this.add(message);
    this.showEnvironment(snapshot.environment);
    this.setBusy(snapshot.busy);
  }

  private showEnvironment(environment: ChatEnvironment): void {
    this.header.replaceChildren();
    const model = element('span', 'model');
    model.textContent = `${environment.providerLabel} · ${environment.model}`;
    this.header.append(model);
    this.header.dataset.demo = String(environment.demo);
    if (environment.demo) {
      const banner = element('div', 'demo-banner');
      banner.dataset.testid = 'demo-banner';
      banner.textContent = strings.demoBanner;
      this.header.append(banner);
    }
  }

  private add(message: ChatMessageView): void {
    const view = new MessageView(
      message,
      () => this.followIfPinned(),
      (messageId, action) => this.host.postMessage({ type: 'action', messageId, action }),
    );
    this.views.set(message.id, view);
    this.log.append(view.element);
    this.followIfPinned();
  }

  private send(): void {
    const text = this.input.value;
    if (this.busy || text.trim() === '') return;
    this.pinned = true; // Whoever sends wants to watch the answer arrive.
    this.host.postMessage({ type: 'send', text });
    this.input.value = '';
    this.host.setState({ draft: '' });
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.sendButton.disabled = busy;
    this.stopButton.hidden = !busy;
  }

  private followIfPinned(): void {
    if (this.pinned) this.log.scrollTop = this.log.scrollHeight;
  }
}

function element(tag: string, className: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  return el;
}

function button(testId: string, label: string, onClick: () => void): HTMLButtonElement {
  const el = document.createElement('button');
  el.type = 'button';
  el.dataset.testid = testId;
  el.textContent = label;
  el.addEventListener('click', onClick);
  return el;
}
