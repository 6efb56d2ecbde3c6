import { strict as assert } from 'node:assert';
import OpenAI from 'openai';
import { runAgent, type ToolRunner } from '../../../../src/core/agent';
import { traceToMermaid } from '../../../../src/core/trace/mermaid';
import { tracedFetch } from '../../../../src/core/trace/traced-fetch';
import { chatStream, startLlmServer, toolCallsThenText, toolsRejected, type LlmServer, type Script as ServerScript, type ToolCallSpec } from '../../../../src/local-llm';
import { MAX_TRACE_ROUNDS, MAX_TRACE_STEPS, parseRequestTrace, TraceRecorder, type RequestTrace, type TraceAgent } from '../../../../src/core/trace/trace';
import { AgentScript, agentScenarios } from './agent-scenarios';
import { TIME_ORIGIN } from './scenarios';

function agentOf(trace: RequestTrace): TraceAgent {
  assert.ok(trace.agent, 'the trace has agent data');
  return trace.agent;
}

describe('trace recorder: agent requests', () => {
  it('records each round: when it ran, the tools offered, the calls asked, its finish and its own stream', () => {
    const trace = agentScenarios['agent-two-rounds']!();
    const [one, two] = agentOf(trace).rounds;
    assert.deepEqual(
      agentOf(trace).rounds.map((r) => [r.round, r.toolsOffered, r.toolCalls, r.finishReason, r.completionTokens, r.firstAttempt, r.attempts]),
      [
        [1, 6, 1, 'tool_calls', 24, 0, 1],
        [2, 6, 0, 'stop', 40, 1, 1],
      ],
    );
    // Round 1 streamed three text chunks and the call (a name chunk and three argument fragments).
    assert.deepEqual(one?.stream?.kinds, { text: 3, toolCall: 4 });
    assert.equal(one?.stream?.chars, 3 + 6 + 9 + 54);
    assert.deepEqual(two?.stream?.kinds, { text: 14 });
    // Each round's stream lies inside the round, and the rounds follow one another.
    for (const r of agentOf(trace).rounds) {
      assert.ok(r.stream && r.endAt !== undefined && r.firstChunkAt !== undefined);
      assert.ok(r.at < r.firstChunkAt && r.firstChunkAt <= r.stream.firstAt && r.stream.firstAt <= r.stream.lastAt && r.stream.lastAt <= r.endAt);
    }
    assert.ok((one?.endAt ?? Infinity) < (two?.at ?? 0));
    // The whole request's aggregates still count every chunk.
    assert.equal(trace.stream?.count, 7 + 14);
    assert.deepEqual(trace.attempts.map((a) => [a.attempt, a.status, a.requestId]), [
      [1, 200, 'req_r1'],
      [1, 200, 'req_r2'],
    ]);
  });

  it("numbers each round's HTTP attempts from 1, as the engine does, and keeps a retry in its round", () => {
    const s = new AgentScript().send().round(1, { text: 2, calls: [{ id: 'c1', name: 'rill_read_file', args: '{}' }], finish: 'tool_calls' });
    s.runs('c1', 5, 'ok');
    const r = s.recorder;
    s.wait(2).event({ kind: 'roundStarted', round: 2, tools: 6 });
    s.s.request().headers(503, 1, 100, 'req_503');
    s.s.retry(1, 500, { kind: 'server', status: 503 });
    s.s.request().headers(200, 2, 200, 'req_ok');
    s.s.chunks('text', 3, { firstAfter: 50 });
    r.onEvent({ kind: 'finish', reason: 'stop' });
    s.event({ kind: 'roundEnded', round: 2, toolCalls: 0 });
    const trace = s.finish('done', 18, { finishReason: 'stop', attempts: 2 });
    assert.deepEqual(trace.attempts.map((a) => [a.attempt, a.status, a.retry?.reason]), [
      [1, 200, undefined],
      [1, 503, 'server'],
      [2, 200, undefined],
    ]);
    assert.deepEqual(agentOf(trace).rounds.map((x) => [x.firstAttempt, x.attempts]), [
      [0, 1],
      [1, 2],
    ]);
    assert.equal(trace.end?.attempts, 2);
  });

  it("records each call's life: approval asked and answered, run, end, result size; errors clipped and redacted", () => {
    const steps = agentOf(agentScenarios['agent-approval']!()).steps;
    assert.deepEqual(
      steps.map((s) => [s.round, s.name, s.state, s.argsChars, s.resultChars, s.cutChars]),
      [
        [1, 'rill_search_text', 'done', 44, 4000, 2600],
        [1, 'rill_edit_file', 'done', 77, 40, undefined],
        [1, 'mcp_everything_echo', 'done', 19, 11, undefined],
      ],
    );
    const edit = steps[1];
    assert.ok(edit?.approvalAt !== undefined && edit.runAt !== undefined && edit.endAt !== undefined);
    assert.equal(Math.round(edit.runAt - edit.approvalAt), 2300);
    assert.equal(Math.round(edit.endAt - edit.runAt), 8);
    assert.equal(steps[0]?.approvalAt, undefined, 'a read-only call is not asked about');

    const denied = agentOf(agentScenarios['agent-denied']!()).steps;
    assert.deepEqual(denied.map((s) => [s.name, s.state, s.runAt !== undefined]), [
      ['rill_run_command', 'denied', false],
      ['copilot_searchCodebase', 'error', true],
      ['rill_delete_file', 'error', false],
    ]);
    assert.match(denied[0]?.error ?? '', /^The user denied this call: not on this branch/);
    assert.match(denied[1]?.error ?? '', /key=\[redacted\] failed/);
    assert.ok(!JSON.stringify(denied).includes('sk-live'));
    // A stop's wording is the loop's own: not kept.
    assert.equal(agentOf(agentScenarios['agent-stopped']!()).steps[0]?.error, undefined);

    const long = new AgentScript().send().round(1, { calls: [{ id: 'c', name: 'x'.repeat(500), args: '{}' }], finish: 'tool_calls' });
    long.recorder.addSecrets(['added-later-secret-value']);
    long.state('c', 'running', 1).state('c', 'error', 1, { error: `added-later-secret-value ${'e'.repeat(1000)}` });
    const step = agentOf(long.recorder.trace()).steps[0];
    assert.equal(Array.from(step?.name ?? '').length, 120);
    assert.equal(Array.from(step?.error ?? '').length, 200);
    assert.ok(step?.error?.startsWith('[redacted] eee') && step.error.endsWith('…'));
  });

  it('keeps the real source of the tools that were called, and only those', () => {
    assert.deepEqual(agentOf(agentScenarios['agent-approval']!()).tools, [
      { name: 'rill_search_text', source: 'builtin' },
      { name: 'rill_edit_file', source: 'builtin' },
      { name: 'mcp_everything_echo', source: 'mcp', server: 'everything', tool: 'echo' },
    ]);
    // A name the model invented has no source.
    assert.deepEqual(agentOf(agentScenarios['agent-denied']!()).tools?.map((t) => t.name), ['rill_run_command', 'copilot_searchCodebase']);
  });

  it('records the loop around the rounds: tools left out, results compacted, tools refused and the resend', () => {
    const s = new AgentScript({ secrets: ['sk-live-0123456789abcdef'] }).send();
    s.event({ kind: 'toolsOmitted', tools: [{ name: 'a b', reason: 'invalid-name' }, { name: 'x', reason: 'over-limit' }] });
    s.round(1, { status: 400 }).event({ kind: 'toolsUnsupported', detail: 'no tools for sk-live-0123456789abcdef' });
    s.round(1, { tools: 0, text: 2, calls: [{ id: 'c', name: 'rill_read_file', args: '{}' }], finish: 'tool_calls' }).runs('c', 3, 'ok');
    s.event({ kind: 'resultsCompacted', ids: ['c', 'd'] }).round(2, { tools: 0, text: 2, finish: 'stop' });
    const agent = agentOf(s.finish('done', 12));
    assert.equal(agent.omittedTools, 2);
    assert.deepEqual(agent.rounds.map((r) => [r.round, r.toolsOffered, r.toolsRefused, r.compactedResults, r.attempts]), [
      [1, 6, { detail: 'no tools for [redacted]' }, undefined, 1],
      [1, 0, undefined, undefined, 1],
      [2, 0, undefined, 2, 1],
    ]);
    // The refused request ended when the resend started, though the loop sends no roundEnded for it.
    assert.equal(agent.rounds[0]?.endAt, agent.rounds[1]?.at);
    assert.equal(agent.rounds[0]?.stream, undefined);
  });

  it('takes a late event at the time given on its clock, never later than now', () => {
    const clock = { t: 1000 };
    const recorder = new TraceRecorder({ now: () => clock.t, timeOrigin: TIME_ORIGIN });
    recorder.hostReceived();
    recorder.agentEvent({ kind: 'roundStarted', round: 1, tools: 2 });
    recorder.agentEvent({ kind: 'stepStarted', step: { id: 'a', round: 1, name: 'rill_read_file', arguments: '{"path"', state: 'streaming' } });
    clock.t = 1500;
    recorder.agentEvent({ kind: 'stepState', id: 'a', state: 'running' }, 1200);
    recorder.agentEvent({ kind: 'stepState', id: 'a', state: 'done', result: 'x' }, 9999);
    recorder.agentEvent({ kind: 'stepArguments', id: 'a', delta: ':"a"}' });
    recorder.agentEvent({ kind: 'stepState', id: 'nobody', state: 'done' });
    const step = agentOf(recorder.trace()).steps[0];
    assert.deepEqual([step?.at, step?.runAt, step?.endAt, step?.argsChars], [0, 200, 500, 12]);
    assert.equal(agentOf(recorder.trace()).steps.length, 1);
  });

  it('keeps the first 200 calls and 256 rounds, and counts the rest', () => {
    const clock = { t: 0 };
    const recorder = new TraceRecorder({ now: () => clock.t, timeOrigin: 0 });
    for (let round = 1; round <= MAX_TRACE_ROUNDS + 4; round++) {
      clock.t += 10;
      recorder.agentEvent({ kind: 'roundStarted', round, tools: 1 });
      recorder.httpRequest({ method: 'POST', url: 'https://api.example/v1/chat/completions' });
      recorder.agentEvent({ kind: 'stepStarted', step: { id: `c${round}`, round, name: 'rill_read_file', arguments: '{}', state: 'streaming' } });
      recorder.agentEvent({ kind: 'stepState', id: `c${round}`, state: 'done', result: 'ok' });
      recorder.agentEvent({ kind: 'roundEnded', round, toolCalls: 1 });
    }
    const trace = recorder.trace();
    const agent = agentOf(trace);
    assert.equal(agent.rounds.length, MAX_TRACE_ROUNDS);
    assert.equal(agent.droppedRounds, 4);
    assert.equal(agent.steps.length, MAX_TRACE_STEPS);
    assert.equal(agent.droppedSteps, MAX_TRACE_ROUNDS + 4 - MAX_TRACE_STEPS);
    assert.ok(agent.steps.every((s) => s.state === 'done'));
    // The last kept round's attempts stop where the dropped rounds' begin.
    assert.equal(agent.rounds[agent.rounds.length - 1]?.attempts, 1);
    assert.equal(trace.attempts.length, MAX_TRACE_ROUNDS + 4);
    assert.deepEqual(parseRequestTrace(JSON.parse(JSON.stringify(trace))), trace);
  });

  it('ends with the loop\'s outcome: its state, summed usage and the last request; a plain request is unchanged', () => {
    const limit = new AgentScript().send().round(1, { text: 2, calls: [{ id: 'c', name: 'rill_read_file', args: '{}' }], finish: 'tool_calls' }).runs('c', 2, 'ok');
    const trace = limit.finish('round-limit', 12, { finishReason: 'tool_calls' });
    assert.deepEqual([trace.end?.state, trace.end?.finishReason, trace.end?.usage?.completionTokens, trace.end?.textLength, trace.end?.attempts], ['round-limit', 'tool_calls', 64, 12, 1]);
    assert.equal(trace.tools, undefined, 'the steps tell of the calls');

    // Without agent events the trace has no agent part, even when the engine reports finish and usage.
    const clock = { t: 0 };
    const plain = new TraceRecorder({ now: () => clock.t, timeOrigin: 0 });
    plain.httpRequest({ method: 'POST', url: 'https://api.example/v1/chat/completions' });
    plain.onEvent({ kind: 'finish', reason: 'stop' });
    plain.onEvent({ kind: 'usage', usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 } });
    plain.describeTools([{ name: 'rill_read_file', source: 'builtin' }]);
    assert.ok(!('agent' in plain.trace()));
  });
});

