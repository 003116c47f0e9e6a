/** Snapshot files on disk, and input text decoding (az on Windows PowerShell writes UTF-16). */
import { open, readFile, rename, rm } from 'node:fs/promises';
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

/**
 * A whole file in one read of its size: `readFile` reads in 512 kB pieces, one thread-pool round
 * trip each (~25 ms more for a 175 MB export). A file that is not regular (a pipe, a `/proc` file:
 * size 0) or that grows while read goes through `readFile`.
 */
export async function readWholeFile(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) return await readFile(file);
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await file.read(bytes, at, size - at, at);
      if (bytesRead === 0) return bytes.subarray(0, at);
      at += bytesRead;
    }
    // Grown since the stat (a file still being written): read it again, whole.
    const { bytesRead } = await file.read(Buffer.alloc(1), 0, 1, size);
    return bytesRead === 0 ? bytes : await readFile(path);
  } finally {
    await file.close();
  }
}

export interface WriteSnapshotOptions {
  /**
   * Cancellation (the CLI's Ctrl+C): the write stops between two pieces, the temporary file is
   * removed and nothing is renamed into place; the promise rejects with the signal's reason.
   */
  readonly signal?: AbortSignal;
  /** After each piece written: bytes written so far, and in all. */
  readonly onProgress?: (writtenBytes: number, totalBytes: number) => void;
}

/** Bytes per write: a large estate's snapshot is written in pieces, so a cancel is seen between two. */
const WRITE_PIECE_BYTES = 1 << 20;

/**
 * Writes pretty JSON + newline; through a temporary file so a crash never leaves half a snapshot.
 * When the write or the rename fails (ENOSPC, EACCES, EISDIR: `path` is a directory) or is
 * cancelled (`options.signal`), the temporary file is removed before the error is reported: it
 * holds the estate's whole network topology, and a pull that failed to save must leave nothing
 * half-written behind.
 */
export async function writeSnapshot(path: string, snapshot: Snapshot, options: WriteSnapshotOptions = {}): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const { signal } = options;
  try {
    signal?.throwIfAborted();
    const bytes = Buffer.from(formatSnapshot(snapshot), 'utf8');
    const file = await open(temporary, 'w');
    try {
      let at = 0;
      while (at < bytes.length) {
        signal?.throwIfAborted();
        const { bytesWritten } = await file.write(bytes, at, Math.min(WRITE_PIECE_BYTES, bytes.length - at));
        at += bytesWritten;
        options.onProgress?.(at, bytes.length);
      }
    } finally {
      await file.close();
    }
    signal?.throwIfAborted();
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

export async function readSnapshotFile(path: string): Promise<Snapshot> {
  return parseSnapshotText(decodeText(await readFile(path)), basename(path));
}
