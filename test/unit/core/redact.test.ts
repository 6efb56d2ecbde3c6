import { strict as assert } from 'node:assert';
import { redact } from '../../../src/core/redact';

describe('redact', () => {
  it('removes the known secrets wherever they appear', () => {
    const out = redact('Incorrect API key provided: my-azure-key-0123456789. Header X-Token=tok-abcdefgh', ['my-azure-key-0123456789', 'tok-abcdefgh']);
    assert.equal(out, 'Incorrect API key provided: [redacted]. Header X-Token=[redacted]');
  });

  it('removes credential-shaped strings even when they are not known', () => {
    assert.equal(redact('key sk-proj-AbCdEf0123456789xyz used', []), 'key [redacted] used');
    assert.equal(redact('Authorization: Bearer abc.def.ghi-123456', []), 'Authorization: Bearer [redacted]');
    assert.equal(redact('sent Bearer abcdefgh12345678', []), 'sent Bearer [redacted]');
    assert.equal(redact('{"api-key": "0123456789abcdef"}', []), '{"api-key": "[redacted]"}');
  });

  it('leaves ordinary text and short values alone', () => {
    assert.equal(redact('The model gpt-4o-mini answered in 3 s.', ['1', 'abc']), 'The model gpt-4o-mini answered in 3 s.');
  });
});
