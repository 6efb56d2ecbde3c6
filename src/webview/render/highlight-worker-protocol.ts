/** A code block to highlight, sent to the highlighting worker. */
export interface HighlightRequest {
  id: number;
  code: string;
  language: string;
}

/** highlight.js's HTML for request `id`; undefined for an unknown language or a failure. */
export interface HighlightAnswer {
  id: number;
  html: string | undefined;
}
