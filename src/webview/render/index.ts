import { Decorator } from './decorate';
import { renderMarkdown } from './engine';
import { handleLinks } from './links';
import { defaultLabels } from './sanitize';
import type { RenderOptions } from './types';

export { StreamingMarkdown, type StreamingMarkdownOptions, type StreamingStats } from './streaming-markdown';
export { renderMarkdown, parserWork } from './engine';
export { handleLinks } from './links';
export { Decorator, decorationWork, observeThemeChanges, mermaidTheme, preloadDecorations } from './decorate';
export type { Highlighter, MermaidApi, RenderLabels, RenderOptions } from './types';

/**
 * The one-shot render of a finished message: the same parse, sanitising, highlighting, diagrams
 * and link handling as a streamed message ends with. `settled()` resolves when highlighting and
 * diagrams are in; `dispose()` removes the link listener.
 */
export function renderMarkdownInto(
  container: HTMLElement,
  text: string,
  options: RenderOptions = {},
): { settled(): Promise<void>; dispose(): void } {
  const decorator = new Decorator(options);
  container.replaceChildren(renderMarkdown(text, { ...defaultLabels, ...options.labels }));
  decorator.decorate(container);
  const dispose = handleLinks(container, options.onOpenLink, options.onOpenFile);
  return { settled: () => decorator.settled(), dispose };
}
