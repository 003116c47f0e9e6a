/**
 * Canonical JSON (object keys sorted by code unit, no whitespace, `undefined` members dropped as
 * JSON.stringify drops them) and SHA-256, so a snapshot's hash depends only on its content.
 */
import { createHash } from 'node:crypto';

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    // Strings, numbers, booleans, null: JSON.stringify's own encoding (non-finite numbers → null).
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item: unknown, i) => {
      if (i > 0) out.push(',');
      write(item === undefined || typeof item === 'function' ? null : item, out);
    });
    out.push(']');
    return;
  }
  const record = value as Readonly<Record<string, unknown>>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined && typeof record[k] !== 'function').sort(compareKeys);
  out.push('{');
  keys.forEach((key, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(record[key], out);
  });
  out.push('}');
}

/** Stable JSON text: equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
