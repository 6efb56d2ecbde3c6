// What the demo model says after its tool ran: that it is the demo, what it called, and what came
// back, quoted verbatim but briefly. It does not pretend to understand the result; a reader must
// never mistake this for a real model's answer.

/** One tool result as the request carried it: the name of the call it answers, and its text. */
export interface DemoToolResult {
  name: unknown;
  content: string;
}

/** Lines of one result quoted, and characters per quoted line. */
const QUOTED_LINES = 5;
const LINE_CHARS = 100;
/** Results summarised one by one; more are only counted. */
const RESULTS_SHOWN = 3;

function lines(text: string): string[] {
  const out = text.split(/\r\n|\n|\r/);
  if (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

/** One quoted line: no control characters (they could end the block or confuse the terminal), cut to LINE_CHARS. */
function quotedLine(line: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const clean = line.replace(/\t/g, '  ').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '');
  const points = Array.from(clean);
  return points.length > LINE_CHARS ? `${points.slice(0, LINE_CHARS).join('')}…` : clean;
}

/**
 * A fenced block that the quoted text cannot close: the fence is longer than any run of backticks
 * inside it (CommonMark closes a fence only with at least as many).
 */
export function fencedQuote(quoted: readonly string[]): string {
  const longest = Math.max(0, ...quoted.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...quoted, fence].join('\n');
}

/** A tool name safe inside inline code (names come from the request, which anyone may send). */
function codeName(name: unknown): string {
  const safe = typeof name === 'string' ? name.replace(/[^\w.-]/g, '').slice(0, 64) : '';
  return safe === '' ? 'a tool' : `\`${safe}\``;
}

function describeResult(name: unknown, content: string): string[] {
  const all = lines(content);
  const who = codeName(name);
  if (content.trim() === '') return [`${who} returned nothing.`];
  const count = all.length === 1 ? '1 line' : `${all.length} lines`;
  const shown = all.slice(0, QUOTED_LINES).map(quotedLine);
  const intro = all.length > QUOTED_LINES ? `${who} returned ${count}; the first ones are:` : `${who} returned ${count}:`;
  return [intro, '', fencedQuote(shown)];
}

/**
 * The demo's answer to tool results. `own`: the calls were the demo's; when they were not (a
 * conversation begun with a real model), the answer says so rather than claiming them.
 */
export function summariseToolResults(results: readonly DemoToolResult[], own: boolean): string {
  const out = [
    "**This is Rill's offline demo model, not a real LLM.** " +
      (own
        ? 'It asked for a tool by a fixed rule and cannot understand the result; it only reports what came back.'
        : 'It did not ask for these tools and cannot understand their results; it only reports what came back.'),
    '',
  ];
  for (const result of results.slice(0, RESULTS_SHOWN)) out.push(...describeResult(result.name, result.content), '');
  if (results.length > RESULTS_SHOWN) out.push(`${results.length - RESULTS_SHOWN} more results are not shown.`, '');
  out.push('A real model would answer your question from this. To use one, choose a provider in the Rill settings (`rill.provider`, `rill.model`).', '');
  return out.join('\n');
}
