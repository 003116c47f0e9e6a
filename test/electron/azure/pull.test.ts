import { afterEach, describe, expect, it } from 'vitest';
import { pullEstate, type PullBudgets, type PullOptions, type PullOutcome } from '../../../electron/azure/pull';
import { PullCancelledError, scaledClock, virtualClock, type Clock } from '../../../electron/azure/clock';
import { routeSignatures } from '../../../electron/azure/effective-routes';
import type { PullProgress } from '../../../shared/ipc/contract';
import { resolveEgress } from '../../../shared/egress/index';
import { terminalOf } from '../../../shared/egress/steps';
import type { EgressPath } from '../../../shared/egress/types';
import {
  AVAILABILITY_SET, AVAILABILITY_SET_VM, expectedIds, FLEXIBLE_VM, modelIds, smallEstate, smallEstateResources, smallEstateWithVirtualMachines, startFakeArm, STOPPED_NIC, SUB_APPS, SUB_HUB, SUB_LEGACY,
  syntheticFakeEstate, type FakeArm, type FakeEstate, type FakeFaults, type FakeResource,
} from '../../fake-arm';
import { recordingCredential } from './helpers';
import {
  answer, asRecord, forwardingTransport, htmlPage, isGraph, isSubscriptions, pathOf, requestBody, skipTokenOf,
} from '../../support/forwarding-transport';

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
    expect(snapshot.model.virtualHubs[0]?.connectionsRead).toBeUndefined();
    expect(snapshot.model.virtualHubs[0]?.routingPolicies).toHaveLength(1);
    expect(snapshot.model.virtualNetworkGateways).toHaveLength(1);
    // Topology came from Resource Graph; ARM lists only for children (1 policy + hub connections + routing intent + hub route tables + hub BGP connections).
    expect(stats.byKind.get('resource-graph')).toBeGreaterThanOrEqual(2);
    expect(stats.byKind.get('arm-list')).toBe(5);
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

  // The fake estate: vnet-legacy is connected to vhub-weu (flag true, Internet routing intent). When
  // listing the hub's VNet connections fails, which VNets it connects is the missing fact [VWAN]
  // https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies : the hub is marked
  // (connectionsRead false) and the spoke is unknown naming it, never its own method.
  it('hubVirtualNetworkConnections list fails → the spoke connected to that hub is unknown, not internet via default outbound', async () => {
    const { fake: f, clock } = await start({ serverErrors: [{ match: /\/virtualHubs\/vhub-weu\/hubVirtualNetworkConnections$/i, times: 99 }] });
    const { snapshot } = await pull(f, clock, { effectiveRoutes: 'none', budgets: { maxRetries: 1 } });
    expect(snapshot.gaps.some((g) => /VNet connections of virtual hub vhub-weu/.test(g.message))).toBe(true);
    expect(snapshot.model.virtualHubs.find((h) => h.name === 'vhub-weu')?.connectionsRead).toBe(false);
    const result = resolveEgress({ model: snapshot.model, effectiveRoutes: snapshot.effectiveRoutes, metrics: [], gaps: snapshot.gaps });
    const path = result.paths.find((p) => p.source.type === 'subnet' && p.source.name === 'snet-old');
    expect(path?.exit).not.toBe('default-outbound');
    expect(path?.verdict).toBe('unknown');
    expect(path ? missingFactOf(path) : '').toContain('vhub-weu');
  });

  it('a connection list that times out marks the hub the same way', async () => {
    const { fake: f, clock } = await start({ hangs: [{ match: /\/virtualHubs\/vhub-weu\/hubVirtualNetworkConnections$/i, times: 99 }] });
    const { snapshot } = await pull(f, clock, { effectiveRoutes: 'none', budgets: { requestTimeoutMs: 10_000, maxRetries: 1 } });
    expect(snapshot.gaps).toEqual([expect.objectContaining({ code: 'timeout', scope: expect.stringMatching(/virtualhubs\/vhub-weu$/i) })]);
    const result = resolveEgress({ model: snapshot.model, effectiveRoutes: snapshot.effectiveRoutes, metrics: [], gaps: snapshot.gaps });
    expect(result.paths.find((p) => p.source.type === 'subnet' && p.source.name === 'snet-old')?.verdict).toBe('unknown');
  });

  // NVAs deployed in a hub are a source of its 0.0.0.0/0 and a routing-intent next hop [VWAN-INET]
  // https://learn.microsoft.com/azure/virtual-wan/about-internet-routing : read like the other
  // core types, through Resource Graph and through the ARM list fallback.
  for (const resourceGraph of ['ok', 'forbidden'] as const) {
    it(`reads an NVA deployed in a hub (Resource Graph ${resourceGraph})`, async () => {
      const base = smallEstate();
      const nva = {
        id: `/subscriptions/${SUB_HUB}/resourceGroups/rg-vwan/providers/Microsoft.Network/networkVirtualAppliances/sdwan`, name: 'sdwan',
        type: 'Microsoft.Network/networkVirtualAppliances', location: 'westeurope',
        properties: { provisioningState: 'Succeeded', virtualHub: { id: `/subscriptions/${SUB_HUB}/resourceGroups/rg-vwan/providers/Microsoft.Network/virtualHubs/vhub-weu` }, nvaSku: { vendor: 'barracudasdwanrelease' } },
      };
      const { fake: f, clock } = await start({ resourceGraph }, { ...base, resources: [...base.resources, nva] });
      const { snapshot } = await pull(f, clock, { effectiveRoutes: 'none' });
      expect(snapshot.model.virtualHubs.find((h) => h.name === 'vhub-weu')?.networkVirtualAppliances).toEqual([{ id: nva.id.toLowerCase(), name: 'sdwan', vendor: 'barracudasdwanrelease' }]);
      expect(snapshot.gaps.filter((g) => g.code === 'unsupported-resource-type')).toEqual([]);
    });
  }

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
    // 11 VMs in pages of 5: three pages of the one VM query; only virtualMachineScaleSet and the NIC references are asked for.
    expect(vmQueries).toHaveLength(3);
    expect(vmQueries[0]).toContain("properties = pack('virtualMachineScaleSet', properties.virtualMachineScaleSet, 'availabilitySet', properties.availabilitySet, 'networkProfile', pack('networkInterfaces', properties.networkProfile.networkInterfaces))");
    expect(vmQueries[0]).not.toMatch(/,\s*properties\s*(\n|,|$)/);
    expect(nicOf(outcome, 'nic-tools-1')).toMatchObject({ virtualMachineId: FLEXIBLE_VM.toLowerCase(), flexibleScaleSetMember: true, virtualMachineCaptured: true });
    expect(nicOf(outcome, 'nic-web-1')).toMatchObject({ flexibleScaleSetMember: false, virtualMachineCaptured: true });
    // The availability set comes through the projection: its members decide a load balancer's outbound answer.
    expect(nicOf(outcome, 'nic-tools-2')?.availabilitySet).toEqual({ id: AVAILABILITY_SET.toLowerCase(), virtualMachineIds: [AVAILABILITY_SET_VM.toLowerCase()] });
    expect(nicOf(outcome, 'nic-tools-1')?.availabilitySet).toBeUndefined();
    expect(nicOf(outcome, 'nic-pe-1')?.virtualMachineCaptured).toBeUndefined();
    expect(outcome.snapshot.gaps.filter((g) => /Compute/.test(g.scope))).toEqual([]);
    const result = resolveEgress(outcome.snapshot);
    expect(result.paths.find((p) => p.source.name === 'nic-tools-1')).toMatchObject({ verdict: 'no-outbound' });
    expect(vmssGaps(outcome)).toEqual([]);
  });

  it('reads the NICs each VM lists: a NIC of a multi-NIC VM that the pull did not read is kept on its siblings (missingSiblingNicIds)', async () => {
    // A multi-NIC VM (an NVA) judged on the NICs the pull read alone could be called a working
    // appliance while the NIC it forwards out of is unknown: the VM's networkProfile names them all.
    const base = smallEstateWithVirtualMachines();
    const nicId = (name: string): string => base.resources.find((r) => r.name === name)?.id ?? '';
    const unread = nicId('nic-tools-2').replace(/nic-tools-2$/, 'nic-tools-2-untrust');
    const listing = (ids: readonly string[]) => ({ networkInterfaces: ids.map((id, i) => ({ id, properties: { primary: i === 0 } })) });
    const resources = base.resources.map((r) => {
      if (r.name === 'vm-tools-2') return { ...r, properties: { ...r.properties, networkProfile: listing([nicId('nic-tools-2'), unread]) } };
      if (r.name === 'vm-web-1') return { ...r, properties: { ...r.properties, networkProfile: listing([nicId('nic-web-1'), nicId('nic-web-2')]) } };
      return r;
    });
    const { fake: f, clock } = await start({}, { ...base, resources });
    const outcome = await pull(f, clock, { effectiveRoutes: 'none' });
    const vmQuery = f.stats.graphQueries.find((q) => /microsoft\.compute\/virtualmachines/i.test(q)) ?? '';
    expect(vmQuery).toContain("'networkProfile', pack('networkInterfaces', properties.networkProfile.networkInterfaces)");
    expect(nicOf(outcome, 'nic-tools-2')?.missingSiblingNicIds).toEqual([unread.toLowerCase()]);
    // Both NICs read: nothing missing.
    expect(nicOf(outcome, 'nic-web-1')?.missingSiblingNicIds).toBeUndefined();
    expect(nicOf(outcome, 'nic-web-2')?.missingSiblingNicIds).toBeUndefined();
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

// Answers the fake cannot give by itself are made by a forwarding transport (test/support). Each
// scenario below was a defect: the pull followed a loop for ever, or returned an incomplete result
// with no gap, or a gap that did not say why (README "Live pull": never silently dropped; no hangs).

describe('Resource Graph paging: loops, repeats and limits (arm-api.md §5.2)', () => {
  it('a $skipToken handed back unchanged is not followed again: the group is re-read through ARM lists', async () => {
    const { fake: f, clock, estate } = await start();
    const sent = new Map<string, number>();
    const httpClient = forwardingTransport((request, response, body) => {
      if (!isGraph(request) || response.status !== 200) return null;
      const token = skipTokenOf(request);
      if (token === null) return null;
      const key = `${String(requestBody(request)['query'] ?? '')}|${token}`;
      const n = (sent.get(key) ?? 0) + 1;
      sent.set(key, n);
      // Guard so a regression ends: the same token 40 times.
      if (n > 40) return answer(request, 400, { error: { code: 'TestGuard', message: 'the same skipToken 40 times' } });
      return answer(request, 200, { ...asRecord(body), $skipToken: token });
    });
    const outcome = await pull(f, clock, { httpClient, effectiveRoutes: 'none' });
    expect(Math.max(...sent.values()), 'queries sent with one and the same $skipToken').toBe(1);
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.stats.byKind.get('arm-list')).toBeGreaterThan(3);
  });

  it('a row repeated on a later page (same row count, one NIC never sent) is caught by counting distinct IDs: re-read through ARM', async () => {
    const { fake: f, clock, estate } = await start();
    const firstPage = new Map<string, unknown[]>();
    let edited = 0;
    const httpClient = forwardingTransport((request, response, body) => {
      if (!isGraph(request) || response.status !== 200) return null;
      const query = String(requestBody(request)['query'] ?? '');
      const data = asRecord(body)['data'];
      if (!Array.isArray(data)) return null;
      if (skipTokenOf(request) === null) {
        firstPage.set(query, data);
        return null;
      }
      const earlier = firstPage.get(query);
      if (edited > 0 || earlier === undefined || earlier.length === 0 || data.length === 0 || !/networkinterfaces/i.test(query)) return null;
      edited += 1;
      // Page 2: its first row replaced by the last row of page 1.
      return answer(request, 200, { ...asRecord(body), data: [earlier[earlier.length - 1], ...data.slice(1)] });
    });
    const outcome = await pull(f, clock, { httpClient, effectiveRoutes: 'none' });
    expect(edited).toBe(1);
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.snapshot.gaps).toEqual([]);
  });

  it('management-group scope: x-ms-tenant-subscription-limit-hit: true is a gap saying the result is limited', async () => {
    const { fake: f, clock } = await start();
    const httpClient = forwardingTransport((request, response) => {
      if (!isGraph(request) || response.status !== 200) return null;
      response.headers.set('x-ms-tenant-subscription-limit-hit', 'true');
      return response;
    });
    const outcome = await pull(f, clock, { httpClient, managementGroupId: 'mg-contoso', effectiveRoutes: 'none' });
    expect(outcome.snapshot.gaps).toEqual([expect.objectContaining({
      code: 'request-failed', scope: '/providers/Microsoft.Management/managementGroups/mg-contoso', message: expect.stringMatching(/limit of 10,000 subscriptions/),
    })]);
  });
});

