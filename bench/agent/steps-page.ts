// Runs in headless Chromium (bundled by steps.bench.ts): the chat's tool steps streaming in real
// time, beside the same page streaming plain text at the same rate. Events arrive on a timer at a
// fixed rate; each animation frame applies the batch that arrived since the last one, as the chat
// applies what the host posted. Every animation-frame callback is timed with the layout it causes.
import type { AgentEvent } from '../../src/protocol/agent-messages';
import { AgentStepsView } from '../../src/webview/agent/tool-step-view';
import { Announcer } from '../../src/webview/announcer';
import { StreamingMarkdown } from '../../src/webview/render/index';

const STEPS = 20;
const DELTAS_PER_STEP = 50;
const DELTA_CHARS = 8;
const RESULT_CHARS = 2_000;
const TOOLS = ['rill_read_file', 'rill_list_files', 'rill_search_text', 'rill_diagnostics'];

const now = () => performance.now();

/** The loop's events for 20 steps: started, 50 argument deltas, running, done with a 2,000-character result. */
function stepEvents(): AgentEvent[] {
  const events: AgentEvent[] = [];
  for (let i = 0; i < STEPS; i++) {
    const round = i + 1;
    const id = `call_bench_${i}`;
    const args = JSON.stringify({ path: `src/core/agent/file-${i}.ts`, startLine: 1, endLine: 400, note: 'x'.repeat(400) }).slice(0, DELTAS_PER_STEP * DELTA_CHARS);
    const result = Array.from({ length: 60 }, (_, n) => `${String(n + 1).padStart(3)}| export function part${n}(input: string): number { return input.length + ${n}; }`).join('\n').slice(0, RESULT_CHARS);
    events.push({ kind: 'roundStarted', round, tools: TOOLS.length });
    events.push({ kind: 'stepStarted', step: { id, round, name: TOOLS[i % TOOLS.length]!, arguments: '', state: 'streaming' } });
    for (let d = 0; d < DELTAS_PER_STEP; d++) events.push({ kind: 'stepArguments', id, delta: args.slice(d * DELTA_CHARS, (d + 1) * DELTA_CHARS) });
    events.push({ kind: 'roundEnded', round, toolCalls: 1 });
    events.push({ kind: 'stepState', id, state: 'running' });
    events.push({ kind: 'stepState', id, state: 'done', result });
  }
  return events;
}

/** Plain prose in chunks of the arguments' delta size, as many as the steps' events. */
function textChunks(count: number): string[] {
  const words = 'the loop reads a file then answers with what it found in the workspace and why it matters here'.split(' ');
  let text = '';
  for (let i = 0; text.length < count * DELTA_CHARS; i++) text += (i > 0 && i % 70 === 0 ? '\n\n' : '') + words[i % words.length] + ' ';
  return Array.from({ length: count }, (_, i) => text.slice(i * DELTA_CHARS, (i + 1) * DELTA_CHARS));
}

interface RunResult {
  events: number;
  frames: number;
  durationMs: number;
  maxFrameMs: number;
  /** Which frame (0-based) was the longest. */
  maxFrameIndex: number;
  medianFrameMs: number;
  p99FrameMs: number;
  framesOver16Ms: number;
  longAnimationFrames: number;
  longestAnimationFrameMs: number;
  /** Long animation frames whose scripts (ours: rAF callbacks, timers) took 16 ms or more. */
  scriptLongFrames: number;
  /** Each long animation frame: its duration, its scripts' time, and its style/layout/paint time. */
  longFrameDetails: string[];
  domNodes: number;
}

interface LongFrame extends PerformanceEntry {
  renderStart?: number;
  styleAndLayoutStart?: number;
  scripts?: Array<{ duration: number; invoker?: string; sourceURL?: string }>;
}

