/**
 * When to try a failed request again, and after how long. The SDK has the same policy built in,
 * but runs it invisibly; Rill runs it itself (with the SDK's retries off) so the user sees
 * "retrying in N s" and can stop the wait. Retries happen only before the first byte of an answer.
 */

const MAX_HINT_MS = 60_000;

/** Reads `retry-after-ms`, then `retry-after` (seconds or an HTTP date), as the SDK does. */
export function retryAfterFromHeaders(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : date - now;
}

/**
 * Milliseconds to wait before attempt `attempt + 1` (attempt counts from 1). A server hint
 * between 0 and 60 s is obeyed; otherwise exponential backoff from 0.5 s, capped at 8 s, less up
 * to 25 % jitter so that many clients do not retry in step.
 */
export function retryDelayMs(attempt: number, hintMs: number | undefined, random: () => number = Math.random): number {
  if (hintMs !== undefined && hintMs >= 0 && hintMs <= MAX_HINT_MS) return hintMs;
  const backoff = Math.min(500 * 2 ** (attempt - 1), 8000);
  return Math.round(backoff * (1 - random() * 0.25));
}

/** Statuses worth another try, unless the server says otherwise with `x-should-retry`. */
export function isRetryableStatus(status: number, shouldRetryHeader: string | null): boolean {
  if (shouldRetryHeader === 'true') return true;
  if (shouldRetryHeader === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
