// Rows 26-28 of the catalogue, read as bytes: each provider's shape exactly, without a server.
import { strict as assert } from 'node:assert';
import {
  CORTEX_CHUNK_ID,
  GROQ_CHUNK_ID,
  GROQ_REQUEST_ID,
  GROQ_TEXT,
  MISTRAL_ANSWER,
  MISTRAL_CHUNK_ID,
  MISTRAL_REASONING,
  NO_FINISH_TEXT,
  scenarios,
  scriptBodyText,
  type Script,
} from '../../../src/local-llm';

/** The `data:` payloads of a body that uses `\n\n` between events. */
function payloads(script: Script): string[] {
  return scriptBodyText(script)
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => {
      assert.ok(event.startsWith('data: '), event);
      return event.slice('data: '.length);
    });
}

type Loose = Record<string, unknown> & { choices: Array<Record<string, unknown> & { delta?: Record<string, unknown> }> };
const chunks = (script: Script): Loose[] => payloads(script).slice(0, -1).map((p) => JSON.parse(p) as Loose);

describe('local-llm: provider shapes of rows 26-28', () => {
  it("row 26 (Mistral): Mistral's keys and ids, array and string contents mixed, finish and usage on the last content chunk", () => {
    const script = scenarios.mistralContentParts();
    const data = payloads(script);
    assert.equal(data[data.length - 1], '[DONE]');
    assert.equal(
      data[0],
      `{"id":"${MISTRAL_CHUNK_ID}","object":"chat.completion.chunk","created":1759752000,"model":"magistral-small-2509","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}`,
    );
    assert.match(MISTRAL_CHUNK_ID, /^[0-9a-f]{32}$/, 'a bare 32-digit hex id, no chatcmpl- prefix');
    // The switch from reasoning to answer, exactly as Magistral sends it.
    assert.ok(
      data.includes(
        `{"id":"${MISTRAL_CHUNK_ID}","object":"chat.completion.chunk","created":1759752000,"model":"magistral-small-2509","choices":[{"index":0,"delta":{"content":[{"type":"thinking","thinking":[{"type":"text","text":" so 340 + 51 = 391."}]},{"type":"text","text":"3"}]},"finish_reason":null}]}`,
      ),
    );
    const all = chunks(script);
    const contents = all.slice(1).map((c) => c.choices[0]?.delta?.['content']);
    assert.deepEqual(contents.map((c) => (Array.isArray(c) ? 'array' : typeof c)), ['array', 'array', 'array', 'string', 'string', 'string', 'string', 'string', 'string']);
    for (const c of all) {
      assert.deepEqual(Object.keys(c).slice(0, 5), ['id', 'object', 'created', 'model', 'choices']);
      assert.equal('logprobs' in (c.choices[0] ?? {}), false, 'Mistral sends no logprobs');
      assert.equal('system_fingerprint' in c, false);
    }
    const last = all[all.length - 1];
    assert.equal(last?.choices[0]?.['finish_reason'], 'stop');
    assert.equal(last?.choices[0]?.delta?.['content'], '.', 'the last content chunk carries the finish');
    assert.equal(JSON.stringify(last?.['usage']), '{"prompt_tokens":21,"total_tokens":68,"completion_tokens":47}');
    assert.equal(all.filter((c) => 'usage' in c).length, 1, 'usage only on the last chunk');
    // What the row means: the pieces add up to the reasoning and the answer.
    const text = contents.map((c) => (typeof c === 'string' ? c : (c as Array<{ type: string; text?: string }>).filter((p) => p.type === 'text').map((p) => p.text).join(''))).join('');
    assert.equal(text, MISTRAL_ANSWER);
    const thinking = contents
      .filter(Array.isArray)
      .flatMap((c) => (c as Array<{ type: string; thinking?: Array<{ text: string }> }>).filter((p) => p.type === 'thinking').flatMap((p) => p.thinking ?? []))
      .map((t) => t.text)
      .join('');
    assert.equal(thinking, MISTRAL_REASONING);
  });

  it('row 27 (Cortex): no finish_reason key anywhere, no object or index, usage in a choice-less chunk, then [DONE]', () => {
    const script = scenarios.doneWithoutFinishReason();
    const body = scriptBodyText(script);
    assert.equal(body.includes('finish_reason'), false);
    assert.ok(body.endsWith('data: [DONE]\n\n'));
    const all = chunks(script);
    for (const c of all) {
      assert.deepEqual(Object.keys(c).slice(0, 3), ['id', 'created', 'model']);
      assert.equal(c['id'], CORTEX_CHUNK_ID);
      assert.equal('object' in c, false);
    }
    const content = all.slice(0, -1).map((c) => {
      assert.deepEqual(Object.keys(c.choices[0] ?? {}), ['delta'], 'a choice is only its delta');
      return c.choices[0]?.delta?.['content'];
    });
    assert.equal(content.join(''), NO_FINISH_TEXT);
    assert.equal(
      payloads(script).at(-2),
      `{"id":"${CORTEX_CHUNK_ID}","created":1760000000,"model":"llama3.1-70b","choices":[],"usage":{"prompt_tokens":34,"completion_tokens":16,"total_tokens":50}}`,
    );
  });

  it('row 27 framings: data:[DONE], \\r\\n, no blank line at the end, one byte per write', () => {
    assert.ok(scriptBodyText(scenarios.doneWithoutFinishReason({ noSpaceAfterData: true })).endsWith('data:[DONE]\n\n'));
    assert.ok(scriptBodyText(scenarios.doneWithoutFinishReason({ lineEnding: '\r\n' })).endsWith('data: [DONE]\r\n\r\n'));
    assert.ok(scriptBodyText(scenarios.doneWithoutFinishReason({ noTrailingBlankLine: true })).endsWith('}\n\ndata: [DONE]\n'));
    const split = scenarios.doneWithoutFinishReason({ bytesPerWrite: 1 });
    assert.ok(split.steps.every((s) => s.type !== 'write' || s.bytesPerWrite === 1));
    assert.equal(scenarios.doneWithoutFinishReason({ after: 'hold' }).steps.at(-1)?.type, 'hold');
    assert.ok(!scriptBodyText(scenarios.doneWithoutFinishReason({ omitDone: true })).includes('[DONE]'));
  });

  it('row 28 (Groq): x_groq.id on the first chunk, x_groq.usage among the timings on the finish chunk, no top-level usage', () => {
    const script = scenarios.groqUsage();
    const data = payloads(script);
    assert.equal(data.at(-1), '[DONE]');
    assert.equal(
      data[0],
      `{"id":"${GROQ_CHUNK_ID}","object":"chat.completion.chunk","created":1760100000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_6507bcfb6f","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"${GROQ_REQUEST_ID}"}}`,
    );
    assert.equal(
      data.at(-2),
      `{"id":"${GROQ_CHUNK_ID}","object":"chat.completion.chunk","created":1760100000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_6507bcfb6f","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"x_groq":{"id":"${GROQ_REQUEST_ID}","usage":{"queue_time":0.021843,"prompt_tokens":45,"prompt_time":0.002915,"completion_tokens":8,"completion_time":0.048,"total_tokens":53,"total_time":0.050915}}}`,
    );
    const all = chunks(script);
    assert.equal(all.some((c) => 'usage' in c), false, 'no top-level usage on any chunk');
    assert.deepEqual(all.map((c) => 'x_groq' in c), all.map((_, i) => i === 0 || i === all.length - 1), 'x_groq only on the first and the last');
    assert.equal(all.slice(1, -1).map((c) => c.choices[0]?.delta?.['content']).join(''), GROQ_TEXT);
    assert.match(GROQ_CHUNK_ID, /^chatcmpl-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
