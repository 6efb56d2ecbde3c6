// Opens Rill in a real VS Code web workbench (code-server) inside Debian's Chromium, installed from
// dist/rill.vsix with `--install-extension`, as users install it: what is tested is what ships.
// Assumes `node scripts/vscode-web.mjs install` (ensureInstalled) has run; packages the .vsix
// first when it is missing or was made from other sources (scripts/package.mjs ensureVsix).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The part of scripts/vscode-web.mjs used here (the script is plain JS without declarations). */
interface CodeServer {
  url: string;
  port: number;
  process: ChildProcess;
  logs(): string;
  stop(): Promise<void>;
}
interface VscodeWeb {
  installVsix(vsix: string, dirs: { userDataDir: string; extensionsDir: string }): string;
  launchCodeServer(options: {
    userDataDir: string;
    extensionsDir: string;
    folder?: string;
    settings?: Record<string, unknown>;
    port?: number;
    env?: Record<string, string>;
  }): Promise<CodeServer>;
}
interface Packager {
  ensureVsix(): Promise<string>;
}
// A computed specifier keeps TypeScript from looking for declarations of the .mjs files.
const script = (name: string) => pathToFileURL(path.join(repoRoot, 'scripts', name)).href;
const loadVscodeWeb = async (): Promise<VscodeWeb> => (await import(script('vscode-web.mjs'))) as VscodeWeb;
const loadPackager = async (): Promise<Packager> => (await import(script('package.mjs'))) as Packager;

export interface WorkbenchOptions {
  /** User settings, merged over the quiet defaults of scripts/vscode-web.mjs. */
  settings?: Record<string, unknown>;
  /** Folder to open as the workspace. */
  folder?: string;
  /** Extra environment for the server and thus the extension host. */
  env?: Record<string, string>;
  /** The .vsix to install; dist/rill.vsix (packaged again if stale) by default. */
  vsix?: string;
  /**
   * More .vsix files to install beside Rill, after it, the same way. (An unpacked folder copied
   * into the extensions folder is not enough: the server removes what extensions.json does not list.)
   */
  extraExtensions?: string[];
  /**
   * How long the first load of the workbench page may take (30 s by default). On a busy machine it
   * can take a minute; openAgentBench also waits this long for Rill's first command and chat.
   */
  loadTimeoutMs?: number;
}

export interface Workbench {
  page: Page;
  /**
   * Runs a command through the palette by its title as shown there, e.g. `Rill: Open Chat`, waiting
   * up to `timeoutMs` (30 s by default) for it to be listed.
   */
  runCommand(title: string, timeoutMs?: number): Promise<void>;
  /** The (nested) frame whose document contains `selector`, e.g. a webview's content. */
  webviewFrame(selector: string, timeoutMs?: number): Promise<Frame>;
  screenshot(file: string): Promise<void>;
  serverLogs(): string;
  /** The folder holding VS Code's user data (settings, logs, extension storage) for this workbench. */
  userDataDir(): string;
  close(): Promise<void>;
  /** Every frame whose document contains `selector` now (no waiting), e.g. all open chat webviews. */
  webviewFrames(selector: string): Promise<Frame[]>;
  /** The URL the workbench is served from (changes when a restart had to take another port). */
  serverUrl(): string;
  /**
   * Crashes the VS Code server: SIGKILL to its whole process group (server, extension host,
   * helpers), as a power cut or an OOM kill would. Then starts it again with the same user-data
   * and extensions folders (on the same port when it is free again, else on another one), loads
   * the workbench in the same page and waits until it is laid out. Returns how long it took.
   */
  restartServer(): Promise<{ killMs: number; startMs: number; loadMs: number }>;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    // Without the networking flags Chromium keeps trying to reach the (closed) network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const { installVsix, launchCodeServer } = await loadVscodeWeb();
  const vsix = options.vsix ?? (await (await loadPackager()).ensureVsix());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-web-'));
  const extensionsDir = path.join(tmp, 'extensions');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  const launchOptions = {
    userDataDir: path.join(tmp, 'user-data'),
    extensionsDir,
    folder: options.folder,
    settings: options.settings,
    env: options.env,
  };

