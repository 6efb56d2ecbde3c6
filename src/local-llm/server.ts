// Rill's own OpenAI-compatible server. Tests use it to replay what real providers send, byte for
// byte (queue Scripts with `enqueue`); the extension uses it as the offline demo model. Pure
// `node:http`, loopback only: it must never be reachable from another machine.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DEMO_MODEL_ID, demoScript, type ChatRequestBody } from './demo';
import { runScript, type Script, type ScriptOutcome } from './script';
import { errorResponse, jsonResponse } from './sse';

/** The only address the server binds. */
export const LOOPBACK_HOST = '127.0.0.1';

export interface LlmServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Pause between chunks of the demo reply (default 15 ms; tests use 0). */
  demoDelayMs?: number;
  /** Ids listed by `GET /v1/models` (default `[DEMO_MODEL_ID]`). */
  models?: string[];
  /** Only `127.0.0.1` is accepted; anything else rejects (the option exists so callers cannot widen it by accident). */
  host?: string;
}

/** One chat request as the server saw it. */
export interface RecordedRequest {
  /** Position in `server.requests`. */
  index: number;
  method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  /** Query parameters (Azure's `api-version`). */
  query: Record<string, string>;
  /** Set for Azure's `/openai/deployments/<deployment>/chat/completions`. */
  deployment: string | undefined;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The parsed JSON body; `{}` when it was not a JSON object (see `bodyIsJson`). */
  body: ChatRequestBody;
  /** False when the body was not a JSON object (the server answered 400). */
  bodyIsJson: boolean;
  rawBody: string;
  /** `performance.now()` when the request line arrived (same clock as the test's `performance.now()`). */
  receivedAt: number;
  /** `Date.now()` at the same moment. */
  receivedAtWall: number;
  /** Value of the `x-request-id` response header. */
  requestId: string;
  /** `script.name` of the response ("demo" for the default reply). */
  scriptName: string | undefined;
  /** How the script ended; undefined while it runs. `held` responses stay open until closed. */
  outcome: ScriptOutcome | undefined;
  /** `performance.now()` when the response closed (finished, or its socket went away); undefined while open. */
  closedAt: number | undefined;
  /** True if the response was fully sent before it closed; false if the connection died first. */
  finishedNormally: boolean | undefined;
  /**
   * When each write step of the response was handed to the socket, as epoch milliseconds with
   * sub-millisecond precision (`performance.timeOrigin + performance.now()`): comparable with a
   * browser's clock on the same machine, for socket-to-screen latency.
   */
  writeTimes: number[];
}

