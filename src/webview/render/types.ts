/**
 * Syntax highlighting as the renderer needs it: HTML of class-based spans, or undefined if unknown;
 * at once (highlight.js on the page's thread) or later (the highlighting worker).
 */
export interface Highlighter {
  highlight(code: string, language: string): string | undefined | Promise<string | undefined>;
}

/** The part of Mermaid's API the renderer uses. */
export interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  parse(text: string): Promise<unknown>;
  render(id: string, text: string): Promise<{ svg: string }>;
}

/** Text the renderer shows itself (the lead passes localised strings). */
export interface RenderLabels {
  /** The button on a remote image's placeholder. */
  openImage: string;
  /** Shown in a placeholder when the image has no alt text. */
  image: string;
  /** Before the parser's message when a Mermaid diagram cannot be drawn. */
  diagramError: string;
  /** Accessible name of a drawn diagram. */
  diagram: string;
}

export interface RenderOptions {
  /**
   * A link or an image placeholder's button was pressed (http, https or mailto only). The webview
   * never navigates itself: the host opens the URL after its own check.
   */
  onOpenLink?: (url: string) => void;
  /**
   * Called once per finished code block (not for drawn Mermaid diagrams), e.g. to add buttons.
   * `info` is a fenced block's whole info string (`ts src/a.ts`), read from marked's tokens.
   */
  decorateCodeBlock?: (pre: HTMLElement, code: string, language: string | undefined, info?: string) => void;
  /**
   * A Mermaid block was replaced by its drawing or followed by its error, after the block was
   * rendered (an answer's diagrams are drawn once it ends): the answer's height changed since.
   */
  onDiagram?: () => void;
  /** A confirmed file link (see webview/context/file-links) was pressed: `ref` as found in the answer. */
  onOpenFile?: (ref: string) => void;
  /**
   * Loads highlight.js (default: the highlighting worker, or a lazy `import()` of ./highlight where
   * workers cannot start). Tests inject their own.
   */
  loadHighlighter?: () => Promise<Highlighter>;
  /** Loads Mermaid (default: a lazy `import('mermaid')`). Tests inject a stub. */
  loadMermaid?: () => Promise<MermaidApi>;
  labels?: Partial<RenderLabels>;
}
