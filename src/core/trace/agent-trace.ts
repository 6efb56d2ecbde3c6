import type { AgentEvent, ToolStepState } from '../../protocol/agent-messages';
import { redact } from '../redact';
import type { ChunkLog, Rel } from './stream-log';
import { clip, NAME_CHARS, STEP_ERROR_CHARS } from './trace-text';
import {
  CHUNK_KINDS,
  MAX_TRACE_ROUNDS,
  MAX_TRACE_STEPS,
  type ChunkKind,
  type ToolSourceKind,
  type TraceAgent,
  type TraceRound,
  type TraceRoundStream,
  type TraceStep,
  type TraceToolSource,
} from './trace-types';

/** A tool the model may call, as `describeTools` receives it: the name it sees, and what it really is. */
export interface AgentToolInfo {
  name: string;
  source: ToolSourceKind;
  /** MCP: the server's key in `rill.mcp.servers`. */
  server?: string;
  /** MCP: the tool's own name on its server. */
  tool?: string;
}

/** What the agent part of a recording reads from the recorder around it. */
export interface AgentTraceHost {
  readonly chunks: ChunkLog;
  /** HTTP attempts recorded so far: a new request's first one will have this index. */
  attemptCount(): number;
  /** A new request starts: the engine numbers its attempts from 1 again. */
  startRequest(): void;
  secrets(): readonly string[];
}

const FINAL: ReadonlySet<ToolStepState> = new Set(['done', 'denied', 'error', 'stopped']);

interface RoundState extends Omit<TraceRound, 'attempts' | 'stream'> {
  /** Where this request's attempts end, once the next request started. */
  attemptsEnd?: number;
  /** The chunk counters when it started, to tell its own chunks from earlier rounds'. */
  from: { count: number; chars: number; kinds: number[] };
  /** Frozen when the round ends; computed from the live counters until then. */
  stream?: TraceRoundStream | null;
}

/**
 * Records the agent loop's rounds and tool steps from its events, for the trace. Every time is the
 * recorder's raw clock until `snapshot` maps it. Bounded: the first MAX_TRACE_ROUNDS rounds and
 * MAX_TRACE_STEPS steps are kept; later ones are counted, and events about them ignored.
 */
export class AgentTrace {
  private readonly rounds: RoundState[] = [];
  private current: RoundState | undefined;
  private readonly steps: Array<TraceStep & { id: string }> = [];
  private readonly byId = new Map<string, TraceStep>();
  private readonly sources = new Map<string, TraceToolSource>();
  private omittedTools = 0;
  private droppedRounds = 0;
  private droppedSteps = 0;
  private pendingCompacted = 0;

  constructor(private readonly host: AgentTraceHost) {}

  /** True once the loop reported anything worth drawing. */
  get active(): boolean {
    return this.rounds.length > 0 || this.steps.length > 0 || this.droppedRounds > 0;
  }

  describeTools(tools: ReadonlyArray<AgentToolInfo>): void {
    for (const tool of tools) {
      const name = clip(tool.name, NAME_CHARS);
      const source: TraceToolSource = { name, source: tool.source };
      if (tool.server !== undefined) source.server = clip(tool.server, NAME_CHARS);
      if (tool.tool !== undefined && tool.tool !== tool.name) source.tool = clip(tool.tool, NAME_CHARS);
      this.sources.set(name, source);
    }
  }

  event(event: AgentEvent, t: number): void {
    switch (event.kind) {
      case 'roundStarted':
        this.startRound(event.round, event.tools, t);
        return;
      case 'roundEnded':
        if (this.current) {
          this.closeStream(this.current);
          this.current.endAt ??= t;
          this.current.toolCalls = event.toolCalls;
        }
        return;
      case 'stepStarted': {
        if (this.byId.has(event.step.id)) return;
        if (this.steps.length >= MAX_TRACE_STEPS) {
          this.droppedSteps++;
          return;
        }
        const step = { id: event.step.id, round: event.step.round, name: clip(event.step.name, NAME_CHARS), argsChars: event.step.arguments.length, at: t, state: event.step.state };
        this.steps.push(step);
        this.byId.set(step.id, step);
        return;
      }
      case 'stepArguments': {
        const step = this.byId.get(event.id);
        if (step) step.argsChars += event.delta.length;
        return;
      }
      case 'stepState':
        this.stepState(event, t);
        return;
      case 'toolsOmitted':
        this.omittedTools += event.tools.length;
        return;
      case 'toolsUnsupported':
        if (this.current) this.current.toolsRefused = event.detail ? { detail: this.clean(event.detail) } : {};
        return;
      case 'resultsCompacted':
        this.pendingCompacted += event.ids.length;
        return;
      case 'text':
      case 'reasoning':
        // Counted as chunks by the engine's events, like any answer's.
        return;
    }
  }

  /** The engine's first SSE chunk of the current request. */
  firstChunk(t: number): void {
    if (this.current) this.current.firstChunkAt ??= t;
  }

