/**
 * One pass over a NetworkModel that builds every lookup the resolver needs, so no step of the
 * resolver scans the model again (the bench estate has 100,000 NICs). A reference to a resource
 * that is not in the model becomes a `missing-reference` gap here, once, never a crash.
 */
import type { Gap } from './gaps';
import { Ipv4Set } from './ip-set';
import { isNetworkInterfaceId, parentResourceId } from './ids';
import type { ResourceId } from './ids';
import type {
  AzureFirewall, FirewallPolicy, FirewallRule, HubVirtualNetworkConnection, LoadBalancer, LoadBalancerBackendPool,
  LoadBalancerFrontend, NatGateway, NetworkInterface, NetworkModel, NetworkSecurityGroup, NicIpConfiguration,
  PublicIpAddress, PublicIpPrefix, RouteTable, SecurityRule, Subnet, VirtualHub, VirtualNetwork, VirtualNetworkGateway,
  VirtualNetworkPeering, VirtualWan, IpGroup, PrivateDnsZone, PrivateDnsZoneLink, PrivateEndpoint,
} from './topology';

/** Who answers for a private IP used as a `VirtualAppliance` next hop [UDR]. */
export type PrivateIpOwner =
  | { readonly kind: 'azure-firewall'; readonly firewall: AzureFirewall }
  | { readonly kind: 'nic'; readonly nic: NetworkInterface; readonly ipConfiguration: NicIpConfiguration }
  | { readonly kind: 'internal-load-balancer'; readonly loadBalancer: LoadBalancer; readonly frontend: LoadBalancerFrontend };

export interface NicIpConfigurationRef {
  readonly nic: NetworkInterface;
  readonly ipConfiguration: NicIpConfiguration;
}

export interface BackendPoolRef {
  readonly loadBalancer: LoadBalancer;
  readonly pool: LoadBalancerBackendPool;
}

/** A peering seen from the VNet that owns it. */
export interface PeeringRef {
  readonly localVirtualNetwork: VirtualNetwork;
  readonly peering: VirtualNetworkPeering;
}

export interface HubConnectionRef {
  readonly hub: VirtualHub;
  readonly connection: HubVirtualNetworkConnection;
}

/** What a public IP is attached to, resolved from the attaching side. */
export type PublicIpAttachment =
  | { readonly kind: 'nic'; readonly nic: NetworkInterface; readonly ipConfiguration: NicIpConfiguration }
  | { readonly kind: 'nat-gateway'; readonly natGateway: NatGateway }
  | { readonly kind: 'load-balancer'; readonly loadBalancer: LoadBalancer; readonly frontend: LoadBalancerFrontend }
  | { readonly kind: 'azure-firewall'; readonly firewall: AzureFirewall }
  | { readonly kind: 'virtual-network-gateway'; readonly gateway: VirtualNetworkGateway };

/** A private DNS zone's link to a VNet, seen from the VNet. */
export interface PrivateDnsZoneLinkRef {
  readonly zone: PrivateDnsZone;
  readonly link: PrivateDnsZoneLink;
}

