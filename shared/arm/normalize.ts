/**
 * normalizeArm(documents) → { model, effectiveRoutes, gaps }.
 *
 * Accepted document forms (detected per file):
 *  - a JSON array of ARM resources;
 *  - an ARM list response `{ "value": [...] }` (or a Resource Graph / `az graph query` result `{ "data": [...] }`);
 *  - a bundle `{ "resources": [...], "effectiveRouteTables": { "<NIC id>": <routes> } }`;
 *  - a single resource (what `az ... show -o json` prints).
 * Resources may be REST-shaped or flattened, mixed freely. Copies of one resource (IDs compare
 * case-insensitively) are merged; unknown types are counted as gaps; bad input throws InputError.
 */
import type { ArmDocument, NormalizeResult } from './index';
import type { Gap } from '../model/gaps';
import { parentResourceId, parseResourceId, toResourceId, type ResourceId } from '../model/ids';
import type { CapturedEffectiveRoutes, NetworkModel, NetworkResourceKind } from '../model/topology';
import { compareIds, DraftStore, RANK_STANDALONE, type KindMap } from './draft-store';
import { looksLikeEffectiveRoute, mapEffectiveRouteList } from './effective-routes';
import {
  mapLoadBalancer, mapVirtualHub, mapVirtualNetworkGateway, mapVirtualWan,
  standaloneHubChild, standaloneLoadBalancerChild,
} from './map-gateways';
import {
  mapNatGateway, mapNetworkInterface, mapPublicIpAddress, mapPublicIpPrefix, mapRouteTable, mapSubnet,
  mapVirtualMachineHint, mapVirtualNetwork, readBase, standaloneNicIpConfiguration, standalonePeering,
  standaloneRoute, type BaseFields,
} from './map-network';
import {
  mapAzureFirewall, mapFirewallPolicy, mapNetworkSecurityGroup, standaloneRuleCollectionGroup, standaloneSecurityRule,
} from './map-security';
import { fail, isRecord, isResourceIdText, toNode, type JsonNode } from './reader';

type TopLevelMapper = (store: DraftStore, node: JsonNode, base: BaseFields) => void;
type ChildMapper = (store: DraftStore, node: JsonNode, id: ResourceId, type: string) => void;

const TOP_LEVEL: Readonly<Record<string, TopLevelMapper>> = {
  'microsoft.network/virtualnetworks': mapVirtualNetwork,
  'microsoft.network/virtualnetworks/subnets': (store, node, base) =>
    store.put('subnet', mapSubnet(node, base), RANK_STANDALONE),
  'microsoft.network/routetables': mapRouteTable,
  'microsoft.network/natgateways': mapNatGateway,
  'microsoft.network/publicipaddresses': mapPublicIpAddress,
  'microsoft.network/publicipprefixes': mapPublicIpPrefix,
  'microsoft.network/networkinterfaces': mapNetworkInterface,
  'microsoft.network/azurefirewalls': mapAzureFirewall,
  'microsoft.network/firewallpolicies': mapFirewallPolicy,
  'microsoft.network/networksecuritygroups': mapNetworkSecurityGroup,
  'microsoft.network/loadbalancers': mapLoadBalancer,
  'microsoft.network/virtualnetworkgateways': mapVirtualNetworkGateway,
  'microsoft.network/virtualhubs': mapVirtualHub,
  'microsoft.network/virtualwans': mapVirtualWan,
};

const CHILDREN: Readonly<Record<string, ChildMapper>> = {
  'microsoft.network/virtualnetworks/virtualnetworkpeerings': standalonePeering,
  'microsoft.network/routetables/routes': standaloneRoute,
  'microsoft.network/networkinterfaces/ipconfigurations': standaloneNicIpConfiguration,
  'microsoft.network/firewallpolicies/rulecollectiongroups': standaloneRuleCollectionGroup,
  'microsoft.network/networksecuritygroups/securityrules': standaloneSecurityRule,
  'microsoft.network/networksecuritygroups/defaultsecurityrules': standaloneSecurityRule,
  'microsoft.network/loadbalancers/outboundrules': standaloneLoadBalancerChild,
  'microsoft.network/loadbalancers/backendaddresspools': standaloneLoadBalancerChild,
  'microsoft.network/loadbalancers/frontendipconfigurations': standaloneLoadBalancerChild,
  'microsoft.network/loadbalancers/loadbalancingrules': standaloneLoadBalancerChild,
  'microsoft.network/virtualhubs/hubvirtualnetworkconnections': standaloneHubChild,
  'microsoft.network/virtualhubs/routingintent': standaloneHubChild,
  'microsoft.compute/virtualmachines': (store, node, id) => mapVirtualMachineHint(store, node, id),
};

