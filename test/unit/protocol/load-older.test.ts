import { strict as assert } from 'node:assert';
import { parseFromWebview } from '../../../src/protocol/parse';

describe('parseFromWebview: loadOlder (paging, issue 14)', () => {
  it('accepts a request for the page before a message', () => {
    assert.deepEqual(parseFromWebview({ type: 'loadOlder', beforeId: 'a-12' }), { type: 'loadOlder', beforeId: 'a-12' });
  });

  const refused: Array<[string, unknown]> = [
    ['no message id', { type: 'loadOlder' }],
    ['a message id that is not one', { type: 'loadOlder', beforeId: '../../x' }],
    ['a number', { type: 'loadOlder', beforeId: 12 }],
    ['an over-long id', { type: 'loadOlder', beforeId: 'x'.repeat(65) }],
    ['extra fields (a page size the host did not choose)', { type: 'loadOlder', beforeId: 'a1', size: 100000 }],
  ];
  for (const [name, value] of refused) {
    it(`refuses ${name}`, () => assert.equal(parseFromWebview(value), undefined));
  }
});
