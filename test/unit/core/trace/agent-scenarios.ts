import type { AgentOutcome } from '../../../../src/core/agent/types';
import type { Problem, StreamOutcome } from '../../../../src/core/stream/events';
import type { AgentToolInfo, RequestTrace, TraceRecorderOptions } from '../../../../src/core/trace/trace';
import type { AgentEvent, ToolStepState } from '../../../../src/protocol/agent-messages';
import { Script } from './scenarios';

/** The tools offered in the scenarios: built-in ones, an MCP server's, and one VS Code tool. */
export const SCENARIO_TOOLS: AgentToolInfo[] = [
  { name: 'rill_read_file', source: 'builtin' },
  { name: 'rill_search_text', source: 'builtin' },
  { name: 'rill_edit_file', source: 'builtin' },
  { name: 'rill_run_command', source: 'builtin' },
  { name: 'mcp_everything_echo', source: 'mcp', server: 'everything', tool: 'echo' },
  { name: 'copilot_searchCodebase', source: 'vscode' },
];

interface Call {
  id: string;
  name: string;
  args: string;
}

interface RoundPlan {
  /** Tools sent with the request; all of SCENARIO_TOOLS by default. */
  tools?: number;
  /** Text chunks before the calls (intermediate text, or the answer). */
  text?: number;
  calls?: Call[];
  finish?: string;
  completionTokens?: number;
  /** The response's status; a 4xx ends the request without a stream. */
  status?: number;
}

/**
 * An agent request on the fake clock, driven the way the chat will drive the recorder: the loop's
 * events through `agentEvent`, the engine's through `onEvent`, one HTTP request per round.
 */
export class AgentScript {
  readonly s: Script;
  private rounds = 0;

  constructor(options: TraceRecorderOptions = {}) {
    this.s = new Script(options);
  }

  get recorder() {
    return this.s.recorder;
  }

  send(): this {
    this.s.send();
    this.recorder.describeTools(SCENARIO_TOOLS);
    return this;
  }

  wait(ms: number): this {
    this.s.wait(ms);
    return this;
  }

  event(event: AgentEvent): this {
    this.recorder.agentEvent(event);
    return this;
  }

  round(round: number, plan: RoundPlan): this {
    const r = this.recorder;
    this.rounds = Math.max(this.rounds, round);
    this.wait(2).event({ kind: 'roundStarted', round, tools: plan.tools ?? SCENARIO_TOOLS.length });
    this.s.request().headers(plan.status ?? 200, 1, 240 + round * 20, `req_r${round}`);
    if ((plan.status ?? 200) >= 400) return this;
    if (plan.text) this.s.chunks('text', plan.text, { firstAfter: 90 });
    else this.wait(90).recorder.onEvent({ kind: 'firstChunk' });
    (plan.calls ?? []).forEach((call, index) => {
      this.wait(8).recorder.onEvent({ kind: 'toolCall', index, id: call.id, name: call.name, argumentsDelta: '' });
      this.event({ kind: 'stepStarted', step: { id: call.id, round, name: call.name, arguments: '', state: 'streaming' } });
      // The arguments in three fragments, as servers stream them.
      const third = Math.ceil(call.args.length / 3);
      for (let at = 0; at < call.args.length; at += third) {
        const delta = call.args.slice(at, at + third);
        this.wait(6).recorder.onEvent({ kind: 'toolCall', index, argumentsDelta: delta });
        this.event({ kind: 'stepArguments', id: call.id, delta });
      }
    });
    if (plan.finish) this.wait(3).recorder.onEvent({ kind: 'finish', reason: plan.finish });
    if (plan.completionTokens) r.onEvent({ kind: 'usage', usage: { promptTokens: 1234, completionTokens: plan.completionTokens, totalTokens: 1234 + plan.completionTokens } });
    return this.wait(1).event({ kind: 'roundEnded', round, toolCalls: plan.calls?.length ?? 0 });
  }

  state(id: string, state: ToolStepState, afterMs: number, extra: { result?: string; error?: string; cutChars?: number } = {}): this {
    return this.wait(afterMs).event({ kind: 'stepState', id, state, ...extra });
  }

  /** A read-only call: runs at once. */
  runs(id: string, tookMs: number, result: string, cutChars?: number): this {
    return this.state(id, 'running', 1.5).state(id, 'done', tookMs, { result, ...(cutChars ? { cutChars } : {}) });
  }

  /** A call the user is asked about: it waits `waitMs`, then runs (or is denied). */
  asks(id: string, waitMs: number): this {
    return this.state(id, 'pending-approval', 1.5).state(id, 'running', waitMs);
  }

  finish(state: AgentOutcome['state'], text: number, last: Partial<StreamOutcome> = {}, problem?: Omit<Problem, 'actions' | 'retryable'>): RequestTrace {
    const outcome: AgentOutcome = {
      state,
      rounds: this.rounds,
      steps: [],
      messages: [],
      text: 'x'.repeat(text),
      actions: [],
      toolsUnsupported: false,
      omittedTools: [],
      last: { state: state === 'round-limit' ? 'done' : state, textLength: text, toolCalls: [], attempts: 1, ...last },
      usage: { promptTokens: 2468, completionTokens: 64, totalTokens: 2532 },
      ...(problem ? { problem: { ...problem, actions: ['retry'], retryable: false } } : {}),
    };
    this.wait(1.5).recorder.finished(outcome);
    this.wait(7.2).recorder.webviewPainted('last', this.s.webviewNow(-1.1));
    return this.recorder.trace();
  }
}

