// Runs benchmarks one after another so that one that cannot measure costs only its own figures:
// a crash, a rejected promise or a hang (past its time limit) becomes a row saying which benchmark
// failed and why, and the run goes on to the next. Kept apart from run.ts so it can be unit-tested.

export interface Benchmark {
  name: string;
  /** The table's heading. */
  title: string;
  measure(): Promise<Record<string, number>>;
  /** The table's rows (Markdown), from the figures measure() returned. */
  table(figures: Record<string, number>): string[];
  /** Past this the benchmark counts as failed and the run moves on (its work may still be running). */
  timeoutMs?: number;
}

export interface BenchRun {
  results: Record<string, Record<string, number>>;
  failures: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 20 * 60_000;

/** The first line of an error, which is what a table row has room for. */
function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').replace(/\|/g, '\\|').trim() || 'failed without a message';
}

export async function runBenchmarks(benchmarks: Benchmark[], say: (lines: string[]) => void, warn: (text: string) => void = () => undefined): Promise<BenchRun> {
  const run: BenchRun = { results: {}, failures: {} };
  for (const bench of benchmarks) {
    const limit = bench.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${limit >= 1000 ? `${Math.round(limit / 1000)} s` : `${limit} ms`}`)), limit);
    });
    try {
      const figures = await Promise.race([Promise.resolve().then(() => bench.measure()), timeout]);
      run.results[bench.name] = figures;
      say([bench.title, ...bench.table(figures)]);
    } catch (error) {
      run.failures[bench.name] = reason(error);
      say([bench.title, '| benchmark | result |', '|---|---|', `| ${bench.name} | **FAILED, no figures**: ${reason(error)} |`]);
      // The whole story (stack, server logs) goes to stderr; the table keeps the first line.
      warn(`[bench] ${bench.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return run;
}
