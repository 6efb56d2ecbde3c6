// Starts the demo server by hand, for trying Rill (or curl) against it:
//   node --import tsx src/local-llm/cli.ts --port 11435 [--delay 15]
// or serves a stream recording (Rill: Save Stream Recording) to every chat request, with the
// recorded bytes, chunking and timing (--speed 2: twice as fast):
//   node --import tsx src/local-llm/cli.ts --replay rill-stream.jsonl [--speed 2]
// No top-level await: the package is CommonJS as far as tsx is concerned.
import { readFileSync } from 'node:fs';
import { replayScripts } from './replay';
import { startLlmServer } from './server';

function numberArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const raw = at >= 0 ? process.argv[at + 1] : undefined;
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} needs a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write('Usage: node --import tsx src/local-llm/cli.ts [--port 11435] [--delay 15] [--replay file.jsonl [--speed 1]]\n');
    return;
  }
  const replayAt = process.argv.indexOf('--replay');
  const replayFile = replayAt >= 0 ? process.argv[replayAt + 1] : undefined;
  if (replayAt >= 0 && !replayFile) throw new Error('--replay needs a recording file');
  const speedAt = process.argv.indexOf('--speed');
  const speed = speedAt >= 0 ? Number(process.argv[speedAt + 1]) : 1;
  // Read before listening, so a bad file fails at once rather than at the first request.
  const scripts = replayFile ? replayScripts(readFileSync(replayFile, 'utf8'), { speed }) : undefined;
  const server = await startLlmServer({ port: numberArg('--port', 11435), demoDelayMs: numberArg('--delay', 15) });
  if (scripts) server.setDefaultScript(scripts);
  process.stdout.write(
    (scripts
      ? `Replaying ${replayFile} (${scripts.length} response(s) in turn, speed ${speed}) on ${server.url}\n`
      : `Rill demo model (offline, not a real LLM) listening on ${server.url}\n`) +
      `Models: ${server.models.join(', ')}. Set rill.provider to "openai-compatible" and rill.baseUrl to this URL.\n` +
      'Press Ctrl+C to stop.\n',
  );
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
