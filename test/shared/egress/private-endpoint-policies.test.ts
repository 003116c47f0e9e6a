/**
 * Private endpoints and the network policies of their subnet: the endpoint subnet's NSG, a firewall
 * inspecting endpoint traffic, and how the evidence words an NSG hop whose destination is private.
 * The first three describes come from the destinations audit (test/audit/destinations.test.ts).
 *
 * Sources (Microsoft Learn, source files in MicrosoftDocs/azure-docs):
 * [PENP]   Manage network policies for private endpoints
 *          https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
 *          "To use network policies like user-defined routes and network security group support,
 *          network policy support must be enabled for the subnet. This setting only applies to
 *          private endpoints in the subnet"; "You can enable network policies either for network
 *          security groups only, for user-defined routes only, or for both."
 * [PEDNS]  Azure Private Endpoint DNS configuration https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 * [PEFW]   Use Azure Firewall to inspect traffic destined to a private endpoint
 *          https://learn.microsoft.com/azure/private-link/inspect-traffic-with-azure-firewall
 * [FWFT]   Azure Firewall forced tunneling https://learn.microsoft.com/azure/firewall/forced-tunneling
 * [FWSNAT] Azure Firewall SNAT private IP address ranges https://learn.microsoft.com/azure/firewall/snat-private-range
 * [NSG]    How network security groups filter traffic
 *          https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 */
import { describe, expect, it } from 'vitest';
import { explainPath } from '../../../shared/egress/explain';
import type { ResourceId } from '../../../shared/model/ids';
import type { NetworkModel, SecurityRule } from '../../../shared/model/topology';
import { applicationRule, networkId, networkRule, securityRule } from '../../support/model-builder';
import { explanations, hubSpokeFirewall, HUB_FIREWALL_IP, pathOf, resolve } from './support';

const PE_NAME = 'stpatients.blob.core.windows.net';
const PE_IP = '10.0.5.6';

