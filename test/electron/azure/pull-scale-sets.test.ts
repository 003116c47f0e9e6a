/**
 * The pull reads the NICs and instance-level public IPs of Uniform scale set instances (AKS node
 * pools), which neither Resource Graph nor networkInterfaces.listAll returns: one paged list per
 * scale set (and its public IP list only when a NIC names one), read-only, and a failed list is a
 * gap naming the scale set.
 * https://learn.microsoft.com/cli/azure/vmss/nic
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PullCancelledError, scaledClock, virtualClock } from '../../../electron/azure/clock';
import { pullEstate, type PullOptions, type PullOutcome } from '../../../electron/azure/pull';
import { uniformScaleSets } from '../../../electron/azure/topology';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress/index';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import {
  AKS_NODE_PUBLIC_IP, AKS_OUTBOUND_IP, AKS_SUBNET, AKS_SYSTEM_POOL, AKS_USER_POOL, aksEstate, expectedIds, modelIds, scaleSetNicId,
  startFakeArm, SUB_APPS, SUB_HUB, SUB_LEGACY, type FakeArm, type FakeEstate, type FakeFaults,
} from '../../fake-arm';
import { recordingCredential } from './helpers';

let fake: FakeArm | null = null;
let disposeClock: (() => void) | null = null;

afterEach(async () => {
  await fake?.close();
  fake = null;
  disposeClock?.();
  disposeClock = null;
});

async function pull(faults: Partial<FakeFaults> = {}, options: Partial<PullOptions> = {}, estate: FakeEstate = aksEstate()): Promise<{ outcome: PullOutcome; fake: FakeArm }> {
  const clock = virtualClock();
  disposeClock = clock.dispose;
  fake = await startFakeArm({ estate, faults, clock });
  const outcome = await pullEstate({
    cloud: 'AzurePublicCloud', tenantId: null, subscriptionIds: [], effectiveRoutes: 'none', metrics: false, demoAzure: false,
    armEndpoint: fake.url, credential: recordingCredential(), clock, ...options,
    budgets: { requestTimeoutMs: 10_000, baseRetryDelayMs: 20, maxRetryDelayMs: 200, graphPageSize: 5, ...options.budgets },
  }, () => undefined);
  return { outcome, fake };
}

const lower = (id: string): string => id.toLowerCase();
const resolve = (outcome: PullOutcome): ResolveResult => resolveEgress(outcome.snapshot);
const pathOf = (result: ResolveResult, id: string): EgressPath | undefined => result.paths.find((p) => p.source.id === lower(id));
const scaleSetRequests = (f: FakeArm, kind: 'networkinterfaces' | 'publicipaddresses'): { path: string; status: number }[] =>
  f.stats.log.filter((l) => new RegExp(`/virtualmachinescalesets/[^/]+/${kind}$`, 'i').test(l.path));

/** The same estate as an export holding every resource (what `az vmss nic list` adds to a network export). */
function resolveAsExport(estate: FakeEstate): ResolveResult {
  const normalized = normalizeArm([{ fileName: 'export.json', json: { value: estate.resources } }]);
  return resolveEgress({ model: normalized.model, effectiveRoutes: [], metrics: [], gaps: normalized.gaps });
}

