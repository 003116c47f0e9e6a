/**
 * Small typed factories for ARM REST-shaped resources (fields under `properties`, references as
 * `{ id }`), the wire format of `az rest`, ARM GETs and Resource Graph rows. The demo estates and
 * the synthetic generator build their JSON with these so an estate reads like a network diagram,
 * not like 2,000 lines of JSON. Shapes follow the Microsoft.Network 2024-2026 REST examples
 * (azure-rest-api-specs `specification/network/.../stable/2026-01-01/examples`).
 */

/** Where a resource lives and who owns it. Every resource carries `owner`, `costCenter`, `environment`. */
export interface Scope {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A top-level ARM resource in REST shape. */
export interface ArmResource {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly location?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly sku?: Readonly<Record<string, string | number>>;
  readonly zones?: readonly string[];
  readonly properties: Readonly<Record<string, unknown>>;
}

/** A reference as ARM writes it. */
export interface Ref { readonly id: string }

export function ref(id: string): Ref {
  return { id };
}

export function withTags(scope: Scope, extra: Readonly<Record<string, string>>): Scope {
  return { ...scope, tags: { ...scope.tags, ...extra } };
}

export function inGroup(scope: Scope, resourceGroup: string): Scope {
  return { ...scope, resourceGroup };
}

export function armId(scope: Pick<Scope, 'subscriptionId' | 'resourceGroup'>, type: string, name: string): string {
  return `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}/providers/${type}/${name}`;
}

function envelope(scope: Scope, type: string, name: string): Pick<ArmResource, 'id' | 'name' | 'type' | 'location' | 'tags'> {
  return { id: armId(scope, type, name), name, type, location: scope.location, tags: scope.tags };
}

// ---------------------------------------------------------------- public IPs

export interface PublicIpSpec {
  readonly ipAddress: string | null;
  readonly sku?: 'Standard' | 'Basic' | 'StandardV2';
  readonly version?: 'IPv4' | 'IPv6';
  /** The IP configuration it is attached to (back-reference ARM returns). */
  readonly ipConfigurationId?: string;
  readonly publicIpPrefixId?: string;
}

export function publicIp(scope: Scope, name: string, spec: PublicIpSpec): ArmResource {
  return {
    ...envelope(scope, 'Microsoft.Network/publicIPAddresses', name),
    sku: { name: spec.sku ?? 'Standard', tier: 'Regional' },
    zones: ['1', '2', '3'],
    properties: {
      provisioningState: 'Succeeded',
      publicIPAddressVersion: spec.version ?? 'IPv4',
      publicIPAllocationMethod: 'Static',
      idleTimeoutInMinutes: 4,
      ...(spec.ipAddress === null ? {} : { ipAddress: spec.ipAddress }),
      ...(spec.ipConfigurationId === undefined ? {} : { ipConfiguration: ref(spec.ipConfigurationId) }),
      ...(spec.publicIpPrefixId === undefined ? {} : { publicIPPrefix: ref(spec.publicIpPrefixId) }),
    },
  };
}

export function publicIpPrefix(scope: Scope, name: string, ipPrefix: string): ArmResource {
  const prefixLength = Number(ipPrefix.split('/')[1] ?? '32');
  return {
    ...envelope(scope, 'Microsoft.Network/publicIPPrefixes', name),
    sku: { name: 'Standard', tier: 'Regional' },
    properties: { provisioningState: 'Succeeded', prefixLength, publicIPAddressVersion: 'IPv4', ipPrefix },
  };
}

// ---------------------------------------------------------------- NAT gateway

export interface NatGatewaySpec {
  readonly publicIps?: readonly ArmResource[];
  readonly publicIpPrefixes?: readonly ArmResource[];
  readonly subnetIds?: readonly string[];
  readonly idleTimeoutInMinutes?: number;
}

export function natGateway(scope: Scope, name: string, spec: NatGatewaySpec): ArmResource {
  return {
    ...envelope(scope, 'Microsoft.Network/natGateways', name),
    sku: { name: 'Standard' },
    properties: {
      provisioningState: 'Succeeded',
      idleTimeoutInMinutes: spec.idleTimeoutInMinutes ?? 4,
      publicIpAddresses: (spec.publicIps ?? []).map((p) => ref(p.id)),
      publicIpPrefixes: (spec.publicIpPrefixes ?? []).map((p) => ref(p.id)),
      subnets: (spec.subnetIds ?? []).map(ref),
    },
  };
}

// ---------------------------------------------------------------- route tables

export type NextHopType = 'VirtualAppliance' | 'VirtualNetworkGateway' | 'VnetLocal' | 'Internet' | 'None';

export interface RouteSpec {
  readonly name: string;
  readonly addressPrefix: string;
  readonly nextHopType: NextHopType;
  readonly nextHopIpAddress?: string;
}

export function routeTable(scope: Scope, name: string, routes: readonly RouteSpec[], options: { readonly disableBgpRoutePropagation?: boolean } = {}): ArmResource {
  const id = armId(scope, 'Microsoft.Network/routeTables', name);
  return {
    ...envelope(scope, 'Microsoft.Network/routeTables', name),
    properties: {
      provisioningState: 'Succeeded',
      disableBgpRoutePropagation: options.disableBgpRoutePropagation ?? false,
      routes: routes.map((r) => ({
        id: `${id}/routes/${r.name}`,
        name: r.name,
        type: 'Microsoft.Network/routeTables/routes',
        properties: {
          provisioningState: 'Succeeded',
          addressPrefix: r.addressPrefix,
          nextHopType: r.nextHopType,
          ...(r.nextHopIpAddress === undefined ? {} : { nextHopIpAddress: r.nextHopIpAddress }),
          hasBgpOverride: false,
        },
      })),
    },
  };
}

/** The usual spoke route: everything not more specific goes to the hub appliance [UDR]. */
export function defaultRouteTo(applianceIp: string, name = 'default-to-hub-firewall'): RouteSpec {
  return { name, addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: applianceIp };
}

// ---------------------------------------------------------------- NSGs

export interface SecurityRuleSpec {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: 'Tcp' | 'Udp' | 'Icmp' | '*';
  readonly source: string;
  readonly destination: string;
  readonly destinationPort: string;
  readonly description?: string;
}

function securityRule(nsgId: string, rule: SecurityRuleSpec, collection: 'securityRules' | 'defaultSecurityRules'): Readonly<Record<string, unknown>> {
  return {
    id: `${nsgId}/${collection}/${rule.name}`,
    name: rule.name,
    type: `Microsoft.Network/networkSecurityGroups/${collection}`,
    properties: {
      provisioningState: 'Succeeded',
      ...(rule.description === undefined ? {} : { description: rule.description }),
      protocol: rule.protocol,
      sourcePortRange: '*',
      destinationPortRange: rule.destinationPort,
      sourceAddressPrefix: rule.source,
      destinationAddressPrefix: rule.destination,
      access: rule.access,
      priority: rule.priority,
      direction: rule.direction,
      sourcePortRanges: [],
      destinationPortRanges: [],
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
    },
  };
}

/** The six rules every NSG carries [NSG] https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules */
const DEFAULT_SECURITY_RULES: readonly SecurityRuleSpec[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', protocol: '*', source: 'VirtualNetwork', destination: 'VirtualNetwork', destinationPort: '*' },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', protocol: '*', source: 'AzureLoadBalancer', destination: '*', destinationPort: '*' },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', protocol: '*', source: '*', destination: '*', destinationPort: '*' },
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', protocol: '*', source: 'VirtualNetwork', destination: 'VirtualNetwork', destinationPort: '*' },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', protocol: '*', source: '*', destination: 'Internet', destinationPort: '*' },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', protocol: '*', source: '*', destination: '*', destinationPort: '*' },
];

