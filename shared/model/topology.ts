/**
 * The normalized network model: what `shared/arm` produces from ARM JSON (REST or flattened shape)
 * and what the resolver reads. Plain readonly data, JSON-serializable (it is stored in snapshots).
 * Every reference to another resource is a canonical `ResourceId` (see ids.ts); a reference may
 * point at a resource that is not in the model (out of scope / not readable): resolvers must
 * treat a missing target as a gap, never crash.
 */
import type { ResourceId } from './ids';

// ---------------------------------------------------------------------------------------------
// Closed unions for the free-text ARM values that decide behaviour. ARM and az print them in
// varying casing ("Standard", "standard", "Standard "); shared/model/arm-values.ts parses each once,
// at the boundary (ARM mappers, snapshot loading), case- and space-insensitively. A value Azure may
// add later becomes `'Unknown'`, which every consumer treats conservatively (no SNAT is claimed,
// no route is installed), never a crash.

/** Public IP address / prefix SKU `sku.name`. */
export type PublicIpSku = 'Basic' | 'Standard' | 'StandardV2' | 'Unknown';
/** Load balancer SKU `sku.name`. */
export type LoadBalancerSku = 'Basic' | 'Standard' | 'Gateway' | 'Unknown';
/** NAT gateway SKU `sku.name`. */
export type NatGatewaySku = 'Standard' | 'StandardV2' | 'Unknown';
/** Azure Firewall `sku.name`: in a VNet (AzureFirewallSubnet) or in a secured vWAN hub. */
export type FirewallSkuName = 'AZFW_VNet' | 'AZFW_Hub' | 'Unknown';
/** Azure Firewall `sku.tier`. */
export type FirewallSkuTier = 'Basic' | 'Standard' | 'Premium' | 'Unknown';
/** Virtual network gateway `gatewayType`. */
export type GatewayType = 'Vpn' | 'ExpressRoute' | 'LocalGateway' | 'Unknown';
/** Virtual network gateway `vpnType`. */
export type VpnType = 'RouteBased' | 'PolicyBased' | 'Unknown';
/** Peering `peeringState`: only `Connected` carries traffic. */
export type PeeringState = 'Connected' | 'Initiated' | 'Disconnected' | 'Unknown';
/**
 * Peering `peeringSyncLevel`: whether the peering link carries each side's current address space.
 * After a peered VNet's address space changes, the peering must be synced before the new range is
 * peered: https://learn.microsoft.com/azure/virtual-network/update-virtual-network-peering-address-space
 */
export type PeeringSyncLevel = 'FullyInSync' | 'RemoteNotInSync' | 'LocalNotInSync' | 'LocalAndRemoteNotInSync' | 'Unknown';
/** Load-balancing rule / outbound rule `protocol`. */
export type LoadBalancerProtocol = 'Tcp' | 'Udp' | 'All' | 'Unknown';

