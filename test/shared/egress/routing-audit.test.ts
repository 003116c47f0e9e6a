/**
 * Routing, private endpoints and DNS where the snapshot alone cannot give a confident verdict, or
 * where Azure's rule changes the answer. Each test asserts what Azure does (or that the engine says
 * "unknown" and names the missing fact), citing the reference (/work/shared/reference/egress-rules.md,
 * destinations.md) and the Microsoft Learn page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import { computeReach } from '../../../shared/egress/reach';
import { terminalOf } from '../../../shared/egress/steps';
import type { TerminalReason } from '../../../shared/egress/steps';
import { toResourceId, type ResourceId } from '../../../shared/model/ids';
import type { ServiceTagSet } from '../../../shared/model/service-tags';
import type { NetworkModel, PeeringState } from '../../../shared/model/topology';
import { effectiveRoute, ModelBuilder, networkRule, TEST_RESOURCE_GROUP, TEST_SUBSCRIPTION } from '../../support/model-builder';
import { HUB_FIREWALL_IP, pathOf, resolve } from './support';

function walk(model: ReturnType<ModelBuilder['build']>, source: string, destination: string): { readonly verdict: string; readonly reason: TerminalReason } {
  const path = pathOf(resolve(model, { destination }), source);
  return { verdict: path.verdict, reason: terminalOf(path.steps).reason };
}

function undecided(reason: TerminalReason): Extract<TerminalReason, { kind: 'undecided' }> {
  if (reason.kind !== 'undecided') throw new Error(`expected an undecided end, got ${reason.kind}`);
  return reason;
}

describe('private endpoints over peering', () => {
  /**
   * Peering property allowVirtualNetworkAccess = false ("Block all traffic to the remote virtual
   * network") "only changes the definition of the VirtualNetwork service tag. It doesn't fully
   * prevent traffic flow across the peer connection": NSG rules allowing the peer's addresses still
   * let traffic through [PEERMANAGE]
   * https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering. Neither
   * delivered nor dropped, then: unknown, naming the setting (changed deliberately from "dropped").
   * A private endpoint's /32 reached over that peering is no exception.
   */
  it('a private endpoint in a peered VNet is not known to be reached when the peering has allowVirtualNetworkAccess = false', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    // Access blocked on the spoke's peering to the hub.
    b.peer(spoke, hub, { allowVirtualNetworkAccess: false });
    const data = b.subnet(hub, 'data', '10.0.5.0/24');
    const app = b.subnet(spoke, 'app', '10.1.1.0/24');
    b.privateEndpoint(data, 'pe-st', '10.0.5.6');
    const model = b.build();
    // A VM address in the hub over the same peering is not delivered either.
    expect(walk(model, app, '10.0.5.20').reason.kind).not.toBe('delivered-over-peering');
    const pe = walk(model, app, '10.0.5.6');
    expect(pe.verdict).toBe('unknown');
    expect(JSON.stringify(pe.reason)).toContain('allowVirtualNetworkAccess = false');
  });

  /**
   * Subnet peering: a subnet left out of `localSubnetNames` still gets the route but "the packet
   * gets dropped and don't reach VM" [SUBPEER]
   * https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering
   * (quoted in shared/routing/peering.ts). The endpoint's /32 over that peering is no different.
   */
  it('a private endpoint over a subnet peering that leaves the source subnet out is not reached', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const data = b.subnet(hub, 'data', '10.0.5.0/24');
    const app = b.subnet(spoke, 'app', '10.1.1.0/24');
    const other = b.subnet(spoke, 'other', '10.1.2.0/24');
    b.peer(spoke, hub, { subnetPeering: { localSubnetNames: ['other'], remoteSubnetNames: ['data'] } });
    b.privateEndpoint(data, 'pe-st', '10.0.5.6');
    const model = b.build();
    expect(walk(model, app, '10.0.5.20').reason.kind).toBe('next-hop-not-carried');
    const pe = walk(model, app, '10.0.5.6');
    expect(pe.verdict).toBe('dropped');
    expect(pe.reason).toMatchObject({ kind: 'next-hop-not-carried', reason: expect.stringContaining('not one of the local subnets') as unknown as string });
    // The subnet the peering names still reaches the endpoint.
    expect(walk(model, other, '10.0.5.6').reason.kind).toBe('delivered-to-private-endpoint');
  });
});

