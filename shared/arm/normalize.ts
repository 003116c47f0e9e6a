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
import { parseResourceId, toResourceId, type ResourceId } from '../model/ids';
import type { CapturedEffectiveRoutes } from '../model/topology';
import { compareIds, DraftStore, RANK_STANDALONE } from './draft-store';
import { buildModel } from './finalize';
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
  mapAzureFirewall, mapFirewallPolicy, mapIpGroup, mapNetworkSecurityGroup, standaloneRuleCollectionGroup, standaloneSecurityRule,
} from './map-security';
import {
  mapPrivateDnsZone, mapPrivateEndpoint, standalonePrivateDnsRecordSet, standalonePrivateDnsZoneGroup, standalonePrivateDnsZoneLink,
} from './map-private-link';
import { canonicalId, fail, isRecord, isResourceIdText, toNode, type JsonNode } from './reader';

type TopLevelMapper = (store: DraftStore, node: JsonNode, base: BaseFields) => void;
type ChildMapper = (store: DraftStore, node: JsonNode, id: ResourceId, type: string) => void;

// Maps, not object literals: a `type` from the input must never reach Object.prototype.
const TOP_LEVEL: ReadonlyMap<string, TopLevelMapper> = new Map(Object.entries({
  'microsoft.network/virtualnetworks': mapVirtualNetwork,
  'microsoft.network/virtualnetworks/subnets': (store: DraftStore, node: JsonNode, base: BaseFields) =>
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
  'microsoft.network/ipgroups': mapIpGroup,
  'microsoft.network/privateendpoints': mapPrivateEndpoint,
  'microsoft.network/privatednszones': mapPrivateDnsZone,
} satisfies Record<string, TopLevelMapper>));

const CHILDREN: ReadonlyMap<string, ChildMapper> = new Map(Object.entries({
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
  'microsoft.network/privateendpoints/privatednszonegroups': standalonePrivateDnsZoneGroup,
  'microsoft.network/privatednszones/virtualnetworklinks': standalonePrivateDnsZoneLink,
  // Every record-set type: A and CNAME are modelled, the rest show the zone's records were read.
  ...Object.fromEntries(['a', 'aaaa', 'cname', 'mx', 'ptr', 'soa', 'srv', 'txt'].map((t) => [`microsoft.network/privatednszones/${t}`, standalonePrivateDnsRecordSet])),
  'microsoft.compute/virtualmachines': (store: DraftStore, node: JsonNode, id: ResourceId) => mapVirtualMachineHint(store, node, id),
} satisfies Record<string, ChildMapper>));

const ID_EXPECTED = 'an ARM resource ID like "/subscriptions/…/resourceGroups/…/providers/…"';

interface ReadState {
  readonly store: DraftStore;
  /** Raw `type` → lower case: a handful of distinct values over 100,000 resources. */
  readonly types: Map<string, string>;
  readonly unsupported: Map<string, number>;
  readonly effectiveRoutes: Map<ResourceId, CapturedEffectiveRoutes>;
}

function lowerType(state: ReadState, rawType: string): string {
  let type = state.types.get(rawType);
  if (type === undefined) {
    type = rawType.toLowerCase();
    state.types.set(rawType, type);
  }
  return type;
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
  const id = canonicalId(rawId);
  const rawType = node.raw.type;
  const type = typeof rawType === 'string' && rawType.includes('/') ? lowerType(state, rawType) : (parseResourceId(rawId)?.type ?? '');
  const topLevel = TOP_LEVEL.get(type);
  if (topLevel !== undefined) {
    topLevel(state.store, node, readBase(node, rawId, id));
    return;
  }
  const child = CHILDREN.get(type);
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
  const state: ReadState = { store: new DraftStore(), types: new Map(), unsupported: new Map(), effectiveRoutes: new Map() };
  for (const doc of documents) readDocument(state, doc);
  state.store.attachChildren();
  const model = buildModel(state.store);
  const effectiveRoutes = [...state.effectiveRoutes.values()].sort((a, b) => compareIds(a.networkInterfaceId, b.networkInterfaceId));
  const gaps = [...state.store.gaps, ...unsupportedGaps(state.unsupported)].sort(compareGaps);
  return { model, effectiveRoutes, gaps };
}