export interface ResourceBase {
  readonly id: ResourceId;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** Azure region, when ARM gave one (child resources inherit their parent's). */
  readonly location: string | null;
  /** Resource tags, e.g. `owner`, `costCenter`: every hop has an owner. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface VirtualNetwork extends ResourceBase {
  readonly kind: 'virtualNetwork';
  readonly addressPrefixes: readonly string[];
  readonly subnetIds: readonly ResourceId[];
  readonly peerings: readonly VirtualNetworkPeering[];
  /**
   * `dhcpOptions.dnsServers`: custom DNS servers. Absent or empty = Azure-provided DNS
   * (168.63.129.16), which answers from the private DNS zones linked to this VNet; with custom
   * servers, resolution is whatever those servers do [PEDNS]
   * https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration
   * Optional: older snapshots and inputs without `dhcpOptions` mean Azure-provided DNS.
   */
  readonly dnsServers?: readonly string[];
  /**
   * `defaultPublicNatGateway` (read-only, API 2025+): a NAT gateway associated with the whole
   * virtual network (StandardV2 `sourceVirtualNetwork`). Which of its subnets' traffic it carries
   * is not documented in our sources, so subnets without a NAT gateway of their own are `unknown`
   * where it matters. Absent in older inputs.
   */
  readonly defaultPublicNatGatewayId?: ResourceId;
  /**
   * Hub virtual network connections in the input whose `remoteVirtualNetwork` is this VNet while
   * their virtual hub is not in the input (a hub not exported, in another subscription, or left out
   * as malformed): the VNet is a spoke of a Virtual WAN hub whose routing the input does not hold,
   * and the hub router gives a connected VNet its routes [VWANROUTING]
   * https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
   * Absent = none (and in older snapshots).
   */
  readonly unseenHubConnectionIds?: readonly ResourceId[];
}

export interface VirtualNetworkPeering {
  readonly id: ResourceId;
  readonly name: string;
  readonly remoteVirtualNetworkId: ResourceId | null;
  /**
   * `remoteAddressSpace`: what the peering actually carries. With subnet peering it is only the
   * named remote subnets' ranges; after a remote address-space change it lags until the peering is
   * synced. Empty when the input did not carry it (then the remote VNet's space is assumed).
   */
  readonly remoteAddressPrefixes: readonly string[];
  /** `remoteVirtualNetworkAddressSpace`: the remote VNet's whole current space (null when not given). */
  readonly remoteVirtualNetworkAddressPrefixes: readonly string[] | null;
  readonly allowVirtualNetworkAccess: boolean;
  readonly allowForwardedTraffic: boolean;
  readonly allowGatewayTransit: boolean;
  readonly useRemoteGateways: boolean;
  /** Only `Connected` peerings carry traffic. */
  readonly peeringState: PeeringState;
  /** `Unknown` when the input did not say (older API versions). */
  readonly peeringSyncLevel: PeeringSyncLevel;
  /**
   * `peerCompleteVnets`: false = subnet peering, only `localSubnetNames` ↔ `remoteSubnetNames` are
   * peered (https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering).
   */
  readonly peerCompleteVnets: boolean;
  readonly localSubnetNames: readonly string[];
  readonly remoteSubnetNames: readonly string[];
  /** `enableOnlyIPv6Peering`: only IPv6 ranges are peered (subnet peering option). */
  readonly enableOnlyIPv6Peering: boolean;
  /**
   * Set on a peering that is not in the input: the remote VNet's peering `inferredFrom` back to this
   * VNet says Connected, which Azure shows only while both peerings exist ("deleting the peering
   * from one virtual network ... does not delete the peering from the other virtual network. The
   * peering status for the peering that exists in the other virtual network is Disconnected" [PEERMANAGE]
   * https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering), so this
   * VNet's own peering exists and was not exported. Its state and settings are not known: it is
   * `Unknown`, and its flags are only what the remote side implies (shared/arm/not-exported.ts).
   * Absent = a peering the input holds.
   */
  readonly inferredFrom?: ResourceId;
}

export interface ServiceEndpoint {
  readonly service: string;
  /**
   * The regions whose service prefixes the endpoint's routes carry; `*` = every region [SE]
   * https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
   * Empty = not in the input (an ARM template or a hand-written subnet may give `service` alone;
   * Azure fills them in and az always prints them): a missing fact, never read as every region.
   */
  readonly locations: readonly string[];
  /**
   * `provisioningState` as the input gives it (`Succeeded`, `Failed`, `Updating`, `Deleting`, ...;
   * ServiceEndpointPropertiesFormat in the REST model). Absent: not in the input (az always prints
   * it; hand-written inputs may not), read as in effect. Any other state than Succeeded leaves
   * whether the endpoint's routes are in effect undocumented, so answers that depend on them are unknown.
   */
  readonly provisioningState?: string;
}

export interface Subnet extends ResourceBase {
  readonly kind: 'subnet';
  readonly virtualNetworkId: ResourceId;
  /** `addressPrefix` and `addressPrefixes` merged; IPv4 and IPv6 (dual stack). */
  readonly addressPrefixes: readonly string[];
  readonly routeTableId: ResourceId | null;
  readonly natGatewayId: ResourceId | null;
  readonly networkSecurityGroupId: ResourceId | null;
  /** `false` = private subnet; `true` or `null` (unset) allow default outbound access [DOA]. */
  readonly defaultOutboundAccess: boolean | null;
  /** Delegation service names, e.g. `Microsoft.App/environments`. */
  readonly delegations: readonly string[];
  readonly serviceEndpoints: readonly ServiceEndpoint[];
  /**
   * `serviceEndpointPolicies`: policies that let traffic over the subnet's Storage service endpoint
   * reach only the storage accounts they list; "Access to all other storage accounts will be
   * denied" [SEP] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview
   * Absent (older snapshots, inputs without the property) = none.
   */
  readonly serviceEndpointPolicyIds?: readonly ResourceId[];
  readonly privateEndpointNetworkPolicies: string | null;
  /**
   * `serviceGateway` (API 2025-05-01+): the service gateway the subnet is associated with. Its
   * outbound services name a NAT gateway or load balancer pools (serviceGateway.json in Microsoft's
   * REST specs), so it is one more outbound construct; how it changes the subnet's internet
   * traffic is not documented in our sources. Absent = none.
   */
  readonly serviceGatewayId?: ResourceId;
  /**
   * For a GatewaySubnet: the virtual network gateways whose IP configurations its `ipConfigurations`
   * list (ARM lists every attached IP configuration on the subnet). A gateway named here but absent
   * from the input exists and was not exported: "no gateway" would be a guess. Absent = none listed.
   */
  readonly attachedGatewayIds?: readonly ResourceId[];
  /**
   * The application gateways whose instances the subnet holds (`applicationGatewayIPConfigurations`:
   * a subnet dedicated to Application Gateway). The model does not read application gateways, so
   * what their instances use to reach the internet is not known. Absent = none listed.
   */
  readonly applicationGatewayIds?: readonly ResourceId[];
  /**
   * IP configurations the subnet's own record lists (`ipConfigurations`: "references to the network
   * interface IP configurations using subnet", Subnets - Get) whose owner is not in the input: a NIC
   * exported elsewhere, or a resource type the model does not read (a private link service, a
   * bastion host). One of them may own an address of the subnet that nothing in the input owns, so
   * a next hop there is not known to be unowned; a missing NIC may have a public IP or load balancer
   * membership of its own, so the subnet's entry (a NIC with neither) does not stand for it, and a
   * default outbound (or no outbound) answer for the subnet is not known. Only the count (of IP
   * configurations, whatever their owner) and one owner's ID are kept (20,000 subnets, 100,000 NICs
   * at estate scale): the first missing NIC by ID (Microsoft.Network, or a Uniform scale set
   * instance's `…/virtualMachines/{i}/networkInterfaces/{name}`) when any owner is a NIC, else the
   * first owner, so `firstOwnerId` is a NIC exactly when some missing owner is one
   * (`isNetworkInterfaceId`). A missing NIC that a private endpoint in the input names counts as
   * that endpoint (its ID), not as a NIC: it starts no traffic. Absent = none missing, or no list
   * in the input.
   * https://learn.microsoft.com/rest/api/virtualnetwork/subnets/get
   */
  readonly unreadIpConfigurations?: { readonly count: number; readonly firstOwnerId: ResourceId };
}

export interface Route {
  readonly id: ResourceId;
  readonly name: string;
  /** A CIDR or a service tag (e.g. `AzureCloud.westeurope`). */
  readonly addressPrefix: string;
  /** `VirtualAppliance`, `VirtualNetworkGateway`, `VnetLocal`, `Internet`, `None` (open string: ARM may add values). */
  readonly nextHopType: string;
  readonly nextHopIpAddress: string | null;
  readonly hasBgpOverride: boolean;
}

export interface RouteTable extends ResourceBase {
  readonly kind: 'routeTable';
  readonly routes: readonly Route[];
  /** "Propagate gateway routes = No": gateway (BGP and static) routes are not installed [UDR]. */
  readonly disableBgpRoutePropagation: boolean;
}

export interface NatGateway extends ResourceBase {
  readonly kind: 'natGateway';
  readonly skuName: NatGatewaySku;
  /**
   * Every public IP / prefix of the gateway: ARM's `publicIpAddresses` ("public ip addresses V4")
   * and, on a StandardV2 gateway, `publicIpAddressesV6` ("public ip addresses V6") together, as
   * each bills and belongs to the gateway (Microsoft.Network/natGateways REST schema, 2025-01-01).
   * Which IP version one carries is not in these lists: see the V6 lists below.
   */
  readonly publicIpAddressIds: readonly ResourceId[];
  readonly publicIpPrefixIds: readonly ResourceId[];
  /**
   * Those of publicIpAddressIds / publicIpPrefixIds that ARM lists in `publicIpAddressesV6` /
   * `publicIpPrefixesV6`: IPv6, even when the resource itself is not in the input (an IPv4 flow
   * never leaves from them). Absent (older snapshots, Standard gateways): none listed there.
   */
  readonly publicIpAddressV6Ids?: readonly ResourceId[];
  readonly publicIpPrefixV6Ids?: readonly ResourceId[];
  readonly idleTimeoutInMinutes: number | null;
  /**
   * Back-references ARM returns on the NAT gateway (read-only `subnets`, "the subnets using this nat
   * gateway resource"). The subnet's `natGatewayId` is where the association is written and decides;
   * a subnet listed here whose own record names no NAT gateway (documents read at different times)
   * is a disagreement the resolver answers unknown, unless the gateway is on the subnet's whole
   * virtual network (below, or the VNet's `defaultPublicNatGateway`).
   */
  readonly subnetIds: readonly ResourceId[];
  /**
   * `sourceVirtualNetwork` (StandardV2, read-only): the virtual network the gateway is associated
   * with as a whole (the VNet's `defaultPublicNatGateway`); its `subnets` then lists that VNet's
   * subnets while their own records name no NAT gateway (Microsoft's NatGateways_ListAll example).
   * Absent: not associated with a VNet, or an older input.
   */
  readonly sourceVirtualNetworkId?: ResourceId;
}

export interface PublicIpAddress extends ResourceBase {
  readonly kind: 'publicIpAddress';
  /** Null when not allocated or not returned (e.g. Microsoft's PublicIpAddressGet example). */
  readonly ipAddress: string | null;
  readonly skuName: PublicIpSku;
  readonly version: 'IPv4' | 'IPv6';
  /**
   * The IP configuration (NIC, LB frontend, firewall, gateway) it is attached to: the read-only
   * back-reference. A NIC IP configuration whose own record does not name this public IP disagrees
   * with it (documents read at different times): the resolver answers unknown for that NIC.
   */
  readonly ipConfigurationId: ResourceId | null;
  readonly publicIpPrefixId: ResourceId | null;
}

export interface PublicIpPrefix extends ResourceBase {
  readonly kind: 'publicIpPrefix';
  readonly ipPrefix: string | null;
  readonly prefixLength: number | null;
  readonly version: 'IPv4' | 'IPv6';
  readonly skuName: PublicIpSku;
}

export interface NicIpConfiguration {
  readonly id: ResourceId;
  readonly name: string;
  readonly primary: boolean;
  readonly privateIpAddress: string | null;
  readonly privateIpAddressVersion: 'IPv4' | 'IPv6';
  readonly subnetId: ResourceId | null;
  readonly publicIpAddressId: ResourceId | null;
  /** NIC-based backend pool memberships (`loadBalancerBackendAddressPools`). */
  readonly loadBalancerBackendAddressPoolIds: readonly ResourceId[];
  /**
   * Application security groups this IP configuration is a member of (`applicationSecurityGroups`).
   * NSG rules naming an ASG apply only to members [ASG]
   * https://learn.microsoft.com/azure/virtual-network/application-security-groups
   * Absent (older snapshots, inputs without the field) = member of none.
   */
  readonly applicationSecurityGroupIds?: readonly ResourceId[];
}

export interface NetworkInterface extends ResourceBase {
  readonly kind: 'networkInterface';
  readonly ipConfigurations: readonly NicIpConfiguration[];
  /**
   * Azure-level IP forwarding: required for an NVA to forward traffic not addressed to it [UDR].
   * Null when the input does not say (a projection or partial export without `enableIPForwarding`):
   * an NVA next hop through such a NIC is then unknown, never "forwarding disabled".
   */
  readonly enableIPForwarding: boolean | null;
  readonly networkSecurityGroupId: ResourceId | null;
  readonly virtualMachineId: ResourceId | null;
  /** True when the VM is a Flexible-orchestration VMSS instance: never gets default outbound [DOA]. */
  readonly flexibleScaleSetMember: boolean;
  /**
   * True when the input carried this NIC's VM resource with its properties, so a false
   * `flexibleScaleSetMember` is known rather than assumed: only the VM resource says whether it is
   * a Flexible scale set instance [DOA]. Absent (older snapshots, inputs without VMs) = not known.
   */
  readonly virtualMachineCaptured?: boolean;
  /**
   * NICs the VM's own document lists (`networkProfile.networkInterfaces`) that the input lacks: one
   * array shared by the VM's NICs in the input. An answer that needs every NIC of the VM (which NIC
   * a multi-NIC appliance sends from, whether another NIC's public IP turns default outbound access
   * off) is unknown while one of them is missing. Absent = none missing, or the VM document is not
   * in the input. https://learn.microsoft.com/rest/api/compute/virtual-machines/get (NetworkProfile)
   */
  readonly missingSiblingNicIds?: readonly ResourceId[];
  /**
   * The availability set the NIC's VM document names (`availabilitySet.id`), with every VM whose
   * document in the input names the same set: one object shared by the set's NICs. "All virtual
   * machines within an availability set must be added to the backend pool for outbound
   * connectivity" (azure-docs articles/load-balancer/outbound-rules.md, Limitations), so a load
   * balancer's outbound answer for one VM of the set depends on the others. Absent: the VM document
   * is not in the input, or names no availability set (then nothing is known of one).
   */
  readonly availabilitySet?: AvailabilitySetMembers;
  /** Set when the NIC belongs to a private endpoint (`privateEndpoint.id`): such NICs initiate nothing [PE]. */
  readonly privateEndpointId?: ResourceId | null;
  /** The NIC is the VM's primary NIC (null when unknown). */
  readonly primary: boolean | null;
  /**
   * `dnsSettings.dnsServers`: the NIC's own DNS servers, which replace the VNet's for its VM
   * (`AzureProvidedDNS` switches it back to Azure DNS) [NICDNS]
   * https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#change-dns-servers
   * Set only when the input carried a non-empty list; absent = the VNet's DNS servers.
   */
  readonly dnsServers?: readonly string[];
  /**
   * `defaultOutboundConnectivityEnabled` (read-only): "tracks if default outbound IP is allocated to
   * a VM". A change of the subnet's `defaultOutboundAccess` reaches the NIC only when the VM is
   * stopped and deallocated, so the two can disagree [DOA]
   * https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
   * Absent (older snapshots, inputs without it) = not known: the subnet setting decides.
   */
  readonly defaultOutboundConnectivityEnabled?: boolean;
}

/** An availability set as the input's VM documents show it: the VMs that name it, sorted by ID. */
export interface AvailabilitySetMembers {
  readonly id: ResourceId;
  readonly virtualMachineIds: readonly ResourceId[];
  /**
   * Per VM of `virtualMachineIds` (same order), the NICs its document lists
   * (networkProfile.networkInterfaces) that the input lacks, sorted (empty: none). A backend pool
   * member ID (…/networkInterfaces/{nic}/ipConfigurations/{config}) names its NIC, so a VM whose
   * NIC document is not in the input is still seen in a pool whose load balancer lists it.
   * https://learn.microsoft.com/rest/api/compute/virtual-machines/get (NetworkProfile)
   * Absent when no VM of the set lists a NIC the input lacks (and in older snapshots): the NICs in
   * the input show which VMs are in a pool.
   */
  readonly missingNetworkInterfaceIds?: readonly (readonly ResourceId[])[];
  /**
   * The VMs of `virtualMachineIds` known only from the availability set's own document
   * (`virtualMachines`), no document of their own in the input; sorted. Absent: none.
   * https://learn.microsoft.com/rest/api/compute/availability-sets/get
   */
  readonly listedBySet?: readonly ResourceId[];
}

export interface FirewallIpConfiguration {
  readonly id: ResourceId;
  readonly name: string;
  readonly privateIpAddress: string | null;
  readonly subnetId: ResourceId | null;
  readonly publicIpAddressId: ResourceId | null;
}

/** A classic (non-policy) or policy rule, flattened to what egress evaluation needs. */
export type FirewallRule =
  | {
      readonly kind: 'network';
      readonly name: string;
      readonly collection: string;
      readonly priority: number;
      readonly action: 'Allow' | 'Deny';
      readonly protocols: readonly string[];
      /** IPs, CIDRs, ranges `a.b.c.d-e.f.g.h`, `*`. Empty with IP groups set = only the groups' addresses. */
      readonly sourceAddresses: readonly string[];
      /** `sourceIpGroups`: Microsoft.Network/ipGroups IDs, addresses added to `sourceAddresses` [FWIPG]. */
      readonly sourceIpGroupIds: readonly ResourceId[];
      readonly destinationAddresses: readonly string[];
      /** `destinationIpGroups` [FWIPG] https://learn.microsoft.com/azure/firewall/ip-groups */
      readonly destinationIpGroupIds: readonly ResourceId[];
      readonly destinationFqdns: readonly string[];
      readonly destinationPorts: readonly string[];
    }
  | {
      readonly kind: 'application';
      readonly name: string;
      readonly collection: string;
      readonly priority: number;
      readonly action: 'Allow' | 'Deny';
      readonly protocols: readonly string[];
      readonly sourceAddresses: readonly string[];
      /** `sourceIpGroups` (application rules take IP groups as source only) [FWIPG]. */
      readonly sourceIpGroupIds: readonly ResourceId[];
      readonly targetFqdns: readonly string[];
      readonly fqdnTags: readonly string[];
      /**
       * Web categories (`Gambling`, `SearchEnginesAndPortals`): which names are in one is decided
       * by a Microsoft service at run time, so a rule naming one decides a name only "if it is in
       * that category" [FWWEBCAT] https://learn.microsoft.com/azure/firewall/web-categories.
       * Absent in snapshots written before the field existed.
       */
      readonly webCategories?: readonly string[];
      /**
       * Premium `targetUrls` (`www.example.com/docs/*`, TLS inspection): they match some paths of
       * a host, never a whole name [FWPREMIUM] https://learn.microsoft.com/azure/firewall/premium-features.
       */
      readonly targetUrls?: readonly string[];
    };

export interface AzureFirewall extends ResourceBase {
  readonly kind: 'azureFirewall';
  /** `AZFW_VNet` (in AzureFirewallSubnet) or `AZFW_Hub` (secured vWAN hub). */
  readonly skuName: FirewallSkuName;
  readonly skuTier: FirewallSkuTier;
  readonly ipConfigurations: readonly FirewallIpConfiguration[];
  /** Present in forced-tunnel mode (AzureFirewallManagementSubnet) [FWFT]. */
  readonly managementIpConfiguration: FirewallIpConfiguration | null;
  readonly firewallPolicyId: ResourceId | null;
  readonly virtualHubId: ResourceId | null;
  /** Hub SKU: `hubIPAddresses.privateIPAddress`. */
  readonly hubPrivateIpAddress: string | null;
  /** Hub SKU: `hubIPAddresses.publicIPs.addresses[].address`. */
  readonly hubPublicIpAddresses: readonly string[];
  /**
   * Hub SKU: `hubIPAddresses.publicIPs.count`, how many public IPs the hub firewall has; null when
   * the input did not say (absent in snapshots written before the field). With a count and no
   * addresses, the egress IPs exist but are not known [FWHUB].
   */
  readonly hubPublicIpCount?: number | null;
  /** Classic rule collections on the firewall itself (network + application). */
  readonly rules: readonly FirewallRule[];
  /**
   * `false`: no copy of the firewall in the input held `networkRuleCollections` or
   * `applicationRuleCollections` (a `--query` projection, a Resource Graph row or a stub), so its
   * classic rules were not read: "no rules" (default deny [FWRULES]) would be a guess. `az network
   * firewall show` prints both lists, empty ones too. Absent (snapshots written before the field,
   * models built by hand) or `true`: `rules` is what the input said. Ignored when a policy is attached.
   */
  readonly rulesCaptured?: boolean;
  /**
   * Classic firewalls: `additionalProperties["Network.SNAT.PrivateRanges"]` split on commas; null =
   * not set (IANA private ranges). Ignored when a policy is attached [FWSNAT]
   * https://learn.microsoft.com/azure/firewall/snat-private-range
   */
  readonly snatPrivateRanges: readonly string[] | null;
  /** Classic firewalls: `additionalProperties["Network.SNAT.AutoLearnPrivateRanges"]` is `Enabled`. */
  readonly snatAutoLearnPrivateRanges: boolean;
  /**
   * Classic firewalls: `threatIntelMode` (`Alert` | `Deny` | `Off`); ignored when a policy is
   * attached. Optional: older snapshots lack it (absent = not said) [FWTI]
   * https://learn.microsoft.com/azure/firewall/threat-intel
   */
  readonly threatIntelMode?: string | null;
  /**
   * Classic firewalls: `additionalProperties["Network.DNS.EnableProxy"]` is `true`; absent = not
   * said (off). FQDNs in network rules are reliable only with DNS proxy [FWDNS]
   * https://learn.microsoft.com/azure/firewall/dns-settings
   */
  readonly dnsProxyEnabled?: boolean | null;
}

export interface FirewallPolicy extends ResourceBase {
  readonly kind: 'firewallPolicy';
  readonly basePolicyId: ResourceId | null;
  /** `snat.privateRanges`; null = IANA private ranges (the default) [FWSNAT]. */
  readonly snatPrivateRanges: readonly string[] | null;
  /**
   * `snat.autoLearnPrivateRanges` is `Enabled`: the firewall also treats ranges learned from Azure
   * Route Server as private; those ranges are not in the input [FWSNAT].
   */
  readonly snatAutoLearnPrivateRanges: boolean;
  readonly threatIntelMode: string | null;
  /**
   * `dnsSettings.enableProxy`; absent or null = not enabled. Without DNS proxy the firewall and the
   * client may resolve an FQDN of a network rule differently [FWFQDNNET]
   * https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules. Optional: older
   * snapshots lack it.
   */
  readonly dnsProxyEnabled?: boolean | null;
  /** Rules from the policy's rule collection groups (merged when groups are separate resources). */
  readonly rules: readonly FirewallRule[];
  /** The groups the policy lists (`ruleCollectionGroups[].id`). */
  readonly ruleCollectionGroupIds: readonly ResourceId[];
  /**
   * `false`: no copy of the policy in the input listed `ruleCollectionGroups` and no group of it was
   * listed on its own (a stub `{ id, name, type }`, a projection), so which groups it has is not
   * known and neither are its rules. Absent (older snapshots, models built by hand) or `true`: the
   * groups listed are all it has.
   */
  readonly ruleCollectionGroupsCaptured?: boolean;
  /**
   * The groups whose content was in the input (a group resource, or an embedded group with its
   * `ruleCollections`). A listed group that is not loaded makes the rule set incomplete; loaded
   * groups with no filter collections (empty, or DNAT only) are a complete set: default deny.
   */
  readonly loadedRuleCollectionGroupIds: readonly ResourceId[];
}

/**
 * `Microsoft.Network/ipGroups`: addresses referenced by firewall rules as `sourceIpGroups` /
 * `destinationIpGroups` [FWIPG] https://learn.microsoft.com/azure/firewall/ip-groups
 */
export interface IpGroup extends ResourceBase {
  readonly kind: 'ipGroup';
  /** `ipAddresses`: single IPs, CIDRs, or ranges `a.b.c.d-e.f.g.h`, as written. */
  readonly ipAddresses: readonly string[];
  /**
   * `false`: no copy of the group in the input held `ipAddresses` (a stub or projection), so its
   * addresses are not known: `ipAddresses` is empty for want of data, not an empty group (which
   * makes a rule "skipped" [FWIPG]). Absent (older snapshots, models built by hand) or `true`:
   * `ipAddresses` is what the input said.
   */
  readonly ipAddressesCaptured?: boolean;
}

export interface SecurityRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  /** `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah`, `*`. */
  readonly protocol: string;
  /** CIDRs, IPs, service tags (`Internet`, `VirtualNetwork`, ...) or `*`. */
  readonly sourceAddressPrefixes: readonly string[];
  readonly destinationAddressPrefixes: readonly string[];
  /** `*`, `443`, `1000-2000`. */
  readonly destinationPortRanges: readonly string[];
  /**
   * `sourcePortRange` / `sourcePortRanges` (`443`, `1000-2000`): rules match on the five-tuple,
   * source port included [NSG] https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules
   * Set only when it restricts the source port; absent (any port, and snapshots written before the
   * field existed) = `*`.
   */
  readonly sourcePortRanges?: readonly string[];
  readonly isDefault: boolean;
  /**
   * `sourceApplicationSecurityGroups` / `destinationApplicationSecurityGroups`: a rule names either
   * prefixes or ASGs on a side, and an ASG side matches only NICs that are members [ASG]
   * https://learn.microsoft.com/azure/virtual-network/application-security-groups
   * Absent or empty = the side uses address prefixes.
   */
  readonly sourceApplicationSecurityGroupIds?: readonly ResourceId[];
  readonly destinationApplicationSecurityGroupIds?: readonly ResourceId[];
}

