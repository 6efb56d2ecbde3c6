/**
 * Decides where requests go from the user's settings and the key they stored.
 * Pure, so every combination is unit-tested without VS Code.
 */

export type ProviderKind = 'openai' | 'azure' | 'openai-compatible';

export interface ProviderSettings {
  provider: ProviderKind;
  /** Whether the user set `rill.provider` themselves (user or workspace), rather than the default. */
  providerExplicit: boolean;
  baseUrl: string;
  model: string;
}

export interface ApiKeys {
  /** From VS Code's SecretStorage (`rill.setApiKey`). */
  stored?: string;
  /** `OPENAI_API_KEY` from the environment, the documented fallback. */
  environment?: string;
}

export type Connection =
  | { mode: 'demo' }
  | { mode: 'remote'; provider: ProviderKind; baseURL: string | undefined; apiKey: string; model: string }
  | { mode: 'unconfigured'; provider: ProviderKind; problem: 'needs-key' | 'needs-base-url' };

/** Sent to servers that ignore keys (local ones); the SDK refuses to build a client without one. */
export const NO_KEY = 'not-needed';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export function resolveConnection(settings: ProviderSettings, keys: ApiKeys): Connection {
  const baseUrl = settings.baseUrl.trim();
  const apiKey = keys.stored || keys.environment || '';
  // Nothing configured at all: answer from the offline demo model instead of failing, so a new
  // user sees Rill work before setting anything up. The UI says plainly that it is the demo.
  if (!settings.providerExplicit && !baseUrl && !apiKey) return { mode: 'demo' };

  const { provider, model } = settings;
  if ((provider === 'openai-compatible' || provider === 'azure') && !baseUrl) {
    return { mode: 'unconfigured', provider, problem: 'needs-base-url' };
  }
  if (!apiKey && !(baseUrl && isLoopbackUrl(baseUrl))) {
    return { mode: 'unconfigured', provider, problem: 'needs-key' };
  }
  return { mode: 'remote', provider, baseURL: baseUrl || undefined, apiKey: apiKey || NO_KEY, model };
}

/** A URL whose host is this machine: local servers (Ollama, LM Studio, llama.cpp) need no key. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
