/**
 * A fake Azure Retail Prices API on 127.0.0.1 for the `prices --refresh` tests: `GET
 * /api/retail/prices?$filter=...` with the real envelope (BillingCurrency, CustomerEntityId,
 * CustomerEntityType, Items, NextPageLink, Count) and item fields [destinations.md §8.2], `eq` /
 * `and` filters (case-insensitive, as the API before 2023-01-01-preview), `$skip` paging through
 * an absolute NextPageLink. Faults: a status for every answer, a NextPageLink to another host.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeRetailPrices {
  /** The base URL, `http://127.0.0.1:<port>/api/retail/prices`. */
  readonly url: string;
  /** Every request: method and path with query. */
  readonly requests: { readonly method: string; readonly url: string }[];
  readonly faults: { status: number | null; foreignNextLink: boolean };
  close(): Promise<void>;
}

type Item = Readonly<Record<string, string | number | boolean>>;

function item(fields: {
  serviceName: string; productName: string; skuName: string; meterName: string; armRegionName: string; location: string;
  retailPrice: number; unitOfMeasure: string; tierMinimumUnits?: number; effectiveStartDate?: string; type?: string; serviceFamily?: string;
}): Item {
  const id = `${fields.serviceName}|${fields.skuName}|${fields.meterName}|${fields.armRegionName}|${fields.tierMinimumUnits ?? 0}|${fields.type ?? 'Consumption'}|${fields.effectiveStartDate ?? ''}`;
  let h = 0;
  for (const c of id) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return {
    currencyCode: 'USD', tierMinimumUnits: fields.tierMinimumUnits ?? 0, retailPrice: fields.retailPrice, unitPrice: fields.retailPrice,
    armRegionName: fields.armRegionName, location: fields.location, effectiveStartDate: fields.effectiveStartDate ?? '2024-03-01T00:00:00Z',
    meterId: `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`, meterName: fields.meterName, productId: `DZH318Z0${hex.slice(0, 4).toUpperCase()}`,
    skuId: `DZH318Z0${hex.slice(0, 4).toUpperCase()}/000${hex[0]}`, productName: fields.productName, skuName: fields.skuName,
    serviceName: fields.serviceName, serviceId: 'DZH317F1HKN0', serviceFamily: fields.serviceFamily ?? 'Networking', unitOfMeasure: fields.unitOfMeasure,
    type: fields.type ?? 'Consumption', isPrimaryMeterRegion: true, armSkuName: '',
  };
}

/**
 * Items shaped as the API returns them, values from destinations.md §8.1 (list USD), for eastus,
 * westeurope and the Global NAT meters; plus what the mapping must not take: DevTest rows, an
 * older effectiveStartDate, secured-hub and capacity-unit firewall meters, Basic public IPs.
 */
