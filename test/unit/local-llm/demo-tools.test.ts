// The offline demo model in agent mode: which read-only tool it asks for, the call as the real
// `openai` SDK assembles it from the demo server's stream, its honest answer to the results, and
// the ordinary demo reply whenever tools are not offered or the prompt is not about the workspace.
import { strict as assert } from 'node:assert';
import { Marked } from 'marked';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { BUILTIN_TOOLS } from '../../../src/core/tools';
import { demoReplyText, startLlmServer, type LlmServer } from '../../../src/local-llm';
import { DEMO_CALL_PREFIX, DEMO_LOOKING, chooseCall, demoTurn } from '../../../src/local-llm/demo-tools';
import { clientFor, collect } from './helpers';

const READ_ONLY = BUILTIN_TOOLS.filter((tool) => tool.readOnly);
const TOOLS: ChatCompletionTool[] = READ_ONLY.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
const OFFERED = new Set(READ_ONLY.map((tool) => tool.name));

describe('demo model: agent mode with the read-only tools', () => {
  describe('which call a prompt gets (pure)', () => {
    const rows: Array<[string, string | null, Record<string, string> | null]> = [
      ['What files are in this workspace?', 'rill_list_files', {}],
      ['List the project files', 'rill_list_files', {}],
      ['Read README.md please.', 'rill_read_file', { path: 'README.md' }],
      ['What does src/core/agent/agent-loop.ts do?', 'rill_read_file', { path: 'src/core/agent/agent-loop.ts' }],
      ['README.mdを読んで', 'rill_read_file', { path: 'README.md' }],
      ['ワークスペースのファイルは？', 'rill_list_files', {}],
      ['search for greet in the project', 'rill_search_text', { query: 'greet' }],
      ['find "TODO: fix" in the files', 'rill_search_text', { query: 'TODO: fix' }],
      ['「greet」を検索して', 'rill_search_text', { query: 'greet' }],
      ['What is 2+2?', null, null],
      ['Write code for fizzbuzz', null, null],
      ['e.g. tell me a joke', null, null],
      ['Summarise https://example.com/a.html', null, null],
    ];
    for (const [prompt, name, args] of rows) {
      it(`${JSON.stringify(prompt)} -> ${name ?? 'no call'}`, () => {
        const call = chooseCall(prompt, OFFERED, 'id1');
        assert.deepEqual(call ? { name: call.name, args: call.arguments } : null, name ? { name, args } : null);
      });
    }

    it('asks only for tools the request offers, and for none when none of the three is offered', () => {
      assert.deepEqual(chooseCall('Read README.md', new Set(['rill_list_files']), 'x')?.name, 'rill_list_files');
      assert.deepEqual(chooseCall('search for greet', new Set(['rill_read_file', 'rill_list_files']), 'x')?.name, 'rill_list_files');
      assert.equal(chooseCall('List the files', new Set(['rill_edit_file', 'get_weather']), 'x'), undefined);
    });

    it('is deterministic, and its call id is unique in the conversation and marked as the demo’s', () => {
      const body = { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'list files' }], tools: TOOLS };
      assert.deepEqual(demoTurn(body), demoTurn(body));
      assert.equal(demoTurn(body)?.call?.id, `${DEMO_CALL_PREFIX}2`);
    });
  });

  describe('through the openai SDK against the demo server', () => {
    let server: LlmServer;
    beforeEach(async () => {
      server = await startLlmServer({ demoDelayMs: 0 });
    });
    afterEach(async () => {
      await server.close();
    });

    it('streams a short intermediate text and a call in fragments that the SDK assembles with valid JSON', async () => {
      const client = clientFor(server);
      const stream = client.chat.completions.stream({ model: 'rill-demo', messages: [{ role: 'user', content: 'Please read src/extension/chat-session.ts' }], tools: TOOLS });
      const completion = await stream.finalChatCompletion();
      const choice = completion.choices[0];
      assert.equal(choice?.finish_reason, 'tool_calls');
      assert.equal(choice?.message.content, DEMO_LOOKING);
      const calls = choice?.message.tool_calls ?? [];
      assert.equal(calls.length, 1);
      const call = calls[0]!;
      assert.ok(call.type === 'function');
      assert.equal(call.function.name, 'rill_read_file');
      assert.deepEqual(JSON.parse(call.function.arguments), { path: 'src/extension/chat-session.ts' });
      assert.ok(call.id.startsWith(DEMO_CALL_PREFIX));
      assert.equal(server.requests.at(-1)?.scriptName, 'demoToolCall');

      // On the wire the arguments came in several pieces, as OpenAI streams them.
      const raw = await collect(
        await client.chat.completions.create({ model: 'rill-demo', stream: true, messages: [{ role: 'user', content: 'Please read src/extension/chat-session.ts' }], tools: TOOLS }),
      );
      const pieces = raw.chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).map((t) => t.function?.arguments ?? '');
      assert.ok(pieces.filter((p) => p !== '').length > 3, `fragments: ${JSON.stringify(pieces)}`);
      assert.deepEqual(raw.finishReasons, ['tool_calls']);
    });

    it('answers tool results with text and no call, quoting them safely', async () => {
      const client = clientFor(server);
      const listing = ['README.md', 'src/a.ts', 'weird ```name``` .md', 'x'.repeat(300), 'e.ts', 'f.ts', 'g.ts'].join('\n');
      const messages: ChatCompletionMessageParam[] = [
        { role: 'user', content: 'What files are in the workspace?' },
        { role: 'assistant', content: DEMO_LOOKING, tool_calls: [{ id: `${DEMO_CALL_PREFIX}1`, type: 'function', function: { name: 'rill_list_files', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: `${DEMO_CALL_PREFIX}1`, content: listing },
      ];
      const got = await collect(await client.chat.completions.create({ model: 'rill-demo', stream: true, messages, tools: TOOLS }));
      assert.equal(got.error, undefined);
      assert.deepEqual(got.finishReasons, ['stop']);
      assert.ok(got.chunks.every((chunk) => chunk.choices[0]?.delta.tool_calls === undefined), 'no tool call after tool results');
      assert.match(got.text, /^\*\*This is Rill's offline demo model, not a real LLM\.\*\*/);
      assert.match(got.text, /`rill_list_files` returned 7 lines; the first ones are:/);

      // The quote is one code block holding the first five lines (cut), and the prose goes on after it.
      const tokens = new Marked().lexer(got.text);
      const code = tokens.filter((token) => token.type === 'code');
      assert.equal(code.length, 1);
      const quoted = (code[0] as { text: string }).text.split('\n');
      assert.deepEqual(quoted.slice(0, 3), ['README.md', 'src/a.ts', 'weird ```name``` .md']);
      assert.equal(quoted.length, 5);
      assert.equal(quoted[3], `${'x'.repeat(100)}…`);
      assert.match(String(tokens.at(-1)?.raw ?? ''), /A real model would answer/);
    });

    it('says so when the results answer calls it did not make', async () => {
      const client = clientFor(server);
      const messages: ChatCompletionMessageParam[] = [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_abc', content: '' },
      ];
      const got = await collect(await client.chat.completions.create({ model: 'rill-demo', stream: true, messages, tools: TOOLS }));
      assert.match(got.text, /did not ask for these tools/);
      assert.match(got.text, /`get_weather` returned nothing\./);
    });

    it('without tools, or with a prompt not about the workspace, gives the ordinary demo reply', async () => {
      const client = clientFor(server);
      for (const [content, tools] of [['Read README.md', undefined], ['What is 2+2?', TOOLS]] as const) {
        const messages: ChatCompletionMessageParam[] = [{ role: 'user', content }];
        const got = await collect(await client.chat.completions.create({ model: 'rill-demo', stream: true, messages, ...(tools ? { tools } : {}) }));
        assert.equal(got.text, demoReplyText({ model: 'rill-demo', messages }));
        assert.deepEqual(got.finishReasons, ['stop']);
        assert.equal(server.requests.at(-1)?.scriptName, 'demo');
      }
    });

    it('answers a non-streaming request with the call in the message', async () => {
      const completion = await clientFor(server).chat.completions.create({ model: 'rill-demo', messages: [{ role: 'user', content: 'search for greet' }], tools: TOOLS });
      const call = completion.choices[0]?.message.tool_calls?.[0];
      assert.ok(call?.type === 'function');
      assert.deepEqual([call.function.name, JSON.parse(call.function.arguments)], ['rill_search_text', { query: 'greet' }]);
      assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    });
  });
});
