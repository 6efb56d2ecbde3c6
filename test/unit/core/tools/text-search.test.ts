import { strict as assert } from 'node:assert';
import { exclusionsFor, globProblem, looksBinary, matchingLines, queryProblem } from '../../../../src/core/tools/text-search';

describe('tools: text search helpers', () => {
  it('a NUL byte near the start makes a file binary', () => {
    assert.equal(looksBinary(new TextEncoder().encode('plain text\n')), false);
    assert.equal(looksBinary(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01])), true);
    const late = new Uint8Array(9000).fill(0x61);
    late[8500] = 0;
    assert.equal(looksBinary(late), false, 'only the first 8000 bytes are looked at');
    assert.equal(looksBinary(new Uint8Array(0)), false);
  });

  it('matches a literal, case-insensitive substring line by line', () => {
    const text = 'const A = 1;\nfunction foo(a) {}\r\nFOO.bar(1)\nnothing';
    assert.deepEqual(matchingLines(text, 'foo(', 10), [{ line: 2, text: 'function foo(a) {}' }]);
    assert.deepEqual(
      matchingLines(text, 'foo', 10).map((match) => match.line),
      [2, 3],
    );
    assert.deepEqual(matchingLines(text, '.*', 10), [], 'regular expression characters are literal');
    assert.deepEqual(matchingLines(text, 'a', 2).length, 2, 'stops at the limit');
    assert.deepEqual(matchingLines(text, 'zzz', 10), []);
  });

  it('a query across lines is refused with why', () => {
    assert.equal(queryProblem('one line'), undefined);
    assert.match(queryProblem('a\nb') ?? '', /line by line/);
  });

  it('globs: absolute, climbing or backslashed ones are refused', () => {
    assert.equal(globProblem('src/**/*.ts'), undefined);
    assert.equal(globProblem('**/*.{ts,js}'), undefined);
    assert.match(globProblem('/etc/**') ?? '', /absolute/);
    assert.match(globProblem('C:/x/**') ?? '', /absolute/);
    assert.match(globProblem('../other/**') ?? '', /"\.\."/);
    assert.match(globProblem('src/../../x') ?? '', /"\.\."/);
    assert.match(globProblem('src\\x.ts') ?? '', /"\/"/);
    assert.equal(globProblem('src/..foo/*.ts'), undefined, 'a name starting with two dots is not ".."');
  });
});

describe('tools: default exclusions and explicit patterns', () => {
  const defaults = ['**/node_modules/**', '**/.git/**', '**/node_modules', '**/*.code-search'];

  it('every default applies to a pattern that names none of them', () => {
    assert.deepEqual(exclusionsFor(undefined, defaults), defaults);
    assert.deepEqual(exclusionsFor('src/**/*.ts', defaults), defaults);
    assert.deepEqual(exclusionsFor('**/*', defaults), defaults);
  });

  it('a pattern naming node_modules or .git lists them', () => {
    assert.deepEqual(exclusionsFor('node_modules/left-pad/**', defaults), ['**/.git/**', '**/*.code-search']);
    assert.deepEqual(exclusionsFor('.git/hooks/*', defaults), ['**/node_modules/**', '**/node_modules', '**/*.code-search']);
    assert.deepEqual(exclusionsFor('packages/*/node_modules/x/*.json', defaults), ['**/.git/**', '**/*.code-search']);
  });

  it('a wildcard segment names nothing', () => {
    assert.deepEqual(exclusionsFor('node_*/**', defaults), defaults);
  });
});
