import { formatFileLines } from '../../../core/tools';
import { defineBuiltin, fail, ok } from './define-tool';
import { readText } from './text-files';
import type { WorkspacePaths } from './workspace-paths';

/** rill_read_file: numbered lines of a text file in the workspace, the open editor's text when it has unsaved changes. */
export function readFileTool(paths: WorkspacePaths) {
  return defineBuiltin('rill_read_file', {
    async run(args) {
      const place = await paths.confine(args.path, 'read');
      if (!place.ok) return fail(withHint(place.message));
      const read = await readText(place.path, place.relative);
      if (!read.ok) return fail(read.message);
      return ok(formatFileLines(read.text, args));
    },
  });
}

/** A missing file is the common mistake; the model's next move should be to look, not to guess again. */
export function withHint(message: string): string {
  return message.includes('does not exist') ? `${message} Use rill_list_files to find it.` : message;
}
