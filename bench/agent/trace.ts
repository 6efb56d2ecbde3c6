// Frame work from a Chromium trace, in thread CPU time. On a shared machine a frame's wall time
// includes the time the renderer waited for a core (other processes, other benches), which is not
// Rill's work; the trace's `tdur` is the main thread's own CPU time, so a frame measured by it
// stays the same however busy the machine is.

/** One event of a Chromium trace (the fields the agent benches read). */
export interface TraceEvent {
  name?: string;
  ph?: string;
  pid?: number;
  tid?: number;
  ts?: number;
  dur?: number;
  tdur?: number;
  args?: { data?: { type?: string; functionName?: string }; src_file?: string; src_func?: string };
}

export interface FrameCosts {
  /** Main-thread CPU per frame task (animation-frame callbacks, style, layout, paint), ms. */
  frameCpuMs: number[];
  /** The same tasks' wall time, ms. */
  frameWallMs: number[];
  /** The longest main-thread task of the run by CPU, whatever it was, ms. */
  longestTaskCpuMs: number;
}

/** The trace categories that give tasks and animation frames with thread times. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

/**
 * Every main-thread task that ran animation-frame callbacks is one frame: Chromium runs the
 * callbacks, then style, layout and paint, in one task. The renderer's main thread is the one the
 * `FireAnimationFrame` events are on.
 */
export function frameCosts(traceJson: string): FrameCosts {
  const parsed = JSON.parse(traceJson) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = (Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? [])).filter((e) => e.ph === 'X' && typeof e.ts === 'number');
  const fires = events.filter((e) => e.name === 'FireAnimationFrame');
  const main = fires[0];
  if (!main) throw new Error('the trace has no animation frames');
  const onMain = (e: TraceEvent) => e.pid === main.pid && e.tid === main.tid;
  const tasks = events.filter((e) => e.name === 'RunTask' && onMain(e)).sort((a, b) => a.ts! - b.ts!);
  const frames = new Set<TraceEvent>();
  let t = 0;
  for (const fire of fires.filter(onMain).sort((a, b) => a.ts! - b.ts!)) {
    // Tasks do not overlap on one thread: the containing task is the last one starting before.
    while (t + 1 < tasks.length && tasks[t + 1]!.ts! <= fire.ts!) t++;
    const task = tasks[t];
    if (task && task.ts! <= fire.ts! && task.ts! + (task.dur ?? 0) >= fire.ts! + (fire.dur ?? 0)) frames.add(task);
  }
  const ms = (us: number | undefined) => (us ?? 0) / 1000;
  return {
    frameCpuMs: [...frames].map((task) => ms(task.tdur ?? task.dur)),
    frameWallMs: [...frames].map((task) => ms(task.dur)),
    longestTaskCpuMs: Math.max(0, ...tasks.map((task) => ms(task.tdur ?? task.dur))),
  };
}
