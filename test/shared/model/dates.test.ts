/**
 * The one strict reader of typed dates (policy `expires`, `--now`, `--since`, `--timestamp`):
 * every date it accepts is the date typed, in the zone typed, on any runner.
 */
import { describe, expect, it } from 'vitest';
import { parseUtcDay, parseZonedDateTime, readInstant, readInstantOption, utcOf } from '../../../shared/model/dates';
import { parseUtcDay as policyDay, parseZonedDateTime as policyDateTime } from '../../../shared/policy/index';

describe('utcOf', () => {
  it('gives the instant of parts the calendar and the clock have, and null instead of rolling over', () => {
    expect(utcOf(2024, 2, 29, 23, 59, 59, 999)).toBe(Date.parse('2024-02-29T23:59:59.999Z'));
    const impossible: readonly (readonly [number, number, number])[] = [[2023, 2, 29], [2024, 2, 30], [2024, 4, 31], [2024, 13, 1], [2024, 0, 1], [2024, 1, 0], [24, 1, 1]];
    for (const [y, m, d] of impossible) expect(utcOf(y, m, d), `${y}-${m}-${d}`).toBeNull();
    expect(utcOf(2024, 1, 1, 24)).toBeNull();
    expect(utcOf(2024, 1, 1, 0, 60)).toBeNull();
    expect(utcOf(2024, 1, 1, 0, 0, 60)).toBeNull();
  });
});

describe('parseUtcDay / parseZonedDateTime', () => {
  it('are the functions the policy reader exports (one implementation)', () => {
    expect(policyDay).toBe(parseUtcDay);
    expect(policyDateTime).toBe(parseZonedDateTime);
  });

  it('read a date-time in the zone it names, with or without the offset colon, fractions to the millisecond', () => {
    const at = Date.parse('2024-05-01T08:30:00.000Z');
    for (const text of ['2024-05-01T08:30Z', '2024-05-01T08:30:00Z', '2024-05-01T10:30:00+02:00', '2024-05-01T10:30:00+0200', '2024-05-01T03:30:00-05:00']) {
      expect(parseZonedDateTime(text), text).toBe(at);
    }
    expect(parseZonedDateTime('2024-05-01T08:30:00.1239999Z')).toBe(at + 123);
    expect(parseZonedDateTime('2028-02-29T23:30:00.5-01:00')).toBe(Date.parse('2028-03-01T00:30:00.500Z'));
    expect(parseUtcDay('2024-02-29')).toBe(Date.parse('2024-02-29T00:00:00Z'));
  });

  it('refuse what Date.parse would read as another instant', () => {
    for (const text of ['2024-05-01T10:00:00', '2024-02-30T00:00:00Z', '2024-05-01T10:00:00+24:00', '2024-05-01T10:00:00+01:60', '2024-05-01  10:00:00Z', '2024-05-01_10:00:00Z', '7', 'May 1, 2024']) {
      expect(parseZonedDateTime(text), text).toBeNull();
    }
    for (const text of ['2024-02-30', '2023-02-29', '2024-5-1', '20240501']) expect(parseUtcDay(text), text).toBeNull();
  });
});

describe('readInstant', () => {
  it('says why a text is no instant: no zone, no such day or time, or not a date', () => {
    expect(readInstant(' 2024-05-01 ')).toEqual({ kind: 'instant', at: Date.parse('2024-05-01T00:00:00Z') });
    expect(readInstant('2024-05-01T10:00:00Z')).toEqual({ kind: 'instant', at: Date.parse('2024-05-01T10:00:00Z') });
    expect(readInstant('2024-05-02T10:00:00')).toEqual({ kind: 'no-zone' });
    expect(readInstant('2024-05-02T10:00')).toEqual({ kind: 'no-zone' });
    expect(readInstant('2024-02-30')).toEqual({ kind: 'no-such-time' });
    expect(readInstant('2024-02-30T10:00:00Z')).toEqual({ kind: 'no-such-time' });
    expect(readInstant('2024-05-01T10:00:00+25:00')).toEqual({ kind: 'no-such-time' });
    for (const text of ['7', '', 'yesterday', '1714557600000', '2024-05-01  10:00:00Z', '2024-05-02T1:0']) expect(readInstant(text), text).toEqual({ kind: 'not-a-date' });
  });
});

