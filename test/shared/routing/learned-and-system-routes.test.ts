/**
 * Learned routes without Route Server stay with the gateway; captures listing the same routes in
 * another order agree; a captured VnetLocal range is the VNet's own; two system routes on one prefix
 * are not ECMP (and have no documented order); an IPv6 public answer does not hide a private DNS
 * answer. Each case was a wrong answer (or an `unknown` where the input decides it) found in review.
 */
import { describe, expect, it } from 'vitest';
import { explainPath } from '../../../shared/egress/explain';
import type { ResourceId } from '../../../shared/model/ids';
import type { CapturedEffectiveRoutes } from '../../../shared/model/topology';
import { effectiveRoute, ModelBuilder } from '../../support/model-builder';
import { explanations, pathOf, resolve } from '../egress/support';

/**
 * A hub with an ExpressRoute gateway and no Azure Route Server. ExpressRoute-learned routes list the
 * MSEE addresses as next-hop IPs, which are not in the VNet (e.g. `VirtualNetworkGateway Active
 * 10.2.253.128/25 VirtualNetworkGateway 10.24.133.24` for a VNet of 192.168.1.0/24,
 * https://blog.cloudtrooper.net/2022/05/16/azure-vmware-solution-networking-voodoo/). Without Route
 * Server no NVA can inject a learned route [RS], so every learned route belongs to the gateway.
 */
function expressRouteHubWithoutRouteServer(b: ModelBuilder) {
  const hub = b.vnet('hub', ['10.0.0.0/16']);
  b.subnet(hub, 'GatewaySubnet', '10.0.255.0/27');
  b.gateway('ergw', hub, { type: 'ExpressRoute' });
  const app = b.subnet(hub, 'app', '10.0.1.0/24');
  const nic = b.nic(app, 'vm', '10.0.1.4');
  const app2 = b.subnet(hub, 'app2', '10.0.2.0/24');
  const effectiveRoutes: CapturedEffectiveRoutes[] = [{ networkInterfaceId: nic, routes: [
    effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('10.24.0.0/16', 'VNetPeering'),
    effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
    // On-premises advertises 0.0.0.0/0 over the circuit (forced tunnelling); next hop: an MSEE address.
    effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.24.133.24'] }),
  ] }];
  return { hub, app, app2, effectiveRoutes };
}

describe('learned routes sent to an "appliance"', () => {
  it('an ExpressRoute-learned 0.0.0.0/0 (no Route Server) stays with the gateway even if a NIC in a peered VNet holds its next-hop IP', () => {
    // Learned routes come from the gateway ("routes are propagated from the on-premises network gateway")
    // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#optional-default-routes
    // An NVA's routes reach VMs only through Azure Route Server https://learn.microsoft.com/azure/route-server/route-server-faq
    // There is no Route Server here, yet learnedFromAppliance walks to whatever NIC owns the IP.
    const b = new ModelBuilder();
    const { hub, app, app2, effectiveRoutes } = expressRouteHubWithoutRouteServer(b);
    const other = b.vnet('other', ['10.24.0.0/16']);
    b.peer(hub, other);
    b.nic(b.subnet(other, 'workload', '10.24.133.0/24'), 'other-vm', '10.24.133.24', { ipForwarding: true, publicIpId: b.publicIp('o-pip', '20.7.7.7') });
    const result = resolve(b.build(), {}, { effectiveRoutes });
    // Before: "internet" from 20.7.7.7 via other-vm (before 5e4a252: on-premises).
    for (const subnet of [app, app2]) {
      const path = pathOf(result, subnet);
      expect({ subnet, verdict: path.verdict, egressIps: path.egressIps, via: path.via.map((v) => v.id) })
        .toEqual({ subnet, verdict: 'on-premises', egressIps: [], via: [] });
    }
  });

  it('an ExpressRoute-learned 0.0.0.0/0 (no Route Server) whose next-hop IP falls in an out-of-scope peered range is on-premises, not "appliance not in the snapshot"', () => {
    const b = new ModelBuilder();
    const { hub, app, effectiveRoutes } = expressRouteHubWithoutRouteServer(b);
    b.peerOutOfScope(hub, '/subscriptions/00000000-0000-0000-0000-000000000002/resourcegroups/rg/providers/microsoft.network/virtualnetworks/x' as ResourceId, ['10.24.0.0/16']);
    const path = pathOf(resolve(b.build(), {}, { effectiveRoutes }), app);
    // Before: unknown, "Next-hop appliance 10.24.133.24 is in a peered virtual network that is not in the snapshot".
    expect(path.verdict).toBe('on-premises');
    expect(explanations(path)).not.toContain('appliance');
  });
});

