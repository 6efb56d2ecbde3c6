import * as vscode from 'vscode';
import type { JsonSchema, ToolResult } from '../../core/agent/types';
import type { HostTool } from './host-tool';

/**
 * The tools other extensions register with VS Code (`vscode.lm.tools`), which include the MCP
 * servers VS Code runs itself, offered to Rill's model. Rill calls them outside a chat
 * participant, so there is no invocation token; a tool that needs one fails with its own message,
 * which the model reads like any tool error.
 */

/** Nothing tells what another extension's tool does, so every call is approved by the user. */
export function lmHostTool(info: vscode.LanguageModelToolInformation, name: string): HostTool {
  return {
    definition: { name, description: info.description, parameters: (info.inputSchema as JsonSchema | undefined) ?? { type: 'object', properties: {} } },
    source: { kind: 'vscode', name: info.name },
    readOnly: false,
    run: (args, signal) => invokeLmTool(info.name, args, signal),
  };
}

async function invokeLmTool(name: string, input: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
  signal.throwIfAborted();
  const cancel = new vscode.CancellationTokenSource();
  const onAbort = () => cancel.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const invocation = vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, cancel.token);
    // A tool may ignore its token; Stop must not wait for it.
    const result = await Promise.race([Promise.resolve(invocation), abortion(signal)]);
    return { status: 'ok', content: lmResultText(result.content) };
  } catch (error) {
    if (signal.aborted) throw signal.reason ?? error;
    return { status: 'error', message: error instanceof Error ? error.message : String(error) };
  } finally {
    signal.removeEventListener('abort', onAbort);
    cancel.dispose();
  }
}

function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

const MAX_DEPTH = 64;

/**
 * A tool result's parts as text. Text parts are kept; prompt-tsx parts (what Copilot's own tools
 * return) are serialised element trees whose text pieces are read out in order; data parts of
 * newer VS Code versions are decoded when textual and named otherwise.
 */
export function lmResultText(parts: readonly unknown[]): string {
  const out: string[] = [];
  for (const part of parts) {
    if (part instanceof vscode.LanguageModelTextPart) out.push(part.value);
    else if (part instanceof vscode.LanguageModelPromptTsxPart) out.push(promptTsxText(part.value));
    else out.push(otherPart(part));
  }
  return out.filter((p) => p !== '').join('\n') || '(The tool returned no content.)';
}

function otherPart(part: unknown): string {
  if (typeof part !== 'object' || part === null) return '';
  const { value, mimeType, data } = part as { value?: unknown; mimeType?: unknown; data?: unknown };
  if (typeof value === 'string') return value;
  if (typeof mimeType === 'string') {
    const textual = /^text\/|json|xml|javascript|yaml/.test(mimeType);
    if (textual && data instanceof Uint8Array) return new TextDecoder().decode(data);
    return `[${mimeType.slice(0, 100)} content left out: only text is passed to the model]`;
  }
  return '[content of an unknown kind left out]';
}

/** prompt-tsx's JSON: text nodes carry `text` (and `lineBreakBefore`); everything else nests in `node`/`children`. */
function promptTsxText(value: unknown): string {
  let text = '';
  const walk = (node: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record.text === 'string') {
      if (record.lineBreakBefore === true && text !== '' && !text.endsWith('\n')) text += '\n';
      text += record.text;
    }
    for (const key of ['node', 'children']) walk(record[key], depth + 1);
  };
  walk(value, 0);
  return text;
}
