/**
 * `egress-atlas prices --refresh` and `cost --prices FILE`: the Retail Prices API read (GET only,
 * NextPageLink on the same host, no credential) against a fake endpoint serving the real API's
 * JSON shape, the mapping onto the PriceTable shape, the file validation, and the failures that
 * must leave the shipped table in use (exit 2, nothing written).
 */
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/cli/command';
import { RETAIL_PRICES_URL_ENV } from '../../electron/cli/commands/prices';
import { runCli } from '../../electron/cli/main';
import { sampleRetailItems, startFakeRetailPrices, type FakeRetailPrices } from '../../electron/azure/fake-arm/retail-prices';
import { fetchRetailPrices, RetailPricesError } from '../../electron/azure/retail-prices';
import { parsePriceTable, PRICE_TABLE, priceTableFromRetail, retailItem, retailQueries } from '../../shared/cost/index';
import type { CostResult, PriceTable } from '../../shared/cost/index';
import { InputError } from '../../shared/model/errors';

let fake: FakeRetailPrices;
let dir = '';
/** A loopback port nothing listens on (a server was bound to it and closed): connections are refused. */
let closed = '';

beforeAll(async () => {
  fake = await startFakeRetailPrices({ pageSize: 4 });
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-prices-'));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closed = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: readonly string[], env: Record<string, string> = { [RETAIL_PRICES_URL_ENV]: fake.url }): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, isTTY: false, cwd: dir, env };
  return { code: await runCli(args, io), out, err };
}

const READ_AT = '2026-12-05T03:00:00.000Z';

describe('reading the Retail Prices API', () => {
  it('asks the four filters, follows NextPageLink through every page, GET only', async () => {
    const before = fake.requests.length;
    const pages: string[] = [];
    const result = await fetchRetailPrices({ region: 'westeurope', baseUrl: fake.url, onPage: (q, p) => pages.push(`${q}#${p}`) });
    const sent = fake.requests.slice(before);
    expect(sent.every((r) => r.method === 'GET')).toBe(true);
    expect(sent).toHaveLength(result.pages);
    // NAT: 3 rows (1 page); firewall westeurope: 9 rows (3 pages of 4); public IP: 3 (1); bandwidth: 6 (2).
    expect(pages).toEqual(['nat-gateway#1', 'firewall#1', 'firewall#2', 'firewall#3', 'public-ip#1', 'internet-egress#1', 'internet-egress#2']);
    expect(result.items).toHaveLength(3 + 9 + 3 + 6);
    expect(new URL(sent[1]?.url ?? '', fake.url).searchParams.get('$filter')).toBe(retailQueries('westeurope')[1]?.filter);
    expect(result.items.every((i) => i.armRegionName === 'Global' || i.armRegionName === 'westeurope')).toBe(true);
  });

  it('refuses a NextPageLink to another host, and reports non-200 and unreachable endpoints', async () => {
    fake.faults.foreignNextLink = true;
    await expect(fetchRetailPrices({ region: 'westeurope', baseUrl: fake.url })).rejects.toThrow(/NextPageLink points to https:\/\/prices\.example\.net.*refused/);
    fake.faults.foreignNextLink = false;
    fake.faults.status = 503;
    await expect(fetchRetailPrices({ region: 'westeurope', baseUrl: fake.url })).rejects.toThrow(/answered HTTP 503/);
    fake.faults.status = null;
    await expect(fetchRetailPrices({ region: 'eastus', baseUrl: `${closed}/api/retail/prices` })).rejects.toBeInstanceOf(RetailPricesError);
    await expect(fetchRetailPrices({ region: 'eastus', baseUrl: `${closed}/api/retail/prices` })).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(fetch failed.*ECONNREFUSED/);
  });
});

describe('mapping items onto the price table', () => {
  const items = sampleRetailItems().map((i, n) => retailItem(i, `Items[${n}]`));

  it('takes the current Consumption USD meters of the region; not DevTest, older, secured-hub or Basic-IP rows', () => {
    const { table, kept } = priceTableFromRetail(items, { region: 'westeurope', readAt: READ_AT, url: fake.url, base: PRICE_TABLE });
    expect(kept).toEqual([]);
    expect(table.id).toBe('egress-atlas/prices@2026-12-05-retail-westeurope');
    expect(table.asOf).toBe('2026-12-05');
    expect(table.sources[0]).toMatchObject({ id: 'azure-retail-prices-westeurope-2026-12-05', date: '2026-12-05', unconfirmed: false });
    expect(table.natGateway.dataProcessed).toMatchObject({ usd: 0.045, per: 'GB', region: 'Global', meter: 'NAT Gateway / Standard Data Processed (effective 2024-03-01)' });
    expect(table.firewall.Standard.deployment).toMatchObject({ usd: 1.25, region: 'westeurope', meter: 'Azure Firewall / Standard Deployment (effective 2024-03-01)' });
    expect(table.firewall.Basic.dataProcessed.usd).toBe(0.065);
    expect(table.publicIpStandard).toMatchObject({ usd: 0.005, region: 'westeurope', meter: 'IP Addresses / Standard IPv4 Static Public IP (effective 2024-03-01)' });
    expect(table.internetEgress.zones['zone-1']).toEqual([
      { fromGb: 0, toGb: 100, usdPerGb: 0 }, { fromGb: 100, toGb: 10335, usdPerGb: 0.087 }, { fromGb: 10335, toGb: 51295, usdPerGb: 0.083 },
      { fromGb: 51295, toGb: 153695, usdPerGb: 0.07 }, { fromGb: 153695, toGb: 512095, usdPerGb: 0.05 }, { fromGb: 512095, toGb: null, usdPerGb: 0.05 },
    ]);
    expect(table.internetEgress.sourceIds).toEqual(['azure-retail-prices-westeurope-2026-12-05']);
    // Every figure's source is in the table; the zone membership keeps its own dated source.
    expect(table.sources.map((s) => s.id)).toEqual(['azure-retail-prices-westeurope-2026-12-05', PRICE_TABLE.zoneSourceId]);
    expect(parsePriceTable(JSON.parse(JSON.stringify(table)), 'p.json')).toEqual(table);
  });

  it('a meter the API did not return keeps the shipped figure with the shipped source and date, and is listed', () => {
    const { table, kept } = priceTableFromRetail(items, { region: 'brazilsouth', readAt: READ_AT, url: fake.url, base: PRICE_TABLE });
    expect(kept).toContain('Azure Firewall Standard deployment');
    expect(kept).toContain('internet egress tiers of zone-3');
    expect(kept).not.toContain('NAT gateway hours');
    expect(table.firewall.Standard.deployment).toEqual(PRICE_TABLE.firewall.Standard.deployment);
    expect(table.natGateway.hour.sourceId).toBe('azure-retail-prices-brazilsouth-2026-12-05');
    expect(table.compiledFrom).toContain(`kept from ${PRICE_TABLE.id}`);
    expect(parsePriceTable(JSON.parse(JSON.stringify(table)), 'p.json')).toEqual(table);
  });

  it('a newer row in effect wins over an older one; a row not yet in effect does not', () => {
    const base = sampleRetailItems().filter((i) => i.serviceName === 'NAT Gateway' && i.meterName === 'Standard Gateway')[0] ?? {};
    const newer = retailItem({ ...base, retailPrice: 0.05, effectiveStartDate: '2026-11-01T00:00:00Z' }, 'n');
    const future = retailItem({ ...base, retailPrice: 0.07, effectiveStartDate: '2027-02-01T00:00:00Z' }, 'f');
    const { table } = priceTableFromRetail([...items, newer, future], { region: 'eastus', readAt: READ_AT, url: fake.url, base: PRICE_TABLE });
    expect(table.natGateway.hour).toMatchObject({ usd: 0.05, meter: 'NAT Gateway / Standard Gateway (effective 2026-11-01)' });
  });

  it('rejects a price-table file whose figures are not sourced or whose tiers have holes', () => {
    const { table } = priceTableFromRetail(items, { region: 'eastus', readAt: READ_AT, url: fake.url, base: PRICE_TABLE });
    const broken = JSON.parse(JSON.stringify(table)) as { natGateway: { hour: { sourceId: string } }; internetEgress: { zones: Record<string, { fromGb: number }[]> } };
    broken.natGateway.hour.sourceId = 'nowhere';
    expect(() => parsePriceTable(broken, 'p.json')).toThrow(new InputError('p.json', '$.natGateway.hour.sourceId', 'the id of one of the table\'s sources', '"nowhere"'));
    const holes = JSON.parse(JSON.stringify(table)) as typeof broken;
    const tiers = holes.internetEgress.zones['zone-1'] ?? [];
    if (tiers[2]) tiers[2].fromGb = 20000;
    expect(() => parsePriceTable(holes, 'p.json')).toThrow(/\$\.internetEgress\.zones\.zone-1\[2\]\.fromGb: expected 10335 \(tiers contiguous from 0\)/);
    expect(() => parsePriceTable({ ...table, currency: 'EUR' }, 'p.json')).toThrow(/\$\.currency: expected "USD"/);
  });
});

describe('egress-atlas prices / cost --prices', () => {
  it('prices --refresh writes a dated table; cost --prices uses it and every figure names that date', async () => {
    const run = await cli(['prices', '--refresh', '--region', 'westeurope', '--out', 'westeurope.json']);
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/read 21 price item\(s\) in 7 page\(s\) from http:\/\/127\.0\.0\.1:\d+\/api\/retail\/prices for westeurope/);
    expect(run.err).toMatch(/wrote westeurope\.json \(egress-atlas\/prices@\d{4}-\d{2}-\d{2}-retail-westeurope\)/);
    const table = JSON.parse(await readFile(join(dir, 'westeurope.json'), 'utf8')) as PriceTable;
    const today = table.asOf;

    const shipped = JSON.parse((await cli(['cost', '--demo', 'bank', '--format', 'json'])).out) as CostResult;
    const refreshed = await cli(['cost', '--demo', 'bank', '--prices', 'westeurope.json', '--format', 'json']);
    expect(refreshed.code).toBe(0);
    const result = JSON.parse(refreshed.out) as CostResult;
    expect(result.prices.table).toBe(table.id);
    expect(result.prices.asOf).toBe(today);
    const figures = result.sources.flatMap((s) => s.lines).filter((l) => l.price !== null);
    expect(figures.length).toBeGreaterThan(0);
    // Regional figures now priced in westeurope at the refreshed date; the Global NAT meters too.
    expect(figures.every((l) => l.price?.priceDate === today)).toBe(true);
    expect(figures.some((l) => l.price?.pricedAt === 'westeurope')).toBe(true);
    // The bank estate is in westeurope: the shipped (eastus) table leaves regional figures missing.
    const missing = (r: CostResult): number => r.sources.flatMap((s) => s.lines).filter((l) => l.price === null).length;
    expect(missing(shipped)).toBeGreaterThan(missing(result));

    const table2 = await cli(['cost', '--demo', 'bank', '--prices', 'westeurope.json']);
    expect(table2.out).toContain(`${table.id}`);
    expect(table2.out).toContain(`azure-retail-prices-westeurope-${today}: ${today}`);
  });

  it('prices --refresh --out - writes the table to stdout, as --out - does for every text output, not a file named -', async () => {
    const run = await cli(['prices', '--refresh', '--region', 'westeurope', '--out', '-']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.out) as PriceTable).id).toMatch(/^egress-atlas\/prices@\d{4}-\d{2}-\d{2}-retail-westeurope$/);
    expect(run.err).not.toMatch(/^wrote/m);
    await expect(access(join(dir, '-'))).rejects.toThrow();
  });

  it('offline, a non-200 or a foreign NextPageLink: exit 2, the shipped table stays in use, nothing written', async () => {
    const offline = await cli(['prices', '--refresh', '--out', 'offline.json'], { [RETAIL_PRICES_URL_ENV]: `${closed}/api/retail/prices` });
    expect(offline.code).toBe(2);
    expect(offline.err).toContain(`error: could not read the Azure Retail Prices API: cannot reach ${closed}`);
    expect(offline.err).toContain(`The shipped price table ${PRICE_TABLE.id} (prices as of ${PRICE_TABLE.asOf}) stays in use; nothing was written.`);
    await expect(access(join(dir, 'offline.json'))).rejects.toThrow();
    fake.faults.status = 500;
    const down = await cli(['prices', '--refresh', '--out', 'down.json']);
    fake.faults.status = null;
    expect(down.code).toBe(2);
    expect(down.err).toMatch(/answered HTTP 500/);
    await expect(access(join(dir, 'down.json'))).rejects.toThrow();
    const dns = await cli(['prices', '--refresh'], { [RETAIL_PRICES_URL_ENV]: 'http://prices.invalid/api/retail/prices' });
    expect(dns.code).toBe(2);
    expect(dns.err).toContain('stays in use');
  });

  it('without --refresh shows the shipped table with its date; bad usage and bad files exit 2', async () => {
    const shown = await cli(['prices']);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`${PRICE_TABLE.id} (prices as of ${PRICE_TABLE.asOf}, list USD)`);
    expect(JSON.parse((await cli(['prices', '--format', 'json'])).out)).toEqual(JSON.parse(JSON.stringify(PRICE_TABLE)));
    expect((await cli(['prices', '--refresh', '--region', 'West Europe'])).code).toBe(2);
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ id: 'x' }));
    const bad = await cli(['cost', '--demo', 'bank', '--prices', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.json: \$\.currency: expected "USD"/);
    expect((await cli(['cost', '--demo', 'bank', '--prices', 'none.json'])).err).toContain('none.json: no such file or directory');
  });

  it('--prices naming a directory says it is a directory, not that it does not exist', async () => {
    await mkdir(join(dir, 'prices-dir'), { recursive: true });
    const run = await cli(['cost', '--demo', 'bank', '--prices', 'prices-dir']);
    expect(run.code).toBe(2);
    expect(run.err).toBe('error: prices-dir: is a directory, expected a price JSON file (egress-atlas prices --refresh --out FILE)\n');
  });

  it('reads a price table saved with a UTF-8 BOM or as UTF-16, as snapshots, policies and logs are read', async () => {
    const shipped = (await cli(['prices', '--format', 'json'])).out;
    await writeFile(join(dir, 'prices-bom.json'), `\uFEFF${shipped}`, 'utf8');
    // Windows PowerShell 5 redirection (`egress-atlas prices --format json > p.json`) writes UTF-16LE with a BOM.
    await writeFile(join(dir, 'prices-utf16.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(shipped, 'utf16le')]));
    const plain = await cli(['cost', '--demo', 'bank', '--format', 'json']);
    for (const file of ['prices-bom.json', 'prices-utf16.json']) {
      const run = await cli(['cost', '--demo', 'bank', '--prices', file, '--format', 'json']);
      expect({ file, code: run.code, err: run.err }).toEqual({ file, code: 0, err: '' });
      expect(run.out).toBe(plain.out);
    }
  });

  it('a number too large to be finite (1e999) is named as not finite, never as the null the file does not hold', async () => {
    const shipped = (await cli(['prices', '--format', 'json'])).out;
    const cases = [
      ['"usd": 0.045', '"usd": 1e999', '$.natGateway.hour.usd: expected a non-negative number of USD, found a number too large to be finite (read as Infinity)'],
      ['"usd": 0.045', '"usd": -1e999', '$.natGateway.hour.usd: expected a non-negative number of USD, found a negative number too large to be finite (read as -Infinity)'],
      ['"hoursPerMonth": 730', '"hoursPerMonth": 1e999', '$.hoursPerMonth: expected hours per month (730), found a number too large to be finite (read as Infinity)'],
      ['"usdPerGb": 0.087', '"usdPerGb": 1e400', '$.internetEgress.zones.zone-1[1].usdPerGb: expected a non-negative USD per GB, found a number too large to be finite (read as Infinity)'],
      ['"toGb": null', '"toGb": 1e999', '$.internetEgress.zones.zone-1[5].toGb: expected a bound above fromGb, or null for the last tier, found a number too large to be finite (read as Infinity)'],
    ] as const;
    for (const [from, to, message] of cases) {
      expect(shipped).toContain(from);
      await writeFile(join(dir, 'prices-huge.json'), shipped.replace(from, to), 'utf8');
      const run = await cli(['cost', '--demo', 'bank', '--prices', 'prices-huge.json']);
      expect({ to, code: run.code, err: run.err }).toEqual({ to, code: 2, err: `error: prices-huge.json: ${message}\n` });
    }
    // The Retail Prices API's items are read the same way.
    expect(() => retailItem({ ...sampleRetailItems()[0], retailPrice: Infinity }, '$.Items[0]')).toThrow(/\$\.Items\[0\]\.retailPrice: expected a non-negative number, found a number too large to be finite \(read as Infinity\)/);
  });

  it('prices --refresh refuses --format (it applies without --refresh only) before any request is sent', async () => {
    const before = fake.requests.length;
    for (const format of ['table', 'json']) {
      const run = await cli(['prices', '--refresh', '--format', format]);
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/^error: --format applies without --refresh only/);
      expect(run.err).not.toContain('Retail Prices API');
    }
    expect(fake.requests.length).toBe(before);
  });
});
