// The builders are pure: these tests read the exact bytes they would put on the wire, no server.
import { strict as assert } from 'node:assert';
import {
  chatStream,
  demoReplyText,
  demoScript,
  errorResponse,
  scenarioRows,
  scenarios,
  scriptBodyText,
  type Script,
} from '../../../src/local-llm';

/** Splits an SSE body the way the spec does: any of \r\n, \r, \n ends a line; a blank line ends an event. */
function parseSse(body: string): Array<{ event?: string; data?: string; comment?: boolean }> {
  const lines = body.split(/\r\n|\r|\n/);
  const events: Array<{ event?: string; data?: string; comment?: boolean }> = [];
  let current: { event?: string; data?: string; comment?: boolean } = {};
  let open = false;
  for (const line of lines) {
    if (line === '') {
      if (open) events.push(current);
      current = {};
      open = false;
      continue;
    }
    open = true;
    if (line.startsWith(':')) current.comment = true;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (name === 'data') current.data = value;
    if (name === 'event') current.event = value;
  }
  if (open) events.push(current);
  return events;
}

function dataPayloads(script: Script): unknown[] {
  return parseSse(scriptBodyText(script))
    .filter((e) => e.data !== undefined && e.data !== '[DONE]')
    .map((e) => JSON.parse(e.data ?? '') as unknown);
}

type Chunk = {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{ index: number; delta?: Record<string, unknown>; logprobs?: unknown; finish_reason: string | null }>;
  usage?: unknown;
};

