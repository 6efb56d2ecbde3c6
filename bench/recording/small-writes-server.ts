// A child process serving one fixed stream to every chat request in small writes (one SSE event's
// worth each, the event loop turning between them), so the client sees thousands of network
// chunks: what the stream recorder pays for per chunk.
//   node --import tsx bench/recording/small-writes-server.ts <chunks>
import { chatStream, scriptBodyText, startLlmServer, type Script } from '../../src/local-llm';

async function main(): Promise<void> {
  const chunks = Number(process.argv[2] ?? 20_000);
  const body = scriptBodyText(chatStream({ chunks: Array.from({ length: chunks }, (_, i) => `tok${i % 10} `), usage: true }));
  const perEvent = Math.ceil(body.length / (chunks + 3));
  const script: Script = { name: 'bench', status: 200, headers: { 'content-type': 'text/event-stream' }, steps: [{ type: 'write', text: body, bytesPerWrite: perEvent }, { type: 'end' }] };
  const server = await startLlmServer();
  server.setDefaultScript(script);
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
