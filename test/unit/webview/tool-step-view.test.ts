import { strict as assert } from 'node:assert';
import type { AgentEvent, ToolStepState, ToolStepView } from '../../../src/protocol/agent-messages';
import type { AgentStepsView as View, ApprovalChoice } from '../../../src/webview/agent/tool-step-view';
import { installDom, type FakeWebview } from './dom';

describe('AgentStepsView: tool steps as they stream (jsdom)', () => {
  let env: FakeWebview;
  let view: View;
  let approvals: Array<[string, ApprovalChoice]>;
  let announced: HTMLElement;
  let settled: Array<[number, string]>;
  let diffs: Array<[string, HTMLElement]>;
  let renders: number;

  beforeEach(async () => {
    env = installDom();
    const { AgentStepsView } = await import('../../../src/webview/agent/tool-step-view');
    const { Announcer } = await import('../../../src/webview/announcer');
    const announcer = new Announcer();
    announced = announcer.element;
    approvals = [];
    settled = [];
    diffs = [];
    renders = 0;
    view = new AgentStepsView({
      approve: (id, choice) => approvals.push([id, choice]),
      announce: (text) => announcer.say(text),
      textSettled: (round, text) => settled.push([round, text]),
      previewDiff: (step, slot) => diffs.push([step.id, slot]),
      rendered: () => renders++,
    });
    env.root.append(view.element, announcer.element);
  });
  afterEach(() => env.close());

  const started = (id: string, name: string, round = 1, args = ''): AgentEvent => ({
    kind: 'stepStarted',
    step: { id, round, name, arguments: args, state: 'streaming' } satisfies ToolStepView,
  });
  const state = (id: string, s: ToolStepState, extra: { result?: string; error?: string; cutChars?: number } = {}): AgentEvent => ({ kind: 'stepState', id, state: s, ...extra });
  const args = (id: string, delta: string): AgentEvent => ({ kind: 'stepArguments', id, delta });
  const apply = (...events: AgentEvent[]) => events.forEach((e) => view.apply(e));
  const stepEl = (id: string) => env.root.querySelector(`[data-step-id="${id}"]`) as HTMLElement;
  const inStep = (id: string, testId: string) => stepEl(id).querySelector(`[data-testid="${testId}"]`) as HTMLElement | null;

  it('shows a step as soon as its name arrives, before its arguments are complete', () => {
    apply(started('c1', 'rill_read_file', 1, '{"pa'));
    const step = env.root.querySelector('[data-testid="tool-step"]') as HTMLElement;
    assert.equal(step.dataset.tool, 'rill_read_file');
    assert.equal(step.dataset.state, 'streaming');
    assert.equal(inStep('c1', 'tool-arguments')?.textContent, '{"pa');
  });

  it('grows the arguments in place: one text node, appended to, never rebuilt', () => {
    apply(started('c1', 'rill_read_file'));
    const pre = inStep('c1', 'tool-arguments') as HTMLElement;
    const text = pre.firstChild;
    for (const delta of ['{"path"', ': "src/', 'a.ts"}']) apply(args('c1', delta));
    assert.equal(pre.textContent, '{"path": "src/a.ts"}');
    assert.equal(inStep('c1', 'tool-arguments'), pre, 'same element');
    assert.equal(pre.firstChild, text, 'same text node');
    assert.equal(pre.childNodes.length, 1);
  });

  it('follows the state through each event, and shows a stopped call as an interrupted error', () => {
    apply(started('c1', 'rill_edit_file'));
    const seen: string[] = [];
    for (const s of ['pending-approval', 'running', 'done'] as const) {
      apply(state('c1', s, s === 'done' ? { result: 'ok' } : {}));
      seen.push(stepEl('c1').dataset.state ?? '');
    }
    assert.deepEqual(seen, ['pending-approval', 'running', 'done']);
    apply(started('c2', 'rill_run_command'), state('c2', 'pending-approval'), state('c2', 'denied', { error: 'The user denied this call.' }));
    assert.equal(stepEl('c2').dataset.state, 'denied');
    assert.equal(inStep('c2', 'tool-error')?.textContent, 'The user denied this call.');
    apply(started('c3', 'rill_read_file'), state('c3', 'running'), state('c3', 'error', { error: 'No such file' }));
    assert.equal(stepEl('c3').dataset.state, 'error');
    apply(started('c4', 'rill_read_file'), state('c4', 'stopped', { error: 'Stopped before this call was complete.' }));
    assert.equal(stepEl('c4').dataset.state, 'error', 'stopped is not a contract state: it shows as error');
    assert.equal(stepEl('c4').dataset.stopped, 'true');
    assert.equal(inStep('c4', 'tool-status')?.textContent, 'Stopped');
    const states = [...env.root.querySelectorAll<HTMLElement>('[data-testid="tool-step"]')].map((el) => el.dataset.state);
    for (const s of states) assert.ok(['streaming', 'pending-approval', 'running', 'done', 'denied', 'error'].includes(s ?? ''), s);
  });

  it('asks for approval with three real buttons, focuses Allow, announces it, and posts the choice', () => {
    apply(started('c1', 'rill_edit_file', 1, '{"path":"a.ts","oldText":"x","newText":"y"}'));
    assert.equal(inStep('c1', 'tool-allow'), null, 'no buttons while streaming');
    apply(state('c1', 'pending-approval'));
    const ids = ['tool-allow', 'tool-allow-conversation', 'tool-deny'];
    const buttons = ids.map((id) => inStep('c1', id) as HTMLButtonElement);
    for (const b of buttons) {
      assert.equal(b.tagName, 'BUTTON');
      assert.equal(b.type, 'button');
      assert.ok(b.tabIndex >= 0, 'keyboard reachable');
    }
    assert.equal(document.activeElement, buttons[0], 'focus moves to Allow');
    assert.match(announced.textContent ?? '', /rill_edit_file/);
    assert.equal(announced.getAttribute('aria-live'), 'polite');
    buttons[0]?.click();
    buttons[0]?.click();
    assert.deepEqual(approvals, [['c1', 'allow']], 'one answer, even on a double click');
    apply(state('c1', 'running'));
    assert.equal(inStep('c1', 'tool-approval'), null, 'the buttons go once the state changes');
    assert.equal(document.activeElement, stepEl('c1'), 'focus stays on the step, not lost to the page');

    for (const [id, button, choice] of [['c2', 'tool-deny', 'deny'], ['c3', 'tool-allow-conversation', 'allow-conversation']] as const) {
      apply(started(id, 'rill_create_file'), state(id, 'pending-approval'));
      (inStep(id, button) as HTMLButtonElement).click();
      assert.deepEqual(approvals.at(-1), [id, choice]);
    }
  });

  it('never takes focus from the prompt box: Enter typed there must not approve', () => {
    const input = document.createElement('textarea');
    env.root.append(input);
    input.focus();
    apply(started('c1', 'rill_run_command', 1, '{"command":"ls"}'), state('c1', 'pending-approval'));
    assert.equal(document.activeElement, input);
    assert.ok(inStep('c1', 'tool-allow'), 'the buttons are there, and announced');
    assert.match(announced.textContent ?? '', /ls/);
  });

  it('shows the exact command of rill_run_command, as text, and announces it', () => {
    const command = 'rm -rf build; echo "<b>done</b>"';
    apply(started('c1', 'rill_run_command'), args('c1', JSON.stringify({ command })), state('c1', 'pending-approval'));
    const box = inStep('c1', 'tool-command') as HTMLElement;
    assert.equal(box.querySelector('code')?.textContent, command);
    assert.equal(box.querySelector('b'), null);
    assert.ok((announced.textContent ?? '').includes(command), 'the whole command is read out');
  });

  it('leaves a diff slot for edits and creates, filled once their arguments are complete', () => {
    apply(started('c1', 'rill_edit_file'), args('c1', '{"path":"a"}'));
    assert.equal(diffs.length, 0, 'not while the arguments stream');
    apply(state('c1', 'pending-approval'), started('c2', 'rill_read_file'), state('c2', 'running'));
    assert.deepEqual(diffs.map(([id]) => id), ['c1']);
    assert.equal(diffs[0]?.[1], inStep('c1', 'tool-diff'));
    assert.equal(inStep('c2', 'tool-diff'), null);
  });

  it('bounds a huge result in the DOM, collapsed, with a note and Show more', () => {
    const huge = 'x'.repeat(1_000_000);
    apply(started('c1', 'rill_run_command'), state('c1', 'running'), state('c1', 'done', { result: huge, cutChars: 5000 }));
    const result = inStep('c1', 'tool-result') as HTMLDetailsElement;
    assert.equal(result.tagName, 'DETAILS');
    assert.equal(result.open, false, 'collapsed');
    const pre = result.querySelector('pre') as HTMLElement;
    assert.equal(pre.textContent?.length, 2000);
    assert.ok((stepEl('c1').textContent ?? '').length < 3000, 'the page holds a chunk, not the output');
    assert.match(inStep('c1', 'tool-result-truncated')?.textContent ?? '', /2.?000 of 1.?000.?000/);
    assert.match(inStep('c1', 'tool-result-cut')?.textContent ?? '', /5.?000/);
    (inStep('c1', 'tool-result-more') as HTMLButtonElement).click();
    assert.equal(pre.textContent?.length, 4000);
  });

  it('bounds streaming arguments too (a whole file in rill_create_file)', () => {
    apply(started('c1', 'rill_create_file'));
    for (let i = 0; i < 100; i++) apply(args('c1', 'y'.repeat(1000)));
    assert.equal(inStep('c1', 'tool-arguments')?.textContent?.length, 4000);
    apply(state('c1', 'pending-approval'));
    assert.match(inStep('c1', 'tool-arguments-cut')?.textContent ?? '', /100.?000/);
  });

  it('shows hostile names, arguments, results and errors as text: no element is created', () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    apply(started('c1', evil, 1, evil), args('c1', evil), state('c1', 'running'), state('c1', 'error', { result: evil, error: evil }));
    apply({ kind: 'text', round: 2, text: evil }, started('c2', 'rill_read_file', 2));
    assert.equal(env.root.querySelector('script, img, [onerror]'), null);
    assert.ok((inStep('c1', 'tool-arguments')?.textContent ?? '').includes('<img src=x onerror=alert(2)>'));
    assert.equal(stepEl('c1').dataset.tool, evil);
    assert.equal(env.root.querySelector('[data-testid="agent-text"]')?.textContent, evil);
  });

  it('moves a round’s text above its calls once a call follows it; the final round’s text stays the answer', () => {
    apply({ kind: 'roundStarted', round: 1, tools: 3 }, { kind: 'text', round: 1, text: 'Let me ' }, { kind: 'text', round: 1, text: 'read it.' });
    assert.equal(env.root.querySelector('[data-testid="agent-text"]'), null, 'it streams in the body first');
    apply(started('c1', 'rill_read_file'), state('c1', 'running'), state('c1', 'done', { result: 'file' }), { kind: 'roundEnded', round: 1, toolCalls: 1 });
    const round1 = env.root.querySelector('[data-round="1"]') as HTMLElement;
    assert.deepEqual([...round1.children].map((el) => (el as HTMLElement).dataset.testid), ['agent-text', 'tool-step']);
    assert.deepEqual(settled, [[1, 'Let me read it.']]);
    apply({ kind: 'roundStarted', round: 2, tools: 3 }, { kind: 'text', round: 2, text: 'The answer.' }, { kind: 'roundEnded', round: 2, toolCalls: 0 });
    assert.equal(settled.length, 1, 'the final answer is not settled');
  });

  it('streams 20 steps without touching earlier ones: one text mutation per argument delta', () => {
    const observer = new env.window.MutationObserver(() => undefined);
    observer.observe(view.element, { subtree: true, childList: true, characterData: true, attributes: true });
    const kept: HTMLElement[] = [];
    let foreign = 0;
    for (let i = 0; i < 20; i++) {
      const id = `c${i}`;
      apply(started(id, 'rill_read_file'));
      const added = observer.takeRecords();
      assert.ok(added.length <= 2, 'the new step (and its round) appended, nothing else');
      assert.ok(added.every((r) => r.removedNodes.length === 0 && [...r.addedNodes].every((n) => n === stepEl(id) || (n as HTMLElement).contains(stepEl(id)))));
      for (let d = 0; d < 10; d++) apply(args(id, `{"n":${d}}`));
      const records = observer.takeRecords();
      assert.equal(records.length, 10, 'ten deltas, ten mutations');
      assert.ok(records.every((r) => r.type === 'characterData'));
      apply(state(id, 'running'), state(id, 'done', { result: 'r' }));
      foreign += observer.takeRecords().filter((r) => !stepEl(id).contains(r.target)).length;
      kept.push(stepEl(id));
    }
    assert.equal(foreign, 0, 'a step’s changes stay inside it');
    assert.deepEqual([...view.element.querySelectorAll('[data-testid="tool-step"]')], kept, 'every earlier step is the same node');
    assert.equal(env.flushFrames(), 1, 'one frame for all of it');
    assert.equal(renders, 1);
    observer.disconnect();
  });

  it('fits a streaming answer: steps above its body, a settled round’s text leaves the body', async () => {
    const { MessageView } = await import('../../../src/webview/message-view');
    const { AgentStepsView } = await import('../../../src/webview/agent/tool-step-view');
    const noop = () => undefined;
    const host = { rendered: noop, announce: noop, action: noop, copy: noop, regenerate: noop, edit: noop, insertCode: noop, openCode: noop, painted: noop, showDiagram: noop, openLink: noop, approve: noop, openDiff: noop, openFile: noop, applyCode: noop, linkFileRefs: noop };
    const message = new MessageView({ id: 'm1', role: 'assistant', text: '', state: 'streaming' }, host);
    const steps = new AgentStepsView({ approve: noop, announce: noop, textSettled: () => message.restartAnswer() });
    message.attachSteps(steps.element);
    env.root.append(message.element);
    const body = message.element.querySelector('[data-testid="message-body"]') as HTMLElement;
    const event = (e: AgentEvent) => {
      if (e.kind === 'text') message.append(e.text); // the wiring: text streams in the body as today
      steps.apply(e);
    };
    event({ kind: 'text', round: 1, text: 'Let me read it.' });
    env.flushFrames();
    assert.equal(body.textContent?.trim(), 'Let me read it.');
    event(started('c1', 'rill_read_file'));
    assert.equal(body.textContent, '', 'the body starts again for the next round');
    assert.equal(message.text, '');
    assert.equal(steps.element.nextElementSibling, body, 'the steps sit right above the body');
    assert.equal(steps.element.querySelector('[data-testid="agent-text"]')?.textContent, 'Let me read it.');
    event({ kind: 'text', round: 2, text: 'The **answer**.' });
    env.flushFrames();
    assert.equal(body.querySelector('strong')?.textContent, 'answer');
  });

  it('replays a saved conversation without announcing or moving focus', () => {
    view.replay([started('c1', 'rill_edit_file'), state('c1', 'pending-approval')]);
    assert.equal(announced.textContent, '');
    assert.notEqual(document.activeElement, inStep('c1', 'tool-allow'));
  });

  it('has Japanese for every string it shows', async () => {
    const l10n = await import('@vscode/l10n');
    const { strings } = await import('../../../src/webview/strings');
    const { readFileSync } = await import('node:fs');
    const all = () => {
      const t = strings.tool;
      const states = ['streaming', 'pending-approval', 'running', 'done', 'denied', 'error', 'stopped'] as const;
      return [
        ...states.map((s) => t.state(s)),
        ...[t.allow, t.allowConversation, t.deny, t.command, t.result, t.showMore, t.diffPreview, t.toolsUnsupported, t.compacted],
        ...[t.stepLabel('x'), t.approvalAsked('x'), t.commandAsked('x'), t.resultSize(5), t.shown(1, 2), t.argumentsCut(3), t.cutChars(4)],
      ];
    };
    const english = all();
    l10n.config({ contents: JSON.parse(readFileSync('l10n/bundle.l10n.ja.json', 'utf8')) as Record<string, string> });
    try {
      const japanese = all();
      english.forEach((en, i) => assert.notEqual(japanese[i], en, `no Japanese for: ${en}`));
    } finally {
      l10n.config({ contents: {} });
    }
  });
});
