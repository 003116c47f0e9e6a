/**
 * Captured effective routes (`az network nic show-effective-route-table`, the REST
 * `effectiveRouteTable` POST, `Get-AzEffectiveRouteTable`): how they are read, and how the resolver
 * uses them next to the routes it computes from the configuration. A capture is Azure's word for
 * its NIC at capture time; where it does not settle a question (which equal-cost next hop, which of
 * two disagreeing captures, a range the snapshot does not hold) the answer is `unknown`, naming it.
 * (These scenarios began as an audit of confident answers that Azure's own data contradicts.)
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { explainPath } from '../../../shared/egress/explain';
import { resolveEgress } from '../../../shared/egress';
import { verdictColumn, verdictSources } from '../../../shared/egress/resolve';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import type { ResourceId } from '../../../shared/model/ids';
import type { EffectiveRoute } from '../../../shared/model/topology';
import { effectiveRoute, ModelBuilder } from '../../support/model-builder';
import { pathOf, resolve } from '../egress/support';

/** The missing fact (or other words) of a path's last hop. */
function lastWords(path: EgressPath): string {
  return explainPath(path).at(-1)?.explanation ?? '';
}

function nicEntry(result: ResolveResult, nicId: ResourceId): EgressPath | undefined {
  return result.paths.find((p) => p.source.id === nicId);
}

describe('captured effective routes: input shapes', () => {
  it('a Get-AzEffectiveRouteTable capture (PowerShell PascalCase: AddressPrefix, NextHopIpAddress) keeps its prefixes and next-hop IPs', () => {
    // PSEffectiveRoute has Name, DisableBgpRoutePropagation, State, Source, AddressPrefix (List<string>),
    // NextHopType, NextHopIpAddress (List<string>); ConvertTo-Json keeps that casing.
    // https://learn.microsoft.com/powershell/module/az.network/get-azeffectiveroutetable
    // (Azure/azure-powershell src/Network/Network/Models/PSEffectiveRoute.cs)
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'app', '10.0.1.0/24');
    const nic = b.nic(s, 'vm', '10.0.1.4');
    const ps = [
      { Name: null, DisableBgpRoutePropagation: false, State: 'Active', Source: 'Default', AddressPrefix: ['10.0.0.0/16'], NextHopType: 'VnetLocal', NextHopIpAddress: [] },
      { Name: null, DisableBgpRoutePropagation: false, State: 'Active', Source: 'Default', AddressPrefix: ['0.0.0.0/0'], NextHopType: 'Internet', NextHopIpAddress: [] },
      { Name: 'to-nva', DisableBgpRoutePropagation: false, State: 'Active', Source: 'User', AddressPrefix: ['192.0.2.0/24'], NextHopType: 'VirtualAppliance', NextHopIpAddress: ['10.0.2.4'] },
    ];
    const normalized = normalizeArm([{ fileName: 'routes.json', json: { resources: [], effectiveRouteTables: { [nic]: ps } } }]);
    expect(normalized.effectiveRoutes[0]?.routes).toEqual<EffectiveRoute[]>([
      { name: null, source: 'Default', state: 'Active', addressPrefixes: ['10.0.0.0/16'], nextHopType: 'VnetLocal', nextHopIpAddresses: [], disableBgpRoutePropagation: false },
      { name: null, source: 'Default', state: 'Active', addressPrefixes: ['0.0.0.0/0'], nextHopType: 'Internet', nextHopIpAddresses: [], disableBgpRoutePropagation: false },
      { name: 'to-nva', source: 'User', state: 'Active', addressPrefixes: ['192.0.2.0/24'], nextHopType: 'VirtualAppliance', nextHopIpAddresses: ['10.0.2.4'], disableBgpRoutePropagation: false },
    ]);
    // The capture says 0.0.0.0/0 → Internet (before: "dropped: no route covers the destination").
    const path = pathOf(resolve(b.build(), {}, { effectiveRoutes: normalized.effectiveRoutes }), s);
    expect([path.verdict, path.exit]).toEqual(['internet', 'default-outbound']);
  });
});

