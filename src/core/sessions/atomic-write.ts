import { rename, writeFile } from 'node:fs/promises';

/**
 * Writes a file whole or not at all: a temporary file renamed over the old one, so a crash mid-write
 * leaves the previous version, never half a file. The temporary name carries the process id, so two
 * VS Code windows writing the same folder do not write into each other's temporary file.
 */
export async function writeAtomic(file: string, text: string): Promise<number> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, file);
  return Buffer.byteLength(text);
}
