import { strict as assert } from 'node:assert';
import { BodyTail } from '../../../../src/core/stream/done-marker';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The body fed in pieces cut at `cuts` (byte offsets). */
function fed(body: string, cuts: number[] = []): BodyTail {
  const all = bytes(body);
  const tail = new BodyTail();
  let from = 0;
  for (const cut of [...cuts, all.length]) {
    tail.push(all.subarray(from, cut));
    from = cut;
  }
  return tail;
}

/** A body as long as a real stream's: a usage chunk of some 200 bytes before the ending. */
const USAGE = `data: {"id":"0f6b2c9e","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":34,"completion_tokens":16,"total_tokens":50}}\n\n`;

describe('stream engine: did the body end with data: [DONE]?', () => {
  const ended: Array<[string, string]> = [
    ['\\n\\n', 'data: [DONE]\n\n'],
    ['\\r\\n\\r\\n', 'data: [DONE]\r\n\r\n'],
    ['lone \\r', 'data: [DONE]\r\r'],
    ['no space after data:', 'data:[DONE]\n\n'],
    ['no blank line after it', 'data: [DONE]\n'],
    ['no line end at all', 'data: [DONE]'],
    ['a keep-alive comment after it', 'data: [DONE]\n\n: keep-alive\n\n'],
    ['many blank lines after it', `data: [DONE]${'\n'.repeat(40)}`],
  ];
  for (const [name, ending] of ended) {
    it(`yes: ${name}, however the bytes were split`, () => {
      const body = USAGE + ending;
      const length = bytes(body).length;
      assert.equal(fed(body).endedWithDone(), true, 'in one piece');
      // Every single cut point, and every byte on its own (the SDK decodes whole lines; the network does not).
      for (let cut = 1; cut < length; cut++) assert.equal(fed(body, [cut]).endedWithDone(), true, `cut at ${cut}`);
      assert.equal(fed(body, Array.from({ length: length - 1 }, (_, i) => i + 1)).endedWithDone(), true, 'one byte per piece');
    });
  }

  it('yes: the marker line starting exactly at the first byte kept, after a line end that was dropped', () => {
    const body = `${USAGE}data: [DONE]${'\n'.repeat(52)}`;
    const length = bytes(body).length;
    assert.equal(fed(body).endedWithDone(), true, 'in one piece');
    for (let cut = 1; cut < length; cut++) assert.equal(fed(body, [cut]).endedWithDone(), true, `cut at ${cut}`);
    assert.equal(fed(body, Array.from({ length: length - 1 }, (_, i) => i + 1)).endedWithDone(), true, 'one byte per piece');
  });

  it('yes: a body that is only the marker, the line starting at the first byte', () => {
    assert.equal(fed('data: [DONE]\n\n').endedWithDone(), true);
    assert.equal(fed('data: [DONE]', [3, 7]).endedWithDone(), true);
  });

  const notEnded: Array<[string, string]> = [
    ['closed after a chunk, no [DONE] (row 8)', USAGE],
    ['nothing at all', ''],
    ['only blank lines', '\n\n\r\n'],
    ['[DONE] cut in half by the close', `${USAGE}data: [DO`],
    ['two spaces after data:', `${USAGE}data:  [DONE]\n\n`],
    ['a space after [DONE]', `${USAGE}data: [DONE] \n\n`],
    ['another field name', `${USAGE}event: [DONE]\n\n`],
    ['a longer field name', `${USAGE}xdata: [DONE]\n\n`],
    ['an indented line', `${USAGE} data: [DONE]\n\n`],
    ['lower case', `${USAGE}data: [done]\n\n`],
    ['[DONE] inside a JSON string at the end of a chunk', 'data: {"choices":[{"delta":{"content":"data: [DONE]"}}]}\n\n'],
    ['[DONE] then more data after it', `${USAGE}data: [DONE]\n\n${USAGE}`],
    ['a line longer than the bytes kept that ends like the marker', `${'x'.repeat(100)}data: [DONE]\n\n`],
    // 12 + 52 = 64: exactly the kept bytes start with `data: [DONE]`, but the line began before them.
    ['a kept part that starts like the marker, in the middle of a line', `${USAGE}xdata: [DONE]${'\n'.repeat(52)}`],
  ];
  for (const [name, body] of notEnded) {
    it(`no: ${name}`, () => {
      assert.equal(fed(body).endedWithDone(), false, 'in one piece');
      const length = bytes(body).length;
      for (let cut = 1; cut < length; cut++) assert.equal(fed(body, [cut]).endedWithDone(), false, `cut at ${cut}`);
    });
  }

  it('a piece of exactly the kept size, and pieces larger than it, keep the latest bytes', () => {
    const marker = 'data: [DONE]\n\n';
    const pad = (n: number) => `: ${'p'.repeat(n - 3)}\n`;
    assert.equal(fed(pad(64) + marker, [64]).endedWithDone(), true, 'a 64-byte piece first');
    assert.equal(fed(pad(64)).endedWithDone(), false, 'a 64-byte comment alone is not [DONE]');
    assert.equal(fed(`${pad(500)}${marker}`).endedWithDone(), true, 'one large piece');
    assert.equal(fed(`${marker}${pad(500)}`).endedWithDone(), false, 'the marker scrolled out of the kept bytes');
  });
});
