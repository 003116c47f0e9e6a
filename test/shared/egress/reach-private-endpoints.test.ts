/**
 * Reach's private endpoints are judged by the engine for each source, as a single-destination
 * resolve judges them: an endpoint is "reached privately" only where the what-if of its address or
 * FQDN from that source ends at it; "may reach" (Unknown) where that is not known; not listed where
 * the source's path is denied, dropped or goes elsewhere. The first three cases come from the audit
 * (test/audit/destinations.test.ts, "reach: private endpoints it \"reaches privately\"").
 *
 * [NSG]   https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 * [PENP]  https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 * [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 * [PEFW]  https://learn.microsoft.com/azure/private-link/inspect-traffic-with-azure-firewall
 * [PEMANAGE] https://learn.microsoft.com/azure/private-link/manage-private-endpoint
 * [NICDNS] https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#change-dns-servers
 */
import { describe, expect, it } from 'vitest';
import { formatReach } from '../../../electron/cli/format-table';
import { computeReach, endpointsBeyondSubnet, privateEndpointReachText } from '../../../shared/egress/reach';
import type { PrivateEndpointReachEntry, ReachResult } from '../../../shared/egress/reach';
import type { NetworkModel } from '../../../shared/model/topology';
import { networkRule, securityRule } from '../../support/model-builder';
import type { ModelBuilder, PrivateEndpointOptions } from '../../support/model-builder';
import { hubSpokeFirewall, HUB_FIREWALL_IP, pathOf, resolve } from './support';

const PE_NAME = 'stpatients.blob.core.windows.net';
const PE_IP = '10.0.5.6';

function inputOf(model: NetworkModel) {
  return { model, effectiveRoutes: [], metrics: [], gaps: [] };
}

/**
 * Hub (10.0.0.0/16, firewall 10.0.1.4) peered with spoke (10.1.0.0/16, subnet app routed to the
 * firewall). Private endpoint pe-st (10.0.5.6) for stpatients blob in hub subnet `data`;
 * privatelink.blob.core.windows.net linked to hub and spoke with the endpoint's A record.
 */
function peEstate(opts: { readonly privateEndpointNetworkPolicies?: string; readonly firewallRules?: Parameters<typeof hubSpokeFirewall>[0]; readonly endpoint?: PrivateEndpointOptions } = {}) {
  const { b, hub, spoke, app, fw } = hubSpokeFirewall(opts.firewallRules ?? [networkRule('unrelated', { destinationAddresses: ['1.1.1.1'] })]);
  const data = b.subnet(hub, 'data', '10.0.5.0/24', opts.privateEndpointNetworkPolicies ? { privateEndpointNetworkPolicies: opts.privateEndpointNetworkPolicies } : {});
  const pe = b.privateEndpoint(data, 'pe-st', PE_IP, { fqdns: [PE_NAME], ...opts.endpoint });
  const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
  b.link(zone, hub, { name: 'link-hub' });
  b.link(zone, spoke, { name: 'link-spoke' });
  b.aRecord(zone, 'stpatients', [PE_IP]);
  return { b, hub, spoke, app, fw, data, pe };
}

