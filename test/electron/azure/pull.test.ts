import { afterEach, describe, expect, it } from 'vitest';
import { pullEstate, type PullOptions, type PullOutcome } from '../../../electron/azure/pull';
import { PullCancelledError, scaledClock, virtualClock, type Clock } from '../../../electron/azure/clock';
import { routeSignatures } from '../../../electron/azure/effective-routes';
import type { PullProgress } from '../../../shared/ipc/contract';
import { resolveEgress } from '../../../shared/egress/index';
import {
  expectedIds, FLEXIBLE_VM, modelIds, smallEstate, smallEstateWithVirtualMachines, startFakeArm, STOPPED_NIC, SUB_APPS, SUB_HUB, SUB_LEGACY,
  syntheticFakeEstate, type FakeArm, type FakeEstate, type FakeFaults,
} from '../../fake-arm';
import { recordingCredential } from './helpers';

const ALL = [SUB_HUB, SUB_APPS, SUB_LEGACY];
let fake: FakeArm | null = null;
let disposeClock: (() => void) | null = null;

afterEach(async () => {
  await fake?.close();
  fake = null;
  disposeClock?.();
  disposeClock = null;
});

/** Discrete-event time by default: Retry-After, quota windows and timeouts cost no real time. */
async function start(faults: Partial<FakeFaults> = {}, estate: FakeEstate = smallEstate(), clock?: Clock): Promise<{ fake: FakeArm; clock: Clock; estate: FakeEstate }> {
  if (clock === undefined) {
    const virtual = virtualClock();
    disposeClock = virtual.dispose;
    clock = virtual;
  }
  fake = await startFakeArm({ estate, faults, clock });
  return { fake, clock, estate };
}

async function pull(f: FakeArm, clock: Clock, options: Partial<PullOptions> = {}, onProgress: (p: PullProgress) => void = () => undefined, signal?: AbortSignal): Promise<PullOutcome> {
  return pullEstate({
    cloud: 'AzurePublicCloud', tenantId: null, subscriptionIds: [], effectiveRoutes: 'sample', metrics: false, demoAzure: false,
    armEndpoint: f.url, credential: recordingCredential(), clock,
    ...options,
    budgets: { lroPollIntervalMs: 5, requestTimeoutMs: 60_000, baseRetryDelayMs: 20, maxRetryDelayMs: 200, graphPageSize: 5, ...options.budgets },
  }, onProgress, signal);
}

function ids(outcome: PullOutcome): string[] {
  return [...modelIds(outcome.snapshot.model)].sort();
}

function expected(estate: FakeEstate, subs: readonly string[]): string[] {
  return [...expectedIds(estate, subs)].sort();
}