describe('captured effective routes: Route Server (BGP from NVAs)', () => {
  /**
   * A hub with Azure Route Server, an NVA (public IP 20.1.1.1) that advertises 0.0.0.0/0 to it, and
   * an app subnet whose capture shows that route: next hop type VirtualNetworkGateway, next-hop IP
   * the NVA's. `nvaUdr`: the NVA subnet has the 0.0.0.0/0 → Internet UDR Route Server's docs require.
   */
  function routeServerHub(opts: { readonly withExpressRoute: boolean; readonly nvaUdr: boolean }) {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const routeServer = b.subnet(hub, 'RouteServerSubnet', '10.0.0.0/27');
    if (opts.withExpressRoute) {
      b.subnet(hub, 'GatewaySubnet', '10.0.255.0/27');
      b.gateway('ergw', hub, { type: 'ExpressRoute' });
    }
    const nvaRt = opts.nvaUdr ? b.routeTable('rt-nva', [{ name: 'internet', prefix: '0.0.0.0/0', nextHopType: 'Internet' }]) : undefined;
    const nvaSubnet = b.subnet(hub, 'nva', '10.0.2.0/24', nvaRt === undefined ? {} : { routeTableId: nvaRt });
    const nva = b.nic(nvaSubnet, 'nva-nic', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('nva-pip', '20.1.1.1') });
    const app = b.subnet(hub, 'app', '10.0.1.0/24');
    const nic = b.nic(app, 'vm', '10.0.1.4');
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [
      effectiveRoute('10.0.0.0/16', 'VnetLocal'),
      effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.2.4'] }),
    ] }];
    return { b, app, nva, routeServer, effectiveRoutes };
  }

  it('a captured 0.0.0.0/0 learned through Azure Route Server goes to the NVA it names, not on-premises', () => {
    // "The next hop for the 0.0.0.0/0 route is the NVA" and the NVA SNATs internet traffic to its own public IP.
    // https://learn.microsoft.com/azure/route-server/route-injection-in-spokes
    // "Azure Route Server doesn't route data traffic ... the VM [sends] directly ... to the NVA."
    // https://learn.microsoft.com/azure/route-server/route-server-faq
    for (const withExpressRoute of [false, true]) {
      const { b, app, nva, effectiveRoutes } = routeServerHub({ withExpressRoute, nvaUdr: true });
      const path = pathOf(resolve(b.build(), {}, { effectiveRoutes }), app);
      // Before: "on-premises" (forced tunnel; "gateway not in the snapshot" when there is no gateway at all).
      expect({ verdict: path.verdict, exit: path.exit, via: path.via.map((x) => x.id), egressIps: path.egressIps })
        .toEqual({ verdict: 'internet', exit: 'public-ip', via: [nva], egressIps: ['20.1.1.1'] });
    }
  });

  it('without the NVA subnet\'s 0.0.0.0/0 → Internet UDR the route reaches the NVA, which then loops (or its own routes are unknown)', () => {
    // Audit expectation adjusted: the audit allowed only internet or unknown here, but "Azure Route
    // Server programs it for all the virtual machines (VMs) in the virtual network including the NVA
    // itself ... Otherwise, the NVA host machine keeps sending the internet-bound traffic including
    // the one sent by the NVA back to the NVA itself": without a 0.0.0.0/0 → Internet UDR on its
    // subnet the NVA loses internet connectivity.
    // https://learn.microsoft.com/azure/route-server/troubleshoot-route-server
    // With the ExpressRoute gateway the capture's learned routes are the gateway domain's, so the
    // NVA subnet gets that 0/0 too: a documented loop. Without a gateway the VNet's learned routes
    // are shared with no other subnet, so the NVA subnet's own are not known: unknown.
    const withGateway = routeServerHub({ withExpressRoute: true, nvaUdr: false });
    const looped = pathOf(resolve(withGateway.b.build(), {}, { effectiveRoutes: withGateway.effectiveRoutes }), withGateway.app);
    expect({ verdict: looped.verdict, via: looped.via.map((x) => x.id), findings: looped.findings.map((f) => f.code) })
      .toEqual({ verdict: 'dropped', via: [withGateway.nva], findings: ['route-loop'] });

    const alone = routeServerHub({ withExpressRoute: false, nvaUdr: false });
    const path = pathOf(resolve(alone.b.build(), {}, { effectiveRoutes: alone.effectiveRoutes }), alone.app);
    expect([path.verdict, path.via.map((x) => x.id)]).toEqual(['unknown', [alone.nva]]);
    expect(lastWords(path)).toContain('whether on-premises advertises 0.0.0.0/0 over BGP through the Azure Route Server of hub, which would beat the system default route of subnet nva');
  });

  it('a learned next hop nobody in the input owns, with Route Server in the VNet: unknown, naming the IP', () => {
    const { b, app } = routeServerHub({ withExpressRoute: true, nvaUdr: true });
    const effectiveRoutes = [{ networkInterfaceId: b.build().networkInterfaces.find((n) => n.name === 'vm')?.id as ResourceId, routes: [
      effectiveRoute('10.0.0.0/16', 'VnetLocal'),
      effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.3.9'] }),
    ] }];
    const path = pathOf(resolve(b.build(), {}, { effectiveRoutes }), app);
    expect(path.verdict).toBe('unknown');
    expect(lastWords(path)).toContain('which appliance owns next hop 10.0.3.9 of "Gateway route 0.0.0.0/0 → VirtualNetworkGateway 10.0.3.9": with Azure Route Server in hub, a learned route points straight at the NVA that advertised it');
  });

  /** Two NVAs (10.0.2.4, 10.0.2.5) advertise 0.0.0.0/0; `sharedNat`: both leave through one NAT gateway, else each through its own public IP. */
  function ecmpHub(opts: { readonly sharedNat: boolean; readonly oneRoute: boolean }) {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    b.subnet(hub, 'RouteServerSubnet', '10.0.0.0/27');
    const nat = opts.sharedNat ? b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] }) : undefined;
    const nvaRt = b.routeTable('rt-nva', [{ name: 'internet', prefix: '0.0.0.0/0', nextHopType: 'Internet' }]);
    const nvaSubnet = b.subnet(hub, 'nva', '10.0.2.0/24', { routeTableId: nvaRt, ...(nat ? { natGatewayId: nat } : {}) });
    const nva1 = b.nic(nvaSubnet, 'nva1', '10.0.2.4', { ipForwarding: true, ...(nat ? {} : { publicIpId: b.publicIp('p1', '20.1.1.1') }) });
    const nva2 = b.nic(nvaSubnet, 'nva2', '10.0.2.5', { ipForwarding: true, ...(nat ? {} : { publicIpId: b.publicIp('p2', '20.2.2.2') }) });
    const app = b.subnet(hub, 'app', '10.0.1.0/24');
    const nic = b.nic(app, 'vm', '10.0.1.4');
    const learned = opts.oneRoute
      ? [effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.2.4', '10.0.2.5'] })]
      : [effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.2.4'] }),
        effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.2.5'] })];
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }), ...learned] }];
    return { model: b.build(), app, nva1, nva2, effectiveRoutes };
  }

  it('ECMP: the same captured 0.0.0.0/0 to two NVAs that egress differently is unknown, as one route with two next-hop IPs or two routes', () => {
    // "Azure Route Server will program multiple copies of the route, each with a different next hop ...
    // the VM hosts will do Equal-Cost Multi-Path (ECMP) routing."
    // https://learn.microsoft.com/azure/route-server/route-server-faq
    // The two NVAs egress from different public IPs: one path with one egress IP is wrong.
    for (const oneRoute of [false, true]) {
      const { model, app, effectiveRoutes } = ecmpHub({ sharedNat: false, oneRoute });
      const path = pathOf(resolve(model, {}, { effectiveRoutes }), app);
      // Before: "on-premises"; the tie between the two Active copies was broken by "an equal route listed earlier won".
      expect([path.verdict, path.egressIps]).toEqual(['unknown', []]);
      expect(explainPath(path).at(-1)?.rule).toBe('Unknown: Equal-cost routes for 0.0.0.0/0 (ECMP)');
      expect(lastWords(path)).toContain('which of the 2 equal-cost routes for 0.0.0.0/0 of subnet app (next hops VirtualNetworkGateway 10.0.2.4, VirtualNetworkGateway 10.0.2.5) carries this flow: '
        + 'Azure spreads flows across them by a hash the input does not show, and they end differently: VirtualNetworkGateway 10.0.2.4: egress (20.1.1.1); VirtualNetworkGateway 10.0.2.5: egress (20.2.2.2)');
    }
  });

  it('ECMP: equal-cost next hops that all end the same way give that answer', () => {
    const { model, app, nva1, effectiveRoutes } = ecmpHub({ sharedNat: true, oneRoute: false });
    const path = pathOf(resolve(model, {}, { effectiveRoutes }), app);
    expect({ verdict: path.verdict, exit: path.exit, egressIps: path.egressIps, via: path.via.map((v) => v.id) })
      .toEqual({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.9.9.9'], via: [nva1] });
    // The route step names the other next hop as an equal-cost route, not as "an equal route listed earlier won".
    const route = explainPath(path).find((h) => h.kind === 'route');
    expect(route?.explanation).toContain('equal cost (ECMP)');
    expect(route?.explanation).not.toContain('listed earlier');
  });

  it('ECMP over an ExpressRoute gateway\'s two instances stays on-premises', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    b.subnet(hub, 'GatewaySubnet', '10.0.255.0/27');
    b.gateway('ergw', hub, { type: 'ExpressRoute' });
    const app = b.subnet(hub, 'app', '10.0.1.0/24');
    const nic = b.nic(app, 'vm', '10.0.1.4');
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.255.4', '10.0.255.5'] })] }];
    expect(pathOf(resolve(b.build(), {}, { effectiveRoutes }), app).verdict).toBe('on-premises');
  });
});

