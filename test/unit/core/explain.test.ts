import { strict as assert } from 'node:assert';
import { enclosingBlock } from '../../../src/core/explain/enclosing-block';
import { cutToBudget, defaultExplainTemplate, fillExplainTemplate } from '../../../src/core/explain/explain-prompt';

describe('the Explain Selection prompt', () => {
  const input = { code: 'const a = 1;', language: 'typescript', file: 'src/a.ts', startLine: 3, endLine: 3 };

  it('fills every placeholder, in English or Japanese by the UI language', () => {
    const en = fillExplainTemplate(defaultExplainTemplate('en'), input);
    assert.equal(en, 'Explain what this typescript code from src/a.ts (lines 3-3) does, step by step, and point out anything surprising or risky.\n\n```typescript\nconst a = 1;\n```');
    const ja = fillExplainTemplate(defaultExplainTemplate('ja'), input);
    assert.match(ja, /^src\/a\.ts の 3〜3 行目にあるこの typescript のコード/);
  });

  it('never expands placeholders that appear inside the code', () => {
    const out = fillExplainTemplate('{file}: {code}', { ...input, code: 'print("{file}")' });
    assert.equal(out, 'src/a.ts: print("{file}")');
  });

  it('lengthens the fence around code that contains a fence', () => {
    const code = 'Some docs:\n```js\nx()\n```';
    const out = fillExplainTemplate(defaultExplainTemplate('en'), { ...input, code, language: 'markdown' });
    assert.match(out, /````markdown\nSome docs:\n```js\nx\(\)\n```\n````$/);
  });

  it('cuts a selection over the budget at a whole line and says which lines remain', () => {
    const code = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const count = (text: string) => text.split('\n').length * 3;
    const kept = cutToBudget(code, 30, count, 11);
    assert.equal(kept.cut, true);
    assert.equal(kept.code.split('\n').length, 10);
    assert.equal(kept.endLine, 20);
    assert.deepEqual(cutToBudget('short', 30, count, 1), { code: 'short', endLine: 1, cut: false });
  });
});

describe('enclosingBlock', () => {
  const python = ['import os', '', 'def main():', '    x = 1', '    if x:', '        print(x)', '    return x', '', 'main()'];
  it('finds the function around a line inside it', () => {
    assert.deepEqual(enclosingBlock(python, 3), { start: 2, end: 6 });
  });
  it('finds the innermost block', () => {
    assert.deepEqual(enclosingBlock(python, 5), { start: 4, end: 5 });
  });
  it('includes a closing brace at the opener level', () => {
    const ts = ['function f() {', '  return 1;', '}', 'f();'];
    assert.deepEqual(enclosingBlock(ts, 1), { start: 0, end: 2 });
  });
  it('takes the line itself at top level, and nothing in a blank document', () => {
    assert.deepEqual(enclosingBlock(python, 8), { start: 8, end: 8 });
    assert.equal(enclosingBlock(['', ' '], 1), undefined);
  });
});
