import { TraceRecorder, type RequestTrace } from '../../src/core/trace/trace';

/**
 * A recorded 20,000-chunk request on a fake clock: headers after 300 ms, chunks of 1-12
 * characters about 2 ms apart with a stall every 2,000 chunks, a webview post every 8 chunks.
 */
export function longTrace(chunks = 20_000): RequestTrace {
  let t = 0;
  const recorder = new TraceRecorder({ now: () => t, timeOrigin: 0, messageId: 'bench' });
  recorder.userSent(0);
  t = 4;
  recorder.hostReceived();
  recorder.requestBuilt({ messageCount: 3, promptTokens: 400, model: 'gpt-4o-mini', provider: 'openai' });
  t = 6;
  recorder.httpRequest({ method: 'POST', url: 'https://api.openai.com/v1/chat/completions' });
  t = 300;
  recorder.responseHeaders({ status: 200, attempt: 1 });
  t = 380;
  recorder.firstChunk();
  for (let i = 0; i < chunks; i++) {
    t += i % 2_000 === 1_999 ? 400 : 1 + ((i * 7) % 3);
    recorder.chunk('text', 1 + ((i * 13) % 12));
    if (i % 8 === 7) recorder.postedBatch(40);
    if (i === 0) recorder.webviewPainted('first', t + 8);
  }
  recorder.finished({ state: 'done', finishReason: 'stop', textLength: chunks * 6, toolCalls: [], attempts: 1 });
  t += 10;
  recorder.webviewPainted('last', t);
  return recorder.trace();
}