const ID_EXPECTED = 'an ARM resource ID like "/subscriptions/…/resourceGroups/…/providers/…"';

interface ReadState {
  readonly store: DraftStore;
  readonly unsupported: Map<string, number>;
  readonly effectiveRoutes: Map<ResourceId, CapturedEffectiveRoutes>;
}

function readResource(state: ReadState, file: string, path: string, value: unknown): void {
  const node = toNode(file, path, value, 'an ARM resource object');
  const rawId = node.raw.id;
  if (typeof rawId !== 'string' || !isResourceIdText(rawId)) {
    if (looksLikeEffectiveRoute(value)) {
      fail(file, path, 'an ARM resource; this looks like an effective route: put the route list under "effectiveRouteTables" keyed by its NIC ID', value);
    }
    fail(file, `${path}.id`, ID_EXPECTED, rawId);
  }
  const id = toResourceId(rawId);
  const rawType = node.raw.type;
  const type = typeof rawType === 'string' && rawType.includes('/') ? rawType.toLowerCase() : (parseResourceId(rawId)?.type ?? '');
  const topLevel = TOP_LEVEL[type];
  if (topLevel !== undefined) {
    topLevel(state.store, node, readBase(node, rawId, id));
    return;
  }
  const child = CHILDREN[type];
  if (child !== undefined) {
    child(state.store, node, id, type);
    return;
  }
  state.unsupported.set(type, (state.unsupported.get(type) ?? 0) + 1);
}

function readResources(state: ReadState, file: string, path: string, items: readonly unknown[]): void {
  items.forEach((item, i) => readResource(state, file, `${path}[${i}]`, item));
}

function readEffectiveRouteTables(state: ReadState, file: string, path: string, value: unknown): void {
  if (!isRecord(value)) fail(file, path, 'an object of NIC resource IDs to effective route lists', value);
  for (const [key, routes] of Object.entries(value)) {
    const keyPath = `${path}[${JSON.stringify(key)}]`;
    if (parseResourceId(key) === null) fail(file, keyPath, `a NIC resource ID as the key (${ID_EXPECTED})`, key);
    const networkInterfaceId = toResourceId(key);
    state.effectiveRoutes.set(networkInterfaceId, { networkInterfaceId, routes: mapEffectiveRouteList(file, keyPath, routes) });
  }
}

/**
 * Network Watcher next-hop results and effective-NSG lists are spot checks of one NIC, not
 * topology: they are recognised and reported as not modelled rather than rejected.
 */
function diagnosticResultGap(file: string, json: Readonly<Record<string, unknown>>): Gap | null {
  if (typeof json.nextHopType === 'string' && json.value === undefined) {
    return { code: 'not-modelled', scope: file, message: `${file} is a Network Watcher next-hop result; next hops are computed from the topology instead.` };
  }
  const list = json.value;
  if (Array.isArray(list) && list.length > 0 && list.every((item) => isRecord(item) && item.id === undefined && 'effectiveSecurityRules' in item)) {
    return { code: 'not-modelled', scope: file, message: `${file} is an effective NSG list; NSGs are evaluated from their own rules instead.` };
  }
  return null;
}

const DOCUMENT_EXPECTED =
  'an ARM resource, an array of resources, { "value": [...] } or { "resources": [...], "effectiveRouteTables": {...} }';