export function networkSecurityGroup(scope: Scope, name: string, rules: readonly SecurityRuleSpec[]): ArmResource {
  const id = armId(scope, 'Microsoft.Network/networkSecurityGroups', name);
  return {
    ...envelope(scope, 'Microsoft.Network/networkSecurityGroups', name),
    properties: {
      provisioningState: 'Succeeded',
      securityRules: rules.map((r) => securityRule(id, r, 'securityRules')),
      defaultSecurityRules: DEFAULT_SECURITY_RULES.map((r) => securityRule(id, r, 'defaultSecurityRules')),
    },
  };
}

// ---------------------------------------------------------------- virtual networks

export interface SubnetSpec {
  readonly name: string;
  readonly addressPrefix: string;
  readonly routeTable?: ArmResource;
  readonly natGateway?: ArmResource;
  readonly networkSecurityGroup?: ArmResource;
  /** `false` = private subnet [DOA]; omitted = not set (older API versions: implicitly allowed). */
  readonly defaultOutboundAccess?: boolean;
  readonly delegation?: string;
  readonly serviceEndpoints?: readonly string[];
  readonly privateEndpointNetworkPolicies?: 'Enabled' | 'Disabled';
  /**
   * ARM subnets carry no tags; these are an Egress Atlas demo convenience (the training estate's
   * `lesson` tag) that normalizers may read.
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface PeeringSpec {
  readonly name: string;
  readonly remote: { readonly id: string; readonly addressPrefixes: readonly string[] };
  readonly allowForwardedTraffic?: boolean;
  readonly allowGatewayTransit?: boolean;
  readonly useRemoteGateways?: boolean;
  readonly peeringState?: 'Connected' | 'Initiated' | 'Disconnected';
}

export function subnetId(vnetId: string, name: string): string {
  return `${vnetId}/subnets/${name}`;
}

export function vnetId(scope: Pick<Scope, 'subscriptionId' | 'resourceGroup'>, name: string): string {
  return armId(scope, 'Microsoft.Network/virtualNetworks', name);
}

function subnetJson(parentId: string, s: SubnetSpec): Readonly<Record<string, unknown>> {
  return {
    id: subnetId(parentId, s.name),
    name: s.name,
    type: 'Microsoft.Network/virtualNetworks/subnets',
    ...(s.tags === undefined ? {} : { tags: s.tags }),
    properties: {
      provisioningState: 'Succeeded',
      addressPrefix: s.addressPrefix,
      ...(s.routeTable === undefined ? {} : { routeTable: ref(s.routeTable.id) }),
      ...(s.natGateway === undefined ? {} : { natGateway: ref(s.natGateway.id) }),
      ...(s.networkSecurityGroup === undefined ? {} : { networkSecurityGroup: ref(s.networkSecurityGroup.id) }),
      ...(s.defaultOutboundAccess === undefined ? {} : { defaultOutboundAccess: s.defaultOutboundAccess }),
      serviceEndpoints: (s.serviceEndpoints ?? []).map((service) => ({ service, locations: ['*'], provisioningState: 'Succeeded' })),
      delegations: s.delegation === undefined ? [] : [{
        name: 'delegation',
        id: `${subnetId(parentId, s.name)}/delegations/delegation`,
        type: 'Microsoft.Network/virtualNetworks/subnets/delegations',
        properties: { serviceName: s.delegation, actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'], provisioningState: 'Succeeded' },
      }],
      privateEndpointNetworkPolicies: s.privateEndpointNetworkPolicies ?? 'Disabled',
      privateLinkServiceNetworkPolicies: 'Enabled',
    },
  };
}

export function virtualNetwork(scope: Scope, name: string, addressPrefixes: readonly string[], subnets: readonly SubnetSpec[], peerings: readonly PeeringSpec[] = []): ArmResource {
  const id = vnetId(scope, name);
  return {
    ...envelope(scope, 'Microsoft.Network/virtualNetworks', name),
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: [...addressPrefixes] },
      enableDdosProtection: false,
      subnets: subnets.map((s) => subnetJson(id, s)),
      virtualNetworkPeerings: peerings.map((p) => ({
        id: `${id}/virtualNetworkPeerings/${p.name}`,
        name: p.name,
        type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
        properties: {
          provisioningState: 'Succeeded',
          peeringState: p.peeringState ?? 'Connected',
          peeringSyncLevel: 'FullyInSync',
          remoteVirtualNetwork: ref(p.remote.id),
          remoteAddressSpace: { addressPrefixes: [...p.remote.addressPrefixes] },
          allowVirtualNetworkAccess: true,
          allowForwardedTraffic: p.allowForwardedTraffic ?? false,
          allowGatewayTransit: p.allowGatewayTransit ?? false,
          useRemoteGateways: p.useRemoteGateways ?? false,
        },
      })),
    },
  };
}

// ---------------------------------------------------------------- NICs

export interface NicSpec {
  readonly subnetId: string;
  readonly privateIp: string;
  readonly publicIp?: ArmResource;
  readonly enableIPForwarding?: boolean;
  readonly networkSecurityGroup?: ArmResource;
  /** Backend pool IDs (NIC-based pools). */
  readonly backendPoolIds?: readonly string[];
  /** VM name; omitted for private endpoint NICs. */
  readonly vmName?: string;
  readonly privateEndpointName?: string;
}

