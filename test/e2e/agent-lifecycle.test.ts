// Agent mode's edges in the real workbench: Stop while a call waits for approval, a window
// reloaded while a call waits (the step comes back marked interrupted, never run by itself), and
// the offline demo model calling a read-only tool on its own.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { chatStream, openaiToolStream } from '../../src/local-llm';
import { answer, send, waitForAnswer } from './support/chat';
import { artifacts, contentText, messagesOf, openAgentBench, screenshotOnFailure, stepCount, steps, toolMessages, waitForStep, type AgentBench } from './support/agent';

const PLAN = 'step one\nstep two\n';

describe('agent mode: Stop and reload while a call waits', function () {
  let bench: AgentBench;
  const planFile = () => readFileSync(join(bench.folder, 'plan.txt'), 'utf8');

  before(async function () {
    bench = await openAgentBench({ files: { 'plan.txt': PLAN } });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, bench?.workbench, 'agent-lifecycle');
  });

  after(async function () {
    await bench?.close();
  });

  it('Escape while an edit waits for approval: the step is stopped, the answer stopped, nothing runs or is asked after', async function () {
    const { server, chat } = bench;
    const first = server.requests.length;
    const index = await stepCount(chat);
    server.enqueue(openaiToolStream({ calls: [{ id: 'call_stop', name: 'rill_edit_file', arguments: { path: 'plan.txt', oldText: 'step two', newText: 'step 2' } }] }));
    const n = await send(chat, 'Renumber the plan');
    await waitForStep(chat, index, 'pending-approval');
    await chat.press('[data-testid="chat-input"]', 'Escape');

    const stopped = await waitForStep(chat, index, 'error');
    assert.equal(stopped.stopped, true);
    assert.equal(stopped.approval, false, 'no approval buttons are left');
    await waitForAnswer(chat, n, 'stopped');
    assert.equal(planFile(), PLAN, 'the edit did not run');

    // The next request the server sees is the next prompt's: nothing was asked after Stop.
    server.enqueue(chatStream({ text: 'Ready again.' }));
    const m = await send(chat, 'Still there?');
    await waitForAnswer(chat, m, 'done');
    assert.equal(server.requests.length, first + 2);
    assert.deepEqual(messagesOf(server.requests[first + 1]).at(-1), { role: 'user', content: 'Still there?' });
    // The stopped call is still part of the conversation the model sees, marked as not run.
    const told = toolMessages(server.requests[first + 1]).find((m) => m.id === 'call_stop');
    assert.ok(told, 'the stopped call has its tool message');
    assert.doesNotMatch(told.text, /Edited/);
    assert.equal((await answer(chat, m)).text.trim(), 'Ready again.');
    assert.equal(planFile(), PLAN);
  });

  it('Stop while a call\'s arguments are still streaming: the half call is marked, never run, and answered in the next request', async function () {
    const { server, chat } = bench;
    const first = server.requests.length;
    const index = await stepCount(chat);
    const content = Array.from({ length: 60 }, (_, i) => `line ${i} of a long file`).join('\n');
    server.enqueue(
      openaiToolStream({ calls: [{ id: 'call_half', name: 'rill_create_file', arguments: { path: 'half.txt', content }, argumentsChunkSize: 4 }], delayMs: 40 }),
    );
    const n = await send(chat, 'Write a long file');
    await waitForStep(chat, index, 'streaming');
    await chat.waitForFunction(
      ([selector, i]) => (document.querySelectorAll(selector)[i]?.querySelector('[data-testid="tool-arguments"]')?.textContent ?? '').length > 40,
      ['[data-testid="tool-step"]', index] as const,
    );
    await chat.click('[data-testid="stop"]');
    const stopped = await waitForStep(chat, index, 'error');
    assert.equal(stopped.stopped, true);
    await waitForAnswer(chat, n, 'stopped');
    assert.ok(stopped.arguments.length > 40, 'the arguments so far stay shown');
    assert.equal(existsSync(join(bench.folder, 'half.txt')), false, 'the half call did not run');

    server.enqueue(chatStream({ text: 'Fine after the half call.' }));
    const m = await send(chat, 'Next question');
    await waitForAnswer(chat, m, 'done');
    assert.equal(server.requests.length, first + 2);
    // Every call in the history has a tool message answering it (servers refuse a call left unanswered),
    // and the half call's says it did not run.
    const sent = messagesOf(server.requests[first + 1]);
    const calls = sent.flatMap((msg) => msg.tool_calls ?? []);
    const answered = new Map(sent.filter((msg) => msg.role === 'tool').map((msg) => [msg.tool_call_id, contentText(msg.content)]));
    assert.ok(calls.some((call) => call.id === 'call_half'));
    for (const call of calls) assert.ok(answered.has(call.id), `call ${call.id} has a tool message`);
    assert.match(answered.get('call_half') ?? '', /^Error: /);
    assert.equal((await answer(chat, m)).text.trim(), 'Fine after the half call.');
  });

  it('Reload Window while an edit waits: the step comes back interrupted and the edit is never run', async function () {
    this.timeout(180_000);
    const { server, workbench } = bench;
    let chat = bench.chat;
    const index = await stepCount(chat);
    server.enqueue(openaiToolStream({ calls: [{ id: 'call_reload', name: 'rill_edit_file', arguments: { path: 'plan.txt', oldText: 'step one', newText: 'step 1' } }] }));
    const prompt = 'Renumber the first step';
    const n = await send(chat, prompt);
    await waitForStep(chat, index, 'pending-approval');
    const before = server.requests.length;
    // A running answer is saved about once a second: let the pending step reach the disk.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    await workbench.runCommand('Developer: Reload Window');
    await workbench.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    chat = await reopenChat(bench, index + 1);
    bench.chat = chat;

    await workbench.screenshot(join(artifacts, 'agent-reloaded.png'));
    const back = (await steps(chat))[index];
    assert.equal(back?.tool, 'rill_edit_file');
    assert.equal(back?.state, 'error');
    assert.equal(back?.stopped, true, 'marked interrupted');
    assert.equal(back?.approval, false, 'nothing to approve any more');
    assert.match(back?.arguments ?? '', /step one/, 'the call is shown as the model made it');
    const shownPrompt = await chat.$$eval('[data-testid="message"][data-role="user"] [data-testid="message-body"]', (els) => els.map((e) => e.textContent?.trim()));
    assert.ok(shownPrompt.includes(prompt), 'the prompt is back');
    assert.notEqual((await answer(chat, n)).state, 'streaming');
    // Nothing re-ran it: the file is as it was, and the model was not asked again.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(planFile(), PLAN);
    assert.equal(server.requests.length, before);
  });
});

