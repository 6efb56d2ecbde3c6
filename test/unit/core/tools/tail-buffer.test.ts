import { strict as assert } from 'node:assert';
import { TailBuffer } from '../../../../src/core/tools/tail-buffer';

describe('tools: the bounded tail of a command\'s output', () => {
  it('keeps everything while it fits', () => {
    const buffer = new TailBuffer(100);
    buffer.push('a\n');
    buffer.push('');
    buffer.push('b\n');
    assert.equal(buffer.text(), 'a\nb\n');
    assert.equal(buffer.dropped, 0);
  });

  it('keeps only the end, from a line start, and counts what it dropped', () => {
    const buffer = new TailBuffer(50);
    for (let i = 1; i <= 1000; i++) buffer.push(`line ${i}\n`);
    const text = buffer.text();
    assert.ok(text.length <= 50);
    assert.ok(text.endsWith('line 1000\n'));
    assert.ok(text.startsWith('line '), 'starts at a whole line');
    const total = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}\n`).join('').length;
    assert.equal(buffer.dropped + text.length, total);
  });

  it('memory stays bounded whatever is pushed', () => {
    const buffer = new TailBuffer(1000);
    const chunk = 'x'.repeat(999);
    for (let i = 0; i < 10_000; i++) buffer.push(chunk);
    assert.ok((buffer as unknown as { size: number }).size <= 2000 + chunk.length);
    assert.equal(buffer.text(), 'x'.repeat(1000), 'without a line break, cut at the limit');
  });
});