describe('private endpoint connection state', () => {
  /**
   * Manual approval: "the connection request appears on the service resources as Pending. The
   * service provider has to manually approve the request before connections can be established."
   * https://learn.microsoft.com/azure/private-link/manage-private-endpoint ; destinations.md §3.1:
   * `manualPrivateLinkServiceConnections` = pending manual approval (status Pending / Approved /
   * Rejected / Disconnected); topology.ts: "only `Approved` connections carry traffic".
   */
  it.each(['Pending', 'Rejected', 'Disconnected'] as const)('a %s private endpoint connection does not deliver traffic to the service', (status) => {
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet', ['10.0.0.0/16']);
    const data = b.subnet(vnet, 'data', '10.0.5.0/24');
    const app = b.subnet(vnet, 'app', '10.0.1.0/24');
    b.privateEndpoint(data, 'pe-st', '10.0.5.6', { status, manual: true });
    const result = resolve(b.build(), { destination: '10.0.5.6' });
    const path = pathOf(result, app);
    const reason = undecided(terminalOf(path.steps).reason);
    expect(path.verdict).toBe('unknown');
    expect(reason.rule).toBe(`Private endpoint pe-st: connection ${status}`);
    expect(reason.missingFact).toContain('only an Approved connection carries traffic');
    expect(path.findings.map((f) => f.code)).toContain('next-hop-unreachable');
    expect(result.gaps.some((g) => g.message.includes(`connection ${status}`))).toBe(true);
  });

  it('a private endpoint whose connection state is not reported is unknown, not delivered', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet', ['10.0.0.0/16']);
    const data = b.subnet(vnet, 'data', '10.0.5.0/24');
    const app = b.subnet(vnet, 'app', '10.0.1.0/24');
    b.privateEndpoint(data, 'pe-st', '10.0.5.6', { status: 'Unknown' });
    const r = walk(b.build(), app, '10.0.5.6');
    expect(r.verdict).toBe('unknown');
    expect(undecided(r.reason).missingFact).toContain('the state of private endpoint pe-st\'s connection');
  });

  it('an Approved connection still delivers to the private endpoint', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet', ['10.0.0.0/16']);
    const data = b.subnet(vnet, 'data', '10.0.5.0/24');
    const app = b.subnet(vnet, 'app', '10.0.1.0/24');
    b.privateEndpoint(data, 'pe-st', '10.0.5.6', { status: 'Approved', manual: true });
    expect(walk(b.build(), app, '10.0.5.6')).toMatchObject({ verdict: 'private', reason: { kind: 'delivered-to-private-endpoint' } });
  });

  it('reach lists only endpoints whose connection is Approved, in VNets the peering lets it reach', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet', ['10.0.0.0/16']);
    const blocked = b.vnet('blocked', ['10.9.0.0/16']);
    b.peer(vnet, blocked, { allowVirtualNetworkAccess: false });
    const data = b.subnet(vnet, 'data', '10.0.5.0/24');
    const app = b.subnet(vnet, 'app', '10.0.1.0/24');
    b.privateEndpoint(data, 'pe-approved', '10.0.5.6', { fqdns: ['stok.blob.core.windows.net'] });
    b.privateEndpoint(data, 'pe-pending', '10.0.5.7', { status: 'Pending', manual: true, fqdns: ['stpending.blob.core.windows.net'] });
    b.privateEndpoint(b.subnet(blocked, 'far', '10.9.5.0/24'), 'pe-far', '10.9.5.6', { fqdns: ['stfar.blob.core.windows.net'] });
    const reach = computeReach({ model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] });
    const listed = reach.sources.find((s) => s.source.id === app)?.private.map((p) => p.value);
    // Changed deliberately (was the FQDN stok.blob.core.windows.net): no privatelink zone is linked
    // to the VNet, so the name resolves publicly from it [PEDNS]
    // https://learn.microsoft.com/azure/private-link/private-endpoint-dns and reach, judging each
    // endpoint by the engine, lists it as reached by address only.
    expect([...(listed ?? [])].sort()).toEqual(['pe-approved (10.0.5.6)', 'pe-far (10.9.5.6)']);
    // The endpoint behind the blocking peering is "may reach", never reached [PEERMANAGE].
    expect(reach.sources.find((s) => s.source.id === app)?.private.find((p) => p.value === 'pe-far (10.9.5.6)')).toMatchObject({ verdict: 'unknown' });
  });
});

describe('custom DNS servers', () => {
  function estate(withEndpoint: boolean) {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16'], { dnsServers: ['10.0.0.4'] });
    b.peer(spoke, hub);
    const data = b.subnet(hub, 'data', '10.0.5.0/24');
    b.subnet(hub, 'dns', '10.0.0.0/28');
    const app = b.subnet(spoke, 'app', '10.1.1.0/24');
    if (withEndpoint) {
      b.privateEndpoint(data, 'pe-stpatients', '10.0.5.6', { fqdns: ['stpatients.blob.core.windows.net'] });
      const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
      b.link(zone, hub, { name: 'link-hub' });
      b.aRecord(zone, 'stpatients', ['10.0.5.6']);
    }
    return { model: b.build(), app };
  }

  /**
   * "Custom DNS servers (VMs, Azure DNS Private Resolver inbound endpoint, Azure Firewall DNS proxy)
   * → resolution is whatever those servers do; the Azure-DNS step happens in the VNet where the
   * forwarder sits." destinations.md §3.5 [private-endpoint-dns.md]. A hub forwarder resolving
   * through Azure DNS in the hub (linked to privatelink.blob) returns the private endpoint IP, so
   * "internet" is not a safe answer: the verdict must be unknown.
   * https://learn.microsoft.com/azure/private-link/private-endpoint-dns
   */
  it('a VNet with custom DNS servers asking for a storage account that has a private endpoint: verdict unknown, not internet', () => {
    const { model, app } = estate(true);
    const r = walk(model, app, 'stpatients.blob.core.windows.net');
    expect(r.verdict).toBe('unknown');
    expect(undecided(r.reason).missingFact).toContain('private endpoint pe-stpatients (10.0.5.6)');
  });

  it('with custom DNS servers and no private endpoint known for the name, the public path stands', () => {
    const { model, app } = estate(false);
    expect(walk(model, app, 'stpatients.blob.core.windows.net').verdict).toBe('internet');
  });
});

