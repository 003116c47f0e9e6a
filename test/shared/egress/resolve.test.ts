import { describe, expect, it } from 'vitest';
import { RESOLVE_SCHEMA } from '../../../shared/egress/types';
import type { ResourceId } from '../../../shared/model/ids';
import { emptyNetworkModel } from '../../../shared/model/topology';
import { effectiveRoute, ModelBuilder, networkRule } from '../../support/model-builder';
import { pathOf, resolve, summary } from './support';
import { explainPath } from '../../../shared/egress/explain';

describe('resolveEgress: output contract', () => {
  it('returns the schema, the destination, and one path per subnet even with no NICs, platform subnets included', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const ids = [b.subnet(v, 'GatewaySubnet', '10.0.255.0/27'), b.subnet(v, 'b-app', '10.0.2.0/24'), b.subnet(v, 'a-web', '10.0.1.0/24')];
    const result = resolve(b.build());
    expect(result.schema).toBe(RESOLVE_SCHEMA);
    expect(result.destination).toBe('0.0.0.0/0');
    expect(result.paths.map((p) => p.source.id)).toEqual([...ids].sort());
    // Platform subnets get a path but no default-outbound warning.
    expect(pathOf(result, ids[0] as string).findings).toEqual([]);
  });

  it('every hop carries a rule, an explanation, a Microsoft Learn link and a read-only az command', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nsg = b.nsg('nsg', []);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('p', '20.0.0.1')] });
    b.subnet(v, 'app', '10.0.1.0/24', { natGatewayId: nat, networkSecurityGroupId: nsg });
    const hops = resolve(b.build()).paths.flatMap((p) => explainPath(p));
    expect(hops.length).toBe(5);
    for (const hop of hops) {
      expect(hop.rule.length).toBeGreaterThan(3);
      expect(hop.explanation.length).toBeGreaterThan(20);
      expect(hop.docs).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\//);
      expect(hop.verify).toMatch(/^az network [a-z- ]+ (show|list|show-effective-route-table|list-learned-routes)\b/);
      expect(hop.verify).not.toMatch(/\b(create|update|delete|set)\b/);
    }
  });

  it('is deterministic: same input, same output (NIC entries sorted with subnets by source ID)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    b.nic(s, 'z-nic', '10.0.1.5', { publicIpId: b.publicIp('z', '52.0.0.2') });
    b.nic(s, 'a-nic', '10.0.1.4', { publicIpId: b.publicIp('a', '52.0.0.1') });
    b.nic(s, 'plain', '10.0.1.6');
    const model = b.build();
    const first = resolve(model);
    expect(first.paths.map((p) => `${p.source.type}:${p.source.name}`)).toEqual(['nic:a-nic', 'nic:z-nic', 'subnet:app']);
    expect(JSON.stringify(resolve(model))).toBe(JSON.stringify(first));
  });

  it('an empty model resolves to nothing', () => {
    expect(resolve(emptyNetworkModel())).toEqual({
      schema: RESOLVE_SCHEMA, destination: '0.0.0.0/0', paths: [], findings: [], gaps: [],
      destinationInfo: { kind: 'default-route', label: '0.0.0.0/0', port: 443, protocol: 'Tcp', interpretation: 'the internet as a whole (0.0.0.0/0), TCP 443' },
    });
  });

  it('an unparsable destination gives unknown paths and a gap, never a throw', () => {
    const b = new ModelBuilder();
    b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24');
    const result = resolve(b.build(), { destination: 'not a destination!' });
    expect(result.paths.map((p) => p.verdict)).toEqual(['unknown']);
    expect(result.gaps.map((g) => g.code)).toEqual(['not-modelled']);
  });

  it('an IPv6-only subnet is unknown with a not-modelled gap', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['fd00::/48']), 'v6', 'fd00::/64');
    const result = resolve(b.build());
    expect(pathOf(result, s).verdict).toBe('unknown');
    expect(result.gaps).toEqual([{ code: 'not-modelled', scope: s, message: 'IPv6-only subnet: IPv6 egress is not modelled.' }]);
  });
});

