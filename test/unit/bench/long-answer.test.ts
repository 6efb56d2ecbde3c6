import { strict as assert } from 'node:assert';
import { Marked, type Token } from 'marked';
import { longAnswer, longAnswerFigures } from '../../../bench/latency/long-answer';

const marker = (i: number) => `⟦${i}⟧ `;

/** Every block's type (tables with their size), depth first: the document's structure without its inline text. */
function shape(tokens: Token[]): string[] {
  const out: string[] = [];
  const walk = (list: Token[]) => {
    for (const token of list) {
      const table = token.type === 'table' ? `${(token as { header: unknown[] }).header.length}x${(token as { rows: unknown[] }).rows.length}` : '';
      out.push(`${token.type}${table}${token.type === 'code' ? (token as { lang?: string }).lang : ''}`);
      if (token.type === 'list') walk((token as { items: Token[] }).items);
      if (token.type === 'list_item' || token.type === 'blockquote') walk((token as { tokens: Token[] }).tokens.filter((t) => t.type !== 'text'));
    }
  };
  walk(tokens);
  return out;
}

describe('the latency bench long answer', () => {
  const answer = longAnswer(marker);
  const text = answer.chunks.join('');
  const bare = text.replace(/⟦\d+⟧ /g, '');

  it('numbers every chunk once, in order, and is about 20,000 tokens of Markdown', () => {
    answer.chunks.forEach((chunk, i) => assert.ok(chunk.startsWith(marker(i)), `chunk ${i}`));
    assert.equal((text.match(/⟦\d+⟧/g) ?? []).length, answer.chunks.length);
    assert.ok(bare.length > 75_000 && bare.length < 100_000, `${bare.length} characters without markers`);
    for (const kind of ['```ts', '```python', '```mermaid', '| Column 1', '\n- ', '\n1. ', '\n> ', '\n## ']) assert.ok(bare.includes(kind), kind);
  });

  it('has the structure the document has without its markers (a marker never lands where it changes the Markdown)', () => {
    const marked = new Marked({ gfm: true });
    assert.deepEqual(shape(marked.lexer(text)), shape(marked.lexer(bare)));
  });

  it('reports each quarter of the answer on its own, so growth shows', () => {
    const n = 8;
    const writeTimes = Array.from({ length: n }, (_, i) => 1000 + i * 10);
    // Latency grows through the answer; one long task in the last quarter.
    const latencies = [10, 10, 20, 20, 30, 30, 90, 90];
    const figures = longAnswerFigures({ latencies, writeTimes, lastSeen: 1100 }, [{ start: 1065, duration: 70, scripts: [] }]);
    assert.equal(figures.longQ1P95, 10);
    assert.equal(figures.longQ4P95, 90);
    assert.equal(figures.longP95, 90);
    assert.equal(figures.longQ4Tasks, 1);
    assert.equal(figures.longQ1Tasks, 0);
    assert.equal(figures.longLongestTask, 70);
    assert.equal(figures.longTaskMs, 70);
  });
});
