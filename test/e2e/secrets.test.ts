import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { chatStream, errorResponse, startLlmServer, type LlmServer, type Script } from '../../src/local-llm';
import { openWorkbench, type Workbench } from './support/workbench';

/**
 * An API key set through the real UI must reach the server (as a bearer token) and nowhere else
 * Rill writes or shows: not the webview's DOM (not even for a moment), not a notification, the
 * status bar, a flow diagram, Rill's log, the saved conversations, or anything else on disk or in
 * the browser's storage, even when the server quotes the key back in its errors.
 *
 * Two keys are used in turn: one shaped like an OpenAI key (`sk-…`, which Rill's pattern-based
 * redaction also catches) and one that looks like nothing in particular (only redaction of the
 * stored value itself can catch it).
 */

const SHAPED = `sk-rill-e2e-SECRET-${randomBytes(10).toString('hex')}`;
const PLAIN = `rill-e2e-plain-${randomBytes(10).toString('hex')}`;
/** What gives a key away: its random part (a masked or cut key still counts when this shows). */
const NEEDLES = [SHAPED.slice(-20), PLAIN.slice(-20)];
const ANSWERS = '[data-testid="message"][data-role="assistant"]';
/**
 * VS Code's quick input keeps the last text typed into it (here: the key, in the password box of
 * `Rill: Set API Key`) as the hidden input's value until the next quick input replaces it. That is
 * VS Code's own widget, not in the DOM's markup, and gone with the next command: reported, allowed.
 */
const QUICK_INPUT_NOTE = "value of the workbench's hidden quick-input password box (VS Code keeps the last input until the next one)";

/** Sightings other than VS Code's own quick input, which is reported but allowed. */
function outsideQuickInput(sightings: string[]): string[] {
  const allowed = sightings.filter((s) => s.endsWith(QUICK_INPUT_NOTE));
  if (allowed.length) console.log(`      allowed: ${allowed.join('; ')}`);
  return sightings.filter((s) => !s.endsWith(QUICK_INPUT_NOTE));
}
const artifacts = join(__dirname, '..', '..', 'test-results', 'e2e');

/**
 * Runs in every frame: records any text, attribute or added subtree that contains a needle, as it
 * appears, so a key shown for a moment (a progress line, a toast) is caught even after it is gone.
 * Re-attached when a webview writes its document with document.open().
 */
const RECORDER = (needles: string[]): string => `(() => {
  if (window.__rillSightings) return;
  const needles = ${JSON.stringify(needles)};
  const sightings = [];
  window.__rillSightings = sightings;
  const check = (text, what) => {
    if (!text) return;
    for (const needle of needles) if (text.includes(needle)) sightings.push(what + ' @ ' + location.href.slice(0, 100) + ': ' + text.slice(0, 300));
  };
  const watched = new WeakSet();
  const attach = () => {
    const root = document.documentElement;
    if (!root || watched.has(root)) return;
    watched.add(root);
    check(root.outerHTML, 'document');
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'characterData') check(record.target.data, 'text');
        else if (record.type === 'attributes') check(record.target.getAttribute(record.attributeName), 'attribute ' + record.attributeName);
        else for (const node of record.addedNodes) check(node.nodeType === 1 ? node.outerHTML : node.textContent, 'added');
      }
    }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  };
  attach();
  document.addEventListener('readystatechange', attach);
  setInterval(attach, 50);
})();`;

async function send(frame: Frame, prompt: string): Promise<number> {
  const n = await frame.$$eval(ANSWERS, (els) => els.length);
  const input = await frame.waitForSelector('[data-testid="chat-input"]');
  await input.fill(prompt);
  await input.press('Enter');
  return n;
}

/** Waits until answer `n` is in a final state and returns it. */
async function finished(frame: Frame, n: number, timeout = 30_000): Promise<{ state: string; text: string; status: string }> {
  await frame.waitForFunction(
    ([selector, i]) => {
      const state = document.querySelectorAll(selector)[i]?.getAttribute('data-state');
      return state !== undefined && state !== null && state !== 'streaming';
    },
    [ANSWERS, n] as const,
    { timeout },
  );
  return frame.$$eval(
    ANSWERS,
    (els, i) => ({
      state: els[i]?.getAttribute('data-state') ?? '',
      text: els[i]?.querySelector('[data-testid="message-body"]')?.textContent ?? '',
      status: els[i]?.querySelector('[data-testid="message-status"]')?.textContent ?? '',
    }),
    n,
  );
}

