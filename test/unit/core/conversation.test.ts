import { strict as assert } from 'node:assert';
import { Conversation } from '../../../src/core/conversation';

describe('Conversation', () => {
  it('keeps turns in order and numbers them uniquely', () => {
    const c = new Conversation();
    const u = c.addUser('hi');
    const a = c.startAssistant();
    c.append(a.id, 'hel');
    c.append(a.id, 'lo');
    c.finish(a.id, 'done', { usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 } });
    assert.notEqual(u.id, a.id);
    assert.deepEqual(
      c.list().map((m) => [m.role, m.text, m.state]),
      [['user', 'hi', 'done'], ['assistant', 'hello', 'done']],
    );
    assert.equal(c.list()[1]?.usage?.totalTokens, 5);
  });

  it('sends the system prompt first and leaves out a streaming or empty answer', () => {
    const c = new Conversation();
    c.addUser('one');
    const failed = c.startAssistant();
    c.finish(failed.id, 'error', { error: 'boom' });
    c.addUser('two');
    c.startAssistant();
    assert.deepEqual(c.toApiMessages('sys'), [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'one' },
      { role: 'user', content: 'two' },
    ]);
  });

  it('keeps a stopped partial answer in the context sent next', () => {
    const c = new Conversation();
    c.addUser('q');
    const a = c.startAssistant();
    c.append(a.id, 'partial');
    c.finish(a.id, 'stopped', {});
    assert.deepEqual(c.toApiMessages(''), [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'partial' },
    ]);
  });

  it('refuses to touch a message it does not hold', () => {
    assert.throws(() => new Conversation().append('nope', 'x'), /No message nope/);
  });
});
