import type { TraceRecorder } from '../../core/trace';
import type { AgentEvent } from '../../protocol/agent-messages';
import type { HostTool } from '../tools/host-tool';

/** The real tool and server behind each name the model sees, for the flow diagram. */
export function traceTools(recorder: TraceRecorder, tools: readonly HostTool[]): void {
  recorder.describeTools(
    tools.map((tool) => {
      const { name } = tool.definition;
      switch (tool.source.kind) {
        case 'builtin':
          return { name, source: 'builtin' as const };
        case 'mcp':
          return { name, source: 'mcp' as const, server: tool.source.server, tool: tool.source.tool };
        case 'vscode':
          return { name, source: 'vscode' as const, tool: tool.source.name };
      }
    }),
  );
}

/** Each round and tool step, with its times, for the flow diagram. */
export function traceAgentEvent(recorder: TraceRecorder, event: AgentEvent): void {
  recorder.agentEvent(event);
}