describe('Resource Graph refusals and answers that are not Resource Graph JSON', () => {
  it('403 in both halves of a batch: bisects until each refused subscription is asked alone; the one never refused keeps its VMs', async () => {
    const { fake: f, clock } = await start({ forbiddenSubscriptions: [SUB_HUB, SUB_LEGACY] }, smallEstateWithVirtualMachines());
    const outcome = await pull(f, clock);
    expect(outcome.snapshot.gaps.filter((g) => g.scope.includes(SUB_APPS) && /refused/i.test(g.message)).map((g) => g.message)).toEqual([]);
    expect(outcome.snapshot.model.networkInterfaces.find((n) => n.name === 'nic-tools-1')).toMatchObject({ flexibleScaleSetMember: true });
    // Exactly the two refused subscriptions are named (ARM refuses them too: one gap each covers their VMs as well).
    expect(outcome.snapshot.gaps.filter((g) => g.code === 'access-denied').map((g) => g.scope).sort()).toEqual([`/subscriptions/${SUB_HUB}`, `/subscriptions/${SUB_LEGACY}`].sort());
  });

  it('1 readable among 63 refused subscriptions under the 15 / 5 s quota: the bisection sends no query into a spent quota (no 429)', async () => {
    // Both halves of every level went at once (~250 queries per group in bursts of up to 64), and
    // every caller that found the quota spent was released at the same reset: 307 of 500 answers
    // were 429 ([ARG throttling] guidance-for-throttled-requests: stagger queries, do not burst).
    const estate = syntheticFakeEstate({ subscriptions: 64, virtualNetworks: 64, subnets: 128, networkInterfaces: 128, seed: 7 });
    const subs = estate.subscriptions.map((s) => s.subscriptionId);
    const readable = subs[0] ?? '';
    const { fake: f, clock } = await start({ forbiddenSubscriptions: subs.slice(1), graphQuota: { queries: 15, windowMs: 5_000 } }, estate);
    const outcome = await pull(f, clock, { effectiveRoutes: 'none', budgets: { graphPageSize: 1000 } });
    // The readable subscription is not reported refused, and keeps its resources.
    expect(outcome.snapshot.gaps.filter((g) => g.scope.toLowerCase().includes(readable.toLowerCase()))).toEqual([]);
    expect(ids(outcome)).toEqual(expected(estate, [readable]));
    expect(f.stats.throttled, '429s Resource Graph answered').toBe(0);
    expect(outcome.stats.throttledResponses).toBe(0);
  }, 60_000);

  it('a 200 HTML page from Resource Graph: ARM lists read the topology; the VM gap says the answer was not ARM JSON', async () => {
    const { fake: f, clock, estate } = await start();
    const httpClient = forwardingTransport((request, response) => (isGraph(request) && response.status === 200 ? htmlPage(request) : null));
    const totals: (number | null)[] = [];
    const outcome = await pull(f, clock, { httpClient, effectiveRoutes: 'none' }, (p) => totals.push(p.total));
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.snapshot.gaps).toEqual([expect.objectContaining({
      code: 'request-failed', scope: 'Microsoft.Compute/virtualMachines', message: expect.stringMatching(/text\/html body that is not ARM JSON/),
    })]);
    expect(outcome.snapshot.gaps.map((g) => g.message).join('\n')).not.toMatch(/undefined|NaN/);
    expect(totals.filter((t) => t !== null && !Number.isFinite(t))).toEqual([]);
  });
});

