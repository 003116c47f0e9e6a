/**
 * VNets, subnets, peerings, route tables, NAT gateways, public IPs and prefixes, NICs: ARM JSON
 * (either shape) → drafts. Only fields the input carried are set (see draft-store.ts).
 */
import {
  parseNatGatewaySku, parsePeeringState, parsePeeringSyncLevel, parsePublicIpSku,
} from '../model/arm-values';
import { nameFromResourceId, networkInterfaceName, parentResourceId, type ResourceId } from '../model/ids';
import type {
  NicIpConfiguration, Route, ServiceEndpoint, VirtualNetworkPeering,
} from '../model/topology';
import { RANK_EMBEDDED, RANK_STANDALONE, upsert, withDefaulted, type DraftOf, type DraftStore } from './draft-store';
import {
  canonicalId, childId, fail, field, isIpText, isRecord, isResourceIdText, mapNodes, optBool, optCidr, optCidrOrList, optCidrs, optNodes, optNumber, optObject, optRef, optRefs, optString,
  optStrings, pathOf, readTags, topString, toCidrText, type JsonNode, type JsonRecord,
} from './reader';

/**
 * The envelope every top-level resource shares; `id` was validated by the caller. Mappers spell these fields out in their object literals instead of spreading `base`: spreading
 * an object with `undefined` members cost a third of the time of a 100,000-NIC run.
 */
export interface BaseFields {
  readonly id: ResourceId;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location?: string | null;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Subscription and resource group (original casing) of an ID: `/subscriptions/{s}/resourceGroups/{rg}/…`.
 * Split by hand, not by regex: it runs for every resource of a 100,000-NIC estate.
 */
function scopeOf(rawId: string): { readonly subscriptionId: string; readonly resourceGroup: string } {
  let at = 0;
  while (rawId.charCodeAt(at) === 47 || rawId.charCodeAt(at) === 32) at++;
  const subStart = rawId.indexOf('/', at) + 1;
  if (subStart === 0) return { subscriptionId: '', resourceGroup: '' };
  const subEnd = rawId.indexOf('/', subStart);
  const subscriptionId = rawId.slice(subStart, subEnd < 0 ? undefined : subEnd);
  // The usual casing is compared in place; only another one pays for a lower-cased copy.
  if (subEnd < 0 || (!rawId.startsWith('resourceGroups/', subEnd + 1) && rawId.slice(subEnd + 1, subEnd + 16).toLowerCase() !== 'resourcegroups/')) {
    return { subscriptionId, resourceGroup: '' };
  }
  const rgStart = subEnd + 16;
  const rgEnd = rawId.indexOf('/', rgStart);
  return { subscriptionId, resourceGroup: rawId.slice(rgStart, rgEnd < 0 ? undefined : rgEnd) };
}

export function readBase(node: JsonNode, rawId: string, id: ResourceId): BaseFields {
  // Subscription and resource group come from the ID, never from az's `resourceGroup` field:
  // the ID is what every reference uses.
  const { subscriptionId, resourceGroup } = scopeOf(rawId);
  return {
    id,
    name: topString(node, 'name') ?? nameFromResourceId(rawId),
    subscriptionId,
    resourceGroup,
    location: topString(node, 'location'),
    tags: readTags(node),
  };
}

function childBase(node: JsonNode, parentId: ResourceId, segment: string, location: string | null | undefined): BaseFields {
  const { id, name } = childId(node, parentId, segment);
  // The ID as written (any casing of the key) keeps the subscription and group's original casing.
  const rawId = field(node.raw, 'id');
  const { subscriptionId, resourceGroup } = scopeOf(typeof rawId === 'string' ? rawId : id);
  return { id, name, subscriptionId, resourceGroup, location, tags: undefined };
}

/** One shared empty list for the field every NIC ipconfig has and most leave empty. */
const NO_IDS: readonly ResourceId[] = [];

function ipVersion(node: JsonNode, key: string): 'IPv4' | 'IPv6' | undefined {
  const text = optString(node, key);
  if (text === undefined) return undefined;
  return text.toLowerCase() === 'ipv6' ? 'IPv6' : 'IPv4';
}

/**
 * The IP version of an address (or prefix) field together with its version field: the version
 * field when present; absent (it is optional, and some exports drop it), the address itself says
 * (an IPv6 address read as IPv4 would be an IPv4 flow's egress IP). A version field the address
 * contradicts makes the resource malformed, named with both fields.
 */
function addressVersion(node: JsonNode, versionKey: string, addressKey: string, address: string | undefined): 'IPv4' | 'IPv6' | undefined {
  const declared = ipVersion(node, versionKey);
  if (address === undefined) return declared;
  const actual = address.includes(':') ? 'IPv6' : 'IPv4';
  if (declared !== undefined && declared !== actual) {
    fail(node.file, pathOf(node, versionKey), `the version of ${addressKey} ${address} (${actual})`, optString(node, versionKey) ?? declared);
  }
  return actual;
}

/** `sku.name` as written; undefined when the input has no SKU (the draft then leaves it unset). */
function skuName(node: JsonNode): string | undefined {
  const sku = optObject(node, 'sku');
  return sku === undefined ? undefined : optString(sku, 'name');
}

/**
 * Parsed SKU names per parser, by spelling: a handful of spellings over 10,000s of public IPs,
 * and each parse normalises with a regex. Capped, so hostile input cannot grow it without bound.
 */
const PARSED_SKUS = new Map<(raw: string) => string, Map<string, string>>();
const PARSED_SKUS_PER_PARSER = 64;

/** `sku.name` parsed into a closed union, or undefined when absent (finalize applies the default). */
function parsedSku<T extends string>(node: JsonNode, parse: (raw: string) => T): T | undefined {
  const raw = skuName(node);
  if (raw === undefined) return undefined;
  let parsed = PARSED_SKUS.get(parse);
  if (parsed === undefined) {
    parsed = new Map();
    PARSED_SKUS.set(parse, parsed);
  }
  const known = parsed.get(raw) as T | undefined;
  if (known !== undefined) return known;
  const value = parse(raw);
  if (parsed.size < PARSED_SKUS_PER_PARSER) parsed.set(raw, value);
  return value;
}

function concatDefined<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): readonly T[] | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return [...a, ...b];
}