export interface ModelIndex {
  readonly model: NetworkModel;
  readonly virtualNetworks: ReadonlyMap<ResourceId, VirtualNetwork>;
  readonly subnets: ReadonlyMap<ResourceId, Subnet>;
  readonly routeTables: ReadonlyMap<ResourceId, RouteTable>;
  readonly natGateways: ReadonlyMap<ResourceId, NatGateway>;
  readonly publicIpAddresses: ReadonlyMap<ResourceId, PublicIpAddress>;
  readonly publicIpPrefixes: ReadonlyMap<ResourceId, PublicIpPrefix>;
  readonly networkInterfaces: ReadonlyMap<ResourceId, NetworkInterface>;
  readonly azureFirewalls: ReadonlyMap<ResourceId, AzureFirewall>;
  readonly firewallPolicies: ReadonlyMap<ResourceId, FirewallPolicy>;
  readonly networkSecurityGroups: ReadonlyMap<ResourceId, NetworkSecurityGroup>;
  readonly loadBalancers: ReadonlyMap<ResourceId, LoadBalancer>;
  readonly virtualNetworkGateways: ReadonlyMap<ResourceId, VirtualNetworkGateway>;
  readonly virtualHubs: ReadonlyMap<ResourceId, VirtualHub>;
  readonly virtualWans: ReadonlyMap<ResourceId, VirtualWan>;
  /** IP groups referenced by firewall rules (a rule naming one that is absent cannot be decided). */
  readonly ipGroups: ReadonlyMap<ResourceId, IpGroup>;
  readonly privateEndpoints: ReadonlyMap<ResourceId, PrivateEndpoint>;
  readonly privateDnsZones: ReadonlyMap<ResourceId, PrivateDnsZone>;
  /** Private endpoint → the NICs that name it (`privateEndpoint.id` on the NIC); found in the NIC pass. */
  readonly privateEndpointNics: ReadonlyMap<ResourceId, readonly NetworkInterface[]>;
  /** VNet → the private endpoints whose subnet is in it (each endpoint adds a /32 route there and in peered VNets [PENP]). */
  readonly privateEndpointsByVirtualNetwork: ReadonlyMap<ResourceId, readonly PrivateEndpoint[]>;
  /** VNet → the private DNS zones linked to it, sorted by zone ID (Azure-provided DNS answers from these [PEDNS]). */
  readonly privateDnsZoneLinks: ReadonlyMap<ResourceId, readonly PrivateDnsZoneLinkRef[]>;
  /** Subnet → its VNet (from `subnet.virtualNetworkId`, else the VNet that lists it). */
  readonly subnetVirtualNetwork: ReadonlyMap<ResourceId, VirtualNetwork>;
  /** Subnet → NICs with an IP configuration in it (a NIC is listed under the subnet of its primary configuration). */
  readonly subnetNics: ReadonlyMap<ResourceId, readonly NetworkInterface[]>;
  /**
   * Subnet → the NICs whose egress may differ from the subnet's own: a public IP, a load balancer
   * pool, a NIC NSG, Flexible-VMSS membership, membership of an application security group that the
   * subnet's NSG references [ASG], a private IP that an outbound rule of the subnet's NSG names
   * while covering only part of the subnet [NSG], a sibling NIC (same VM) with a public IP or in
   * a load balancer backend pool [DOA], a sibling NIC the VM lists that the input lacks, or a public
   * IP whose `ipConfiguration` names one of its configurations that does not name it.
   * Found in the same pass, so the resolver never touches the (many) plain NICs.
   */
  readonly subnetNicsWithOwnEgress: ReadonlyMap<ResourceId, readonly NetworkInterface[]>;
  /** A NIC IP configuration by ID (through its parent NIC: no per-configuration map is kept). */
  readonly ipConfiguration: (id: ResourceId) => NicIpConfigurationRef | undefined;
  /**
   * Who owns a private IP in a VNet: Azure Firewall, internal LB frontend, or NIC (platform-owned
   * addresses win over a NIC claiming the same IP). Private IPs repeat across VNets, so the VNet is
   * part of the question. Built lazily per VNet: only VNets that hold next hops pay for it.
   */
  readonly privateIpOwner: (virtualNetworkId: ResourceId, ip: string) => PrivateIpOwner | undefined;
  readonly publicIpAttachments: ReadonlyMap<ResourceId, PublicIpAttachment>;
  readonly backendPools: ReadonlyMap<ResourceId, BackendPoolRef>;
  /**
   * NIC IP configuration IDs in a backend pool, from both sides: the LB pool's
   * `backendIPConfigurations` (and `loadBalancerBackendAddresses[].networkInterfaceIPConfiguration`)
   * and the NICs' `ipConfigurations[].loadBalancerBackendAddressPools`. ARM keeps the two in step,
   * but an import may carry only one side (NICs without their LB, or an LB listed on its own), so
   * membership is the union. Sorted, no duplicates; empty for an unknown pool.
   */
  readonly poolMembers: (poolId: ResourceId) => readonly ResourceId[];
  /** The backend pools (in the model) an IP configuration is a member of, from either side; sorted by pool ID. */
  readonly poolsOfIpConfiguration: (ipConfiguration: NicIpConfiguration) => readonly BackendPoolRef[];
  /** Frontend IP configuration ID → its load balancer and frontend. */
  readonly frontends: ReadonlyMap<ResourceId, { readonly loadBalancer: LoadBalancer; readonly frontend: LoadBalancerFrontend }>;
  /** VNet → peerings it owns; VNet → peerings other VNets own that point at it. */
  readonly peerings: ReadonlyMap<ResourceId, readonly PeeringRef[]>;
  readonly inboundPeerings: ReadonlyMap<ResourceId, readonly PeeringRef[]>;
  readonly hubConnections: ReadonlyMap<ResourceId, HubConnectionRef>;
  /**
   * Hubs whose VNet connections could not be read (VirtualHub.connectionsRead false), so a VNet not
   * in `hubConnections` may be one of their spokes. Empty nearly always.
   */
  readonly hubsWithUnreadConnections: readonly VirtualHub[];
  readonly gateways: ReadonlyMap<ResourceId, readonly VirtualNetworkGateway[]>;
  /** NAT gateway → subnets that reference it (`subnet.natGatewayId` is authoritative). */
  readonly natGatewaySubnets: ReadonlyMap<ResourceId, readonly ResourceId[]>;
  /**
   * Subnet whose own record names no NAT gateway → the NAT gateways whose `subnets` back-reference
   * lists it anyway (documents read at different times, or an api-version without the field): the
   * two records disagree on whether "NAT gateway takes precedence" for it [NATOV]. A subnet naming a
   * NAT gateway is decided by its own record, whatever the gateway lists. A gateway associated with
   * the subnet's whole virtual network (the VNet's `defaultPublicNatGateway`, or its own
   * `sourceVirtualNetwork` naming the VNet: StandardV2) is not listed here: it names the subnets of
   * that VNet without any subnet naming it, so nothing disagrees (see virtualNetworkNatGateways).
   * Empty nearly always.
   */
  readonly natGatewaysListingSubnet: ReadonlyMap<ResourceId, readonly NatGateway[]>;
  /**
   * Virtual network → the NAT gateways whose `sourceVirtualNetwork` names it (StandardV2, associated
   * with the whole VNet), for a VNet whose own record names no `defaultPublicNatGateway` (an older
   * api-version): the same virtual-network-level association. Empty nearly always.
   */
  readonly virtualNetworkNatGateways: ReadonlyMap<ResourceId, readonly NatGateway[]>;
  /**
   * NIC IP configuration → the public IPs whose `ipConfiguration` back-reference names it while the
   * configuration's own record names another public IP or none (documents read at different times).
   * The NIC has its own entry then (subnetNicsWithOwnEgress). Empty nearly always.
   */
  readonly publicIpsDisagreeingWith: ReadonlyMap<ResourceId, readonly PublicIpAddress[]>;
  /**
   * NIC (in the input) → the public IPs whose `ipConfiguration` back-reference names an IP
   * configuration of it that the NIC's own record does not list at all (documents read at different
   * times: the configuration was added, or removed, between the two exports). The NIC has its own
   * entry then (subnetNicsWithOwnEgress). Empty nearly always.
   */
  readonly publicIpsNamingUnlistedConfig: ReadonlyMap<ResourceId, readonly PublicIpAddress[]>;
  /**
   * VM → its NICs, for VMs whose document names an availability set (NetworkInterface.availabilitySet):
   * which VMs of a set the input shows in a backend pool [LBRULES]. Only those NICs.
   */
  readonly availabilitySetVmNics: ReadonlyMap<ResourceId, readonly NetworkInterface[]>;
  /**
   * VM → its NICs that have a public IP ("one NIC with a public IP stops default outbound for the
   * whole VM" [DOA]). Only those NICs: a map of every VM's NICs would cost 100,000 entries for a rare case.
   */
  readonly vmNicsWithPublicIp: ReadonlyMap<ResourceId, readonly NetworkInterface[]>;
  /**
   * VM → its NICs with an IP configuration in a load balancer backend pool (from either side):
   * "the VM is placed in the back-end pool of a standard load balancer" ends default outbound access
   * for the whole VM [DOA]. Only those NICs, as for public IPs.
   */
  readonly vmNicsInBackendPool: ReadonlyMap<ResourceId, readonly NetworkInterface[]>;
  /**
   * VM → its NICs that a public IP's `ipConfiguration` names while the NIC's own record does not give
   * that configuration the public IP (publicIpsDisagreeingWith, publicIpsNamingUnlistedConfig): whether
   * the VM has a public IP, which turns default outbound access off for all its NICs [DOA], depends on
   * which record is current. Only those NICs. Empty nearly always.
   */
  readonly vmNicsWithDisputedPublicIp: ReadonlyMap<ResourceId, readonly NetworkInterface[]>;
  readonly gaps: readonly Gap[];
}

