import * as vscode from 'vscode';
import type { ProviderKind, ProviderSettings } from '../core/providers/connection';
import { DEFAULT_SYSTEM_PROMPT } from '../core/prompts';

const PROVIDERS: readonly ProviderKind[] = ['openai', 'azure', 'openai-compatible'];

export function readProviderSettings(): ProviderSettings {
  const config = vscode.workspace.getConfiguration('rill');
  const inspected = config.inspect<string>('provider');
  const explicit =
    inspected?.globalValue !== undefined || inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  const raw = config.get<string>('provider', 'openai');
  const headers = config.get<Record<string, unknown>>('extraHeaders', {});
  return {
    provider: PROVIDERS.includes(raw as ProviderKind) ? (raw as ProviderKind) : 'openai',
    providerExplicit: explicit,
    baseUrl: config.get<string>('baseUrl', ''),
    model: config.get<string>('model', 'gpt-4o-mini'),
    azure: {
      endpoint: config.get<string>('azure.endpoint', ''),
      deployment: config.get<string>('azure.deployment', ''),
      apiVersion: config.get<string>('azure.apiVersion', ''),
    },
    extraHeaders: Object.fromEntries(Object.entries(headers ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string')),
  };
}

/** How each request is shaped and guarded. */
export interface RequestSettings {
  systemPrompt: string;
  maxTurns: number;
  /** 0: from the model table. */
  contextTokens: number;
  temperature: number | undefined;
  maxTokens: number | undefined;
  idleTimeoutMs: number;
  maxRetries: number;
}

export function readRequestSettings(): RequestSettings {
  const config = vscode.workspace.getConfiguration('rill');
  const number = (key: string): number | undefined => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
  return {
    systemPrompt: config.get<string>('systemPrompt', DEFAULT_SYSTEM_PROMPT).trim() || DEFAULT_SYSTEM_PROMPT,
    maxTurns: Math.max(1, number('history.maxTurns') ?? 50),
    contextTokens: Math.max(0, number('contextTokens') ?? 0),
    temperature: number('temperature'),
    maxTokens: number('maxTokens'),
    idleTimeoutMs: Math.max(1, number('request.idleTimeoutSeconds') ?? 60) * 1000,
    maxRetries: Math.max(0, Math.min(10, number('request.maxRetries') ?? 2)),
  };
}

/** The SecretStorage key holding the API key of one provider. */
export function secretKeyFor(provider: ProviderKind): string {
  return `rill.apiKey.${provider}`;
}
