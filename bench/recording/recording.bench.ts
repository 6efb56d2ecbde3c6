// Issue 15: what recording an answer's bytes costs. The same 20,000-chunk stream, delivered in
// small writes (thousands of network chunks), through Rill's engine and the real openai SDK,
// alternately without and with the capture (captureFetch, as every answer now runs), in the same
// run; then what saving that request's recording costs (redaction, SSE event marks, JSON Lines).
import OpenAI from 'openai';
import { captureFetch, formatRecording, recordingFromCapture, StreamCapture } from '../../src/core/recording';
import { runChat, type Endpoint } from '../../src/core/stream/run-chat';
import { startChild } from '../support/child';

const CHUNKS = 20_000;
const ROUNDS = 7;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

export async function benchRecording(): Promise<Record<string, number>> {
  const server = await startChild<{ url: string }>('../recording/small-writes-server.ts', [String(CHUNKS)]);
  const request = { model: 'bench', messages: [{ role: 'user' as const, content: 'go' }] };
  try {
    const run = async (capture: StreamCapture | undefined) => {
      const endpoint: Endpoint = {
        createClient: (fetch) => new OpenAI({ baseURL: server.info.url, apiKey: 'sk-bench-recording-key', fetch }),
        ...(capture ? { fetch: captureFetch(globalThis.fetch, capture) } : {}),
      };
      let chunks = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      await runChat(endpoint, request, {
        signal: new AbortController().signal,
        idleTimeoutMs: 60_000,
        maxRetries: 0,
        onEvent: (event) => {
          if (event.kind === 'text') chunks++;
        },
      });
      const used = process.cpuUsage(cpu);
      if (chunks !== CHUNKS) throw new Error(`saw ${chunks} text chunks, expected ${CHUNKS}`);
      return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
    };
    await run(undefined); // warm up both paths (JIT, connection pool)
    await run(new StreamCapture());
    const plain: number[] = [];
    const recorded: number[] = [];
    const networkChunks: number[] = [];
    let last: StreamCapture | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      plain.push((await run(undefined)).cpuMs);
      last = new StreamCapture();
      recorded.push((await run(last)).cpuMs);
      networkChunks.push(last.exchanges[0]?.chunks.length ?? 0);
    }
    const saves: number[] = [];
    let fileBytes = 0;
    for (let i = 0; i < 5; i++) {
      // CPU time, not wall time: on a loaded machine the wall clock mostly measures the others.
      const cpu = process.cpuUsage();
      const text = formatRecording(recordingFromCapture(last!.exchanges, { savedAt: new Date(), secrets: ['sk-bench-recording-key'] }));
      const used = process.cpuUsage(cpu);
      saves.push((used.user + used.system) / 1000);
      fileBytes = Buffer.byteLength(text);
    }
    const network = median(networkChunks);
    const plainMs = median(plain);
    const recordedMs = median(recorded);
    return {
      sseChunks: CHUNKS,
      networkChunks: network,
      bodyBytes: last!.keptBytes,
      plainCpuUsPerSseChunk: (plainMs * 1000) / CHUNKS,
      recordedCpuUsPerSseChunk: (recordedMs * 1000) / CHUNKS,
      extraCpuUsPerNetworkChunk: ((recordedMs - plainMs) * 1000) / network,
      cpuRatio: recordedMs / plainMs,
      saveMs: median(saves),
      fileBytes,
    };
  } finally {
    server.stop();
  }
}

export function recordingTable(r: Record<string, number>): string[] {
  const us = (n: number | undefined) => `${(n ?? NaN).toFixed(2)} µs`;
  return [
    `${r.sseChunks} SSE chunks arriving as ${Math.round(r.networkChunks ?? 0)} network chunks (${Math.round((r.bodyBytes ?? 0) / 1024)} KB), medians of ${ROUNDS} alternating runs`,
    '| | CPU per SSE chunk | extra per network chunk | ratio |',
    '|---|---|---|---|',
    `| engine, no recording (baseline) | ${us(r.plainCpuUsPerSseChunk)} | | |`,
    `| engine with the stream recorder | ${us(r.recordedCpuUsPerSseChunk)} | ${us(r.extraCpuUsPerNetworkChunk)} | ${(r.cpuRatio ?? NaN).toFixed(3)} |`,
    `| saving that request's recording (redact, mark events, JSON Lines) | ${(r.saveMs ?? NaN).toFixed(1)} ms CPU for ${Math.round((r.fileBytes ?? 0) / 1024)} KB | | |`,
  ];
}
