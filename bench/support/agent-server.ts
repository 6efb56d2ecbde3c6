// A child process for the agent-loop bench: Rill's local server with a queue of scripted answers,
// `<toolRounds>` tool-calling answers then one text answer, repeated `<cycles>` times. The bench
// sends requests in exactly that order (the loop's rounds, or the same number of bare requests),
// so each request gets the bytes its round expects. Each answer is one write, as fast as loopback
// allows; running apart keeps the server's CPU time out of the client's.
//   node --import tsx bench/support/agent-server.ts <toolRounds> <cycles>
import { chatStream, scriptBodyText, startLlmServer, type Script } from '../../src/local-llm';

/** What one round of the scripted model says: a sentence, then a call to read a file. */
export const ROUND_TEXT = 'Let me read the next file to see how the pieces fit together before I answer.';
export const ROUND_CALL = { name: 'rill_read_file', arguments: { path: 'src/core/agent/agent-loop.ts', startLine: 1, endLine: 120 } };
/** The final answer: 400 characters of prose (short, so the tool rounds dominate the figures). */
export const FINAL_TEXT = Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} of the answer explains one more part of the loop. `).join('').slice(0, 400);

/** The whole SSE body as one write (the script's own pacing is nil anyway). */
function oneWrite(script: Script): Script {
  return { name: script.name, status: 200, headers: { 'content-type': 'text/event-stream' }, steps: [{ type: 'write', text: scriptBodyText(script) }, { type: 'end' }] };
}

export function agentScripts(): { toolRound: Script; final: Script } {
  return {
    toolRound: oneWrite(chatStream({ name: 'toolRound', text: ROUND_TEXT, toolCalls: [ROUND_CALL], toolCallMode: 'fragmented', usage: true })),
    final: oneWrite(chatStream({ name: 'final', text: FINAL_TEXT, usage: true })),
  };
}

async function main(): Promise<void> {
  const toolRounds = Number(process.argv[2] ?? 20);
  const cycles = Number(process.argv[3] ?? 40);
  const { toolRound, final } = agentScripts();
  const server = await startLlmServer();
  const cycle = [...Array.from({ length: toolRounds }, () => toolRound), final];
  for (let i = 0; i < cycles; i++) server.enqueue(...cycle);
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
