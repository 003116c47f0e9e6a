/**
 * `cost --prices FILE`: the table's `asOf` and each source's `date` are read by the strict day
 * reader `--since` and `--now` use (parseUtcDay, shared/model/dates.ts), so a day the calendar does
 * not have is refused (file, field, expected), never rolled over to another day, or printed as the
 * price date of every figure citing the source. A source may give a year only, or no date (null).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePriceTable, PRICE_TABLE } from '../../../shared/cost/index';
import { InputError } from '../../../shared/model/errors';
import { runCliIn } from '../../support/cli-run';

const withAsOf = (asOf: unknown): unknown => ({ ...JSON.parse(JSON.stringify(PRICE_TABLE)) as object, asOf });
/** The shipped table with the first source's date replaced. */
const withSourceDate = (date: unknown): unknown => {
  const table = JSON.parse(JSON.stringify(PRICE_TABLE)) as { sources: { date: unknown }[] };
  (table.sources[0] as { date: unknown }).date = date;
  return table;
};
const SOURCE_DATE = 'the date the prices were read (YYYY-MM-DD, a day that exists, or a year YYYY), or null';
const EXPECTED = 'the price date (YYYY-MM-DD, a day that exists)';
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-as-of-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('price table asOf', () => {
  it.each([['2026-13-01'], ['2026-02-30'], ['2025-02-29'], ['2026-04-31'], ['2026-00-10'], ['2026-01-00']])('refuses %s, a day that does not exist', (asOf) => {
    expect(() => parsePriceTable(withAsOf(asOf), 'p.json')).toThrow(new InputError('p.json', '$.asOf', EXPECTED, `"${asOf}", which names a day that does not exist`));
  });

  it('refuses a year 0000-0099, which the day reader does not read (Date.UTC would take it as 19xx)', () => {
    expect(() => parsePriceTable(withAsOf('0099-01-01'), 'p.json')).toThrow(new InputError('p.json', '$.asOf', EXPECTED, '"0099-01-01", whose year is before 0100 (not supported)'));
  });

  it('still refuses what is not a date, and reads a day that exists (29 February of a leap year)', () => {
    expect(() => parsePriceTable(withAsOf('foo'), 'p.json')).toThrow(new InputError('p.json', '$.asOf', EXPECTED, '"foo"'));
    expect(() => parsePriceTable(withAsOf('2026-09-24T00:00:00Z'), 'p.json')).toThrow(new InputError('p.json', '$.asOf', EXPECTED, '"2026-09-24T00:00:00Z"'));
    expect(parsePriceTable(withAsOf('2028-02-29'), 'p.json').asOf).toBe('2028-02-29');
    expect(parsePriceTable(withAsOf(PRICE_TABLE.asOf), 'p.json')).toEqual(JSON.parse(JSON.stringify(PRICE_TABLE)));
  });

  it('cost --prices with asOf 2026-13-01: exit 2, the error names the file, the field and what was expected', async () => {
    await writeFile(join(dir, 'month-13.json'), JSON.stringify(withAsOf('2026-13-01')));
    const run = await runCliIn(dir, ['cost', '--demo', 'bank', '--prices', 'month-13.json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`error: month-13.json: $.asOf: expected ${EXPECTED}, found "2026-13-01", which names a day that does not exist`);
  });
});

describe('price table source dates', () => {
  it.each([['2026-02-30'], ['2026-13-01'], ['2025-02-29']])('refuses %s, naming $.sources[0].date', (date) => {
    expect(() => parsePriceTable(withSourceDate(date), 'p.json')).toThrow(new InputError('p.json', '$.sources[0].date', SOURCE_DATE, `"${date}", which names a day that does not exist`));
  });

  it.each([['26'], ['2026-9-1'], ['September 2026'], [20260924], ['2026-09-24T00:00:00Z'], ['0050']])('refuses %s, which is no day or year', (date) => {
    expect(() => parsePriceTable(withSourceDate(date), 'p.json')).toThrow(/^p\.json: \$\.sources\[0\]\.date: expected the date the prices were read/);
  });

  it.each([['2026-09-24'], ['2028-02-29'], ['2026'], [null]])('reads %s (a day that exists, a year, or no date)', (date) => {
    expect(parsePriceTable(withSourceDate(date), 'p.json').sources[0]?.date).toBe(date);
  });

  it('cost --prices with a source dated 2026-02-30: exit 2 naming the field, and that day is printed nowhere', async () => {
    await writeFile(join(dir, 'bad-source-date.json'), JSON.stringify(withSourceDate('2026-02-30')));
    const run = await runCliIn(dir, ['cost', '--demo', 'bank', '--prices', 'bad-source-date.json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`error: bad-source-date.json: $.sources[0].date: expected ${SOURCE_DATE}, found "2026-02-30", which names a day that does not exist`);
  });
});
