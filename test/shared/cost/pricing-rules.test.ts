/**
 * Pricing rules of `egress-atlas cost` (destinations.md §2.1, §8.1): internet data transfer out on the
 * bytes sent only, flow-log bytes scaled by their own span, VNet peering on hub-and-spoke paths
 * reported as missing, zone tiers that depend on an unknown account total marked missing, and one
 * first-100-GB allowance per account.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BYTES_PER_GB, estimateCost, PRICE_TABLE } from '../../../shared/cost/index';
import type { CostResult, PriceTable, SourceCost } from '../../../shared/cost/index';
import { resolveEgress } from '../../../shared/egress/index';
import type { ResolveInput, ResolveResult } from '../../../shared/egress/index';
import { analyzeTraffic, parseLogFile, TRAFFIC_SCHEMA } from '../../../shared/traffic/index';
import type { ObservedDestination, TrafficResult, TrafficSource } from '../../../shared/traffic/index';
import { demoInput, ROOT } from '../policy/support';

const GIB = BYTES_PER_GB;
const bank = demoInput('bank');
const resolved = resolveEgress(bank);

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out.sort();
}

function parsed(paths: readonly string[]) {
  return paths.map((p) => parseLogFile(p, readFileSync(p, 'utf8')));
}

function pathCost(result: CostResult, name: string): SourceCost {
  const s = result.sources.find((x) => x.source.name === name);
  if (!s) throw new Error(`no source ${name}`);
  return s;
}

const line = (s: SourceCost, item: string) => s.lines.find((l) => l.item === item);

/** A VNet flow log v4 file (destinations.md §2.1) with the given tuples. */
function vnetFlowLog(tuples: readonly string[]): string {
  return JSON.stringify({
    records: [{
      time: '2024-05-01T10:00:52.5625085Z', flowLogVersion: 4, flowLogGUID: '66aa66aa-bb77-cc88-dd99-00ee00ee00ee', macAddress: '000D3A6E1F01',
      category: 'FlowLogFlowEvent',
      flowLogResourceID: '/SUBSCRIPTIONS/A0D9E5C7-3B2F-4E18-8A6D-71C4F9B2E305/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_WESTEUROPE/FLOWLOGS/FL-VNET-PAYMENTS-API',
      targetResourceID: '/subscriptions/a0d9e5c7-3b2f-4e18-8a6d-71c4f9b2e305/resourceGroups/rg-payments-api-weu/providers/Microsoft.Network/virtualNetworks/vnet-payments-api-weu',
      operationName: 'FlowLogFlowEvent',
      flowRecords: { flows: [{ aclID: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee', flowGroups: [{ rule: 'DefaultRule_AllowInternetOutBound', flowTuples: tuples }] }] },
    }],
  });
}

describe('flow-log bytes: internet data transfer out bills the outbound direction only', () => {
  // §2.1: a v4 tuple carries "Bytes sent (src→dst)" and "Bytes received (dst→src)" separately.
  // §8.1: internet egress = "Standard Data Transfer Out". nic-vm-payrpt-01 (10.110.1.4, snet-payments-reporting,
  // default outbound, westeurope = zone 1) downloads: sends 1 GiB, receives 30 GiB to a public IP in 73 h.
  // × 730/73 = 10 GiB sent per month → 10 GB out, inside the free 100 GB → $0.
  // Adding the received bytes would bill 310 GB "out" → (310 − 100) × 0.087 = $18.27 per month.
  const t0 = Date.parse('2024-05-01T00:00:00Z');
  const t1 = t0 + 73 * 3_600_000;
  const log = parseLogFile('PT1H.json', vnetFlowLog([
    `${t0},10.110.1.4,52.239.10.20,40000,443,6,O,B,NX,0,0,0,0`,
    `${t1},10.110.1.4,52.239.10.20,40000,443,6,O,E,NX,1000,${GIB},1000,${30 * GIB}`,
  ]));
  const traffic = analyzeTraffic(bank, [log]);
  // The estate's only costed path is the reporting subnet's, so the account's total is known.
  const only: ResolveResult = { ...resolved, paths: resolved.paths.filter((p) => p.source.name === 'snet-payments-reporting') };
  const result = estimateCost(bank, only, { traffic, fallbackRegion: 'eastus' });

  it('keeps the bytes sent apart from the total through the traffic aggregation', () => {
    const observed = traffic.sources.find((s) => s.source.name === 'nic-vm-payrpt-01')?.observed[0];
    expect(observed?.bytes).toBe(31 * GIB);
    expect(observed?.bytesSent).toBe(GIB);
  });

  it('prices internet egress on the bytes sent, not sent + received', () => {
    const reporting = pathCost(result, 'snet-payments-reporting');
    const egress = line(reporting, 'internet-egress');
    expect(egress?.quantity).toBeCloseTo(10, 3);
    expect(egress?.monthlyUsd).not.toBeNull();
    expect(egress?.monthlyUsd).toBeCloseTo(0, 6);
    expect(reporting.complete).toBe(true);
    expect(result.internetEgress[0]?.monthlyGb).toBeCloseTo(10, 3);
    // Both directions stay the path's GB (what NAT gateway / firewall data processed bill).
    expect(reporting.monthlyGb).toBeCloseTo(310, 3);
    expect(reporting.bytes).toMatchObject({ kind: 'flow-logs', observedBytes: 31 * GIB, egressBytes: GIB, egressUpperBound: false });
  });
});

describe('flow-log bytes are scaled by the flow logs\' own window', () => {
  // The bank's VNet flow logs (fixtures) cover 2024-05-01T10:00:01 → 11:01:39 (1.03 h): snet-payments-reporting
  // sent+received 1,180,017 B → × 730/1.027 h = 0.780992 GB/month (what `cost --logs flowlogs/vnet` prints).
  // Adding the firewall logs (no bytes at all, §1: firewall logs carry none) of 2024-05-01 → 2024-05-07
  // must not change that figure; stretching the window to all logs (167.94 h) would give 0.004777 GB/month
  // (163× less): the window used to scale bytes is the span of the records that carry bytes.
  const flow = files(join(ROOT, 'test/fixtures/logs/flowlogs/vnet'));
  const fw = files(join(ROOT, 'test/fixtures/logs/azfw'));
  const onlyFlow = estimateCost(bank, resolved, { traffic: analyzeTraffic(bank, parsed(flow)), fallbackRegion: 'eastus' });
  const withFw = estimateCost(bank, resolved, { traffic: analyzeTraffic(bank, parsed([...flow, ...fw])), fallbackRegion: 'eastus' });

  it('gives the same monthly GB with or without byte-less firewall logs', () => {
    expect(pathCost(onlyFlow, 'snet-payments-reporting').monthlyGb).toBeCloseTo(0.780992, 5);
    expect(pathCost(withFw, 'snet-payments-reporting').monthlyGb).toBeCloseTo(0.780992, 5);
  });
});

/** The bank estate's costs with nic-vm-settle-batch-01 sending `gib` GiB to a public address over 73 hours (the only source with bytes). */
function settleBatchCost(gib: number) {
  const observed: ObservedDestination = {
    destination: '185.40.56.10', port: 443, protocol: 'TCP', action: 'allow', flows: 1, bytes: gib * GIB,
    firstSeen: '2024-05-01T00:00:00.000Z', lastSeen: '2024-05-04T01:00:00.000Z', rule: null, model: 'allowed',
  };
  const nic = bank.model.networkInterfaces.find((x) => x.name === 'nic-vm-settle-batch-01');
  const subnetId = nic?.ipConfigurations[0]?.subnetId ?? '';
  const src: TrafficSource = { source: { type: 'nic', id: nic?.id ?? '', name: 'nic-vm-settle-batch-01' }, subnet: { id: subnetId, name: 'snet-settlement-batch' }, observed: [observed] };
  const traffic: TrafficResult = { schema: TRAFFIC_SCHEMA, window: { from: '2024-05-01T00:00:00.000Z', to: '2024-05-04T01:00:00.000Z' }, sources: [src], unattributed: [], findings: [], gaps: [] };
  return { subnetId, result: estimateCost(bank, resolved, { traffic, fallbackRegion: 'eastus' }) };
}

describe('VNet peering on a hub-and-spoke path is not silently left out', () => {
  // §8.1 implementer notes: "cross-VNet hops add VNet peering per-GB both directions". The bank's spokes
  // (vnet-settlement-weu, ...) reach the hub firewall afw-hub-weu over a peering. The price table has no
  // peering meter, so the figure must say so (a gap / not-costed), never present the path as complete.
  const { subnetId, result } = settleBatchCost(10);

  it('reports the peering charge of a spoke → hub firewall path as a gap', () => {
    const batch = pathCost(result, 'snet-settlement-batch');
    const fw = bank.model.azureFirewalls.find((f) => f.name === 'afw-hub-weu');
    // Precondition: the source and the firewall sit in different VNets (the path crosses a peering).
    const vnetOf = (id: string) => id.toLowerCase().split('/subnets/')[0];
    expect(vnetOf(subnetId)).not.toBe(vnetOf(fw?.ipConfigurations[0]?.subnetId ?? ''));
    const said = result.gaps.some((g) => g.scope.toLowerCase() === batch.source.id.toLowerCase() && /peering/i.test(g.message))
      || batch.lines.some((l) => /peering/i.test(`${l.item} ${l.missing ?? ''}`));
    expect(said).toBe(true);
  });
});

describe('internet egress tiers when some sources of the zone have no bytes', () => {
  // The tiers (first 100 GB free, §8.1) apply to the estate's total per zone. With snet-settlement-db and
  // snet-card-auth (zone 1) lacking bytes, that total is unknown, so each known source's share of the free
  // allowance (and its tiered amount) is unknown too: the figure must be marked (gap / missing), not given
  // as a complete $ amount (settlement-batch's 50 GB, all "free" on the known part alone, would read $0.00).
  const { result } = settleBatchCost(5);

  it('does not present a zone-tiered egress figure as complete when the zone total is unknown', () => {
    const batch = pathCost(result, 'snet-settlement-batch');
    const egress = line(batch, 'internet-egress');
    // Preconditions: other zone-1 sources lack bytes.
    expect(result.sources.filter((s) => s.monthlyGb === null).length).toBeGreaterThan(0);
    expect(egress).toBeDefined();
    expect(egress?.monthlyUsd).toBeNull();
    const flagged = (egress !== undefined && egress.missing !== null)
      || result.gaps.some((g) => g.scope === 'zone-1' || (/internet/i.test(g.message) && /tier|allowance|free|total/i.test(g.message) && g.code !== 'bytes-missing'));
    expect(flagged).toBe(true);
  });
});

/** The price table with zone-2 egress tiers too (as `prices --refresh --region japaneast` gives them). */
const WITH_ZONE_2: PriceTable = {
  ...PRICE_TABLE,
  internetEgress: {
    ...PRICE_TABLE.internetEgress,
    zones: {
      ...PRICE_TABLE.internetEgress.zones,
      'zone-2': [
        { fromGb: 0, toGb: 100, usdPerGb: 0 },
        { fromGb: 100, toGb: 10335, usdPerGb: 0.11 },
        { fromGb: 10335, toGb: null, usdPerGb: 0.075 },
      ],
    },
  },
};

describe('the first-100-GB allowance is applied once per account, not once per zone', () => {
  // §8.1: "The first-100-GB internet-egress allowance is described by third parties as account-wide per month";
  // the method note says "the allowance is account-wide". With a table that has zone-2 tiers
  // (as `prices --refresh --region japaneast` gives) and 150 GB/month out in each zone, one 100 GB allowance
  // leaves 200 GB billed: at least 150 × 0.087 + 150 × 0.11 − 100 × 0.11 = $18.55 (freeing 100 GB in
  // each zone would give 50 × 0.087 + 50 × 0.11 = $9.85).
  const table = WITH_ZONE_2;
  // Move snet-payments-reporting (default outbound) and its NIC / VNet to japaneast (zone 2).
  const reportingSubnet = bank.model.subnets.find((s) => s.name === 'snet-payments-reporting');
  const vnetId = reportingSubnet?.id.toLowerCase().split('/subnets/')[0] ?? '';
  const moved = (r: { id: string; location: string | null }) => r.id.toLowerCase().startsWith(vnetId);
  const model = {
    ...bank.model,
    virtualNetworks: bank.model.virtualNetworks.map((v) => (moved(v) ? { ...v, location: 'japaneast' } : v)),
    subnets: bank.model.subnets.map((s) => (s.id === reportingSubnet?.id ? { ...s, location: 'japaneast' } : s)),
  };
  const input: ResolveInput = { ...bank, model };
  const observed = (destination: string, bytes: number): ObservedDestination => ({
    destination, port: 443, protocol: 'TCP', action: 'allow', flows: 1, bytes,
    firstSeen: '2024-05-01T00:00:00.000Z', lastSeen: '2024-05-04T01:00:00.000Z', rule: null, model: 'allowed',
  });
  const src = (nicName: string, bytes: number): TrafficSource => {
    const n = bank.model.networkInterfaces.find((x) => x.name === nicName);
    const subnetId = n?.ipConfigurations[0]?.subnetId ?? '';
    return { source: { type: 'nic', id: n?.id ?? '', name: nicName }, subnet: { id: subnetId, name: subnetId.split('/').pop() ?? '' }, observed: [observed('185.40.56.10', bytes)] };
  };
  // × 10 per month (73 h window): 15 GiB → 150 GB each.
  const traffic: TrafficResult = {
    schema: TRAFFIC_SCHEMA, window: { from: '2024-05-01T00:00:00.000Z', to: '2024-05-04T01:00:00.000Z' },
    sources: [src('nic-vm-settle-batch-01', 15 * GIB), src('nic-vm-payrpt-01', 15 * GIB)], unattributed: [], findings: [], gaps: [],
  };
  const result = estimateCost(input, resolveEgress(input), { traffic, fallbackRegion: 'eastus', prices: table });

  it('bills all GB above one 100 GB allowance across zones', () => {
    expect(pathCost(result, 'snet-payments-reporting').region).toBe('japaneast');
    expect(result.internetEgress.map((z) => z.zone).sort()).toEqual(['zone-1', 'zone-2']);
    const total = result.internetEgress.reduce((n, z) => n + (z.monthlyUsd ?? 0), 0);
    expect(total).toBeGreaterThanOrEqual(18.55 - 1e-6);
  });
});

describe('the first-100-GB allowance across zones, every source with bytes', () => {
  // The same two sources as above, on an estate whose only costed paths are theirs (the account's total
  // is known): 150 GB out in zone 1 and 150 GB in zone 2. The one 100 GB allowance is divided in
  // proportion to GB (the method note says so): 50 GB each. Zone 1: (150 − 50) × 0.087 = 8.70;
  // zone 2: (150 − 50) × 0.11 = 11.00; 19.70 in all.
  const table = WITH_ZONE_2;
  const reportingSubnet = bank.model.subnets.find((s) => s.name === 'snet-payments-reporting');
  const vnetId = reportingSubnet?.id.toLowerCase().split('/subnets/')[0] ?? '';
  const model = {
    ...bank.model,
    virtualNetworks: bank.model.virtualNetworks.map((v) => (v.id.toLowerCase().startsWith(vnetId) ? { ...v, location: 'japaneast' } : v)),
    subnets: bank.model.subnets.map((s) => (s.id === reportingSubnet?.id ? { ...s, location: 'japaneast' } : s)),
  };
  const input: ResolveInput = { ...bank, model };
  const all = resolveEgress(input);
  const two: ResolveResult = { ...all, paths: all.paths.filter((p) => p.source.name === 'snet-payments-reporting' || p.source.name === 'snet-settlement-batch') };
  const src = (nicName: string, bytes: number): TrafficSource => {
    const n = bank.model.networkInterfaces.find((x) => x.name === nicName);
    const subnetId = n?.ipConfigurations[0]?.subnetId ?? '';
    return {
      source: { type: 'nic', id: n?.id ?? '', name: nicName }, subnet: { id: subnetId, name: subnetId.split('/').pop() ?? '' },
      observed: [{ destination: '185.40.56.10', port: 443, protocol: 'TCP', action: 'allow', flows: 1, bytes, bytesSent: bytes, firstSeen: '2024-05-01T00:00:00.000Z', lastSeen: '2024-05-04T01:00:00.000Z', rule: null, model: 'allowed' }],
    };
  };
  const traffic: TrafficResult = {
    schema: TRAFFIC_SCHEMA, window: { from: '2024-05-01T00:00:00.000Z', to: '2024-05-04T01:00:00.000Z' },
    sources: [src('nic-vm-settle-batch-01', 15 * GIB), src('nic-vm-payrpt-01', 15 * GIB)], unattributed: [], findings: [], gaps: [],
  };
  const result = estimateCost(input, two, { traffic, fallbackRegion: 'eastus', prices: table });

  it('divides the one allowance among the zones by GB and bills the rest at each zone\'s first paid tier', () => {
    const byZone = new Map(result.internetEgress.map((z) => [z.zone, z]));
    expect(byZone.get('zone-1')).toMatchObject({ monthlyGb: 150, freeAllowanceGb: 50, complete: true });
    expect(byZone.get('zone-1')?.monthlyUsd).toBeCloseTo(8.7, 6);
    expect(byZone.get('zone-2')).toMatchObject({ monthlyGb: 150, freeAllowanceGb: 50, complete: true });
    expect(byZone.get('zone-2')?.monthlyUsd).toBeCloseTo(11, 6);
    expect(line(pathCost(result, 'snet-payments-reporting'), 'internet-egress')?.monthlyUsd).toBeCloseTo(11, 6);
    expect(line(pathCost(result, 'snet-settlement-batch'), 'internet-egress')?.monthlyUsd).toBeCloseTo(8.7, 6);
    expect(result.method.notes.some((n) => /one for the account, is divided among the egress zones in proportion to their GB/.test(n))).toBe(true);
  });
});

describe('internet egress shared by GB when every costed source has bytes', () => {
  // 73 h window (× 10 per month). Sent / both directions: settle-batch 10 / 12 GiB, payapi-01 5 / 5,
  // cardauth-01 3 / 3, settle-db-01 2 / 2, payrpt-01 5 / 5. Egress (sent): 100 + 50 + 30 + 20 + 50 = 250 GB
  // → (250 − 100) × 0.087 = 13.05 for zone 1, the account's whole total. settlement-batch: 100/250 × 13.05 = 5.22;
  // its NAT gateway and firewall data on both directions, 120 GB: 5.40 and 1.92.
  const obs = (nicName: string, sent: number, both: number): TrafficSource => {
    const n = bank.model.networkInterfaces.find((x) => x.name === nicName);
    const subnetId = n?.ipConfigurations[0]?.subnetId ?? '';
    return {
      source: { type: 'nic', id: n?.id ?? '', name: nicName }, subnet: { id: subnetId, name: subnetId.split('/').pop() ?? '' },
      observed: [{ destination: '140.82.112.3', port: 443, protocol: 'TCP', action: 'allow', flows: 1, bytes: both, bytesSent: sent, firstSeen: '2024-05-01T00:00:00.000Z', lastSeen: '2024-05-04T01:00:00.000Z', rule: null, model: 'allowed' }],
    };
  };
  const traffic: TrafficResult = {
    schema: TRAFFIC_SCHEMA, window: { from: '2024-05-01T00:00:00.000Z', to: '2024-05-04T01:00:00.000Z' },
    sources: [obs('nic-vm-settle-batch-01', 10 * GIB, 12 * GIB), obs('nic-vm-payapi-01', 5 * GIB, 5 * GIB), obs('nic-vm-cardauth-01', 3 * GIB, 3 * GIB),
      obs('nic-vm-settle-db-01', 2 * GIB, 2 * GIB), obs('nic-vm-payrpt-01', 5 * GIB, 5 * GIB)],
    unattributed: [], findings: [], gaps: [],
  };
  const result = estimateCost(bank, resolved, { traffic, fallbackRegion: 'eastus' });

  it('prices each share at the zone\'s average rate, citing the egress price date', () => {
    expect(result.internetEgress).toEqual([expect.objectContaining({ zone: 'zone-1', monthlyGb: 250, freeAllowanceGb: 100, complete: true })]);
    expect(result.internetEgress[0]?.monthlyUsd).toBeCloseTo(13.05, 6);
    const batch = pathCost(result, 'snet-settlement-batch');
    expect(line(batch, 'internet-egress')?.monthlyUsd).toBeCloseTo(5.22, 6);
    expect(line(batch, 'internet-egress')?.price?.priceDate).toBe('2026');
    expect(line(batch, 'nat-gateway-data')?.monthlyUsd).toBeCloseTo(5.4, 6);
    expect(line(batch, 'firewall-data')?.monthlyUsd).toBeCloseTo(1.92, 6);
    const reporting = pathCost(result, 'snet-payments-reporting');
    expect(line(reporting, 'internet-egress')?.monthlyUsd).toBeCloseTo(2.61, 6);
    expect(reporting.complete).toBe(true);
    expect(result.gaps.some((g) => g.scope === 'zone-1')).toBe(false);
  });
});
