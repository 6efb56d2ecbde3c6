import { strict as assert } from 'node:assert';
import type { AgentTranscript } from '../../../src/protocol/agent-messages';
import type { ChatMessageView, ToWebviewMessage, ToWebviewPayload } from '../../../src/protocol/messages';
import { installDom, type FakeWebview } from './dom';

const environment = { demo: false, providerLabel: 'openai-compatible', model: 'm' };
const session = { id: 's1', title: 'Agent chat', createdAt: 0, updatedAt: 0, messageCount: 0 };

describe('Agent mode in the chat webview (jsdom): steps, approvals, previews, the tools toggle', () => {
  let env: FakeWebview;
  let seq: number;

  const snapshot = (messages: ChatMessageView[], tools = { enabled: true }) =>
    env.deliver({ type: 'snapshot', seq: (seq = 0), snapshot: { session, sessions: [session], messages, environment, busy: false, draft: '', tools } });
  const deliver = (message: ToWebviewPayload) => env.deliver({ ...message, seq: ++seq } as ToWebviewMessage);
  const q = (sel: string) => env.root.querySelector(sel) as HTMLElement | null;
  const all = (sel: string) => [...env.root.querySelectorAll<HTMLElement>(sel)];
  const frame = async () => {
    await Promise.resolve();
    env.flushFrames();
  };

  beforeEach(async () => {
    env = installDom();
    const { ChatApp } = await import('../../../src/webview/chat-app');
    new ChatApp(env.root, env.host).start();
    snapshot([{ id: 'm1', role: 'user', text: 'fix a.txt', state: 'done' }]);
  });
  afterEach(() => env.close());

  it('streams a round’s text, moves it above the call that follows, and streams the answer below', async () => {
    deliver({ type: 'messageAdded', message: { id: 'm2', role: 'assistant', text: '', state: 'streaming' } });
    deliver({ type: 'agentEvent', messageId: 'm2', event: { kind: 'roundStarted', round: 1, tools: 7 } });
    deliver({ type: 'textAppended', messageId: 'm2', text: 'Let me read it.' });
    await frame();
    assert.match(all('[data-role="assistant"] [data-testid="message-body"]')[0]?.textContent ?? '', /Let me read it/);
    deliver({ type: 'agentEvent', messageId: 'm2', event: { kind: 'stepStarted', step: { id: 'c1', round: 1, name: 'rill_read_file', arguments: '{"path":', state: 'streaming' } } });
    deliver({ type: 'agentEvent', messageId: 'm2', event: { kind: 'stepArguments', id: 'c1', delta: '"a.txt"}' } });
    await frame();
    const step = q('[data-testid="tool-step"]');
    assert.equal(step?.dataset.tool, 'rill_read_file');
    assert.equal(step?.dataset.state, 'streaming');
    assert.equal(q('[data-testid="tool-arguments"]')?.textContent, '{"path":"a.txt"}');
    assert.equal(q('[data-testid="agent-text"]')?.textContent, 'Let me read it.', 'the intermediate text moved into the steps');
    deliver({ type: 'agentEvent', messageId: 'm2', event: { kind: 'stepState', id: 'c1', state: 'running' } });
    deliver({ type: 'agentEvent', messageId: 'm2', event: { kind: 'stepState', id: 'c1', state: 'done', result: '1| hello' } });
    deliver({ type: 'agentEvent', messageId: 'm2', event: { kind: 'roundStarted', round: 2, tools: 7 } });
    deliver({ type: 'textAppended', messageId: 'm2', text: 'It says **hello**.' });
    await frame();
    const body = all('[data-role="assistant"] [data-testid="message-body"]')[0];
    assert.equal(body?.textContent?.trim(), 'It says hello.', 'the body holds only the final answer');
    assert.equal(step?.dataset.state, 'done');
    assert.match(q('[data-testid="tool-result"]')?.textContent ?? '', /1\| hello/);
  });

  it('asks for approval in the step, shows the change, and posts the user’s answer once', async () => {
    deliver({ type: 'messageAdded', message: { id: 'm2', role: 'assistant', text: '', state: 'streaming' } });
    deliver({ type: 'agentEvent', messageId: 'm2', event: { kind: 'roundStarted', round: 1, tools: 7 } });
    deliver({ type: 'agentEvent', messageId: 'm2', event: { kind: 'stepStarted', step: { id: 'call_9', round: 1, name: 'rill_edit_file', arguments: '{"path":"a.txt","oldText":"hello","newText":"bye"}', state: 'streaming' } } });
    deliver({ type: 'agentEvent', messageId: 'm2', event: { kind: 'stepState', id: 'call_9', state: 'pending-approval' } });
    deliver({ type: 'stepPreview', messageId: 'm2', stepId: 'call_9', preview: { path: 'a.txt', created: false, added: 1, removed: 1, lines: [['@', '@@ -1 +1 @@'], ['-', 'hello'], ['+', 'bye']] } });
    const diff = q('[data-testid="tool-diff"]');
    assert.equal(diff?.hidden, false);
    assert.match(q('[data-testid="tool-diff-lines"]')?.textContent ?? '', /- hello\n\+ bye/);
    q('[data-testid="tool-open-diff"]')?.click();
    const allow = q('[data-testid="tool-allow"]') as HTMLButtonElement;
    assert.equal(env.window.document.activeElement, allow, 'focus moves to Allow');
    allow.click();
    allow.click();
    const sent = env.host.posted.filter((m) => m.type === 'toolApproval' || m.type === 'openDiff');
    assert.deepEqual(sent, [
      { type: 'openDiff', messageId: 'm2', stepId: 'call_9' },
      { type: 'toolApproval', messageId: 'm2', stepId: 'call_9', choice: 'allow' },
    ]);
  });

  it('draws a conversation saved mid-loop: earlier rounds’ text, every step in its state, the answer so far', async () => {
    const agent: AgentTranscript = {
      rounds: 2,
      texts: [{ round: 1, text: 'Looking first.' }],
      steps: [
        { id: 'a', round: 1, name: 'rill_list_files', arguments: '{}', state: 'done', result: 'a.txt' },
        { id: 'b', round: 2, name: 'rill_run_command', arguments: '{"command":"npm test"}', state: 'stopped', error: 'Interrupted: VS Code closed.' },
      ],
    };
    snapshot([
      { id: 'm1', role: 'user', text: 'test it', state: 'done' },
      { id: 'm2', role: 'assistant', text: 'Partial answer', state: 'truncated', error: 'Interrupted', actions: ['retry'], agent },
    ]);
    await frame();
    const steps = all('[data-testid="tool-step"]');
    assert.deepEqual(steps.map((s) => [s.dataset.tool, s.dataset.state, s.dataset.stopped]), [
      ['rill_list_files', 'done', undefined],
      ['rill_run_command', 'error', 'true'],
    ]);
    assert.equal(q('[data-testid="agent-text"]')?.textContent, 'Looking first.');
    assert.match(all('[data-role="assistant"] [data-testid="message-body"]')[0]?.textContent ?? '', /Partial answer/, 'the answer’s own text is kept');
    assert.equal(q('[data-testid="tool-allow"]'), null, 'an interrupted step asks nothing');
    assert.match(q('[data-testid="tool-command"]')?.textContent ?? '', /npm test/);
  });

  it('turns tools off for the conversation and shows what limits them', () => {
    const toggle = q('[data-testid="tools-toggle"]') as HTMLButtonElement;
    assert.equal(toggle.getAttribute('aria-pressed'), 'true');
    toggle.click();
    assert.equal(toggle.getAttribute('aria-pressed'), 'false');
    assert.deepEqual(env.host.posted.filter((m) => m.type === 'setTools'), [{ type: 'setTools', enabled: false }]);
    deliver({ type: 'tools', tools: { enabled: true, limit: 'untrusted' } });
    assert.equal(toggle.getAttribute('aria-pressed'), 'true');
    const note = q('[data-testid="tools-note"]');
    assert.equal(note?.hidden, false);
    assert.equal(note?.dataset.limit, 'untrusted');
  });
});
