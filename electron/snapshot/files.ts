/** Snapshot files on disk, and input text decoding (az on Windows PowerShell writes UTF-16). */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Snapshot } from '../../shared/model/snapshot';
import { formatSnapshot, parseSnapshotText } from './snapshot';

/**
 * Windows PowerShell 5 redirection (`az ... > net.json`) writes UTF-16LE with a BOM; everything
 * else is UTF-8 (a UTF-8 BOM is dropped).
 */
export function decodeText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.subarray(2).toString('utf16le');
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    const swapped = Buffer.from(buffer.subarray(2, buffer.length - (buffer.length % 2)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = buffer.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Writes pretty JSON + newline; through a temporary file so a crash never leaves half a snapshot. */
export async function writeSnapshot(path: string, snapshot: Snapshot): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, formatSnapshot(snapshot), 'utf8');
  await rename(temporary, path);
}

export async function readSnapshotFile(path: string): Promise<Snapshot> {
  return parseSnapshotText(decodeText(await readFile(path)), basename(path));
}
