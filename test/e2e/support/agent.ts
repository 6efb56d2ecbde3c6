// Agent mode in the real workbench: a workspace folder with files, Rill's local server, the chat,
// and readers for the tool steps the chat shows and for the requests the model was sent.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Frame } from 'playwright-core';
import { startLlmServer, type LlmServer, type RecordedRequest } from '../../../src/local-llm';
import { openWorkbench, type Workbench, type WorkbenchOptions } from './workbench';

export const artifacts = join(__dirname, '..', '..', '..', 'test-results', 'e2e');
export const STEPS = '[data-testid="tool-step"]';
export const fixtures = join(__dirname, '..', 'fixtures');

export interface AgentBench {
  server: LlmServer;
  workbench: Workbench;
  chat: Frame;
  /** The workspace folder the workbench opened. */
  folder: string;
  close(): Promise<void>;
}

export interface AgentBenchOptions extends Pick<WorkbenchOptions, 'env' | 'extraExtensions' | 'loadTimeoutMs'> {
  /** Files of the workspace folder, by relative path. */
  files?: Record<string, string>;
  /** User settings over the ones that point Rill at the local server. */
  settings?: Record<string, unknown>;
  /** Leave Rill unconfigured (the offline demo model) instead of pointing it at the local server. */
  demo?: boolean;
}

/**
 * Packages a fixture extension folder as a .vsix with vsce (as Rill itself is packaged), into a
 * new temporary folder; returns the file. The caller removes `dirname(file)`.
 */
export function packFixture(folder: string): string {
  const out = mkdtempSync(join(tmpdir(), 'rill-fixture-vsix-'));
  const stage = join(out, 'stage');
  cpSync(folder, stage, { recursive: true });
  const file = join(out, 'fixture.vsix');
  const vsce = join(__dirname, '..', '..', '..', 'node_modules', '@vscode', 'vsce', 'vsce');
  // stdin closed: vsce must fail rather than wait on a question.
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', file], {
    cwd: stage,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`vsce package ${folder} failed:\n${result.stdout}${result.stderr}`);
  return file;
}

