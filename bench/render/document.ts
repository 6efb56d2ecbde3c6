// The benchmark's answer: deterministic (seeded), ASCII, ~20,000 tokens of what models write —
// prose, nested and ordered lists, tables, 20 code fences in several languages, one Mermaid block.
import { prng } from '../../test/support/prng';

export { prng };


const WORDS = (
  'the a stream render block parser token buffer frame cache value state update model answer request server client ' +
  'function module config option result error retry timeout message webview extension editor theme diagram table list ' +
  'code fence heading paragraph link image quote line chunk boundary tail commit highlight sanitize layout paint ' +
  'quickly slowly carefully exactly only never always often usually then when while because although so and or but ' +
  'is are was were be been has have had does do will can should must may might returns reads writes keeps drops ' +
  'first second last next previous whole partial finished open closed stable live large small long short'
).split(' ');

const CODE: Record<string, (r: () => number, n: number) => string> = {
  ts: (r, n) =>
    lines(n, (i) => pick(r, [
      `export function step${i}(input: string, limit = ${i * 3}): number {`,
      `  const parts = input.split(',').map((part) => part.trim());`,
      `  if (parts.length > limit) throw new Error('too many parts: ' + parts.length);`,
      `  return parts.reduce((sum, part) => sum + part.length, 0); // total`,
      `}`,
      `interface Options${i} { retries: number; timeoutMs?: number; label: string }`,
    ])),
  python: (r, n) =>
    lines(n, (i) => pick(r, [
      `def handler_${i}(event, context=None):`,
      `    items = [x for x in event.get("items", []) if x is not None]`,
      `    return {"count": len(items), "first": items[0] if items else None}`,
      `class Worker${i}:`,
      `    def run(self, limit: int = ${i}) -> bool:`,
      `        return self.queue.drain(limit) > 0  # drained`,
    ])),
  bash: (r, n) =>
    lines(n, (i) => pick(r, [
      `npm install --save-dev esbuild@0.28.${i}`,
      `export NODE_OPTIONS="--max-old-space-size=${1024 + i}"`,
      `for f in src/*.ts; do echo "$f"; done`,
      `git log --oneline -n ${i + 5} | grep -v fixup`,
    ])),
  json: (r, n) => `{\n${lines(n, (i) => `  "key${i}": ${pick(r, [`"value ${i}"`, String(i * 7), 'true', 'null', `[${i}, ${i + 1}]`])},`)}\n  "end": true\n}`,
  go: (r, n) =>
    lines(n, (i) => pick(r, [
      `func Process${i}(ctx context.Context, in []byte) ([]byte, error) {`,
      `\tif len(in) == 0 { return nil, errors.New("empty input") }`,
      `\treturn bytes.ToUpper(in), nil`,
      `}`,
    ])),
  rust: (r, n) =>
    lines(n, (i) => pick(r, [
      `pub fn parse_${i}(input: &str) -> Result<Vec<u32>, ParseIntError> {`,
      `    input.split(',').map(|s| s.trim().parse::<u32>()).collect()`,
      `}`,
      `#[derive(Debug, Clone)] struct Item${i} { id: u64, name: String }`,
    ])),
  sql: (r, n) => lines(n, (i) => pick(r, [`SELECT id, name FROM users WHERE age > ${i} ORDER BY name;`, `UPDATE items SET price = price * 1.${i} WHERE id = ${i};`])),
  css: (r, n) => lines(n, (i) => pick(r, [`.message-${i} { margin: ${i}px 0; color: var(--vscode-foreground); }`, `@media (max-width: ${400 + i}px) { .toolbar { display: none; } }`])),
};

function lines(n: number, line: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => line(i)).join('\n');
}

function pick<T>(random: () => number, items: T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function sentence(random: () => number): string {
  const length = 8 + Math.floor(random() * 14);
  const words = Array.from({ length }, () => pick(random, WORDS));
  // Some inline markup, as models write it.
  const at = Math.floor(random() * length);
  const markup = random();
  if (markup < 0.15) words[at] = `**${words[at]}**`;
  else if (markup < 0.3) words[at] = `\`${words[at]}()\``;
  else if (markup < 0.38) words[at] = `[${words[at]}](https://example.com/${words[at]})`;
  else if (markup < 0.45) words[at] = `*${words[at]}*`;
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${pick(random, ['.', '.', '.', ',', ':', '?'])}`.replace(/[,:]$/, '.');
}

function paragraph(random: () => number): string {
  return Array.from({ length: 3 + Math.floor(random() * 4) }, () => sentence(random)).join(' ');
}

function list(random: () => number): string {
  const ordered = random() < 0.4;
  const items = 3 + Math.floor(random() * 6);
  const out: string[] = [];
  for (let i = 0; i < items; i++) {
    out.push(`${ordered ? `${i + 1}.` : '-'} ${sentence(random)}`);
    if (random() < 0.25) {
      for (let j = 0; j < 2; j++) out.push(`${ordered ? '   ' : '  '}- ${sentence(random)}`);
    }
  }
  return out.join('\n');
}

function table(random: () => number): string {
  const columns = 3 + Math.floor(random() * 3);
  const rows = 4 + Math.floor(random() * 5);
  const cell = () => `${pick(random, WORDS)} ${pick(random, WORDS)}`;
  const head = `| ${Array.from({ length: columns }, (_, i) => `Column ${i + 1}`).join(' | ')} |`;
  const rule = `|${Array.from({ length: columns }, () => '---').join('|')}|`;
  const body = Array.from({ length: rows }, () => `| ${Array.from({ length: columns }, cell).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

const MERMAID = `\`\`\`mermaid
graph TD
  A[Request] --> B{Cached?}
  B -->|yes| C[Serve from cache]
  B -->|no| D[Call the model]
  D --> E[Stream tokens]
  E --> F[Render blocks]
  F --> G[Done]
\`\`\``;

/** About `targetChars` characters (~4 per token) in 20 sections, each with one code fence. */
export function benchDocument(targetChars = 80_000, seed = 20_000): string {
  const random = prng(seed);
  const languages = Object.keys(CODE);
  const sections = 20;
  const perSection = targetChars / sections;
  const out: string[] = ['# Streaming render: a long answer', '', paragraph(random), ''];
  for (let s = 0; s < sections; s++) {
    const parts: string[] = [`## ${s + 1}. ${sentence(random).replace(/[.?]$/, '')}`, '', paragraph(random), ''];
    const language = languages[s % languages.length]!;
    parts.push(`\`\`\`${language}`, CODE[language]!(random, 10 + Math.floor(random() * 20)), '```', '');
    if (s === 9) parts.push('The flow, as a diagram:', '', MERMAID, '');
    parts.push(list(random), '');
    if (s % 2 === 0) parts.push(table(random), '');
    if (s % 3 === 1) parts.push(`> ${sentence(random)}`, `> ${sentence(random)}`, '');
    // Prose (and now and then a list) up to the section's share of the target size.
    while (parts.join('\n').length < perSection) {
      parts.push(paragraph(random), '');
      if (random() < 0.25) parts.push(list(random), '');
    }
    out.push(...parts);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
