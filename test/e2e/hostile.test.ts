import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Frame, Page, Request } from 'playwright-core';
import { chatStream, startLlmServer, type LlmServer } from '../../src/local-llm';
import { answers, answerText, auditExpression, CANARY_HOST, corpus, countByCategory, isInternalUrl, LEAK, prng, randomChunks } from './hostile-corpus';
import { openWorkbench, type Workbench } from './support/workbench';

/**
 * Hostile model output in the real webview: every payload of test/e2e/hostile-corpus.ts streamed as
 * answers, split at random (several seeds), while three things are watched:
 * - a canary function defined in every frame (a payload that runs calls it), window messages and
 *   native dialogs, and CSP violations on live elements;
 * - every request the browser makes (pages, frames, workers): only loopback and the webview's own
 *   resources may appear;
 * - the DOM after each answer: no script, handler, script URL, loading media or frames.
 * Then every rendered link is clicked, and forged messages are posted to the host over the
 * webview's real bridge.
 */

const SEEDS = [0x5eed0001, 0x5eed0002, 0x5eed0003];
const ANSWERS = '[data-testid="message"][data-role="assistant"]';
const artifacts = join(__dirname, '..', '..', 'test-results', 'e2e');
const IGNORED = 'Ignored a message from the webview that is not part of the protocol.';
const REFUSED = 'Refused to open a link with a scheme other than http, https or mailto.';

/**
 * Runs in every frame before its own scripts (webview iframes included). The webview writes its
 * document with document.open(), which keeps the window (and so `__rillCanary`) but drops event
 * listeners: they are attached again whenever a new document element appears.
 */
const CANARY_INIT = `(() => {
  if (window.__rillCanaryInstalled) return;
  window.__rillCanaryInstalled = true;
  const hits = [];
  window.__rillCanaryHits = hits;
  const report = (line) => {
    line = line + ' @ ' + location.href.slice(0, 160);
    hits.push(line);
    try { console.log('__RILL_CANARY__ ' + line); } catch (e) {}
    try { if (typeof window.__rillCanaryReport === 'function') window.__rillCanaryReport(line); } catch (e) {}
  };
  Object.defineProperty(window, '__rillCanary', { value: (id) => report('ran: ' + String(id)), configurable: false, writable: false });
  const watched = new WeakSet();
  const attach = () => {
    const root = document.documentElement;
    if (!root || watched.has(root)) return;
    watched.add(root);
    window.addEventListener('message', (event) => {
      const data = event.data;
      if (data && typeof data === 'object' && 'rillCanary' in data) report('posted: ' + String(data.rillCanary));
    });
    document.addEventListener('securitypolicyviolation', (event) => {
      const target = event.target;
      const element = target && target.nodeType === 1 ? target : null;
      // DOMPurify parses in an inert document, and Chromium reports the handlers it meets there
      // (later, at the element, which may by then be sanitised and adopted): only a handler still
      // on the element, a live script element, or a blocked load is something that got through.
      const handler = element && Array.from(element.attributes).some((a) => /^on/i.test(a.name));
      const script = element && element.localName === 'script' && element.isConnected;
      let host = '';
      try { host = new URL(event.blockedURI).hostname; } catch (e) {}
      const remote = host !== '' && host !== '127.0.0.1' && host !== 'localhost' && !host.endsWith('.vscode-resource.vscode-cdn.net');
      // Chromium checks a <track default src> against the CSP (and reports it at the document)
      // even in DOMParser's inert document, where it never fetches: that report is no load.
      // (A live media element with such a source is caught by the DOM audit instead.)
      const parsedTrack = !element && event.violatedDirective === 'media-src';
      if (handler || script || (remote && !parsedTrack)) report('csp blocked ' + event.violatedDirective + ' ' + (event.blockedURI || '') + ' ' + (element ? element.outerHTML.slice(0, 160) : ''));
    }, true);
  };
  attach();
  document.addEventListener('readystatechange', attach);
  setInterval(attach, 50);
})();`;

interface Seen {
  url: string;
  from: string;
  failure?: string;
}

