/** Small helpers shared by the egress tests (not a test file). */
import { resolveEgress } from '../../../shared/egress';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import type { ResolveOptions } from '../../../shared/egress';
import type { CapturedEffectiveRoutes, NetworkModel } from '../../../shared/model/topology';
import type { ResourceMetric } from '../../../shared/model/snapshot';
import { explainPath } from '../../../shared/egress/explain';
import type { FirewallRule, SecurityRule } from '../../../shared/model/topology';
import type { ResourceId } from '../../../shared/model/ids';
import { ModelBuilder, networkId, networkRule, securityRule, type FirewallOptions } from '../../support/model-builder';

export function resolve(model: NetworkModel, options: ResolveOptions = {}, extra: { effectiveRoutes?: readonly CapturedEffectiveRoutes[]; metrics?: readonly ResourceMetric[] } = {}): ResolveResult {
  return resolveEgress({ model, effectiveRoutes: extra.effectiveRoutes ?? [], metrics: extra.metrics ?? [], gaps: [] }, options);
}

export function pathOf(result: ResolveResult, sourceId: string): EgressPath {
  const path = result.paths.find((p) => p.source.id === sourceId);
  if (!path) throw new Error(`no path for ${sourceId}; have ${result.paths.map((p) => p.source.id).join(', ')}`);
  return path;
}

/** Everything that decides a path, in one object: verdict, exit, via, IPs, ports, hop kinds, finding codes. */
export function summary(path: EgressPath): {
  verdict: string; exit: string | null; via: readonly string[]; egressIps: readonly string[]; snatPorts: number | null; hops: string[]; findings: string[];
} {
  return {
    verdict: path.verdict, exit: path.exit, via: path.via.map((v) => v.id), egressIps: path.egressIps, snatPorts: path.snatPorts,
    hops: explainPath(path).map((h) => h.kind), findings: path.findings.map((f) => f.code).sort(),
  };
}

export function explanations(path: EgressPath): string {
  return explainPath(path).map((h) => `${h.rule} :: ${h.explanation}`).join('\n');
}

/** The hub firewall's private IP in `hubSpokeFirewall`. */
export const HUB_FIREWALL_IP = '10.0.1.4';

/**
 * A hub VNet with a policy-based Azure Firewall (these rules, public IP 20.0.0.10) and a peered
 * spoke whose subnet `app` routes 0.0.0.0/0 to it; `firewall` adds or overrides firewall options.
 * The builder is returned so a test can add to the estate before building it.
 */
export function hubSpokeFirewall(rules: readonly FirewallRule[], firewall: Partial<FirewallOptions> = {}) {
  const b = new ModelBuilder();
  const hub = b.vnet('hub', ['10.0.0.0/16']);
  const spoke = b.vnet('spoke', ['10.1.0.0/16']);
  b.peer(spoke, hub);
  b.peer(hub, spoke);
  const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26');
  const policy = b.firewallPolicy('fw-policy', rules);
  const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: HUB_FIREWALL_IP, publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], policyId: policy, ...firewall });
  const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]);
  const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
  return { b, hub, spoke, fw, app };
}

/**
 * `hubSpokeFirewall` (its policy with one unrelated network rule) plus private endpoint pe-st
 * (10.0.5.6, stpatients.blob.core.windows.net) in hub subnet `data`, the blob privatelink zone
 * linked to hub and spoke with its A record, and an empty spoke subnet `web` (10.1.4.0/24) for the
 * NICs a test adds.
 */
export function hubEndpointEstate() {
  const estate = hubSpokeFirewall([networkRule('unrelated', { destinationAddresses: ['1.1.1.1'] })]);
  const { b, hub, spoke } = estate;
  const data = b.subnet(hub, 'data', '10.0.5.0/24');
  b.privateEndpoint(data, 'pe-st', '10.0.5.6', { fqdns: ['stpatients.blob.core.windows.net'] });
  const zone = b.privateDnsZone('privatelink.blob.core.windows.net');
  b.link(zone, hub, { name: 'link-hub' });
  b.link(zone, spoke, { name: 'link-spoke' });
  b.aRecord(zone, 'stpatients', ['10.0.5.6']);
  const web = b.subnet(spoke, 'web', '10.1.4.0/24');
  return { ...estate, data, web };
}

/**
 * `hubSpokeFirewall`'s model with DNS proxy on its policies and the spoke using the firewall as its
 * DNS server: the set-up under which FQDN network rules match a name as the client resolves it
 * https://learn.microsoft.com/azure/firewall/dns-settings
 */
export function withFirewallDns(model: NetworkModel): NetworkModel {
  return {
    ...model,
    firewallPolicies: model.firewallPolicies.map((p) => ({ ...p, dnsProxyEnabled: true })),
    virtualNetworks: model.virtualNetworks.map((v) => (v.name === 'spoke' ? { ...v, dnsServers: [HUB_FIREWALL_IP] } : v)),
  };
}

