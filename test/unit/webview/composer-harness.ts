import type { AttachmentView } from '../../../src/protocol/context-messages';
import type { ChatMessageView, FromWebviewMessage, ToWebviewMessage, ToWebviewPayload } from '../../../src/protocol/messages';
import { installDom, type FakeWebview } from './dom';

const environment = { demo: false, providerLabel: 'openai-compatible', model: 'm' };
const session = { id: 's1', title: 'Context chat', createdAt: 0, updatedAt: 0, messageCount: 0 };

export const file: AttachmentView = { id: 'a1', kind: 'file', path: 'src/util/a.ts' };
export const selection: AttachmentView = { id: 'a2', kind: 'selection', path: 'src/b.ts', startLine: 10, endLine: 20 };
export const problems: AttachmentView = { id: 'a3', kind: 'problems' };
export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The whole chat app on a fake host, for the composer's context tests; call inside a `describe`
 * (it adds the beforeEach that builds the app and the afterEach that closes the page).
 */
export function composerHarness() {
  let env!: FakeWebview;
  let seq = 0;
  const h = {
    get env() {
      return env;
    },
    snapshot(context?: AttachmentView[], messages: ChatMessageView[] = []) {
      env.deliver({ type: 'snapshot', seq: (seq = 0), snapshot: { session, sessions: [session], messages, environment, busy: false, draft: '', tools: { enabled: true }, context } });
    },
    deliver: (message: ToWebviewPayload) => env.deliver({ ...message, seq: ++seq } as ToWebviewMessage),
    q: (sel: string) => env.root.querySelector(sel) as HTMLElement,
    all: (sel: string) => [...env.root.querySelectorAll<HTMLElement>(sel)],
    input: () => h.q('[data-testid="chat-input"]') as HTMLTextAreaElement,
    popup: () => h.q('[data-testid="mention-popup"]'),
    options: () => h.all('[data-testid="mention-option"]').map((o) => o.dataset.value),
    posted: (type: FromWebviewMessage['type']) => env.host.posted.filter((m) => m.type === type),
    last: () => env.host.posted.at(-1),
    /** Types as a user does: the text, the caret at `caret` (the end by default), an input event. */
    type(text: string, caret = text.length) {
      const box = h.input();
      box.focus();
      box.value = text;
      box.setSelectionRange(caret, caret);
      box.dispatchEvent(new env.window.Event('input'));
    },
    key(name: string, init: KeyboardEventInit = {}) {
      const event = new env.window.KeyboardEvent('keydown', { key: name, cancelable: true, bubbles: true, ...init });
      h.input().dispatchEvent(event);
      return event;
    },
  };
  beforeEach(async () => {
    env = installDom();
    const { ChatApp } = await import('../../../src/webview/chat-app');
    new ChatApp(env.root, env.host).start();
    h.snapshot();
  });
  afterEach(() => env.close());
  return h;
}