// ---------------------------------------------------------------------------------------------
// Virtual networks, subnets, peerings

export function mapVirtualNetwork(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const addressSpace = optObject(node, 'addressSpace');
  // Subnets have no location of their own: they inherit their VNet's.
  const subnetNodes = optNodes(node, 'subnets');
  const subnets = subnetNodes?.map((subnetNode) => mapSubnet(subnetNode, childBase(subnetNode, base.id, 'subnets', base.location), base.id));
  const subnetIds = subnets?.map((subnet) => subnet.id);
  const draft: DraftOf<'virtualNetwork'> = {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'virtualNetwork',
    addressPrefixes: addressSpace === undefined ? undefined : optCidrs(addressSpace, 'addressPrefixes'),
    subnetIds,
    peerings: mapNodes(node, 'virtualNetworkPeerings', mapPeering, base.id),
    // Custom DNS servers decide how names resolve (private DNS zones only through Azure-provided DNS) [PEDNS].
    // Set only when the input carried `dhcpOptions`: absent = Azure-provided DNS.
    dnsServers: dnsServersOf(node),
    defaultPublicNatGatewayId: optRef(node, 'defaultPublicNatGateway'),
  };
  // Written only once everything was read: a VNet that fails half-way (a bad peering) must leave
  // none of its subnets behind (normalize.ts skips a malformed resource as a whole).
  for (const subnet of subnets ?? []) store.put('subnet', subnet, RANK_EMBEDDED);
  subnetNodes?.forEach((subnetNode, i) => noteIpConfigurations(store, subnets?.[i]?.id, subnetNode));
  store.put('virtualNetwork', draft);
}

/** A subnet listed on its own (`Subnets_Get`, `az network vnet subnet list`). */
export function mapStandaloneSubnet(store: DraftStore, node: JsonNode, base: BaseFields): void {
  store.put('subnet', mapSubnet(node, base), RANK_STANDALONE);
  noteIpConfigurations(store, base.id, node);
}

