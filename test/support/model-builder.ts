/**
 * A small builder for `NetworkModel` objects in tests: one call per resource, canonical IDs
 * derived from names, sensible defaults (Standard SKUs, Connected peerings, no NSG), and
 * back-references (VNet → subnets, LB pool → NIC IP configurations) filled in for you.
 *
 *   const b = new ModelBuilder();
 *   const vnet = b.vnet('spoke', ['10.1.0.0/16']);
 *   const pip = b.publicIp('nat-pip', '20.0.0.1');
 *   const nat = b.natGateway('nat', { publicIpIds: [pip] });
 *   const app = b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat });
 *   b.nic(app, 'vm1-nic', '10.1.1.4');
 *   const model = b.build();
 *
 * Every method returns the new resource's ID. IDs are lower case (canonical, see shared/model/ids).
 * Stable API: other helpers' tests import it.
 */
import type { ResourceId } from '../../shared/model/ids';
import type {
  AzureFirewall, EffectiveRoute, FirewallPolicy, FirewallRule, IpGroup, LoadBalancer, NatGateway, NetworkInterface,
  NetworkModel, NetworkSecurityGroup, NicIpConfiguration, PublicIpAddress, PublicIpPrefix, RouteTable, SecurityRule,
  Subnet, VirtualHub, VirtualNetwork, VirtualNetworkGateway, VirtualNetworkPeering,
  PrivateDnsRecordSet, PrivateDnsResolutionPolicy, PrivateDnsZone, PrivateDnsZoneLink, PrivateEndpoint, PrivateLinkConnectionStatus,
  FirewallSkuTier, GatewayType, LoadBalancerProtocol, LoadBalancerSku, NatGatewaySku, PeeringState, PeeringSyncLevel, PublicIpSku, VpnType,
} from '../../shared/model/topology';

export const TEST_SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
export const TEST_RESOURCE_GROUP = 'rg-net';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Canonical ID of a Microsoft.Network resource in the test subscription / resource group. */
export function networkId(type: string, name: string): ResourceId {
  return `/subscriptions/${TEST_SUBSCRIPTION}/resourcegroups/${TEST_RESOURCE_GROUP}/providers/microsoft.network/${type}/${name}`.toLowerCase() as ResourceId;
}

function base(id: ResourceId, name: string) {
  return { id, name, subscriptionId: TEST_SUBSCRIPTION, resourceGroup: TEST_RESOURCE_GROUP, location: 'westeurope', tags: {} };
}

export interface RouteSpec {
  readonly name?: string;
  readonly prefix: string;
  readonly nextHopType: string;
  readonly nextHopIp?: string;
  readonly hasBgpOverride?: boolean;
}

export type SubnetOptions = Partial<Pick<Subnet, 'routeTableId' | 'natGatewayId' | 'networkSecurityGroupId' | 'defaultOutboundAccess' | 'delegations' | 'serviceEndpoints' | 'privateEndpointNetworkPolicies'>> & {
  /** Extra prefixes (dual stack), added after the main one. */
  readonly extraPrefixes?: readonly string[];
};

export interface NicOptions {
  readonly publicIpId?: ResourceId;
  readonly poolIds?: readonly ResourceId[];
  /** `enableIPForwarding`; default false (off, as the input says it); null = not in the input. */
  readonly ipForwarding?: boolean | null;
  readonly nsgId?: ResourceId;
  readonly vmId?: ResourceId;
  readonly flexibleScaleSetMember?: boolean;
  /** Application security groups of the primary IP configuration. */
  readonly asgIds?: readonly ResourceId[];
  /** Secondary IP configurations (not primary). */
  readonly secondary?: readonly { readonly privateIp: string; readonly publicIpId?: ResourceId; readonly poolIds?: readonly ResourceId[] }[];
}

export interface FirewallOptions {
  /** AzureFirewallSubnet; omit for a hub (AZFW_Hub) firewall. */
  readonly subnetId?: ResourceId;
  readonly privateIp?: string;
  readonly publicIpIds?: readonly ResourceId[];
  readonly policyId?: ResourceId;
  readonly rules?: readonly FirewallRule[];
  readonly skuTier?: FirewallSkuTier;
  /** Forced-tunnel mode: a management IP configuration on AzureFirewallManagementSubnet. */
  readonly managementSubnetId?: ResourceId;
  readonly managementPublicIpId?: ResourceId;
  readonly hubId?: ResourceId;
  readonly hubPrivateIp?: string;
  readonly hubPublicIps?: readonly string[];
  /** Classic SNAT private ranges (`additionalProperties["Network.SNAT.PrivateRanges"]`). */
  readonly snatPrivateRanges?: readonly string[];
  readonly snatAutoLearnPrivateRanges?: boolean;
}

