import { strict as assert } from 'node:assert';
import { DEFAULT_LIMITS } from '../../../../src/core/agent';
import { DEFAULT_OUTPUT_LIMITS, formatCommandOutput, formatFileLines, formatList, formatMatches } from '../../../../src/core/tools';

const file = (n: number): string => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const small = { maxLines: 5, maxChars: 10_000, maxLineChars: 50 };

describe('tools: output shaping', () => {
  it('stays under the agent loop\'s own per-result cap, so that blunt cut is the exception', () => {
    assert.ok(DEFAULT_OUTPUT_LIMITS.maxChars < DEFAULT_LIMITS.maxResultChars);
  });

  it('read_file: numbered lines, the whole small file without a note', () => {
    assert.equal(formatFileLines('a\nb\n', {}), '1| a\n2| b');
    assert.equal(formatFileLines('a\r\nb', {}), '1| a\n2| b');
    assert.equal(formatFileLines('', {}), '[Rill: the file is empty.]');
  });

  it('read_file: a range is clamped, padded to its widest number, and says where it is', () => {
    assert.equal(formatFileLines(file(12), { startLine: 9, endLine: 10 }), ' 9| line 9\n10| line 10\n[Rill: lines 9-10 of 12.]');
    assert.equal(formatFileLines(file(3), { startLine: 2, endLine: 99 }), '2| line 2\n3| line 3\n[Rill: lines 2-3 of 3.]');
    assert.equal(formatFileLines(file(3), { startLine: 7 }), '[Rill: the file has 3 lines; startLine 7 is past its end.]');
  });

  it('read_file: cut at the line limit, the char limit and per line, telling where to go on', () => {
    const cut = formatFileLines(file(100), { startLine: 11 }, small).split('\n');
    assert.equal(cut.length, 6);
    assert.equal(cut[0], ' 11| line 11', 'padded to the width of the range\'s end (100)');
    assert.equal(cut[5], '[Rill: showing lines 11-15 of 100; call rill_read_file with startLine 16 for more.]');
    const byChars = formatFileLines(file(100), {}, { maxLines: 1000, maxChars: 40, maxLineChars: 50 });
    assert.match(byChars, /^ {2}1\| line 1\n {2}2\| line 2\n {2}3\| line 3\n\[Rill: showing lines 1-3 of 100; call rill_read_file with startLine 4/);
    const long = formatFileLines('x'.repeat(120), {}, small);
    assert.equal(long, `1| ${'x'.repeat(50)}… [70 more characters on this line]`);
  });

  it('lists and matches: the first ones, with a count and a hint; none found says so', () => {
    const files = Array.from({ length: 9 }, (_, i) => `src/f${i}.ts`);
    assert.equal(formatList(files.slice(0, 2), { many: 'files', hint: 'narrow the pattern.' }, small), 'src/f0.ts\nsrc/f1.ts');
    const cut = formatList(files, { many: 'files', hint: 'narrow the pattern.' }, small).split('\n');
    assert.deepEqual(cut.slice(-1), ['[Rill: showing the first 5 of 9 files; narrow the pattern.]']);
    assert.match(formatList(files.slice(0, 3), { many: 'files', hint: 'narrow it.' }, small, 5000), /first 3 of 5000 or more files/);
    assert.equal(formatList([], { many: 'files', hint: '' }), '[Rill: no files found.]');
    assert.equal(formatMatches([{ path: 'src/a.ts', line: 4, text: '    const x = 1;' }]), 'src/a.ts:4: const x = 1;');
    assert.equal(formatMatches([]), '[Rill: no matches found.]');
  });

  it('command output: colours and progress redraws removed, the end kept, how it ended said', () => {
    assert.equal(formatCommandOutput('\u001b[32mok\u001b[0m\n', { exitCode: 0 }), 'ok\n[Rill: exit code 0.]');
    assert.equal(formatCommandOutput('10%\r50%\r100%\ndone\n', { exitCode: 0 }), '100%\ndone\n[Rill: exit code 0.]');
    const long = formatCommandOutput(file(20), { exitCode: 1 }, small).split('\n');
    assert.equal(long[0], '[Rill: the first 15 of 20 lines of output were cut; the last 5 follow.]');
    assert.deepEqual(long.slice(1), ['line 16', 'line 17', 'line 18', 'line 19', 'line 20', '[Rill: exit code 1.]']);
    assert.equal(formatCommandOutput('', { timedOutMs: 60_000 }), '[Rill: no output.]\n[Rill: the command was stopped after 60 s without finishing.]');
    assert.match(formatCommandOutput('x', {}), /exit code is unknown/);
  });
});