export interface NetworkSecurityGroup extends ResourceBase {
  readonly kind: 'networkSecurityGroup';
  /** Custom and default rules together, as evaluated (priority order is the evaluator's job). */
  readonly securityRules: readonly SecurityRule[];
}

export interface LoadBalancerFrontend {
  readonly id: ResourceId;
  readonly name: string;
  readonly privateIpAddress: string | null;
  readonly subnetId: ResourceId | null;
  readonly publicIpAddressId: ResourceId | null;
  readonly publicIpPrefixId: ResourceId | null;
}

export interface LoadBalancerBackendPool {
  readonly id: ResourceId;
  readonly name: string;
  /** NIC ipConfiguration IDs (NIC-based pool). */
  readonly backendIpConfigurationIds: readonly ResourceId[];
  /** IP-based pool members: such pools give no outbound SNAT (they fall to default outbound) [DOA][LBRULES]. */
  readonly backendIpAddresses: readonly string[];
}

export interface LoadBalancingRule {
  readonly id: ResourceId;
  readonly name: string;
  readonly frontendIpConfigurationIds: readonly ResourceId[];
  readonly backendAddressPoolIds: readonly ResourceId[];
  readonly protocol: LoadBalancerProtocol;
  /** 0 with backendPort 0 and protocol All = an HA ports rule (internal Standard LB). */
  readonly frontendPort: number;
  readonly backendPort: number;
  readonly disableOutboundSnat: boolean;
}

