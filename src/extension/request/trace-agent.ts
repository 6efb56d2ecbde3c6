import type { TraceRecorder } from '../../core/trace';
import type { AgentEvent } from '../../protocol/agent-messages';
import type { HostTool } from '../tools/host-tool';

/** The real tool and server behind each name the model sees, for the flow diagram. */
export function traceTools(recorder: TraceRecorder, tools: readonly HostTool[]): void {
  void recorder;
  void tools;
}

/** Each round and tool step, with its times, for the flow diagram. */
export function traceAgentEvent(recorder: TraceRecorder, event: AgentEvent): void {
  void recorder;
  void event;
}
