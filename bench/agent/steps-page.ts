// Runs in headless Chromium (bundled by steps.bench.ts): the real chat webview (ChatApp, with a
// fake host connection) streaming an agent answer with 20 tool steps, beside the same ChatApp
// streaming plain text at the same rate. What the model and the loop produce arrives on a timer
// at a fixed rate; each timer turn stands for one of the host's I/O turns, and what arrived in it
// is coalesced as the host's LiveOutput does (text merged, a step's consecutive argument deltas
// merged) and posted to the page with window.postMessage, as VS Code delivers the host's messages.
// Every animation-frame callback is timed with the layout it causes, and every message handled.
import { TranscriptBuilder } from '../../src/core/agent/transcript';
import type { AgentEvent } from '../../src/protocol/agent-messages';
import type { ChatMessageView, ChatSnapshot, FromWebviewMessage, ToWebviewMessage, ToWebviewPayload } from '../../src/protocol/messages';
import { ChatApp } from '../../src/webview/chat-app';
import type { HostConnection, WebviewState } from '../../src/webview/vscode-api';

const STEPS = 20;
const DELTAS_PER_STEP = 50;
const DELTA_CHARS = 8;
const RESULT_CHARS = 2_000;
/** The final answer: this many 8-character chunks (800 characters). */
const ANSWER_CHUNKS = 100;
const TOOLS = ['rill_read_file', 'rill_list_files', 'rill_search_text', 'rill_diagnostics'];
const ANSWER_ID = 'bench-answer';

const now = () => performance.now();

/** One thing the model or the loop produced: answer text, or an agent event. */
type Arrival = { text: string } | { event: AgentEvent };

/** Plain prose with a little markdown, in 8-character chunks. */
function textChunks(count: number): string[] {
  const words = 'the loop reads a file then answers with what it found in the `workspace` and **why** it matters here'.split(' ');
  let text = '';
  for (let i = 0; text.length < count * DELTA_CHARS; i++) text += (i > 0 && i % 70 === 0 ? '\n\n' : '') + words[i % words.length] + ' ';
  return Array.from({ length: count }, (_, i) => text.slice(i * DELTA_CHARS, (i + 1) * DELTA_CHARS));
}

/**
 * An agent answer as the loop produces it: per round, roundStarted, a short sentence, the call's
 * name, its arguments in 50 deltas, roundEnded, running, done with a 2,000-character result; 20
 * rounds with one call each, then a last round streaming the final answer.
 */
function agentArrivals(): Arrival[] {
  const arrivals: Arrival[] = [];
  const event = (e: AgentEvent) => arrivals.push({ event: e });
  for (let i = 0; i < STEPS; i++) {
    const round = i + 1;
    const id = `call_bench_${i}`;
    const path = `src/core/agent/file-${i}.ts`;
    const args = JSON.stringify({ path, startLine: 1, endLine: 400, note: 'x'.repeat(400) }).slice(0, DELTAS_PER_STEP * DELTA_CHARS);
    const result = Array.from({ length: 60 }, (_, n) => `${String(n + 1).padStart(3)}| export function part${n}(input: string): number { return input.length + ${n}; }`).join('\n').slice(0, RESULT_CHARS);
    event({ kind: 'roundStarted', round, tools: TOOLS.length });
    arrivals.push({ text: `Next I read \`${path}\`.` });
    event({ kind: 'stepStarted', step: { id, round, name: TOOLS[i % TOOLS.length]!, arguments: '', state: 'streaming' } });
    for (let d = 0; d < DELTAS_PER_STEP; d++) event({ kind: 'stepArguments', id, delta: args.slice(d * DELTA_CHARS, (d + 1) * DELTA_CHARS) });
    event({ kind: 'roundEnded', round, toolCalls: 1 });
    event({ kind: 'stepState', id, state: 'running' });
    event({ kind: 'stepState', id, state: 'done', result });
  }
  event({ kind: 'roundStarted', round: STEPS + 1, tools: TOOLS.length });
  for (const text of textChunks(ANSWER_CHUNKS)) arrivals.push({ text });
  event({ kind: 'roundEnded', round: STEPS + 1, toolCalls: 0 });
  return arrivals;
}

