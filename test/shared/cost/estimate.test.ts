/**
 * estimateCost on the bank demo against hand-computed figures. The bank: four workload subnets go
 * through the hub firewall afw-hub-weu (Premium) and out of the hub NAT gateway ng-hub-egress-weu
 * (two Standard public IPs); the firewall has one Standard public IP; snet-payments-reporting uses
 * default outbound access (no priced resource); ng-card-auth-weu (+ 1 public IP) is bypassed.
 * Everything is in westeurope (egress zone 1).
 *
 * Fixed monthly costs at 730 h (with --fallback-region eastus for the regional prices):
 *   ng-hub-egress-weu 730 × 0.045 = 32.85; its 2 public IPs 2 × 730 × 0.005 = 7.30;
 *   afw-hub-weu Premium 730 × 1.75 = 1,277.50; its public IP 3.65.
 *   Pool on the 4 firewall paths = 32.85 + 7.30 + 1,277.50 + 3.65 = 1,321.30 → 330.325 each (even).
 *   Unused: ng-card-auth-weu 32.85 + its public IP 3.65 = 36.50.
 */
import { describe, expect, it } from 'vitest';
import { BYTES_PER_GB, COST_SCHEMA, estimateCost } from '../../../shared/cost/index';
import type { CostResult, SourceCost } from '../../../shared/cost/index';
import { resolveEgress } from '../../../shared/egress/index';
import type { ResolveInput } from '../../../shared/egress/index';
import { TRAFFIC_SCHEMA } from '../../../shared/traffic/index';
import type { ObservedDestination, TrafficResult, TrafficSource } from '../../../shared/traffic/index';
import { demoInput } from '../policy/support';

const GIB = BYTES_PER_GB;
// A 73-hour window: bytes × 730 / 73 = bytes × 10 per month.
const WINDOW = { from: '2024-05-01T00:00:00.000Z', to: '2024-05-04T01:00:00.000Z' };

const bank = demoInput('bank');
const resolved = resolveEgress(bank);

function nic(name: string): { id: string; subnetId: string } {
  const n = bank.model.networkInterfaces.find((x) => x.name === name);
  const subnetId = n?.ipConfigurations[0]?.subnetId;
  if (!n || !subnetId) throw new Error(`no NIC ${name}`);
  return { id: n.id, subnetId };
}

function observed(destination: string, bytes: number | null, action: 'allow' | 'deny' = 'allow'): ObservedDestination {
  return { destination, port: 443, protocol: 'TCP', action, flows: 1, bytes, firstSeen: WINDOW.from, lastSeen: WINDOW.to, rule: null, model: 'allowed' };
}

function source(nicName: string, obs: readonly ObservedDestination[]): TrafficSource {
  const n = nic(nicName);
  return { source: { type: 'nic', id: n.id, name: nicName }, subnet: { id: n.subnetId, name: n.subnetId.split('/').pop() ?? '' }, observed: obs };
}

function traffic(sources: readonly TrafficSource[]): TrafficResult {
  return { schema: TRAFFIC_SCHEMA, window: WINDOW, sources, unattributed: [], findings: [], gaps: [] };
}

function pathCost(result: CostResult, name: string): SourceCost {
  const s = result.sources.find((x) => x.source.name === name);
  if (!s) throw new Error(`no source ${name}`);
  return s;
}

const line = (s: SourceCost, item: string, resource?: string) => s.lines.find((l) => l.item === item && (resource === undefined || l.resource?.name === resource));

