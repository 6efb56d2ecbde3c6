import type { ToolResult } from '../agent/types';

/**
 * An MCP `tools/call` result as text for the model. Only text can be sent back as a tool message,
 * so other content is named in a short bracketed note (the model then knows something was there
 * and can say so) instead of being dropped silently or pasted as base64. The result comes from
 * another program: every field is checked, nothing is assumed.
 */
export function mcpResultToToolResult(result: unknown): ToolResult {
  const record = isRecord(result) ? result : {};
  const parts = Array.isArray(record.content) ? record.content.map(describePart) : [];
  let text = parts.filter((p) => p !== '').join('\n');
  // A tool may answer with structured content only (older servers put it in `toolResult`).
  if (text === '' && record.structuredContent !== undefined) text = stringify(record.structuredContent);
  if (text === '' && record.toolResult !== undefined) text = stringify(record.toolResult);
  if (record.isError === true) return { status: 'error', message: text || 'The tool reported an error without saying what it was.' };
  return { status: 'ok', content: text || '(The tool returned no content.)' };
}

function describePart(part: unknown): string {
  if (!isRecord(part)) return '';
  switch (part.type) {
    case 'text':
      return typeof part.text === 'string' ? part.text : '';
    case 'image':
    case 'audio':
      return `[${part.type}${mime(part.mimeType)} left out: only text is passed to the model]`;
    case 'resource_link':
      return `[resource link: ${[str(part.name), str(part.uri) && `<${str(part.uri)}>`].filter(Boolean).join(' ')}]`;
    case 'resource':
      return describeResource(part.resource);
    default:
      return `[${typeof part.type === 'string' ? part.type.slice(0, 40) : 'unknown'} content left out]`;
  }
}

/** An embedded resource: its text is kept (it is what the tool answered); a binary one is named. */
function describeResource(resource: unknown): string {
  if (!isRecord(resource)) return '[resource left out]';
  const uri = str(resource.uri);
  if (typeof resource.text === 'string') return uri ? `[resource <${uri}>]\n${resource.text}` : resource.text;
  return `[resource${uri ? ` <${uri}>` : ''}${mime(resource.mimeType)} left out: binary content]`;
}

function mime(value: unknown): string {
  return typeof value === 'string' && value !== '' ? ` (${value.slice(0, 100)})` : '';
}

function str(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 500) : '';
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