async function run(mode: 'steps' | 'text', eventsPerSecond: number): Promise<RunResult> {
  const host = document.createElement('div');
  host.className = 'message';
  document.body.append(host);
  const announcer = new Announcer();
  document.body.append(announcer.element);
  const steps = stepEvents();
  const texts = textChunks(steps.length);
  const count = steps.length;
  let apply: (i: number) => void;
  let flush = () => undefined as void;
  if (mode === 'steps') {
    const view = new AgentStepsView({ approve: () => undefined, announce: (text) => announcer.say(text), rendered: () => undefined });
    host.append(view.element);
    apply = (i) => view.apply(steps[i]!);
  } else {
    const off = () => Promise.reject(new Error('off'));
    const view = new StreamingMarkdown(host, { loadHighlighter: off, loadMermaid: off });
    apply = (i) => view.append(texts[i]!);
    flush = () => view.flush();
  }

  // Every rAF callback in a frame (the driver's and the views' own) is timed with the layout it
  // forces, and summed per frame (callbacks of one frame share its timestamp).
  const original = window.requestAnimationFrame.bind(window);
  const perFrame = new Map<number, number>();
  window.requestAnimationFrame = (callback) =>
    original((time) => {
      void host.offsetHeight; // layout owed to earlier work is not this callback's
      const t = now();
      callback(time);
      void host.offsetHeight;
      perFrame.set(time, (perFrame.get(time) ?? 0) + now() - t);
    });
  const longFrames: number[] = [];
  let scriptLongFrames = 0;
  const longFrameDetails: string[] = [];
  let observer: PerformanceObserver | undefined;
  try {
    observer = new PerformanceObserver((list) =>
      list.getEntries().forEach((entry: LongFrame) => {
        longFrames.push(entry.duration);
        const scripts = (entry.scripts ?? []).reduce((sum, script) => sum + script.duration, 0);
        if (scripts >= 16) scriptLongFrames++;
        const rendering = entry.renderStart ? entry.startTime + entry.duration - entry.renderStart : 0;
        const invokers = (entry.scripts ?? []).map((script) => `${script.invoker ?? '?'} ${Math.round(script.duration)}ms`).join(', ');
        longFrameDetails.push(`${Math.round(entry.duration)} ms at ${Math.round(entry.startTime - start)} ms: scripts ${Math.round(scripts)} ms [${invokers}], rendering ${Math.round(rendering)} ms`);
      }),
    );
    observer.observe({ type: 'long-animation-frame', buffered: false });
  } catch {
    // not supported: the figure stays 0
  }

  const start = now();
  let arrived = 0;
  let applied = 0;
  await new Promise<void>((resolve) => {
    // Arrival: events become available at their due time, like posts from the host.
    const pump = () => {
      const due = Math.min(count, Math.floor(((now() - start) * eventsPerSecond) / 1000) + 1);
      arrived = Math.max(arrived, due);
      if (arrived < count) setTimeout(pump, Math.max(0, ((arrived * 1000) / eventsPerSecond) - (now() - start)));
    };
    pump();
    // One batch per frame: whatever arrived since the last frame.
    const frame = () => {
      while (applied < arrived) apply(applied++);
      flush();
      if (applied < count) window.requestAnimationFrame(frame);
      else original(() => resolve());
    };
    window.requestAnimationFrame(frame);
  });
  const durationMs = now() - start;
  await new Promise((resolve) => setTimeout(resolve, 100));
  window.requestAnimationFrame = original;
  observer?.disconnect();
  const works = [...perFrame.values()];
  const sorted = [...works].sort((a, b) => a - b);
  const maxFrameMs = Math.max(...works);
  const domNodes = host.getElementsByTagName('*').length;
  host.remove();
  announcer.element.remove();
  return {
    events: count,
    frames: works.length,
    durationMs,
    maxFrameMs,
    maxFrameIndex: works.indexOf(maxFrameMs),
    medianFrameMs: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    p99FrameMs: sorted[Math.floor(sorted.length * 0.99)] ?? NaN,
    framesOver16Ms: works.filter((ms) => ms > 16).length,
    longAnimationFrames: longFrames.length,
    longestAnimationFrameMs: longFrames.length ? Math.max(...longFrames) : 0,
    scriptLongFrames,
    longFrameDetails,
    domNodes,
  };
}

Object.assign(window, { agentBench: { run } });