function readDocument(state: ReadState, doc: ArmDocument): void {
  const { fileName: file, json } = doc;
  if (Array.isArray(json)) {
    readResources(state, file, '$', json);
    return;
  }
  if (!isRecord(json)) fail(file, '$', DOCUMENT_EXPECTED, json);
  if (typeof json.$schema === 'string' && json.$schema.toLowerCase().includes('deploymenttemplate')) {
    fail(file, '$', `${DOCUMENT_EXPECTED} (exported resources, not an ARM deployment template)`, json.$schema);
  }
  if (json.resources !== undefined || json.effectiveRouteTables !== undefined) {
    if (json.resources !== undefined && json.resources !== null) {
      if (!Array.isArray(json.resources)) fail(file, '$.resources', 'an array of ARM resources', json.resources);
      readResources(state, file, '$.resources', json.resources);
    }
    if (json.effectiveRouteTables !== undefined && json.effectiveRouteTables !== null) {
      readEffectiveRouteTables(state, file, '$.effectiveRouteTables', json.effectiveRouteTables);
    }
    return;
  }
  if (typeof json.id === 'string') {
    readResource(state, file, '$', json);
    return;
  }
  const diagnostic = diagnosticResultGap(file, json);
  if (diagnostic !== null) {
    state.store.gaps.push(diagnostic);
    return;
  }
  for (const listKey of ['value', 'data'] as const) {
    const list = json[listKey];
    if (list === undefined) continue;
    if (!Array.isArray(list)) fail(file, `$.${listKey}`, 'an array of ARM resources', list);
    if (list.length > 0 && list.every(looksLikeEffectiveRoute)) {
      fail(file, '$', 'ARM resources; this is an effective route table: wrap it as { "effectiveRouteTables": { "<NIC resource ID>": <this file> } }', `${list.length} effective routes`);
    }
    readResources(state, file, `$.${listKey}`, list);
    return;
  }
  fail(file, '$', DOCUMENT_EXPECTED, json);
}

// ---------------------------------------------------------------------------------------------
// Defaults, applied once after merging (see draft-store.ts)

type Defaults<K extends NetworkResourceKind> = Omit<KindMap[K], 'id' | 'name' | 'subscriptionId' | 'resourceGroup'>;

const COMMON = { location: null, tags: {} } as const;

const DEFAULTS: { readonly [K in NetworkResourceKind]: Defaults<K> } = {
  virtualNetwork: { ...COMMON, kind: 'virtualNetwork', addressPrefixes: [], subnetIds: [], peerings: [] },
  subnet: {
    ...COMMON, kind: 'subnet', virtualNetworkId: '' as ResourceId, addressPrefixes: [], routeTableId: null, natGatewayId: null,
    networkSecurityGroupId: null, defaultOutboundAccess: null, delegations: [], serviceEndpoints: [],
    privateEndpointNetworkPolicies: null,
  },
  routeTable: { ...COMMON, kind: 'routeTable', routes: [], disableBgpRoutePropagation: false },
  // NAT gateway: `Standard` was the only SKU before StandardV2, and ARM omits nothing else here.
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
    firewallPolicyId: null, virtualHubId: null, hubPrivateIpAddress: null, hubPublicIpAddresses: [], rules: [],
  },
  firewallPolicy: { ...COMMON, kind: 'firewallPolicy', basePolicyId: null, snatPrivateRanges: null, threatIntelMode: null, rules: [], ruleCollectionGroupIds: [] },
  networkSecurityGroup: { ...COMMON, kind: 'networkSecurityGroup', securityRules: [] },
  loadBalancer: { ...COMMON, kind: 'loadBalancer', skuName: 'Unknown', frontendIpConfigurations: [], backendAddressPools: [], loadBalancingRules: [], outboundRules: [] },
  virtualNetworkGateway: {
    ...COMMON, kind: 'virtualNetworkGateway', gatewayType: 'Unknown', vpnType: null, virtualNetworkId: null, gatewayDefaultSiteId: null,
    enableBgp: false, publicIpAddressIds: [],
  },
  virtualHub: { ...COMMON, kind: 'virtualHub', virtualWanId: null, addressPrefix: null, azureFirewallId: null, connections: [], routingPolicies: [] },
  virtualWan: { ...COMMON, kind: 'virtualWan', virtualHubIds: [] },
};

function finalizeAll<K extends NetworkResourceKind>(store: DraftStore, kind: K): KindMap[K][] {
  const defaults = DEFAULTS[kind] as Defaults<K>;
  const defaultEntries = Object.entries(defaults);
  return store.drafts(kind).map((draft) => {
    // Drafts are private to this run (built by the mappers or by overlay), so they are completed
    // in place: at estate scale a copy per resource is what the garbage collector would pay for.
    const fields = draft as Record<string, unknown>;
    for (const [key, fallback] of defaultEntries) {
      if (fields[key] === undefined) fields[key] = fallback;
    }
    return draft as unknown as KindMap[K];
  });
}

