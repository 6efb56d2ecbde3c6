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