export interface LlmServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:11435/v1`. */
  readonly url: string;
  /** Base URL without `/v1`, e.g. for Azure's `endpoint`. */
  readonly origin: string;
  readonly port: number;
  /** The bound address, straight from the listening socket (always 127.0.0.1). */
  address(): AddressInfo;
  /** Every chat request received, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Ids listed by `GET /v1/models`; may be replaced. */
  models: string[];
  /** Pause between demo chunks. */
  demoDelayMs: number;
  /** Adds scripts; each chat request consumes the next one. */
  enqueue(...scripts: Script[]): void;
  /** Scripts not yet consumed. */
  pending(): number;
  /**
   * Used when the queue is empty instead of the demo reply (e.g. "500 every time"); `null` restores
   * the demo. A list is served in turn, starting over after its last (a replayed recording's attempts).
   */
  setDefaultScript(script: Script | readonly Script[] | null): void;
  /** Resolves when request `index` has arrived (rejects after `timeoutMs`, default 5000). */
  waitForRequest(index: number, timeoutMs?: number): Promise<RecordedRequest>;
  /**
   * Resolves with `requests[index]` once that response has closed (`closedAt` and
   * `finishedNormally` set) and its script has settled (`outcome` set); rejects after `timeoutMs`
   * (default 5000).
   */
  waitForClose(index: number, timeoutMs?: number): Promise<RecordedRequest>;
  /** Stops listening and destroys every open connection, including held ones. */
  close(): Promise<void>;
}

const CHAT_PATHS = /^\/(?:v1|openai\/v1)\/chat\/completions\/?$/;
const AZURE_DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)\/chat\/completions\/?$/;
const MODELS_PATH = /^\/(?:v1|openai\/v1)\/models\/?$/;
const MODEL_PATH = /^\/(?:v1|openai\/v1)\/models\/([^/]+)$/;
const MAX_BODY_BYTES = 32 * 1024 * 1024;

function newRequestId(): string {
  return `req_${randomBytes(12).toString('hex')}`;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      parts.push(part);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): ChatRequestBody | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as ChatRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the server on 127.0.0.1. */
export async function startLlmServer(options: LlmServerOptions = {}): Promise<LlmServer> {
  if (options.host !== undefined && options.host !== LOOPBACK_HOST) {
    throw new Error(`Rill's local LLM server only binds ${LOOPBACK_HOST}, not ${options.host}.`);
  }
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  // Aborted on close(): sleeping and held scripts stop at once.
  const shutdown = new AbortController();
  const sockets = new Set<Socket>();
  // Indices of requests whose body has been read (the record exists earlier, from the request line).
  const arrived = new Set<number>();
  let defaultScripts: Script[] = [];
  let nextDefault = 0;
  let nextId = 1;

  const state = {
    models: options.models ? [...options.models] : [DEMO_MODEL_ID],
    demoDelayMs: options.demoDelayMs ?? 15,
  };

  const play = (res: ServerResponse, script: Script): Promise<ScriptOutcome> => runScript(res, script, shutdown.signal);

  const notFound = (req: IncomingMessage, res: ServerResponse, pathname: string): void => {
    void play(
      res,
      errorResponse(404, {
        message: `Invalid URL (${req.method ?? 'GET'} ${pathname})`,
        type: 'invalid_request_error',
        code: null,
      }),
    );
  };

  const handleChat = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    deployment: string | undefined,
    receivedAt: number,
    receivedAtWall: number,
    requestId: string,
  ): Promise<void> => {
    const record: RecordedRequest = {
      index: requests.length,
      method: req.method ?? 'POST',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      deployment,
      headers: flattenHeaders(req),
      body: {},
      bodyIsJson: false,
      rawBody: '',
      receivedAt,
      receivedAtWall,
      requestId,
      scriptName: undefined,
      outcome: undefined,
      closedAt: undefined,
      finishedNormally: undefined,
      writeTimes: [],
    };
    requests.push(record);
    // 'close' is announced once the response has closed AND the script has settled, so a waiter
    // sees `outcome` too (a client abort closes the response before the runner notices).
    const announceIfSettled = (): void => {
      if (record.closedAt !== undefined && record.outcome !== undefined) events.emit('close', record);
    };
    res.once('close', () => {
      record.closedAt = performance.now();
      record.finishedNormally = res.writableFinished;
      announceIfSettled();
    });

    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      arrived.add(record.index);
      events.emit('request', record);
      record.outcome = 'aborted';
      announceIfSettled();
      return;
    }
    record.rawBody = raw;
    const parsed = parseBody(raw);
    record.body = parsed ?? {};
    record.bodyIsJson = parsed !== undefined;
    arrived.add(record.index);
    events.emit('request', record);

    let script: Script;
    if (!record.bodyIsJson) {
      // What OpenAI answers to a body that is not JSON; no script is consumed.
      script = errorResponse(400, {
        message: 'We could not parse the JSON body of your request.',
        type: 'invalid_request_error',
      });
    } else {
      script =
        queue.shift() ??
        (defaultScripts.length ? defaultScripts[nextDefault++ % defaultScripts.length] : undefined) ??
        demoScript(record.body, {
          delayMs: state.demoDelayMs,
          id: `chatcmpl-rill${String(nextId++).padStart(24, '0')}`,
          created: Math.floor(Date.now() / 1000),
        });
    }
    record.scriptName = script.name;
    record.outcome = await runScript(res, script, shutdown.signal, () => record.writeTimes.push(performance.timeOrigin + performance.now()));
    announceIfSettled();
  };

  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    const receivedAt = performance.now();
    const receivedAtWall = Date.now();
    const requestId = newRequestId();
    // Set first so every response has one; a script's own x-request-id header overrides it.
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}`);
    const method = req.method ?? 'GET';

    const azure = AZURE_DEPLOYMENT_PATH.exec(url.pathname);
    if (method === 'POST' && (CHAT_PATHS.test(url.pathname) || azure)) {
      const deployment = azure?.[1] !== undefined ? decodeURIComponent(azure[1]) : undefined;
      void handleChat(req, res, url, deployment, receivedAt, receivedAtWall, requestId);
      return;
    }
    if (method === 'GET' && MODELS_PATH.test(url.pathname)) {
      void play(
        res,
        jsonResponse(200, {
          object: 'list',
          data: state.models.map((id) => ({ id, object: 'model', created: 1_735_689_600, owned_by: 'rill' })),
        }),
      );
      return;
    }
    const model = MODEL_PATH.exec(url.pathname);
    if (method === 'GET' && model?.[1] !== undefined) {
      const id = decodeURIComponent(model[1]);
      void play(
        res,
        state.models.includes(id)
          ? jsonResponse(200, { id, object: 'model', created: 1_735_689_600, owned_by: 'rill' })
          : errorResponse(404, {
              message: `The model \`${id}\` does not exist or you do not have access to it.`,
              type: 'invalid_request_error',
              code: 'model_not_found',
            }),
      );
      return;
    }
    req.resume();
    notFound(req, res, url.pathname);
  });

  server.on('connection', (socket: Socket) => {
    // Per-write timing must be real: no Nagle coalescing of small writes.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A client that sends garbage should not crash the host (the extension host shares this process).
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host: LOOPBACK_HOST, port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const origin = `http://${LOOPBACK_HOST}:${address.port}`;

  const waitFor = (
    index: number,
    timeoutMs: number,
    event: 'request' | 'close',
    ready: (record: RecordedRequest) => boolean,
  ): Promise<RecordedRequest> => {
    const existing = requests[index];
    if (existing && ready(existing)) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        events.off(event, listener);
        reject(new Error(`request ${index}: no '${event}' within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (record: RecordedRequest): void => {
        if (record.index !== index || !ready(record)) return;
        clearTimeout(timer);
        events.off(event, listener);
        resolve(record);
      };
      events.on(event, listener);
    });
  };

  let closing: Promise<void> | undefined;

  return {
    url: `${origin}/v1`,
    origin,
    port: address.port,
    address: () => server.address() as AddressInfo,
    requests,
    get models() {
      return state.models;
    },
    set models(ids: string[]) {
      state.models = [...ids];
    },
    get demoDelayMs() {
      return state.demoDelayMs;
    },
    set demoDelayMs(ms: number) {
      state.demoDelayMs = ms;
    },
    enqueue(...scripts: Script[]) {
      // Copies, so a test that reuses a Script object cannot change what is queued.
      queue.push(...scripts.map((script) => structuredClone(script)));
    },
    pending: () => queue.length,
    setDefaultScript(script: Script | readonly Script[] | null) {
      defaultScripts = script === null ? [] : structuredClone(Array.isArray(script) ? [...script] : [script as Script]);
      nextDefault = 0;
    },
    waitForRequest: (index, timeoutMs = 5000) =>
      waitFor(index, timeoutMs, 'request', (record) => arrived.has(record.index)),
    waitForClose: (index, timeoutMs = 5000) =>
      waitFor(
        index,
        timeoutMs,
        'close',
        (record) => record.closedAt !== undefined && record.outcome !== undefined,
      ),
    close() {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