export interface OutboundRule {
  readonly id: ResourceId;
  readonly name: string;
  readonly frontendIpConfigurationIds: readonly ResourceId[];
  readonly backendAddressPoolId: ResourceId | null;
  readonly allocatedOutboundPorts: number | null;
  readonly protocol: LoadBalancerProtocol;
  readonly idleTimeoutInMinutes: number | null;
}

export interface LoadBalancer extends ResourceBase {
  readonly kind: 'loadBalancer';
  readonly skuName: LoadBalancerSku;
  readonly frontendIpConfigurations: readonly LoadBalancerFrontend[];
  readonly backendAddressPools: readonly LoadBalancerBackendPool[];
  readonly loadBalancingRules: readonly LoadBalancingRule[];
  readonly outboundRules: readonly OutboundRule[];
}

export interface VirtualNetworkGateway extends ResourceBase {
  readonly kind: 'virtualNetworkGateway';
  readonly gatewayType: GatewayType;
  /** Null when not given (ExpressRoute gateways have none). */
  readonly vpnType: VpnType | null;
  /** From the GatewaySubnet the gateway's IP configuration sits in. */
  readonly virtualNetworkId: ResourceId | null;
  /** `gatewayDefaultSite`: forced tunnelling of internet traffic to that site [DEFSITE]. */
  readonly gatewayDefaultSiteId: ResourceId | null;
  readonly enableBgp: boolean;
  readonly publicIpAddressIds: readonly ResourceId[];
}

