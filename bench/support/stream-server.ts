// A child process serving one fixed stream to every chat request, as fast as loopback allows:
// the whole SSE body in 64 KB writes. Running it apart keeps its CPU time out of the client's.
//   node --import tsx bench/support/stream-server.ts <chunks>
import { chatStream, scriptBodyText, startLlmServer, type Script } from '../../src/local-llm';

async function main(): Promise<void> {
  const chunks = Number(process.argv[2] ?? 20_000);
  const body = scriptBodyText(chatStream({ chunks: Array.from({ length: chunks }, (_, i) => `tok${i % 10} `), usage: true }));
  const steps: Script['steps'] = [];
  for (let at = 0; at < body.length; at += 65_536) steps.push({ type: 'write', text: body.slice(at, at + 65_536) });
  const script: Script = { name: 'bench', status: 200, headers: { 'content-type': 'text/event-stream' }, steps: [...steps, { type: 'end' }] };
  const server = await startLlmServer();
  server.setDefaultScript(script);
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