/**
 * Keeps the subnet's `ipConfigurations` list (ARM lists every IP configuration using the subnet:
 * NICs', load balancer frontends', firewalls') for buildModel, which names the owners the input
 * lacks. Read leniently (the list only ever adds an `unknown`): a value that is not a list is
 * ignored, as are entries without an ID.
 */
function noteIpConfigurations(store: DraftStore, subnetId: ResourceId | undefined, node: JsonNode): void {
  if (subnetId === undefined) return;
  const list = (node.props !== null ? field(node.props, 'ipConfigurations') : undefined) ?? field(node.raw, 'ipConfigurations');
  if (!Array.isArray(list) || list.length === 0) return;
  const lists = store.subnetIpConfigurations.get(subnetId);
  if (lists === undefined) store.subnetIpConfigurations.set(subnetId, [list]);
  else lists.push(list);
}

/** `dhcpOptions.dnsServers` (trimmed, blanks dropped); undefined when the input has no `dhcpOptions`. */
function dnsServersOf(node: JsonNode): readonly string[] | undefined {
  const dhcp = optObject(node, 'dhcpOptions');
  if (dhcp === undefined) return undefined;
  return (optStrings(dhcp, 'dnsServers') ?? []).map((s) => s.trim()).filter((s) => s !== '');
}

export function mapSubnet(node: JsonNode, base: BaseFields, virtualNetworkId?: ResourceId): DraftOf<'subnet'> {
  // A subnet has `addressPrefix`, `addressPrefixes` (multi-prefix and dual-stack subnets), or both.
  const singles = optCidrOrList(node, 'addressPrefix');
  const many = optCidrs(node, 'addressPrefixes');
  let addressPrefixes: readonly string[] | undefined;
  if (singles !== undefined || many !== undefined) {
    addressPrefixes = [...new Set([...(singles ?? []), ...(many ?? [])])];
    // The plural list's order stands when it holds every single prefix (REST prints both alike).
    if (many !== undefined && (singles ?? []).every((p) => many.includes(p))) addressPrefixes = many;
  }
  const subnet: DraftOf<'subnet'> = {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup,
    location: base.location, tags: base.tags,
    kind: 'subnet',
    virtualNetworkId: virtualNetworkId ?? parentResourceId(base.id),
    addressPrefixes,
    routeTableId: optRef(node, 'routeTable'),
    natGatewayId: optRef(node, 'natGateway'),
    networkSecurityGroupId: optRef(node, 'networkSecurityGroup'),
    defaultOutboundAccess: optBool(node, 'defaultOutboundAccess'),
    delegations: mapNodes(node, 'delegations', delegationService, null)?.filter(isDefined),
    serviceEndpoints: mapNodes(node, 'serviceEndpoints', mapServiceEndpoint, null),
    privateEndpointNetworkPolicies: optString(node, 'privateEndpointNetworkPolicies'),
  };
  // Service endpoint policies restrict which storage accounts the subnet's Storage endpoint
  // reaches [SEP]; set only when present, so subnets without them carry no extra field.
  // https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview
  const policies = optRefs(node, 'serviceEndpointPolicies');
  const withPolicies = policies === undefined || policies.length === 0 ? subnet : { ...subnet, serviceEndpointPolicyIds: policies };
  // Likewise the service gateway (API 2025-05-01+), set only when the subnet names one.
  const serviceGatewayId = optRef(node, 'serviceGateway');
  const withServiceGateway = serviceGatewayId === undefined ? withPolicies : { ...withPolicies, serviceGatewayId };
  // Only a GatewaySubnet holds gateway IP configurations; other subnets' lists (every NIC's) are not read.
  const attachedGatewayIds = base.name.toLowerCase() === 'gatewaysubnet' ? gatewaysAttached(node) : [];
  const withGateways = attachedGatewayIds.length === 0 ? withServiceGateway : { ...withServiceGateway, attachedGatewayIds };
  // An application gateway's instances are listed apart (`applicationGatewayIPConfigurations`),
  // set only when present.
  const applicationGatewayIds = applicationGatewaysAttached(node);
  return applicationGatewayIds.length === 0 ? withGateways : { ...withGateways, applicationGatewayIds };
}

