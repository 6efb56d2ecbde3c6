import { strict as assert } from 'node:assert';
import { ja } from '../../../../src/core/trace/labels';
import { traceToMermaid } from '../../../../src/core/trace/mermaid';
import { AgentScript, agentScenarios, manyCalls, MERMAID_MAX_TEXT } from './agent-scenarios';
import { assertWellFormed } from './well-formed';

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

describe('trace to Mermaid: agent requests', () => {
  it('draws every round as a loop with its request, and every call that ran on the Tool participant', () => {
    const diagram = traceToMermaid(agentScenarios['agent-approval']!());
    assert.match(diagram, /accTitle: Rill: trace of one agent request\n/);
    assert.match(diagram, /participant T as Tool\n/);
    assert.equal(count(diagram, /^ {4}loop round \d · 6 tools offered$/gm), 2);
    assert.equal(count(diagram, /^ {8}H->>L: openai\.chat\.completions\.create/gm), 2);
    assert.match(diagram, /L-->>H: data: chat\.completion\.chunk \(finish_reason: "tool_calls", usage\.completion_tokens: 61\)/);
    assert.match(diagram, /H->>T: rill_search_text \(built-in\) · at [\d.]+ ms<br\/>arguments 44 chars\n\s+T-->>H: result 4,000 chars · took 35 ms<br\/>2,600 chars cut/);
    assert.match(
      diagram,
      /H-\)W: webview\.postMessage\(\{type: 'agentEvent'\}\) · at [\d.]+ ms<br\/>rill_edit_file \(built-in\): approval asked\n\s+U->>W: Allow · waited 2\.3 s\n\s+W->>H: vscode\.postMessage\(\{type: 'toolApproval'\}\)\n\s+H->>T: rill_edit_file/,
    );
    assert.match(diagram, /H->>T: mcp_everything_echo → everything: echo \(MCP\)/);
    assert.match(diagram, /Note over U,H: total [^\n]*<br\/>2 rounds, 3 tool calls: tools ran 183 ms, approvals waited 2\.3 s\n$/);
    // The plain trace's summary of requested calls is not drawn: the steps say more.
    assert.doesNotMatch(diagram, /shown, not run/);
  });

  it('draws a denial, a failing tool and a call that never ran, and no Tool participant when nothing ran', () => {
    const denied = traceToMermaid(agentScenarios['agent-denied']!());
    assert.match(denied, /U->>W: Deny · waited 1\.8 s/);
    assert.match(denied, /H->>T: copilot_searchCodebase \(VS Code tool\)[^\n]*\n\s+T--xH: error after 42 ms<br\/>The tool failed: [^\n]*\[redacted\]/);
    assert.match(denied, /Note over H: not run: rill_delete_file<br\/>There is no tool named/);
    assert.ok(!denied.includes('sk-live'));
    const s = new AgentScript().send().round(1, { text: 2, calls: [{ id: 'c', name: 'rill_run_command', args: '{}' }], finish: 'tool_calls' });
    s.state('c', 'pending-approval', 1).state('c', 'denied', 500);
    const nothingRan = traceToMermaid(s.round(2, { text: 3, finish: 'stop' }).finish('done', 18));
    assert.doesNotMatch(nothingRan, /participant T/);
    assertWellFormed(nothingRan, 'nothing ran');
  });

  it('ends a Stop where it struck: the running tool, the waiting approval, or the request streaming', () => {
    const running = traceToMermaid(agentScenarios['agent-stopped']!());
    assert.match(running, /break stopped by the user[^\n]*\n\s+U->>W: Stop\n\s+W->>H: vscode\.postMessage\(\{type: 'stop'\}\)\n\s+H-xT: AbortController\.abort\(\): rill_run_command \(built-in\) stopped after 1\.5 s\n\s+H-\)W: webview\.postMessage\(\{type: 'messageFinished'\}\) · state: stopped/);
    assert.doesNotMatch(running, /H-xL/);

    const waiting = new AgentScript().send().round(1, { text: 2, calls: [{ id: 'c', name: 'rill_edit_file', args: '{}' }], finish: 'tool_calls' });
    waiting.state('c', 'pending-approval', 1).wait(700).recorder.stopRequested();
    const waited = traceToMermaid(waiting.state('c', 'stopped', 1).finish('stopped', 12));
    assert.match(waited, /rill_edit_file \(built-in\): approval asked\n\s+end\n\s+break stopped by the user/);
    assert.match(waited, /Note over H: not run: rill_edit_file\n/);
    assert.doesNotMatch(waited, /H-x[LT]/);

    const streaming = new AgentScript().send().round(1, { text: 2, calls: [{ id: 'c', name: 'rill_read_file', args: '{}' }], finish: 'tool_calls' }).runs('c', 3, 'ok');
    streaming.wait(2).event({ kind: 'roundStarted', round: 2, tools: 6 });
    streaming.s.request().headers(200, 1).chunks('text', 4, { firstAfter: 60 });
    streaming.wait(5).recorder.stopRequested();
    const midStream = traceToMermaid(streaming.wait(2).event({ kind: 'roundEnded', round: 2, toolCalls: 0 }).finish('stopped', 24, { state: 'stopped' }));
    assert.match(midStream, /W->>H: vscode\.postMessage\(\{type: 'stop'\}\)\n\s+H-xL: AbortController\.abort\(\)/);
    assert.match(midStream, /answer 4: 21 chars\n\s+Note over H,L: request [^\n]*\n\s+end\n\s+break stopped by the user/, 'no [DONE] for the stopped round');
  });

  it('draws the round limit as a break, with the request kept for Continue', () => {
    const s = new AgentScript().send().round(1, { text: 2, calls: [{ id: 'c', name: 'rill_read_file', args: '{}' }], finish: 'tool_calls' }).runs('c', 3, 'ok');
    const diagram = traceToMermaid(s.finish('round-limit', 12, { finishReason: 'tool_calls' }));
    assert.match(diagram, /break round limit: 1 round\n\s+H-\)W: webview\.postMessage\(\{type: 'messageFinished'\}\) · state: round-limit/);
    assert.match(traceToMermaid(s.recorder.trace(), { labels: ja }), /break ラウンド上限: 1 ラウンド/);
  });

  it('draws a request still running: a call streaming its arguments, one waiting for approval, one running', () => {
    const s = new AgentScript().send().round(1, {
      text: 1,
      calls: [
        { id: 'a', name: 'rill_read_file', args: '{}' },
        { id: 'b', name: 'rill_edit_file', args: '{}' },
      ],
      finish: 'tool_calls',
    });
    s.state('a', 'running', 1);
    const running = traceToMermaid(s.recorder.trace());
    assert.match(running, /H->>T: rill_read_file/);
    s.state('a', 'done', 2, { result: 'ok' }).state('b', 'pending-approval', 1);
    assert.match(traceToMermaid(s.recorder.trace()), /Note over W: rill_edit_file \(built-in\): waiting for approval/);
    s.wait(3).event({ kind: 'roundStarted', round: 2, tools: 6 });
    s.event({ kind: 'stepStarted', step: { id: 'z', round: 2, name: 'rill_search_text', arguments: '{"q', state: 'streaming' } });
    const live = traceToMermaid(s.recorder.trace());
    assert.match(live, /Note over H: rill_search_text \(built-in\): arguments streaming/);
    for (const [name, diagram] of Object.entries({ running, live })) {
      assertWellFormed(diagram, name);
      assert.doesNotMatch(diagram, /messageFinished/);
    }
  });

  it('stays readable at twenty calls: each one drawn, in order, in its round', () => {
    const diagram = traceToMermaid(manyCalls(4, 5));
    assertWellFormed(diagram, 'twenty calls');
    assert.equal(count(diagram, /H->>T: rill_read_file/g), 20);
    assert.equal(count(diagram, /T-->>H: result 300 chars/g), 20);
    assert.equal(count(diagram, /^ {4}loop round \d/gm), 5);
    assert.doesNotMatch(diagram, /not drawn/);
  });

  it('stays within what Mermaid draws however long the loop ran, and says what it left out', () => {
    const trace = manyCalls(199, 1, `mcp_${'x'.repeat(59)}`);
    for (const detail of ['summary', 'chunks'] as const) {
      for (const labels of [undefined, ja]) {
        const diagram = traceToMermaid(trace, { detail, ...(labels ? { labels } : {}) });
        assertWellFormed(diagram, `long ${detail}`);
        assert.ok(diagram.length < MERMAID_MAX_TEXT, `${detail}: ${diagram.length} characters`);
      }
    }
    const diagram = traceToMermaid(trace);
    assert.equal(count(diagram, /^ {4}loop round \d+/gm), 12);
    assert.match(diagram, /Note over H,L: rounds 12 – 199 not drawn \(188 tool calls\)\n\s+loop round 200 · 6 tools offered/);
    assert.match(traceToMermaid(manyCalls(2, 40)), /Note over H: 10 more tool calls not drawn/);
    // The totals count every round and call, drawn or not.
    assert.match(diagram, /200 rounds, 199 tool calls/);
  });

  it('keeps tool, server and error text from outside inside its labels', () => {
    const s = new AgentScript().send();
    s.recorder.describeTools([{ name: 'mcp_evil', source: 'mcp', server: 'srv%%{init: {"theme":"forest"}}%%', tool: 'x\nend\nclick H call alert(1)' }]);
    const evil = { id: 'c', name: 'mcp_evil', args: '{}' };
    const named = { id: 'd', name: 'bad;name#\nNote over U: pwned', args: '{}' };
    s.round(1, { text: 1, calls: [evil, named], finish: 'tool_calls' });
    s.state('c', 'running', 1).state('c', 'error', 3, { error: '<img src=x onerror=alert(1)>\nend\n%%{init: {"securityLevel":"loose"}}%%' });
    s.state('d', 'error', 1, { error: 'no such tool; # comment' });
    const trace = s.round(2, { text: 2, finish: 'stop' }).finish('done', 12);
    for (const detail of ['summary', 'chunks'] as const) {
      const diagram = traceToMermaid(trace, { detail });
      assertWellFormed(diagram, `agent injection ${detail}`);
      assert.ok(!diagram.includes('%%'));
      assert.doesNotMatch(diagram, /<img|^\s*(click|Note over U: pwned|end\b.+)/m);
      assert.ok(diagram.includes('x end click H call alert(1)'), 'the text is still there to read');
    }
  });
});