/** What one host I/O turn posts for what arrived in it: text merged, a step's consecutive argument deltas merged. */
function coalesce(arrivals: readonly Arrival[]): ToWebviewPayload[] {
  const out: ToWebviewPayload[] = [];
  for (const arrival of arrivals) {
    const last = out[out.length - 1];
    if ('text' in arrival) {
      if (last?.type === 'textAppended') out[out.length - 1] = { ...last, text: last.text + arrival.text };
      else out.push({ type: 'textAppended', messageId: ANSWER_ID, text: arrival.text });
      continue;
    }
    const { event } = arrival;
    if (event.kind === 'stepArguments' && last?.type === 'agentEvent' && last.event.kind === 'stepArguments' && last.event.id === event.id) {
      out[out.length - 1] = { ...last, event: { ...last.event, delta: last.event.delta + event.delta } };
    } else {
      out.push({ type: 'agentEvent', messageId: ANSWER_ID, event });
    }
  }
  return out;
}

/** The host's final copy of the answer: the last round's text, and the transcript of the steps. */
function finalMessage(arrivals: readonly Arrival[]): ChatMessageView {
  const transcript = new TranscriptBuilder();
  let round = 0;
  let text = '';
  let agent = false;
  for (const arrival of arrivals) {
    if ('text' in arrival) {
      text += arrival.text;
      continue;
    }
    agent = true;
    if (arrival.event.kind === 'roundStarted') round = arrival.event.round;
    if (transcript.apply(arrival.event)) {
      transcript.settle(round, text);
      text = '';
    }
  }
  return { id: ANSWER_ID, role: 'assistant', text, state: 'done', ...(agent ? { agent: transcript.snapshot() } : {}) };
}

export interface RunResult {
  /** What the model and the loop produced (text chunks and agent events). */
  events: number;
  /** Messages the host posted for them (after coalescing), the snapshot and messageFinished included. */
  messages: number;
  frames: number;
  durationMs: number;
  maxFrameMs: number;
  /** Which frame (0-based) was the longest. */
  maxFrameIndex: number;
  medianFrameMs: number;
  p99FrameMs: number;
  framesOver16Ms: number;
  /** Wall time ChatApp took to handle one host message (its 'message' listener), longest and over 16 ms. */
  maxMessageMs: number;
  messagesOver16Ms: number;
  longAnimationFrames: number;
  longestAnimationFrameMs: number;
  /** Long animation frames whose scripts (ours: rAF callbacks, timers, messages) took 16 ms or more. */
  scriptLongFrames: number;
  /** Each long animation frame: its duration, its scripts' time, and its style/layout/paint time. */
  longFrameDetails: string[];
  /** DOM nodes of the answer's message at the end. */
  domNodes: number;
}

interface LongFrame extends PerformanceEntry {
  renderStart?: number;
  styleAndLayoutStart?: number;
  scripts?: Array<{ duration: number; invoker?: string; sourceURL?: string }>;
}

/** A host connection that keeps what the webview posts and its state, as VS Code's would. */
function fakeHost(): HostConnection & { posted: FromWebviewMessage[] } {
  let state: WebviewState | undefined;
  const posted: FromWebviewMessage[] = [];
  return {
    posted,
    postMessage: (message) => void posted.push(message),
    getState: () => state,
    setState: (next) => void (state = next),
  };
}

/** Starts a ChatApp on a fresh #app, and returns how to remove it and the window listeners it added. */
function startChat(host: HostConnection, before: EventListener, after: EventListener): { root: HTMLElement; dispose(): void } {
  const root = document.createElement('div');
  root.id = 'app';
  document.body.append(root);
  const added: Array<[string, EventListenerOrEventListenerObject]> = [];
  const add = window.addEventListener.bind(window);
  window.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) => {
    added.push([type, listener]);
    add(type, listener, options);
  }) as typeof window.addEventListener;
  try {
    // Listeners of one target run in the order they were added: `before` and `after` bracket ChatApp's.
    window.addEventListener('message', before);
    new ChatApp(root, host).start();
    window.addEventListener('message', after);
  } finally {
    window.addEventListener = add;
  }
  return {
    root,
    dispose() {
      for (const [type, listener] of added) window.removeEventListener(type, listener);
      root.remove();
    },
  };
}

/** What the chat must show at the end, so that a figure never comes from a page that drew nothing. */
function check(answer: Element | null, mode: 'steps' | 'text'): string | undefined {
  if (!answer) return 'no answer';
  if (answer.getAttribute('data-state') !== 'done') return `answer in state ${answer.getAttribute('data-state')}`;
  const body = answer.querySelector('[data-testid="message-body"]')?.textContent ?? '';
  if (!body.includes('the loop reads')) return 'the answer has no text';
  if (mode === 'text') return answer.querySelector('[data-testid="tool-step"]') ? 'steps in a plain answer' : undefined;
  const steps = [...answer.querySelectorAll<HTMLElement>('[data-testid="tool-step"]')];
  if (steps.length !== STEPS || steps.some((step) => step.dataset.state !== 'done')) return `${steps.length} steps, not ${STEPS} done`;
  if (answer.querySelectorAll('[data-testid="agent-text"]').length !== STEPS) return 'the rounds’ sentences are not above their calls';
  if (body.includes('Next I read')) return 'a round’s sentence stayed in the answer';
  return undefined;
}

