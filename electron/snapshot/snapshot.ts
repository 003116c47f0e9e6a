/**
 * The snapshot file `egress-atlas/snapshot@1`: build (hash), format, parse (shape + hash check).
 * Two hashes: `sha256` covers the canonical JSON of every member except the two hashes (unknown
 * extra members, `__proto__` included, are content too), so evidence can cite it and any later
 * edit is detected; `contentSha256` covers the model, effective routes, metrics and service tags
 * alone, so the same inputs give the same value whatever the capture time. Neither is a
 * signature: whoever edits the file can recompute both (signing is `--sign` / `verify`).
 */
import { InputError, SnapshotIntegrityError } from '../../shared/model/errors';
import { validateServiceTagSet } from '../../shared/model/service-tags';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotContent } from '../../shared/model/snapshot';
import { canonicalMembers, legacyCanonicalMembers, sha256OfMembers, type CanonicalMember } from './canonical';
import { normalizeSnapshotModel, validateSnapshotShape } from './validate';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Members left out of `sha256`: the hashes themselves (contentSha256 is derived, and checked on its own). */
const NOT_HASHED: ReadonlySet<string> = new Set(['sha256', 'contentSha256']);

/** The members `contentSha256` covers: what the resolver reads, nothing about when or by whom. */
const CONTENT_MEMBERS: ReadonlySet<string> = new Set(['model', 'effectiveRoutes', 'metrics', 'serviceTags']);

export interface SnapshotHashes {
  readonly sha256: string;
  readonly contentSha256: string;
}

/**
 * Both hashes of a snapshot (or of a parsed file claiming to be one). The model, the bulk of a
 * snapshot, is serialized once for the two.
 */
export function snapshotHashes(value: Readonly<Record<string, unknown>>): SnapshotHashes {
  return hashesOfMembers(canonicalMembers(value));
}

function hashesOfMembers(members: readonly CanonicalMember[]): SnapshotHashes {
  return {
    sha256: sha256OfMembers(members, (key) => !NOT_HASHED.has(key)),
    contentSha256: sha256OfMembers(members, (key) => CONTENT_MEMBERS.has(key)),
  };
}

/**
 * The hashes a parsed snapshot file was written with. Earlier versions wrote objects with
 * integer-like keys ("9", "10": tag names, say) first in numeric order instead of sorted, and
 * hashed that text: their files record hashes of that form and must still load. So when the
 * sorted form does not give the recorded sha256, the earlier form is tried (only then: it costs a
 * second serialization). Accepting either weakens nothing: both are deterministic functions of
 * the content, and the hash never was forgery protection (anyone can recompute it; signing is).
 * The hashes returned are those of the form that matched, which are the values written in the
 * file, so evidence cites what the auditor reads there.
 */
function recordedHashes(json: Readonly<Record<string, unknown>>): SnapshotHashes {
  const hashes = snapshotHashes(json);
  if (hashes.sha256 === json.sha256) return hashes;
  const legacy = hashesOfMembers(legacyCanonicalMembers(json));
  return legacy.sha256 === json.sha256 ? legacy : hashes;
}

/** SHA-256 of everything but the two hashes (unknown extra members included: they are content too). */
export function snapshotHash(value: Readonly<Record<string, unknown>>): string {
  return snapshotHashes(value).sha256;
}

/** SHA-256 of the model, effective routes, metrics and service tags alone. */
export function contentHash(value: Readonly<Record<string, unknown>>): string {
  return sha256OfMembers(canonicalMembers(value), (key) => CONTENT_MEMBERS.has(key));
}

/**
 * Defines enumerable, memoized getters on `target`, in the given order: `JSON.stringify`, spreads
 * and property reads see plain values, computed on first use only.
 */
export function defineLazyMembers<T extends object>(target: T, members: Readonly<Record<string, () => unknown>>): T {
  const cache = new Map<string, unknown>();
  for (const [key, compute] of Object.entries(members)) {
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: false,
      get: () => {
        if (!cache.has(key)) cache.set(key, compute());
        return cache.get(key);
      },
    });
  }
  return target;
}

