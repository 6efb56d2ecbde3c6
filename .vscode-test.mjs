// Integration suite for VS Code desktop through @vscode/test-electron (`npm run test:integration`).
// It needs to download VS Code, which this project's CI machines cannot do; there the same
// behaviour is covered by the end-to-end suite in the web workbench (test/e2e).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/integration/**/*.test.js',
  version: 'stable',
  launchArgs: ['--disable-extensions'],
  mocha: { ui: 'bdd', timeout: 30000 },
});
