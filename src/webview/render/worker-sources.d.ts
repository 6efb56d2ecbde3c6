// Virtual modules made by scripts/highlight-worker-plugin.mjs at build time.
declare module 'rill:highlight-worker-source' {
  /** The highlighting worker's whole script (highlight-worker.ts, bundled). */
  const source: string;
  export default source;
}
