import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

/**
 * The production build's sizes: what VS Code loads to activate Rill (`dist/extension.js`) and what
 * the chat webview loads up front (its entry script; chunks loaded on demand are listed apart).
 * The build is left in place, minified, as `npm run package` would make it.
 */
export function bundleSizes(): Record<string, number> {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { cwd: root, stdio: 'ignore' });
  const dist = join(root, 'dist');
  const size = (file: string) => statSync(join(dist, file)).size;
  const files = readdirSync(dist, { recursive: true }).map(String);
  const webviewEntry = files.includes('webview/main.js') ? 'webview/main.js' : 'webview.js';
  const onDemand = files.filter((f) => /^webview\/chunk-.*\.js$/.test(f)).reduce((sum, f) => sum + size(f), 0);
  return {
    extensionBytes: size('extension.js'),
    webviewInitialBytes: size(webviewEntry),
    webviewOnDemandBytes: onDemand,
    diagramViewBytes: files.includes('diagram.js') ? size('diagram.js') : NaN,
  };
}