/** Everything the browser did that model output must never cause. */
class Monitor {
  canary: string[] = [];
  requests: Seen[] = [];
  popups: string[] = [];
  dialogs: string[] = [];
  navigations: string[] = [];
  /** Every non-internal URL requested during the run (never cleared). */
  everRequested: string[] = [];
  private readonly seen = new WeakSet<Request>();

  async install(page: Page, context: BrowserContext): Promise<void> {
    await page.exposeBinding('__rillCanaryReport', (_source, line: string) => void this.canary.push(line));
    await page.addInitScript({ content: CANARY_INIT });
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith('__RILL_CANARY__ ') && !this.canary.includes(text.slice(16))) this.canary.push(text.slice(16));
    });
    const onRequest = (request: Request): void => {
      if (this.seen.has(request)) return;
      this.seen.add(request);
      if (isInternalUrl(request.url())) return;
      let from = request.serviceWorker() ? 'service worker' : 'unknown frame';
      try {
        from = request.frame().url().slice(0, 120) || 'about:blank';
      } catch {
        if (request.isNavigationRequest()) from = 'navigation of a new window';
      }
      this.requests.push({ url: request.url(), from });
      this.everRequested.push(request.url());
    };
    context.on('request', onRequest);
    page.on('request', onRequest);
    context.on('requestfailed', (request) => {
      const entry = this.requests.find((r) => r.url === request.url() && r.failure === undefined);
      if (entry) entry.failure = request.failure()?.errorText ?? 'failed';
    });
    context.on('page', (popup) => {
      this.popups.push(popup.url() || 'about:blank');
      popup.on('framenavigated', (frame) => {
        if (frame === popup.mainFrame()) this.popups.push(`  navigated to ${frame.url()}`);
      });
      // A new window is already a failure; keep it from loading further.
      setTimeout(() => void popup.close().catch(() => undefined), 200);
    });
    page.on('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame() && !isInternalUrl(frame.url())) this.navigations.push(frame.url());
    });
  }

  /** Lines describing everything observed since the last `clear()`. */
  problems(): string[] {
    return [
      ...this.canary.map((line) => `canary: ${line}`),
      ...this.requests.map((r) => `request left loopback: ${r.url} (from ${r.from})${r.failure ? ` [${r.failure}${/csp/i.test(r.failure) ? ': stopped by the CSP, never sent' : ''}]` : ''}`),
      ...this.popups.map((p) => `new window: ${p}`),
      ...this.dialogs.map((d) => `native dialog: ${d}`),
      ...this.navigations.map((n) => `a frame navigated to ${n}`),
    ];
  }

  clear(): void {
    this.canary = [];
    this.requests = [];
    this.popups = [];
    this.dialogs = [];
    this.navigations = [];
  }
}

async function answerCount(frame: Frame): Promise<number> {
  return frame.$$eval(ANSWERS, (els) => els.length);
}

async function send(frame: Frame, prompt: string): Promise<number> {
  const n = await answerCount(frame);
  const input = await frame.waitForSelector('[data-testid="chat-input"]');
  await input.fill(prompt);
  await input.press('Enter');
  return n;
}

async function waitForAnswer(frame: Frame, n: number, state: string, timeout = 60_000): Promise<void> {
  await frame.waitForFunction(
    ([selector, i, wanted]) => document.querySelectorAll(selector)[i]?.getAttribute('data-state') === wanted,
    [ANSWERS, n, state] as const,
    { timeout },
  );
}

/** Waits until the message log has not changed for `quietMs` (highlighting and diagrams come late). */
async function settle(frame: Frame, quietMs = 400, maxMs = 10_000): Promise<void> {
  await frame.evaluate(
    ([quiet, max]) =>
      new Promise<void>((resolve) => {
        // No named inner functions here: see auditExpression.
        const log = document.querySelector('[data-testid="messages"]') ?? document.body;
        const start = Date.now();
        let last = start;
        const observer = new MutationObserver(() => (last = Date.now()));
        observer.observe(log, { subtree: true, childList: true, attributes: true, characterData: true });
        const tick = setInterval(() => {
          if (Date.now() - last < quiet && Date.now() - start < max) return;
          clearInterval(tick);
          observer.disconnect();
          resolve();
        }, 50);
      }),
    [quietMs, maxMs] as const,
  );
}