describe('disagreeing captures', () => {
  it('two captures of one subnet holding the same routes in another order agree (split default route 0.0.0.0/1 + 128.0.0.0/1)', () => {
    // Longest prefix match decides, not the order routes are listed in
    // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
    // The captures hold the same routes (captureSignature finds them equal: no gap), yet the
    // subnet is reported unknown because "one capture is out of date".
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nvaSubnet = b.subnet(v, 'nva', '10.0.2.0/24', { routeTableId: b.routeTable('rt-nva', [{ name: 'internet', prefix: '0.0.0.0/0', nextHopType: 'Internet' }]) });
    const nva = b.nic(nvaSubnet, 'nva', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('nva-pip', '20.1.1.1') });
    const rt = b.routeTable('rt', [
      { name: 'lo', prefix: '0.0.0.0/1', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' },
      { name: 'hi', prefix: '128.0.0.0/1', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' },
    ]);
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt });
    const a = b.nic(s, 'a-nic', '10.0.1.4');
    const c = b.nic(s, 'b-nic', '10.0.1.5');
    const common = [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet')];
    const lo = effectiveRoute('0.0.0.0/1', 'VirtualAppliance', { source: 'User', name: 'lo', nextHopIpAddresses: ['10.0.2.4'] });
    const hi = effectiveRoute('128.0.0.0/1', 'VirtualAppliance', { source: 'User', name: 'hi', nextHopIpAddresses: ['10.0.2.4'] });
    const result = resolve(b.build(), {}, { effectiveRoutes: [{ networkInterfaceId: a, routes: [...common, lo, hi] }, { networkInterfaceId: c, routes: [...common, hi, lo] }] });
    const path = pathOf(result, s);
    // Before: unknown, 'Captured effective routes of subnet app disagree'.
    expect({ verdict: path.verdict, egressIps: path.egressIps, via: path.via.map((x) => x.id) }).toEqual({ verdict: 'internet', egressIps: ['20.1.1.1'], via: [nva] });
    expect(result.gaps.filter((g) => g.scope === s)).toEqual([]);
  });
});

describe('captured VnetLocal route newer than the snapshot', () => {
  it('a captured system VnetLocal range is the VNet\'s own address space: delivered in the VNet, not unknown', () => {
    // Azure "creates a route with an address prefix that corresponds to each address range defined
    // within the address space of a virtual network" and routes traffic between them itself
    // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#default
    // The VNet is in the input (only its new range is not): the capture decides where the traffic goes.
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'app', '10.0.1.0/24');
    const nic = b.nic(s, 'vm', '10.0.1.4');
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [
      effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('10.50.0.0/16', 'VnetLocal'),
      effectiveRoute('0.0.0.0/0', 'Internet'), effectiveRoute('10.0.0.0/8', 'None'),
    ] }];
    const path = pathOf(resolve(b.build(), { destination: '10.50.1.1' }, { effectiveRoutes }), s);
    // Before: unknown, "where 10.50.1.1 is delivered ... no address range of virtual network in the snapshot covers".
    expect([path.verdict, path.exit]).toEqual(['private', 'virtual-network']);
  });
});

describe('ECMP on system routes', () => {
  it('a reserved None route and a peering route for the same prefix are not "equal-cost routes Azure hashes flows across"', () => {
    // ECMP is documented for copies of one BGP route from several NVAs (same AS path)
    // https://learn.microsoft.com/azure/route-server/route-server-faq ; nothing documents Azure
    // spreading flows between a system None route (which drops) and a VNet peering route
    // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const o = b.vnet('o', ['192.168.0.0/16']);
    b.peer(v, o);
    b.nic(b.subnet(o, 'x', '192.168.1.0/24'), 'o-vm', '192.168.1.4');
    const app = b.subnet(v, 'app', '10.0.1.0/24');
    const path = pathOf(resolve(b.build(), { destination: '192.168.1.4' }), app);
    // Before: 'Unknown: Equal-cost routes for 192.168.0.0/16 (ECMP)' ... 'Azure spreads flows across them by a hash'.
    expect(explainPath(path).map((h) => h.rule).join('\n')).not.toContain('ECMP');
    expect(explanations(path)).not.toContain('Azure spreads flows across');
    // Before: "dropped" by the reserved None route, listed first. Azure orders user, BGP and system
    // routes, not two system routes on one prefix: unknown, naming both.
    expect(path.verdict).toBe('unknown');
    expect(explainPath(path).at(-1)?.rule).toBe('Unknown: System routes for 192.168.0.0/16 with no documented order');
  });
});

describe('IPv6 names', () => {
  it('--resolve name=IPv6 (the public answer) does not hide the private endpoint a linked private DNS zone resolves the name to', () => {
    // From a VNet linked to the privatelink zone the name resolves to the private endpoint's IPv4
    // address https://learn.microsoft.com/azure/private-link/private-endpoint-dns ; `--resolve` is
    // "what a host name resolves to publicly". The private path is IPv4 and fully decided.
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const app = b.subnet(v, 'app', '10.0.1.0/24');
    const data = b.subnet(v, 'data', '10.0.5.0/24');
    const pe = b.privateEndpoint(data, 'pe-st', '10.0.5.6', { fqdns: ['stpatients.blob.core.windows.net'] });
    const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
    b.link(zone, v, { name: 'link' });
    b.aRecord(zone, 'stpatients', ['10.0.5.6']);
    const name = 'stpatients.blob.core.windows.net';
    const path = pathOf(resolve(b.build(), { destination: name, resolve: { [name]: '2603:1061:1300::1' } }), app);
    // Before: unknown, "Not evaluated: IPv6 egress is not modelled" (without --resolve: private via pe-st).
    expect({ verdict: path.verdict, exit: path.exit, via: path.via.map((x) => x.id) }).toEqual({ verdict: 'private', exit: 'private-endpoint', via: [pe] });
  });
});
