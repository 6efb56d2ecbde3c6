import { strict as assert } from 'node:assert';
import type { ToolCall, ToolResult } from '../../../src/core/agent';
import { parseApproveList } from '../../../src/core/tools';
import { Approvals } from '../../../src/extension/agent/approvals';
import { hostToolRunner } from '../../../src/extension/agent/tool-runner';
import type { ChangePreview, HostTool } from '../../../src/extension/tools/host-tool';
import type { ChangePreviewView } from '../../../src/protocol/agent-messages';

function call(name: string, args: Record<string, unknown>, id = 'c1'): ToolCall {
  return { id, name, arguments: args, argumentsText: JSON.stringify(args), round: 1 };
}

/** A tool that records its runs; `preview` (when given) stands for an edit's change. */
function tool(name: string, readOnly: boolean, preview?: (args: Record<string, unknown>) => ChangePreview | { error: string }) {
  const runs: Record<string, unknown>[] = [];
  const host: HostTool = {
    definition: { name },
    source: { kind: 'builtin' },
    readOnly,
    run: async (args): Promise<ToolResult> => {
      runs.push(args);
      return { status: 'ok', content: `${name} ran` };
    },
    ...(preview ? { preview: async (args: Record<string, unknown>) => preview(args) } : {}),
  };
  return { host, runs };
}

describe('Approvals and the host ToolRunner (no VS Code)', () => {
  const signal = new AbortController().signal;
  let autoApprove: unknown[];
  let trusted: boolean;
  let approvals: Approvals;
  let previews: Array<[string, ChangePreviewView]>;

  beforeEach(() => {
    autoApprove = [];
    trusted = true;
    approvals = new Approvals();
    previews = [];
  });

  const runner = (...tools: HostTool[]) =>
    hostToolRunner(tools, {
      policy: () => ({ autoApprove: parseApproveList(autoApprove), trusted }),
      approvals,
      onPreview: (stepId, view) => previews.push([stepId, view]),
    });

  it('runs read-only tools at once, and asks for the rest', async () => {
    const read = tool('rill_read_file', true);
    const edit = tool('rill_edit_file', false);
    const r = runner(read.host, edit.host);
    assert.deepEqual(r.approve?.(call('rill_read_file', { path: 'a' }), signal), { allow: true });
    const asked = r.approve?.(call('rill_edit_file', { path: 'a' }, 'e1'), signal);
    assert.ok(asked instanceof Promise, 'an edit waits for the user');
    assert.ok(approvals.isWaiting('e1'));
    assert.equal(approvals.answer('e1', 'deny'), true);
    assert.deepEqual(await asked, { allow: false });
    assert.equal(approvals.answer('e1', 'allow'), false, 'an answered call cannot be answered again');
  });

  it('auto-approves a command only when the whole line matches', async () => {
    autoApprove = ['rill_run_command:npm test'];
    const command = tool('rill_run_command', false);
    const r = runner(command.host);
    assert.deepEqual(r.approve?.(call('rill_run_command', { command: '  npm test ' }), signal), { allow: true });
    for (const line of ['npm test; rm -rf ~', 'npm test && curl x', 'npm test\nrm -rf ~', 'npm testx', 'npm test $(evil)']) {
      const asked = r.approve?.(call('rill_run_command', { command: line }, 'x'), signal);
      assert.ok(asked instanceof Promise, `"${line}" must be asked`);
      approvals.answer('x', 'deny');
      assert.deepEqual(await asked, { allow: false });
    }
  });

  it('"Allow for this conversation" approves the same tool (or the same exact command) later, nothing else', async () => {
    const edit = tool('rill_edit_file', false);
    const command = tool('rill_run_command', false);
    const r = runner(edit.host, command.host);
    const first = r.approve?.(call('rill_edit_file', { path: 'a' }, 'e1'), signal);
    approvals.answer('e1', 'allow-conversation');
    assert.deepEqual(await first, { allow: true });
    assert.deepEqual(r.approve?.(call('rill_edit_file', { path: 'b' }, 'e2'), signal), { allow: true });

    const ls = r.approve?.(call('rill_run_command', { command: 'ls' }, 'r1'), signal);
    approvals.answer('r1', 'allow-conversation');
    assert.deepEqual(await ls, { allow: true });
    assert.deepEqual(r.approve?.(call('rill_run_command', { command: 'ls' }, 'r2'), signal), { allow: true });
    assert.ok(r.approve?.(call('rill_run_command', { command: 'ls; rm x' }, 'r3'), signal) instanceof Promise);
  });

  it('in Restricted Mode refuses what is not read-only, whatever the lists say', () => {
    trusted = false;
    autoApprove = ['rill_edit_file'];
    const r = runner(tool('rill_edit_file', false).host, tool('rill_read_file', true).host);
    const verdict = r.approve?.(call('rill_edit_file', { path: 'a' }), signal);
    assert.ok(verdict && !(verdict instanceof Promise) && !verdict.allow);
    assert.match(String((verdict as { reason?: string }).reason), /not trusted/);
    assert.deepEqual(r.approve?.(call('rill_read_file', { path: 'a' }), signal), { allow: true }, 'reading still works');
  });

  it('shows an edit’s change before asking, and never runs an edit whose change cannot apply', async () => {
    const edit = tool('rill_edit_file', false, (args) =>
      args.oldText === 'missing' ? { error: 'oldText was not found in a.txt.' } : { path: 'a.txt', before: 'hello\n', after: 'bye\n' },
    );
    const r = runner(edit.host);
    const asked = r.approve?.(call('rill_edit_file', { path: 'a.txt', oldText: 'hello', newText: 'bye' }, 'e1'), signal);
    assert.ok(asked instanceof Promise);
    // The preview is computed before the wait starts.
    for (let i = 0; i < 5 && !approvals.isWaiting('e1'); i++) await Promise.resolve();
    assert.deepEqual(previews.map(([id, view]) => [id, view.added, view.removed]), [['e1', 1, 1]]);
    approvals.answer('e1', 'allow');
    assert.deepEqual(await asked, { allow: true });
    assert.deepEqual(await r.run(call('rill_edit_file', { path: 'a.txt' }, 'e1'), signal), { status: 'ok', content: 'rill_edit_file ran' });

    const bad = call('rill_edit_file', { path: 'a.txt', oldText: 'missing', newText: 'x' }, 'e2');
    assert.deepEqual(await r.approve?.(bad, signal), { allow: true }, 'nobody is asked about a change that cannot apply');
    assert.deepEqual(await r.run(bad, signal), { status: 'error', message: 'oldText was not found in a.txt.' });
    assert.equal(edit.runs.length, 1, 'the failed edit never ran');
  });

  it('Stop ends a wait for approval', async () => {
    const controller = new AbortController();
    const r = runner(tool('rill_create_file', false).host);
    const asked = r.approve?.(call('rill_create_file', { path: 'n.txt', content: '' }, 'n1'), controller.signal);
    controller.abort();
    assert.equal((await asked)?.allow, false);
    assert.equal(approvals.isWaiting('n1'), false);
  });
});