describe('resolveEgress: exits', () => {
  it('names a public IP or prefix by resource name when its address is unknown; prefixes count 2^(32-len) addresses', () => {
    const b = new ModelBuilder();
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('pip-unallocated', null)], prefixIds: [b.publicIpPrefix('prefix', '20.10.0.0/30')] });
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: nat });
    expect(summary(pathOf(resolve(b.build()), s))).toMatchObject({ egressIps: ['pip-unallocated', '20.10.0.0/30'], snatPorts: 5 * 64_512 });
  });

  it('a UDR with next hop VnetLocal for internet traffic keeps it in the VNet: dropped, flagged UNCONFIRMED', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VnetLocal' }]) });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toMatchObject({ verdict: 'dropped', hops: ['source', 'route', 'drop'] });
    expect(explainPath(path)[2]?.explanation).toContain('UNCONFIRMED');
  });

  // Partial input must not give a confident verdict: the missing resource decides the path.
  it('a NAT gateway missing from the snapshot makes the path unknown, with a gap naming it', () => {
    const b = new ModelBuilder();
    const ghost = '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/natgateways/ghost' as ResourceId;
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { natGatewayId: ghost });
    const result = resolve(b.build());
    expect(summary(pathOf(result, s))).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [], snatPorts: null });
    expect(result.gaps.map((g) => [g.code, g.scope])).toEqual([['missing-reference', s], ['missing-reference', ghost]]);
    expect(explainPath(pathOf(result, s)).at(-1)?.rule).toBe('Not in the snapshot: NAT gateway ghost of subnet app');
  });

  it('a route table missing from the snapshot makes the path unknown instead of using the system routes alone', () => {
    const b = new ModelBuilder();
    const ghost = '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/routetables/rt-ghost' as ResourceId;
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { routeTableId: ghost });
    const result = resolve(b.build());
    expect(pathOf(result, s).verdict).toBe('unknown');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'missing-reference', scope: ghost }));
  });

  it('an NSG missing from the snapshot makes the path unknown too', () => {
    const b = new ModelBuilder();
    const ghost = '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/networksecuritygroups/nsg-ghost' as ResourceId;
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { networkSecurityGroupId: ghost });
    const result = resolve(b.build());
    expect(pathOf(result, s).verdict).toBe('unknown');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'missing-reference', scope: ghost }));
  });

  it('a NIC in the backend pool of a load balancer missing from the input is unknown (its rules could give it outbound), not default outbound', () => {
    const b = new ModelBuilder();
    const ghostLb = '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/loadbalancers/lb-ghost' as ResourceId;
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.2.0/24');
    const nic = b.nic(s, 'vm1-nic', '10.0.2.4', { poolIds: [`${ghostLb}/backendaddresspools/pool-web` as ResourceId] });
    b.nic(s, 'vm2-nic', '10.0.2.5');
    const result = resolve(b.build());
    expect(pathOf(result, nic).verdict).toBe('unknown');
    expect(explainPath(pathOf(result, nic)).at(-1)?.rule).toBe('Not in the snapshot: load balancer lb-ghost (NIC vm1-nic is in its backend pool pool-web)');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'missing-reference', scope: ghostLb }));
    // The other NIC, and the subnet entry, are decided.
    expect(pathOf(result, s)).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
  });

  it('a NIC in the pool of a load balancer whose SKU is not recognised is unknown (Basic and Standard give different answers)', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.2.0/24');
    const lb = b.loadBalancer('lb-web', { sku: 'Unknown', frontends: [{ name: 'fe', publicIpId: b.publicIp('lb-pip', '20.2.2.2') }], pools: [{ name: 'pool-web' }] });
    const nic = b.nic(s, 'vm1-nic', '10.0.2.4', { poolIds: [ModelBuilder.poolId(lb, 'pool-web')] });
    const path = pathOf(resolve(b.build()), nic);
    expect(path.verdict).toBe('unknown');
    expect(explainPath(path).at(-1)?.explanation).toContain('the SKU of load balancer lb-web (NIC vm1-nic is in its backend pool pool-web)');
  });

  it('a subnet exported without its virtual network is unknown (gateway, peering and hub routes come with the VNet), unless its routes were captured', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { natGatewayId: nat });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4');
    const whole = b.build();
    expect(pathOf(resolve(whole), s).verdict).toBe('internet');
    const subnetOnly = { ...whole, virtualNetworks: [] };
    const result = resolve(subnetOnly);
    expect(summary(pathOf(result, s))).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [] });
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'missing-reference', scope: v, message: expect.stringContaining('Virtual network v of subnet app is referenced but not in the input') }));
    expect(explainPath(pathOf(result, s)).at(-1)?.rule).toBe('Not in the snapshot: virtual network v of subnet app');
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet')] }];
    expect(summary(pathOf(resolve(subnetOnly, {}, { effectiveRoutes }), s))).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.9.9.9'] });
  });
});

