import { strict as assert } from 'node:assert';
import { asFileText } from '../../../../src/core/attachments/file-text';
import { rankFiles } from '../../../../src/core/attachments/rank-files';

describe('#file: completion order', () => {
  const files = ['src/utils/strings.ts', 'docs/using-utils.md', 'src/util.ts', 'test/utilities/a.ts', 'README.md'];

  it('puts names starting with the query first, then names containing it, then paths', () => {
    assert.deepEqual(rankFiles(files, 'util', 10), ['src/util.ts', 'docs/using-utils.md', 'test/utilities/a.ts', 'src/utils/strings.ts'], 'paths tie on the shorter one');
  });

  it('ignores case, reads backslashes as slashes, and stops at the limit', () => {
    assert.deepEqual(rankFiles(files, 'SRC\\UTILS', 10), ['src/utils/strings.ts']);
    assert.equal(rankFiles(files, '', 2).length, 2);
    assert.deepEqual(rankFiles(files, 'nothing-like-this', 10), []);
  });
});

describe('a code block as a file\'s new text', () => {
  it('keeps the file\'s final newline and its CRLF line ends', () => {
    assert.equal(asFileText('a\nb', 'x\n'), 'a\nb\n');
    assert.equal(asFileText('a\nb', 'x\r\ny\r\n'), 'a\r\nb\r\n');
    assert.equal(asFileText('a\r\nb\n', 'x'), 'a\nb\n', 'a file without CRLF gets none');
  });

  it('ends a new file with a newline', () => {
    assert.equal(asFileText('a', undefined), 'a\n');
    assert.equal(asFileText('a\n', undefined), 'a\n');
  });
});
