// `npm start`: opens Rill in a real VS Code. The desktop `code` when it is on PATH (as an
// extension under development), otherwise VS Code's web workbench (code-server) served on
// 127.0.0.1, installed on first use into .vscode-test/. With no provider configured, the
// extension answers from its built-in offline demo model.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled, installExtension, launchCodeServer } from './vscode-web.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

if (onPath('code') && !process.env.RILL_WEB) {
  console.log('Opening Rill in VS Code desktop (set RILL_WEB=1 to use the web workbench instead).');
  spawn('code', [`--extensionDevelopmentPath=${root}`, root], { stdio: 'inherit', detached: true }).unref();
} else {
  await ensureInstalled();
  const home = join(root, '.vscode-test', 'start');
  const extensionsDir = join(home, 'extensions');
  const userDataDir = join(home, 'user-data');
  mkdirSync(extensionsDir, { recursive: true });
  installExtension(extensionsDir, root);
  const server = await launchCodeServer({
    userDataDir,
    extensionsDir,
    folder: root,
    port: Number(process.env.RILL_PORT ?? 8765),
    settings: {},
  });
  console.log(`\nRill is running in VS Code at ${server.url}`);
  console.log('Open that address in a browser; the Rill icon is in the activity bar, or run "Rill: Open Chat" (F1).');
  console.log('Press Ctrl+C to stop.\n');
  if (process.env.DISPLAY && onPath('xdg-open')) spawn('xdg-open', [server.url], { stdio: 'ignore', detached: true }).unref();
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
