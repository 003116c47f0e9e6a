/**
 * Drafts → model resources: defaults for what no input said, applied once after merging (see
 * draft-store.ts). One literal per kind: typed field by field, and the shape V8 builds fastest at
 * estate scale.
 */
import { parentResourceId, type ResourceId } from '../model/ids';
import type {
  AzureFirewall, FirewallPolicy, LoadBalancer, NatGateway, NetworkInterface, NetworkModel, NetworkResourceKind,
  NetworkSecurityGroup, PublicIpAddress, PublicIpPrefix, ResourceBase, RouteTable, Subnet, VirtualHub, VirtualNetwork,
  VirtualNetworkGateway, VirtualWan,
} from '../model/topology';
import { compareIds, type DraftOf, type DraftStore, type KindMap } from './draft-store';

const NO_TAGS: Readonly<Record<string, string>> = {};

function base(d: DraftOf<NetworkResourceKind>): ResourceBase {
  return {
    id: d.id, name: d.name, subscriptionId: d.subscriptionId, resourceGroup: d.resourceGroup,
    location: d.location ?? null, tags: d.tags ?? NO_TAGS,
  };
}

function byId<T extends { readonly id: ResourceId }>(items: readonly T[] | undefined): readonly T[] {
  if (items === undefined) return [];
  return items.length < 2 ? items : [...items].sort((a, b) => compareIds(a.id, b.id));
}

const FINALIZE: { readonly [K in NetworkResourceKind]: (d: DraftOf<K>) => KindMap[K] } = {
  virtualNetwork: (d): VirtualNetwork => ({
    ...base(d), kind: 'virtualNetwork', addressPrefixes: d.addressPrefixes ?? [], subnetIds: d.subnetIds ?? [], peerings: byId(d.peerings),
  }),
  subnet: (d): Subnet => ({
    ...base(d), kind: 'subnet', virtualNetworkId: d.virtualNetworkId ?? parentResourceId(d.id), addressPrefixes: d.addressPrefixes ?? [],
    routeTableId: d.routeTableId ?? null, natGatewayId: d.natGatewayId ?? null, networkSecurityGroupId: d.networkSecurityGroupId ?? null,
    defaultOutboundAccess: d.defaultOutboundAccess ?? null, delegations: d.delegations ?? [], serviceEndpoints: d.serviceEndpoints ?? [],
    privateEndpointNetworkPolicies: d.privateEndpointNetworkPolicies ?? null,
  }),
  routeTable: (d): RouteTable => ({
    ...base(d), kind: 'routeTable', routes: byId(d.routes), disableBgpRoutePropagation: d.disableBgpRoutePropagation ?? false,
  }),
  natGateway: (d): NatGateway => ({
    // `Standard` was the only NAT gateway SKU before StandardV2.
    ...base(d), kind: 'natGateway', skuName: d.skuName ?? 'Standard', publicIpAddressIds: d.publicIpAddressIds ?? [],
    publicIpPrefixIds: d.publicIpPrefixIds ?? [], idleTimeoutInMinutes: d.idleTimeoutInMinutes ?? null, subnetIds: d.subnetIds ?? [],
  }),
  publicIpAddress: (d): PublicIpAddress => ({
    // An absent SKU is reported as `Unknown` rather than guessed (Microsoft's own PIP example has none).
    ...base(d), kind: 'publicIpAddress', ipAddress: d.ipAddress ?? null, skuName: d.skuName ?? 'Unknown', version: d.version ?? 'IPv4',
    ipConfigurationId: d.ipConfigurationId ?? null, publicIpPrefixId: d.publicIpPrefixId ?? null,
  }),
  publicIpPrefix: (d): PublicIpPrefix => ({
    ...base(d), kind: 'publicIpPrefix', ipPrefix: d.ipPrefix ?? null, prefixLength: d.prefixLength ?? null, version: d.version ?? 'IPv4',
    skuName: d.skuName ?? 'Unknown',
  }),
  networkInterface: (d): NetworkInterface => ({
    ...base(d), kind: 'networkInterface', ipConfigurations: byId(d.ipConfigurations), enableIPForwarding: d.enableIPForwarding ?? false,
    networkSecurityGroupId: d.networkSecurityGroupId ?? null, virtualMachineId: d.virtualMachineId ?? null,
    flexibleScaleSetMember: d.flexibleScaleSetMember ?? false, primary: d.primary ?? null,
  }),
  azureFirewall: (d): AzureFirewall => ({
    ...base(d), kind: 'azureFirewall', skuName: d.skuName ?? 'AZFW_VNet', skuTier: d.skuTier ?? 'Standard', ipConfigurations: byId(d.ipConfigurations),
    managementIpConfiguration: d.managementIpConfiguration ?? null, firewallPolicyId: d.firewallPolicyId ?? null, virtualHubId: d.virtualHubId ?? null,
    hubPrivateIpAddress: d.hubPrivateIpAddress ?? null, hubPublicIpAddresses: d.hubPublicIpAddresses ?? [], rules: d.rules ?? [],
  }),
  firewallPolicy: (d): FirewallPolicy => ({
    ...base(d), kind: 'firewallPolicy', basePolicyId: d.basePolicyId ?? null, snatPrivateRanges: d.snatPrivateRanges ?? null,
    threatIntelMode: d.threatIntelMode ?? null, rules: d.rules ?? [], ruleCollectionGroupIds: [...(d.ruleCollectionGroupIds ?? [])].sort(compareIds),
  }),
  networkSecurityGroup: (d): NetworkSecurityGroup => ({ ...base(d), kind: 'networkSecurityGroup', securityRules: d.securityRules ?? [] }),
  loadBalancer: (d): LoadBalancer => ({
    ...base(d), kind: 'loadBalancer', skuName: d.skuName ?? 'Unknown', frontendIpConfigurations: byId(d.frontendIpConfigurations),
    backendAddressPools: byId(d.backendAddressPools), loadBalancingRules: byId(d.loadBalancingRules), outboundRules: byId(d.outboundRules),
  }),
  virtualNetworkGateway: (d): VirtualNetworkGateway => ({
    ...base(d), kind: 'virtualNetworkGateway', gatewayType: d.gatewayType ?? 'Unknown', vpnType: d.vpnType ?? null,
    virtualNetworkId: d.virtualNetworkId ?? null, gatewayDefaultSiteId: d.gatewayDefaultSiteId ?? null, enableBgp: d.enableBgp ?? false,
    publicIpAddressIds: d.publicIpAddressIds ?? [],
  }),
  virtualHub: (d): VirtualHub => ({
    ...base(d), kind: 'virtualHub', virtualWanId: d.virtualWanId ?? null, addressPrefix: d.addressPrefix ?? null,
    azureFirewallId: d.azureFirewallId ?? null, connections: byId(d.connections), routingPolicies: d.routingPolicies ?? [],
  }),
  virtualWan: (d): VirtualWan => ({ ...base(d), kind: 'virtualWan', virtualHubIds: d.virtualHubIds ?? [] }),
};

