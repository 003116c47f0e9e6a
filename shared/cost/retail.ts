/**
 * A price table from the Azure Retail Prices API (`egress-atlas prices --refresh`), pure: the
 * filters to ask for the meters the cost model uses, the mapping of the API's items onto the
 * `PriceTable` shape, and the validation of a price-table file (`cost --prices FILE`).
 * Meter recipes: destinations.md §8.2 (Infracost's and third-party filters; verified at runtime).
 * A meter the API did not return keeps the shipped table's figure, with the shipped source and its
 * date, so every figure still says where and when its price was read.
 */
import { parseUtcDay } from '../model/dates';
import { InputError } from '../model/errors';
import type { EgressTier, EgressZone, FirewallTier, ListPrice, PriceSource, PriceTable } from './prices';
import { regionKey, zoneOfRegion } from './prices';

export const RETAIL_PRICES_URL = 'https://prices.azure.com/api/retail/prices';

/** One `Items[]` entry, the fields the mapping reads (the API sends more). */
export interface RetailPriceItem {
  readonly currencyCode: string;
  readonly tierMinimumUnits: number;
  readonly retailPrice: number;
  readonly unitPrice?: number;
  readonly armRegionName: string;
  readonly location?: string;
  readonly effectiveStartDate: string;
  readonly meterId?: string;
  readonly meterName: string;
  readonly productName: string;
  readonly skuName: string;
  readonly serviceName: string;
  readonly unitOfMeasure: string;
  readonly type: string;
}

export interface RetailQuery {
  readonly id: 'nat-gateway' | 'firewall' | 'public-ip' | 'internet-egress';
  /** The OData `$filter` (the API's documented operators: `eq`, `and`). */
  readonly filter: string;
}

/** The `$filter`s for one region: four queries, each paged by NextPageLink. */
export function retailQueries(region: string): readonly RetailQuery[] {
  const r = region.replace(/'/g, '');
  return [
    // One Global meter for every region [§8.1, §8.2].
    { id: 'nat-gateway', filter: `serviceName eq 'NAT Gateway'` },
    { id: 'firewall', filter: `serviceName eq 'Azure Firewall' and armRegionName eq '${r}'` },
    { id: 'public-ip', filter: `serviceName eq 'Virtual Network' and productName eq 'IP Addresses' and armRegionName eq '${r}'` },
    { id: 'internet-egress', filter: `serviceName eq 'Bandwidth' and productName eq 'Rtn Preference: MGN' and meterName eq 'Standard Data Transfer Out' and armRegionName eq '${r}'` },
  ];
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A value as an error names it. JSON.stringify writes Infinity (JSON.parse's reading of 1e999)
 * as `null`, which the file does not hold: the user could not find what is wrong.
 */
function foundText(value: unknown): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return `a ${value < 0 ? 'negative ' : ''}number too large to be finite (read as ${value})`;
  return JSON.stringify(value ?? null)?.slice(0, 60);
}

/** A non-negative finite number (JSON has no Infinity, but 1e999 parses to it). */
function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Reads `Items[i]`; a field the mapping needs that is missing or mistyped is an InputError naming it. */
export function retailItem(value: unknown, at: string): RetailPriceItem {
  if (!isObject(value)) throw new InputError('prices.azure.com', at, 'a price item object', foundText(value));
  const str = (k: string): string => {
    const v = value[k];
    if (typeof v !== 'string') throw new InputError('prices.azure.com', `${at}.${k}`, 'a string', foundText(v));
    return v;
  };
  const num = (k: string): number => {
    const v = value[k];
    if (!isAmount(v)) throw new InputError('prices.azure.com', `${at}.${k}`, 'a non-negative number', foundText(v));
    return v;
  };
  return {
    currencyCode: str('currencyCode'), tierMinimumUnits: num('tierMinimumUnits'), retailPrice: num('retailPrice'),
    armRegionName: str('armRegionName'), effectiveStartDate: str('effectiveStartDate'), meterName: str('meterName'),
    productName: str('productName'), skuName: str('skuName'), serviceName: str('serviceName'), unitOfMeasure: str('unitOfMeasure'), type: str('type'),
    ...(typeof value.meterId === 'string' ? { meterId: value.meterId } : {}),
  };
}

/** `1 Hour`, `100 Hours`, `1 GB`, `10 GB` → units per price; null for anything else (`1/Month`). */
function unitsPer(unit: string, per: 'hour' | 'GB'): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)?\s*(hours?|gb)\s*$/i.exec(unit);
  if (!m) return null;
  const kind = (m[2] ?? '').toLowerCase().startsWith('hour') ? 'hour' : 'GB';
  if (kind !== per) return null;
  const n = Number(m[1] ?? '1');
  return n > 0 ? n : null;
}

