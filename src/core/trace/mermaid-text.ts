import type { TraceLabels } from './labels';
import type { ChunkKind } from './trace-types';

/**
 * The pieces every Rill sequence diagram is made of: the API names drawn at each hop, text made
 * safe for Mermaid, numbers formatted the same in every locale, and the line builder.
 *
 * Every label is composed first and escaped once, on its way into a line (`Diagram`), so no text
 * reaches the diagram unescaped: model names, hosts, request ids, tool names and error details
 * come from outside and must not be able to add a directive (`%%{init}%%`), a statement (a line
 * break then `click`, `end`, `link`), or markup.
 */

export const SDK_STREAM_CHUNK = 'data: chat.completion.chunk';
export const SDK_DONE = 'data: [DONE]';
export const HOST_POST = 'webview.postMessage';
export const WEBVIEW_POST = 'vscode.postMessage';
export const DEFAULT_PATH = '/chat/completions';
/** The SSE field each kind of content arrives in. */
export const WIRE: Record<ChunkKind, string> = {
  text: 'delta.content',
  reasoning: 'delta.reasoning_content',
  toolCall: 'delta.tool_calls',
  refusal: 'delta.refusal',
};
export const KIND_ORDER: readonly ChunkKind[] = ['reasoning', 'toolCall', 'text', 'refusal'];
export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
/** How much of a text from outside is shown. */
export const NAME_CHARS = 60;
export const DETAIL_CHARS = 100;
export const TOOLS_LISTED = 5;

// ---------------------------------------------------------------------------------------------
// Escaping

// eslint-disable-next-line no-control-regex -- control characters (newlines included) are what it removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Zero-width and bidirectional controls: invisible, and able to make a label read differently. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/**
 * Characters with a meaning to Mermaid's preprocessor or the sequence lexer, written as Mermaid
 * entity codes (`#59;`), which render as the character itself:
 * - `#` starts a comment and `;` ends a statement, inside a message's text;
 * - `%` makes `%%` comments and `%%{init: …}%%` directives, found anywhere in the source;
 * - `<`, `>`, `&` would be markup;
 * - `ﬂ` and `¶` are the first characters of Mermaid's own entity placeholders (`ﬂ°…¶ß`);
 * - a `:` not followed by a space could complete Mermaid's `style…:…#…;` rewrite of a line.
 */
const SPECIAL = /[#;%<>&\ufb02\u00b6]|:(?=\S|$)/g;
const NAMED: Record<string, string> = { '<': 'lt', '>': 'gt', '&': 'amp' };

/** Text made safe for a Mermaid label: one line, no syntax, rendering as the original characters. */
export function escapeMermaidText(text: string): string {
  const flat = text.replace(CONTROL, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  return flat.replace(SPECIAL, (c) => `#${NAMED[c] ?? (c.codePointAt(0) as number)};`);
}

/** A participant's display name: the alias lexer takes no entity codes, so the few risky characters are dropped. */
function aliasText(text: string): string {
  const flat = text.replace(CONTROL, ' ').replace(INVISIBLE, '').replace(/[<>:,;@#%]/g, '').replace(/\s+/g, ' ').trim();
  return flat || '?';
}

// ---------------------------------------------------------------------------------------------
// Numbers, the same in every locale

/** `0.4 ms`, `12 ms`, `1.2 s`, `2 min 5 s`. */
export function formatMs(ms: number): string {
  const value = Math.max(0, ms);
  if (value < 9.95) return `${trimZero(value.toFixed(1))} ms`;
  const whole = Math.round(value);
  if (whole < 1000) return `${whole} ms`;
  if (value < 59_950) return `${(value / 1000).toFixed(1)} s`;
  const seconds = Math.round(value / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `1,234,567` (grouping with commas in every language, like the rest of the diagram's syntax). */
export function formatCount(n: number): string {
  const whole = Math.round(n);
  const sign = whole < 0 ? '-' : '';
  return sign + String(Math.abs(whole)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `512 B`, `48.2 kB`, `3.1 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  if (bytes < 999_950) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** `45.3` (tokens per second, one decimal). */
export function formatRate(rate: number): string {
  return rate.toFixed(1);
}

function trimZero(fixed: string): string {
  return fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
}

// ---------------------------------------------------------------------------------------------
// The diagram builder

export type Participant = 'U' | 'W' | 'H' | 'L' | 'T';
export type Arrow = '->>' | '-->>' | '-)' | '--)' | '-x' | '--x';
export type Part = string | undefined | false;

/** Lines of a sequence diagram, indented by block; every label goes through `escapeMermaidText`. */
export class Diagram {
  private readonly lines: string[] = ['sequenceDiagram'];
  private depth = 1;

  title(text: string): void {
    this.put(`accTitle: ${escapeMermaidText(text)}`);
  }

  participant(keyword: 'actor' | 'participant', id: Participant, name: string): void {
    this.put(`${keyword} ${id} as ${aliasText(name)}`);
  }

  message(from: Participant, arrow: Arrow, to: Participant, ...parts: Part[]): void {
    this.put(`${from}${arrow}${to}: ${label(parts)}`);
  }

  note(over: `${Participant}` | `${Participant},${Participant}`, ...parts: Part[]): void {
    this.put(`Note over ${over}: ${label(parts)}`);
  }

  block(keyword: 'loop' | 'alt' | 'opt' | 'break', text: string, body: () => void): void {
    this.put(`${keyword} ${label([text])}`);
    this.depth++;
    body();
    this.depth--;
    this.put('end');
  }

  /** A further branch of the enclosing `alt`. */
  otherwise(text: string): void {
    this.depth--;
    this.put(`else ${label([text])}`);
    this.depth++;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }

  private put(line: string): void {
    this.lines.push(`${'    '.repeat(this.depth)}${line}`);
  }
}

/** Lines of one label, escaped, joined with Mermaid's line break. */
export function label(parts: Part[]): string {
  const lines = parts.filter((p): p is string => typeof p === 'string').map(escapeMermaidText).filter((p) => p !== '');
  return lines.length ? lines.join('<br/>') : '…';
}

export function participants(d: Diagram, labels: TraceLabels, tool: boolean): void {
  d.participant('actor', 'U', labels.user);
  d.participant('participant', 'W', labels.webview);
  d.participant('participant', 'H', labels.host);
  d.participant('participant', 'L', labels.llm);
  if (tool) d.participant('participant', 'T', labels.tool);
}

export function postCall(type: string): string {
  return `({type: '${type}'})`;
}
