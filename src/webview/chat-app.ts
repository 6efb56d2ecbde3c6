import type { ChatEnvironment, ChatMessageView, ChatSnapshot, ToWebviewMessage } from '../protocol/messages';
import { Announcer } from './announcer';
import { Composer } from './composer';
import { FileLinks } from './context/file-links';
import { button, element, epochNow } from './dom';
import { MessageList } from './list/message-list';
import type { MessageHost } from './message-view';
import { SessionBar } from './session-bar';
import { PaintReports } from './paint-reports';
import { Smoothing } from './smoothing';
import { strings } from './strings';
import type { HostConnection } from './vscode-api';

/**
 * The chat webview: where answers come from, the session bar, the message log and the composer.
 * It mirrors the host's transcript: a snapshot rebuilds it, numbered deltas extend it, and a gap
 * in the numbering asks the host for a fresh snapshot instead of guessing.
 */
export class ChatApp {
  private readonly header: HTMLElement;
  private readonly sessionBar: SessionBar;
  private readonly log: HTMLElement;
  private readonly jump: HTMLButtonElement;
  private readonly composer: Composer;
  private readonly announcer = new Announcer();
  /** The messages: the newest page first, older pages on demand, windowed (list/message-list.ts). */
  private readonly list: MessageList;
  /** Links and mentions of workspace files in answers, and what the host said of them. */
  private readonly fileLinks: FileLinks;
  /** `rill.render.smoothing`: bursts of text revealed over at most 100 ms. */
  private readonly paints = new PaintReports((message) => this.host.postMessage(message));
  private readonly smoothing = new Smoothing((messageId, text) => this.list.get(messageId)?.append(text));
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
    this.sessionBar = new SessionBar(host);
    // A <main> may not take another role: the log is a div inside the main landmark.
    this.log = element('div', 'log');
    this.log.setAttribute('role', 'log');
    this.log.setAttribute('aria-label', strings.messages);
    this.log.dataset.testid = 'messages';
    this.list = new MessageList(this.log, this.messageHost, (beforeId) => this.host.postMessage({ type: 'loadOlder', beforeId }));
    this.fileLinks = new FileLinks((refs) => this.host.postMessage({ type: 'resolveFileRefs', refs }), this.log);
    this.jump = button('jump-to-latest', strings.jumpToLatest, () => this.scrollToEnd(), { icon: 'arrow-down', secondary: true });
    this.jump.classList.add('jump');
    this.jump.hidden = true;
    this.composer = new Composer(host, () => this.lastPrompt(), () => (this.pinned = true));
    const logArea = element('main', 'log-area');
    logArea.append(this.log, this.jump);
    root.append(this.sessionBar.element, this.header, logArea, this.composer.element, this.announcer.element);
    this.composer.context.acceptDrops(root);

