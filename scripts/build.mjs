// One build, two bundles: the extension (Node, CommonJS, `vscode` provided by the host) and the
// webview app (browser). `--watch` rebuilds on change; `--production` minifies for packaging.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { highlightWorkerPlugin } from './highlight-worker-plugin.mjs';

const watch = process.argv.includes('--watch');
const integration = process.argv.includes('--integration');
const production = process.argv.includes('--production');
// `--outdir <dir>`: where the bundles go (dist/ by default). Packaging builds into a fresh folder of
// its own, so that files left in dist/ by earlier builds (source maps, chunks of older hashes) never
// reach the .vsix, and a packaging run does not rewrite the dist/ another run is loading.
const outdirAt = process.argv.indexOf('--outdir');
const out = outdirAt > 0 ? process.argv[outdirAt + 1] : 'dist';

// The tokenizer's vocabularies (1-3 MB each) are separate files next to the extension, loaded on
// the first request that needs them: `import('gpt-tokenizer/encoding/…')` becomes a require of
// `./tokenizer-<encoding>.js`.
const lazyTokenizer = {
  name: 'lazy-tokenizer',
  setup(build) {
    build.onResolve({ filter: /^gpt-tokenizer\/encoding\/(o200k_base|cl100k_base)$/ }, (args) => ({
      path: `./tokenizer-${args.path.split('/').pop()}.js`,
      external: true,
    }));
  },
};

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'linked',
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: `${out}/extension.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazyTokenizer],
    supported: { 'dynamic-import': false },
  },
  {
    ...common,
    entryPoints: {
      'tokenizer-o200k_base': 'gpt-tokenizer/encoding/o200k_base',
      'tokenizer-cl100k_base': 'gpt-tokenizer/encoding/cl100k_base',
    },
    outdir: out,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    charset: 'utf8',
    sourcemap: false,
  },
  // The streaming flow diagram view: Mermaid (about 3 MB) only ever loads there.
  {
    ...common,
    entryPoints: ['src/webview/diagram/main.ts'],
    outfile: `${out}/diagram.js`,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: false,
  },
  // The proxy transport (undici) is as large as the rest of the extension; it is loaded only when
  // a proxy applies, so it is a bundle of its own.
  {
    ...common,
    entryPoints: ['src/core/net/proxy-fetch.ts'],
    outfile: `${out}/proxy.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The chat webview: an ES module split into chunks, so that highlight.js and Mermaid load only
  // when an answer first needs them (the page's CSP trusts what the nonced entry imports).
  {
    ...common,
    entryPoints: { main: 'src/webview/main.ts' },
    outdir: `${out}/webview`,
    splitting: true,
    plugins: [highlightWorkerPlugin()],
    chunkNames: 'chunk-[hash]',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

// The @vscode/test-electron suite runs inside VS Code, which loads plain CommonJS test files.
if (integration) {
  builds.push({
    ...common,
    entryPoints: ['test/integration/*.test.ts'],
    outdir: 'out/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
}

// VS Code's icon font, for the webview's buttons (the webview cannot reach the workbench's own).
mkdirSync(`${out}/codicons`, { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${file}`, `${out}/codicons/${file}`);

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