/** Sets the key through `Rill: Set API Key`, as a person would. */
async function setKey(workbench: Workbench, key: string): Promise<void> {
  const page = workbench.page;
  await workbench.runCommand('Rill: Set API Key');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  assert.equal(await input.getAttribute('type'), 'password', 'the key is typed into a password box');
  await input.fill(key);
  await input.press('Enter');
  await page.locator('.notification-list-item-message', { hasText: 'was saved' }).first().waitFor({ state: 'attached', timeout: 10_000 });
}

function files(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) files(file, out);
    else if (entry.isFile()) out.push(file);
  }
  return out;
}

/** Files under `dir` holding a needle, as UTF-8 or UTF-16 (Chromium keeps some strings so). */
function filesWithNeedles(dir: string): string[] {
  const found: string[] = [];
  const patterns = NEEDLES.flatMap((n) => [Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le')]);
  for (const file of files(dir)) {
    let bytes: Buffer;
    try {
      if (statSync(file).size > 256 * 1024 * 1024) continue;
      bytes = readFileSync(file);
    } catch {
      continue; // gone meanwhile (a lock file, a temp file)
    }
    if (patterns.some((p) => bytes.includes(p))) found.push(file);
  }
  return found;
}

/** The profile folder of the Chromium this test process started (from its command line). */
function browserProfiles(): string[] {
  const profiles: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const dir = args.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
      if (dir) profiles.push(dir);
    } catch {
      // The process ended meanwhile.
    }
  }
  return profiles;
}

/** Every frame's DOM and form values, with what contains a needle. */
async function domSightings(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const frame of page.frames()) {
    const result = await frame
      .evaluate(([needles, note]) => {
        const hits: string[] = [];
        const html = document.documentElement?.outerHTML ?? '';
        for (const needle of needles) if (html.includes(needle)) hits.push(`DOM: …${html.slice(Math.max(0, html.indexOf(needle) - 120), html.indexOf(needle) + 60)}…`);
        for (const field of Array.from(document.querySelectorAll('input, textarea')) as Array<HTMLInputElement | HTMLTextAreaElement>) {
          const quickInput = field.closest('.quick-input-widget') !== null && field.type === 'password';
          for (const needle of needles) {
            if (field.value.includes(needle)) hits.push(quickInput ? note : `value of <${field.localName} type=${field.getAttribute('type')}>${field.className ? ` class=${field.className}` : ''}`);
          }
        }
        const recorded = (window as unknown as { __rillSightings?: string[] }).__rillSightings ?? [];
        return [...hits, ...recorded.map((s) => `shown at some point: ${s}`)];
      }, [NEEDLES, QUICK_INPUT_NOTE] as const)
      .catch(() => [] as string[]);
    for (const line of result) found.push(`${frame.url().slice(0, 100)}: ${line}`);
  }
  return found;
}

/** Everything the browser keeps for the workbench's origin: IndexedDB, localStorage, sessionStorage, Cache Storage. */
async function storageSightings(page: Page): Promise<string[]> {
  // No named inner functions in page code: the test runner's transpiler would wrap them in a
  // helper that does not exist in the page.
  return page.evaluate(async (needles) => {
    const sources: Array<[string, string]> = [];
    const decode = new TextDecoder();
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name as string);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const [values, keys] = await Promise.all(
          ['getAll', 'getAllKeys'].map(
            (method) =>
              new Promise<unknown[]>((resolve, reject) => {
                const request = (db.transaction(store).objectStore(store) as unknown as Record<string, () => IDBRequest<unknown[]>>)[method]!();
                request.onsuccess = () => resolve(request.result);
                request.onerror = () => reject(request.error);
              }),
          ),
        );
        const text = JSON.stringify([values, keys], (_k, v) =>
          v instanceof Uint8Array ? decode.decode(v) : v instanceof ArrayBuffer ? decode.decode(new Uint8Array(v)) : v,
        );
        sources.push([`IndexedDB ${info.name}/${store}`, text ?? '']);
      }
      db.close();
    }
    sources.push(['localStorage', JSON.stringify({ ...localStorage })]);
    sources.push(['sessionStorage', JSON.stringify({ ...sessionStorage })]);
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) sources.push([`Cache Storage ${name}: ${request.url}`, (await (await cache.match(request))?.text()) ?? '']);
    }
    return sources.filter(([, text]) => needles.some((n) => text.includes(n))).map(([label]) => label);
  }, NEEDLES);
}

