import { redact } from '../redact';

/** How much of a name from outside (a model, a host, a request id, a tool) a trace keeps. */
export const NAME_CHARS = 120;
/** How much of an error's own words a trace keeps. */
export const DETAIL_CHARS = 300;
/** How much of a tool's error or denial a trace keeps: enough to tell what went wrong. */
export const STEP_ERROR_CHARS = 200;

/** Cuts text to `max` code points, marking the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/** Milliseconds at 0.1 ms, the resolution of every time in a trace. */
export function round1(x: number): number {
  const r = Math.round(x * 10) / 10;
  return r === 0 ? 0 : r; // no -0 in JSON or labels
}

/**
 * Host and path of a request URL, with nothing secret: no scheme, user info, query, fragment,
 * and anything in the path that looks like a key (or equals one of `secrets`) redacted.
 */
export function safeUrl(url: string, secrets: readonly string[] = []): { host: string; path: string } {
  let host = '';
  let path: string;
  try {
    const parsed = new URL(url);
    host = parsed.host;
    path = parsed.pathname;
  } catch {
    // A relative or malformed URL: cut at the query or fragment, drop any `scheme://user@host`.
    path = url.split(/[?#]/, 1)[0] ?? '';
    const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)/i.exec(path);
    if (authority) {
      host = (authority[1] ?? '').replace(/^.*@/, '');
      path = path.slice(authority[0].length) || '/';
    }
  }
  return { host: clip(host.replace(/^.*@/, ''), NAME_CHARS), path: clip(redact(path, secrets), 200) };
}
