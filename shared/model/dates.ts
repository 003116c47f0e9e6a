/**
 * Dates and date-times that people type: a policy exception's `expires`, and the CLI's `--now`,
 * `--since` and `--timestamp`. One strict reader for all of them, because the evidence an auditor
 * files must never carry another date than the one typed. `Date.parse` alone is not enough: it
 * rolls 2024-02-30 over to 1 March, reads a date-time without a zone in the local time zone of
 * whatever machine runs it (two CI agents, two instants), and reads "7" as July 2001.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// The offset may be written with or without its colon (+01:00, +0100): both name one instant.
// RFC 3339 §5.6 (the profile of ISO 8601 that Azure and most tools write): "T" and "Z" may be lower
// case, and a space may separate the date and the time.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|([+-])(\d{2}):?(\d{2}))$/;
// Written as a date-time but with no zone: which instant it is would depend on the runner.
const ZONELESS = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

/**
 * Date.UTC for the parts as written, or null when they are no date or time: Date.UTC rolls over
 * silently (month 13 of 2024 is January 2025, 30 February is 1 March), so the parts must come
 * back unchanged. Years 0-99 are refused too (Date.UTC reads them as 1900-1999).
 */
export function utcOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const at = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const back = new Date(at);
  return Number.isNaN(at) || back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day ? null : at;
}

/** The first instant (UTC) of a `YYYY-MM-DD` day that exists, epoch ms; null otherwise. */
export function parseUtcDay(text: string): number | null {
  const day = DAY.exec(text);
  if (!day) return null;
  return utcOf(Number(day[1]), Number(day[2]), Number(day[3]));
}

/**
 * An ISO 8601 date-time with its time zone (`Z`, `±hh:mm` or `±hhmm`), every field in range,
 * epoch ms; null otherwise (see the module comment for why Date.parse is not enough).
 */