export interface HubVirtualNetworkConnection {
  readonly id: ResourceId;
  readonly name: string;
  readonly remoteVirtualNetworkId: ResourceId | null;
  /**
   * "Propagate default route" (`enableInternetSecurity`): the hub's 0.0.0.0/0 reaches this spoke
   * only when true [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
   * null: the input did not say (a trimmed export, a snapshot written by hand), which is neither.
   */
  readonly enableInternetSecurity: boolean | null;
  /**
   * `routingConfiguration.vnetRoutes.staticRoutes`: static routes the hub router steers to a next
   * hop IP in (or behind) this connection's VNet, e.g. 0.0.0.0/0 → an NVA [VWANROUTING]
   * https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
   * Absent: `vnetRoutes` was not in the input (or a snapshot written before the field), so whether
   * the connection has static routes is not known.
   */
  readonly staticRoutes?: readonly HubStaticRoute[];
  /**
   * `routingConfiguration.associatedRouteTable`: the hub route table whose routes this connection's
   * traffic follows ("Associating a connection to a route table allows the traffic (from that
   * connection) to be sent to the destination indicated as routes in the route table" [VWANROUTING]
   * https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing). Absent: not in the
   * input (or a snapshot written before the field), so any of the hub's tables may be it.
   */
  readonly associatedRouteTableId?: ResourceId;
  /**
   * `provisioningState` when the input gives one other than `Succeeded` (Failed, Updating,
   * Deleting): whether the hub router gives the VNet its routes is then not known. Absent:
   * Succeeded, or not in the input (taken as configured).
   */
  readonly provisioningState?: string;
}

