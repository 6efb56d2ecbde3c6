// Runs the @vscode/test-electron integration suite (out/integration/*.test.js, mocha) inside a real
// VS Code extension host where VS Code desktop cannot be downloaded: code-server's Node extension
// host, driven through its web workbench in Debian's Chromium.
//
//   node scripts/integration/run-in-code-server.mjs [--no-build] [--verbose] [--timeout <seconds>]
//
// How: the web workbench honours the `payload` query parameter (extensionDevelopmentPath,
// extensionTestsPath as vscode-remote:// URIs) only in unbuilt VS Code or when the server runs with
// `--enable-smoke-test-driver`, which code-server passes through as `vscode-option` (set here in its
// config file). The workbench then loads Rill as the extension under development, asks the remote
// (Node) extension host to load test/integration/support/index.ts's run(), and when that settles
// calls window.codeAutomationExit(code) — exposed here by Playwright, as VS Code's own browser
// integration tests do. The reporter's output is teed to a file this script prints as it grows.
//
// Exit code: 0 when every test passed, 1 when a test failed or the run did not complete.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { ensureInstalled, launchCodeServer } from '../vscode-web.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const build = !argv.includes('--no-build');
const verbose = argv.includes('--verbose');
const timeoutIndex = argv.indexOf('--timeout');
const timeoutMs = (timeoutIndex >= 0 ? Number(argv[timeoutIndex + 1]) : 300) * 1000;
const log = (line) => console.log(`[integration] ${line}`);

/** `out/integration/**\/*.test.js` and the like, relative to the repository, without a glob library. */
function expandGlob(pattern) {
  const parts = pattern.split('/');
  const fixed = [];
  while (parts.length && !/[*?[{]/.test(parts[0])) fixed.push(parts.shift());
  const root = path.join(repoRoot, ...fixed);
  const source = parts
    .join('/')
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\//g, '<globstar>')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]')
    .replace(/<globstar>/g, '(?:.*/)?');
  const matcher = new RegExp(`^${source}$`);
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (matcher.test(path.relative(root, file).split(path.sep).join('/'))) found.push(file);
    }
  };
  walk(root);
  return found.sort();
}

/** The same files and mocha options `vscode-test` would use, read from .vscode-test.mjs. */
async function testConfig() {
  const loaded = (await import(pathToFileURL(path.join(repoRoot, '.vscode-test.mjs')).href)).default;
  const config = Array.isArray(loaded) ? loaded[0] : loaded;
  const patterns = Array.isArray(config.files) ? config.files : [config.files];
  return { files: [...new Set(patterns.flatMap(expandGlob))], mocha: config.mocha ?? {} };
}