/**
 * The whole webview document, beyond the answers: only the app's own two scripts, no frames, no
 * base, no refresh, no handler anywhere, and no resource loaded from outside.
 */
async function auditDocument(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const problems: string[] = [];
    for (const script of Array.from(document.querySelectorAll('script'))) {
      // Rill's strings and bundle, and the API script VS Code puts into every webview.
      const own =
        (script.id === 'rill-l10n' && script.type === 'application/json') ||
        (script.nonce && /\.vscode-resource\.vscode-cdn\.net\/.*\/extensions\/rill\.rill-[^/]+\/dist\/[\w./-]+\.m?js$/.test(decodeURIComponent(script.src))) ||
        (script.id === '_vscodeApiScript' && !script.src);
      if (!own) problems.push(`unexpected script: ${script.outerHTML.slice(0, 160)}`);
    }
    for (const el of Array.from(document.querySelectorAll('iframe, frame, object, embed, base, meta[http-equiv="refresh" i], form'))) {
      problems.push(`unexpected element in the webview: ${el.outerHTML.slice(0, 160)}`);
    }
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (attr.name.toLowerCase().startsWith('on')) problems.push(`handler attribute ${attr.name} on <${el.localName}>`);
      }
    }
    for (const entry of performance.getEntriesByType('resource')) {
      const url = entry.name;
      if (!/^(https?:\/\/(127\.0\.0\.1|localhost)[:/]|https:\/\/[^/]+\.vscode-resource\.vscode-cdn\.net\/|data:|blob:)/i.test(url)) {
        problems.push(`resource loaded from outside: ${url}`);
      }
    }
    // Each answer reports only what it loaded.
    performance.clearResourceTimings();
    // Hits themselves reach the monitor through its binding; here only that the canary is in place.
    if (typeof (window as unknown as { __rillCanary?: unknown }).__rillCanary !== 'function') problems.push('the canary is missing from the webview');
    return problems;
  });
}

/** The temporary folder of the workbench, from where the webview loads the installed extension. */
async function dataDirOf(frame: Frame): Promise<string> {
  const src = await frame.$eval('script[nonce]', (s) => (s as HTMLScriptElement).src);
  const path = decodeURIComponent(new URL(src).pathname);
  const at = path.indexOf('/extensions/');
  if (at < 0) throw new Error(`cannot tell the workbench's folder from ${src}`);
  return path.slice(0, at);
}

function findFiles(dir: string, test: (file: string) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) findFiles(file, test, out);
    else if (test(file)) out.push(file);
  }
  return out;
}

/** Lines of Rill's output channel, from its log file(s) under the workbench's user data. */
function rillLog(dataDir: string): string[] {
  const files = findFiles(join(dataDir, 'user-data', 'logs'), (f) => /[/\\]rill\.rill[/\\][^/\\]*\.log$/.test(f));
  return files.flatMap((f) => readFileSync(f, 'utf8').split('\n'));
}

