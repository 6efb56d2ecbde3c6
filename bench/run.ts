// `npm run bench`: every benchmark, each measured side by side with its baseline in the same run.
// Figures are printed as a table and written to bench-results/latest.json; BENCHMARKS.md records
// them with the machine they came from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchEngine } from './engine.bench';

async function main(): Promise<void> {
  const results: Record<string, Record<string, number>> = {};
  process.stdout.write(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n\n`);

  process.stdout.write('Stream engine vs bare for-await over the same openai SDK stream (20,000 chunks, loopback)\n');
  const engine = await benchEngine();
  results.engine = engine;
  process.stdout.write(
    [
      '| | CPU per chunk | chunks/s |',
      '|---|---|---|',
      `| bare \`for await\` (baseline) | ${engine.bareCpuUsPerChunk?.toFixed(2)} µs | ${Math.round(engine.bareChunksPerSecond ?? 0)} |`,
      `| Rill engine (runChat) | ${engine.engineCpuUsPerChunk?.toFixed(2)} µs | ${Math.round(engine.engineChunksPerSecond ?? 0)} |`,
      `| ratio (bar: ≤ 1.2, ≥ 20,000 chunks/s) | ${engine.cpuRatio?.toFixed(3)} | |`,
      '',
    ].join('\n') + '\n',
  );

  const dir = join(__dirname, '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
