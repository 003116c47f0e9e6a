/**
 * Load balancers, virtual network gateways, virtual hubs (connections, routing intent) and
 * virtual WANs: ARM JSON → drafts.
 */
import { parseGatewayType, parseLoadBalancerProtocol, parseLoadBalancerSku, parseVpnType } from '../model/arm-values';
import { parentResourceId, toResourceId, type ResourceId } from '../model/ids';
import type {
  HubBgpConnection, HubLegacyRouteTable, HubNetworkVirtualAppliance, HubRouteTable, HubStaticRoute, HubVirtualNetworkConnection, LoadBalancerBackendPool,
  LoadBalancerFrontend, LoadBalancerProtocol, LoadBalancingRule, OutboundRule, RoutingPolicy,
} from '../model/topology';
import { upsert, type ChildWrites, type DraftStore } from './draft-store';
import { addressOnly, type BaseFields } from './map-network';
import {
  childId, fail, optBool, optCidr, optNodes, optNumber, optObject, optRef, optRefs, optString, optStrings, pathOf,
  type JsonNode,
} from './reader';

// ---------------------------------------------------------------------------------------------
// Load balancers

function mapFrontend(node: JsonNode, lbId: ResourceId): LoadBalancerFrontend {
  const { id, name } = childId(node, lbId, 'frontendIPConfigurations');
  return {
    id,
    name,
    // An internal frontend is a UDR next hop, matched by this address: checked as a NIC's is.
    privateIpAddress: addressOnly(node, 'privateIPAddress') ?? null,
    subnetId: optRef(node, 'subnet') ?? null,
    publicIpAddressId: optRef(node, 'publicIPAddress') ?? null,
    publicIpPrefixId: optRef(node, 'publicIPPrefix') ?? null,
  };
}

function mapBackendPool(node: JsonNode, lbId: ResourceId): LoadBalancerBackendPool {
  const { id, name } = childId(node, lbId, 'backendAddressPools');
  const configIds = [...(optRefs(node, 'backendIPConfigurations') ?? [])];
  const addresses: string[] = [];
  // `loadBalancerBackendAddresses` lists NIC-based members too (with `networkInterfaceIPConfiguration`);
  // only members given by `ipAddress` alone make an IP-based pool, which gets no outbound SNAT [LBRULES].
  for (const member of optNodes(node, 'loadBalancerBackendAddresses') ?? []) {
    const nicConfig = optRef(member, 'networkInterfaceIPConfiguration');
    if (nicConfig !== undefined) {
      if (!configIds.includes(nicConfig)) configIds.push(nicConfig);
      continue;
    }
    const address = optString(member, 'ipAddress');
    if (address !== undefined) addresses.push(address);
  }
  return { id, name, backendIpConfigurationIds: configIds, backendIpAddresses: addresses };
}

const PROTOCOL_EXPECTED = 'a load balancer rule protocol: "Tcp", "Udp" or "All"';

/**
 * `protocol` of a load-balancing, outbound or inbound NAT rule. ARM's TransportProtocol is `Udp`,
 * `Tcp` or `All` (load balancer REST spec; "Protocol: TCP, UDP or All" for outbound rules
 * https://learn.microsoft.com/azure/load-balancer/outbound-rules); the portal's `*` is read as
 * `All`. Any other value is malformed: read as `Unknown` it would cover no flow, and the
 * backend's outbound be confidently "none". The spec requires `protocol` on load-balancing rules
 * (LoadBalancingRulePropertiesFormat `required`: protocol, frontendPort) and outbound rules
 * (OutboundRulePropertiesFormat `required`: backendAddressPool, frontendIPConfigurations,
 * protocol), 2025-07-01 loadBalancer.json: absent there it is malformed (read as `All`, the rule
 * would give outbound to flows of a protocol it may not carry). InboundNatRulePropertiesFormat
 * requires nothing, and inbound NAT rules carry no egress: absent is accepted there.
 */
