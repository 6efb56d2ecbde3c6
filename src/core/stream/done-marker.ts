/**
 * Bytes kept from the end of a response body: room for `data: [DONE]`, its line ends and a
 * couple of keep-alive comments after it.
 */
const TAIL_BYTES = 64;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DATA = [...'data:'].map((c) => c.charCodeAt(0));
const DONE = [...'[DONE]'].map((c) => c.charCodeAt(0));

/**
 * Remembers the last few bytes of a response body, to tell afterwards whether the stream ended
 * with OpenAI's `data: [DONE]` line. The SDK reads `[DONE]` and stops, but does not tell its
 * caller, and some gateways (Snowflake Cortex among them) end a complete answer with usage and
 * `[DONE]` yet never send a `finish_reason`: without this, such an answer cannot be told apart
 * from a connection that was cut.
 *
 * This is not an SSE parser: the SDK parses the stream. `push` runs on every block of body
 * bytes, so it only copies at most `TAIL_BYTES` into a buffer allocated once; the bytes are
 * looked at once, by `endedWithDone`, after the stream is over. A `[DONE]` split across
 * network chunks (even one byte per chunk) is whole in the tail.
 */
export class BodyTail {
  private readonly bytes = new Uint8Array(TAIL_BYTES);
  private length = 0;
  /** Whether every byte of the body so far is in `bytes` (the first line starts at 0). */
  private whole = true;
  /** The byte just before `bytes[0]` once bytes were dropped: a line end there starts a line at 0. */
  private before = 0;

  push(chunk: Uint8Array): void {
    const n = chunk.byteLength;
    if (n === 0) return;
    if (n >= TAIL_BYTES) {
      if (n > TAIL_BYTES || this.length > 0) {
        this.whole = false;
        this.before = (n > TAIL_BYTES ? chunk[n - TAIL_BYTES - 1] : this.bytes[this.length - 1]) ?? 0;
      }
      this.bytes.set(n === TAIL_BYTES ? chunk : chunk.subarray(n - TAIL_BYTES));
      this.length = TAIL_BYTES;
      return;
    }
    const keep = Math.min(this.length, TAIL_BYTES - n);
    if (keep < this.length) {
      this.before = this.bytes[this.length - keep - 1] ?? 0;
      this.bytes.copyWithin(0, this.length - keep, this.length);
      this.whole = false;
    }
    this.bytes.set(chunk, keep);
    this.length = keep + n;
  }

  /**
   * Whether the last line of the body, after blank lines and `:` comments, is `data: [DONE]`
   * (or `data:[DONE]`: the SDK takes both, and nothing else). Any line ending counts (`\n`,
   * `\r\n`, a lone `\r`), and so does no line ending at all after the last line.
   */
  endedWithDone(): boolean {
    const b = this.bytes;
    let end = this.length;
    for (;;) {
      while (end > 0 && (b[end - 1] === LF || b[end - 1] === CR)) end--;
      if (end === 0) return false;
      let start = end;
      while (start > 0 && b[start - 1] !== LF && b[start - 1] !== CR) start--;
      // A line at 0 may have begun before the bytes kept (then it is not `data: [DONE]`).
      if (start === 0 && !this.whole && this.before !== LF && this.before !== CR) return false;
      if (b[start] !== COLON) return isDoneLine(b, start, end);
      end = start; // a comment (`: keep-alive`) after `[DONE]`: look at the line before it
    }
  }
}

function isDoneLine(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  for (const code of DATA) if (b[i++] !== code) return false;
  if (b[i] === SPACE) i++;
  for (const code of DONE) if (b[i++] !== code) return false;
  return i === end;
}