export interface LoadBalancerSpec {
  readonly sku?: LoadBalancerSku;
  readonly frontends: readonly { readonly name: string; readonly publicIpId?: ResourceId; readonly publicIpPrefixId?: ResourceId; readonly privateIp?: string; readonly subnetId?: ResourceId }[];
  readonly pools: readonly { readonly name: string; readonly ipAddresses?: readonly string[] }[];
  /** `port` sets frontendPort and backendPort (default 443); `port: 0` with `protocol: 'All'` is an HA ports rule. */
  readonly rules?: readonly { readonly name: string; readonly frontend: string; readonly pool: string; readonly disableOutboundSnat?: boolean; readonly protocol?: LoadBalancerProtocol; readonly port?: number }[];
  readonly outboundRules?: readonly { readonly name: string; readonly frontends: readonly string[]; readonly pool: string; readonly allocatedOutboundPorts?: number; readonly protocol?: LoadBalancerProtocol }[];
  /**
   * Pool membership listed only on the LB side (`backendIPConfigurations`), as when the input has
   * the LB but its NICs do not list the pool: pool name → NIC IP configuration IDs.
   */
  readonly lbListedMembers?: Readonly<Record<string, readonly ResourceId[]>>;
}

export interface PeeringOptions {
  readonly state?: PeeringState;
  readonly syncLevel?: PeeringSyncLevel;
  /** `remoteAddressSpace` of the `from` side (default: the remote VNet's space). */
  readonly remoteAddressPrefixes?: readonly string[];
  /** Subnet peering on both sides: `from`'s subnets ↔ `to`'s subnets (names). */
  readonly subnetPeering?: { readonly localSubnetNames: readonly string[]; readonly remoteSubnetNames: readonly string[] };
  readonly allowForwardedTraffic?: boolean;
  /** `allowVirtualNetworkAccess` of the `from` side (default true). */
  readonly allowVirtualNetworkAccess?: boolean;
  readonly allowGatewayTransit?: boolean;
  /** Set on the `from` side (the spoke uses the hub's gateway); the `to` side gets allowGatewayTransit. */
  readonly useRemoteGateways?: boolean;
  /** Only create the `from → to` peering. */
  readonly oneWay?: boolean;
}

/** A network rule allowing `ports` to `destinations` (defaults: any source, TCP, 443). */
export function networkRule(name: string, opts: Partial<Extract<FirewallRule, { kind: 'network' }>> = {}): FirewallRule {
  return {
    kind: 'network', name, collection: opts.collection ?? 'net', priority: opts.priority ?? 200, action: opts.action ?? 'Allow',
    protocols: opts.protocols ?? ['TCP'], sourceAddresses: opts.sourceAddresses ?? ['*'], sourceIpGroupIds: opts.sourceIpGroupIds ?? [],
    destinationAddresses: opts.destinationAddresses ?? ['*'], destinationIpGroupIds: opts.destinationIpGroupIds ?? [],
    destinationFqdns: opts.destinationFqdns ?? [], destinationPorts: opts.destinationPorts ?? ['443'],
  };
}

/** An application rule allowing HTTPS to `fqdns`. */
export function applicationRule(name: string, fqdns: readonly string[], opts: Partial<Extract<FirewallRule, { kind: 'application' }>> = {}): FirewallRule {
  return {
    kind: 'application', name, collection: opts.collection ?? 'app', priority: opts.priority ?? 300, action: opts.action ?? 'Allow',
    protocols: opts.protocols ?? ['Https:443'], sourceAddresses: opts.sourceAddresses ?? ['*'], sourceIpGroupIds: opts.sourceIpGroupIds ?? [],
    targetFqdns: fqdns, fqdnTags: opts.fqdnTags ?? [],
    ...(opts.webCategories ? { webCategories: opts.webCategories } : {}), ...(opts.targetUrls ? { targetUrls: opts.targetUrls } : {}),
  };
}

/** An outbound NSG rule (defaults: any protocol/source/port). */
export function securityRule(name: string, priority: number, access: 'Allow' | 'Deny', destination: string, opts: Partial<SecurityRule> = {}): SecurityRule {
  return {
    name, priority, direction: opts.direction ?? 'Outbound', access, protocol: opts.protocol ?? '*', sourceAddressPrefixes: opts.sourceAddressPrefixes ?? ['*'],
    destinationAddressPrefixes: [destination], destinationPortRanges: opts.destinationPortRanges ?? ['*'], isDefault: opts.isDefault ?? false,
    ...(opts.sourceApplicationSecurityGroupIds ? { sourceApplicationSecurityGroupIds: opts.sourceApplicationSecurityGroupIds } : {}),
    ...(opts.destinationApplicationSecurityGroupIds ? { destinationApplicationSecurityGroupIds: opts.destinationApplicationSecurityGroupIds } : {}),
  };
}

/** One effective route as `az network nic show-effective-route-table` prints it. */
export function effectiveRoute(prefix: string, nextHopType: string, opts: Partial<EffectiveRoute> = {}): EffectiveRoute {
  return {
    name: opts.name ?? null, source: opts.source ?? 'Default', state: opts.state ?? 'Active', addressPrefixes: [prefix], nextHopType,
    nextHopIpAddresses: opts.nextHopIpAddresses ?? [], disableBgpRoutePropagation: opts.disableBgpRoutePropagation ?? false,
  };
}