export function sampleRetailItems(): readonly Item[] {
  const out: Item[] = [
    item({ serviceName: 'NAT Gateway', productName: 'NAT Gateway', skuName: 'Standard', meterName: 'Standard Gateway', armRegionName: 'Global', location: 'Global', retailPrice: 0.045, unitOfMeasure: '1 Hour' }),
    item({ serviceName: 'NAT Gateway', productName: 'NAT Gateway', skuName: 'Standard', meterName: 'Standard Data Processed', armRegionName: 'Global', location: 'Global', retailPrice: 0.045, unitOfMeasure: '1 GB' }),
    item({ serviceName: 'NAT Gateway', productName: 'NAT Gateway', skuName: 'Standard', meterName: 'Standard Data Processed', armRegionName: 'Global', location: 'Global', retailPrice: 0.04, unitOfMeasure: '1 GB', effectiveStartDate: '2019-01-01T00:00:00Z' }),
  ];
  const regions = [['eastus', 'US East'], ['westeurope', 'EU West']] as const;
  for (const [region, location] of regions) {
    const firewall = (skuName: string, meterName: string, retailPrice: number, unitOfMeasure: string, type?: string): Item =>
      item({ serviceName: 'Azure Firewall', productName: 'Azure Firewall', skuName, meterName, armRegionName: region, location, retailPrice, unitOfMeasure, ...(type ? { type } : {}) });
    out.push(
      firewall('Standard', 'Standard Deployment', 1.25, '1 Hour'),
      firewall('Standard', 'Standard Data Processed', 0.016, '1 GB'),
      firewall('Standard', 'Standard Capacity Unit', 0.07, '1 Hour'),
      firewall('Standard', 'Standard Deployment', 1.0, '1 Hour', 'DevTestConsumption'),
      firewall('Premium', 'Premium Deployment', 1.75, '1 Hour'),
      firewall('Premium', 'Premium Data Processed', 0.016, '1 GB'),
      firewall('Basic', 'Basic Deployment', 0.395, '1 Hour'),
      firewall('Basic', 'Basic Data Processed', 0.065, '1 GB'),
      firewall('Standard Secure Virtual Hub', 'Standard Secure Virtual Hub Deployment', 1.25, '1 Hour'),
      item({ serviceName: 'Virtual Network', productName: 'IP Addresses', skuName: 'Standard', meterName: 'Standard IPv4 Static Public IP', armRegionName: region, location, retailPrice: 0.005, unitOfMeasure: '1 Hour' }),
      item({ serviceName: 'Virtual Network', productName: 'IP Addresses', skuName: 'Basic', meterName: 'Basic IPv4 Dynamic Public IP', armRegionName: region, location, retailPrice: 0.004, unitOfMeasure: '1 Hour' }),
      item({ serviceName: 'Virtual Network', productName: 'IP Addresses', skuName: 'Global', meterName: 'Global IPv4 Static Public IP', armRegionName: region, location, retailPrice: 0.01, unitOfMeasure: '1 Hour' }),
    );
    [[0, 0], [100, 0.087], [10335, 0.083], [51295, 0.07], [153695, 0.05], [512095, 0.05]].forEach(([tier, price]) => out.push(item({
      serviceName: 'Bandwidth', productName: 'Rtn Preference: MGN', skuName: 'Standard', meterName: 'Standard Data Transfer Out', armRegionName: region, location,
      retailPrice: price ?? 0, unitOfMeasure: '1 GB', tierMinimumUnits: tier ?? 0,
    })));
  }
  return out;
}

/** `field eq 'value' and field eq 'value'` → predicate (the documented operators). */
function filterOf(text: string): (i: Item) => boolean {
  const clauses = text.split(/\s+and\s+/i).map((c) => /^\s*(\w+)\s+eq\s+'([^']*)'\s*$/i.exec(c));
  if (clauses.some((c) => c === null)) throw new Error(`unsupported filter ${text}`);
  return (i) => clauses.every((c) => String(i[c?.[1] ?? ''] ?? '').toLowerCase() === (c?.[2] ?? '').toLowerCase());
}

export async function startFakeRetailPrices(options: { readonly items?: readonly Item[]; readonly pageSize?: number } = {}): Promise<FakeRetailPrices> {
  const items = options.items ?? sampleRetailItems();
  const pageSize = options.pageSize ?? 100;
  const requests: { method: string; url: string }[] = [];
  const faults: FakeRetailPrices['faults'] = { status: null, foreignNextLink: false };
  const sockets = new Set<Socket>();
  let base = '';
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/' });
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', base);
    if (req.method !== 'GET') return send(405, { Error: { Code: 'MethodNotAllowed', Message: 'GET only.' } });
    if (url.pathname !== '/api/retail/prices') return send(404, { Error: { Code: 'NotFound', Message: 'Not found.' } });
    if (faults.status !== null) return send(faults.status, { Error: { Code: 'ServiceUnavailable', Message: 'Injected fault.' } });
    let match: (i: Item) => boolean;
    try {
      match = filterOf(url.searchParams.get('$filter') ?? '');
    } catch (error) {
      return send(400, { Error: { Code: 'InvalidFilter', Message: String(error) } });
    }
    const all = items.filter(match);
    const skip = Number(url.searchParams.get('$skip') ?? '0');
    const page = all.slice(skip, skip + pageSize);
    const more = skip + pageSize < all.length;
    const nextUrl = new URL(url.toString());
    nextUrl.searchParams.set('$skip', String(skip + pageSize));
    const next = more ? (faults.foreignNextLink ? `https://prices.example.net${nextUrl.pathname}${nextUrl.search}` : nextUrl.toString()) : null;
    return send(200, { BillingCurrency: 'USD', CustomerEntityId: 'Default', CustomerEntityType: 'Retail', Items: page, NextPageLink: next, Count: page.length });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/api/retail/prices`, requests, faults,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
