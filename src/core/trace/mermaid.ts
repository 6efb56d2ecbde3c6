import { en, type TraceLabels } from './labels';
import { clip, traceFigures, type ChunkKind, type RequestTrace, type TraceAttempt, type TraceFigures } from './trace';

/**
 * Draws a request's trace as a Mermaid `sequenceDiagram`, with the real API names, and the
 * generic flow (no request, no timings) for documentation.
 *
 * Output is deterministic: the same trace and options give the same bytes (no clock, no locale,
 * no random ids), so diagrams are tested against golden files.
 *
 * Every label is composed first and escaped once, on its way into a line (`Diagram`), so no text
 * reaches the diagram unescaped: model names, hosts, request ids, tool names and error details
 * come from outside and must not be able to add a directive (`%%{init}%%`), a statement (a line
 * break then `click`, `end`, `link`), or markup.
 */

export type TraceDetail = 'summary' | 'chunks';

export interface TraceMermaidOptions {
  /** `summary`: one loop per stream phase with counts. `chunks`: every recorded chunk, up to `maxChunks`. */
  detail?: TraceDetail;
  /** Chunks drawn one by one at the `chunks` level; 40 by default. */
  maxChunks?: number;
  /** Participant names and words; English by default (see `labelsFor`). */
  labels?: TraceLabels;
}

export const DEFAULT_DIAGRAM_CHUNKS = 40;

const SDK_STREAM_CHUNK = 'data: chat.completion.chunk';
const SDK_DONE = 'data: [DONE]';
const HOST_POST = 'webview.postMessage';
const WEBVIEW_POST = 'vscode.postMessage';
const DEFAULT_PATH = '/chat/completions';
/** The SSE field each kind of content arrives in. */
const WIRE: Record<ChunkKind, string> = {
  text: 'delta.content',
  reasoning: 'delta.reasoning_content',
  toolCall: 'delta.tool_calls',
  refusal: 'delta.refusal',
};
const KIND_ORDER: readonly ChunkKind[] = ['reasoning', 'toolCall', 'text', 'refusal'];
const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
/** How much of a text from outside is shown. */
const NAME_CHARS = 60;
const DETAIL_CHARS = 100;
const TOOLS_LISTED = 5;

// ---------------------------------------------------------------------------------------------
// Escaping

// eslint-disable-next-line no-control-regex -- control characters (newlines included) are what it removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Zero-width and bidirectional controls: invisible, and able to make a label read differently. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/**
 * Characters with a meaning to Mermaid's preprocessor or the sequence lexer, written as Mermaid
 * entity codes (`#59;`), which render as the character itself:
 * - `#` starts a comment and `;` ends a statement, inside a message's text;
 * - `%` makes `%%` comments and `%%{init: …}%%` directives, found anywhere in the source;
 * - `<`, `>`, `&` would be markup;
 * - `ﬂ` and `¶` are the first characters of Mermaid's own entity placeholders (`ﬂ°…¶ß`);
 * - a `:` not followed by a space could complete Mermaid's `style…:…#…;` rewrite of a line.
 */
