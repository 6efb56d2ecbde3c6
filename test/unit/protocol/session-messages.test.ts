import { strict as assert } from 'node:assert';
import { MAX_SEARCH_CHARS, parseFromWebview } from '../../../src/protocol/parse';

describe('parseFromWebview: the history list', () => {
  it('accepts a request for the whole list and a text search', () => {
    assert.deepEqual(parseFromWebview({ type: 'listSessions' }), { type: 'listSessions' });
    assert.deepEqual(parseFromWebview({ type: 'searchSessions', query: 'flux 設定' }), { type: 'searchSessions', query: 'flux 設定' });
    assert.deepEqual(parseFromWebview({ type: 'searchSessions', query: 'x'.repeat(MAX_SEARCH_CHARS) }), { type: 'searchSessions', query: 'x'.repeat(MAX_SEARCH_CHARS) });
  });

  const refused: Array<[string, unknown]> = [
    ['a list request with a field', { type: 'listSessions', all: true }],
    ['a search without its query', { type: 'searchSessions' }],
    ['a search whose query is not text', { type: 'searchSessions', query: ['a'] }],
    ['a search over the length limit', { type: 'searchSessions', query: 'x'.repeat(MAX_SEARCH_CHARS + 1) }],
    ['a search with an extra field', { type: 'searchSessions', query: 'a', limit: 10_000 }],
    ['a host-to-webview message sent back', { type: 'sessionSearchResults', query: 'a', ids: [] }],
  ];
  for (const [name, value] of refused) {
    it(`refuses ${name}`, () => assert.equal(parseFromWebview(value), undefined));
  }
});
