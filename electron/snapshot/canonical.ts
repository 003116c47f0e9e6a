/**
 * Canonical JSON (object members in sorted key order, UTF-16 code units as RFC 8785 and `jq -S`
 * sort; no whitespace; `undefined` members dropped as JSON.stringify drops them) and SHA-256, so a
 * snapshot's hash depends only on its content and can be recomputed with a tool that sorts keys.
 */
import { createHash } from 'node:crypto';

/**
 * Canonical JSON text of `value` (the member `key` of its parent, for toJSON as JSON.stringify
 * passes it), or undefined where JSON.stringify writes nothing (an `undefined` member). Members are
 * written in sorted key order by this module, never left to an object's key order: JavaScript lists
 * integer-like keys ("9", "10") first in numeric order whatever the insertion order, so an object
 * rebuilt with sorted keys is not sorted, and a tool that sorts keys (jq -S, RFC 8785) would hash
 * other text.
 *
 * Speed (a 200 MB model): JSON.stringify over copies with sorted keys is native and gives exactly
 * the sorted text whenever no object has a key starting with a digit (an integer-like key is listed
 * first, so checking the first key of each object is enough). Only a value where one does is
 * written again, member by member (sortedText).
 */
function canonicalText(value: unknown, key: string): string | undefined {
  let digitKey = false;
  const text = JSON.stringify(value, (_key: string, member: unknown): unknown => {
    if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
    const record = member as Readonly<Record<string, unknown>>;
    const keys = Object.keys(record);
    if (keys.length > 1 && startsWithDigit(keys[0] ?? '')) digitKey = true;
    return sortedCopy(record, keys);
  }) as string | undefined;
  return digitKey ? sortedText(value, key) : text;
}

function startsWithDigit(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57;
}

/**
 * A copy of `record` with its keys inserted in sorted order (UTF-16 code units, as RFC 8785 and
 * `jq -S`). No prototype: assigning `__proto__` (JSON.parse makes it an ordinary own member) to a
 * plain `{}` would call the prototype setter instead, leaving that member out of the text.
 */
function sortedCopy(record: Readonly<Record<string, unknown>>, keys: string[]): Readonly<Record<string, unknown>> {
  const sorted = Object.create(null) as Record<string, unknown>;
  // `keys` is the caller's fresh Object.keys array: sorted in place, not copied (millions of objects).
  for (const key of keys.sort()) sorted[key] = record[key];
  return sorted;
}

/**
 * canonicalText written member by member in sorted key order, whatever order the engine lists
 * keys in (for a value holding an object with a digit-leading key).
 */
function sortedText(given: unknown, key: string): string | undefined {
  if (typeof given !== 'object' || given === null) return JSON.stringify(given);
  // An object with toJSON is written as JSON.stringify writes it: what toJSON returns (called once).
  const toJson: unknown = (given as { readonly toJSON?: unknown }).toJSON;
  const value: unknown = typeof toJson === 'function' ? (toJson as (key: string) => unknown).call(given, key) : given;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    // Items go back to canonicalText: of 100,000 NICs, only those with a digit-leading key are
    // written member by member, the rest natively.
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) items.push(canonicalText(value[i], String(i)) ?? 'null');
    return `[${items.join(',')}]`;
  }
  const record = value as Readonly<Record<string, unknown>>;
  const members: string[] = [];
  for (const name of Object.keys(record).sort()) {
    const text = sortedText(record[name], name);
    if (text !== undefined) members.push(`${JSON.stringify(name)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

/** Stable JSON text: equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return canonicalText(value, '') ?? 'null';
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 of raw bytes (input files are hashed as read, before any decoding). */
export function sha256OfBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** One member of an object as canonicalJson writes it: the key and the canonical text of its value. */
export interface CanonicalMember {
  readonly key: string;
  readonly text: string;
}

/**
 * The members of `record` in the order canonicalJson writes them, each value's canonical text
 * computed once, so several hashes over different subsets of a large object (a snapshot's
 * `sha256` and `contentSha256` both cover its model) need one serialization, not one each.
 * Members whose value JSON cannot hold (undefined) are dropped, as canonicalJson drops them.
 */
export function canonicalMembers(record: Readonly<Record<string, unknown>>): readonly CanonicalMember[] {
  const members: CanonicalMember[] = [];
  for (const key of Object.keys(record).sort()) {
    const text = canonicalText(record[key], key);
    if (text !== undefined) members.push({ key, text });
  }
  return members;
}

/**
 * The members as versions before sorted member writing wrote them (canonicalMembers otherwise):
 * JSON.stringify over copies with sorted keys, so integer-like keys ("9", "10") came first in
 * numeric order. Snapshots written then were hashed over this form; it is kept only so that they
 * still load (see parseSnapshotJson), never to hash anything new.
 */
export function legacyCanonicalMembers(record: Readonly<Record<string, unknown>>): readonly CanonicalMember[] {
  const members: CanonicalMember[] = [];
  const sorted = sortedCopy(record, Object.keys(record));
  for (const key of Object.keys(sorted)) {
    const text = JSON.stringify(sorted[key], legacySortKeys) as string | undefined;
    if (text !== undefined) members.push({ key, text });
  }
  return members;
}

/** The JSON.stringify replacer of the legacy form: each object as sortedCopy, whatever its keys. */
function legacySortKeys(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Readonly<Record<string, unknown>>;
  return sortedCopy(record, Object.keys(record));
}

/**
 * Hex SHA-256 of canonicalJson of the object made of the chosen members: the same digest as
 * `sha256Hex(canonicalJson(subset))`, fed to the hash piece by piece (no second copy of a
 * 170 MB text).
 */
export function sha256OfMembers(members: readonly CanonicalMember[], include: (key: string) => boolean): string {
  const hash = createHash('sha256');
  hash.update('{');
  let first = true;
  for (const member of members) {
    if (!include(member.key)) continue;
    hash.update(`${first ? '' : ','}${JSON.stringify(member.key)}:`, 'utf8');
    hash.update(member.text, 'utf8');
    first = false;
  }
  hash.update('}');
  return hash.digest('hex');
}