describe('captured effective routes: sharing gateway-learned routes with other subnets', () => {
  function expressRouteHub() {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    b.subnet(hub, 'GatewaySubnet', '10.0.255.0/27');
    const gateway = b.gateway('ergw', hub, { type: 'ExpressRoute' });
    b.nic(b.subnet(hub, 'nva', '10.0.2.0/24'), 'nva-nic', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('nva-pip', '20.1.1.1') });
    const rt = b.routeTable('rt-a', [{ name: 'default', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]);
    const a = b.subnet(hub, 'a', '10.0.1.0/24', { routeTableId: rt });
    const nicA = b.nic(a, 'vm-a', '10.0.1.4');
    const other = b.subnet(hub, 'b', '10.0.3.0/24');
    return { b, a, nicA, other, gateway };
  }

  it('a learned 0.0.0.0/0 shown Invalid in a subnet whose UDR overrides it is still Active in a subnet without that UDR', () => {
    // Routing example: a route overridden by a UDR in Subnet1 is listed there with state Invalid, and
    // "The state of this route is still Active for all other subnets" (ID8 shows a gateway route made Invalid by a UDR).
    // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#routing-example
    const { b, nicA, other } = expressRouteHub();
    const effectiveRoutes = [{ networkInterfaceId: nicA, routes: [
      effectiveRoute('10.0.0.0/16', 'VnetLocal'),
      effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', state: 'Invalid', nextHopIpAddresses: ['10.0.255.4'] }),
      effectiveRoute('0.0.0.0/0', 'VirtualAppliance', { source: 'User', name: 'default', nextHopIpAddresses: ['10.0.2.4'] }),
    ] }];
    // Before: a confident "internet" (default outbound): the Invalid learned 0/0 was thrown away, yet the domain counted as known.
    const path = pathOf(resolve(b.build(), {}, { effectiveRoutes }), other);
    expect(path.verdict).toBe('on-premises');
    expect(explainPath(path).find((h) => h.kind === 'route')?.rule).toBe('Gateway route 0.0.0.0/0 → VirtualNetworkGateway 10.0.255.4');
  });

  it('a capture that says gateway route propagation is off says nothing about learned routes for other subnets', () => {
    // disableBgpRoutePropagation on an effective route: "If true, on-premises routes are not propagated to the
    // network interfaces in the subnet." https://learn.microsoft.com/javascript/api/@azure/arm-network/effectiveroute
    // Such a capture cannot show a learned 0/0, which would beat the system default route elsewhere
    // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
    // (here the snapshot's route table still says propagation is on: the capture is newer than the configuration).
    const { b, nicA, other, gateway } = expressRouteHub();
    const off = { disableBgpRoutePropagation: true };
    const effectiveRoutes = [{ networkInterfaceId: nicA, routes: [
      effectiveRoute('10.0.0.0/16', 'VnetLocal', off),
      effectiveRoute('0.0.0.0/0', 'Internet', { ...off, state: 'Invalid' }),
      effectiveRoute('0.0.0.0/0', 'VirtualAppliance', { ...off, source: 'User', name: 'default', nextHopIpAddresses: ['10.0.2.4'] }),
    ] }];
    // Before: a confident "internet" for subnet b (no capture at all gives unknown).
    const result = resolve(b.build(), {}, { effectiveRoutes });
    const path = pathOf(result, other);
    expect(path.verdict).toBe('unknown');
    expect(lastWords(path)).toContain('whether on-premises advertises 0.0.0.0/0 over BGP through ergw, which would beat the system default route of subnet b');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'not-modelled', scope: gateway }));
  });

  it('a vWAN spoke whose connection does not propagate the default route does not inherit another spoke\'s captured 0.0.0.0/0', () => {
    // "0.0.0.0/0 default route is advertised to all connections to the hub ... where the Propagate default route
    // or Enable internet security flag is set to true. You can set this flag to false for all connections that
    // shouldn't learn the default route." https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies#prefixadvertisments
    const b = new ModelBuilder();
    const hubNet = b.vnet('hubfw', ['10.100.0.0/24']);
    const fwSubnet = b.subnet(hubNet, 'AzureFirewallSubnet', '10.100.0.0/26');
    const fw = b.firewall('hub-fw', { subnetId: fwSubnet, privateIp: '10.100.0.4', publicIpIds: [b.publicIp('fw-pip', '20.5.5.5')] });
    const spokeA = b.vnet('spoke-a', ['10.1.0.0/16']);
    const spokeB = b.vnet('spoke-b', ['10.2.0.0/16']);
    b.virtualHub('hub', { firewallId: fw, internetPolicy: true, connections: [
      { vnetId: spokeA, enableInternetSecurity: true }, { vnetId: spokeB, enableInternetSecurity: false },
    ] });
    const nicA = b.nic(b.subnet(spokeA, 'app', '10.1.1.0/24'), 'vm-a', '10.1.1.4');
    const dataA = b.subnet(spokeA, 'data', '10.1.2.0/24');
    const appB = b.subnet(spokeB, 'app', '10.2.1.0/24');
    const effectiveRoutes = [{ networkInterfaceId: nicA, routes: [
      effectiveRoute('10.1.0.0/16', 'VnetLocal'),
      effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.100.0.4'] }),
    ] }];
    const result = resolve(b.build(), {}, { effectiveRoutes });
    const path = pathOf(result, appB);
    // Before: "denied" by hub-fw, explained as 'The hub advertises 0.0.0.0/0 to this connection ("Propagate default route" is on)'.
    expect({ verdict: path.verdict, exit: path.exit, via: path.via }).toEqual({ verdict: 'internet', exit: 'default-outbound', via: [] });
    expect(explainPath(path).map((h) => h.explanation).join('\n')).not.toContain('"Propagate default route" is on');
    // The capture still speaks for the other subnets of its own spoke: they send internet traffic to the hub firewall.
    expect(pathOf(result, dataA).via.map((x) => x.id)).toContain(fw);
  });
});

