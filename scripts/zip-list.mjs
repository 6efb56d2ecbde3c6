// The entries of a zip file (a .vsix is one), read with yauzl (the zip reader vsce itself uses),
// to check what a package holds without the `unzip` tool.
import { Buffer } from 'node:buffer';
import yauzl from 'yauzl';

/** Opens `file` and calls `onEntry` for each entry in order; resolves when all were seen. */
function eachEntry(file, onEntry) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry) => {
        Promise.resolve(onEntry(entry, zip)).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  });
}

/** @param {string} file @returns {Promise<{ name: string, size: number, compressed: number }[]>} */
export async function listZip(file) {
  const entries = [];
  await eachEntry(file, (entry) => {
    entries.push({ name: entry.fileName, size: entry.uncompressedSize, compressed: entry.compressedSize });
  });
  return entries;
}

/** The uncompressed content of one entry, or undefined when there is none. */
export async function readZipEntry(file, name) {
  let content;
  await eachEntry(file, (entry, zip) => {
    if (entry.fileName !== name) return undefined;
    return new Promise((resolve, reject) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks = [];
        stream.on('data', (chunk) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          content = Buffer.concat(chunks);
          resolve();
        });
      });
    });
  });
  return content;
}