/** After a reload: the chat that shows at least `count` steps (the panel comes back by itself, or Rill: Open Chat brings it). */
async function reopenChat(bench: AgentBench, count: number): Promise<Frame> {
  const find = async (timeoutMs: number): Promise<Frame | undefined> => {
    const frame = await bench.workbench.webviewFrame('[data-testid="tool-step"]', timeoutMs).catch(() => undefined);
    if (!frame) return undefined;
    await frame.waitForFunction((n) => document.querySelectorAll('[data-testid="tool-step"]').length >= n, count, { timeout: 10_000 });
    return frame;
  };
  const restored = await find(15_000);
  if (restored) return restored;
  await bench.workbench.runCommand('Rill: Open Chat');
  const opened = await find(30_000);
  if (!opened) throw new Error('the chat did not come back with its steps');
  return opened;
}

describe('agent mode with the offline demo model', function () {
  let bench: AgentBench;

  before(async function () {
    bench = await openAgentBench({
      demo: true,
      env: { OPENAI_API_KEY: '' },
      files: { 'hello-demo.md': '# Hello\n', 'src/main.ts': 'console.log(1);\n' },
    });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, bench?.workbench, 'agent-demo');
  });

  after(async function () {
    await bench?.close();
  });

  it('"list the files in the workspace": a rill_list_files step, then an answer naming a file', async function () {
    const { chat } = bench;
    const n = await send(chat, 'list the files in the workspace');
    await waitForAnswer(chat, n, 'done', 60_000);
    const shown = await steps(chat);
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.equal(shown[0]?.tool, 'rill_list_files');
    assert.equal(shown[0]?.state, 'done');
    assert.match(shown[0]?.result ?? '', /hello-demo\.md/);
    const reply = await answer(chat, n);
    assert.match(reply.text, /hello-demo\.md|src\/main\.ts/, reply.text);
  });
});
