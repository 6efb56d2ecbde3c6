// Rill's stream recording file, version 1: JSON Lines (UTF-8, one JSON object per line, `\n`).
//
//   {"t":"recording","format":"rill-stream-recording","v":1,"savedAt":"2026-12-02T12:00:00.000Z",
//    "provider":"openai","model":"gpt-4o-mini","exchanges":1,"note":"..."}
// then for each HTTP exchange n (one per attempt; an agent answer makes one per round), in order:
//   {"t":"request","n":0,"method":"POST","url":"https://api.openai.com/v1/chat/completions",
//    "headers":{"authorization":"[redacted]",...},"body":"{\"model\":...}"}
//   {"t":"response","n":0,"at":231.5,"status":200,"statusText":"OK","headers":{...}}
//   {"t":"chunk","n":0,"offset":0,"at":240.1,"text":"data: {...}\n\n"}      (or "base64":"..." when
//                                                                         the chunk is not valid UTF-8)
//   {"t":"event","n":0,"offset":0,"length":123,"at":240.1}   an SSE event's bytes (blank line included),
//                                                           after the chunk that completed it
//   {"t":"end","n":0,"at":990.2,"how":"end","bytes":52311}    how the body stopped: end | error | cancel;
//                                                           "truncated":true when the bytes were cut
// `at` is milliseconds from the moment the request was handed to fetch; `offset` is the byte
// offset in the response body. Chunks are the network chunks as the client received them, their
// bytes exact: the API key, Authorization and other credential headers and query values are
// redacted, and a stored secret echoed in the body is masked with as many `*` (lengths kept).
// Readers ignore lines whose `t` they do not know; a higher `v` is refused.
import type { CapturedExchange } from './capture';
import { byteString, maskSecrets, redactHeaders, redactUrl } from './redact-exchange';
import { redact } from '../redact';

export const RECORDING_FORMAT = 'rill-stream-recording';
export const RECORDING_VERSION = 1;

export type EndHow = 'end' | 'error' | 'cancel';

export interface RecordingChunk {
  offset: number;
  at: number;
  bytes: Uint8Array;
}

export interface RecordingExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  /** Absent when no response headers ever arrived. */
  response?: { at: number; status: number; statusText?: string; headers: Record<string, string> };
  chunks: RecordingChunk[];
  /** SSE events by byte range (informational: replay uses the chunks). */
  events: { offset: number; length: number; at: number }[];
  end?: { at: number; how: EndHow; bytes: number; truncated?: boolean; error?: string };
}