/** The newest Consumption USD item of one meter in effect at `at` (older rows stay in the API). */
function pick(items: readonly RetailPriceItem[], at: string, match: (i: RetailPriceItem) => boolean): RetailPriceItem | null {
  const candidates = items
    .filter((i) => i.type === 'Consumption' && i.currencyCode === 'USD' && match(i) && i.effectiveStartDate.slice(0, 10) <= at.slice(0, 10))
    .sort((a, b) => (a.effectiveStartDate < b.effectiveStartDate ? 1 : a.effectiveStartDate > b.effectiveStartDate ? -1 : a.tierMinimumUnits - b.tierMinimumUnits));
  return candidates[0] ?? null;
}

function listPrice(item: RetailPriceItem, per: 'hour' | 'GB', service: string, sourceId: string): ListPrice | null {
  const units = unitsPer(item.unitOfMeasure, per);
  if (units === null) return null;
  return {
    usd: Math.round((item.retailPrice / units) * 1e9) / 1e9, per, region: item.armRegionName === '' ? 'Global' : item.armRegionName,
    meter: `${service} / ${item.meterName} (effective ${item.effectiveStartDate.slice(0, 10)})`, sourceId,
  };
}

export interface RetailMapping {
  readonly table: PriceTable;
  /** Figures the API did not return, kept from the shipped table (with the shipped source and date). */
  readonly kept: readonly string[];
}

/**
 * The price table for `region` from the API's items: NAT gateway (Global meters), Azure Firewall
 * Standard / Premium / Basic (the plain SKUs: secured-hub SKUs have other skuNames), the Standard
 * static public IP, and the tiered internet egress of the region's zone.
 */