export function nicIpConfigId(nicId: string, name = 'ipconfig1'): string {
  return `${nicId}/ipConfigurations/${name}`;
}

export function networkInterface(scope: Scope, name: string, spec: NicSpec): ArmResource {
  const id = armId(scope, 'Microsoft.Network/networkInterfaces', name);
  return {
    ...envelope(scope, 'Microsoft.Network/networkInterfaces', name),
    properties: {
      provisioningState: 'Succeeded',
      ipConfigurations: [{
        id: nicIpConfigId(id),
        name: 'ipconfig1',
        type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
        properties: {
          provisioningState: 'Succeeded',
          privateIPAddress: spec.privateIp,
          privateIPAllocationMethod: 'Static',
          privateIPAddressVersion: 'IPv4',
          subnet: ref(spec.subnetId),
          primary: true,
          ...(spec.publicIp === undefined ? {} : { publicIPAddress: ref(spec.publicIp.id) }),
          ...(spec.backendPoolIds === undefined ? {} : { loadBalancerBackendAddressPools: spec.backendPoolIds.map(ref) }),
        },
      }],
      dnsSettings: { dnsServers: [], appliedDnsServers: [] },
      enableAcceleratedNetworking: spec.vmName !== undefined,
      enableIPForwarding: spec.enableIPForwarding ?? false,
      ...(spec.networkSecurityGroup === undefined ? {} : { networkSecurityGroup: ref(spec.networkSecurityGroup.id) }),
      ...(spec.vmName === undefined ? {} : {
        virtualMachine: ref(armId(scope, 'Microsoft.Compute/virtualMachines', spec.vmName)),
        primary: true,
      }),
      ...(spec.privateEndpointName === undefined ? {} : {
        privateEndpoint: ref(armId(scope, 'Microsoft.Network/privateEndpoints', spec.privateEndpointName)),
      }),
      nicType: 'Standard',
    },
  };
}

