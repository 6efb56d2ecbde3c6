// A real VS Code (code-server's web workbench) for `npm start` and the end-to-end tests.
//
//   node scripts/vscode-web.mjs install   install the pinned code-server into .vscode-test/code-server
//
// Imported by scripts and tests for ensureInstalled(), installVsix(), installExtension() and
// launchCodeServer().
// Why it looks the way it does: /work/shared/docs/real-vscode.md (code-server 4.139 needs Node 24,
// its native modules need Node 24 headers, the machine's Node is 20).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(here);
const pinnedDir = path.join(here, 'vscode-web');
export const installDir = path.join(repoRoot, '.vscode-test', 'code-server');
const modulesDir = path.join(installDir, 'node_modules');
const markerFile = path.join(installDir, '.installed.json');
// Written by the `node` package's preinstall (a hard link to the platform package's binary).
const node24Bin = path.join(modulesDir, 'node', 'bin');
const node24 = path.join(node24Bin, 'node');
const entry = path.join(modulesDir, 'code-server', 'out', 'node', 'entry.js');

/** Settings that keep trust prompts, walkthroughs, chat and tips out of the way. */
export const quietSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
};

const log = (line) => console.log(`[vscode-web] ${line}`);

function pinned() {
  const manifest = fs.readFileSync(path.join(pinnedDir, 'package.json'));
  const lock = fs.readFileSync(path.join(pinnedDir, 'package-lock.json'));
  const { allowScripts = {}, ...versions } = JSON.parse(manifest.toString());
  // The marker says which versions are installed. allowScripts is part of the recipe (like this
  // file), not of what is installed, so it is left out: a policy edit does not force a 600 MB
  // reinstall under the feet of runs that are using the install.
  const hash = createHash('sha256').update(`${JSON.stringify(versions, null, 2)}\n`).update(lock).digest('hex');
  const { dependencies } = versions;
  return { codeServer: dependencies['code-server'], node: dependencies.node, hash, manifest, lock, allowScripts };
}

function isInstalled(want) {
  try {
    const have = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
    return have.hash === want.hash && fs.existsSync(entry) && fs.existsSync(node24);
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, command)));
}

function checkPrerequisites() {
  const missing = [];
  // The `kerberos` module that VS Code's server depends on compiles against these headers.
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') || !fs.existsSync('/usr/include/krb5.h')) {
    missing.push('Kerberos headers: apt-get install libkrb5-dev');
  }
  for (const tool of ['make', 'g++', 'python3']) {
    if (!onPath(tool)) missing.push(`${tool}: apt-get install build-essential python3`);
  }
  if (missing.length) {
    throw new Error(`code-server cannot be built, missing:\n  ${missing.join('\n  ')}`);
  }
}

/**
 * The environment for the install's own npm runs. Launched from an npm script (`npm test`), this
 * process inherits npm's `npm_config_user_agent` ("npm/11 node/v20…"), `npm_node_execpath` and
 * friends, and the nested npm would take them as its own: code-server's postinstall then reads
 * "node/v20" from the user agent and refuses. So every inherited `npm_*` variable is dropped.
 */
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, ...extra };
}

function run(command, args, env) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: installDir, env, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

/**
 * node-gyp needs a nodedir holding `include/node` plus `common.gypi` and `config.gypi` at its root.
 * The machine's npm config says nodedir=/usr (Node 20 headers), so build one for Node 24.
 */
function makeNodeDir() {
  const platformPackages = path.join(modulesDir, 'node', 'node_modules');
  const name = fs.readdirSync(platformPackages).find((n) => fs.existsSync(path.join(platformPackages, n, 'include', 'node')));
  if (!name) throw new Error(`no Node headers under ${platformPackages}`);
  const include = path.join(platformPackages, name, 'include', 'node');
  const nodeDir = path.join(installDir, 'nodedir');
  fs.rmSync(nodeDir, { recursive: true, force: true });
  fs.cpSync(include, path.join(nodeDir, 'include', 'node'), { recursive: true });
  for (const gypi of ['common.gypi', 'config.gypi']) fs.copyFileSync(path.join(include, gypi), path.join(nodeDir, gypi));
  return nodeDir;
}