/**
 * Whether a NIC's `defaultOutboundConnectivityEnabled` disagrees with its subnet's setting (a change
 * of the subnet reaches the NIC only when its VM is stopped and deallocated [DOA]): the NIC then
 * answers for itself. Delegated subnets are managed by their service, whatever the NIC says.
 */
/**
 * Whether a NIC's default outbound flag speaks of a VM's traffic: a private endpoint's NIC (which
 * initiates nothing) and a NIC attached to no VM print `false` as their normal state.
 */
export function sendsAsVm(nic: NetworkInterface): boolean {
  return nic.virtualMachineId !== null && !nic.privateEndpointId;
}

function defaultOutboundDiffers(allocated: boolean, subnet: Subnet | undefined): boolean {
  if (!subnet || subnet.delegations.length > 0) return false;
  // Not allocated is what a NIC behind its subnet's NAT gateway usually says: nothing differs there.
  if (!allocated) return subnet.defaultOutboundAccess !== false && subnet.natGatewayId === null;
  return subnet.defaultOutboundAccess === false;
}

function byId<T extends { readonly id: ResourceId }>(items: readonly T[]): Map<ResourceId, T> {
  const map = new Map<ResourceId, T>();
  for (const item of items) map.set(item.id, item);
  return map;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `*`, `Any` and `VirtualNetwork` as a source cover every source in a VNet. */
function isAnyVnetSource(entry: string): boolean {
  const lower = entry.trim().toLowerCase();
  return lower === '*' || lower === 'any' || lower === 'virtualnetwork' || lower === 'virtual_network';
}

/** An outbound rule that selects its sources by address (not `*` / VirtualNetwork, not ASGs). */
function namesSourceAddresses(rule: SecurityRule): boolean {
  return rule.direction === 'Outbound' && (rule.sourceApplicationSecurityGroupIds?.length ?? 0) === 0
    && rule.sourceAddressPrefixes.length > 0 && !rule.sourceAddressPrefixes.some(isAnyVnetSource);
}

/** The IPv4 addresses a rule's source prefixes name (union: an augmented rule matches any of them [NSG]). */
function sourcePrefixSet(prefixes: readonly string[]): Ipv4Set {
  let set = Ipv4Set.empty();
  for (const raw of prefixes) {
    const entry = raw.trim();
    set = set.union((entry.includes('-') ? Ipv4Set.tryFromRange(entry) : Ipv4Set.tryFromCidr(entry)) ?? Ipv4Set.empty());
  }
  return set;
}

/** Whether a NIC's private IP is among the addresses partial source rules name (parsed only when there are some). */
function namedByPartialSourceRule(named: Ipv4Set | null, privateIp: string | null | undefined): boolean {
  return named !== null && !!privateIp && named.contains(privateIp.trim());
}

/** Builds every lookup once. Never throws on dangling references; they become gaps. */
export function buildModelIndex(model: NetworkModel): ModelIndex {
  const gaps: Gap[] = [];
  const missing = (scope: ResourceId, target: ResourceId, what: string): void => {
    gaps.push({ code: 'missing-reference', scope, message: `${what} ${target} is referenced but not in the snapshot (out of scope or not readable).` });
  };
  const virtualNetworks = byId(model.virtualNetworks);
  const subnets = byId(model.subnets);
  const routeTables = byId(model.routeTables);
  const natGateways = byId(model.natGateways);
  const publicIpAddresses = byId(model.publicIpAddresses);
  const publicIpPrefixes = byId(model.publicIpPrefixes);
  // The largest map (100,000 NICs at bench scale) and rarely needed on the hot path: built on first use.
  let networkInterfaces: Map<ResourceId, NetworkInterface> | null = null;
  const nicsById = (): Map<ResourceId, NetworkInterface> => (networkInterfaces ??= byId(model.networkInterfaces));
  const azureFirewalls = byId(model.azureFirewalls);
  const firewallPolicies = byId(model.firewallPolicies);
  const networkSecurityGroups = byId(model.networkSecurityGroups);
  const loadBalancers = byId(model.loadBalancers);
  const virtualNetworkGateways = byId(model.virtualNetworkGateways);
  const virtualHubs = byId(model.virtualHubs);
  const virtualWans = byId(model.virtualWans);
  const ipGroups = byId(model.ipGroups);
  // Older models (built before private endpoints were modelled) may lack the lists.
  const privateEndpointList: readonly PrivateEndpoint[] = model.privateEndpoints ?? [];
  const privateDnsZoneList: readonly PrivateDnsZone[] = model.privateDnsZones ?? [];
  const privateEndpoints = byId(privateEndpointList);
  const privateDnsZones = byId(privateDnsZoneList);

  const subnetVirtualNetwork = new Map<ResourceId, VirtualNetwork>();
  // Only when a subnet's own virtualNetworkId is unknown: the VNet that lists it, if any.
  let listedIn: Map<ResourceId, VirtualNetwork> | null = null;
  const listingVnet = (subnetId: ResourceId): VirtualNetwork | undefined => {
    if (!listedIn) {
      listedIn = new Map<ResourceId, VirtualNetwork>();
      for (const vnet of model.virtualNetworks) for (const id of vnet.subnetIds) listedIn.set(id, vnet);
    }
    return listedIn.get(subnetId);
  };
  const natGatewaySubnets = new Map<ResourceId, ResourceId[]>();
  for (const subnet of model.subnets) {
    const vnet = virtualNetworks.get(subnet.virtualNetworkId) ?? listingVnet(subnet.id);
    if (vnet) subnetVirtualNetwork.set(subnet.id, vnet);
    else missing(subnet.id, subnet.virtualNetworkId, 'Virtual network');
    if (subnet.routeTableId && !routeTables.has(subnet.routeTableId)) missing(subnet.id, subnet.routeTableId, 'Route table');
    if (subnet.natGatewayId) {
      if (!natGateways.has(subnet.natGatewayId)) missing(subnet.id, subnet.natGatewayId, 'NAT gateway');
      push(natGatewaySubnets, subnet.natGatewayId, subnet.id);
    }
    if (subnet.networkSecurityGroupId && !networkSecurityGroups.has(subnet.networkSecurityGroupId)) {
      missing(subnet.id, subnet.networkSecurityGroupId, 'Network security group');
    }
  }

  // NAT gateways listing a subnet whose record names none (see natGatewaysListingSubnet).
  // A gateway on the subnet's whole virtual network lists it by that association, not because a
  // record is stale: left to the virtual-network-level check (see virtualNetworkNatGateways).
  const natGatewaysListingSubnet = new Map<ResourceId, NatGateway[]>();
  const virtualNetworkNatGateways = new Map<ResourceId, NatGateway[]>();
  for (const natGateway of model.natGateways) {
    const source = natGateway.sourceVirtualNetworkId;
    if (source) push(virtualNetworkNatGateways, source, natGateway);
    for (const subnetId of natGateway.subnetIds) {
      const subnet = subnets.get(subnetId);
      if (!subnet || subnet.natGatewayId !== null) continue;
      const vnet = subnetVirtualNetwork.get(subnetId);
      const onVnet = (source !== undefined && (source === subnet.virtualNetworkId || source === vnet?.id)) || (vnet !== undefined && vnet.defaultPublicNatGatewayId === natGateway.id);
      if (!onVnet) push(natGatewaysListingSubnet, subnetId, natGateway);
    }
  }

  // Public IPs whose `ipConfiguration` names a NIC IP configuration, by configuration: compared
  // with the configuration's own record in the NIC loop (see publicIpsDisagreeingWith).
  // By NIC too: a configuration the NIC's record does not list at all is never met in that loop.
  const publicIpsNamingNicConfig = new Map<ResourceId, PublicIpAddress[]>();
  const publicIpsNamingNic = new Map<ResourceId, PublicIpAddress[]>();
  for (const pip of model.publicIpAddresses) {
    if (pip.ipConfigurationId === null) continue;
    const nicId = parentResourceId(pip.ipConfigurationId);
    if (!isNetworkInterfaceId(nicId)) continue;
    push(publicIpsNamingNicConfig, pip.ipConfigurationId, pip);
    push(publicIpsNamingNic, nicId, pip);
  }
  const publicIpsDisagreeingWith = new Map<ResourceId, PublicIpAddress[]>();
  const publicIpsNamingUnlistedConfig = new Map<ResourceId, PublicIpAddress[]>();

  const publicIpAttachments = new Map<ResourceId, PublicIpAttachment>();
  const attach = (pipId: ResourceId | null, owner: ResourceId, attachment: PublicIpAttachment): void => {
    if (!pipId) return;
    if (!publicIpAddresses.has(pipId)) missing(owner, pipId, 'Public IP address');
    publicIpAttachments.set(pipId, attachment);
  };

  // Platform-owned private IPs (firewalls, ILB frontends) per VNet; NIC IPs are added lazily.
  const platformOwners = new Map<ResourceId, Map<string, PrivateIpOwner>>();
  const ownIp = (subnetId: ResourceId | null, ip: string | null, owner: PrivateIpOwner): void => {
    if (!subnetId || !ip) return;
    const vnet = subnetVirtualNetwork.get(subnetId);
    if (!vnet) return;
    const owners = platformOwners.get(vnet.id) ?? new Map<string, PrivateIpOwner>();
    owners.set(ip.trim(), owner);
    platformOwners.set(vnet.id, owners);
  };

  // Pool membership the LB side lists (few entries: only pool members), needed by the NIC loop below
  // to flag NICs whose membership only the LB records.
  const lbListedPools = new Map<ResourceId, ResourceId[]>();
  for (const loadBalancer of model.loadBalancers) {
    for (const pool of loadBalancer.backendAddressPools) {
      for (const configId of pool.backendIpConfigurationIds) push(lbListedPools, configId, pool.id);
    }
  }
  // Pool → members the NIC side lists (only NICs in a pool pay for an entry).
  const nicListedMembers = new Map<ResourceId, ResourceId[]>();

  /**
   * NSG rules naming an application security group apply only to member NICs [ASG], so a member of
   * an ASG that its subnet's NSG references can be allowed or denied where the subnet entry (a NIC
   * in no ASG) is not: it gets its own entry. (A NIC with its own NSG is listed anyway.)
   * https://learn.microsoft.com/azure/virtual-network/application-security-groups
   */
  const nsgAsgRefs = new Map<ResourceId, ReadonlySet<ResourceId>>();
  const asgsReferencedBy = (nsgId: ResourceId): ReadonlySet<ResourceId> => {
    let refs = nsgAsgRefs.get(nsgId);
    if (!refs) {
      const ids = new Set<ResourceId>();
      for (const rule of networkSecurityGroups.get(nsgId)?.securityRules ?? []) {
        for (const id of rule.sourceApplicationSecurityGroupIds ?? []) ids.add(id);
        for (const id of rule.destinationApplicationSecurityGroupIds ?? []) ids.add(id);
      }
      refs = ids;
      nsgAsgRefs.set(nsgId, refs);
    }
    return refs;
  };
  const inAsgReferencedBySubnetNsg = (nic: NetworkInterface, subnetId: ResourceId): boolean => {
    // Memberships first: most NICs have none, and then the subnet lookup is not needed.
    let nsgId: ResourceId | null | undefined;
    for (const config of nic.ipConfigurations) {
      const memberships = config.applicationSecurityGroupIds;
      if (!memberships || memberships.length === 0) continue;
      nsgId ??= subnets.get(subnetId)?.networkSecurityGroupId ?? null;
      if (!nsgId) return false;
      const refs = asgsReferencedBy(nsgId);
      if (memberships.some((id) => refs.has(id))) return true;
    }
    return false;
  };

  /**
   * Security rules match on the packet's source address (five-tuple) [NSG]
   * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules
   * An outbound rule whose source prefixes cover part of a subnet decides for some of its VMs and
   * not others, so the subnet entry cannot answer for the VMs it names (the resolver says unknown
   * there): a NIC whose private IP such a rule of its subnet's NSG names gets its own entry. Per
   * subnet on first use: the subnet addresses those rules name, or null (nearly every subnet).
   * Prefixes are read as the NSG evaluator reads them (`*`, `Any`, `VirtualNetwork`: every VNet
   * source; CIDRs, addresses, `a-b` ranges; other tags: no VNet source).
   */
  const prefixSourceRules = model.networkSecurityGroups.some((nsg) => nsg.securityRules.some(namesSourceAddresses));
  const partialSourceBySubnet = new Map<ResourceId, Ipv4Set | null>();
  const partialSourceAddresses = (subnetId: ResourceId): Ipv4Set | null => {
    let named = partialSourceBySubnet.get(subnetId);
    if (named === undefined) {
      named = null;
      const subnet = subnets.get(subnetId);
      const nsg = subnet?.networkSecurityGroupId ? networkSecurityGroups.get(subnet.networkSecurityGroupId) : undefined;
      if (subnet && nsg) {
        const own = subnet.addressPrefixes.reduce((set, p) => set.union(Ipv4Set.tryFromCidr(p) ?? Ipv4Set.empty()), Ipv4Set.empty());
        let found = Ipv4Set.empty();
        for (const rule of nsg.securityRules) {
          if (!namesSourceAddresses(rule)) continue;
          const covered = sourcePrefixSet(rule.sourceAddressPrefixes).intersect(own);
          if (!covered.isEmpty() && !covered.equals(own)) found = found.union(covered);
        }
        named = found.isEmpty() ? null : found;
      }
      partialSourceBySubnet.set(subnetId, named);
    }
    return named;
  };

  const subnetNics = new Map<ResourceId, NetworkInterface[]>();
  const subnetNicsWithOwnEgress = new Map<ResourceId, NetworkInterface[]>();
  const vmNicsWithPublicIp = new Map<ResourceId, NetworkInterface[]>();
  const vmNicsInBackendPool = new Map<ResourceId, NetworkInterface[]>();
  const privateEndpointNics = new Map<ResourceId, NetworkInterface[]>();
  const availabilitySetVmNics = new Map<ResourceId, NetworkInterface[]>();
  const vmNicsWithDisputedPublicIp = new Map<ResourceId, NetworkInterface[]>();
  // The hot loop at estate scale (100,000 NICs): one pass, no allocation for plain NICs.
  for (const nic of model.networkInterfaces) {
    let primaryConfig = nic.ipConfigurations[0];
    let hasPublicIp = false;
    let inPool = false;
    let publicIpDisagrees = false;
    for (const ipConfiguration of nic.ipConfigurations) {
      if (ipConfiguration.primary && !primaryConfig?.primary) primaryConfig = ipConfiguration;
      // Most configurations have no public IP naming them: no allocation for them.
      const naming = publicIpsNamingNicConfig.get(ipConfiguration.id);
      if (naming !== undefined) {
        const disagreeing = naming.filter((pip) => pip.id !== ipConfiguration.publicIpAddressId);
        if (disagreeing.length > 0) {
          publicIpsDisagreeingWith.set(ipConfiguration.id, disagreeing);
          publicIpDisagrees = true;
        }
      }
      if (ipConfiguration.publicIpAddressId) {
        hasPublicIp = true;
        attach(ipConfiguration.publicIpAddressId, nic.id, { kind: 'nic', nic, ipConfiguration });
      }
      if (ipConfiguration.loadBalancerBackendAddressPoolIds.length > 0) {
        inPool = true;
        for (const poolId of ipConfiguration.loadBalancerBackendAddressPoolIds) push(nicListedMembers, poolId, ipConfiguration.id);
      }
      if (lbListedPools.size > 0 && lbListedPools.has(ipConfiguration.id)) inPool = true;
      if (ipConfiguration !== nic.ipConfigurations[0] && ipConfiguration.subnetId && !subnets.has(ipConfiguration.subnetId)) {
        missing(nic.id, ipConfiguration.subnetId, 'Subnet');
      }
    }
    const namingNic = publicIpsNamingNic.get(nic.id);
    if (namingNic !== undefined) {
      const unlisted = namingNic.filter((pip) => !nic.ipConfigurations.some((c) => c.id === pip.ipConfigurationId));
      if (unlisted.length > 0) {
        publicIpsNamingUnlistedConfig.set(nic.id, unlisted);
        publicIpDisagrees = true;
      }
    }
    const subnetId = primaryConfig?.subnetId;
    if (subnetId) push(subnetNics, subnetId, nic);
    if (nic.networkSecurityGroupId !== null && !networkSecurityGroups.has(nic.networkSecurityGroupId)) {
      missing(nic.id, nic.networkSecurityGroupId, 'Network security group');
    }
    if (hasPublicIp && nic.virtualMachineId) push(vmNicsWithPublicIp, nic.virtualMachineId, nic);
    if (inPool && nic.virtualMachineId) push(vmNicsInBackendPool, nic.virtualMachineId, nic);
    if (publicIpDisagrees && nic.virtualMachineId) push(vmNicsWithDisputedPublicIp, nic.virtualMachineId, nic);
    if (nic.privateEndpointId) push(privateEndpointNics, nic.privateEndpointId, nic);
    if (nic.availabilitySet && nic.virtualMachineId) push(availabilitySetVmNics, nic.virtualMachineId, nic);
    if (subnetId && (hasPublicIp || inPool || publicIpDisagrees || nic.networkSecurityGroupId !== null || nic.flexibleScaleSetMember || nic.missingSiblingNicIds !== undefined
      || (nic.defaultOutboundConnectivityEnabled !== undefined && sendsAsVm(nic) && defaultOutboundDiffers(nic.defaultOutboundConnectivityEnabled, subnets.get(subnetId)))
      || inAsgReferencedBySubnetNsg(nic, subnetId)
      || (prefixSourceRules && namedByPartialSourceRule(partialSourceAddresses(subnetId), primaryConfig?.privateIpAddress)))) {
      push(subnetNicsWithOwnEgress, subnetId, nic);
    }
  }
  // Dangling subnet references of first IP configurations, checked once per distinct subnet.
  for (const [subnetId, nics] of subnetNics) {
    if (subnets.has(subnetId)) continue;
    for (const nic of nics) if (nic.ipConfigurations[0]?.subnetId === subnetId) missing(nic.id, subnetId, 'Subnet');
  }

  if (vmNicsWithPublicIp.size > 0 || vmNicsInBackendPool.size > 0 || vmNicsWithDisputedPublicIp.size > 0) {
    // A NIC whose VM has another NIC with a public IP or in a load balancer pool loses default
    // outbound access: it differs too (and may, when records disagree on another NIC's public IP).
    for (const nic of model.networkInterfaces) {
      const vmId = nic.virtualMachineId;
      if (!vmId || !(vmNicsWithPublicIp.has(vmId) || vmNicsInBackendPool.has(vmId) || vmNicsWithDisputedPublicIp.has(vmId))) continue;
      const subnetId = (nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0])?.subnetId;
      const list = subnetId ? subnetNicsWithOwnEgress.get(subnetId) : undefined;
      if (subnetId && !list?.includes(nic)) push(subnetNicsWithOwnEgress, subnetId, nic);
    }
  }

  for (const natGateway of model.natGateways) {
    for (const pipId of natGateway.publicIpAddressIds) attach(pipId, natGateway.id, { kind: 'nat-gateway', natGateway });
    for (const prefixId of natGateway.publicIpPrefixIds) {
      if (!publicIpPrefixes.has(prefixId)) missing(natGateway.id, prefixId, 'Public IP prefix');
    }
  }

  const backendPools = new Map<ResourceId, BackendPoolRef>();
  const frontends = new Map<ResourceId, { loadBalancer: LoadBalancer; frontend: LoadBalancerFrontend }>();
  for (const loadBalancer of model.loadBalancers) {
    for (const pool of loadBalancer.backendAddressPools) backendPools.set(pool.id, { loadBalancer, pool });
    for (const frontend of loadBalancer.frontendIpConfigurations) {
      frontends.set(frontend.id, { loadBalancer, frontend });
      attach(frontend.publicIpAddressId, loadBalancer.id, { kind: 'load-balancer', loadBalancer, frontend });
      // As for a NAT gateway's prefixes: the frontend's addresses and SNAT ports come from a prefix the input lacks.
      if (frontend.publicIpPrefixId && !publicIpPrefixes.has(frontend.publicIpPrefixId)) missing(loadBalancer.id, frontend.publicIpPrefixId, 'Public IP prefix');
      ownIp(frontend.subnetId, frontend.privateIpAddress, { kind: 'internal-load-balancer', loadBalancer, frontend });
    }
  }

  /** IP groups named by firewall rules but absent: once per firewall / policy and group. */
  const missingIpGroups = (owner: ResourceId, rules: readonly FirewallRule[]): void => {
    const seen = new Set<ResourceId>();
    for (const rule of rules) {
      for (const groupId of rule.kind === 'network' ? [...rule.sourceIpGroupIds, ...rule.destinationIpGroupIds] : rule.sourceIpGroupIds) {
        if (seen.has(groupId)) continue;
        const group = ipGroups.get(groupId);
        if (!group) {
          seen.add(groupId);
          missing(owner, groupId, 'IP group');
        } else if (group.ipAddressesCaptured === false) {
          // In the input without its addresses (a stub): rules naming it cannot be decided either.
          seen.add(groupId);
          gaps.push({ code: 'missing-reference', scope: owner, message: `IP group ${groupId} is in the snapshot without its addresses (ipAddresses), so rules naming it cannot be decided.` });
        }
      }
    }
  };
  for (const firewall of model.azureFirewalls) {
    for (const config of firewall.ipConfigurations) {
      attach(config.publicIpAddressId, firewall.id, { kind: 'azure-firewall', firewall });
      ownIp(config.subnetId, config.privateIpAddress, { kind: 'azure-firewall', firewall });
    }
    if (firewall.managementIpConfiguration) {
      attach(firewall.managementIpConfiguration.publicIpAddressId, firewall.id, { kind: 'azure-firewall', firewall });
    }
    if (firewall.firewallPolicyId && !firewallPolicies.has(firewall.firewallPolicyId)) {
      missing(firewall.id, firewall.firewallPolicyId, 'Firewall policy');
    }
    missingIpGroups(firewall.id, firewall.rules);
  }
  for (const policy of model.firewallPolicies) missingIpGroups(policy.id, policy.rules);

  const gateways = new Map<ResourceId, VirtualNetworkGateway[]>();
  for (const gateway of model.virtualNetworkGateways) {
    if (gateway.virtualNetworkId) push(gateways, gateway.virtualNetworkId, gateway);
    for (const pipId of gateway.publicIpAddressIds) attach(pipId, gateway.id, { kind: 'virtual-network-gateway', gateway });
  }

  const peerings = new Map<ResourceId, PeeringRef[]>();
  const inboundPeerings = new Map<ResourceId, PeeringRef[]>();
  for (const vnet of model.virtualNetworks) {
    for (const peering of vnet.peerings) {
      push(peerings, vnet.id, { localVirtualNetwork: vnet, peering });
      if (peering.remoteVirtualNetworkId) push(inboundPeerings, peering.remoteVirtualNetworkId, { localVirtualNetwork: vnet, peering });
    }
  }

  const hubConnections = new Map<ResourceId, HubConnectionRef>();
  const hubsWithUnreadConnections: VirtualHub[] = [];
  for (const hub of model.virtualHubs) {
    if (hub.connectionsRead === false) hubsWithUnreadConnections.push(hub);
    for (const connection of hub.connections) {
      if (connection.remoteVirtualNetworkId) hubConnections.set(connection.remoteVirtualNetworkId, { hub, connection });
    }
    if (hub.azureFirewallId && !azureFirewalls.has(hub.azureFirewallId)) missing(hub.id, hub.azureFirewallId, 'Azure Firewall');
  }

  const privateEndpointsByVirtualNetwork = new Map<ResourceId, PrivateEndpoint[]>();
  for (const endpoint of privateEndpointList) {
    // The endpoint's subnet, else the subnet of a NIC that names it.
    const subnetId = endpoint.subnetId ?? privateEndpointNics.get(endpoint.id)?.[0]?.ipConfigurations[0]?.subnetId ?? null;
    if (!subnetId) continue;
    if (!subnets.has(subnetId)) missing(endpoint.id, subnetId, 'Subnet');
    // A subnet out of scope still names its VNet (the parent of its ID).
    push(privateEndpointsByVirtualNetwork, subnetVirtualNetwork.get(subnetId)?.id ?? parentResourceId(subnetId), endpoint);
  }
  const privateDnsZoneLinks = new Map<ResourceId, PrivateDnsZoneLinkRef[]>();
  for (const zone of privateDnsZoneList) {
    for (const link of zone.virtualNetworkLinks) if (link.virtualNetworkId) push(privateDnsZoneLinks, link.virtualNetworkId, { zone, link });
  }

  const ownersByVnet = new Map<ResourceId, Map<string, PrivateIpOwner>>();
  const privateIpOwner = (virtualNetworkId: ResourceId, ip: string): PrivateIpOwner | undefined => {
    let owners = ownersByVnet.get(virtualNetworkId);
    if (!owners) {
      owners = new Map<string, PrivateIpOwner>();
      // All IP configurations of a NIC sit in one VNet, so the NICs listed under its subnets are all of them.
      for (const subnetId of virtualNetworks.get(virtualNetworkId)?.subnetIds ?? []) {
        for (const nic of subnetNics.get(subnetId) ?? []) {
          for (const ipConfiguration of nic.ipConfigurations) {
            if (ipConfiguration.privateIpAddress) owners.set(ipConfiguration.privateIpAddress.trim(), { kind: 'nic', nic, ipConfiguration });
          }
        }
      }
      // A firewall or ILB frontend wins over a NIC claiming the same IP (the platform owns those NICs).
      for (const [address, owner] of platformOwners.get(virtualNetworkId) ?? []) owners.set(address, owner);
      ownersByVnet.set(virtualNetworkId, owners);
    }
    return owners.get(ip.trim());
  };
  const membersByPool = new Map<ResourceId, readonly ResourceId[]>();
  const poolMembers = (poolId: ResourceId): readonly ResourceId[] => {
    let members = membersByPool.get(poolId);
    if (!members) {
      const fromLb = backendPools.get(poolId)?.pool.backendIpConfigurationIds ?? [];
      members = [...new Set([...fromLb, ...(nicListedMembers.get(poolId) ?? [])])].sort();
      membersByPool.set(poolId, members);
    }
    return members;
  };
  const NO_POOLS: readonly BackendPoolRef[] = [];
  const poolsOfIpConfiguration = (config: NicIpConfiguration): readonly BackendPoolRef[] => {
    const fromLb = lbListedPools.get(config.id);
    if (config.loadBalancerBackendAddressPoolIds.length === 0 && !fromLb) return NO_POOLS;
    const ids = [...new Set([...config.loadBalancerBackendAddressPoolIds, ...(fromLb ?? [])])].sort();
    return ids.map((id) => backendPools.get(id)).filter((p): p is BackendPoolRef => p !== undefined);
  };
  const ipConfiguration = (id: ResourceId): NicIpConfigurationRef | undefined => {
    const nic = nicsById().get(parentResourceId(id));
    const config = nic?.ipConfigurations.find((c) => c.id === id);
    return nic && config ? { nic, ipConfiguration: config } : undefined;
  };

  return {
    model, virtualNetworks, subnets, routeTables, natGateways, publicIpAddresses, publicIpPrefixes,
    get networkInterfaces() { return nicsById(); },
    azureFirewalls, firewallPolicies, networkSecurityGroups, loadBalancers,
    virtualNetworkGateways, virtualHubs, virtualWans, ipGroups, subnetVirtualNetwork, subnetNics, subnetNicsWithOwnEgress, ipConfiguration,
    privateIpOwner, publicIpAttachments, backendPools, poolMembers, poolsOfIpConfiguration, frontends, peerings, inboundPeerings, hubConnections, hubsWithUnreadConnections,
    gateways, natGatewaySubnets, natGatewaysListingSubnet, virtualNetworkNatGateways, publicIpsDisagreeingWith, publicIpsNamingUnlistedConfig, availabilitySetVmNics, vmNicsWithPublicIp, vmNicsInBackendPool, vmNicsWithDisputedPublicIp, privateEndpoints, privateDnsZones, privateEndpointNics,
    privateEndpointsByVirtualNetwork, privateDnsZoneLinks, gaps,
  };
}