// ---------------------------------------------------------------- private endpoints and private DNS
// Shapes of PrivateEndpointGet.json, PrivateDnsZoneGroupGet.json and the Microsoft.Network/privateDnsZones
// examples (PrivateZoneGet, VirtualNetworkLinkGet, RecordSetAGet, RecordSetSOAGet). Zone groups, links
// and record sets are separate child resources in REST, listed apart as `az` and ARM return them.
// [PE] https://learn.microsoft.com/azure/private-link/private-endpoint-overview
// [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns

export interface PrivateEndpointSpec {
  readonly subnetId: string;
  /** The platform-managed NIC (build it with `networkInterface(..., { privateEndpointName })`). */
  readonly networkInterfaceId: string;
  /** The resource served: a storage account, SQL server, key vault... */
  readonly privateLinkServiceId: string;
  readonly groupIds: readonly string[];
  /** The service name clients use (`stpatients.blob.core.windows.net`) and the endpoint's IP for it. */
  readonly fqdn: string;
  readonly privateIp: string;
}

export function privateEndpoint(scope: Scope, name: string, spec: PrivateEndpointSpec): ArmResource {
  const id = armId(scope, 'Microsoft.Network/privateEndpoints', name);
  const connectionName = `${name}-connection`;
  return {
    ...envelope(scope, 'Microsoft.Network/privateEndpoints', name),
    properties: {
      provisioningState: 'Succeeded',
      subnet: ref(spec.subnetId),
      privateLinkServiceConnections: [{
        id: `${id}/privateLinkServiceConnections/${connectionName}`,
        name: connectionName,
        type: 'Microsoft.Network/privateEndpoints/privateLinkServiceConnections',
        properties: {
          provisioningState: 'Succeeded',
          privateLinkServiceId: spec.privateLinkServiceId,
          groupIds: [...spec.groupIds],
          privateLinkServiceConnectionState: { status: 'Approved', description: 'Auto-Approved', actionsRequired: 'None' },
        },
      }],
      manualPrivateLinkServiceConnections: [],
      networkInterfaces: [ref(spec.networkInterfaceId)],
      ipConfigurations: [],
      customDnsConfigs: [{ fqdn: spec.fqdn, ipAddresses: [spec.privateIp] }],
    },
  };
}

/** `privateEndpoints/privateDnsZoneGroups`: the endpoint manages an A record in each zone it names. */
export function privateDnsZoneGroup(endpointId: string, name: string, configs: readonly { readonly zoneId: string; readonly recordSetName: string; readonly privateIp: string }[]): ArmResource {
  return {
    id: `${endpointId}/privateDnsZoneGroups/${name}`,
    name,
    type: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
    properties: {
      provisioningState: 'Succeeded',
      privateDnsZoneConfigs: configs.map((c) => {
        const zoneName = c.zoneId.slice(c.zoneId.lastIndexOf('/') + 1);
        return {
          name: zoneName.replace(/\./g, '-'),
          properties: {
            privateDnsZoneId: c.zoneId,
            recordSets: [{ recordType: 'A', recordSetName: c.recordSetName, fqdn: `${c.recordSetName}.${zoneName}`, provisioningState: 'Succeeded', ttl: 10, ipAddresses: [c.privateIp] }],
          },
        };
      }),
    },
  };
}

/** A private DNS zone (global). Pass a scope with `location: 'global'`. */
export function privateDnsZone(scope: Scope, name: string, counts: { readonly numberOfRecordSets: number; readonly numberOfVirtualNetworkLinks: number }): ArmResource {
  return {
    ...envelope(scope, 'Microsoft.Network/privateDnsZones', name),
    properties: {
      provisioningState: 'Succeeded',
      maxNumberOfRecordSets: 25000,
      maxNumberOfVirtualNetworkLinks: 1000,
      maxNumberOfVirtualNetworkLinksWithRegistration: 100,
      numberOfRecordSets: counts.numberOfRecordSets,
      numberOfVirtualNetworkLinks: counts.numberOfVirtualNetworkLinks,
      numberOfVirtualNetworkLinksWithRegistration: 0,
    },
  };
}

function privateDnsZoneId(scope: Pick<Scope, 'subscriptionId' | 'resourceGroup'>, zoneName: string): string {
  return armId(scope, 'Microsoft.Network/privateDnsZones', zoneName);
}

/** `privateDnsZones/virtualNetworkLinks`: Azure DNS answers from the zone for clients in this VNet. */
export function privateDnsZoneVirtualNetworkLink(scope: Scope, zoneName: string, name: string, spec: { readonly virtualNetworkId: string; readonly resolutionPolicy?: 'Default' | 'NxDomainRedirect' }): ArmResource {
  return {
    id: `${privateDnsZoneId(scope, zoneName)}/virtualNetworkLinks/${name}`,
    name,
    type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
    location: 'global',
    tags: scope.tags,
    properties: {
      provisioningState: 'Succeeded',
      virtualNetwork: ref(spec.virtualNetworkId),
      registrationEnabled: false,
      resolutionPolicy: spec.resolutionPolicy ?? 'Default',
      virtualNetworkLinkState: 'Completed',
    },
  };
}