const read: Call = { id: 'call_read', name: 'rill_read_file', args: '{"path":"src/extension.ts","startLine":1,"endLine":80}' };
const search: Call = { id: 'call_search', name: 'rill_search_text', args: '{"query":"activate","pattern":"src/**/*.ts"}' };
const edit: Call = { id: 'call_edit', name: 'rill_edit_file', args: '{"path":"src/extension.ts","oldText":"const a = 1;","newText":"const a = 2;"}' };
const echo: Call = { id: 'call_echo', name: 'mcp_everything_echo', args: '{"message":"hello"}' };
const command: Call = { id: 'call_cmd', name: 'rill_run_command', args: '{"command":"npm test"}' };
const codebase: Call = { id: 'call_code', name: 'copilot_searchCodebase', args: '{"query":"trace"}' };
const unknown: Call = { id: 'call_unknown', name: 'rill_delete_file', args: '{"path":"a.txt"}' };

/** Agent requests drawn into golden files, by name (`trace-<name>.<detail>.<lang>.mmd`). */
export const agentScenarios: Record<string, () => RequestTrace> = {
  /** Two rounds: a read-only call that runs at once, then the answer. */
  'agent-two-rounds': () =>
    new AgentScript()
      .send()
      .round(1, { text: 3, calls: [read], finish: 'tool_calls', completionTokens: 24 })
      .runs('call_read', 12, 'x'.repeat(1234))
      .round(2, { text: 14, finish: 'stop', completionTokens: 40 })
      .finish('done', 84, { finishReason: 'stop' }),

  /** A search, an edit the user approves after 2.3 s, an MCP call; then the answer. */
  'agent-approval': () =>
    new AgentScript()
      .send()
      .round(1, { calls: [search, edit, echo], finish: 'tool_calls', completionTokens: 61 })
      .runs('call_search', 35, 'x'.repeat(4000), 2600)
      .asks('call_edit', 2300)
      .state('call_edit', 'done', 8, { result: 'Edited src/extension.ts: 1 line changed.' })
      .runs('call_echo', 140, 'Echo: hello')
      .round(2, { text: 9, finish: 'stop', completionTokens: 22 })
      .finish('done', 54, { finishReason: 'stop' }),

  /** A command the user denies, a VS Code tool that fails, a tool that does not exist. */
  'agent-denied': () => {
    const s = new AgentScript({ secrets: ['sk-live-0123456789abcdef'] }).send();
    s.round(1, { text: 2, calls: [command, codebase, unknown], finish: 'tool_calls', completionTokens: 33 });
    s.state('call_cmd', 'pending-approval', 1.5).state('call_cmd', 'denied', 1800, { error: 'The user denied this call: not on this branch. It was not run; do not try it again unchanged.' });
    s.state('call_code', 'running', 1).state('call_code', 'error', 42, { error: 'The tool failed: request to https://example.test?key=sk-live-0123456789abcdef failed, reason: ECONNRESET' });
    s.state('call_unknown', 'error', 0.5, { error: 'There is no tool named "rill_delete_file". The call was not run; use one of the tools offered.' });
    return s.round(2, { text: 6, finish: 'stop', completionTokens: 15 }).finish('done', 36, { finishReason: 'stop' });
  },

  /** The user approves a command, then stops it while it runs. */
  'agent-stopped': () => {
    const s = new AgentScript().send().round(1, { text: 2, calls: [command], finish: 'tool_calls', completionTokens: 12 }).asks('call_cmd', 900);
    s.wait(1500).recorder.stopRequested(s.s.webviewNow());
    return s.state('call_cmd', 'stopped', 2, { error: 'The user stopped this call before it finished.' }).finish('stopped', 12, { state: 'done', finishReason: 'tool_calls' });
  },

  /** The server refuses `tools` (Ollama without tool support): the round is sent again without them. */
  'agent-tools-refused': () =>
    new AgentScript()
      .send()
      .round(1, { status: 400 })
      .event({ kind: 'toolsUnsupported', detail: 'registry.ollama.ai/library/gemma:2b does not support tools' })
      .round(1, { tools: 0, text: 10, finish: 'stop', completionTokens: 12 })
      .finish('done', 60, { finishReason: 'stop' }),
};

/** Mermaid's default `maxTextSize`: a longer diagram is not drawn at all. */
export const MERMAID_MAX_TEXT = 50_000;

/** An agent request with `rounds` rounds of `perRound` read-only calls each, then the answer. */
export function manyCalls(rounds: number, perRound: number, name = 'rill_read_file'): RequestTrace {
  const s = new AgentScript().send();
  for (let round = 1; round <= rounds; round++) {
    const calls = Array.from({ length: perRound }, (_, k) => ({ id: `c${round}_${k}`, name, args: `{"path":"src/file${k}.ts"}` }));
    s.round(round, { text: 2, calls, finish: 'tool_calls', completionTokens: 20 });
    for (const call of calls) s.runs(call.id, 4, 'x'.repeat(300));
  }
  return s.round(rounds + 1, { text: 5, finish: 'stop' }).finish('done', 30, { finishReason: 'stop' });
}