/**
 * The snapshot with its two hashes. They are computed when first read (writing the file, citing
 * it in a PDF, `--fail-on`… anything that reads `sha256`), not when a CLI run only resolves: on the
 * 100,000-NIC estate hashing is about 2 s of a resolve that otherwise takes a few. The content is
 * readonly, so a late hash is the same hash.
 */
export function buildSnapshot(content: SnapshotContent): Snapshot {
  // A caller may pass a spread of an older snapshot: its hashes are stale, so they are dropped here.
  const { sha256: _sha256, contentSha256: _content, ...rest } = content as SnapshotContent & Partial<SnapshotHashes>;
  let hashes: SnapshotHashes | null = null;
  const hashesOf = (): SnapshotHashes => (hashes ??= snapshotHashes(rest as unknown as Readonly<Record<string, unknown>>));
  // contentSha256 sits next to sha256 at the end of the file, where a reader looks for the hash.
  return defineLazyMembers({ ...rest }, {
    contentSha256: () => hashesOf().contentSha256,
    sha256: () => hashesOf().sha256,
  }) as Snapshot;
}

/** Pretty JSON with a trailing newline: what `Save snapshot` and `egress-atlas snapshot` write. */
export function formatSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/** A JSON value that claims to be a snapshot (of any version): such files never go to normalizeArm. */
export function isSnapshotJson(json: unknown): boolean {
  return isRecord(json) && typeof json.format === 'string' && json.format.startsWith('egress-atlas/snapshot');
}

/** `{ line, column }` (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** JSON.parse with an InputError naming the file and, when V8 tells, the line and column. */
export function parseJsonText(text: string, fileName: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    const position = /at position (\d+)/.exec(message);
    let where = '$';
    if (lineCol !== null) where = `line ${lineCol[1]}, column ${lineCol[2]}`;
    else if (position !== null) {
      const at = lineColumn(body, Number(position[1]));
      where = `line ${at.line}, column ${at.column}`;
    } else if (/end of (JSON )?input/i.test(message) || body.trim() === '') {
      const at = lineColumn(body, body.length);
      where = `line ${at.line}, column ${at.column}`;
    }
    throw new InputError(fileName, where, 'valid JSON', message.replace(/\s+/g, ' ').slice(0, 120));
  }
}

/** Validates and verifies a parsed snapshot; throws InputError naming file, path and expectation. */
export function parseSnapshotJson(json: unknown, fileName: string): Snapshot {
  if (!isRecord(json)) throw new InputError(fileName, '$', 'a snapshot object', typeof json);
  if (json.format !== SNAPSHOT_FORMAT) {
    throw new InputError(fileName, '$.format', `"${SNAPSHOT_FORMAT}"`, JSON.stringify(json.format) ?? 'nothing');
  }
  validateSnapshotShape(fileName, json);
  // Optional (snapshots without service tag data, or written before the field existed, lack it).
  const serviceTags = json.serviceTags === undefined ? undefined : validateServiceTagSet(json.serviceTags, fileName, '$.serviceTags');
  const hashes = recordedHashes(json);
  // The message never states the hash the content has: printing it would hand whoever edited the
  // file the one value that makes the edit load.
  if (hashes.sha256 !== json.sha256) {
    throw new SnapshotIntegrityError(fileName, '$.sha256', 'the SHA-256 of the snapshot content: the file was modified since capture (or damaged); '
      + 're-export it or rebuild it from its input files');
  }
  // Older snapshots lack contentSha256: it is computed (below); when present it must match too.
  if (json.contentSha256 !== undefined && hashes.contentSha256 !== json.contentSha256) {
    throw new SnapshotIntegrityError(fileName, '$.contentSha256', 'the SHA-256 of the model, effective routes, metrics and service tags: the file was modified since capture (or damaged)');
  }
  const snapshot = json as unknown as Snapshot;
  // Closed-union fields are compared directly by the resolver: normalize casing (older snapshots) once here.
  return {
    ...snapshot, model: normalizeSnapshotModel(snapshot.model), ...(serviceTags === undefined ? {} : { serviceTags }),
    contentSha256: hashes.contentSha256, sha256: hashes.sha256,
  };
}

export function parseSnapshotText(text: string, fileName: string): Snapshot {
  return parseSnapshotJson(parseJsonText(text, fileName), fileName);
}
