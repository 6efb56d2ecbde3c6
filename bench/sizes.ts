import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

/** Builds Rill as `npm run package` would (minified), and leaves it in place for the benchmarks. */
export function buildProduction(): void {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { cwd: root, stdio: 'ignore' });
}

/**
 * The production build's sizes: what VS Code loads to activate Rill (`dist/extension.js`) and what
 * the chat webview loads up front (its entry script; chunks loaded on demand are listed apart).
 * The build is left in place, minified, as `npm run package` would make it.
 */
export function bundleSizes(): Record<string, number> {
  buildProduction();
  const dist = join(root, 'dist');
  const size = (file: string) => statSync(join(dist, file)).size;
  const files = readdirSync(dist, { recursive: true }).map(String);
  const webviewEntry = 'webview/main.js';
  // What the entry imports statically loads with it; the rest of the chunks load on demand.
  const entryText = readFileSync(join(dist, webviewEntry), 'utf8');
  const chunks = files.filter((f) => /^webview\/chunk-[^/]*\.js$/.test(f));
  // Static imports (`from "./chunk-…"`, `import "./chunk-…"`); `import("./chunk-…")` loads on demand.
  const initialChunks = chunks.filter((f) => new RegExp(`(?:from|import)\\s*"\\./${f.slice('webview/'.length).replace(/[.]/g, '\\.')}"`).test(entryText));
  const initial = size(webviewEntry) + initialChunks.reduce((sum, f) => sum + size(f), 0);
  const onDemand = chunks.filter((f) => !initialChunks.includes(f)).reduce((sum, f) => sum + size(f), 0);
  return {
    extensionBytes: size('extension.js'),
    webviewInitialBytes: initial,
    webviewOnDemandBytes: onDemand,
    diagramViewBytes: files.includes('diagram.js') ? size('diagram.js') : NaN,
  };
}
