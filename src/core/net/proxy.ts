import { isLoopbackUrl } from '../providers/connection';

export interface ProxySettings {
  /** VS Code's `http.proxy` setting; wins over the environment. */
  httpProxy: string;
  env: Record<string, string | undefined>;
}

/**
 * The proxy a request to `target` should go through, or `undefined` for a direct connection.
 * Follows the usual conventions: `http.proxy`, else `HTTPS_PROXY` / `HTTP_PROXY` (either case) by
 * the target's scheme; `NO_PROXY` lists hosts, `.domain` suffixes, `host:port` or `*`. A server on
 * this machine is always reached directly: a corporate proxy cannot reach your Ollama.
 */
export function proxyFor(target: string, { httpProxy, env }: ProxySettings): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  if (isLoopbackUrl(target)) return undefined;
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
  if (bypassed(url, noProxy)) return undefined;
  const fromEnv =
    url.protocol === 'https:'
      ? env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy
      : env.HTTP_PROXY ?? env.http_proxy;
  const proxy = httpProxy.trim() || fromEnv?.trim();
  return proxy || undefined;
}

function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      const rule = entry.toLowerCase();
      if (rule === '*') return true;
      const [ruleHost = '', rulePort] = rule.split(':');
      if (rulePort && rulePort !== port) return false;
      const bare = ruleHost.replace(/^\*?\./, '');
      return host === bare || host.endsWith(`.${bare}`);
    });
}
