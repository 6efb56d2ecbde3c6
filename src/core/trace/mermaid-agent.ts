import type { TraceLabels } from './labels';
import type { AgentEnd } from './mermaid-end';
import { drawAttempts, drawChunks, drawFinish, type At, type Span } from './mermaid-hops';
import { DETAIL_CHARS, formatCount, formatMs, formatRate, HOST_POST, KIND_ORDER, NAME_CHARS, postCall, SDK_DONE, SDK_STREAM_CHUNK, WEBVIEW_POST, type Diagram, type Part } from './mermaid-text';
import { clip, round1 } from './trace-text';
import type { RequestTrace, TraceAgent, TraceRound, TraceRoundStream, TraceStep, TraceToolSource } from './trace-types';

/**
 * An agent request drawn round by round: each request to the model in a `loop` block (its HTTP
 * attempts, its stream summarised, how it finished, its figures), then the tool calls its answer
 * asked for, with the approvals they waited for, on one `Tool` participant whose messages name
 * the real tool (built-in, an MCP server's, VS Code's). One participant keeps twenty calls from
 * many servers readable; the labels carry the sources.
 *
 * Bounded for Mermaid's input limit (50,000 characters by default): past `maxRounds` the middle
 * rounds and past `maxSteps` the later calls are summarised in a note.
 */

export interface AgentDrawOptions {
  detail: 'summary' | 'chunks';
  maxChunks: number;
  maxSteps: number;
  maxRounds: number;
}

export const DEFAULT_DIAGRAM_STEPS = 30;
export const DEFAULT_DIAGRAM_ROUNDS = 12;
/** How many names a note lists before `…`. */
const LISTED = 5;

/** Whether the Tool participant has anything to show: some call ran. */
export function agentRanTools(agent: TraceAgent): boolean {
  return agent.steps.some((s) => s.runAt !== undefined);
}

/** Draws the rounds and their tool calls; returns what the end of the diagram needs to know. */
export function drawAgent(d: Diagram, trace: RequestTrace, agent: TraceAgent, L: TraceLabels, at: At, span: Span, options: AgentDrawOptions): AgentEnd {
  const A = L.agent;
  const rounds = agent.rounds;
  const sources = new Map(agent.tools?.map((t) => [t.name, t]) ?? []);
  const tool = (name: string): string => toolLabel(name, sources, L);
  // A round sent again without tools keeps its number: its calls belong to its last request.
  const lastEntry = new Map<number, number>();
  rounds.forEach((r, i) => lastEntry.set(r.round, i));
  const stepsOf = (i: number): TraceStep[] => {
    const r = rounds[i] as TraceRound;
    return lastEntry.get(r.round) === i ? agent.steps.filter((s) => s.round === r.round) : [];
  };
  const budget = { chunks: options.maxChunks, steps: Math.max(0, options.maxSteps) };

  if (agent.omittedTools) d.note('H', A.omitted(formatCount(agent.omittedTools)));
  const drawn = shownRounds(rounds.length, Math.max(2, options.maxRounds));
  let previous = -1;
  for (const i of drawn) {
    if (i > previous + 1) {
      const skipped = rounds.slice(previous + 1, i);
      const calls = skipped.reduce((n, _r, k) => n + stepsOf(previous + 1 + k).length, 0);
      d.note('H,L', A.roundsNotDrawn(String(skipped[0]?.round), String(skipped[skipped.length - 1]?.round), formatCount(calls)));
    }
    previous = i;
    drawRound(d, trace, i, { L, at, span, tool, options, budget, steps: stepsOf(i) });
  }
  if (agent.droppedRounds || agent.droppedSteps) d.note('H', A.notRecorded(formatCount(agent.droppedRounds ?? 0), formatCount(agent.droppedSteps ?? 0)));

  const last = rounds[rounds.length - 1];
  return {
    streamed: last?.stream !== undefined,
    stopped: () => {
      const stopped = agent.steps.filter((s) => s.state === 'stopped');
      const ran = stopped.filter((s) => s.runAt !== undefined);
      for (const s of ran) d.message('H', '-x', 'T', A.aborted(tool(s.name), formatMs((s.endAt ?? (s.runAt as number)) - (s.runAt as number))));
      // No tool was running: Stop ended the request to the model, if one was still streaming.
      const streaming = last !== undefined && last.attempts > 0 && (last.endAt === undefined || trace.stopAt === undefined || trace.stopAt <= last.endAt);
      if (ran.length === 0 && streaming) d.message('H', '-x', 'L', 'AbortController.abort()');
      const notRun = stopped.filter((s) => s.runAt === undefined).map((s) => clip(s.name, NAME_CHARS));
      if (notRun.length) d.note('H', A.notRun(listed(notRun)));
    },
  };
}

