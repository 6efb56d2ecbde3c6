/**
 * Decides where requests go from the user's settings and the key they stored.
 * Pure, so every combination is unit-tested without VS Code.
 */

export type ProviderKind = 'openai' | 'azure' | 'openai-compatible';

export interface AzureSettings {
  /** `https://<resource>.openai.azure.com`. */
  endpoint: string;
  deployment: string;
  /** A dated version (`2024-10-21`) uses the deployments API; `v1` uses Azure's OpenAI-style v1 API. */
  apiVersion: string;
}

export interface ProviderSettings {
  provider: ProviderKind;
  /** Whether the user set `rill.provider` themselves (user or workspace), rather than the default. */
  providerExplicit: boolean;
  baseUrl: string;
  model: string;
  azure: AzureSettings;
  /** Sent with every request (gateways, OpenRouter's `HTTP-Referer`); values never logged. */
  extraHeaders: Record<string, string>;
}

export interface ApiKeys {
  /** From VS Code's SecretStorage (`rill.setApiKey`), for the selected provider. */
  stored?: string;
  /** From the environment: `OPENAI_API_KEY`, or `AZURE_OPENAI_API_KEY` for Azure. */
  environment?: string;
}

/** How to build the `openai` client. */
export type ClientSpec =
  | { type: 'openai'; baseURL: string | undefined; apiKey: string; headers: Record<string, string> }
  | { type: 'azure'; endpoint: string; deployment: string; apiVersion: string; apiKey: string; headers: Record<string, string> };

export type SetupProblem = 'needs-key' | 'needs-base-url' | 'needs-azure-endpoint' | 'needs-azure-deployment';

export type Connection =
  | { mode: 'demo' }
  | {
      mode: 'remote';
      provider: ProviderKind;
      spec: ClientSpec;
      model: string;
      /** Where requests go, for messages and logs (never holds a key). */
      url: string;
      /** On this machine: a local server (Ollama, LM Studio, llama.cpp) is expected there. */
      local: boolean;
    }
  | { mode: 'unconfigured'; provider: ProviderKind; problem: SetupProblem };

/** Sent to servers that ignore keys (local ones); the SDK refuses to build a client without one. */
export const NO_KEY = 'not-needed';
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export function resolveConnection(settings: ProviderSettings, keys: ApiKeys): Connection {
  const baseUrl = trimSlash(settings.baseUrl.trim());
  const endpoint = trimSlash(settings.azure.endpoint.trim());
  const apiKey = keys.stored || keys.environment || '';
  const { provider, model, extraHeaders: headers } = settings;
  // Nothing configured at all: answer from the offline demo model instead of failing, so a new
  // user sees Rill work before setting anything up. The UI says plainly that it is the demo.
  if (!settings.providerExplicit && !baseUrl && !apiKey) return { mode: 'demo' };

  const unconfigured = (problem: SetupProblem): Connection => ({ mode: 'unconfigured', provider, problem });
  const keyFor = (url: string): string | undefined => apiKey || (isLoopbackUrl(url) ? NO_KEY : undefined);

  if (provider === 'azure') {
    const deployment = settings.azure.deployment.trim();
    const v1 = settings.azure.apiVersion.trim().toLowerCase() === 'v1';
    // Azure's v1 API speaks OpenAI's protocol: the plain client, the deployment as the model.
    const url = endpoint ? (v1 ? `${endpoint}/openai/v1` : endpoint) : baseUrl;
    if (!url) return unconfigured('needs-azure-endpoint');
    const key = keyFor(url);
    if (!key) return unconfigured('needs-key');
    if (endpoint && !v1) {
      if (!deployment) return unconfigured('needs-azure-deployment');
      const apiVersion = settings.azure.apiVersion.trim() || DEFAULT_AZURE_API_VERSION;
      return remote({ type: 'azure', endpoint, deployment, apiVersion, apiKey: key, headers }, deployment, `${endpoint}/openai/deployments/${deployment}`);
    }
    return remote({ type: 'openai', baseURL: url, apiKey: key, headers }, deployment || model, url);
  }

  if (provider === 'openai-compatible' && !baseUrl) return unconfigured('needs-base-url');
  const url = baseUrl || OPENAI_BASE_URL;
  const key = keyFor(url);
  if (!key) return unconfigured('needs-key');
  return remote({ type: 'openai', baseURL: baseUrl || undefined, apiKey: key, headers }, model, url);

  function remote(spec: ClientSpec, modelId: string, displayUrl: string): Connection {
    return { mode: 'remote', provider, spec, model: modelId, url: displayUrl, local: isLoopbackUrl(displayUrl) };
  }
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

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