describe('resolveEgress: captured effective routes', () => {
  function estate() {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { natGatewayId: nat });
    const nic = b.nic(s, 'vm1-nic', '10.0.1.4');
    return { model: b.build(), s, nic };
  }

  it('override the computed routes for the whole subnet, and disagreement is a route-drift warning naming both', () => {
    const { model, s, nic } = estate();
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [effectiveRoute('0.0.0.0/0', 'None', { source: 'User', name: 'blackhole' })] }];
    const path = pathOf(resolve(model, {}, { effectiveRoutes }), s);
    expect(summary(path)).toEqual({
      verdict: 'dropped', exit: null, via: [], egressIps: [], snatPorts: null, hops: ['source', 'route', 'drop'], findings: ['route-drift'],
    });
    expect(path.findings[0]).toMatchObject({ severity: 'warning', resourceIds: [s, nic] });
    expect(path.findings[0]?.message).toContain('"0.0.0.0/0 → None" but the configuration in the snapshot gives "0.0.0.0/0 → Internet"');
    expect(explainPath(path)[1]?.verify).toBe(`az network nic show-effective-route-table --ids '${nic}' -o table`);
    const estateFindings = resolve(model, {}, { effectiveRoutes }).findings;
    expect(estateFindings.map((f) => [f.code, f.resourceIds])).toEqual([['route-drift', [s]]]);
  });

  it('agreeing captures give no drift; a what-if destination checks both its winner and 0/0', () => {
    const { model, s, nic } = estate();
    const agree = [{ networkInterfaceId: nic, routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet')] }];
    expect(summary(pathOf(resolve(model, {}, { effectiveRoutes: agree }), s))).toMatchObject({ exit: 'nat-gateway', findings: [] });
    const specific = [{ networkInterfaceId: nic, routes: [effectiveRoute('0.0.0.0/0', 'Internet'), effectiveRoute('8.8.8.0/24', 'None', { source: 'User' })] }];
    const path = pathOf(resolve(model, { destination: '8.8.8.8' }, { effectiveRoutes: specific }), s);
    expect(path.verdict).toBe('dropped');
    expect(path.findings.map((f) => f.message)).toEqual([
      expect.stringContaining('for 8.8.8.8 the captured effective routes'),
    ]);
  });
});

