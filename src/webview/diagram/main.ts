import mermaid from 'mermaid';
import type { TimelineLabels } from '../../core/trace/timeline-labels';
import type { FromDiagramMessage, NamedTimeline, ToDiagramMessage } from '../../protocol/diagram-messages';
import { setupTabs, showTimeline } from './timeline-tab';

interface DiagramHost {
  postMessage(message: FromDiagramMessage): void;
}
declare function acquireVsCodeApi(): DiagramHost;

/**
 * The streaming flow diagram view: Mermaid draws the sequence diagram (strict security: no
 * scripts, no click handlers, labels as text) beside its source, themed like the editor.
 */
const host = acquireVsCodeApi();
const drawing = document.getElementById('drawing') as HTMLElement;
const source = document.getElementById('source') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
let svg = '';
let count = 0;

function theme(): 'dark' | 'default' | 'neutral' {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast') && !classes.contains('vscode-high-contrast-light')) return 'dark';
  return classes.contains('vscode-dark') ? 'dark' : classes.contains('vscode-high-contrast-light') ? 'neutral' : 'default';
}

async function draw(text: string): Promise<void> {
  source.textContent = text;
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: theme(),
    // Rill generates these diagrams, but their labels carry model and server text: nothing in a
    // diagram may change fonts or theme CSS (a url(...) there would load remotely).
    secure: ['secure', 'securityLevel', 'startOnLoad', 'maxTextSize', 'suppressErrorRendering', 'maxEdges', 'fontFamily', 'altFontFamily', 'themeCSS', 'themeVariables'],
  });
  try {
    await mermaid.parse(text);
    const result = await mermaid.render(`rill-diagram-${++count}`, text);
    svg = result.svg;
    // Mermaid's output in strict mode is sanitised by Mermaid itself (DOMPurify) before it returns.
    drawing.innerHTML = result.svg;
    status.textContent = '';
    host.postMessage({ type: 'rendered', ok: true, error: '' });
  } catch (error) {
    svg = '';
    drawing.replaceChildren();
    status.textContent = error instanceof Error ? error.message : String(error);
    host.postMessage({ type: 'rendered', ok: false, error: status.textContent });
  }
}

for (const [id, message] of [
  ['copy', { type: 'copy' }],
  ['save-mmd', { type: 'save', format: 'mmd', svg: '' }],
  ['save-md', { type: 'save', format: 'md', svg: '' }],
  ['open-md', { type: 'openMarkdown' }],
] as const) {
  document.getElementById(id)?.addEventListener('click', () => host.postMessage(message));
}
document.getElementById('save-svg')?.addEventListener('click', () => host.postMessage({ type: 'save', format: 'svg', svg }));

let labels: TimelineLabels | undefined;
const tabs = setupTabs(() => host.postMessage({ type: 'compare' }));

window.addEventListener('message', (event: MessageEvent<ToDiagramMessage>) => {
  const message = event.data;
  if (message?.type === 'diagram') {
    document.getElementById('title')!.textContent = message.title;
    labels = message.inspector?.labels;
    if (message.inspector) inspect(message.inspector.timelines);
    void draw(message.source);
  } else if (message?.type === 'timelines') {
    inspect(message.timelines);
  }
});

/** Shows the timelines; a comparison opens on the Timeline tab, since that is what was asked for. */
function inspect(timelines: NamedTimeline[]): void {
  if (!labels) return;
  showTimeline(timelines, labels);
  if (timelines.length > 1) tabs?.select('timeline');
}
host.postMessage({ type: 'ready' });
