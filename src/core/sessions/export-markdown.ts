import type { SessionRecord } from './session-record';

export interface ExportLabels {
  user: string;
  assistant: string;
  states: Record<'stopped' | 'error' | 'truncated' | 'streaming', string>;
}

/**
 * The conversation as a Markdown document: a heading per turn, the answers as the model wrote them,
 * and a note where an answer did not finish. Reasoning is left out: it is the model's scratch work.
 */
export function sessionToMarkdown(record: SessionRecord, labels: ExportLabels, date: (ms: number) => string): string {
  const out: string[] = [`# ${record.title || 'Rill chat'}`, '', `_${date(record.createdAt)}_`, ''];
  for (const message of record.messages) {
    out.push(`## ${message.role === 'user' ? labels.user : labels.assistant}`, '');
    // A user's text is quoted so that Markdown in a prompt cannot start a new heading of the export.
    out.push(message.role === 'user' ? message.text.split('\n').map((line) => `> ${line}`).join('\n') : message.text, '');
    if (message.state !== 'done') {
      const note = labels.states[message.state];
      out.push(`_${note}${message.error ? `: ${message.error}` : ''}_`, '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