describe('reading saved agent traces', () => {
  it('reads back every agent scenario exactly', () => {
    for (const [name, scenario] of Object.entries(agentScenarios)) {
      const trace = scenario();
      assert.deepEqual(parseRequestTrace(JSON.parse(JSON.stringify(trace))), trace, name);
    }
  });

  const base = (): Record<string, unknown> => JSON.parse(JSON.stringify(agentScenarios['agent-approval']!())) as Record<string, unknown>;
  const edited = (edit: (agent: Record<string, unknown> & { rounds: Array<Record<string, unknown>>; steps: Array<Record<string, unknown>> }) => void): unknown => {
    const value = base();
    edit(value.agent as Parameters<typeof edit>[0]);
    return value;
  };

  it('rejects agent data of the wrong shape, state or source, and rounds pointing outside the attempts', () => {
    const cases: Record<string, unknown> = {
      'agent is not an object': { ...base(), agent: [] },
      'rounds missing': edited((a) => delete (a as { rounds?: unknown }).rounds),
      'steps not a list': edited((a) => ((a as { steps: unknown }).steps = {})),
      'round 0': edited((a) => ((a.rounds[0] as Record<string, unknown>).round = 0)),
      'a fractional count': edited((a) => ((a.rounds[0] as Record<string, unknown>).toolsOffered = 1.5)),
      'a time that is text': edited((a) => ((a.rounds[0] as Record<string, unknown>).endAt = '12')),
      'attempts beyond the trace': edited((a) => ((a.rounds[1] as Record<string, unknown>).attempts = 5)),
      'attempts overlapping the round before': edited((a) => ((a.rounds[1] as Record<string, unknown>).firstAttempt = 0)),
      'an unknown chunk kind': edited((a) => (((a.rounds[0] as Record<string, Record<string, unknown>>).stream as Record<string, unknown>).kinds = { tool: 1 })),
      'toolsRefused not an object': edited((a) => ((a.rounds[0] as Record<string, unknown>).toolsRefused = 'yes')),
      'an unknown step state': edited((a) => ((a.steps[0] as Record<string, unknown>).state = 'exploded')),
      'a step name that is not text': edited((a) => ((a.steps[0] as Record<string, unknown>).name = 42)),
      'a negative result size': edited((a) => ((a.steps[0] as Record<string, unknown>).resultChars = -1)),
      'an error that is not text': edited((a) => ((a.steps[0] as Record<string, unknown>).error = { text: 'x' })),
      'an unknown tool source': edited((a) => ((a.tools as Array<Record<string, unknown>>)[0] = { name: 'x', source: 'shell' })),
      'a dropped count that is text': edited((a) => (a.droppedSteps = '3')),
    };
    for (const [name, value] of Object.entries(cases)) assert.equal(parseRequestTrace(value), undefined, name);
    assert.ok(parseRequestTrace(base()), 'the unedited trace reads');
  });

  it('bounds what a file may hold: 200 calls kept, the rest counted; long texts clipped', () => {
    const value = edited((a) => {
      const step = a.steps[0] as Record<string, unknown>;
      a.steps = Array.from({ length: 500 }, () => ({ ...step, name: 'n'.repeat(1000), error: 'e'.repeat(5000) }));
      a.droppedSteps = 7;
    });
    const agent = agentOf(parseRequestTrace(value) as RequestTrace);
    assert.equal(agent.steps.length, MAX_TRACE_STEPS);
    assert.equal(agent.droppedSteps, 300 + 7);
    assert.equal(Array.from(agent.steps[0]?.name ?? '').length, 120);
    assert.equal(Array.from(agent.steps[0]?.error ?? '').length, 200);
  });
});

