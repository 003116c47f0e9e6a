/**
 * `JSON.stringify(value, null, 2)`, written in pieces: the top-level object's array members go out
 * a batch of elements at a time, so a 180 MB resolve result never exists as one string (nor as one
 * Buffer on its way to stdout). The bytes are the same as JSON.stringify's.
 *
 * Each piece is JSON.stringify's own output for a one-member wrapper object `{ [key]: part }`, cut
 * at fixed offsets: the wrapper puts the member (and a batch's elements) at exactly the indentation
 * they have in the whole document, so no pass re-indents the text (that pass and its string
 * buffer were a third of the CLI's JSON output time on a 100,000-NIC estate).
 */
import { open } from 'node:fs/promises';

/**
 * Elements asked of a BatchedArray at a time (and the most in one piece): a few hundred kB of
 * text for resolve paths. Batches of megabytes go to V8's large-object space and live until a
 * full GC: 64 keeps the peak RSS of a 180 MB output where writing it element by element kept it,
 * 1,024 added 0.7 GB.
 */
const BATCH = 64;

/**
 * Characters of JSON text aimed at per piece written: a batch is stringified in pieces of as many
 * elements as make about this much (from the previous piece's size). Writing a piece flattens
 * JSON.stringify's rope into one string, two bytes a character when any text is not Latin-1 (the
 * resolve output's "→"): a string over 128 kB goes to V8's large-object space, freshly mapped
 * memory each time, so 64 paths per piece page-faulted ~90,000 times (~0.3 s of system time) on
 * the 100,000-NIC estate's output. Pieces of ~32,000 characters stay below that size (a few
 * more scavenges instead) with room for elements larger than the ones before them.
 */
const PIECE_CHARS = 32 * 1024;
/** Elements in the first piece (about 33,000 characters of resolve paths). */
const FIRST_PIECE = 6;

/** What JSON.stringify leaves out of an object (and turns into null in an array). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** A wrapper object with one own member, even for a key such as `__proto__`. */
function wrap(key: string, member: unknown): Record<string, unknown> {
  const wrapper: Record<string, unknown> = {};
  Object.defineProperty(wrapper, key, { value: member, enumerable: true, writable: true, configurable: true });
  return wrapper;
}

/** `  "key": <member, indented as a top-level member>` (no trailing comma or newline). */
function memberText(key: string, member: unknown): string {
  const text = JSON.stringify(wrap(key, member), null, 2);
  return text.slice(2, text.length - 2); // '{\n' … '\n}'
}

/** Array elements at the indentation of a top-level member's elements, joined by ',\n'. */
function elementsText(key: string, elements: readonly unknown[]): string {
  const text = JSON.stringify(wrap(key, elements), null, 2);
  const head = `{\n  ${JSON.stringify(key)}: [\n`.length;
  return text.slice(head, text.length - '\n  ]\n}'.length);
}

/**
 * An array whose elements are made a batch at a time, when they are written: `prettyJsonChunks`
 * writes it as JSON.stringify writes the array `batch(0, length)`, and each batch can be
 * collected as soon as it is written (the resolve output of a 100,000-NIC estate, converted all
 * at once, is a few hundred MB of objects that the garbage collector copies to the old space).
 */
export class BatchedArray {
  constructor(
    readonly length: number,
    /** Elements `start` to `end` (exclusive). */
    readonly batch: (start: number, end: number) => readonly unknown[],
  ) {}
}

function batchesOf(member: unknown): BatchedArray | null {
  if (member instanceof BatchedArray) return member;
  if (!Array.isArray(member) || 'toJSON' in member) return null;
  return new BatchedArray(member.length, (start, end) => member.slice(start, end));
}

/** The pieces of `JSON.stringify(value, null, 2)`, in order (a `BatchedArray` member written as its array). */
export function* prettyJsonChunks(value: unknown): Generator<string, void, undefined> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'toJSON' in value) {
    const text = JSON.stringify(value, null, 2) as string | undefined;
    if (text !== undefined) yield text;
    return;
  }
  const entries = Object.entries(value).filter(([, member]) => !isOmitted(member));
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  // Small members collect here; a large array flushes them and goes out batch by batch.
  let pending = '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, member] = entries[i] as [string, unknown];
    const separator = i < entries.length - 1 ? ',\n' : '\n';
    const list = batchesOf(member);
    if (list === null || list.length <= BATCH) {
      pending += memberText(key, list === null ? member : list.batch(0, list.length)) + separator;
      continue;
    }
    yield `${pending}  ${JSON.stringify(key)}: [\n`;
    let piece = FIRST_PIECE;
    for (let start = 0; start < list.length; start += BATCH) {
      const end = Math.min(start + BATCH, list.length);
      const elements = list.batch(start, end);
      let at = 0;
      do {
        const next = Math.min(at + piece, elements.length);
        const text = elementsText(key, at === 0 && next === elements.length ? elements : elements.slice(at, next));
        // Two pieces, not one concatenation: a concatenated string is copied again before encoding.
        yield text;
        yield next < elements.length || end < list.length ? ',\n' : '\n';
        piece = Math.max(1, Math.min(BATCH, Math.floor(((next - at) * PIECE_CHARS) / Math.max(text.length, 1))));
        at = next;
      } while (at < elements.length);
    }
    pending = `  ]${separator}`;
  }
  yield `${pending}}`;
}

export function writePrettyJson(value: unknown, write: (chunk: string) => void): void {
  for (const chunk of prettyJsonChunks(value)) write(chunk);
}

/** Bytes gathered before a write: a few pieces of the resolve output each. */
const WRITE_BYTES = 4 << 20;

/**
 * Writes text pieces to a file (created or truncated), UTF-8. Pieces are encoded straight into
 * one of two buffers (no joined string) and each full buffer is written while the next fills:
 * the write system calls (about 0.2 s of kernel time for 180 MB) run on libuv's thread pool
 * instead of the main thread.
 */
export async function writeChunksToFile(path: string, chunks: Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  let writing: Promise<void> = Promise.resolve();
  try {
    let filling = Buffer.allocUnsafe(WRITE_BYTES);
    let spare = Buffer.allocUnsafe(WRITE_BYTES);
    let used = 0;
    const writeAll = async (buffer: Buffer, length: number): Promise<void> => {
      for (let at = 0; at < length;) at += (await file.write(buffer, at, length - at)).bytesWritten;
    };
    const flush = async (): Promise<void> => {
      await writing;
      writing = writeAll(filling, used);
      [filling, spare] = [spare, filling];
      used = 0;
    };
    for (const chunk of chunks) {
      // A UTF-16 code unit is at most 3 bytes of UTF-8.
      const most = chunk.length * 3;
      if (used + most > filling.length && used > 0) await flush();
      if (most > filling.length) filling = Buffer.allocUnsafe(most);
      used += filling.write(chunk, used, 'utf8');
    }
    if (used > 0) await flush();
    await writing;
  } finally {
    // A piece that failed to be produced must not leave the write in flight unobserved.
    await writing.catch(() => undefined);
    await file.close();
  }
}
