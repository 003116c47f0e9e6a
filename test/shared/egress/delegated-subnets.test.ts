/**
 * Subnets delegated to an Azure service (shared/egress/delegation.ts).
 *
 * Sources (Microsoft Learn, read through MicrosoftDocs/azure-docs; keys as in egress-rules.md):
 *  [DOA]     articles/virtual-network/ip-services/default-outbound-access.md: default outbound access
 *            is what Azure gives "a virtual machine (VM) ... without an explicitly defined outbound
 *            connectivity method"; "Private subnets aren't applicable to delegated or managed subnets
 *            used for hosting PaaS services. In these scenarios, outbound connectivity is managed by
 *            the individual service."
 *  [APPVNET] articles/app-service/overview-vnet-integration.md: "If all traffic routing isn't enabled,
 *            only private traffic (RFC1918) and service endpoints configured on the integration subnet
 *            will be sent into the virtual network and outbound traffic to the internet will go
 *            through the same channels as normal"; "When Route All isn't enabled, NSGs are only
 *            applied to RFC1918 traffic"; "The outbound addresses that are listed in the app
 *            properties portal are the addresses still used by your app." Route All
 *            (vnetRouteAllEnabled / outboundVnetRouting) is a setting of each app, not in the input.
 *  [ACAVNET] articles/container-apps/custom-virtual-networks.md, "Managed resources": a
 *            workload-profiles environment has "One standard static public IP for egress" in its ME_
 *            managed resource group; NAT gateway and UDR egress are supported (egress-rules.md §8.1).
 *  [NATOV]   articles/nat-gateway/nat-overview.md, "Key limitations of StandardV2": a StandardV2 NAT
 *            gateway "doesn't support and can't be attached to delegated subnets" of SQL Managed
 *            Instance, Container Instances, PostgreSQL, MySQL, Data Factory (data movement), Power
 *            Platform, Stream Analytics, Container Apps, App Service Web Apps and DNS Private Resolver.
 */
import { describe, expect, it } from 'vitest';
import { explainPath } from '../../../shared/egress/explain';
import type { EgressPath } from '../../../shared/egress/types';
import { ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { explanations, HUB_FIREWALL_IP, hubSpokeFirewall, pathOf, resolve, summary } from './support';

const WEB = 'Microsoft.Web/serverFarms';
const ACA = 'Microsoft.App/environments';
const ROUTE_ALL = /vnetRouteAllEnabled/;

/** Subnet `name`, alone in VNet v (10.0.0.0/16), delegated to `service`, resolved: the result, the subnet's path and its ID. */
function delegatedAlone(service: string, name: string, prefix: string, opts: { readonly defaultOutboundAccess?: boolean } = {}) {
  const b = new ModelBuilder();
  const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), name, prefix, { delegations: [service], ...opts });
  const result = resolve(b.build());
  return { result, path: pathOf(result, s), s };
}

/** The verify command of a path's unknown end. */
function terminalVerify(path: EgressPath): string | undefined {
  const end = path.steps.at(-1);
  return end?.kind === 'terminal' && end.reason.kind === 'undecided' ? end.reason.verify : undefined;
}

function appServiceWithNat(): { readonly b: ModelBuilder; readonly subnet: string } {
  const b = new ModelBuilder();
  const v = b.vnet('v', ['10.0.0.0/16']);
  const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
  const subnet = b.subnet(v, 'web-int', '10.0.1.0/26', { delegations: [WEB], natGatewayId: nat });
  return { b, subnet };
}