const SPECIAL = /[#;%<>&\ufb02\u00b6]|:(?=\S|$)/g;
const NAMED: Record<string, string> = { '<': 'lt', '>': 'gt', '&': 'amp' };

/** Text made safe for a Mermaid label: one line, no syntax, rendering as the original characters. */
export function escapeMermaidText(text: string): string {
  const flat = text.replace(CONTROL, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  return flat.replace(SPECIAL, (c) => `#${NAMED[c] ?? (c.codePointAt(0) as number)};`);
}

/** A participant's display name: the alias lexer takes no entity codes, so the few risky characters are dropped. */
function aliasText(text: string): string {
  const flat = text.replace(CONTROL, ' ').replace(INVISIBLE, '').replace(/[<>:,;@#%]/g, '').replace(/\s+/g, ' ').trim();
  return flat || '?';
}

// ---------------------------------------------------------------------------------------------
// Numbers, the same in every locale

/** `0.4 ms`, `12 ms`, `1.2 s`, `2 min 5 s`. */
export function formatMs(ms: number): string {
  const value = Math.max(0, ms);
  if (value < 9.95) return `${trimZero(value.toFixed(1))} ms`;
  const whole = Math.round(value);
  if (whole < 1000) return `${whole} ms`;
  if (value < 59_950) return `${(value / 1000).toFixed(1)} s`;
  const seconds = Math.round(value / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `1,234,567` (grouping with commas in every language, like the rest of the diagram's syntax). */
export function formatCount(n: number): string {
  const whole = Math.round(n);
  const sign = whole < 0 ? '-' : '';
  return sign + String(Math.abs(whole)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `512 B`, `48.2 kB`, `3.1 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  if (bytes < 999_950) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** `45.3` (tokens per second, one decimal). */
export function formatRate(rate: number): string {
  return rate.toFixed(1);
}

function trimZero(fixed: string): string {
  return fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
}

// ---------------------------------------------------------------------------------------------
// The diagram builder

type Participant = 'U' | 'W' | 'H' | 'L' | 'T';
type Arrow = '->>' | '-->>' | '-)' | '--)' | '-x' | '--x';
type Part = string | undefined | false;

/** Lines of a sequence diagram, indented by block; every label goes through `escapeMermaidText`. */
class Diagram {
  private readonly lines: string[] = ['sequenceDiagram'];
  private depth = 1;

  title(text: string): void {
    this.put(`accTitle: ${escapeMermaidText(text)}`);
  }

  participant(keyword: 'actor' | 'participant', id: Participant, name: string): void {
    this.put(`${keyword} ${id} as ${aliasText(name)}`);
  }

  message(from: Participant, arrow: Arrow, to: Participant, ...parts: Part[]): void {
    this.put(`${from}${arrow}${to}: ${label(parts)}`);
  }

  note(over: `${Participant}` | `${Participant},${Participant}`, ...parts: Part[]): void {
    this.put(`Note over ${over}: ${label(parts)}`);
  }

  block(keyword: 'loop' | 'alt' | 'opt' | 'break', text: string, body: () => void): void {
    this.put(`${keyword} ${label([text])}`);
    this.depth++;
    body();
    this.depth--;
    this.put('end');
  }

  /** A further branch of the enclosing `alt`. */
  otherwise(text: string): void {
    this.depth--;
    this.put(`else ${label([text])}`);
    this.depth++;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }

  private put(line: string): void {
    this.lines.push(`${'    '.repeat(this.depth)}${line}`);
  }
}

/** Lines of one label, escaped, joined with Mermaid's line break. */
function label(parts: Part[]): string {
  const lines = parts.filter((p): p is string => typeof p === 'string').map(escapeMermaidText).filter((p) => p !== '');
  return lines.length ? lines.join('<br/>') : '…';
}

function participants(d: Diagram, labels: TraceLabels, tool: boolean): void {
  d.participant('actor', 'U', labels.user);
  d.participant('participant', 'W', labels.webview);
  d.participant('participant', 'H', labels.host);
  d.participant('participant', 'L', labels.llm);
  if (tool) d.participant('participant', 'T', labels.tool);
}

function postCall(type: string): string {
  return `({type: '${type}'})`;
}

/** The answer's buttons post `{type: 'action', action}`; the composer posts its own types. */
const ACTION_TRIGGERS: readonly string[] = ['continue', 'retry', 'trimAndRetry'];

function webviewCall(trigger: string): string {
  return ACTION_TRIGGERS.includes(trigger) ? `({type: 'action', action: '${trigger}'})` : postCall(trigger);
}

// ---------------------------------------------------------------------------------------------
// A request's trace

/** A request's trace as a Mermaid `sequenceDiagram`. */
export function traceToMermaid(trace: RequestTrace, options: TraceMermaidOptions = {}): string {
  const L = options.labels ?? en;
  const detail = options.detail ?? 'summary';
  const maxChunks = Math.max(0, Math.floor(options.maxChunks ?? DEFAULT_DIAGRAM_CHUNKS));
  const figures = traceFigures(trace);
  const tools = trace.tools ?? [];
  const d = new Diagram();
  const at = (text: string, t: number | undefined): string => (t === undefined ? text : `${text} · ${L.at(formatMs(t))}`);
  const span = (text: string, from: number, to: number): string => (from === to ? at(text, from) : `${text} · ${L.at(`${formatMs(from)} – ${formatMs(to)}`)}`);

  d.title(L.traceTitle);
  participants(d, L, tools.length > 0);

  // The user's send, and the host receiving it.
  // What started it: a webview message (an answer's action button posts `action`), or a command.
  if (trace.trigger === 'command') {
    d.message('U', '->>', 'H', at(L.trigger(trace.trigger), trace.hostReceivedAt));
  } else {
    d.message('U', '->>', 'W', at(L.trigger(trace.trigger), trace.userSentAt));
    d.message('W', '->>', 'H', at(`${WEBVIEW_POST}${webviewCall(trace.trigger)}`, trace.hostReceivedAt));
  }

  const request = trace.request;
  if (request) {
    const tokens = `${request.exact === false ? '~' : ''}${formatCount(request.promptTokens)}`;
    d.note(
      'H',
      at(L.requestBuilt(formatCount(request.messageCount), tokens, clip(request.model, NAME_CHARS), clip(request.provider, NAME_CHARS)), request.at),
      request.droppedTurns ? L.droppedTurns(formatCount(request.droppedTurns)) : undefined,
    );
  }

  // Each HTTP attempt; a failed one that was retried in an `alt` block.
  const end = trace.end;
  const attempts = trace.attempts;
  attempts.forEach((attempt, index) => {
    const final = index === attempts.length - 1;
    if (attempt.retry) {
      const retry = attempt.retry;
      d.block('alt', L.attemptFailed(String(attempt.attempt), reasonText(retry.reason, retry.status ?? attempt.status)), () => {
        d.message('H', '->>', 'L', ...requestLines(attempt, at));
        if (attempt.status !== undefined) d.message('L', '--x', 'H', at(statusText(attempt.status, attempt.requestId), attempt.headersAt));
        else d.message('L', '--x', 'H', L.noResponse(retry.reason));
        d.note('H', at(L.waitThenRetry(formatMs(retry.delayMs)), retry.at));
      });
      return;
    }
    d.message('H', '->>', 'L', ...requestLines(attempt, at));
    // A final error status is drawn with the error, in its `break` block.
    const failedFinally = final && end?.state === 'error' && attempt.status !== undefined && attempt.status >= 400;
    if (attempt.status !== undefined && !failedFinally) {
      d.message('L', '-->>', 'H', at(statusText(attempt.status, attempt.requestId), attempt.headersAt), figures.headersMs !== undefined && final ? L.headers(formatMs(figures.headersMs)) : undefined);
    }
  });

  // The token stream.
  const stream = trace.stream;
  if (stream && stream.count === 0) {
    d.message('L', '-->>', 'H', at(`${SDK_STREAM_CHUNK} (${L.noContent})`, stream.firstChunkAt));
  } else if (stream) {
    if (detail === 'chunks') drawChunks(d, trace, L, maxChunks);
    else drawPhases(d, trace, L, at, span);
    d.note('H,L', ...figureLines(trace, figures, L));
  }

  if (tools.length) {
    const listed = tools.slice(0, TOOLS_LISTED).map((t) => L.toolArgs(clip(t.name, NAME_CHARS), L.chars(formatCount(t.argsChars))));
    if (tools.length > TOOLS_LISTED) listed.push('…');
    d.note('H,T', L.toolsRequested(listed.join(', ')));
  }

  if (end) drawEnd(d, trace, L, at);

  if (figures.totalMs !== undefined) {
    d.note('U,H', L.total(formatMs(figures.totalMs)), figures.firstPaintMs !== undefined ? L.firstPaint(formatMs(figures.firstPaintMs)) : undefined);
  }
  return d.toString();
}

type At = (text: string, t: number | undefined) => string;

function requestLines(attempt: TraceAttempt, at: At): string[] {
  const where = `${attempt.method} ${attempt.path || DEFAULT_PATH}${attempt.host ? ` (${clip(attempt.host, NAME_CHARS)})` : ''}`;
  return [at(attempt.sdkCall, attempt.at), where];
}

function statusText(status: number, requestId: string | undefined): string {
  const reason = STATUS_TEXT[status];
  return `HTTP ${status}${reason ? ` ${reason}` : ''}${requestId ? `, x-request-id: ${clip(requestId, NAME_CHARS)}` : ''}`;
}

function reasonText(reason: string, status: number | undefined): string {
  return status === undefined ? reason : `${status} ${reason}`;
}

/** Summary: one `loop` per phase of the stream (reasoning, tool calls, answer), in order of arrival. */
function drawPhases(d: Diagram, trace: RequestTrace, L: TraceLabels, at: At, span: (text: string, from: number, to: number) => string): void {
  const stream = trace.stream;
  if (!stream) return;
  const kinds = KIND_ORDER.filter((k) => stream.phases[k]).sort(
    (a, b) => (stream.phases[a]?.firstAt ?? 0) - (stream.phases[b]?.firstAt ?? 0) || KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b),
  );
  const byKind = trace.batches?.byKind ?? {};
  let textPosted = false;
  let painted = false;
  for (const kind of kinds) {
    const phase = stream.phases[kind];
    if (!phase) continue;
    const title = `${L.phase[kind]} (${WIRE[kind]}): ${L.list([L.chunks(formatCount(phase.count)), L.chars(formatCount(phase.chars))])}`;
    d.block('loop', title, () => {
      d.message('L', '-->>', 'H', span(`${SDK_STREAM_CHUNK} ×${formatCount(phase.count)}`, phase.firstAt, phase.lastAt));
      let posted = 0;
      if (kind === 'reasoning' && byKind.reasoning) {
        posted = byKind.reasoning;
        d.message('H', '-)', 'W', `${HOST_POST}${postCall('reasoningAppended')} ×${formatCount(posted)}`);
      } else if ((kind === 'text' || kind === 'refusal') && byKind.text && !textPosted) {
        textPosted = true;
        posted = byKind.text;
        d.message('H', '-)', 'W', `${HOST_POST}${postCall('textAppended')} ×${formatCount(posted)}`);
      } else if (kind === 'toolCall') {
        d.note('H', L.flow.toolNote);
      }
      if (posted) {
        const first = trace.paint?.firstAt;
        d.message('W', '->>', 'U', !painted && first !== undefined ? L.firstPaint(L.at(formatMs(first))) : L.render);
        painted = true;
      }
    });
  }
}

/**
 * Chunk by chunk: the recorded chunks, the batches posted and the first paint, in time order. The
 * first entry shows its time; each later one the wait since the entry before (`+12 ms`), which is
 * what this level is for.
 */
function drawChunks(d: Diagram, trace: RequestTrace, L: TraceLabels, maxChunks: number): void {
  const stream = trace.stream;
  if (!stream) return;
  const recorded = trace.chunks ?? [];
  const shown = recorded.slice(0, maxChunks);
  const everyChunk = shown.length === stream.count;
  const until = everyChunk ? Infinity : (shown[shown.length - 1]?.[0] ?? -Infinity);
  type Entry = { at: number; rank: number; draw: (when: string) => void };
  const entries: Entry[] = shown.map(([t, chars, kind]) => ({
    at: t,
    rank: 0,
    draw: (when) => d.message('L', '-->>', 'H', `${SDK_STREAM_CHUNK} (${WIRE[kind]}, ${L.chars(formatCount(chars))}) · ${when}`),
  }));
  for (const [t, chars, kind] of trace.batches?.log ?? []) {
    if (t > until) continue;
    const type = kind === 'reasoning' ? 'reasoningAppended' : 'textAppended';
    entries.push({ at: t, rank: 1, draw: (when) => d.message('H', '-)', 'W', `${HOST_POST}${postCall(type)} (${L.chars(formatCount(chars))}) · ${when}`) });
  }
  const paint = trace.paint?.firstAt;
  if (paint !== undefined && paint <= until) entries.push({ at: paint, rank: 2, draw: (when) => d.message('W', '->>', 'U', `${L.firstPaint()} · ${when}`) });
  // Stable: equal times keep chunk, then batch, then paint, each in recorded order.
  entries.sort((a, b) => a.at - b.at || a.rank - b.rank);
  d.block('loop', `${L.chunkByChunk}: ${L.list([L.chunks(formatCount(stream.count)), L.chars(formatCount(stream.chars))])}`, () => {
    let previous: number | undefined;
    for (const entry of entries) {
      entry.draw(previous === undefined ? L.at(formatMs(entry.at)) : `+${formatMs(entry.at - previous)}`);
      previous = entry.at;
    }
    if (!everyChunk) {
      d.note('H,L', L.moreChunks(formatCount(shown.length), formatCount(stream.count)), recorded.length < stream.count && recorded.length < maxChunks ? L.notRecorded(formatCount(recorded.length)) : undefined);
    }
  });
}

function figureLines(trace: RequestTrace, f: TraceFigures, L: TraceLabels): Part[] {
  const lines: Part[] = [];
  if (f.ttftMs !== undefined) lines.push(L.ttft(formatMs(f.ttftMs), f.apiTtftMs !== undefined ? formatMs(f.apiTtftMs) : undefined));
  else if (f.apiTtftMs !== undefined) lines.push(L.ttft(formatMs(f.apiTtftMs)));
  if (f.streamMs !== undefined) {
    const tokens = f.tokens === undefined ? '' : f.tokensFrom === 'usage' ? L.tokensFromUsage(formatCount(f.tokens)) : L.tokensFromChunks(formatCount(f.tokens));
    const rate = f.tokensPerSecond !== undefined ? L.rate(formatRate(f.tokensPerSecond)) : undefined;
    lines.push(`${L.list([L.streamed(formatMs(f.streamMs)), rate].filter((x): x is string => x !== undefined))}${tokens ? ` (${tokens})` : ''}`);
  }
  if (f.maxGapMs !== undefined) lines.push(L.largestGap(formatMs(f.maxGapMs)));
  if (trace.stream?.bytes) lines.push(L.received(formatBytes(trace.stream.bytes)));
  return lines;
}

/** How the request ended: `[DONE]` and the final render, or a `break` for stop, cut-off and errors. */
function drawEnd(d: Diagram, trace: RequestTrace, L: TraceLabels, at: At): void {
  const end = trace.end;
  if (!end) return;
  const finishChunk = (): void => {
    if (!end.finishReason) return;
    const usage = end.usage ? `, usage.completion_tokens: ${formatCount(end.usage.completionTokens)}` : '';
    d.message('L', '-->>', 'H', `${SDK_STREAM_CHUNK} (finish_reason: "${clip(end.finishReason, NAME_CHARS)}"${usage})`);
    d.message('L', '-->>', 'H', SDK_DONE);
  };
  // `done` without a finish_reason happens only when the body ended with `data: [DONE]` (the
  // engine's rule since gateways such as Snowflake Cortex never send one), so the trace need not
  // record the marker itself: the diagram says what decided the end.
  const doneMarkerOnly = (): void => {
    if (end.usage) d.message('L', '-->>', 'H', `${SDK_STREAM_CHUNK} (usage.completion_tokens: ${formatCount(end.usage.completionTokens)})`);
    d.message('L', '-->>', 'H', SDK_DONE);
    d.note('H', L.doneWithoutFinish);
  };
  const finished = (): void => {
    d.message('H', '-)', 'W', at(`${HOST_POST}${postCall('messageFinished')}${end.state === 'done' ? '' : ` · state: ${end.state}`}`, end.at));
    const last = trace.paint?.lastAt;
    d.message('W', '->>', 'U', last !== undefined ? L.lastPaint(L.at(formatMs(last))) : end.state === 'done' ? L.render : L.shown(end.state));
  };
  // A bare number (the idle timeout's seconds, the tokens over the budget) means nothing on its own.
  const raw = end.problem?.detail;
  const number = raw !== undefined && /^\d+$/.test(raw) ? raw : undefined;
  const detail = raw && !number ? clip(raw, DETAIL_CHARS) : undefined;
  const kind = end.problem?.kind ?? end.state;
  switch (end.state) {
    case 'done':
      if (end.finishReason) finishChunk();
      else doneMarkerOnly();
      finished();
      return;
    case 'stopped':
      d.block('break', at(L.stoppedByUser, trace.stopAt ?? end.at), () => {
        d.message('U', '->>', 'W', L.trigger('stop'));
        d.message('W', '->>', 'H', `${WEBVIEW_POST}${postCall('stop')}`);
        if (trace.attempts.length) d.message('H', '-x', 'L', 'AbortController.abort()');
        finished();
      });
      return;
    case 'truncated':
      d.block('break', L.cutOff(end.finishReason ? `finish_reason "${clip(end.finishReason, NAME_CHARS)}"` : kind), () => {
        if (end.finishReason) finishChunk();
        else d.message('L', '--x', 'H', L.closedWithoutFinish);
        finished();
      });
      return;
    case 'error': {
      const last = trace.attempts[trace.attempts.length - 1];
      const status = end.problem?.status ?? (last?.status !== undefined && last.status >= 400 ? last.status : undefined);
      d.block('break', L.error(reasonText(kind, status)), () => {
        if (kind === 'idle-timeout') {
          d.message('H', '-x', 'L', at(number ? `${L.idleAbort} (${number} s)` : L.idleAbort, end.at));
        } else if (kind === 'empty' || kind === 'not-streamed') {
          d.message('L', '--x', 'H', at(kind, end.at));
        } else if (trace.stream) {
          d.message('L', '--x', 'H', at(L.streamBroke(kind), end.at));
        } else if (last?.status !== undefined && last.status >= 400 && !last.retry) {
          d.message('L', '--x', 'H', at(statusText(last.status, last.requestId ?? end.problem?.requestId), last.headersAt));
        } else if (last && last.status === undefined) {
          d.message('L', '--x', 'H', at(L.noResponse(kind), end.at));
        } else if (last) {
          d.message('L', '--x', 'H', at(kind, end.at));
        }
        if (detail) d.note(trace.attempts.length ? 'H,L' : 'H', detail);
        finished();
      });
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The generic flow

/** The flow of every request, without timings: for the README and documentation. */
export function genericFlowMermaid(labels: TraceLabels = en): string {
  const L = labels;
  const f = L.flow;
  const d = new Diagram();
  d.title(L.flowTitle);
  participants(d, L, false);
  d.message('U', '->>', 'W', L.trigger('send'));
  d.message('W', '->>', 'H', `${WEBVIEW_POST}${postCall('send')}`);
  d.note('H', f.build);
  d.message('H', '->>', 'L', 'openai.chat.completions.create({stream: true})', `POST ${DEFAULT_PATH}`);
  d.block('alt', f.retryWhen, () => {
    d.message('L', '--x', 'H', f.retryError);
    d.note('H', f.retryWait);
  });
  d.message('L', '-->>', 'H', 'HTTP 200 OK, x-request-id, text/event-stream');
  d.block('loop', f.tokenStream, () => {
    d.message('L', '-->>', 'H', SDK_STREAM_CHUNK);
    d.block('alt', WIRE.text, () => {
      d.message('H', '-)', 'W', `${HOST_POST}${postCall('textAppended')}`, f.batchNote);
      d.otherwise(WIRE.reasoning);
      d.message('H', '-)', 'W', `${HOST_POST}${postCall('reasoningAppended')}`, f.batchNote);
      d.otherwise(WIRE.toolCall);
      d.note('H', f.toolNote);
    });
    d.message('W', '->>', 'U', L.render, f.renderNote);
    d.block('break', f.stop, () => {
      d.message('U', '->>', 'W', L.trigger('stop'));
      d.message('W', '->>', 'H', `${WEBVIEW_POST}${postCall('stop')}`);
      d.message('H', '-x', 'L', 'AbortController.abort()');
    });
  });
  d.message('L', '-->>', 'H', `${SDK_STREAM_CHUNK} (finish_reason, usage)`);
  d.message('L', '-->>', 'H', SDK_DONE);
  d.block('alt', 'finish_reason: "stop"', () => {
    d.message('H', '-)', 'W', `${HOST_POST}${postCall('messageFinished')}`);
    d.otherwise('finish_reason: "length"');
    d.message('H', '-)', 'W', `${HOST_POST}${postCall('messageFinished')} · state: truncated`, f.continueOffered);
  });
  d.message('W', '->>', 'U', f.finalRender);
  return d.toString();
}