function protocolOf(node: JsonNode, required: boolean): LoadBalancerProtocol {
  const raw = optString(node, 'protocol');
  if (raw === undefined) {
    if (required) fail(node.file, pathOf(node, 'protocol'), PROTOCOL_EXPECTED, undefined);
    return 'All';
  }
  const protocol = parseLoadBalancerProtocol(raw);
  if (protocol === 'Unknown') fail(node.file, pathOf(node, 'protocol'), PROTOCOL_EXPECTED, raw);
  return protocol;
}

/**
 * `frontendPort` / `backendPort` of a load-balancing rule, as the load balancer REST spec allows
 * them (LoadBalancingRulePropertiesFormat: "Acceptable values are between 0 and 65534" for the
 * frontend, 0 and 65535 for the backend; "value 0 enables 'Any Port'", the HA ports rule
 * https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview). Another
 * number is no port Azure accepts: read as one, the rule would match no flow.
 * `frontendPort` is required by the spec: absent, it is malformed (read as 0, the rule would be
 * taken for "any port", or an HA ports rule). `backendPort` is not required and its default is
 * not documented; absent it is read as 0, as Azure appears to: a rule created without one was
 * refused for want of the all-ports feature (`SubscriptionNotRegisteredForFeature ...
 * Microsoft.Network/AllowILBAllPortsRule`, ansible/ansible#41566). It matters only to an HA ports
 * rule, which also needs frontendPort 0 and protocol All.
 */
function rulePort(node: JsonNode, key: string, max: number, required: boolean): number {
  const port = optNumber(node, key);
  const expected = `a port number (a whole number 0-${max})`;
  if (port === undefined) {
    if (required) fail(node.file, pathOf(node, key), expected, undefined);
    return 0;
  }
  if (!Number.isInteger(port) || port < 0 || port > max) fail(node.file, pathOf(node, key), expected, port);
  return port;
}

function mapLoadBalancingRule(node: JsonNode, lbId: ResourceId): LoadBalancingRule {
  const { id, name } = childId(node, lbId, 'loadBalancingRules');
  const frontend = optRef(node, 'frontendIPConfiguration');
  const pool = optRef(node, 'backendAddressPool');
  return {
    id,
    name,
    frontendIpConfigurationIds: frontend === undefined ? [] : [frontend],
    backendAddressPoolIds: [...new Set([...(pool === undefined ? [] : [pool]), ...(optRefs(node, 'backendAddressPools') ?? [])])],
    protocol: protocolOf(node, true),
    frontendPort: rulePort(node, 'frontendPort', 65534, true),
    backendPort: rulePort(node, 'backendPort', 65535, false),
    disableOutboundSnat: optBool(node, 'disableOutboundSnat') ?? false,
  };
}

/**
 * An outbound rule's `backendAddressPool` and `frontendIPConfigurations` are required
 * (OutboundRulePropertiesFormat, 2025-07-01 loadBalancer.json), as its protocol is: absent, the
 * rule would give its pool's members no outbound (no pool, no frontend IPs), confidently.
 */
export function mapOutboundRule(node: JsonNode, lbId: ResourceId): OutboundRule {
  const { id, name } = childId(node, lbId, 'outboundRules');
  const frontends = optRefs(node, 'frontendIPConfigurations');
  if (frontends === undefined) {
    fail(node.file, pathOf(node, 'frontendIPConfigurations'), 'the outbound rule\'s frontendIPConfigurations (a list of references to frontend IP configurations)', undefined);
  }
  const pool = optRef(node, 'backendAddressPool');
  if (pool === undefined) fail(node.file, pathOf(node, 'backendAddressPool'), 'the outbound rule\'s backendAddressPool (a reference to a backend pool)', undefined);
  return {
    id,
    name,
    frontendIpConfigurationIds: frontends,
    backendAddressPoolId: pool,
    allocatedOutboundPorts: optNumber(node, 'allocatedOutboundPorts') ?? null,
    protocol: protocolOf(node, true),
    idleTimeoutInMinutes: optNumber(node, 'idleTimeoutInMinutes') ?? null,
  };
}

