// `npm run package`: dist/rill.vsix, the file users install (Marketplace, `--install-extension`).
//
//   node scripts/package.mjs               production build, vsce package, then check the contents
//   node scripts/package.mjs --if-stale    the same, unless dist/rill.vsix was made from these sources
//   node scripts/package.mjs --inspect [f] only list and check a .vsix (dist/rill.vsix by default)
//
// The e2e suite and the latency bench install the .vsix (ensureVsix()), so what they test is what
// ships. "Stale" is decided by a hash of every input, not by mtimes: a checkout, an `npm ci` or an
// edit by anyone in this shared tree changes the hash, so an older package is never reused.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listZip } from './zip-list.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const vsixPath = path.join(repoRoot, 'dist', 'rill.vsix');
const stampPath = `${vsixPath}.json`;
const log = (line) => console.log(`[package] ${line}`);

/** What the .vsix is made from: sources, manifest, docs, the build scripts and the installed deps. */
const INPUT_DIRS = ['src', 'l10n', 'media'];
const INPUT_FILES = [
  'package.json', 'package-lock.json', 'package.nls.json', 'package.nls.ja.json', 'README.md', 'LICENSE',
  'CHANGELOG.md', '.vscodeignore', 'scripts/build.mjs', 'scripts/package.mjs',
  // Rewritten by every npm install: a changed dependency tree changes the bundles.
  'node_modules/.package-lock.json',
];

export function inputsHash() {
  const files = [...INPUT_FILES];
  for (const dir of INPUT_DIRS) {
    const abs = path.join(repoRoot, dir);
    if (!fs.existsSync(abs)) continue;
    for (const e of fs.readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) files.push(path.relative(repoRoot, path.join(e.parentPath, e.name)));
    }
  }
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) {
    const abs = path.join(repoRoot, file);
    hash.update(`${file}\0`).update(fs.existsSync(abs) ? fs.readFileSync(abs) : '(absent)').update('\0');
  }
  return hash.digest('hex');
}

// Paths inside the .vsix (vsce puts the extension under `extension/`, and renames LICENSE to
// LICENSE.txt and README.md to readme.md).
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package(\.nls(\.[\w-]+)?)?\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt)?$/i,
  /^extension\/dist\/.+\.(js|css|ttf|txt)$/,
  /^extension\/media\/.+/,
  /^extension\/l10n\/[^/]+\.json$/,
];
// Named apart so that a failure says what slipped in, even where an allowed folder would match.
const FORBIDDEN = [/\.map$/, /\.tsx?$/, /(^|\/)(src|test|bench|node_modules|\.vscode-test|out|scripts)\//, /\.vsix$/];
const REQUIRED = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/webview/main.js',
  'extension/readme.md', 'extension/LICENSE.txt', 'extension/media/rill.png'];

/** Lists a .vsix and says what should not be there, or what is missing. */
export async function inspectVsix(file = vsixPath) {
  const entries = await listZip(file);
  const names = new Set(entries.map((e) => e.name));
  const forbidden = (name) => FORBIDDEN.some((re) => re.test(name));
  const problems = [
    ...entries.filter((e) => forbidden(e.name)).map((e) => `must not ship: ${e.name}`),
    // Folder entries (`name/`, which vsce does not write) say nothing by themselves.
    ...entries.filter((e) => !e.name.endsWith('/') && !forbidden(e.name) && !ALLOWED.some((re) => re.test(e.name))).map((e) => `not in the allow-list: ${e.name}`),
    ...REQUIRED.filter((name) => !names.has(name)).map((name) => `missing: ${name}`),
  ];
  return { bytes: fs.statSync(file).size, entries, problems };
}

function summary(file, { bytes, entries }) {
  const groups = new Map();
  for (const e of entries) {
    const parts = e.name.split('/');
    const key = parts.length > 2 ? `${parts.slice(0, parts[1] === 'dist' && parts.length > 3 ? 3 : 2).join('/')}/` : e.name;
    const g = groups.get(key) ?? { files: 0, size: 0 };
    groups.set(key, { files: g.files + 1, size: g.size + e.size });
  }
  const rows = [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => `  ${k.padEnd(40)} ${String(g.files).padStart(4)} files ${(g.size / 1024).toFixed(0).padStart(7)} KB`);
  return [`${path.relative(repoRoot, file)}: ${bytes} bytes (${(bytes / 1024).toFixed(0)} KB), ${entries.length} files`, ...rows].join('\n');
}

/** Runs a Node script; `quiet` keeps its output unless it fails. */
function run(args, { cwd = repoRoot, quiet = false } = {}) {
  // stdin closed: vsce asks questions (a missing LICENSE, a broken image) and must fail, not wait.
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'] });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error(`${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

/** What vsce reads besides the bundles (it then keeps what .vscodeignore lets through). */
const STAGED = ['package.json', 'package.nls.json', 'package.nls.ja.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'media', 'l10n'];

/**
 * Builds the production bundles into a fresh folder of its own, packages it with vsce and checks
 * the result; dist/rill.vsix is replaced only by a package that passed. The repository's dist/ is
 * left alone (others' builds and runs use it), apart from that one file.
 */
export async function packageVsix({ quiet = false } = {}) {
  const hash = inputsHash();
  const started = Date.now();
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'rill-package-'));
  // Written aside and renamed: someone else's test run may be reading dist/rill.vsix right now.
  const partial = path.join(repoRoot, 'dist', `.rill-${process.pid}.vsix`);
  try {
    run([path.join(repoRoot, 'scripts', 'build.mjs'), '--production', '--outdir', path.join(stage, 'dist')], { quiet });
    for (const name of STAGED.filter((n) => fs.existsSync(path.join(repoRoot, n)))) {
      fs.cpSync(path.join(repoRoot, name), path.join(stage, name), { recursive: true });
    }
    fs.mkdirSync(path.dirname(partial), { recursive: true });
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    run([vsce, 'package', '--no-dependencies', '-o', partial], { cwd: stage, quiet });
    const report = await inspectVsix(partial);
    if (report.problems.length) throw new Error(`the .vsix is wrong:\n  ${report.problems.join('\n  ')}`);
    fs.renameSync(partial, vsixPath);
    fs.writeFileSync(stampPath, `${JSON.stringify({ inputs: hash, bytes: report.bytes, files: report.entries.length }, null, 2)}\n`);
    log(`${summary(vsixPath, report)}\n  made in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(stage, { recursive: true, force: true });
  }
  return vsixPath;
}

/** dist/rill.vsix, packaged again unless it was made from exactly the current inputs. */
export async function ensureVsix() {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampPath, 'utf8'));
    if (fs.existsSync(vsixPath) && stamp.inputs === inputsHash()) return vsixPath;
  } catch {
    // No stamp: never packaged here, or by an older script.
  }
  log('dist/rill.vsix is missing or older than the sources: packaging');
  return packageVsix({ quiet: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  try {
    if (args[0] === '--inspect') {
      const file = path.resolve(args[1] ?? vsixPath);
      const report = await inspectVsix(file);
      log(summary(file, report));
      if (report.problems.length) throw new Error(`the .vsix is wrong:\n  ${report.problems.join('\n  ')}`);
      log('contents OK: only what runs');
    } else if (args[0] === '--if-stale') {
      await ensureVsix();
    } else {
      await packageVsix();
    }
  } catch (error) {
    console.error(`[package] ${error.message}`);
    process.exit(1);
  }
}
