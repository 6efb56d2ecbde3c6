// Sizes of what ships, read from the .vsix itself (`npm run package`): the package users download,
// what VS Code loads to activate Rill (`dist/extension.js`) and what the chat webview loads up
// front (its entry script; chunks loaded on demand are counted apart). Reading the package rather
// than dist/ keeps files left there by older builds (source maps, chunks of other hashes) out of
// the figures.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..');

interface ZipEntry {
  name: string;
  size: number;
}
interface Scripts {
  packageVsix(options?: { quiet?: boolean }): Promise<string>;
  listZip(file: string): Promise<ZipEntry[]>;
  readZipEntry(file: string, name: string): Promise<Buffer | undefined>;
}
// A computed specifier keeps TypeScript from looking for declarations of the .mjs files.
const load = async (name: string): Promise<Partial<Scripts>> => (await import(pathToFileURL(join(root, 'scripts', name)).href)) as Partial<Scripts>;

export async function bundleSizes(): Promise<Record<string, number>> {
  const { packageVsix } = (await load('package.mjs')) as Scripts;
  const { listZip, readZipEntry } = (await load('zip-list.mjs')) as Scripts;
  // Packaged afresh: the bench measures the sources as they are now.
  const vsix = await packageVsix({ quiet: true });
  const entries = await listZip(vsix);
  const dist = 'extension/dist/';
  const size = (file: string) => entries.find((e) => e.name === dist + file)?.size ?? NaN;
  const webviewEntry = 'webview/main.js';
  const entryText = (await readZipEntry(vsix, dist + webviewEntry))?.toString('utf8') ?? '';
  const chunks = entries.map((e) => e.name.slice(dist.length)).filter((f) => /^webview\/chunk-[^/]*\.js$/.test(f));
  // Static imports (`from "./chunk-…"`, `import "./chunk-…"`); `import("./chunk-…")` loads on demand.
  const isStatic = (f: string) => new RegExp(`(?:from|import)\\s*"\\./${f.slice('webview/'.length).replace(/[.]/g, '\\.')}"`).test(entryText);
  const sum = (files: string[]) => files.reduce((total, f) => total + size(f), 0);
  return {
    vsixBytes: statSync(vsix).size,
    vsixFiles: entries.length,
    extensionBytes: size('extension.js'),
    webviewInitialBytes: size(webviewEntry) + sum(chunks.filter(isStatic)),
    webviewOnDemandBytes: sum(chunks.filter((f) => !isStatic(f))),
    diagramViewBytes: size('diagram.js'),
  };
}