export function mapLoadBalancer(store: DraftStore, node: JsonNode, base: BaseFields): void {
  checkInboundNatRules(node);
  const sku = optObject(node, 'sku');
  store.put('loadBalancer', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'loadBalancer',
    skuName: sku === undefined ? undefined : parseLoadBalancerSku(optString(sku, 'name')),
    frontendIpConfigurations: optNodes(node, 'frontendIPConfigurations')?.map((n) => mapFrontend(n, base.id)),
    backendAddressPools: optNodes(node, 'backendAddressPools')?.map((n) => mapBackendPool(n, base.id)),
    loadBalancingRules: optNodes(node, 'loadBalancingRules')?.map((n) => mapLoadBalancingRule(n, base.id)),
    outboundRules: optNodes(node, 'outboundRules')?.map((n) => mapOutboundRule(n, base.id)),
  });
}

/**
 * Inbound NAT rules are not modelled (they carry no outbound traffic), but their protocol is
 * checked as the other rules' are: a value Azure does not have marks the document as not what
 * Azure printed.
 */
function checkInboundNatRules(node: JsonNode): void {
  for (const rule of optNodes(node, 'inboundNatRules') ?? []) protocolOf(rule, false);
}

/** `loadBalancers/{outboundRules|backendAddressPools|frontendIPConfigurations|loadBalancingRules}` listed on their own. */
export function standaloneLoadBalancerChild(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  const byId = (x: { readonly id: ResourceId }): string => x.id;
  const segment = type.slice(type.lastIndexOf('/') + 1);
  let attach: (store: DraftStore) => boolean;
  let writes: ChildWrites;
  switch (segment) {
    case 'outboundrules': {
      const rule = mapOutboundRule(node, parentId);
      writes = { kind: 'loadBalancer', field: 'outboundRules', items: [rule] };
      attach = (s) => s.update('loadBalancer', parentId, (lb) => ({ ...lb, outboundRules: upsert(lb.outboundRules, rule, byId) }));
      break;
    }
    case 'backendaddresspools': {
      const pool = mapBackendPool(node, parentId);
      writes = { kind: 'loadBalancer', field: 'backendAddressPools', items: [pool] };
      attach = (s) => s.update('loadBalancer', parentId, (lb) => ({ ...lb, backendAddressPools: upsert(lb.backendAddressPools, pool, byId) }));
      break;
    }
    case 'frontendipconfigurations': {
      const frontend = mapFrontend(node, parentId);
      writes = { kind: 'loadBalancer', field: 'frontendIpConfigurations', items: [frontend] };
      attach = (s) => s.update('loadBalancer', parentId, (lb) => ({ ...lb, frontendIpConfigurations: upsert(lb.frontendIpConfigurations, frontend, byId) }));
      break;
    }
    default: {
      const rule = mapLoadBalancingRule(node, parentId);
      writes = { kind: 'loadBalancer', field: 'loadBalancingRules', items: [rule] };
      attach = (s) => s.update('loadBalancer', parentId, (lb) => ({ ...lb, loadBalancingRules: upsert(lb.loadBalancingRules, rule, byId) }));
    }
  }
  store.child({ id, type, parentId, writes, attach });
}

// ---------------------------------------------------------------------------------------------
// Virtual network gateways

/** Parsed when the input carried the field; undefined otherwise (the draft leaves it unset). */
function optionalParsed<T>(raw: string | undefined, parse: (raw: string) => T): T | undefined {
  return raw === undefined ? undefined : parse(raw);
}

export function mapVirtualNetworkGateway(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const ipConfigurations = optNodes(node, 'ipConfigurations');
  let virtualNetworkId: ResourceId | undefined;
  let publicIpAddressIds: ResourceId[] | undefined;
  if (ipConfigurations !== undefined) {
    publicIpAddressIds = [];
    for (const config of ipConfigurations) {
      // The gateway's IP configurations sit in the VNet's GatewaySubnet: subnet → VNet.
      const subnet = optRef(config, 'subnet');
      if (subnet !== undefined && virtualNetworkId === undefined) virtualNetworkId = parentResourceId(subnet);
      const pip = optRef(config, 'publicIPAddress');
      if (pip !== undefined && !publicIpAddressIds.includes(pip)) publicIpAddressIds.push(pip);
    }
  }
  store.put('virtualNetworkGateway', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'virtualNetworkGateway',
    gatewayType: optionalParsed(optString(node, 'gatewayType'), parseGatewayType),
    vpnType: optionalParsed(optString(node, 'vpnType'), parseVpnType),
    virtualNetworkId,
    gatewayDefaultSiteId: optRef(node, 'gatewayDefaultSite'),
    enableBgp: optBool(node, 'enableBgp'),
    publicIpAddressIds,
  });
}

