// Replay of a Rill stream recording (src/core/recording): each recorded HTTP exchange becomes a
// Script that sends the same status, headers and body bytes in the same network chunks, at the
// recorded times (divided by `speed`). Queue the scripts in order (`server.enqueue(...scripts)`)
// and a client sees the provider's stream again, retries included.
import { parseRecording, type RecordingExchange, type StreamRecording } from '../core/recording';
import type { Script, Step } from './script';

export interface ReplayOptions {
  /** 2 plays twice as fast, 0.5 half as fast; Infinity sends everything without pauses. Default 1. */
  speed?: number;
}

/**
 * Headers that describe the original connection or its encoding rather than the body the client
 * received: the recorded bytes are already decoded (fetch undoes gzip) and the server frames them
 * itself.
 */
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding', 'date']);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** One Script per recorded exchange, in order. Accepts the file's text or a parsed recording. */
export function replayScripts(recording: StreamRecording | string, options: ReplayOptions = {}): Script[] {
  const parsed = typeof recording === 'string' ? parseRecording(recording) : recording;
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error(`--speed must be a positive number, got ${speed}`);
  return parsed.exchanges.map((exchange, n) => exchangeScript(exchange, n, speed));
}

function exchangeScript(exchange: RecordingExchange, n: number, speed: number): Script {
  const name = `replay #${n}`;
  const wait = (ms: number): Step => ({ type: 'sleep', ms: Number.isFinite(speed) ? Math.max(0, ms) / speed : 0 });
  const { response, end } = exchange;
  if (!response) {
    // Headers never came: the server stalled (hold), or the connection failed before them.
    return { name, status: 200, steps: end?.how === 'error' ? [wait(end.at), { type: 'destroy' }] : [{ type: 'hold' }] };
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(response.headers)) if (!HOP_HEADERS.has(key.toLowerCase())) headers[key] = value;
  const steps: Step[] = [wait(response.at), { type: 'headers' }];
  let last = response.at;
  for (const chunk of exchange.chunks) {
    // Always a sleep step, even of 0 ms: it yields to the event loop, so each chunk leaves as its
    // own write and a client on loopback reads it on its own, as it was received.
    steps.push(wait(chunk.at - last));
    last = chunk.at;
    steps.push(textOf(chunk.bytes));
  }
  if (end) steps.push(wait(end.at - last));
  // A cancelled read (Stop, idle timeout, a client leaving at [DONE]) means the server had not
  // closed: hold the socket open, as it did. A failed body ends the connection abruptly.
  steps.push(end?.how === 'error' ? { type: 'destroy' } : end?.how === 'cancel' ? { type: 'hold' } : { type: 'end' });
  return { name, status: response.status, headers, steps };
}

function textOf(bytes: Uint8Array): Step {
  try {
    return { type: 'write', text: utf8.decode(bytes) };
  } catch {
    return { type: 'writeBase64', base64: Buffer.from(bytes).toString('base64') };
  }
}