function finalizeAll<K extends NetworkResourceKind>(store: DraftStore, kind: K): KindMap[K][] {
  const finalize: (d: DraftOf<K>) => KindMap[K] = FINALIZE[kind];
  return store.drafts(kind).map(finalize);
}

/** The model, every list sorted by ID; VNets list every subnet that names them as parent. */
export function buildModel(store: DraftStore): NetworkModel {
  const virtualNetworks = finalizeAll(store, 'virtualNetwork');
  const vnetLocation = new Map(virtualNetworks.map((v) => [v.id, v.location]));
  const subnetIdsByVnet = new Map<ResourceId, ResourceId[]>();
  const subnets = finalizeAll(store, 'subnet').map((subnet) => {
    const ids = subnetIdsByVnet.get(subnet.virtualNetworkId);
    if (ids === undefined) subnetIdsByVnet.set(subnet.virtualNetworkId, [subnet.id]);
    else ids.push(subnet.id);
    // Subnets have no location of their own: they inherit their VNet's.
    return subnet.location !== null ? subnet : { ...subnet, location: vnetLocation.get(subnet.virtualNetworkId) ?? null };
  });
  const flexibleVms = store.flexibleScaleSetVms;
  return {
    virtualNetworks: virtualNetworks.map((vnet) => ({
      ...vnet, subnetIds: [...new Set([...vnet.subnetIds, ...(subnetIdsByVnet.get(vnet.id) ?? [])])].sort(compareIds),
    })),
    subnets,
    routeTables: finalizeAll(store, 'routeTable'),
    natGateways: finalizeAll(store, 'natGateway'),
    publicIpAddresses: finalizeAll(store, 'publicIpAddress'),
    publicIpPrefixes: finalizeAll(store, 'publicIpPrefix'),
    networkInterfaces: finalizeAll(store, 'networkInterface').map((nic) =>
      (nic.virtualMachineId !== null && flexibleVms.has(nic.virtualMachineId) ? { ...nic, flexibleScaleSetMember: true } : nic)),
    azureFirewalls: finalizeAll(store, 'azureFirewall'),
    firewallPolicies: finalizeAll(store, 'firewallPolicy'),
    networkSecurityGroups: finalizeAll(store, 'networkSecurityGroup'),
    loadBalancers: finalizeAll(store, 'loadBalancer'),
    virtualNetworkGateways: finalizeAll(store, 'virtualNetworkGateway'),
    virtualHubs: finalizeAll(store, 'virtualHub'),
    virtualWans: finalizeAll(store, 'virtualWan'),
  };
}