/** VNet spoke; subnet app with NAT gateway nat (20.0.0.1), route table rt (no routes), NSG nsg (defaults only). */
export function natEstate() {
  const b = new ModelBuilder();
  const vnet = b.vnet('spoke', ['10.1.0.0/16']);
  const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
  const rt = b.routeTable('rt', []);
  const nsg = b.nsg('nsg', []);
  const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, routeTableId: rt, networkSecurityGroupId: nsg });
  return { b, vnet, app, rt, nat, nsg };
}

/**
 * Subnet `app` (NAT gateway 20.0.0.1) whose NSG lets out TCP 443 to a partner range only, while the
 * jump host's ASG may SSH anywhere: nic-jump (in asg-jump) and nic-web.
 */
export function jumpHostModel(): NetworkModel {
  const b = new ModelBuilder();
  const vnet = b.vnet('spoke', ['10.1.0.0/16']);
  const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
  const asg = networkId('applicationsecuritygroups', 'asg-jump');
  const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: b.nsg('nsg-app', [
    securityRule('allow-ssh-jump', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['22'], sourceAddressPrefixes: [], sourceApplicationSecurityGroupIds: [asg] }),
    securityRule('allow-partner', 200, 'Allow', '198.51.100.0/24', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
    securityRule('deny-internet-out', 4000, 'Deny', 'Internet'),
  ]) });
  b.nic(app, 'nic-jump', '10.1.1.4', { asgIds: [asg] });
  b.nic(app, 'nic-web', '10.1.1.5');
  return b.build();
}

/**
 * Peered hub (10.0.0.0/16) and spoke (10.1.0.0/16); NVA nva-nic (10.0.2.4, IP forwarding on, public
 * IP 20.0.0.20) in hub subnet `nva`, whose NSG nsg-nva admits the spoke inbound and holds
 * `outboundRules`; `rt` sends 0.0.0.0/0 to the NVA (for the caller's spoke subnets).
 */
export function nvaHubSpoke(outboundRules: readonly SecurityRule[]): { readonly b: ModelBuilder; readonly spoke: ResourceId; readonly rt: ResourceId } {
  const b = new ModelBuilder();
  const hub = b.vnet('hub', ['10.0.0.0/16']);
  const spoke = b.vnet('spoke', ['10.1.0.0/16']);
  b.peer(spoke, hub);
  b.peer(hub, spoke);
  const nsg = b.nsg('nsg-nva', [
    securityRule('allow-spokes-in', 100, 'Allow', '*', { direction: 'Inbound', sourceAddressPrefixes: ['10.1.0.0/16'] }),
    ...outboundRules,
  ]);
  b.nic(b.subnet(hub, 'nva', '10.0.2.0/24', { networkSecurityGroupId: nsg }), 'nva-nic', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('nva-pip', '20.0.0.20') });
  return { b, spoke, rt: b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]) };
}

/**
 * Hub NVA nva-nic (10.0.2.4, public IP 20.0.0.20) that spoke subnets `app` and `web` route 0.0.0.0/0
 * to; `web`'s own NSG lets out TCP 443 alone. With `portRules`, the NVA subnet's NSG nsg-nva lets
 * out only TCP 80 and 443 (it decides by port at the NVA).
 */
export function nvaWithNsgModel(portRules: boolean): NetworkModel {
  const { b, spoke, rt } = nvaHubSpoke(portRules ? [securityRule('allow-web-out', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['80', '443'] }), securityRule('deny-internet-out', 4000, 'Deny', 'Internet')] : []);
  b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
  b.subnet(spoke, 'web', '10.1.2.0/24', { routeTableId: rt, networkSecurityGroupId: b.nsg('nsg-web', [
    securityRule('allow-https-out', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
    securityRule('deny-internet-out', 4000, 'Deny', 'Internet'),
  ]) });
  return b.build();
}

/**
 * The hub-spoke firewall estate whose policy denies evil.example and then allows every TCP port to
 * every address, plus spoke subnet `web` whose NSG denies TCP 443 to the internet: every other TCP
 * port gets out through the firewall, TCP 443 does not.
 */
export function webDeniesHttpsModel(): NetworkModel {
  const { b, spoke } = hubSpokeFirewall([
    networkRule('deny-evil', { action: 'Deny', priority: 100, destinationAddresses: [], destinationFqdns: ['evil.example'], destinationPorts: ['*'] }),
    networkRule('all-tcp', { priority: 200, destinationPorts: ['*'] }),
  ]);
  const rt = b.routeTable('rt-web', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);
  b.subnet(spoke, 'web', '10.1.2.0/24', { routeTableId: rt, networkSecurityGroupId: b.nsg('nsg-web', [
    securityRule('deny-https-out', 100, 'Deny', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['443'] }),
  ]) });
  return b.build();
}
