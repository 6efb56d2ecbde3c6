export * from './trace';
export * from './labels';
export * from './mermaid';
export * from './traced-fetch';