/** A workspace folder with `files`, the local server, a workbench on that folder and Rill's chat open. */
export async function openAgentBench(options: AgentBenchOptions = {}): Promise<AgentBench> {
  mkdirSync(artifacts, { recursive: true });
  const folder = mkdtempSync(join(tmpdir(), 'rill-agent-ws-'));
  for (const [file, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    writeFileSync(join(folder, file), text);
  }
  const server = await startLlmServer({ demoDelayMs: 0 });
  let workbench: Workbench | undefined;
  try {
    // No rill.contextTokens: the model is unknown to Rill, so these run in the 8192-token window it
    // assumes, as a user's local model would: the tools offered and their results must fit it.
    const rill = options.demo ? {} : { 'rill.provider': 'openai-compatible', 'rill.baseUrl': server.url, 'rill.model': 'rill-e2e' };
    workbench = await openWorkbench({
      folder,
      settings: { ...rill, ...options.settings },
      ...(options.env ? { env: options.env } : {}),
      ...(options.extraExtensions ? { extraExtensions: options.extraExtensions } : {}),
      ...(options.loadTimeoutMs ? { loadTimeoutMs: options.loadTimeoutMs } : {}),
    });
    await workbench.runCommand('Rill: Open Chat', options.loadTimeoutMs);
    const chat = await workbench.webviewFrame('[data-testid="chat-input"]', options.loadTimeoutMs);
    const opened = workbench;
    return {
      server,
      workbench: opened,
      chat,
      folder,
      close: async () => {
        await opened.close();
        await server.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await workbench?.close();
    await server.close();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** What one tool step shows. */
export interface StepShown {
  tool: string;
  state: string;
  stopped: boolean;
  status: string;
  arguments: string;
  command: string | undefined;
  diff: string | undefined;
  result: string | undefined;
  error: string | undefined;
  approval: boolean;
}

/** Every tool step of the chat, in order. */
export async function steps(frame: Frame): Promise<StepShown[]> {
  // No named inner functions here: tsx would wrap them in a helper the page does not have.
  return frame.$$eval(STEPS, (els) =>
    els.map((el) => ({
      tool: el.getAttribute('data-tool') ?? '',
      state: el.getAttribute('data-state') ?? '',
      stopped: el.getAttribute('data-stopped') === 'true',
      status: el.querySelector('[data-testid="tool-status"]')?.textContent ?? '',
      arguments: el.querySelector('[data-testid="tool-arguments"]')?.textContent ?? '',
      command: el.querySelector('[data-testid="tool-command"] code')?.textContent ?? undefined,
      diff: el.querySelector('[data-testid="tool-diff-lines"]')?.textContent ?? undefined,
      result: el.querySelector('[data-testid="tool-result"] pre')?.textContent ?? undefined,
      error: el.querySelector('[data-testid="tool-error"]')?.textContent ?? undefined,
      approval: !!el.querySelector('[data-testid="tool-approval"]'),
    })),
  );
}

/** Waits until step `index` of the chat (0-based, in order) exists and shows `state`; returns what it shows. */
export async function waitForStep(frame: Frame, index: number, state: string, timeoutMs = 30_000): Promise<StepShown> {
  try {
    await frame.waitForFunction(
      ([selector, i, wanted]) => document.querySelectorAll(selector)[i]?.getAttribute('data-state') === wanted,
      [STEPS, index, state] as const,
      { timeout: timeoutMs },
    );
  } catch (error) {
    throw new Error(`step ${index} did not reach ${state}; the steps: ${JSON.stringify(await steps(frame).catch(() => []))}`, { cause: error });
  }
  return (await steps(frame))[index] as StepShown;
}

/** How many tool steps the chat shows now. */
export const stepCount = (frame: Frame): Promise<number> => frame.$$eval(STEPS, (els) => els.length);

/** A button of step `index`'s approval bar. */
export const stepButton = (index: number, id: 'tool-allow' | 'tool-allow-conversation' | 'tool-deny' | 'tool-open-diff') =>
  `${STEPS} >> nth=${index} >> [data-testid="${id}"]`;

interface ChatMessage {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
}

/** The messages of a recorded request. */
export const messagesOf = (request: RecordedRequest | undefined): ChatMessage[] => (request?.body.messages ?? []) as ChatMessage[];

/** The names of the tools a request offered (empty when it had no `tools`). */
export function toolsOffered(request: RecordedRequest | undefined): string[] {
  const tools = request?.body['tools'];
  if (!Array.isArray(tools)) return [];
  return tools.map((tool) => (tool as { function?: { name?: string } }).function?.name ?? '');
}

/** The text of a message's content (a string, or text parts). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('');
}

/** The `tool` messages a request carried (earlier answers' too), as `{ id, text }`. */
export function toolMessages(request: RecordedRequest | undefined): Array<{ id: string; text: string }> {
  return messagesOf(request)
    .filter((m) => m.role === 'tool')
    .map((m) => ({ id: m.tool_call_id ?? '', text: contentText(m.content) }));
}

/** Saves a screenshot named after the test when it failed. */
export async function screenshotOnFailure(context: Mocha.Context, workbench: Workbench | undefined, prefix: string): Promise<void> {
  const test = context.currentTest;
  if (test?.state !== 'failed' || !workbench) return;
  const name = test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  await workbench.screenshot(join(artifacts, `failed-${prefix}-${name}.png`)).catch(() => undefined);
}

/**
 * Records, from now on, every state each tool step shows (by step id, in order) and whether its
 * approval bar ever appeared: a state that lasts one message from the host is still seen.
 */
export async function watchSteps(frame: Frame): Promise<void> {
  // tsx names inner functions through a helper `__name` that the page does not have.
  await frame.evaluate('globalThis.__name ??= (fn) => fn');
  await frame.evaluate((selector) => {
    const seen: Record<string, { tool: string; states: string[]; asked: boolean }> = {};
    (window as unknown as { rillSteps: typeof seen }).rillSteps = seen;
    const scan = (): void => {
      for (const el of document.querySelectorAll(selector)) {
        const id = el.getAttribute('data-step-id') ?? '';
        const entry = (seen[id] ??= { tool: el.getAttribute('data-tool') ?? '', states: [], asked: false });
        const state = el.getAttribute('data-state') ?? '';
        if (entry.states[entry.states.length - 1] !== state) entry.states.push(state);
        if (el.querySelector('[data-testid="tool-approval"]')) entry.asked = true;
      }
    };
    scan();
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  }, STEPS);
}

/** What watchSteps recorded, by step id. */
export async function watchedSteps(frame: Frame): Promise<Record<string, { tool: string; states: string[]; asked: boolean }>> {
  return frame.evaluate(() => (window as unknown as { rillSteps: Record<string, { tool: string; states: string[]; asked: boolean }> }).rillSteps);
}

/** Starts a new, empty conversation in the chat. */
export async function newChat(frame: Frame): Promise<void> {
  await frame.click('[data-testid="new-chat"]');
  await frame.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 0);
}

/** Polls `read` until it returns `want` (or the time is up); returns the last value read. */
export async function eventually<T>(read: () => T, want: T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value === want || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