describe('pull through Resource Graph', () => {
  it('reads every resource, child resources and one NIC per route signature', async () => {
    const { fake: f, clock, estate } = await start();
    const progress: PullProgress[] = [];
    const outcome = await pull(f, clock, {}, (p) => progress.push(p));
    const { snapshot, stats } = outcome;
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    // Rule collection groups and hub children merged by the normalizer.
    expect(snapshot.model.firewallPolicies[0]?.rules.length).toBeGreaterThan(0);
    expect(snapshot.model.virtualHubs[0]?.connections).toHaveLength(1);
    expect(snapshot.model.virtualHubs[0]?.routingPolicies).toHaveLength(1);
    expect(snapshot.model.virtualNetworkGateways).toHaveLength(1);
    // Topology came from Resource Graph; ARM lists only for children (1 policy + hub connections + routing intent).
    expect(stats.byKind.get('resource-graph')).toBeGreaterThanOrEqual(2);
    expect(stats.byKind.get('arm-list')).toBe(3);
    expect(f.stats.mutations).toBe(0);
    // Signatures: web+api share one; batch+pe share one; hub shared; legacy. The stopped VM is a gap; its sibling answered.
    const captured = snapshot.effectiveRoutes.map((e) => e.networkInterfaceId.split('/').pop()).sort();
    expect(captured).toEqual(['nic-api-2', 'nic-batch-1', 'nic-old-1', 'nic-shared-1']);
    expect(snapshot.gaps).toEqual([expect.objectContaining({ code: 'effective-routes-unavailable', scope: STOPPED_NIC })]);
    expect(stats.byKind.get('effective-routes')).toBe(5);
    expect(snapshot.metadata).toMatchObject({ source: 'live-pull', scope: { tenantId: '00000000-0000-4000-8000-0000000000aa', cloud: f.url } });
    expect(snapshot.metadata.scope.subscriptionIds).toEqual([...ALL].sort());
    expect(snapshot.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Progress walked the phases in order and ended done.
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['signing-in', 'listing-subscriptions', 'topology', 'effective-routes', 'done']);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', requestsMade: stats.requests, resourcesFound: expect.any(Number) });
  });

  it('route signatures group subnets by route table, VNet, peerings and gateway', async () => {
    const { fake: f, clock } = await start();
    const { snapshot } = await pull(f, clock, { effectiveRoutes: 'none' });
    const sigs = routeSignatures(snapshot.model);
    const sig = (name: string): string | undefined => [...sigs.entries()].find(([id]) => id.endsWith(`/subnets/${name}`))?.[1];
    expect(sig('snet-web')).toBe(sig('snet-api'));
    expect(sig('snet-batch')).toBe(sig('snet-pe'));
    expect(sig('snet-web')).not.toBe(sig('snet-batch'));
    expect(new Set(sigs.values()).size).toBe(5);
    expect(f.stats.byKind.get('effective-routes') ?? 0).toBe(0);
    expect(snapshot.effectiveRoutes).toHaveLength(0);
  });

  it('pages with $skipToken across a larger generated estate', async () => {
    const estate = syntheticFakeEstate({ subscriptions: 3, virtualNetworks: 9, subnets: 45, networkInterfaces: 300, seed: 7 });
    const { fake: f, clock } = await start({}, estate);
    const outcome = await pull(f, clock, { effectiveRoutes: 'none', budgets: { graphPageSize: 50 } });
    const subs = estate.subscriptions.map((s) => s.subscriptionId);
    expect(ids(outcome)).toEqual(expected(estate, subs));
    const nicCount = outcome.snapshot.model.networkInterfaces.length;
    expect(nicCount).toBe(300);
    expect(outcome.stats.byKind.get('resource-graph')).toBeGreaterThanOrEqual(Math.ceil(nicCount / 50));
  });

  it('management-group scope: Resource Graph queries the group', async () => {
    const { fake: f, clock, estate } = await start();
    const outcome = await pull(f, clock, { managementGroupId: 'mg-contoso', effectiveRoutes: 'none' });
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.snapshot.metadata.scope.managementGroupId).toBe('mg-contoso');
    expect(new Set(f.stats.graphScopes)).toEqual(new Set(['managementGroups:mg-contoso']));
  });

  it('reads only the given subscriptions without listing them', async () => {
    const { fake: f, clock, estate } = await start();
    const outcome = await pull(f, clock, { subscriptionIds: [SUB_APPS], effectiveRoutes: 'none' });
    expect(ids(outcome)).toEqual(expected(estate, [SUB_APPS]));
    expect(f.stats.byKind.get('subscriptions') ?? 0).toBe(0);
  });
});

