import { strict as assert } from 'node:assert';
import { installDom, type FakeWebview } from '../dom';
import type * as Highlight from '../../../../src/webview/render/highlight';

describe('highlight.js grammars registered in slices', () => {
  let env: FakeWebview;
  let highlight: typeof Highlight;

  before(async () => {
    env = installDom();
    highlight = await import('../../../../src/webview/render/highlight');
  });
  after(() => env.close());

  it('runs steps a slice of time per task, at least one each, and resolves after the last', async () => {
    let now = 0;
    const ran: number[] = [];
    const tasks: (() => void)[] = [];
    // Each step takes 3 ms on the fake clock: a 4 ms slice fits two.
    const done = highlight.runInSlices([1, 2, 3, 4, 5], (n) => (ran.push(n), (now += 3)), 4, () => now, (next) => tasks.push(next));
    let resolved = false;
    void done.then(() => (resolved = true));
    const perTask: number[] = [];
    while (tasks.length) {
      const before = ran.length;
      tasks.shift()!();
      perTask.push(ran.length - before);
    }
    await done;
    assert.deepEqual(ran, [1, 2, 3, 4, 5]);
    assert.deepEqual(perTask, [2, 2, 1]);
    assert.ok(resolved);
  });

  it('runs a step that overruns the slice alone in its task', async () => {
    let now = 0;
    const tasks: (() => void)[] = [];
    const perTask: number[] = [];
    let count = 0;
    const done = highlight.runInSlices(['a', 'b', 'c'], () => (count++, (now += 50)), 4, () => now, (next) => tasks.push(next));
    while (tasks.length) {
      const before = count;
      tasks.shift()!();
      perTask.push(count - before);
    }
    await done;
    assert.deepEqual(perTask, [1, 1, 1]);
  });

  it('highlights every language and the extra fence names once ready', async () => {
    const api = await highlight.ready;
    for (const name of ['typescript', 'ts', 'python', 'py', 'bash', 'sh', 'jsonc', 'toml', 'vue', 'rust', 'sql', 'xml', 'html']) {
      assert.ok(api.highlight('a = 1', name) !== undefined, name);
    }
    assert.equal(api.highlight('a = 1', 'no-such-language'), undefined);
  });
});
