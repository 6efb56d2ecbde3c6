import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { Problem, ProblemKind } from './events';
import { isRetryableStatus, retryAfterFromHeaders } from './retry-policy';

const MAX_DETAIL_CHARS = 500;

/**
 * Sorts whatever the SDK or the network threw into a `Problem`. Thrown before the first chunk
 * (HTTP status errors, connection failures) or mid-stream (error events, a dropped socket):
 * `midStream` says which, since a failure after text has arrived is never retried.
 */
export function classifyError(error: unknown, midStream: boolean): Problem {
  if (error instanceof APIConnectionTimeoutError) {
    return problem('idle-timeout', { retryable: !midStream });
  }
  if (error instanceof APIConnectionError) {
    return problem(midStream ? 'connection-lost' : 'connection', { retryable: !midStream, actions: ['retry', 'openSettings'], detail: causeOf(error) });
  }
  if (error instanceof APIError) return classifyApiError(error, midStream);
  // undici reports a socket that closed mid-body as `TypeError: terminated`.
  if (error instanceof TypeError && /terminated|socket|ECONNRESET|other side closed/i.test(`${error.message} ${causeOf(error) ?? ''}`)) {
    return problem('connection-lost', { actions: ['retry'], detail: causeOf(error) ?? error.message });
  }
  return problem('unexpected', { actions: ['retry'], detail: error instanceof Error ? error.message : String(error) });
}

function classifyApiError(error: APIError, midStream: boolean): Problem {
  const status = error.status;
  const code = error.code === undefined || error.code === null ? '' : String(error.code);
  const detail = plainText(serverMessage(error));
  const base = { status, detail, requestId: error.requestID ?? undefined };
  if (status === undefined) {
    // An error event inside the stream (OpenAI, OpenRouter, vLLM): the partial answer stays.
    return problem('stream-error', { ...base, actions: ['retry'] });
  }
  const shouldRetry = error.headers?.get('x-should-retry') ?? null;
  const retryable = !midStream && isRetryableStatus(status, shouldRetry);
  const retryAfterMs = retryAfterFromHeaders(error.headers);
  const text = `${code} ${error.type ?? ''} ${detail}`;
  let kind: ProblemKind;
  let actions: Problem['actions'] = [];
  if (status === 401) {
    kind = 'auth';
    actions = ['setApiKey'];
  } else if (status === 403) {
    kind = 'permission';
    actions = ['setApiKey', 'openSettings'];
  } else if (status === 404) {
    const aboutModel = /model/i.test(text);
    kind = aboutModel ? 'model-not-found' : 'not-found';
    actions = aboutModel ? ['selectModel'] : ['openSettings'];
  } else if (status === 402 || code === 'insufficient_quota' || error.type === 'insufficient_quota') {
    // Quota is a 429 too, but waiting does not bring credit back: never retried.
    return problem('quota', { ...base, retryable: false, actions: ['openSettings'] });
  } else if (status === 429) {
    kind = 'rate-limit';
    actions = ['retry'];
  } else if (status === 400 && (code === 'context_length_exceeded' || /context length|context window|maximum context|too many tokens|prompt is too long/i.test(detail))) {
    kind = 'context-too-long';
    actions = ['trimAndRetry'];
  } else if (status === 400 && code === 'content_filter') {
    kind = 'prompt-filtered';
  } else if (status >= 500) {
    kind = 'server';
    actions = ['retry'];
  } else {
    kind = 'bad-request';
    actions = ['openSettings'];
  }
  return problem(kind, { ...base, retryable, retryAfterMs, actions });
}

function problem(kind: ProblemKind, fields: Partial<Problem>): Problem {
  const out: Problem = { kind, actions: fields.actions ?? [], retryable: fields.retryable ?? false };
  if (fields.detail) out.detail = fields.detail;
  if (fields.status !== undefined) out.status = fields.status;
  if (fields.requestId) out.requestId = fields.requestId;
  if (fields.retryAfterMs !== undefined) out.retryAfterMs = fields.retryAfterMs;
  return out;
}

/** The server's message: from its JSON error object, else the SDK's message (raw body text). */
function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message) return body.message;
  // The SDK prefixes the status ("503 <html>..."): drop it, the status is reported apart.
  return error.message.replace(/^\d{3}\s*/, '');
}

/** The innermost cause: undici wraps `ECONNREFUSED` in `fetch failed` in the SDK's own error. */
function causeOf(error: Error): string | undefined {
  let found: string | undefined;
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    found = typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
    cause = (cause as { cause?: unknown }).cause;
  }
  return found;
}

/**
 * Error bodies may be whole HTML pages from a proxy or gateway. The user sees them as text (the
 * webview never renders them as markup); this only makes them readable: the page's title and text.
 */
export function plainText(body: string): string {
  let text = body;
  if (/<(?:!doctype|html|body|head|title|h1|div|p)\b/i.test(text)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1]?.trim();
    text = text
      .replace(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    if (title && !text.includes(title)) text = `${title} ${text}`;
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}