describe('resolveEgress: appliances', () => {
  it('an appliance chain that comes back to a visited appliance is a route loop', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const rtToB = b.routeTable('to-b', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.3.4' }]);
    const rtToA = b.routeTable('to-a', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]);
    const nvaA = b.nic(b.subnet(v, 'nva-a', '10.0.2.0/24', { routeTableId: rtToB }), 'nva-a', '10.0.2.4', { ipForwarding: true });
    const nvaB = b.nic(b.subnet(v, 'nva-b', '10.0.3.0/24', { routeTableId: rtToA }), 'nva-b', '10.0.3.4', { ipForwarding: true });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rtToA });
    expect(summary(pathOf(resolve(b.build()), s))).toEqual({
      verdict: 'dropped', exit: null, via: [nvaA, nvaB], egressIps: [], snatPorts: null,
      hops: ['source', 'route', 'virtual-appliance', 'route', 'virtual-appliance', 'route', 'drop'], findings: ['route-loop'],
    });
  });

  it('an internal LB frontend as next hop continues through its backend NVAs when they all egress alike (here: one NAT gateway)', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const nat = b.natGateway('nva-nat', { publicIpIds: [b.publicIp('nva-nat-pip', '20.4.4.4')] });
    const nvaSubnet = b.subnet(hub, 'nva', '10.0.2.0/24', { natGatewayId: nat });
    const ilb = b.loadBalancer('ilb', { frontends: [{ name: 'fe', privateIp: '10.0.2.100', subnetId: nvaSubnet }], pools: [{ name: 'nvas' }], rules: [{ name: 'ha', frontend: 'fe', pool: 'nvas', port: 0, protocol: 'All' }] });
    const nva1 = b.nic(nvaSubnet, 'nva1', '10.0.2.4', { ipForwarding: true, poolIds: [ModelBuilder.poolId(ilb, 'nvas')] });
    b.nic(nvaSubnet, 'nva2', '10.0.2.5', { ipForwarding: true, poolIds: [ModelBuilder.poolId(ilb, 'nvas')] });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.100' }]);
    const s = b.subnet(hub, 'app', '10.0.1.0/24', { routeTableId: rt });
    // Backends that egress differently give `unknown` instead: see appliances.test.ts.
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toEqual({
      verdict: 'internet', exit: 'nat-gateway', via: [ilb, nva1], egressIps: ['20.4.4.4'], snatPorts: 64_512,
      hops: ['source', 'route', 'internal-load-balancer', 'virtual-appliance', 'route', 'nat-gateway', 'internet'], findings: [],
    });
    expect(explainPath(path)[2]?.explanation).toContain('2 backend NVA NIC(s)');
    expect(explainPath(path)[2]?.explanation).toContain('HA-ports rule ha (protocol All, port 0) carries every flow');
  });

  it('an NVA in a peered VNet whose peering disallows forwarded traffic → warning allow-forwarded-traffic-missing', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.100.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub, { allowForwardedTraffic: false });
    const nva = b.nic(b.subnet(hub, 'nva', '10.100.0.0/24'), 'nva', '10.100.0.4', { ipForwarding: true, publicIpId: b.publicIp('nva-pip', '20.4.4.4') });
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.100.0.4' }]) });
    expect(summary(pathOf(resolve(b.build()), s))).toMatchObject({ verdict: 'internet', via: [nva], findings: ['allow-forwarded-traffic-missing'] });
  });

  it('an NVA reachable only through a Disconnected peering is unreachable', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.100.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub, { state: 'Disconnected' });
    b.nic(b.subnet(hub, 'nva', '10.100.0.0/24'), 'nva', '10.100.0.4', { ipForwarding: true });
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.100.0.4' }]) });
    expect(summary(pathOf(resolve(b.build()), s))).toMatchObject({ verdict: 'dropped', findings: ['next-hop-unreachable'] });
  });

  it('a next hop in a peered VNet that is out of scope → unknown with a missing-reference gap', () => {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const remote = '/subscriptions/other/resourcegroups/rg/providers/microsoft.network/virtualnetworks/hub' as ResourceId;
    b.peerOutOfScope(spoke, remote, ['10.100.0.0/16']);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.100.0.4' }]) });
    const result = resolve(b.build());
    expect(pathOf(result, s).verdict).toBe('unknown');
    expect(result.gaps.map((g) => [g.code, g.scope])).toEqual([['missing-reference', remote]]);
  });

  it('a next hop behind a peering whose state the input does not give → unknown naming the peering, not dropped', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.100.0.0/16']);
    const nvaSubnet = b.subnet(hub, 'nva', '10.100.1.0/24');
    b.nic(nvaSubnet, 'nva-nic', '10.100.1.4', { ipForwarding: true });
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const s = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.100.1.4' }]) });
    b.nic(s, 'vm-nic', '10.1.1.4');
    const peering = b.peer(spoke, hub, { state: 'Unknown' });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toMatchObject({ verdict: 'unknown', findings: [] });
    expect(explainPath(path).at(-1)?.explanation).toContain('the state of peering to-hub to hub, which holds next hop 10.100.1.4');
    expect(explainPath(path).at(-1)?.id).toBe(peering);
    // Disconnected is a fact: the next hop is unreachable.
    const b2 = new ModelBuilder();
    const hub2 = b2.vnet('hub', ['10.100.0.0/16']);
    b2.nic(b2.subnet(hub2, 'nva', '10.100.1.0/24'), 'nva-nic', '10.100.1.4', { ipForwarding: true });
    const spoke2 = b2.vnet('spoke', ['10.1.0.0/16']);
    const s2 = b2.subnet(spoke2, 'app', '10.1.1.0/24', { routeTableId: b2.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.100.1.4' }]) });
    b2.nic(s2, 'vm-nic', '10.1.1.4');
    b2.peer(spoke2, hub2, { state: 'Disconnected' });
    expect(pathOf(resolve(b2.build()), s2).verdict).toBe('dropped');
  });

  it('a firewall whose policy is not in the snapshot: unknown (its rules decide), warning firewall-rules-not-captured', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.0.0/26');
    const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.0.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], policyId: '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/firewallpolicies/gone' as ResourceId });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' }]) });
    const result = resolve(b.build());
    expect(summary(pathOf(result, s))).toMatchObject({ verdict: 'unknown', via: [fw], egressIps: [], findings: ['firewall-rules-not-captured'] });
    expect(explainPath(pathOf(result, s)).at(-1)?.explanation).toContain('the rules of firewall fw (firewall policy /subscriptions/x/resourcegroups/rg/providers/microsoft.network/firewallpolicies/gone is not in the snapshot)');
    expect(result.gaps.map((g) => g.code)).toContain('missing-reference');
  });

  it('an unknown next-hop type → unknown verdict and unknown-next-hop finding', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'HyperNetGateway' }]) });
    expect(summary(pathOf(resolve(b.build()), s))).toMatchObject({ verdict: 'unknown', findings: ['unknown-next-hop'] });
  });

  it('a UDR to VirtualNetworkGateway with no gateway at all → dropped, next-hop-unreachable', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]) });
    expect(summary(pathOf(resolve(b.build()), s))).toMatchObject({ verdict: 'dropped', findings: ['next-hop-unreachable'] });
  });

  it('a UDR to VirtualNetworkGateway with a route-based VPN gateway → on-premises; with a policy-based one → unsupported', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const gw = b.gateway('vpn', v);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]) });
    const model = b.build();
    expect(summary(pathOf(resolve(model), s))).toMatchObject({ verdict: 'on-premises', hops: ['source', 'route', 'virtual-network-gateway', 'on-premises'], findings: ['forced-tunnel'] });
    const policyBased = { ...model, virtualNetworkGateways: model.virtualNetworkGateways.map((g) => (g.id === gw ? { ...g, vpnType: 'PolicyBased' as const } : g)) };
    expect(summary(pathOf(resolve(policyBased), s))).toMatchObject({ verdict: 'unknown', findings: ['unsupported-udr-gateway'] });
  });

  it('a UDR to a secured hub firewall\'s private IP is not a valid next hop (reached only through Virtual WAN)', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const fw = b.firewall('hub-fw', { hubId: '/x' as ResourceId, hubPrivateIp: '10.255.0.132', hubPublicIps: ['20.8.8.1'], rules: [networkRule('web')] });
    b.virtualHub('hub', { firewallId: fw, connections: [{ vnetId: v, enableInternetSecurity: false }] });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.255.0.132' }]) });
    const path = pathOf(resolve(b.build()), s);
    expect(summary(path)).toMatchObject({ verdict: 'dropped', findings: ['next-hop-unreachable'] });
    expect(explainPath(path)[2]?.explanation).toContain('use routing intent instead');
  });

  it('a UDR to VirtualNetworkGateway in a vWAN-connected VNet is unsupported', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    b.virtualHub('hub', { connections: [{ vnetId: v, enableInternetSecurity: true }] });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]) });
    expect(summary(pathOf(resolve(b.build()), s))).toMatchObject({ verdict: 'unknown', findings: ['unsupported-udr-gateway'] });
  });
});