describe('partial access and faults: the pull completes, nothing is lost, gaps say why', () => {
  it('falls back to ARM listAll when Resource Graph is forbidden', async () => {
    const { fake: f, clock, estate } = await start({ resourceGraph: 'forbidden', armPageSize: 2 });
    const outcome = await pull(f, clock);
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.snapshot.model.virtualNetworkGateways.map((g) => g.name)).toEqual(['vgw-hub']);
    expect(outcome.snapshot.model.firewallPolicies[0]?.rules.length).toBeGreaterThan(0);
    expect(outcome.stats.byKind.get('arm-list')).toBeGreaterThan(30);
    // VMs have no ARM fallback (no compute client): the refused Resource Graph is a gap for them.
    expect(outcome.snapshot.gaps.map((g) => g.code)).toEqual(['access-denied', 'effective-routes-unavailable']);
    expect(outcome.snapshot.gaps[0]).toMatchObject({ scope: 'Microsoft.Compute/virtualMachines', count: 3 });
  });

  it('Resource Graph rows (REST shape) and SDK listAll objects (flattened) give the same model', async () => {
    const viaGraph = await start();
    const a = await pull(viaGraph.fake, viaGraph.clock, { effectiveRoutes: 'none' });
    await fake?.close();
    const viaArm = await start({ resourceGraph: 'unavailable' });
    const b = await pull(viaArm.fake, viaArm.clock, { effectiveRoutes: 'none', budgets: { maxRetries: 1 } });
    expect(b.stats.byKind.get('resource-graph')).toBeGreaterThanOrEqual(2); // tried, retried, fell back
    expect(b.snapshot.model).toEqual(a.snapshot.model);
  });

  it('a 403 subscription becomes an access-denied gap; the others are read through Resource Graph', async () => {
    const { fake: f, clock, estate } = await start({ forbiddenSubscriptions: [SUB_LEGACY] });
    const outcome = await pull(f, clock);
    expect(ids(outcome)).toEqual(expected(estate, [SUB_HUB, SUB_APPS]));
    expect(outcome.snapshot.gaps).toContainEqual(expect.objectContaining({ code: 'access-denied', scope: `/subscriptions/${SUB_LEGACY}` }));
    // One probing list call for the refused subscription, not one per type.
    const legacyLists = f.stats.log.filter((l) => l.path.includes(SUB_LEGACY) && l.status === 403);
    expect(legacyLists).toHaveLength(1);
    expect(outcome.snapshot.metadata.scope.subscriptionIds).toContain(SUB_LEGACY);
  });

  it('a Resource Graph page cut short is asked for again', async () => {
    const { fake: f, clock, estate } = await start({ truncatedGraphPages: 2 });
    const outcome = await pull(f, clock, { effectiveRoutes: 'none' });
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.stats.retries).toBeGreaterThanOrEqual(2);
    expect(outcome.snapshot.gaps).toEqual([]);
  });

  it('resultTruncated: the group is re-read through ARM lists', async () => {
    const { fake: f, clock, estate } = await start({ graphResultTruncated: 1 });
    const outcome = await pull(f, clock, { effectiveRoutes: 'none' });
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.stats.byKind.get('arm-list')).toBeGreaterThan(3);
    expect(outcome.snapshot.gaps).toEqual([]);
  });

  it('5xx answers are retried; a list that keeps failing is a request-failed gap, the rest is read', async () => {
    const { fake: f, clock, estate } = await start({
      resourceGraph: 'forbidden',
      serverErrors: [{ match: /^GET \/subscriptions\/[^/]+\/providers\/Microsoft.Network\/routeTables$/i, times: 2 }, { match: new RegExp(`^GET /subscriptions/${SUB_APPS}/providers/Microsoft.Network/loadBalancers$`, 'i'), times: 99 }],
    });
    const outcome = await pull(f, clock, { effectiveRoutes: 'none', budgets: { maxRetries: 2 } });
    expect(ids(outcome)).toEqual(expected(estate, ALL)); // the estate has no load balancers: nothing lost
    expect(outcome.snapshot.gaps).toEqual([expect.objectContaining({
      code: 'request-failed', scope: `/subscriptions/${SUB_APPS}/providers/microsoft.network/loadbalancers`, message: expect.stringContaining('503'),
    }), expect.objectContaining({ code: 'access-denied', scope: 'Microsoft.Compute/virtualMachines' })]); // Resource Graph is forbidden: VMs have no ARM fallback
    expect(outcome.stats.retries).toBeGreaterThanOrEqual(4);
  });

  it('a request that never answers times out and is retried', async () => {
    const { fake: f, clock, estate } = await start({ hangs: [{ match: /ResourceGraph/i, times: 1 }] });
    const outcome = await pull(f, clock, { effectiveRoutes: 'none', budgets: { requestTimeoutMs: 10_000 } });
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.stats.timeouts).toBe(1);
    expect(outcome.snapshot.gaps).toEqual([]);
  });

  it('a request that never answers, every time, becomes a timeout gap', async () => {
    const { fake: f, clock, estate } = await start({ hangs: [{ match: /\/virtualHubs\/vhub-weu\/routingIntent$/i, times: 99 }] });
    const outcome = await pull(f, clock, { effectiveRoutes: 'none', budgets: { requestTimeoutMs: 10_000, maxRetries: 1 } });
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.snapshot.gaps).toEqual([expect.objectContaining({ code: 'timeout', scope: expect.stringMatching(/virtualhubs\/vhub-weu$/i) })]);
    // Two attempts of the hanging request (1 retry); nothing else is expected to time out.
    expect(outcome.stats.timeouts).toBeGreaterThanOrEqual(2);
  });

  it('honours Retry-After on 429 (Resource Graph quota and ARM) and counts the waits', async () => {
    const { fake: f, clock, estate } = await start({
      graphQuota: { queries: 2, windowMs: 2_000 },
      throttles: [{ match: /effectiveRouteTable$/i, times: 2 }],
      throttleRetryAfterSeconds: 2,
    });
    const outcome = await pull(f, clock);
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    // Waited at least the injected Retry-After (2 s) and the quota windows.
    expect(outcome.stats.throttleWaitMs).toBeGreaterThanOrEqual(2_000);
    expect(outcome.stats.throttledResponses).toBeGreaterThanOrEqual(2);
    expect(outcome.snapshot.effectiveRoutes).toHaveLength(4);
    expect(outcome.snapshot.gaps.map((g) => g.code)).toEqual(['effective-routes-unavailable']);
  });

  it('cancellation stops quickly with phase cancelled', async () => {
    const { fake: f } = await start({ latencyMs: 300 }, smallEstate(), scaledClock(1));
    const controller = new AbortController();
    const phases: string[] = [];
    const startedAt = Date.now();
    const run = pull(f, scaledClock(1), {}, (p) => {
      phases.push(p.phase);
      if (p.phase === 'topology') controller.abort();
    }, controller.signal);
    await expect(run).rejects.toBeInstanceOf(PullCancelledError);
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    expect(phases.at(-1)).toBe('cancelled');
  });
});

