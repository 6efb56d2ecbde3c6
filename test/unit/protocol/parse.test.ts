import { strict as assert } from 'node:assert';
import { MAX_PROMPT_CHARS, parseFromWebview } from '../../../src/protocol/parse';

describe('parseFromWebview', () => {
  it('accepts the closed set of messages', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'stop', at: 1.5e12 }), { type: 'stop', at: 1.5e12 });
    assert.deepEqual(parseFromWebview({ type: 'send', text: 'こんにちは', at: 1.5e12 }), { type: 'send', text: 'こんにちは', at: 1.5e12 });
    assert.deepEqual(parseFromWebview({ type: 'painted', messageId: 'm2', which: 'first', at: 1.5e12 }), { type: 'painted', messageId: 'm2', which: 'first', at: 1.5e12 });
    assert.deepEqual(parseFromWebview({ type: 'action', messageId: 'm2', action: 'continue' }), { type: 'action', messageId: 'm2', action: 'continue' });
    const approval = { type: 'toolApproval', messageId: 'm2', stepId: 'chatcmpl-tool-9f.1:x_2', choice: 'allow-conversation' };
    assert.deepEqual(parseFromWebview(approval), approval);
    assert.deepEqual(parseFromWebview({ type: 'openDiff', messageId: 'm2', stepId: 'call_abc' }), { type: 'openDiff', messageId: 'm2', stepId: 'call_abc' });
    assert.deepEqual(parseFromWebview({ type: 'setTools', enabled: false }), { type: 'setTools', enabled: false });
  });

  const refused: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'ready'],
    ['an unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['extra fields', { type: 'stop', at: 1, command: 'x' }],
    ['send without text', { type: 'send', at: 1 }],
    ['send without its time', { type: 'send', text: 'hi' }],
    ['send with a time that is not a number', { type: 'send', text: 'hi', at: 'now' }],
    ['send with a non-string', { type: 'send', text: 42, at: 1 }],
    ['send with only blanks', { type: 'send', text: '  \n ', at: 1 }],
    ['send over the size limit', { type: 'send', text: 'x'.repeat(MAX_PROMPT_CHARS + 1), at: 1 }],
    ['a paint report of an unknown kind', { type: 'painted', messageId: 'm2', which: 'middle', at: 1 }],
    ['an action outside the closed set', { type: 'action', messageId: 'm2', action: 'workbench.action.terminal.new' }],
    ['an action with a strange message id', { type: 'action', messageId: '../../x', action: 'retry' }],
    ['an approval with a choice outside the closed set', { type: 'toolApproval', messageId: 'm2', stepId: 'call_a', choice: 'allow-always' }],
    ['an approval with a strange step id', { type: 'toolApproval', messageId: 'm2', stepId: 'call a; rm', choice: 'allow' }],
    ['an approval with an over-long step id', { type: 'toolApproval', messageId: 'm2', stepId: 'x'.repeat(81), choice: 'allow' }],
    ['an approval without its step', { type: 'toolApproval', messageId: 'm2', choice: 'allow' }],
    ['a tools switch that is not a boolean', { type: 'setTools', enabled: 'yes' }],
    ['a prototype-polluting key', JSON.parse('{"type":"ready","__proto__":{"x":1}}')],
  ];
  for (const [name, value] of refused) {
    it(`refuses ${name}`, () => assert.equal(parseFromWebview(value), undefined));
  }
});
