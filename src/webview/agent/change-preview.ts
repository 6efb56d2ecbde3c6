import type { ChangePreviewView } from '../../protocol/agent-messages';
import { button, element } from '../dom';
import { strings } from '../strings';

/**
 * The change a waiting edit or create would make, in its step, before the user decides: a
 * unified diff of at most a few hundred lines (the host bounds it), every line as text, and a
 * button that opens the whole change in VS Code's diff editor.
 */
export function fillChangePreview(slot: HTMLElement, preview: ChangePreviewView, openDiff: () => void): void {
  const title = preview.created ? strings.tool.newFile(preview.path) : strings.tool.changeSummary(preview.path, preview.added, preview.removed);
  const head = element('div', 'tool-diff-head', title);
  const pre = element('pre', 'tool-diff-lines');
  pre.dataset.testid = 'tool-diff-lines';
  for (const [kind, text] of preview.lines) {
    const line = element('span', `diff-line ${LINE_CLASS[kind]}`, `${kind === '@' ? '' : kind}${kind === '@' ? text : ` ${text}`}\n`);
    pre.append(line);
  }
  slot.replaceChildren(head, pre);
  if (preview.cutLines) slot.append(element('div', 'tool-step-note', strings.tool.linesCut(preview.cutLines)));
  slot.append(button('tool-open-diff', strings.tool.openDiff, openDiff, { icon: 'diff', secondary: true }));
  slot.hidden = false;
}

const LINE_CLASS: Record<ChangePreviewView['lines'][number][0], string> = { ' ': 'context', '+': 'added', '-': 'removed', '@': 'hunk' };