async function run(mode: 'steps' | 'text', eventsPerSecond: number): Promise<RunResult> {
  const agent = agentArrivals();
  const arrivals: Arrival[] = mode === 'steps' ? agent : textChunks(agent.length).map((text) => ({ text }));
  const count = arrivals.length;

  // Each host message's handling, timed from just before ChatApp's listener to just after it.
  const messageMs: number[] = [];
  let handlingStart = 0;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const chat = startChat(
    fakeHost(),
    () => (handlingStart = now()),
    (event) => {
      messageMs.push(now() - handlingStart);
      if ((event as MessageEvent<ToWebviewMessage>).data.type === 'messageFinished') finished();
    },
  );
  let seq = 0;
  let messages = 0;
  const post = (message: ToWebviewPayload) => {
    messages++;
    window.postMessage({ ...message, seq: ++seq }, location.origin);
  };
  const session = { id: 'bench', title: 'Bench', createdAt: 0, updatedAt: 0, messageCount: 1 };
  const snapshot: ChatSnapshot = {
    session,
    sessions: [session],
    messages: [{ id: 'bench-prompt', role: 'user', text: 'Read the agent files and tell me what they do.', state: 'done' }],
    environment: { demo: false, providerLabel: 'openai-compatible', model: 'bench' },
    busy: false,
    draft: '',
    tools: { enabled: true },
  };
  messages++;
  window.postMessage({ type: 'snapshot', seq: 0, snapshot } satisfies ToWebviewMessage, location.origin);
  await new Promise((resolve) => setTimeout(resolve, 50));
  messageMs.length = 0; // the snapshot and the empty chat's first layout are not the stream

  // Every rAF callback in a frame (the views' own) is timed with the layout it forces, and summed
  // per frame (callbacks of one frame share its timestamp).
  const root = chat.root;
  const original = window.requestAnimationFrame.bind(window);
  const perFrame = new Map<number, number>();
  window.requestAnimationFrame = (callback) =>
    original((time) => {
      void root.offsetHeight; // layout owed to earlier work is not this callback's
      const t = now();
      callback(time);
      void root.offsetHeight;
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
  post({ type: 'messageAdded', message: { id: ANSWER_ID, role: 'assistant', text: '', state: 'streaming' } });
  let arrived = 0;
  // One host I/O turn per timer callback: whatever became due since the last one, coalesced.
  const turn = () => {
    const due = Math.min(count, Math.floor(((now() - start) * eventsPerSecond) / 1000) + 1);
    if (due > arrived) coalesce(arrivals.slice(arrived, due)).forEach(post);
    arrived = Math.max(arrived, due);
    if (arrived < count) setTimeout(turn, Math.max(0, (arrived * 1000) / eventsPerSecond - (now() - start)));
    else post({ type: 'messageFinished', message: finalMessage(arrivals) });
  };
  turn();
  await done;
  // The last render: two frames after the final message.
  await new Promise<void>((resolve) => original(() => original(() => resolve())));
  const durationMs = now() - start;
  await new Promise((resolve) => setTimeout(resolve, 100));
  window.requestAnimationFrame = original;
  observer?.disconnect();
  const works = [...perFrame.values()];
  const sorted = [...works].sort((a, b) => a - b);
  const maxFrameMs = Math.max(...works);
  const answer = root.querySelector(`[data-message-id="${ANSWER_ID}"]`);
  const domNodes = answer ? answer.getElementsByTagName('*').length + 1 : NaN;
  const problem = check(answer, mode);
  chat.dispose();
  if (problem) throw new Error(`the chat did not show the answer as expected: ${problem}`);
  return {
    events: count,
    messages,
    frames: works.length,
    durationMs,
    maxFrameMs,
    maxFrameIndex: works.indexOf(maxFrameMs),
    medianFrameMs: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    p99FrameMs: sorted[Math.floor(sorted.length * 0.99)] ?? NaN,
    framesOver16Ms: works.filter((ms) => ms > 16).length,
    maxMessageMs: Math.max(...messageMs),
    messagesOver16Ms: messageMs.filter((ms) => ms > 16).length,
    longAnimationFrames: longFrames.length,
    longestAnimationFrameMs: longFrames.length ? Math.max(...longFrames) : 0,
    scriptLongFrames,
    longFrameDetails,
    domNodes,
  };
}

Object.assign(window, { agentBench: { run } });