describe('trace recorder, fed by the real agent loop', function () {
  this.timeout(15_000);
  let server: LlmServer;
  before(async () => {
    server = await startLlmServer();
  });
  after(() => server.close());

  /** Runs the loop against the local server with the recorder wired as the chat wires it. */
  async function record(scripts: ServerScript[], runner: ToolRunner): Promise<RequestTrace> {
    server.enqueue(...scripts);
    const recorder = new TraceRecorder();
    recorder.hostReceived();
    recorder.describeTools([
      { name: 'rill_read_file', source: 'builtin' },
      { name: 'mcp_docs_search', source: 'mcp', server: 'docs', tool: 'search' },
    ]);
    const outcome = await runAgent(
      { createClient: (fetch) => new OpenAI({ baseURL: server.url, apiKey: 'sk-rill-test-key-000', fetch }), fetch: tracedFetch(globalThis.fetch, recorder) },
      { model: 'rill-test', messages: [{ role: 'user', content: 'Read the file.' }] },
      runner,
      {
        signal: new AbortController().signal,
        stream: { idleTimeoutMs: 5000, maxRetries: 0 },
        onEvent: (event) => recorder.agentEvent(event),
        onStreamEvent: (event) => recorder.onEvent(event),
      },
    );
    recorder.finished(outcome);
    return recorder.trace();
  }

  const definitions = [{ name: 'rill_read_file' }, { name: 'mcp_docs_search' }];

  it('gives each round its own HTTP attempt and stream, and each call its approval and run', async () => {
    const runner: ToolRunner = {
      tools: () => definitions,
      // The MCP tool waits for the user; the reader does not.
      approve: (call) => (call.name === 'mcp_docs_search' ? new Promise((resolve) => setTimeout(() => resolve({ allow: true }), 30)) : { allow: true }),
      run: async (call) => ({ status: 'ok', content: `contents of ${call.name}` }),
    };
    const calls: ToolCallSpec[] = [
      { name: 'rill_read_file', arguments: { path: 'README.md' } },
      { name: 'mcp_docs_search', arguments: { query: 'agent' } },
    ];
    const trace = await record(toolCallsThenText(calls, 'The file says hello.'), runner);
    const agent = agentOf(trace);
    assert.deepEqual(agent.rounds.map((r) => [r.round, r.toolsOffered, r.toolCalls, r.finishReason, r.firstAttempt, r.attempts]), [
      [1, 2, 2, 'tool_calls', 0, 1],
      [2, 2, 0, 'stop', 1, 1],
    ]);
    assert.deepEqual(trace.attempts.map((a) => [a.attempt, a.status]), [
      [1, 200],
      [1, 200],
    ]);
    assert.equal((agent.rounds[0]?.stream?.kinds.toolCall ?? 0) > 0, true);
    assert.equal(agent.rounds[1]?.stream?.chars, 'The file says hello.'.length);
    assert.deepEqual(agent.steps.map((s) => [s.name, s.state, s.approvalAt !== undefined, s.resultChars]), [
      ['rill_read_file', 'done', false, 'contents of rill_read_file'.length],
      ['mcp_docs_search', 'done', true, 'contents of mcp_docs_search'.length],
    ]);
    const waited = (agent.steps[1]?.runAt ?? 0) - (agent.steps[1]?.approvalAt ?? 0);
    assert.ok(waited >= 20, `approval waited ${waited} ms`);
    assert.equal(trace.end?.state, 'done');
    assert.ok(!JSON.stringify(trace).includes('sk-rill-test-key'));
    const diagram = traceToMermaid(trace);
    assert.match(diagram, /H->>T: mcp_docs_search → docs: search \(MCP\) · at /);
    assert.match(diagram, /U->>W: Allow · waited \d+ ms/);
    assert.deepEqual(parseRequestTrace(JSON.parse(JSON.stringify(trace))), trace);
  });

  it('draws a request refused for its tools, and the same round sent again without them', async () => {
    const runner: ToolRunner = { tools: () => definitions, run: async () => ({ status: 'ok', content: '' }) };
    const trace = await record([toolsRejected('ollama'), chatStream({ name: 'plain', text: 'Hello without tools.', usage: true })], runner);
    const agent = agentOf(trace);
    assert.deepEqual(agent.rounds.map((r) => [r.round, r.toolsOffered, r.toolsRefused !== undefined, r.attempts]), [
      [1, 2, true, 1],
      [1, 0, false, 1],
    ]);
    assert.deepEqual(trace.attempts.map((a) => a.status), [400, 200]);
    const diagram = traceToMermaid(trace);
    assert.match(diagram, /L--xH: HTTP 400 Bad Request/);
    assert.match(diagram, /loop round 1, sent again without tools · no tools/);
    assert.doesNotMatch(diagram, /break/);
  });
});