describe('gateway routes for private destinations', () => {
  /**
   * "Virtual network gateway | prefixes learned over BGP or configured in the local network gateway
   * | VirtualNetworkGateway | all" (egress-rules.md §2.2 [UDR]); propagation "covers both BGP and
   * static (local network gateway) routes" (§2.4). A VPN gateway without BGP still installs the
   * local network gateway's prefixes, which the snapshot does not hold: traffic to an on-premises
   * range is not known to be dropped by the system None route.
   * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
   */
  it('a VPN gateway without BGP: an on-premises private address is unknown, not dropped; internet traffic keeps its path', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet', ['10.0.0.0/16']);
    b.subnet(vnet, 'GatewaySubnet', '10.0.255.0/27');
    const gateway = b.gateway('vpngw', vnet, { type: 'Vpn', enableBgp: false });
    const app = b.subnet(vnet, 'app', '10.0.1.0/24');
    const model = b.build();
    const r = walk(model, app, '192.168.10.5');
    expect(r.verdict).toBe('unknown');
    expect(undecided(r.reason)).toMatchObject({ resourceId: gateway, rule: 'Static routes of VPN gateway vpngw' });
    // Without BGP no default route is learned: the internet path is unchanged.
    expect(walk(model, app, '8.8.8.8').verdict).toBe('internet');
    expect(pathOf(resolve(model, {}), app).verdict).toBe('internet');
  });

  /**
   * Virtual WAN: "Spokes may still have UDRs. Keep 'Propagate gateway routes = Yes' so that the spoke
   * learns the vWAN routes" (egress-rules.md §6.4 [VWAN]); the Private Traffic policy "sends
   * branch/VNet/inter-hub traffic to the appliance". A spoke connected to a hub learns the other
   * connections' ranges from the hub router; the snapshot does not hold them, so spoke-to-spoke
   * traffic is not known to be dropped by the 10.0.0.0/8 None system route.
   * https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
   */
  it('a vWAN-connected spoke sending to another spoke of the same hub is unknown, not dropped', () => {
    const b = new ModelBuilder();
    const a = b.vnet('spoke-a', ['10.1.0.0/16']);
    const c = b.vnet('spoke-b', ['10.2.0.0/16']);
    const app = b.subnet(a, 'app', '10.1.1.0/24');
    b.subnet(c, 'app', '10.2.1.0/24');
    const hub = b.virtualHub('hub', { connections: [{ vnetId: a, enableInternetSecurity: false }, { vnetId: c, enableInternetSecurity: false }] });
    const r = walk(b.build(), app, '10.2.1.4');
    expect(r.verdict).toBe('unknown');
    expect(undecided(r.reason).resourceId).toBe(hub);
  });

  /**
   * "A VirtualNetworkGateway UDR is supported only when the VNet's gateway is a VPN gateway — 'not
   * ExpressRoute, RouteServer or Virtual WAN hub router' [UDR]. How the platform picks 'the VNet's
   * gateway': Route Server present → Route Server." (egress-rules.md §2.3). The engine detects a
   * Route Server by its RouteServerSubnet.
   * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
   */
  it('a UDR 0/0 → VirtualNetworkGateway in a VNet with Azure Route Server is unknown, not a forced tunnel', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet', ['10.0.0.0/16']);
    b.subnet(vnet, 'GatewaySubnet', '10.0.255.0/27');
    b.subnet(vnet, 'RouteServerSubnet', '10.0.254.0/27');
    b.gateway('vpngw', vnet, { type: 'Vpn', vpnType: 'RouteBased' });
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]);
    const app = b.subnet(vnet, 'app', '10.0.1.0/24', { routeTableId: rt });
    const result = resolve(b.build(), { destination: '0.0.0.0/0' });
    const path = pathOf(result, app);
    expect(path.verdict).toBe('unknown');
    expect(undecided(terminalOf(path.steps).reason).docs).toBe('https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview');
    expect(path.findings.map((f) => f.code)).toContain('unsupported-udr-gateway');
    expect(result.gaps.some((g) => g.message.includes('Azure Route Server') && g.message.includes('virtual-networks-udr-overview'))).toBe(true);
  });
});

describe('peering state not reported', () => {
  /**
   * "Only a Connected peering carries traffic"; a state the input does not give is not
   * "disconnected" (engine.ts findOwner), and peeringReach answers unknown for it. A destination in
   * the peered VNet is then unknown, not dropped by the 10/8 None route.
   * https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
   */
  it('a destination in a peered VNet whose peering state is Unknown is unknown, not dropped', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const peering = b.peer(spoke, hub, { state: 'Unknown' });
    b.subnet(hub, 'data', '10.0.5.0/24');
    const app = b.subnet(spoke, 'app', '10.1.1.0/24');
    const r = walk(b.build(), app, '10.0.5.20');
    expect(r.verdict).toBe('unknown');
    expect(undecided(r.reason).resourceId).toBe(peering);
  });
});

describe('Virtual WAN hub routes for private destinations (captured)', () => {
  /**
   * The hub's Internet routing policy concerns internet traffic only: "Internet Traffic Routing
   * Policy: all branch and VNet connections of the hub send internet-bound traffic to the hub's Azure
   * Firewall"; inter-VNet traffic goes to the appliance only with a Private Traffic Routing Policy
   * (egress-rules.md §6.4 [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies).
   * A spoke's captured route to another spoke of the hub (next hop VirtualNetworkGateway = the hub
   * router) must not be turned into internet egress through the hub firewall.
   */
  it('a captured hub route to another spoke, with an Internet-only routing intent, does not go through the hub firewall', () => {
    const b = new ModelBuilder();
    const a = b.vnet('spoke-a', ['10.1.0.0/16']);
    const c = b.vnet('spoke-b', ['10.2.0.0/16']);
    const app = b.subnet(a, 'app', '10.1.1.0/24');
    const nic = b.nic(app, 'vm-a-nic', '10.1.1.4');
    b.subnet(c, 'app', '10.2.1.0/24');
    const policy = b.firewallPolicy('hub-policy', [networkRule('any', { destinationPorts: ['*'] })]);
    const fw = b.firewall('hub-fw', { hubPrivateIp: '10.255.0.132', hubPublicIps: ['20.9.9.9'], policyId: policy });
    b.virtualHub('hub', { firewallId: fw, internetPolicy: true, connections: [{ vnetId: a, enableInternetSecurity: true }, { vnetId: c, enableInternetSecurity: true }] });
    const model = b.build();
    const effectiveRoutes = [{
      networkInterfaceId: nic,
      routes: [effectiveRoute('10.1.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.255.0.132'] }),
        effectiveRoute('10.2.0.0/16', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.255.0.68'] })],
    }];
    const path = pathOf(resolve(model, { destination: '10.2.1.4' }, { effectiveRoutes }), app);
    expect(['private', 'unknown']).toContain(path.verdict);
    expect(path.via.map((v) => v.id)).not.toContain(fw);
    // Internet traffic on the hub's 0.0.0.0/0 still goes through the hub firewall.
    const internet = pathOf(resolve(model, { destination: '8.8.8.8' }, { effectiveRoutes }), app);
    expect(internet.verdict).toBe('internet');
    expect(internet.via.map((v) => v.id)).toContain(fw);
  });
});

