import { structuredPatch } from 'diff';
import type { ChangePreviewView, DiffLine } from '../../protocol/agent-messages';

/** Lines of a preview put in the chat; the diff editor shows the whole change. */
export const MAX_PREVIEW_LINES = 300;
const MAX_LINE_CHARS = 400;

/**
 * A proposed change as the step shows it before approval: jsdiff's unified hunks (3 lines of
 * context) flattened to lines, bounded so a 10 MB `rill_create_file` costs the chat a few hundred
 * lines, with the counts of what was added and removed over the whole change.
 */
export function previewLines(change: { path: string; before: string | undefined; after: string }): ChangePreviewView {
  const patch = structuredPatch(change.path, change.path, change.before ?? '', change.after, undefined, undefined, { context: 3 });
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  let total = 0;
  for (const hunk of patch.hunks) {
    total++;
    if (lines.length < MAX_PREVIEW_LINES) lines.push(['@', `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`]);
    for (const line of hunk.lines) {
      const kind = line[0];
      if (kind === '\\') continue; // "\ No newline at end of file"
      if (kind === '+') added++;
      if (kind === '-') removed++;
      total++;
      if (lines.length < MAX_PREVIEW_LINES && (kind === '+' || kind === '-' || kind === ' ')) {
        const text = line.slice(1);
        lines.push([kind, text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text]);
      }
    }
  }
  const view: ChangePreviewView = { path: change.path, created: change.before === undefined, lines, added, removed };
  if (total > lines.length) view.cutLines = total - lines.length;
  return view;
}
