import { strict as assert } from 'node:assert';
import {
  captureFetch,
  formatRecording,
  parseRecording,
  recordingFromCapture,
  StreamCapture,
  type CapturedExchange,
} from '../../../../src/core/recording';

const KEY = 'sk-proj-RILLtestKEY0123456789abcdef';
const enc = (text: string) => new TextEncoder().encode(text);

/** A fake transport: the given response chunks, then the given ending. */
function fakeFetch(chunks: Uint8Array[], ending: 'close' | 'error' = 'close', headers: Record<string, string> = {}) {
  return async (): Promise<Response> => {
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++]!);
        else if (ending === 'error') controller.error(new TypeError('terminated'));
        else controller.close();
      },
    });
    return new Response(body, { status: 200, statusText: 'OK', headers: { 'content-type': 'text/event-stream', ...headers } });
  };
}

async function drain(response: Response): Promise<Uint8Array[]> {
  const got: Uint8Array[] = [];
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return got;
    got.push(value);
  }
}

describe('stream recording file', () => {
  // Two events, one cut in the middle of a 3-byte character (not valid UTF-8 alone: base64 in the file).
  const sse = enc('data: {"a":"こんにちは"}\n\ndata: [DONE]\n\n');
  const cutAt = 16; // inside "こ"
  const chunks = [sse.subarray(0, cutAt), sse.subarray(cutAt, 30), sse.subarray(30)];

  it('round trip: the bytes, offsets, times, status and headers read back exactly', async () => {
    let clock = 100;
    const capture = new StreamCapture({ now: () => clock });
    const fetch = captureFetch(async () => {
      clock += 20;
      return fakeFetch(chunks)();
    }, capture);
    const response = await fetch('http://127.0.0.1:1/v1/chat/completions', { method: 'POST', body: '{"model":"m"}', headers: { 'content-type': 'application/json' } });
    const seen = await drain(response);
    assert.deepEqual(seen.map((c) => c.byteLength), chunks.map((c) => c.byteLength), 'the client sees the same chunking');

    const recording = recordingFromCapture(capture.exchanges, { savedAt: new Date(0), provider: 'openai-compatible', model: 'm' });
    const text = formatRecording(recording);
    assert.ok(text.split('\n').some((line) => line.includes('"base64"')), 'a chunk that is not valid UTF-8 alone is stored as base64');
    const back = parseRecording(text);
    assert.deepEqual(back, recording);
    const ex = back.exchanges[0]!;
    assert.deepEqual(ex.chunks.map((c) => c.offset), [0, cutAt, 30]);
    assert.deepEqual(ex.chunks.map((c) => [...c.bytes]), chunks.map((c) => [...c]));
    assert.equal(ex.response?.status, 200);
    assert.equal(ex.response?.at, 20);
    assert.equal(ex.response?.headers['content-type'], 'text/event-stream');
    assert.equal(ex.request.body, '{"model":"m"}');
    assert.deepEqual(ex.end, { at: 20, how: 'end', bytes: sse.byteLength });
    // Event boundaries: two events, the first ending in the third chunk.
    const first = enc('data: {"a":"こんにちは"}\n\n').byteLength;
    assert.deepEqual(ex.events.map((e) => [e.offset, e.length]), [[0, first], [first, sse.byteLength - first]]);
    // And the text written again is the same file.
    assert.equal(formatRecording(back), text);
  });

  it('marks SSE event boundaries for \\n, \\r\\n and lone \\r', () => {
    const body = enc('data: a\r\n\r\ndata: b\r\rdata: c\n\n');
    const capture = new StreamCapture();
    const ex = capture.begin({ method: 'POST', url: 'http://x/', headers: {} });
    ex.response(200, 'OK', { 'content-type': 'text/event-stream' });
    ex.chunk(body);
    ex.end('end');
    const events = recordingFromCapture(capture.exchanges).exchanges[0]!.events;
    assert.deepEqual(events.map((e) => new TextDecoder().decode(body.subarray(e.offset, e.offset + e.length))), ['data: a\r\n\r\n', 'data: b\r\r', 'data: c\n\n']);
  });

  it('records how the body ended: a connection error, and a client that stops reading', async () => {
    const failing = new StreamCapture();
    await drain(await captureFetch(fakeFetch(chunks, 'error'), failing)('http://x/')).catch(() => undefined);
    assert.equal(failing.exchanges[0]!.end?.how, 'error');
    assert.match(failing.exchanges[0]!.end?.error ?? '', /terminated/);

    const stopped = new StreamCapture();
    const response = await captureFetch(fakeFetch(chunks), stopped)('http://x/');
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    assert.equal(stopped.exchanges[0]!.end?.how, 'cancel');
    assert.equal(recordingFromCapture(stopped.exchanges).exchanges[0]!.chunks.length, 1);
  });

  it('keeps at most maxBytes in memory and says where it cut', async () => {
    const capture = new StreamCapture({ maxBytes: 20 });
    await drain(await captureFetch(fakeFetch(chunks), capture)('http://x/'));
    const ex = capture.exchanges[0]!;
    assert.equal(ex.truncated, true);
    assert.equal(capture.keptBytes, cutAt);
    assert.equal(ex.totalBytes, sse.byteLength);
    const recording = recordingFromCapture(capture.exchanges);
    assert.match(recording.note ?? '', new RegExp(`first ${cutAt} of ${sse.byteLength} bytes`));
    assert.equal(parseRecording(formatRecording(recording)).exchanges[0]!.end?.truncated, true);
  });

  it('refuses a file that is not a recording, or from a newer format', () => {
    assert.throws(() => parseRecording('{"hello":1}\n'), /no header line/);
    assert.throws(() => parseRecording('{"t":"recording","format":"rill-stream-recording","v":2}\n'), /newer/);
    assert.throws(
      () => parseRecording('{"t":"recording","format":"rill-stream-recording","v":1}\n{"t":"request","n":0}\n{"t":"chunk","n":0,"offset":5,"at":0,"text":"x"}\n'),
      /expected 0/,
    );
  });
});