/** The last line of the diagram's closing note: rounds, calls, time in tools and in approvals. */
export function agentTotals(agent: TraceAgent, L: TraceLabels): string {
  let ran = 0;
  let waited = 0;
  let asked = false;
  for (const s of agent.steps) {
    if (s.runAt !== undefined && s.endAt !== undefined) ran += s.endAt - s.runAt;
    const answered = s.runAt ?? s.endAt;
    if (s.approvalAt !== undefined && answered !== undefined) {
      asked = true;
      waited += answered - s.approvalAt;
    }
  }
  const rounds = new Set(agent.rounds.map((r) => r.round)).size + (agent.droppedRounds ?? 0);
  const calls = agent.steps.length + (agent.droppedSteps ?? 0);
  return L.agent.totals(formatCount(rounds), formatCount(calls), formatMs(round1(ran)), asked ? formatMs(round1(waited)) : undefined);
}

interface RoundContext {
  L: TraceLabels;
  at: At;
  span: Span;
  tool: (name: string) => string;
  options: AgentDrawOptions;
  /** What is left to draw: chunks (at the chunks level) and calls. */
  budget: { chunks: number; steps: number };
  steps: TraceStep[];
}

function drawRound(d: Diagram, trace: RequestTrace, i: number, c: RoundContext): void {
  const { L, at } = c;
  const A = L.agent;
  const rounds = trace.agent?.rounds ?? [];
  const r = rounds[i] as TraceRound;
  const before = rounds[i - 1];
  const last = i === rounds.length - 1;
  const again = before?.round === r.round && before.toolsRefused !== undefined;
  const name = again ? L.list([A.round(String(r.round)), A.againWithoutTools]) : A.round(String(r.round));
  d.block('loop', `${name} · ${r.toolsOffered ? A.toolsOffered(formatCount(r.toolsOffered)) : A.noTools}`, () => {
    if (r.compactedResults) d.note('H', A.compacted(formatCount(r.compactedResults)));
    const attempts = trace.attempts.slice(r.firstAttempt, r.firstAttempt + r.attempts);
    const answering = attempts.find((a) => !a.retry && a.status !== undefined && a.status < 400);
    const headersMs = answering?.at !== undefined && answering.headersAt !== undefined ? round1(answering.headersAt - answering.at) : undefined;
    drawAttempts(d, attempts, L, at, { failsFinally: last && trace.end?.state === 'error', headersMs, failArrow: true });
    const s = r.stream;
    if (s) drawRoundStream(d, trace, r, s, rounds[i + 1]?.at, c);
    else if (r.firstChunkAt !== undefined) d.message('L', '-->>', 'H', at(`${SDK_STREAM_CHUNK} (${L.noContent})`, r.firstChunkAt));
    if (r.finishReason) {
      drawFinish(d, r.finishReason, r.completionTokens);
    } else if (s && r.endAt !== undefined && (!last || trace.end?.state === 'done')) {
      // The round went on (or ended well) without a finish_reason: its `[DONE]` ended it.
      d.message('L', '-->>', 'H', SDK_DONE);
      d.note('H', L.doneWithoutFinish);
    }
    const figures = roundFigures(r, s, answering?.at, L);
    // A request refused for its tools says so in its one note, with the server's words.
    if (r.toolsRefused) d.note('H,L', A.toolsRefused, r.toolsRefused.detail !== undefined && clip(r.toolsRefused.detail, DETAIL_CHARS), ...figures);
    else if (figures.length) d.note('H,L', ...figures);

    let notDrawn = 0;
    for (const step of c.steps) {
      if (c.budget.steps > 0) {
        c.budget.steps--;
        drawStep(d, step, c);
      } else {
        notDrawn++;
      }
    }
    if (notDrawn) d.note('H', A.stepsNotDrawn(formatCount(notDrawn)));
  });
}

/** A round's stream: one summarising message, or at the chunks level its own chunks while the budget lasts. */
function drawRoundStream(d: Diagram, trace: RequestTrace, r: TraceRound, s: TraceRoundStream, nextAt: number | undefined, c: RoundContext): void {
  const { L } = c;
  if (c.options.detail === 'chunks' && c.budget.chunks > 0) {
    const to = nextAt ?? Infinity;
    const inRound = (entry: readonly [number, ...unknown[]]): boolean => entry[0] >= r.at && entry[0] < to;
    const recorded = (trace.chunks ?? []).filter(inRound);
    const paint = trace.paint?.firstAt;
    const window = { recorded, count: s.count, chars: s.chars, batches: (trace.batches?.log ?? []).filter(inRound), ...(paint !== undefined && paint >= r.at && paint < to ? { paint } : {}) };
    drawChunks(d, window, L, c.budget.chunks);
    c.budget.chunks -= Math.min(recorded.length, c.budget.chunks);
    return;
  }
  const kinds = KIND_ORDER.filter((k) => s.kinds[k]).map((k) => `${L.phase[k]} ${formatCount(s.kinds[k] ?? 0)}`);
  d.message('L', '-->>', 'H', c.span(`${SDK_STREAM_CHUNK} ×${formatCount(s.count)}`, s.firstAt, s.lastAt), `${L.list(kinds)}: ${L.chars(formatCount(s.chars))}`);
}

