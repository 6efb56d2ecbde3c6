// One MCP server, through the official SDK. Deliberately free of `vscode` so the unit tests run
// it against a real server under mocha; settings, logging and lifecycle live in mcp-hub.ts.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { JsonSchema, ToolResult } from '../../core/agent/types';
import type { McpServerConfig } from '../../core/tools/mcp-config';
import { mcpResultToToolResult } from '../../core/tools/mcp-result';

/** A tool as the server lists it, reduced to what Rill uses. */
export interface McpTool {
  /** The tool's own name on its server (what `tools/call` takes). */
  name: string;
  description: string;
  inputSchema: JsonSchema;
  /** The server annotated it `readOnlyHint: true`: it runs without asking. */
  readOnly: boolean;
}

export interface McpConnectionOptions {
  /** Starting the process (or reaching the URL) and the MCP handshake together. Default 15 s. */
  connectTimeoutMs?: number;
  /** A call that neither finishes nor reports progress for this long fails. Default 10 min: Stop is the usual end. */
  callTimeoutMs?: number;
  /** Lines a stdio server writes to stderr, up to `stderrLimit` characters in all. */
  onStderr?: (line: string) => void;
  stderrLimit?: number;
  /** The connection ended without `close()`: the process exited or the HTTP session was lost. */
  onClose?: () => void;
  /** The server said its tool list changed (`notifications/tools/list_changed`). */
  onToolsChanged?: () => void;
  clientVersion?: string;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_CALL_TIMEOUT_MS = 600_000;
const DEFAULT_STDERR_LIMIT = 16_000;
/** Enough of stderr to say why a server died ("module not found", a stack's first lines). */
const STDERR_TAIL = 600;
/** A server that pages forever must not hang the catalog. */
const MAX_PAGES = 50;

export class McpConnection {
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closing = false;
  /** Aborted by close(): a connect in progress ends at once instead of at its timeout. */
  private readonly closed = new AbortController();
  private stderrSent = 0;
  private stderrTail = '';
  private stderrPartial = '';

  constructor(
    readonly config: McpServerConfig,
    private readonly options: McpConnectionOptions = {},
  ) {}

  get connected(): boolean {
    return this.client !== undefined && !this.closing;
  }

  /** Connects once; later calls share the first attempt. Rejects with a message fit to show the user. */
  connect(signal?: AbortSignal): Promise<void> {
    this.connecting ??= this.open(signal);
    return this.connecting;
  }

