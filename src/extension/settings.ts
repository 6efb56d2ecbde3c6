import * as vscode from 'vscode';
import type { ProviderKind, ProviderSettings } from '../core/connection';

const PROVIDERS: readonly ProviderKind[] = ['openai', 'azure', 'openai-compatible'];

export function readProviderSettings(): ProviderSettings {
  const config = vscode.workspace.getConfiguration('rill');
  const inspected = config.inspect<string>('provider');
  const explicit =
    inspected?.globalValue !== undefined ||
    inspected?.workspaceValue !== undefined ||
    inspected?.workspaceFolderValue !== undefined;
  const raw = config.get<string>('provider', 'openai');
  return {
    provider: PROVIDERS.includes(raw as ProviderKind) ? (raw as ProviderKind) : 'openai',
    providerExplicit: explicit,
    baseUrl: config.get<string>('baseUrl', ''),
    model: config.get<string>('model', 'gpt-4o-mini'),
  };
}

/** The SecretStorage key holding the API key of one provider. */
export function secretKeyFor(provider: ProviderKind): string {
  return `rill.apiKey.${provider}`;
}