  finish(reason: string): void {
    if (this.current) this.current.finishReason = clip(reason, 40);
  }

  usage(completionTokens: number): void {
    if (this.current) this.current.completionTokens = completionTokens;
  }

  snapshot(rel: Rel): TraceAgent {
    const attempts = this.host.attemptCount();
    const rounds = this.rounds.map((r): TraceRound => {
      const out: TraceRound = { round: r.round, at: rel(r.at), toolsOffered: r.toolsOffered, firstAttempt: r.firstAttempt, attempts: (r.attemptsEnd ?? attempts) - r.firstAttempt };
      if (r.endAt !== undefined) out.endAt = rel(r.endAt);
      if (r.toolsRefused) out.toolsRefused = { ...r.toolsRefused };
      if (r.toolCalls !== undefined) out.toolCalls = r.toolCalls;
      if (r.finishReason !== undefined) out.finishReason = r.finishReason;
      if (r.completionTokens !== undefined) out.completionTokens = r.completionTokens;
      if (r.compactedResults) out.compactedResults = r.compactedResults;
      if (r.firstChunkAt !== undefined) out.firstChunkAt = rel(r.firstChunkAt);
      const stream = r.stream === undefined ? this.liveStream(r) : r.stream;
      if (stream) out.stream = { ...stream, firstAt: rel(stream.firstAt), lastAt: rel(stream.lastAt), kinds: { ...stream.kinds } };
      return out;
    });
    const steps = this.steps.map(({ id: _id, ...step }): TraceStep => {
      const out: TraceStep = { ...step, at: rel(step.at) };
      if (step.approvalAt !== undefined) out.approvalAt = rel(step.approvalAt);
      if (step.runAt !== undefined) out.runAt = rel(step.runAt);
      if (step.endAt !== undefined) out.endAt = rel(step.endAt);
      return out;
    });
    const agent: TraceAgent = { rounds, steps };
    // Only the tools that were called: a request may offer a hundred.
    const called = [...new Set(steps.map((s) => s.name))].flatMap((name) => {
      const source = this.sources.get(name);
      return source ? [{ ...source }] : [];
    });
    if (called.length) agent.tools = called;
    if (this.omittedTools) agent.omittedTools = this.omittedTools;
    if (this.droppedRounds) agent.droppedRounds = this.droppedRounds;
    if (this.droppedSteps) agent.droppedSteps = this.droppedSteps;
    return agent;
  }

  private startRound(round: number, tools: number, t: number): void {
    const previous = this.current;
    if (previous) {
      this.closeStream(previous);
      previous.endAt ??= t;
      previous.attemptsEnd ??= this.host.attemptCount();
    }
    this.host.startRequest();
    if (this.rounds.length >= MAX_TRACE_ROUNDS) {
      this.droppedRounds++;
      this.current = undefined;
      return;
    }
    const chunks = this.host.chunks;
    chunks.mark();
    const state: RoundState = {
      round,
      at: t,
      toolsOffered: tools,
      firstAttempt: this.host.attemptCount(),
      from: { count: chunks.count, chars: chunks.chars, kinds: chunks.kindCounts() },
    };
    if (this.pendingCompacted) state.compactedResults = this.pendingCompacted;
    this.pendingCompacted = 0;
    this.rounds.push(state);
    this.current = state;
  }

  private stepState(event: Extract<AgentEvent, { kind: 'stepState' }>, t: number): void {
    const step = this.byId.get(event.id);
    if (!step) return;
    step.state = event.state;
    if (event.state === 'pending-approval') step.approvalAt ??= t;
    else if (event.state === 'running') step.runAt ??= t;
    if (!FINAL.has(event.state)) return;
    step.endAt ??= t;
    if (event.result !== undefined) step.resultChars = event.result.length;
    if (event.cutChars) step.cutChars = event.cutChars;
    // A stop's wording is the loop's own; an error's or a denial's says what happened.
    if (event.error && (event.state === 'error' || event.state === 'denied')) step.error = this.clean(event.error);
  }

  private clean(text: string): string {
    return clip(redact(text, this.host.secrets()), STEP_ERROR_CHARS);
  }

  /** Freezes a round's stream figures when it ends: later chunks belong to later rounds. */
  private closeStream(round: RoundState): void {
    if (round.stream === undefined) round.stream = this.liveStream(round) ?? null;
  }

  private liveStream(round: RoundState): TraceRoundStream | null {
    const chunks = this.host.chunks;
    const count = chunks.count - round.from.count;
    // `markAt` belongs to the latest round only; an earlier one is always closed by now.
    if (count <= 0 || chunks.markAt === undefined) return null;
    const kinds: Partial<Record<ChunkKind, number>> = {};
    chunks.kindCounts().forEach((n, i) => {
      const own = n - (round.from.kinds[i] ?? 0);
      if (own > 0) kinds[CHUNK_KINDS[i] as ChunkKind] = own;
    });
    return { firstAt: chunks.markAt, lastAt: chunks.lastAt, count, chars: chunks.chars - round.from.chars, kinds };
  }
}