describe('stream recording: redaction', () => {
  const answer = 'data: {"choices":[{"delta":{"content":"Use sk-example-notakey in docs; Bearer tokens too."}}]}\n\n';

  function captured(body: string): CapturedExchange[] {
    const capture = new StreamCapture();
    const ex = capture.begin({
      method: 'POST',
      url: `https://user:pw@example.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21&api-key=${KEY}`,
      headers: { authorization: `Bearer ${KEY}`, 'api-key': KEY, cookie: 'session=abc123456789', 'x-team': `team ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `my key is ${KEY}` }] }),
    });
    ex.response(200, 'OK', { 'content-type': 'text/event-stream', 'set-cookie': 'sid=secretsession', 'x-request-id': 'req_1' });
    const bytes = enc(body);
    ex.chunk(bytes.subarray(0, 10));
    ex.chunk(bytes.subarray(10));
    ex.end('end');
    return capture.exchanges;
  }

  it('no API key, Authorization header or cookie survives, and the body text is exact', () => {
    const file = formatRecording(recordingFromCapture(captured(answer), { secrets: [KEY] }));
    assert.ok(!file.includes(KEY), 'the key appears nowhere in the file');
    assert.ok(!file.includes('abc123456789') && !file.includes('secretsession') && !file.includes(':pw@'));
    const ex = parseRecording(file).exchanges[0]!;
    assert.equal(ex.request.headers.authorization, '[redacted]');
    assert.equal(ex.request.headers['api-key'], '[redacted]');
    assert.equal(ex.request.headers.cookie, '[redacted]');
    assert.equal(ex.request.headers['x-team'], 'team [redacted]');
    assert.equal(ex.request.headers['content-type'], 'application/json');
    assert.equal(ex.response?.headers['set-cookie'], '[redacted]');
    assert.equal(ex.response?.headers['x-request-id'], 'req_1');
    assert.match(ex.request.url, /api-version=2024-10-21/);
    assert.match(ex.request.url, /api-key=(\[redacted\]|%5Bredacted%5D)/);
    assert.match(ex.request.body ?? '', /my key is \[redacted\]/);
    // The response body is the provider's, byte for byte: credential-shaped text in an answer stays.
    const body = new TextDecoder().decode(Buffer.concat(ex.chunks.map((c) => c.bytes)));
    assert.equal(body, answer);
  });

  it('a stored key echoed in the body is masked with as many bytes, so offsets and chunking stay', () => {
    const echoed = `data: {"error":{"message":"bad key ${KEY}"}}\n\n`;
    const recording = parseRecording(formatRecording(recordingFromCapture(captured(echoed), { secrets: [KEY] })));
    const ex = recording.exchanges[0]!;
    const body = new TextDecoder().decode(Buffer.concat(ex.chunks.map((c) => c.bytes)));
    assert.equal(body, echoed.replace(KEY, '*'.repeat(KEY.length)));
    assert.deepEqual(ex.chunks.map((c) => c.offset), [0, 10]);
    assert.match(recording.note ?? '', /1 stored secret/);
  });
});
