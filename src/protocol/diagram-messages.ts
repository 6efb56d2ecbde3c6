/** The protocol of the streaming flow diagram view (a webview of its own, apart from the chat). */
import type { Timeline } from '../core/trace/timeline-figures';
import type { TimelineLabels } from '../core/trace/timeline-labels';

export type ToDiagramMessage =
  | { type: 'diagram'; source: string; title: string; inspector?: DiagramInspector }
  /** The stream inspector's compare: the shown request's timeline and another's, on one axis. */
  | { type: 'timelines'; timelines: NamedTimeline[] };

/** A request's timeline (core/trace/timeline-figures) with the name it goes by in a comparison. */
export interface NamedTimeline {
  name: string;
  timeline: Timeline;
}

/** The timeline tab of the diagram view: the request's timeline, and its words in the UI language. */
export interface DiagramInspector {
  timelines: NamedTimeline[];
  labels: TimelineLabels;
}

export type DiagramFormat = 'mmd' | 'md' | 'svg';

export type FromDiagramMessage =
  | { type: 'ready' }
  | { type: 'copy' }
  /** `svg` is the drawing the webview rendered, needed only to save as SVG. */
  | { type: 'save'; format: DiagramFormat; svg: string }
  | { type: 'openMarkdown' }
  /** The Compare button: the host asks which request to put beside this one. */
  | { type: 'compare' }
  /** Whether Mermaid drew the diagram (and why not), reported for tests and the log. */
  | { type: 'rendered'; ok: boolean; error: string };

const FORMATS: readonly DiagramFormat[] = ['mmd', 'md', 'svg'];
const MAX_SVG_CHARS = 20_000_000;

/** The closed set, checked field by field: anything else is ignored by the host. */
export function parseFromDiagram(value: unknown): FromDiagramMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const m = value as Record<string, unknown>;
  const keys = Object.keys(m).length;
  switch (m.type) {
    case 'ready':
    case 'copy':
    case 'openMarkdown':
    case 'compare':
      return keys === 1 ? { type: m.type } : undefined;
    case 'save':
      return keys === 3 && FORMATS.includes(m.format as DiagramFormat) && typeof m.svg === 'string' && m.svg.length <= MAX_SVG_CHARS
        ? { type: 'save', format: m.format as DiagramFormat, svg: m.svg }
        : undefined;
    case 'rendered':
      return keys === 3 && typeof m.ok === 'boolean' && typeof m.error === 'string' ? { type: 'rendered', ok: m.ok, error: m.error.slice(0, 2000) } : undefined;
    default:
      return undefined;
  }
}
