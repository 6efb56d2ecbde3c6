import { formatList, type OutputLimits, DEFAULT_OUTPUT_LIMITS } from './output';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One problem VS Code reports, in plain terms (the host maps vscode.Diagnostic to this). */
export interface DiagnosticLine {
  /** Relative to the workspace, with "/". */
  path: string;
  /** 1-based. */
  line: number;
  column: number;
  severity: Severity;
  message: string;
  source?: string;
  code?: string;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * rill_diagnostics' text: `path:line:column: severity: message (source code)`, errors first, then by
 * file and line, so a cut list keeps what matters most. A message's own line breaks are joined: one
 * problem, one line.
 */
export function formatDiagnostics(items: readonly DiagnosticLine[], scope: string, limits: OutputLimits = DEFAULT_OUTPUT_LIMITS): string {
  if (items.length === 0) {
    return `[Rill: VS Code reports no problems for ${scope}. It only knows what its language extensions have checked, often only the files open in an editor.]`;
  }
  const sorted = [...items].sort((a, b) => RANK[a.severity] - RANK[b.severity] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.column - b.column);
  const counts = (['error', 'warning', 'information', 'hint'] as const)
    .map((severity) => [severity, sorted.filter((item) => item.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}${count === 1 ? '' : severity === 'information' ? '' : 's'}`);
  const lines = sorted.map((item) => {
    const origin = [item.source, item.code].filter((part) => part !== undefined && part !== '').join(' ');
    const message = item.message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    return `${item.path}:${item.line}:${item.column}: ${item.severity}: ${message}${origin ? ` (${origin})` : ''}`;
  });
  const list = formatList(lines, { many: 'problems', hint: 'give a path to see one file\'s problems.' }, limits);
  return `${counts.join(', ')} in ${scope}:\n${list}`;
}
