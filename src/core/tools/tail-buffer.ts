/**
 * Keeps the end of a stream of text within a fixed size: a command's output can be gigabytes (a
 * `cat` of a log, a runaway loop), while the model is only ever shown its end.
 */
export class TailBuffer {
  private chunks: string[] = [];
  private size = 0;
  /** Characters dropped from the start so far. */
  dropped = 0;

  constructor(private readonly maxChars: number) {}

  push(chunk: string): void {
    if (chunk === '') return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > this.maxChars * 2) this.compact();
  }

  /** The kept text: at most `maxChars`, starting at a line break when one is near, so no line is cut in the middle. */
  text(): string {
    this.compact();
    return this.chunks.join('');
  }

  private compact(): void {
    let text = this.chunks.join('');
    if (text.length > this.maxChars) {
      let cut = text.length - this.maxChars;
      const newline = text.indexOf('\n', cut);
      if (newline >= 0 && newline - cut < 1000) cut = newline + 1;
      this.dropped += cut;
      text = text.slice(cut);
    }
    this.chunks = [text];
    this.size = text.length;
  }
}
