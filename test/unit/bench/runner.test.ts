import { strict as assert } from 'node:assert';
import { runBenchmarks, type Benchmark } from '../../../bench/runner';

const bench = (name: string, measure: Benchmark['measure'], timeoutMs?: number): Benchmark => ({
  name,
  title: `${name} title`,
  measure,
  table: (figures) => [`| ${name} | ${figures.value} |`],
  timeoutMs,
});

describe('the bench runner', () => {
  it('turns a benchmark that throws, rejects or hangs into a row saying why, and runs the rest', async () => {
    const printed: string[][] = [];
    const warnings: string[] = [];
    const ran: string[] = [];
    const { results, failures } = await runBenchmarks(
      [
        bench('first', async () => (ran.push('first'), { value: 1 })),
        // What the latency bench once did under load, after the figures before it were measured.
        bench('latency', async () => {
          ran.push('latency');
          throw new Error("no 'close' within 120000 ms\n    at waitForClose (stack)");
        }),
        bench('sync', () => {
          ran.push('sync');
          throw new Error('thrown before any promise');
        }),
        bench('hung', () => (ran.push('hung'), new Promise(() => undefined)), 50),
        bench('last', async () => (ran.push('last'), { value: 5 })),
      ],
      (lines) => printed.push(lines),
      (text) => warnings.push(text),
    );

    assert.deepEqual(ran, ['first', 'latency', 'sync', 'hung', 'last']);
    assert.deepEqual(results, { first: { value: 1 }, last: { value: 5 } });
    assert.deepEqual(failures, {
      latency: "no 'close' within 120000 ms",
      sync: 'thrown before any promise',
      hung: 'no result within 50 ms',
    });
    const text = printed.map((lines) => lines.join('\n')).join('\n\n');
    assert.match(text, /\| first \| 1 \|/);
    assert.match(text, /\| latency \| \*\*FAILED, no figures\*\*: no 'close' within 120000 ms \|/);
    assert.match(text, /\| hung \| \*\*FAILED, no figures\*\*: no result within 50 ms \|/);
    assert.match(text, /\| last \| 5 \|/);
    assert.ok(warnings.some((w) => w.includes('waitForClose')), 'the stack goes to stderr');
  });
});
