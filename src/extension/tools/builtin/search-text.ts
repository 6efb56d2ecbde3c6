import { formatMatches, type TextMatch } from '../../../core/tools';
import { matchingLines, queryProblem } from '../../../core/tools/text-search';
import { defineBuiltin, fail, ok } from './define-tool';
import { findWorkspaceFiles } from './list-files';
import { readText } from './text-files';
import type { WorkspacePaths } from './workspace-paths';

/** Files looked into per search: beyond this the model is told to narrow the pattern. */
export const MAX_SEARCHED_FILES = 5000;
/** Matches collected before stopping: more than the output shows, so the note can say "or more". */
export const MAX_MATCHES = 500;
/** Files larger than this are skipped (minified bundles, data): rarely what a text search is for. */
const MAX_SEARCHED_BYTES = 1024 * 1024;

/**
 * rill_search_text without VS Code's proposed text-search API: the files come from findFiles (so
 * files.exclude, search.exclude, node_modules and .git are left out as in rill_list_files), then
 * each is read and matched line by line (a literal, case-insensitive substring: see
 * core/tools/text-search.ts). Each file is checked against the workspace's confinement before it is
 * read, since findFiles follows symbolic links out of the folder. Stop is honoured between files.
 */
export function searchTextTool(paths: WorkspacePaths) {
  return defineBuiltin('rill_search_text', {
    async run(args, signal) {
      const problem = queryProblem(args.query);
      if (problem) return fail(problem);
      const found = await findWorkspaceFiles(paths, args.pattern, MAX_SEARCHED_FILES, signal);
      if ('error' in found) return fail(found.error);
      const matches: TextMatch[] = [];
      let skipped = 0;
      for (const file of found.files) {
        if (signal.aborted) return fail('Stopped.');
        if (matches.length >= MAX_MATCHES) break;
        const place = await paths.allows(file.uri);
        if (!place.ok) continue;
        const read = await readText(place.path, file.relative, { maxBytes: MAX_SEARCHED_BYTES }).catch(() => undefined);
        if (!read?.ok) {
          skipped++;
          continue;
        }
        for (const match of matchingLines(read.text, args.query, MAX_MATCHES - matches.length)) matches.push({ path: file.relative, ...match });
      }
      const notes: string[] = [];
      if (found.more) notes.push(`[Rill: only the first ${MAX_SEARCHED_FILES} files were searched; give a pattern to search the rest.]`);
      if (matches.length === 0) {
        const where = args.pattern ? `files matching ${JSON.stringify(args.pattern)}` : 'the workspace';
        return ok([`[Rill: no line in ${where} contains ${JSON.stringify(args.query)} (case-insensitive; ${found.files.length} files searched, ${skipped} binary or too large skipped).]`, ...notes].join('\n'));
      }
      // At the cap, one match fewer and a total of the cap: the note then reads "of 500 or more".
      const capped = matches.length >= MAX_MATCHES;
      return ok([formatMatches(capped ? matches.slice(0, MAX_MATCHES - 1) : matches, undefined, matches.length), ...notes].join('\n'));
    },
  });
}
