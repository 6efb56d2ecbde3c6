import type { Plugin } from 'esbuild';
/** See highlight-worker-plugin.mjs. */
export function highlightWorkerPlugin(): Plugin;