/** `privateDnsZones/A`: a relative name (`stpatients`) and its addresses. */
export function privateDnsARecord(scope: Scope, zoneName: string, name: string, ipv4Addresses: readonly string[]): ArmResource {
  return {
    id: `${privateDnsZoneId(scope, zoneName)}/A/${name}`,
    name,
    type: 'Microsoft.Network/privateDnsZones/A',
    properties: { ttl: 10, fqdn: `${name}.${zoneName}.`, isAutoRegistered: false, aRecords: ipv4Addresses.map((ipv4Address) => ({ ipv4Address })) },
  };
}

/** `privateDnsZones/SOA/@`: every zone has one; listing it shows the zone's record sets were read. */
export function privateDnsSoaRecord(scope: Scope, zoneName: string): ArmResource {
  return {
    id: `${privateDnsZoneId(scope, zoneName)}/SOA/@`,
    name: '@',
    type: 'Microsoft.Network/privateDnsZones/SOA',
    properties: {
      ttl: 3600, fqdn: `${zoneName}.`, isAutoRegistered: false,
      soaRecord: { email: 'azureprivatedns-host.microsoft.com', expireTime: 2419200, host: 'azureprivatedns.net', minimumTtl: 10, refreshTime: 3600, retryTime: 300, serialNumber: 1 },
    },
  };
}

// ---------------------------------------------------------------- load balancers

export interface FrontendSpec {
  readonly name: string;
  readonly publicIp?: ArmResource;
  /** Internal frontend. */
  readonly privateIp?: string;
  readonly subnetId?: string;
}

export interface BackendPoolSpec {
  readonly name: string;
  /** IP-based pool members: `{ ipAddress, virtualNetworkId }`. NIC-based pools list nothing here (the NIC points at the pool). */
  readonly ipAddresses?: readonly { readonly ipAddress: string; readonly virtualNetworkId: string }[];
  /** NIC ipConfiguration IDs (the back-reference ARM returns on NIC-based pools). */
  readonly nicIpConfigIds?: readonly string[];
}

export interface LbRuleSpec {
  readonly name: string;
  readonly frontend: string;
  readonly backendPool: string;
  readonly protocol: 'Tcp' | 'Udp' | 'All';
  readonly frontendPort: number;
  readonly backendPort: number;
  readonly disableOutboundSnat: boolean;
}

export interface OutboundRuleSpec {
  readonly name: string;
  readonly frontends: readonly string[];
  readonly backendPool: string;
  readonly allocatedOutboundPorts: number;
  readonly protocol?: 'Tcp' | 'Udp' | 'All';
  readonly idleTimeoutInMinutes?: number;
}

export interface LoadBalancerSpec {
  readonly sku?: 'Standard' | 'Basic';
  readonly frontends: readonly FrontendSpec[];
  readonly backendPools: readonly BackendPoolSpec[];
  readonly rules?: readonly LbRuleSpec[];
  readonly outboundRules?: readonly OutboundRuleSpec[];
}

export function loadBalancerId(scope: Pick<Scope, 'subscriptionId' | 'resourceGroup'>, name: string): string {
  return armId(scope, 'Microsoft.Network/loadBalancers', name);
}

export function backendPoolId(lbId: string, pool: string): string {
  return `${lbId}/backendAddressPools/${pool}`;
}

