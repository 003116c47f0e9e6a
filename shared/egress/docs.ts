/**
 * Canonical Microsoft Learn pages cited by hops and findings (one table, so a moved page is fixed
 * once), and the read-only `az` commands that show the evidence for each kind of hop.
 */
import { parseResourceId } from '../model/ids';

export const DOCS = {
  udr: 'https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview',
  defaultOutbound: 'https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access',
  natGateway: 'https://learn.microsoft.com/azure/nat-gateway/nat-overview',
  natGatewayResource: 'https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource',
  natGatewayMetrics: 'https://learn.microsoft.com/azure/nat-gateway/nat-metrics',
  lbOutboundRules: 'https://learn.microsoft.com/azure/load-balancer/outbound-rules',
  lbOutboundConnections: 'https://learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections',
  firewallRules: 'https://learn.microsoft.com/azure/firewall/rule-processing',
  /** DNS proxy, and the VNet DNS servers it needs [FWDNS]. */
  firewallDns: 'https://learn.microsoft.com/azure/firewall/dns-settings',
  firewallNatGateway: 'https://learn.microsoft.com/azure/firewall/integrate-with-nat-gateway',
  firewallForcedTunnel: 'https://learn.microsoft.com/azure/firewall/forced-tunneling',
  nsg: 'https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works',
  vwanRoutingPolicies: 'https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies',
  /** Sources of a hub's 0.0.0.0/0, forced-tunnel mode, hub firewalls without public IPs [VWAN-INET]. */
  vwanInternetRouting: 'https://learn.microsoft.com/azure/virtual-wan/about-internet-routing',
  /** Hub route tables, association / propagation, static routes on VNet connections [VWANROUTING]. */
  vwanHubRouting: 'https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing',
  forcedTunnel: 'https://learn.microsoft.com/azure/vpn-gateway/about-site-to-site-tunneling',
  expressRouteRouting: 'https://learn.microsoft.com/azure/expressroute/expressroute-routing',
  peering: 'https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview',
  /** Peering requirements and constraints: no Basic load balancer frontend across global peering [PEERREQ]. */
  peeringConstraints: 'https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering#requirements-and-constraints',
  gatewayTransit: 'https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-peering-gateway-transit',
  publicIp: 'https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses',
  basicRetirement: 'https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-basic-upgrade-guidance',
  serviceEndpoints: 'https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview',
  ipForwarding: 'https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#enable-or-disable-ip-forwarding',
  /** Multiple NICs: "Azure assigns a default gateway to the first (primary) network interface" only [MULTINIC]. */
  multipleNics: 'https://learn.microsoft.com/azure/virtual-machines/windows/multiple-nics#configure-guest-os-for-multiple-nics',
  effectiveRoutes: 'https://learn.microsoft.com/azure/virtual-network/diagnose-network-routing-problem',
  gatewaySubnet: 'https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#gwsub',
  bastionNsg: 'https://learn.microsoft.com/azure/bastion/bastion-nsg',
  routeServer: 'https://learn.microsoft.com/azure/route-server/overview',
  haPorts: 'https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview',
  firewallSnatPrivateRanges: 'https://learn.microsoft.com/azure/firewall/snat-private-range',
  ipGroups: 'https://learn.microsoft.com/azure/firewall/ip-groups',
  applicationSecurityGroups: 'https://learn.microsoft.com/azure/virtual-network/application-security-groups',
  subnetPeering: 'https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering',
  privateEndpoints: 'https://learn.microsoft.com/azure/private-link/private-endpoint-overview',
  privateEndpointDns: 'https://learn.microsoft.com/azure/private-link/private-endpoint-dns',
  privateEndpointNetworkPolicies: 'https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy',
  /** Instance Metadata Service at 169.254.169.254: "never leaves the host". */
  instanceMetadata: 'https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service',
  /** 168.63.129.16: "a virtual IP of the host node … isn't subject to user defined routes". */
  wireServer: 'https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16',
  /** NSG overview, Azure platform considerations: the host's virtualized IPs and the AzurePlatform* tags. */
  nsgPlatform: 'https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#azure-platform-considerations',
  /** Virtual network FAQ: multicast and broadcast are blocked. */
  vnetFaq: 'https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq',
  serviceTagsUdr: 'https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes',
} as const;

function nameAndGroup(id: string): { name: string; group: string } {
  const parts = parseResourceId(id);
  return { name: parts?.name ?? id, group: parts?.resourceGroup ?? '' };
}

/**
 * Quotes one argument for bash and PowerShell alike: single quotes are literal in both (no `$`,
 * backtick or `;` is interpreted). A value holding a single quote or a control character cannot be
 * quoted that way for both shells, so it is refused (UnsafeArgument) and no command is shown.
 */
class UnsafeArgument extends Error {}

