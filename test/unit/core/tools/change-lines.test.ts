import { strict as assert } from 'node:assert';
import { MAX_PREVIEW_LINES, previewLines } from '../../../../src/core/tools';

describe('previewLines: the change a waiting edit would make', () => {
  it('shows an edit as a hunk with its context, and counts what changes', () => {
    const view = previewLines({ path: 'src/a.ts', before: 'one\ntwo\nthree\n', after: 'one\nTWO\nthree\n' });
    assert.equal(view.created, false);
    assert.deepEqual([view.added, view.removed], [1, 1]);
    assert.deepEqual(view.lines, [
      ['@', '@@ -1,3 +1,3 @@'],
      [' ', 'one'],
      ['-', 'two'],
      ['+', 'TWO'],
      [' ', 'three'],
    ]);
    assert.equal(view.cutLines, undefined);
  });

  it('shows a new file as all added', () => {
    const view = previewLines({ path: 'n.md', before: undefined, after: '# Title\nbody' });
    assert.equal(view.created, true);
    assert.equal(view.added, 2);
    assert.deepEqual(view.lines.filter(([kind]) => kind === '+').map(([, text]) => text), ['# Title', 'body']);
  });

  it('bounds a huge change and says how much more there is, counting all of it', () => {
    const after = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n');
    const view = previewLines({ path: 'big.txt', before: undefined, after });
    assert.equal(view.lines.length, MAX_PREVIEW_LINES);
    assert.equal(view.added, 5000);
    assert.equal((view.cutLines ?? 0) + view.lines.length, 5001, 'hunk header + 5000 lines');
  });
});
