import { strict as assert } from 'node:assert';
import { Conversation } from '../../../../src/core/conversation';
import { parseSessionRecord, newSessionRecord, type SessionRecord } from '../../../../src/core/sessions/session-record';

const CONTEXT = 'The user attached:\n\nsrc/a.ts (lines 1-2, file):\n```ts\nconst a = 1;\nconst b = 2;\n```';

describe('attached context in saved conversations and in the history sent', () => {
  it('sends a prompt\'s attachments before its text, in later turns too', () => {
    const c = new Conversation();
    c.addUser('What does a.ts do?', { attachments: [{ id: 'c1', kind: 'file', path: 'src/a.ts' }], context: CONTEXT });
    const answer = c.startAssistant();
    c.append(answer.id, 'It sets a and b.');
    c.finish(answer.id, { state: 'done' });
    c.addUser('Thanks');
    const history = c.history();
    assert.equal(history[0]?.content, `${CONTEXT}\n\nWhat does a.ts do?`);
    assert.equal(history[1]?.content, 'It sets a and b.');
    assert.equal(history[2]?.content, 'Thanks', 'a prompt without attachments is its text alone');
  });

  it('keeps no context on a prompt without attachments', () => {
    const c = new Conversation();
    const m = c.addUser('hi', { attachments: [], context: 'stray' });
    assert.equal(m.context, undefined);
    assert.equal(m.attachments, undefined);
  });

  it('reads back chips, context and left-out notes as saved, and drops only damaged entries', () => {
    const record: SessionRecord = {
      ...newSessionRecord('s1', 1),
      messages: [
        { id: 'm1', role: 'user', text: 'Explain', state: 'done', attachments: [{ id: 'c1', kind: 'selection', path: 'src/a.ts', startLine: 3, endLine: 9 }, { id: 'c2', kind: 'problems' }], context: CONTEXT },
        { id: 'm2', role: 'assistant', text: 'Sure', state: 'done', contextLeftOut: [{ kind: 'file', path: 'big.ts', fromLine: 201, toLine: 900, totalLines: 900 }] },
      ],
    };
    const parsed = parseSessionRecord(JSON.parse(JSON.stringify(record)));
    assert.deepEqual(parsed, record);

    const damaged = JSON.parse(JSON.stringify(record)) as { messages: Array<Record<string, unknown>> };
    damaged.messages[0]!.attachments = [{ id: 'bad id!', kind: 'file' }, { id: 'c3', kind: 'teleport' }, { id: 'c4', kind: 'file', path: 'ok.ts', startLine: 0 }];
    damaged.messages[1]!.contextLeftOut = [{ kind: 'file', fromLine: 'x', toLine: 2, totalLines: 2 }];
    const again = parseSessionRecord(damaged);
    assert.ok(again, 'a damaged chip never costs the conversation');
    assert.deepEqual(again.messages[0]?.attachments, [{ id: 'c4', kind: 'file', path: 'ok.ts' }]);
    assert.equal(again.messages[0]?.context, CONTEXT);
    assert.equal(again.messages[1]?.contextLeftOut, undefined);
    assert.equal(again.messages[1]?.text, 'Sure');
  });
});

describe('a conversation exported as Markdown', () => {
  it('names a prompt\'s attachments under it, not their text', async () => {
    const { sessionToMarkdown } = await import('../../../../src/core/sessions/export-markdown');
    const record: SessionRecord = {
      ...newSessionRecord('s1', 1),
      title: 'T',
      messages: [
        { id: 'm1', role: 'user', text: 'Why?', state: 'done', attachments: [{ id: 'a', kind: 'selection', path: 'src/a.ts', startLine: 3, endLine: 9 }, { id: 'b', kind: 'problems' }], context: CONTEXT },
        { id: 'm2', role: 'assistant', text: 'Because.', state: 'done' },
      ],
    };
    const md = sessionToMarkdown(record, { user: 'You', assistant: 'Rill', states: { stopped: 's', error: 'e', truncated: 't', streaming: 'x' }, attached: 'Attached', workspaceProblems: 'Problems (workspace)' }, () => 'today');
    assert.match(md, /> Why\?\n\n_Attached: `src\/a\.ts:3-9`, Problems \(workspace\)_\n/);
    assert.ok(!md.includes('const a = 1;'), 'the attached text stays out of the export');
    assert.match(md, /Because\./);
  });
});
