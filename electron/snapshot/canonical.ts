/**
 * Canonical JSON (object keys sorted, no whitespace, `undefined` members dropped as JSON.stringify
 * drops them) and SHA-256, so a snapshot's hash depends only on its content.
 */
import { createHash } from 'node:crypto';

/**
 * A copy of `record` with its keys in sorted order. The copy has no prototype: assigning a key
 * `__proto__` (JSON.parse makes it an ordinary own member) to a plain `{}` would call the
 * prototype setter instead, silently leaving that member out of the text and so of the hash.
 */
function sortedCopy(record: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const sorted = Object.create(null) as Record<string, unknown>;
  // Default sort: UTF-16 code unit order.
  for (const key of Object.keys(record).sort()) sorted[key] = record[key];
  return sorted;
}

/**
 * JSON.stringify does the writing (native, fast on a 170 MB model); the replacer hands it each
 * object as a copy with sorted keys. One caveat, deterministic all the same: JavaScript lists
 * integer-like keys ("9", "10") first in numeric order, whatever the insertion order.
 */
function sortKeys(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return sortedCopy(value as Readonly<Record<string, unknown>>);
}

/** Stable JSON text: equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortKeys) ?? 'null';
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
  // Object.keys of the sorted copy, not the sorted key list: it reproduces the integer-like-keys-first order.
  const sorted = sortedCopy(record);
  for (const key of Object.keys(sorted)) {
    const text = JSON.stringify(sorted[key], sortKeys) as string | undefined;
    if (text !== undefined) members.push({ key, text });
  }
  return members;
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