/** `…/applicationGateways/<name>` of each gateway IP configuration in `applicationGatewayIPConfigurations`. */
function applicationGatewaysAttached(node: JsonNode): readonly ResourceId[] {
  const ids = new Set<ResourceId>();
  for (const id of optRefs(node, 'applicationGatewayIPConfigurations') ?? []) {
    const match = /^(.*\/providers\/microsoft\.network\/applicationgateways\/[^/]+)\/gatewayipconfigurations\/[^/]+$/.exec(id);
    if (match?.[1] !== undefined) ids.add(match[1] as ResourceId);
  }
  return [...ids].sort();
}

/** `…/virtualNetworkGateways/<name>` of each gateway IP configuration the subnet lists. */
function gatewaysAttached(node: JsonNode): readonly ResourceId[] {
  const ids = new Set<ResourceId>();
  for (const id of optRefs(node, 'ipConfigurations') ?? []) {
    const match = /^(.*\/providers\/microsoft\.network\/virtualnetworkgateways\/[^/]+)\/ipconfigurations\/[^/]+$/.exec(id);
    if (match?.[1] !== undefined) ids.add(match[1] as ResourceId);
  }
  return [...ids];
}

function delegationService(node: JsonNode): string | undefined {
  return optString(node, 'serviceName');
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function mapServiceEndpoint(node: JsonNode): ServiceEndpoint {
  // Absent locations stay empty (not in the input: see ServiceEndpoint.locations), never `*`.
  const endpoint: ServiceEndpoint = { service: optString(node, 'service') ?? '', locations: optStrings(node, 'locations') ?? [] };
  // Set only when given, so endpoints without it carry no extra field (see ServiceEndpoint.provisioningState).
  const provisioningState = optString(node, 'provisioningState');
  return provisioningState === undefined ? endpoint : { ...endpoint, provisioningState };
}

const NO_NAMES: readonly string[] = [];

function addressSpacePrefixes(node: JsonNode, key: string): readonly string[] | undefined {
  const space = optObject(node, key);
  return space === undefined ? undefined : (optCidrs(space, 'addressPrefixes') ?? []);
}

export function mapPeering(node: JsonNode, virtualNetworkId: ResourceId): VirtualNetworkPeering {
  const { id, name } = childId(node, virtualNetworkId, 'virtualNetworkPeerings');
  // `remoteAddressSpace` is what is actually peered: with subnet peering only the named remote
  // subnets' ranges, and after a remote address-space change only what was synced [PEER].
  // `remoteVirtualNetworkAddressSpace` is the remote VNet's whole current space. Kept apart: the
  // difference is exactly what an auditor asks about ("that range was added but never synced").
  // https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering
  // https://learn.microsoft.com/azure/virtual-network/update-virtual-network-peering-address-space
  const carried = addressSpacePrefixes(node, 'remoteAddressSpace');
  const remoteVnetSpace = addressSpacePrefixes(node, 'remoteVirtualNetworkAddressSpace');
  return {
    id,
    name,
    remoteVirtualNetworkId: optRef(node, 'remoteVirtualNetwork') ?? null,
    // Older inputs carry only the remote VNet space: then that is the best evidence of what is peered.
    remoteAddressPrefixes: carried ?? remoteVnetSpace ?? [],
    remoteVirtualNetworkAddressPrefixes: remoteVnetSpace ?? null,
    allowVirtualNetworkAccess: optBool(node, 'allowVirtualNetworkAccess') ?? true,
    allowForwardedTraffic: optBool(node, 'allowForwardedTraffic') ?? false,
    allowGatewayTransit: optBool(node, 'allowGatewayTransit') ?? false,
    useRemoteGateways: optBool(node, 'useRemoteGateways') ?? false,
    peeringState: parsePeeringState(optString(node, 'peeringState')),
    peeringSyncLevel: parsePeeringSyncLevel(optString(node, 'peeringSyncLevel')),
    // Absent = a whole-VNet peering (the default, and every peering before subnet peering existed).
    peerCompleteVnets: optBool(node, 'peerCompleteVnets') ?? true,
    localSubnetNames: optStrings(node, 'localSubnetNames') ?? NO_NAMES,
    remoteSubnetNames: optStrings(node, 'remoteSubnetNames') ?? NO_NAMES,
    enableOnlyIPv6Peering: optBool(node, 'enableOnlyIPv6Peering') ?? false,
  };
}

export function standalonePeering(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  const peering = mapPeering(node, parentId);
  store.child({
    id, type, parentId, writes: { kind: 'virtualNetwork', field: 'peerings', items: [peering] },
    attach: (s) => s.update('virtualNetwork', parentId, (vnet) => ({ ...vnet, peerings: upsert(vnet.peerings, peering, (p) => p.id) })),
  });
}

// ---------------------------------------------------------------------------------------------
// Route tables

/**
 * ARM's next hop types (RouteNextHopType), by lower case, written in ARM's casing: routing reads
 * them case-insensitively (toNextHop), so copies of a route differing only in casing are one route
 * and must compare equal, in a table as listed on its own. Other values are kept as written (see
 * Route.nextHopType).
 */
const NEXT_HOP_TYPES: ReadonlyMap<string, string> = new Map(
  ['VirtualNetworkGateway', 'VnetLocal', 'Internet', 'VirtualAppliance', 'None'].map((type) => [type.toLowerCase(), type]),
);

export function mapRoute(node: JsonNode, routeTableId: ResourceId): Route {
  const { id, name } = childId(node, routeTableId, 'routes');
  const addressPrefix = optString(node, 'addressPrefix');
  // A UDR prefix is "the destination CIDR to which the route applies" (Route.addressPrefix, REST
  // routeTable spec) or a service tag (`Storage`, `AzureCloud.westeurope`) [UDR]
  // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes.
  // An address without a length ("0.0.0.0") is neither: taken for a tag name it would match
  // nothing, and the route would silently vanish.
  if (addressPrefix === undefined || addressPrefix.trim() === '' || (!addressPrefix.includes('/') && isIpText(addressPrefix.trim()))) {
    fail(node.file, pathOf(node, 'addressPrefix'), 'a route address prefix (a CIDR like "0.0.0.0/0" or a service tag)', addressPrefix);
  }
  const prefix = addressPrefix.includes('/') ? toCidrText(node.file, pathOf(node, 'addressPrefix'), addressPrefix) : addressPrefix.trim();
  const nextHopType = optString(node, 'nextHopType');
  if (nextHopType === undefined) {
    fail(node.file, pathOf(node, 'nextHopType'), 'a next hop type string like "VirtualAppliance"', undefined);
  }
  const hasBgpOverride = optBool(node, 'hasBgpOverride');
  const route: Route = {
    id,
    name,
    addressPrefix: prefix,
    nextHopType: NEXT_HOP_TYPES.get(nextHopType.toLowerCase()) ?? nextHopType,
    nextHopIpAddress: optString(node, 'nextHopIpAddress') ?? null,
    hasBgpOverride: hasBgpOverride ?? false,
  };
  // Older api-versions do not return `hasBgpOverride`: false for the model, but not a value another
  // copy of the route could disagree with.
  return hasBgpOverride === undefined ? withDefaulted(route, ['hasBgpOverride']) : route;
}

export function mapRouteTable(store: DraftStore, node: JsonNode, base: BaseFields): void {
  store.put('routeTable', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'routeTable',
    routes: mapNodes(node, 'routes', mapRoute, base.id),
    disableBgpRoutePropagation: optBool(node, 'disableBgpRoutePropagation'),
  });
}