export interface StreamRecording {
  v: number;
  savedAt?: string;
  provider?: string;
  model?: string;
  note?: string;
  exchanges: RecordingExchange[];
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** The recording of captured exchanges, secrets redacted (see the format above). */
export function recordingFromCapture(
  exchanges: readonly CapturedExchange[],
  meta: { savedAt?: Date; provider?: string; model?: string; secrets?: readonly string[] } = {},
): StreamRecording {
  const secrets = (meta.secrets ?? []).filter((s) => s.length >= 8);
  const notes: string[] = [];
  const out: RecordingExchange[] = exchanges.map((ex, n) => {
    const body = concat(ex.chunks, ex.keptBytes);
    const masked = maskSecrets(body, secrets);
    if (masked) notes.push(`exchange ${n}: ${masked} stored secret(s) in the response body masked with '*'`);
    if (ex.truncated) notes.push(`exchange ${n}: only the first ${ex.keptBytes} of ${ex.totalBytes} bytes were kept (memory cap)`);
    const chunks: RecordingChunk[] = ex.chunks.map((chunk, i) => {
      const offset = ex.offsets[i] as number;
      return { offset, at: round(ex.ats[i] as number), bytes: body.subarray(offset, offset + chunk.byteLength) };
    });
    const sse = /text\/event-stream/i.test(ex.responseHeaders?.['content-type'] ?? '');
    const exchange: RecordingExchange = {
      request: {
        method: ex.method,
        url: redactUrl(ex.url, secrets),
        headers: redactHeaders(ex.requestHeaders, secrets),
        ...(ex.requestBody !== undefined ? { body: redact(ex.requestBody, secrets) } : {}),
      },
      chunks,
      events: sse ? sseEvents(body, chunks) : [],
    };
    if (ex.status !== undefined) {
      exchange.response = {
        at: round(ex.headersAt ?? 0),
        status: ex.status,
        ...(ex.statusText ? { statusText: ex.statusText } : {}),
        headers: redactHeaders(ex.responseHeaders, secrets),
      };
    }
    if (ex.end) {
      exchange.end = {
        at: round(ex.end.at),
        how: ex.end.how,
        bytes: ex.totalBytes,
        ...(ex.truncated ? { truncated: true } : {}),
        ...(ex.end.error ? { error: redact(ex.end.error, secrets) } : {}),
      };
    }
    return exchange;
  });
  return {
    v: RECORDING_VERSION,
    ...(meta.savedAt ? { savedAt: meta.savedAt.toISOString() } : {}),
    ...(meta.provider ? { provider: meta.provider } : {}),
    ...(meta.model ? { model: meta.model } : {}),
    ...(notes.length ? { note: notes.join('; ') } : {}),
    exchanges: out,
  };
}

/** The file's text. */
export function formatRecording(recording: StreamRecording): string {
  const lines: unknown[] = [
    {
      t: 'recording',
      format: RECORDING_FORMAT,
      v: RECORDING_VERSION,
      ...(recording.savedAt ? { savedAt: recording.savedAt } : {}),
      ...(recording.provider ? { provider: recording.provider } : {}),
      ...(recording.model ? { model: recording.model } : {}),
      exchanges: recording.exchanges.length,
      ...(recording.note ? { note: recording.note } : {}),
    },
  ];
  recording.exchanges.forEach((ex, n) => {
    lines.push({ t: 'request', n, ...ex.request });
    if (ex.response) lines.push({ t: 'response', n, ...ex.response });
    let event = 0;
    for (const chunk of ex.chunks) {
      const text = utf8(chunk.bytes);
      lines.push({ t: 'chunk', n, offset: chunk.offset, at: chunk.at, ...(text !== undefined ? { text } : { base64: toBase64(chunk.bytes) }) });
      const chunkEnd = chunk.offset + chunk.bytes.byteLength;
      for (; event < ex.events.length; event++) {
        const e = ex.events[event]!;
        if (e.offset + e.length > chunkEnd) break;
        lines.push({ t: 'event', n, ...e });
      }
    }
    if (ex.end) lines.push({ t: 'end', n, ...ex.end });
  });
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}

/** Reads a recording file; throws with the line number when it is not one Rill can replay. */
export function parseRecording(text: string): StreamRecording {
  const lines = text.split('\n');
  let recording: StreamRecording | undefined;
  const fail = (line: number, why: string): never => {
    throw new Error(`Not a Rill stream recording (line ${line}): ${why}`);
  };
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return fail(i + 1, 'not JSON');
    }
    if (typeof line !== 'object' || line === null) return fail(i + 1, 'not an object');
    if (!recording) {
      if (line.t !== 'recording' || line.format !== RECORDING_FORMAT) return fail(i + 1, 'no header line');
      if (typeof line.v !== 'number' || line.v > RECORDING_VERSION) return fail(i + 1, `format version ${String(line.v)} is newer than this Rill reads (${RECORDING_VERSION})`);
      recording = { v: line.v, exchanges: [] };
      for (const key of ['savedAt', 'provider', 'model', 'note'] as const) if (typeof line[key] === 'string') recording[key] = line[key] as string;
      return;
    }
    const n = line.n;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return;
    if (line.t === 'request') {
      if (n !== recording.exchanges.length) return fail(i + 1, `exchange ${n} out of order`);
      recording.exchanges.push({
        request: {
          method: str(line.method, 'POST'),
          url: str(line.url, ''),
          headers: strings(line.headers),
          ...(typeof line.body === 'string' ? { body: line.body } : {}),
        },
        chunks: [],
        events: [],
      });
      return;
    }
    const ex = recording.exchanges[n] ?? fail(i + 1, `exchange ${n} has no request line`);
    switch (line.t) {
      case 'response':
        ex.response = { at: num(line.at), status: num(line.status), ...(typeof line.statusText === 'string' ? { statusText: line.statusText } : {}), headers: strings(line.headers) };
        break;
      case 'chunk': {
        const bytes = typeof line.text === 'string' ? new TextEncoder().encode(line.text) : typeof line.base64 === 'string' ? fromBase64(line.base64) : fail(i + 1, 'chunk without bytes');
        const last = ex.chunks[ex.chunks.length - 1];
        const expected = last ? last.offset + last.bytes.byteLength : 0;
        if (num(line.offset) !== expected) fail(i + 1, `chunk at offset ${String(line.offset)}, expected ${expected}`);
        ex.chunks.push({ offset: expected, at: num(line.at), bytes });
        break;
      }
      case 'event':
        ex.events.push({ offset: num(line.offset), length: num(line.length), at: num(line.at) });
        break;
      case 'end': {
        const how: EndHow = line.how === 'error' || line.how === 'cancel' ? line.how : 'end';
        ex.end = { at: num(line.at), how, bytes: num(line.bytes), ...(line.truncated === true ? { truncated: true } : {}), ...(typeof line.error === 'string' ? { error: line.error } : {}) };
        break;
      }
    }
  });
  return recording ?? fail(1, 'empty file');
}

/** Byte ranges of the SSE events in `body` (an event ends with a blank line: `\n`, `\r\n` or `\r` twice). */
export function sseEvents(body: Uint8Array, chunks: readonly RecordingChunk[]): { offset: number; length: number; at: number }[] {
  const events: { offset: number; length: number; at: number }[] = [];
  // A regular expression over a one-character-per-byte view: native speed, offsets are byte offsets.
  const blankLine = /(?:\r\n|\n|\r)(?:\r\n|\n|\r)/g;
  const view = byteString(body);
  let start = 0;
  let chunk = 0;
  for (let match = blankLine.exec(view); match; match = blankLine.exec(view)) {
    const end = match.index + match[0].length;
    while (chunk < chunks.length - 1 && chunks[chunk]!.offset + chunks[chunk]!.bytes.byteLength < end) chunk++;
    events.push({ offset: start, length: end - start, at: chunks[chunk]?.at ?? 0 });
    start = end;
  }
  return events;
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);

function strings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