export interface PrivateEndpointOptions {
  /** `privateLinkServiceId` (default: a storage account named after the endpoint). */
  readonly targetId?: ResourceId;
  /** Default `['blob']`. */
  readonly groupIds?: readonly string[];
  readonly status?: PrivateLinkConnectionStatus;
  readonly manual?: boolean;
  /** `customDnsConfigs` FQDNs, each with the endpoint's IP. */
  readonly fqdns?: readonly string[];
  /** A zone group `default` with an A record set per entry (the endpoint's IP). */
  readonly zoneGroup?: readonly { readonly zoneId: ResourceId; readonly recordSetName: string }[];
  /** Create the endpoint's NIC (default true); without it the IP is only in `ipConfigurations`. */
  readonly withNic?: boolean;
}

/** Canonical ID of a storage account in the test subscription (a typical private endpoint target). */
export function storageAccountId(name: string): ResourceId {
  return `/subscriptions/${TEST_SUBSCRIPTION}/resourcegroups/${TEST_RESOURCE_GROUP}/providers/microsoft.storage/storageaccounts/${name}`.toLowerCase() as ResourceId;
}

export class ModelBuilder {
  private readonly vnets: Mutable<VirtualNetwork>[] = [];
  private readonly vnetById = new Map<ResourceId, Mutable<VirtualNetwork>>();
  private readonly vnetSubnetIds = new Map<ResourceId, ResourceId[]>();
  private readonly subnets: Mutable<Subnet>[] = [];
  private readonly routeTables: RouteTable[] = [];
  private readonly natGateways: NatGateway[] = [];
  private readonly publicIps: PublicIpAddress[] = [];
  private readonly publicIpPrefixes: PublicIpPrefix[] = [];
  private readonly nics: NetworkInterface[] = [];
  private readonly firewalls: AzureFirewall[] = [];
  private readonly policies: FirewallPolicy[] = [];
  private readonly ipGroups: IpGroup[] = [];
  private readonly nsgs: NetworkSecurityGroup[] = [];
  private readonly loadBalancers: LoadBalancer[] = [];
  private readonly gateways: VirtualNetworkGateway[] = [];
  private readonly hubs: VirtualHub[] = [];
  private readonly privateEndpoints: PrivateEndpoint[] = [];
  private readonly zones: Mutable<PrivateDnsZone>[] = [];

  vnet(name: string, addressPrefixes: readonly string[], opts: { readonly dnsServers?: readonly string[] } = {}): ResourceId {
    const id = networkId('virtualnetworks', name);
    const subnetIds: ResourceId[] = [];
    const vnet: Mutable<VirtualNetwork> = {
      ...base(id, name), kind: 'virtualNetwork', addressPrefixes, subnetIds, peerings: [], ...(opts.dnsServers ? { dnsServers: opts.dnsServers } : {}),
    };
    this.vnets.push(vnet);
    this.vnetById.set(id, vnet);
    this.vnetSubnetIds.set(id, subnetIds);
    return id;
  }

  subnet(vnetId: ResourceId, name: string, addressPrefix: string, opts: SubnetOptions = {}): ResourceId {
    const id = `${vnetId}/subnets/${name.toLowerCase()}` as ResourceId;
    this.subnets.push({
      ...base(id, name), kind: 'subnet', virtualNetworkId: vnetId, addressPrefixes: [addressPrefix, ...(opts.extraPrefixes ?? [])],
      routeTableId: opts.routeTableId ?? null, natGatewayId: opts.natGatewayId ?? null, networkSecurityGroupId: opts.networkSecurityGroupId ?? null,
      defaultOutboundAccess: opts.defaultOutboundAccess === undefined ? null : opts.defaultOutboundAccess, delegations: opts.delegations ?? [],
      serviceEndpoints: opts.serviceEndpoints ?? [], privateEndpointNetworkPolicies: opts.privateEndpointNetworkPolicies ?? null,
    });
    const subnetIds = this.vnetSubnetIds.get(vnetId);
    if (subnetIds) subnetIds.push(id);
    return id;
  }

  /** Changes a subnet after creation (e.g. attach a route table created later). */
  updateSubnet(subnetId: ResourceId, patch: SubnetOptions): void {
    const subnet = this.subnets.find((s) => s.id === subnetId);
    if (!subnet) throw new Error(`no subnet ${subnetId}`);
    Object.assign(subnet, patch);
  }

  publicIp(name: string, ipAddress: string | null, opts: { readonly sku?: PublicIpSku; readonly version?: 'IPv4' | 'IPv6'; readonly prefixId?: ResourceId } = {}): ResourceId {
    const id = networkId('publicipaddresses', name);
    this.publicIps.push({ ...base(id, name), kind: 'publicIpAddress', ipAddress, skuName: opts.sku ?? 'Standard', version: opts.version ?? 'IPv4',
      ipConfigurationId: null, publicIpPrefixId: opts.prefixId ?? null });
    return id;
  }

