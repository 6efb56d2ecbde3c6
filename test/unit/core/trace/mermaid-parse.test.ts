/**
 * Every golden diagram (`test/golden/*.mmd`) through Mermaid's own parser, `mermaid.parse`, as
 * the webview will run it (`securityLevel: 'strict'`). Mermaid binds to a DOM when it loads, so
 * the shared jsdom window is installed first.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Mermaid } from 'mermaid';
import { traceToMermaid } from '../../../../src/core/trace/mermaid';
import { installDom, type FakeWebview } from '../../webview/dom';
import { manyCalls, MERMAID_MAX_TEXT } from './agent-scenarios';
import { GOLDEN_DIR } from './golden';
import { traceScenarios } from './scenarios';

/** The part of a parsed sequence diagram's database this test reads. */
interface SequenceDb {
  getActorKeys(): string[];
  getMessages(): Array<{ from?: string; to?: string; message?: string | { text?: string } }>;
}

const goldens = fs
  .readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith('.mmd'))
  .sort();

/** Syntactically broken diagrams: each must be rejected, or the checks below prove nothing. */
const BROKEN: Record<string, string> = {
  'an unclosed loop': 'sequenceDiagram\n    participant A as One\n    loop forever\n        A->>A: again\n',
  'an end without a block': 'sequenceDiagram\n    participant A as One\n    A->>A: hi\n    end\n',
  'a message without a colon': 'sequenceDiagram\n    participant A as One\n    A->>A hi\n',
  'an unknown arrow': 'sequenceDiagram\n    participant A as One\n    A=>>A: hi\n',
  'a golden with its last end removed': '',
};

describe('trace to Mermaid: every golden parses with Mermaid', function () {
  this.timeout(30_000);
  let mermaid: Mermaid;
  let dom: FakeWebview;

  before(async () => {
    dom = installDom();
    mermaid = (await import('mermaid')).default;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  });
  after(() => dom.close());

  it('has goldens to check', () => {
    assert.ok(goldens.length >= 40, `${goldens.length} golden files`);
  });

  for (const file of goldens) {
    it(file, async () => {
      const text = fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8');
      const result = await mermaid.parse(text);
      assert.equal(result.diagramType, 'sequence');
      // No directive or front matter reached Mermaid's configuration.
      assert.deepEqual(result.config, {});
    });
  }

  for (const [name, source] of Object.entries(BROKEN)) {
    it(`rejects a broken diagram: ${name}`, async () => {
      let text = source;
      if (!text) {
        const golden = fs.readFileSync(path.join(GOLDEN_DIR, 'trace-retry-then-ok.summary.en.mmd'), 'utf8');
        const lines = golden.split('\n');
        const lastEnd = lines.map((l) => l.trim()).lastIndexOf('end');
        assert.ok(lastEnd > 0);
        lines.splice(lastEnd, 1);
        text = lines.join('\n');
      }
      await assert.rejects(mermaid.parse(text), /Parse error|Expecting|Lexical error|Unrecognized/i);
      assert.equal(await mermaid.parse(text, { suppressErrors: true }), false);
    });
  }

  it('parses injected text into labels only: the same actors and statements as generated', async () => {
    for (const detail of ['summary', 'chunks'] as const) {
      const text = traceToMermaid(traceScenarios.injection!(), { detail });
      const result = await mermaid.parse(text);
      assert.deepEqual(result.config, {}, 'the %%{init}%% in the model name and the error is not a directive');
      const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
      const db = diagram.db as unknown as SequenceDb;
      assert.deepEqual(db.getActorKeys().sort(), ['H', 'L', 'T', 'U', 'W']);
      // One parsed statement per generated line after the header, participants and title.
      const statements = text.split('\n').filter((l) => /^\s+(Note|loop|alt|else|break|opt|end|[UWHLT]-)/.test(l)).length;
      assert.equal(db.getMessages().length, statements);
      const labels = db.getMessages().map((m) => (typeof m.message === 'string' ? m.message : (m.message?.text ?? ''))).join('\n');
      assert.ok(labels.includes('click A callback'), 'the injected statement is text inside a label');
    }
  });

  it('parses the longest agent diagram the bounds allow, at both levels, within its size limit', async () => {
    const trace = manyCalls(199, 1, `mcp_${'x'.repeat(59)}`);
    for (const detail of ['summary', 'chunks'] as const) {
      const text = traceToMermaid(trace, { detail });
      assert.ok(text.length < MERMAID_MAX_TEXT);
      const result = await mermaid.parse(text);
      assert.equal(result.diagramType, 'sequence');
    }
  });

  it('would catch an unescaped label: a raw directive reaches the config, a raw line break adds a statement', async () => {
    // (Mermaid itself ignores `securityLevel` in a directive; `theme` shows a directive took effect.)
    const directive = await mermaid.parse('sequenceDiagram\n    participant A as One\n    A->>A: x %%{init: {"theme":"forest"}}%%\n');
    assert.equal((directive.config as { theme?: string }).theme, 'forest');
    const text = 'sequenceDiagram\n    participant A as One\n    A->>A: x\nNote over A: pwned\n';
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    assert.equal((diagram.db as unknown as SequenceDb).getMessages().length, 2);
  });
});