/** The Copilot agent runtime would start in the background and try the (absent) network. */
function disableCopilotRuntime() {
  const root = path.join(modulesDir, 'code-server', 'lib', 'vscode', 'node_modules', '@github');
  const walk = (dir) => {
    for (const ent of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const file = path.join(dir, ent.name);
      if (ent.isDirectory()) walk(file);
      else if (ent.isFile() && ent.name.startsWith('copilot-runtime')) {
        fs.chmodSync(file, fs.statSync(file).mode & ~0o111);
        log(`disabled ${path.relative(installDir, file)}`);
      }
    }
  };
  walk(root);
}

/** Installs the pinned code-server (and the Node 24 it runs on) once; fast when already there. */
export async function ensureInstalled() {
  const want = pinned();
  if (isInstalled(want)) return;
  checkPrerequisites();
  const started = Date.now();
  log(`installing code-server ${want.codeServer} with Node ${want.node} into ${path.relative(repoRoot, installDir)} (about 2 minutes, 900 MB)`);
  fs.mkdirSync(installDir, { recursive: true });
  fs.rmSync(markerFile, { force: true });
  // A half-built tree (failed or interrupted install) breaks the next one (`cross-env: Permission denied`).
  fs.rmSync(modulesDir, { recursive: true, force: true });
  fs.writeFileSync(path.join(installDir, 'package.json'), want.manifest);
  fs.writeFileSync(path.join(installDir, 'package-lock.json'), want.lock);
  try {
    // Node 24 comes out of this very install, so: fetch everything without scripts, let the `node`
    // package fetch its binary, then build the rest (code-server's postinstall) under Node 24.
    run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], cleanEnv());
    run('npm', ['rebuild', 'node'], cleanEnv());
    const env = cleanEnv({
      PATH: `${node24Bin}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: makeNodeDir(),
    });
    // Exactly the packages that scripts/vscode-web/package.json's allowScripts approves: `node`
    // (its preinstall fetches and links the Node 24 binary), `code-server` (its postinstall
    // installs and compiles VS Code's own modules). `argon2` is denied: its install script is
    // node-gyp-build, which only picks the prebuilt binary the package ships (prebuilds/), and
    // code-server needs argon2 only for password auth, which the harness turns off. A package with
    // install scripts that allowScripts neither approves nor denies stops the install.
    const scripted = Object.entries(JSON.parse(want.lock.toString()).packages)
      .filter(([key, entry]) => entry.hasInstallScript && key !== 'node_modules/node')
      .map(([key]) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length));
    const unreviewed = scripted.filter((name) => typeof want.allowScripts[name] !== 'boolean');
    if (unreviewed.length) throw new Error(`install scripts neither approved nor denied in scripts/vscode-web/package.json allowScripts: ${unreviewed.join(', ')}`);
    run('npm', ['rebuild', '--foreground-scripts', ...scripted.filter((name) => want.allowScripts[name])], env);
    disableCopilotRuntime();
  } catch (error) {
    fs.rmSync(modulesDir, { recursive: true, force: true });
    throw error;
  }
  fs.writeFileSync(markerFile, `${JSON.stringify({ codeServer: want.codeServer, node: want.node, hash: want.hash }, null, 2)}\n`);
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Copies an unpacked extension into `extensionsDir` as `<publisher>.<name>-<version>`, the layout
 * VS Code scans at startup. Returns the folder it wrote. `npm start` uses it: the development build
 * (with source maps) without packaging; the e2e suite installs the .vsix instead (installVsix).
 */
export function installExtension(extensionsDir, extensionRoot = repoRoot) {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  // What a packaged extension ships, plus whatever holds its entry points (e.g. `main: ./extension.js`).
  const entries = [manifest.main, manifest.browser].filter(Boolean).map((file) => path.normalize(file).split(path.sep)[0]);
  const wanted = (name) =>
    /^package(\.nls(\..+)?)?\.json$/.test(name) ||
    ['dist', 'media', 'l10n', 'README.md', 'LICENSE', ...entries].includes(name);
  for (const name of fs.readdirSync(extensionRoot).filter(wanted)) {
    fs.cpSync(path.join(extensionRoot, name), path.join(target, name), { recursive: true });
  }
  return target;
}

/**
 * Installs a .vsix as users do: code-server's `--install-extension <file>.vsix` (VS Code's own
 * installer: it unpacks, validates the manifest and records the extension in extensions.json).
 * Returns the folder it made, `<extensionsDir>/<publisher>.<name>-<version>`.
 */
export function installVsix(vsix, { userDataDir, extensionsDir }) {
  if (!fs.existsSync(entry)) throw new Error('code-server is not installed: run `node scripts/vscode-web.mjs install`');
  fs.mkdirSync(extensionsDir, { recursive: true });
  const args = [
    entry,
    // Keeps code-server from writing a config into the home folder.
    '--config', path.join(userDataDir, 'config.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--install-extension', vsix,
    '--force',
  ];
  const result = spawnSync(node24, args, { encoding: 'utf8', timeout: 120_000, env: { ...process.env, PATH: `${node24Bin}${path.delimiter}${process.env.PATH ?? ''}` } });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
  const installed = fs.readdirSync(extensionsDir).filter((name) => fs.statSync(path.join(extensionsDir, name)).isDirectory());
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const folder = installed.find((name) => name.toLowerCase().startsWith(`${manifest.publisher}.${manifest.name}-`.toLowerCase()));
  if (!folder) throw new Error(`--install-extension reported success but ${extensionsDir} holds ${JSON.stringify(installed)}`);
  return path.join(extensionsDir, folder);
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers HTTP.
 * @param {{ userDataDir: string, extensionsDir: string, folder?: string, settings?: Record<string, unknown>,
 *           port?: number, env?: Record<string, string> }} options
 * @returns {Promise<{ url: string, port: number, process: import('node:child_process').ChildProcess,
 *           logs(): string, stop(): Promise<void> }>}
 */
export async function launchCodeServer({ userDataDir, extensionsDir, folder, settings = {}, port = 0, env = {} }) {
  if (!fs.existsSync(entry)) throw new Error('code-server is not installed: run `node scripts/vscode-web.mjs install`');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...settings }, null, 2));

  const args = [
    entry,
    '--auth', 'none',
    // Port 0 lets the OS pick; the real port is read from the server's log line.
    '--bind-addr', `127.0.0.1:${port}`,
    // Keeps code-server from writing a config (with a generated password) into the home folder.
    '--config', path.join(userDataDir, 'config.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--ignore-last-opened',
    ...(folder ? [folder] : []),
  ];
  // detached: its own process group, so stop() can end the server, extension host and helpers at once.
  const child = spawn(node24, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${node24Bin}${path.delimiter}${process.env.PATH ?? ''}`, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));

  // Being detached, the server would outlive a test process that exits without calling stop().
  const killOnExit = () => groupAlive(child.pid) && process.kill(-child.pid, 'SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (!groupAlive(child.pid)) return;
    process.kill(-child.pid, 'SIGTERM');
    for (let i = 0; i < 50 && groupAlive(child.pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    await exited;
  };

  try {
    const actualPort = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('code-server did not start within 60 s')), 60_000);
      const onData = () => {
        const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited early (${code})`));
      });
    });
    const url = `http://127.0.0.1:${actualPort}/`;
    for (const deadline = Date.now() + 30_000; ; ) {
      try {
        await fetch(url, { redirect: 'manual' });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { url, port: actualPort, process: child, logs: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n--- code-server output ---\n${output}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command] = process.argv.slice(2);
  if (command === 'install') {
    ensureInstalled().then(
      () => log(`ready: ${path.relative(repoRoot, installDir)}`),
      (error) => {
        console.error(`[vscode-web] ${error.message}`);
        process.exit(1);
      },
    );
  } else {
    console.error('usage: node scripts/vscode-web.mjs install');
    process.exit(2);
  }
}