  publicIpPrefix(name: string, ipPrefix: string): ResourceId {
    const id = networkId('publicipprefixes', name);
    const length = Number(ipPrefix.split('/')[1]);
    this.publicIpPrefixes.push({ ...base(id, name), kind: 'publicIpPrefix', ipPrefix, prefixLength: Number.isFinite(length) ? length : null, version: 'IPv4', skuName: 'Standard' });
    return id;
  }

  natGateway(name: string, opts: { readonly publicIpIds?: readonly ResourceId[]; readonly prefixIds?: readonly ResourceId[]; readonly sku?: NatGatewaySku } = {}): ResourceId {
    const id = networkId('natgateways', name);
    this.natGateways.push({ ...base(id, name), kind: 'natGateway', skuName: opts.sku ?? 'Standard', publicIpAddressIds: opts.publicIpIds ?? [],
      publicIpPrefixIds: opts.prefixIds ?? [], idleTimeoutInMinutes: 4, subnetIds: [] });
    return id;
  }

  routeTable(name: string, routes: readonly RouteSpec[], opts: { readonly disableBgpRoutePropagation?: boolean } = {}): ResourceId {
    const id = networkId('routetables', name);
    this.routeTables.push({
      ...base(id, name), kind: 'routeTable', disableBgpRoutePropagation: opts.disableBgpRoutePropagation ?? false,
      routes: routes.map((r, i) => {
        const routeName = r.name ?? `route-${i + 1}`;
        return { id: `${id}/routes/${routeName.toLowerCase()}` as ResourceId, name: routeName, addressPrefix: r.prefix, nextHopType: r.nextHopType,
          nextHopIpAddress: r.nextHopIp ?? null, hasBgpOverride: r.hasBgpOverride ?? false };
      }),
    });
    return id;
  }

  nsg(name: string, rules: readonly SecurityRule[], opts: { readonly withDefaults?: boolean } = {}): ResourceId {
    const id = networkId('networksecuritygroups', name);
    const defaults: SecurityRule[] = opts.withDefaults === false ? [] : [
      securityRule('AllowVnetOutBound', 65000, 'Allow', 'VirtualNetwork', { sourceAddressPrefixes: ['VirtualNetwork'], isDefault: true }),
      securityRule('AllowInternetOutBound', 65001, 'Allow', 'Internet', { isDefault: true }),
      securityRule('DenyAllOutBound', 65500, 'Deny', '*', { isDefault: true }),
    ];
    this.nsgs.push({ ...base(id, name), kind: 'networkSecurityGroup', securityRules: [...rules, ...defaults] });
    return id;
  }

  /** A NIC whose primary IP configuration `ipconfig1` sits in `subnetId`. Pool memberships are mirrored into the pools. */
  nic(subnetId: ResourceId, name: string, privateIp: string, opts: NicOptions = {}): ResourceId {
    const id = networkId('networkinterfaces', name);
    const configs: NicIpConfiguration[] = [
      { id: `${id}/ipconfigurations/ipconfig1` as ResourceId, name: 'ipconfig1', primary: true, privateIpAddress: privateIp, privateIpAddressVersion: 'IPv4',
        subnetId, publicIpAddressId: opts.publicIpId ?? null, loadBalancerBackendAddressPoolIds: opts.poolIds ?? [],
        ...(opts.asgIds ? { applicationSecurityGroupIds: opts.asgIds } : {}) },
      ...(opts.secondary ?? []).map((s, i) => ({
        id: `${id}/ipconfigurations/ipconfig${i + 2}` as ResourceId, name: `ipconfig${i + 2}`, primary: false, privateIpAddress: s.privateIp,
        privateIpAddressVersion: 'IPv4' as const, subnetId, publicIpAddressId: s.publicIpId ?? null, loadBalancerBackendAddressPoolIds: s.poolIds ?? [],
      })),
    ];
    for (const config of configs) {
      for (const poolId of config.loadBalancerBackendAddressPoolIds) this.addPoolMember(poolId, config.id);
      if (config.publicIpAddressId) this.attachPublicIp(config.publicIpAddressId, config.id);
    }
    this.nics.push({ ...base(id, name), kind: 'networkInterface', ipConfigurations: configs, enableIPForwarding: opts.ipForwarding === undefined ? false : opts.ipForwarding,
      networkSecurityGroupId: opts.nsgId ?? null, virtualMachineId: opts.vmId ?? null, flexibleScaleSetMember: opts.flexibleScaleSetMember ?? false, primary: true });
    return id;
  }

