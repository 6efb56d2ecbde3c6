import { element } from '../dom';
import { strings } from '../strings';

/** At most this many dropped URIs are sent to the host (a folder's worth of files from the Explorer). */
export const MAX_DROPPED = 200;

/**
 * What the drag carries, as the browser names the types (lower case). VS Code's Explorer gives
 * `application/vnd.code.uri-list` and `text/uri-list` (lines of URIs) and `resourceurls` (a JSON
 * array of URIs); the OS gives `Files` (and, on Linux, `text/uri-list`).
 */
const URI_TYPES = ['application/vnd.code.uri-list', 'text/uri-list', 'resourceurls'];

function carriesFiles(transfer: DataTransfer | null): boolean {
  const types = [...(transfer?.types ?? [])].map((t) => t.toLowerCase());
  return types.some((t) => URI_TYPES.includes(t) || t === 'files');
}

/** URIs in one of the drag's formats: a JSON array of strings, or lines with `#` comments. */
export function parseUriList(data: string): string[] {
  const text = data.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed.filter((u): u is string => typeof u === 'string' && u.trim() !== '').map((u) => u.trim()) : [];
    } catch {
      return [];
    }
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The URIs a drop carries: the first format that has any, else plain text made only of `file:` URIs. */
export function droppedUris(transfer: DataTransfer): string[] {
  for (const type of URI_TYPES) {
    const uris = parseUriList(transfer.getData(type));
    if (uris.length > 0) return [...new Set(uris)].slice(0, MAX_DROPPED);
  }
  const lines = parseUriList(transfer.getData('text/plain'));
  if (lines.length > 0 && lines.every((line) => /^(file|vscode-remote):\/\//i.test(line))) return [...new Set(lines)].slice(0, MAX_DROPPED);
  return [];
}

/**
 * Files dropped anywhere on the chat are attached to the next prompt. While files are dragged over
 * it the chat shows where they will go. (VS Code lets a drop into a webview happen only while Shift
 * is held; the Add Context button's tooltip says so.) Text dropped into the prompt box is left to
 * the browser, so dragging a snippet in still inserts it.
 */
export class DropTarget {
  readonly overlay: HTMLElement;
  /** dragenter and dragleave fire for every child crossed: the drag is over the chat while > 0. */
  private depth = 0;

  constructor(
    root: HTMLElement,
    private readonly attach: (uris: string[]) => void,
    private readonly unreadable: () => void,
  ) {
    this.overlay = element('div', 'drop-target');
    this.overlay.dataset.testid = 'drop-target';
    this.overlay.setAttribute('aria-hidden', 'true');
    this.overlay.append(element('span', 'drop-target-text', strings.composerContext.dropHere));
    this.overlay.hidden = true;
    root.append(this.overlay);
    root.addEventListener('dragenter', (event) => {
      if (!carriesFiles(event.dataTransfer)) return;
      event.preventDefault();
      this.depth++;
      this.highlight(true);
    });
    root.addEventListener('dragover', (event) => {
      if (!carriesFiles(event.dataTransfer)) return;
      event.preventDefault(); // allows the drop
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      this.highlight(true);
    });
    root.addEventListener('dragleave', () => {
      this.depth = Math.max(0, this.depth - 1);
      if (this.depth === 0) this.highlight(false);
    });
    root.addEventListener('drop', (event) => this.drop(event));
  }

  private drop(event: DragEvent): void {
    this.depth = 0;
    this.highlight(false);
    const transfer = event.dataTransfer;
    if (!transfer) return;
    const uris = droppedUris(transfer);
    if (uris.length > 0) {
      event.preventDefault();
      this.attach(uris);
    } else if (carriesFiles(transfer)) {
      // Files without a URI (from the OS, where the webview cannot see their paths).
      event.preventDefault();
      this.unreadable();
    }
    // Otherwise plain text: the prompt box inserts it as usual.
  }

  private highlight(on: boolean): void {
    this.overlay.hidden = !on;
    this.overlay.parentElement?.classList.toggle('dropping', on);
  }
}
