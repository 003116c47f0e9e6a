/**
 * `cost --prices FILE`: the table's `asOf` is read by the strict date reader `--since` and `--now`
 * use (shared/model/dates.ts), so a day the calendar does not have is refused (file, field,
 * expected), never rolled over to another day that every figure would then cite.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePriceTable, PRICE_TABLE } from '../../../shared/cost/index';
import { InputError } from '../../../shared/model/errors';
import { runCliIn } from '../../support/cli-run';

const withAsOf = (asOf: unknown): unknown => ({ ...JSON.parse(JSON.stringify(PRICE_TABLE)) as object, asOf });
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

  it('refuses a year 0000-0099 with the reason --since gives', () => {
    expect(() => parsePriceTable(withAsOf('0099-01-01'), 'p.json')).toThrow(/p\.json: \$\.asOf: expected the price date \(YYYY-MM-DD, a day that exists\), found "0099-01-01", which has the year 0099; years 0000 to 0099 are not supported/);
  });

  it('still refuses what is not a date, and reads a day that exists (29 February of a leap year)', () => {
    expect(() => parsePriceTable(withAsOf('foo'), 'p.json')).toThrow(new InputError('p.json', '$.asOf', 'the price date (YYYY-MM-DD)', '"foo"'));
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
