/** The `fetch` signature the `openai` SDK accepts. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps `fetch` so that `onActivity` is called when response headers arrive and on every block of
 * body bytes, and `onBytes` with each block. It does not parse or change anything: the SDK still
 * reads the SSE stream. The idle watchdog needs this because the SDK has no inactivity timeout
 * once headers have arrived, and because keep-alive comments (bytes the SDK drops) must count as
 * a server that is alive; `onBytes` lets the engine see whether the body ended with `[DONE]`,
 * which the SDK does not report.
 */
export function observeBytes(
  fetchImpl: Fetch,
  onActivity: (response: Response) => void,
  onBytes?: (chunk: Uint8Array) => void,
): Fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    onActivity(response);
    if (!response.body) return response;
    const watched = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          onActivity(response);
          onBytes?.(chunk);
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * Calls `onIdle` once when `touch()` has not been called for `timeoutMs`. `touch()` runs on
 * every block of bytes, so it only records the time; the single timer re-arms itself for the
 * remainder when it wakes early, instead of being reset per block.
 */
export class IdleWatchdog {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = 0;
  private fired = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly onIdle: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get hasFired(): boolean {
    return this.fired;
  }

  start(): void {
    this.last = this.now();
    this.arm(this.timeoutMs);
  }

  touch(): void {
    this.last = this.now();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const idle = this.now() - this.last;
      if (idle >= this.timeoutMs) {
        this.fired = true;
        this.timer = undefined;
        this.onIdle();
      } else {
        this.arm(this.timeoutMs - idle);
      }
    }, ms);
  }
}
