import type { TraceLabels } from './labels';
import { drawFinish, reasonText, statusText, type At } from './mermaid-hops';
import { DETAIL_CHARS, formatCount, formatMs, HOST_POST, NAME_CHARS, postCall, SDK_DONE, SDK_STREAM_CHUNK, WEBVIEW_POST, type Diagram } from './mermaid-text';
import { clip } from './trace-text';
import type { RequestTrace } from './trace-types';

/** How an agent request's end differs: its rounds drew their own finish, and Stop may interrupt a tool. */
export interface AgentEnd {
  /** The last request's stream had content (an error after it is a broken stream). */
  streamed: boolean;
  /** Draws what Stop interrupted, in place of aborting the request to the model. */
  stopped: () => void;
}

/** How the request ended: `[DONE]` and the final render, or a `break` for stop, cut-off and errors. */
export function drawEnd(d: Diagram, trace: RequestTrace, L: TraceLabels, at: At, agent?: AgentEnd): void {
  const end = trace.end;
  if (!end) return;
  const finishChunk = (): void => {
    if (end.finishReason && !agent) drawFinish(d, end.finishReason, end.usage?.completionTokens);
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
      // An agent request's rounds each drew how their stream ended.
      if (!agent) {
        if (end.finishReason) finishChunk();
        else doneMarkerOnly();
      }
      finished();
      return;
    case 'stopped':
      d.block('break', at(L.stoppedByUser, trace.stopAt ?? end.at), () => {
        d.message('U', '->>', 'W', L.trigger('stop'));
        d.message('W', '->>', 'H', `${WEBVIEW_POST}${postCall('stop')}`);
        if (agent) agent.stopped();
        else if (trace.attempts.length) d.message('H', '-x', 'L', 'AbortController.abort()');
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
        } else if (agent ? agent.streamed : trace.stream) {
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
    case 'round-limit':
      d.block('break', L.agent.roundLimit(formatCount(new Set(trace.agent?.rounds.map((r) => r.round)).size)), () => finished());
      return;
  }
}
