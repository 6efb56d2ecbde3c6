import { strict as assert } from 'node:assert';
import { redact, redactStream } from '../../../src/core/redact';

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

describe('redactStream', () => {
  const key = 'sk-secret-0123456789';
  it('redacts a secret split across chunks, holding back what could be its start', () => {
    const first = redactStream('the key is sk-secr', [key], false);
    assert.deepEqual(first, { emit: 'the key is ', hold: 'sk-secr' });
    const second = redactStream(`${first.hold}et-0123456789 ok`, [key], false);
    assert.deepEqual(second, { emit: '[redacted] ok', hold: '' });
  });
  it('releases a held tail that turned out not to be a secret, at the latest at the end', () => {
    assert.deepEqual(redactStream('an sk-', [key], false), { emit: 'an ', hold: 'sk-' });
    assert.deepEqual(redactStream('sk-', [key], true), { emit: 'sk-', hold: '' });
  });
  it('leaves text alone when there is no secret', () => {
    assert.deepEqual(redactStream('plain text', [], false), { emit: 'plain text', hold: '' });
  });
});
