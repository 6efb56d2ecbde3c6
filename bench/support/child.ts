import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

/** Starts a bench helper script in its own Node process and waits for the JSON line it prints. */
export async function startChild<T>(script: string, args: string[]): Promise<{ info: T; stop(): void; process: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { info: JSON.parse(line) as T, process: child, stop: () => child.kill('SIGTERM') };
}
