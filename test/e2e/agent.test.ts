// Agent mode end to end in the real workbench, against the installed .vsix: tool steps in the
// chat, approvals, what the model is sent back, and what happens on disk.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatStream, llamaCppToolStream, ollamaToolStream, openaiToolStream, toolCallsThenText, toolsRejected, vllmToolStream, type ToolCallSpec } from '../../src/local-llm';
import { answer, send, waitForAnswer } from './support/chat';
import {
  artifacts,
  eventually,
  messagesOf,
  newChat,
  openAgentBench,
  screenshotOnFailure,
  stepButton,
  stepCount,
  toolMessages,
  toolsOffered,
  waitForStep,
  watchedSteps,
  watchSteps,
  type AgentBench,
} from './support/agent';

const NOTES = 'Rill notes: the launch code is 4417.\nSecond line of the notes.\n';
const APP = 'export const greeting = "hello";\nexport const answer = 42;\n';
const AUTO_COMMAND = 'echo rill-auto-$((40+2))';

describe('agent mode: workspace tools in the real workbench', function () {
  let bench: AgentBench;
  const appFile = () => readFileSync(join(bench.folder, 'src', 'app.ts'), 'utf8');

  before(async function () {
    bench = await openAgentBench({
      files: { 'notes.txt': NOTES, 'src/app.ts': APP },
      settings: { 'rill.agent.autoApprove': [`rill_run_command:${AUTO_COMMAND}`] },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, bench?.workbench, 'agent');
  });

  after(async function () {
    await bench?.close();
  });

  it('reads a workspace file with rill_read_file and answers from it', async function () {
    const { server, chat } = bench;
    const first = server.requests.length;
    const firstStep = await stepCount(chat);
    server.enqueue(...toolCallsThenText([{ id: 'call_read_1', name: 'rill_read_file', arguments: { path: 'notes.txt' } }], 'The launch code is 4417.'));
    const n = await send(chat, 'What is the launch code in notes.txt?');
    await waitForAnswer(chat, n, 'done');

    const step = await waitForStep(chat, firstStep, 'done');
    assert.equal(step.tool, 'rill_read_file');
    assert.match(step.arguments, /notes\.txt/);
    assert.ok(step.result?.includes('the launch code is 4417.'), `the result shows the file: ${step.result}`);
    assert.equal((await answer(chat, n)).text.trim(), 'The launch code is 4417.');

    assert.equal(server.requests.length, first + 2, 'one request with the call, one after it');
    assert.ok(toolsOffered(server.requests[first]).includes('rill_read_file'));
    const sent = toolMessages(server.requests[first + 1]);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.id, 'call_read_1');
    assert.ok(sent[0]?.text.includes('Rill notes: the launch code is 4417.') && sent[0].text.includes('Second line of the notes.'), `tool message: ${sent[0]?.text}`);
  });

  it('an edit waits with its diff; denied, the file stays as it was and the model is told', async function () {
    const { server, chat } = bench;
    const first = server.requests.length;
    const index = await stepCount(chat);
    server.enqueue(
      openaiToolStream({ calls: [{ id: 'call_edit_deny', name: 'rill_edit_file', arguments: { path: 'src/app.ts', oldText: '"hello"', newText: '"goodbye"' } }] }),
      chatStream({ text: 'Understood: I left the greeting alone.' }),
    );
    const n = await send(chat, 'Change the greeting to goodbye');
    const waiting = await waitForStep(chat, index, 'pending-approval');
    assert.equal(waiting.tool, 'rill_edit_file');
    await chat.waitForSelector(`${stepButton(index, 'tool-open-diff')}`);
    const diff = (await chat.textContent(`[data-testid="tool-step"] >> nth=${index} >> [data-testid="tool-diff-lines"]`)) ?? '';
    assert.match(diff, /^- export const greeting = "hello";$/m);
    assert.match(diff, /^\+ export const greeting = "goodbye";$/m);
    assert.equal(appFile(), APP, 'nothing is written while the edit waits');
    assert.equal(server.requests.length, first + 1, 'the model is not asked again while the user decides');
    await bench.workbench.screenshot(join(artifacts, 'agent-approval.png'));

    await chat.click(stepButton(index, 'tool-deny'));
    const denied = await waitForStep(chat, index, 'denied');
    assert.equal(denied.approval, false, 'the approval bar goes away');
    await waitForAnswer(chat, n, 'done');
    assert.equal((await answer(chat, n)).text.trim(), 'Understood: I left the greeting alone.');
    assert.equal(appFile(), APP, 'the file is unchanged on disk');
    const told = toolMessages(server.requests[first + 1]).at(-1);
    assert.equal(told?.id, 'call_edit_deny');
    assert.match(told?.text ?? '', /denied/i);
  });

  it('an edit allowed from the keyboard (focus Allow, Enter) changes the file exactly', async function () {
    const { server, chat } = bench;
    const first = server.requests.length;
    const index = await stepCount(chat);
    server.enqueue(
      openaiToolStream({ calls: [{ id: 'call_edit_allow', name: 'rill_edit_file', arguments: { path: 'src/app.ts', oldText: 'answer = 42', newText: 'answer = 43' } }] }),
      chatStream({ text: 'Done: the answer is now 43.' }),
    );
    const n = await send(chat, 'Make the answer 43');
    await waitForStep(chat, index, 'pending-approval');
    await chat.waitForSelector(`${stepButton(index, 'tool-open-diff')}`);
    const diff = (await chat.textContent(`[data-testid="tool-step"] >> nth=${index} >> [data-testid="tool-diff-lines"]`)) ?? '';
    assert.match(diff, /^- export const answer = 42;$/m);
    assert.match(diff, /^\+ export const answer = 43;$/m);
    assert.equal(appFile(), APP);

    await chat.focus(stepButton(index, 'tool-allow'));
    assert.equal(await chat.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'tool-allow');
    await chat.page().keyboard.press('Enter');
    const done = await waitForStep(chat, index, 'done');
    await waitForAnswer(chat, n, 'done');
    const want = APP.replace('answer = 42', 'answer = 43');
    assert.equal(await eventually(appFile, want), want, 'exactly the approved change is on disk');
    assert.match(done.result ?? '', /src\/app\.ts/);
    const told = toolMessages(server.requests[first + 1]).at(-1);
    assert.equal(told?.id, 'call_edit_allow');
    assert.match(told?.text ?? '', /Edited src\/app\.ts/);
    assert.equal((await answer(chat, n)).text.trim(), 'Done: the answer is now 43.');
  });

  it('two calls in one answer, in the Ollama, vLLM and llama.cpp shapes: a step and a tool message each', async function () {
    const { server, chat } = bench;
    const calls: ToolCallSpec[] = [
      { name: 'rill_read_file', arguments: { path: 'notes.txt', startLine: 1, endLine: 1 } },
      { name: 'rill_search_text', arguments: { query: 'greeting' } },
    ];
    const shapes = [
      ['ollama', ollamaToolStream({ calls })],
      ['vllm', vllmToolStream({ calls })],
      ['llama.cpp', llamaCppToolStream({ calls, omitIds: true })],
    ] as const;
    for (const [shape, script] of shapes) {
      const first = server.requests.length;
      const index = await stepCount(chat);
      server.enqueue(script, chatStream({ text: `Answered after the ${shape} calls.` }));
      const n = await send(chat, `Look twice (${shape})`);
      await waitForAnswer(chat, n, 'done');
      const read = await waitForStep(chat, index, 'done');
      const search = await waitForStep(chat, index + 1, 'done');
      assert.deepEqual([read.tool, search.tool], ['rill_read_file', 'rill_search_text'], shape);
      assert.match(read.result ?? '', /the launch code is 4417/, shape);
      assert.doesNotMatch(read.result ?? '', /Second line/, `${shape}: only the lines asked for`);
      assert.match(search.result ?? '', /src\/app\.ts/, shape);
      const told = toolMessages(server.requests[first + 1]).slice(-2);
      assert.equal(told.length, 2, shape);
      assert.match(told[0]?.text ?? '', /4417/, shape);
      assert.match(told[1]?.text ?? '', /src\/app\.ts/, shape);
      // Each tool message answers a call of the assistant message before it (ids made up when the server sent none).
      const assistant = messagesOf(server.requests[first + 1]).filter((m) => m.role === 'assistant').at(-1);
      assert.deepEqual(assistant?.tool_calls?.map((c) => c.id), told.map((m) => m.id), shape);
      assert.ok(told.every((m) => m.id !== ''), shape);
      assert.equal((await answer(chat, n)).text.trim(), `Answered after the ${shape} calls.`);
    }
  });

  it('Open diff shows the proposed change in VS Code; "Allow for this conversation" lets the next edit run unasked', async function () {
    const { server, workbench } = bench;
    let chat = bench.chat;
    await newChat(chat);
    const before = appFile();
    server.enqueue(
      openaiToolStream({ calls: [{ id: 'call_conv_1', name: 'rill_edit_file', arguments: { path: 'src/app.ts', oldText: 'export const answer', newText: 'export const reply' } }] }),
      openaiToolStream({ calls: [{ id: 'call_conv_2', name: 'rill_create_file', arguments: { path: 'docs/new.md', content: '# New\n' } }] }),
      chatStream({ text: 'Renamed and documented.' }),
    );
    const n = await send(chat, 'Rename answer to reply and add a doc');
    await waitForStep(chat, 0, 'pending-approval');
    await chat.click(stepButton(0, 'tool-open-diff'));
    const tab = workbench.page.locator('.tabs-container .tab', { hasText: 'app.ts (change proposed by Rill)' });
    await tab.waitFor({ timeout: 15_000 });
    const modified = await workbench.page.locator('.editor-instance .modified-in-monaco-diff-editor .view-lines, .editor-instance .editor.modified .view-lines').first().textContent();
    assert.match((modified ?? '').replace(/\u00a0/g, ' '), /export const reply/);
    assert.equal(appFile(), before, 'looking at the diff writes nothing');

    // Back to the chat (rebuilt from the host if it was hidden): the call still waits.
    await workbench.runCommand('View: Open Previous Editor');
    chat = await workbench.webviewFrame('[data-testid="tool-approval"]');
    bench.chat = chat;
    await chat.click(stepButton(0, 'tool-allow-conversation'));
    await waitForStep(chat, 0, 'done');
    // rill_create_file is another tool: asked again.
    await waitForStep(chat, 1, 'pending-approval');
    await chat.click(stepButton(1, 'tool-allow'));
    await waitForAnswer(chat, n, 'done');
    assert.equal(await eventually(appFile, before.replace('export const answer', 'export const reply')), before.replace('export const answer', 'export const reply'));
    assert.equal(readFileSync(join(bench.folder, 'docs', 'new.md'), 'utf8'), '# New\n');

    await watchSteps(chat);
    const first = server.requests.length;
    server.enqueue(
      openaiToolStream({ calls: [{ id: 'call_conv_3', name: 'rill_edit_file', arguments: { path: 'src/app.ts', oldText: 'export const reply', newText: 'export const result' } }] }),
      chatStream({ text: 'Renamed again.' }),
    );
    const m = await send(chat, 'Rename reply to result');
    await waitForAnswer(chat, m, 'done');
    const third = Object.values(await watchedSteps(chat)).filter((w) => w.tool === 'rill_edit_file').at(-1);
    assert.deepEqual(third?.asked, false, `allowed for the conversation: not asked (${third?.states.join(' > ')})`);
    assert.match(appFile(), /export const result = 43;/);
    assert.match(toolMessages(server.requests[first + 1]).at(-1)?.text ?? '', /Edited src\/app\.ts/);
  });

  it('rill_run_command: the exact auto-approved command runs unasked; with "; echo hacked" it is asked, showing the exact command', async function () {
    this.timeout(180_000);
    const { server, chat } = bench;
    await watchSteps(chat);
    const first = server.requests.length;
    const index = await stepCount(chat);
    const sneaky = `${AUTO_COMMAND}; echo hacked`;
    server.enqueue(
      openaiToolStream({ calls: [{ id: 'call_cmd_auto', name: 'rill_run_command', arguments: { command: AUTO_COMMAND } }] }),
      openaiToolStream({ calls: [{ id: 'call_cmd_sneaky', name: 'rill_run_command', arguments: { command: sneaky } }] }),
      chatStream({ text: 'Ran the approved command only.' }),
    );
    const n = await send(chat, 'Run the echo command');

    const ran = await waitForStep(chat, index, 'done', 60_000);
    assert.equal(ran.command, AUTO_COMMAND);
    assert.match(ran.result ?? '', /rill-auto-42/, `the command's output: ${ran.result}`);

    const asked = await waitForStep(chat, index + 1, 'pending-approval', 30_000);
    assert.equal(asked.command, sneaky, 'the exact command is shown while it waits');
    assert.equal(server.requests.length, first + 2);
    await chat.click(stepButton(index + 1, 'tool-deny'));
    await waitForStep(chat, index + 1, 'denied');
    await waitForAnswer(chat, n, 'done');
    assert.equal((await answer(chat, n)).text.trim(), 'Ran the approved command only.');

    const watched = Object.values(await watchedSteps(chat)).filter((s) => s.tool === 'rill_run_command');
    assert.equal(watched.length, 2);
    assert.equal(watched[0]?.asked, false, 'the approved command was not asked');
    assert.ok(!watched[0]?.states.includes('pending-approval'), `states: ${watched[0]?.states.join(' > ')}`);
    assert.ok(watched[1]?.states.includes('pending-approval') && watched[1].asked);
    const second = toolMessages(server.requests[first + 1]).at(-1);
    assert.equal(second?.id, 'call_cmd_auto');
    assert.match(second?.text ?? '', /rill-auto-42/, 'the output reached the model');
    const third = toolMessages(server.requests[first + 2]);
    assert.equal(third.at(-1)?.id, 'call_cmd_sneaky');
    assert.match(third.at(-1)?.text ?? '', /denied/i);
    assert.ok(!third.some((m) => m.text.includes('hacked\n') || /^hacked$/m.test(m.text)), 'the chained command never ran');
  });

  it('the composer tools toggle off: the next request has no tools, and on again they come back', async function () {
    const { server, chat } = bench;
    const toggle = '[data-testid="tools-toggle"]';
    assert.equal(await chat.getAttribute(toggle, 'aria-pressed'), 'true');
    await chat.click(toggle);
    await chat.waitForFunction((s) => document.querySelector(s)?.getAttribute('aria-pressed') === 'false', toggle);
    const off = server.requests.length;
    server.enqueue(chatStream({ text: 'Plain answer without tools.' }));
    const n = await send(chat, 'Answer without tools');
    await waitForAnswer(chat, n, 'done');
    assert.equal((await answer(chat, n)).text.trim(), 'Plain answer without tools.');
    assert.equal(server.requests.length, off + 1);
    assert.equal(server.requests[off]?.body['tools'], undefined, 'no tools in the request');

    await chat.click(toggle);
    await chat.waitForFunction((s) => document.querySelector(s)?.getAttribute('aria-pressed') === 'true', toggle);
    server.enqueue(chatStream({ text: 'Tools are back.' }));
    const m = await send(chat, 'And now with tools');
    await waitForAnswer(chat, m, 'done');
    assert.ok(toolsOffered(server.requests[off + 1]).includes('rill_read_file'), 'turned on again, the tools are offered');
  });

  it('a server that rejects tools: answered without them, said so, and the conversation remembers', async function () {
    const { server, chat } = bench;
    await newChat(chat);
    const first = server.requests.length;
    server.enqueue(toolsRejected('ollama'), chatStream({ text: 'Answered without tools.' }));
    const n = await send(chat, 'Hello model without tools');
    await waitForAnswer(chat, n, 'done');
    assert.equal((await answer(chat, n)).text.trim(), 'Answered without tools.');
    await chat.waitForSelector('[data-testid="agent-tools-unsupported"]');
    assert.equal(server.requests.length, first + 2, 'one rejected request, one retry');
    assert.ok(toolsOffered(server.requests[first]).length > 0, 'the first request offered tools');
    assert.equal(server.requests[first + 1]?.body['tools'], undefined, 'the retry had none');

    server.enqueue(chatStream({ text: 'Still without tools.' }));
    const m = await send(chat, 'A second question');
    await waitForAnswer(chat, m, 'done');
    assert.equal((await answer(chat, m)).text.trim(), 'Still without tools.');
    assert.equal(server.requests.length, first + 3, 'no second rejected request');
    assert.equal(server.requests[first + 2]?.body['tools'], undefined, 'the next prompt is sent without tools');
    assert.equal(await chat.getAttribute('[data-testid="tools-note"]', 'data-limit'), 'unsupported');
    assert.equal(await chat.isVisible('[data-testid="tools-note"]'), true, 'the composer says why there are no tools');

    // Only this conversation: a new one offers tools again.
    await newChat(chat);
    server.enqueue(chatStream({ text: 'New conversation.' }));
    const k = await send(chat, 'A new conversation');
    await waitForAnswer(chat, k, 'done');
    assert.ok(toolsOffered(server.requests[first + 3]).includes('rill_read_file'), 'a new conversation offers tools');
  });
});