describe('estimateCost: flow-log bytes, even split', () => {
  // Window bytes (× 10 = per month): settle-batch 10 GiB → 100 GB; payapi-01 5 GiB public → 50 GB
  // (its 1 GiB to 10.130.1.4 is private and its denied bytes do not leave); payrpt-01 5 GiB → 50 GB.
  const result = estimateCost(bank, resolved, {
    fallbackRegion: 'eastus',
    traffic: traffic([
      source('nic-vm-settle-batch-01', [observed('185.40.56.10', 10 * GIB)]),
      source('nic-vm-payapi-01', [observed('140.82.112.3', 5 * GIB), observed('10.130.1.4', GIB), observed('198.51.100.7', 2 * GIB, 'deny')]),
      source('nic-vm-payrpt-01', [observed('52.239.10.20', 5 * GIB)]),
    ]),
  });

  it('computes each path by hand', () => {
    expect(result.schema).toBe(COST_SCHEMA);
    expect(result.bytesFrom).toBe('flow-logs');
    // Internet egress, zone 1: the known 100 + 50 + 50 = 200 GB → 100 × 0 + 100 × 0.087 = 8.70, a lower
    // bound: snet-settlement-db and snet-card-auth have no bytes, so the account's total (which the tiers
    // and the one first-100-GB allowance apply to, destinations.md §8.1) is unknown.
    expect(result.internetEgress).toHaveLength(1);
    expect(result.internetEgress[0]?.monthlyGb).toBeCloseTo(200, 6);
    expect(result.internetEgress[0]?.monthlyUsd).toBeCloseTo(8.7, 6);
    expect(result.internetEgress[0]?.complete).toBe(false);

    // settlement-batch, 100 GB: 330.325 + NAT 100 × 0.045 = 4.50 + firewall 100 × 0.016 = 1.60 → 336.425;
    // its share of internet egress is missing (the account's total is unknown), and so is the VNet
    // peering to the hub (§8.1: cross-VNet hops add VNet peering per GB; the table has no such price).
    const batch = pathCost(result, 'snet-settlement-batch');
    expect(batch.monthlyGb).toBeCloseTo(100, 6);
    expect(line(batch, 'nat-gateway-data')?.monthlyUsd).toBeCloseTo(4.5, 6);
    expect(line(batch, 'firewall-data')?.monthlyUsd).toBeCloseTo(1.6, 6);
    expect(line(batch, 'internet-egress')?.quantity).toBeCloseTo(100, 6);
    expect(line(batch, 'internet-egress')?.monthlyUsd).toBeNull();
    expect(line(batch, 'vnet-peering-data')?.resource?.name).toBe('peer-vnet-settlement-weu-to-hub');
    expect(line(batch, 'vnet-peering-data')?.monthlyUsd).toBeNull();
    expect(line(batch, 'firewall-hours')?.monthlyUsd).toBeCloseTo(1277.5 / 4, 6);
    expect(line(batch, 'nat-gateway-hours')?.split).toEqual({ method: 'even', among: 4, share: 0.25 });
    expect(batch.monthlyUsd).toBeCloseTo(336.425, 6);
    expect(batch.complete).toBe(false);
    expect(batch.bytes.kind).toBe('flow-logs');
    expect(batch.bytes.description).toContain('73 h');

    // payments-api, 50 GB: 330.325 + 50 × 0.045 = 2.25 + 50 × 0.016 = 0.80 → 333.375 (+ missing egress share, peering)
    expect(pathCost(result, 'snet-payments-api').monthlyUsd).toBeCloseTo(333.375, 6);
    // payments-reporting (default outbound), 50 GB: egress only, its share missing.
    const reporting = pathCost(result, 'snet-payments-reporting');
    expect(reporting.lines.map((l) => l.item)).toEqual(['internet-egress']);
    expect(reporting.monthlyUsd).toBe(0);
    expect(reporting.complete).toBe(false);
  });

  it('says which price and which bytes every figure used', () => {
    const batch = pathCost(result, 'snet-settlement-batch');
    const fw = line(batch, 'firewall-hours');
    expect(fw?.price).toMatchObject({ usdPerUnit: 1.75, pricedAt: 'eastus', substituted: true });
    expect(fw?.price?.priceDate).toMatch(/^no date/);
    expect(line(batch, 'nat-gateway-hours')?.price).toMatchObject({ pricedAt: 'Global', substituted: false });
    expect(line(batch, 'internet-egress')?.missing).toMatch(/account's total GB, unknown while 2 costed source\(s\) have no bytes/);
    for (const l of batch.lines.filter((x) => x.unit === 'GB')) expect(l.bytes).toMatch(/^flow logs: 10737418240 B/);
    expect(result.method.notes.join(' ')).toContain('evenly');
  });

  it('leaves sources without bytes incomplete, with null figures, never 0', () => {
    const db = pathCost(result, 'snet-settlement-db');
    expect(db.bytes.kind).toBe('none');
    expect(db.monthlyGb).toBeNull();
    expect(line(db, 'nat-gateway-data')?.monthlyUsd).toBeNull();
    expect(line(db, 'internet-egress')?.missing).toMatch(/^no bytes: no log records/);
    expect(db.monthlyUsd).toBeCloseTo(330.325, 6);
    expect(db.complete).toBe(false);
    // And the zone's egress figure says it is a lower bound (the account's total is unknown, §8.1).
    expect(result.gaps.filter((g) => g.code === 'bytes-missing').map((g) => g.scope.split('/').pop()).sort()).toEqual(['snet-card-auth', 'snet-settlement-db', 'zone-1']);
  });

  it('rolls up by owner and cost centre: variable cost follows the NIC, fixed the path; unused resources their own tags', () => {
    const owner = new Map(result.rollups.owner.map((r) => [r.key, r.monthlyUsd]));
    // settlement-ops: batch 336.425 + db 330.325 = 666.75 (internet egress shares missing: see above)
    expect(owner.get('settlement-ops@contoso-bank.example')).toBeCloseTo(666.75, 6);
    // card-auth-team: card-auth path 330.325 + bypassed ng-card-auth-weu 32.85 + its IP 3.65 = 366.825
    expect(owner.get('card-auth-team@contoso-bank.example')).toBeCloseTo(366.825, 6);
    // payments-team (the VNet's tag): payments-api 333.375 (payapi-01 is payments-team too)
    expect(owner.get('payments-team@contoso-bank.example')).toBeCloseTo(333.375, 6);
    // payments-bi (nic-vm-payrpt-01's own tag): the reporting subnet's egress, missing (0 known), not complete
    expect(owner.get('payments-bi@contoso-bank.example')).toBe(0);
    expect(result.rollups.owner.find((r) => r.key === 'payments-bi@contoso-bank.example')?.complete).toBe(false);
    expect(new Map(result.rollups.costCentre.map((r) => [r.key, r.monthlyUsd])).get('CC-2290-BI')).toBe(0);
    expect(result.unattributed.monthlyUsd).toBeCloseTo(36.5, 6);
    // Total: 336.425 + 333.375 + 0 + 2 × 330.325 + 36.50 = 1,366.95
    expect(result.total.monthlyUsd).toBeCloseTo(1366.95, 6);
    expect(result.total.complete).toBe(false);
    const sum = result.rollups.owner.reduce((n, r) => n + r.monthlyUsd, 0);
    expect(sum).toBeCloseTo(result.total.monthlyUsd, 6);
  });

  it('lists platform subnets as not costed', () => {
    expect(result.notCosted.map((n) => n.source.split('/').pop()).sort()).toEqual(['azurefirewallsubnet', 'gatewaysubnet']);
    expect(result.notCosted[0]?.reason).toMatch(/^platform subnet/);
  });
});

describe('estimateCost: split by bytes', () => {
  // Per month: batch 100, payapi 50, cardauth 30, db 20 GB (window bytes × 10) → 200 GB on the pool.
  const result = estimateCost(bank, resolved, {
    fallbackRegion: 'eastus',
    split: 'bytes',
    traffic: traffic([
      source('nic-vm-settle-batch-01', [observed('185.40.56.10', 10 * GIB)]),
      source('nic-vm-payapi-01', [observed('140.82.112.3', 5 * GIB)]),
      source('nic-vm-cardauth-01', [observed('140.82.112.3', 3 * GIB)]),
      source('nic-vm-settle-db-01', [observed('140.82.112.3', 2 * GIB)]),
    ]),
  });

  it('divides the 1,321.30 pool by share of bytes', () => {
    // batch 100/200 × 1,321.30 = 660.65; payapi 50/200 → 330.325; cardauth 30/200 → 198.195; db 20/200 → 132.13
    const fixed = (name: string): number => pathCost(result, name).lines.filter((l) => l.unit === 'hour').reduce((n, l) => n + (l.monthlyUsd ?? 0), 0);
    expect(fixed('snet-settlement-batch')).toBeCloseTo(660.65, 6);
    expect(fixed('snet-payments-api')).toBeCloseTo(330.325, 6);
    expect(fixed('snet-card-auth')).toBeCloseTo(198.195, 6);
    expect(fixed('snet-settlement-db')).toBeCloseTo(132.13, 6);
    expect(line(pathCost(result, 'snet-card-auth'), 'firewall-hours')?.split).toEqual({ method: 'bytes', among: 4, share: 0.15 });
    // Egress: the four paths' 200 GB → 100 × 0.087 = 8.70, a lower bound: snet-payments-reporting has no
    // bytes, so the account's total is unknown and each path's share of it is missing (destinations.md §8.1).
    expect(result.internetEgress[0]?.monthlyUsd).toBeCloseTo(8.7, 6);
    expect(line(pathCost(result, 'snet-card-auth'), 'internet-egress')?.monthlyUsd).toBeNull();
    // Each of them also crosses a VNet peering to the hub, which has no price in the table (§8.1): not complete.
    for (const name of ['snet-settlement-batch', 'snet-payments-api', 'snet-card-auth', 'snet-settlement-db']) {
      expect(line(pathCost(result, name), 'vnet-peering-data')?.missing).toMatch(/^no VNet peering per-GB price/);
      expect(pathCost(result, name).complete).toBe(false);
    }
    // The reporting subnet had no records: incomplete, so the total is too.
    expect(pathCost(result, 'snet-payments-reporting').complete).toBe(false);
    expect(result.total.complete).toBe(false);
  });
});

describe('estimateCost: bytes from NAT gateway metrics', () => {
  const nat = bank.model.natGateways.find((n) => n.name === 'ng-hub-egress-weu');
  if (!nat) throw new Error('no hub NAT gateway');
  // ByteCount 40 GiB in 73 h → 400 GB/month, divided evenly among the 4 paths using it: 100 GB each.
  const withMetrics: ResolveInput = {
    ...bank,
    metrics: [{ resourceId: nat.id, metricName: 'ByteCount', filter: null, aggregation: 'Total', windowStart: WINDOW.from, windowEnd: WINDOW.to, value: 40 * GIB, unit: 'Bytes' }],
  };
  const result = estimateCost(withMetrics, resolveEgress(withMetrics), { fallbackRegion: 'eastus' });

  it('uses the metric and says so', () => {
    expect(result.bytesFrom).toBe('metrics');
    const db = pathCost(result, 'snet-settlement-db');
    expect(db.bytes).toMatchObject({ kind: 'metrics', metric: 'ByteCount', sharedAmong: 4, scale: 10 });
    expect(db.monthlyGb).toBeCloseTo(100, 6);
    // NAT 100 × 0.045 = 4.50; firewall 100 × 0.016 = 1.60; egress: 400 GB → 300 × 0.087 = 26.10 for the
    // zone, a lower bound: the reporting subnet has no bytes, so the account's total is unknown and the
    // path's share (6.525, were 400 GB the account's whole total) is missing (destinations.md §8.1).
    expect(line(db, 'nat-gateway-data')?.monthlyUsd).toBeCloseTo(4.5, 6);
    expect(result.internetEgress[0]?.monthlyUsd).toBeCloseTo(26.1, 6);
    expect(line(db, 'internet-egress')?.monthlyUsd).toBeNull();
    expect(db.monthlyUsd).toBeCloseTo(330.325 + 4.5 + 1.6, 6);
    expect(line(db, 'nat-gateway-data')?.bytes).toMatch(/^metric ByteCount \(Total\) of ng-hub-egress-weu/);
    // The default-outbound subnet has no metered resource: its bytes are missing.
    expect(pathCost(result, 'snet-payments-reporting').bytes.kind).toBe('none');
  });
});

describe('estimateCost: prices the table lacks', () => {
  const result = estimateCost(bank, resolved, {});

  it('reports a westeurope firewall and public IPs as missing, not 0, without a fallback region', () => {
    const batch = pathCost(result, 'snet-settlement-batch');
    const fw = line(batch, 'firewall-hours');
    expect(fw?.monthlyUsd).toBeNull();
    expect(fw?.price).toBeNull();
    expect(fw?.missing).toContain('no westeurope price for Azure Firewall Premium deployment');
    expect(line(batch, 'public-ip-hours', 'pip-afw-hub-weu')?.monthlyUsd).toBeNull();
    // The NAT gateway meter is Global: 32.85 / 4 = 8.2125
    expect(line(batch, 'nat-gateway-hours')?.monthlyUsd).toBeCloseTo(8.2125, 9);
    expect(result.bytesFrom).toBe('none');
    expect(result.gaps.some((g) => g.code === 'price-missing' && g.scope.endsWith('azurefirewalls/afw-hub-weu'))).toBe(true);
    expect(result.total.complete).toBe(false);
    // Priced: 4 × 8.2125 + the unused NAT gateway's 32.85 = 65.70 (every IP and the firewall missing).
    expect(result.total.monthlyUsd).toBeCloseTo(65.7, 6);
  });
});

describe('estimateCost: other path shapes', () => {
  it('prices a NIC path\'s own public IP in full and names its NIC owner (manufacturer build agents)', () => {
    const mfg = demoInput('manufacturer');
    const result = estimateCost(mfg, resolveEgress(mfg), { fallbackRegion: 'eastus' });
    const agent = pathCost(result, 'nic-vm-build-agent-01');
    expect(agent.source.type).toBe('nic');
    expect(agent.owner).toBe('devex@fabrikam-mfg.example');
    // Its own public IP, used by it alone: 730 h × 0.005 = 3.65.
    const pip = line(agent, 'public-ip-hours', 'pip-vm-build-agent-01');
    expect(pip?.monthlyUsd).toBeCloseTo(3.65, 9);
    expect(pip?.split).toEqual({ method: 'even', among: 1, share: 1 });
    // A public IP prefix has no confirmed price: a gap, not 0.
    expect(result.resources.find((r) => r.kind === 'public-ip-prefix')?.monthlyFixedUsd).toBeNull();
    expect(result.gaps.some((g) => g.code === 'price-missing' && g.message.startsWith('public IP prefix'))).toBe(true);
  });

  it('says what it does not price: load balancer outbound (health)', () => {
    const health = demoInput('health');
    const result = estimateCost(health, resolveEgress(health), {});
    expect(result.gaps.some((g) => g.code === 'not-costed' && g.scope.endsWith('nic-vm-labweb-01') && g.message.startsWith('load balancer outbound'))).toBe(true);
  });
});
