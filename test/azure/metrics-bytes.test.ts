/**
 * `pull --metrics` bytes for cost attribution (issue 13): the NAT gateway `ByteCount` (Total, split
 * by `Direction`) and Azure Firewall `DataProcessed` (Total) read with the real ARM pipeline from
 * the fake ARM server's Azure Monitor endpoint (REST shape: value[].name.value, unit,
 * timeseries[].metadatavalues, data[].total), kept in the snapshot with their 24 h window, and
 * priced by `egress-atlas cost` on the pulled file, checked against figures worked out by hand.
 * Missing data, 403 and 429 become gaps, never 0 bytes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/cli/command';
import { runCli } from '../../electron/cli/main';
import { metricQueries, metricRecords, metricsPath, METRICS_WINDOW_HOURS } from '../../electron/azure/metrics';
import { pullEstate, type PullOutcome } from '../../electron/azure/pull';
import { virtualClock } from '../../electron/azure/clock';
import { demoEstate } from '../../electron/azure/fake-arm/demo';
import type { FakeEstate, FakeFaults } from '../../electron/azure/fake-arm/server';
import { toResourceId } from '../../shared/model/ids';
import type { NetworkModel } from '../../shared/model/topology';
import type { CostResult, SourceCost } from '../../shared/cost/index';
import type { Snapshot } from '../../shared/model/snapshot';
import { smallEstate, startFakeArm, type FakeArm } from '../fake-arm';
import { recordingCredential } from '../electron/azure/helpers';

const MIB = 1024 ** 2;

function idOf(estate: FakeEstate, name: string): string {
  const r = estate.resources.find((x) => x.name === name);
  if (!r) throw new Error(`no ${name} in the estate`);
  return r.id;
}

/**
 * The small pull estate with bytes: ng-apps (snet-batch only) 50 MiB out + 150 MiB in per hour;
 * ng-hub (on AzureFirewallSubnet, behind afw-hub for snet-shared / snet-web / snet-api) 10 MiB out
 * per hour and no In series; afw-hub 100 MiB processed per hour.
 */
/**
 * The hub gateway with static routing: these pulls read no effective routes, and with a BGP gateway
 * whether on-premises advertises 0.0.0.0/0 would be unknown (the paths, and so their cost, `unknown`).
 */
function withStaticRouting(estate: FakeEstate): FakeEstate {
  return { ...estate, resources: estate.resources.map((r) => (r.type === 'Microsoft.Network/virtualNetworkGateways' ? { ...r, properties: { ...r.properties, enableBgp: false } } : r)) };
}

function bytesEstate(): FakeEstate {
  const base = withStaticRouting(smallEstate());
  const metrics = new Map(base.metrics);
  const ngApps = idOf(base, 'ng-apps').toLowerCase();
  metrics.set(`${ngApps}|bytecount|direction=Out`, Array.from({ length: 24 }, () => 50 * MIB));
  metrics.set(`${ngApps}|bytecount|direction=In`, Array.from({ length: 24 }, () => 150 * MIB));
  metrics.set(`${idOf(base, 'ng-hub').toLowerCase()}|bytecount|direction=Out`, Array.from({ length: 24 }, () => 10 * MIB));
  metrics.set(`${idOf(base, 'afw-hub').toLowerCase()}|dataprocessed`, Array.from({ length: 24 }, () => 100 * MIB));
  return { ...base, metrics };
}

function captureIo(cwd: string): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { cwd, isTTY: false, env: {}, stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, out: () => out, err: () => err };
}

const bySource = (result: CostResult, name: string): SourceCost => {
  const s = result.sources.find((x) => x.source.name === name);
  if (!s) throw new Error(`no cost for ${name}`);
  return s;
};

