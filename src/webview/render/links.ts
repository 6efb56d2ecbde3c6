import { OPENABLE_URL } from './sanitize';

/**
 * What marks a link into the workspace that the host has confirmed (webview/context/file-links):
 * its `href` is only `#`, the ref lives in `data-file-ref`. The sanitiser lets no model output
 * carry a `data-*` attribute, so only the app can make one.
 */
export const FILE_LINK = 'a[data-file-link][data-file-ref]';

/**
 * The webview never navigates: a click on a link (or on an image placeholder's button) under
 * `container` is cancelled and, for http, https and mailto, handed to `onOpenLink` so the host can
 * open it externally after its own check; a confirmed file link is handed to `onOpenFile` with its
 * ref (the host opens the workspace file; Enter on it does the same). One delegated listener, so
 * freshly rendered blocks need no wiring. Returns a function that removes the listeners.
 */
export function handleLinks(container: HTMLElement, onOpenLink?: (url: string) => void, onOpenFile?: (ref: string) => void): () => void {
  const onClick = (event: MouseEvent) => {
    const target = event.target as Element | null;
    if (!target || typeof target.closest !== 'function') return;
    const button = target.closest('button[data-action="open-image"]');
    if (button && container.contains(button)) {
      event.preventDefault();
      // VS Code's own webview script also opens clicked links, at once and without asking.
      event.stopPropagation();
      const url = button.closest('[data-url]')?.getAttribute('data-url') ?? '';
      if (OPENABLE_URL.test(url)) onOpenLink?.(url);
      return;
    }
    const link = target.closest('a');
    if (link && container.contains(link)) {
      event.preventDefault();
      event.stopPropagation();
      if (event.type !== 'click') return;
      const href = link.getAttribute('href') ?? '';
      if (OPENABLE_URL.test(href)) onOpenLink?.(href);
      else if (link.matches(FILE_LINK)) onOpenFile?.(link.getAttribute('data-file-ref') ?? '');
    }
  };
  // A link with an href follows Enter by a click of its own; answering the key here instead keeps
  // it to one request however the browser synthesises that click.
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.defaultPrevented || event.isComposing) return;
    const target = event.target as Element | null;
    if (!target || typeof target.closest !== 'function') return;
    const link = target.closest(FILE_LINK);
    if (!link || !container.contains(link)) return;
    event.preventDefault();
    event.stopPropagation();
    onOpenFile?.(link.getAttribute('data-file-ref') ?? '');
  };
  container.addEventListener('click', onClick);
  container.addEventListener('auxclick', onClick);
  container.addEventListener('keydown', onKey);
  return () => {
    container.removeEventListener('click', onClick);
    container.removeEventListener('auxclick', onClick);
    container.removeEventListener('keydown', onKey);
  };
}
