import * as vscode from 'vscode';
import { createClient } from '../core/providers/client';
import { resolveConnection, type ClientSpec, type Connection, type SetupProblem } from '../core/providers/connection';
import type { Fetch } from '../core/stream/byte-watch';
import type { Endpoint } from '../core/stream/run-chat';
import { proxyFor } from '../core/net/proxy';
import type { ChatEnvironment } from '../protocol/messages';
import { startLlmServer, type LlmServer } from '../local-llm';
import { readProviderSettings, secretKeyFor } from './settings';

export const DEMO_MODEL = 'rill-demo';

export interface OpenEndpoint {
  ok: true;
  endpoint: Endpoint;
  model: string;
  /** Where requests go, for messages (no secrets). */
  url: string;
  local: boolean;
  provider: string;
  environment: ChatEnvironment;
  /** Values that must never be logged or shown: the key and extra header values. */
  secrets: string[];
}

export type Access = OpenEndpoint | { ok: false; problem: string; environment: ChatEnvironment; secrets: string[] };

/**
 * Builds the `openai` client for the current settings and key. When nothing is configured it
 * starts Rill's own local server (bound to 127.0.0.1) as an offline demo model, once, and talks to
 * it through the same SDK path as a real provider.
 */
export class ModelAccess implements vscode.Disposable {
  private demoServer?: Promise<LlmServer>;
  private proxyModule?: { createProxyFetch(proxyUrl: string, strictSSL: boolean): Fetch };

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly extensionPath: string,
  ) {}

  async connection(): Promise<Connection> {
    const settings = readProviderSettings();
    const stored = await this.secrets.get(secretKeyFor(settings.provider));
    const environment = settings.provider === 'azure' ? process.env.AZURE_OPENAI_API_KEY || process.env.OPENAI_API_KEY : process.env.OPENAI_API_KEY;
    return resolveConnection(settings, { stored, environment });
  }

  async environment(): Promise<ChatEnvironment> {
    return describe(await this.connection());
  }

  async open(): Promise<Access> {
    const connection = await this.connection();
    const environment = describe(connection);
    switch (connection.mode) {
      case 'demo': {
        this.demoServer ??= startLlmServer();
        const server = await this.demoServer;
        const spec: ClientSpec = { type: 'openai', baseURL: server.url, apiKey: 'demo', headers: {} };
        return { ok: true, environment, model: DEMO_MODEL, url: server.url, local: true, provider: 'demo', secrets: [], endpoint: { createClient: (fetch) => createClient(spec, fetch) } };
      }
      case 'remote': {
        const { spec } = connection;
        const secrets = [spec.apiKey, ...Object.values(spec.headers)];
        return {
          ok: true,
          environment,
          model: connection.model,
          url: connection.url,
          local: connection.local,
          provider: connection.provider,
          secrets,
          endpoint: { createClient: (fetch) => createClient(spec, fetch), fetch: this.transportFor(connection.url) },
        };
      }
      case 'unconfigured':
        return { ok: false, environment, secrets: [], problem: setupMessage(connection.problem, connection.provider) };
    }
  }

  /** A proxy-aware fetch when `http.proxy` or the proxy environment variables apply to `url`. */
  private transportFor(url: string): Fetch | undefined {
    const http = vscode.workspace.getConfiguration('http');
    const proxy = proxyFor(url, { httpProxy: http.get<string>('proxy', ''), env: process.env });
    if (!proxy) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand: see proxy-fetch.ts
    this.proxyModule ??= require(`${this.extensionPath}/dist/proxy.js`) as NonNullable<ModelAccess['proxyModule']>;
    return this.proxyModule.createProxyFetch(proxy, http.get<boolean>('proxyStrictSSL', true));
  }

  dispose(): void {
    void this.demoServer?.then((server) => server.close());
  }
}

function setupMessage(problem: SetupProblem, provider: string): string {
  switch (problem) {
    case 'needs-base-url':
      return vscode.l10n.t('Set the server address in the setting rill.baseUrl to use the provider "{0}".', provider);
    case 'needs-azure-endpoint':
      return vscode.l10n.t('Set rill.azure.endpoint (https://YOUR-RESOURCE.openai.azure.com) to use Azure OpenAI.');
    case 'needs-azure-deployment':
      return vscode.l10n.t('Set rill.azure.deployment to the name of your Azure OpenAI deployment.');
    case 'needs-key':
      return vscode.l10n.t('No API key is set for "{0}". Run "Rill: Set API Key" or set OPENAI_API_KEY.', provider);
  }
}

function describe(connection: Connection): ChatEnvironment {
  // Sent with every snapshot and at the start of every request: a changed setting applies to the next answer.
  const smoothing = vscode.workspace.getConfiguration('rill').get<boolean>('render.smoothing', false) === true;
  if (connection.mode === 'demo') {
    return { demo: true, providerLabel: vscode.l10n.t('Demo model (offline)'), model: DEMO_MODEL, smoothing };
  }
  const model = connection.mode === 'remote' ? connection.model : readProviderSettings().model;
  return { demo: false, providerLabel: connection.provider, model, smoothing };
}
