import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import type { OmittedTool } from '../../protocol/agent-messages';
import type { ToolDefinition } from './types';

/** OpenAI's rule for function names; other providers accept at least these. */
export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** OpenAI rejects a request with more tools than this; so do gateways that copy its limits. */
export const MAX_TOOLS = 128;

export interface ToolOffer {
  /** What the request carries, in the runner's order. */
  tools: ChatCompletionFunctionTool[];
  /** The tools the model may call, by name. */
  byName: ReadonlyMap<string, ToolDefinition>;
  omitted: OmittedTool[];
}

/**
 * The tools a request carries. A request that fails because of one bad name or a 129th tool helps
 * nobody, so instead: names OpenAI would reject are left out, a repeated name keeps its first
 * tool, and past {@link MAX_TOOLS} the last ones are left out. The runner lists its tools most
 * important first (built-in, then MCP, then other extensions', say), which makes the choice
 * deterministic and the caller's; every tool left out is reported with its reason.
 */
export function offerTools(definitions: readonly ToolDefinition[], limit = MAX_TOOLS): ToolOffer {
  const byName = new Map<string, ToolDefinition>();
  const omitted: OmittedTool[] = [];
  for (const definition of definitions) {
    const name = definition.name;
    if (!TOOL_NAME.test(name)) omitted.push({ name, reason: 'invalid-name' });
    else if (byName.has(name)) omitted.push({ name, reason: 'duplicate-name' });
    else if (byName.size >= limit) omitted.push({ name, reason: 'over-limit' });
    else byName.set(name, definition);
  }
  const tools = [...byName.values()].map(
    (definition): ChatCompletionFunctionTool => ({
      type: 'function',
      function: {
        name: definition.name,
        ...(definition.description ? { description: definition.description } : {}),
        parameters: definition.parameters ?? { type: 'object', properties: {} },
      },
    }),
  );
  return { tools, byName, omitted };
}