/** How long the request took, its time to first token, and its streaming rate. */
function roundFigures(r: TraceRound, s: TraceRoundStream | undefined, sentAt: number | undefined, L: TraceLabels): Part[] {
  const lines: Part[] = [];
  const first = [
    r.endAt !== undefined ? L.agent.requestTook(formatMs(round1(r.endAt - r.at))) : undefined,
    s && sentAt !== undefined ? L.ttft(formatMs(round1(s.firstAt - sentAt))) : undefined,
  ].filter((x): x is string => x !== undefined);
  if (first.length) lines.push(L.list(first));
  if (s) {
    const streamMs = round1(s.lastAt - s.firstAt);
    const fromUsage = r.completionTokens !== undefined && r.completionTokens > 0;
    const tokens = fromUsage ? (r.completionTokens as number) : s.count;
    const rate = streamMs > 0 ? L.rate(formatRate(round1((tokens * 1000) / streamMs))) : undefined;
    const source = fromUsage ? L.tokensFromUsage(formatCount(tokens)) : L.tokensFromChunks(formatCount(tokens));
    lines.push(`${L.list([L.streamed(formatMs(streamMs)), rate].filter((x): x is string => x !== undefined))} (${source})`);
  }
  return lines;
}

/**
 * One tool call: the approval it waited for (asked in the step, answered by the user), then its
 * run and how it ended. A call Stop interrupted is finished by the end's `break` block.
 */
function drawStep(d: Diagram, step: TraceStep, c: RoundContext): void {
  const { L, at } = c;
  const A = L.agent;
  const tool = c.tool(step.name);
  const error = step.error !== undefined ? clip(step.error, DETAIL_CHARS) : undefined;
  const answer = (text: string): void => {
    d.message('U', '->>', 'W', text);
    d.message('W', '->>', 'H', `${WEBVIEW_POST}${postCall('toolApproval')}`);
  };
  if (step.approvalAt !== undefined) {
    d.message('H', '-)', 'W', at(`${HOST_POST}${postCall('agentEvent')}`, step.approvalAt), A.approvalAsked(tool));
    if (step.runAt !== undefined) answer(A.allowed(formatMs(round1(step.runAt - step.approvalAt))));
    else if (step.state === 'denied' && step.endAt !== undefined) answer(A.denied(formatMs(round1(step.endAt - step.approvalAt))));
    else if (step.state === 'pending-approval') d.note('W', A.waiting(tool));
  }
  if (step.runAt !== undefined) {
    d.message('H', '->>', 'T', at(tool, step.runAt), A.args(L.chars(formatCount(step.argsChars))));
    if (step.endAt === undefined) return;
    const took = formatMs(round1(step.endAt - step.runAt));
    if (step.state === 'done') {
      d.message('T', '-->>', 'H', A.result(L.chars(formatCount(step.resultChars ?? 0)), took), step.cutChars ? A.cut(L.chars(formatCount(step.cutChars))) : undefined);
    } else if (step.state === 'error') {
      d.message('T', '--x', 'H', A.failed(took), error);
    } else if (step.state === 'denied') {
      d.message('T', '--x', 'H', A.deniedByTool(took), error);
    }
    return;
  }
  // Never ran: a call the loop refused (unknown tool, malformed arguments, a failed approval),
  // or one still streaming its arguments. A denial was drawn with its approval.
  if (step.state === 'error') d.note('H', A.notRun(tool), error);
  else if (step.state === 'streaming') d.note('H', A.streaming(tool));
}

/** The name the model called, and what it really is: `mcp_x_echo → x: echo (MCP)`. */
function toolLabel(name: string, sources: ReadonlyMap<string, TraceToolSource>, L: TraceLabels): string {
  const shown = clip(name, NAME_CHARS);
  const source = sources.get(name);
  if (!source) return shown;
  const words = L.agent.source;
  switch (source.source) {
    case 'builtin':
      return `${shown} (${words.builtin})`;
    case 'mcp':
      return `${shown} → ${clip(source.server ?? '?', NAME_CHARS)}: ${clip(source.tool ?? name, NAME_CHARS)} (${words.mcp})`;
    case 'vscode':
      return `${shown}${source.tool ? ` → ${clip(source.tool, NAME_CHARS)}` : ''} (${words.vscode})`;
  }
}

/** Which rounds to draw: all, or the first ones and the last (the answer) when there are too many. */
function shownRounds(count: number, max: number): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  return count <= max ? all : [...all.slice(0, max - 1), count - 1];
}

function listed(names: string[]): string {
  return names.length > LISTED ? `${names.slice(0, LISTED).join(', ')}, …` : names.join(', ');
}
