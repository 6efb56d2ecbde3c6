// Integration suite for VS Code desktop through @vscode/test-electron (`npm run test:integration`).
// It needs to download VS Code, which this project's CI machines cannot do; there the same
// behaviour is covered by scripts/integration/run-in-code-server.mjs (the same tests in
// code-server's extension host) and the end-to-end suite in the web workbench (test/e2e).
import { defineConfig } from '@vscode/test-cli';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The tools' tests edit, create and run commands in the folder they open: a copy of the fixture,
// never the repository's own files.
const workspace = mkdtempSync(join(tmpdir(), 'rill-integration-'));
cpSync('test/integration/fixtures/workspace', workspace, { recursive: true });

export default defineConfig({
  files: 'out/integration/**/*.test.js',
  version: 'stable',
  workspaceFolder: workspace,
  launchArgs: ['--disable-extensions'],
  mocha: { ui: 'bdd', timeout: 30000 },
});
