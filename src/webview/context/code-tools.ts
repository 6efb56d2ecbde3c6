import { codeBlockFile } from '../../core/attachments/code-block-file';
import { button, element } from '../dom';
import { strings } from '../strings';

/** What a finished code block's buttons ask of the app. */
export interface CodeActions {
  copy(text: string): void;
  insertCode(code: string): void;
  openCode(code: string, language: string): void;
  /** Apply to file: the host shows the change in VS Code's diff editor and writes only on accept; `path` '' is the active editor's selection. */
  applyCode(code: string, path: string): void;
}

/**
 * Copy, insert at cursor, open in an editor and Apply, on every finished code block. A block that
 * names its file (in the fence's info string, `info`, or a first-line path comment, which is then
 * not part of the code applied) applies to that file; any other block to the editor's selection.
 */
export function decorateCodeBlock(pre: HTMLElement, text: string, language: string, info: string | undefined, actions: CodeActions): void {
  const bar = element('div', 'code-tools');
  const file = codeBlockFile(info ?? '', text);
  const code = file?.dropFirstLine ? text.slice(text.indexOf('\n') + 1 || text.length) : text;
  const path = file?.path ?? '';
  const label = path ? strings.answerContext.applyTo(path) : strings.answerContext.applyToSelection;
  const apply = button('apply-code', label, () => actions.applyCode(code, path), { icon: 'diff', secondary: true });
  apply.classList.add('code-apply');
  apply.title = path ? strings.answerContext.applyToTitle(path) : strings.answerContext.applyToSelectionTitle;
  bar.append(
    apply,
    button('code-copy', strings.copy, () => actions.copy(text), { icon: 'copy', iconOnly: true }),
    button('code-insert', strings.insert, () => actions.insertCode(text), { icon: 'insert', iconOnly: true }),
    button('code-open', strings.openInEditor, () => actions.openCode(text, language), { icon: 'go-to-file', iconOnly: true }),
  );
  pre.classList.add('has-tools');
  pre.prepend(bar);
}
