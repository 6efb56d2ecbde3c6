import { en, type TraceLabels } from './labels';
import { agentRanTools, agentTotals, DEFAULT_DIAGRAM_ROUNDS, DEFAULT_DIAGRAM_STEPS, drawAgent } from './mermaid-agent';
import { drawEnd } from './mermaid-end';
import { drawAttempts, drawChunks, drawPhases, figureLines } from './mermaid-hops';
import { DEFAULT_PATH, Diagram, formatCount, formatMs, NAME_CHARS, participants, postCall, SDK_DONE, SDK_STREAM_CHUNK, HOST_POST, WEBVIEW_POST, WIRE } from './mermaid-text';
import { traceFigures } from './trace-figures';
import { clip } from './trace-text';
import type { RequestTrace } from './trace-types';

export { escapeMermaidText, formatBytes, formatCount, formatMs, formatRate } from './mermaid-text';
export { DEFAULT_DIAGRAM_ROUNDS, DEFAULT_DIAGRAM_STEPS } from './mermaid-agent';

/**
 * Draws a request's trace as a Mermaid `sequenceDiagram`, with the real API names, and the
 * generic flow (no request, no timings) for documentation. An agent request is drawn round by
 * round with its tool calls (mermaid-agent.ts); the hops of one request are in mermaid-hops.ts.
 *
 * Output is deterministic: the same trace and options give the same bytes (no clock, no locale,
 * no random ids), so diagrams are tested against golden files. Every label is escaped on its way
 * into a line (mermaid-text.ts).
 */

export type TraceDetail = 'summary' | 'chunks';

export interface TraceMermaidOptions {
  /** `summary`: one loop per stream phase with counts. `chunks`: every recorded chunk, up to `maxChunks`. */
  detail?: TraceDetail;
  /** Chunks drawn one by one at the `chunks` level; 40 by default. */
  maxChunks?: number;
  /** Agent requests: tool calls drawn one by one (30 by default), and rounds (12 by default). */
  maxSteps?: number;
  maxRounds?: number;
  /** Participant names and words; English by default (see `labelsFor`). */
  labels?: TraceLabels;
}

export const DEFAULT_DIAGRAM_CHUNKS = 40;
const TOOLS_LISTED = 5;

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
  const agent = trace.agent;
  const tools = agent ? [] : (trace.tools ?? []);
  const d = new Diagram();
  const at = (text: string, t: number | undefined): string => (t === undefined ? text : `${text} · ${L.at(formatMs(t))}`);
  const span = (text: string, from: number, to: number): string => (from === to ? at(text, from) : `${text} · ${L.at(`${formatMs(from)} – ${formatMs(to)}`)}`);

  d.title(agent ? L.agent.title : L.traceTitle);
  participants(d, L, agent ? agentRanTools(agent) : tools.length > 0);

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

  const end = trace.end;
  if (agent) {
    const steps = Math.floor(options.maxSteps ?? DEFAULT_DIAGRAM_STEPS);
    const rounds = Math.floor(options.maxRounds ?? DEFAULT_DIAGRAM_ROUNDS);
    const agentEnd = drawAgent(d, trace, agent, L, at, span, { detail, maxChunks, maxSteps: steps, maxRounds: rounds });
    if (end) drawEnd(d, trace, L, at, agentEnd);
  } else {
    drawAttempts(d, trace.attempts, L, at, { failsFinally: end?.state === 'error', ...(figures.headersMs !== undefined ? { headersMs: figures.headersMs } : {}) });
    // The token stream.
    const stream = trace.stream;
    if (stream && stream.count === 0) {
      d.message('L', '-->>', 'H', at(`${SDK_STREAM_CHUNK} (${L.noContent})`, stream.firstChunkAt));
    } else if (stream) {
      if (detail === 'chunks') drawChunks(d, { recorded: trace.chunks ?? [], count: stream.count, chars: stream.chars, batches: trace.batches?.log ?? [], paint: trace.paint?.firstAt }, L, maxChunks);
      else drawPhases(d, trace, L, at, span);
      d.note('H,L', ...figureLines(trace, figures, L));
    }
    if (tools.length) {
      const listed = tools.slice(0, TOOLS_LISTED).map((t) => L.toolArgs(clip(t.name, NAME_CHARS), L.chars(formatCount(t.argsChars))));
      if (tools.length > TOOLS_LISTED) listed.push('…');
      d.note('H,T', L.toolsRequested(listed.join(', ')));
    }
    if (end) drawEnd(d, trace, L, at);
  }

  if (figures.totalMs !== undefined) {
    d.note(
      'U,H',
      L.total(formatMs(figures.totalMs)),
      figures.firstPaintMs !== undefined ? L.firstPaint(formatMs(figures.firstPaintMs)) : undefined,
      agent ? agentTotals(agent, L) : undefined,
    );
  }
  return d.toString();
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