describe('captured effective routes: which capture represents the subnet', () => {
  /** Two NICs of one subnet: a-nic's capture sends 0/0 to the internet, b-nic's drops it (0/0 → None). */
  function contradictingCaptures(opts: { readonly ownEntries: boolean }) {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'app', '10.0.1.0/24');
    const nicA = b.nic(s, 'a-nic', '10.0.1.4', opts.ownEntries ? { publicIpId: b.publicIp('a-pip', '20.3.3.3') } : {});
    const nicB = b.nic(s, 'b-nic', '10.0.1.5', opts.ownEntries ? { publicIpId: b.publicIp('b-pip', '20.4.4.4') } : {});
    const effectiveRoutes = [
      { networkInterfaceId: nicA, routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet')] },
      { networkInterfaceId: nicB, routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
        effectiveRoute('0.0.0.0/0', 'None', { source: 'User', name: 'blackhole' })] },
    ];
    const input = { model: b.build(), effectiveRoutes, metrics: [], gaps: [] };
    return { result: resolveEgress(input, {}), input, s, nicA, nicB };
  }

  it('two NICs of one subnet with contradicting captures: the subnet is unknown, naming both, and no capture is silently ignored', () => {
    // Effective routes are those "for the subnet a network interface is in"
    // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#next-steps ; two captures of one
    // subnet that disagree mean one is stale. Before: the lowest NIC ID won without a finding or gap, and b-nic,
    // whose own capture drops internet traffic (0/0 → None), was reported "internet".
    const { result, s, nicB } = contradictingCaptures({ ownEntries: false });
    const subnetPath = pathOf(result, s);
    expect(subnetPath.verdict).toBe('unknown');
    expect(explainPath(subnetPath).at(-1)?.rule).toBe('Unknown: Captured effective routes of subnet app disagree');
    expect(lastWords(subnetPath)).toContain('which captured effective routes of subnet app are current: for the internet (0.0.0.0/0) '
      + 'NIC a-nic: "System route 0.0.0.0/0 → Internet"; NIC b-nic: "UDR blackhole 0.0.0.0/0 → None"');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'not-modelled', scope: s, message: expect.stringContaining('differ (a-nic, b-nic)') }));
    // Each NIC with a differing capture answers for itself, from its own capture, even when nothing
    // else (public IP, NSG, pool) sets it apart: b-nic is dropped, never "internet".
    expect(nicEntry(result, nicB)?.verdict).toBe('dropped');
    expect(explainPath(nicEntry(result, nicB) as EgressPath).find((h) => h.kind === 'route')?.rule).toBe('UDR blackhole 0.0.0.0/0 → None');
  });

  it('the destinations matrix lists the same NIC entries as resolve, with the same answers', () => {
    const { result, input, nicA, nicB } = contradictingCaptures({ ownEntries: false });
    const sources = verdictSources(input);
    expect(sources.sources.filter((x) => x.type === 'nic').map((x) => x.id).sort()).toEqual([nicA, nicB].sort());
    const column = verdictColumn(input, { destination: null }, sources);
    const answer = (id: string): string | undefined => column.verdicts[sources.sources.findIndex((x) => x.id === id)]?.verdict;
    expect([answer(nicA), answer(nicB)]).toEqual([nicEntry(result, nicA)?.verdict, nicEntry(result, nicB)?.verdict]);
  });

  it('a NIC with an entry of its own follows its own capture', () => {
    const { result, s, nicA, nicB } = contradictingCaptures({ ownEntries: true });
    expect(pathOf(result, s).verdict).toBe('unknown');
    expect([nicEntry(result, nicA)?.verdict, nicEntry(result, nicA)?.egressIps]).toEqual(['internet', ['20.3.3.3']]);
    expect(nicEntry(result, nicB)?.verdict).toBe('dropped');
    expect(explainPath(nicEntry(result, nicB) as EgressPath).find((h) => h.kind === 'route')?.rule).toBe('UDR blackhole 0.0.0.0/0 → None');
  });

  it('captures that agree for the destination decide the subnet, with a gap that they differ elsewhere', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const s = b.subnet(v, 'app', '10.0.1.0/24');
    const nicA = b.nic(s, 'a-nic', '10.0.1.4');
    const nicB = b.nic(s, 'b-nic', '10.0.1.5');
    const effectiveRoutes = [
      { networkInterfaceId: nicA, routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet')] },
      { networkInterfaceId: nicB, routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet'), effectiveRoute('10.9.0.0/16', 'VNetPeering')] },
    ];
    const result = resolve(b.build(), {}, { effectiveRoutes });
    expect(pathOf(result, s).verdict).toBe('internet');
    expect(result.gaps.filter((g) => g.scope === s).map((g) => g.code)).toEqual(['not-modelled']);
  });
});