describe('pull: Uniform scale set instances', () => {
  it('finds the scale sets from subnet back-references and backend pools', () => {
    const sets = uniformScaleSets([{
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v', type: 'Microsoft.Network/virtualNetworks',
      properties: { subnets: [{ name: 'nodes', properties: { ipConfigurations: [
        { id: '/subscriptions/s/resourceGroups/MC_rg/providers/Microsoft.Compute/virtualMachineScaleSets/pool-a/virtualMachines/0/networkInterfaces/n/ipConfigurations/c' },
        { id: '/subscriptions/s/resourceGroups/mc_rg/providers/microsoft.compute/virtualmachinescalesets/POOL-A/virtualMachines/1/networkInterfaces/n/ipConfigurations/c' },
        { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/plain/ipConfigurations/c' },
      ] } }] },
    }, {
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/kubernetes', type: 'Microsoft.Network/loadBalancers',
      properties: { backendAddressPools: [{ properties: { backendIPConfigurations: [
        { id: '/subscriptions/t/resourceGroups/other/providers/Microsoft.Compute/virtualMachineScaleSets/pool-b/virtualMachines/7/networkInterfaces/n/ipConfigurations/c' },
      ] } }] },
    }]);
    expect(sets).toEqual([
      { subscriptionId: 's', resourceGroup: 'MC_rg', name: 'pool-a', id: '/subscriptions/s/resourceGroups/MC_rg/providers/Microsoft.Compute/virtualMachineScaleSets/pool-a', subnets: ['nodes'] },
      { subscriptionId: 't', resourceGroup: 'other', name: 'pool-b', id: '/subscriptions/t/resourceGroups/other/providers/Microsoft.Compute/virtualMachineScaleSets/pool-b', subnets: [] },
    ]);
  });

  it('reads the instance NICs and public IPs: each instance gets its own path, as in an export with the same NICs', async () => {
    const estate = aksEstate();
    const { outcome, fake: f } = await pull({ armPageSize: 2 }, {}, estate);
    const { snapshot } = outcome;
    // Everything the estate holds, the scale set NICs and the instance public IP included.
    expect([...modelIds(snapshot.model)].sort()).toEqual([...expectedIds(estate, [SUB_HUB, SUB_APPS, SUB_LEGACY])].sort());
    const nic = (set: string, i: number) => snapshot.model.networkInterfaces.find((n) => n.id === lower(scaleSetNicId(set, i)));
    expect(nic(AKS_SYSTEM_POOL, 0)).toMatchObject({ virtualMachineId: lower(`${AKS_SYSTEM_POOL}/virtualMachines/0`) });
    expect(snapshot.model.publicIpAddresses.find((p) => p.ipAddress === AKS_NODE_PUBLIC_IP)).toBeDefined();
    // The subnet lists no IP configuration the snapshot lacks.
    expect(snapshot.model.subnets.find((s) => s.id === lower(AKS_SUBNET))?.unreadIpConfigurations).toBeUndefined();
    expect(snapshot.gaps).toEqual([]);

    const result = resolve(outcome);
    for (const [set, i] of [[AKS_SYSTEM_POOL, 0], [AKS_SYSTEM_POOL, 1], [AKS_USER_POOL, 0], [AKS_USER_POOL, 1]] as const) {
      expect(pathOf(result, scaleSetNicId(set, i))).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: [AKS_OUTBOUND_IP] });
    }
    expect(pathOf(result, scaleSetNicId(AKS_SYSTEM_POOL, 2))).toMatchObject({ verdict: 'internet', exit: 'public-ip', egressIps: [AKS_NODE_PUBLIC_IP] });
    // The same answers as an export holding the same NICs and public IP.
    const exported = resolveAsExport(estate);
    const summary = (r: ResolveResult) => r.paths.filter((p) => /aks/i.test(p.source.id)).map((p) => [p.source.type, p.source.id, p.verdict, p.exit, p.egressIps.join(',')]);
    expect(summary(result)).toEqual(summary(exported));

    // Bounded: one NIC list per scale set (3 NICs in pages of 2: two pages; 2 NICs: one page), one
    // public IP list, only for the scale set whose NICs name one; read-only throughout.
    expect(scaleSetRequests(f, 'networkinterfaces').map((l) => l.path.split('/')[8]).sort()).toEqual(['aks-system-12345678-vmss', 'aks-system-12345678-vmss', 'aks-user-12345678-vmss']);
    expect(scaleSetRequests(f, 'publicipaddresses').map((l) => l.path.split('/')[8])).toEqual(['aks-system-12345678-vmss']);
    expect(f.stats.byKind.get('scale-set-list')).toBe(4);
    expect(f.stats.mutations).toBe(0);
    expect([...f.stats.byMethod.keys()].sort()).toEqual(['GET', 'POST']);
    expect(f.stats.log.filter((l) => l.method === 'POST').every((l) => /\/providers\/microsoft\.resourcegraph\/resources$/i.test(l.path))).toBe(true);
  });

  it('without the instance NICs (the problem): the subnet entry alone stands for them', async () => {
    const estate = aksEstate();
    const withoutInstances = { ...estate, resources: estate.resources.filter((r) => !/\/virtualmachinescalesets\//i.test(r.id)) };
    const result = resolveAsExport(withoutInstances);
    expect(result.paths.filter((p) => /virtualmachinescalesets/i.test(p.source.id))).toEqual([]);
  });

  it('a 403 on one scale set\'s NIC list is a gap naming it; the other scale set is still read', async () => {
    const { outcome, fake: f } = await pull({ forbiddenScopes: [AKS_SYSTEM_POOL] });
    const { snapshot } = outcome;
    expect(snapshot.gaps).toEqual([expect.objectContaining({ code: 'access-denied', scope: AKS_SYSTEM_POOL })]);
    const gap = snapshot.gaps[0]?.message ?? '';
    expect(gap).toContain('aks-system-12345678-vmss');
    expect(gap).toContain('HTTP 403');
    expect(gap).toMatch(/NICs and instance-level public IPs are unknown/);
    expect(gap).toContain("subnet snet-aks-nodes's entry stands for them");
    expect(gap).not.toContain('user@contoso.example');
    // The user pool was read; the system pool's instances are missing, and the subnet says so.
    const result = resolve(outcome);
    expect(pathOf(result, scaleSetNicId(AKS_USER_POOL, 0))).toMatchObject({ exit: 'load-balancer' });
    expect(snapshot.model.networkInterfaces.some((n) => n.id.includes('aks-system'))).toBe(false);
    expect(snapshot.model.subnets.find((s) => s.id === lower(AKS_SUBNET))?.unreadIpConfigurations).toMatchObject({ count: 3 });
    // Its public IP list is not asked (no NIC read names one); one refused request in all.
    expect(scaleSetRequests(f, 'networkinterfaces').map((l) => l.status)).toEqual([403, 200]);
    expect(scaleSetRequests(f, 'publicipaddresses')).toEqual([]);
    expect(resolve(outcome).gaps).toEqual(expect.arrayContaining([expect.objectContaining({ scope: AKS_SYSTEM_POOL })]));
  });

  it('a failed public IP list is a gap; the instance naming it is not given a confident address', async () => {
    const { outcome } = await pull({ serverErrors: [{ match: /\/publicipaddresses$/i, times: 99 }] }, { budgets: { maxRetries: 1 } });
    expect(outcome.snapshot.gaps).toEqual([expect.objectContaining({ code: 'request-failed', scope: AKS_SYSTEM_POOL })]);
    expect(outcome.snapshot.gaps[0]?.message).toMatch(/instance-level public IPs of Uniform virtual machine scale set aks-system-12345678-vmss.*HTTP 503.*1 of its instances' IP configurations name a public IP that was not read/);
    // The instance still leaves from its own public IP (its NIC says so), but its address is not
    // claimed: the engine names the unread public IP, not an address (nor the load balancer's).
    const path = pathOf(resolve(outcome), scaleSetNicId(AKS_SYSTEM_POOL, 2));
    expect(path).toMatchObject({ exit: 'public-ip', egressIps: ['pip-node'] });
    expect(outcome.snapshot.model.publicIpAddresses.some((p) => p.ipAddress === AKS_NODE_PUBLIC_IP)).toBe(false);
  });

  it('a NIC list that times out is a timeout gap for that scale set', async () => {
    const { outcome } = await pull({ hangs: [{ match: /aks-user-12345678-vmss\/networkInterfaces$/i, times: 99 }] }, { budgets: { requestTimeoutMs: 5_000, maxRetries: 1 } });
    expect(outcome.snapshot.gaps).toEqual([expect.objectContaining({ code: 'timeout', scope: AKS_USER_POOL })]);
    expect(outcome.snapshot.model.networkInterfaces.filter((n) => n.id.includes('aks-system'))).toHaveLength(3);
  });

  it('waits out a 429 on a scale set list and reads it', async () => {
    const { outcome, fake: f } = await pull({ throttles: [{ match: /aks-user-12345678-vmss\/networkInterfaces$/i, times: 1 }], throttleRetryAfterSeconds: 2 });
    expect(outcome.snapshot.gaps).toEqual([]);
    expect(outcome.snapshot.model.networkInterfaces.filter((n) => n.id.includes('aks-user'))).toHaveLength(2);
    expect(scaleSetRequests(f, 'networkinterfaces').filter((l) => l.path.includes('aks-user')).map((l) => l.status)).toEqual([429, 200]);
    expect(outcome.stats.throttledResponses).toBeGreaterThanOrEqual(1);
  });

  it('a cancelled pull stops while the scale sets are read', async () => {
    const clock = scaledClock(1);
    fake = await startFakeArm({ estate: aksEstate(), faults: { hangs: [{ match: /\/virtualMachineScaleSets\/[^/]+\/networkInterfaces$/i, times: 99 }] }, clock });
    const f = fake;
    const controller = new AbortController();
    const timer = setInterval(() => {
      // A scale set NIC list is in flight (the hang fault took it): the app's Cancel / the CLI's Ctrl+C.
      if ((f.faults.hangs[0]?.times ?? 99) < 99) controller.abort();
    }, 5);
    const startedAt = Date.now();
    try {
      await expect(pullEstate({
        cloud: 'AzurePublicCloud', tenantId: null, subscriptionIds: [], effectiveRoutes: 'none', metrics: false, demoAzure: false,
        armEndpoint: f.url, credential: recordingCredential(), clock, budgets: { requestTimeoutMs: 60_000 },
      }, () => undefined, controller.signal)).rejects.toBeInstanceOf(PullCancelledError);
    } finally {
      clearInterval(timer);
    }
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });
});
