import { strict as assert } from 'node:assert';
import { Conversation } from '../../../src/core/conversation';

describe('Conversation', () => {
  it('keeps turns in order and numbers them uniquely', () => {
    const c = new Conversation();
    const u = c.addUser('hi');
    const a = c.startAssistant();
    c.append(a.id, 'hel');
    c.append(a.id, 'lo');
    c.finish(a.id, { state: 'done', usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 } });
    assert.notEqual(u.id, a.id);
    assert.deepEqual(
      c.list().map((m) => [m.role, m.text, m.state]),
      [['user', 'hi', 'done'], ['assistant', 'hello', 'done']],
    );
    assert.equal(c.list()[1]?.usage?.totalTokens, 5);
  });

  it('leaves a streaming or empty answer out of the history sent to the model', () => {
    const c = new Conversation();
    c.addUser('one');
    const failed = c.startAssistant();
    c.finish(failed.id, { state: 'error', error: 'boom' });
    c.addUser('two');
    c.startAssistant();
    assert.deepEqual(c.history(), [
      { role: 'user', content: 'one' },
      { role: 'user', content: 'two' },
    ]);
  });

  it('clears fields a continued answer no longer has', () => {
    const c = new Conversation();
    const a = c.startAssistant();
    c.finish(a.id, { state: 'truncated', error: 'cut off', actions: ['continue'] });
    c.finish(a.id, { state: 'done', error: undefined, actions: undefined });
    assert.deepEqual(c.get(a.id), { id: a.id, role: 'assistant', text: '', state: 'done' });
  });

  it('cuts the transcript from a message on, for regenerating or editing', () => {
    const c = new Conversation();
    const u = c.addUser('q');
    c.startAssistant();
    c.addUser('q2');
    c.truncateFrom(u.id);
    assert.equal(c.list().length, 0);
    assert.throws(() => c.truncateFrom('m99'), /No message m99/);
  });

  it('continues numbering after a saved transcript', () => {
    const c = new Conversation([
      { id: 'm1', role: 'user', text: 'a', state: 'done' },
      { id: 'm7', role: 'assistant', text: 'b', state: 'done' },
    ]);
    assert.equal(c.addUser('c').id, 'm8');
  });

  it('keeps a stopped partial answer in the context sent next', () => {
    const c = new Conversation();
    c.addUser('q');
    const a = c.startAssistant();
    c.append(a.id, 'partial');
    c.finish(a.id, { state: 'stopped' });
    assert.deepEqual(c.history(), [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'partial' },
    ]);
  });

  it('refuses to touch a message it does not hold', () => {
    assert.throws(() => new Conversation().append('nope', 'x'), /No message nope/);
  });
});
