import { strict as assert } from 'node:assert';
import { TOOL_NAME } from '../../../../src/core/agent';
import { allocateToolNames, isRillToolName, lmToolName, mcpToolName, sanitiseToolName, shortHash } from '../../../../src/core/tools/tool-names';

describe('tools: names the model sees for MCP and VS Code tools', () => {
  it('MCP tools are mcp_<server>_<tool>, with invalid characters replaced', () => {
    assert.equal(mcpToolName('everything', 'echo'), 'mcp_everything_echo');
    assert.equal(mcpToolName('everything', 'get-sum'), 'mcp_everything_get-sum');
    assert.equal(mcpToolName('my server', 'fs.read/file'), 'mcp_my_server_fs_read_file');
    assert.equal(mcpToolName('日本', 'ツール'), 'mcp_' + '_'.repeat(2 + 1 + 3));
  });

  it('every name is valid, whatever the input', () => {
    const inputs = ['', ' ', 'a'.repeat(300), '🙂'.repeat(40), 'x\u0000y', 'über-tool', '$(rm -rf)', '\n'];
    for (const a of inputs) {
      for (const b of inputs) assert.match(mcpToolName(a, b), TOOL_NAME, JSON.stringify([a, b]));
      assert.match(sanitiseToolName(a), TOOL_NAME);
      assert.match(lmToolName(a), TOOL_NAME);
    }
  });

  it('a long name is cut to 64 and ends with a hash of the whole identity, so near-twins differ', () => {
    const long = 'a_really_long_tool_name_that_goes_on_and_on_and_on_and_on_forever';
    const one = mcpToolName('server', `${long}_one`);
    const two = mcpToolName('server', `${long}_two`);
    assert.equal(one.length, 64);
    assert.notEqual(one, two);
    assert.equal(one.slice(0, 55), two.slice(0, 55));
    assert.match(one, /_[0-9a-f]{8}$/);
    assert.equal(mcpToolName('server', `${long}_one`), one, 'stable');
  });

  it('the hash is the same in every run (on/off choices are stored by name)', () => {
    assert.equal(shortHash(''), '811c9dc5');
    assert.equal(shortHash('a'), 'e40c292c');
    assert.equal(shortHash('mcp\u0000s\u0000t'), shortHash('mcp\u0000s\u0000t'));
  });

  it('a VS Code tool keeps a valid name; an invalid one is sanitised', () => {
    assert.equal(lmToolName('copilot_readFile'), 'copilot_readFile');
    assert.equal(lmToolName('vscode-websearchforcopilot_webSearch'), 'vscode-websearchforcopilot_webSearch');
    assert.equal(lmToolName('ext.tool name'), 'ext_tool_name');
  });

  it("Rill's own names are recognised", () => {
    assert.ok(isRillToolName('rill_read_file'));
    assert.ok(isRillToolName('rill_something_new'));
    assert.ok(!isRillToolName('copilot_readFile'));
    assert.ok(!isRillToolName('mcp_rill_x'));
  });

  it('clashes: first come keeps the name, later ones get a stable hash suffix; reserved names are never given', () => {
    // `a_b` + `c` and `a` + `b_c` both want mcp_a_b_c.
    const requests = [
      { wanted: mcpToolName('a_b', 'c'), identity: 'mcp\u0000a_b\u0000c' },
      { wanted: mcpToolName('a', 'b_c'), identity: 'mcp\u0000a\u0000b_c' },
      { wanted: 'rill_read_file', identity: 'vscode\u0000rill_read_file' },
    ];
    const names = allocateToolNames(requests, ['rill_read_file']);
    assert.equal(names[0], 'mcp_a_b_c');
    assert.match(names[1] ?? '', /^mcp_a_b_c_[0-9a-f]{8}$/);
    assert.notEqual(names[2], 'rill_read_file');
    assert.equal(new Set(names).size, 3);
    assert.deepEqual(allocateToolNames(requests, ['rill_read_file']), names, 'deterministic');
  });

  it('a server listing the same tool twice still gets unique, valid names', () => {
    const request = { wanted: 'mcp_s_t', identity: 'mcp\u0000s\u0000t' };
    const names = allocateToolNames([request, request, request]);
    assert.equal(new Set(names).size, 3);
    for (const name of names) assert.match(name, TOOL_NAME);
  });

  it('a long name that clashes stays within 64', () => {
    const wanted = 'x'.repeat(64);
    const names = allocateToolNames([{ wanted, identity: '1' }, { wanted, identity: '2' }]);
    assert.equal(names[1]?.length, 64);
    assert.notEqual(names[0], names[1]);
  });
});