describe('hasBgpOverride and a split default route', () => {
  /**
   * hasBgpOverride: "whether this route overrides overlapping BGP routes regardless of LPM" [ROUTEAPI];
   * the reference's model: "a UDR with this flag beats any overlapping BGP route" (egress-rules.md
   * §2.3, UNCONFIRMED runtime semantics). It holds for the split default (0.0.0.0/1 + 128.0.0.0/1
   * learned over BGP) as for one address.
   * https://learn.microsoft.com/javascript/api/@azure-rest/arm-network/routepropertiesformat
   */
  it('a 0/0 UDR with hasBgpOverride beats BGP-learned 0.0.0.0/1 + 128.0.0.0/1', () => {
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet', ['10.0.0.0/16']);
    b.subnet(vnet, 'GatewaySubnet', '10.0.255.0/27');
    b.gateway('vpngw', vnet, { type: 'Vpn', enableBgp: true });
    const shared = b.subnet(vnet, 'shared', '10.0.2.0/24');
    const sharedNic = b.nic(shared, 'vm-shared-nic', '10.0.2.4');
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'Internet', hasBgpOverride: true }]);
    const app = b.subnet(vnet, 'app', '10.0.1.0/24', { routeTableId: rt });
    const model = b.build();
    const effectiveRoutes = [{
      networkInterfaceId: sharedNic,
      routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
        effectiveRoute('0.0.0.0/1', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.255.4'] }),
        effectiveRoute('128.0.0.0/1', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.255.4'] })],
    }];
    expect(pathOf(resolve(model, { destination: '8.8.8.8' }, { effectiveRoutes }), app).verdict).toBe('internet');
    expect(pathOf(resolve(model, {}, { effectiveRoutes }), app).verdict).toBe('internet');
    // Without the override the split default sends internet traffic on-premises.
    expect(pathOf(resolve(model, {}, { effectiveRoutes }), shared).verdict).toBe('on-premises');
  });
});

const outOfScopeVnet = (name: string): ResourceId =>
  `/subscriptions/${TEST_SUBSCRIPTION}/resourcegroups/${TEST_RESOURCE_GROUP}/providers/microsoft.network/virtualnetworks/${name}` as ResourceId;

/** The model with `useRemoteGateways` set on every peering of `vnetId` (the builder's out-of-scope peering has it off). */
function usingRemoteGateways(model: NetworkModel, vnetId: ResourceId): NetworkModel {
  return { ...model, virtualNetworks: model.virtualNetworks.map((v) => (v.id === vnetId ? { ...v, peerings: v.peerings.map((p) => ({ ...p, useRemoteGateways: true })) } : v)) };
}