/**
 * What q() refuses:
 * - ' and the typographic single quotes U+2018-U+201B: PowerShell ends a single-quoted string at
 *   any of them ("smart quotes", about_Quoting_Rules); bash ends it only at ', so doubling them
 *   would be one quote in PowerShell and two characters in bash: no quoting works for both.
 * - C0 controls, DEL and C1 controls U+0080-U+009F (U+009B is CSI on terminals that honour 8-bit
 *   controls, U+0085 is NEL): the command goes raw into JSON output, the app's copy button and the PDF.
 * - Bidirectional controls U+202A-U+202E and U+2066-U+2069: they make the app and the PDF show the
 *   command in another order than the text that is pasted.
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const UNQUOTABLE = /[\u0000-\u001f\u007f-\u009f'\u2018-\u201b\u202a-\u202e\u2066-\u2069]/;

function q(value: string): string {
  if (UNQUOTABLE.test(value)) throw new UnsafeArgument(value);
  return `'${value}'`;
}

const UNSAFE = '# not shown: a resource ID or name holds a quote or a control character that cannot be quoted safely for bash and PowerShell';

/** Builds a command from quoted arguments; a value that cannot be quoted gives a comment instead. */
function command(build: () => string): string {
  try {
    return build();
  } catch (error) {
    if (error instanceof UnsafeArgument) return UNSAFE;
    throw error;
  }
}

