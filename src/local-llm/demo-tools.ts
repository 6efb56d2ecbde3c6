// The demo model's agent mode: when a request offers Rill's read-only tools and the user's prompt
// is about the workspace, the demo asks for one of them, so `npm start` shows a tool step with no
// network. The choice is a fixed rule over the prompt's words, never a guess dressed up as
// understanding: the same request always gets the same call.
import type { ChatRequestBody } from './demo';
import { summariseToolResults } from './demo-results';

/** The read-only tools the demo knows how to ask for, in the order it falls back through them. */
export const DEMO_TOOLS = ['rill_list_files', 'rill_read_file', 'rill_search_text'] as const;
export type DemoToolName = (typeof DEMO_TOOLS)[number];

/** Every call the demo makes has an id starting with this, so it can tell its own calls from others'. */
export const DEMO_CALL_PREFIX = 'call_rill_demo_';

/** The intermediate text streamed before the call: it says who is speaking, like every demo reply. */
export const DEMO_LOOKING = 'Demo model: let me look at the workspace.';

export interface DemoCall {
  id: string;
  name: DemoToolName;
  arguments: Record<string, string>;
}

/** What the demo says in one agent-mode turn: text, and at most one call. */
export interface DemoTurn {
  text: string;
  call?: DemoCall;
}

type Message = Record<string, unknown>;

function messagesOf(body: ChatRequestBody | undefined): Message[] {
  return (body?.messages ?? []).filter((m): m is Message => m !== null && typeof m === 'object');
}

/** Text of a message's `content`: a string, or an array of parts of which the text ones count. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '',
    )
    .join(' ');
}

/** The names of the function tools the request offers. */
export function offeredToolNames(body: ChatRequestBody | undefined): Set<string> {
  const names = new Set<string>();
  const tools = body?.['tools'];
  if (!Array.isArray(tools)) return names;
  for (const tool of tools) {
    const name = (tool as { function?: { name?: unknown } } | null)?.function?.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

// Words that make a prompt "about the workspace". Deliberately short: a prompt that only says
// "write code" gets the ordinary demo reply, not a tool call nobody asked for.
const ABOUT_WORKSPACE =
  /\b(?:files?|folders?|director(?:y|ies)|workspace|projects?|repo(?:sitory)?|codebase|source|read|list|search|find|grep|readme)\b|ファイル|ワークスペース|プロジェクト|フォルダ|ディレクトリ|リポジトリ|検索|読ん|読み|一覧|探/i;

// A path-like token: `src/a.ts`, `./docs/x`, `README.md`, `package.json`. Not part of a URL or a
// longer word (the look-arounds), and not an abbreviation like "e.g".
const PATH_TOKEN = /(?<![\w./:-])((?:\.{1,2}\/)?(?:[\w-][\w.-]*\/)+[\w.-]*[\w-]|[\w-][\w.-]*\.[A-Za-z][A-Za-z0-9]{0,7})(?![\w/-]|\.[\w])/gu;
const NOT_PATHS = new Set(['e.g', 'i.e', 'etc', 'vs']);

/** The first path-like token of the prompt, if any. */
export function pathInPrompt(prompt: string): string | undefined {
  for (const match of prompt.matchAll(PATH_TOKEN)) {
    const token = match[1] ?? '';
    if (!NOT_PATHS.has(token.toLowerCase()) && /[A-Za-z]/.test(token)) return token;
  }
  return undefined;
}

// Words skipped when picking the search term from "search for the word greet in the project".
const FILLER = new Set(
  'the a an all any every word words text string term usages usage uses use occurrences occurrence of where is are for in to calls call references reference files file workspace project code codebase repo please me'.split(
    ' ',
  ),
);

/** The term after "search for" / "find" / "grep" / "look for" (or before 「を検索」), if the prompt has one. */
export function searchQuery(prompt: string): string | undefined {
  const japanese = /[「『"'`]([^」』"'`\n]+)[」』"'`]\s*(?:を|で)?\s*(?:検索|探)/.exec(prompt) ?? /([^\s、。を「」]+)\s*を\s*(?:検索|探)/.exec(prompt);
  if (japanese?.[1]?.trim()) return japanese[1].trim();
  const verb = /\b(?:search|grep|find|look\s+for)\b(.*)$/is.exec(prompt);
  if (!verb) return undefined;
  const rest = verb[1] ?? '';
  const quoted = /[「『"'`]([^」』"'`\n]+)[」』"'`]/.exec(rest);
  if (quoted?.[1]?.trim()) return quoted[1].trim();
  for (const raw of rest.split(/\s+/)) {
    const word = raw.replace(/^[^\w]+|[^\w]+$/gu, '');
    if (word !== '' && !FILLER.has(word.toLowerCase())) return word;
  }
  return undefined;
}

/** The call the prompt asks for, among the tools offered; undefined when it asks for none. */
export function chooseCall(prompt: string, offered: ReadonlySet<string>, id: string): DemoCall | undefined {
  const known = DEMO_TOOLS.filter((name) => offered.has(name));
  if (known.length === 0) return undefined;
  const path = pathInPrompt(prompt);
  if (!ABOUT_WORKSPACE.test(prompt) && path === undefined) return undefined;
  const query = searchQuery(prompt);
  if (query !== undefined && offered.has('rill_search_text')) return { id, name: 'rill_search_text', arguments: { query } };
  if (path !== undefined && offered.has('rill_read_file')) return { id, name: 'rill_read_file', arguments: { path } };
  if (offered.has('rill_list_files')) return { id, name: 'rill_list_files', arguments: {} };
  // Only a reader or a searcher is offered: ask for it with what the prompt gives, or not at all.
  if (path !== undefined && offered.has('rill_search_text')) return { id, name: 'rill_search_text', arguments: { query: path } };
  return undefined;
}

/** The trailing tool messages, when the request ends with them (the results of the last call). */
function trailingToolMessages(messages: readonly Message[]): Message[] {
  let start = messages.length;
  while (start > 0 && messages[start - 1]?.['role'] === 'tool') start--;
  return messages.slice(start);
}

/**
 * The demo's agent-mode turn, or undefined when the ordinary demo reply applies (no tools offered,
 * or a prompt that is not about the workspace). After tool results it always answers in text, so
 * the loop ends: the demo never calls twice in a row.
 */
export function demoTurn(body: ChatRequestBody | undefined): DemoTurn | undefined {
  const messages = messagesOf(body);
  const results = trailingToolMessages(messages);
  if (results.length > 0) {
    const asked = messages[messages.length - results.length - 1];
    const calls = Array.isArray(asked?.['tool_calls']) ? (asked['tool_calls'] as unknown[]) : [];
    const named = new Map<unknown, unknown>();
    for (const call of calls) {
      const c = call as { id?: unknown; function?: { name?: unknown } } | null;
      if (c) named.set(c.id, c.function?.name);
    }
    const own = calls.length > 0 && [...named.keys()].every((id) => typeof id === 'string' && id.startsWith(DEMO_CALL_PREFIX));
    const summary = results.map((m) => ({ name: named.get(m['tool_call_id']), content: contentText(m['content']) }));
    return { text: summariseToolResults(summary, own) };
  }
  const last = messages[messages.length - 1];
  if (last?.['role'] !== 'user') return undefined;
  // Unique in the conversation (it only grows), so the loop keeps the id rather than replacing it.
  const call = chooseCall(contentText(last['content']), offeredToolNames(body), `${DEMO_CALL_PREFIX}${messages.length}`);
  return call ? { text: DEMO_LOOKING, call } : undefined;
}
