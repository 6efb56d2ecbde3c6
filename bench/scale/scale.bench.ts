// Issue 14's scale figures, in the real VS Code web workbench (code-server) and Chromium, Rill
// installed from a .vsix as users install it. Each workbench gets a fresh profile (user data);
// before it starts, saved conversations are written into the folder the extension keeps them in
// (<user-data>/User/globalStorage/rill.rill/sessions, today's one-file-per-conversation format:
// a store that keeps an index must rebuild it from those files). Profiles, side by side in one run:
//   empty   no saved conversation;
//   1k      1,000 conversations of 40 messages and one of 2,000 (about 10 MB), the issue's profile;
//   10k     10,000 of 40 and the same long one, as a note on how it grows.
// In each workbench, in this order:
//   open      "Rill: Focus on Chat View" (the sidebar opens on the most recent conversation, the
//             long one) from the palette click to the conversation shown: its title set and, with
//             saved conversations, the long one's last answer in the DOM, at the next frame;
//   nodes     document.getElementsByTagName('*').length in the chat webview once it stops changing;
//   history   the history button clicked inside the webview to its first item laid out (on the
//             empty profile, to the (empty) list shown);
//   typing    40 characters with page.keyboard.type into the prompt box, from the first key sent to
//             the frame after the box holds all 40 (median of 3 in the workbench); and per key,
//             its keydown to the next frame after its input event;
//   saving    a prompt sent, a 400-chunk answer streamed at 100 chunks/s into that conversation
//             (the long one, or a new one on the empty profile): bytes written under the
//             extension's global storage from the send until the server's last write, per second
//             of stream; and apart, what is written from then until 2.5 s later (the final save,
//             a compaction). Counted from file events (countWrites): a file that appears (or
//             replaces another by a rename) counts its whole size, one that grows counts what it
//             grew by; temporary files (`*.tmp*`) are left out, counted when renamed into place.
// Rounds alternate the empty and 1k profiles; figures are medians over rounds.
//   RILL_BENCH_VSIX=<file>    measure that .vsix (default: dist/rill.vsix, packaged again if stale)
//   RILL_SCALE_ROUNDS=<n>     rounds of empty + 1k (default 3)
//   RILL_SCALE_BIG=<n>        sessions in the 10x profile (default 10000; 0 leaves it out)
//   RILL_SCALE_BIG_ROUNDS=<n> workbenches on the 10x profile (default 1)
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Frame, Page } from 'playwright-core';
import { chunkChoice, chunkObject, SseScriptBuilder, startLlmServer, type LlmServer } from '../../src/local-llm';
import { launchBrowser } from '../../test/e2e/support/workbench';
import { LAST_ANSWER_MARKER, writeCorpus, type Corpus } from './corpus';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = (name: string) => pathToFileURL(path.join(repoRoot, 'scripts', name)).href;

interface CodeServer {
  url: string;
  stop(): Promise<void>;
  logs(): string;
}
interface VscodeWeb {
  installVsix(vsix: string, dirs: { userDataDir: string; extensionsDir: string }): string;
  launchCodeServer(options: { userDataDir: string; extensionsDir: string; settings?: Record<string, unknown> }): Promise<CodeServer>;
}

const TYPED = 'Please explain the retry loop once more!';
const now = () => performance.timeOrigin + performance.now();
const median = (values: number[]): number => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  openMs: number;
  domNodes: number;
  heapMB: number;
  historyMs: number;
  historyItems: number;
  typingMs: number;
  typingInFrameMs: number;
  /** Per key, keydown → the next frame after its input event: median of the 3 runs' medians; the worst key of all. */
  keyLatencyP50: number;
  keyLatencyMax: number;
  /** Bytes written to the extension's storage per second of a streamed answer, and in all. */
  savedBytesPerSecond: number;
  savedBytes: number;
  /** Written from the stream's end until 2.5 s later (the final save, a compaction, the index). */
  savedAfterBytes: number;
  streamSeconds: number;
}

/** Runs a command from the palette; returns when its entry was clicked (this process's clock). */
async function palette(page: Page, title: string): Promise<number> {
  const widget = page.locator('.quick-input-widget');
  const label = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const entry = widget.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: label }) });
  for (let attempt = 0; ; attempt++) {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('F1');
    const input = widget.locator('input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    try {
      await entry.first().waitFor({ state: 'visible', timeout: 3_000 + attempt * 2_000 });
    } catch (error) {
      if (attempt >= 5) throw new Error(`command "${title}" not found in the palette`, { cause: error });
      await page.keyboard.press('Escape');
      continue;
    }
    const clicked = now();
    await entry.first().click();
    return clicked;
  }
}

