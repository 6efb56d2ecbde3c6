import { redactStream } from '../../core/redact';
import type { AgentEvent } from '../../protocol/agent-messages';

export interface OutputSink {
  /** Redacted answer text, in order. */
  text(text: string): void;
  reasoning(text: string): void;
  /** An agent event, after all the text that came before it. */
  event(event: AgentEvent): void;
  /** Called after each flush: the transcript changed. */
  flushed(): void;
}

/**
 * What a streaming answer sends to its views, coalesced: deltas that arrive in one I/O turn go out
 * together, a tool call's argument fragments are merged into one event per flush, and the order
 * the model produced them in is kept (text before a call is posted before the call's step).
 * A server that echoes the key (or a header value) never gets it shown or saved: text is passed
 * through `redactStream`, which holds back what could be the start of a secret.
 */
export class LiveOutput {
  private text = '';
  private reasoning = '';
  private events: AgentEvent[] = [];
  private timer?: NodeJS.Immediate;

  constructor(
    private readonly secrets: readonly string[],
    private readonly sink: OutputSink,
  ) {}

  addText(text: string): void {
    if (this.events.length > 0) this.flush(false);
    this.text += text;
    this.schedule();
  }

  addReasoning(text: string): void {
    this.reasoning += text;
    this.schedule();
  }

  addEvent(event: AgentEvent): void {
    // The round's text is complete before a step starts or changes state: nothing is held back.
    if (this.text || this.reasoning) this.flushText(true);
    const last = this.events[this.events.length - 1];
    if (event.kind === 'stepArguments' && last?.kind === 'stepArguments' && last.id === event.id) {
      this.events[this.events.length - 1] = { ...last, delta: last.delta + event.delta };
    } else {
      this.events.push(event);
    }
    this.schedule();
  }

  /** Posts what is pending; `final` also releases text held back by the redaction. */
  flush(final: boolean): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    this.flushText(final);
    const events = this.events;
    this.events = [];
    for (const event of events) this.sink.event(event);
    this.sink.flushed();
  }

  dispose(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
  }

  private flushText(final: boolean): void {
    if (this.reasoning) {
      const { emit, hold } = redactStream(this.reasoning, this.secrets, final);
      this.reasoning = hold;
      if (emit) this.sink.reasoning(emit);
    }
    if (this.text) {
      const { emit, hold } = redactStream(this.text, this.secrets, final);
      this.text = hold;
      if (emit) this.sink.text(emit);
    }
  }

  private schedule(): void {
    this.timer ??= setImmediate(() => this.flush(false));
  }
}
