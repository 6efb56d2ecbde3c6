import * as vscode from 'vscode';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatList } from '../../../core/tools';
import { gitignoreRules, MAX_IGNORE_FILE_BYTES, patternNamesIgnored, type IgnoreRules } from '../../../core/tools/ignore-file';
import { exclusionsFor, globProblem } from '../../../core/tools/text-search';
import { defineBuiltin, fail, ok } from './define-tool';
import type { WorkspacePaths } from './workspace-paths';

/** How many files one search asks VS Code for: enough to say "or more", not so many that a monorepo stalls. */
export const MAX_LISTED_FILES = 2000;

/** Folders nobody means when they ask for "every file", left out even when files.exclude lists nothing. */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];

/**
 * The exclude glob for findFiles: node_modules, .git, and what search.exclude hides (files.exclude
 * applies by itself when a string is given), minus what the pattern names on purpose. Conditional
 * entries ({ "when": ... }) need sibling files to decide and are left to files.exclude; globs with
 * their own braces cannot be nested in one {a,b} glob and are left out.
 */
export function excludeGlob(pattern?: string): string | undefined {
  const searchExclude = vscode.workspace.getConfiguration('search').get<Record<string, unknown>>('exclude') ?? {};
  const configured = Object.entries(searchExclude).filter(([glob, on]) => on === true && !glob.includes('{') && !glob.includes(',')).map(([glob]) => glob);
  const globs = exclusionsFor(pattern, [...new Set([...ALWAYS_EXCLUDED, ...configured])]);
  return globs.length === 0 ? undefined : `{${globs.join(',')}}`;
}

/**
 * The workspace files matching `pattern` (default: all), as workspace-relative paths, sorted, at
 * most `max`; `more` says whether the search stopped there. Files VS Code returns outside the
 * workspace folders are left out; a name is harmless, and whoever reads a file confines it first.
 */
export async function findWorkspaceFiles(paths: WorkspacePaths, pattern: string | undefined, max: number, signal: AbortSignal): Promise<{ files: { uri: vscode.Uri; relative: string }[]; more: boolean } | { error: string }> {
  if (paths.folders().length === 0) return { error: 'No workspace folder is open; the user has to open a folder first.' };
  if (pattern !== undefined) {
    const problem = globProblem(pattern);
    if (problem) return { error: problem };
  }
  const cancel = new vscode.CancellationTokenSource();
  const onAbort = (): void => cancel.cancel();
  signal.addEventListener('abort', onAbort);
  try {
    const found = await vscode.workspace.findFiles(pattern ?? '**/*', excludeGlob(pattern), max + 1, cancel.token);
    // A cancelled search resolves with what it had (often nothing) instead of rejecting.
    if (signal.aborted) return { error: 'Stopped.' };
    const multiRoot = paths.folders().length > 1;
    const ignored = new Map<string, IgnoreRules>();
    for (const folder of paths.folders()) {
      const rules = await folderIgnoreRules(folder);
      // A pattern naming an ignored folder ("dist/**") asks for it: nothing is left out for that folder.
      ignored.set(folder.uri.toString(), patternNamesIgnored(pattern, rules) ? gitignoreRules(undefined) : rules);
    }
    const files: { uri: vscode.Uri; relative: string }[] = [];
    for (const uri of found) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder || !paths.folders().some((candidate) => candidate.uri.toString() === folder.uri.toString())) continue;
      if (ignored.get(folder.uri.toString())?.ignores(vscode.workspace.asRelativePath(uri, false))) continue;
      files.push({ uri, relative: vscode.workspace.asRelativePath(uri, multiRoot) });
    }
    files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
    return { files: files.slice(0, max), more: found.length > max };
  } finally {
    signal.removeEventListener('abort', onAbort);
    cancel.dispose();
  }
}

/** The folder's root .gitignore, read afresh for each listing (it is small, and it changes). */
async function folderIgnoreRules(folder: vscode.WorkspaceFolder): Promise<IgnoreRules> {
  if (folder.uri.scheme !== 'file' && folder.uri.scheme !== 'vscode-remote') return gitignoreRules(undefined);
  const file = join(folder.uri.fsPath, '.gitignore');
  try {
    if ((await stat(file)).size > MAX_IGNORE_FILE_BYTES) return gitignoreRules(undefined);
    return gitignoreRules(await readFile(file, 'utf8'));
  } catch {
    return gitignoreRules(undefined); // no .gitignore: nothing more is left out
  }
}

/** rill_list_files: workspace files by glob, ignored ones left out, capped with a note. */
export function listFilesTool(paths: WorkspacePaths) {
  return defineBuiltin('rill_list_files', {
    async run(args, signal) {
      const result = await findWorkspaceFiles(paths, args.pattern, MAX_LISTED_FILES, signal);
      if ('error' in result) return fail(result.error);
      const names = result.files.map((file) => file.relative);
      if (names.length === 0) return ok(`[Rill: no files match ${JSON.stringify(args.pattern ?? '**/*')} (node_modules, .git, files the folder's .gitignore lists and files hidden by files.exclude or search.exclude are left out).]`);
      // At the cap, one name fewer and a total of the cap: the note then reads "of 2000 or more".
      const shown = result.more ? names.slice(0, MAX_LISTED_FILES - 1) : names;
      return ok(formatList(shown, { many: 'files', hint: 'give a narrower pattern, like "src/**/*.ts".' }, undefined, result.more ? MAX_LISTED_FILES : names.length));
    },
  });
}
