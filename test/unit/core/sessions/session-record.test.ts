import { strict as assert } from 'node:assert';
import { sessionToMarkdown } from '../../../../src/core/sessions/export-markdown';
import { newSessionRecord, parseSessionRecord, recoverInterrupted, titleFrom, type SessionRecord } from '../../../../src/core/sessions/session-record';

const record = (): SessionRecord => ({
  ...newSessionRecord('s1', 1_700_000_000_000),
  title: 'Sorting',
  messages: [
    { id: 'm1', role: 'user', text: 'How do I sort?\n# not a heading', state: 'done' },
    { id: 'm2', role: 'assistant', text: 'Use `sort()`.', state: 'done', usage: { promptTokens: 5, completionTokens: 4, totalTokens: 9 } },
    { id: 'm3', role: 'user', text: 'And in reverse?', state: 'done' },
    { id: 'm4', role: 'assistant', text: 'Use `reverse', state: 'streaming' },
  ],
});

describe('session records', () => {
  it('title a conversation by the first line of its first prompt, cut at a word', () => {
    assert.equal(titleFrom('  Explain this code\nplease'), 'Explain this code');
    const long = titleFrom('word '.repeat(30));
    assert.ok(long.length <= 61 && long.endsWith('…'));
    assert.equal(titleFrom('日本語のタイトル'), '日本語のタイトル');
  });

  it('keep an answer interrupted by a reload, marked with a retry', () => {
    const recovered = recoverInterrupted(record(), 'Interrupted');
    const last = recovered.messages.at(-1);
    assert.deepEqual(last, { id: 'm4', role: 'assistant', text: 'Use `reverse', state: 'truncated', error: 'Interrupted', actions: ['retry'] });
    assert.equal(recovered.messages[1]?.state, 'done', 'finished messages are untouched');
  });

  it('round-trip through JSON', () => {
    const original = record();
    assert.deepEqual(parseSessionRecord(JSON.parse(JSON.stringify(original))), original);
  });

  const damaged: Array<[string, unknown]> = [
    ['not an object', 'hello'],
    ['another version', { ...record(), version: 2 }],
    ['a path in the id', { ...record(), id: '../../etc' }],
    ['a message with an unknown state', { ...record(), messages: [{ id: 'm1', role: 'user', text: 'x', state: 'exploded' }] }],
    ['a message without text', { ...record(), messages: [{ id: 'm1', role: 'user', state: 'done' }] }],
    ['a system message', { ...record(), messages: [{ id: 'm1', role: 'system', text: 'x', state: 'done' }] }],
  ];
  for (const [name, value] of damaged) {
    it(`refuse ${name}`, () => assert.equal(parseSessionRecord(value), undefined));
  }

  it('drop unknown actions from a saved message instead of trusting them', () => {
    const value = { ...record(), messages: [{ id: 'm1', role: 'assistant', text: 'x', state: 'error', actions: ['retry', 'runShell'] }] };
    assert.deepEqual(parseSessionRecord(value)?.messages[0]?.actions, ['retry']);
  });
});

describe('sessionToMarkdown', () => {
  it('writes the conversation as Markdown, quoting prompts and noting unfinished answers', () => {
    const labels = { user: 'You', assistant: 'Rill', states: { stopped: 'Stopped', error: 'Error', truncated: 'Incomplete', streaming: 'Still streaming' } };
    const markdown = sessionToMarkdown(recoverInterrupted(record(), 'Interrupted'), labels, () => '2023-11-14');
    assert.equal(
      markdown,
      [
        '# Sorting',
        '',
        '_2023-11-14_',
        '',
        '## You',
        '',
        '> How do I sort?',
        '> # not a heading',
        '',
        '## Rill',
        '',
        'Use `sort()`.',
        '',
        '## You',
        '',
        '> And in reverse?',
        '',
        '## Rill',
        '',
        'Use `reverse',
        '',
        '_Incomplete: Interrupted_',
        '',
      ].join('\n'),
    );
  });
});
