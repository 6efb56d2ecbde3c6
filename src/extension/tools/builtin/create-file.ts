import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BuiltinArguments } from '../../../core/tools';
import type { ChangePreview } from '../host-tool';
import { defineBuiltin, describeError, fail, ok } from './define-tool';
import type { WorkspacePaths } from './workspace-paths';

type CreateArgs = BuiltinArguments['rill_create_file'];

/**
 * rill_create_file: a new file, never an existing one. Written with Node's exclusive create (`wx`:
 * O_CREAT|O_EXCL), so a file (or a link) that appears between the check and the write is not
 * overwritten or followed; neither vscode.workspace.fs nor a WorkspaceEdit can promise that. No
 * editor can have a file open that did not exist, and VS Code's file watcher shows it in the Explorer.
 */
export function createFileTool(paths: WorkspacePaths) {
  async function plan(args: CreateArgs): Promise<{ error: string } | { preview: ChangePreview; realPath: string }> {
    const place = await paths.confine(args.path, 'create');
    if (!place.ok) return { error: place.message };
    if (place.exists) return { error: `${place.relative} already exists; rill_create_file only makes new files. Use rill_edit_file to change it (read it first with rill_read_file).` };
    return { preview: { path: place.relative, before: undefined, after: args.content }, realPath: place.path };
  }

  return defineBuiltin('rill_create_file', {
    async preview(args) {
      const planned = await plan(args);
      return 'error' in planned ? planned : planned.preview;
    },
    async run(args, signal) {
      const planned = await plan(args);
      if ('error' in planned) return fail(planned.error);
      if (signal.aborted) return fail('Stopped before the file was created.');
      try {
        await mkdir(dirname(planned.realPath), { recursive: true });
        await writeFile(planned.realPath, args.content, { encoding: 'utf8', flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fail(`${planned.preview.path} appeared while it was being created; nothing was overwritten. Use rill_edit_file to change it.`);
        return fail(`${planned.preview.path} could not be created: ${describeError(error)}`);
      }
      const lines = args.content === '' ? 0 : args.content.split(/\r\n|\n|\r/).length - (/(\r\n|\n|\r)$/.test(args.content) ? 1 : 0);
      return ok(`Created ${planned.preview.path} (${lines} line${lines === 1 ? '' : 's'}).`);
    },
  });
}