/** The frame whose document holds `selector`, polled every 25 ms. */
async function frameWith(page: Page, selector: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no frame holds ${selector} after ${timeoutMs} ms`);
    await sleep(25);
  }
}

type Stamped = Window & { rillScale?: { opened?: number; typed?: number; firstKey?: number; keyLatencies?: number[] } };

/**
 * Stamps (on the page's clock, which is this machine's clock like `now()`) the frame after the
 * conversation is shown: a session title set and, when `marker` is given, the marker in the DOM.
 * Only what each mutation adds is searched, so watching costs little however big the DOM is.
 */
async function watchOpened(frame: Frame, marker: string | undefined): Promise<void> {
  await frame.evaluate('globalThis.__name ??= (f) => f');
  await frame.evaluate((marker) => {
    const w = window as Stamped;
    w.rillScale = {};
    let seen = !marker || (document.body.textContent ?? '').includes(marker);
    const titled = () => (document.querySelector('[data-testid="session-title"]')?.textContent ?? '').trim() !== '';
    let done = false;
    const check = () => {
      if (done || !seen || !titled()) return;
      done = true;
      observer.disconnect();
      requestAnimationFrame(() => {
        if (w.rillScale) w.rillScale.opened = performance.timeOrigin + performance.now();
      });
    };
    const observer = new MutationObserver((records) => {
      if (!seen && marker) {
        for (const record of records) {
          if (record.type === 'characterData' && record.target.textContent?.includes(marker)) seen = true;
          for (const node of record.addedNodes) if (node.textContent?.includes(marker)) seen = true;
          if (seen) break;
        }
      }
      check();
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    check();
  }, marker);
}

async function stamp(frame: Frame, key: 'opened' | 'typed', timeoutMs: number): Promise<number> {
  await frame.waitForFunction((key) => (window as Stamped).rillScale?.[key] !== undefined, key, { timeout: timeoutMs, polling: 20 });
  return frame.evaluate((key) => (window as Stamped).rillScale?.[key] ?? NaN, key);
}

/** The DOM's element count once it has stopped changing (highlighting and the like finish late). */
async function settledNodeCount(frame: Frame): Promise<number> {
  let last = -1;
  let same = 0;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const count = await frame.evaluate(() => document.getElementsByTagName('*').length);
    same = count === last ? same + 1 : 0;
    last = count;
    if (same >= 2) break;
    await sleep(300);
  }
  return last;
}

/** Clicks the history button inside the webview; ms to its first item (or, with none, the list) laid out. */
function firstListing(frame: Frame, expectItems: boolean): Promise<{ ms: number; items: number }> {
  return frame.evaluate((expectItems) => {
    return new Promise<{ ms: number; items: number }>((resolve) => {
      const button = document.querySelector<HTMLElement>('[data-testid="history"]');
      if (!button) {
        resolve({ ms: NaN, items: 0 });
        return;
      }
      const started = performance.now();
      button.click();
      // An item is shown when laid out with a height; an empty list, when it is displayed at all.
      const laidOut = (el: Element | null) => !!el && el.getBoundingClientRect().height > 0;
      const displayed = (el: HTMLElement | null) => !!el && !el.hidden && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
      const check = () => {
        const ready = expectItems
          ? laidOut(document.querySelector('[data-testid="session-item"]'))
          : displayed(document.querySelector<HTMLElement>('[data-testid="session-list"]'));
        const waited = performance.now() - started;
        if (ready || waited > 15_000) {
          resolve({ ms: ready ? waited : NaN, items: document.querySelectorAll('[data-testid="session-item"]').length });
          return;
        }
        requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
  }, expectItems);
}

interface Typed {
  ms: number;
  inFrameMs: number;
  keyP50: number;
  keyMax: number;
}

async function typing(page: Page, frame: Frame): Promise<Typed> {
  const box = frame.locator('[data-testid="chat-input"]');
  await box.fill('');
  await box.click();
  await sleep(500);
  await frame.evaluate((n) => {
    const w = window as Stamped;
    w.rillScale = {};
    const input = document.querySelector<HTMLTextAreaElement>('[data-testid="chat-input"]');
    if (!input) throw new Error('no prompt box');
    const keys: number[] = [];
    const onKey = (event: KeyboardEvent) => {
      w.rillScale!.firstKey ??= performance.timeOrigin + performance.now();
      keys.push(event.timeStamp);
    };
    const onInput = () => {
      // Each key: from its keydown (the event's own time stamp) to the next frame after its input.
      const down = keys.at(-1);
      requestAnimationFrame(() => {
        if (down !== undefined) (w.rillScale!.keyLatencies ??= []).push(performance.now() - down);
      });
      if (input.value.length < n) return;
      input.removeEventListener('input', onInput);
      input.removeEventListener('keydown', onKey);
      requestAnimationFrame(() => {
        w.rillScale!.typed = performance.timeOrigin + performance.now();
      });
    };
    input.addEventListener('keydown', onKey);
    input.addEventListener('input', onInput);
  }, TYPED.length);
  const started = now();
  await page.keyboard.type(TYPED);
  const typed = await stamp(frame, 'typed', 30_000);
  await sleep(100);
  const { firstKey, keys } = await frame.evaluate(() => ({ firstKey: (window as Stamped).rillScale?.firstKey ?? NaN, keys: (window as Stamped).rillScale?.keyLatencies ?? [] }));
  const value = await box.inputValue();
  if (value !== TYPED) throw new Error(`the prompt box holds ${JSON.stringify(value)}, not what was typed`);
  // Leave no draft behind: the next sample starts from the same state.
  await box.fill('');
  await sleep(800);
  return { ms: typed - started, inFrameMs: typed - firstKey, keyP50: median(keys), keyMax: keys.length ? Math.max(...keys) : NaN };
}

const STREAM_END = '⟦scale-stream-end⟧';

/** An answer of `count` chunks of prose, one every `intervalMs`, ending with STREAM_END. */
function streamedAnswer(count: number, intervalMs: number) {
  const builder = new SseScriptBuilder().headers().data(chunkObject({}, [chunkChoice({ role: 'assistant', content: '', refusal: null })]));
  for (let i = 0; i < count; i++) {
    builder.sleep(intervalMs);
    const text = i % 25 === 24 ? `line ${i}.\n\n` : `word${i} and `;
    builder.data(chunkObject({}, [chunkChoice({ content: text })]));
  }
  builder.data(chunkObject({}, [chunkChoice({ content: ` ${STREAM_END}` })]));
  return builder.data(chunkObject({}, [chunkChoice({}, 'stop')])).done().build('end', 'scale');
}

/**
 * Bytes written under `dir` (see the header). A file renamed into place (or created) counts its
 * whole size at each such event; one that changes in place counts what it grew by. Sizes are read
 * when the event is handled, which may be after a later write: counting each rename at the size
 * read then, not by comparing inodes, keeps a burst of whole-file saves from counting as one.
 */
function countWrites(dir: string): { bytes(): number; close(): void } {
  const known = new Map<string, number>();
  let bytes = 0;
  const look = (name: string, event: 'rename' | 'change' | 'initial') => {
    if (/\.tmp/.test(name)) return;
    let st;
    try {
      st = statSync(path.join(dir, name));
    } catch {
      known.delete(name); // gone (renamed away or deleted)
      return;
    }
    if (!st.isFile()) return;
    if (event === 'rename') bytes += st.size;
    else if (event === 'change') bytes += Math.max(0, st.size - (known.get(name) ?? 0));
    known.set(name, st.size);
  };
  // The sessions folder is made now if missing (the store makes it with `recursive`, so that is
  // harmless): Node's recursive watch on Linux reports a rename over a file as a change, so each
  // folder is watched flat.
  mkdirSync(path.join(dir, 'sessions'), { recursive: true });
  const folders = [dir];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const name = path.relative(dir, path.join(entry.parentPath, entry.name));
    if (entry.isFile()) look(name, 'initial');
    else if (entry.isDirectory()) folders.push(path.join(dir, name));
  }
  const watchers = folders.map((folder) => watch(folder, (event, name) => name && look(path.relative(dir, path.join(folder, String(name))), event)));
  return { bytes: () => bytes, close: () => watchers.forEach((w) => w.close()) };
}

/** Sends a prompt, streams an answer into the conversation shown; bytes written per second of stream. */
async function streamingWrites(server: LlmServer, frame: Frame, storageDir: string): Promise<{ bytesPerSecond: number; bytes: number; afterBytes: number; seconds: number }> {
  const counter = countWrites(storageDir);
  try {
    server.enqueue(streamedAnswer(400, 10));
    const before = server.requests.length;
    const box = frame.locator('[data-testid="chat-input"]');
    await box.fill('Stream a long answer, please.');
    await box.press('Enter');
    const request = await server.waitForClose(before, 180_000);
    const duringStream = counter.bytes();
    await frame.waitForFunction(
      (end) => {
        const answers = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
        const last = answers[answers.length - 1];
        return !!last && last.getAttribute('data-state') === 'done' && (last.textContent ?? '').includes(end);
      },
      STREAM_END,
      { timeout: 120_000, polling: 100 },
    );
    // The save after the answer ends (and any compaction) belongs to streaming it.
    await sleep(2_500);
    const seconds = ((request.writeTimes.at(-1) ?? NaN) - (request.writeTimes[0] ?? NaN)) / 1000;
    return { bytesPerSecond: duringStream / seconds, bytes: duringStream, afterBytes: counter.bytes() - duringStream, seconds };
  } finally {
    counter.close();
  }
}

interface Setup {
  web: VscodeWeb;
  server: LlmServer;
  extensionsDir: string;
  settings: Record<string, unknown>;
}

/** One fresh profile seeded from `corpusDir` (none: empty), one workbench, one sample. */
async function sample(setup: Setup, corpusDir: string | undefined): Promise<Sample> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'rill-scale-'));
  const userDataDir = path.join(tmp, 'user-data');
  const storageDir = path.join(userDataDir, 'User', 'globalStorage', 'rill.rill');
  if (corpusDir) cpSync(corpusDir, path.join(storageDir, 'sessions'), { recursive: true });
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await setup.web.launchCodeServer({ userDataDir, extensionsDir: setup.extensionsDir, settings: setup.settings });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(120_000);
    await page.goto(server.url, { timeout: 120_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 120_000 });
    // The workbench keeps loading for a while after its status bar shows; let it settle.
    await sleep(3_000);

    const clicked = await palette(page, 'Rill: Focus on Chat View');
    const frame = await frameWith(page, '[data-testid="chat-input"]', 300_000);
    await watchOpened(frame, corpusDir ? LAST_ANSWER_MARKER : undefined);
    const opened = await stamp(frame, 'opened', 600_000);
    const openMs = opened - clicked;

    const domNodes = await settledNodeCount(frame);
    const heapMB = await frame.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN) / 2 ** 20);

    const history = await firstListing(frame, !!corpusDir);
    await sleep(300);
    // Close it again (the same button) so that typing happens with the list hidden.
    await frame.evaluate(() => document.querySelector<HTMLElement>('[data-testid="history"]')?.click());
    await sleep(500);

    const typed: Typed[] = [];
    for (let i = 0; i < 3; i++) typed.push(await typing(page, frame));

    // A figure that cannot be taken (say, the composer changed) leaves the others standing.
    const saving = await streamingWrites(setup.server, frame, storageDir).catch((error: unknown) => {
      process.stderr.write(`[scale] streaming writes not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
      return { bytesPerSecond: NaN, bytes: NaN, afterBytes: NaN, seconds: NaN };
    });
    return {
      savedBytesPerSecond: saving.bytesPerSecond,
      savedBytes: saving.bytes,
      savedAfterBytes: saving.afterBytes,
      streamSeconds: saving.seconds,
      openMs,
      domNodes,
      heapMB,
      historyMs: history.ms,
      historyItems: history.items,
      typingMs: median(typed.map((t) => t.ms)),
      typingInFrameMs: median(typed.map((t) => t.inFrameMs)),
      keyLatencyP50: median(typed.map((t) => t.keyP50)),
      keyLatencyMax: Math.max(...typed.map((t) => t.keyMax)),
    };
  } catch (error) {
    if (server && error instanceof Error) error.message += `\n--- code-server output (tail) ---\n${server.logs().slice(-3000)}`;
    throw error;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const env = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(value) ? value : fallback;
};

