import { strict as assert } from 'node:assert';
import { MAX_PROMPT_CHARS, parseFromWebview } from '../../../src/protocol/parse';

describe('parseFromWebview', () => {
  it('accepts the closed set of messages', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'stop' }), { type: 'stop' });
    assert.deepEqual(parseFromWebview({ type: 'send', text: 'こんにちは' }), { type: 'send', text: 'こんにちは' });
    assert.deepEqual(parseFromWebview({ type: 'action', messageId: 'm2', action: 'continue' }), { type: 'action', messageId: 'm2', action: 'continue' });
  });

  const refused: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'ready'],
    ['an unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['extra fields', { type: 'stop', command: 'x' }],
    ['send without text', { type: 'send' }],
    ['send with a non-string', { type: 'send', text: 42 }],
    ['send with only blanks', { type: 'send', text: '  \n ' }],
    ['send over the size limit', { type: 'send', text: 'x'.repeat(MAX_PROMPT_CHARS + 1) }],
    ['an action outside the closed set', { type: 'action', messageId: 'm2', action: 'workbench.action.terminal.new' }],
    ['an action with a strange message id', { type: 'action', messageId: '../../x', action: 'retry' }],
    ['a prototype-polluting key', JSON.parse('{"type":"ready","__proto__":{"x":1}}')],
  ];
  for (const [name, value] of refused) {
    it(`refuses ${name}`, () => assert.equal(parseFromWebview(value), undefined));
  }
});
