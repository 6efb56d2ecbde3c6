import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Modules the pure layers must never import: VS Code's API and anything DOM-bound. */
const hostOnly = {
  paths: [{ name: 'vscode', message: 'The pure layers (core, protocol, local-llm) must not depend on VS Code.' }],
  patterns: [
    { group: ['**/extension/**', '**/webview/**'], message: 'The pure layers must not import the VS Code or webview side.' },
    { group: ['dompurify', 'marked', 'jsdom'], message: 'DOM-bound libraries belong to the webview.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='only'][object.name=/^(it|describe|test)$/]", message: 'A focused test skips the rest of the suite.' },
      ],
    },
  },
  { files: ['src/core/**', 'src/protocol/**', 'src/local-llm/**'], rules: { 'no-restricted-imports': ['error', hostOnly] } },
  {
    files: ['src/webview/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The webview talks to the host only through the protocol.' }] }] },
  },
  {
    files: ['scripts/**/*.mjs', '*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly' } },
  },
);