  firewall(name: string, opts: FirewallOptions): ResourceId {
    const id = networkId('azurefirewalls', name);
    const publicIpIds = opts.publicIpIds ?? [];
    const ipConfigurations = opts.subnetId
      ? (publicIpIds.length > 0 ? publicIpIds : [null]).map((pip, i) => ({
          id: `${id}/azurefirewallipconfigurations/ipconfig${i + 1}` as ResourceId, name: `ipconfig${i + 1}`,
          privateIpAddress: i === 0 ? opts.privateIp ?? null : null, subnetId: i === 0 ? opts.subnetId ?? null : null, publicIpAddressId: pip,
        }))
      : [];
    this.firewalls.push({
      ...base(id, name), kind: 'azureFirewall', skuName: opts.hubId ? 'AZFW_Hub' : 'AZFW_VNet', skuTier: opts.skuTier ?? 'Standard', ipConfigurations,
      managementIpConfiguration: opts.managementSubnetId
        ? { id: `${id}/azurefirewallipconfigurations/mgmt` as ResourceId, name: 'mgmt', privateIpAddress: null, subnetId: opts.managementSubnetId, publicIpAddressId: opts.managementPublicIpId ?? null }
        : null,
      firewallPolicyId: opts.policyId ?? null, virtualHubId: opts.hubId ?? null, hubPrivateIpAddress: opts.hubPrivateIp ?? null,
      hubPublicIpAddresses: opts.hubPublicIps ?? [], rules: opts.rules ?? [],
      snatPrivateRanges: opts.snatPrivateRanges ?? null, snatAutoLearnPrivateRanges: opts.snatAutoLearnPrivateRanges ?? false,
    });
    return id;
  }

  /**
   * A firewall policy. `loadedRuleCollectionGroupIds` defaults to every listed group when the
   * policy has rules, else none (groups listed but not captured).
   */
  firewallPolicy(name: string, rules: readonly FirewallRule[], opts: {
    readonly basePolicyId?: ResourceId; readonly ruleCollectionGroupIds?: readonly ResourceId[]; readonly loadedRuleCollectionGroupIds?: readonly ResourceId[];
    readonly snatPrivateRanges?: readonly string[]; readonly snatAutoLearnPrivateRanges?: boolean;
  } = {}): ResourceId {
    const id = networkId('firewallpolicies', name);
    const groupIds = opts.ruleCollectionGroupIds ?? [];
    this.policies.push({ ...base(id, name), kind: 'firewallPolicy', basePolicyId: opts.basePolicyId ?? null, snatPrivateRanges: opts.snatPrivateRanges ?? null,
      snatAutoLearnPrivateRanges: opts.snatAutoLearnPrivateRanges ?? false, threatIntelMode: 'Alert',
      rules, ruleCollectionGroupIds: groupIds, loadedRuleCollectionGroupIds: opts.loadedRuleCollectionGroupIds ?? (rules.length > 0 ? groupIds : []) });
    return id;
  }

  /** An IP group (Microsoft.Network/ipGroups) with these addresses, CIDRs or ranges. */
  ipGroup(name: string, ipAddresses: readonly string[]): ResourceId {
    const id = networkId('ipgroups', name);
    this.ipGroups.push({ ...base(id, name), kind: 'ipGroup', ipAddresses });
    return id;
  }

  /** A load balancer; use `frontendId` / `poolId` to reference its parts. */
  loadBalancer(name: string, spec: LoadBalancerSpec): ResourceId {
    const id = networkId('loadbalancers', name);
    const frontendId = (f: string): ResourceId => ModelBuilder.frontendId(id, f);
    const poolId = (p: string): ResourceId => ModelBuilder.poolId(id, p);
    this.loadBalancers.push({
      ...base(id, name), kind: 'loadBalancer', skuName: spec.sku ?? 'Standard',
      frontendIpConfigurations: spec.frontends.map((f) => ({ id: frontendId(f.name), name: f.name, privateIpAddress: f.privateIp ?? null, subnetId: f.subnetId ?? null,
        publicIpAddressId: f.publicIpId ?? null, publicIpPrefixId: f.publicIpPrefixId ?? null })),
      backendAddressPools: spec.pools.map((p) => ({ id: poolId(p.name), name: p.name, backendIpConfigurationIds: spec.lbListedMembers?.[p.name] ?? [], backendIpAddresses: p.ipAddresses ?? [] })),
      loadBalancingRules: (spec.rules ?? []).map((r) => ({ id: `${id}/loadbalancingrules/${r.name.toLowerCase()}` as ResourceId, name: r.name,
        frontendIpConfigurationIds: [frontendId(r.frontend)], backendAddressPoolIds: [poolId(r.pool)], protocol: r.protocol ?? 'Tcp',
        frontendPort: r.port ?? 443, backendPort: r.port ?? 443, disableOutboundSnat: r.disableOutboundSnat ?? false })),
      outboundRules: (spec.outboundRules ?? []).map((r) => ({ id: `${id}/outboundrules/${r.name.toLowerCase()}` as ResourceId, name: r.name,
        frontendIpConfigurationIds: r.frontends.map(frontendId), backendAddressPoolId: poolId(r.pool), allocatedOutboundPorts: r.allocatedOutboundPorts ?? null,
        protocol: r.protocol ?? 'All', idleTimeoutInMinutes: 4 })),
    });
    for (const f of spec.frontends) if (f.publicIpId) this.attachPublicIp(f.publicIpId, frontendId(f.name));
    return id;
  }