  private async open(signal: AbortSignal | undefined): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const transport = this.createTransport();
    const client = new Client({ name: 'rill', version: this.options.clientVersion ?? '0.0.0' }, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.options.onToolsChanged?.());
    client.onclose = () => {
      if (this.client === client && !this.closing) {
        this.client = undefined;
        this.options.onClose?.();
      }
    };
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`it did not answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const onAbort = () => abort.abort(new Error('cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    this.closed.signal.addEventListener('abort', onAbort, { once: true });
    try {
      // The SDK's own timeout covers the handshake; the race also covers a transport that never settles.
      await Promise.race([client.connect(transport, { signal: abort.signal, timeout: timeoutMs }), rejectOnAbort(abort.signal)]);
      if (this.closing) throw new Error('closed while connecting');
      this.client = client;
    } catch (error) {
      await client.close().catch(() => undefined);
      const reason = abort.signal.aborted ? String((abort.signal.reason as Error | undefined)?.message ?? 'cancelled') : startError(error, this.config);
      throw new Error(this.withStderr(reason));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.closed.signal.removeEventListener('abort', onAbort);
    }
  }

  private createTransport(): Transport {
    const config = this.config;
    if (config.kind === 'http') {
      return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
    }
    const transport = new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: config.env,
      ...(config.cwd ? { cwd: config.cwd } : {}),
      // Piped, not inherited: a server's stderr belongs in Rill's log, not the extension host's.
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer | string) => this.takeStderr(chunk.toString()));
    return transport;
  }

  private takeStderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
    const lines = (this.stderrPartial + text).split(/\r?\n/);
    this.stderrPartial = (lines.pop() ?? '').slice(-STDERR_TAIL);
    const limit = this.options.stderrLimit ?? DEFAULT_STDERR_LIMIT;
    for (const line of lines) {
      if (line === '' || this.stderrSent > limit) continue;
      this.stderrSent += line.length;
      this.options.onStderr?.(this.stderrSent > limit ? `${line.slice(0, 200)} … (further stderr left out of the log)` : line);
    }
  }

  private withStderr(reason: string): string {
    const tail = this.stderrTail.trim();
    return tail ? `${reason}. Its stderr ended with: ${tail.split(/\r?\n/).slice(-5).join(' | ')}` : reason;
  }

  /** Every tool, following `nextCursor`. Tools that can only run as MCP tasks are left out: Rill calls tools directly. */
  async listTools(signal?: AbortSignal): Promise<McpTool[]> {
    const client = this.requireClient();
    const tools: McpTool[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await client.listTools(cursor === undefined ? {} : { cursor }, signal ? { signal } : undefined);
      for (const tool of result.tools) {
        if (tool.execution?.taskSupport === 'required') continue;
        tools.push({
          name: tool.name,
          description: tool.description ?? tool.title ?? tool.annotations?.title ?? '',
          // Some providers reject an object schema without `properties`; MCP allows leaving it out.
          inputSchema: { ...(tool.inputSchema as JsonSchema), type: 'object', properties: tool.inputSchema.properties ?? {} },
          readOnly: tool.annotations?.readOnlyHint === true,
        });
      }
      cursor = result.nextCursor;
      if (cursor === undefined || seen.has(cursor)) break;
      seen.add(cursor);
    }
    return tools;
  }

  /**
   * Calls a tool. Aborting `signal` rejects at once, and the SDK tells the server with
   * `notifications/cancelled`. A server's own failure (`isError`, a protocol error) is a tool error
   * result the model can read, not an exception.
   */
  async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    signal.throwIfAborted();
    const client = this.client;
    if (!client || this.closing) return { status: 'error', message: `The MCP server "${this.config.name}" is not connected.` };
    try {
      const result = await client.callTool({ name, arguments: args }, undefined, {
        signal,
        timeout: this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
        // Asking for progress lets a long tool keep itself alive by reporting it.
        onprogress: () => undefined,
        resetTimeoutOnProgress: true,
      });
      return mcpResultToToolResult(result);
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      return { status: 'error', message: `The MCP server "${this.config.name}" failed: ${messageOf(error)}` };
    }
  }

  /** Ends the session and, for stdio, the process (the SDK ends it gracefully, then forcibly). */
  async close(): Promise<void> {
    this.closing = true;
    this.closed.abort();
    const client = this.client;
    this.client = undefined;
    await this.connecting?.catch(() => undefined);
    await (client ?? undefined)?.close().catch(() => undefined);
  }

  private requireClient(): Client {
    if (!this.client || this.closing) throw new Error(`The MCP server "${this.config.name}" is not connected.`);
    return this.client;
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

/** "spawn foo ENOENT" says little to a user; name the setting's command instead. */
function startError(error: unknown, config: McpServerConfig): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (config.kind === 'stdio' && code === 'ENOENT') {
    // No shell is used (arguments stay exactly as written), so Windows does not add `.cmd` by itself.
    const windows = process.platform === 'win32' && !/\.(exe|cmd|bat)$/i.test(config.command) ? `; on Windows try "${config.command}.cmd"` : '';
    return `could not start "${config.command}": no such program (is it installed and on PATH${config.cwd ? ', or is "cwd" right' : ''}?${windows})`;
  }
  if (config.kind === 'stdio' && code === 'EACCES') return `could not start "${config.command}": permission denied`;
  if (config.kind === 'http') return `could not connect to ${config.url}: ${messageOf(error)}`;
  return messageOf(error);
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^MCP error -?\d+: /, '');
}
