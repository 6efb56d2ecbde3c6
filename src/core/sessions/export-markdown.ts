import type { SessionRecord } from './session-record';

export interface ExportLabels {
  user: string;
  assistant: string;
  states: Record<'stopped' | 'error' | 'truncated' | 'streaming', string>;
  /** "Attached", before the list of a prompt's attachments. */
  attached?: string;
  /** Problems attached without a path. */
  workspaceProblems?: string;
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
    if (message.attachments?.length) {
      // What the prompt was about, by name: the attached text itself went to the model, not into the chat.
      const names = message.attachments.map((a) => {
        if (a.path === undefined) return labels.workspaceProblems ?? 'workspace problems';
        const lines = a.startLine !== undefined ? `:${a.startLine}${a.endLine !== undefined && a.endLine !== a.startLine ? `-${a.endLine}` : ''}` : '';
        return `\`${a.path}${lines}\`${a.kind === 'problems' ? ' (problems)' : ''}`;
      });
      out.push(`_${labels.attached ?? 'Attached'}: ${names.join(', ')}_`, '');
    }
    if (message.state !== 'done') {
      const note = labels.states[message.state];
      out.push(`_${note}${message.error ? `: ${message.error}` : ''}_`, '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
