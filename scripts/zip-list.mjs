// The entries of a zip file (a .vsix is one), read from its central directory: enough to check what
// a package holds without a zip library or the `unzip` tool. No zip64: a .vsix stays far below 4 GB.
import { Buffer } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';

/** @param {Buffer} zip @returns {{ name: string, size: number, compressed: number, method: number, offset: number }[]} */
export function listZip(zip) {
  // The end-of-central-directory record: at the end, after an optional comment of up to 64 KB.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`corrupt central directory at byte ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressed: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      offset: zip.readUInt32LE(at + 42),
    });
    at += 46 + skip;
  }
  return entries;
}

/** The uncompressed content of one entry (stored or deflated), or undefined when there is none. */
export function readZipEntry(zip, name) {
  const entry = listZip(zip).find((e) => e.name === name);
  if (!entry) return undefined;
  const at = entry.offset;
  if (zip.readUInt32LE(at) !== 0x04034b50) throw new Error(`corrupt local header for ${name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressed);
  return entry.method === 8 ? inflateRawSync(data) : Buffer.from(data);
}