  try {
    installVsix(vsix, launchOptions);
    // installVsix returns Rill's folder, whatever it installed: the extra ones are not looked up.
    for (const file of options.extraExtensions ?? []) installVsix(file, launchOptions);
    server = await launchCodeServer(launchOptions);
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url, options.loadTimeoutMs ? { timeout: options.loadTimeoutMs } : {});
    // The status bar is among the last parts laid out; once it is there keybindings (F1) work.
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    return {
      page,
      runCommand: (title, timeoutMs) => runCommand(page, title, timeoutMs),
      webviewFrame: (selector, timeoutMs) => findFrame(page, selector, timeoutMs),
      screenshot: async (file) => {
        await page.screenshot({ path: file });
      },
      serverLogs: () => server?.logs() ?? '',
      userDataDir: () => launchOptions.userDataDir,
      close,
      webviewFrames: (selector) => framesWith(page, selector),
      serverUrl: () => server?.url ?? '',
      restartServer: async () => {
        const old = server;
        if (!old) throw new Error('the server is not running');
        const started = performance.now();
        await crash(old);
        server = undefined;
        const killed = performance.now();
        try {
          server = await launchCodeServer({ ...launchOptions, port: old.port });
        } catch {
          // The port was taken meanwhile (or not released yet): any free port will do.
          server = await launchCodeServer(launchOptions);
        }
        const up = performance.now();
        await page.goto(server.url);
        await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
        return { killMs: killed - started, startMs: up - killed, loadMs: performance.now() - up };
      },
    };
  } catch (error) {
    const logs = server?.logs();
    await close();
    if (logs === undefined || !(error instanceof Error)) throw error;
    error.message += `\n--- code-server output ---\n${logs}`;
    throw error;
  }
}

/**
 * F1, enter the title, choose the entry whose label is exactly the title. The palette lists the
 * commands known when it opens and an extension's commands are registered a moment after the
 * workbench shows, so a missing entry means: close the palette and try again, waiting longer each time.
 */
async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const label = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const entry = widget.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: label }) });
  const deadline = Date.now() + timeoutMs;
  for (let wait = 1_000; ; wait = Math.min(wait + 500, 5_000)) {
    // Keys typed while a webview's iframe has focus go to the webview, not to the workbench: give
    // focus back to the workbench's own document first.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('F1');
    const input = widget.locator('input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    // `>` keeps the palette in command mode; fill() also replaces any preserved input.
    await input.fill(`>${title}`);
    try {
      await entry.first().waitFor({ state: 'visible', timeout: Math.max(Math.min(wait, deadline - Date.now()), 1) });
      await entry.first().click();
      // The palette closes, or gives way to the command's own picker (a new, different input).
      await page.waitForFunction(
        (typed) => {
          const box = document.querySelector('.quick-input-widget') as HTMLElement | null;
          const input = box?.querySelector('input');
          return !box || box.style.display === 'none' || !box.offsetParent || input?.value !== typed;
        },
        `>${title}`,
        { timeout: 10_000 },
      );
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        const shown = await widget.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
        throw new Error(`command "${title}" not found in the palette (showing: ${JSON.stringify(shown)})`, { cause: error });
      }
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    }
  }
}

/**
 * SIGKILL to the server's process group, then waits until its main process has exited (which
 * closes its listening socket). The rest of the group can take another second or two to be
 * reaped; nothing of it runs any more, so that is left to happen in the background.
 */
async function crash(server: CodeServer): Promise<void> {
  const child = server.process;
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  await exited;
  // Unhooks the server's exit-time kill once the group is gone (there is nothing left to stop).
  void server.stop().catch(() => undefined);
}

async function framesWith(page: Page, selector: string): Promise<Frame[]> {
  const found: Frame[] = [];
  for (const frame of page.frames()) {
    if ((await frame.locator(selector).count().catch(() => 0)) > 0) found.push(frame);
  }
  return found;
}

async function findFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      // A frame may navigate or detach while it is being asked.
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() >= deadline) throw new Error(`no frame contains ${selector} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
