/**
 * Drafts → model resources: defaults for what no input said, applied once after merging (see
 * draft-store.ts). Drafts are private to one normalizeArm run (built by the mappers or by
 * `overlay`), so they are completed in place: at estate scale (100,000 NICs) a second object per
 * resource is what the garbage collector pays for most. The defaults tables are typed, so every
 * model field has one.
 */
import { isNetworkInterfaceId, parentResourceId, type ResourceId } from '../model/ids';
import type { AvailabilitySetMembers, AzureFirewall, LoadBalancer, NetworkInterface, NetworkModel, NetworkResourceKind, Subnet } from '../model/topology';
import { canonicalId, field, isRecord, isResourceIdText } from './reader';
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
  // An absent SKU is `Unknown`, not guessed: a NAT gateway is Standard or StandardV2 (NatGatewaySkuName;
  // articles/nat-gateway/nat-gateway-resource.md), which differ in IPv6 support and price.
  natGateway: { ...COMMON, kind: 'natGateway', skuName: 'Unknown', publicIpAddressIds: [], publicIpPrefixIds: [], idleTimeoutInMinutes: null, subnetIds: [] },
  // An absent SKU is reported as `Unknown` rather than guessed (Microsoft's own PIP example has none).
  publicIpAddress: { ...COMMON, kind: 'publicIpAddress', ipAddress: null, skuName: 'Unknown', version: 'IPv4', ipConfigurationId: null, publicIpPrefixId: null },
  publicIpPrefix: { ...COMMON, kind: 'publicIpPrefix', ipPrefix: null, prefixLength: null, version: 'IPv4', skuName: 'Unknown' },
  networkInterface: {
    // enableIPForwarding: null = not in the input (never assumed off: an NVA next hop is then unknown).
    ...COMMON, kind: 'networkInterface', ipConfigurations: [], enableIPForwarding: null, networkSecurityGroupId: null,
    virtualMachineId: null, flexibleScaleSetMember: false, primary: null,
  },
  // skuTier: an absent tier is `Unknown`, not guessed: Basic, Standard and Premium differ in price and
  // features (https://learn.microsoft.com/azure/firewall/choose-firewall-sku).
  azureFirewall: {
    ...COMMON, kind: 'azureFirewall', skuName: 'AZFW_VNet', skuTier: 'Unknown', ipConfigurations: [], managementIpConfiguration: null,
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

/** How many IP configurations of the model's NICs, firewalls and load balancer frontends use each subnet. */
function ipConfigurationsBySubnet(nics: readonly NetworkInterface[], firewalls: readonly AzureFirewall[], loadBalancers: readonly LoadBalancer[]): ReadonlyMap<ResourceId, number> {
  const counts = new Map<ResourceId, number>();
  const add = (subnetId: ResourceId | null): void => {
    if (subnetId !== null) counts.set(subnetId, (counts.get(subnetId) ?? 0) + 1);
  };
  for (const nic of nics) for (const c of nic.ipConfigurations) add(c.subnetId);
  for (const fw of firewalls) {
    for (const c of fw.ipConfigurations) add(c.subnetId);
    add(fw.managementIpConfiguration?.subnetId ?? null);
  }
  for (const lb of loadBalancers) for (const f of lb.frontendIpConfigurations) add(f.subnetId);
  return counts;
}

/**
 * The IP configurations a subnet's own record lists whose owner (the resource the configuration
 * belongs to: a NIC, a load balancer, a firewall, or a type the model does not read) is not in the
 * input; null when none is missing. A list no longer than what the model holds in the subnet is
 * taken as held (the common case, at estate scale: no ID is read); a longer one is read ID by ID.
 * The first owner kept is the first missing NIC (by ID) when any owner is a NIC, else the first
 * owner: "firstOwnerId is a NIC" holds exactly when some missing owner is one.
 */
function unreadIpConfigurations(store: DraftStore, lists: readonly (readonly unknown[])[], held: number, endpointOfNic: () => ReadonlyMap<ResourceId, ResourceId>): Subnet['unreadIpConfigurations'] | null {
  if (lists.every((list) => list.length <= held)) return null;
  const missing = new Set<ResourceId>();
  let first: ResourceId | null = null;
  let firstIsNic = false;
  for (const list of lists) {
    for (const entry of list) {
      const raw = isRecord(entry) ? field(entry, 'id') : entry;
      if (typeof raw !== 'string' || !isResourceIdText(raw)) continue;
      const id = canonicalId(raw);
      const nicOrOwner = parentResourceId(id);
      if (missing.has(id) || store.has(nicOrOwner)) continue;
      missing.add(id);
      // A private endpoint's NIC is the endpoint's, which the input holds: named as the endpoint, it
      // counts as no NIC (it starts no traffic, so it never decides the subnet's default outbound).
      const endpoint = isNetworkInterfaceId(nicOrOwner) ? endpointOfNic().get(nicOrOwner) : undefined;
      const owner = endpoint ?? nicOrOwner;
      const nic = endpoint === undefined && isNetworkInterfaceId(owner);
      if (first === null || (nic && !firstIsNic) || (nic === firstIsNic && owner < first)) {
        first = owner;
        firstIsNic = nic;
      }
    }
  }
  return first === null ? null : { count: missing.size, firstOwnerId: first };
}

/** Per VM listing several NICs, those of them the input lacks (sorted); VMs missing none have no entry. */
function missingVmNics(store: DraftStore): ReadonlyMap<ResourceId, readonly ResourceId[]> {
  const out = new Map<ResourceId, readonly ResourceId[]>();
  for (const [vmId, nicIds] of store.vmNicIds) {
    const missing = nicIds.filter((id) => !store.has(id));
    if (missing.length > 0) out.set(vmId, missing.sort(compareIds));
  }
  return out;
}

/**
 * Per availability set the input's VM documents name, the VMs that name it (sorted) and, when any
 * lists one, the NICs each of their documents lists that the input lacks: one object per set, shared
 * by the NICs of its VMs (NetworkInterface.availabilitySet). VMs naming none: no entry.
 */
function availabilitySetsByVm(store: DraftStore): ReadonlyMap<ResourceId, AvailabilitySetMembers> {
  const vmsBySet = new Map<ResourceId, ResourceId[]>();
  const add = (vmId: ResourceId, setId: ResourceId): void => {
    const vms = vmsBySet.get(setId);
    if (vms === undefined) vmsBySet.set(setId, [vmId]);
    else if (!vms.includes(vmId)) vms.push(vmId);
  };
  for (const [vmId, setId] of store.vmAvailabilitySets) add(vmId, setId);
  // A VM a set's own document lists, whose own document is not in the input (a VM document read
  // with its properties names its set, or none, itself).
  const listedOnly = new Set<ResourceId>();
  for (const [vmId, setId] of store.availabilitySetListedVms) {
    if (store.vmAvailabilitySets.has(vmId) || store.capturedVms.has(vmId)) continue;
    add(vmId, setId);
    listedOnly.add(vmId);
  }
  const out = new Map<ResourceId, AvailabilitySetMembers>();
  for (const [id, vms] of vmsBySet) {
    vms.sort(compareIds);
    const missing = vms.map((vm) => (store.availabilitySetVmNicIds.get(vm) ?? []).filter((nicId) => !store.has(nicId)).sort(compareIds));
    const listedBySet = listedOnly.size === 0 ? [] : vms.filter((vm) => listedOnly.has(vm));
    const members: AvailabilitySetMembers = {
      id, virtualMachineIds: vms,
      ...(missing.some((ids) => ids.length > 0) ? { missingNetworkInterfaceIds: missing } : {}),
      ...(listedBySet.length > 0 ? { listedBySet } : {}),
    };
    for (const vmId of vms) out.set(vmId, members);
  }
  return out;
}

/** The model, every list sorted by ID; VNets list every subnet that names them as parent. */
export function buildModel(store: DraftStore): NetworkModel {
  const virtualNetworks = finalizeAll(store, 'virtualNetwork');
  const vnetLocation = new Map(virtualNetworks.map((v) => [v.id, v.location]));
  const subnetIdsByVnet = new Map<ResourceId, ResourceId[]>();
  const flexibleVms = store.flexibleScaleSetVms;
  const capturedVms = store.capturedVms;
  const missingNics = missingVmNics(store);
  const availabilitySets = availabilitySetsByVm(store);
  // Most inputs hold no VM resources: then no NIC's VM ID needs hashing (60 ms for 100,000 NICs).
  // Every Flexible VM is also captured, so the one set decides whether to look at all; VMs with a
  // listed NIC missing are fewer still (their list is one array shared by their NICs).
  const networkInterfaces = capturedVms.size === 0 && missingNics.size === 0 && availabilitySets.size === 0 ? finalizeAll(store, 'networkInterface') : finalizeAll(store, 'networkInterface').map((nic) => {
    const vmId = nic.virtualMachineId;
    if (vmId === null) return nic;
    const missing = missingNics.size === 0 ? undefined : missingNics.get(vmId);
    const availabilitySet = availabilitySets.size === 0 ? undefined : availabilitySets.get(vmId);
    const withMissing = missing === undefined ? nic : { ...nic, missingSiblingNicIds: missing };
    const withNics = availabilitySet === undefined ? withMissing : { ...withMissing, availabilitySet };
    if (!capturedVms.has(vmId)) return withNics;
    return flexibleVms.has(vmId) ? { ...withNics, flexibleScaleSetMember: true, virtualMachineCaptured: true } : { ...withNics, virtualMachineCaptured: true };
  });
  const azureFirewalls = finalizeAll(store, 'azureFirewall');
  const loadBalancers = finalizeAll(store, 'loadBalancer');
  const listed = store.subnetIpConfigurations;
  const held = listed.size === 0 ? null : ipConfigurationsBySubnet(networkInterfaces, azureFirewalls, loadBalancers);
  const privateEndpoints = finalizeAll(store, 'privateEndpoint');
  let endpointNics: Map<ResourceId, ResourceId> | null = null;
  const endpointOfNic = (): ReadonlyMap<ResourceId, ResourceId> => {
    if (endpointNics === null) {
      endpointNics = new Map();
      for (const pe of privateEndpoints) for (const nicId of pe.networkInterfaceIds) endpointNics.set(nicId, pe.id);
    }
    return endpointNics;
  };
  const subnets = finalizeAll(store, 'subnet').map((subnet) => {
    const ids = subnetIdsByVnet.get(subnet.virtualNetworkId);
    if (ids === undefined) subnetIdsByVnet.set(subnet.virtualNetworkId, [subnet.id]);
    else ids.push(subnet.id);
    // Subnets have no location of their own: they inherit their VNet's.
    const located = subnet.location !== null ? subnet : { ...subnet, location: vnetLocation.get(subnet.virtualNetworkId) ?? null };
    const lists = held === null ? undefined : listed.get(subnet.id);
    const unread = lists === undefined || held === null ? null : unreadIpConfigurations(store, lists, held.get(subnet.id) ?? 0, endpointOfNic);
    return unread === null ? located : { ...located, unreadIpConfigurations: unread };
  });
  return {
    virtualNetworks: virtualNetworks.map((vnet) => ({
      ...vnet, subnetIds: [...new Set([...vnet.subnetIds, ...(subnetIdsByVnet.get(vnet.id) ?? [])])].sort(compareIds),
    })),
    subnets,
    routeTables: finalizeAll(store, 'routeTable'),
    natGateways: finalizeAll(store, 'natGateway'),
    publicIpAddresses: finalizeAll(store, 'publicIpAddress'),
    publicIpPrefixes: finalizeAll(store, 'publicIpPrefix'),
    networkInterfaces,
    azureFirewalls,
    firewallPolicies: finalizeAll(store, 'firewallPolicy').map((p) => ({
      ...p, ruleCollectionGroupIds: [...p.ruleCollectionGroupIds].sort(compareIds),
      loadedRuleCollectionGroupIds: [...p.loadedRuleCollectionGroupIds].sort(compareIds),
    })),
    networkSecurityGroups: finalizeAll(store, 'networkSecurityGroup'),
    loadBalancers,
    virtualNetworkGateways: finalizeAll(store, 'virtualNetworkGateway'),
    virtualHubs: finalizeAll(store, 'virtualHub'),
    virtualWans: finalizeAll(store, 'virtualWan'),
    ipGroups: finalizeAll(store, 'ipGroup'),
    privateEndpoints,
    privateDnsZones: finalizeAll(store, 'privateDnsZone'),
  };
}
