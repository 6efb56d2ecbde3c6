import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/**
 * The policy of every Rill webview: scripts only by a fresh nonce, styles, images and fonts only
 * from the extension (Mermaid writes a <style> into its SVG, hence inline styles), nothing
 * remote: no image, font or connection can carry data out.
 */
export function contentSecurityPolicy(webview: vscode.Webview, nonce: string, strictDynamic: boolean, workers = false): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'${strictDynamic ? " 'strict-dynamic'" : ''}`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    // The highlighting worker starts from a blob: URL the page's own script made (a webview cannot
    // start one from the extension's files). Without this line workers fall back to script-src,
    // whose 'strict-dynamic' lets a trusted script start one from any URL (the e2e test saw it
    // run): this narrows workers to blob: URLs, which only a script already running can make.
    ...(workers ? ['worker-src blob:'] : []),
  ].join('; ');
}

/** The options every Rill webview gets: scripts on, and files only from `dist/` and `media/`. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * The page that hosts the chat app. The CSP allows only our bundle (by a fresh random nonce) and
 * no remote image, font or connection, so model output that slips past sanitising still cannot
 * run script or send data anywhere.
 */
export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri, place: 'panel' | 'sidebar' = 'panel'): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'main.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css'));
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'codicons', 'codicon.css'));
  // 'strict-dynamic': the chunks the nonced entry module imports on demand (highlighting,
  // Mermaid) are trusted through it, and nothing else is.
  const csp = contentSecurityPolicy(webview, nonce, true, true);
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${codicons}">
<link rel="stylesheet" href="${style}">
<title>Rill</title>
</head>
<body data-place="${place}">
<div id="app"></div>
<script type="application/json" id="rill-l10n">${l10nJson()}</script>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/**
 * The UI language's strings for the webview (VS Code loads `l10n/bundle.l10n.<lang>.json`); empty
 * in English. Inert JSON: `<` is escaped so no string can close the script element.
 */
function l10nJson(): string {
  return JSON.stringify(vscode.l10n.bundle ?? {}).replace(/</g, '\\u003c');
}