describe('the Azure Monitor request and answer', () => {
  it('asks for ByteCount split by Direction and DataProcessed, Total, hourly, over the window', () => {
    const model = { natGateways: [{ id: toResourceId('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng') }], azureFirewalls: [{ id: toResourceId('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/fw') }] } as unknown as NetworkModel;
    const queries = metricQueries(model);
    expect(queries.map((q) => q.metricName)).toEqual(['SNATConnectionCount', 'PacketDropCount', 'ByteCount', 'SNATPortUtilization', 'DataProcessed']);
    const byteCount = queries.find((q) => q.metricName === 'ByteCount');
    const dataProcessed = queries.find((q) => q.metricName === 'DataProcessed');
    if (!byteCount || !dataProcessed) throw new Error('queries missing');
    const url = new URL(`https://management.azure.com${metricsPath(byteCount, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z')}`);
    expect(url.pathname).toBe('/subscriptions/s/resourcegroups/rg/providers/microsoft.network/natgateways/ng/providers/Microsoft.Insights/metrics');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      'api-version': '2023-10-01', metricnames: 'ByteCount', timespan: '2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z',
      aggregation: 'Total', interval: 'PT1H', $filter: "Direction eq '*'",
    });
    const fw = new URL(`https://management.azure.com${metricsPath(dataProcessed, 'a', 'b')}`);
    expect(fw.searchParams.get('metricnames')).toBe('DataProcessed');
    expect(fw.searchParams.get('aggregation')).toBe('Total');
    expect(fw.searchParams.has('$filter')).toBe(false);
  });

  it('keeps the total and one record per Direction; an answer without points is missing, not 0', () => {
    const q = { resourceId: toResourceId('/x/natGateways/ng'), metricName: 'ByteCount', aggregation: 'Total' as const, filter: null, splitBy: 'Direction', bytes: true };
    // The shape Azure Monitor answers a split query with (dimension names in lower case).
    const body = {
      value: [{
        name: { value: 'ByteCount', localizedValue: 'Bytes' }, unit: 'Bytes',
        timeseries: [
          { metadatavalues: [{ name: { value: 'direction', localizedValue: 'direction' }, value: 'Out' }], data: [{ timeStamp: 't0', total: 100 }, { timeStamp: 't1', total: 20 }] },
          { metadatavalues: [{ name: { value: 'direction', localizedValue: 'direction' }, value: 'In' }], data: [{ timeStamp: 't0', total: 300 }, { timeStamp: 't1' }] },
        ],
      }],
    };
    const read = metricRecords(q, body, 'a', 'b');
    expect(read).toEqual({ records: [
      expect.objectContaining({ filter: null, value: 420, unit: 'Bytes', windowStart: 'a', windowEnd: 'b' }),
      expect.objectContaining({ filter: "Direction eq 'In'", value: 300 }),
      expect.objectContaining({ filter: "Direction eq 'Out'", value: 120 }),
    ] });
    expect(metricRecords(q, { value: [{ name: { value: 'ByteCount' }, unit: 'Bytes', timeseries: [] }] }, 'a', 'b')).toEqual({ missing: expect.stringMatching(/no ByteCount data points .*not taken as 0/) });
    expect(metricRecords(q, { value: [] }, 'a', 'b')).toEqual({ missing: 'Azure Monitor returned no ByteCount series.' });
  });
});

