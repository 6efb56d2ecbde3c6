// Starts the demo server by hand, for trying Rill (or curl) against it:
//   node --import tsx src/local-llm/cli.ts --port 11435 [--delay 15]
// No top-level await: the package is CommonJS as far as tsx is concerned.
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
    process.stdout.write('Usage: node --import tsx src/local-llm/cli.ts [--port 11435] [--delay 15]\n');
    return;
  }
  const server = await startLlmServer({ port: numberArg('--port', 11435), demoDelayMs: numberArg('--delay', 15) });
  process.stdout.write(
    `Rill demo model (offline, not a real LLM) listening on ${server.url}\n` +
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
