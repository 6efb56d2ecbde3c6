// Record and replay (issue 15): capture an answer's response bytes as they arrive, and write or
// read them as Rill's stream recording file (recording-file.ts documents the format).
export { captureFetch, StreamCapture, DEFAULT_CAPTURE_BYTES } from './capture';
export type { CapturedExchange, ExchangeRecorder, StreamCaptureOptions } from './capture';
export { formatRecording, parseRecording, recordingFromCapture, sseEvents, RECORDING_FORMAT, RECORDING_VERSION } from './recording-file';
export type { EndHow, RecordingChunk, RecordingExchange, StreamRecording } from './recording-file';
export { maskSecrets, redactHeaders, redactUrl, REDACTED } from './redact-exchange';