/** The spoke's inbound deny at the endpoint's subnet. */
const DENY_SPOKE_IN = securityRule('deny-spoke-in', 100, 'Deny', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.1.0.0/16'] });

interface EstateOptions {
  readonly privateEndpointNetworkPolicies?: string;
  /** Inbound rules of nsg-data on subnet `data` (absent: no NSG). */
  readonly inbound?: readonly SecurityRule[];
  /** Subnet `data` names an NSG that is not in the input. */
  readonly missingNsg?: boolean;
}

/**
 * Hub (10.0.0.0/16, firewall 10.0.1.4 whose rules allow nothing relevant) peered with spoke
 * (10.1.0.0/16, subnet `app` 10.1.1.0/24 routing 0/0 to the firewall). Private endpoint pe-st
 * (10.0.5.6) for stpatients blob in hub subnet `data`; privatelink.blob.core.windows.net linked to
 * hub and spoke with the endpoint's A record.
 */
function peEstate(opts: EstateOptions = {}) {
  const { b, hub, spoke, app, fw } = hubSpokeFirewall([networkRule('unrelated', { destinationAddresses: ['1.1.1.1'] })]);
  const nsg = opts.missingNsg ? networkId('networksecuritygroups', 'nsg-gone') : opts.inbound ? b.nsg('nsg-data', opts.inbound) : undefined;
  const data = b.subnet(hub, 'data', '10.0.5.0/24', {
    ...(nsg ? { networkSecurityGroupId: nsg } : {}),
    ...(opts.privateEndpointNetworkPolicies ? { privateEndpointNetworkPolicies: opts.privateEndpointNetworkPolicies } : {}),
  });
  const pe = b.privateEndpoint(data, 'pe-st', PE_IP, { fqdns: [PE_NAME] });
  const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
  b.link(zone, hub, { name: 'link-hub' });
  b.link(zone, spoke, { name: 'link-spoke' });
  b.aRecord(zone, 'stpatients', [PE_IP]);
  return { b, hub, spoke, app, fw, data, pe };
}

describe('private endpoint network policies: the endpoint subnet\'s NSG', () => {
  it.each(['Enabled', 'NetworkSecurityGroupEnabled'])('privateEndpointNetworkPolicies=%s and an inbound Deny from the source: not "private"', (policy) => {
    const { b, app } = peEstate({ privateEndpointNetworkPolicies: policy, inbound: [DENY_SPOKE_IN] });
    const model = b.build();
    const byName = pathOf(resolve(model, { destination: PE_NAME }), app);
    const byAddress = pathOf(resolve(model, { destination: PE_IP }), app);
    expect(byName.verdict).toBe('denied');
    expect(byAddress.verdict).toBe('denied');
  });

  it('the denial names the NSG and its inbound rule, and the NSG hop says why it applies to the endpoint', () => {
    const { b, app } = peEstate({ privateEndpointNetworkPolicies: 'Enabled', inbound: [DENY_SPOKE_IN] });
    const path = pathOf(resolve(b.build(), { destination: PE_IP }), app);
    expect(path.exit).toBeNull();
    const hops = explainPath(path);
    const drop = hops[hops.length - 1];
    expect(drop).toMatchObject({ kind: 'drop' });
    expect(drop?.rule).toContain('nsg-data');
    expect(drop?.explanation).toContain('inbound rule deny-spoke-in');
    const nsgHop = hops.find((h) => h.kind === 'nsg' && h.rule.includes('nsg-data'));
    expect(nsgHop?.explanation).toContain('private endpoint pe-st');
    expect(nsgHop?.explanation).toContain('deny-spoke-in denies');
  });

  it.each(['Disabled', 'RouteTableEnabled'])('privateEndpointNetworkPolicies=%s: the NSG does not apply, and the explanation says so', (policy) => {
    const { b, app } = peEstate({ privateEndpointNetworkPolicies: policy, inbound: [DENY_SPOKE_IN] });
    const path = pathOf(resolve(b.build(), { destination: PE_NAME }), app);
    expect(path).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
    const text = explanations(path);
    expect(text).toContain(`privateEndpointNetworkPolicies ${policy}`);
    expect(text).toContain('nsg-data does not filter traffic to the endpoint');
  });

  it('Enabled with an NSG that allows: private, the endpoint hop says its NSG let the traffic in', () => {
    const allowSpoke = securityRule('allow-spoke-in', 100, 'Allow', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.1.0.0/16'] });
    const { b, app } = peEstate({ privateEndpointNetworkPolicies: 'Enabled', inbound: [allowSpoke] });
    const path = pathOf(resolve(b.build(), { destination: PE_IP }), app);
    expect(path).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
    expect(path.steps).toContainEqual(expect.objectContaining({ kind: 'nsg', direction: 'Inbound', access: 'Allow', privateEndpoint: expect.objectContaining({ name: 'pe-st' }) }));
    expect(explanations(path)).toContain('inbound rules of its NSG nsg-data let the traffic in');
  });

  it('policy value not in the input and an NSG that would deny: unknown, naming privateEndpointNetworkPolicies', () => {
    const { b, app } = peEstate({ inbound: [DENY_SPOKE_IN] });
    const result = resolve(b.build(), { destination: PE_IP });
    const path = pathOf(result, app);
    expect(path.verdict).toBe('unknown');
    const terminal = path.steps[path.steps.length - 1];
    expect(terminal).toMatchObject({ kind: 'terminal', reason: { kind: 'undecided' } });
    expect(JSON.stringify(terminal)).toContain('privateEndpointNetworkPolicies');
    expect(result.gaps.map((g) => g.message)).toContainEqual(expect.stringContaining('privateEndpointNetworkPolicies is not in the input'));
  });

  it('policy value not in the input and an NSG that allows: private either way', () => {
    const { b, app } = peEstate({ inbound: [] });
    const path = pathOf(resolve(b.build(), { destination: PE_IP }), app);
    expect(path).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
    expect(explanations(path)).toContain('let the traffic in either way');
  });

  it('Enabled and the NSG is not in the input: unknown, with a gap naming it', () => {
    const { b, app } = peEstate({ privateEndpointNetworkPolicies: 'Enabled', missingNsg: true });
    const result = resolve(b.build(), { destination: PE_IP });
    expect(pathOf(result, app).verdict).toBe('unknown');
    expect(result.gaps).toContainEqual(expect.objectContaining({ code: 'missing-reference', message: expect.stringContaining('nsg-gone') }));
  });

  it('Disabled and the NSG is not in the input: the NSG cannot apply, so private', () => {
    const { b, app } = peEstate({ privateEndpointNetworkPolicies: 'Disabled', missingNsg: true });
    expect(pathOf(resolve(b.build(), { destination: PE_IP }), app)).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
  });

  it('Enabled and a deny rule naming a destination ASG: unknown (the endpoint\'s ASGs are not read), never private or denied', () => {
    const asg = networkId('applicationsecuritygroups', 'asg-data');
    const denyAsg = securityRule('deny-to-asg', 100, 'Deny', '*', { direction: 'Inbound', destinationApplicationSecurityGroupIds: [asg] });
    const { b, app } = peEstate({ privateEndpointNetworkPolicies: 'Enabled', inbound: [denyAsg] });
    const path = pathOf(resolve(b.build(), { destination: PE_IP }), app);
    expect(path.verdict).toBe('unknown');
    expect(JSON.stringify(path.steps[path.steps.length - 1])).toContain('asg-data');
  });

  it('an endpoint address delivered by a VnetLocal UDR (its /32 route invalidated) still meets the endpoint subnet\'s NSG', () => {
    // [PENP]: with route-table policies on, a UDR at least as specific as the VNet range invalidates
    // the endpoint's /32; the NSG policies still filter what arrives at the endpoint.
    const denyWeb = securityRule('deny-web-in', 100, 'Deny', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.0.2.0/24'] });
    const { b, hub } = peEstate({ privateEndpointNetworkPolicies: 'Enabled', inbound: [denyWeb] });
    const web = b.subnet(hub, 'web', '10.0.2.0/24', { routeTableId: b.routeTable('rt-web', [{ prefix: '10.0.0.0/16', nextHopType: 'VnetLocal' }]) });
    const path = pathOf(resolve(b.build(), { destination: PE_IP }), web);
    expect(path.steps).toContainEqual(expect.objectContaining({ kind: 'route', route: expect.objectContaining({ nextHop: { kind: 'known', type: 'VnetLocal' } }) }));
    expect(path.verdict).toBe('denied');
  });

  /** The spoke's subnet `inspected` sends the hub's range (the endpoint included) to the firewall, whose rules are `rules`. */
  function inspectedThroughFirewall(rules: Parameters<typeof hubSpokeFirewall>[0], snatPrivateRanges?: readonly string[], snatAutoLearnPrivateRanges = false) {
    const { b, hub, spoke } = hubSpokeFirewall(rules);
    const data = b.subnet(hub, 'data', '10.0.5.0/24', { privateEndpointNetworkPolicies: 'Enabled', networkSecurityGroupId: b.nsg('nsg-data', [DENY_SPOKE_IN]) });
    b.privateEndpoint(data, 'pe-st', PE_IP, { fqdns: [PE_NAME] });
    const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
    b.link(zone, hub, { name: 'link-hub' });
    b.link(zone, spoke, { name: 'link-spoke' });
    b.aRecord(zone, 'stpatients', [PE_IP]);
    const rt = b.routeTable('rt-inspect', [{ prefix: '10.0.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]);
    const inspected = b.subnet(spoke, 'inspected', '10.1.2.0/24', { routeTableId: rt });
    const built = b.build();
    const model: NetworkModel = snatPrivateRanges === undefined && !snatAutoLearnPrivateRanges ? built
      : { ...built, firewallPolicies: built.firewallPolicies.map((p) => ({ ...p, snatPrivateRanges: snatPrivateRanges ?? p.snatPrivateRanges, snatAutoLearnPrivateRanges })) };
    return { model, inspected };
  }

  // [FWSNAT] "Azure Firewall doesn't SNAT with Network rules when the destination IP address is in a
  // private IP address range per IANA RFC 1918": with the default ranges the endpoint subnet's NSG
  // sees the spoke's address, which deny-spoke-in denies (test/audit/destinations-review.test.ts).
  it('through the firewall by a network rule with default SNAT ranges: the NSG sees the original source (denied)', () => {
    const { model, inspected } = inspectedThroughFirewall([networkRule('to-pe', { destinationAddresses: [PE_IP], destinationPorts: ['445'] })]);
    expect(model.azureFirewalls.find((f) => f.name === 'fw')).toBeDefined();
    const path = pathOf(resolve(model, { destination: `${PE_IP}:445` }), inspected);
    expect(path.verdict).toBe('denied');
    expect(path.steps[path.steps.length - 1]).toMatchObject({ kind: 'terminal', reason: { kind: 'nsg-deny', rules: ['deny-spoke-in'] } });
  });

  // [FWSNAT] "To configure the firewall to always SNAT traffic processed by network rules regardless
  // of the destination address, use 255.255.255.255/32": the NSG sees an AzureFirewallSubnet
  // address, which deny-spoke-in does not match.
  it('through the firewall by a network rule with SNAT always on (255.255.255.255/32): the NSG sees the firewall (private)', () => {
    const { model, inspected } = inspectedThroughFirewall([networkRule('to-pe', { destinationAddresses: [PE_IP], destinationPorts: ['445'] })], ['255.255.255.255/32']);
    expect(pathOf(resolve(model, { destination: `${PE_IP}:445` }), inspected)).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
  });

  // [FWSNAT] "Application rules are always SNATed using a transparent proxy whatever the destination
  // IP address": the NSG sees the firewall's address, not the spoke's.
  it('through the firewall by an application rule: always SNATed, the NSG sees the firewall (private)', () => {
    const { model, inspected } = inspectedThroughFirewall([applicationRule('to-st', [PE_NAME])]);
    expect(pathOf(resolve(model, { destination: PE_NAME }), inspected)).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
  });

  // Auto-learned SNAT ranges (Azure Route Server) are not in the input: whether the firewall SNATs,
  // and so which source the NSG sees, stays unknown, naming SNAT.
  it('through the firewall with auto-learned SNAT ranges: which source the NSG sees is unknown, naming SNAT', () => {
    const { model, inspected } = inspectedThroughFirewall([networkRule('to-pe', { destinationAddresses: ['8.8.8.8', PE_IP], destinationPorts: ['445'] })], ['8.8.8.8'], true);
    const path = pathOf(resolve(model, { destination: `${PE_IP}:445` }), inspected);
    expect(path.verdict).toBe('unknown');
    expect(JSON.stringify(path.steps[path.steps.length - 1])).toContain('SNAT');
  });

  // An NVA's SNAT is its own configuration, not in the input: with a deny for the original source
  // only, which source the endpoint subnet's NSG sees decides, and it is unknown, naming SNAT.
  it('through an NVA: a deny for the original source only leaves the answer to the NVA\'s SNAT (unknown)', () => {
    const { b, hub, spoke } = hubSpokeFirewall([networkRule('unrelated', { destinationAddresses: ['1.1.1.1'] })]);
    const data = b.subnet(hub, 'data', '10.0.5.0/24', { privateEndpointNetworkPolicies: 'Enabled', networkSecurityGroupId: b.nsg('nsg-data', [DENY_SPOKE_IN]) });
    b.privateEndpoint(data, 'pe-st', PE_IP);
    const nvaSubnet = b.subnet(hub, 'nva', '10.0.3.0/24');
    b.nic(nvaSubnet, 'nva-nic', '10.0.3.4', { ipForwarding: true });
    const rt = b.routeTable('rt-nva', [{ prefix: '10.0.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.3.4' }]);
    const inspected = b.subnet(spoke, 'inspected', '10.1.2.0/24', { routeTableId: rt });
    const path = pathOf(resolve(b.build(), { destination: `${PE_IP}:445` }), inspected);
    expect(path.verdict).toBe('unknown');
    expect(JSON.stringify(path.steps[path.steps.length - 1])).toContain('SNAT');
  });

  it('through the firewall: a deny for both the original source and the firewall\'s addresses is denied', () => {
    const { b, hub, spoke } = hubSpokeFirewall([networkRule('to-pe', { destinationAddresses: [PE_IP], destinationPorts: ['445'] })]);
    const denyPrivate = securityRule('deny-10-in', 100, 'Deny', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.0.0.0/8'] });
    const data = b.subnet(hub, 'data', '10.0.5.0/24', { privateEndpointNetworkPolicies: 'Enabled', networkSecurityGroupId: b.nsg('nsg-data', [denyPrivate]) });
    b.privateEndpoint(data, 'pe-st', PE_IP);
    const rt = b.routeTable('rt-inspect', [{ prefix: '10.0.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]);
    const inspected = b.subnet(spoke, 'inspected', '10.1.2.0/24', { routeTableId: rt });
    const path = pathOf(resolve(b.build(), { destination: `${PE_IP}:445` }), inspected);
    expect(path.verdict).toBe('denied');
  });
});

describe('Azure Firewall forwarding to a private endpoint (inspection through a UDR)', () => {
  function inspectedEstate(firewallSubnetRoutes: readonly { prefix: string; nextHopType: string; nextHopIp?: string }[] = []) {
    const { b, hub, spoke } = hubSpokeFirewall([networkRule('to-pe', { destinationAddresses: [PE_IP], destinationPorts: ['445'] })]);
    if (firewallSubnetRoutes.length > 0) {
      b.updateSubnet(`${hub}/subnets/azurefirewallsubnet` as ResourceId, { routeTableId: b.routeTable('rt-fw', firewallSubnetRoutes) });
    }
    const data = b.subnet(hub, 'data', '10.0.5.0/24', { privateEndpointNetworkPolicies: 'Enabled' });
    b.privateEndpoint(data, 'pe-st', PE_IP);
    const rt = b.routeTable('rt-inspect', [
      { prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
      { prefix: '10.0.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
    ]);
    b.subnet(spoke, 'inspected', '10.1.2.0/24', { routeTableId: rt });
    const model = b.build();
    return { model, inspected: model.subnets.find((s) => s.name === 'inspected')?.id ?? '' };
  }

  it('no "firewall needs direct internet connectivity" error when the firewall forwards to the endpoint\'s /32', () => {
    const { model, inspected } = inspectedEstate();
    const path = pathOf(resolve(model, { destination: `${PE_IP}:445` }), inspected);
    // The walk itself is right: through the firewall to the endpoint.
    expect(path).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
    expect(path.findings.map((f) => f.code)).not.toContain('firewall-subnet-default-route');
  });

  it('a firewall subnet whose 0.0.0.0/0 really is diverted is still reported, citing that route, not the endpoint\'s', () => {
    const { model, inspected } = inspectedEstate([{ prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]);
    expect(model.subnets.find((s) => s.name === 'AzureFirewallSubnet')?.routeTableId).not.toBeNull();
    const path = pathOf(resolve(model, { destination: `${PE_IP}:445` }), inspected);
    expect(path).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
    const finding = path.findings.find((f) => f.code === 'firewall-subnet-default-route');
    expect(finding?.message).toContain('0.0.0.0/0');
    expect(finding?.message).not.toContain('InterfaceEndpoint');
  });
});

describe('explanations for a destination that resolved to a private endpoint', () => {
  it('the NSG hop for a private endpoint destination does not call it a public destination', () => {
    const { b, spoke } = peEstate();
    b.subnet(spoke, 'locked', '10.1.3.0/24', { networkSecurityGroupId: b.nsg('nsg-locked', [securityRule('deny-vnet-out', 100, 'Deny', 'VirtualNetwork')]) });
    const model = b.build();
    const locked = model.subnets.find((s) => s.name === 'locked')?.id ?? '';
    const path = pathOf(resolve(model, { destination: PE_NAME }), locked);
    const nsgHop = explainPath(path).find((h) => h.kind === 'nsg');
    expect(explainPath(path).find((h) => h.kind === 'dns')?.rule).toContain(PE_IP);
    expect(nsgHop?.explanation).not.toContain('public destination');
    expect(nsgHop?.explanation).toContain('private address');
  });

  it('a private address given directly is not called public either', () => {
    const { b, spoke } = peEstate();
    b.subnet(spoke, 'locked', '10.1.3.0/24', { networkSecurityGroupId: b.nsg('nsg-locked', [securityRule('deny-vnet-out', 100, 'Deny', 'VirtualNetwork')]) });
    const model = b.build();
    const locked = model.subnets.find((s) => s.name === 'locked')?.id ?? '';
    const nsgHop = explainPath(pathOf(resolve(model, { destination: '10.0.9.9' }), locked)).find((h) => h.kind === 'nsg');
    expect(nsgHop?.explanation).not.toContain('public destination');
  });

  it('a public destination keeps the public wording', () => {
    const { b, spoke } = peEstate();
    b.subnet(spoke, 'locked', '10.1.3.0/24', { networkSecurityGroupId: b.nsg('nsg-locked', [securityRule('deny-internet-out', 100, 'Deny', 'Internet')]) });
    const model = b.build();
    const locked = model.subnets.find((s) => s.name === 'locked')?.id ?? '';
    const nsgHop = explainPath(pathOf(resolve(model, { destination: '8.8.8.8' }), locked)).find((h) => h.kind === 'nsg');
    expect(nsgHop?.explanation).toContain('NSGs see the original public destination, before any SNAT.');
  });
});

/**
 * [PEOV] What is a private endpoint? – Limitations, Network security group
 * https://learn.microsoft.com/azure/private-link/private-endpoint-overview#network-security-group
 * "Source port filtering is interpreted as * | Source port filtering isn't actively used as valid
 * scenario of traffic filtering for traffic destined to a private endpoint."
 * (test/audit/destinations-review.test.ts)
 */
describe('the endpoint subnet\'s NSG reads source ports as * (traffic destined to a private endpoint)', () => {
  it('a Deny rule with a source port range denies traffic to the endpoint', () => {
    const deny: SecurityRule = { ...securityRule('deny-spoke-sp80', 100, 'Deny', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.1.0.0/16'] }), sourcePortRanges: ['80'] };
    const { b, app } = peEstate({ privateEndpointNetworkPolicies: 'Enabled', inbound: [deny] });
    const path = pathOf(resolve(b.build(), { destination: PE_IP }), app);
    expect(path.verdict).toBe('denied');
    // The NSG hop says why a rule for source port 80 decides for every source port.
    expect(explainPath(path).find((h) => h.kind === 'nsg')?.explanation).toContain('source port filtering is interpreted as *');
  });

  it('an Allow rule with a source port range, before a deny-all, allows traffic to the endpoint', () => {
    const allow: SecurityRule = { ...securityRule('allow-spoke-sp80', 100, 'Allow', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.1.0.0/16'] }), sourcePortRanges: ['80'] };
    const denyAll = securityRule('deny-all-in', 200, 'Deny', '*', { direction: 'Inbound' });
    const { b, app } = peEstate({ privateEndpointNetworkPolicies: 'Enabled', inbound: [allow, denyAll] });
    expect(pathOf(resolve(b.build(), { destination: PE_IP }), app)).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
  });

  it('outbound NSGs keep the ephemeral-port reading: a source-port-80 deny on the client\'s subnet does not deny', () => {
    const { b, spoke } = peEstate();
    const deny: SecurityRule = { ...securityRule('deny-sp80-out', 100, 'Deny', '*'), sourcePortRanges: ['80'] };
    b.subnet(spoke, 'client', '10.1.3.0/24', { networkSecurityGroupId: b.nsg('nsg-client', [deny]) });
    const model = b.build();
    const client = model.subnets.find((s) => s.name === 'client')?.id ?? '';
    expect(pathOf(resolve(model, { destination: PE_IP }), client).verdict).toBe('private');
  });
});

/**
 * [PEER] Create, change, or delete a virtual network peering – "Traffic forwarded from remote
 * virtual network": "Select Allow (default) if you want traffic forwarded by a network virtual
 * appliance in the remote virtual network (that didn't originate from the remote virtual network)
 * to flow to this virtual network through a peering ... If this setting isn't selected for the
 * peering between each spoke virtual network and the hub virtual network, traffic doesn't flow
 * between the spoke virtual networks because the hub isn't forwarding the traffic"
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering
 * [PEFW] Scenario 1: private endpoints in a dedicated spoke VNet reached through the hub firewall.
 */
describe('traffic the hub forwards into a peered VNet: that VNet\'s allowForwardedTraffic', () => {
  const ENDPOINT_IP = '10.2.5.6';

  /** pe-spoke (10.2.0.0/16) peered with the hub only; its peering to the hub allows forwarded traffic or not. */
  function dedicatedEndpointVnet(opts: { readonly allowForwardedTraffic?: boolean; readonly rules?: Parameters<typeof hubSpokeFirewall>[0]; readonly conflicting?: boolean } = {}) {
    const { b, hub, spoke, fw } = hubSpokeFirewall(opts.rules ?? [networkRule('to-pe', { destinationAddresses: ['10.2.0.0/16'], destinationPorts: ['443'] })]);
    const peSpoke = b.vnet('pe-spoke', ['10.2.0.0/16']);
    b.peer(peSpoke, hub, { allowForwardedTraffic: opts.allowForwardedTraffic ?? true, oneWay: true });
    // `conflicting`: as the audit's set-up, a second pe-spoke → hub copy that allows forwarded traffic.
    b.peer(hub, peSpoke, { oneWay: !opts.conflicting });
    const data = b.subnet(peSpoke, 'pe-data', '10.2.5.0/24');
    b.privateEndpoint(data, 'pe-st', ENDPOINT_IP, { fqdns: [PE_NAME] });
    b.nic(data, 'vm-nic', '10.2.5.10');
    const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
    b.link(zone, hub, { name: 'link-hub' });
    b.link(zone, spoke, { name: 'link-spoke' });
    b.aRecord(zone, 'stpatients', [ENDPOINT_IP]);
    const rt = b.routeTable('rt-client', [
      { prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
      { prefix: '10.2.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP },
    ]);
    b.subnet(spoke, 'client', '10.1.7.0/24', { routeTableId: rt });
    const hubVm = b.subnet(hub, 'hub-vms', '10.0.7.0/24', { routeTableId: b.routeTable('rt-hub', [{ prefix: '10.2.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]) });
    const model = b.build();
    return { model, client: model.subnets.find((s) => s.name === 'client')?.id ?? '', hubVm, fw };
  }

  it('allowed (the default): the firewall reaches the endpoint (private)', () => {
    const { model, client, fw } = dedicatedEndpointVnet();
    const path = pathOf(resolve(model, { destination: PE_NAME }), client);
    expect(path).toMatchObject({ verdict: 'private', exit: 'private-endpoint' });
    expect(path.via.map((v) => v.id)).toContain(fw);
  });

  it('off, network rule to a private range (not SNATed): the firewall-forwarded traffic does not flow (dropped, naming the setting)', () => {
    const { model, client } = dedicatedEndpointVnet({ allowForwardedTraffic: false });
    const path = pathOf(resolve(model, { destination: PE_NAME }), client);
    expect(path.verdict).toBe('dropped');
    const last = path.steps[path.steps.length - 1];
    expect(last).toMatchObject({ kind: 'terminal', reason: { kind: 'next-hop-not-carried', peering: { name: 'to-hub' } } });
    expect(JSON.stringify(last)).toContain('allowForwardedTraffic');
    expect(path.findings).toContainEqual(expect.objectContaining({ code: 'allow-forwarded-traffic-missing', severity: 'error' }));
  });

  it('off, the same for a VM in that VNet (delivered over the peering), not only for the endpoint', () => {
    const { model, client } = dedicatedEndpointVnet({ allowForwardedTraffic: false });
    const path = pathOf(resolve(model, { destination: '10.2.5.10' }), client);
    expect(path.verdict).toBe('dropped');
    expect(JSON.stringify(path.steps[path.steps.length - 1])).toContain('allowForwardedTraffic');
  });

  it('off, application rule (always SNATed): whether SNATed traffic counts as the hub\'s is not documented (unknown, naming the setting)', () => {
    const { model, client } = dedicatedEndpointVnet({ allowForwardedTraffic: false, rules: [applicationRule('to-st', [PE_NAME])] });
    const path = pathOf(resolve(model, { destination: PE_NAME }), client);
    expect(path.verdict).toBe('unknown');
    expect(JSON.stringify(path.steps[path.steps.length - 1])).toContain('allow forwarded traffic');
  });

  it('off, but the traffic originates in the hub itself: not "forwarded" traffic, it flows (private)', () => {
    const { model, hubVm } = dedicatedEndpointVnet({ allowForwardedTraffic: false });
    expect(pathOf(resolve(model, { destination: PE_NAME }), hubVm).verdict).toBe('private');
  });

  it('copies of the peering that disagree on the setting: never "private" (test/audit/destinations-review.test.ts)', () => {
    const { model, client } = dedicatedEndpointVnet({ allowForwardedTraffic: false, conflicting: true });
    const path = pathOf(resolve(model, { destination: PE_NAME }), client);
    expect(path.verdict).toBe('unknown');
    expect(JSON.stringify(path.steps[path.steps.length - 1])).toContain('allowForwardedTraffic');
  });
});
