// Loaded only through `import()` (decorate.ts): the chunk that carries the highlighting worker's
// script as a string (scripts/highlight-worker-plugin.mjs) and starts it.
import source from 'rill:highlight-worker-source';
import { startHighlightWorker } from './highlight-worker-client';
import type { Highlighter } from './types';

export const startWorker = (fallback: () => Promise<Highlighter>): Highlighter => startHighlightWorker(source, fallback);