export function standaloneRoute(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  const route = mapRoute(node, parentId);
  store.child({
    id, type, parentId, writes: { kind: 'routeTable', field: 'routes', items: [route] },
    attach: (s) => s.update('routeTable', parentId, (rt) => ({ ...rt, routes: upsert(rt.routes, route, (r) => r.id) })),
  });
}

// ---------------------------------------------------------------------------------------------
// NAT gateways, public IPs, public IP prefixes

export function mapNatGateway(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const v6Addresses = optRefs(node, 'publicIpAddressesV6');
  const v6Prefixes = optRefs(node, 'publicIpPrefixesV6');
  store.put('natGateway', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'natGateway',
    skuName: parsedSku(node, parseNatGatewaySku),
    // StandardV2 lists its IPv6 addresses and prefixes apart ("public ip addresses V6", natGateways
    // REST schema): every one belongs to the gateway (and bills), and the V6 lists are kept so an
    // IPv4 flow is never given an IPv6 address whose resource the input lacks.
    publicIpAddressIds: concatDefined(optRefs(node, 'publicIpAddresses'), v6Addresses),
    publicIpPrefixIds: concatDefined(optRefs(node, 'publicIpPrefixes'), v6Prefixes),
    publicIpAddressV6Ids: v6Addresses,
    publicIpPrefixV6Ids: v6Prefixes,
    idleTimeoutInMinutes: optNumber(node, 'idleTimeoutInMinutes'),
    subnetIds: optRefs(node, 'subnets'),
    sourceVirtualNetworkId: optRef(node, 'sourceVirtualNetwork'),
  });
}