/** Read-only `az` commands, one per kind of evidence. Every ID, name and query is single-quoted. */
export const VERIFY = {
  subnet: (subnetId: string): string => command(() =>
    `az network vnet subnet show --ids ${q(subnetId)} --query '{nat:natGateway.id, rt:routeTable.id, nsg:networkSecurityGroup.id, defaultOutboundAccess:defaultOutboundAccess}'`),
  effectiveRoutes: (nicId: string): string => command(() => `az network nic show-effective-route-table --ids ${q(nicId)} -o table`),
  routeTable: (routeTableId: string): string => command(() => `az network route-table show --ids ${q(routeTableId)} --query '{routes:routes, disableBgpRoutePropagation:disableBgpRoutePropagation}'`),
  vnet: (vnetId: string): string => command(() => `az network vnet show --ids ${q(vnetId)} --query '{addressSpace:addressSpace.addressPrefixes, peerings:virtualNetworkPeerings[].{name:name, remote:remoteVirtualNetwork.id, state:peeringState}}'`),
  peering: (peeringId: string): string => command(() => `az network vnet peering show --ids ${q(peeringId)}`),
  /** Every peering of a VNet, with what each carries and its state (for two peerings holding one address). */
  peerings: (vnetId: string): string => command(() => {
    const { name, group } = nameAndGroup(vnetId);
    const sub = parseResourceId(vnetId)?.subscriptionId;
    return `az network vnet peering list --vnet-name ${q(name)} -g ${q(group)}${sub ? ` --subscription ${q(sub)}` : ''} --query '[].{name:name, remote:remoteVirtualNetwork.id, state:peeringState, carries:remoteAddressSpace.addressPrefixes, completeVnets:peerCompleteVnets, remoteSubnets:remoteSubnetNames, useRemoteGateways:useRemoteGateways}' -o json`;
  }),
  /** The gateways of a VNet (hub): the IP configurations its GatewaySubnet lists, one per gateway instance set. */
  vnetGateways: (vnetId: string): string => command(() => `az network vnet subnet show --ids ${q(`${vnetId}/subnets/GatewaySubnet`)} --query 'ipConfigurations[].id'`),
  /** A service tag's prefixes (read-only; the region only picks the API endpoint, the list is cloud-wide). */
  serviceTag: (tag: string, location: string | null): string => command(() =>
    `az network list-service-tags --location ${q(location ?? 'westeurope')} --query ${q(`values[?name==\`"${tag.replace(/[^A-Za-z0-9._-]/g, '')}"\`].properties.addressPrefixes`)}`),
  nsgRules: (nsgId: string): string => command(() => {
    const { name, group } = nameAndGroup(nsgId);
    return `az network nsg rule list --nsg-name ${q(name)} -g ${q(group)} --include-default -o table`;
  }),
  natGateway: (natId: string): string => command(() => `az network nat gateway show --ids ${q(natId)} --query '{publicIpAddresses:publicIpAddresses[].id, publicIpPrefixes:publicIpPrefixes[].id, subnets:subnets[].id}'`),
  publicIp: (pipId: string): string => command(() => `az network public-ip show --ids ${q(pipId)} --query '{ip:ipAddress, sku:sku.name, attachedTo:ipConfiguration.id}'`),
  nic: (nicId: string): string => command(() => `az network nic show --ids ${q(nicId)} --query '{ipForwarding:enableIPForwarding, nsg:networkSecurityGroup.id, ipConfigurations:ipConfigurations[].{ip:privateIPAddress, publicIp:publicIPAddress.id, pools:loadBalancerBackendAddressPools[].id}}'`),
  /** The VMs of an availability set (each must be in a load balancer's pool for its outbound). */
  availabilitySet: (setId: string): string => command(() => `az vm availability-set show --ids ${q(setId)} --query 'virtualMachines[].id'`),
  loadBalancer: (lbId: string): string => command(() => `az network lb show --ids ${q(lbId)} --query '{sku:sku.name, frontends:frontendIPConfigurations[].{id:id, publicIp:publicIPAddress.id, privateIp:privateIPAddress}, outboundRules:outboundRules, rules:loadBalancingRules[].{name:name, disableOutboundSnat:disableOutboundSnat}}'`),
  firewall: (firewallId: string): string => command(() => `az network firewall show --ids ${q(firewallId)} --query '{sku:sku, ipConfigurations:ipConfigurations, managementIpConfiguration:managementIpConfiguration, policy:firewallPolicy.id, hubIpAddresses:hubIPAddresses}'`),
  firewallPolicy: (policyId: string): string => command(() => {
    const { name, group } = nameAndGroup(policyId);
    return `az network firewall policy rule-collection-group list --policy-name ${q(name)} -g ${q(group)}`;
  }),
  gateway: (gatewayId: string): string => command(() => `az network vnet-gateway show --ids ${q(gatewayId)} --query '{type:gatewayType, vpnType:vpnType, defaultSite:gatewayDefaultSite.id, bgp:enableBgp}'`),
  gatewayLearnedRoutes: (gatewayId: string): string => command(() => {
    const { name, group } = nameAndGroup(gatewayId);
    return `az network vnet-gateway list-learned-routes -n ${q(name)} -g ${q(group)} -o table`;
  }),
  privateEndpoint: (peId: string): string => command(() => `az network private-endpoint show --ids ${q(peId)} --query '{subnet:subnet.id, connections:privateLinkServiceConnections[].{target:privateLinkServiceId, groups:groupIds}, dns:customDnsConfigs}'`),
  privateDnsRecords: (zoneId: string): string => command(() => {
    const { name, group } = nameAndGroup(zoneId);
    return `az network private-dns record-set a list --zone-name ${q(name)} -g ${q(group)} -o table`;
  }),
  virtualHub: (hubId: string): string => command(() => {
    const { name, group } = nameAndGroup(hubId);
    return `az network vhub routing-intent list --vhub ${q(name)} -g ${q(group)}`;
  }),
  /**
   * The apps integrated into a subnet, with their Route All setting and outbound addresses (`az
   * webapp list` / `az functionapp list` return each site's virtualNetworkSubnetId,
   * vnetRouteAllEnabled, outboundVnetRouting and outboundIpAddresses). Matched by the subnet's name
   * at the end of the ID, not the whole ID: JMESPath compares case-sensitively, a site keeps the ID
   * as Azure spelled it and the model's IDs are lower case; the output shows each app's subnet ID.
   */
  appServiceApps: (subnetName: string): string => command(() => {
    const query = jmesQuery(`[?virtualNetworkSubnetId && ends_with(virtualNetworkSubnetId, '/subnets/${jmesName(subnetName)}')].{name:name, subnet:virtualNetworkSubnetId, routeAll:vnetRouteAllEnabled, outboundVnetRouting:outboundVnetRouting, outbound:outboundIpAddresses}`);
    return `az webapp list --query ${query} -o json; az functionapp list --query ${query} -o json`;
  }),
  /** The Container Apps environments on a subnet and their managed resource group (its egress public IP), matched by name as above. */
  containerAppsEnvironments: (subnetName: string): string => command(() => {
    const subnet = 'properties.vnetConfiguration.infrastructureSubnetId';
    return `az containerapp env list --query ${jmesQuery(`[?${subnet} && ends_with(${subnet}, '/subnets/${jmesName(subnetName)}')].{name:name, subnet:${subnet}, managedResourceGroup:properties.infrastructureResourceGroup}`)} -o json`;
  }),
  /** A delegated subnet's services and the service resources using it (serviceAssociationLinks). */
  delegatedSubnet: (subnetId: string): string => command(() =>
    `az network vnet subnet show --ids ${q(subnetId)} --query '{delegations:delegations[].serviceName, usedBy:serviceAssociationLinks[].link, natGateway:natGateway.id, routeTable:routeTable.id}' -o json`),
} as const;

/**
 * A subnet name inside a JMESPath raw string ('…') of a double-quoted query: Azure subnet names are
 * letters, digits, `_`, `.` and `-`, none of which bash or PowerShell interpret in double quotes
 * (unlike `$`, a backtick, `!` or a quote), so anything else is refused.
 */
function jmesName(name: string): string {
  if (!/^[\p{L}\p{N}_.-]+$/u.test(name)) throw new UnsafeArgument(name);
  return name;
}

/** A JMESPath query holding raw strings, double-quoted for bash and PowerShell (its parts are checked by jmesName). */
function jmesQuery(query: string): string {
  return `"${query}"`;
}
