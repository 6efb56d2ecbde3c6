import { fetch as undiciFetch, ProxyAgent } from 'undici';
import type { Fetch } from '../stream/byte-watch';

/**
 * A `fetch` that goes through an HTTP(S) proxy (CONNECT tunnels), for the `openai` client.
 * Bundled apart (`dist/proxy.js`) and loaded only when a proxy applies: undici is as large as the
 * rest of the extension together.
 */
export function createProxyFetch(proxyUrl: string, strictSSL: boolean): Fetch {
  const dispatcher = new ProxyAgent({ uri: proxyUrl, requestTls: { rejectUnauthorized: strictSSL } });
  return ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1])) as unknown as Fetch;
}
