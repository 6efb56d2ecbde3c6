import { StreamCapture } from '../../core/recording';

/** What the file's header says about an answer's request, known once the provider is resolved. */
export interface RecordingMeta {
  provider?: string;
  model?: string;
  /** The API key and header values: redacted when the recording is written. */
  secrets: readonly string[];
}

/** One answer's response bytes as they arrive (`capture`), and what the file needs beside them. */
export class AnswerRecording {
  readonly capture = new StreamCapture();
  readonly startedAt = new Date();
  meta: RecordingMeta = { secrets: [] };
}

/** At most this many answers' bytes are kept, and at most this many bytes over all of them. */
const MAX_ANSWERS = 8;
const MAX_BYTES = 32 * 1024 * 1024;

/**
 * The latest answers' recordings of this window, in memory only (a recording can be large and
 * holds what the provider sent; it is written to disk only when the user saves it). Bounded:
 * the oldest answers are dropped first, and each answer's capture stops keeping bytes at its own
 * cap (8 MiB) with a note in the file.
 */
export class RecentRecordings {
  private readonly entries: { sessionId: string; messageId: string; recording: AnswerRecording }[] = [];

  track(sessionId: string, messageId: string, recording: AnswerRecording): void {
    // A continued answer records again under the same message: the newest request replaces it.
    const existing = this.entries.findIndex((e) => e.sessionId === sessionId && e.messageId === messageId);
    if (existing >= 0) this.entries.splice(existing, 1);
    this.entries.push({ sessionId, messageId, recording });
    let bytes = this.entries.reduce((sum, e) => sum + e.recording.capture.keptBytes, 0);
    while (this.entries.length > MAX_ANSWERS || (bytes > MAX_BYTES && this.entries.length > 1)) {
      bytes -= this.entries.shift()!.recording.capture.keptBytes;
    }
  }

  /** The recording of answer `messageId` in session `sessionId`, if it is still kept. */
  get(sessionId: string, messageId: string): AnswerRecording | undefined {
    return this.entries.find((e) => e.sessionId === sessionId && e.messageId === messageId)?.recording;
  }
}

/** One per extension host: answers register here as they start. */
export const recentRecordings = new RecentRecordings();
