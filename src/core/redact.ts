/** Shapes of credentials that must never reach a log, the webview or a saved file. */
const CREDENTIAL_PATTERNS: RegExp[] = [
  /\b(sk-[A-Za-z0-9_-]{8,})/g, // OpenAI, OpenRouter (sk-or-…), DeepSeek
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /((?:api-key|x-api-key|authorization)["']?\s*[:=]\s*["']?)[^\s"',;]{8,}/gi,
];

/**
 * Replaces every known secret (the stored keys, extra header values) and anything shaped like a
 * credential with `[redacted]`. Applied to everything Rill logs or shows that came from outside.
 */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values (a header like `1`) would blank out ordinary text; keys are long.
    if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of CREDENTIAL_PATTERNS) {
    out = out.replace(pattern, (match, prefix: string) => (prefix && match.startsWith(prefix) && prefix !== match ? `${prefix}[redacted]` : '[redacted]'));
  }
  return out;
}

/**
 * Redacts known secrets from streamed text. A secret may arrive split across chunks, so unless
 * the stream is over, a tail that could be the start of a secret is held back (`hold`) and
 * prepended to the next text. Only exact values are replaced: code in answers stays intact.
 */
export function redactStream(text: string, secrets: readonly string[], final: boolean): { emit: string; hold: string } {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  if (final) return { emit: out, hold: '' };
  let hold = 0;
  for (const secret of secrets) {
    for (let k = Math.min(secret.length - 1, out.length); k > hold; k--) {
      if (out.endsWith(secret.slice(0, k))) {
        hold = k;
        break;
      }
    }
  }
  return { emit: out.slice(0, out.length - hold), hold: out.slice(out.length - hold) };
}
