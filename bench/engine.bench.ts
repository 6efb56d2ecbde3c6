// Issue 3's bar: the engine's CPU time per chunk at most 1.2x that of a bare `for await` over the
// same SDK stream, and at least 20,000 chunks/s, against a local server streaming 20,000 chunks
// as fast as loopback allows. Both run in this process, alternating, in the same run.
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { runChat } from '../src/core/stream/run-chat';
import { startChild } from './support/child';

const CHUNKS = 20_000;
const ROUNDS = 7;

interface Sample {
  cpuMs: number;
  wallMs: number;
  chunks: number;
  textLength: number;
}

async function measure(run: () => Promise<{ chunks: number; textLength: number }>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { chunks, textLength } = await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs, chunks, textLength };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

export async function benchEngine(): Promise<Record<string, number>> {
  const server = await startChild<{ url: string }>('stream-server.ts', [String(CHUNKS)]);
  const request = { model: 'bench', messages: [{ role: 'user' as const, content: 'go' }] };
  try {
    const bare = async () => {
      const client = new OpenAI({ baseURL: server.info.url, apiKey: 'bench', maxRetries: 0 });
      let chunks = 0;
      let textLength = 0;
      const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
      for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
        chunks++;
        textLength += chunk.choices[0]?.delta?.content?.length ?? 0;
      }
      return { chunks, textLength };
    };
    const engine = async () => {
      let chunks = 0;
      let textLength = 0;
      await runChat(
        { createClient: (fetch) => new OpenAI({ baseURL: server.info.url, apiKey: 'bench', fetch }) },
        request,
        {
          signal: new AbortController().signal,
          idleTimeoutMs: 60_000,
          maxRetries: 0,
          onEvent: (event) => {
            if (event.kind === 'text') {
              chunks++;
              textLength += event.text.length;
            }
          },
        },
      );
      return { chunks, textLength };
    };
    await measure(bare); // warm up both paths (JIT, connection pool)
    await measure(engine);
    const bareRuns: Sample[] = [];
    const engineRuns: Sample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareRuns.push(await measure(bare));
      engineRuns.push(await measure(engine));
    }
    const check = engineRuns[0];
    if (!check || check.chunks !== CHUNKS || check.textLength !== bareRuns[0]?.textLength) {
      throw new Error(`engine saw ${check?.chunks} text chunks, expected ${CHUNKS} with the same text as the bare loop`);
    }
    const perChunk = (runs: Sample[]) => median(runs.map((r) => (r.cpuMs * 1000) / CHUNKS));
    const rate = (runs: Sample[]) => median(runs.map((r) => (CHUNKS * 1000) / r.wallMs));
    const result = {
      bareCpuUsPerChunk: perChunk(bareRuns),
      engineCpuUsPerChunk: perChunk(engineRuns),
      bareChunksPerSecond: rate(bareRuns),
      engineChunksPerSecond: rate(engineRuns),
    };
    return { ...result, cpuRatio: result.engineCpuUsPerChunk / result.bareCpuUsPerChunk };
  } finally {
    server.stop();
  }
}
