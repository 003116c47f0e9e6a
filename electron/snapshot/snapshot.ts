/**
 * The snapshot file `egress-atlas/snapshot@1`: build (hash), format, parse (shape + hash check).
 * The SHA-256 covers the canonical JSON of every field except `sha256` itself, so evidence can
 * cite it and any later edit of the file is detected.
 */
import { InputError } from '../../shared/model/errors';
import { validateServiceTagSet } from '../../shared/model/service-tags';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotContent } from '../../shared/model/snapshot';
import { canonicalJson, sha256Hex } from './canonical';
import { normalizeSnapshotModel, validateSnapshotShape } from './validate';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SHA-256 of everything but `sha256` (unknown extra members included: they are content too). */
export function snapshotHash(value: Readonly<Record<string, unknown>>): string {
  const content: Record<string, unknown> = { ...value };
  delete content.sha256;
  return sha256Hex(canonicalJson(content));
}

export function buildSnapshot(content: SnapshotContent): Snapshot {
  return { ...content, sha256: snapshotHash(content as unknown as Readonly<Record<string, unknown>>) };
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
  const actual = snapshotHash(json);
  if (actual !== json.sha256) {
    throw new InputError(fileName, '$.sha256', `the SHA-256 of the snapshot content: the file was modified since capture (content hashes to ${actual})`,
      String(json.sha256));
  }
  const snapshot = json as unknown as Snapshot;
  // Closed-union fields are compared directly by the resolver: normalize casing (older snapshots) once here.
  return { ...snapshot, model: normalizeSnapshotModel(snapshot.model), ...(serviceTags === undefined ? {} : { serviceTags }) };
}

export function parseSnapshotText(text: string, fileName: string): Snapshot {
  return parseSnapshotJson(parseJsonText(text, fileName), fileName);
}
