/**
 * Canonical JSON (object keys sorted, no whitespace, `undefined` members dropped as JSON.stringify
 * drops them) and SHA-256, so a snapshot's hash depends only on its content.
 */
import { createHash } from 'node:crypto';

/**
 * JSON.stringify does the writing (native, fast on a 170 MB model); the replacer hands it each
 * object as a copy with sorted keys. One caveat, deterministic all the same: JavaScript lists
 * integer-like keys ("9", "10") first in numeric order, whatever the insertion order.
 */
function sortKeys(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Readonly<Record<string, unknown>>;
  const sorted: Record<string, unknown> = {};
  // Default sort: UTF-16 code unit order.
  for (const key of Object.keys(record).sort()) sorted[key] = record[key];
  return sorted;
}

/** Stable JSON text: equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortKeys) ?? 'null';
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