describe('App Service VNet integration subnet (Microsoft.Web/serverFarms): Route All decides whether the subnet applies [APPVNET]', () => {
  // Without Route All the NAT gateway is not used (only RFC 1918 traffic enters the subnet); with it,
  // it is: unknown, naming Route All and what the subnet would do with it.
  it('a NAT gateway on the subnet: the internet exit is unknown, naming Route All and the NAT gateway it would use', () => {
    const { b, subnet } = appServiceWithNat();
    const path = pathOf(resolve(b.build()), subnet);
    expect(summary(path)).toMatchObject({ verdict: 'unknown', exit: null });
    expect(explanations(path)).toMatch(ROUTE_ALL);
    expect(explanations(path)).toContain('NAT gateway 20.9.9.9');
  });

  // A public what-if destination is internet traffic too; an RFC 1918 one enters the subnet either way.
  it('resolve --destination: 8.8.8.8 is unknown, an RFC 1918 address follows the subnet', () => {
    const { b, subnet } = appServiceWithNat();
    const model = b.build();
    expect(pathOf(resolve(model, { destination: '8.8.8.8' }), subnet).verdict).toBe('unknown');
    expect(summary(pathOf(resolve(model, { destination: '10.0.9.9' }), subnet))).toMatchObject({ verdict: 'private', exit: 'virtual-network' });
  });

  // "When Route All is disabled ..., only private traffic (RFC1918) is affected by your route tables."
  it('a UDR 0/0 to the hub firewall: unknown, not "internet via the firewall"', () => {
    const { b, spoke, fw } = hubSpokeFirewall([networkRule('allow-all')]);
    const rt = b.routeTable('rt-web', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]);
    const s = b.subnet(spoke, 'web-int', '10.1.8.0/26', { delegations: [WEB], routeTableId: rt });
    const path = pathOf(resolve(b.build()), s);
    expect(path.verdict).toBe('unknown');
    expect(path.via.map((x) => x.id)).not.toContain(fw);
    expect(explanations(path)).toMatch(ROUTE_ALL);
  });

  // "When Route All isn't enabled, NSGs are only applied to RFC1918 traffic."
  it('an NSG denying Internet: unknown, not denied', () => {
    const b = new ModelBuilder();
    const nsg = b.nsg('nsg-web', [securityRule('deny-internet', 100, 'Deny', 'Internet')]);
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'web-int', '10.0.1.0/26', { delegations: [WEB], networkSecurityGroupId: nsg });
    const path = pathOf(resolve(b.build()), s);
    expect(path.verdict).toBe('unknown');
    expect(explanations(path)).toMatch(/with it, .* ends denied/);
  });

  // With or without Route All, nothing in the subnet sends the traffic elsewhere: the apps' outbound
  // addresses, not a VM's default outbound access [DOA]; the verify command lists the apps with both.
  it('no NAT gateway or UDR: unknown naming the apps\' outbound addresses, not default outbound access', () => {
    const { result, path, s } = delegatedAlone(WEB, 'web-int', '10.0.1.0/26');
    expect(summary(path)).toMatchObject({ verdict: 'unknown', exit: null });
    expect(explanations(path)).toMatch(/outboundIpAddresses/);
    expect(explanations(path)).not.toMatch(/default outbound IP/i);
    // The service's instances send, not NICs of the customer's VMs.
    expect(explainPath(path)[0]?.explanation).toBe(`Traffic from what ${WEB} runs in this subnet (delegated to the service).`);
    expect([...path.findings, ...result.findings].map((f) => f.code)).not.toContain('default-outbound');
    const verify = terminalVerify(path);
    // Matched by the subnet's name: JMESPath compares case-sensitively and a site keeps the subnet ID
    // as Azure spelled it (resourceGroups, Microsoft.Network), while the model's IDs are lower case.
    expect(verify).toBe(`az webapp list --query "[?virtualNetworkSubnetId && ends_with(virtualNetworkSubnetId, '/subnets/web-int')].{name:name, subnet:virtualNetworkSubnetId, routeAll:vnetRouteAllEnabled, outboundVnetRouting:outboundVnetRouting, outbound:outboundIpAddresses}" -o json; `
      + `az functionapp list --query "[?virtualNetworkSubnetId && ends_with(virtualNetworkSubnetId, '/subnets/web-int')].{name:name, subnet:virtualNetworkSubnetId, routeAll:vnetRouteAllEnabled, outboundVnetRouting:outboundVnetRouting, outbound:outboundIpAddresses}" -o json`);
    expect(verify).not.toContain(s);
  });

  // Subnet names are letters (any script), digits, _ . and -: literal inside double quotes in bash and
  // PowerShell. Anything else ($, a backtick, a quote) could change the command: none is shown.
  it('the apps\' verify command takes a subnet name in any script, and refuses one a shell would read', () => {
    const verifyOf = (name: string): string => terminalVerify(delegatedAlone(WEB, name, '10.0.1.0/26').path) ?? '';
    expect(verifyOf('snet-Zürich_web.1')).toContain("'/subnets/snet-Zürich_web.1'");
    for (const name of ['web$(id)', 'web`n', "web'x", 'web"x', 'web!x']) expect(verifyOf(name), name).toMatch(/^# not shown/);
  });

  // "service endpoints configured on the integration subnet" get the traffic without Route All too
  // [APPVNET], so a destination the subnet's service endpoint carries goes there either way.
  it('a host name the subnet\'s service endpoint carries: private via the service endpoint, not unknown', () => {
    const b = new ModelBuilder();
    const s = b.subnet(b.vnet('v', ['10.0.0.0/16']), 'web-int', '10.0.1.0/26',
      { delegations: [WEB], serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['*'] }] });
    const path = pathOf(resolve(b.build(), { destination: 'stlegacy.blob.core.windows.net' }), s);
    expect(summary(path)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    expect(explanations(path)).not.toMatch(ROUTE_ALL);
  });
});

