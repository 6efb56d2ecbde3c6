import * as vscode from 'vscode';
import { formatDiagnostics, type DiagnosticLine, type Severity } from '../../../core/tools/diagnostic-lines';
import { defineBuiltin, fail, ok } from './define-tool';
import { withHint } from './read-file';
import type { WorkspacePaths } from './workspace-paths';

const SEVERITY: Record<vscode.DiagnosticSeverity, Severity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** One of VS Code's diagnostics as a line of rill_diagnostics' (and an attachment's) text. */
export function diagnosticLine(path: string, diagnostic: vscode.Diagnostic): DiagnosticLine {
  const code = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : diagnostic.code === undefined ? undefined : String(diagnostic.code);
  return {
    path,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    severity: SEVERITY[diagnostic.severity] ?? 'error',
    message: diagnostic.message,
    ...(diagnostic.source ? { source: diagnostic.source } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}

/**
 * rill_diagnostics: what VS Code's Problems view holds, for one file or every workspace file.
 * Problems of files outside the workspace folders (a library's typings, an untitled buffer) are left
 * out: the model can neither read nor fix them.
 */
export function diagnosticsTool(paths: WorkspacePaths) {
  return defineBuiltin('rill_diagnostics', {
    async run(args) {
      const multiRoot = paths.folders().length > 1;
      if (args.path !== undefined) {
        const place = await paths.confine(args.path, 'read');
        if (!place.ok) return fail(withHint(place.message));
        const uri = paths.uri(place.path);
        // The editor may know the file by another URI (through a link): ask for both.
        const lexical = vscode.Uri.joinPath(folderOf(paths, place.folder).uri, place.relative);
        const seen = new Set<string>();
        const lines: DiagnosticLine[] = [];
        for (const candidate of [uri, lexical]) {
          if (!candidate || seen.has(candidate.toString())) continue;
          seen.add(candidate.toString());
          lines.push(...vscode.languages.getDiagnostics(candidate).map((diagnostic) => diagnosticLine(place.relative, diagnostic)));
        }
        return ok(formatDiagnostics(lines, place.relative));
      }
      const lines: DiagnosticLine[] = [];
      for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
        if (diagnostics.length === 0) continue;
        const place = await paths.allows(uri);
        if (!place.ok) continue;
        const relative = vscode.workspace.asRelativePath(uri, multiRoot);
        lines.push(...diagnostics.map((diagnostic) => diagnosticLine(relative, diagnostic)));
      }
      return ok(formatDiagnostics(lines, 'the workspace'));
    },
  });
}

function folderOf(paths: WorkspacePaths, name: string): vscode.WorkspaceFolder {
  return paths.folders().find((folder) => folder.name === name) ?? paths.folders()[0]!;
}