  static frontendId(lbId: ResourceId, name: string): ResourceId {
    return `${lbId}/frontendipconfigurations/${name.toLowerCase()}` as ResourceId;
  }

  static poolId(lbId: ResourceId, name: string): ResourceId {
    return `${lbId}/backendaddresspools/${name.toLowerCase()}` as ResourceId;
  }

  /** Peers `from` → `to` and (unless oneWay) `to` → `from`. Returns the `from` side's peering ID. */
  peer(fromVnetId: ResourceId, toVnetId: ResourceId, opts: PeeringOptions = {}): ResourceId {
    const make = (local: ResourceId, remote: ResourceId, useRemoteGateways: boolean, allowGatewayTransit: boolean): VirtualNetworkPeering => {
      const remoteVnet = this.vnetById.get(remote);
      const remoteName = remote.split('/').pop() ?? remote;
      const isFrom = local === fromVnetId;
      const subnets = opts.subnetPeering;
      const names = subnets === undefined ? null : isFrom ? subnets : { localSubnetNames: subnets.remoteSubnetNames, remoteSubnetNames: subnets.localSubnetNames };
      // With subnet peering, remoteAddressSpace is the named remote subnets' ranges.
      const remoteSubnetPrefixes = names === null ? null
        : this.subnets.filter((s) => s.virtualNetworkId === remote && names.remoteSubnetNames.some((n) => n.toLowerCase() === s.name.toLowerCase())).flatMap((s) => s.addressPrefixes);
      return {
        id: `${local}/virtualnetworkpeerings/to-${remoteName}` as ResourceId, name: `to-${remoteName}`, remoteVirtualNetworkId: remote,
        remoteAddressPrefixes: (isFrom ? opts.remoteAddressPrefixes : undefined) ?? remoteSubnetPrefixes ?? remoteVnet?.addressPrefixes ?? [],
        remoteVirtualNetworkAddressPrefixes: remoteVnet?.addressPrefixes ?? null,
        allowVirtualNetworkAccess: isFrom ? opts.allowVirtualNetworkAccess ?? true : true, allowForwardedTraffic: opts.allowForwardedTraffic ?? true,
        allowGatewayTransit, useRemoteGateways, peeringState: opts.state ?? 'Connected', peeringSyncLevel: opts.syncLevel ?? 'FullyInSync',
        peerCompleteVnets: names === null, localSubnetNames: names?.localSubnetNames ?? [], remoteSubnetNames: names?.remoteSubnetNames ?? [],
        enableOnlyIPv6Peering: false,
      };
    };
    const from = make(fromVnetId, toVnetId, opts.useRemoteGateways ?? false, opts.allowGatewayTransit ?? false);
    this.addPeering(fromVnetId, from);
    if (!opts.oneWay) this.addPeering(toVnetId, make(toVnetId, fromVnetId, false, opts.useRemoteGateways ?? opts.allowGatewayTransit ?? false));
    return from.id;
  }

  /** A peering to a VNet that is not in the model (out of scope): only its prefixes are known. */
  peerOutOfScope(fromVnetId: ResourceId, remoteVnetId: ResourceId, remoteAddressPrefixes: readonly string[]): ResourceId {
    const remoteName = remoteVnetId.split('/').pop() ?? remoteVnetId;
    const peering: VirtualNetworkPeering = {
      id: `${fromVnetId}/virtualnetworkpeerings/to-${remoteName}` as ResourceId, name: `to-${remoteName}`, remoteVirtualNetworkId: remoteVnetId,
      remoteAddressPrefixes, remoteVirtualNetworkAddressPrefixes: null, allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: false,
      useRemoteGateways: false, peeringState: 'Connected', peeringSyncLevel: 'FullyInSync', peerCompleteVnets: true, localSubnetNames: [], remoteSubnetNames: [],
      enableOnlyIPv6Peering: false,
    };
    this.addPeering(fromVnetId, peering);
    return peering.id;
  }

  gateway(name: string, vnetId: ResourceId, opts: { readonly type?: GatewayType; readonly vpnType?: VpnType; readonly defaultSiteId?: ResourceId; readonly publicIpIds?: readonly ResourceId[]; readonly enableBgp?: boolean } = {}): ResourceId {
    const id = networkId('virtualnetworkgateways', name);
    this.gateways.push({ ...base(id, name), kind: 'virtualNetworkGateway', gatewayType: opts.type ?? 'Vpn', vpnType: opts.vpnType ?? (opts.type === 'ExpressRoute' ? null : 'RouteBased'),
      virtualNetworkId: vnetId, gatewayDefaultSiteId: opts.defaultSiteId ?? null, enableBgp: opts.enableBgp ?? true, publicIpAddressIds: opts.publicIpIds ?? [] });
    return id;
  }

