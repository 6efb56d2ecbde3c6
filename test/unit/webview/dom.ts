import { JSDOM } from 'jsdom';
import type { FromWebviewMessage, ToWebviewMessage } from '../../../src/protocol/messages';
import type { HostConnection, WebviewState } from '../../../src/webview/vscode-api';

/**
 * A fake webview environment: one jsdom window installed as the global DOM for the whole run (a
 * real webview has one window, and modules bind to it when loaded), a fresh `#app` root and fake
 * host per test. Animation frames run only when the test calls `flushFrames()`, so tests see
 * exactly when rendering happens.
 */
export interface FakeWebview {
  window: Window & typeof globalThis;
  root: HTMLElement;
  host: HostConnection & { posted: FromWebviewMessage[]; state: WebviewState | undefined };
  deliver(message: ToWebviewMessage): void;
  flushFrames(): number;
  close(): void;
}

let frames = new Map<number, FrameRequestCallback>();
let win: (Window & typeof globalThis) | undefined;

function sharedWindow(): Window & typeof globalThis {
  if (win) return win;
  const dom = new JSDOM('<!DOCTYPE html><body></body>', { pretendToBeVisual: true });
  win = dom.window as unknown as Window & typeof globalThis;
  let nextFrame = 1;
  win.requestAnimationFrame = (cb: FrameRequestCallback) => {
    frames.set(nextFrame, cb);
    return nextFrame++;
  };
  win.cancelAnimationFrame = (id: number) => void frames.delete(id);
  const g = globalThis as Record<string, unknown>;
  for (const name of ['window', 'document', 'requestAnimationFrame', 'cancelAnimationFrame', 'HTMLElement', 'Node'] as const) {
    g[name] = win[name];
  }
  // Node 22+ has a global `navigator`; beside this fake `window` and `document` the openai SDK takes
  // host-side tests in the same run for a browser and refuses to make a client. The real extension
  // host has no `window` and the real webview makes no client, so Node's navigator is hidden here.
  Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true, writable: true });
  return win;
}

export function installDom(): FakeWebview {
  const window = sharedWindow();
  frames = new Map();
  const root = window.document.createElement('div');
  root.id = 'app';
  window.document.body.replaceChildren(root);
  const listeners: Array<(event: MessageEvent) => void> = [];
  const added: Array<[string, EventListenerOrEventListenerObject]> = [];
  const addEventListener = window.addEventListener.bind(window);
  const host: FakeWebview['host'] = {
    posted: [],
    state: undefined,
    postMessage(message) {
      host.posted.push(message);
    },
    getState() {
      return host.state;
    },
    setState(state) {
      host.state = state;
    },
  };
  // Apps from earlier tests must not hear this test's events: track the listeners added now.
  window.addEventListener = ((type: string, listener: (event: MessageEvent) => void, options?: boolean | AddEventListenerOptions) => {
    if (type === 'message') listeners.push(listener);
    added.push([type, listener as EventListener]);
    addEventListener(type, listener as EventListener, options);
  }) as typeof window.addEventListener;
  return {
    window,
    root,
    host,
    deliver(message) {
      const event = new window.MessageEvent('message', { data: message });
      for (const listener of listeners) listener(event);
    },
    flushFrames() {
      const pending = frames;
      frames = new Map();
      for (const cb of pending.values()) cb(performance.now());
      return pending.size;
    },
    close() {
      window.addEventListener = addEventListener;
      for (const [type, listener] of added) window.removeEventListener(type, listener);
      window.document.body.replaceChildren();
    },
  };
}
