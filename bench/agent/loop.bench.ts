// Issue 12: the agent loop's own cost per round beside a bare request. A local server in a child
// process answers 20 rounds of "a sentence and one tool call" and then a 2,000-character answer;
// the client process measures its own CPU time (process.cpuUsage) for:
//   bare:    the same 21 requests (same conversations, same tools, same bytes back) through a
//            bare `for await` over the openai SDK stream (the engine bench's baseline);
//   runChat: the same 21 requests through the engine, without the loop;
//   loop:    `runAgent`, whose runner answers every call at once with a fixed 2,000-character result.
// One warm-up each, then alternating order, several repeats; medians.
// Run alone: `npm run bench -- agent-loop`.
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { offerTools, runAgent, type ToolRunner } from '../../src/core/agent';
import { runChat, type Endpoint } from '../../src/core/stream/run-chat';
import { BUILTIN_TOOLS } from '../../src/core/tools';
import { scriptBodyText } from '../../src/local-llm';
import { agentScripts } from '../support/agent-server';
import { startChild } from '../support/child';

const TOOL_ROUNDS = 20;
const REQUESTS = TOOL_ROUNDS + 1;
const REPEATS = 21;
const RESULT = Array.from({ length: 50 }, (_, i) => `${String(i + 1).padStart(3)}| export const line${i} = 'the fixed tool result';`).join('\n').slice(0, 2000);
const USER: ChatCompletionMessageParam = { role: 'user', content: 'How does the agent loop fit together? Read the files you need.' };
const READ_ONLY = BUILTIN_TOOLS.filter((tool) => tool.readOnly);

type Variant = 'bare' | 'runChat' | 'loop';
interface Sample {
  /** The whole process (main thread, GC helpers, libuv), as the engine bench measures. */
  cpuMs: number;
  /** The main thread alone (Node 23.9 and later; NaN before), which other threads' noise does not reach. */
  threadMs: number;
  wallMs: number;
}

type ThreadCpu = () => NodeJS.CpuUsage;
const threadCpuUsage = (process as unknown as { threadCpuUsage?: ThreadCpu }).threadCpuUsage?.bind(process);
const micros = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function measure(run: () => Promise<void>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const thread = threadCpuUsage ? micros(threadCpuUsage()) : NaN;
  const started = performance.now();
  await run();
  const wallMs = performance.now() - started;
  const threadMs = threadCpuUsage ? (micros(threadCpuUsage()) - thread) / 1000 : NaN;
  return { cpuMs: micros(process.cpuUsage(cpu)) / 1000, threadMs, wallMs };
}

