/**
 * The `rill.mcp.servers` setting, checked. The value comes from the user's settings.json, where
 * anything can be typed: every entry is checked on its own, so one typo costs that server, never
 * the others and never the extension.
 */

/** A server Rill starts itself and talks to over stdin/stdout. */
export interface McpStdioServer {
  kind: 'stdio';
  /** The key in `rill.mcp.servers`. */
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Absolute; absent: the extension host's own working directory. */
  cwd?: string;
}

/** A server reached over MCP's Streamable HTTP transport. */
export interface McpHttpServer {
  kind: 'http';
  name: string;
  url: string;
  headers: Record<string, string>;
}

export type McpServerConfig = McpStdioServer | McpHttpServer;

/** Why one entry (or the whole value, `server: undefined`) was left out. */
export interface McpConfigProblem {
  server: string | undefined;
  message: string;
}

export interface McpServers {
  /** In the setting's order, which is also the order their tools are offered in. */
  servers: McpServerConfig[];
  problems: McpConfigProblem[];
}

/** The keys an entry may have; others are reported, since a misspelt `args` would otherwise be silently dropped. */
const STDIO_KEYS = new Set(['command', 'args', 'env', 'cwd', 'type']);
const HTTP_KEYS = new Set(['url', 'headers', 'type']);

/** POSIX `/…`, Windows `C:\…` or `C:/…`, UNC `\\server\…`. */
const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;

export function parseMcpServers(value: unknown): McpServers {
  const servers: McpServerConfig[] = [];
  const problems: McpConfigProblem[] = [];
  if (value === undefined || value === null) return { servers, problems };
  if (!isRecord(value)) {
    problems.push({ server: undefined, message: 'rill.mcp.servers must be an object mapping server names to their settings.' });
    return { servers, problems };
  }
  for (const [name, entry] of Object.entries(value)) {
    const parsed = parseEntry(name, entry);
    if (typeof parsed === 'string') problems.push({ server: name, message: parsed });
    else servers.push(parsed);
  }
  return { servers, problems };
}

/** A server's settings or why they are unusable. */
function parseEntry(name: string, entry: unknown): McpServerConfig | string {
  if (name.trim() === '') return 'the server name is empty.';
  if (!isRecord(entry)) return 'its settings must be an object with "command" or "url".';
  const hasCommand = entry.command !== undefined;
  const hasUrl = entry.url !== undefined;
  if (hasCommand && hasUrl) return 'it has both "command" and "url"; give one.';
  if (!hasCommand && !hasUrl) return 'it has neither "command" (a program to start) nor "url" (a Streamable HTTP endpoint).';
  const type = entry.type;
  if (type !== undefined && type !== (hasCommand ? 'stdio' : 'http')) {
    return `"type": ${JSON.stringify(type)} is not supported here; use "command" for stdio servers and "url" for Streamable HTTP ones.`;
  }
  const unknown = Object.keys(entry).filter((key) => !(hasCommand ? STDIO_KEYS : HTTP_KEYS).has(key));
  if (unknown.length > 0) return `unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.map((k) => `"${k}"`).join(', ')}.`;
  return hasCommand ? parseStdio(name, entry) : parseHttp(name, entry);
}

function parseStdio(name: string, entry: Record<string, unknown>): McpStdioServer | string {
  const { command, args, env, cwd } = entry;
  if (typeof command !== 'string' || command.trim() === '') return '"command" must be a non-empty string.';
  if (args !== undefined && !(Array.isArray(args) && args.every((a) => typeof a === 'string'))) return '"args" must be an array of strings.';
  if (env !== undefined && !isStringRecord(env)) return '"env" must be an object whose values are strings.';
  // The setting's own example shows `"cwd": ""`, so empty means "not given".
  if (cwd !== undefined && cwd !== '' && (typeof cwd !== 'string' || !ABSOLUTE_PATH.test(cwd))) return '"cwd" must be an absolute path.';
  const server: McpStdioServer = { kind: 'stdio', name, command, args: [...((args as string[] | undefined) ?? [])], env: { ...((env as Record<string, string> | undefined) ?? {}) } };
  if (typeof cwd === 'string' && cwd !== '') server.cwd = cwd;
  return server;
}

function parseHttp(name: string, entry: Record<string, unknown>): McpHttpServer | string {
  const { url, headers } = entry;
  if (typeof url !== 'string') return '"url" must be a string.';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"url" is not a valid URL: ${url}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `"url" must start with http:// or https:// (got ${parsed.protocol}).`;
  if (headers !== undefined && !isStringRecord(headers)) return '"headers" must be an object whose values are strings.';
  return { kind: 'http', name, url, headers: { ...((headers as Record<string, string> | undefined) ?? {}) } };
}

/**
 * Values that must not reach the log: header values (tokens) and environment values (API keys are
 * usually passed that way). The log redacts them wherever they appear, even in a server's stderr.
 */
export function mcpSecrets(server: McpServerConfig): string[] {
  return Object.values(server.kind === 'http' ? server.headers : server.env);
}

/** Equal for equal settings: a server whose settings did not change keeps its connection. */
export function mcpServerKey(server: McpServerConfig): string {
  return server.kind === 'http'
    ? JSON.stringify(['http', server.name, server.url, sortedEntries(server.headers)])
    : JSON.stringify(['stdio', server.name, server.command, server.args, sortedEntries(server.env), server.cwd ?? null]);
}

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}