  /**
   * A vWAN hub. `internetPolicy` adds routing intent Internet → the hub firewall. `routingRead`: the
   * input shows no other source of a hub 0.0.0.0/0 (route tables read without one, connections'
   * static routes read and empty, no ExpressRoute / VPN gateway); without it those are absent (not
   * read), as in a snapshot written before they were modelled.
   */
  virtualHub(name: string, opts: {
    readonly firewallId?: ResourceId; readonly internetPolicy?: boolean; readonly routingRead?: boolean;
    readonly connections?: readonly { readonly vnetId: ResourceId; readonly enableInternetSecurity: boolean | null }[];
  } = {}): ResourceId {
    const id = networkId('virtualhubs', name);
    const read = opts.routingRead === true;
    this.hubs.push({
      ...base(id, name), kind: 'virtualHub', virtualWanId: networkId('virtualwans', 'wan'), addressPrefix: '10.255.0.0/23', azureFirewallId: opts.firewallId ?? null,
      connections: (opts.connections ?? []).map((c) => {
        const vnetName = c.vnetId.split('/').pop() ?? c.vnetId;
        return {
          id: `${id}/hubvirtualnetworkconnections/${vnetName}` as ResourceId, name: vnetName, remoteVirtualNetworkId: c.vnetId, enableInternetSecurity: c.enableInternetSecurity,
          ...(read ? { staticRoutes: [] } : {}),
        };
      }),
      routingPolicies: opts.internetPolicy ? [{ name: 'InternetTraffic', destinations: ['Internet'], nextHopId: opts.firewallId ?? null }] : [],
      ...(read ? { routeTables: [{ id: `${id}/hubroutetables/defaultroutetable` as ResourceId, name: 'defaultRouteTable', labels: ['default'], routes: [] }], expressRouteGatewayId: null, vpnGatewayId: null } : {}),
    });
    return id;
  }

  /**
   * A private endpoint in `subnetId` with one connection and (by default) its NIC `{name}.nic`
   * holding `privateIp`, as ARM models it.
   */
  privateEndpoint(subnetId: ResourceId, name: string, privateIp: string, opts: PrivateEndpointOptions = {}): ResourceId {
    const id = networkId('privateendpoints', name);
    const nicIds: ResourceId[] = [];
    if (opts.withNic !== false) {
      const nicId = this.nic(subnetId, `${name}.nic`, privateIp);
      const at = this.nics.findIndex((n) => n.id === nicId);
      const nic = this.nics[at];
      if (nic) this.nics[at] = { ...nic, privateEndpointId: id, primary: null };
      nicIds.push(nicId);
    }
    const connectionName = `${name}-connection`;
    this.privateEndpoints.push({
      ...base(id, name), kind: 'privateEndpoint', subnetId, networkInterfaceIds: nicIds,
      connections: [{
        id: `${id}/${opts.manual ? 'manualprivatelinkserviceconnections' : 'privatelinkserviceconnections'}/${connectionName}` as ResourceId, name: connectionName,
        privateLinkServiceId: opts.targetId ?? storageAccountId(name.replace(/[^a-z0-9]/gi, '')), groupIds: opts.groupIds ?? ['blob'],
        status: opts.status ?? 'Approved', manual: opts.manual ?? false,
      }],
      customDnsConfigs: (opts.fqdns ?? []).map((fqdn) => ({ fqdn: fqdn.toLowerCase(), ipAddresses: [privateIp] })),
      ipConfigurations: opts.withNic === false ? [{ name: 'ipconfig', groupId: (opts.groupIds ?? ['blob'])[0] ?? null, memberName: null, privateIpAddress: privateIp }] : [],
      privateDnsZoneGroups: opts.zoneGroup ? [{
        id: `${id}/privatednszonegroups/default` as ResourceId, name: 'default',
        privateDnsZoneConfigs: opts.zoneGroup.map((z) => {
          const zoneName = z.zoneId.split('/').pop() ?? '';
          return { name: zoneName, privateDnsZoneId: z.zoneId, recordSets: [{ recordType: 'A', recordSetName: z.recordSetName, fqdn: `${z.recordSetName}.${zoneName}`.toLowerCase(), ipAddresses: [privateIp] }] };
        }),
      }] : [],
    });
    return id;
  }

  /** A private DNS zone (records captured unless said otherwise). */
  privateDnsZone(name: string, opts: { readonly recordSetsCaptured?: boolean; readonly numberOfRecordSets?: number | null } = {}): ResourceId {
    const id = networkId('privatednszones', name);
    this.zones.push({ ...base(id, name), location: 'global', kind: 'privateDnsZone', virtualNetworkLinks: [], recordSets: [],
      numberOfRecordSets: opts.numberOfRecordSets ?? null, recordSetsCaptured: opts.recordSetsCaptured ?? true });
    return id;
  }