/** A static route on a hub virtual network connection. */
export interface HubStaticRoute {
  readonly name: string;
  readonly addressPrefixes: readonly string[];
  readonly nextHopIpAddress: string | null;
}

/** A route of a hub route table (`Microsoft.Network/virtualHubs/hubRouteTables` `routes[]`). */
export interface HubRoute {
  readonly name: string;
  /** `CIDR` | `ResourceId` | `Service`. */
  readonly destinationType: string;
  readonly destinations: readonly string[];
  /** `ResourceId` (a hub firewall, a connection) or `IPAddress`. */
  readonly nextHopType: string;
  readonly nextHop: string | null;
}

/** `Microsoft.Network/virtualHubs/hubRouteTables`: a hub's route table [VWANROUTING]. */
export interface HubRouteTable {
  readonly id: ResourceId;
  readonly name: string;
  readonly labels: readonly string[];
  readonly routes: readonly HubRoute[];
}

/**
 * A route table of a hub that predates hubRouteTables, "still in force until deleted"
 * [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing : the hub's
 * `routeTable` (VirtualHubRoute: addressPrefixes → nextHopIpAddress; ID `<hub>/routeTable`) or one
 * of its `virtualHubRouteTableV2s` (`Microsoft.Network/virtualHubs/routeTables`: destinations →
 * nextHops) https://learn.microsoft.com/javascript/api/@azure/arm-network/virtualhubproperties
 */
export interface HubLegacyRouteTable {
  readonly id: ResourceId;
  readonly name: string;
  readonly routes: readonly HubLegacyRoute[];
}

export interface HubLegacyRoute {
  readonly destinations: readonly string[];
  /** Next-hop IP addresses (or whatever the input names as next hops). */
  readonly nextHops: readonly string[];
}

/**
 * `Microsoft.Network/virtualHubs/bgpConnections`: the hub router's BGP peering with an NVA or BGP
 * end point in a connected VNet, whose routes "the virtual hub router ... propagates ... to your
 * virtual network" [VWAN-BGP] https://learn.microsoft.com/azure/virtual-wan/scenario-bgp-peering-hub
 * What the peer advertises is not in any export.
 */
export interface HubBgpConnection {
  readonly id: ResourceId;
  readonly name: string;
  readonly peerIp: string | null;
  readonly peerAsn: number | null;
  readonly hubVirtualNetworkConnectionId: ResourceId | null;
}

/**
 * `Microsoft.Network/networkVirtualAppliances` deployed in the hub (`properties.virtualHub`): an
 * SD-WAN or firewall NVA, or a SaaS solution, that peers with the hub router ("NVA in the hub" is a
 * source of the hub's 0.0.0.0/0 [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing)
 * and may be a routing-intent next hop [VWAN]. Its forwarding is not modelled.
 */
export interface HubNetworkVirtualAppliance {
  readonly id: ResourceId;
  readonly name: string;
  /** `nvaSku.vendor`, null when not in the input. */
  readonly vendor: string | null;
}

export interface RoutingPolicy {
  readonly name: string;
  /** `Internet` | `PrivateTraffic`. */
  readonly destinations: readonly string[];
  /** Usually the hub Azure Firewall's ID. */
  readonly nextHopId: ResourceId | null;
  /**
   * The `provisioningState` of the routing intent holding the policy, when the input gives one
   * other than `Succeeded` (Failed, Updating, Deleting): whether the hub router programs the
   * policy's routes is then not known. Absent: Succeeded, or not in the input (taken as configured).
   */
  readonly provisioningState?: string;
}

