import type { Fetch } from '../stream/byte-watch';
import type { TraceRecorder } from './trace';

/**
 * Wraps the transport so that the recorder sees each HTTP request the SDK makes (one per
 * attempt: method, host and path, never the query or credentials) and counts the response's
 * body bytes. Give it to the engine as `Endpoint.fetch`; the engine wraps it in turn.
 */
export function tracedFetch(fetchImpl: Fetch, recorder: Pick<TraceRecorder, 'httpRequest' | 'bodyBytes'>, sdkCall?: string): Fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (typeof input === 'object' && !(input instanceof URL) ? input.method : 'GET');
    recorder.httpRequest({ method, url, sdkCall });
    const response = await fetchImpl(input, init);
    if (!response.body) return response;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          recorder.bodyBytes(chunk.byteLength);
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
