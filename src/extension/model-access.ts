import * as vscode from 'vscode';
import OpenAI from 'openai';
import { resolveConnection, type Connection } from '../core/connection';
import type { ChatClient } from '../core/chat-stream';
import type { ChatEnvironment } from '../protocol/messages';
import { startLlmServer, type LlmServer } from '../local-llm';
import { readProviderSettings, secretKeyFor } from './settings';

export const DEMO_MODEL = 'rill-demo';

export type Access =
  | { ok: true; client: ChatClient; model: string; environment: ChatEnvironment }
  | { ok: false; problem: string; environment: ChatEnvironment };

/**
 * Builds the `openai` client for the current settings and key. When nothing is configured it
 * starts Rill's own local server (bound to 127.0.0.1) as an offline demo model, once, and talks to
 * it through the same SDK path as a real provider.
 */
export class ModelAccess implements vscode.Disposable {
  private demoServer?: Promise<LlmServer>;

  constructor(private readonly secrets: vscode.SecretStorage) {}

  async connection(): Promise<Connection> {
    const settings = readProviderSettings();
    const stored = await this.secrets.get(secretKeyFor(settings.provider));
    return resolveConnection(settings, { stored, environment: process.env.OPENAI_API_KEY });
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
        return { ok: true, environment, model: DEMO_MODEL, client: new OpenAI({ baseURL: server.url, apiKey: 'demo' }) };
      }
      case 'remote':
        return {
          ok: true,
          environment,
          model: connection.model,
          client: new OpenAI({ baseURL: connection.baseURL, apiKey: connection.apiKey }),
        };
      case 'unconfigured':
        return {
          ok: false,
          environment,
          problem:
            connection.problem === 'needs-base-url'
              ? vscode.l10n.t('Set the server address in the setting rill.baseUrl to use the provider "{0}".', connection.provider)
              : vscode.l10n.t('No API key is set for "{0}". Run "Rill: Set API Key" or set OPENAI_API_KEY.', connection.provider),
        };
    }
  }

  dispose(): void {
    void this.demoServer?.then((server) => server.close());
  }
}

function describe(connection: Connection): ChatEnvironment {
  if (connection.mode === 'demo') {
    return { demo: true, providerLabel: vscode.l10n.t('Demo model (offline)'), model: DEMO_MODEL };
  }
  const model = connection.mode === 'remote' ? connection.model : readProviderSettings().model;
  return { demo: false, providerLabel: connection.provider, model };
}