describe('UDR next hop VirtualNetworkGateway with gateway transit', () => {
  /**
   * useRemoteGateways: "If the flag is set to true, and allowGatewayTransit on remote peering is also
   * true, virtual network will use gateways of remote virtual network for transit"
   * https://learn.microsoft.com/javascript/api/@azure/arm-network-profile-2020-09-01-hybrid/virtualnetworkpeering
   * (egress-rules.md §2.3: "`useRemoteGateways` peering → the same rules are applied to the remote
   * VNet"; §6.1). The hub is not in the input, so whether its gateway is a route-based VPN gateway
   * (UDR supported → forced tunnel), ExpressRoute or Route Server (UDR unsupported [UDR
   * virtual-networks-udr-overview.md#user-defined]) is not known: unknown, naming the hub, never
   * "points at a virtual network gateway that does not exist" → dropped.
   */
  function spokeWithGatewayUdr(remoteGateways: boolean) {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const hub = outOfScopeVnet('hub-elsewhere');
    b.peerOutOfScope(spoke, hub, ['10.0.0.0/16']);
    const rt = b.routeTable('rt', [{ name: 'default-to-gw', prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]);
    const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    const model = b.build();
    return { model: remoteGateways ? usingRemoteGateways(model, spoke) : model, app, hub };
  }

  it('is unknown (hub gateway not in the input), not "no gateway → dropped", and names the hub', () => {
    const { model, app, hub } = spokeWithGatewayUdr(true);
    const result = resolve(model);
    const path = pathOf(result, app);
    const reason = terminalOf(path.steps).reason;
    expect(reason.kind).not.toBe('no-gateway');
    expect(path.verdict).toBe('unknown');
    expect(reason).toMatchObject({ kind: 'missing-resource', resourceId: hub });
    expect(reason.kind === 'missing-resource' && reason.what).toContain('hub-elsewhere');
    expect(path.findings.map((f) => f.code)).not.toContain('next-hop-unreachable');
    expect(result.gaps.some((g) => g.code === 'missing-reference' && g.scope === hub && g.message.includes('useRemoteGateways'))).toBe(true);
  });

  it('a VNet truly without a gateway (none of its own, no remote-gateway peering) still drops the traffic', () => {
    // [UDR] a UDR to VirtualNetworkGateway needs the VNet's gateway; with none, local or remote, there is nowhere to send it.
    const { model, app } = spokeWithGatewayUdr(false);
    const path = pathOf(resolve(model), app);
    expect(terminalOf(path.steps).reason.kind).toBe('no-gateway');
    expect(path.verdict).toBe('dropped');
    expect(path.findings.map((f) => f.code)).toContain('next-hop-unreachable');
  });
});

describe('UDR next hop Internet for a destination that is not an internet address', () => {
  /**
   * "Internet: Routes traffic specified by the address prefix to the Internet" [UDR
   * articles/virtual-network/virtual-networks-udr-overview.md#default]; RFC 1918 ranges are "Reserved
   * for private use" and dropped by default (None), RFC 6598 (100.64.0.0/10) too. What Azure does with
   * a packet to 10.2.0.5 sent to the Internet next hop is documented nowhere (it cannot be delivered
   * on the internet, and no public endpoint answers it). egress-rules.md §2.7 only covers "the
   * winning route for the public destination". Such a what-if is unknown, never `internet`.
   */
  function internetUdr(prefix: string) {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const rt = b.routeTable('rt', [{ name: 'to-internet', prefix, nextHopType: 'Internet' }]);
    const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    b.nic(app, 'vm1', '10.1.1.4');
    return { model: b.build(), app };
  }

  it('a what-if to 10.2.0.5 over "10.2.0.0/16 → Internet" is not reported as reaching the internet', () => {
    const { model, app } = internetUdr('10.2.0.0/16');
    const r = walk(model, app, '10.2.0.5');
    expect(r.reason.kind).not.toBe('egress');
    expect(r.verdict).toBe('unknown');
    expect(undecided(r.reason).missingFact).toContain('10.2.0.5 is a private address (RFC 1918)');
  });

  it('holds for RFC 6598 shared space and for a range of private addresses too', () => {
    const shared = internetUdr('100.64.0.0/10');
    expect(undecided(walk(shared.model, shared.app, '100.64.1.1').reason).missingFact).toContain('RFC 6598');
    const onprem = internetUdr('10.2.0.0/16');
    expect(walk(onprem.model, onprem.app, '10.2.0.0/24').verdict).toBe('unknown');
  });

  it('a public destination over an Internet UDR still leaves for the internet', () => {
    const { model, app } = internetUdr('20.0.0.0/8');
    const r = walk(model, app, '20.1.2.3');
    expect(r.verdict).toBe('internet');
    expect(r.reason.kind).toBe('egress');
  });
});

describe('delivery over a peering follows the route that won', () => {
  /**
   * Only a Connected peering carries traffic and installs routes [PEER]
   * https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview ; "the system
   * adds a route for each address range within the address space of each virtual network involved
   * in the peering" [UDR #optional-default-routes]. A Disconnected peering left behind (its remote
   * VNet's side deleted) installs no route: the Connected peering whose route won delivers, not the
   * stale peering listed first with the same range.
   */
  function replacedSpoke() {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const old = b.vnet('old', ['10.2.0.0/16']);
    const replacement = b.vnet('new', ['10.2.0.0/16']);
    b.peer(hub, old, { state: 'Disconnected', oneWay: true });
    b.peer(hub, replacement);
    const h = b.subnet(hub, 'h', '10.0.2.0/24');
    const hubNic = b.nic(h, 'vm-hub', '10.0.2.4');
    const w = b.subnet(replacement, 'w', '10.2.1.0/24');
    b.nic(w, 'vm-new', '10.2.1.5');
    return { model: b.build(), h, hubNic };
  }

  it('a stale Disconnected peering with the same range does not shadow the Connected peering whose route won', () => {
    const { model, h } = replacedSpoke();
    const path = pathOf(resolve(model, { destination: '10.2.1.5' }), h);
    const route = path.steps.find((s) => s.kind === 'route');
    const reason = terminalOf(path.steps).reason;
    expect(route?.kind === 'route' && route.route.name).toBe('Peering to-new');
    expect(reason.kind).toBe('delivered-over-peering');
    expect(path.verdict).toBe('private');
    if (reason.kind === 'delivered-over-peering') expect(reason.remoteVnet.name).toBe('new');
  });

  it('a captured peering route (which names no peering) is delivered by the live peering, not the stale one', () => {
    const { model, h, hubNic } = replacedSpoke();
    const effectiveRoutes = [{ networkInterfaceId: hubNic, routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('10.2.0.0/16', 'VNetPeering'), effectiveRoute('0.0.0.0/0', 'Internet')] }];
    const reason = terminalOf(pathOf(resolve(model, { destination: '10.2.1.5' }, { effectiveRoutes }), h).steps).reason;
    expect(reason.kind === 'delivered-over-peering' && reason.remoteVnet.name).toBe('new');
  });

  /**
   * Longest prefix match [UDR #how-azure-selects-a-route]: for 10.2.1.5 the peering route 10.2.1.0/24
   * (to-s2) beats 10.2.0.0/16 (to-s1), and the route step says so; the terminal step must deliver
   * over to-s2 too. Peered address spaces may not overlap ("The address spaces of the peered virtual
   * networks don't overlap", https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-different-region),
   * so such an input is inconsistent: unknown is acceptable, but naming s1 contradicts the winning route.
   */
  it('a more specific peering route is not delivered through another peering', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const s1 = b.vnet('s1', ['10.2.0.0/16']);
    const s2 = b.vnet('s2', ['10.2.1.0/24']);
    b.peer(hub, s1);
    b.peer(hub, s2);
    const h = b.subnet(hub, 'h', '10.0.2.0/24');
    const path = pathOf(resolve(b.build(), { destination: '10.2.1.5' }), h);
    const route = path.steps.find((s) => s.kind === 'route');
    const reason = terminalOf(path.steps).reason;
    expect(route?.kind === 'route' && route.route.name).toBe('Peering to-s2');
    if (reason.kind === 'delivered-over-peering') expect(reason.remoteVnet.name).toBe('s2');
    else expect(path.verdict).toBe('unknown');
  });

  /**
   * Two Connected peerings carrying exactly the same range (10.2.0.0/16 in s1 and in s2): both
   * install a VNetPeering system route on the same prefix [UDR #optional-default-routes], and Azure
   * documents no order between two system routes on one prefix, nor may peered spaces overlap. The
   * first listed peering must not silently win: unknown, naming both peerings.
   */
  it('two peerings with the same remote range leave the destination unknown, naming both', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const s1 = b.vnet('s1', ['10.2.0.0/16']);
    const s2 = b.vnet('s2', ['10.2.0.0/16']);
    b.peer(hub, s1);
    b.peer(hub, s2);
    const h = b.subnet(hub, 'h', '10.0.2.0/24');
    b.subnet(s1, 'a', '10.2.1.0/24');
    b.subnet(s2, 'a', '10.2.1.0/24');
    const model = b.build();
    const r = walk(model, h, '10.2.1.5');
    expect(r.verdict).toBe('unknown');
    const { missingFact } = undecided(r.reason);
    expect(missingFact).toContain('to-s1 (to s1)');
    expect(missingFact).toContain('to-s2 (to s2)');
    // A range in the overlap is no better decided.
    expect(walk(model, h, '10.2.1.0/24').verdict).toBe('unknown');
  });
});