describe('captured effective routes: next hop types', () => {
  it('a captured VNetPeering route the snapshot\'s peering does not carry (synced later) is not reported "dropped"', () => {
    // Peering routes are added "for each address range within the address space of each peered virtual network";
    // an Active one in the capture means Azure delivers that range over the peering.
    // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#optional-default-routes
    // The snapshot's peering predates the remote VNet's new range (the capture is Azure's newer word),
    // so which peering carries it (and what the remote side lets in) is not known: unknown, saying so.
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    b.peerOutOfScope(v, '/subscriptions/00000000-0000-0000-0000-000000000002/resourcegroups/rg-remote/providers/microsoft.network/virtualnetworks/remote' as ResourceId, ['10.5.0.0/16']);
    const s = b.subnet(v, 'app', '10.0.1.0/24');
    const nic = b.nic(s, 'vm', '10.0.1.4');
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [
      effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('10.5.0.0/16', 'VNetGlobalPeering'), effectiveRoute('10.6.0.0/16', 'VNetGlobalPeering'),
      effectiveRoute('0.0.0.0/0', 'Internet'), effectiveRoute('10.0.0.0/8', 'None'),
    ] }];
    const model = b.build();
    const path = pathOf(resolve(model, { destination: '10.6.0.10' }, { effectiveRoutes }), s);
    // Before: "dropped" ("stays in the VNet ... treated as dropped"), contradicting Azure's own Active peering route.
    expect(path.verdict).toBe('unknown');
    expect(lastWords(path)).toContain('where 10.6.0.10 is delivered: the captured effective routes of NIC vm send 10.6.0.0/16 to a peered virtual network (VNetPeering), '
      + 'but no peering in the snapshot covers 10.6.0.10');
    // The range the snapshot's peering does carry is delivered over it.
    expect(pathOf(resolve(model, { destination: '10.5.0.10' }, { effectiveRoutes }), s).verdict).toBe('private');
  });
});
