/**
 * The synthetic estate generator: exact counts, determinism per seed, ARM shapes the normalizer
 * reads without gaps, and the realistic mix of egress patterns the bench relies on.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import { generateSyntheticEstate } from '../../../shared/demo/index';
import { resourcesBySubscription, syntheticSubscriptionId } from '../../../shared/demo/synthetic';
import { resolveEgress } from '../../../shared/egress/index';

const SMALL = { subscriptions: 3, virtualNetworks: 18, subnets: 150, networkInterfaces: 600, seed: 7 } as const;

describe('generateSyntheticEstate', () => {
  const estate = generateSyntheticEstate(SMALL);
  const normalized = normalizeArm([{ fileName: 'synthetic.json', json: estate }]);

  it('produces exactly the requested numbers of VNets, subnets and NICs, with no gaps', () => {
    expect(normalized.gaps).toEqual([]);
    expect(normalized.model.virtualNetworks).toHaveLength(18);
    expect(normalized.model.subnets).toHaveLength(150);
    expect(normalized.model.networkInterfaces).toHaveLength(600);
    expect(new Set(normalized.model.virtualNetworks.map((v) => v.subscriptionId)).size).toBe(3);
  });

  it('is deterministic for a seed and different for another seed', () => {
    expect(generateSyntheticEstate(SMALL)).toEqual(estate);
    const other = generateSyntheticEstate({ ...SMALL, seed: 8 });
    expect(JSON.stringify(other)).not.toEqual(JSON.stringify(estate));
  });

  it('builds one hub per subscription with a firewall, a NAT gateway on AzureFirewallSubnet and peered spokes', () => {
    const { model } = normalized;
    expect(model.azureFirewalls).toHaveLength(3);
    for (const fw of model.azureFirewalls) {
      const subnetId = fw.ipConfigurations[0]?.subnetId;
      const subnet = model.subnets.find((s) => s.id === subnetId);
      expect(subnet?.name).toBe('AzureFirewallSubnet');
      expect(subnet?.natGatewayId).not.toBeNull();
    }
    const hubs = model.virtualNetworks.filter((v) => v.name.startsWith('vnet-hub-'));
    expect(hubs).toHaveLength(3);
    // 18 VNets over 3 subscriptions: each hub peers with its 5 spokes.
    for (const hub of hubs) expect(hub.peerings).toHaveLength(5);
  });

  it('mixes the egress patterns real estates have', () => {
    const result = resolveEgress({ ...normalized, metrics: [] }, {});
    const exits = new Set(result.paths.map((p) => `${p.verdict}/${p.exit ?? '-'}`));
    for (const expected of ['internet/nat-gateway', 'internet/default-outbound', 'no-outbound/-', 'internet/public-ip', 'internet/load-balancer']) {
      expect(exits).toContain(expected);
    }
    const throughFirewall = result.paths.filter((p) => p.via.some((v) => v.kind === 'azure-firewall'));
    expect(throughFirewall.length).toBeGreaterThan(result.paths.length / 3);
    expect(result.paths.flatMap((p) => p.findings).map((f) => f.code)).toContain('nat-gateway-bypassed');
  });

  it('captures consistent effective routes for two NICs per subscription: a spoke VM, and a hub VM that shows the BGP-learned routes', () => {
    expect(Object.keys(estate.effectiveRouteTables)).toHaveLength(6);
    expect(normalized.effectiveRoutes).toHaveLength(6);
    const learned = normalized.effectiveRoutes.filter((c) => c.routes.some((r) => r.source === 'VirtualNetworkGateway'));
    expect(learned.map((c) => c.networkInterfaceId).every((id) => id.includes('/networkinterfaces/nic-vm-shared-'))).toBe(true);
    expect(learned).toHaveLength(3);
    const nicIds = new Set(normalized.model.networkInterfaces.map((n) => n.id));
    for (const captured of normalized.effectiveRoutes) expect(nicIds.has(captured.networkInterfaceId)).toBe(true);
  });

  it('can be served one subscription at a time', () => {
    const groups = resourcesBySubscription(estate.resources);
    expect([...groups.keys()].sort()).toEqual([0, 1, 2].map((i) => syntheticSubscriptionId(7, i)).sort());
    expect([...groups.values()].reduce((n, g) => n + g.length, 0)).toBe(estate.resources.length);
    const one = normalizeArm([{ fileName: 'sub0.json', json: [...(groups.get(syntheticSubscriptionId(7, 0)) ?? [])] }]);
    expect(one.model.virtualNetworks).toHaveLength(6);
    expect(one.gaps).toEqual([]);
  });
});