function summarise(prefix: string, samples: Sample[]): Record<string, number> {
  const keys: Array<keyof Sample> = ['openMs', 'domNodes', 'heapMB', 'historyMs', 'historyItems', 'typingMs', 'typingInFrameMs', 'keyLatencyP50', 'keyLatencyMax', 'savedBytesPerSecond', 'savedBytes', 'savedAfterBytes', 'streamSeconds'];
  const out: Record<string, number> = { [`${prefix}Samples`]: samples.length };
  for (const key of keys) out[`${prefix}${key.charAt(0).toUpperCase()}${key.slice(1)}`] = median(samples.map((s) => s[key]));
  return out;
}

export async function benchScale(log: (line: string) => void = (line) => process.stderr.write(`[scale] ${line}\n`)): Promise<Record<string, number>> {
  const rounds = env('RILL_SCALE_ROUNDS', 3);
  const bigSessions = env('RILL_SCALE_BIG', 10_000);
  const bigRounds = env('RILL_SCALE_BIG_ROUNDS', 1);
  const web = (await import(script('vscode-web.mjs'))) as VscodeWeb;
  const vsix = process.env.RILL_BENCH_VSIX ?? (await ((await import(script('package.mjs'))) as { ensureVsix(): Promise<string> }).ensureVsix());
  const work = mkdtempSync(path.join(tmpdir(), 'rill-scale-run-'));
  let server: LlmServer | undefined;
  try {
    const started = Date.now();
    const extensionsDir = path.join(work, 'extensions');
    mkdirSync(extensionsDir, { recursive: true });
    // One install serves every workbench of the run; each gets its own fresh user data.
    web.installVsix(vsix, { userDataDir: path.join(work, 'install-user-data'), extensionsDir });
    const small = writeCorpus(path.join(work, 'corpus-1k'), 1_000);
    const big: Corpus | undefined = bigSessions > 0 ? writeCorpus(path.join(work, 'corpus-big'), bigSessions) : undefined;
    log(`vsix ${vsix}; corpora written (${(small.bytes / 2 ** 20).toFixed(1)} MB${big ? `, ${(big.bytes / 2 ** 20).toFixed(1)} MB` : ''}) after ${Math.round((Date.now() - started) / 1000)} s`);
    server = await startLlmServer();
    const setup: Setup = { web, server, extensionsDir, settings: { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-bench' } };

    const empty: Sample[] = [];
    const loaded: Sample[] = [];
    const bigSamples: Sample[] = [];
    const record = (name: string, list: Sample[], s: Sample) => {
      list.push(s);
      log(`${name}: open ${s.openMs.toFixed(0)} ms, ${s.domNodes} nodes, history ${s.historyMs.toFixed(1)} ms (${s.historyItems} items), typing ${s.typingMs.toFixed(0)} ms (in frame ${s.typingInFrameMs.toFixed(0)}, per key ${s.keyLatencyP50.toFixed(1)} ms, worst ${s.keyLatencyMax.toFixed(1)}), heap ${s.heapMB.toFixed(1)} MB, saving ${(s.savedBytesPerSecond / 1024).toFixed(1)} KB/s (${(s.savedBytes / 1024).toFixed(0)} KB in ${s.streamSeconds.toFixed(1)} s, then ${(s.savedAfterBytes / 1024).toFixed(0)} KB); ${Math.round((Date.now() - started) / 1000)} s`);
    };
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so that a drift in the machine's load falls on both.
      const order = r % 2 === 0 ? (['1k', 'empty'] as const) : (['empty', '1k'] as const);
      for (const which of order) {
        if (which === 'empty') record('empty', empty, await sample(setup, undefined));
        else record('1k', loaded, await sample(setup, path.join(work, 'corpus-1k')));
      }
    }
    // The 10x profile is a note: when it cannot be measured (on a loaded machine its chat may take
    // minutes to open), the 1x figures still stand and its column says n/a.
    for (let r = 0; big && r < bigRounds; r++) {
      try {
        record(`${big.sessions - 1}`, bigSamples, await sample(setup, path.join(work, 'corpus-big')));
      } catch (error) {
        log(`${big.sessions - 1}: not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }

    const e = summarise('empty', empty);
    const l = summarise('loaded', loaded);
    const b = big ? summarise('big', bigSamples) : {};
    return {
      sessions: small.sessions - 1,
      corpusMB: small.bytes / 2 ** 20,
      longMessages: small.longMessages,
      longKB: small.longBytes / 1024,
      bigSessions: big ? big.sessions - 1 : 0,
      bigCorpusMB: big ? big.bytes / 2 ** 20 : NaN,
      ...e,
      ...l,
      ...b,
      openRatio: (l.loadedOpenMs ?? NaN) / (e.emptyOpenMs ?? NaN),
      typingRatio: (l.loadedTypingMs ?? NaN) / (e.emptyTypingMs ?? NaN),
      bigOpenRatio: big ? (b.bigOpenMs ?? NaN) / (e.emptyOpenMs ?? NaN) : NaN,
      bigTypingRatio: big ? (b.bigTypingMs ?? NaN) / (e.emptyTypingMs ?? NaN) : NaN,
      savedRatio: (l.loadedSavedBytesPerSecond ?? NaN) / (e.emptySavedBytesPerSecond ?? NaN),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

export function scaleTable(f: Record<string, number>): string[] {
  const big = (f.bigSessions ?? 0) > 0;
  const bigHead = big ? ` ${fmt(f.bigSessions)} sessions (10x) |` : '';
  const bigRule = big ? '---|' : '';
  const cell = (key: string, digits = 0, unit = '') => (big ? ` ${fmt(f[key], digits)}${unit} |` : '');
  return [
    `Profiles: empty; ${fmt(f.sessions)} conversations of 40 messages + one of ${fmt(f.longMessages)} (${fmt(f.longKB)} KB), ${fmt(f.corpusMB, 1)} MB of session files${big ? `; ${fmt(f.bigSessions)} + the same long one, ${fmt(f.bigCorpusMB, 1)} MB` : ''}. Medians of ${fmt(f.emptySamples)} / ${fmt(f.loadedSamples)}${big ? ` / ${fmt(f.bigSamples)}` : ''} fresh workbenches; ${fmt(f.seconds)} s in all.`,
    '',
    `| | empty profile | ${fmt(f.sessions)} sessions + long one | ratio (bar) |${bigHead}`,
    `|---|---|---|---|${bigRule}`,
    `| open the chat on the long conversation (command → its last answer shown) | ${fmt(f.emptyOpenMs)} ms | ${fmt(f.loadedOpenMs)} ms | ${fmt(f.openRatio, 2)}x (≤ 1.3x) |${cell('bigOpenMs', 0, ' ms')}`,
    `| type 40 characters into the prompt box (first key → all in the box, next frame) | ${fmt(f.emptyTypingMs)} ms | ${fmt(f.loadedTypingMs)} ms | ${fmt(f.typingRatio, 2)}x (≤ 1.2x) |${cell('bigTypingMs', 0, ' ms')}`,
    `| the same, from the first keydown inside the webview | ${fmt(f.emptyTypingInFrameMs)} ms | ${fmt(f.loadedTypingInFrameMs)} ms | |${cell('bigTypingInFrameMs', 0, ' ms')}`,
    `| per key: keydown → next frame, median (worst key) | ${fmt(f.emptyKeyLatencyP50, 1)} ms (${fmt(f.emptyKeyLatencyMax)}) | ${fmt(f.loadedKeyLatencyP50, 1)} ms (${fmt(f.loadedKeyLatencyMax)}) | ${fmt((f.loadedKeyLatencyP50 ?? NaN) / (f.emptyKeyLatencyP50 ?? NaN), 2)}x |${big ? ` ${fmt(f.bigKeyLatencyP50, 1)} ms (${fmt(f.bigKeyLatencyMax)}) |` : ''}`,
    `| chat webview DOM elements | ${fmt(f.emptyDomNodes)} | ${fmt(f.loadedDomNodes)} | (< 5,000) |${cell('bigDomNodes')}`,
    `| history: click → first item laid out (empty: the empty list) | ${fmt(f.emptyHistoryMs, 1)} ms | ${fmt(f.loadedHistoryMs, 1)} ms | (< 100 ms) |${cell('bigHistoryMs', 1, ' ms')}`,
    `| history items in the DOM | ${fmt(f.emptyHistoryItems)} | ${fmt(f.loadedHistoryItems)} | |${cell('bigHistoryItems')}`,
    `| bytes written per second while an answer streams into it (empty: into a new one) | ${fmt((f.emptySavedBytesPerSecond ?? NaN) / 1024, 1)} KB/s | ${fmt((f.loadedSavedBytesPerSecond ?? NaN) / 1024, 1)} KB/s | ${fmt(f.savedRatio, 1)}x (≤ 2x) |${big ? ` ${fmt((f.bigSavedBytesPerSecond ?? NaN) / 1024, 1)} KB/s |` : ''}`,
    `| bytes written from the answer's end to 2.5 s later (final save, compaction, index) | ${fmt((f.emptySavedAfterBytes ?? NaN) / 1024)} KB | ${fmt((f.loadedSavedAfterBytes ?? NaN) / 1024)} KB | |${big ? ` ${fmt((f.bigSavedAfterBytes ?? NaN) / 1024)} KB |` : ''}`,
    `| webview JS heap | ${fmt(f.emptyHeapMB, 1)} MB | ${fmt(f.loadedHeapMB, 1)} MB | |${cell('bigHeapMB', 1, ' MB')}`,
  ];
}
