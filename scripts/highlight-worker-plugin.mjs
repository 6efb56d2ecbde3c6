// An esbuild plugin: `import source from 'rill:highlight-worker-source'` is the highlighting
// worker's script (src/webview/render/highlight-worker.ts), bundled here into one classic script
// and handed over as a string. The webview starts it from a blob: URL, the only way a webview can
// start a worker, so it needs no file of its own and no `connect-src` to fetch one.
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/webview/render/highlight-worker.ts', import.meta.url));

/** @returns {import('esbuild').Plugin} */
export function highlightWorkerPlugin() {
  return {
    name: 'rill-highlight-worker',
    setup(build) {
      build.onResolve({ filter: /^rill:highlight-worker-source$/ }, () => ({ path: 'highlight-worker-source', namespace: 'rill-worker' }));
      build.onLoad({ filter: /.*/, namespace: 'rill-worker' }, async () => {
        const result = await esbuild.build({
          entryPoints: [entry],
          bundle: true,
          write: false,
          format: 'iife',
          platform: 'browser',
          target: 'es2022',
          minify: build.initialOptions.minify ?? false,
          legalComments: 'none',
          metafile: true,
          logLevel: 'silent',
        });
        const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(input));
        return { contents: result.outputFiles[0].text, loader: 'text', watchFiles: inputs };
      });
    },
  };
}
