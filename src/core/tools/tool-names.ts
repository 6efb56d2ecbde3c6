import { TOOL_NAME } from '../agent/tool-offer';
import { BUILTIN_TOOL_NAMES } from './definitions';

/**
 * The names the model sees for tools Rill did not define. Providers reject a request whose tool
 * names break `^[a-zA-Z0-9_-]{1,64}$` or repeat, and the on/off choice in the tools picker is stored
 * under this name, so a name must be valid, unique and the same from one session to the next: it
 * depends only on the tool's identity (server and tool name) and, for a clash, on the order the
 * catalog lists tools in, which is the settings' order.
 */

export const MAX_TOOL_NAME = 64;

/** 32-bit FNV-1a as 8 hex digits: short, stable across runs and platforms, no crypto needed. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** `base` cut so that `_<hash>` fits after it. */
function withHash(base: string, identity: string): string {
  const suffix = `_${shortHash(identity)}`;
  return base.slice(0, MAX_TOOL_NAME - suffix.length) + suffix;
}

/**
 * A valid name from any text: characters outside `[a-zA-Z0-9_-]` become `_`; a name too long keeps
 * its start and ends with a hash of the whole `identity`, so two long names that differ only at
 * the end stay apart.
 */
export function sanitiseToolName(raw: string, identity: string = raw): string {
  const name = raw.replace(/[^a-zA-Z0-9_-]/g, '_') || '_';
  return name.length <= MAX_TOOL_NAME ? name : withHash(name, identity);
}

/** `mcp_<server>_<tool>`, made valid. */
export function mcpToolName(server: string, tool: string): string {
  return sanitiseToolName(`mcp_${server}_${tool}`, `mcp\u0000${server}\u0000${tool}`);
}

/** A tool another extension registered keeps its own name when it is valid. */
export function lmToolName(name: string): string {
  return TOOL_NAME.test(name) ? name : sanitiseToolName(name);
}

/**
 * Names Rill keeps for itself: its built-in tools, and `rill_` for tools Rill registers with VS Code
 * (offering those back through `vscode.lm.tools` would list them twice).
 */
export function isRillToolName(name: string): boolean {
  return (BUILTIN_TOOL_NAMES as readonly string[]).includes(name) || name.startsWith('rill_');
}

export interface NameRequest {
  /** The name the tool would like (already valid: from the functions above). */
  wanted: string;
  /** What makes the tool itself, e.g. `mcp\0server\0tool`; distinguishes tools whose wanted names clash. */
  identity: string;
}

/**
 * One unique name per request, in order: the first to want a name gets it; a later one gets the
 * name with a hash of its identity, and only if even that is taken (a hash clash, or a server
 * listing one tool twice) a counter. `reserved` (the built-in names) are never handed out.
 */
export function allocateToolNames(requests: readonly NameRequest[], reserved: Iterable<string> = []): string[] {
  const taken = new Set(reserved);
  return requests.map(({ wanted, identity }) => {
    let name = wanted;
    if (taken.has(name)) name = withHash(wanted, identity);
    for (let n = 2; taken.has(name); n++) name = withHash(wanted, `${identity}\u0000${n}`);
    taken.add(name);
    return name;
  });
}

/** Copilot Chat's own agent tools: they need its chat session and duplicate Rill's built-ins. */
const COPILOT_CHAT = 'github.copilot-chat';

/**
 * Which of `vscode.lm.tools` Rill offers: tools an installed extension declares in its manifest
 * (`contributes.languageModelTools`), other than Rill's and Copilot Chat's, and the tools of the MCP
 * servers VS Code runs (VS Code names them `mcp_…`). VS Code's internal chat tools
 * (`run_in_terminal`, `vscode_editFile_internal`, `runSubagent`…) are in no manifest: they expect
 * VS Code's chat session, some block the window with their own dialog, and their schemas alone
 * (about 40 KB) would fill a small model's context, so they are never offered.
 */
export function offerableLmTools(
  extensions: ReadonlyArray<{ id: string; tools: readonly string[] }>,
  selfId: string,
): (name: string) => boolean {
  const declared = new Set<string>();
  for (const extension of extensions) {
    const id = extension.id.toLowerCase();
    if (id === selfId.toLowerCase() || id === COPILOT_CHAT) continue;
    for (const tool of extension.tools) declared.add(tool);
  }
  return (name) => !isRillToolName(name) && (declared.has(name) || name.startsWith('mcp_'));
}
