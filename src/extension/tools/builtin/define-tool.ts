import type { ToolResult } from '../../../core/agent';
import { builtinTool, checkArguments, type BuiltinArguments, type BuiltinToolName } from '../../../core/tools';
import type { ChangePreview, HostTool } from '../host-tool';

/** The small shape each built-in tool file fills in; arguments arrive already checked. */
export interface BuiltinImplementation<N extends BuiltinToolName> {
  run(args: BuiltinArguments[N], signal: AbortSignal): Promise<ToolResult>;
  preview?(args: BuiltinArguments[N], signal: AbortSignal): Promise<ChangePreview | { error: string }>;
}

/**
 * A HostTool from a built-in tool's definition (core/tools/definitions.ts: its name, schema and
 * whether it is read-only) and its implementation. Every call's arguments are checked against the
 * schema first (they come from the model), and anything thrown becomes a tool error the model can
 * read, never a crash of the loop.
 */
export function defineBuiltin<N extends BuiltinToolName>(name: N, implementation: BuiltinImplementation<N>): HostTool {
  const definition = builtinTool(name);
  const tool: HostTool = {
    definition: { name: definition.name, description: definition.description, parameters: definition.parameters },
    source: { kind: 'builtin' },
    readOnly: definition.readOnly,
    async run(args, signal) {
      if (signal.aborted) return { status: 'error', message: 'Stopped before it started.' };
      const checked = checkArguments(name, args);
      if (!checked.ok) return { status: 'error', message: checked.message };
      try {
        return await implementation.run(checked.value, signal);
      } catch (error) {
        return { status: 'error', message: `${name} failed: ${describeError(error)}` };
      }
    },
  };
  const preview = implementation.preview;
  if (preview) {
    tool.preview = async (args, signal) => {
      const checked = checkArguments(name, args);
      if (!checked.ok) return { error: checked.message };
      try {
        return await preview(checked.value, signal);
      } catch (error) {
        return { error: `${name} cannot apply: ${describeError(error)}` };
      }
    };
  }
  return tool;
}

/** An error's message without a stack: file system errors from VS Code already name the file. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const ok = (content: string): ToolResult => ({ status: 'ok', content });
export const fail = (message: string): ToolResult => ({ status: 'error', message });
