/**
 * Drafts → model resources: defaults for what no input said, applied once after merging (see
 * draft-store.ts). Drafts are private to one normalizeArm run (built by the mappers or by
 * `overlay`), so they are completed in place: at estate scale (100,000 NICs) a second object per
 * resource is what the garbage collector pays for most. The defaults tables are typed, so every
 * model field has one.
 */
import type { ResourceId } from '../model/ids';
import type { NetworkModel, NetworkResourceKind } from '../model/topology';
import { compareIds, SORTED_CHILDREN, sortedById, type DraftOf, type DraftStore, type KindMap } from './draft-store';

/** Every field except those each draft always has. */
type Defaults<K extends NetworkResourceKind> = Omit<KindMap[K], 'id' | 'name' | 'subscriptionId' | 'resourceGroup'>;

const COMMON = { location: null, tags: {} } as const;

const DEFAULTS: { readonly [K in NetworkResourceKind]: Defaults<K> } = {
  virtualNetwork: { ...COMMON, kind: 'virtualNetwork', addressPrefixes: [], subnetIds: [], peerings: [] },
  subnet: {
    // virtualNetworkId: every subnet draft sets it (from its VNet or its own ID).
    ...COMMON, kind: 'subnet', virtualNetworkId: '' as ResourceId, addressPrefixes: [], routeTableId: null, natGatewayId: null,
    networkSecurityGroupId: null, defaultOutboundAccess: null, delegations: [], serviceEndpoints: [], privateEndpointNetworkPolicies: null,
  },
  routeTable: { ...COMMON, kind: 'routeTable', routes: [], disableBgpRoutePropagation: false },
  // `Standard` was the only NAT gateway SKU before StandardV2.
  natGateway: { ...COMMON, kind: 'natGateway', skuName: 'Standard', publicIpAddressIds: [], publicIpPrefixIds: [], idleTimeoutInMinutes: null, subnetIds: [] },
  // An absent SKU is reported as `Unknown` rather than guessed (Microsoft's own PIP example has none).
  publicIpAddress: { ...COMMON, kind: 'publicIpAddress', ipAddress: null, skuName: 'Unknown', version: 'IPv4', ipConfigurationId: null, publicIpPrefixId: null },
  publicIpPrefix: { ...COMMON, kind: 'publicIpPrefix', ipPrefix: null, prefixLength: null, version: 'IPv4', skuName: 'Unknown' },
  networkInterface: {
    ...COMMON, kind: 'networkInterface', ipConfigurations: [], enableIPForwarding: false, networkSecurityGroupId: null,
    virtualMachineId: null, flexibleScaleSetMember: false, primary: null,
  },
  azureFirewall: {
    ...COMMON, kind: 'azureFirewall', skuName: 'AZFW_VNet', skuTier: 'Standard', ipConfigurations: [], managementIpConfiguration: null,
    // rulesCaptured: false until a copy holds the classic rule collection lists (see AzureFirewall).
    firewallPolicyId: null, virtualHubId: null, hubPrivateIpAddress: null, hubPublicIpAddresses: [], hubPublicIpCount: null, rules: [], rulesCaptured: false,
    snatPrivateRanges: null, snatAutoLearnPrivateRanges: false,
  },
  // ruleCollectionGroupsCaptured: false until a copy lists its groups or a group is listed on its own.
  firewallPolicy: {
    ...COMMON, kind: 'firewallPolicy', basePolicyId: null, snatPrivateRanges: null, snatAutoLearnPrivateRanges: false, threatIntelMode: null, rules: [],
    ruleCollectionGroupIds: [], ruleCollectionGroupsCaptured: false, loadedRuleCollectionGroupIds: [],
  },
  networkSecurityGroup: { ...COMMON, kind: 'networkSecurityGroup', securityRules: [] },
  loadBalancer: { ...COMMON, kind: 'loadBalancer', skuName: 'Unknown', frontendIpConfigurations: [], backendAddressPools: [], loadBalancingRules: [], outboundRules: [] },
  virtualNetworkGateway: {
    ...COMMON, kind: 'virtualNetworkGateway', gatewayType: 'Unknown', vpnType: null, virtualNetworkId: null, gatewayDefaultSiteId: null,
    enableBgp: false, publicIpAddressIds: [],
  },
  // routeTables stays absent unless a table of the hub was read (see VirtualHub.routeTables).
  virtualHub: {
    ...COMMON, kind: 'virtualHub', virtualWanId: null, addressPrefix: null, azureFirewallId: null, connections: [], routingPolicies: [],
    expressRouteGatewayId: null, vpnGatewayId: null,
  },
  virtualWan: { ...COMMON, kind: 'virtualWan', virtualHubIds: [] },
  // ipAddressesCaptured: false until a copy holds `ipAddresses`.
  ipGroup: { ...COMMON, kind: 'ipGroup', ipAddresses: [], ipAddressesCaptured: false },
  privateEndpoint: {
    ...COMMON, kind: 'privateEndpoint', subnetId: null, networkInterfaceIds: [], connections: [], customDnsConfigs: [], ipConfigurations: [],
    privateDnsZoneGroups: [],
  },
  // recordSetsCaptured: false until a record set (embedded or listed apart) says otherwise.
  privateDnsZone: { ...COMMON, kind: 'privateDnsZone', virtualNetworkLinks: [], recordSets: [], numberOfRecordSets: null, recordSetsCaptured: false },
};