export interface VirtualHub extends ResourceBase {
  readonly kind: 'virtualHub';
  readonly virtualWanId: ResourceId | null;
  readonly addressPrefix: string | null;
  readonly azureFirewallId: ResourceId | null;
  readonly connections: readonly HubVirtualNetworkConnection[];
  /** From the hub's `routingIntent` child resource(s). */
  readonly routingPolicies: readonly RoutingPolicy[];
  /**
   * The hub's `hubRouteTables` child resources in the input. Every hub has a defaultRouteTable and
   * a noneRouteTable [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
   * so absent (no table of the hub in the input, or a snapshot written before the field) means
   * they were not exported: whether one holds a 0.0.0.0/0 is not known. Never an empty list.
   */
  readonly routeTables?: readonly HubRouteTable[];
  /**
   * `expressRouteGateway` / `vpnGateway` of the hub; null when the hub's copy names none. Either
   * may learn a 0.0.0.0/0 that the hub router propagates to connections with "Propagate default
   * route" [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing
   * Absent in snapshots written before the fields (= not said).
   */
  readonly expressRouteGatewayId?: ResourceId | null;
  readonly vpnGatewayId?: ResourceId | null;
  /**
   * The hub's `routeTable` and `virtualHubRouteTableV2s` (see HubLegacyRouteTable), when the input
   * holds one with routes. ARM prints both (usually empty) on every hub, so absent counts as none.
   */
  readonly legacyRouteTables?: readonly HubLegacyRouteTable[];
  /**
   * BGP peerings of the hub router: `bgpConnectionIds` as the hub lists them (`bgpConnections`,
   * references only), `bgpConnections` from the `virtualHubs/bgpConnections` child resources (the
   * details). Kept apart so a hub and its children exported in two files never disagree; a peering
   * is in either. Absent = none in the input.
   */
  readonly bgpConnectionIds?: readonly ResourceId[];
  readonly bgpConnections?: readonly HubBgpConnection[];
  /** NVAs deployed in the hub (networkVirtualAppliances naming it). Absent = none in the input. */
  readonly networkVirtualAppliances?: readonly HubNetworkVirtualAppliance[];
  /**
   * False when the hub's VNet connections could not be read (a pull whose hubVirtualNetworkConnections
   * list failed): which VNets it connects is then a missing fact. Absent: the connections in the
   * input are the hub's (an export, or a pull that read them).
   */
  readonly connectionsRead?: boolean;
  /**
   * False when the NVAs deployed in the hub could not be read (a pull whose networkVirtualAppliances
   * list failed in the hub's subscription): whether an "NVA in the hub", a source of the hub's
   * 0.0.0.0/0 [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing,
   * exists is then a missing fact. Absent: the NVAs in the input are the hub's.
   */
  readonly nvasRead?: boolean;
  /**
   * False when the hub router's BGP connections could not be read (the bgpConnections list failed
   * and the hub's own document does not list them): whether it has a BGP peer ("NVA in the spoke")
   * is then a missing fact. Absent: the BGP connections in the input are the hub's.
   */
  readonly bgpConnectionsRead?: boolean;
}

export interface VirtualWan extends ResourceBase {
  readonly kind: 'virtualWan';
  readonly virtualHubIds: readonly ResourceId[];
}

// ---------------------------------------------------------------------------------------------
// Private endpoints and private DNS [PE] https://learn.microsoft.com/azure/private-link/private-endpoint-overview
// [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns

/** `privateLinkServiceConnectionState.status`: only `Approved` connections carry traffic. */
export type PrivateLinkConnectionStatus = 'Approved' | 'Pending' | 'Rejected' | 'Disconnected' | 'Unknown';

/** A private endpoint's connection to its target (a PaaS resource or a private link service). */
export interface PrivateLinkServiceConnection {
  readonly id: ResourceId;
  readonly name: string;
  /** `privateLinkServiceId`: the target resource (storage account, SQL server, ...) or private link service. */
  readonly privateLinkServiceId: ResourceId | null;
  /** `groupIds`: the target sub-resource (`blob`, `sqlServer`, `vault`); decides the privatelink DNS zone. */
  readonly groupIds: readonly string[];
  readonly status: PrivateLinkConnectionStatus;
  /** From `manualPrivateLinkServiceConnections` (approved by the target's owner) rather than auto-approved. */
  readonly manual: boolean;
}

/** `customDnsConfigs[]`: FQDN ↔ private IPs the platform computed for the endpoint. */
export interface PrivateEndpointDnsConfig {
  /** Lower case, no trailing dot. */
  readonly fqdn: string;
  readonly ipAddresses: readonly string[];
}

/** `ipConfigurations[]` of a private endpoint (present when static IPs were requested). */
export interface PrivateEndpointIpConfiguration {
  readonly name: string;
  readonly groupId: string | null;
  readonly memberName: string | null;
  readonly privateIpAddress: string | null;
}

/** One record set a private DNS zone group manages (`privateDnsZoneConfigs[].recordSets[]`, read-only output). */
export interface PrivateDnsZoneGroupRecordSet {
  readonly recordType: string;
  readonly recordSetName: string;
  /** Lower case, no trailing dot; null when not given. */
  readonly fqdn: string | null;
  readonly ipAddresses: readonly string[];
}

export interface PrivateDnsZoneConfig {
  readonly name: string;
  readonly privateDnsZoneId: ResourceId | null;
  readonly recordSets: readonly PrivateDnsZoneGroupRecordSet[];
}

/** `privateEndpoints/privateDnsZoneGroups`: the zones whose A records the platform keeps in step with the endpoint. */
export interface PrivateDnsZoneGroup {
  readonly id: ResourceId;
  readonly name: string;
  readonly privateDnsZoneConfigs: readonly PrivateDnsZoneConfig[];
}

