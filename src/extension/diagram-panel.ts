import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { TimelineLabels } from '../core/trace/timeline-labels';
import { parseFromDiagram, type DiagramInspector, type NamedTimeline, type ToDiagramMessage } from '../protocol/diagram-messages';
import type { RedactingLog } from './redacting-log';
import { contentSecurityPolicy, webviewOptions } from './webview-html';

/** The last diagram drawn, whether Mermaid rendered it: tests read it through the command. */
export interface DiagramState {
  rendered?: { ok: boolean; error: string };
}

/** The stream inspector's side of the view: the timelines to show, and how to pick one to compare. */
export interface InspectorOptions extends DiagramInspector {
  /** The Compare button: another request's timeline to show beside the first, or nothing if cancelled. */
  compare(): Promise<NamedTimeline | undefined>;
}

/**
 * Opens the streaming flow diagram beside the chat: Mermaid's drawing and its source, with copy,
 * save as .mmd, .md or .svg, and open as a Markdown document; with `inspector`, a Timeline tab.
 */
export function showDiagramPanel(extensionUri: vscode.Uri, title: string, source: string, log: RedactingLog, inspector?: InspectorOptions): DiagramState {
  const state: DiagramState = {};
  const panel = vscode.window.createWebviewPanel('rill.diagram', title, vscode.ViewColumn.Beside, webviewOptions(extensionUri));
  const markdown = `# ${title}\n\n\`\`\`mermaid\n${source}\n\`\`\`\n`;
  panel.webview.html = diagramHtml(panel.webview, extensionUri, inspector?.labels);
  panel.webview.onDidReceiveMessage(async (raw: unknown) => {
    const message = parseFromDiagram(raw);
    if (!message) return log.warn('Ignored a message from the diagram view that is not part of its protocol.');
    switch (message.type) {
      case 'ready':
        void panel.webview.postMessage({
          type: 'diagram',
          source,
          title,
          ...(inspector ? { inspector: { timelines: inspector.timelines, labels: inspector.labels } } : {}),
        } satisfies ToDiagramMessage);
        return;
      case 'compare': {
        const other = inspector && (await inspector.compare());
        const first = inspector?.timelines[0];
        if (other && first) void panel.webview.postMessage({ type: 'timelines', timelines: [first, other] } satisfies ToDiagramMessage);
        return;
      }
      case 'rendered':
        state.rendered = { ok: message.ok, error: message.error };
        if (!message.ok) log.warn(`Mermaid could not draw the diagram: ${message.error}`);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(source);
        return;
      case 'openMarkdown': {
        const document = await vscode.workspace.openTextDocument({ content: markdown, language: 'markdown' });
        await vscode.window.showTextDocument(document, { preview: false });
        return;
      }
      case 'save': {
        const content = message.format === 'mmd' ? `${source}\n` : message.format === 'md' ? markdown : message.svg;
        if (!content) return;
        const target = await vscode.window.showSaveDialog({ filters: { [message.format.toUpperCase()]: [message.format] } });
        if (target) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
        return;
      }
    }
  });
  return state;
}

function diagramHtml(webview: vscode.Webview, extensionUri: vscode.Uri, labels?: TimelineLabels): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'diagram.js'));
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'codicons', 'codicon.css'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'diagram.css'));
  const csp = contentSecurityPolicy(webview, nonce, false);
  const t = vscode.l10n.t;
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${codicons}">
<link rel="stylesheet" href="${style}">
<title>Rill</title>
</head>
<body>
<header><h1 id="title"></h1>
<nav aria-label="${t('Diagram actions')}">
<button type="button" id="copy" data-testid="diagram-copy">${t('Copy Source')}</button>
<button type="button" id="save-mmd">${t('Save .mmd')}</button>
<button type="button" id="save-md">${t('Save .md')}</button>
<button type="button" id="save-svg">${t('Save .svg')}</button>
<button type="button" id="open-md">${t('Open as Markdown')}</button>
</nav></header>
${labels ? tabs(labels) : ''}
<main id="flow-panel"${labels ? ' role="tabpanel" aria-labelledby="tab-flow"' : ''}>
<section id="drawing" data-testid="diagram-drawing" aria-label="${t('Diagram')}"></section>
<section><pre id="source" data-testid="diagram-source"></pre></section>
</main>
${labels ? `<section id="timeline-panel" role="tabpanel" aria-labelledby="tab-timeline" hidden></section>` : ''}
<p id="status" role="status" data-testid="diagram-status"></p>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** Flow and Timeline tabs, and Compare (the words are the timeline's labels, in the UI language). */
function tabs(labels: TimelineLabels): string {
  const esc = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<div class="tabs"><div role="tablist">
<button type="button" role="tab" id="tab-flow" data-testid="tab-flow" aria-controls="flow-panel" aria-selected="true">${esc(labels.flowTab)}</button>
<button type="button" role="tab" id="tab-timeline" data-testid="tab-timeline" aria-controls="timeline-panel" aria-selected="false" tabindex="-1">${esc(labels.timelineTab)}</button>
</div>
<button type="button" id="compare" data-testid="timeline-compare">${esc(labels.compare)}</button></div>`;
}