describe('local-llm builders', () => {
  it('chatStream produces OpenAI chunk JSON: role delta first, delta {} with finish, usage chunk, [DONE]', () => {
    const script = chatStream({ text: 'abcdefgh', chunkSize: 3, usage: true, id: 'chatcmpl-x', created: 42, model: 'm' });
    assert.equal(script.status, 200);
    assert.equal(script.headers?.['content-type'], 'text/event-stream; charset=utf-8');
    const body = scriptBodyText(script);
    assert.ok(body.startsWith('data: {"id":"chatcmpl-x","object":"chat.completion.chunk","created":42,"model":"m",'));
    assert.ok(body.endsWith('\n\ndata: [DONE]\n\n'));

    const chunks = dataPayloads(script) as Chunk[];
    assert.deepEqual(
      chunks.map((c) => c.choices[0]?.delta ?? null),
      [{ role: 'assistant', content: '', refusal: null }, { content: 'abc' }, { content: 'def' }, { content: 'gh' }, {}, null],
    );
    for (const chunk of chunks) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.id, 'chatcmpl-x');
      assert.equal(chunk.created, 42);
      assert.equal(chunk.model, 'm');
    }
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last?.choices, []);
    assert.deepEqual(last?.usage, { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 });
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null), 'earlier chunks carry usage: null');
    assert.equal(chunks[4]?.choices[0]?.finish_reason, 'stop');
    assert.ok(chunks.slice(0, 4).every((c) => c.choices[0]?.logprobs === null && c.choices[0]?.finish_reason === null));
  });

  it('without usage the key is absent and there is no choices:[] chunk', () => {
    const chunks = dataPayloads(chatStream({ text: 'hi' })) as Chunk[];
    assert.ok(chunks.every((c) => !('usage' in c) && c.choices.length === 1));
  });

  it('mixed line endings use \\n, \\r\\n and lone \\r, never "\\r" + "\\n" that would merge two terminators', () => {
    const body = scriptBodyText(scenarios.mixedLineEndings());
    assert.ok(body.includes('\r\n'));
    assert.ok(/\r[^\n]/.test(body), 'a lone \\r');
    assert.ok(/[^\r]\n/.test(body), 'a lone \\n');
    assert.ok(body.includes('data:{'), 'data: without space');
    assert.ok(body.includes('data: {'), 'and with a space');
    // Same events as the plain stream, once the framing is parsed.
    const plain = scriptBodyText(scenarios.normal());
    assert.deepEqual(parseSse(body), parseSse(plain));
  });

  it('keep-alive comments sit before and between events and change nothing else', () => {
    const body = scriptBodyText(scenarios.keepAlive());
    const events = parseSse(body);
    assert.ok(events[0]?.comment, 'first event is a comment');
    assert.equal(events.filter((e) => e.comment).length, events.filter((e) => !e.comment).length);
    assert.deepEqual(
      events.filter((e) => !e.comment),
      parseSse(scriptBodyText(scenarios.normal())),
    );
  });

  it('noTrailingBlankLine ends the body with one terminator after the finish chunk, no [DONE]', () => {
    const body = scriptBodyText(scenarios.noTrailingBlankLine());
    assert.ok(!body.includes('[DONE]'));
    assert.ok(body.endsWith('"finish_reason":"stop"}]}\n'));
  });

  it('tool calls are fragmented by index: id/type/name first, then argument pieces', () => {
    const chunks = dataPayloads(scenarios.toolCalls()) as Chunk[];
    type Call = { index: number; id?: string; type?: string; function?: { name?: string; arguments?: string } };
    const fragments = chunks.flatMap((c) => (c.choices[0]?.delta?.['tool_calls'] as Call[] | undefined) ?? []);
    const first = fragments.filter((f) => f.id !== undefined);
    assert.deepEqual(
      first.map((f) => [f.index, f.id, f.type, f.function?.name, f.function?.arguments]),
      [
        [0, 'call_weather_1', 'function', 'get_weather', ''],
        [1, 'call_time_2', 'function', 'get_time', ''],
      ],
    );
    const args = (index: number): string =>
      fragments
        .filter((f) => f.index === index)
        .map((f) => f.function?.arguments ?? '')
        .join('');
    assert.deepEqual(JSON.parse(args(0)), { location: 'Paris', unit: 'celsius' });
    assert.deepEqual(JSON.parse(args(1)), { timezone: 'Europe/Paris' });
    assert.ok(fragments.filter((f) => f.index === 0).length > 2, 'arguments arrive in several pieces');
    assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === 'tool_calls'));
  });

  it('Azure: empty-choices prompt filter event first, an annotation choice without delta after finish', () => {
    const chunks = dataPayloads(scenarios.azureFilters()) as Array<Chunk & Record<string, unknown>>;
    const first = chunks[0];
    assert.deepEqual(first?.choices, []);
    assert.equal(first?.id, '');
    assert.equal(first?.created, 0);
    assert.ok(Array.isArray(first?.['prompt_filter_results']));
    assert.ok(chunks.every((c) => c.usage === null), 'every Azure chunk has usage: null');
    const finishAt = chunks.findIndex((c) => c.choices[0]?.finish_reason === 'stop');
    const annotation = chunks.findIndex((c) => c.choices[0] !== undefined && !('delta' in c.choices[0]));
    assert.ok(finishAt > 0 && annotation > finishAt);
  });

  it('errorResponse: OpenAI error shape with exact content-length; html option sends the page', () => {
    const script = errorResponse(401, { message: 'bad key', code: 'invalid_api_key' });
    const body = scriptBodyText(script);
    assert.deepEqual(JSON.parse(body), {
      error: { message: 'bad key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    });
    assert.equal(script.headers?.['content-length'], String(Buffer.byteLength(body)));
    const html = scenarios.html503();
    assert.equal(html.status, 503);
    assert.equal(html.headers?.['content-type'], 'text/html');
    assert.ok(scriptBodyText(html).includes('<title>503 Service Temporarily Unavailable</title>'));
  });

  it('byteByByte writes every byte separately', () => {
    const script = scenarios.byteByByte('日本');
    const writes = script.steps.filter((s) => s.type === 'write');
    assert.ok(writes.length > 0 && writes.every((s) => s.type === 'write' && s.bytesPerWrite === 1));
  });

  it('every scenario is JSON data (survives a JSON round trip) and names a catalogue row', () => {
    const rows = new Set<number>();
    for (const name of Object.keys(scenarios) as Array<keyof typeof scenarios>) {
      const made: Script | Script[] = name === 'byteByByte' ? scenarios.byteByByte() : scenarios[name]();
      for (const script of Array.isArray(made) ? made : [made]) {
        assert.deepEqual(JSON.parse(JSON.stringify(script)), script, name);
        assert.ok(script.steps.length > 0, name);
      }
      const row = scenarioRows[name];
      assert.ok(Number.isInteger(row) && row >= 1 && row <= 28, name);
      rows.add(row);
    }
    // Row 22 (connection refused) needs no server script.
    const expected = Array.from({ length: 28 }, (_, i) => i + 1).filter((row) => row !== 22);
    assert.deepEqual([...rows].sort((a, b) => a - b), expected);
  });

  it('the demo reply says it is the offline demo model, quotes the user, has a list and a code block', () => {
    const body = { messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'What is\n  Rill?' }] };
    const text = demoReplyText(body);
    assert.match(text, /offline demo model, not a real LLM/);
    assert.ok(text.includes('> What is Rill?'), 'quotes the last user message on one line');
    assert.match(text, /^- /m);
    assert.match(text, /```ts\n[\s\S]+\n```/);
    assert.equal(demoReplyText(body), text, 'deterministic');
    const long = demoReplyText({ messages: [{ role: 'user', content: 'x'.repeat(500) }] });
    assert.ok(long.includes(`> ${'x'.repeat(80)}…`), 'long messages are cut');
    assert.equal(demoScript(body).headers?.['content-type'], 'application/json', 'non-streaming by default');
  });
});