describe('readInstantOption', () => {
  const since = { option: '--since', example: '2024-05-01T10:00:00Z', durations: '7d, 12h or 30m back from the newest record' };
  const timestamp = { option: '--timestamp', example: '2026-11-26T06:00:00Z' };

  it('names the option, the problem and every accepted form', () => {
    expect(readInstantOption('2024-05-01', since)).toEqual({ ok: true, at: Date.parse('2024-05-01T00:00:00Z') });
    expect(readInstantOption('7', since)).toEqual({
      ok: false,
      message: '--since "7" is not an ISO 8601 date-time or a duration (a duration needs its unit: 7d, 7h or 7m); expected a duration (7d, 12h or 30m back from the newest record), a day (YYYY-MM-DD, read as UTC) or an ISO 8601 date-time with a time zone (2024-05-01T10:00:00Z)',
    });
    expect(readInstantOption('2026-02-30T00:00:00Z', timestamp)).toEqual({
      ok: false,
      message: '--timestamp "2026-02-30T00:00:00Z" names a day or a time of day that does not exist; expected a day (YYYY-MM-DD, read as UTC) or an ISO 8601 date-time with a time zone (2026-11-26T06:00:00Z)',
    });
    expect(readInstantOption('2026-11-26T06:00:00', timestamp)).toEqual({
      ok: false,
      message: '--timestamp "2026-11-26T06:00:00" has no time zone, so the runner\'s local zone would decide the instant: add Z (UTC) or an offset, like 2026-11-26T06:00:00Z; expected a day (YYYY-MM-DD, read as UTC) or an ISO 8601 date-time with a time zone (2026-11-26T06:00:00Z)',
    });
    // Without durations, a bare number gets no duration hint (the option takes none).
    const bare = readInstantOption('7', timestamp);
    expect(bare.ok === false ? bare.message : '').toMatch(/^--timestamp "7" is not an ISO 8601 date-time; expected a day/);
  });
});

describe('RFC 3339 forms (§5.6: lower-case t and z, a space for the T)', () => {
  it('read as the upper-case form names', () => {
    const at = Date.parse('2024-05-02T10:00:00Z');
    for (const text of ['2024-05-02t10:00:00z', '2024-05-02T10:00:00z', '2024-05-02 10:00:00Z', '2024-05-02 10:00:00+00:00', '2024-05-02t12:00:00+02:00']) {
      expect(parseZonedDateTime(text), text).toBe(at);
      expect(readInstant(text), text).toEqual({ kind: 'instant', at });
    }
    expect(readInstant('2024-05-02 10:00:00')).toEqual({ kind: 'no-zone' });
    expect(readInstant('2024-05-02t10:00')).toEqual({ kind: 'no-zone' });
  });
});

describe('a day or time that does not exist, or is not read', () => {
  // `2024-05-02T25:00` was "no zone: add Z, like 2024-05-02T25:00Z", which is then refused again.
  it('an impossible zone-less time does not exist; only a time that exists is told to add a zone', () => {
    for (const text of ['2024-05-02T25:00', '2024-02-30T10:00:00', '2024-05-02T10:61']) expect(readInstant(text), text).toEqual({ kind: 'no-such-time' });
    const read = readInstantOption('2024-05-02T25:00', { option: '--since', example: '2024-05-01T10:00:00Z' });
    expect(read.ok === false ? read.message : '').toMatch(/^--since "2024-05-02T25:00" names a day or a time of day that does not exist; /);
  });

  it('24:00, a leap second and years 0000-0099 exist but are not supported, and are named so', () => {
    const cases: readonly (readonly [string, RegExp])[] = [
      ['2024-05-02T24:00:00Z', /^uses 24:00 \(the end of the day\), which is not supported: write 00:00 of the next day$/],
      ['2024-05-02T24:00', /^uses 24:00/],
      ['2016-12-31T23:59:60Z', /^has a leap second \(:60\), which is not supported: write :59$/],
      ['0024-01-01', /^has the year 0024; years 0000 to 0099 are not supported$/],
      ['0099-12-31T10:00:00Z', /^has the year 0099/],
    ];
    for (const [text, reason] of cases) {
      const reading = readInstant(text);
      expect(reading.kind, text).toBe('unsupported');
      expect(reading.kind === 'unsupported' ? reading.reason : '', text).toMatch(reason);
    }
    // 24:01 and :61 are no time at all; 24:00 on a day that does not exist has no day.
    for (const text of ['2024-05-02T24:01:00Z', '2024-05-02T23:59:61Z', '2024-02-30T24:00:00Z']) expect(readInstant(text), text).toEqual({ kind: 'no-such-time' });
    const read = readInstantOption('2024-05-02T24:00:00Z', { option: '--timestamp', example: '2026-11-26T06:00:00Z' });
    expect(read).toEqual({
      ok: false,
      message: '--timestamp "2024-05-02T24:00:00Z" uses 24:00 (the end of the day), which is not supported: write 00:00 of the next day; expected a day (YYYY-MM-DD, read as UTC) or an ISO 8601 date-time with a time zone (2026-11-26T06:00:00Z)',
    });
    expect(JSON.stringify(read)).not.toMatch(/does not exist/);
  });
});