export async function benchAgentLoop(): Promise<Record<string, number>> {
  // Every variant consumes one cycle (20 tool answers, then the text) per run.
  const cycles = 3 * (1 + REPEATS);
  const server = await startChild<{ url: string }>('agent-server.ts', [String(TOOL_ROUNDS), String(cycles)]);
  const url = server.info.url;
  const endpoint: Endpoint = { createClient: (fetch) => new OpenAI({ baseURL: url, apiKey: 'bench', fetch }) };
  const stream = { idleTimeoutMs: 60_000, maxRetries: 0 };
  const runner: ToolRunner = { tools: () => READ_ONLY, run: async () => ({ status: 'ok', content: RESULT }) };
  const tools = offerTools(READ_ONLY).tools;
  // The conversations the loop sends, round by round; filled from the first loop run.
  let conversations: ChatCompletionMessageParam[][] = [];
  const check = (what: string, ok: boolean) => {
    if (!ok) throw new Error(`${what}: the run did not go as scripted`);
  };

  const runs: Record<Variant, () => Promise<void>> = {
    loop: async () => {
      const outcome = await runAgent(endpoint, { model: 'bench', messages: [USER] }, runner, {
        signal: new AbortController().signal,
        onEvent: () => undefined,
        stream,
        maxRounds: REQUESTS + 1,
      });
      check(`loop ended ${outcome.state} after ${outcome.rounds} rounds`, outcome.state === 'done' && outcome.rounds === REQUESTS && outcome.steps.length === TOOL_ROUNDS);
      if (conversations.length === 0) {
        conversations = Array.from({ length: REQUESTS }, (_, k) => [USER, ...outcome.messages.slice(0, 2 * k)]);
      }
    },
    runChat: async () => {
      let calls = 0;
      for (const messages of conversations) {
        const outcome = await runChat(endpoint, { model: 'bench', messages, tools }, { signal: new AbortController().signal, onEvent: () => undefined, ...stream });
        check('runChat', outcome.state === 'done');
        calls += outcome.toolCalls.length;
      }
      check('runChat calls', calls === TOOL_ROUNDS);
    },
    bare: async () => {
      const client = new OpenAI({ baseURL: url, apiKey: 'bench', maxRetries: 0 });
      let calls = 0;
      let text = 0;
      for (const messages of conversations) {
        const response = await client.chat.completions.create({ model: 'bench', messages, tools, stream: true, stream_options: { include_usage: true } });
        for await (const chunk of response as AsyncIterable<ChatCompletionChunk>) {
          const delta = chunk.choices[0]?.delta;
          text += delta?.content?.length ?? 0;
          for (const call of delta?.tool_calls ?? []) if (call.function?.name) calls++;
        }
      }
      check('bare', calls === TOOL_ROUNDS && text > 0);
    },
  };

  try {
    // Warm-up (JIT, connection pool); the loop first, since it records the conversations.
    for (const variant of ['loop', 'runChat', 'bare'] as const) await measure(runs[variant]);
    const samples: Record<Variant, Sample[]> = { bare: [], runChat: [], loop: [] };
    const orders: Variant[][] = [
      ['bare', 'runChat', 'loop'],
      ['loop', 'runChat', 'bare'],
      ['runChat', 'loop', 'bare'],
    ];
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (const variant of orders[repeat % orders.length]!) samples[variant].push(await measure(runs[variant]));
    }
    const perRound = (variant: Variant) => median(samples[variant].map((s) => (s.cpuMs * 1000) / REQUESTS));
    // Differences and ratios paired within a repeat: the three runs of one repeat follow each
    // other within a second, so a change in the machine's load shifts all three alike.
    const paired = (f: (i: number) => number) => median(Array.from({ length: REPEATS }, (_, i) => f(i)));
    const cpu = (variant: Variant, i: number) => samples[variant][i]!.cpuMs;
    const thread = (variant: Variant, i: number) => samples[variant][i]!.threadMs;
    // The least-disturbed run too: on a shared machine other processes inflate some runs' CPU time.
    const fastest = (variant: Variant) => Math.min(...samples[variant].map((s) => (s.cpuMs * 1000) / REQUESTS));
    const wall = (variant: Variant) => median(samples[variant].map((s) => s.wallMs / REQUESTS));
    const { toolRound, final } = agentScripts();
    const result = {
      rounds: REQUESTS,
      repeats: REPEATS,
      toolRoundBytes: Buffer.byteLength(scriptBodyText(toolRound)),
      finalBytes: Buffer.byteLength(scriptBodyText(final)),
      lastRequestBytes: Buffer.byteLength(JSON.stringify({ messages: conversations.at(-1), tools })),
      bareCpuUsPerRound: perRound('bare'),
      runChatCpuUsPerRound: perRound('runChat'),
      loopCpuUsPerRound: perRound('loop'),
      bareMinCpuUsPerRound: fastest('bare'),
      runChatMinCpuUsPerRound: fastest('runChat'),
      loopMinCpuUsPerRound: fastest('loop'),
      bareWallMsPerRound: wall('bare'),
      loopWallMsPerRound: wall('loop'),
    };
    return {
      ...result,
      loopOwnCpuUsPerRound: paired((i) => ((cpu('loop', i) - cpu('runChat', i)) * 1000) / REQUESTS),
      loopOwnMinCpuUsPerRound: result.loopMinCpuUsPerRound - result.runChatMinCpuUsPerRound,
      loopOwnThreadUsPerRound: paired((i) => ((thread('loop', i) - thread('runChat', i)) * 1000) / REQUESTS),
      bareThreadUsPerRound: median(samples.bare.map((x) => (x.threadMs * 1000) / REQUESTS)),
      runChatThreadUsPerRound: median(samples.runChat.map((x) => (x.threadMs * 1000) / REQUESTS)),
      loopThreadUsPerRound: median(samples.loop.map((x) => (x.threadMs * 1000) / REQUESTS)),
      loopToBareThreadRatio: paired((i) => thread('loop', i) / thread('bare', i)),
      loopToBareRatio: paired((i) => cpu('loop', i) / cpu('bare', i)),
      loopToRunChatRatio: paired((i) => cpu('loop', i) / cpu('runChat', i)),
    };
  } finally {
    server.stop();
  }
}

export function agentLoopTable(r: Record<string, number>): string[] {
  const us = (v: number | undefined) => `${(v ?? NaN).toFixed(0)} µs`;
  return [
    `${r.rounds} rounds per run (${(r.rounds ?? 1) - 1} × text + one tool call, ${r.toolRoundBytes} bytes each; then a ${r.finalBytes}-byte answer); the last request is ${r.lastRequestBytes} bytes. Median of ${r.repeats} alternating runs, client CPU only.`,
    '',
    '| | process CPU per round, median | fastest run | main-thread CPU per round, median | wall per round |',
    '|---|---|---|---|---|',
    `| bare \`for await\` over the SDK, same requests (baseline) | ${us(r.bareCpuUsPerRound)} | ${us(r.bareMinCpuUsPerRound)} | ${us(r.bareThreadUsPerRound)} | ${(r.bareWallMsPerRound ?? NaN).toFixed(2)} ms |`,
    `| \`runChat\` alone, same requests | ${us(r.runChatCpuUsPerRound)} | ${us(r.runChatMinCpuUsPerRound)} | ${us(r.runChatThreadUsPerRound)} | |`,
    `| \`runAgent\` (loop, steps, tool run, results) | ${us(r.loopCpuUsPerRound)} | ${us(r.loopMinCpuUsPerRound)} | ${us(r.loopThreadUsPerRound)} | ${(r.loopWallMsPerRound ?? NaN).toFixed(2)} ms |`,
    `| the loop's own cost (runAgent − runChat; median of paired differences) | ${us(r.loopOwnCpuUsPerRound)} | ${us(r.loopOwnMinCpuUsPerRound)} | ${us(r.loopOwnThreadUsPerRound)} | |`,
    `| ratio runAgent / bare (medians of paired ratios) | ${(r.loopToBareRatio ?? NaN).toFixed(3)} | | ${(r.loopToBareThreadRatio ?? NaN).toFixed(3)} | |`,
    `| ratio runAgent / runChat | ${(r.loopToRunChatRatio ?? NaN).toFixed(3)} | | | |`,
  ];
}

if (require.main === module) {
  benchAgentLoop()
    .then((figures) => process.stdout.write(`${agentLoopTable(figures).join('\n')}\n\n${JSON.stringify(figures, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
