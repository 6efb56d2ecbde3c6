import * as vscode from 'vscode';
import type { ToolResult } from '../../core/agent/types';
import { mcpSecrets, mcpServerKey, parseMcpServers, type McpServerConfig } from '../../core/tools/mcp-config';
import type { RedactingLog } from '../redacting-log';
import { McpConnection, type McpTool } from './mcp-connection';

/** One configured server as the tools picker shows it. */
export type McpServerStatus =
  | { name: string; state: 'idle' | 'connecting' }
  | { name: string; state: 'ready'; tools: readonly McpTool[] }
  | { name: string; state: 'failed'; error: string };

interface Entry {
  config: McpServerConfig;
  key: string;
  status: McpServerStatus;
  connection?: McpConnection;
  loading?: Promise<void>;
  /** The server announced a changed tool list: list again on next use. */
  stale: boolean;
  failedAt?: number;
}

/** A server that failed is tried again on use, but not more often than this: a broken command must not respawn per request. */
const RETRY_AFTER_MS = 60_000;

/** Reads only the user's own value: a workspace (a cloned repository) must never start processes. */
function readUserSetting(): { user: unknown; elsewhere: boolean } {
  const inspected = vscode.workspace.getConfiguration('rill').inspect<unknown>('mcp.servers');
  return { user: inspected?.globalValue, elsewhere: inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined };
}

/**
 * Every server in `rill.mcp.servers`: connected on first use, all at once, each on its own (one
 * that fails is reported and the others go on), reconnected when its settings change, ended on
 * dispose.
 */
export class McpHub implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly warned = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private loggedElsewhere = false;

  constructor(
    private readonly log: RedactingLog,
    private readonly version = '0.0.0',
    private readonly read: () => { user: unknown; elsewhere: boolean } = readUserSetting,
  ) {
    this.applySettings();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('rill.mcp.servers')) this.applySettings();
      }),
    );
  }

  /** The servers in the setting's order. */
  servers(): McpServerStatus[] {
    return [...this.entries.values()].map((entry) => entry.status);
  }

  /**
   * Connects and lists what is not yet known (and failed servers again, after a pause or when
   * `retryFailed`). Resolves when every server has settled, or at once when `signal` aborts
   * (connecting goes on in the background, bounded by its own timeout). Never rejects.
   */
  async refresh(signal?: AbortSignal, options: { retryFailed?: boolean } = {}): Promise<void> {
    const now = Date.now();
    const loads = [...this.entries.values()].map((entry) => {
      const failedLongAgo = entry.status.state === 'failed' && (options.retryFailed || now - (entry.failedAt ?? 0) >= RETRY_AFTER_MS);
      if (!entry.loading && (entry.status.state === 'idle' || failedLongAgo || (entry.status.state === 'ready' && entry.stale))) {
        entry.loading = this.load(entry).finally(() => (entry.loading = undefined));
      }
      return entry.loading;
    });
    if (signal?.aborted) return;
    const aborted = signal ? new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })) : undefined;
    await Promise.race([Promise.all(loads), ...(aborted ? [aborted] : [])]);
  }

  async call(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    const connection = this.entries.get(server)?.connection;
    if (!connection?.connected) return { status: 'error', message: `The MCP server "${server}" is not connected (see "Rill: Choose Tools").` };
    return connection.callTool(tool, args, signal);
  }

  private async load(entry: Entry): Promise<void> {
    const { name } = entry.config;
    const secrets = mcpSecrets(entry.config);
    const current = () => this.entries.get(name) === entry;
    if (entry.status.state !== 'ready') this.setStatus(entry, { name, state: 'connecting' });
    const started = Date.now();
    try {
      entry.connection ??= new McpConnection(entry.config, {
        clientVersion: this.version,
        onStderr: (line) => this.log.info(`MCP "${name}" stderr: ${line}`, secrets),
        onToolsChanged: () => {
          entry.stale = true;
          this.changed.fire();
        },
        onClose: () => {
          if (!current()) return;
          this.log.warn(`MCP "${name}": the server closed the connection; it is started again on next use.`);
          entry.connection = undefined;
          entry.failedAt = 0;
          this.setStatus(entry, { name, state: 'failed', error: 'the server closed the connection' });
        },
      });
      const connection = entry.connection;
      if (!connection.connected) {
        await connection.connect();
        this.log.info(`MCP "${name}": connected in ${Date.now() - started} ms.`);
      }
      entry.stale = false;
      const tools = await connection.listTools(AbortSignal.timeout(15_000));
      if (!current()) return void connection.close();
      this.log.info(`MCP "${name}": ${tools.length} tools (${tools.filter((t) => t.readOnly).length} read-only).`);
      this.setStatus(entry, { name, state: 'ready', tools });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const connection = entry.connection;
      entry.connection = undefined;
      await connection?.close();
      if (!current()) return;
      this.log.warn(`MCP "${name}" failed: ${message}`, secrets);
      entry.failedAt = Date.now();
      this.setStatus(entry, { name, state: 'failed', error: message });
    }
  }

  private setStatus(entry: Entry, status: McpServerStatus): void {
    entry.status = status;
    this.changed.fire();
  }

  /** Keeps servers whose settings did not change (and their processes); ends the rest. */
  private applySettings(): void {
    const { user, elsewhere } = this.read();
    if (elsewhere && !this.loggedElsewhere) {
      this.loggedElsewhere = true;
      this.log.warn('rill.mcp.servers in workspace settings is ignored: only your user settings may start MCP servers.');
    }
    const { servers, problems } = parseMcpServers(user);
    for (const problem of problems) this.log.warn(`rill.mcp.servers${problem.server === undefined ? '' : ` "${problem.server}"`} skipped: ${problem.message}`);
    this.warnOnce(problems.map((p) => (p.server === undefined ? p.message : `"${p.server}": ${p.message}`)));
    const next = new Map<string, Entry>();
    for (const config of servers) {
      const key = mcpServerKey(config);
      const old = this.entries.get(config.name);
      if (old?.key === key) next.set(config.name, old);
      else next.set(config.name, { config, key, stale: false, status: { name: config.name, state: 'idle' } });
    }
    for (const [name, old] of this.entries) {
      if (next.get(name) !== old) void old.connection?.close();
    }
    this.entries.clear();
    for (const [name, entry] of next) this.entries.set(name, entry);
    this.changed.fire();
  }

  private warnOnce(problems: string[]): void {
    const fresh = problems.filter((p) => !this.warned.has(p));
    if (fresh.length === 0) return;
    for (const p of fresh) this.warned.add(p);
    const open = vscode.l10n.t('Open Settings');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Rill skipped {0} MCP server settings: {1}', fresh.length, fresh.join('; ')), open)
      .then((choice) => (choice === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'rill.mcp.servers') : undefined));
  }

  /** Ends every server; resolves when their processes are gone (the SDK waits up to 4 s for a stubborn one). */
  async close(): Promise<void> {
    const connections = [...this.entries.values()].map((entry) => entry.connection);
    this.entries.clear();
    await Promise.all(connections.map((c) => c?.close()));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    void this.close();
    this.changed.dispose();
  }
}
