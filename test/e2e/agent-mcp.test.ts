// Tools from outside Rill, end to end in the real workbench: a real MCP server from npm
// (@modelcontextprotocol/server-everything over stdio, started by Rill from the user's settings)
// and a tool another extension registers with vscode.lm.registerTool (test/e2e/fixtures).
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chatStream, openaiToolStream, toolCallsThenText } from '../../src/local-llm';
import { answer, send, waitForAnswer } from './support/chat';
import {
  fixtures,
  messagesOf,
  openAgentBench,
  packFixture,
  screenshotOnFailure,
  stepButton,
  stepCount,
  toolMessages,
  toolsOffered,
  waitForStep,
  type AgentBench,
} from './support/agent';

const everything = resolve(__dirname, '..', '..', 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const LM_TOOL = 'e2e_fixture_reverse';

describe('agent mode: MCP and VS Code tools in the real workbench', function () {
  let bench: AgentBench;
  let toolLog: string;
  let fixtureVsix: string;

  before(async function () {
    assert.ok(existsSync(everything), `the MCP server is installed (npm ci): ${everything}`);
    toolLog = mkdtempSync(join(tmpdir(), 'rill-lm-tool-'));
    fixtureVsix = packFixture(join(fixtures, 'lm-tool-extension'));
    bench = await openAgentBench({
      files: { 'readme.md': '# A workspace\n' },
      // The absolute node and script: nothing is downloaded (no npx).
      settings: { 'rill.mcp.servers': { everything: { command: process.execPath, args: [everything, 'stdio'] } } },
      extraExtensions: [fixtureVsix],
      env: { RILL_E2E_TOOL_LOG: toolLog },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, bench?.workbench, 'agent-mcp');
  });

  after(async function () {
    await bench?.close();
    if (toolLog) rmSync(toolLog, { recursive: true, force: true });
    if (fixtureVsix) rmSync(dirname(fixtureVsix), { recursive: true, force: true });
  });

  it('calls the echo tool of a real MCP server over stdio; its result reaches the step and the model', async function () {
    const { server, chat } = bench;
    const first = server.requests.length;
    const index = await stepCount(chat);
    server.enqueue(...toolCallsThenText([{ id: 'call_echo', name: 'mcp_everything_echo', arguments: { message: 'hi from rill' } }], 'The server echoed it.'));
    const n = await send(chat, 'Echo something through MCP');
    await waitForAnswer(chat, n, 'done', 60_000);

    const offered = toolsOffered(server.requests[first]);
    assert.ok(offered.includes('mcp_everything_echo'), `offered: ${offered.join(', ')}`);
    assert.ok(offered.includes('rill_read_file'), 'the built-in tools are offered beside it');
    // The echo tool says readOnlyHint: it runs at once.
    const step = await waitForStep(chat, index, 'done');
    assert.equal(step.tool, 'mcp_everything_echo');
    assert.match(step.result ?? '', /Echo: hi from rill/);
    const told = toolMessages(server.requests[first + 1]).at(-1);
    assert.equal(told?.id, 'call_echo');
    assert.match(told?.text ?? '', /Echo: hi from rill/);
    assert.equal((await answer(chat, n)).text.trim(), 'The server echoed it.');
  });

  it('Stop during a long-running MCP tool: the step is marked stopped, the answer stopped, nothing more is asked', async function () {
    const { server, chat } = bench;
    const first = server.requests.length;
    const index = await stepCount(chat);
    const tool = 'mcp_everything_trigger-long-running-operation';
    server.enqueue(openaiToolStream({ calls: [{ id: 'call_long', name: tool, arguments: { duration: 60, steps: 60 } }] }));
    const n = await send(chat, 'Run the long operation');
    await waitForStep(chat, index, 'running', 30_000);
    await chat.click('[data-testid="stop"]');
    const stopped = await waitForStep(chat, index, 'error');
    assert.equal(stopped.stopped, true, 'marked as interrupted');
    await waitForAnswer(chat, n, 'stopped');

    // The next request the server sees is the next prompt's: nothing was asked after Stop.
    server.enqueue(chatStream({ text: 'Fresh answer after Stop.' }));
    const m = await send(chat, 'Are you there after Stop?');
    await waitForAnswer(chat, m, 'done');
    assert.equal(server.requests.length, first + 2);
    const next = messagesOf(server.requests[first + 1]);
    assert.deepEqual(next.at(-1), { role: 'user', content: 'Are you there after Stop?' });
    assert.equal((await answer(chat, m)).text.trim(), 'Fresh answer after Stop.');
  });

  it('calls a tool another extension registered with vscode.lm.registerTool, after the user allows it', async function () {
    const { server, chat } = bench;
    const first = server.requests.length;
    const index = await stepCount(chat);
    server.enqueue(...toolCallsThenText([{ id: 'call_lm', name: LM_TOOL, arguments: { text: 'stressed' } }], 'It reads "desserts" backwards.'));
    const n = await send(chat, 'Reverse the word stressed');
    await server.waitForRequest(first, 30_000);
    const offered = toolsOffered(server.requests[first]);
    assert.ok(offered.includes(LM_TOOL), `offered: ${offered.join(', ')}`);
    const tool = (server.requests[first]?.body['tools'] as Array<{ function: { name: string; description?: string; parameters?: unknown } }>).find(
      (t) => t.function.name === LM_TOOL,
    );
    assert.match(tool?.function.description ?? '', /Reverses the given text/);
    assert.deepEqual((tool?.function.parameters as { required?: string[] }).required, ['text']);

    // Another extension's tool is not known to be harmless: it waits for the user.
    await waitForStep(chat, index, 'pending-approval');
    assert.equal(existsSync(join(toolLog, 'invocations.jsonl')), false, 'not invoked before Allow');
    await chat.click(stepButton(index, 'tool-allow'));
    const step = await waitForStep(chat, index, 'done');
    assert.match(step.result ?? '', /reversed-by-e2e-fixture: desserts/);
    await waitForAnswer(chat, n, 'done');
    const told = toolMessages(server.requests[first + 1]).at(-1);
    assert.equal(told?.id, 'call_lm');
    assert.match(told?.text ?? '', /reversed-by-e2e-fixture: desserts/);
    const calls = readFileSync(join(toolLog, 'invocations.jsonl'), 'utf8').trim().split('\n');
    assert.deepEqual(calls.map((line) => JSON.parse(line) as unknown), [{ input: { text: 'stressed' } }], 'invoked once, with the model\'s input');
    assert.equal((await answer(chat, n)).text.trim(), 'It reads "desserts" backwards.');
  });
  it('Rill: Choose Tools turns one MCP tool off: the next request leaves out that one and only that one', async function () {
    const { server, workbench } = bench;
    const page = workbench.page;
    const before = server.requests.at(-1);
    assert.ok(toolsOffered(before).includes('mcp_everything_echo'));
    const widget = page.locator('.quick-input-widget');
    // Under load the workbench can still be closing the command palette (its input inert) when the
    // picker opens in the same widget: open it again rather than typing into a closing one.
    for (let attempt = 1; ; attempt++) {
      await workbench.runCommand('Rill: Choose Tools');
      try {
        await widget.locator('.quick-input-box input').first().fill('mcp_everything_echo', { timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await page.keyboard.press('Escape');
      }
    }
    const row = widget.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^mcp_everything_echo$/ }) });
    await row.waitFor({ timeout: 20_000 });
    assert.equal(await row.getAttribute('aria-checked'), 'true', 'on by default');
    await row.click();
    await page.waitForFunction(() => document.querySelector('.quick-input-list .monaco-list-row[aria-checked]')?.getAttribute('aria-checked') === 'false');
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });

    const chat = await workbench.webviewFrame('[data-testid="chat-input"]');
    const first = server.requests.length;
    server.enqueue(chatStream({ text: 'Fewer tools now.' }));
    const n = await send(chat, 'Which tools do you have now?');
    await waitForAnswer(chat, n, 'done', 30_000);
    const offered = toolsOffered(server.requests[first]);
    assert.ok(!offered.includes('mcp_everything_echo'), 'the tool turned off is not offered');
    assert.deepEqual(
      offered,
      toolsOffered(before).filter((name) => name !== 'mcp_everything_echo'),
      'every other tool still is, in the same order',
    );
  });
});