export function loadBalancer(scope: Scope, name: string, spec: LoadBalancerSpec): ArmResource {
  const id = loadBalancerId(scope, name);
  const child = (kind: string, n: string): string => `${id}/${kind}/${n}`;
  return {
    ...envelope(scope, 'Microsoft.Network/loadBalancers', name),
    sku: { name: spec.sku ?? 'Standard', tier: 'Regional' },
    properties: {
      provisioningState: 'Succeeded',
      frontendIPConfigurations: spec.frontends.map((f) => ({
        id: child('frontendIPConfigurations', f.name),
        name: f.name,
        type: 'Microsoft.Network/loadBalancers/frontendIPConfigurations',
        properties: {
          provisioningState: 'Succeeded',
          privateIPAllocationMethod: f.privateIp === undefined ? 'Dynamic' : 'Static',
          ...(f.privateIp === undefined ? {} : { privateIPAddress: f.privateIp, privateIPAddressVersion: 'IPv4' }),
          ...(f.subnetId === undefined ? {} : { subnet: ref(f.subnetId) }),
          ...(f.publicIp === undefined ? {} : { publicIPAddress: ref(f.publicIp.id) }),
        },
      })),
      backendAddressPools: spec.backendPools.map((p) => ({
        id: child('backendAddressPools', p.name),
        name: p.name,
        type: 'Microsoft.Network/loadBalancers/backendAddressPools',
        properties: {
          provisioningState: 'Succeeded',
          ...(p.nicIpConfigIds === undefined ? {} : { backendIPConfigurations: p.nicIpConfigIds.map(ref) }),
          ...(p.ipAddresses === undefined ? {} : {
            loadBalancerBackendAddresses: p.ipAddresses.map((a, i) => ({
              name: `member-${i + 1}`,
              properties: { ipAddress: a.ipAddress, virtualNetwork: ref(a.virtualNetworkId) },
            })),
          }),
        },
      })),
      loadBalancingRules: (spec.rules ?? []).map((r) => ({
        id: child('loadBalancingRules', r.name),
        name: r.name,
        type: 'Microsoft.Network/loadBalancers/loadBalancingRules',
        properties: {
          provisioningState: 'Succeeded',
          frontendIPConfiguration: ref(child('frontendIPConfigurations', r.frontend)),
          backendAddressPool: ref(child('backendAddressPools', r.backendPool)),
          backendAddressPools: [ref(child('backendAddressPools', r.backendPool))],
          protocol: r.protocol,
          frontendPort: r.frontendPort,
          backendPort: r.backendPort,
          idleTimeoutInMinutes: 4,
          enableFloatingIP: false,
          enableTcpReset: false,
          loadDistribution: 'Default',
          disableOutboundSnat: r.disableOutboundSnat,
        },
      })),
      outboundRules: (spec.outboundRules ?? []).map((o) => ({
        id: child('outboundRules', o.name),
        name: o.name,
        type: 'Microsoft.Network/loadBalancers/outboundRules',
        properties: {
          provisioningState: 'Succeeded',
          allocatedOutboundPorts: o.allocatedOutboundPorts,
          protocol: o.protocol ?? 'All',
          enableTcpReset: true,
          idleTimeoutInMinutes: o.idleTimeoutInMinutes ?? 4,
          frontendIPConfigurations: o.frontends.map((f) => ref(child('frontendIPConfigurations', f))),
          backendAddressPool: ref(child('backendAddressPools', o.backendPool)),
        },
      })),
      probes: [],
      inboundNatRules: [],
    },
  };
}

// ---------------------------------------------------------------- Azure Firewall and policy

export interface FirewallSpec {
  readonly tier?: 'Basic' | 'Standard' | 'Premium';
  /** VNet firewall: AzureFirewallSubnet and its private IP. */
  readonly subnetId?: string;
  readonly privateIp?: string;
  readonly publicIps?: readonly ArmResource[];
  readonly policy?: ArmResource;
  /** Secured vWAN hub firewall (AZFW_Hub). */
  readonly virtualHubId?: string;
  readonly hubPrivateIp?: string;
  readonly hubPublicIps?: readonly string[];
}

export function azureFirewallId(scope: Pick<Scope, 'subscriptionId' | 'resourceGroup'>, name: string): string {
  return armId(scope, 'Microsoft.Network/azureFirewalls', name);
}

export function azureFirewall(scope: Scope, name: string, spec: FirewallSpec): ArmResource {
  const id = azureFirewallId(scope, name);
  const hub = spec.virtualHubId !== undefined;
  const pips = spec.publicIps ?? [];
  return {
    ...envelope(scope, 'Microsoft.Network/azureFirewalls', name),
    zones: ['1', '2', '3'],
    properties: {
      provisioningState: 'Succeeded',
      sku: { name: hub ? 'AZFW_Hub' : 'AZFW_VNet', tier: spec.tier ?? 'Standard' },
      threatIntelMode: 'Alert',
      ipConfigurations: hub ? [] : pips.map((pip, i) => ({
        id: `${id}/azureFirewallIpConfigurations/ipconfig${i + 1}`,
        name: `ipconfig${i + 1}`,
        type: 'Microsoft.Network/azureFirewalls/azureFirewallIpConfigurations',
        properties: {
          provisioningState: 'Succeeded',
          // Only the first IP configuration carries the subnet and the private IP.
          ...(i === 0 && spec.privateIp !== undefined ? { privateIPAddress: spec.privateIp } : {}),
          ...(i === 0 && spec.subnetId !== undefined ? { subnet: ref(spec.subnetId) } : {}),
          publicIPAddress: ref(pip.id),
        },
      })),
      ...(spec.policy === undefined ? {} : { firewallPolicy: ref(spec.policy.id) }),
      ...(hub ? {
        virtualHub: ref(spec.virtualHubId ?? ''),
        hubIPAddresses: {
          privateIPAddress: spec.hubPrivateIp ?? null,
          publicIPs: { count: (spec.hubPublicIps ?? []).length, addresses: (spec.hubPublicIps ?? []).map((address) => ({ address })) },
        },
      } : {}),
      applicationRuleCollections: [],
      natRuleCollections: [],
      networkRuleCollections: [],
    },
  };
}

export interface ApplicationRuleSpec {
  readonly kind: 'application';
  readonly name: string;
  readonly sourceAddresses: readonly string[];
  readonly targetFqdns?: readonly string[];
  readonly fqdnTags?: readonly string[];
  readonly protocols?: readonly { readonly protocolType: 'Http' | 'Https' | 'Mssql'; readonly port: number }[];
}