/** A UDR sending the hub's range (and so the endpoint, with route-table policies on its subnet [PENP]) to the firewall. */
function inspectRoutes(b: ModelBuilder) {
  return b.routeTable('rt-inspect', [
    { prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
    { prefix: '10.0.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
  ]);
}

/** peEstate with a firewall rule allowing the endpoint, and VNet partner (10.3.0.0/16, subnet partner-app) peered with the hub both ways. */
function partnerEstate(): NetworkModel {
  const { b, hub } = peEstate({ firewallRules: [networkRule('to-pe', { destinationAddresses: [PE_IP], destinationPorts: ['443'] })] });
  const partner = b.vnet('partner', ['10.3.0.0/16']);
  b.peer(partner, hub);
  b.peer(hub, partner);
  b.subnet(partner, 'partner-app', '10.3.1.0/24');
  return b.build();
}

function endpointsOf(reach: ReachResult, name: string): readonly PrivateEndpointReachEntry[] {
  const source = reach.sources.find((s) => s.source.name === name);
  if (!source) throw new Error(`no reach entry for ${name}`);
  return source.private.filter((e): e is PrivateEndpointReachEntry => e.kind === 'private-endpoint');
}

function privateEntries(model: NetworkModel, subnetName: string) {
  return endpointsOf(computeReach(inputOf(model)), subnetName);
}

describe('reach: private endpoints it "reaches privately" (from the audit)', () => {
  // [NSG]: the source's outbound Deny VirtualNetwork covers the peered hub's endpoint address.
  it('a subnet whose outbound NSG denies the endpoint does not "reach" it', () => {
    const { b, spoke } = peEstate();
    b.subnet(spoke, 'locked', '10.1.3.0/24', { networkSecurityGroupId: b.nsg('nsg-locked', [securityRule('deny-vnet-out', 100, 'Deny', 'VirtualNetwork')]) });
    const model = b.build();
    const locked = model.subnets.find((s) => s.name === 'locked')?.id ?? '';
    expect(pathOf(resolve(model, { destination: PE_NAME }), locked).verdict).toBe('denied');
    expect(privateEntries(model, 'locked')).toEqual([]);
  });

  // [PENP][PEFW]: the UDR invalidates the endpoint's /32; the firewall's rules do not allow it.
  it('a subnet whose UDR sends endpoint traffic to a firewall that denies it does not "reach" it', () => {
    const { b, spoke } = peEstate({ privateEndpointNetworkPolicies: 'RouteTableEnabled' });
    b.subnet(spoke, 'inspected', '10.1.2.0/24', { routeTableId: inspectRoutes(b) });
    const model = b.build();
    const inspected = model.subnets.find((s) => s.name === 'inspected')?.id ?? '';
    expect(pathOf(resolve(model, { destination: PE_NAME }), inspected).verdict).toBe('denied');
    expect(privateEntries(model, 'inspected')).toEqual([]);
  });

  // [PEDNS]: a VNet not linked to the privatelink zone resolves the name publicly.
  it('a peered VNet not linked to the privatelink zone does not reach the endpoint\'s FQDN privately', () => {
    const { b, hub } = peEstate();
    const partner = b.vnet('partner', ['10.3.0.0/16']);
    b.peer(partner, hub);
    b.peer(hub, partner);
    b.subnet(partner, 'partner-app', '10.3.1.0/24');
    const model = b.build();
    const partnerApp = model.subnets.find((s) => s.name === 'partner-app')?.id ?? '';
    expect(pathOf(resolve(model, { destination: PE_NAME }), partnerApp).verdict).toBe('internet');
    expect(privateEntries(model, 'partner-app').map((e) => e.value)).not.toContainEqual(expect.stringContaining(PE_NAME));
  });
});

describe('reach: private endpoints judged per source', () => {
  it('a linked spoke reaches the endpoint by its FQDN, around the firewall (its /32 route wins over the 0/0 UDR)', () => {
    const { b } = peEstate();
    expect(privateEntries(b.build(), 'app')).toEqual([expect.objectContaining({ value: PE_NAME, verdict: 'private', via: [] })]);
  });

  it('through a firewall that allows it, the entry is reached and names the firewall it passes', () => {
    const { b, spoke, fw } = peEstate({ privateEndpointNetworkPolicies: 'RouteTableEnabled', firewallRules: [networkRule('to-pe', { destinationAddresses: [PE_IP], destinationPorts: ['443'] })] });
    b.subnet(spoke, 'inspected', '10.1.2.0/24', { routeTableId: inspectRoutes(b) });
    const model = b.build();
    const inspected = model.subnets.find((s) => s.name === 'inspected')?.id ?? '';
    expect(pathOf(resolve(model, { destination: PE_NAME }), inspected)).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
    const [entry] = privateEntries(model, 'inspected');
    expect(entry).toMatchObject({ value: PE_NAME, verdict: 'private', via: [fw] });
    expect(entry && privateEndpointReachText(entry)).toBe('Reached privately on TCP 443 via fw');
  });

  it('a peered VNet not linked to the zone reaches the endpoint by address only, and says what its name does', () => {
    const { b, hub } = peEstate();
    const partner = b.vnet('partner', ['10.3.0.0/16']);
    b.peer(partner, hub);
    b.peer(hub, partner);
    b.subnet(partner, 'partner-app', '10.3.1.0/24');
    const [entry] = privateEntries(b.build(), 'partner-app');
    expect(entry).toMatchObject({ value: `pe-st (${PE_IP})`, verdict: 'private' });
    expect(entry?.note).toContain(`by address only (${PE_IP})`);
    expect(entry?.note).toContain(`${PE_NAME}: Internet`);
  });

  // allowVirtualNetworkAccess = false "only changes the definition of the VirtualNetwork service
  // tag. It doesn't fully prevent traffic flow across the peer connection" [PEERMANAGE]
  // https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering: "may reach".
  it('a peering that blocks VNet access by default makes the endpoint "may reach", never reached', () => {
    const { b, hub } = peEstate();
    const partner = b.vnet('partner', ['10.3.0.0/16']);
    b.peer(partner, hub, { allowVirtualNetworkAccess: false });
    b.peer(hub, partner);
    b.subnet(partner, 'partner-app', '10.3.1.0/24');
    const entries = privateEntries(b.build(), 'partner-app');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.verdict === 'unknown')).toBe(true);
  });

  it('a NIC with a path of its own whose NSG denies the endpoint does not reach it; its subnet still does', () => {
    const { b, spoke } = peEstate();
    const web = b.subnet(spoke, 'web', '10.1.4.0/24');
    b.nic(web, 'nic-locked', '10.1.4.4', { publicIpId: b.publicIp('pip-locked', '20.0.0.20'), nsgId: b.nsg('nsg-nic-locked', [securityRule('deny-pe', 100, 'Deny', PE_IP)]) });
    const reach = computeReach(inputOf(b.build()));
    expect(endpointsOf(reach, 'nic-locked')).toEqual([]);
    expect(endpointsOf(reach, 'web').map((e) => e.value)).toEqual([PE_NAME]);
  });

  // A NIC that takes its subnet's path on every port (no public IP: its own NSG alone sets it
  // apart) but whose NSG denies the endpoint: the subnet's entry must not stand for it [NSG].
  it('a NIC that follows its subnet but whose own NSG denies the endpoint is a source of its own, without the endpoint', () => {
    const { b, spoke } = peEstate();
    const web = b.subnet(spoke, 'web', '10.1.4.0/24');
    b.nic(web, 'nic-plain', '10.1.4.5');
    b.nic(web, 'nic-locked', '10.1.4.4', { nsgId: b.nsg('nsg-nic-locked', [securityRule('deny-pe', 100, 'Deny', PE_IP)]) });
    const reach = computeReach(inputOf(b.build()));
    const subnet = reach.sources.find((s) => s.source.name === 'web');
    const nic = reach.sources.find((s) => s.source.name === 'nic-locked');
    expect(endpointsOf(reach, 'web').map((e) => e.value)).toEqual([PE_NAME]);
    expect(nic?.followsSubnet).toBe(true);
    expect(endpointsOf(reach, 'nic-locked')).toEqual([]);
    expect(reach.sources.some((s) => s.source.name === 'nic-plain')).toBe(false);
    if (!subnet || !nic) throw new Error('missing sources');
    expect(endpointsBeyondSubnet(nic, subnet).notReached.map((e) => e.value)).toEqual([PE_NAME]);
    // Its other entries are the subnet's: it follows the subnet on every port.
    expect(nic.allowed).toEqual(subnet.allowed);
    // The single resolve agrees: the NIC's own entry for the endpoint's name is denied.
    expect(pathOf(resolve(b.build(), { destination: PE_NAME }), nic.source.id).verdict).toBe('denied');
  });

  it('a NIC with its own NSG that allows the endpoint alike is not listed apart', () => {
    const { b, spoke } = peEstate();
    const web = b.subnet(spoke, 'web', '10.1.4.0/24');
    b.nic(web, 'nic-own-nsg', '10.1.4.4', { nsgId: b.nsg('nsg-nic', [securityRule('deny-other', 100, 'Deny', '10.9.9.9')]) });
    const reach = computeReach(inputOf(b.build()));
    expect(reach.sources.some((s) => s.source.name === 'nic-own-nsg')).toBe(false);
  });

  it('an endpoint whose connection state is not reported is "may reach" (Unknown), with the gap naming that fact', () => {
    const { b } = peEstate({ endpoint: { status: 'Unknown' } });
    const reach = computeReach(inputOf(b.build()));
    const [entry] = endpointsOf(reach, 'app');
    expect(entry).toMatchObject({ verdict: 'unknown' });
    expect(entry && privateEndpointReachText(entry)).toMatch(/^May reach on TCP 443 \(verdict Unknown: see the gaps\)/);
    expect(reach.gaps.map((g) => g.message)).toContainEqual(expect.stringContaining('connection state not reported'));
    // The CLI table says it too: never printed as reached.
    expect(formatReach(reach, { color: false })).toContain('May reach on TCP 443 (verdict Unknown: see the gaps)');
  });

  it('a Pending endpoint carries no traffic to its service: not listed', () => {
    const { b } = peEstate({ endpoint: { status: 'Pending', manual: true } });
    expect(privateEntries(b.build(), 'app')).toEqual([]);
  });

  it('asked about one source, it answers that source alike (the app\'s per-source reach)', () => {
    const { b, spoke } = peEstate();
    b.subnet(spoke, 'locked', '10.1.3.0/24', { networkSecurityGroupId: b.nsg('nsg-locked', [securityRule('deny-vnet-out', 100, 'Deny', 'VirtualNetwork')]) });
    const model = b.build();
    const all = computeReach(inputOf(model));
    for (const name of ['app', 'locked']) {
      const one = computeReach(inputOf(model), { source: (s) => s.name === name });
      expect(endpointsOf(one, name)).toEqual(endpointsOf(all, name));
    }
  });

  it('every FQDN listed as reached is, for that source, a what-if that ends at the endpoint (the class, across estates)', () => {
    const estates: NetworkModel[] = [];
    {
      const { b, spoke } = peEstate({ privateEndpointNetworkPolicies: 'RouteTableEnabled' });
      b.subnet(spoke, 'inspected', '10.1.2.0/24', { routeTableId: inspectRoutes(b) });
      b.subnet(spoke, 'locked', '10.1.3.0/24', { networkSecurityGroupId: b.nsg('nsg-locked', [securityRule('deny-vnet-out', 100, 'Deny', 'VirtualNetwork')]) });
      estates.push(b.build());
    }
    estates.push(partnerEstate());
    for (const model of estates) {
      const reach = computeReach(inputOf(model));
      const byName = resolve(model, { destination: PE_NAME });
      const byAddress = resolve(model, { destination: PE_IP });
      for (const source of reach.sources) {
        // A NIC without a path of its own takes its subnet's, as in the what-if.
        const subnetId = source.source.type === 'nic' ? source.source.subnetId : source.source.id;
        const answer = (result: typeof byName) => result.paths.find((p) => p.source.id === source.source.id)
          ?? result.paths.find((p) => p.source.type === 'subnet' && p.source.id === subnetId);
        const name = answer(byName);
        const address = answer(byAddress);
        const entries = source.private.filter((e) => e.kind === 'private-endpoint');
        const reached = name?.verdict === 'private' && name.exit === 'private-endpoint';
        const reachedByAddress = address?.verdict === 'private' && address.exit === 'private-endpoint';
        expect(entries.some((e) => e.verdict === 'private' && e.value === PE_NAME), source.source.name).toBe(reached);
        expect(entries.some((e) => e.verdict === 'private'), source.source.name).toBe(reached || reachedByAddress);
      }
    }
  });
});