describe('effective routes and metrics', () => {
  it('all: every NIC attached to a VM (the stopped one is a gap)', async () => {
    const { fake: f, clock } = await start();
    const outcome = await pull(f, clock, { effectiveRoutes: 'all' });
    expect(outcome.snapshot.effectiveRoutes).toHaveLength(8);
    expect(outcome.snapshot.effectiveRoutes.every((e) => e.routes.some((r) => r.addressPrefixes.includes('0.0.0.0/0')))).toBe(true);
    expect(outcome.snapshot.gaps.filter((g) => g.code === 'effective-routes-unavailable').map((g) => g.scope)).toContain(STOPPED_NIC);
  });

  it('metrics: SNAT failures and drops per NAT gateway, SNAT port utilization per firewall; byte counters without data are gaps', async () => {
    const { fake: f, clock } = await start();
    const outcome = await pull(f, clock, { effectiveRoutes: 'none', metrics: true });
    const m = outcome.snapshot.metrics;
    expect(m).toHaveLength(5);
    const ngHub = m.filter((x) => x.resourceId.endsWith('/natgateways/ng-hub'));
    expect(ngHub).toEqual(expect.arrayContaining([
      expect.objectContaining({ metricName: 'SNATConnectionCount', aggregation: 'Total', filter: "ConnectionState eq 'Failed'", value: 7 }),
      expect.objectContaining({ metricName: 'PacketDropCount', aggregation: 'Total', value: 2 }),
    ]));
    expect(m.find((x) => x.metricName === 'SNATPortUtilization')).toMatchObject({ aggregation: 'Maximum', value: 87, unit: 'Percent' });
    // Also asked: ByteCount per NAT gateway and DataProcessed per firewall (test/azure/metrics-bytes.test.ts);
    // this estate serves no byte series, so each is a gap, not 0 bytes.
    expect(outcome.stats.byKind.get('metrics')).toBe(8);
    expect(outcome.snapshot.gaps.filter((g) => g.code === 'metrics-unavailable').map((g) => g.message.replace(/ for .*/, '')).sort()).toEqual([
      'Azure Monitor returned no ByteCount data points', 'Azure Monitor returned no ByteCount data points', 'Azure Monitor returned no DataProcessed data points',
    ]);
  });
});

