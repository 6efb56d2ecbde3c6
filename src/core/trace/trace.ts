/**
 * The request trace: what it records (trace-types.ts), the recorder (trace-recorder.ts), figures
 * derived from it, and reading a saved one back. Kept as one module path so that imports of
 * `trace/trace` keep working; `index.ts` re-exports the whole folder.
 */
export * from './trace-types';
export * from './trace-recorder';
export * from './trace-figures';
export * from './trace-parse';
export type { AgentToolInfo } from './agent-trace';
export { clip, safeUrl } from './trace-text';