describe('ARM lists (the fallback): malformed pages and loops', () => {
  it('a 200 HTML page on a list is a gap per subscription saying the answer was not ARM JSON (not a TypeError)', async () => {
    const { fake: f, clock } = await start({ resourceGraph: 'forbidden' });
    const httpClient = forwardingTransport((request, response) => (/\/routeTables$/i.test(pathOf(request)) && response.status === 200 ? htmlPage(request) : null));
    const outcome = await pull(f, clock, { httpClient, effectiveRoutes: 'none' });
    const routeTableGaps = outcome.snapshot.gaps.filter((g) => /routetables/i.test(g.scope));
    expect(routeTableGaps).toHaveLength(3);
    for (const gap of routeTableGaps) {
      expect(gap).toMatchObject({ code: 'request-failed', message: expect.stringMatching(/^Listing microsoft\.network\/routetables in subscription .* failed: .*not ARM JSON/) });
      expect(gap.message).not.toMatch(/Cannot read properties|undefined/);
    }
  });

  it('a nextLink pointing at its own page is followed once, then the list stops with a gap for that type', async () => {
    const { fake: f, clock } = await start({ resourceGraph: 'forbidden' });
    const pages = new Map<string, number>();
    const httpClient = forwardingTransport((request, response, body) => {
      if (!/\/natGateways$/i.test(pathOf(request)) || response.status !== 200) return null;
      const n = (pages.get(pathOf(request)) ?? 0) + 1;
      pages.set(pathOf(request), n);
      if (n > 30) return answer(request, 400, { error: { code: 'TestGuard', message: 'the same page 30 times' } });
      return answer(request, 200, { ...asRecord(body), nextLink: request.url });
    });
    const outcome = await pull(f, clock, { httpClient, effectiveRoutes: 'none' });
    expect(Math.max(...pages.values()), 'GETs of one self-linked natGateways page').toBe(2);
    const natGaps = outcome.snapshot.gaps.filter((g) => /natgateways$/i.test(g.scope));
    expect(natGaps).toHaveLength(3);
    expect(natGaps[0]).toMatchObject({ code: 'request-failed', message: expect.stringMatching(/nextLink .* led back to a page already read/) });
  });
});

