import type { Problem, StreamOutcome } from '../../../../src/core/stream/events';
import { TraceRecorder, type RequestTrace, type TraceRecorderOptions } from '../../../../src/core/trace/trace';

/** The epoch time of the fake clock's zero: webview times are `TIME_ORIGIN + t`. */
export const TIME_ORIGIN = 1_750_000_000_000;
const OPENAI_URL = 'https://api.openai.com/v1/chat/completions';

/**
 * A recorder on a fake clock, driven the way the host will drive it: engine events through
 * `onEvent`, the other hops through their methods, and time advanced explicitly between hops.
 */
export class Script {
  t = 1000;
  readonly recorder: TraceRecorder;
  private painted = false;

  constructor(options: TraceRecorderOptions = {}) {
    this.recorder = new TraceRecorder({ now: () => this.t, timeOrigin: TIME_ORIGIN, ...options });
  }

  wait(ms: number): this {
    this.t += ms;
    return this;
  }

  /** The webview's clock reading now (its `timeOrigin + performance.now()`). */
  webviewNow(skewMs = 0): number {
    return TIME_ORIGIN + this.t + skewMs;
  }

  /** The user sends; the host receives it 4.2 ms later and builds the request. */
  send(model = 'gpt-4o-mini', provider = 'openai', trigger = 'send'): this {
    this.recorder.userSent(this.webviewNow());
    this.wait(4.2).recorder.hostReceived(trigger);
    this.wait(1.3).recorder.requestBuilt({ messageCount: 5, promptTokens: 1234, model, provider });
    return this;
  }

  request(url = OPENAI_URL): this {
    this.wait(0.8).recorder.httpRequest({ method: 'POST', url });
    return this;
  }

  headers(status: number, attempt: number, afterMs = 312, requestId = `req_${attempt}a7f3`): this {
    this.wait(afterMs).recorder.onEvent({ kind: 'response', status, requestId, attempt });
    return this;
  }

  /** `count` chunks of `kind` with a deterministic pattern of gaps, a batch posted every 3 chunks. */
  chunks(kind: 'text' | 'reasoning' | 'toolCall' | 'refusal', count: number, options: { firstAfter?: number; longGapAt?: number } = {}): this {
    const r = this.recorder;
    if (options.firstAfter !== undefined) {
      this.wait(options.firstAfter);
      r.onEvent({ kind: 'firstChunk' });
    }
    let unposted = 0;
    for (let i = 0; i < count; i++) {
      if (i > 0 || options.firstAfter === undefined) this.wait(i === options.longGapAt ? 210 : 8 + ((i * 7) % 17));
      const text = 'tok'.repeat(1 + (i % 3));
      if (kind === 'toolCall') r.onEvent({ kind: 'toolCall', index: 0, argumentsDelta: text });
      else r.onEvent({ kind, text });
      r.bodyBytes(180 + text.length);
      unposted += text.length;
      if (kind !== 'toolCall' && (i % 3 === 2 || i === count - 1)) {
        this.wait(0.4).recorder.postedBatch(unposted, kind === 'reasoning' ? 'reasoning' : 'text');
        unposted = 0;
        // The webview paints 7.5 ms after the post; its acknowledgement reaches the host 1.1 ms later.
        if (!this.painted) this.wait(8.6).recorder.webviewPainted('first', this.webviewNow(-1.1));
        this.painted = true;
      }
    }
    return this;
  }

  retry(attempt: number, delayMs: number, problem: Omit<Problem, 'actions' | 'retryable'>): this {
    this.wait(2).recorder.onEvent({ kind: 'retrying', attempt, delayMs, problem: { ...problem, actions: ['retry'], retryable: true } });
    return this.wait(delayMs);
  }

  finish(outcome: Partial<StreamOutcome> & Pick<StreamOutcome, 'state'>, lastPaint = true): RequestTrace {
    this.wait(1.5).recorder.finished({ textLength: 0, toolCalls: [], attempts: 1, ...outcome });
    if (lastPaint) this.wait(7.2).recorder.webviewPainted('last', this.webviewNow(-1.1));
    return this.recorder.trace();
  }
}

const usage = (completionTokens: number) => ({ promptTokens: 1234, completionTokens, totalTokens: 1234 + completionTokens });