function byId<T extends { readonly id: ResourceId }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareIds(a.id, b.id));
}

function buildModel(store: DraftStore): NetworkModel {
  const virtualNetworks = finalizeAll(store, 'virtualNetwork');
  const vnetById = new Map(virtualNetworks.map((v) => [v.id, v]));
  const subnetIdsByVnet = new Map<ResourceId, ResourceId[]>();
  const subnets = finalizeAll(store, 'subnet').map((subnet) => {
    const virtualNetworkId = subnet.virtualNetworkId === '' ? parentResourceId(subnet.id) : subnet.virtualNetworkId;
    const ids = subnetIdsByVnet.get(virtualNetworkId) ?? [];
    ids.push(subnet.id);
    subnetIdsByVnet.set(virtualNetworkId, ids);
    // Subnets have no location of their own: they inherit their VNet's.
    return { ...subnet, virtualNetworkId, location: subnet.location ?? vnetById.get(virtualNetworkId)?.location ?? null };
  });
  return {
    virtualNetworks: virtualNetworks.map((vnet) => ({
      ...vnet,
      subnetIds: [...new Set([...vnet.subnetIds, ...(subnetIdsByVnet.get(vnet.id) ?? [])])].sort(compareIds),
      peerings: byId(vnet.peerings),
    })),
    subnets,
    routeTables: finalizeAll(store, 'routeTable').map((rt) => ({ ...rt, routes: byId(rt.routes) })),
    natGateways: finalizeAll(store, 'natGateway'),
    publicIpAddresses: finalizeAll(store, 'publicIpAddress'),
    publicIpPrefixes: finalizeAll(store, 'publicIpPrefix'),
    networkInterfaces: finalizeAll(store, 'networkInterface').map((nic) => {
      const flexible = nic.virtualMachineId !== null && store.flexibleScaleSetVms.has(nic.virtualMachineId);
      if (!flexible && nic.ipConfigurations.length < 2) return nic;
      return { ...nic, ipConfigurations: byId(nic.ipConfigurations), flexibleScaleSetMember: flexible };
    }),
    azureFirewalls: finalizeAll(store, 'azureFirewall'),
    firewallPolicies: finalizeAll(store, 'firewallPolicy').map((p) => ({ ...p, ruleCollectionGroupIds: [...p.ruleCollectionGroupIds].sort(compareIds) })),
    networkSecurityGroups: finalizeAll(store, 'networkSecurityGroup'),
    loadBalancers: finalizeAll(store, 'loadBalancer'),
    virtualNetworkGateways: finalizeAll(store, 'virtualNetworkGateway'),
    virtualHubs: finalizeAll(store, 'virtualHub').map((hub) => ({ ...hub, connections: byId(hub.connections) })),
    virtualWans: finalizeAll(store, 'virtualWan'),
  };
}

function unsupportedGaps(unsupported: ReadonlyMap<string, number>): Gap[] {
  return [...unsupported.entries()].map(([type, count]) => ({
    code: 'unsupported-resource-type' as const,
    scope: type,
    message: `${count} resource${count === 1 ? '' : 's'} of type ${type} ${count === 1 ? 'is' : 'are'} not modelled and ${count === 1 ? 'was' : 'were'} ignored.`,
    count,
  }));
}

function compareGaps(a: Gap, b: Gap): number {
  return compareIds(a.code, b.code) || compareIds(a.scope, b.scope) || compareIds(a.message, b.message);
}

/** ARM JSON documents → the normalized model. Pure; throws InputError on malformed input. */
export function normalizeArm(documents: readonly ArmDocument[]): NormalizeResult {
  const state: ReadState = { store: new DraftStore(), unsupported: new Map(), effectiveRoutes: new Map() };
  for (const doc of documents) readDocument(state, doc);
  state.store.attachChildren();
  const model = buildModel(state.store);
  const effectiveRoutes = [...state.effectiveRoutes.values()].sort((a, b) => compareIds(a.networkInterfaceId, b.networkInterfaceId));
  const gaps = [...state.store.gaps, ...unsupportedGaps(state.unsupported)].sort(compareGaps);
  return { model, effectiveRoutes, gaps };
}