export function priceTableFromRetail(
  items: readonly RetailPriceItem[], options: { readonly region: string; readonly readAt: string; readonly url: string; readonly base: PriceTable },
): RetailMapping {
  const { region, readAt, base } = options;
  const date = readAt.slice(0, 10);
  const sourceId = `azure-retail-prices-${region}-${date}`;
  const kept: string[] = [];
  const sameMeter = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  const inRegion = (i: RetailPriceItem): boolean => regionKey(i.armRegionName) === regionKey(region);
  const take = (what: string, fallback: ListPrice, per: 'hour' | 'GB', service: string, match: (i: RetailPriceItem) => boolean): ListPrice => {
    const item = pick(items, readAt, match);
    const price = item === null ? null : listPrice(item, per, service, sourceId);
    if (price !== null) return price;
    kept.push(what);
    return fallback;
  };
  const nat = (meter: string): (i: RetailPriceItem) => boolean => (i) => i.serviceName === 'NAT Gateway' && sameMeter(i.meterName, meter)
    && (i.armRegionName === '' || /^global$/i.test(i.armRegionName) || inRegion(i));
  const fw = (tier: FirewallTier, what: 'Deployment' | 'Data Processed'): (i: RetailPriceItem) => boolean => (i) =>
    i.serviceName === 'Azure Firewall' && inRegion(i) && i.skuName === tier && sameMeter(i.meterName, `${tier} ${what}`);
  const firewall = {} as Record<FirewallTier, { deployment: ListPrice; dataProcessed: ListPrice }>;
  for (const tier of ['Standard', 'Premium', 'Basic'] as const) {
    firewall[tier] = {
      deployment: take(`Azure Firewall ${tier} deployment`, base.firewall[tier].deployment, 'hour', 'Azure Firewall', fw(tier, 'Deployment')),
      dataProcessed: take(`Azure Firewall ${tier} data processed`, base.firewall[tier].dataProcessed, 'GB', 'Azure Firewall', fw(tier, 'Data Processed')),
    };
  }
  const publicIp = take('Standard static public IP', base.publicIpStandard, 'hour', 'IP Addresses', (i) =>
    i.productName === 'IP Addresses' && inRegion(i) && /^Standard (IPv4 )?Static Public IP$/i.test(i.meterName));

  // Tiers: every current Consumption row of the meter in the region, by tierMinimumUnits.
  const zone: EgressZone | undefined = zoneOfRegion(base, region) ?? undefined;
  const egressRows = items.filter((i) => i.type === 'Consumption' && i.currencyCode === 'USD' && i.serviceName === 'Bandwidth'
    && i.productName === 'Rtn Preference: MGN' && sameMeter(i.meterName, 'Standard Data Transfer Out') && inRegion(i)
    && unitsPer(i.unitOfMeasure, 'GB') === 1 && i.effectiveStartDate.slice(0, 10) <= date);
  const newestStart = egressRows.reduce((n, i) => (i.effectiveStartDate > n ? i.effectiveStartDate : n), '');
  const current = egressRows.filter((i) => i.effectiveStartDate === newestStart).sort((a, b) => a.tierMinimumUnits - b.tierMinimumUnits);
  const zones: Partial<Record<EgressZone, readonly EgressTier[]>> = { ...base.internetEgress.zones };
  let egressSources = base.internetEgress.sourceIds;
  if (zone !== undefined && current.length > 0 && current[0]?.tierMinimumUnits === 0) {
    zones[zone] = current.map((i, n) => ({ fromGb: i.tierMinimumUnits, toGb: current[n + 1]?.tierMinimumUnits ?? null, usdPerGb: i.retailPrice }));
    egressSources = [sourceId];
  } else {
    kept.push(zone === undefined ? `internet egress (${region} is in no egress zone the table knows)` : `internet egress tiers of ${zone}`);
  }

  const retailSource: PriceSource = {
    id: sourceId, title: `Azure Retail Prices API, ${region} (and Global meters), Consumption USD list prices`, url: options.url, date,
    note: `read by egress-atlas prices --refresh at ${readAt}; each meter names its effectiveStartDate`, unconfirmed: false,
  };
  const nat1 = take('NAT gateway hours', base.natGateway.hour, 'hour', 'NAT Gateway', nat('Standard Gateway'));
  const nat2 = take('NAT gateway data processed', base.natGateway.dataProcessed, 'GB', 'NAT Gateway', nat('Standard Data Processed'));
  const used = new Set<string>([nat1, nat2, publicIp, ...Object.values(firewall).flatMap((f) => [f.deployment, f.dataProcessed])].map((p) => p.sourceId));
  for (const id of egressSources) used.add(id);
  used.add(base.zoneSourceId);
  const table: PriceTable = {
    id: `egress-atlas/prices@${date}-retail-${region}`,
    currency: 'USD',
    asOf: date,
    compiledFrom: `Azure Retail Prices API (${RETAIL_PRICES_URL}), read ${readAt}${kept.length > 0 ? `; kept from ${base.id}: ${kept.join(', ')}` : ''}`,
    hoursPerMonth: base.hoursPerMonth,
    sources: [retailSource, ...base.sources.filter((s) => used.has(s.id) && s.id !== sourceId)],
    natGateway: { hour: nat1, dataProcessed: nat2 },
    firewall,
    publicIpStandard: publicIp,
    internetEgress: { meter: base.internetEgress.meter, sourceIds: egressSources, zones, tiersApplyTo: 'account-month' },
    zoneSourceId: base.zoneSourceId,
    zoneOfRegion: base.zoneOfRegion,
  };
  return { table, kept };
}

// ---------------------------------------------------------------------------------------------
// Reading a price-table file (`cost --prices FILE`)

/**
 * A date of the table (`asOf`, each source's `date`), read by the strict day reader `--since` and
 * `--now` use (parseUtcDay in shared/model/dates.ts): `YYYY-MM-DD` naming a day that exists
 * (2026-13-01 and 30 February are refused, never rolled over to another day every figure would
 * then cite as its price date), or, where `year` allows it, a year alone (`2026`), as a source
 * that gives only its year is dated; where `nullable`, null (an undated source).
 */
function needDate(value: unknown, file: string, path: string, expected: string, options: { readonly year: boolean; readonly nullable: boolean }): void {
  if (value === null && options.nullable) return;
  if (typeof value === 'string') {
    if (parseUtcDay(value) !== null) return;
    if (options.year && /^\d{4}$/.test(value) && parseUtcDay(`${value}-01-01`) !== null) return;
  }
  const shaped = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const why = !shaped ? '' : Number(value.slice(0, 4)) < 100 ? ', whose year is before 0100 (not supported)' : ', which names a day that does not exist';
  throw new InputError(file, path, expected, `${foundText(value) ?? ''}${why}`);
}