export interface NetworkRuleSpec {
  readonly kind: 'network';
  readonly name: string;
  readonly ipProtocols: readonly ('TCP' | 'UDP' | 'ICMP' | 'Any')[];
  readonly sourceAddresses: readonly string[];
  readonly destinationAddresses?: readonly string[];
  readonly destinationFqdns?: readonly string[];
  readonly destinationPorts: readonly string[];
}

export interface RuleCollectionSpec {
  readonly name: string;
  readonly priority: number;
  readonly action: 'Allow' | 'Deny';
  readonly rules: readonly (ApplicationRuleSpec | NetworkRuleSpec)[];
}

export function firewallPolicyId(scope: Pick<Scope, 'subscriptionId' | 'resourceGroup'>, name: string): string {
  return armId(scope, 'Microsoft.Network/firewallPolicies', name);
}

export function firewallPolicy(scope: Scope, name: string, ruleCollectionGroupNames: readonly string[]): ArmResource {
  const id = firewallPolicyId(scope, name);
  return {
    ...envelope(scope, 'Microsoft.Network/firewallPolicies', name),
    properties: {
      provisioningState: 'Succeeded',
      sku: { tier: 'Standard' },
      threatIntelMode: 'Alert',
      // IANA private ranges: the firewall SNATs everything bound for public IPs [FWSNAT].
      snat: { privateRanges: ['IANAPrivateRanges'] },
      ruleCollectionGroups: ruleCollectionGroupNames.map((g) => ref(`${id}/ruleCollectionGroups/${g}`)),
      firewalls: [],
      childPolicies: [],
    },
  };
}

function firewallRuleJson(rule: ApplicationRuleSpec | NetworkRuleSpec): Readonly<Record<string, unknown>> {
  switch (rule.kind) {
    case 'application':
      return {
        ruleType: 'ApplicationRule',
        name: rule.name,
        protocols: rule.protocols ?? [{ protocolType: 'Https', port: 443 }],
        sourceAddresses: rule.sourceAddresses,
        targetFqdns: rule.targetFqdns ?? [],
        fqdnTags: rule.fqdnTags ?? [],
        webCategories: [],
        terminateTLS: false,
      };
    case 'network':
      return {
        ruleType: 'NetworkRule',
        name: rule.name,
        ipProtocols: rule.ipProtocols,
        sourceAddresses: rule.sourceAddresses,
        destinationAddresses: rule.destinationAddresses ?? [],
        destinationFqdns: rule.destinationFqdns ?? [],
        destinationPorts: rule.destinationPorts,
        sourceIpGroups: [],
        destinationIpGroups: [],
      };
  }
}

/** A rule collection group: a separate ARM resource under the policy (`ruleCollectionGroups` child). */
export function ruleCollectionGroup(scope: Scope, policyName: string, name: string, priority: number, collections: readonly RuleCollectionSpec[]): ArmResource {
  const policyId = firewallPolicyId(scope, policyName);
  return {
    id: `${policyId}/ruleCollectionGroups/${name}`,
    name,
    type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
    properties: {
      provisioningState: 'Succeeded',
      priority,
      ruleCollections: collections.map((c) => ({
        ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
        name: c.name,
        priority: c.priority,
        action: { type: c.action },
        rules: c.rules.map(firewallRuleJson),
      })),
    },
  };
}

// ---------------------------------------------------------------- VPN gateway

export interface VnetGatewaySpec {
  readonly gatewaySubnetId: string;
  readonly publicIp: ArmResource;
  readonly gatewayType?: 'Vpn' | 'ExpressRoute';
  readonly enableBgp?: boolean;
  readonly asn?: number;
  readonly bgpPeeringAddress?: string;
  /** Forced tunnelling to this local network gateway [DEFSITE]. */
  readonly gatewayDefaultSiteId?: string;
}

export function virtualNetworkGateway(scope: Scope, name: string, spec: VnetGatewaySpec): ArmResource {
  const id = armId(scope, 'Microsoft.Network/virtualNetworkGateways', name);
  const vpn = (spec.gatewayType ?? 'Vpn') === 'Vpn';
  return {
    ...envelope(scope, 'Microsoft.Network/virtualNetworkGateways', name),
    properties: {
      provisioningState: 'Succeeded',
      ipConfigurations: [{
        id: `${id}/ipConfigurations/default`,
        name: 'default',
        properties: { privateIPAllocationMethod: 'Dynamic', subnet: ref(spec.gatewaySubnetId), publicIPAddress: ref(spec.publicIp.id) },
      }],
      sku: vpn ? { name: 'VpnGw2AZ', tier: 'VpnGw2AZ' } : { name: 'ErGw1AZ', tier: 'ErGw1AZ' },
      gatewayType: spec.gatewayType ?? 'Vpn',
      ...(vpn ? { vpnType: 'RouteBased', vpnGatewayGeneration: 'Generation2' } : {}),
      enableBgp: spec.enableBgp ?? false,
      activeActive: false,
      ...(spec.enableBgp === true ? { bgpSettings: { asn: spec.asn ?? 65515, bgpPeeringAddress: spec.bgpPeeringAddress ?? '', peerWeight: 0 } } : {}),
      ...(spec.gatewayDefaultSiteId === undefined ? {} : { gatewayDefaultSite: ref(spec.gatewayDefaultSiteId) }),
    },
  };
}