  /** Links a private DNS zone to a VNet (default resolution policy `Default`, state `Completed`). */
  link(zoneId: ResourceId, vnetId: ResourceId, opts: { readonly name?: string; readonly resolutionPolicy?: PrivateDnsResolutionPolicy; readonly registrationEnabled?: boolean; readonly linkState?: string | null } = {}): ResourceId {
    const zone = this.zone(zoneId);
    const name = opts.name ?? `link-${vnetId.split('/').pop() ?? ''}`;
    const link: PrivateDnsZoneLink = {
      id: `${zoneId}/virtualnetworklinks/${name.toLowerCase()}` as ResourceId, name, virtualNetworkId: vnetId, registrationEnabled: opts.registrationEnabled ?? false,
      resolutionPolicy: opts.resolutionPolicy ?? 'Default', linkState: opts.linkState === undefined ? 'Completed' : opts.linkState,
    };
    zone.virtualNetworkLinks = [...zone.virtualNetworkLinks, link];
    return link.id;
  }

  /** An A record set `name` (relative; `@` = apex) in the zone. */
  aRecord(zoneId: ResourceId, name: string, ipv4Addresses: readonly string[]): ResourceId {
    return this.addRecord(zoneId, name, (fields) => ({ ...fields, recordType: 'A', ipv4Addresses }));
  }

  /** A CNAME record set `name` → `target` in the zone. */
  cnameRecord(zoneId: ResourceId, name: string, target: string): ResourceId {
    return this.addRecord(zoneId, name, (fields) => ({ ...fields, recordType: 'CNAME', cname: target.toLowerCase().replace(/\.$/, '') }));
  }

  private zone(zoneId: ResourceId): Mutable<PrivateDnsZone> {
    const zone = this.zones.find((z) => z.id === zoneId);
    if (!zone) throw new Error(`no private DNS zone ${zoneId}`);
    return zone;
  }

  private addRecord(zoneId: ResourceId, name: string, make: (fields: { readonly id: ResourceId; readonly name: string; readonly fqdn: string }) => PrivateDnsRecordSet): ResourceId {
    const zone = this.zone(zoneId);
    const type = make({ id: '' as ResourceId, name, fqdn: '' }).recordType;
    const id = `${zoneId}/${type.toLowerCase()}/${name.toLowerCase()}` as ResourceId;
    const fqdn = name === '@' ? zone.name.toLowerCase() : `${name}.${zone.name}`.toLowerCase();
    zone.recordSets = [...zone.recordSets, make({ id, name, fqdn })];
    return id;
  }

  build(): NetworkModel {
    return {
      virtualNetworks: this.vnets.map((v) => ({ ...v, subnetIds: [...v.subnetIds], peerings: [...v.peerings] })), subnets: this.subnets.map((s) => ({ ...s })), routeTables: [...this.routeTables],
      natGateways: this.natGateways.map((n) => ({ ...n, subnetIds: this.subnets.filter((s) => s.natGatewayId === n.id).map((s) => s.id) })),
      publicIpAddresses: [...this.publicIps], publicIpPrefixes: [...this.publicIpPrefixes], networkInterfaces: [...this.nics],
      azureFirewalls: [...this.firewalls], firewallPolicies: [...this.policies], networkSecurityGroups: [...this.nsgs],
      loadBalancers: [...this.loadBalancers], virtualNetworkGateways: [...this.gateways], virtualHubs: [...this.hubs], virtualWans: [],
      ipGroups: [...this.ipGroups],
      privateEndpoints: [...this.privateEndpoints],
      privateDnsZones: this.zones.map((z) => ({ ...z })),
    };
  }

  private addPeering(vnetId: ResourceId, peering: VirtualNetworkPeering): void {
    const vnet = this.vnetById.get(vnetId);
    if (!vnet) throw new Error(`no vnet ${vnetId}`);
    vnet.peerings = [...vnet.peerings, peering];
  }

  private addPoolMember(poolId: ResourceId, ipConfigurationId: ResourceId): void {
    for (let i = 0; i < this.loadBalancers.length; i++) {
      const lb = this.loadBalancers[i];
      if (!lb?.backendAddressPools.some((p) => p.id === poolId)) continue;
      this.loadBalancers[i] = { ...lb, backendAddressPools: lb.backendAddressPools.map((p) => (p.id === poolId ? { ...p, backendIpConfigurationIds: [...p.backendIpConfigurationIds, ipConfigurationId] } : p)) };
    }
  }

  private attachPublicIp(publicIpId: ResourceId, ipConfigurationId: ResourceId): void {
    const i = this.publicIps.findIndex((p) => p.id === publicIpId);
    const pip = this.publicIps[i];
    if (pip) this.publicIps[i] = { ...pip, ipConfigurationId };
  }
}