describe('Container Apps workload-profiles subnet (Microsoft.App/environments) [ACAVNET]', () => {
  it('no NAT gateway or UDR: unknown naming the environment\'s managed egress public IP, not default outbound access', () => {
    const { result, path } = delegatedAlone(ACA, 'aca', '10.0.0.0/27');
    expect(summary(path)).toMatchObject({ verdict: 'unknown', exit: null });
    expect(explanations(path)).toMatch(/ME_/);
    // Flex Consumption function apps integrate through the same delegation.
    expect(explanations(path)).toMatch(/Flex Consumption function app/);
    expect(terminalVerify(path))
      .toBe(`az containerapp env list --query "[?properties.vnetConfiguration.infrastructureSubnetId && ends_with(properties.vnetConfiguration.infrastructureSubnetId, '/subnets/aca')].{name:name, subnet:properties.vnetConfiguration.infrastructureSubnetId, managedResourceGroup:properties.infrastructureResourceGroup}" -o json`);
    expect(explanations(path)).not.toMatch(/default outbound IP/i);
    expect([...path.findings, ...result.findings].map((f) => f.code)).not.toContain('default-outbound');
  });

  // A Standard NAT gateway is documented for workload profiles; a StandardV2 one "can't be attached" [NATOV].
  it('a Standard NAT gateway is the exit; a StandardV2 one is an error finding and unknown', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.8')] });
    const natV2 = b.natGateway('nat-v2', { publicIpIds: [b.publicIp('nat-v2-pip', '20.9.9.9', { sku: 'StandardV2' })], sku: 'StandardV2' });
    const standard = b.subnet(v, 'aca', '10.0.0.0/27', { delegations: [ACA], natGatewayId: nat });
    const v2 = b.subnet(v, 'aca-v2', '10.0.1.0/27', { delegations: [ACA], natGatewayId: natV2 });
    const result = resolve(b.build());
    expect(summary(pathOf(result, standard))).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.9.9.8'] });
    const path = pathOf(result, v2);
    expect(summary(path)).toMatchObject({ verdict: 'unknown', exit: null });
    expect(explanations(path)).toMatch(/StandardV2 NAT gateway nat-v2/);
    expect(result.findings.filter((f) => f.code === 'nat-gateway-v2-unsupported-delegation')).toEqual([
      expect.objectContaining({ severity: 'error', resourceIds: [v2, natV2] }),
    ]);
  });
});

describe('other delegated subnets: outbound "managed by the individual service" [DOA]', () => {
  it.each([
    'Microsoft.DBforPostgreSQL/flexibleServers',
    'Microsoft.Network/dnsResolvers',
    'Microsoft.NetApp/volumes',
    'Microsoft.ContainerInstance/containerGroups',
  ])('%s, private subnet, no NAT gateway or UDR: unknown naming the service', (service) => {
    const { path } = delegatedAlone(service, 'svc', '10.0.3.0/28', { defaultOutboundAccess: false });
    expect(summary(path)).toMatchObject({ verdict: 'unknown', exit: null });
    expect(explanations(path)).toContain(service);
  });
});
