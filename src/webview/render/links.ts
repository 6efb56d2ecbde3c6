import { OPENABLE_URL } from './sanitize';

/**
 * The webview never navigates: a click on a link (or on an image placeholder's button) under
 * `container` is cancelled and, for http, https and mailto, handed to `onOpenLink` so the host can
 * open it externally after its own check. One delegated listener, so freshly rendered blocks need
 * no wiring. Returns a function that removes the listeners.
 */
export function handleLinks(container: HTMLElement, onOpenLink?: (url: string) => void): () => void {
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
      const href = link.getAttribute('href') ?? '';
      if (event.type === 'click' && OPENABLE_URL.test(href)) onOpenLink?.(href);
    }
  };
  container.addEventListener('click', onClick);
  container.addEventListener('auxclick', onClick);
  return () => {
    container.removeEventListener('click', onClick);
    container.removeEventListener('auxclick', onClick);
  };
}
