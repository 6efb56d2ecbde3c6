// The extension-tests entry point (`extensionTestsPath`) for a VS Code extension host: VS Code loads
// this module inside the host, calls run(), and reports the outcome when the promise settles.
//
// Used by scripts/integration/run-in-code-server.mjs (code-server's real Node extension host,
// reached through the web workbench), and usable as-is by `@vscode/test-electron`'s runTests().
// (`npm run test:integration` / @vscode/test-cli brings its own equivalent runner.)
//
// Options come from the environment of the extension host, all optional:
//   RILL_INTEGRATION_OPTIONS  JSON { files?: string[], mocha?: Mocha.MochaOptions,
//                                    logFile?: string, resultFile?: string }
//     files       absolute paths of compiled test files; default: every *.test.js beside this folder
//     mocha       mocha options, merged over { ui: 'bdd', timeout: 30000, reporter: 'spec' }
//     logFile     the reporter's output is also appended here (the host's console is not a terminal)
//     resultFile  written at the end: { stats, failures: [{ title, error }] }
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

interface Options {
  files?: string[];
  mocha?: Mocha.MochaOptions;
  logFile?: string;
  resultFile?: string;
}

function testFilesBeside(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(file);
    }
  };
  walk(dir);
  return found.sort();
}

export async function run(): Promise<void> {
  const options = JSON.parse(process.env.RILL_INTEGRATION_OPTIONS ?? '{}') as Options;
  // Bundled to out/integration/support/index.js, so the compiled suite sits one folder up.
  const files = options.files ?? testFilesBeside(path.resolve(__dirname, '..'));

  if (options.logFile) {
    const logFile = options.logFile;
    const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
    const original = base.consoleLog;
    base.consoleLog = (...args: unknown[]) => {
      fs.appendFileSync(logFile, `${format(...args)}\n`);
      original(...args);
    };
  }

  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, reporter: 'spec', color: false, ...options.mocha });
  for (const file of files) mocha.addFile(file);

  const failures: Array<{ title: string; error: string }> = [];
  const runner = await new Promise<Mocha.Runner>((resolve, reject) => {
    try {
      const started = mocha.run(() => resolve(started));
      started.on('fail', (test, error: Error) => {
        failures.push({ title: test.fullTitle(), error: error?.stack ?? String(error) });
      });
    } catch (error) {
      reject(error);
    }
  });

  if (options.resultFile) {
    fs.writeFileSync(options.resultFile, JSON.stringify({ stats: runner.stats, files, failures }, null, 2));
  }
  const failed = runner.stats?.failures ?? failures.length;
  if (failed > 0) throw new Error(`${failed} integration test${failed === 1 ? '' : 's'} failed`);
  if ((runner.stats?.tests ?? 0) === 0) throw new Error(`no integration tests ran (files: ${files.join(', ') || 'none'})`);
}
