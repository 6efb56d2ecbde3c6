import { strict as assert } from 'node:assert';
import { offerTools } from '../../../../src/core/agent';
import { BUILTIN_TOOLS, builtinTools, checkArguments, isBuiltinTool } from '../../../../src/core/tools';

/** The contract of issue 12, item 2: names, arguments, which are required. Other tests hold Rill to it. */
const CONTRACT: Record<string, { required: string[]; optional: string[]; readOnly: boolean }> = {
  rill_read_file: { required: ['path'], optional: ['startLine', 'endLine'], readOnly: true },
  rill_list_files: { required: [], optional: ['pattern'], readOnly: true },
  rill_search_text: { required: ['query'], optional: ['pattern'], readOnly: true },
  rill_diagnostics: { required: [], optional: ['path'], readOnly: true },
  rill_edit_file: { required: ['path', 'oldText', 'newText'], optional: [], readOnly: false },
  rill_create_file: { required: ['path', 'content'], optional: [], readOnly: false },
  rill_run_command: { required: ['command'], optional: [], readOnly: false },
};

describe('tools: the built-in definitions are the contract', () => {
  it('names, properties, required fields and read-only flags are exactly as specified, in that order', () => {
    assert.deepEqual(BUILTIN_TOOLS.map((tool) => tool.name), Object.keys(CONTRACT));
    for (const tool of BUILTIN_TOOLS) {
      const expected = CONTRACT[tool.name]!;
      assert.deepEqual(Object.keys(tool.parameters.properties).sort(), [...expected.required, ...expected.optional].sort(), tool.name);
      assert.deepEqual(tool.parameters.required, expected.required, tool.name);
      assert.equal(tool.parameters.type, 'object');
      assert.equal(tool.parameters.additionalProperties, false);
      assert.equal(tool.readOnly, expected.readOnly, tool.name);
      assert.ok(tool.description.length > 30, `${tool.name} tells the model what it does`);
    }
    const read = BUILTIN_TOOLS[0]!.parameters.properties;
    assert.equal(read.startLine?.type, 'integer');
    assert.equal(read.path?.type, 'string');
  });

  it('the agent loop offers all seven as they are, none left out', () => {
    const offer = offerTools(builtinTools({ trusted: true }));
    assert.deepEqual(offer.omitted, []);
    assert.deepEqual(offer.tools.map((tool) => tool.function.name), Object.keys(CONTRACT));
    assert.deepEqual(offer.tools[4]?.function.parameters, BUILTIN_TOOLS[4]!.parameters);
  });

  it('an untrusted workspace is offered the read-only tools only', () => {
    assert.deepEqual(builtinTools({ trusted: false }).map((tool) => tool.name), ['rill_read_file', 'rill_list_files', 'rill_search_text', 'rill_diagnostics']);
  });

  it('isBuiltinTool knows the seven and nothing else', () => {
    assert.ok(Object.keys(CONTRACT).every(isBuiltinTool));
    assert.equal(isBuiltinTool('read_file'), false);
    assert.equal(isBuiltinTool('RILL_READ_FILE'), false);
  });
});

describe('tools: arguments are checked against the schema', () => {
  it('valid arguments pass, and only the schema\'s keys come back (null optional = absent)', () => {
    assert.deepEqual(checkArguments('rill_read_file', { path: 'a.ts', startLine: 3, endLine: 3 }), { ok: true, value: { path: 'a.ts', startLine: 3, endLine: 3 } });
    assert.deepEqual(checkArguments('rill_read_file', { path: 'a.ts', startLine: null }), { ok: true, value: { path: 'a.ts' } });
    assert.deepEqual(checkArguments('rill_list_files', {}), { ok: true, value: {} });
    assert.deepEqual(checkArguments('rill_edit_file', { path: 'a', oldText: '  \n', newText: '' }), { ok: true, value: { path: 'a', oldText: '  \n', newText: '' } });
    assert.deepEqual(checkArguments('rill_create_file', { path: 'a', content: '' }), { ok: true, value: { path: 'a', content: '' } });
  });

  const failures: [Parameters<typeof checkArguments>[0], Record<string, unknown>, RegExp][] = [
    ['rill_read_file', {}, /"path" is required \(string\)/],
    ['rill_read_file', { path: 7 }, /"path" must be a string, not 7/],
    ['rill_read_file', { path: '' }, /"path" must not be empty/],
    ['rill_read_file', { path: '  ' }, /"path" must not be only whitespace/],
    ['rill_read_file', { path: 'a', startLine: 0 }, /"startLine" must be at least 1/],
    ['rill_read_file', { path: 'a', startLine: -2 }, /at least 1/],
    ['rill_read_file', { path: 'a', startLine: 1.5 }, /"startLine" must be an integer, not 1.5/],
    ['rill_read_file', { path: 'a', startLine: '10' }, /must be an integer, not the string "10"/],
    ['rill_read_file', { path: 'a', startLine: 9, endLine: 3 }, /startLine \(9\) is after endLine \(3\)/],
    ['rill_read_file', { path: 'a', line: 4 }, /unknown argument "line" \(it takes only path, startLine, endLine\)/],
    ['rill_list_files', { pattern: ['*.ts'] }, /"pattern" must be a string, not an array/],
    ['rill_search_text', { pattern: '*.ts' }, /"query" is required/],
    ['rill_edit_file', { path: 'a', oldText: '', newText: 'x' }, /"oldText" must not be empty/],
    ['rill_edit_file', { path: 'a', oldText: 'x' }, /"newText" is required/],
    ['rill_create_file', { path: 'a', content: { text: 'x' } }, /"content" must be a string, not an object/],
    ['rill_run_command', { command: 'ls', cwd: '/' }, /unknown argument "cwd"/],
    ['rill_run_command', { command: true }, /must be a string, not a boolean/],
  ];
  for (const [name, args, message] of failures) {
    it(`${name} ${JSON.stringify(args)} is refused with a message for the model`, () => {
      const result = checkArguments(name, args);
      assert.ok(!result.ok);
      assert.match(result.message, new RegExp(`^Invalid arguments for ${name}: `));
      assert.match(result.message, message);
    });
  }

  it('every problem is reported at once, and nothing throws on odd input', () => {
    const result = checkArguments('rill_edit_file', { path: 1, extra: 2, __proto__: 3 } as Record<string, unknown>);
    assert.ok(!result.ok);
    assert.match(result.message, /unknown argument "extra".*"path" must be a string.*"oldText" is required.*"newText" is required/);
    assert.doesNotThrow(() => checkArguments('rill_diagnostics', Object.create(null) as Record<string, unknown>));
  });
});
