import { strict as assert } from 'node:assert';
import { countOccurrences, replaceOnce, replacementProblem } from '../../../../src/core/tools/edit-text';

describe('tools: the exactly-once replacement of rill_edit_file', () => {
  it('replaces the one occurrence and says where it was', () => {
    const result = replaceOnce('alpha\nbeta\ngamma\n', 'beta', 'BETA');
    assert.deepEqual(result, { ok: true, text: 'alpha\nBETA\ngamma\n', index: 6, length: 4, inserted: 'BETA' });
  });

  it('an empty newText deletes', () => {
    const result = replaceOnce('keep\ndrop me\nkeep too', 'drop me\n', '');
    assert.ok(result.ok);
    assert.equal(result.text, 'keep\nkeep too');
  });

  it('refuses 0 and several occurrences, with the count', () => {
    assert.deepEqual(replaceOnce('a b a', 'c', 'x'), { ok: false, count: 0 });
    assert.deepEqual(replaceOnce('a b a', 'a', 'x'), { ok: false, count: 2 });
    assert.deepEqual(replaceOnce('aaa', 'aa', 'x'), { ok: false, count: 2 }, 'overlapping occurrences are ambiguous too');
  });

  it('matches case and whitespace exactly', () => {
    assert.deepEqual(replaceOnce('Foo()', 'foo()', 'x'), { ok: false, count: 0 });
    assert.deepEqual(replaceOnce('  if (x) {', 'if (x)  {', 'y'), { ok: false, count: 0 });
  });

  it('a CRLF file edited with "\\n" texts keeps CRLF line ends', () => {
    const result = replaceOnce('one\r\ntwo\r\nthree\r\n', 'one\ntwo\n', 'uno\ndos\n');
    assert.ok(result.ok);
    assert.equal(result.text, 'uno\r\ndos\r\nthree\r\n');
    assert.equal(result.length, 'one\r\ntwo\r\n'.length);
    assert.deepEqual(replaceOnce('x\r\ny\r\nx\r\ny', 'x\ny', 'z'), { ok: false, count: 2 }, 'still exactly once after the CRLF reading');
  });

  it('a LF file is never given CRLF', () => {
    assert.deepEqual(replaceOnce('one\ntwo\n', 'one\r\ntwo', 'x'), { ok: false, count: 0 });
  });

  it('counts stop at a maximum, and the messages say what to do', () => {
    assert.equal(countOccurrences('x'.repeat(5000), 'x'), 1000);
    assert.equal(countOccurrences('abc', ''), 0);
    assert.match(replacementProblem('src/a.ts', 0), /^oldText was not found in src\/a\.ts\. .*rill_read_file/);
    assert.match(replacementProblem('src/a.ts', 3), /^oldText occurs 3 times in src\/a\.ts; it must occur exactly once\. Include more/);
    assert.match(replacementProblem('src/a.ts', 1000), /occurs 1000 or more times/);
  });
});