export function parseZonedDateTime(text: string): number | null {
  const t = DATE_TIME.exec(text);
  if (!t) return null;
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(t[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = Number((t[7] ?? '.0').slice(1, 4).padEnd(3, '0'));
  const local = utcOf(y, mo, d, h, mi, sec, ms);
  if (local === null) return null;
  if (t[8] === 'Z' || t[8] === 'z') return local;
  const [offsetH, offsetM] = [Number(t[10]), Number(t[11])];
  if (offsetH > 23 || offsetM > 59) return null;
  // The wall-clock time minus its offset is the instant (UTC+02:00 at 12:00 is 10:00Z).
  return local - (t[9] === '-' ? -1 : 1) * (offsetH * 60 + offsetM) * 60_000;
}

/** What a typed date or date-time is: an instant, or why it is none. */
export type InstantReading =
  | { readonly kind: 'instant'; readonly at: number }
  /** `2024-05-02T10:00:00`: a date-time without a zone, every field in range. */
  | { readonly kind: 'no-zone' }
  /** Shaped as a date or date-time, but the calendar or the clock has no such day or time (2024-02-30, T25:00). */
  | { readonly kind: 'no-such-time' }
  /**
   * A day or time that exists but is not read: 24:00 (the end of a day), a leap second (:60), a
   * year 0000-0099 (Date.UTC would read it as 1900-1999). `reason` says which, as a phrase.
   */
  | { readonly kind: 'unsupported'; readonly reason: string }
  | { readonly kind: 'not-a-date' };

/**
 * Why parts that are no instant are none: a form that exists but is not read (`unsupported`),
 * else a day or time that does not exist. The day is judged first: 2024-02-30T24:00 has no day.
 */
function whyNoInstant(parts: readonly string[]): InstantReading {
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(parts[i] ?? 0)) as [number, number, number, number, number, number];
  const fraction = Number(parts[7] ?? '0');
  if (y < 100) return { kind: 'unsupported', reason: `has the year ${parts[1] ?? ''}; years 0000 to 0099 are not supported` };
  if (utcOf(y, mo, d) === null) return { kind: 'no-such-time' };
  if (h === 24 && mi === 0 && sec === 0 && fraction === 0) return { kind: 'unsupported', reason: 'uses 24:00 (the end of the day), which is not supported: write 00:00 of the next day' };
  // A leap second is only ever the last second of a UTC day (23:59:60Z, or that instant at an
  // offset); :60 in any other minute names no time at all.
  const offset = parts[9] === undefined ? 0 : (parts[9] === '-' ? -1 : 1) * (Number(parts[10] ?? 0) * 60 + Number(parts[11] ?? 0));
  const utcMinute = (((h * 60 + mi - offset) % 1440) + 1440) % 1440;
  if (h <= 23 && mi <= 59 && sec === 60 && utcMinute === 23 * 60 + 59) return { kind: 'unsupported', reason: 'has a leap second (:60), which is not supported: write :59' };
  return { kind: 'no-such-time' };
}

/** A day (`YYYY-MM-DD`, its first instant in UTC) or an ISO 8601 date-time with a time zone. */
export function readInstant(text: string): InstantReading {
  const t = text.trim();
  const at = DAY.test(t) ? parseUtcDay(t) : parseZonedDateTime(t);
  if (at !== null) return { kind: 'instant', at };
  const zoned = DAY.exec(t) ?? DATE_TIME.exec(t);
  if (zoned) return whyNoInstant(zoned);
  const zoneless = ZONELESS.exec(t);
  if (zoneless === null) return { kind: 'not-a-date' };
  // Only a time that exists is told to add a zone: `T25:00` would be refused again as `T25:00Z`.
  const reading = whyNoInstant(zoneless);
  return parseZonedDateTime(`${t}Z`) === null ? reading : { kind: 'no-zone' };
}

/** How an option that takes a date is named in its refusals. */
export interface InstantOption {
  /** The option as typed: `--since`. */
  readonly option: string;
  /** A date-time with a zone to show as the form to use: `2024-05-01T10:00:00Z`. */
  readonly example: string;
  /** The durations the option also takes (`7d, 12h or 30m back from the newest record`), if any. */
  readonly durations?: string;
}

export type InstantOptionResult = { readonly ok: true; readonly at: number } | { readonly ok: false; readonly message: string };

/**
 * A command-line date option read strictly (readInstant), or the usage message naming the option,
 * what is wrong with the value and every form the option accepts. The caller reads its durations
 * first: they mean different things per command (back from the newest record, back from now).
 */
export function readInstantOption(text: string, spec: InstantOption): InstantOptionResult {
  const reading = readInstant(text);
  if (reading.kind === 'instant') return { ok: true, at: reading.at };
  const forms = [
    ...(spec.durations === undefined ? [] : [`a duration (${spec.durations})`]),
    'a day (YYYY-MM-DD, read as UTC)',
    `an ISO 8601 date-time with a time zone (${spec.example})`,
  ];
  const expected = `expected ${forms.slice(0, -1).join(', ')} or ${forms[forms.length - 1] ?? ''}`;
  const t = text.trim();
  const quoted = `${spec.option} "${text}"`;
  switch (reading.kind) {
    case 'no-zone':
      return { ok: false, message: `${quoted} has no time zone, so the runner's local zone would decide the instant: add Z (UTC) or an offset, like ${t}Z; ${expected}` };
    case 'no-such-time':
      return { ok: false, message: `${quoted} names a day or a time of day that does not exist; ${expected}` };
    case 'unsupported':
      return { ok: false, message: `${quoted} ${reading.reason}; ${expected}` };
    case 'not-a-date': {
      // A bare number is most likely a duration without its unit ("7" meant as 7d).
      const unit = spec.durations !== undefined && /^\d+$/.test(t) ? ` (a duration needs its unit: ${t}d, ${t}h or ${t}m)` : '';
      return { ok: false, message: `${quoted} is not an ISO 8601 date-time${spec.durations === undefined ? '' : ' or a duration'}${unit}; ${expected}` };
    }
  }
}