describe('subscriptions: every one visible or asked for is read or named in a gap', () => {
  it('a subscription on two pages of the list is one subscription in the scope', async () => {
    const { fake: f, clock } = await start();
    const httpClient = forwardingTransport((request, response, body) => {
      if (!isSubscriptions(request) || response.status !== 200) return null;
      const url = new URL(request.url);
      if (url.searchParams.get('page') === '2') return null; // page 2: the same subscriptions, no nextLink
      url.searchParams.set('page', '2');
      return answer(request, 200, { ...asRecord(body), nextLink: url.toString() });
    });
    const outcome = await pull(f, clock, { httpClient, effectiveRoutes: 'none' });
    expect(outcome.snapshot.metadata.scope.subscriptionIds).toEqual([...ALL].sort());
  });

  it('a subscriptions nextLink pointing at its own page: listing stops after one repeat, with a gap', async () => {
    const { fake: f, clock, estate } = await start();
    let pages = 0;
    const httpClient = forwardingTransport((request, response, body) => {
      if (!isSubscriptions(request) || response.status !== 200) return null;
      pages += 1;
      if (pages > 30) return null;
      return answer(request, 200, { ...asRecord(body), nextLink: request.url });
    });
    const outcome = await pull(f, clock, { httpClient, effectiveRoutes: 'none' });
    expect(pages, 'GET /subscriptions requests').toBe(2);
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.snapshot.gaps).toEqual([expect.objectContaining({ code: 'request-failed', scope: '/subscriptions', message: expect.stringMatching(/nextLink led back/) })]);
  });

  it('a Disabled subscription is read (GETs still answer) and named in a gap; its NICs get no effective-route POST', async () => {
    // https://learn.microsoft.com/azure/cost-management-billing/manage/subscription-states
    const { fake: f, clock, estate } = await start();
    const httpClient = forwardingTransport((request, response, body) => {
      if (!isSubscriptions(request) || response.status !== 200) return null;
      const value = asRecord(body)['value'];
      if (!Array.isArray(value)) return null;
      const edited = value.map((s) => (asRecord(s)['subscriptionId'] === SUB_LEGACY ? { ...asRecord(s), state: 'Disabled' } : s));
      return answer(request, 200, { ...asRecord(body), value: edited });
    });
    const outcome = await pull(f, clock, { httpClient });
    expect(outcome.snapshot.metadata.scope.subscriptionIds).toEqual([...ALL].sort());
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(outcome.snapshot.gaps).toContainEqual(expect.objectContaining({ code: 'effective-routes-unavailable', scope: `/subscriptions/${SUB_LEGACY}`, message: expect.stringMatching(/is Disabled/) }));
    expect(f.stats.log.filter((l) => l.method === 'POST' && l.path.includes(SUB_LEGACY))).toEqual([]);
  });

  it('a Warned subscription is read with GETs only (no effective-route POST) and named in a gap saying its resources may be offline', async () => {
    // The current page (ms.date 03/21/2024): Warned — "You can retrieve or delete resources
    // (GET/DELETE), but you can't create any resources (PUT/PATCH/POST). Resources in this state go
    // offline". It was read like Enabled: effective-route POSTs were sent (each refused).
    const { fake: f, clock, estate } = await start();
    const httpClient = forwardingTransport((request, response, body) => {
      if (!isSubscriptions(request) || response.status !== 200) return null;
      const value = asRecord(body)['value'];
      if (!Array.isArray(value)) return null;
      return answer(request, 200, { ...asRecord(body), value: value.map((s) => (asRecord(s)['subscriptionId'] === SUB_LEGACY ? { ...asRecord(s), state: 'Warned' } : s)) });
    });
    const outcome = await pull(f, clock, { httpClient });
    expect(ids(outcome)).toEqual(expected(estate, ALL));
    expect(f.stats.log.filter((l) => l.method === 'POST' && l.path.includes(SUB_LEGACY))).toEqual([]);
    expect(outcome.snapshot.gaps).toContainEqual(expect.objectContaining({
      code: 'effective-routes-unavailable', scope: `/subscriptions/${SUB_LEGACY}`, message: expect.stringMatching(/is Warned: .*GETs only.*may be offline/),
    }));
  });

  it('a Deleted subscription in the list is left out with a gap naming it', async () => {
    const { fake: f, clock, estate } = await start();
    const httpClient = forwardingTransport((request, response, body) => {
      if (!isSubscriptions(request) || response.status !== 200) return null;
      const value = asRecord(body)['value'];
      if (!Array.isArray(value)) return null;
      return answer(request, 200, { ...asRecord(body), value: value.map((s) => (asRecord(s)['subscriptionId'] === SUB_LEGACY ? { ...asRecord(s), state: 'Deleted' } : s)) });
    });
    const outcome = await pull(f, clock, { httpClient, effectiveRoutes: 'none' });
    expect(outcome.snapshot.metadata.scope.subscriptionIds).toEqual([SUB_HUB, SUB_APPS].sort());
    expect(ids(outcome)).toEqual(expected(estate, [SUB_HUB, SUB_APPS]));
    expect(outcome.snapshot.gaps).toEqual([expect.objectContaining({ code: 'access-denied', scope: `/subscriptions/${SUB_LEGACY}`, message: expect.stringMatching(/is Deleted/) })]);
  });

  it('--subscription naming one the account cannot see: left out of the scope, with a gap naming it', async () => {
    const { fake: f, clock, estate } = await start();
    const unknown = '44444444-4444-4444-8444-444444444444';
    const outcome = await pull(f, clock, { subscriptionIds: [SUB_APPS, unknown], effectiveRoutes: 'none' });
    expect(outcome.snapshot.metadata.scope.subscriptionIds).toEqual([SUB_APPS]);
    expect(ids(outcome)).toEqual(expected(estate, [SUB_APPS]));
    expect(outcome.snapshot.gaps).toEqual([expect.objectContaining({ code: 'access-denied', scope: `/subscriptions/${unknown}`, message: expect.stringMatching(/cannot see it/) })]);
    // Checked one by one (GET /subscriptions/{id}), not by listing the tenant.
    expect(f.stats.byKind.get('subscriptions') ?? 0).toBe(0);
  });

  it('a 200 HTML page for the subscriptions list fails the pull saying so, not "can read no subscription"', async () => {
    const { fake: f, clock } = await start();
    const httpClient = forwardingTransport((request, response) => (isSubscriptions(request) && response.status === 200
      ? htmlPage(request, '<!DOCTYPE html><html><body>Sign in to the proxy</body></html>') : null));
    await expect(pull(f, clock, { httpClient, effectiveRoutes: 'none' })).rejects.toThrow(/^Listing subscriptions failed: .*text\/html body that is not ARM JSON/);
  });
});

