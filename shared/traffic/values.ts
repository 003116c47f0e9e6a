/**
 * Cell values as the exports write them. `az monitor log-analytics query` passes every value
 * through Python `str()` ("443", "True", "None"), the REST API may send numbers as strings, the
 * portal CSV renders datetimes in a display format: so every reader here accepts both the typed
 * and the string form, and says exactly where it found something else.
 */
import { InputError } from '../model/errors';
import { utcOf } from '../model/dates';
import { parseIp } from '../model/ip';
import { shortJson } from '../model/nesting';

/** Where a cell is, for error messages: `$[3].DestinationPort`, `$.tables[0].rows[3]`, `row 4`. */
export interface CellAt {
  readonly file: string;
  readonly path: string;
  /** Lower-case lookup key → the column name as the file wrote it, so errors name `DestinationPort`, not the key. */
  readonly columns?: Readonly<Record<string, string>>;
}

export type Row = Readonly<Record<string, unknown>>;

/** shortJson, not JSON.stringify: a record nested 20,000 levels deep would overflow the stack. */
function shorten(value: unknown): string {
  return shortJson(value);
}

export function fail(at: CellAt, column: string, expected: string, found?: unknown): never {
  throw new InputError(at.file, column === '' ? at.path : `${at.path}.${at.columns?.[column] ?? column}`, expected, found === undefined ? undefined : shorten(found));
}

/** Empty, null and Python's "None" all mean "no value". */
export function text(row: Row, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' || t === 'None' ? null : t;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** An integer from a number or a numeric string ("443", "443.0"). */
export function integer(row: Row, column: string, at: CellAt): number | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && Number.isInteger(value) && value >= 0) return value;
    return fail(at, column, 'a non-negative whole number', value);
  }
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '' || t === 'None') return null;
    if (/^\d+(\.0+)?$/.test(t)) return Number.parseInt(t, 10);
    return fail(at, column, 'a non-negative whole number (a number or a numeric string like "443")', value);
  }
  return fail(at, column, 'a non-negative whole number', value);
}

export function requiredText(row: Row, column: string, at: CellAt, expected: string): string {
  return text(row, column) ?? fail(at, column, expected, row[column] ?? null);
}

export function ipAddress(row: Row, column: string, at: CellAt): string {
  const value = requiredText(row, column, at, 'an IP address');
  if (!parseIp(value)) fail(at, column, 'an IP address', value);
  return value;
}

const MONTHS = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AP]M)?$/i;

/** The portal CSV's display form `5/1/2024, 10:00:00.000 AM` (US order), or null. */
function displayTime(us: RegExpExecArray): string | null {
  let hour = Number(us[4]);
  const half = us[8]?.toUpperCase();
  // A 12-hour clock runs 1..12; "13:00 PM" is no time.
  if (half !== undefined && (hour < 1 || hour > 12)) return null;
  if (half === 'PM' && hour < 12) hour += 12;
  if (half === 'AM' && hour === 12) hour = 0;
  const ms = Number((us[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const at = utcOf(Number(us[3]), Number(us[1]), Number(us[2]), hour, Number(us[5]), Number(us[6] ?? '0'), ms);
  return at === null ? null : new Date(at).toISOString();
}

/**
 * A datetime cell as ISO 8601 UTC. ISO strings (with or without a zone: Log Analytics is always
 * UTC) and the portal CSV's display form `5/1/2024, 10:00:00.000 AM` (US order; the exact format
 * depends on UI settings and is undocumented, so only this common form is read, as UTC). A value
 * whose parts are no valid date (`13/5/2024` in US order: a D/M locale's export) is null, so the
 * caller refuses it naming the cell, never reads it as another date.
 */
export function timeValue(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value).toISOString() : null;
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (t === '' || t === 'None') return null;
  const us = MONTHS.exec(t);
  if (us) return displayTime(us);
  const date = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(t);
  if (!date) return null;
  // Date.parse accepts 2024-02-30 as 1 March: the calendar parts are checked first.
  if (utcOf(Number(date[1]), Number(date[2]), Number(date[3]), Number(date[4] ?? '0'), Number(date[5] ?? '0'), Number(date[6] ?? '0'), 0) === null) return null;
  // Log Analytics datetimes are UTC; a value without a zone (CSV, some tools) is read as UTC too.
  // Fractions beyond milliseconds (.0000000Z) are legal ISO but not for every Date parser: trimmed.
  const normalised = t.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1');
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(normalised) ? normalised : `${normalised}Z`;
  const at = Date.parse(zoned);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

export function time(row: Row, column: string, at: CellAt): string | null {
  const value = row[column];
  if (value === null || value === undefined || value === '' || value === 'None') return null;
  return timeValue(value) ?? fail(at, column, 'a valid datetime: ISO 8601 like "2024-05-01T10:00:00Z", or the portal CSV form "5/1/2024, 10:00:00.000 AM" (month/day/year, UTC)', value);
}

/**
 * RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes), as the portal writes it.
 * Returns rows of cells; a byte-order mark is dropped.
 */
export function parseCsv(input: string, file: string): string[][] {
  const source = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      row.push(cell);
      cell = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      line++;
    } else cell += c;
  }
  if (quoted) throw new InputError(file, `line ${line}`, 'a closing quote (") for the quoted CSV field', 'end of file');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
