import { redact } from '../redact';

/** Headers whose value is a credential or a session whatever its shape: always replaced. */
const SECRET_HEADER = /^(?:authorization|proxy-authorization|api-key|x-api-key|cookie|set-cookie|x-goog-api-key|ocp-apim-subscription-key)$|(?:key|token|secret|auth|password|session|cookie|signature)/i;
/** Query parameters that carry credentials (Azure's `api-version` is kept). */
const SECRET_PARAM = /key|token|secret|auth|sig|password|code/i;

export const REDACTED = '[redacted]';

/** Header values safe to share: credential headers replaced, known secrets removed from the rest. */
export function redactHeaders(headers: Record<string, string> | undefined, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name] = SECRET_HEADER.test(name) ? REDACTED : redact(value, secrets);
  }
  return out;
}

/** A URL without user info or credential-like query values; anything shaped like a key is redacted too. */
export function redactUrl(url: string, secrets: readonly string[]): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAM.test(name)) parsed.searchParams.set(name, REDACTED);
    }
    return redact(parsed.href, secrets);
  } catch {
    return redact(url, secrets);
  }
}

/**
 * Masks every occurrence of a known secret in the response bytes with the same number of `*`
 * bytes, in place on a copy. Same length on purpose: offsets, chunk boundaries and SSE framing
 * stay exactly as received, so the replay is still the provider's stream. Only exact stored
 * values are masked (a server echoing the key); credential-shaped text in an answer is the
 * answer's and is kept. Returns how many occurrences were masked.
 */
export function maskSecrets(body: Uint8Array, secrets: readonly string[]): number {
  let masked = 0;
  const encoder = new TextEncoder();
  // A single-byte decoding maps byte i to character i, so the string's native search finds byte offsets.
  const view = byteString(body);
  for (const secret of secrets) {
    if (!secret || secret.length < 8) continue;
    const bytes = encoder.encode(secret);
    const needle = byteString(bytes);
    for (let at = view.indexOf(needle); at >= 0; at = view.indexOf(needle, at + bytes.length)) {
      body.fill(0x2a, at, at + bytes.length);
      masked++;
    }
  }
  return masked;
}

/**
 * One character per byte (latin1): offsets in it are byte offsets. Node's Buffer rather than a
 * TextDecoder: recordings are written on the host, and for 6 MB it takes ~1 ms where the web
 * decoder's windows-1252 takes ~80.
 */
export function byteString(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