describe('budgets: nothing is waited or polled for ever', () => {
  it('an effective-route LRO answering 202 for ever is given up after its poll budget: a timeout gap per NIC', async () => {
    const { fake: f, clock } = await start();
    let polls = 0;
    const httpClient = forwardingTransport((request) => {
      if (request.method !== 'GET' || !/\/operationresults\//i.test(pathOf(request))) return null;
      polls += 1;
      if (polls > 300) return null; // guard so a regression ends
      return answer(request, 202, '', { location: request.url });
    });
    const outcome = await pull(f, clock, { httpClient, effectiveRoutes: 'sample', effectiveRouteConcurrency: 1, budgets: { lroPollIntervalMs: 1, lroMaxPolls: 4 } });
    expect(outcome.snapshot.effectiveRoutes).toEqual([]);
    // Every LRO that got going (the stopped VM's NIC is refused at once) ended after exactly 4 polls.
    const timeouts = outcome.snapshot.gaps.filter((g) => g.code === 'timeout');
    expect(timeouts.length).toBeGreaterThan(0);
    expect(polls).toBe(timeouts.length * 4);
    expect(timeouts[0]?.message).toMatch(/did not finish after 4 status poll/);
  });

  // core-lro takes the Retry-After of each 202 poll answer as its next wait (uncapped) and waits it
  // on a real-time timer only a pollUntilDone({ abortSignal }) signal ends; the sampler awaited the
  // poller without one, so one "Retry-After: 3600" held the pull for an hour whatever lroMaxPolls,
  // lroTimeoutMs or maxRetryAfterMs said. Before the fix both tests below hang (the test times out).
  /** A pull whose effective-route operations answer 202 with Retry-After: 3600 to every poll, under these budgets. */
  async function pollsForever(budgets: Partial<PullBudgets>) {
    const { fake: f, clock } = await start();
    let polls = 0;
    const httpClient = forwardingTransport((request) => {
      if (request.method !== 'GET' || !/\/operationresults\//i.test(pathOf(request))) return null;
      polls += 1;
      return answer(request, 202, '', { location: request.url, 'retry-after': '3600' });
    });
    const outcome = await pull(f, clock, { httpClient, effectiveRoutes: 'sample', effectiveRouteConcurrency: 1, budgets });
    return { outcome, polls, timeouts: outcome.snapshot.gaps.filter((g) => g.code === 'timeout') };
  }

  it('a 202 poll answer with Retry-After: 3600 does not hold the pull past its LRO budget: a timeout gap per NIC, at once', async () => {
    const { outcome, polls, timeouts } = await pollsForever({ lroPollIntervalMs: 1, lroMaxPolls: 3, lroTimeoutMs: 1_000, maxRetryAfterMs: 1_000 });
    expect(timeouts.length).toBeGreaterThan(0);
    expect(polls).toBe(timeouts.length * 3);
    expect(outcome.snapshot.effectiveRoutes).toEqual([]);
  });

  it('a poll interval longer than the LRO budget is cut to the budget: the NIC is a timeout gap after one poll', async () => {
    const { polls, timeouts } = await pollsForever({ lroPollIntervalMs: 3_600_000, lroMaxPolls: 100, lroTimeoutMs: 10_000, maxRetryAfterMs: 60_000 });
    expect(timeouts.length).toBeGreaterThan(0);
    // One poll at once, then one wait of the 10 s left (not the hour asked), then given up.
    expect(polls).toBe(timeouts.length);
    expect(timeouts[0]?.message).toMatch(/did not finish after 1 status poll\(s\) \(10 s\)/);
  });

  it('cancelling the pull while an LRO waits between polls ends the pull (PullCancelledError), sending no further poll', async () => {
    const { fake: f, clock } = await start();
    const controller = new AbortController();
    let polls = 0;
    const httpClient = forwardingTransport((request) => {
      if (request.method !== 'GET' || !/\/operationresults\//i.test(pathOf(request))) return null;
      polls += 1;
      // The app's Cancel / the CLI's Ctrl+C, as the first poll is answered "come back in an hour".
      controller.abort();
      return answer(request, 202, '', { location: request.url, 'retry-after': '3600' });
    });
    await expect(pull(f, clock, {
      httpClient, effectiveRoutes: 'sample', effectiveRouteConcurrency: 1,
      budgets: { lroPollIntervalMs: 3_600_000, lroMaxPolls: 1_000, lroTimeoutMs: 36_000_000, maxRetryAfterMs: 3_600_000 },
    }, () => undefined, controller.signal)).rejects.toBeInstanceOf(PullCancelledError);
    expect(polls).toBe(1);
  });

  it('a 429 asking to wait a day is not waited out: the read fails at once as throttled, and its group is re-read through ARM', async () => {
    const { fake: f, clock, estate } = await start({
      throttles: [{ match: /^POST \/providers\/Microsoft\.ResourceGraph\/resources$/i, times: 1 }],
      throttleRetryAfterSeconds: 86_400,
    });
    const outcome = await pull(f, clock, { effectiveRoutes: 'none' });
    expect(outcome.stats.throttleWaitMs, 'ms waited on throttling (clock ms)').toBe(0);
    expect(outcome.stats.throttledResponses).toBe(1);
    expect(ids(outcome)).toEqual(expected(estate, ALL));
  });

  it('the same 429 on a read with no fallback (the VM query) is a throttled gap saying why', async () => {
    const { fake: f, clock } = await start({ throttleRetryAfterSeconds: 86_400 });
    f.faults.throttles.push({ match: /^POST \/providers\/Microsoft\.ResourceGraph\/resources$/i, times: 99 });
    const outcome = await pull(f, clock, { effectiveRoutes: 'none' });
    expect(outcome.snapshot.gaps).toContainEqual(expect.objectContaining({
      code: 'throttled', scope: 'Microsoft.Compute/virtualMachines', message: expect.stringMatching(/asked to wait 86400 s .* longer than the pull waits/),
    }));
    expect(outcome.stats.throttleWaitMs).toBe(0);
  });
});

function missingFactOf(path: EgressPath): string {
  const reason = terminalOf(path.steps).reason;
  return reason.kind === 'undecided' ? reason.missingFact : `(terminal ${reason.kind})`;
}

/**
 * A hub's NVAs and the hub router's BGP peers are "supported sources of the default route"
 * [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing: when their lists
 * fail, whether the hub has one is the missing fact, and a spoke with "Propagate default route"
 * (no routing intent) is unknown, as with one read, never its own outbound method.
 */
describe('Virtual WAN hub parts a pull could not read', () => {
  const VWAN_RG = `/subscriptions/${SUB_HUB}/resourceGroups/rg-vwan/providers/Microsoft.Network`;
  const VHUB = `${VWAN_RG}/virtualHubs/vhub-weu`;
  /** smallEstate with vhub-weu as a plain hub (no routing intent), its route tables and conn-legacy's routing configuration read. */
  const plainHubEstate = (extra: readonly FakeResource[] = [], hubProps: Readonly<Record<string, unknown>> = {}): FakeEstate => {
    const base = smallEstate();
    const resources = (smallEstateResources() as readonly FakeResource[])
      .filter((r) => !/routingintent/i.test(String(r.type)) && !/hubVirtualNetworkConnections/i.test(String(r.type)))
      .map((r) => (String(r.id).toLowerCase() === VHUB.toLowerCase() ? { ...r, properties: { ...(r.properties as Record<string, unknown>), ...hubProps } } as unknown as FakeResource : r));
    const table = (name: string, labels: string[]): FakeResource => ({ id: `${VHUB}/hubRouteTables/${name}`, name, type: 'Microsoft.Network/virtualHubs/hubRouteTables',
      properties: { provisioningState: 'Succeeded', labels, routes: [], associatedConnections: [], propagatingConnections: [] } } as unknown as FakeResource);
    const connection = { id: `${VHUB}/hubVirtualNetworkConnections/conn-legacy`, name: 'conn-legacy', type: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
      properties: { provisioningState: 'Succeeded', remoteVirtualNetwork: { id: `/subscriptions/${SUB_LEGACY}/resourceGroups/rg-legacy/providers/Microsoft.Network/virtualNetworks/vnet-legacy` },
        enableInternetSecurity: true, allowHubToRemoteVnetTransit: true, allowRemoteVnetToUseHubVnetGateways: true,
        routingConfiguration: { associatedRouteTable: { id: `${VHUB}/hubRouteTables/defaultRouteTable` }, propagatedRouteTables: { labels: ['default'], ids: [{ id: `${VHUB}/hubRouteTables/defaultRouteTable` }] },
          vnetRoutes: { staticRoutesConfig: { propagateStaticRoutes: true }, staticRoutes: [] } } } } as unknown as FakeResource;
    return { ...base, resources: [...resources, connection, table('defaultRouteTable', ['default']), table('noneRouteTable', ['none']), ...extra] };
  };
  const nvaResource = { id: `${VWAN_RG}/networkVirtualAppliances/sdwan`, name: 'sdwan', type: 'Microsoft.Network/networkVirtualAppliances', location: 'westeurope',
    properties: { provisioningState: 'Succeeded', virtualHub: { id: VHUB }, nvaSku: { vendor: 'barracudasdwanrelease' } } } as unknown as FakeResource;

  const pullPlain = async (faults: Partial<FakeFaults>, estate: FakeEstate, httpClient?: ReturnType<typeof forwardingTransport>) => {
    const { fake: f, clock } = await start(faults, estate);
    const outcome = await pull(f, clock, { effectiveRoutes: 'none', budgets: { maxRetries: 1 }, ...(httpClient ? { httpClient } : {}) });
    const { snapshot } = outcome;
    const result = resolveEgress({ model: snapshot.model, effectiveRoutes: snapshot.effectiveRoutes, metrics: [], gaps: snapshot.gaps });
    const path = result.paths.find((p) => p.source.type === 'subnet' && p.source.name === 'snet-old');
    return { snapshot, path };
  };
  const hubOf = (snapshot: PullOutcome['snapshot']) => snapshot.model.virtualHubs.find((h) => h.name === 'vhub-weu');

  it('everything read, no NVA: the spoke keeps its own outbound method (the baseline)', async () => {
    const { snapshot, path } = await pullPlain({ resourceGraph: 'forbidden' }, plainHubEstate());
    expect(hubOf(snapshot)?.nvasRead).toBeUndefined();
    expect(hubOf(snapshot)?.bgpConnectionsRead).toBeUndefined();
    expect([path?.verdict, path?.exit]).toEqual(['internet', 'default-outbound']);
  });

  it('pull: networkVirtualAppliances list throttled (429, retries exhausted) → the hub spoke is unknown, not internet via default outbound', async () => {
    const { snapshot, path } = await pullPlain({ resourceGraph: 'forbidden', throttles: [{ match: /providers\/Microsoft\.Network\/networkVirtualAppliances/i, times: 99 }] },
      plainHubEstate([nvaResource], { bgpConnections: [] }));
    expect(snapshot.gaps.some((g) => g.code === 'throttled' && /networkvirtualappliances/i.test(g.message))).toBe(true);
    expect(hubOf(snapshot)?.nvasRead).toBe(false);
    expect(path?.exit).not.toBe('default-outbound');
    expect(path?.verdict).toBe('unknown');
    expect(path ? missingFactOf(path) : '').toContain('network virtual appliances deployed in the hub');
  });

  it('pull: networkVirtualAppliances list refused (403) → the hub spoke is unknown; the gap names the type, not the whole subscription, and the rest is read', async () => {
    const http = forwardingTransport((request) => (/\/providers\/Microsoft\.Network\/networkVirtualAppliances$/i.test(pathOf(request))
      ? answer(request, 403, { error: { code: 'AuthorizationFailed', message: 'no read on networkVirtualAppliances' } }) : null));
    const { snapshot, path } = await pullPlain({ resourceGraph: 'forbidden' }, plainHubEstate([nvaResource], { bgpConnections: [] }), http);
    expect(snapshot.gaps.some((g) => g.code === 'access-denied')).toBe(true);
    expect(snapshot.gaps).toContainEqual(expect.objectContaining({ code: 'access-denied', scope: `/subscriptions/${SUB_HUB}/providers/microsoft.network/networkvirtualappliances` }));
    expect(snapshot.gaps.some((g) => g.scope === `/subscriptions/${SUB_HUB}`)).toBe(false);
    // The types after the refused one are still read: the VPN gateway (listed per resource group) among them.
    expect(snapshot.model.virtualNetworkGateways.map((g) => g.name)).toEqual(['vgw-hub']);
    expect(hubOf(snapshot)?.nvasRead).toBe(false);
    expect(path?.exit).not.toBe('default-outbound');
    expect(path?.verdict).toBe('unknown');
  });

  it('a failed bgpConnections list leaves the hub\'s BGP peers unknown unless the hub document lists them', async () => {
    const failing = { serverErrors: [{ match: /\/virtualHubs\/vhub-weu\/bgpConnections$/i, times: 99 }] };
    const unlisted = await pullPlain({ resourceGraph: 'forbidden', ...failing }, plainHubEstate());
    expect(hubOf(unlisted.snapshot)?.bgpConnectionsRead).toBe(false);
    expect(unlisted.path?.verdict).toBe('unknown');
    expect(unlisted.path ? missingFactOf(unlisted.path) : '').toContain('BGP connections of the hub router');
    await fake?.close();
    disposeClock?.();
    const listed = await pullPlain({ resourceGraph: 'forbidden', ...failing }, plainHubEstate([], { bgpConnections: [] }));
    expect(hubOf(listed.snapshot)?.bgpConnectionsRead).toBeUndefined();
    expect(listed.path?.verdict).not.toBe('unknown');
  });
});
