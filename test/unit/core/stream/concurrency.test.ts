import { strict as assert } from 'node:assert';
import { demoReplyText, startLlmServer, type LlmServer } from '../../../../src/local-llm';
import { runChat } from '../../../../src/core/stream/run-chat';
import { endpointFor } from './engine-harness';

describe('stream engine: several requests at once', () => {
  let server: LlmServer;

  before(async () => {
    server = await startLlmServer({ demoDelayMs: 1 });
  });
  after(() => server.close());

  it('never mixes tokens or state between concurrent requests, even when one is stopped', async () => {
    const prompts = ['first: 東京', 'second: 🌊 waves', 'third: code', 'fourth: stopped early'];
    const stop = new AbortController();
    const runs = prompts.map(async (prompt, i) => {
      let text = '';
      const outcome = await runChat(
        endpointFor(server.url),
        { model: 'rill-demo', messages: [{ role: 'user', content: prompt }] },
        {
          signal: i === 3 ? stop.signal : new AbortController().signal,
          idleTimeoutMs: 5000,
          maxRetries: 0,
          onEvent: (e) => {
            if (e.kind !== 'text') return;
            text += e.text;
            if (i === 3 && text.length > 40) stop.abort();
          },
        },
      );
      return { prompt, text, outcome };
    });
    const results = await Promise.all(runs);
    for (const { prompt, text, outcome } of results.slice(0, 3)) {
      assert.equal(outcome.state, 'done');
      assert.equal(text, demoReplyText({ model: 'rill-demo', messages: [{ role: 'user', content: prompt }] }));
    }
    const stopped = results[3];
    assert.equal(stopped?.outcome.state, 'stopped');
    const full = demoReplyText({ model: 'rill-demo', messages: [{ role: 'user', content: prompts[3] ?? '' }] });
    assert.ok(stopped && full.startsWith(stopped.text) && stopped.text.length < full.length);
  });
});