export function mapPublicIpAddress(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const ipAddress = optString(node, 'ipAddress');
  if (ipAddress !== undefined && !isIpText(ipAddress.trim())) {
    fail(node.file, pathOf(node, 'ipAddress'), 'an IP address like "20.1.2.3"', ipAddress);
  }
  store.put('publicIpAddress', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'publicIpAddress',
    ipAddress: ipAddress?.trim(),
    skuName: parsedSku(node, parsePublicIpSku),
    version: addressVersion(node, 'publicIPAddressVersion', 'ipAddress', ipAddress?.trim()),
    ipConfigurationId: optRef(node, 'ipConfiguration'),
    publicIpPrefixId: optRef(node, 'publicIPPrefix'),
  });
}

export function mapPublicIpPrefix(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const ipPrefix = optCidr(node, 'ipPrefix');
  store.put('publicIpPrefix', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'publicIpPrefix',
    ipPrefix,
    prefixLength: optNumber(node, 'prefixLength'),
    version: addressVersion(node, 'publicIPAddressVersion', 'ipPrefix', ipPrefix),
    skuName: parsedSku(node, parsePublicIpSku),
  });
}

// ---------------------------------------------------------------------------------------------
// Network interfaces

/**
 * A private IP address field: `172.20.2.16/28` (a NIC ipconfig with `privateIPAddressPrefixLength`)
 * → `172.20.2.16`; anything that is no IP address is malformed. Shared by every private IP that
 * is a next hop or a source (NIC, firewall, load balancer frontend).
 */
export function addressOnly(node: JsonNode, key: string): string | undefined {
  const text = optString(node, key);
  if (text === undefined) return undefined;
  const slash = text.indexOf('/');
  const address = slash < 0 ? text.trim() : text.slice(0, slash).trim();
  if (!isIpText(address)) {
    fail(node.file, pathOf(node, key), 'an IP address like "10.0.1.4"', text);
  }
  return address;
}

export function mapNicIpConfiguration(node: JsonNode, nicId: ResourceId): NicIpConfiguration {
  const { id, name } = childId(node, nicId, 'ipConfigurations');
  const privateIpAddress = addressOnly(node, 'privateIPAddress');
  const config: NicIpConfiguration = {
    id,
    name,
    primary: optBool(node, 'primary') ?? false,
    privateIpAddress: privateIpAddress ?? null,
    privateIpAddressVersion: addressVersion(node, 'privateIPAddressVersion', 'privateIPAddress', privateIpAddress) ?? 'IPv4',
    subnetId: optRef(node, 'subnet') ?? null,
    publicIpAddressId: optRef(node, 'publicIPAddress') ?? null,
    loadBalancerBackendAddressPoolIds: optRefs(node, 'loadBalancerBackendAddressPools') ?? NO_IDS,
  };
  // ASG memberships decide which NSG rules apply to this NIC [ASG]; set only when present.
  // https://learn.microsoft.com/azure/virtual-network/application-security-groups
  // (A spread in the literal above would cost every one of 100,000 ipconfigs a runtime call.)
  const asgs = optRefs(node, 'applicationSecurityGroups');
  return asgs === undefined || asgs.length === 0 ? config : { ...config, applicationSecurityGroupIds: asgs };
}

