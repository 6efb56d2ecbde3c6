import { strict as assert } from 'node:assert';
import { approvalEntry, decideApproval, parseApproveList, type ApprovalPolicy } from '../../../../src/core/tools';

const run = (command: unknown) => ({ name: 'rill_run_command', arguments: { command } });
const policy = (entries: unknown, extra: Partial<ApprovalPolicy> = {}): ApprovalPolicy => ({ autoApprove: parseApproveList(entries), trusted: true, ...extra });

describe('tools: approval of a call', () => {
  const npmTest = policy(['rill_run_command:npm test']);

  it('an approved command runs when it is the whole command, trimmed', () => {
    for (const command of ['npm test', '  npm test', 'npm test\n', '\tnpm test \r\n']) {
      assert.deepEqual(decideApproval(run(command), false, npmTest), { kind: 'run', why: 'auto-approved' }, JSON.stringify(command));
    }
  });

  it('never by prefix: chains, pipes, new lines, substitutions and longer words ask the user', () => {
    const tricks = [
      'npm test; rm -rf ~',
      'npm test && curl x',
      'npm test || curl x',
      'npm test | sh',
      'npm test\nrm -rf ~',
      'npm test\r\nrm',
      'npm testx',
      'npm test $(evil)',
      'npm test `evil`',
      'npm test > ~/.bashrc',
      'npm test &',
      'npm  test',
      'NPM TEST',
      'npm test\u200b',
      'npm test # comment',
      'npm test\u2028rm',
      'echo; npm test',
    ];
    for (const command of tricks) assert.deepEqual(decideApproval(run(command), false, npmTest), { kind: 'ask' }, JSON.stringify(command));
  });

  it('an entry is trimmed too, and only the exact entry approves', () => {
    const spaced = policy(['  rill_run_command:  npm test  ']);
    assert.equal(decideApproval(run('npm test'), false, spaced).kind, 'run');
    assert.equal(decideApproval(run('npm'), false, spaced).kind, 'ask');
  });

  it('a bare "rill_run_command" entry approves no command, and says why', () => {
    const bare = policy(['rill_run_command']);
    assert.deepEqual(decideApproval(run('ls'), false, bare), { kind: 'ask' });
    assert.match(bare.autoApprove.ignored[0]?.why ?? '', /one by one/);
  });

  it('other tools are approved by name, exactly', () => {
    const edits = policy(['rill_edit_file', 'my_mcp_tool']);
    assert.equal(decideApproval({ name: 'rill_edit_file', arguments: {} }, false, edits).kind, 'run');
    assert.equal(decideApproval({ name: 'my_mcp_tool', arguments: {} }, false, edits).kind, 'run');
    assert.equal(decideApproval({ name: 'rill_create_file', arguments: {} }, false, edits).kind, 'ask');
    assert.equal(decideApproval({ name: 'rill_edit_fil', arguments: {} }, false, edits).kind, 'ask');
    assert.equal(decideApproval(run('ls'), false, edits).kind, 'ask');
  });

  it('a malformed or empty command is never auto-approved', () => {
    const empty = policy(['rill_run_command:npm test', 'rill_run_command:']);
    for (const command of [undefined, 42, ['npm test'], '', '   ']) assert.equal(decideApproval(run(command), false, empty).kind, 'ask');
    assert.match(empty.autoApprove.ignored[0]?.why ?? '', /no command/);
  });

  it('read-only tools run without asking; in an untrusted workspace nothing else runs, whatever the list', () => {
    assert.deepEqual(decideApproval({ name: 'rill_read_file', arguments: {} }, true, policy([], { trusted: false })), { kind: 'run', why: 'read-only' });
    const untrusted = policy(['rill_edit_file', 'rill_run_command:npm test'], { trusted: false });
    for (const call of [{ name: 'rill_edit_file', arguments: {} }, run('npm test')]) {
      const verdict = decideApproval(call, false, untrusted);
      assert.equal(verdict.kind, 'refuse');
      assert.match(verdict.kind === 'refuse' ? verdict.message : '', /not trusted/);
    }
  });

  it('"Allow for this conversation" remembers the exact command, in the same entry format', () => {
    const entry = approvalEntry('rill_run_command', { command: ' npm run build ' });
    assert.equal(entry, 'rill_run_command:npm run build');
    const allowed = policy([], { conversation: parseApproveList([entry]) });
    assert.deepEqual(decideApproval(run('npm run build'), false, allowed), { kind: 'run', why: 'allowed-in-conversation' });
    assert.equal(decideApproval(run('npm run build; rm x'), false, allowed).kind, 'ask');
    assert.equal(approvalEntry('rill_edit_file', { path: 'a' }), 'rill_edit_file');
    assert.equal(approvalEntry('rill_run_command', { command: '  ' }), undefined);
  });

  it('the setting is read defensively: odd values are ignored and reported, never approving', () => {
    const list = parseApproveList(['ok_tool', 7, null, 'has space', 'a:b', '']);
    assert.deepEqual([...list.tools], ['ok_tool']);
    assert.deepEqual(list.ignored.map((item) => item.entry), ['7', 'null', 'has space', 'a:b', '']);
    assert.deepEqual([...parseApproveList(undefined).tools], []);
    assert.deepEqual([...parseApproveList('rill_edit_file').tools], ['rill_edit_file']);
    assert.deepEqual([...parseApproveList({ rill_edit_file: true }).tools], []);
  });
});