/** Every scenario drawn into golden files, by name. */
export const traceScenarios: Record<string, () => RequestTrace> = {
  normal: () =>
    new Script()
      .send()
      .request()
      .headers(200, 1)
      .chunks('text', 24, { firstAfter: 95, longGapAt: 11 })
      .finish({ state: 'done', finishReason: 'stop', usage: usage(31), textLength: 144 }),

  'retry-then-ok': () =>
    new Script()
      .send()
      .request()
      .headers(429, 1, 140, 'req_rl1')
      .retry(1, 1000, { kind: 'rate-limit', status: 429, requestId: 'req_rl1', retryAfterMs: 1000 })
      .request()
      .wait(30)
      .retry(2, 2000, { kind: 'connection', detail: 'fetch failed' })
      .request()
      .headers(200, 3, 280)
      .chunks('text', 8, { firstAfter: 120 })
      .finish({ state: 'done', finishReason: 'stop', usage: usage(11), textLength: 48, attempts: 3 }),

  stopped: () => {
    const s = new Script().send().request().headers(200, 1).chunks('text', 12, { firstAfter: 90 });
    s.wait(40).recorder.stopRequested(s.webviewNow());
    return s.wait(3).finish({ state: 'stopped', textLength: 72 });
  },

  'error-before-headers': () =>
    new Script()
      .send('llama3.1:8b', 'openai-compatible')
      .request('http://localhost:11434/v1/chat/completions')
      .wait(3)
      .finish({
        state: 'error',
        problem: { kind: 'connection', detail: 'connect ECONNREFUSED 127.0.0.1:11434', actions: ['retry', 'openSettings'], retryable: true },
      }),

  'auth-error': () =>
    new Script()
      .send()
      .request()
      .headers(401, 1, 180, 'req_401x')
      .finish({
        state: 'error',
        problem: { kind: 'auth', status: 401, requestId: 'req_401x', detail: 'Incorrect API key provided: sk-proj-abc***xyz.', actions: ['setApiKey'], retryable: false },
      }),

  'error-mid-stream': () =>
    new Script()
      .send()
      .request()
      .headers(200, 1)
      .chunks('text', 10, { firstAfter: 88 })
      .wait(25)
      .finish({ state: 'error', problem: { kind: 'connection-lost', detail: 'terminated', actions: ['retry'], retryable: false }, textLength: 60 }),

  truncated: () =>
    new Script()
      .send()
      .request()
      .headers(200, 1)
      .chunks('text', 9, { firstAfter: 101 })
      .finish({ state: 'truncated', problem: { kind: 'cut-short', actions: ['retry'], retryable: false }, textLength: 54 }),

  length: () =>
    new Script()
      .send()
      .request()
      .headers(200, 1)
      .chunks('text', 60, { firstAfter: 97, longGapAt: 45 })
      .finish({ state: 'truncated', finishReason: 'length', usage: usage(64), problem: { kind: 'cut-off', actions: ['continue'], retryable: false }, textLength: 360 }),

  'tool-calls': () =>
    new Script()
      .send()
      .request()
      .headers(200, 1)
      .chunks('text', 3, { firstAfter: 150 })
      .chunks('toolCall', 10)
      .finish({
        state: 'done',
        finishReason: 'tool_calls',
        usage: usage(27),
        textLength: 18,
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
          { id: 'call_2', name: 'search_docs', arguments: '{"query":"streaming"}' },
        ],
      }),

  reasoning: () =>
    new Script()
      .send('deepseek-reasoner', 'openai-compatible')
      .request('https://api.deepseek.com/chat/completions')
      .headers(200, 1, 420)
      .chunks('reasoning', 15, { firstAfter: 610 })
      .chunks('text', 10)
      .finish({ state: 'done', finishReason: 'stop', usage: usage(77), textLength: 60 }),

  /** A gateway (Snowflake Cortex) sends usage and `[DONE]` but never a finish_reason: done all the same. */
  'done-without-finish': () =>
    new Script()
      .send('llama3.1-70b', 'openai-compatible')
      .request('https://example-account.snowflakecomputing.com/api/v2/cortex/v1/chat/completions')
      .headers(200, 1, 240)
      .chunks('text', 13, { firstAfter: 180 })
      .finish({ state: 'done', usage: usage(16), textLength: 73 }),

  /** The server stops sending mid-answer; the watchdog aborts after `idleTimeoutMs`. */
  'idle-timeout': () =>
    new Script()
      .send()
      .request()
      .headers(200, 1)
      .chunks('text', 5, { firstAfter: 92 })
      .wait(60_000)
      .finish({ state: 'error', problem: { kind: 'idle-timeout', detail: '60', actions: ['retry'], retryable: false }, textLength: 30 }),

  /** A 200 whose stream carries no content (only the role chunk), then closes. */
  empty: () => {
    const s = new Script().send().request().headers(200, 1).wait(40);
    s.recorder.onEvent({ kind: 'firstChunk' });
    return s.wait(2).finish({ state: 'error', problem: { kind: 'empty', detail: 'text/event-stream', actions: ['retry'], retryable: false } });
  },

  /** The conversation does not fit the context window: no HTTP request at all. */
  'prompt-too-long': () =>
    new Script()
      .send()
      .finish({ state: 'error', attempts: 0, problem: { kind: 'prompt-too-long', detail: '1200', actions: ['openSettings'], retryable: false } }),

  /** Untrusted text everywhere a server or a setting can put it. */
  injection: () =>
    new Script()
      .send('gpt-4o%%{init: {"theme":"forest"}}%%\nend\nclick U callback', 'openai\nNote over U: pwned', "send'})\nend")
      .request('https://user:pa55@evil.example/v1/chat/completions;x=1?api-key=sk-secretsecret#frag')
      .headers(200, 1, 100, 'req_1\nend\nclick H call alert(1)')
      .chunks('text', 2, { firstAfter: 50 })
      .finish({
        state: 'error',
        problem: {
          kind: 'stream-error',
          detail: 'boom\nend\n%%{init: {"securityLevel":"loose"}}%%\nclick A callback\n<img src=x onerror=alert(1)><script>alert(1)</script>; # comment & more',
          actions: ['retry'],
          retryable: false,
        },
        toolCalls: [{ id: 'x', name: 'click A callback\nend', arguments: '{}' }],
      }),
};