describe('VMs for Flexible scale set membership (Resource Graph only)', () => {
  // A Flexible-orchestration scale set instance never gets default outbound access, and only the VM
  // resource says a VM is one [DOA] https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
  const nicOf = (outcome: PullOutcome, name: string) => outcome.snapshot.model.networkInterfaces.find((n) => n.name === name);
  const vmssGaps = (outcome: PullOutcome) => resolveEgress(outcome.snapshot).gaps.filter((g) => g.code === 'not-modelled' && g.scope === 'Microsoft.Compute/virtualMachines');

  it('reads the VMs with a slim projection, marks the Flexible instance and every captured VM; the engine needs no VMSS gap', async () => {
    const { fake: f, clock, estate } = await start({}, smallEstateWithVirtualMachines());
    const outcome = await pull(f, clock, { effectiveRoutes: 'none' });
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    const vmQueries = f.stats.graphQueries.filter((q) => /microsoft\.compute\/virtualmachines/i.test(q));
    // 11 VMs in pages of 5: three pages of the one VM query; only virtualMachineScaleSet is asked for.
    expect(vmQueries).toHaveLength(3);
    expect(vmQueries[0]).toContain("properties = pack('virtualMachineScaleSet', properties.virtualMachineScaleSet)");
    expect(vmQueries[0]).not.toMatch(/,\s*properties\s*(\n|,|$)/);
    expect(nicOf(outcome, 'nic-tools-1')).toMatchObject({ virtualMachineId: FLEXIBLE_VM.toLowerCase(), flexibleScaleSetMember: true, virtualMachineCaptured: true });
    expect(nicOf(outcome, 'nic-web-1')).toMatchObject({ flexibleScaleSetMember: false, virtualMachineCaptured: true });
    expect(nicOf(outcome, 'nic-pe-1')?.virtualMachineCaptured).toBeUndefined();
    expect(outcome.snapshot.gaps.filter((g) => /Compute/.test(g.scope))).toEqual([]);
    const result = resolveEgress(outcome.snapshot);
    expect(result.paths.find((p) => p.source.name === 'nic-tools-1')).toMatchObject({ verdict: 'no-outbound' });
    expect(vmssGaps(outcome)).toEqual([]);
  });

  it('a 403 on the VM query is a gap naming it; the network pull still completes, and the engine keeps its VMSS gap', async () => {
    const { fake: f, clock, estate } = await start({ forbiddenGraphTypes: ['microsoft.compute/virtualmachines'] }, smallEstateWithVirtualMachines());
    const outcome = await pull(f, clock, { effectiveRoutes: 'none' });
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.snapshot.gaps).toEqual([expect.objectContaining({
      code: 'access-denied', scope: 'Microsoft.Compute/virtualMachines', count: 3, message: expect.stringMatching(/^Reading the VMs .* through Resource Graph failed: HTTP 403 .*no ARM list fallback/),
    })]);
    // No compute reads through ARM: the pull has no compute client.
    expect(f.stats.log.filter((l) => /microsoft\.compute/i.test(l.path))).toEqual([]);
    expect(nicOf(outcome, 'nic-tools-1')).toMatchObject({ flexibleScaleSetMember: false });
    expect(nicOf(outcome, 'nic-tools-1')?.virtualMachineCaptured).toBeUndefined();
    expect(vmssGaps(outcome)).toHaveLength(1);
  });

  it('a subscription Resource Graph refuses is not asked for VMs again; one that ARM refused too needs no second gap', async () => {
    const { fake: f, clock } = await start({ forbiddenSubscriptions: [SUB_LEGACY] }, smallEstateWithVirtualMachines());
    const outcome = await pull(f, clock, { effectiveRoutes: 'none' });
    const vmQueries = f.stats.graphQueries.filter((q) => /microsoft\.compute\/virtualmachines/i.test(q));
    expect(vmQueries.length).toBeGreaterThan(0);
    expect(f.stats.graphScopes.slice(-vmQueries.length).every((s) => s === 'subscriptions:2')).toBe(true);
    expect(outcome.snapshot.gaps.map((g) => g.scope)).toEqual([`/subscriptions/${SUB_LEGACY}`]);
    expect(nicOf(outcome, 'nic-web-1')?.virtualMachineCaptured).toBe(true);
  });
});
