import type { Frame } from 'playwright-core';

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
