import type { Frame } from 'playwright-core';
import type { Workbench } from './workbench';

/** Every assistant message in a chat webview. */
export const ANSWERS = '[data-testid="message"][data-role="assistant"]';

/** Sends a prompt through the composer and returns the index its answer will have. */
export async function send(frame: Frame, prompt: string): Promise<number> {
  const n = await frame.$$eval(ANSWERS, (els) => els.length);
  const input = await frame.waitForSelector('[data-testid="chat-input"]');
  await input.fill(prompt);
  await input.press('Enter');
  return n;
}

/** Waits until the n-th answer has reached `state`. */
export async function waitForAnswer(frame: Frame, n: number, state: string, timeoutMs = 20_000): Promise<void> {
  await frame.waitForFunction(
    ([selector, i, wanted]) => document.querySelectorAll(selector)[i]?.getAttribute('data-state') === wanted,
    [ANSWERS, n, state] as const,
    { timeout: timeoutMs },
  );
}

/** The n-th answer's rendered text and state (the last one when n is omitted). */
export async function answer(frame: Frame, n?: number): Promise<{ text: string; state: string | undefined }> {
  return frame.$$eval(
    ANSWERS,
    (els, i) => {
      const el = els[i ?? els.length - 1];
      return { text: el?.querySelector('[data-testid="message-body"]')?.textContent ?? '', state: el?.getAttribute('data-state') ?? undefined };
    },
    n,
  );
}

/**
 * Runs Rill: Open Chat and returns the chat's frame. On a loaded machine the palette can take
 * longer than runCommand's 30 s to list a command the first time: it is tried again.
 */
export async function openChat(workbench: Workbench, attempts = 3): Promise<Frame> {
  for (let attempt = 1; ; attempt++) {
    try {
      await workbench.runCommand('Rill: Open Chat');
      break;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
  return workbench.webviewFrame('[data-testid="chat-input"]');
}

/** Opens answer n's flow diagram on its Timeline tab (chart drawn) and returns the diagram view's frame. */
export async function openTimeline(workbench: Workbench, chat: Frame, n: number): Promise<Frame> {
  await chat.locator(ANSWERS).nth(n).hover();
  await chat.locator(ANSWERS).nth(n).locator('[data-testid="show-diagram"]').click();
  const frame = await workbench.webviewFrame('[data-testid="diagram-drawing"] svg', 30_000);
  await frame.click('[data-testid="tab-timeline"]');
  await frame.waitForSelector('[data-testid="timeline"] canvas', { timeout: 10_000 });
  return frame;
}