function need(cond: boolean, file: string, path: string, expected: string, found: unknown): void {
  if (!cond) throw new InputError(file, path, expected, foundText(found));
}

function readListPrice(value: unknown, file: string, path: string, per: 'hour' | 'GB', sourceIds: ReadonlySet<string>): ListPrice {
  need(isObject(value), file, path, 'a price { usd, per, region, meter, sourceId }', value);
  const v = value as Readonly<Record<string, unknown>>;
  need(isAmount(v.usd), file, `${path}.usd`, 'a non-negative number of USD', v.usd);
  need(v.per === per, file, `${path}.per`, `"${per}"`, v.per);
  need(typeof v.region === 'string' && v.region !== '', file, `${path}.region`, 'a meter region', v.region);
  need(typeof v.meter === 'string', file, `${path}.meter`, 'the meter name', v.meter);
  need(typeof v.sourceId === 'string' && sourceIds.has(v.sourceId), file, `${path}.sourceId`, 'the id of one of the table\'s sources', v.sourceId);
  return { usd: v.usd as number, per, region: v.region as string, meter: v.meter as string, sourceId: v.sourceId as string };
}

/** Validates a price table written by `prices --refresh` (or by hand): every figure priced, sourced and dated. */
export function parsePriceTable(json: unknown, file: string): PriceTable {
  need(isObject(json), file, '$', 'a price table object (egress-atlas prices --refresh --out FILE)', json);
  const t = json as Readonly<Record<string, unknown>>;
  need(typeof t.id === 'string' && t.id !== '', file, '$.id', 'the table id', t.id);
  need(t.currency === 'USD', file, '$.currency', '"USD"', t.currency);
  needDate(t.asOf, file, '$.asOf', 'the price date (YYYY-MM-DD, a day that exists)', { year: false, nullable: false });
  need(typeof t.compiledFrom === 'string', file, '$.compiledFrom', 'where the prices came from', t.compiledFrom);
  need(isAmount(t.hoursPerMonth) && t.hoursPerMonth > 0, file, '$.hoursPerMonth', 'hours per month (730)', t.hoursPerMonth);
  need(Array.isArray(t.sources) && t.sources.length > 0, file, '$.sources', 'a non-empty array of sources', t.sources);
  const sources = (t.sources as unknown[]).map((s, i): PriceSource => {
    const at = `$.sources[${i}]`;
    need(isObject(s), file, at, 'a source { id, title, url, date, note, unconfirmed }', s);
    const o = s as Readonly<Record<string, unknown>>;
    need(typeof o.id === 'string' && o.id !== '', file, `${at}.id`, 'a source id', o.id);
    need(typeof o.title === 'string', file, `${at}.title`, 'a title', o.title);
    need(o.url === null || typeof o.url === 'string', file, `${at}.url`, 'a URL or null', o.url);
    // Every figure citing this source prints this date as its price date.
    needDate(o.date, file, `${at}.date`, 'the date the prices were read (YYYY-MM-DD, a day that exists, or a year YYYY), or null', { year: true, nullable: true });
    need(typeof o.note === 'string', file, `${at}.note`, 'a note', o.note);
    need(typeof o.unconfirmed === 'boolean', file, `${at}.unconfirmed`, 'true or false', o.unconfirmed);
    return { id: o.id as string, title: o.title as string, url: o.url as string | null, date: o.date as string | null, note: o.note as string, unconfirmed: o.unconfirmed as boolean };
  });
  const ids = new Set(sources.map((s) => s.id));
  need(isObject(t.natGateway), file, '$.natGateway', 'NAT gateway prices { hour, dataProcessed }', t.natGateway);
  const nat = t.natGateway as Readonly<Record<string, unknown>>;
  need(isObject(t.firewall), file, '$.firewall', 'Azure Firewall prices per tier', t.firewall);
  const fw = t.firewall as Readonly<Record<string, unknown>>;
  const firewall = {} as Record<FirewallTier, { deployment: ListPrice; dataProcessed: ListPrice }>;
  for (const tier of ['Standard', 'Premium', 'Basic'] as const) {
    const f = fw[tier];
    need(isObject(f), file, `$.firewall.${tier}`, '{ deployment, dataProcessed }', f);
    const o = f as Readonly<Record<string, unknown>>;
    firewall[tier] = {
      deployment: readListPrice(o.deployment, file, `$.firewall.${tier}.deployment`, 'hour', ids),
      dataProcessed: readListPrice(o.dataProcessed, file, `$.firewall.${tier}.dataProcessed`, 'GB', ids),
    };
  }
  need(isObject(t.internetEgress), file, '$.internetEgress', 'internet egress { meter, sourceIds, zones, tiersApplyTo }', t.internetEgress);
  const e = t.internetEgress as Readonly<Record<string, unknown>>;
  need(typeof e.meter === 'string', file, '$.internetEgress.meter', 'the meter name', e.meter);
  need(Array.isArray(e.sourceIds) && e.sourceIds.every((s) => typeof s === 'string' && ids.has(s)), file, '$.internetEgress.sourceIds', 'ids of the table\'s sources', e.sourceIds);
  need(e.tiersApplyTo === 'account-month', file, '$.internetEgress.tiersApplyTo', '"account-month"', e.tiersApplyTo);
  need(isObject(e.zones), file, '$.internetEgress.zones', 'tiers per egress zone', e.zones);
  const zones: Partial<Record<EgressZone, readonly EgressTier[]>> = {};
  for (const [zone, tiers] of Object.entries(e.zones as Readonly<Record<string, unknown>>)) {
    const at = `$.internetEgress.zones.${zone}`;
    need(zone === 'zone-1' || zone === 'zone-2' || zone === 'zone-3', file, at, 'zone-1, zone-2 or zone-3', zone);
    need(Array.isArray(tiers) && tiers.length > 0, file, at, 'a non-empty array of tiers', tiers);
    let from = 0;
    zones[zone as EgressZone] = (tiers as unknown[]).map((tier, i) => {
      const o = isObject(tier) ? tier : {};
      need(o.fromGb === from, file, `${at}[${i}].fromGb`, `${from} (tiers contiguous from 0)`, o.fromGb);
      need(o.toGb === null || (isAmount(o.toGb) && o.toGb > from), file, `${at}[${i}].toGb`, 'a bound above fromGb, or null for the last tier', o.toGb);
      need(isAmount(o.usdPerGb), file, `${at}[${i}].usdPerGb`, 'a non-negative USD per GB', o.usdPerGb);
      need(o.toGb !== null || i === (tiers as unknown[]).length - 1, file, `${at}[${i}].toGb`, 'a bound (only the last tier is open)', o.toGb);
      from = (o.toGb as number | null) ?? from;
      return { fromGb: o.fromGb as number, toGb: o.toGb as number | null, usdPerGb: o.usdPerGb as number };
    });
  }
  need(typeof t.zoneSourceId === 'string' && ids.has(t.zoneSourceId), file, '$.zoneSourceId', 'the id of one of the table\'s sources', t.zoneSourceId);
  need(isObject(t.zoneOfRegion), file, '$.zoneOfRegion', 'region → egress zone', t.zoneOfRegion);
  const zoneOfRegion: Record<string, EgressZone> = {};
  for (const [r, z] of Object.entries(t.zoneOfRegion as Readonly<Record<string, unknown>>)) {
    need(z === 'zone-1' || z === 'zone-2' || z === 'zone-3', file, `$.zoneOfRegion.${r}`, 'zone-1, zone-2 or zone-3', z);
    // Keyed as every lookup reads it (regionKey): a file may spell a region "East US".
    zoneOfRegion[regionKey(r)] = z as EgressZone;
  }
  return {
    id: t.id as string, currency: 'USD', asOf: t.asOf as string, compiledFrom: t.compiledFrom as string, hoursPerMonth: t.hoursPerMonth as number, sources,
    natGateway: { hour: readListPrice(nat.hour, file, '$.natGateway.hour', 'hour', ids), dataProcessed: readListPrice(nat.dataProcessed, file, '$.natGateway.dataProcessed', 'GB', ids) },
    firewall,
    publicIpStandard: readListPrice(t.publicIpStandard, file, '$.publicIpStandard', 'hour', ids),
    internetEgress: { meter: e.meter as string, sourceIds: e.sourceIds as string[], zones, tiersApplyTo: 'account-month' },
    zoneSourceId: t.zoneSourceId as string,
    zoneOfRegion,
  };
}