/**
 * From the review of bf14834 (test/audit/destinations-review.test.ts, "reach: private endpoints
 * (privateEndpointReach)"): [PEFW] Scenario 1, private endpoints in a dedicated spoke (pe-spoke
 * 10.2.0.0/16, peered with the hub only), clients in another spoke whose UDR sends the endpoints'
 * range to the hub firewall.
 */
function dedicatedEndpointVnet() {
  const endpointIp = '10.2.5.6';
  const { b, hub, spoke, fw } = hubSpokeFirewall([networkRule('to-pe', { destinationAddresses: ['10.2.0.0/16'], destinationPorts: ['443'] })]);
  const peSpoke = b.vnet('pe-spoke', ['10.2.0.0/16']);
  b.peer(peSpoke, hub, { allowForwardedTraffic: true });
  b.peer(hub, peSpoke);
  const data = b.subnet(peSpoke, 'pe-data', '10.2.5.0/24');
  b.privateEndpoint(data, 'pe-st', endpointIp, { fqdns: [PE_NAME] });
  const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
  b.link(zone, hub, { name: 'link-hub' });
  b.link(zone, spoke, { name: 'link-spoke' });
  b.aRecord(zone, 'stpatients', [endpointIp]);
  const rt = b.routeTable('rt-client', [
    { prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
    { prefix: '10.2.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
  ]);
  b.subnet(spoke, 'client', '10.1.7.0/24', { routeTableId: rt });
  // A spoke subnet with no UDR: its routes reach no appliance, so pe-spoke is not near it.
  b.subnet(spoke, 'plain', '10.1.8.0/24');
  const model = b.build();
  return { model, client: model.subnets.find((s) => s.name === 'client')?.id ?? '', fw };
}

/** peEstate with NSG policies on the endpoint's subnet (its NSG allows web) and subnet web in the hub routing the hub's range VnetLocal by UDR. */
function vnetLocalEstate() {
  const allowWeb = securityRule('allow-web-in', 100, 'Allow', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.0.2.0/24'] });
  const { b, hub } = peEstate({ privateEndpointNetworkPolicies: 'Enabled' });
  const nsg = b.nsg('nsg-data', [allowWeb]);
  b.subnet(hub, 'web', '10.0.2.0/24', { routeTableId: b.routeTable('rt-web', [{ prefix: '10.0.0.0/16', nextHopType: 'VnetLocal' }]) });
  const built = b.build();
  const model: NetworkModel = { ...built, subnets: built.subnets.map((s) => (s.name === 'data' ? { ...s, networkSecurityGroupId: nsg } : s)) };
  return { model, web: model.subnets.find((s) => s.name === 'web')?.id ?? '' };
}

describe('reach: private endpoints beyond the source\'s own and peered VNets, over VNet routes, behind a NIC\'s own DNS (from the review)', () => {
  // [PEFW] Scenario 1: reach and resolve agree.
  it('an endpoint in a dedicated VNet reached through the hub firewall is listed, as resolve reaches it', () => {
    const { model, client, fw } = dedicatedEndpointVnet();
    expect(pathOf(resolve(model, { destination: PE_NAME }), client)).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
    const reach = computeReach(inputOf(model));
    expect(endpointsOf(reach, 'client')).toContainEqual(expect.objectContaining({ value: PE_NAME, verdict: 'private', via: [fw] }));
    // No route of `plain` reaches an appliance: the dedicated VNet is not asked about (and resolve does not reach it).
    expect(endpointsOf(reach, 'plain')).toEqual([]);
    const plain = model.subnets.find((s) => s.name === 'plain')?.id ?? '';
    expect(pathOf(resolve(model, { destination: '10.2.5.6' }), plain).verdict).not.toBe('private');
  });

  // [PENP]: a UDR as specific as the VNet range replaces the endpoint's /32; the traffic is still delivered to its address.
  it('a Pending endpoint reached over a VnetLocal route is not "private" in resolve, nor listed as reached', () => {
    const { b, hub } = peEstate({ privateEndpointNetworkPolicies: 'RouteTableEnabled', endpoint: { status: 'Pending', manual: true } });
    b.subnet(hub, 'web', '10.0.2.0/24', { routeTableId: b.routeTable('rt-web', [{ prefix: '10.0.0.0/16', nextHopType: 'VnetLocal' }]) });
    const model = b.build();
    const web = model.subnets.find((s) => s.name === 'web')?.id ?? '';
    expect(pathOf(resolve(model, { destination: PE_IP }), web).verdict).not.toBe('private');
    expect(endpointsOf(computeReach(inputOf(model)), 'web').filter((e) => e.verdict === 'private')).toEqual([]);
  });

  it('an endpoint reached over a VnetLocal route (its /32 invalidated) is still listed for that source', () => {
    const { model, web } = vnetLocalEstate();
    expect(pathOf(resolve(model, { destination: PE_IP }), web)).toMatchObject({ verdict: 'private', exit: 'virtual-network' });
    expect(pathOf(resolve(model, { destination: PE_NAME }), web)).toMatchObject({ verdict: 'private', exit: 'virtual-network' });
    expect(endpointsOf(computeReach(inputOf(model)), 'web')).toEqual([expect.objectContaining({ value: PE_NAME, verdict: 'private', via: [] })]);
  });

  it('over a VnetLocal route, an endpoint whose connection state is not reported is "may reach", with the gap', () => {
    const { b, hub } = peEstate({ privateEndpointNetworkPolicies: 'RouteTableEnabled', endpoint: { status: 'Unknown' } });
    b.subnet(hub, 'web', '10.0.2.0/24', { routeTableId: b.routeTable('rt-web', [{ prefix: '10.0.0.0/16', nextHopType: 'VnetLocal' }]) });
    const model = b.build();
    const web = model.subnets.find((s) => s.name === 'web')?.id ?? '';
    // Delivered to the endpoint's address by a VNet route, the service is reached only over an
    // Approved connection [PEMANAGE]: resolve and reach both say not known.
    expect(pathOf(resolve(model, { destination: PE_IP }), web).verdict).toBe('unknown');
    const reach = computeReach(inputOf(model));
    expect(endpointsOf(reach, 'web')).toEqual([expect.objectContaining({ verdict: 'unknown' })]);
    expect(reach.gaps.map((g) => g.message)).toContainEqual(expect.stringContaining('connection state not reported'));
  });

  // [NICDNS]: its own DNS servers answer the name; what they answer is not in the input.
  it('a NIC whose own DNS servers answer the FQDN is a source of its own, not "reached by name"; asked about alone, it is answered', () => {
    const { b, spoke } = peEstate();
    const web = b.subnet(spoke, 'web', '10.1.4.0/24');
    const nicId = b.nic(web, 'nic-dns', '10.1.4.4');
    b.nic(web, 'nic-plain', '10.1.4.5');
    const built = b.build();
    const model: NetworkModel = { ...built, networkInterfaces: built.networkInterfaces.map((n) => (n.id === nicId ? { ...n, dnsServers: ['10.9.9.9'] } : n)) };
    expect(pathOf(resolve(model, { destination: PE_NAME }), nicId).verdict).toBe('unknown');
    const reach = computeReach(inputOf(model));
    expect(endpointsOf(reach, 'web').map((e) => [e.value, e.verdict])).toEqual([[PE_NAME, 'private']]);
    const nic = reach.sources.find((s) => s.source.id === nicId);
    expect(nic?.followsSubnet).toBe(true);
    expect(nic?.private).not.toContainEqual(expect.objectContaining({ kind: 'private-endpoint', value: PE_NAME, verdict: 'private' }));
    // Its address still reaches the endpoint; the entry says the name is not known from it.
    expect(endpointsOf(reach, 'nic-dns')).toEqual([expect.objectContaining({ value: `pe-st (${PE_IP})`, verdict: 'private' })]);
    expect(endpointsOf(reach, 'nic-dns')[0]?.note).toContain(`${PE_NAME}: Unknown`);
    expect(reach.sources.some((s) => s.source.name === 'nic-plain')).toBe(false);
    // The app's per-source reach: that NIC alone, with the same entries, and not its subnet.
    const one = computeReach(inputOf(model), { source: (s) => s.id === nicId });
    expect(one.sources.map((s) => s.source.name)).toEqual(['nic-dns']);
    expect(endpointsOf(one, 'nic-dns')).toEqual(endpointsOf(reach, 'nic-dns'));
  });

  it('judging names by their address where DNS sends them there gives what walking each name gives', () => {
    // Through the firewall the name is walked (application rules read it); around it the address's answer stands.
    const estates = [dedicatedEndpointVnet().model, vnetLocalEstate().model];
    estates.push(partnerEstate());
    for (const model of estates) {
      const reach = computeReach(inputOf(model));
      const byName = resolve(model, { destination: PE_NAME });
      for (const source of reach.sources) {
        const subnetId = source.source.type === 'nic' ? source.source.subnetId : source.source.id;
        const name = byName.paths.find((p) => p.source.id === source.source.id) ?? byName.paths.find((p) => p.source.type === 'subnet' && p.source.id === subnetId);
        const listedByName = source.private.some((e) => e.kind === 'private-endpoint' && e.verdict === 'private' && e.value.split(', ').includes(PE_NAME));
        expect(listedByName, source.source.name).toBe(name?.verdict === 'private' && (name.exit === 'private-endpoint' || name.exit === 'virtual-network' || name.exit === 'peering'));
      }
    }
  });
});