async function waitForLogCount(dataDir: string, line: string, count: number, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = rillLog(dataDir).filter((l) => l.includes(line)).length;
    if (now >= count || Date.now() > deadline) return now;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Posts `messages` to the extension host exactly as the webview's own `acquireVsCodeApi().postMessage`
 * does: through `__vscode_post_message__('onmessage', { message })` on the webview's outer frame.
 * VS Code's API script overwrites `window.parent` and `window.top` in the content frame, but any
 * script there gets the real parent back through a fresh iframe's `parent` getter, which is what a
 * payload that ran would do.
 */
async function forge(
  frame: Frame,
  messages: unknown[],
  huge: Array<{ template: Record<string, unknown>; field: string; length: number }> = [],
  json: string[] = [],
): Promise<string> {
  return frame.evaluate(
    ([list, big, texts]) => {
      const helper = document.createElement('iframe');
      helper.style.display = 'none';
      document.body.append(helper);
      const getter = Object.getOwnPropertyDescriptor(helper.contentWindow, 'parent')?.get;
      const outer = getter?.call(window) as (Window & { __vscode_post_message__?: (channel: string, data: unknown) => void }) | undefined;
      helper.remove();
      const post = outer?.__vscode_post_message__;
      if (!outer || outer === window || typeof post !== 'function') return 'no bridge';
      for (const message of list) post('onmessage', { message });
      for (const { template, field, length } of big) post('onmessage', { message: { ...template, [field]: 'x'.repeat(length) } });
      for (const text of texts) post('onmessage', { message: JSON.parse(text) });
      return 'posted';
    },
    [messages, huge, json] as const,
  );
}

interface WorkbenchState {
  terminals: number;
  tabs: string[];
  toasts: string[];
  dialogs: string[];
  quickInput: boolean;
}

/**
 * Records what the app itself posts over the bridge: the webview's outer frame hands each message
 * to a MessagePort, whose prototype is wrapped here (in that frame only).
 */
async function recordBridge(frame: Frame): Promise<void> {
  const outer = frame.parentFrame();
  if (!outer) throw new Error('the chat frame has no parent frame');
  await outer.evaluate(() => {
    const w = window as unknown as { __rillBridgeLog?: unknown[] };
    if (w.__rillBridgeLog) return;
    const log: unknown[] = [];
    w.__rillBridgeLog = log;
    const original = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (this: MessagePort, ...args: Parameters<MessagePort['postMessage']>) {
      const data = args[0] as { channel?: string; data?: { message?: unknown } } | undefined;
      if (data?.channel === 'onmessage') log.push(data.data?.message);
      return original.apply(this, args);
    } as MessagePort['postMessage'];
  });
}

async function bridgeLog(frame: Frame): Promise<unknown[]> {
  return (await frame.parentFrame()?.evaluate(() => (window as unknown as { __rillBridgeLog?: unknown[] }).__rillBridgeLog ?? [])) ?? [];
}

/** What appeared between two states (toasts may also go away on their own). */
function appeared(before: WorkbenchState, after: WorkbenchState): string[] {
  const out: string[] = [];
  if (after.terminals > before.terminals) out.push(`${after.terminals - before.terminals} terminal(s) opened`);
  for (const tab of after.tabs) if (!before.tabs.includes(tab)) out.push(`editor opened: ${tab}`);
  for (const toast of after.toasts) if (!before.toasts.includes(toast)) out.push(`notification: ${toast}`);
  for (const dialog of after.dialogs) if (!before.dialogs.includes(dialog)) out.push(`dialog: ${dialog}`);
  if (after.quickInput && !before.quickInput) out.push('a quick input opened');
  return out;
}

/** What the workbench shows that a forged message could have caused. */
async function workbenchState(page: Page): Promise<WorkbenchState> {
  return page.evaluate(() => ({
    terminals: document.querySelectorAll('.xterm, .terminal-wrapper').length,
    tabs: Array.from(document.querySelectorAll('.tabs-container .tab')).map((t) => t.getAttribute('aria-label') ?? t.textContent ?? ''),
    toasts: Array.from(document.querySelectorAll('.notification-toast .notification-list-item-message'))
      .filter((t) => (t as HTMLElement).offsetParent !== null)
      .map((t) => t.textContent ?? ''),
    dialogs: Array.from(document.querySelectorAll('.monaco-dialog-box')).map((d) => (d.textContent ?? '').slice(0, 200)),
    quickInput: Array.from(document.querySelectorAll('.quick-input-widget')).some((w) => (w as HTMLElement).style.display !== 'none' && (w as HTMLElement).offsetParent !== null),
  }));
}

describe('hostile model output in the real webview', function () {
  this.timeout(600_000);
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;
  let page: Page;
  let dataDir: string;
  const monitor = new Monitor();
  const started = Date.now();

  before(async function () {
    mkdirSync(artifacts, { recursive: true });
    server = await startLlmServer();
    workbench = await openWorkbench({
      settings: { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-e2e' },
      // The workbench asks its extension gallery (open-vsx.org) for updates on its own: point it at
      // a closed loopback port so that every request that leaves the machine is one to look at.
      env: { EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }) },
    });
    page = workbench.page;
    await monitor.install(page, page.context());
    await workbench.runCommand('Rill: Open Chat');
    chat = await workbench.webviewFrame('[data-testid="chat-input"]');
    dataDir = await dataDirOf(chat);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await workbench?.screenshot(join(artifacts, `hostile-failed-${name}.png`)).catch(() => undefined);
    }
  });

  after(async function () {
    console.log(`      hostile corpus: ${corpus.length} payloads ${JSON.stringify(countByCategory())}, seeds ${SEEDS.map((s) => s.toString(16)).join(', ')}, ${Math.round((Date.now() - started) / 1000)} s`);
    await workbench?.close();
    await server?.close();
  });

  it('the monitors see a canary call, a window message and a request to the canary host (controls)', async function () {
    assert.equal(await chat.evaluate(() => typeof (window as unknown as { __rillCanary?: unknown }).__rillCanary), 'function', 'canary in the chat frame');
    await chat.evaluate(() => {
      (window as unknown as { __rillCanary: (id: string) => void }).__rillCanary('control-call');
      window.postMessage({ rillCanary: 'control-message' }, '*');
    });
    await page.evaluate((host) => fetch(`https://${host}/control-request`).catch(() => undefined), CANARY_HOST);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (monitor.canary.length < 2 || monitor.requests.length < 1)) await new Promise((r) => setTimeout(r, 100));
    const seen = monitor.problems().join('\n');
    assert.match(seen, /ran: control-call/);
    assert.match(seen, /posted: control-message/);
    assert.match(seen, /control-request/);
    monitor.clear();
    await chat.evaluate(() => ((window as unknown as { __rillCanaryHits: string[] }).__rillCanaryHits.length = 0));
  });

  for (const seed of SEEDS) {
    it(`seed ${seed.toString(16)}: every payload streams in random chunks, and nothing runs, loads or lingers`, async function () {
      const random = prng(seed);
      const problems: string[] = [];
      const groups = answers(random);
      for (const [i, group] of groups.entries()) {
        const label = `seed ${seed.toString(16)} answer ${i + 1}/${groups.length} [${group.map((p) => p.id).join(' ')}]`;
        const text = answerText(group);
        server.enqueue(chatStream({ chunks: randomChunks(text, random), delayMs: Math.floor(random() * 3) }));
        const n = await send(chat, `Hostile answer ${i + 1}, seed ${seed.toString(16)}`);
        await waitForAnswer(chat, n, 'done');
        await settle(chat);
        const id = await chat.$$eval(ANSWERS, (els, k) => els[k]?.getAttribute('data-message-id') ?? '', n);
        const found = [
          // This answer's article (earlier ones were audited when they finished), then the page.
          ...((await chat.evaluate(auditExpression(`[data-testid="message"][data-message-id="${id}"]`))) as string[]),
          ...(await auditDocument(chat)),
          ...monitor.problems(),
        ];
        const shown = await chat.$$eval(ANSWERS, (els, k) => els[k]?.querySelector('[data-testid="message-body"]')?.textContent ?? '', n);
        if (!shown.includes(`payload ${group[0]?.id}`)) found.push(`the answer did not render (${shown.slice(0, 80)})`);
        for (const problem of found) if (!problems.some((p) => p.endsWith(`: ${problem}`))) problems.push(`${label}: ${problem}`);
        monitor.clear();
      }
      // Anything drawn late (a diagram after its answer was audited) shows in the whole log now.
      await settle(chat);
      for (const problem of [...((await chat.evaluate(auditExpression('[data-testid="messages"]'))) as string[]), ...monitor.problems()]) {
        if (!problems.some((p) => p.endsWith(`: ${problem}`))) problems.push(`seed ${seed.toString(16)}, whole log at the end: ${problem}`);
      }
      monitor.clear();
      assert.deepEqual(problems, []);
    });
  }

  it('every link and image button in the answers opens only through the host, which asks first; nothing navigates', async function () {
    monitor.clear();
    // Each distinct link, and each distinct image placeholder's "open" button (when the renderer makes them).
    const LINKS = `${ANSWERS} [data-testid="message-body"] a[href]`;
    const IMAGES = `${ANSWERS} [data-testid="message-body"] [data-testid="image-placeholder"] button`;
    const targets = await chat.evaluate(
      ([links, images]) => {
        const out: Array<{ selector: string; index: number; href: string }> = [];
        const seen = new Set<string>();
        for (const [selector, read] of [
          [links, (el: Element) => el.getAttribute('href') ?? ''],
          [images, (el: Element) => el.closest('[data-url]')?.getAttribute('data-url') ?? ''],
        ] as const) {
          document.querySelectorAll(selector).forEach((el, index) => {
            const href = read(el);
            if (!seen.has(href)) {
              seen.add(href);
              out.push({ selector, index, href });
            }
          });
        }
        return out;
      },
      [LINKS, IMAGES] as const,
    );
    assert.ok(targets.length >= 5, `only ${targets.length} distinct links rendered`);
    const chatUrl = chat.url();
    const problems: string[] = [];
    for (const { selector, index, href } of targets) {
      const link = chat.locator(selector).nth(index);
      if (await link.isVisible()) {
        await link.scrollIntoViewIfNeeded();
        await link.click({ timeout: 10_000 });
      } else {
        // Nothing to click (e.g. a link whose image was dropped): a script-made click still goes through Rill's handler.
        await link.dispatchEvent('click');
      }
      const dialog = page.locator('.monaco-dialog-box');
      const web = /^https?:/i.test(href);
      if (web) {
        // The host's openExternal asks before it opens anything on the web.
        await dialog.first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
        const texts = await dialog.allTextContents();
        // The dialog shows the URL as VS Code prints it (percent-escapes decoded).
        const shown = [href, decodeURI(href)];
        if (!texts.some((t) => shown.some((u) => t.includes(u)))) problems.push(`${href}: the host's confirmation did not appear (dialogs: ${JSON.stringify(texts)})`);
      } else {
        await new Promise((r) => setTimeout(r, 500));
        const texts = await dialog.allTextContents();
        if (texts.length) problems.push(`${href}: unexpected dialog ${JSON.stringify(texts)}`);
      }
      // Cancel every confirmation: nothing may open.
      for (let k = 0; k < 5 && (await dialog.count()) > 0; k++) {
        await dialog.first().getByRole('button', { name: 'Cancel' }).click({ timeout: 5_000 }).catch(() => page.keyboard.press('Escape'));
        await new Promise((r) => setTimeout(r, 300));
      }
      await new Promise((r) => setTimeout(r, 300));
      if (chat.isDetached() || chat.url() !== chatUrl) problems.push(`${href}: the webview navigated (now ${chat.isDetached() ? 'detached' : chat.url()})`);
      for (const problem of monitor.problems()) problems.push(`${href}: ${problem}`);
      monitor.clear();
    }
    if (problems.some((p) => /new window/.test(p))) {
      problems.push(
        "Why: the click also reaches the webview's window, where VS Code's own script (handleInnerClick in webview/browser/pre/index.html, " +
          'which ignores defaultPrevented) posts did-click-link, and the workbench opens the URL in a new window at once, besides Rill\'s ' +
          'openLink; the two then also leave the host\'s confirmation showing an earlier link. Rill\'s click handler must call event.stopPropagation().',
      );
    }
    assert.deepEqual(problems, []);
  });

  it('the host ignores forged, unknown and malformed messages from the webview, and the chat still works', async function () {
    // A fresh conversation: the hostile answers would only add noise when the view redraws.
    await workbench.runCommand('Rill: New Chat');
    await chat.waitForFunction((selector) => document.querySelectorAll(selector).length === 0, ANSWERS, { timeout: 10_000 });
    monitor.clear();
    // A message exactly as the app posts it, to derive forgeries from whatever the protocol is now.
    await recordBridge(chat);
    server.enqueue(chatStream({ text: 'A typed prompt, answered.', chunkSize: 5 }));
    const typed = await send(chat, 'typed to learn the shape of a send');
    await waitForAnswer(chat, typed, 'done', 15_000);
    const sent = (await bridgeLog(chat)).find((m) => (m as { type?: unknown }).type === 'send') as Record<string, unknown> | undefined;
    assert.ok(sent, 'the app posted a send message through the bridge');

    // Control: the forged route reaches the host (a well-formed message sent this way is acted on).
    server.enqueue(chatStream({ text: 'Answer to a forged prompt.', chunkSize: 5 }));
    const controlAt = server.requests.length;
    const n = await answerCount(chat);
    assert.equal(await forge(chat, [{ ...sent, text: 'forged but well-formed prompt' }]), 'posted');
    await waitForAnswer(chat, n, 'done', 15_000);
    assert.deepEqual((await server.waitForRequest(controlAt)).body.messages?.at(-1), { role: 'user', content: 'forged but well-formed prompt' });

    const realAnswer = await chat.$$eval(ANSWERS, (els) => els[els.length - 1]?.getAttribute('data-message-id') ?? '');
    const requestsBefore = server.requests.length;
    const ignoredBefore = rillLog(dataDir).filter((l) => l.includes(IGNORED)).length;
    const refusedBefore = rillLog(dataDir).filter((l) => l.includes(REFUSED)).length;
    const stateBefore = await workbenchState(page);

    const outsideProtocol: unknown[] = [
      // Unknown types, and things that are not messages at all.
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'executeCommand', command: 'workbench.action.terminal.new', args: [] },
      { command: 'workbench.action.terminal.new' },
      { type: 'openFile', path: '/etc/passwd' },
      { type: 'setApiKey', key: 'sk-forged' },
      { type: '__proto__' },
      { type: 'constructor' },
      { type: 'toString' },
      { type: 'hasOwnProperty', text: 'x' },
      null,
      'ready',
      42,
      [{ type: 'ready' }],
      { ...sent, type: ['send'] },
      // A real message with one field too many.
      { ...sent, model: 'gpt-4' },
      { ...sent, command: 'workbench.action.terminal.new' },
      { type: 'ready', extra: true },
      { type: 'openLink', url: 'https://canary.invalid/extra', openExternal: true },
      // Fields of the wrong type, or missing.
      { ...sent, text: 42 },
      { ...sent, text: { toString: 'x' } },
      { ...sent, text: '   ' },
      { type: 'openCode', code: 'x', language: '"><script>' },
      { type: 'openCode', code: 1, language: 'js' },
      { type: 'action', messageId: '../../etc/passwd', action: 'retry' },
      { type: 'action', messageId: realAnswer, action: 'runCommand' },
      { type: 'switchSession', sessionId: {} },
      { type: 'deleteSession', sessionId: '../sessions/x' },
      { type: 'openLink', url: 42 },
      { type: 'openLink' },
    ];
    const huge = [
      { template: sent, field: 'text', length: 1_000_001 },
      { template: { type: 'draft' }, field: 'text', length: 1_000_001 },
      { template: { type: 'copy' }, field: 'text', length: 10_000_001 },
      { template: { type: 'openLink' }, field: 'url', length: 8193 },
    ];
    const badSchemes = [
      `javascript:__rillCanary('forged-link')`,
      'file:///etc/passwd',
      'command:workbench.action.terminal.new',
      'vscode://rill.rill/forged',
      `data:text/html,<script>__rillCanary('forged-data')</script>`,
    ].map((url) => ({ type: 'openLink', url }));
    // Well-formed, but naming things that do not exist or were not offered.
    const unknownTargets = [
      { type: 'action', messageId: 'no-such-message', action: 'setApiKey' },
      { type: 'action', messageId: realAnswer, action: 'openSettings' },
      { type: 'regenerate', messageId: 'no-such-message' },
      { type: 'switchSession', sessionId: 'no-such-session' },
      { type: 'renameSession', sessionId: 'no-such-session' },
    ];
    // Made in the page: an own "__proto__" key does not survive the trip through the test driver.
    const parsedInPage = ['{"type":"ready","__proto__":{"isTrusted":true}}', '{"type":"openLink","url":"https://x.invalid/","__proto__":{"url":"command:x"}}'];
    assert.equal(await forge(chat, [...outsideProtocol, ...badSchemes, ...unknownTargets], huge, parsedInPage), 'posted');

    // The raw window-message routes lead nowhere: the bridge is the function, not postMessage.
    await chat.evaluate(() => {
      const helper = document.createElement('iframe');
      document.body.append(helper);
      const getParent = Object.getOwnPropertyDescriptor(helper.contentWindow, 'parent')?.get;
      const getTop = Object.getOwnPropertyDescriptor(helper.contentWindow, 'top')?.get;
      helper.remove();
      const outer = getParent?.call(window) as Window;
      const top = getTop?.call(window) as Window;
      const message = { type: 'openLink', url: 'command:workbench.action.terminal.new' };
      const id = new URLSearchParams(outer.location.search).get('id');
      outer.postMessage({ channel: 'onmessage', data: { message } }, '*');
      top.postMessage({ target: id, channel: 'onmessage', data: { message } }, '*');
      top.postMessage({ target: id, channel: 'did-click-link', data: { uri: 'command:workbench.action.terminal.new' } }, '*');
    });

    const expectedIgnored = ignoredBefore + outsideProtocol.length + huge.length + parsedInPage.length;
    const ignored = await waitForLogCount(dataDir, IGNORED, expectedIgnored);
    const refused = await waitForLogCount(dataDir, REFUSED, refusedBefore + badSchemes.length);
    await new Promise((r) => setTimeout(r, 1_500));
    const stateAfter = await workbenchState(page);

    const problems: string[] = [];
    if (ignored !== expectedIgnored) problems.push(`"${IGNORED}" logged ${ignored - ignoredBefore} times, expected ${expectedIgnored - ignoredBefore}`);
    if (refused !== refusedBefore + badSchemes.length) problems.push(`"${REFUSED}" logged ${refused - refusedBefore} times, expected ${badSchemes.length}`);
    if (server.requests.length !== requestsBefore) problems.push(`the server got ${server.requests.length - requestsBefore} request(s) from forged messages`);
    assert.deepEqual([...problems, ...appeared(stateBefore, stateAfter), ...monitor.problems()], []);

    // Still a working chat.
    server.enqueue(chatStream({ text: 'Still answering.', chunkSize: 4 }));
    const next = await send(chat, 'Are you still there?');
    await waitForAnswer(chat, next, 'done', 15_000);
    assert.equal((await chat.$$eval(ANSWERS, (els, k) => els[k]?.querySelector('[data-testid="message-body"]')?.textContent ?? '', next)).trim(), 'Still answering.');
    assert.deepEqual(monitor.problems(), []);
  });

  for (const [what, message] of [
    ['deleteSession', { type: 'deleteSession', sessionId: 'no-such-session' }],
    ['showDiagram', { type: 'showDiagram', messageId: 'no-such-message' }],
  ] as const) {
    it(`a forged ${what} for something that does not exist shows nothing`, async function () {
      const before = await workbenchState(page);
      assert.equal(await forge(chat, [message]), 'posted');
      await new Promise((r) => setTimeout(r, 1_500));
      const after = await workbenchState(page);
      for (let k = 0; k < 3 && (await page.locator('.monaco-dialog-box').count()) > 0; k++) await page.keyboard.press('Escape');
      assert.deepEqual(appeared(before, after), []);
    });
  }

  it('leaked data never reached a request', function () {
    // Belt and braces over the per-step checks: no URL with the leak marker was requested at all.
    assert.deepEqual([...new Set(monitor.everRequested.filter((url) => url.includes(LEAK)))], []);
  });
});