// ---------------------------------------------------------------------------------------------
// Virtual hubs and WANs

export function mapHubConnection(node: JsonNode, hubId: ResourceId): HubVirtualNetworkConnection {
  const { id, name } = childId(node, hubId, 'hubVirtualNetworkConnections');
  return {
    id,
    name,
    remoteVirtualNetworkId: optRef(node, 'remoteVirtualNetwork') ?? null,
    // Absent is not false: a connection the input does not describe may propagate the hub's 0/0 [VWAN].
    enableInternetSecurity: optBool(node, 'enableInternetSecurity') ?? null,
    ...staticRoutesOf(node),
    ...associatedRouteTableOf(node),
    ...unsettledStateOf(node),
  };
}

/**
 * `provisioningState` when given and not `Succeeded` (HubVirtualNetworkConnection.provisioningState,
 * RoutingPolicy.provisioningState); nothing otherwise, so settled resources carry no extra field.
 */
function unsettledStateOf(node: JsonNode): { readonly provisioningState?: string } {
  const state = optString(node, 'provisioningState');
  return state === undefined || state.toLowerCase() === 'succeeded' ? {} : { provisioningState: state };
}

/**
 * `routingConfiguration.associatedRouteTable.id`; nothing when the input does not give it (then
 * which hub route table the connection follows is not known: the field stays absent) [VWANROUTING]
 * https://learn.microsoft.com/rest/api/virtualwan/hub-virtual-network-connections/get
 */
function associatedRouteTableOf(node: JsonNode): { readonly associatedRouteTableId?: ResourceId } {
  const routing = optObject(node, 'routingConfiguration');
  const id = routing === undefined ? undefined : optRef(routing, 'associatedRouteTable');
  return id === undefined ? {} : { associatedRouteTableId: id };
}

/**
 * `routingConfiguration.vnetRoutes.staticRoutes`; nothing when `vnetRoutes` is not in the input
 * (then whether the connection has static routes is not known: the field stays absent). ARM
 * returns `vnetRoutes` with its (possibly empty) `staticRoutes` list [VWANROUTING]
 * https://learn.microsoft.com/rest/api/virtualwan/hub-virtual-network-connections/get
 */
function staticRoutesOf(node: JsonNode): { readonly staticRoutes?: readonly HubStaticRoute[] } {
  const routing = optObject(node, 'routingConfiguration');
  const vnetRoutes = routing === undefined ? undefined : optObject(routing, 'vnetRoutes');
  if (vnetRoutes === undefined) return {};
  const staticRoutes = (optNodes(vnetRoutes, 'staticRoutes') ?? []).map((r): HubStaticRoute => ({
    name: optString(r, 'name') ?? '',
    addressPrefixes: optStrings(r, 'addressPrefixes') ?? [],
    nextHopIpAddress: optString(r, 'nextHopIpAddress') ?? null,
  }));
  return { staticRoutes };
}

export function mapHubRouteTable(node: JsonNode, hubId: ResourceId): HubRouteTable {
  const { id, name } = childId(node, hubId, 'hubRouteTables');
  return {
    id,
    name,
    labels: optStrings(node, 'labels') ?? [],
    routes: (optNodes(node, 'routes') ?? []).map((r) => ({
      name: optString(r, 'name') ?? '',
      destinationType: optString(r, 'destinationType') ?? 'CIDR',
      destinations: optStrings(r, 'destinations') ?? [],
      nextHopType: optString(r, 'nextHopType') ?? 'ResourceId',
      nextHop: optString(r, 'nextHop') ?? null,
    })),
  };
}