export function mapNetworkInterface(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const draft: DraftOf<'networkInterface'> = {
    id: base.id, name: networkInterfaceName(base.id, base.name), subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup,
    location: base.location, tags: base.tags,
    kind: 'networkInterface',
    ipConfigurations: mapNodes(node, 'ipConfigurations', mapNicIpConfiguration, base.id),
    enableIPForwarding: optBool(node, 'enableIPForwarding'),
    networkSecurityGroupId: optRef(node, 'networkSecurityGroup'),
    virtualMachineId: optRef(node, 'virtualMachine'),
    primary: optBool(node, 'primary'),
  };
  // Only a private endpoint's NIC names one, and few NICs have DNS servers of their own (no spread
  // in the common literal: see mapNicIpConfiguration).
  const privateEndpointId = optRef(node, 'privateEndpoint');
  const dnsSettings = optObject(node, 'dnsSettings');
  const dnsServers = dnsSettings === undefined ? [] : (optStrings(dnsSettings, 'dnsServers') ?? []).map((s) => s.trim()).filter((s) => s !== '');
  const withEndpoint = privateEndpointId === undefined ? draft : { ...draft, privateEndpointId };
  const withDns = dnsServers.length === 0 ? withEndpoint : { ...withEndpoint, dnsServers };
  // Whether a default outbound IP is allocated to the VM [DOA]: kept only when the input says
  // (any casing: optBool matches keys as ARM, az and PowerShell spell them).
  const defaultOutboundConnectivityEnabled = optBool(node, 'defaultOutboundConnectivityEnabled');
  store.put('networkInterface', defaultOutboundConnectivityEnabled === undefined ? withDns : { ...withDns, defaultOutboundConnectivityEnabled });
}

export function standaloneNicIpConfiguration(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  const config = mapNicIpConfiguration(node, parentId);
  store.child({
    id, type, parentId, writes: { kind: 'networkInterface', field: 'ipConfigurations', items: [config] },
    attach: (s) => s.update('networkInterface', parentId, (nic) => ({
      ...nic, ipConfigurations: upsert(nic.ipConfigurations, config, (c) => c.id),
    })),
  });
}

/**
 * A Flexible-orchestration VMSS instance is a plain `Microsoft.Compute/virtualMachines` resource
 * whose `virtualMachineScaleSet.id` names its scale set; its NIC does not say so. When the input
 * includes the VM resources, their NICs are marked; without them the flag stays false.
 * [DOA] https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 *
 * The VM also counts as captured (its NICs' "not Flexible" is then known, not assumed) when its
 * properties were read: a `properties` object (ARM GET, a Resource Graph row or the pull's slim
 * projection, which may hold only `virtualMachineScaleSet`, null or absent), or a flattened object
 * naming `virtualMachineScaleSet` (az and PowerShell print it, null when not in a scale set). A
 * listing without properties (`az resource list`: `"properties": null`) says nothing either way.
 *
 * A VM listing several NICs (networkProfile.networkInterfaces) has them kept, so a multi-NIC
 * appliance whose NIC the input lacks is not judged on the NICs present (see store.vmNicIds). A
 * Uniform scale set instance (Microsoft.Compute/virtualMachineScaleSets/virtualMachines) is read the
 * same way: it lists its NICs in the same networkProfile, and it is no Flexible member (Flexible
 * instances are plain virtualMachines)
 * https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-set-vms/get
 */
