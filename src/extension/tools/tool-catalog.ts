import * as vscode from 'vscode';
import { MAX_TOOLS } from '../../core/agent/tool-offer';
import { allocateToolNames, lmToolName, mcpToolName, offerableLmTools, type NameRequest } from '../../core/tools/tool-names';
import { McpHub, type McpServerStatus } from '../mcp/mcp-hub';
import type { McpTool } from '../mcp/mcp-connection';
import type { RedactingLog } from '../redacting-log';
import type { HostTool } from './host-tool';
import { lmHostTool } from './lm-tools';

/** globalState key: the model-visible names of the tools the user turned off (every tool is on by default). */
const OFF_KEY = 'rill.tools.off';
/** Descriptions come from other programs; a few paragraphs tell the model enough and keep requests small. */
const MAX_DESCRIPTION = 2_000;

export interface ToolCatalogDeps {
  builtin: () => readonly HostTool[];
  log: RedactingLog;
  state: vscode.Memento;
  /** Sent to MCP servers as the client's version. */
  version?: string;
  /** Tests pass their own. */
  hub?: McpHub;
}

interface ToolItem extends vscode.QuickPickItem {
  /** Absent for separators and server status lines, which cannot be turned on. */
  toolName?: string;
}

/**
 * Every tool Rill can offer, most important first: the built-in tools, then MCP servers' tools in
 * the setting's order, then the tools other extensions registered with VS Code. The agent loop
 * cuts at 128 in this order, so the tools a user set up deliberately are the last to go, and the
 * tools picker lets them choose instead.
 */
export class ToolCatalog implements vscode.Disposable {
  private readonly hub: McpHub;

  constructor(private readonly deps: ToolCatalogDeps) {
    this.hub = deps.hub ?? new McpHub(deps.log, deps.version);
  }

  /** What to offer now, without the tools the user turned off; in Restricted Mode read-only built-ins only. */
  async list(signal: AbortSignal): Promise<HostTool[]> {
    const off = this.off();
    return (await this.all(signal, true)).filter((tool) => !off.has(tool.definition.name));
  }