describe('resolveEgress: NSG and firewall on what-if destinations', () => {
  it('an NSG deny on a specific CIDR applies to a destination inside it but not to the internet in general', () => {
    const b = new ModelBuilder();
    const nsg = b.nsg('nsg', [{ name: 'deny-range', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', sourceAddressPrefixes: ['*'], destinationAddressPrefixes: ['8.8.8.0/24'], destinationPortRanges: ['443'], isDefault: false }]);
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24', { networkSecurityGroupId: nsg });
    const model = b.build();
    expect(pathOf(resolve(model, { destination: '8.8.8.8' }), s).verdict).toBe('denied');
    expect(pathOf(resolve(model, { destination: '8.8.8.8', destinationPort: 80 }), s).verdict).toBe('internet');
    expect(pathOf(resolve(model, { destination: '8.8.8.8', protocol: 'Udp' }), s).verdict).toBe('internet');
    expect(pathOf(resolve(model), s).verdict).toBe('internet');
  });

  // Partial allows are not denials: for the default route the verdict is internet, restricted to
  // what the rules allow https://learn.microsoft.com/azure/firewall/rule-processing
  it('a firewall network rule on a CIDR allows a what-if IP inside it, denies others by default, and restricts the default route to it', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.0.0/26');
    b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.0.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], rules: [networkRule('to-partner', { destinationAddresses: ['40.1.0.0/16'] })] });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' }]) });
    const model = b.build();
    expect(pathOf(resolve(model, { destination: '40.1.2.3' }), s).verdict).toBe('internet');
    expect(summary(pathOf(resolve(model, { destination: '40.2.2.3' }), s))).toMatchObject({ verdict: 'denied', findings: ['firewall-default-deny'] });
    const defaultRoute = pathOf(resolve(model), s);
    expect(defaultRoute.verdict).toBe('internet');
    expect(explainPath(defaultRoute).at(-1)).toMatchObject({ rule: 'Internet (restricted)' });
    expect(explainPath(defaultRoute).at(-1)?.explanation).toContain('40.1.0.0/16');
  });

  it('an NSG on an NVA NIC that denies internet stops the spoke\'s traffic at the NVA', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nsg = b.nsg('nva-nsg', [{ name: 'deny-web', priority: 100, direction: 'Outbound', access: 'Deny', protocol: '*', sourceAddressPrefixes: ['*'], destinationAddressPrefixes: ['Internet'], destinationPortRanges: ['443'], isDefault: false }]);
    const nva = b.nic(b.subnet(v, 'nva', '10.0.2.0/24'), 'nva', '10.0.2.4', { ipForwarding: true, nsgId: nsg });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]) });
    expect(summary(pathOf(resolve(b.build()), s))).toEqual({
      // Inbound at the NVA (defaults: unknown, the VirtualNetwork tag's contents decide), then outbound: the deny decides either way.
      verdict: 'denied', exit: null, via: [nva], egressIps: [], snatPorts: null, hops: ['source', 'route', 'virtual-appliance', 'nsg', 'nsg', 'drop'], findings: [],
    });
  });
});
