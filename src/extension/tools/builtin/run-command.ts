import * as vscode from 'vscode';
import type { ToolResult } from '../../../core/agent';
import { formatCommandOutput, normaliseCommand } from '../../../core/tools';
import { TailBuffer } from '../../../core/tools/tail-buffer';
import { defineBuiltin, fail, ok } from './define-tool';
import type { WorkspacePaths } from './workspace-paths';

export interface RunCommandOptions {
  /** `rill.agent.commandTimeoutSeconds` in ms, read at each call so a changed setting applies at once. */
  commandTimeoutMs(): number;
  /** How long a new terminal may take to report shell integration. */
  shellIntegrationTimeoutMs?: number;
  log: { info(message: string): void; warn(message: string): void };
}

/** Output kept in memory per command: a few times what the model is shown (its end), whatever the command prints. */
const KEPT_OUTPUT_CHARS = 100_000;
/** After Ctrl+C, how long the command may take to end before its terminal is closed (which ends the shell and its children). */
const INTERRUPT_GRACE_MS = 3000;
const CTRL_C = '\u0003';
/**
 * A command that may leave its shell in another folder (POSIX shells, PowerShell, cmd). The shell
 * reports its folder only with its next prompt, after the command's end event, so a command queued
 * right behind it (the model's parallel calls) would still see the old folder and run in the new
 * one: the integration test caught `pwd` printing `src` after `cd src`. After such a command the
 * next one waits for that report (at most FOLDER_REPORT_MS), and `ready` then starts a new terminal
 * if the folder moved.
 */
const CHANGES_FOLDER = /(^|[\s;&|(])(cd|chdir|pushd|popd|set-location|sl|push-location|pop-location)(?=$|[\s;&|)\\.])/i;
/** A `cd` in a subshell moves nothing: the wait ends here, and the terminal (and what it started in the background) is kept. */
const FOLDER_REPORT_MS = 500;

type Ending = { kind: 'ended'; exitCode: number | undefined } | { kind: 'timeout' } | { kind: 'aborted' } | { kind: 'closed' };

/**
 * rill_run_command in a terminal of its own named "Rill", started in the first workspace folder, so
 * the user sees every command run and can type into it. VS Code's shell integration says where the
 * command's output starts and ends and its exit code; without it nothing reliable can be reported,
 * so a terminal whose shell never reports it is an error, not a guess. Commands run one at a time:
 * a second waits for the first. The command line run is exactly the normalised one the user approved.
 */