    // Escape stops the answer that is streaming, wherever focus is in the chat.
    window.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.busy && !event.defaultPrevented) {
        event.preventDefault();
        this.host.postMessage({ type: 'stop', at: epochNow() });
      }
    });
    this.log.addEventListener('scroll', () => {
      this.pinned = this.log.scrollHeight - this.log.clientHeight - this.log.scrollTop < 40;
      if (this.pinned) this.jump.hidden = true;
    });
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
        this.smoothing.append(message.messageId, message.text);
        break;
      case 'reasoningAppended':
        this.list.get(message.messageId)?.appendReasoning(message.text);
        break;
      case 'progress':
        this.list.get(message.messageId)?.setProgress(message.progress);
        break;
      case 'olderMessages':
        this.list.prepend(message.beforeId, message.messages, message.olderCount);
        break;
      case 'messageFinished':
        // The final copy holds whatever the smoothing had not shown yet: a finished answer is never delayed.
        this.smoothing.drop(message.message.id);
        this.list.get(message.message.id)?.finish(message.message);
        this.setBusy(message.message.state === 'streaming');
        this.markLast();
        this.followIfPinned();
        break;
      case 'environment':
        this.showEnvironment(message.environment);
        break;
      case 'sessions':
        this.sessionBar.show(message.current, message.sessions);
        this.remember(message.current.id);
        break;
      case 'toggleHistory':
        this.sessionBar.toggle();
        break;
      case 'agentEvent':
        // A step goes after the text before it: that text is shown first.
        this.smoothing.flush(message.messageId);
        this.list.get(message.messageId)?.agentEvent(message.event);
        break;
      case 'sessionUpdated':
        this.sessionBar.updated(message.summary);
        break;
      case 'sessionRemoved':
        this.sessionBar.removed(message.id);
        break;
      case 'sessionSearchResults':
        this.sessionBar.searchResults(message.query, message.ids);
        break;
      case 'stepPreview':
        this.list.get(message.messageId)?.showPreview(message.stepId, message.preview);
        break;
      case 'tools':
        this.composer.showTools(message.tools);
        break;
      case 'fileRefs':
        this.fileLinks.resolved(message.refs);
        break;
      case 'context':
        this.composer.context.show(message.attachments);
        break;
      case 'contextNotice':
        this.composer.context.showNotice(message.message);
        break;
      case 'fileSuggestions':
        this.composer.context.showFiles(message.query, message.files);
        break;
      case 'focusComposer':
        // A command attached something from an editor: the next thing to do is to type the question.
        this.composer.input.focus();
        break;
    }
  }

  private showSnapshot(snapshot: ChatSnapshot): void {
    const sessionChanged = this.host.getState()?.sessionId !== snapshot.session.id;
    this.fileLinks.forgetWaiting();
    this.smoothing.clear();
    this.list.reset(snapshot.messages, snapshot.olderCount ?? 0);
    this.showEnvironment(snapshot.environment);
    this.sessionBar.show(snapshot.session, snapshot.sessions);
    this.composer.showDraft(snapshot.draft, sessionChanged);
    this.composer.showTools(snapshot.tools);
    this.composer.context.show(snapshot.context ?? []);
    this.remember(snapshot.session.id);
    this.setBusy(snapshot.busy);
    this.markLast();
    this.scrollToEnd();
  }

  private remember(sessionId: string): void {
    this.host.setState({ ...(this.host.getState() ?? { draft: '' }), sessionId });
  }

  private showEnvironment(environment: ChatEnvironment): void {
    this.smoothing.setEnabled(environment.smoothing === true);
    this.header.replaceChildren(element('span', 'model', `${environment.providerLabel} · ${environment.model}`));
    this.header.dataset.demo = String(environment.demo);
    if (environment.demo) {
      const banner = element('div', 'demo-banner', strings.demoBanner);
      banner.dataset.testid = 'demo-banner';
      this.header.append(banner);
    }
  }

  private add(message: ChatMessageView): void {
    this.list.add(message);
    this.markLast();
    this.followIfPinned();
  }

  private readonly messageHost: MessageHost = {
    rendered: () => this.followIfPinned(),
    announce: (text) => this.announcer.say(text),
    action: (messageId, action) => this.host.postMessage({ type: 'action', messageId, action }),
    copy: (text) => this.host.postMessage({ type: 'copy', text }),
    regenerate: (messageId) => this.host.postMessage({ type: 'regenerate', messageId }),
    edit: () => this.composer.editLast(),
    insertCode: (code) => this.host.postMessage({ type: 'insertCode', code }),
    openCode: (code, language) => this.host.postMessage({ type: 'openCode', code, language }),
    painted: (messageId, which) => {
      // The paints while it streamed go first: the last paint closes the answer's timeline.
      if (which === 'last') this.paints.flush(messageId);
      this.host.postMessage({ type: 'painted', messageId, which, at: epochNow() });
    },
    paint: (messageId, chars) => this.paints.record(messageId, chars),
    showDiagram: (messageId) => this.host.postMessage({ type: 'showDiagram', messageId }),
    // Links in answers never navigate the webview: the host opens them after checking the scheme.
    openLink: (url) => this.host.postMessage({ type: 'openLink', url }),
    approve: (messageId, stepId, choice) => this.host.postMessage({ type: 'toolApproval', messageId, stepId, choice }),
    openDiff: (messageId, stepId) => this.host.postMessage({ type: 'openDiff', messageId, stepId }),
    openFile: (path, line) => this.host.postMessage({ type: 'openFile', path, line }),
    applyCode: (code, path) => this.host.postMessage({ type: 'applyCode', code, path }),
    linkFileRefs: (nodes) => this.fileLinks.link(nodes),
  };

  /** Only the last answer can be regenerated, and only the last prompt edited. */
  private markLast(): void {
    const views = this.list.views();
    const lastPrompt = this.lastPrompt()?.id;
    views.forEach((view, i) => view.setLast(view.role === 'user' ? view.id === lastPrompt : i === views.length - 1));
  }

  private lastPrompt(): { id: string; text: string } | undefined {
    const prompt = this.list.views().reverse().find((view) => view.role === 'user');
    return prompt ? { id: prompt.id, text: prompt.text } : undefined;
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.composer.setBusy(busy);
  }

  private followIfPinned(): void {
    if (this.pinned) this.log.scrollTop = this.log.scrollHeight;
    else this.jump.hidden = false;
  }

  private scrollToEnd(): void {
    this.pinned = true;
    this.jump.hidden = true;
    this.log.scrollTop = this.log.scrollHeight;
  }
}