export function mapRoutingPolicies(node: JsonNode): readonly RoutingPolicy[] {
  const state = unsettledStateOf(node);
  return (optNodes(node, 'routingPolicies') ?? []).map((policy) => ({
    name: optString(policy, 'name') ?? '',
    destinations: optStrings(policy, 'destinations') ?? [],
    nextHopId: optRef(policy, 'nextHop') ?? null,
    ...state,
  }));
}

function mergePolicies(current: readonly RoutingPolicy[] | undefined, added: readonly RoutingPolicy[]): readonly RoutingPolicy[] {
  return added.reduce((list, policy) => upsert(list, policy, (p) => p.name.toLowerCase()), current ?? []);
}

/** A `virtualHubRouteTableV2s` entry, embedded or listed on its own (`virtualHubs/routeTables`). */
export function mapHubRouteTableV2(node: JsonNode, hubId: ResourceId): HubLegacyRouteTable {
  const { id, name } = childId(node, hubId, 'routeTables');
  return {
    id,
    name,
    routes: (optNodes(node, 'routes') ?? []).map((r) => ({ destinations: optStrings(r, 'destinations') ?? [], nextHops: optStrings(r, 'nextHops') ?? [] })),
  };
}

/**
 * The hub's pre-existing route tables (VirtualHub.legacyRouteTables): `routeTable` and
 * `virtualHubRouteTableV2s`, those that hold routes; undefined when none does (ARM prints both,
 * empty, on every hub: an empty one changes nothing).
 */
function legacyRouteTablesOf(node: JsonNode, hubId: ResourceId): readonly HubLegacyRouteTable[] | undefined {
  const tables: HubLegacyRouteTable[] = [];
  const table = optObject(node, 'routeTable');
  const routes = (table === undefined ? [] : optNodes(table, 'routes') ?? []).map((r) => {
    const nextHop = optString(r, 'nextHopIpAddress');
    return { destinations: optStrings(r, 'addressPrefixes') ?? [], nextHops: nextHop === undefined ? [] : [nextHop] };
  });
  if (routes.length > 0) tables.push({ id: toResourceId(`${hubId}/routeTable`), name: 'routeTable', routes });
  for (const v2 of optNodes(node, 'virtualHubRouteTableV2s') ?? []) {
    const mapped = mapHubRouteTableV2(v2, hubId);
    if (mapped.routes.length > 0) tables.push(mapped);
  }
  return tables.length === 0 ? undefined : tables;
}

/** A `virtualHubs/bgpConnections` child resource (the hub router's BGP peering with an NVA). */
export function mapHubBgpConnection(node: JsonNode, hubId: ResourceId): HubBgpConnection {
  const { id, name } = childId(node, hubId, 'bgpConnections');
  return {
    id,
    name,
    peerIp: optString(node, 'peerIp') ?? null,
    peerAsn: optNumber(node, 'peerAsn') ?? null,
    hubVirtualNetworkConnectionId: optRef(node, 'hubVirtualNetworkConnection') ?? null,
  };
}

/**
 * `Microsoft.Network/networkVirtualAppliances`: one deployed in a hub (`virtualHub`) joins that
 * hub (VirtualHub.networkVirtualAppliances), as a child listed on its own would; a hub not in the
 * input makes it an orphan with a gap. One without a hub (an NVA in a VNet) is not modelled: a gap.
 */
export function mapNetworkVirtualAppliance(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const hubId = optRef(node, 'virtualHub');
  const sku = optObject(node, 'nvaSku');
  const appliance: HubNetworkVirtualAppliance = { id: base.id, name: base.name, vendor: (sku === undefined ? undefined : optString(sku, 'vendor')) ?? null };
  if (hubId === undefined) {
    store.gaps.push({ code: 'not-modelled', scope: base.id,
      message: `Network virtual appliance ${base.name} names no virtual hub (virtualHub): only NVAs deployed in a Virtual WAN hub are read, so this one is not modelled.` });
    return;
  }
  const type = 'microsoft.network/networkvirtualappliances';
  store.child({
    id: base.id, type, parentId: hubId, writes: { kind: 'virtualHub', field: 'networkVirtualAppliances', items: [appliance] },
    attach: (s) => s.update('virtualHub', hubId, (hub) => ({ ...hub, networkVirtualAppliances: upsert(hub.networkVirtualAppliances, appliance, (a) => a.id) })),
  });
}