function finalizeAll<K extends NetworkResourceKind>(store: DraftStore, kind: K): KindMap[K][] {
  const defaults = DEFAULTS[kind] as Defaults<K>;
  const keys = Object.keys(defaults);
  const values = keys.map((k) => (defaults as Readonly<Record<string, unknown>>)[k]);
  const sortedChildren = SORTED_CHILDREN[kind] as readonly string[];
  return store.drafts(kind).map((draft: DraftOf<K>) => {
    const fields = draft as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (fields[key] === undefined) fields[key] = values[i];
    }
    // An optional child list (a hub's routeTables) stays absent when nothing was read.
    for (const key of sortedChildren) if (fields[key] !== undefined) fields[key] = sortedById(fields[key] as readonly { readonly id: string }[]);
    return draft as unknown as KindMap[K];
  });
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
  const capturedVms = store.capturedVms;
  return {
    virtualNetworks: virtualNetworks.map((vnet) => ({
      ...vnet, subnetIds: [...new Set([...vnet.subnetIds, ...(subnetIdsByVnet.get(vnet.id) ?? [])])].sort(compareIds),
    })),
    subnets,
    routeTables: finalizeAll(store, 'routeTable'),
    natGateways: finalizeAll(store, 'natGateway'),
    publicIpAddresses: finalizeAll(store, 'publicIpAddress'),
    publicIpPrefixes: finalizeAll(store, 'publicIpPrefix'),
    // Most inputs hold no VM resources: then no NIC's VM ID needs hashing (60 ms for 100,000 NICs).
    // Every Flexible VM is also captured, so the one set decides whether to look at all.
    networkInterfaces: capturedVms.size === 0 ? finalizeAll(store, 'networkInterface') : finalizeAll(store, 'networkInterface').map((nic) => {
      if (nic.virtualMachineId === null || !capturedVms.has(nic.virtualMachineId)) return nic;
      return flexibleVms.has(nic.virtualMachineId) ? { ...nic, flexibleScaleSetMember: true, virtualMachineCaptured: true } : { ...nic, virtualMachineCaptured: true };
    }),
    azureFirewalls: finalizeAll(store, 'azureFirewall'),
    firewallPolicies: finalizeAll(store, 'firewallPolicy').map((p) => ({
      ...p, ruleCollectionGroupIds: [...p.ruleCollectionGroupIds].sort(compareIds),
      loadedRuleCollectionGroupIds: [...p.loadedRuleCollectionGroupIds].sort(compareIds),
    })),
    networkSecurityGroups: finalizeAll(store, 'networkSecurityGroup'),
    loadBalancers: finalizeAll(store, 'loadBalancer'),
    virtualNetworkGateways: finalizeAll(store, 'virtualNetworkGateway'),
    virtualHubs: finalizeAll(store, 'virtualHub'),
    virtualWans: finalizeAll(store, 'virtualWan'),
    ipGroups: finalizeAll(store, 'ipGroup'),
    privateEndpoints: finalizeAll(store, 'privateEndpoint'),
    privateDnsZones: finalizeAll(store, 'privateDnsZone'),
  };
}