export function runCommandTool(paths: WorkspacePaths, options: RunCommandOptions) {
  let terminal: vscode.Terminal | undefined;
  let queue: Promise<void> = Promise.resolve();

  /** The Rill terminal, ready with shell integration in `cwd`; a new one when the old one exited or wandered off. */
  async function ready(cwd: vscode.Uri, signal: AbortSignal): Promise<vscode.Terminal | string> {
    const current = terminal;
    const reusable = current && current.exitStatus === undefined && current.shellIntegration && (!current.shellIntegration.cwd || current.shellIntegration.cwd.fsPath === cwd.fsPath);
    if (current && reusable) return current;
    current?.dispose();
    const created = vscode.window.createTerminal({ name: 'Rill', cwd, iconPath: new vscode.ThemeIcon('robot'), isTransient: true });
    terminal = created;
    created.show(true);
    // Usually a second; a busy machine (a loaded CI runner, a slow .bashrc) can take several.
    const waitMs = options.shellIntegrationTimeoutMs ?? 15_000;
    const waitStarted = Date.now();
    const integrated = await new Promise<boolean>((resolve) => {
      if (created.shellIntegration) return resolve(true);
      const done = (value: boolean): void => {
        clearTimeout(timer);
        listener.dispose();
        closed.dispose();
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(false), waitMs);
      const listener = vscode.window.onDidChangeTerminalShellIntegration((event) => event.terminal === created && done(true));
      const closed = vscode.window.onDidCloseTerminal((closedTerminal) => closedTerminal === created && done(false));
      signal.addEventListener('abort', onAbort);
    });
    if (signal.aborted) return 'Stopped.';
    options.log.info(`rill_run_command: new terminal, shell integration ${integrated ? 'after' : 'missing after'} ${Date.now() - waitStarted} ms`);
    if (!integrated && created.exitStatus !== undefined) return 'The Rill terminal was closed before its shell was ready; nothing was run.';
    if (!integrated) {
      options.log.warn(`rill_run_command: no shell integration in the Rill terminal after ${waitMs} ms`);
      return (
        `The Rill terminal's shell did not start VS Code's shell integration within ${Math.round(waitMs / 1000)} s, so the command's output and exit code cannot be read; nothing was run. ` +
        'Tell the user: shell integration needs bash, zsh, fish or PowerShell and the setting terminal.integrated.shellIntegration.enabled.'
      );
    }
    return created;
  }

  async function execute(command: string, signal: AbortSignal, holdUntil: (settled: Promise<void>) => void): Promise<ToolResult> {
    const folder = paths.folders()[0];
    if (!folder) return fail('No workspace folder is open, so there is nowhere to run the command.');
    const shell = await ready(folder.uri, signal);
    if (typeof shell === 'string') return fail(shell);
    const integration = shell.shellIntegration;
    if (!integration) return fail('The Rill terminal lost its shell integration; nothing was run. Try again.');

    const output = new TailBuffer(KEPT_OUTPUT_CHARS);
    const execution = integration.executeCommand(command);
    // read() yields only what is written after its first call: call it before anything can await.
    const reading = (async () => {
      for await (const data of execution.read()) output.push(data);
    })().catch((error: unknown) => options.log.warn(`rill_run_command: reading the output failed: ${String(error)}`));
    options.log.info(`rill_run_command: started (${command.length} characters)`);

    const started = Date.now();
    const timeoutMs = Math.max(1000, options.commandTimeoutMs());
    const disposables: vscode.Disposable[] = [];
    let onAbort = (): void => undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = new Promise<Ending>((resolve) => {
      disposables.push(vscode.window.onDidEndTerminalShellExecution((event) => event.execution === execution && resolve({ kind: 'ended', exitCode: event.exitCode })));
      disposables.push(vscode.window.onDidCloseTerminal((closed) => closed === shell && resolve({ kind: 'closed' })));
    });
    const ending = await Promise.race([
      ended,
      new Promise<Ending>((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs))),
      new Promise<Ending>((resolve) => {
        onAbort = () => resolve({ kind: 'aborted' });
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort);
      }),
    ]);
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);

    if (ending.kind === 'timeout' || ending.kind === 'aborted') {
      shell.sendText(CTRL_C, false);
      // Let the command end on Ctrl+C; one that ignores it is ended with its terminal.
      const stopped = Promise.race([ended, delay(INTERRUPT_GRACE_MS).then(() => undefined)]).then((end) => {
        disposables.forEach((disposable) => disposable.dispose());
        if (end === undefined && shell.exitStatus === undefined) {
          options.log.warn('rill_run_command: the command ignored Ctrl+C; closing its terminal');
          shell.dispose();
        }
      });
      holdUntil(stopped);
      if (ending.kind === 'aborted') return fail('Stopped by the user: the command was interrupted (Ctrl+C).');
      await stopped;
      await Promise.race([reading, delay(500)]);
      return fail(withDropped(formatCommandOutput(output.text(), { timedOutMs: timeoutMs }), output.dropped));
    }
    disposables.forEach((disposable) => disposable.dispose());
    // The stream can deliver its last chunk just after the end event.
    await Promise.race([reading, delay(1000)]);
    if (ending.kind === 'ended' && CHANGES_FOLDER.test(command)) await folderReported(shell, folder.uri);
    if (ending.kind === 'closed') return fail(withDropped(`The terminal was closed before the command finished. Its output so far:\n${formatCommandOutput(output.text(), {})}`, output.dropped));
    options.log.info(`rill_run_command: ended with exit code ${ending.exitCode ?? 'unknown'} after ${Date.now() - started} ms`);
    return ok(withDropped(formatCommandOutput(output.text(), ending.exitCode === undefined ? {} : { exitCode: ending.exitCode }), output.dropped));
  }

  return defineBuiltin('rill_run_command', {
    async run(args, signal) {
      const command = normaliseCommand(args.command);
      // One command at a time in the one terminal: a second call waits its turn (or for Stop).
      // A stopped command holds the terminal until it has really ended (or its terminal is closed).
      const previous = queue;
      let release = (): void => undefined;
      const mine = new Promise<void>((resolve) => (release = resolve));
      queue = previous.then(() => mine);
      let held: Promise<void> = Promise.resolve();
      try {
        const turn = await Promise.race([previous.then(() => true), abortPromise(signal).then(() => false)]);
        if (!turn) return fail('Stopped before the command started.');
        return await execute(command, signal, (settled) => (held = settled));
      } finally {
        void held.then(release, release);
      }
    },
  });
}

function withDropped(text: string, dropped: number): string {
  return dropped > 0 ? `[Rill: the output was long; its first ${dropped} characters were not kept.]\n${text}` : text;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function abortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

/** Until the shell reports a folder other than `folder` (a `cd` took effect), at most FOLDER_REPORT_MS. */
async function folderReported(shell: vscode.Terminal, folder: vscode.Uri): Promise<void> {
  const moved = (cwd: vscode.Uri | undefined): boolean => cwd !== undefined && cwd.fsPath !== folder.fsPath;
  if (moved(shell.shellIntegration?.cwd)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, FOLDER_REPORT_MS);
    const listener = vscode.window.onDidChangeTerminalShellIntegration((event) => event.terminal === shell && moved(event.shellIntegration.cwd) && done());
  });
}
