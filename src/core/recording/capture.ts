import type { Fetch } from '../stream/byte-watch';

/**
 * What Rill saw of one HTTP exchange: the request as sent, and the response's status, headers
 * and body bytes exactly as they arrived, each network chunk with its byte offset and its
 * arrival time in milliseconds from the moment the request was handed to `fetch`. Secrets are
 * still in here: `writeRecording` redacts when it saves, so capturing costs nothing extra.
 */
export interface CapturedExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** The request body when it was text (the SDK sends JSON); absent otherwise. */
  requestBody?: string;
  status?: number;
  statusText?: string;
  responseHeaders?: Record<string, string>;
  /** When the response headers arrived. */
  headersAt?: number;
  /** Parallel arrays, one entry per network chunk kept (no object per chunk on the hot path). */
  offsets: number[];
  ats: number[];
  chunks: Uint8Array[];
  /** Bytes received in all, including any not kept once the cap was reached. */
  totalBytes: number;
  /** Bytes kept (`chunks` summed). */
  keptBytes: number;
  /** True when the cap cut this exchange's bytes: the chunks stop at `keptBytes`. */
  truncated: boolean;
  /**
   * How the body stopped: `end` (the server closed it cleanly), `error` (the connection failed,
   * or fetch itself failed before headers), `cancel` (the client stopped reading: the user's
   * Stop, the idle watchdog, or a client that returns at `[DONE]` while the server holds on).
   */
  end?: { at: number; how: 'end' | 'error' | 'cancel'; error?: string };
}

export interface StreamCaptureOptions {
  /** Most body bytes kept over all exchanges (8 MiB by default); later bytes are counted, not kept. */
  maxBytes?: number;
  now?: () => number;
}

export const DEFAULT_CAPTURE_BYTES = 8 * 1024 * 1024;

/**
 * Keeps the exchanges of one answer (one per HTTP attempt; several in agent mode). Memory is
 * bounded by `maxBytes`: a long answer's recording is cut with a note rather than growing
 * without limit. Chunks are kept by reference, not copied: a web stream hands each chunk over
 * to its reader and nobody writes into it afterwards (the SDK only decodes it).
 */
export class StreamCapture {
  readonly exchanges: CapturedExchange[] = [];
  private readonly maxBytes: number;
  private readonly now: () => number;
  private kept = 0;

  constructor(options: StreamCaptureOptions = {}) {
    this.maxBytes = Math.max(0, options.maxBytes ?? DEFAULT_CAPTURE_BYTES);
    this.now = options.now ?? (() => performance.now());
  }

  /** Bytes held in memory by this capture. */
  get keptBytes(): number {
    return this.kept;
  }

  /** Starts an exchange; the returned functions record its response, chunks and end. */
  begin(request: { method: string; url: string; headers: Record<string, string>; body?: string }): ExchangeRecorder {
    const start = this.now();
    const exchange: CapturedExchange = {
      method: request.method,
      url: request.url,
      requestHeaders: request.headers,
      ...(request.body !== undefined ? { requestBody: request.body } : {}),
      offsets: [],
      ats: [],
      chunks: [],
      totalBytes: 0,
      keptBytes: 0,
      truncated: false,
    };
    this.exchanges.push(exchange);
    const at = () => this.now() - start;
    return {
      response: (status, statusText, headers) => {
        exchange.headersAt = at();
        exchange.status = status;
        exchange.statusText = statusText;
        exchange.responseHeaders = headers;
      },
      // Hot path: two array pushes and a reference.
      chunk: (bytes) => {
        const offset = exchange.totalBytes;
        exchange.totalBytes += bytes.byteLength;
        if (exchange.truncated || this.kept + bytes.byteLength > this.maxBytes) {
          exchange.truncated = true;
          return;
        }
        this.kept += bytes.byteLength;
        exchange.keptBytes += bytes.byteLength;
        exchange.offsets.push(offset);
        exchange.ats.push(at());
        exchange.chunks.push(bytes);
      },
      end: (how, error) => {
        if (exchange.end) return;
        exchange.end = { at: at(), how, ...(error !== undefined ? { error: describe(error) } : {}) };
      },
    };
  }
}

export interface ExchangeRecorder {
  response(status: number, statusText: string, headers: Record<string, string>): void;
  chunk(bytes: Uint8Array): void;
  end(how: 'end' | 'error' | 'cancel', error?: unknown): void;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.name}: ${error.message} (${cause.message})` : `${error.name}: ${error.message}`;
  }
  return String(error);
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/**
 * Wraps the transport so that `capture` sees every exchange's bytes as they arrive. Put it
 * closest to the network (inside `tracedFetch`), so arrival times are the transport's own. The
 * body is re-exposed through a pull stream: one chunk in, the same chunk out, so the SDK sees
 * exactly the chunking it would have seen.
 */
export function captureFetch(fetchImpl: Fetch, capture: StreamCapture): Fetch {
  return async (input, init) => {
    const request = typeof input === 'object' && !(input instanceof URL) ? input : undefined;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? request?.method ?? 'GET';
    const headers = headerRecord(new Headers(init?.headers ?? request?.headers));
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const exchange = capture.begin({ method, url, headers, ...(body !== undefined ? { body } : {}) });
    // The client's own abort (Stop, the idle watchdog) is a cancel, not a failure of the server.
    const signal = init?.signal ?? request?.signal;
    const failed = (error: unknown) => exchange.end(signal?.aborted ? 'cancel' : 'error', error);
    let response: Response;
    try {
      response = await fetchImpl(input, init);
    } catch (error) {
      failed(error);
      throw error;
    }
    exchange.response(response.status, response.statusText, headerRecord(response.headers));
    if (!response.body) {
      exchange.end('end');
      return response;
    }
    // A pull stream rather than a TransformStream: it also sees the body fail or be cancelled,
    // which a transformer cannot on Node 20 (the extension host's). highWaterMark 0: nothing is
    // read ahead of the SDK, so chunks pass one for one.
    const reader = response.body.getReader();
    const watched = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          let result: Awaited<ReturnType<typeof reader.read>>;
          try {
            result = await reader.read();
          } catch (error) {
            failed(error);
            controller.error(error);
            return;
          }
          if (result.done) {
            exchange.end('end');
            controller.close();
            return;
          }
          exchange.chunk(result.value);
          controller.enqueue(result.value);
        },
        cancel(reason) {
          exchange.end('cancel');
          return reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
