/**
 * The trace-to-Mermaid generator, against golden files.
 *
 * Every scenario in `scenarios.ts` is drawn at both levels of detail in both languages, plus the
 * generic flow, and compared byte for byte with `test/golden/<name>.mmd`. After an intended change
 * to the diagrams, rewrite the goldens and review the diff:
 *
 *     UPDATE_GOLDEN=1 npx mocha test/unit/core/trace/mermaid.test.ts
 *
 * A missing golden fails the test (it is never created silently). `mermaid-parse.test.ts` runs
 * every golden through Mermaid's own parser.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { en, ja, labelsFor } from '../../../../src/core/trace/labels';
import {
  escapeMermaidText,
  formatBytes,
  formatCount,
  formatMs,
  formatRate,
  genericFlowMermaid,
  traceToMermaid,
} from '../../../../src/core/trace/mermaid';
import { TraceRecorder } from '../../../../src/core/trace/trace';
import { GOLDEN_DIR, goldenCases } from './golden';
import { agentScenarios } from './agent-scenarios';
import { Script, traceScenarios } from './scenarios';
import { assertWellFormed } from './well-formed';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe('trace to Mermaid: golden files', () => {
  for (const { file, render } of goldenCases()) {
    it(file, () => {
      const actual = render();
      const target = path.join(GOLDEN_DIR, file);
      if (UPDATE) {
        fs.mkdirSync(GOLDEN_DIR, { recursive: true });
        fs.writeFileSync(target, actual);
      }
      assert.ok(fs.existsSync(target), `${file} is missing: run with UPDATE_GOLDEN=1 to create it, then review it`);
      assert.equal(actual, fs.readFileSync(target, 'utf8'), `${file} differs from its golden (UPDATE_GOLDEN=1 rewrites it)`);
      assertWellFormed(actual, file);
    });
  }

  it('has no golden file that no case produces', () => {
    const expected = new Set(goldenCases().map((c) => c.file));
    const stray = fs.readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.mmd') && !expected.has(f));
    assert.deepEqual(stray, []);
  });

  it('is deterministic: the same trace gives the same bytes, and a JSON round trip changes nothing', () => {
    for (const [name, scenario] of Object.entries({ ...traceScenarios, ...agentScenarios })) {
      const trace = scenario();
      const again = JSON.parse(JSON.stringify(trace));
      for (const detail of ['summary', 'chunks'] as const) {
        assert.equal(traceToMermaid(trace, { detail }), traceToMermaid(scenario(), { detail }), name);
        assert.equal(traceToMermaid(again, { detail, labels: ja }), traceToMermaid(trace, { detail, labels: ja }), name);
      }
    }
  });
});

describe('trace to Mermaid: content', () => {
  it('names the real calls at each hop', () => {
    const diagram = traceToMermaid(traceScenarios.normal!());
    for (const call of [
      "W->>H: vscode.postMessage({type: 'send'})",
      'H->>L: openai.chat.completions.create({stream: true})',
      'POST /v1/chat/completions (api.openai.com)',
      'L-->>H: HTTP 200 OK, x-request-id: req_1a7f3',
      'data: chat.completion.chunk ×24',
      "H-)W: webview.postMessage({type: 'textAppended'}) ×8",
      'L-->>H: data: [DONE]',
      "H-)W: webview.postMessage({type: 'messageFinished'})",
    ]) {
      assert.ok(diagram.includes(call), `missing ${call}`);
    }
    assert.match(diagram, /loop answer \(delta\.content\): 24 chunks, 144 chars/);
    assert.match(diagram, /Note over H,L: TTFT \d+ ms \(API \d+ ms\)<br\/>streamed in \d+ ms, [\d.]+ tok\/s \(usage: 31 completion tokens\)<br\/>largest gap 210 ms/);
  });

  it('starts with what the user did: a composer message, an answer action, or a command', () => {
    const started = (trigger: string, labels = en) => {
      const s = new Script();
      s.recorder.userSent(s.webviewNow());
      s.wait(3).recorder.hostReceived(trigger);
      return traceToMermaid(s.finish({ state: 'done', finishReason: 'stop' }), { labels });
    };
    assert.match(started('regenerate'), /U->>W: Regenerate · at 0 ms\n\s+W->>H: vscode\.postMessage\(\{type: 'regenerate'\}\)/);
    assert.match(started('continue'), /U->>W: Continue · at 0 ms\n\s+W->>H: vscode\.postMessage\(\{type: 'action', action: 'continue'\}\)/);
    assert.match(started('trimAndRetry', ja), /U->>W: 削って再試行 · 0 ms 時点\n\s+W->>H: vscode\.postMessage\(\{type: 'action', action: 'trimAndRetry'\}\)/);
    const command = started('command');
    assert.match(command, /U->>H: VS Code command · at 3 ms/);
    assert.doesNotMatch(command, /W->>H/);
    assert.match(started('constructor'), /U->>W: constructor/);
  });

  it('draws a Tool participant only when the model asked for tools', () => {
    assert.match(traceToMermaid(traceScenarios['tool-calls']!()), /participant T as Tool\n[\s\S]*Note over H,T: .*get_weather/);
    assert.doesNotMatch(traceToMermaid(traceScenarios.normal!()), /participant T/);
  });

  it('puts retries in alt blocks and every unhappy end in a break block', () => {
    const retry = traceToMermaid(traceScenarios['retry-then-ok']!());
    assert.equal(retry.match(/^ {4}alt attempt \d failed/gm)?.length, 2);
    assert.match(retry, /alt attempt 1 failed: 429 rate-limit\n.*\n\s+L--xH: HTTP 429 Too Many Requests, x-request-id: req_rl1/);
    assert.match(retry, /alt attempt 2 failed: connection\n.*\n\s+L--xH: no response: connection\n\s+Note over H: wait 2.0 s, then try again/);
    assert.match(traceToMermaid(traceScenarios.stopped!()), /break stopped by the user[^\n]*\n\s+U->>W: Stop\n\s+W->>H: vscode\.postMessage\(\{type: 'stop'\}\)\n\s+H-xL: AbortController\.abort\(\)/);
    assert.match(traceToMermaid(traceScenarios['error-before-headers']!()), /break error: connection\n\s+L--xH: no response: connection/);
    assert.match(traceToMermaid(traceScenarios['auth-error']!()), /break error: 401 auth\n\s+L--xH: HTTP 401 Unauthorized/);
    assert.match(traceToMermaid(traceScenarios['error-mid-stream']!()), /break error: connection-lost\n\s+L--xH: stream broke: connection-lost/);
    assert.match(traceToMermaid(traceScenarios.truncated!()), /break cut off: cut-short\n\s+L--xH: stream closed without finish_reason/);
    assert.match(traceToMermaid(traceScenarios.length!()), /break cut off: finish_reason "length"\n\s+L-->>H: data: chat.completion.chunk \(finish_reason: "length"/);
    assert.match(traceToMermaid(traceScenarios['idle-timeout']!()), /break error: idle-timeout\n\s+H-xL: AbortController\.abort\(\): no bytes within the idle timeout \(60 s\)/);
    assert.match(traceToMermaid(traceScenarios.empty!()), /L-->>H: data: chat\.completion\.chunk \(no content\)[^\n]*\n\s+break error: empty\n\s+L--xH: empty/);
    const early = traceToMermaid(traceScenarios['prompt-too-long']!());
    assert.match(early, /break error: prompt-too-long\n\s+H-\)W: webview\.postMessage\(\{type: 'messageFinished'\}\) · state: error/);
    assert.doesNotMatch(early, /H->>L|1200/);
  });

  it('says a done answer without finish_reason ended on [DONE], outside any break block', () => {
    const diagram = traceToMermaid(traceScenarios['done-without-finish']!());
    assert.match(
      diagram,
      /\n {4}L-->>H: data: chat\.completion\.chunk \(usage\.completion_tokens: 16\)\n {4}L-->>H: data: \[DONE\]\n {4}Note over H: no finish_reason: data: \[DONE\] ends the answer\n {4}H-\)W: webview\.postMessage\(\{type: 'messageFinished'\}\) · at [^\n]+\n/,
    );
    assert.doesNotMatch(diagram, /break|finish_reason: "|state: /, 'not drawn as a cut, and no invented finish_reason');
    assert.match(traceToMermaid(traceScenarios['done-without-finish']!(), { labels: ja }), /Note over H: finish_reason なし: data: \[DONE\] で回答は完了/);
    // With a finish_reason, the usual finish chunk and no such note.
    assert.doesNotMatch(traceToMermaid(traceScenarios.normal!()), /no finish_reason/);
  });

  it('shows reasoning and answer as two phases, in the order they came', () => {
    const diagram = traceToMermaid(traceScenarios.reasoning!());
    const reasoning = diagram.indexOf('loop reasoning (delta.reasoning_content): 15 chunks');
    const answer = diagram.indexOf('loop answer (delta.content): 10 chunks');
    assert.ok(reasoning > 0 && answer > reasoning);
    assert.ok(diagram.includes("webview.postMessage({type: 'reasoningAppended'}) ×5"));
  });

  it('at the chunks level draws each chunk up to the limit, then says how many were left out', () => {
    const trace = traceScenarios.length!();
    const diagram = traceToMermaid(trace, { detail: 'chunks' });
    assert.equal(diagram.match(/L-->>H: data: chat\.completion\.chunk \(delta\.content/g)?.length, 40);
    assert.match(diagram, /Note over H,L: first 40 of 60 chunks shown/);
    const ten = traceToMermaid(trace, { detail: 'chunks', maxChunks: 10 });
    assert.equal(ten.match(/\(delta\.content, /g)?.length, 10);
    // Batches and paint after the last chunk shown are left out with it.
    assert.ok((ten.match(/textAppended/g)?.length ?? 0) <= 4);
    const all = traceToMermaid(trace, { detail: 'chunks', maxChunks: 100 });
    assert.equal(all.match(/\(delta\.content, /g)?.length, 60);
    assert.doesNotMatch(all, /chunks shown/);
  });

  it('says so when the recorder kept fewer chunks than the stream had', () => {
    const s = new Script({ maxChunkRecords: 5 }).send().request().headers(200, 1).chunks('text', 12, { firstAfter: 50 });
    const diagram = traceToMermaid(s.finish({ state: 'done', finishReason: 'stop' }), { detail: 'chunks' });
    assert.equal(diagram.match(/\(delta\.content, /g)?.length, 5);
    assert.match(diagram, /first 5 of 12 chunks shown<br\/>only the first 5 chunks were recorded/);
  });

  it('draws a trace still in progress, and a trace with no hops at all', () => {
    const s = new Script().send().request().headers(200, 1).chunks('text', 4, { firstAfter: 30 });
    const running = traceToMermaid(s.recorder.trace());
    assertWellFormed(running, 'running');
    assert.doesNotMatch(running, /messageFinished|\[DONE\]/);
    assertWellFormed(traceToMermaid(new TraceRecorder({ now: () => 0, timeOrigin: 0 }).trace()), 'empty');
  });

  it('uses the Japanese labels, keeping the API names', () => {
    const diagram = traceToMermaid(traceScenarios.normal!(), { labels: ja });
    for (const word of ['actor U as ユーザー', 'participant W as フロントエンド', 'participant H as バックエンド', 'participant L as LLM', '最初のトークンまで', 'チャンク']) {
      assert.ok(diagram.includes(word), word);
    }
    assert.ok(diagram.includes('openai.chat.completions.create({stream: true})'));
    assert.equal(labelsFor('ja-JP'), ja);
    assert.equal(labelsFor('ja'), ja);
    assert.equal(labelsFor('en-US'), en);
    assert.equal(labelsFor(undefined), en);
    assert.equal(labelsFor('jam'), en);
  });

  it("keeps the README's flow diagram, once pasted, the generator's own output", () => {
    const readme = fs.readFileSync(path.resolve(GOLDEN_DIR, '../../README.md'), 'utf8');
    const block = /```mermaid\n(sequenceDiagram\n {4}accTitle: Rill: how a streaming request flows\n[\s\S]*?)```/.exec(readme)?.[1];
    if (block !== undefined) assert.equal(block, genericFlowMermaid(en), 'README.md: paste the output of genericFlowMermaid(en) again');
  });

  it('draws the generic flow without any timing', () => {
    for (const labels of [en, ja]) {
      const flow = genericFlowMermaid(labels);
      assertWellFormed(flow, `generic ${labels.lang}`);
      assert.doesNotMatch(flow, /\d+(\.\d+)? ?(ms|s)\b|tok\/s/);
      assert.match(flow, /loop /);
      assert.match(flow, /break /);
      assert.ok(flow.includes('L-->>H: data: [DONE]'));
    }
  });
});

describe('trace to Mermaid: formatting', () => {
  it('formats durations the same way in every locale', () => {
    const cases: Array<[number, string]> = [
      [0, '0 ms'],
      [0.44, '0.4 ms'],
      [3, '3 ms'],
      [9.94, '9.9 ms'],
      [9.96, '10 ms'],
      [123.4, '123 ms'],
      [999.4, '999 ms'],
      [999.6, '1.0 s'],
      [1234, '1.2 s'],
      [59_949, '59.9 s'],
      [59_950, '1 min 0 s'],
      [125_000, '2 min 5 s'],
      [-5, '0 ms'],
    ];
    for (const [ms, text] of cases) assert.equal(formatMs(ms), text, String(ms));
  });

  it('formats counts, bytes and rates without the locale', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(1234), '1,234');
    assert.equal(formatCount(1234567.4), '1,234,567');
    assert.equal(formatCount(-1234), '-1,234');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(48_200), '48.2 kB');
    assert.equal(formatBytes(999_949), '999.9 kB');
    assert.equal(formatBytes(3_140_000), '3.1 MB');
    assert.equal(formatRate(45.25), '45.3');
    assert.equal(formatRate(7), '7.0');
  });
});

describe('trace to Mermaid: escaping untrusted text', () => {
  it('writes syntax characters as entity codes, on one line', () => {
    assert.equal(escapeMermaidText('a;b#c%d<e>f&g'), 'a#59;b#35;c#37;d#lt;e#gt;f#amp;g');
    assert.equal(escapeMermaidText('line\nend\r\nclick\u2028x\u0000y'), 'line end click x y');
    assert.equal(escapeMermaidText('model: llama3:8b'), 'model: llama3#58;8b');
    assert.equal(escapeMermaidText('trailing:'), 'trailing#58;');
    assert.equal(escapeMermaidText('\u202eevil\u200b'), 'evil');
    // Mermaid's own placeholders for entity codes cannot be forged.
    assert.equal(escapeMermaidText('ﬂ°°60¶ß'), '#64258;°°60#182;ß');
    assert.equal(escapeMermaidText('#lt;'), '#35;lt#59;');
  });

  it('keeps injected directives, statements and markup out of the diagram', () => {
    for (const detail of ['summary', 'chunks'] as const) {
      const diagram = traceToMermaid(traceScenarios.injection!(), { detail });
      assertWellFormed(diagram, `injection ${detail}`);
      assert.ok(!diagram.includes('%%'), 'no comment or directive');
      assert.doesNotMatch(diagram, /<(img|script)/i);
      assert.doesNotMatch(diagram, /^\s*(click|end\b.+|Note over U: pwned)/m);
      // The secret in the URL's query and the credentials never reach the trace.
      assert.ok(!diagram.includes('sk-secret') && !diagram.includes('pa55') && !diagram.includes('user:'));
      // The text is still there, to read.
      assert.ok(diagram.includes('#lt;img src=x onerror=alert(1)#gt;'));
      assert.ok(diagram.includes('#37;#37;{init: {"securityLevel"#58;"loose"}}#37;#37;'));
    }
  });
});