export interface PrivateEndpoint extends ResourceBase {
  readonly kind: 'privateEndpoint';
  readonly subnetId: ResourceId | null;
  /** The endpoint's NICs (platform-managed; their IPs are the endpoint's IPs). */
  readonly networkInterfaceIds: readonly ResourceId[];
  /** `privateLinkServiceConnections` then `manualPrivateLinkServiceConnections`. */
  readonly connections: readonly PrivateLinkServiceConnection[];
  readonly customDnsConfigs: readonly PrivateEndpointDnsConfig[];
  readonly ipConfigurations: readonly PrivateEndpointIpConfiguration[];
  readonly privateDnsZoneGroups: readonly PrivateDnsZoneGroup[];
}

/**
 * VNet link `resolutionPolicy`: `NxDomainRedirect` = a name missing from a privatelink zone falls
 * back to public resolution instead of NXDOMAIN [PDNSFALLBACK]
 * https://learn.microsoft.com/azure/dns/private-dns-fallback
 * `Unknown`: not in the input (exports made with API versions before 2024-06-01 do not return it,
 * whatever the link's setting), or a value this tool does not know.
 */
export type PrivateDnsResolutionPolicy = 'Default' | 'NxDomainRedirect' | 'Unknown';

/** `privateDnsZones/virtualNetworkLinks`: Azure-provided DNS in that VNet answers from the zone. */
export interface PrivateDnsZoneLink {
  readonly id: ResourceId;
  readonly name: string;
  readonly virtualNetworkId: ResourceId | null;
  readonly registrationEnabled: boolean;
  readonly resolutionPolicy: PrivateDnsResolutionPolicy;
  /** `virtualNetworkLinkState`: `Completed` | `InProgress` (null when not given). */
  readonly linkState: string | null;
}

interface PrivateDnsRecordSetBase {
  readonly id: ResourceId;
  /** Relative name (`mystg`; `@` for the zone apex), as written. */
  readonly name: string;
  /** Lower case, no trailing dot (ARM writes `mystg.privatelink.blob.core.windows.net.`). */
  readonly fqdn: string;
}

/** Record sets that decide where a name resolves: A (addresses) and CNAME (an alias, followed). */
export type PrivateDnsRecordSet =
  | (PrivateDnsRecordSetBase & { readonly recordType: 'A'; readonly ipv4Addresses: readonly string[] })
  | (PrivateDnsRecordSetBase & { readonly recordType: 'CNAME'; readonly cname: string | null });

export interface PrivateDnsZone extends ResourceBase {
  readonly kind: 'privateDnsZone';
  readonly virtualNetworkLinks: readonly PrivateDnsZoneLink[];
  readonly recordSets: readonly PrivateDnsRecordSet[];
  /** `numberOfRecordSets` as ARM reports it (SOA included); null when not given. */
  readonly numberOfRecordSets: number | null;
  /**
   * Whether the input carried the zone's record sets (any type, SOA included). Resource Graph and
   * `az network private-dns zone list` do not: then a name missing from `recordSets` is unknown, not NXDOMAIN.
   */
  readonly recordSetsCaptured: boolean;
  /**
   * IDs of the record sets read whose type is not modelled (SOA, TXT, MX, AAAA...): with
   * `recordSets` they count what the input carried, against `numberOfRecordSets`, so a list of one
   * type (`az network private-dns record-set cname list`) is not taken for all of the zone's records.
   * Absent in older snapshots (= none read).
   */
  readonly otherRecordSetIds?: readonly ResourceId[];
}

export type NetworkResource =
  | VirtualNetwork | Subnet | RouteTable | NatGateway | PublicIpAddress | PublicIpPrefix
  | NetworkInterface | AzureFirewall | FirewallPolicy | NetworkSecurityGroup | LoadBalancer
  | VirtualNetworkGateway | VirtualHub | VirtualWan | IpGroup | PrivateEndpoint | PrivateDnsZone;

export type NetworkResourceKind = NetworkResource['kind'];

/** The whole estate, normalized. Arrays so it serializes; build an index (model-index.ts) to look up. */
export interface NetworkModel {
  readonly virtualNetworks: readonly VirtualNetwork[];
  readonly subnets: readonly Subnet[];
  readonly routeTables: readonly RouteTable[];
  readonly natGateways: readonly NatGateway[];
  readonly publicIpAddresses: readonly PublicIpAddress[];
  readonly publicIpPrefixes: readonly PublicIpPrefix[];
  readonly networkInterfaces: readonly NetworkInterface[];
  readonly azureFirewalls: readonly AzureFirewall[];
  readonly firewallPolicies: readonly FirewallPolicy[];
  readonly networkSecurityGroups: readonly NetworkSecurityGroup[];
  readonly loadBalancers: readonly LoadBalancer[];
  readonly virtualNetworkGateways: readonly VirtualNetworkGateway[];
  readonly virtualHubs: readonly VirtualHub[];
  readonly virtualWans: readonly VirtualWan[];
  readonly ipGroups: readonly IpGroup[];
  readonly privateEndpoints: readonly PrivateEndpoint[];
  readonly privateDnsZones: readonly PrivateDnsZone[];
}

export function emptyNetworkModel(): NetworkModel {
  return {
    virtualNetworks: [], subnets: [], routeTables: [], natGateways: [], publicIpAddresses: [],
    publicIpPrefixes: [], networkInterfaces: [], azureFirewalls: [], firewallPolicies: [],
    networkSecurityGroups: [], loadBalancers: [], virtualNetworkGateways: [], virtualHubs: [], virtualWans: [],
    ipGroups: [], privateEndpoints: [], privateDnsZones: [],
  };
}

/** One route of `NetworkInterfaces_GetEffectiveRouteTable` (same keys in REST, SDK and az output). */
export interface EffectiveRoute {
  readonly name: string | null;
  /** `Default` | `User` | `VirtualNetworkGateway` | `Unknown`. */
  readonly source: string;
  /** `Active` | `Invalid`. */
  readonly state: string;
  readonly addressPrefixes: readonly string[];
  /** Open string: `VnetLocal`, `Internet`, `VirtualAppliance`, `VNetPeering`, `VirtualNetworkServiceEndpoint`, ... */
  readonly nextHopType: string;
  readonly nextHopIpAddresses: readonly string[];
  readonly disableBgpRoutePropagation: boolean | null;
}

/** Effective routes captured from Azure for one NIC (they hold for its whole subnet). */
export interface CapturedEffectiveRoutes {
  readonly networkInterfaceId: ResourceId;
  readonly routes: readonly EffectiveRoute[];
}