// ---------------------------------------------------------------- Virtual WAN

export function virtualWan(scope: Scope, name: string, hubIds: readonly string[]): ArmResource {
  return {
    ...envelope(scope, 'Microsoft.Network/virtualWans', name),
    properties: {
      provisioningState: 'Succeeded',
      type: 'Standard',
      allowBranchToBranchTraffic: true,
      virtualHubs: hubIds.map(ref),
      vpnSites: [],
    },
  };
}

export function virtualHubId(scope: Pick<Scope, 'subscriptionId' | 'resourceGroup'>, name: string): string {
  return armId(scope, 'Microsoft.Network/virtualHubs', name);
}

export function virtualHub(scope: Scope, name: string, spec: { readonly virtualWanId: string; readonly addressPrefix: string; readonly azureFirewallId?: string }): ArmResource {
  return {
    ...envelope(scope, 'Microsoft.Network/virtualHubs', name),
    properties: {
      provisioningState: 'Succeeded',
      virtualWan: ref(spec.virtualWanId),
      addressPrefix: spec.addressPrefix,
      sku: 'Standard',
      routingState: 'Provisioned',
      virtualRouterAsn: 65515,
      ...(spec.azureFirewallId === undefined ? {} : { azureFirewall: ref(spec.azureFirewallId) }),
      hubRoutingPreference: 'ExpressRoute',
    },
  };
}

/** `Microsoft.Network/virtualHubs/hubVirtualNetworkConnections` (what `hubVirtualNetworkConnections.list` returns). */
export function hubVirtualNetworkConnection(hubId: string, name: string, spec: { readonly remoteVirtualNetworkId: string; readonly enableInternetSecurity: boolean }): ArmResource {
  return {
    id: `${hubId}/hubVirtualNetworkConnections/${name}`,
    name,
    type: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
    properties: {
      provisioningState: 'Succeeded',
      remoteVirtualNetwork: ref(spec.remoteVirtualNetworkId),
      allowHubToRemoteVnetTransit: true,
      allowRemoteVnetToUseHubVnetGateways: true,
      // "Propagate default route": the hub's 0/0 reaches the spoke only when true [VWAN].
      enableInternetSecurity: spec.enableInternetSecurity,
    },
  };
}

/** `Microsoft.Network/virtualHubs/routingIntent` (RoutingIntentGet.json shape). */
export function routingIntent(hubId: string, name: string, policies: readonly { readonly name: string; readonly destinations: readonly ('Internet' | 'PrivateTraffic')[]; readonly nextHop: string }[]): ArmResource {
  return {
    id: `${hubId}/routingIntent/${name}`,
    name,
    type: 'Microsoft.Network/virtualHubs/routingIntent',
    properties: { provisioningState: 'Succeeded', routingPolicies: policies.map((p) => ({ ...p, destinations: [...p.destinations] })) },
  };
}

// ---------------------------------------------------------------- effective routes

export interface EffectiveRouteSpec {
  readonly source: 'Default' | 'User' | 'VirtualNetworkGateway';
  readonly state?: 'Active' | 'Invalid';
  readonly addressPrefix: readonly string[];
  readonly nextHopType: string;
  readonly nextHopIpAddress?: readonly string[];
  readonly name?: string;
}

/** One item of `NetworkInterfaces_GetEffectiveRouteTable` (no `properties` envelope there) [EFF]. */
export function effectiveRoute(r: EffectiveRouteSpec): Readonly<Record<string, unknown>> {
  return {
    ...(r.name === undefined ? {} : { name: r.name }),
    disableBgpRoutePropagation: false,
    source: r.source,
    state: r.state ?? 'Active',
    addressPrefix: [...r.addressPrefix],
    nextHopIpAddress: [...(r.nextHopIpAddress ?? [])],
    nextHopType: r.nextHopType,
  };
}

/** The system routes Azure puts in every subnet of a VNet with these address prefixes [UDR]. */
export function systemEffectiveRoutes(vnetPrefixes: readonly string[]): readonly EffectiveRouteSpec[] {
  return [
    ...vnetPrefixes.map((p): EffectiveRouteSpec => ({ source: 'Default', addressPrefix: [p], nextHopType: 'VnetLocal' })),
    { source: 'Default', addressPrefix: ['0.0.0.0/0'], nextHopType: 'Internet' },
    { source: 'Default', addressPrefix: ['10.0.0.0/8'], nextHopType: 'None' },
    { source: 'Default', addressPrefix: ['172.16.0.0/12'], nextHopType: 'None' },
    { source: 'Default', addressPrefix: ['192.168.0.0/16'], nextHopType: 'None' },
    { source: 'Default', addressPrefix: ['100.64.0.0/10'], nextHopType: 'None' },
  ];
}

/** Captured effective routes of one NIC, as the demo documents carry them. */
export interface CapturedRoutes {
  readonly networkInterfaceId: string;
  readonly routes: readonly Readonly<Record<string, unknown>>[];
}
