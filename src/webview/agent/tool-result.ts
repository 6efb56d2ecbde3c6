import { button, element } from '../dom';
import { strings } from '../strings';

/** Characters of a result put in the DOM at first, and again on each "Show more". */
export const RESULT_CHUNK = 2_000;

/**
 * A tool's result, collapsed. Results can be tens of kilobytes (a whole file, a command's output):
 * only the first chunk enters the DOM, as text, and "Show more" adds one chunk per press, so the
 * page never holds more than the reader asked for.
 */
export function toolResult(result: string, options: { chunk?: number; cutChars?: number } = {}): HTMLDetailsElement {
  const chunk = Math.max(1, options.chunk ?? RESULT_CHUNK);
  const details = element('details', 'tool-step-result');
  details.dataset.testid = 'tool-result';
  const summary = element('summary', undefined, `${strings.tool.result} · ${strings.tool.resultSize(result.length)}`);
  const text = document.createTextNode('');
  const pre = element('pre', 'tool-step-output');
  pre.append(text);
  details.append(summary, pre);

  let shown = 0;
  const note = element('div', 'tool-step-note');
  note.dataset.testid = 'tool-result-truncated';
  const more = button('tool-result-more', strings.tool.showMore, () => showNext(), { secondary: true });
  const showNext = (): void => {
    const next = result.slice(shown, shown + chunk);
    text.appendData(next);
    shown += next.length;
    if (shown >= result.length) {
      note.remove();
      more.remove();
    } else {
      note.textContent = strings.tool.shown(shown, result.length);
    }
  };
  details.append(note, more);
  showNext();

  if (options.cutChars) {
    const cut = element('div', 'tool-step-note', strings.tool.cutChars(options.cutChars));
    cut.dataset.testid = 'tool-result-cut';
    details.append(cut);
  }
  return details;
}
