/**
 * What `complete` promises (CostResult contract): every charge on the source's path has a figure.
 * A path leaving through a load balancer passes charges the price table does not hold (the load
 * balancer and its frontend public IPs: a Standard static public IPv4 bills $0.005/h, destinations.md
 * §8.1, Infracost public_ip_test.golden); the estimate names them in `leftOut` and a `not-costed`
 * gap, and the source, its rollups and the total are then not complete.
 *
 * And one region normaliser for prices and egress zones: ARM accepts a location's display name
 * ("East US") as well as its name (https://learn.microsoft.com/rest/api/resources/subscriptions/list-locations);
 * the table puts eastus in egress zone 1 (destinations.md §8.1, zone 1 = North America, Europe).
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import { estimateCost } from '../../../shared/cost/index';
import type { CostResult, SourceCost } from '../../../shared/cost/index';
import { PRICE_TABLE, priceIn, regionKey, zoneOfRegion } from '../../../shared/cost/prices';
import { networkInterface, publicIp, subnetId, virtualNetwork, vnetId } from '../../../shared/demo/arm-builders';
import type { Scope } from '../../../shared/demo/arm-builders';
import { resolveEgress } from '../../../shared/egress/index';
import type { ResolveInput } from '../../../shared/egress/index';
import { TRAFFIC_SCHEMA } from '../../../shared/traffic/index';
import type { TrafficResult } from '../../../shared/traffic/index';
import { demoInput } from '../policy/support';

const GIB = 1024 ** 3;
// A 73-hour window: bytes × 730 / 73 = bytes × 10 per month.
const WINDOW = { from: '2024-05-01T00:00:00.000Z', to: '2024-05-04T01:00:00.000Z' };

/** Flow-log bytes for one NIC: `gib` GiB sent to a public address in the window. */
function nicTraffic(input: ResolveInput, nicName: string, gib: number): TrafficResult {
  const nic = input.model.networkInterfaces.find((n) => n.name === nicName);
  const subnet = nic?.ipConfigurations[0]?.subnetId;
  if (!nic || !subnet) throw new Error(`no NIC ${nicName}`);
  return {
    schema: TRAFFIC_SCHEMA, window: WINDOW, unattributed: [], findings: [], gaps: [],
    sources: [{
      source: { type: 'nic', id: nic.id, name: nic.name }, subnet: { id: subnet, name: subnet.split('/').pop() ?? '' },
      observed: [{ destination: '185.40.56.10', port: 443, protocol: 'TCP', action: 'allow', flows: 1, bytes: gib * GIB, bytesSent: gib * GIB,
        firstSeen: WINDOW.from, lastSeen: WINDOW.to, rule: null, model: 'allowed' }],
    }],
  };
}

function pathCost(result: CostResult, name: string): SourceCost {
  const s = result.sources.find((x) => x.source.name === name);
  if (!s) throw new Error(`no source ${name}`);
  return s;
}

describe('cost: a path whose charges are not all priced is not complete', () => {
  it('marks a load-balancer exit incomplete, naming the load balancer and its frontend public IPs as left out', () => {
    // training: nic-vm-lesson05-01 leaves through Standard LB lbe-training-outbound-rule's outbound
    // rule, whose frontend is a Standard public IP. Its other lines all have figures.
    const input = demoInput('training');
    const resolved = resolveEgress(input);
    const only = { ...resolved, paths: resolved.paths.filter((p) => p.source.name === 'nic-vm-lesson05-01') };
    const result = estimateCost(input, only, { traffic: nicTraffic(input, 'nic-vm-lesson05-01', 50), fallbackRegion: 'eastus' });
    const src = pathCost(result, 'nic-vm-lesson05-01');
    expect(src.exit).toBe('load-balancer');
    expect(src.lines.every((l) => l.monthlyUsd !== null)).toBe(true);
    expect(src.leftOut).toEqual([expect.stringMatching(/load balancer and its frontend public IPs are not priced/)]);
    expect(result.gaps.some((g) => g.code === 'not-costed' && g.scope === src.source.id && /load balancer/.test(g.message))).toBe(true);
    expect(src.complete).toBe(false);
    expect(result.total.complete).toBe(false);
    expect(result.rollups.owner.every((r) => !r.complete)).toBe(true);
  });

  it('marks a path through an NVA incomplete, and leaves nothing out of a NAT gateway path', () => {
    // training: snet-11-nva-with-forwarding leaves through an NVA whose VM is not priced;
    // snet-03-nat-gateway through a NAT gateway and its public IP, both priced.
    const input = demoInput('training');
    const result = estimateCost(input, resolveEgress(input), { fallbackRegion: 'eastus' });
    expect(pathCost(result, 'snet-11-nva-with-forwarding').leftOut).toEqual([expect.stringMatching(/network virtual appliance/)]);
    expect(pathCost(result, 'snet-11-nva-with-forwarding').complete).toBe(false);
    expect(pathCost(result, 'snet-03-nat-gateway').leftOut).toEqual([]);
  });
});

describe('cost: region names', () => {
  it('reads a region the same way for prices and egress zones, however it is spelt', () => {
    expect(regionKey('East US')).toBe('eastus');
    expect(regionKey(' WestEurope ')).toBe('westeurope');
    expect(zoneOfRegion(PRICE_TABLE, 'East US')).toBe(zoneOfRegion(PRICE_TABLE, 'eastus'));
    expect(zoneOfRegion(PRICE_TABLE, 'eastus')).toBe('zone-1');
    expect(zoneOfRegion(PRICE_TABLE, null)).toBeNull();
    expect(priceIn(PRICE_TABLE.publicIpStandard, 'East US', null)?.substituted).toBe(false);
    expect(priceIn(PRICE_TABLE.publicIpStandard, 'West Europe', 'East US')).toMatchObject({ pricedAt: 'eastus', substituted: true });
  });

  it('puts a source in "East US" in zone 1 for internet egress, as its public IP is priced at eastus', () => {
    const scope: Scope = { subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-cost', location: 'East US', tags: { owner: 'team-a' } };
    const pip = publicIp(scope, 'pip-vm', { ipAddress: '20.1.1.1' });
    const vnet = virtualNetwork(scope, 'vnet-a', ['10.0.0.0/16'], [{ name: 'snet-vm', addressPrefix: '10.0.1.0/24', defaultOutboundAccess: false }]);
    const nic = networkInterface(scope, 'nic-vm', { subnetId: subnetId(vnetId(scope, 'vnet-a'), 'snet-vm'), privateIp: '10.0.1.4', publicIp: pip, vmName: 'vm1' });
    const input: ResolveInput = { ...normalizeArm([{ fileName: 'east-us.json', json: { resources: [pip, vnet, nic] } }]), metrics: [], serviceTags: undefined };
    const result = estimateCost(input, resolveEgress(input), { traffic: nicTraffic(input, 'nic-vm', 5) });
    const src = pathCost(result, 'nic-vm');
    expect(src.lines.find((l) => l.item === 'public-ip-hours')?.price?.pricedAt).toBe('eastus');
    const egress = src.lines.find((l) => l.item === 'internet-egress');
    expect(egress?.missing).toBeNull();
    expect(egress?.monthlyUsd).not.toBeNull();
    expect(result.internetEgress.map((z) => z.zone)).toEqual(['zone-1']);
    expect(result.gaps.some((g) => /no egress zone/.test(g.message))).toBe(false);
  });
});