export function mapVirtualHub(store: DraftStore, node: JsonNode, base: BaseFields): void {
  // Hub connections and routing intent are child resources; accept them embedded too.
  const connectionNodes = optNodes(node, 'hubVirtualNetworkConnections') ?? optNodes(node, 'virtualNetworkConnections');
  const intents = optNodes(node, 'routingIntent');
  const routeTables = optNodes(node, 'hubRouteTables')?.map((t) => mapHubRouteTable(t, base.id));
  // The hub lists its BGP peerings by reference only; the details come from the child resources.
  const bgpConnectionIds = optRefs(node, 'bgpConnections');
  const legacyRouteTables = legacyRouteTablesOf(node, base.id);
  store.put('virtualHub', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'virtualHub',
    virtualWanId: optRef(node, 'virtualWan'),
    addressPrefix: optCidr(node, 'addressPrefix'),
    azureFirewallId: optRef(node, 'azureFirewall'),
    connections: connectionNodes?.map((c) => mapHubConnection(c, base.id)),
    routingPolicies: intents === undefined ? undefined : mergePolicies([], intents.flatMap(mapRoutingPolicies)),
    // An empty embedded list says nothing: every hub has a defaultRouteTable (see VirtualHub.routeTables).
    routeTables: routeTables === undefined || routeTables.length === 0 ? undefined : routeTables,
    expressRouteGatewayId: optRef(node, 'expressRouteGateway'),
    vpnGatewayId: optRef(node, 'vpnGateway'),
    legacyRouteTables,
    bgpConnectionIds: bgpConnectionIds === undefined || bgpConnectionIds.length === 0 ? undefined : [...new Set(bgpConnectionIds)].sort(),
  });
}

export function standaloneHubChild(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  if (type.endsWith('/routingintent')) {
    const policies = mapRoutingPolicies(node);
    store.child({
      id, type, parentId, writes: { kind: 'virtualHub', field: 'routingPolicies', items: policies },
      attach: (s) => s.update('virtualHub', parentId, (hub) => ({ ...hub, routingPolicies: mergePolicies(hub.routingPolicies, policies) })),
    });
    return;
  }
  if (type.endsWith('/bgpconnections')) {
    const connection = mapHubBgpConnection(node, parentId);
    store.child({
      id, type, parentId, writes: { kind: 'virtualHub', field: 'bgpConnections', items: [connection] },
      attach: (s) => s.update('virtualHub', parentId, (hub) => ({ ...hub, bgpConnections: upsert(hub.bgpConnections, connection, (c) => c.id) })),
    });
    return;
  }
  if (type.endsWith('/routetables')) {
    const table = mapHubRouteTableV2(node, parentId);
    store.child({
      id, type, parentId, writes: { kind: 'virtualHub', field: 'legacyRouteTables', items: [table] },
      attach: (s) => s.update('virtualHub', parentId, (hub) => ({ ...hub, legacyRouteTables: upsert(hub.legacyRouteTables, table, (t) => t.id) })),
    });
    return;
  }
  if (type.endsWith('/hubroutetables')) {
    const table = mapHubRouteTable(node, parentId);
    store.child({
      id, type, parentId, writes: { kind: 'virtualHub', field: 'routeTables', items: [table] },
      attach: (s) => s.update('virtualHub', parentId, (hub) => ({ ...hub, routeTables: upsert(hub.routeTables, table, (t) => t.id) })),
    });
    return;
  }
  const connection = mapHubConnection(node, parentId);
  store.child({
    id, type, parentId, writes: { kind: 'virtualHub', field: 'connections', items: [connection] },
    attach: (s) => s.update('virtualHub', parentId, (hub) => ({ ...hub, connections: upsert(hub.connections, connection, (c) => c.id) })),
  });
}

export function mapVirtualWan(store: DraftStore, node: JsonNode, base: BaseFields): void {
  store.put('virtualWan', { id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags, kind: 'virtualWan', virtualHubIds: optRefs(node, 'virtualHubs') });
}