async function buildSuite() {
  log('building the extension and the integration suite (node scripts/build.mjs --integration)');
  const result = spawnSync(process.execPath, ['scripts/build.mjs', '--integration'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the build failed (exit ${result.status})`);
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'test/integration/support/index.ts')],
    outfile: path.join(repoRoot, 'out/integration/support/index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

/**
 * The workbench's remote authority. code-server's page config says `remote`, but its workbench.js
 * replaces that with `location.host` before starting, so it is the host:port the page is loaded from.
 */
const remoteAuthority = (url) => new URL(url).host;

const remoteUri = (authority, file) => `vscode-remote://${authority}${pathToFileURL(file).pathname}`;

async function main() {
  const started = Date.now();
  await ensureInstalled();
  if (build) await buildSuite();
  const testsEntry = path.join(repoRoot, 'out/integration/support/index.js');
  if (!fs.existsSync(testsEntry)) throw new Error(`${path.relative(repoRoot, testsEntry)} is missing: run without --no-build`);
  const { files, mocha } = await testConfig();
  if (!files.length) throw new Error('.vscode-test.mjs matches no compiled test files');
  log(`${files.length} test file(s): ${files.map((f) => path.relative(repoRoot, f)).join(', ')}`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rill-integration-'));
  const userDataDir = path.join(tmp, 'user-data');
  const logFile = path.join(tmp, 'mocha.log');
  const resultFile = path.join(tmp, 'result.json');
  fs.mkdirSync(userDataDir, { recursive: true });
  // The folder the window opens: a fresh copy of the fixture workspace, since the tools' tests
  // write, link and run commands in it. The tests check its marker file before touching anything.
  const workspaceDir = path.join(tmp, 'workspace');
  fs.cpSync(path.join(repoRoot, 'test/integration/fixtures/workspace'), workspaceDir, { recursive: true });
  // Every code-server flag is also a config key; this one reaches VS Code's server as
  // --enable-smoke-test-driver, without which the built workbench ignores the `payload` parameter.
  fs.writeFileSync(path.join(userDataDir, 'config.yaml'), 'vscode-option:\n  - enable-smoke-test-driver\n');

  let server;
  let browser;
  const browserLog = [];
  try {
    server = await launchCodeServer({
      userDataDir,
      // Empty: nothing but VS Code's built-ins and the extension under development (like --disable-extensions).
      extensionsDir: path.join(tmp, 'extensions'),
      folder: workspaceDir,
      // The extension host inherits the server's environment.
      env: { RILL_INTEGRATION_OPTIONS: JSON.stringify({ files, mocha, logFile, resultFile }) },
    });
    const authority = remoteAuthority(server.url);
    const payload = [
      ['extensionDevelopmentPath', remoteUri(authority, repoRoot)],
      ['extensionTestsPath', remoteUri(authority, testsEntry)],
    ];
    log(`code-server on ${server.url} (remote authority "${authority}")`);
    if (verbose) log(`payload ${JSON.stringify(payload)}`);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let finish;
    const finished = new Promise((resolve) => (finish = resolve));
    // What VS Code's own browser integration tests expose: the workbench calls these when it runs extension tests.
    await page.exposeFunction('codeAutomationExit', (code) => finish({ code }));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = `[${type}] ${(Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`;
      browserLog.push(line);
      if (verbose) console.log(`[workbench] ${line}`);
    });
    page.on('pageerror', (error) => browserLog.push(`[pageerror] ${error.message}`));
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspaceDir)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);

    // Print the reporter's output as it is written.
    let printed = 0;
    const pump = () => {
      if (!fs.existsSync(logFile)) return;
      const text = fs.readFileSync(logFile, 'utf8');
      if (text.length > printed) process.stdout.write(text.slice(printed));
      printed = text.length;
    };
    const ticker = setInterval(pump, 200);
    const timer = new Promise((resolve) => setTimeout(() => resolve({ timedOut: true }), timeoutMs).unref());
    const outcome = await Promise.race([finished, timer]);
    clearInterval(ticker);
    pump();

    const result = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : undefined;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (outcome.timedOut) {
      throw new Error(`the extension host reported no test outcome within ${timeoutMs / 1000} s`);
    }
    if (outcome.code !== 0 || !result || result.stats.failures > 0 || result.stats.tests === 0) {
      if (!result) {
        // The runner did not load or crashed before mocha finished: the workbench's log says why.
        log('the test runner wrote no results; the workbench log (extension host included) ends with:');
        console.error(browserLog.slice(-40).join('\n'));
      }
      log(`FAILED (extension host exit code ${outcome.code}) in ${seconds} s`);
      return 1;
    }
    log(`${result.stats.passes} passing, ${result.stats.failures} failing, ${result.stats.pending} pending — exit code 0 in ${seconds} s`);
    return 0;
  } catch (error) {
    if (browserLog.length) console.error(`--- workbench log ---\n${browserLog.slice(-40).join('\n')}`);
    if (server && verbose) console.error(`--- code-server output ---\n${server.logs()}`);
    throw error;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[integration] ${error.stack ?? error}`);
    process.exit(1);
  },
);