describe('UDR next hop VirtualNetworkGateway when the gateway was not exported', () => {
  /**
   * ARM lists every IP configuration attached to a subnet in its `ipConfigurations` (a gateway's
   * too: `…/virtualNetworkGateways/<gw>/ipConfigurations/<name>`). A GatewaySubnet that lists one
   * of a gateway the input lacks says the gateway exists and was not exported (`az network vnet
   * list` without `az network vnet-gateway list`): a UDR to VirtualNetworkGateway then leads
   * where that gateway takes it [UDR virtual-networks-udr-overview.md#user-defined], unknown, never
   * "points at a virtual network gateway that does not exist" → dropped.
   */
  const BASE = '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network';
  function estate(withGateway: boolean): unknown[] {
    const gatewayExample = JSON.parse(readFileSync(join(__dirname, '../../fixtures/arm-examples/VirtualNetworkGatewayGet.json'), 'utf8')) as { responses: { 200: { body: unknown } } };
    const vnet = {
      id: `${BASE}/virtualNetworks/vnet1`, name: 'vnet1', type: 'Microsoft.Network/virtualNetworks', location: 'centralus',
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [
          { id: `${BASE}/virtualNetworks/vnet1/subnets/GatewaySubnet`, name: 'GatewaySubnet',
            properties: { addressPrefix: '10.0.255.0/27', ipConfigurations: [{ id: `${BASE}/virtualNetworkGateways/vpngw/ipConfigurations/gwipconfig1` }] } },
          { id: `${BASE}/virtualNetworks/vnet1/subnets/app`, name: 'app',
            properties: { addressPrefix: '10.0.1.0/24', routeTable: { id: `${BASE}/routeTables/rt-app` }, defaultOutboundAccess: false } },
        ],
      },
    };
    const routeTable = {
      id: `${BASE}/routeTables/rt-app`, name: 'rt-app', type: 'Microsoft.Network/routeTables', location: 'centralus',
      properties: { routes: [{ id: `${BASE}/routeTables/rt-app/routes/default`, name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' } }] },
    };
    return [vnet, routeTable, ...(withGateway ? [gatewayExample.responses[200].body] : [])];
  }
  const appId = toResourceId(`${BASE}/virtualNetworks/vnet1/subnets/app`);
  const run = (withGateway: boolean) => pathOf(resolve(normalizeArm([{ fileName: 'estate.json', json: estate(withGateway) }]).model), appId);

  it('is unknown, naming the gateway the GatewaySubnet lists', () => {
    const path = run(false);
    expect(path.verdict).toBe('unknown');
    expect(terminalOf(path.steps).reason).toMatchObject({ kind: 'missing-resource', resourceId: toResourceId(`${BASE}/virtualNetworkGateways/vpngw`) });
    expect(path.findings.map((f) => f.code)).not.toContain('next-hop-unreachable');
  });

  it('with the gateway in the input, a route-based VPN gateway takes the traffic into the tunnel', () => {
    expect(run(true).verdict).toBe('on-premises');
  });
});

/** Every rule and explanation shown to the user for a path, as one text. */
const shownOf = (path: ReturnType<typeof pathOf>): string => explainPath(path).map((h) => `${h.rule} :: ${h.explanation}`).join('\n');

/** A spoke peered (useRemoteGateways) to hub-elsewhere, not in the input; `udr` adds 0.0.0.0/0 → VirtualNetworkGateway. */
function spokeOnRemoteGateway(opts: { readonly udr: boolean; readonly state?: PeeringState }) {
  const b = new ModelBuilder();
  const spoke = b.vnet('spoke', ['10.1.0.0/16']);
  const hub = outOfScopeVnet('hub-elsewhere');
  const peering = b.peerOutOfScope(spoke, hub, ['10.0.0.0/16']);
  const rt = opts.udr ? b.routeTable('rt', [{ name: 'default-to-gw', prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]) : undefined;
  const app = b.subnet(spoke, 'app', '10.1.1.0/24', rt ? { routeTableId: rt } : {});
  const nic = b.nic(app, 'vm1', '10.1.1.4');
  const built = usingRemoteGateways(b.build(), spoke);
  const model: NetworkModel = opts.state === undefined ? built : {
    ...built,
    virtualNetworks: built.virtualNetworks.map((v) => (v.id === spoke ? { ...v, peerings: v.peerings.map((p) => ({ ...p, peeringState: opts.state ?? p.peeringState })) } : v)),
  };
  return { model, app, nic, hub, peering };
}

describe('gateway transit to a hub not in the input: learned routes and unreported peering states', () => {
  /**
   * Routes exchanged over BGP with a VPN or ExpressRoute gateway are added to all subnets with source
   * and next hop VirtualNetworkGateway, and spokes using the hub's gateway get them (egress-rules.md
   * §2.4, §6.2; ExpressRoute: "we will route all traffic from the associated virtual networks to
   * your network" https://learn.microsoft.com/azure/expressroute/expressroute-routing). A captured
   * learned 0.0.0.0/0 proves the gateway exists: a forced tunnel, not "hub missing → unknown" (the
   * missing-hub unknown is for UDRs only, whose support depends on the gateway's type [UDR]).
   */
  it('a captured BGP default route to the remote gateway is a forced tunnel, whatever the hub not being in the input', () => {
    const { model, app, nic } = spokeOnRemoteGateway({ udr: false });
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [
      effectiveRoute('10.1.0.0/16', 'VnetLocal'), effectiveRoute('10.0.0.0/16', 'VNetPeering'),
      effectiveRoute('0.0.0.0/0', 'VirtualNetworkGateway', { source: 'VirtualNetworkGateway', nextHopIpAddresses: ['10.0.255.4'] }),
      effectiveRoute('0.0.0.0/0', 'Internet', { state: 'Invalid' }),
    ] }];
    const path = pathOf(resolve(model, {}, { effectiveRoutes }), app);
    expect(terminalOf(path.steps).reason.kind).toBe('forced-tunnel');
    expect(path.verdict).toBe('on-premises');
  });

  it('a UDR to VirtualNetworkGateway over that peering stays unknown, and its verify command lists the hub\'s gateways', () => {
    const { model, app, hub } = spokeOnRemoteGateway({ udr: true });
    const path = pathOf(resolve(model), app);
    expect(terminalOf(path.steps).reason).toMatchObject({ kind: 'missing-resource', resourceId: hub });
    expect(explainPath(path).at(-1)?.verify).toBe(`az network vnet subnet show --ids '${hub}/subnets/GatewaySubnet' --query 'ipConfigurations[].id'`);
  });

  /**
   * Only a Connected peering carries traffic [PEER]
   * https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview ; the input
   * does not report this peering's state (peeringState absent → Unknown), so whether the spoke uses
   * the hub's gateway (a route-based VPN gateway takes the UDR's traffic into the tunnel) or has no
   * gateway (dropped) is not known: unknown naming the peering's state, not a confident "dropped"
   * with an error finding (peering.ts treats an unreported state as unknown everywhere).
   */
  it('with the useRemoteGateways peering\'s state not reported, a UDR to VirtualNetworkGateway is unknown, not "no gateway → dropped"', () => {
    const { model, app, peering } = spokeOnRemoteGateway({ udr: true, state: 'Unknown' });
    const path = pathOf(resolve(model), app);
    expect(path.findings.map((f) => f.code)).not.toContain('next-hop-unreachable');
    expect(path.verdict).toBe('unknown');
    const reason = undecided(terminalOf(path.steps).reason);
    expect(reason.resourceId).toBe(peering);
    expect(reason.missingFact).toContain('the state of peering to-hub-elsewhere');
    expect(explainPath(path).at(-1)?.verify).toBe(`az network vnet peering show --ids '${peering}'`);
  });

  it('a Disconnected useRemoteGateways peering still leaves the VNet without a gateway: dropped', () => {
    const { model, app } = spokeOnRemoteGateway({ udr: true, state: 'Disconnected' });
    const path = pathOf(resolve(model), app);
    expect(terminalOf(path.steps).reason.kind).toBe('no-gateway');
    expect(path.verdict).toBe('dropped');
  });
});

describe('internet egress for a destination that is not an internet address, wherever the path ends', () => {
  /**
   * A spoke connected to a secured virtual hub with an Internet routing policy sends 0.0.0.0/0 to
   * the hub firewall [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
   * whose egress is documented for internet destinations only. 240.0.0.1 is reserved ("Future
   * use", not globally reachable: IANA special-purpose registry): the same missing fact as the
   * Internet next hop's (egress-rules.md §2.7 covers public destinations only), so unknown, never
   * "reaches the internet".
   */
  function securedHubSpoke() {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const app = b.subnet(spoke, 'app', '10.1.1.0/24');
    b.nic(app, 'vm1', '10.1.1.4');
    const fw = b.firewall('hub-fw', { hubId: '/x' as ResourceId, hubPublicIps: ['20.8.8.1'], rules: [networkRule('any', { destinationAddresses: ['*'], destinationPorts: ['*'], protocols: ['Any'] })] });
    // routingRead: the hub's route tables, gateways and connections' static routes are in the input,
    // so no hub route more specific than routing intent's 0/0 may take a what-if (hubLearnedRouteQuestion).
    b.virtualHub('vhub', { firewallId: fw, internetPolicy: true, routingRead: true, connections: [{ vnetId: spoke, enableInternetSecurity: true }] });
    return { model: b.build(), app, fw };
  }

  it('a what-if to a reserved address through a secured hub (routing intent) is unknown, not internet', () => {
    const { model, app, fw } = securedHubSpoke();
    expect(pathOf(resolve(model, { destination: '8.8.8.8' }), app).verdict).toBe('internet');
    const path = pathOf(resolve(model, { destination: '240.0.0.1' }), app);
    expect(path.verdict).toBe('unknown');
    const reason = undecided(terminalOf(path.steps).reason);
    expect(reason.resourceId).toBe(fw);
    expect(reason.missingFact).toContain('240.0.0.1 is a reserved address');
  });

  it('an RFC 1918 address sent to the hub firewall\'s internet egress is unknown too; 0.x and 127.x likewise', () => {
    const { model, app } = securedHubSpoke();
    for (const destination of ['0.1.2.3', '127.0.0.1']) {
      expect(pathOf(resolve(model, { destination }), app).verdict).toBe('unknown');
    }
  });
});

describe('captured VNetPeering routes with subnet peering', () => {
  /**
   * Subnet peering lets spokes reuse address space: "Subnet peering helps you have better
   * conservation of IPv4 space, by letting you reuse address spaces across subnets that need not be
   * peered" https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering
   * The hub subnet-peers a1 (10.6.1.0/24) of sa and b2 (10.6.2.0/24) of sb, both VNets 10.6.0.0/16.
   * Each peering carries only its remote subnets' ranges (remoteAddressSpace), so a captured route
   * 10.6.1.0/24 → VNetPeering is the one to-sa installed: delivered to sa, not "stale peering".
   */
  function reusedSpace() {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const sa = b.vnet('sa', ['10.6.0.0/16']);
    const sb = b.vnet('sb', ['10.6.0.0/16']);
    const h = b.subnet(hub, 'h', '10.0.2.0/24');
    const hubNic = b.nic(h, 'vm-hub', '10.0.2.4');
    b.nic(b.subnet(sa, 'a1', '10.6.1.0/24'), 'vm-a', '10.6.1.5');
    b.nic(b.subnet(sb, 'b2', '10.6.2.0/24'), 'vm-b', '10.6.2.5');
    b.peer(hub, sa, { subnetPeering: { localSubnetNames: ['h'], remoteSubnetNames: ['a1'] } });
    b.peer(hub, sb, { subnetPeering: { localSubnetNames: ['h'], remoteSubnetNames: ['b2'] } });
    const effectiveRoutes = [{ networkInterfaceId: hubNic, routes: [
      effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('10.6.1.0/24', 'VNetPeering'), effectiveRoute('10.6.2.0/24', 'VNetPeering'), effectiveRoute('0.0.0.0/0', 'Internet'),
    ] }];
    return { model: b.build(), h, effectiveRoutes };
  }

  it('each captured peering route is delivered over the peering that carries its range', () => {
    const { model, h, effectiveRoutes } = reusedSpace();
    for (const [destination, remote] of [['10.6.1.5', 'sa'], ['10.6.2.5', 'sb']] as const) {
      const computed = terminalOf(pathOf(resolve(model, { destination }), h).steps).reason;
      expect(computed.kind === 'delivered-over-peering' && computed.remoteVnet.name).toBe(remote);
      const path = pathOf(resolve(model, { destination }, { effectiveRoutes }), h);
      expect(shownOf(path)).not.toContain('stale');
      const reason = terminalOf(path.steps).reason;
      expect(reason.kind === 'delivered-over-peering' && reason.remoteVnet.name).toBe(remote);
    }
  });

  it('two whole-VNet peerings holding one captured range stay unknown, with the command that lists the peerings', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    b.peer(hub, b.vnet('s1', ['10.2.0.0/16']));
    b.peer(hub, b.vnet('s2', ['10.2.0.0/16']));
    const h = b.subnet(hub, 'h', '10.0.2.0/24');
    const hubNic = b.nic(h, 'vm-hub', '10.0.2.4');
    const effectiveRoutes = [{ networkInterfaceId: hubNic, routes: [effectiveRoute('10.0.0.0/16', 'VnetLocal'), effectiveRoute('10.2.0.0/16', 'VNetPeering'), effectiveRoute('0.0.0.0/0', 'Internet')] }];
    const path = pathOf(resolve(b.build(), { destination: '10.2.1.5' }, { effectiveRoutes }), h);
    expect(path.verdict).toBe('unknown');
    expect(explainPath(path).at(-1)?.verify).toMatch(/^az network vnet peering list --vnet-name 'hub' -g /);
  });
});

