import { strict as assert } from 'node:assert';
import { formatDiagnostics, type DiagnosticLine } from '../../../../src/core/tools/diagnostic-lines';

const problem = (path: string, line: number, severity: DiagnosticLine['severity'], message: string, extra: Partial<DiagnosticLine> = {}): DiagnosticLine => ({ path, line, column: 1, severity, message, ...extra });

describe('tools: diagnostics for the model', () => {
  it('errors first, then by file and line; counts, source and code', () => {
    const text = formatDiagnostics(
      [
        problem('src/b.ts', 3, 'warning', 'unused x', { source: 'eslint', code: 'no-unused-vars' }),
        problem('src/b.ts', 1, 'error', "Cannot find name 'y'.", { source: 'ts', code: '2304', column: 7 }),
        problem('src/a.ts', 9, 'error', 'Missing semicolon'),
        problem('src/a.ts', 2, 'hint', 'could be const'),
      ],
      'the workspace',
    );
    assert.equal(
      text,
      [
        '2 errors, 1 warning, 1 hint in the workspace:',
        'src/a.ts:9:1: error: Missing semicolon',
        "src/b.ts:1:7: error: Cannot find name 'y'. (ts 2304)",
        'src/b.ts:3:1: warning: unused x (eslint no-unused-vars)',
        'src/a.ts:2:1: hint: could be const',
      ].join('\n'),
    );
  });

  it('a message on several lines stays one line', () => {
    assert.match(formatDiagnostics([problem('a.ts', 1, 'error', 'Type A\n  is not\n  assignable')], 'a.ts'), /a\.ts:1:1: error: Type A is not assignable$/);
  });

  it('none says so, and why there may be none', () => {
    assert.match(formatDiagnostics([], 'src/x.ts'), /^\[Rill: VS Code reports no problems for src\/x\.ts\. .*open in an editor/);
  });

  it('a long list is cut with a hint', () => {
    const many = Array.from({ length: 30 }, (_, i) => problem(`f${i}.ts`, 1, 'error', 'bad'));
    const text = formatDiagnostics(many, 'the workspace', { maxLines: 5, maxChars: 10_000, maxLineChars: 100 }).split('\n');
    assert.equal(text[0], '30 errors in the workspace:');
    assert.match(text.at(-1) ?? '', /showing the first 5 of 30 problems; give a path/);
  });
});