  /** Every tool, on or off. `connect`: start MCP servers not yet running and wait for them (or for `signal`). */
  private async all(signal: AbortSignal | undefined, connect: boolean): Promise<HostTool[]> {
    const builtin = this.builtin();
    // A workspace the user has not trusted may try to steer the model: nothing that runs programs or changes files.
    if (!vscode.workspace.isTrusted) return builtin.filter((tool) => tool.readOnly);
    if (connect) {
      try {
        await this.hub.refresh(signal);
      } catch (error) {
        this.deps.log.error(`MCP: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const requests: NameRequest[] = [];
    const makers: Array<(name: string) => HostTool> = [];
    for (const server of this.hub.servers()) {
      if (server.state !== 'ready') continue;
      for (const tool of server.tools) {
        requests.push({ wanted: mcpToolName(server.name, tool.name), identity: `mcp\u0000${server.name}\u0000${tool.name}` });
        makers.push((name) => this.mcpHostTool(server.name, tool, name));
      }
    }
    const offerable = offerableLmTools(declaredLmTools(), RILL_ID);
    for (const info of vscode.lm.tools) {
      if (!offerable(info.name)) continue;
      requests.push({ wanted: lmToolName(info.name), identity: `vscode\u0000${info.name}` });
      makers.push((name) => lmHostTool(info, name));
    }
    const names = allocateToolNames(requests, builtin.map((tool) => tool.definition.name));
    return [...builtin, ...makers.map((make, i) => make(names[i] as string))];
  }

  private builtin(): readonly HostTool[] {
    try {
      return this.deps.builtin();
    } catch (error) {
      this.deps.log.error(`Built-in tools unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  private mcpHostTool(server: string, tool: McpTool, name: string): HostTool {
    const description = tool.description.length > MAX_DESCRIPTION ? `${tool.description.slice(0, MAX_DESCRIPTION)}…` : tool.description;
    return {
      definition: { name, description, parameters: tool.inputSchema },
      source: { kind: 'mcp', server, tool: tool.name },
      readOnly: tool.readOnly,
      run: (args, signal) => this.hub.call(server, tool.name, args, signal),
    };
  }

  private off(): Set<string> {
    const stored = this.deps.state.get<unknown>(OFF_KEY);
    return new Set(Array.isArray(stored) ? stored.filter((n): n is string => typeof n === 'string') : []);
  }

  /** The picker of `rill.configureTools`: one line per tool, checked when on; Enter saves, Escape discards. */
  async configure(): Promise<void> {
    const picker = vscode.window.createQuickPick<ToolItem>();
    picker.canSelectMany = true;
    picker.matchOnDescription = true;
    picker.matchOnDetail = true;
    const on = new Map<string, boolean>();
    const off = this.off();
    let tools: HostTool[] = [];
    let rendering = false;

    const render = async () => {
      tools = await this.all(undefined, false);
      for (const tool of tools) if (!on.has(tool.definition.name)) on.set(tool.definition.name, !off.has(tool.definition.name));
      const items = this.items(tools, vscode.workspace.isTrusted ? this.hub.servers() : [], on);
      rendering = true;
      picker.items = items;
      picker.selectedItems = items.filter((item) => item.toolName !== undefined && on.get(item.toolName));
      rendering = false;
      this.title(picker, tools, on);
    };

    const done = new Promise<void>((resolve) => {
      const subscriptions = [
        picker.onDidChangeSelection((selected) => {
          if (rendering) return;
          const chosen = new Set(selected.map((item) => item.toolName).filter((n): n is string => n !== undefined));
          for (const tool of tools) on.set(tool.definition.name, chosen.has(tool.definition.name));
          // Status lines are not tools: checking one undoes itself.
          if (selected.some((item) => item.toolName === undefined)) {
            rendering = true;
            picker.selectedItems = selected.filter((item) => item.toolName !== undefined);
            rendering = false;
          }
          this.title(picker, tools, on);
        }),
        picker.onDidAccept(async () => {
          await this.save(tools, on);
          picker.hide();
        }),
        this.hub.onDidChange(() => void render()),
        picker.onDidHide(() => {
          for (const s of subscriptions) s.dispose();
          picker.dispose();
          resolve();
        }),
      ];
    });

    await render();
    picker.show();
    if (vscode.workspace.isTrusted) {
      picker.busy = true;
      void this.hub.refresh(undefined, { retryFailed: true }).finally(() => {
        picker.busy = false;
        void render();
      });
    }
    await done;
  }

  /** Only the tools shown are changed: a tool of a server that is down now keeps its choice. */
  private async save(shown: readonly HostTool[], on: ReadonlyMap<string, boolean>): Promise<void> {
    const off = this.off();
    for (const tool of shown) {
      const name = tool.definition.name;
      if (on.get(name) === false) off.add(name);
      else off.delete(name);
    }
    await this.deps.state.update(OFF_KEY, [...off].sort());
    this.deps.log.info(`Tools: ${shown.filter((t) => on.get(t.definition.name) !== false).length} of ${shown.length} on.`);
  }

  private title(picker: vscode.QuickPick<ToolItem>, tools: readonly HostTool[], on: ReadonlyMap<string, boolean>): void {
    const count = tools.filter((tool) => on.get(tool.definition.name) !== false).length;
    picker.title = vscode.l10n.t('Rill: Choose Tools ({0} of {1} tools on; providers accept at most {2})', count, tools.length, MAX_TOOLS);
    picker.placeholder = !vscode.workspace.isTrusted
      ? vscode.l10n.t('Restricted Mode: only read-only built-in tools are offered. Trust the workspace for the others.')
      : count > MAX_TOOLS
        ? vscode.l10n.t('{0} tools are on: requests carry the first {1} and leave out the rest (VS Code tools first). Turn some off.', count, MAX_TOOLS)
        : vscode.l10n.t('Checked tools are offered to the model. Enter saves.');
  }

  private items(tools: readonly HostTool[], servers: readonly McpServerStatus[], on: ReadonlyMap<string, boolean>): ToolItem[] {
    const readOnly = vscode.l10n.t('read-only');
    const item = (tool: HostTool, source: string): ToolItem => ({
      label: tool.definition.name,
      toolName: tool.definition.name,
      picked: on.get(tool.definition.name) !== false,
      description: tool.readOnly ? `${source} · ${readOnly}` : source,
      detail: (tool.definition.description ?? '').split('\n')[0]?.slice(0, 160),
    });
    const separator = (label: string): ToolItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
    const items: ToolItem[] = [separator(vscode.l10n.t('Built-in'))];
    const builtinLabel = vscode.l10n.t('Built-in');
    for (const tool of tools) if (tool.source.kind === 'builtin') items.push(item(tool, builtinLabel));
    for (const server of servers) {
      const label = `MCP: ${server.name}`;
      items.push(separator(label));
      if (server.state === 'failed') items.push({ label: `$(error) ${server.name}`, description: vscode.l10n.t('failed to start'), detail: server.error });
      else if (server.state !== 'ready') items.push({ label: `$(loading~spin) ${server.name}`, description: vscode.l10n.t('connecting…') });
      else if (server.tools.length === 0) items.push({ label: server.name, description: vscode.l10n.t('no tools') });
      for (const tool of tools) if (tool.source.kind === 'mcp' && tool.source.server === server.name) items.push(item(tool, label));
    }
    const lm = tools.filter((tool) => tool.source.kind === 'vscode');
    if (lm.length > 0) items.push(separator(vscode.l10n.t('VS Code')), ...lm.map((tool) => item(tool, vscode.l10n.t('VS Code'))));
    return items;
  }

  /** Ends the MCP servers; resolves when their processes are gone. For `deactivate`. */
  close(): Promise<void> {
    return this.hub.close();
  }

  dispose(): void {
    this.hub.dispose();
  }
}

const RILL_ID = 'rill.rill';

/** The tools each installed extension declares in its manifest, read at each listing (extensions come and go). */
function declaredLmTools(): Array<{ id: string; tools: string[] }> {
  return vscode.extensions.all.map((extension) => {
    const contributes = (extension.packageJSON as { contributes?: { languageModelTools?: unknown } } | undefined)?.contributes;
    const list = Array.isArray(contributes?.languageModelTools) ? (contributes.languageModelTools as unknown[]) : [];
    const tools = list.map((tool) => (tool as { name?: unknown } | null)?.name).filter((name): name is string => typeof name === 'string');
    return { id: extension.id, tools };
  });
}