describe('the fake ARM server answers in the Azure Monitor shape', () => {
  let fake: FakeArm;
  beforeAll(async () => {
    fake = await startFakeArm({ estate: bytesEstate() });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('splits ByteCount by Direction (metadatavalues) and sums the series when not split', async () => {
    const ng = idOf(smallEstate(), 'ng-apps');
    const get = async (filter: string | null): Promise<{ value: { name: { value: string }; unit: string; timeseries: { metadatavalues: { name: { value: string }; value: string }[]; data: { timeStamp: string; total?: number }[] }[] }[] }> => {
      const params = new URLSearchParams({ 'api-version': '2023-10-01', metricnames: 'ByteCount', timespan: '2026-03-01T00:00:00.000Z/2026-03-02T00:00:00.000Z', aggregation: 'Total', interval: 'PT1H' });
      if (filter !== null) params.set('$filter', filter);
      const res = await fetch(`${fake.url}${ng}/providers/Microsoft.Insights/metrics?${params.toString()}`);
      expect(res.status).toBe(200);
      return await res.json() as never;
    };
    const split = await get("Direction eq '*'");
    expect(split.value[0]).toMatchObject({ name: { value: 'ByteCount' }, unit: 'Bytes' });
    const series = split.value[0]?.timeseries ?? [];
    expect(series.map((s) => s.metadatavalues.map((m) => [m.name.value, m.value]))).toEqual([[['direction', 'Out']], [['direction', 'In']]]);
    expect(series[0]?.data[0]).toEqual({ timeStamp: '2026-03-01T00:00:00.000Z', total: 50 * MIB });
    expect(series[0]?.data).toHaveLength(24);
    const whole = await get(null);
    expect(whole.value[0]?.timeseries).toHaveLength(1);
    expect(whole.value[0]?.timeseries[0]?.metadatavalues).toEqual([]);
    expect(whole.value[0]?.timeseries[0]?.data[5]?.total).toBe(200 * MIB);
  });

  it('the demo estate has bytes for every NAT gateway (In and Out) and every firewall', () => {
    const estate = demoEstate();
    const metrics = estate.metrics ?? new Map<string, readonly number[]>();
    const of = (type: string): string[] => estate.resources.filter((r) => r.type.toLowerCase() === type).map((r) => r.id.toLowerCase());
    const nats = of('microsoft.network/natgateways');
    const firewalls = of('microsoft.network/azurefirewalls');
    expect(nats.length).toBeGreaterThan(0);
    expect(firewalls.length).toBeGreaterThan(0);
    for (const id of nats) {
      for (const d of ['Out', 'In']) expect(metrics.get(`${id}|bytecount|direction=${d}`)?.every((v) => Number.isInteger(v) && v > 0)).toBe(true);
    }
    for (const id of firewalls) expect(metrics.get(`${id}|dataprocessed`)?.every((v) => Number.isInteger(v) && v > 0)).toBe(true);
  });
});

describe('pull --metrics, then cost on the pulled snapshot', () => {
  let fake: FakeArm;
  let dir: string;
  let snapshot: Snapshot;
  let result: CostResult;
  beforeAll(async () => {
    fake = await startFakeArm({ estate: bytesEstate() });
    dir = await mkdtemp(join(tmpdir(), 'egress-atlas-metrics-bytes-'));
    const pull = captureIo(dir);
    expect(await runCli(['pull', '--arm-endpoint', fake.url, '--access-token', 'token', '--metrics', '--effective-routes', 'none', '--out', 'snap.json'], pull)).toBe(0);
    snapshot = JSON.parse(await readFile(join(dir, 'snap.json'), 'utf8')) as Snapshot;
    const cost = captureIo(dir);
    expect(await runCli(['cost', 'snap.json', '--fallback-region', 'eastus', '--format', 'json'], cost)).toBe(0);
    expect(cost.err()).toBe('');
    result = JSON.parse(cost.out()) as CostResult;
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the snapshot carries ByteCount (total, In, Out) and DataProcessed over one 24 h window, read with GETs only', () => {
    expect(fake.stats.mutations).toBe(0);
    // 2 NAT gateways × 3 metrics + 1 firewall × 2, each one GET of …/providers/Microsoft.Insights/metrics.
    const metricRequests = fake.stats.log.filter((r) => /\/providers\/microsoft\.insights\/metrics$/i.test(r.path));
    expect(metricRequests).toHaveLength(8);
    expect(metricRequests.every((r) => r.method === 'GET' && r.status === 200)).toBe(true);
    const bytes = snapshot.metrics.filter((m) => m.unit === 'Bytes');
    const ngApps = idOf(smallEstate(), 'ng-apps').toLowerCase();
    expect(bytes.filter((m) => m.resourceId.toLowerCase() === ngApps).map((m) => [m.metricName, m.filter, m.aggregation, m.value])).toEqual([
      ['ByteCount', null, 'Total', 24 * 200 * MIB],
      ['ByteCount', "Direction eq 'In'", 'Total', 24 * 150 * MIB],
      ['ByteCount', "Direction eq 'Out'", 'Total', 24 * 50 * MIB],
    ]);
    expect(bytes.find((m) => m.metricName === 'DataProcessed')).toMatchObject({ filter: null, aggregation: 'Total', value: 24 * 100 * MIB });
    for (const m of snapshot.metrics) {
      expect(Date.parse(m.windowEnd) - Date.parse(m.windowStart)).toBe(METRICS_WINDOW_HOURS * 3_600_000);
      expect(m.windowEnd).toBe(snapshot.metrics[0]?.windowEnd);
    }
    expect(snapshot.gaps.filter((g) => g.code === 'metrics-unavailable')).toEqual([]);
  });

  it('prices NAT gateway data processed from ByteCount: 4,800 MiB in 24 h → 142.578125 GB/month × $0.045', () => {
    expect(result.bytesFrom).toBe('metrics');
    const batch = bySource(result, 'snet-batch');
    // 24 h × (50 + 150) MiB = 5,033,164,800 B; × 730 / 24 = 153,090,429,000 B = 142.578125 GiB per month.
    expect(batch.bytes).toMatchObject({ kind: 'metrics', metric: 'ByteCount', resourceBytes: 5_033_164_800, sharedAmong: 1, scale: 30.416667 });
    expect(batch.monthlyGb).toBe(142.578125);
    const nat = batch.lines.find((l) => l.item === 'nat-gateway-data');
    expect(nat).toMatchObject({ quantity: 142.578125, unit: 'GB', monthlyUsd: 6.416016, missing: null });
    expect(nat?.price?.usdPerUnit).toBe(0.045);
    expect(nat?.bytes).toMatch(/^metric ByteCount \(Total\) of ng-apps: 5033164800 B in 24 h .*both directions, In \+ Out/);
  });

  it('prices internet egress on the Out series only: 1,200 MiB in 24 h → 35.644531 GB/month, inside the free 100 GB', () => {
    const batch = bySource(result, 'snet-batch');
    expect(batch.bytes).toMatchObject({ outboundBytes: 24 * 50 * MIB });
    const egress = batch.lines.find((l) => l.item === 'internet-egress');
    // 1,258,291,200 B × 730 / 24 / 2^30 = 35.64453125 GB.
    expect(egress?.quantity).toBe(35.644531);
    expect(egress?.bytes).toContain('internet egress on the Direction Out series: 1258291200 B');
    // Zone 1: snet-batch 35.64453125 + 3 × ng-hub's 240 MiB × 730 / 24 / 3 = 7.12890625 → 42.773438 GB, free on
    // the known GB. snet-pe has no metered resource (no bytes), so the account's total, which the tiers and
    // the one first-100-GB allowance apply to (destinations.md §8.1), is unknown: $0 is a lower bound for the
    // zone, and each source's share is missing, not $0.
    expect(result.internetEgress).toEqual([expect.objectContaining({ zone: 'zone-1', monthlyGb: 42.773438, monthlyUsd: 0, sources: 4, complete: false })]);
    expect(egress?.monthlyUsd).toBeNull();
    expect(egress?.missing).toMatch(/^share unknown: .* unknown while 1 costed source\(s\) have no bytes/);
  });

  it('without the Out series (an older snapshot) internet egress falls back to the total, said to be an upper bound', async () => {
    const { estimateCost } = await import('../../shared/cost/index');
    const { resolveEgress } = await import('../../shared/egress/index');
    const input = { ...snapshot, metrics: snapshot.metrics.filter((m) => m.filter === null || !m.filter.startsWith('Direction')) };
    const cost = estimateCost(input, resolveEgress(input), { fallbackRegion: 'eastus' });
    const batch = bySource(cost, 'snet-batch');
    expect(batch.bytes).toMatchObject({ kind: 'metrics', resourceBytes: 5_033_164_800, outboundBytes: null });
    expect(batch.bytes.description).toContain('internet egress on the same bytes: an upper bound');
    // Zone 1: 142.578125 + 7.12890625 = 149.70703125 GB; (149.70703125 − 100) × $0.087 = $4.324512, a lower
    // bound: snet-pe has no bytes, so the account's total is unknown (§8.1) and snet-batch's share (20/21 of it
    // were this the whole total) is missing.
    expect(cost.internetEgress).toEqual([expect.objectContaining({ zone: 'zone-1', monthlyGb: 149.707031, monthlyUsd: 4.324512, complete: false })]);
    const egress = batch.lines.find((l) => l.item === 'internet-egress');
    expect(egress?.quantity).toBe(142.578125);
    expect(egress?.monthlyUsd).toBeNull();
  });

  it('cost takes the unfiltered total, whatever the order; of two windows (merged snapshots) the later', async () => {
    const { estimateCost } = await import('../../shared/cost/index');
    const { resolveEgress } = await import('../../shared/egress/index');
    const ngApps = idOf(smallEstate(), 'ng-apps').toLowerCase();
    const older = snapshot.metrics
      .filter((m) => m.resourceId.toLowerCase() === ngApps && m.metricName === 'ByteCount')
      .map((m) => ({ ...m, windowStart: '2026-01-01T00:00:00.000Z', windowEnd: '2026-01-02T00:00:00.000Z', value: m.value * 3 }));
    const input = { ...snapshot, metrics: [...snapshot.metrics].reverse().concat(older) };
    const batch = bySource(estimateCost(input, resolveEgress(input), { fallbackRegion: 'eastus' }), 'snet-batch');
    expect(batch.bytes).toMatchObject({ kind: 'metrics', resourceBytes: 5_033_164_800 });
    expect(batch.monthlyGb).toBe(142.578125);
  });

  it('shares a NAT gateway behind the firewall evenly: 240 MiB in 24 h ÷ 3 sources', () => {
    const web = bySource(result, 'snet-web');
    // 24 × 10 MiB = 251,658,240 B × 730 / 24 / 3 = 2,551,507,150 B/month = 2.376302 GiB.
    expect(web.bytes).toMatchObject({ kind: 'metrics', metric: 'ByteCount', resourceBytes: 251_658_240, sharedAmong: 3 });
    expect(web.monthlyGb).toBe(2.376302);
    expect(web.lines.find((l) => l.item === 'nat-gateway-data')?.monthlyUsd).toBe(0.106934); // 2.3763020833 × 0.045
    expect(web.lines.find((l) => l.item === 'firewall-data')?.monthlyUsd).toBe(0.038021); // × 0.016 (Standard, eastus substituted)
  });
});

describe('missing, forbidden and throttled metrics are gaps', () => {
  let fake: FakeArm | null = null;
  let dispose: (() => void) | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
    dispose?.();
    dispose = null;
  });

  async function pullWith(estate: FakeEstate, faults: Partial<FakeFaults> = {}): Promise<PullOutcome> {
    const clock = virtualClock();
    dispose = clock.dispose;
    fake = await startFakeArm({ estate, faults, clock });
    return pullEstate({
      cloud: 'AzurePublicCloud', tenantId: null, subscriptionIds: [], effectiveRoutes: 'none', metrics: true, demoAzure: false,
      armEndpoint: fake.url, credential: recordingCredential(), clock,
      budgets: { lroPollIntervalMs: 5, requestTimeoutMs: 60_000, baseRetryDelayMs: 20, maxRetryDelayMs: 200, graphPageSize: 5 },
    }, () => undefined);
  }

  const NG_APPS_METRICS = /^GET .*\/natGateways\/ng-apps\/providers\/Microsoft\.Insights\/metrics$/i;

  it('403 on a NAT gateway\'s metrics: gaps, and its sources get no per-GB figure', async () => {
    const estate = bytesEstate();
    const ngApps = idOf(estate, 'ng-apps');
    const outcome = await pullWith({ ...estate, forbiddenMetrics: [ngApps] });
    const gaps = outcome.snapshot.gaps.filter((g) => g.code === 'metrics-unavailable');
    expect(gaps).toHaveLength(3);
    expect(gaps.every((g) => g.scope.toLowerCase() === ngApps.toLowerCase() && /authorization|may not read/i.test(g.message))).toBe(true);
    expect(gaps.map((g) => g.message).join('\n')).toContain('Reading metric ByteCount');
    expect(outcome.snapshot.metrics.some((m) => m.resourceId.toLowerCase() === ngApps.toLowerCase())).toBe(false);
    // The other resources' bytes still arrived.
    expect(outcome.snapshot.metrics.filter((m) => m.unit === 'Bytes').map((m) => m.metricName).sort()).toEqual(['ByteCount', 'ByteCount', 'DataProcessed']);
  });

  it('429 until retries run out: a throttled gap; one 429 is retried and the bytes arrive', async () => {
    const throttled = await pullWith(bytesEstate(), { throttles: [{ match: NG_APPS_METRICS, times: 1_000 }] });
    const gaps = throttled.snapshot.gaps.filter((g) => g.code === 'metrics-unavailable');
    expect(gaps).toHaveLength(3);
    expect(gaps.every((g) => /throttl|429|TooManyRequests/i.test(g.message))).toBe(true);
    expect(throttled.snapshot.metrics.some((m) => m.resourceId.endsWith('/ng-apps'))).toBe(false);
    await fake?.close();
    dispose?.();
    const retried = await pullWith(bytesEstate(), { throttles: [{ match: NG_APPS_METRICS, times: 1 }] });
    expect(retried.snapshot.gaps.filter((g) => g.code === 'metrics-unavailable')).toEqual([]);
    expect(retried.snapshot.metrics.find((m) => m.resourceId.endsWith('/ng-apps') && m.metricName === 'ByteCount' && m.filter === null)?.value).toBe(24 * 200 * MIB);
  });

  it('no data points: a gap, and cost reports the bytes missing rather than $0', async () => {
    const outcome = await pullWith(withStaticRouting(smallEstate())); // SNAT metrics only: no ByteCount / DataProcessed series
    const gaps = outcome.snapshot.gaps.filter((g) => g.code === 'metrics-unavailable');
    expect(gaps.map((g) => g.message).sort()).toEqual([
      expect.stringMatching(/^Azure Monitor returned no ByteCount data points/),
      expect.stringMatching(/^Azure Monitor returned no ByteCount data points/),
      expect.stringMatching(/^Azure Monitor returned no DataProcessed data points/),
    ]);
    expect(outcome.snapshot.metrics.some((m) => m.unit === 'Bytes')).toBe(false);
    const { estimateCost } = await import('../../shared/cost/index');
    const { resolveEgress } = await import('../../shared/egress/index');
    const cost = estimateCost(outcome.snapshot, resolveEgress(outcome.snapshot), { fallbackRegion: 'eastus' });
    const batch = bySource(cost, 'snet-batch');
    expect(batch.bytes.kind).toBe('none');
    expect(batch.lines.find((l) => l.item === 'nat-gateway-data')).toMatchObject({ quantity: null, monthlyUsd: null });
    expect(cost.gaps.some((g) => g.code === 'bytes-missing' && g.scope.endsWith('/snet-batch'))).toBe(true);
  });
});