export function mapVirtualMachineHint(store: DraftStore, node: JsonNode, id: ResourceId): void {
  const flexible = optRef(node, 'virtualMachineScaleSet') !== undefined;
  if (flexible) store.flexibleScaleSetVms.add(id);
  if (flexible || node.props !== null || namesKey(node.raw, 'virtualmachinescaleset')) store.capturedVms.add(id);
  // "All virtual machines within an availability set must be added to the backend pool for outbound
  // connectivity" (articles/load-balancer/outbound-rules.md, Limitations): the set decides whether a
  // load balancer's outbound holds for its VMs, so it is kept for their NICs.
  // https://learn.microsoft.com/rest/api/compute/virtual-machines/get (availabilitySet: SubResource)
  // Its NICs too, one or many: a pool member ID names its NIC, so a VM of the set whose NIC document
  // the input lacks is still seen in the pool that lists it.
  const availabilitySet = availabilitySetId(node);
  const nics = listedNicIds(node, availabilitySet !== null ? 1 : 2);
  if (availabilitySet !== null) {
    store.vmAvailabilitySets.set(id, availabilitySet);
    const knownInSet = store.availabilitySetVmNicIds.get(id);
    store.availabilitySetVmNicIds.set(id, knownInSet === undefined ? nics : [...new Set([...knownInSet, ...nics])]);
  }
  if (nics.length < 2) return;
  const known = store.vmNicIds.get(id);
  store.vmNicIds.set(id, known === undefined ? nics : [...new Set([...known, ...nics])]);
}

/**
 * An availability set's own document lists its VMs (`properties.virtualMachines[].id` in ARM and
 * Resource Graph, `virtualMachines` at the top level in az, any casing)
 * https://learn.microsoft.com/rest/api/compute/availability-sets/get (AvailabilitySetProperties):
 * each is a VM of the set even when the input holds no document of that VM, so a load balancer's
 * outbound for the set's other VMs is judged with it (see mapVirtualMachineHint). A VM's own
 * document decides over it (documents read at different times: the VM's is its own record).
 */
export function mapAvailabilitySetHint(store: DraftStore, node: JsonNode, id: ResourceId): void {
  const list = (node.props !== null ? field(node.props, 'virtualMachines') : undefined) ?? field(node.raw, 'virtualMachines');
  if (!Array.isArray(list)) return;
  for (const entry of list as readonly unknown[]) {
    const raw = isRecord(entry) ? field(entry, 'id') : entry;
    if (typeof raw !== 'string' || !isResourceIdText(raw)) continue;
    const vmId = canonicalId(raw);
    store.availabilitySetListedVms.set(vmId, id);
  }
}

/**
 * The NIC IDs a VM document lists: `properties.networkProfile.networkInterfaces[].id` (ARM, Resource
 * Graph), `networkProfile` at the top level (az), `NetworkProfile.NetworkInterfaces[].Id`
 * (PowerShell), any key casing; a bare ID string is read too. Read leniently (it only ever makes an
 * answer unknown): a value of another shape is ignored, never a reason to skip the VM.
 * https://learn.microsoft.com/rest/api/compute/virtual-machines/get (NetworkProfile)
 */
function listedNicIds(node: JsonNode, atLeast: number): readonly ResourceId[] {
  const profile = (node.props !== null ? field(node.props, 'networkProfile') : undefined) ?? field(node.raw, 'networkProfile');
  if (!isRecord(profile)) return NO_IDS;
  const list = field(profile, 'networkInterfaces');
  if (!Array.isArray(list) || list.length < atLeast) return NO_IDS;
  const ids: ResourceId[] = [];
  for (const entry of list as readonly unknown[]) {
    const raw = isRecord(entry) ? field(entry, 'id') : entry;
    if (typeof raw !== 'string' || !isResourceIdText(raw)) continue;
    const id = canonicalId(raw);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * `availabilitySet.id` of a VM document (`properties.availabilitySet` in ARM and Resource Graph,
 * top level in az, `AvailabilitySetReference` in PowerShell; any key casing), or null. Read
 * leniently, as the NIC list is: another shape is ignored, never a reason to skip the VM.
 */
function availabilitySetId(node: JsonNode): ResourceId | null {
  for (const key of ['availabilitySet', 'availabilitySetReference']) {
    const ref = (node.props !== null ? field(node.props, key) : undefined) ?? field(node.raw, key);
    const raw = isRecord(ref) ? field(ref, 'id') : ref;
    if (typeof raw === 'string' && isResourceIdText(raw)) return canonicalId(raw);
  }
  return null;
}

/** Whether `obj` has the key in any casing, whatever its value (null included, unlike `field`). */
function namesKey(obj: JsonRecord, lowerKey: string): boolean {
  for (const key in obj) if (key.toLowerCase() === lowerKey) return true;
  return false;
}
