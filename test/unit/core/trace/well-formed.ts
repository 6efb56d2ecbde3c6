import { strict as assert } from 'node:assert';

/** Each line of a generated diagram is one of these statements, and nothing else. */
const STATEMENT =
  /^(sequenceDiagram|( {4})+(accTitle: .+|actor U as [^\n]+|participant [WHLT] as [^\n]+|Note over [UWHLT](,[UWHLT])?: .+|(loop|alt|else|break|opt) .+|end|[UWHLT](->>|-->>|-\)|--\)|-x|--x)[UWHLT]: .+))$/;

/** Structural checks every generated diagram must pass, whatever text went into it. */
export function assertWellFormed(diagram: string, where: string): void {
  assert.ok(diagram.endsWith('\n') && !diagram.endsWith('\n\n'), `${where}: ends with one newline`);
  const lines = diagram.slice(0, -1).split('\n');
  let depth = 0;
  for (const line of lines) {
    assert.match(line, STATEMENT, `${where}: not a known statement: ${JSON.stringify(line)}`);
    const body = line.trim();
    if (/^(loop|alt|break|opt) /.test(body)) depth++;
    if (body === 'end') depth--;
    assert.ok(depth >= 0, `${where}: an end without a block`);
    // Entity codes aside, no character that is syntax inside a label: `#` comments, `;` ends a
    // statement, `%` directives, `<`/`>` markup (Mermaid's own `<br/>` line break aside).
    const label = /^(?:[UWHLT]\S*[UWHLT]|Note over \S+|accTitle): (.*)$/.exec(body)?.[1] ?? /^(?:loop|alt|else|break|opt|actor|participant) (.*)$/.exec(body)?.[1] ?? '';
    const text = label.replace(/#\w+;/g, '').replace(/<br\/>/g, '');
    assert.doesNotMatch(text, /[#;%<>]/, `${where}: raw syntax character in ${JSON.stringify(line)}`);
    // Mermaid rewrites a line matching these before parsing; no generated line may.
    assert.doesNotMatch(line, /style.*:\S*#.*;|classDef.*:\S*#.*;/, `${where}: ${line}`);
  }
  assert.equal(depth, 0, `${where}: every block is closed`);
}