describe('a host name of a known Azure service and a service-tag UDR', () => {
  /**
   * The documented bypass pattern: "service-tag bypass routes that send selected tags to Internet
   * while 0.0.0.0/0 goes to an NVA" (egress-rules.md §4); a tag UDR carries the tag's prefixes
   * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes
   * A *.blob.core.windows.net name is a Storage address: with "Storage → Internet" and the name's
   * address not known, whether the tag route carries it (straight out) or 0.0.0.0/0 does (the
   * firewall) is not known — unknown naming Storage, never "internet via the firewall".
   */
  function bypass(serviceTagRoute: string) {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub);
    const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26');
    const policy = b.firewallPolicy('fw-policy', [networkRule('any', { destinationAddresses: ['*'], destinationPorts: ['*'], protocols: ['Any'] })]);
    const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: HUB_FIREWALL_IP, publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], policyId: policy });
    const rt = b.routeTable('rt', [
      { prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
      { name: 'storage-bypass', prefix: serviceTagRoute, nextHopType: 'Internet' },
    ]);
    const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    b.nic(app, 'vm1', '10.1.1.4');
    return { model: b.build(), fw, app };
  }

  it('without tag data: unknown naming the tag, with the command that lists its prefixes', () => {
    const { model, fw, app } = bypass('Storage');
    expect(pathOf(resolve(model, { destination: '20.60.1.1' }), app).verdict).toBe('unknown');
    const path = pathOf(resolve(model, { destination: 'stdata.blob.core.windows.net' }), app);
    expect(path.verdict === 'internet' && path.via.some((v) => v.id === fw)).toBe(false);
    expect(path.verdict).toBe('unknown');
    const reason = undecided(terminalOf(path.steps).reason);
    expect(reason.rule).toContain('Storage');
    expect(explainPath(path).at(-1)?.verify).toContain('az network list-service-tags --location');
    expect(explainPath(path).at(-1)?.verify).toContain('`"Storage"`');
  });

  it('with tag data the tag\'s prefixes are known but the name\'s address is not: still unknown; for an address, the expanded route decides', () => {
    const { model, fw, app } = bypass('Storage');
    const serviceTags: ServiceTagSet = { changeNumber: 7, cloud: 'Public',
      tags: [{ name: 'Storage', region: '', systemService: 'AzureStorage', addressPrefixes: ['20.60.0.0/16'], networkFeatures: ['UDR'] }] };
    const run = (destination: string) => pathOf(resolveEgress({ model, serviceTags, effectiveRoutes: [], metrics: [], gaps: [] }, { destination }), app);
    const byName = run('stdata.blob.core.windows.net');
    expect(byName.verdict).toBe('unknown');
    expect(undecided(terminalOf(byName.steps).reason).missingFact).toContain('the address stdata.blob.core.windows.net resolves to is not known');
    // An address: the expanded tag route decides, straight out (no firewall) or through it.
    expect(run('20.60.1.1').via.map((v) => v.id)).not.toContain(fw);
    expect(run('8.8.8.8').via.map((v) => v.id)).toContain(fw);
  });

  it('a regional tag of the service counts too; a tag of another service, or a name of no known service, does not', () => {
    expect(pathOf(resolve(bypass('Storage.WestEurope').model, { destination: 'stdata.blob.core.windows.net' }), bypass('Storage.WestEurope').app).verdict).toBe('unknown');
    const sql = bypass('Sql');
    const viaFw = pathOf(resolve(sql.model, { destination: 'stdata.blob.core.windows.net' }), sql.app);
    expect(viaFw.verdict).toBe('internet');
    expect(viaFw.via.map((v) => v.id)).toContain(sql.fw);
    expect(pathOf(resolve(bypass('Storage').model, { destination: 'api.stripe.com' }), bypass('Storage').app).verdict).toBe('internet');
  });
});