/** The workbench's temporary folder, from where the webview loads the installed extension. */
async function dataDirOf(frame: Frame): Promise<string> {
  const src = await frame.$eval('script[nonce]', (s) => (s as HTMLScriptElement).src);
  const path = decodeURIComponent(new URL(src).pathname);
  return path.slice(0, path.indexOf('/extensions/'));
}

/** The errors a server may send that quote the key it was given. */
function quotingErrors(key: string): Array<[string, Script[]]> {
  const midStream = (event: 'data' | 'error'): Script =>
    chatStream({
      text: 'The start of an answer, then ',
      chunkSize: 6,
      omitDone: true,
      extraEvents: [
        {
          fields:
            event === 'data'
              ? [['data', JSON.stringify({ error: { message: `Upstream rejected Authorization: Bearer ${key}`, type: 'server_error', code: null } })]]
              : [['event', 'error'], ['data', JSON.stringify({ message: `The key ${key} was revoked mid-stream.`, type: 'server_error' })]],
        },
      ],
    });
  return [
    ['a 401 that quotes the key', [errorResponse(401, { message: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`, code: 'invalid_api_key' })]],
    ['a 400 that quotes the header', [errorResponse(400, { message: `Invalid header value: authorization="Bearer ${key}"`, param: `Bearer ${key}` })]],
    ['a 403 with the key in its code', [errorResponse(403, { message: 'This key has no access.', code: `key_${key}` })]],
    ['an HTML 502 page that prints the key', [errorResponse(502, { message: '' }, {}, { html: `<html><body><h1>502</h1><p>upstream refused api-key ${key}</p></body></html>` })]],
    ['a data: error in the middle of the stream', [midStream('data')]],
    ['an event: error in the middle of the stream', [midStream('error')]],
    [
      'a 429 that quotes the key, retried, then an answer',
      [errorResponse(429, { message: `Rate limit reached for key ${key}.`, code: 'rate_limit_exceeded' }, { 'retry-after-ms': '1200' }), chatStream({ text: 'Answered after the wait.', chunkSize: 5 })],
    ],
  ];
}

describe('the API key stays secret', function () {
  this.timeout(600_000);
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;
  let page: Page;

  before(async function () {
    mkdirSync(artifacts, { recursive: true });
    server = await startLlmServer();
    workbench = await openWorkbench({
      settings: { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-e2e', 'rill.request.maxRetries': 1 },
      env: { OPENAI_API_KEY: '', AZURE_OPENAI_API_KEY: '' },
    });
    page = workbench.page;
    await page.addInitScript({ content: RECORDER(NEEDLES) });
    await page.evaluate(RECORDER(NEEDLES));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await workbench?.screenshot(join(artifacts, `secrets-failed-${name}.png`)).catch(() => undefined);
    }
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
  });

  for (const [label, key] of [
    ['an sk- key', SHAPED],
    ['a key of no known shape', PLAIN],
  ] as const) {
    it(`${label}: set through the password box, sent as a bearer token, redacted wherever a server quotes it`, async function () {
      await setKey(workbench, key);
      if (!chat) {
        await workbench.runCommand('Rill: Open Chat');
        chat = await workbench.webviewFrame('[data-testid="chat-input"]');
      }
      server.enqueue(chatStream({ text: 'A normal answer.', chunkSize: 4 }));
      const at = server.requests.length;
      const normal = await finished(chat, await send(chat, 'A normal question'));
      assert.equal(normal.state, 'done');
      assert.equal(server.requests[at]?.headers.authorization, `Bearer ${key}`, 'the key is sent');

      const problems: string[] = [];
      for (const [what, scripts] of quotingErrors(key)) {
        server.enqueue(...scripts);
        const result = await finished(chat, await send(chat, `Cause ${what}`));
        if (result.state === 'streaming') problems.push(`${what}: never finished`);
        const shown = `${result.text}\n${result.status}`;
        for (const needle of NEEDLES) if (shown.includes(needle)) problems.push(`${what}: the answer shows the key: ${shown.slice(0, 300)}`);
        // The server's words are kept (redacted), not dropped: otherwise there would be nothing to check.
        if (what.startsWith('a 401') && !result.status.includes('Incorrect API key provided: [redacted]')) {
          problems.push(`${what}: expected the server's message with the key redacted, got: ${result.status.slice(0, 300)}`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it("the flow diagram of an answer that failed with the key in the server's message does not show it", async function () {
    server.enqueue(errorResponse(401, { message: `Incorrect API key provided: ${PLAIN}.`, code: 'invalid_api_key' }));
    const n = await send(chat, 'One more failure, then its diagram');
    assert.equal((await finished(chat, n)).state, 'error');
    const button = chat.locator(`${ANSWERS} >> nth=${n} >> [data-testid="show-diagram"]`);
    if ((await button.count()) === 0) this.skip(); // no flow diagrams in this build
    await button.click();
    // The diagram view: a webview of its own, with the Mermaid source beside the drawing.
    const view = await workbench.webviewFrame('[data-testid="diagram-source"]', 30_000);
    await view.waitForFunction(() => (document.querySelector('[data-testid="diagram-source"]')?.textContent ?? '').includes('sequenceDiagram'), undefined, { timeout: 30_000 });
    await view.waitForFunction(() => document.querySelector('[data-testid="diagram-drawing"] svg') || document.querySelector('[data-testid="diagram-status"]')?.textContent, undefined, { timeout: 30_000 });
    const source = (await view.textContent('[data-testid="diagram-source"]')) ?? '';
    assert.match(source, /401|Unauthorized|auth/i, 'the diagram shows the failure');
    assert.deepEqual(outsideQuickInput(await domSightings(page)), []);
  });

  it('the key appears nowhere: no frame, notification, log, saved file or browser storage holds it', async function () {
    // Things that show text from the host: a connection check, the notification center.
    await workbench.runCommand('Rill: Check Connection');
    await page.waitForTimeout(1_000);
    await workbench.runCommand('Notifications: Show Notifications');
    await page.waitForTimeout(1_000);

    const dataDir = await dataDirOf(chat);
    const logs = files(join(dataDir, 'user-data', 'logs')).filter((f) => /[/\\]rill\.rill[/\\]/.test(f));
    assert.ok(logs.length > 0, "Rill's log file exists");
    const logText = logs.map((f) => readFileSync(f, 'utf8')).join('\n');
    assert.match(logText, /Request to /, "Rill's log has the requests (so it is the right file)");
    assert.match(logText, /\[redacted\]/, 'the quoted keys reached the log, redacted');
    assert.ok(files(join(dataDir, 'user-data', 'User', 'globalStorage', 'rill.rill')).some((f) => f.endsWith('.json')), 'conversations were saved');

    const where = {
      dom: outsideQuickInput(await domSightings(page)),
      notifications: (await page.locator('.notifications-center .notification-list-item, .notification-toast').allTextContents()).filter((t) => NEEDLES.some((n) => t.includes(n))),
      files: filesWithNeedles(dataDir),
      browserProfile: browserProfiles().flatMap((dir) => filesWithNeedles(dir)),
      browserStorage: await storageSightings(page),
      serverOutput: NEEDLES.some((n) => workbench.serverLogs().includes(n)) ? ['code-server output'] : [],
    };
    console.log(`      keys searched in: ${files(dataDir).length} files under ${dataDir}, ${browserProfiles().map((d) => `${files(d).length} files in ${d}`).join(', ')}; ${page.frames().length} frames`);
    // The only acceptable place would be VS Code's own secret storage. code-server's web workbench
    // has no encryption for it and keeps secrets in memory: nothing on disk or in the browser's
    // storage may hold the key at all.
    assert.deepEqual(where, { dom: [], notifications: [], files: [], browserProfile: [], browserStorage: [], serverOutput: [] });
  });

  // Last: it makes the server put the key into an answer, which the sweep above must not see.
  // The key Rill holds now (PLAIN): a key the user replaced earlier is no longer known to Rill,
  // so an answer quoting that one is not redacted (a known limit).
  it('an answer that quotes the key (a server echoing it) neither shows it nor saves it', async function () {
    server.enqueue(chatStream({ text: `Your key is ${PLAIN}, and again: ${PLAIN}.`, chunkSize: 7 }));
    const n = await send(chat, 'What is my key?');
    const result = await finished(chat, n);
    assert.equal(result.state, 'done');
    await page.waitForTimeout(1_500); // the conversation is saved within a second
    const dataDir = await dataDirOf(chat);
    assert.deepEqual(
      {
        shown: [PLAIN.slice(-20)].filter((needle) => result.text.includes(needle)),
        saved: filesWithNeedles(join(dataDir, 'user-data', 'User', 'globalStorage')),
      },
      { shown: [], saved: [] },
    );
  });
});
