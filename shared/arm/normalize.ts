/**
 * normalizeArm(documents) → { model, effectiveRoutes, gaps }.
 *
 * Accepted document forms (detected per file):
 *  - a JSON array of ARM resources;
 *  - an ARM list response `{ "value": [...] }` (or a Resource Graph / `az graph query` result `{ "data": [...] }`);
 *  - a bundle `{ "resources": [...], "effectiveRouteTables": { "<NIC id>": <routes> } }`;
 *  - a single resource (what `az ... show -o json` prints).
 * Resources may be REST-shaped or flattened, mixed freely. Copies of one resource (IDs compare
 * case-insensitively) in one file are merged; copies in different files that disagree (both say
 * something of a field, and differently: a partial copy says nothing of what it lacks) leave it out
 * with a gap (see draft-store.ts); unknown types are counted as gaps. A malformed resource is left
 * out with a `skipped-input` gap (file, JSON path, expectation); a document that is no Azure
 * resource document throws InputError, or, for a `skippable` file (found in a directory), is
 * skipped with a gap.
 */
import type { ArmDocument, DetachedChildren, NormalizeOptions, NormalizeResult } from './index';
import type { Gap } from '../model/gaps';
import { parentResourceId, parseResourceId, toResourceId, type ResourceId } from '../model/ids';
import type { CapturedEffectiveRoutes, NetworkModel, NetworkResource, NetworkResourceKind } from '../model/topology';
import { compareIds, DraftStore, orphanGap, sameValue, type Dispute, type DraftOf, type PendingChild } from './draft-store';
import { withPeeringsNotExported, withUnseenHubConnections } from './not-exported';
import { buildModel } from './finalize';
import { looksLikeEffectiveRoute, mapEffectiveRouteList } from './effective-routes';
import {
  mapLoadBalancer, mapNetworkVirtualAppliance, mapVirtualHub, mapVirtualNetworkGateway, mapVirtualWan,
  standaloneHubChild, standaloneLoadBalancerChild,
} from './map-gateways';
import {
  mapNatGateway, mapNetworkInterface, mapPublicIpAddress, mapPublicIpPrefix, mapRouteTable, mapStandaloneSubnet,
  mapAvailabilitySetHint, mapVirtualMachineHint, mapVirtualNetwork, readBase, standaloneNicIpConfiguration, standalonePeering,
  standaloneRoute, type BaseFields,
} from './map-network';
import {
  mapAzureFirewall, mapFirewallPolicy, mapIpGroup, mapNetworkSecurityGroup, standaloneFirewallIpConfiguration, standaloneRuleCollectionGroup,
  standaloneSecurityRule,
} from './map-security';
import {
  mapPrivateDnsZone, mapPrivateEndpoint, standalonePrivateDnsRecordSet, standalonePrivateDnsZoneGroup, standalonePrivateDnsZoneLink,
} from './map-private-link';
import { InputError } from '../model/errors';
import {
  canonicalId, describeFound, fail, field, isRecord, isResourceIdText, keyIn, toNode, type JsonNode, type JsonRecord,
} from './reader';

type TopLevelMapper = (store: DraftStore, node: JsonNode, base: BaseFields) => void;
type ChildMapper = (store: DraftStore, node: JsonNode, id: ResourceId, type: string) => void;

/**
 * The top-level types read, spelled as ARM spells them (error messages list them). Every mapper
 * reads the whole resource before it writes anything to the store, so a resource that turns out
 * malformed half-way leaves nothing behind (see `readResource`).
 */
const TOP_LEVEL_TYPES: readonly (readonly [string, TopLevelMapper])[] = [
  ['Microsoft.Network/virtualNetworks', mapVirtualNetwork],
  ['Microsoft.Network/virtualNetworks/subnets', mapStandaloneSubnet],
  ['Microsoft.Network/routeTables', mapRouteTable],
  ['Microsoft.Network/natGateways', mapNatGateway],
  ['Microsoft.Network/publicIPAddresses', mapPublicIpAddress],
  ['Microsoft.Network/publicIPPrefixes', mapPublicIpPrefix],
  ['Microsoft.Network/networkInterfaces', mapNetworkInterface],
  ['Microsoft.Network/azureFirewalls', mapAzureFirewall],
  ['Microsoft.Network/firewallPolicies', mapFirewallPolicy],
  ['Microsoft.Network/networkSecurityGroups', mapNetworkSecurityGroup],
  ['Microsoft.Network/loadBalancers', mapLoadBalancer],
  ['Microsoft.Network/virtualNetworkGateways', mapVirtualNetworkGateway],
  ['Microsoft.Network/virtualHubs', mapVirtualHub],
  ['Microsoft.Network/virtualWans', mapVirtualWan],
  // Read for NVAs deployed in a Virtual WAN hub (a source of the hub's 0.0.0.0/0, a routing-intent next hop).
  ['Microsoft.Network/networkVirtualAppliances', mapNetworkVirtualAppliance],
  ['Microsoft.Network/ipGroups', mapIpGroup],
  ['Microsoft.Network/privateEndpoints', mapPrivateEndpoint],
  ['Microsoft.Network/privateDnsZones', mapPrivateDnsZone],
];

/** Child resources listed on their own (`az network … <child> create/show/list`, Resource Graph rows). */
const CHILD_TYPES: readonly (readonly [string, ChildMapper])[] = [
  ['Microsoft.Network/virtualNetworks/virtualNetworkPeerings', standalonePeering],
  ['Microsoft.Network/routeTables/routes', standaloneRoute],
  ['Microsoft.Network/networkInterfaces/ipConfigurations', standaloneNicIpConfiguration],
  ['Microsoft.Network/azureFirewalls/azureFirewallIpConfigurations', standaloneFirewallIpConfiguration],
  ['Microsoft.Network/firewallPolicies/ruleCollectionGroups', standaloneRuleCollectionGroup],
  ['Microsoft.Network/networkSecurityGroups/securityRules', standaloneSecurityRule],
  ['Microsoft.Network/networkSecurityGroups/defaultSecurityRules', standaloneSecurityRule],
  ['Microsoft.Network/loadBalancers/outboundRules', standaloneLoadBalancerChild],
  ['Microsoft.Network/loadBalancers/backendAddressPools', standaloneLoadBalancerChild],
  ['Microsoft.Network/loadBalancers/frontendIPConfigurations', standaloneLoadBalancerChild],
  ['Microsoft.Network/loadBalancers/loadBalancingRules', standaloneLoadBalancerChild],
  ['Microsoft.Network/virtualHubs/hubVirtualNetworkConnections', standaloneHubChild],
  ['Microsoft.Network/virtualHubs/routingIntent', standaloneHubChild],
  ['Microsoft.Network/virtualHubs/hubRouteTables', standaloneHubChild],
  ['Microsoft.Network/virtualHubs/bgpConnections', standaloneHubChild],
  ['Microsoft.Network/virtualHubs/routeTables', standaloneHubChild],
  ['Microsoft.Network/privateEndpoints/privateDnsZoneGroups', standalonePrivateDnsZoneGroup],
  ['Microsoft.Network/privateDnsZones/virtualNetworkLinks', standalonePrivateDnsZoneLink],
  // Every record-set type: A and CNAME are modelled, the rest show the zone's records were read.
  ...['A', 'AAAA', 'CNAME', 'MX', 'PTR', 'SOA', 'SRV', 'TXT'].map((t) => [`Microsoft.Network/privateDnsZones/${t}`, standalonePrivateDnsRecordSet] as const),
];

/**
 * Not network resources, but read for what they say about NICs (a Flexible scale set member, the
 * NICs a VM lists). A Uniform scale set instance (`Microsoft.Compute/virtualMachineScaleSets/virtualMachines`)
 * carries `properties.networkProfile.networkInterfaces` as a VM does
 * https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-set-vms/get; a Flexible
 * scale set's instances are plain virtualMachines.
 */
const HINT_TYPES: ReadonlySet<string> = new Set(['microsoft.compute/virtualmachines', 'microsoft.compute/virtualmachinescalesets/virtualmachines']);
/** An availability set's own document: which VMs are in it (see mapAvailabilitySetHint). */
const AVAILABILITY_SET_TYPE = 'microsoft.compute/availabilitysets';

// Maps keyed by lower case, not object literals: a `type` from the input must never reach Object.prototype.
const TOP_LEVEL: ReadonlyMap<string, TopLevelMapper> = new Map(TOP_LEVEL_TYPES.map(([t, m]) => [t.toLowerCase(), m]));
const CHILDREN: ReadonlyMap<string, ChildMapper> = new Map(CHILD_TYPES.map(([t, m]) => [t.toLowerCase(), m]));

/**
 * What the normalizer reads, for messages that tell a user what to export: the top-level types
 * (short names, all `Microsoft.Network`), then the child types accepted on their own.
 */
export const UNDERSTOOD_TYPES: readonly string[] = TOP_LEVEL_TYPES.filter(([t]) => t.split('/').length === 2).map(([t]) => t.slice(t.indexOf('/') + 1));

const ID_EXPECTED = 'an ARM resource ID like "/subscriptions/…/resourceGroups/…/providers/…"';

interface ReadState {
  readonly store: DraftStore;
  /** Raw `type` → lower case: a handful of distinct values over 100,000 resources. */
  readonly types: Map<string, string>;
  readonly unsupported: Map<string, number>;
  readonly effectiveRoutes: Map<ResourceId, CapturedEffectiveRoutes>;
  /** The document (index) each NIC's effective routes were last read from. */
  readonly effectiveRouteDocuments: Map<ResourceId, number>;
  readonly documentNames: readonly string[];
  /** Parents of child resources (listed on their own) that were malformed: dropped at the end. */
  readonly brokenParents: Map<ResourceId, string>;
  /** Modelled resources listed with `"properties": null` or as an identity-only projection (see readResourceStrict), by ID. */
  readonly withoutProperties: Map<ResourceId, { readonly type: string; readonly how: string }>;
}

function lowerType(state: ReadState, rawType: string): string {
  let type = state.types.get(rawType);
  if (type === undefined) {
    type = rawType.toLowerCase();
    state.types.set(rawType, type);
  }
  return type;
}

/** The resource ID an object carries (`id`, or `Id` as PowerShell prints it), when it is one. */
function resourceIdOf(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const id = field(value, 'id');
  return typeof id === 'string' && isResourceIdText(id) ? id : undefined;
}

/** The type of a resource: its `type` when that names one, else the type its ID spells. */
/**
 * Network resources that live under a Uniform scale set instance: its NICs and their instance-level
 * public IPs (`…/virtualMachineScaleSets/{s}/virtualMachines/{i}/networkInterfaces/{n}[/ipConfigurations/{c}/publicIPAddresses/{p}]`).
 * Their ID names a Compute path, and Microsoft's example of the public IP list
 * (PublicIPAddresses_ListVirtualMachineScaleSetPublicIPAddresses, VmssPublicIpListAll.json) gives
 * no `type`: without one, the type is the network resource's, not the ID's nested path.
 */
const SCALE_SET_NETWORK_TYPES: ReadonlyMap<string, string> = new Map([
  ['microsoft.compute/virtualmachinescalesets/virtualmachines/networkinterfaces', 'microsoft.network/networkinterfaces'],
  ['microsoft.compute/virtualmachinescalesets/virtualmachines/networkinterfaces/ipconfigurations/publicipaddresses', 'microsoft.network/publicipaddresses'],
]);

function typeOf(state: ReadState, raw: JsonRecord, rawId: string): string {
  const rawType = field(raw, 'type');
  if (typeof rawType === 'string' && rawType.includes('/')) return lowerType(state, rawType);
  const fromId = parseResourceId(rawId)?.type ?? '';
  return SCALE_SET_NETWORK_TYPES.get(fromId) ?? fromId;
}

const NSG_TYPE = 'microsoft.network/networksecuritygroups';

/** Top-level fields every ARM resource may carry that say nothing about its configuration. */
const IDENTITY_FIELDS: ReadonlySet<string> = new Set([
  'id', 'name', 'type', 'location', 'resourcegroup', 'subscriptionid', 'tenantid', 'tags', 'etag', 'kind', 'sku', 'zones',
  'managedby', 'identity', 'extendedlocation', 'apiversion', 'systemdata',
]);

/** Whether a resource object holds nothing but identity fields (no `properties`, no flattened ones). */
function identityOnly(raw: Readonly<Record<string, unknown>>): boolean {
  for (const key in raw) if (!IDENTITY_FIELDS.has(key.toLowerCase())) return false;
  return true;
}

function readResourceStrict(state: ReadState, file: string, path: string, value: unknown): void {
  const node = toNode(file, path, value, 'an ARM resource object');
  const rawId = field(node.raw, 'id');
  if (typeof rawId !== 'string' || !isResourceIdText(rawId)) {
    if (looksLikeEffectiveRoute(value)) {
      fail(file, path, 'an ARM resource; this looks like an effective route: put the route list under "effectiveRouteTables" keyed by its NIC ID', value);
    }
    fail(file, `${path}.${keyIn(node.raw, 'id') ?? 'id'}`, ID_EXPECTED, rawId);
  }
  const id = canonicalId(rawId);
  const type = typeOf(state, node.raw, rawId);
  const topLevel = TOP_LEVEL.get(type);
  if (topLevel !== undefined) {
    // `az resource list` (ARM Resources_List) answers from ARM's cache, which holds no properties:
    // it prints `"properties": null`. Read as a resource, a route table would have no routes and
    // an NSG only the default rules: a confident wrong verdict. It is left out instead (a full
    // copy elsewhere in the input stands; otherwise a gap names it).
    // (Get-AzResource without -ExpandProperties prints `"Properties": null` the same way.)
    if (node.raw.properties === null || node.raw.Properties === null) {
      state.withoutProperties.set(id, { type, how: 'listed without its properties ("properties": null, as az resource list prints every resource)' });
      return;
    }
    // A projection that kept the identity fields only (Resource Graph `project id, name, type,
    // location`, an `--query` of names) carries no properties at all, neither the envelope nor
    // PowerShell's flattened fields: the same as `"properties": null`, not a resource with nothing
    // set (an NSG would read as Azure's default rules only, and its custom rules, processed first
    // [NSG] https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview,
    // may deny what the defaults allow).
    // Limited to NSGs: other resources are read with nothing set from a bare object on purpose
    // (optional fields absent → defaults), and their defaults do not read as "allowed".
    if (type === NSG_TYPE && identityOnly(node.raw)) {
      state.withoutProperties.set(id, { type, how: 'captured with its identity fields only (a projection without properties, e.g. Resource Graph `project id, name, type, location`)' });
      return;
    }
    // With its `properties` envelope, a copy is whole: compared with another file's copy, what it
    // omits is "not set" (see draft-store.ts).
    state.store.readingResource(node.props !== null);
    topLevel(state.store, node, readBase(node, rawId, id));
    return;
  }
  const child = CHILDREN.get(type);
  if (child !== undefined) {
    // A child without its properties (a rule collection group, a route) would read as one with
    // nothing in it: its parent then complete and empty, a confident wrong verdict (a policy whose
    // rules deny all). Malformed, so its parent is left out too (see readResource).
    if (node.raw.properties === null || node.raw.Properties === null) {
      fail(file, `${path}.${keyIn(node.raw, 'properties') ?? 'properties'}`, 'the child resource\'s properties (it was listed without them, "properties": null)', null);
    }
    child(state.store, node, id, type);
    return;
  }
  if (HINT_TYPES.has(type)) {
    mapVirtualMachineHint(state.store, node, id);
    return;
  }
  if (type === AVAILABILITY_SET_TYPE) {
    mapAvailabilitySetHint(state.store, node, id);
    return;
  }
  state.unsupported.set(type, (state.unsupported.get(type) ?? 0) + 1);
}

/**
 * One resource. A malformed one is left out with a `skipped-input` gap naming the file, the JSON
 * path and what was expected, and the rest of the input is still read: one bad value in a
 * 10,000-resource export must not lose the other 9,999. Mappers write nothing until a resource
 * is fully read, so nothing of it stays behind. A malformed child listed on its own also drops
 * its parent (see `DraftStore.discard`).
 */
function readResource(state: ReadState, file: string, path: string, value: unknown): void {
  try {
    readResourceStrict(state, file, path, value);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const rawId = resourceIdOf(value);
    const id = rawId === undefined ? undefined : canonicalId(rawId);
    // From the raw object: a node cannot be made of a resource whose `properties` is malformed.
    const type = rawId === undefined || !isRecord(value) ? '' : typeOf(state, value, rawId);
    if (id !== undefined && CHILDREN.has(type)) state.brokenParents.set(parentResourceId(id), id);
    state.store.gaps.push({
      code: 'skipped-input',
      scope: id ?? `${file} ${path}`,
      message: `${error.message}. This resource was left out; the rest of the input was read.`,
    });
  }
}

function readResources(state: ReadState, file: string, path: string, items: readonly unknown[]): void {
  for (let i = 0; i < items.length; i++) readResource(state, file, `${path}[${i}]`, items[i]);
}

function readEffectiveRouteTables(state: ReadState, document: number, path: string, value: JsonRecord): void {
  const file = state.documentNames[document] ?? '';
  for (const [key, routes] of Object.entries(value)) {
    const keyPath = `${path}[${JSON.stringify(key)}]`;
    // One NIC's malformed capture is left out (its subnet is then resolved from the topology alone).
    try {
      if (parseResourceId(key) === null) fail(file, keyPath, `a NIC resource ID as the key (${ID_EXPECTED})`, key);
      const networkInterfaceId = toResourceId(key);
      const entry = { networkInterfaceId, routes: mapEffectiveRouteList(file, keyPath, routes) };
      const held = state.effectiveRoutes.get(networkInterfaceId);
      const from = state.effectiveRouteDocuments.get(networkInterfaceId);
      // Two captures of one NIC's routes are two moments: the later file's is used (as for
      // snapshots given after an export), and the difference is not silent.
      if (held !== undefined && from !== undefined && from !== document && !sameValue(held.routes, entry.routes)) {
        state.store.gaps.push({
          code: 'skipped-input', scope: networkInterfaceId,
          message: `${state.documentNames[from] ?? ''} and ${file} hold different effective routes of ${networkInterfaceId}: those of ${file}, given later, are used; the others are left out.`,
        });
      }
      state.effectiveRoutes.set(networkInterfaceId, entry);
      state.effectiveRouteDocuments.set(networkInterfaceId, document);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      state.store.gaps.push({ code: 'skipped-input', scope: key, message: `${error.message}. These effective routes were left out.` });
    }
  }
}

/**
 * Network Watcher next-hop results and effective-NSG lists are spot checks of one NIC, not
 * topology: they are recognised and reported as not modelled rather than rejected.
 */
function diagnosticResultGap(file: string, json: JsonRecord): Gap | null {
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

/** What one document holds, found before anything of it is read (so a document-level problem reads nothing). */
interface DocumentParts {
  /** Resource lists; `single` when the path names the one resource itself (`$`, not `$[0]`). */
  readonly lists: readonly { readonly path: string; readonly items: readonly unknown[]; readonly single?: true }[];
  readonly effectiveRouteTables?: { readonly path: string; readonly value: JsonRecord };
  /** A recognised document that is not topology (a next-hop result): recorded, not read. */
  readonly gap?: Gap;
}

/**
 * A list of which no item is an ARM resource is not a resource list at all (`az account list`,
 * a `--query` projection): one problem with the document, not one per item.
 */
function resourceList(file: string, path: string, items: readonly unknown[]): DocumentParts['lists'][number] {
  if (items.length > 0 && items.every(looksLikeEffectiveRoute)) {
    fail(file, '$', 'ARM resources; this is an effective route table: wrap it as { "effectiveRouteTables": { "<NIC resource ID>": <this file> } }', `${items.length} effective routes`);
  }
  if (items.length > 0 && !items.some((item) => resourceIdOf(item) !== undefined)) {
    const first = items[0];
    const where = isRecord(first) ? `${path}[0].${keyIn(first, 'id') ?? 'id'}` : `${path}[0]`;
    fail(file, where, `${ID_EXPECTED} (none of the ${items.length} items has one)`, isRecord(first) ? field(first, 'id') : first);
  }
  return { path, items };
}

/**
 * `az … create` prints some resources wrapped in one key: `{"newVNet": …}`, `{"NewNSG": …}`,
 * `{"NewNIC": …}`, `{"publicIp": …}`, `{"vnetGateway": …}` (azure-cli's `transform_*_create_output`),
 * and deployment-based creates print `{"loadBalancer": <properties>}`, the resource's properties
 * without its ID. Any single-key object holding one resource is unwrapped; an ID-less one gets
 * the ID its own sub-resources name (`…/loadBalancers/lb1/frontendIPConfigurations/fe` →
 * `…/loadBalancers/lb1`).
 */
function unwrapCreateOutput(json: JsonRecord): { readonly key: string; readonly value: JsonRecord } | null {
  const keys = Object.keys(json);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) return null;
  const value = json[key];
  if (!isRecord(value)) return null;
  if (resourceIdOf(value) !== undefined) return { key, value };
  const derived = idFromSubResources(value);
  return derived === undefined ? null : { key, value: { ...value, id: derived } };
}

function idFromSubResources(value: JsonRecord): string | undefined {
  for (const [fieldName, items] of Object.entries(value)) {
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      const id = resourceIdOf(item);
      if (id === undefined) continue;
      // Only the resource's own sub-resources: `…/{fieldName}/{name}` under this field.
      const parts = id.replace(/\/+$/, '').split('/');
      if ((parts[parts.length - 2] ?? '').toLowerCase() !== fieldName.toLowerCase()) continue;
      const parent = parts.slice(0, -2).join('/');
      if (TOP_LEVEL.has(parseResourceId(parent)?.type ?? '')) return parent;
    }
  }
  return undefined;
}

/** What a JSON object that is no Azure resource document looks like, for the error. */
function describeDocument(json: JsonRecord): string {
  if (typeof json.tenantId === 'string' && (typeof json.environmentName === 'string' || typeof json.isDefault === 'boolean')) {
    return 'an "az account show" output (a subscription, not network resources)';
  }
  return describeFound(json);
}

const HTTP_STATUS = /^(\d{3}|default)$/;

/**
 * A REST API example from Microsoft's specifications (`x-ms-examples`, as the REST reference on
 * Learn shows them and azure-rest-api-specs stores them): `{ "parameters": {…}, "responses":
 * { "200": { "body": … } } }`. The body ARM returned is the document: a resource, or a list.
 * A `200` body is preferred to a `201` (both are the resource after a PUT).
 */
function exampleResponse(file: string, json: JsonRecord): { readonly path: string; readonly body: unknown } | null {
  const responses = json.responses;
  if (!isRecord(responses) || resourceIdOf(json) !== undefined) return null;
  const codes = Object.keys(responses);
  if (codes.length === 0 || !codes.every((code) => HTTP_STATUS.test(code))) return null;
  for (const code of ['200', '201']) {
    const response = responses[code];
    if (isRecord(response) && response.body !== undefined && response.body !== null) return { path: `$.responses["${code}"].body`, body: response.body };
  }
  throw new InputError(file, '$.responses', 'a REST API example with a 200 or 201 response body (the resource ARM returned)', `responses ${codes.join(', ')} without one`);
}

/**
 * One page of a paged list saved as the whole answer: ARM lists continue at `nextLink`
 * (`az rest` prints one page), Resource Graph at `$skipToken` (`az graph query` prints
 * `skip_token` and `total_records`; it returns 100 rows unless `--first` says more)
 * https://learn.microsoft.com/azure/governance/resource-graph/concepts/work-with-data.
 * The rows are read; what the later pages hold is a gap, never silently absent.
 */
function morePages(file: string, json: JsonRecord, rows: number): Gap | null {
  const next = field(json, 'nextLink');
  const token = field(json, 'skip_token') ?? field(json, '$skipToken') ?? field(json, 'skipToken');
  const total = field(json, 'total_records') ?? field(json, 'totalRecords');
  const missing = typeof total === 'number' && total > rows ? ` (${rows} of ${total} rows)` : '';
  if ((typeof next === 'string' && next.trim() !== '') || (typeof token === 'string' && token !== '') || missing !== '') {
    return {
      code: 'skipped-input', scope: file,
      message: `${file} is one page of a longer list${missing}: the resources on the following pages are not in the input. Export every page (az graph query --first 1000 and its skip token, or az network … list, which follows nextLink).`,
    };
  }
  return null;
}

/** `documentParts` of a document found at `prefix` inside the file: every path, and every error's path, starts there. */
function nestedDocumentParts(doc: ArmDocument, prefix: string, json: unknown): DocumentParts {
  const rebase = (path: string): string => (path.startsWith('$') ? `${prefix}${path.slice(1)}` : path);
  let parts: DocumentParts;
  try {
    parts = documentParts({ ...doc, json });
  } catch (error) {
    if (!(error instanceof InputError) || error.file !== doc.fileName) throw error;
    throw new InputError(error.file, rebase(error.path), error.expected, error.found);
  }
  return {
    lists: parts.lists.map((list) => ({ ...list, path: rebase(list.path) })),
    ...(parts.effectiveRouteTables ? { effectiveRouteTables: { ...parts.effectiveRouteTables, path: rebase(parts.effectiveRouteTables.path) } } : {}),
    ...(parts.gap ? { gap: parts.gap } : {}),
  };
}

function documentParts(doc: ArmDocument): DocumentParts {
  const { fileName: file, json } = doc;
  if (Array.isArray(json)) return { lists: [resourceList(file, '$', json)] };
  if (!isRecord(json)) fail(file, '$', DOCUMENT_EXPECTED, json);
  const example = exampleResponse(file, json);
  if (example !== null) return nestedDocumentParts(doc, example.path, example.body);
  if (typeof json.$schema === 'string' && json.$schema.toLowerCase().includes('deploymenttemplate')) {
    fail(file, '$', `${DOCUMENT_EXPECTED} (exported resources, not an ARM deployment template)`, json.$schema);
  }
  // One resource that carries its children in `resources` (`az vm show`: the VM and its
  // extensions, as VirtualMachines_Get returns them): the resource, then the children.
  if (resourceIdOf(json) !== undefined && typeof json.type === 'string' && Array.isArray(json.resources)) {
    return { lists: [{ path: '$', items: [json], single: true }, { path: '$.resources', items: json.resources }] };
  }
  if (json.resources !== undefined || json.effectiveRouteTables !== undefined) {
    const lists: DocumentParts['lists'][number][] = [];
    if (json.resources !== undefined && json.resources !== null) {
      if (!Array.isArray(json.resources)) fail(file, '$.resources', 'an array of ARM resources', json.resources);
      lists.push({ path: '$.resources', items: json.resources });
    }
    const tables = json.effectiveRouteTables;
    if (tables !== undefined && tables !== null && !isRecord(tables)) {
      fail(file, '$.effectiveRouteTables', 'an object of NIC resource IDs to effective route lists', tables);
    }
    return isRecord(tables) ? { lists, effectiveRouteTables: { path: '$.effectiveRouteTables', value: tables } } : { lists };
  }
  if (resourceIdOf(json) !== undefined) return { lists: [{ path: '$', items: [json], single: true }] };
  const diagnostic = diagnosticResultGap(file, json);
  if (diagnostic !== null) return { lists: [], gap: diagnostic };
  for (const listKey of ['value', 'data'] as const) {
    const list = json[listKey];
    if (list === undefined) continue;
    if (!Array.isArray(list)) fail(file, `$.${listKey}`, 'an array of ARM resources', list);
    const more = morePages(file, json, list.length);
    return { lists: [resourceList(file, `$.${listKey}`, list)], ...(more ? { gap: more } : {}) };
  }
  const wrapped = unwrapCreateOutput(json);
  if (wrapped !== null) return { lists: [{ path: `$.${wrapped.key}`, items: [wrapped.value], single: true }] };
  return fail(file, '$', DOCUMENT_EXPECTED, describeDocument(json));
}

function readDocument(state: ReadState, doc: ArmDocument, index: number): void {
  let parts: DocumentParts;
  try {
    parts = documentParts(doc);
  } catch (error) {
    // A file found in a directory is one of many: it is skipped, and says why.
    if (!(error instanceof InputError) || doc.skippable !== true) throw error;
    state.store.gaps.push({ code: 'skipped-input', scope: doc.fileName, message: `${error.message}. The file was skipped.` });
    return;
  }
  if (parts.gap !== undefined) state.store.gaps.push(parts.gap);
  for (const list of parts.lists) {
    if (list.single === true) readResource(state, doc.fileName, list.path, list.items[0]);
    else readResources(state, doc.fileName, list.path, list.items);
  }
  if (parts.effectiveRouteTables !== undefined) readEffectiveRouteTables(state, index, parts.effectiveRouteTables.path, parts.effectiveRouteTables.value);
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

function disputeGap(id: ResourceId, dispute: Dispute, documentNames: readonly string[]): Gap {
  const files = [...dispute.files].sort((a, b) => a - b).map((i) => documentNames[i] ?? '');
  // A child item's copies (a route, an NSG rule) disagreeing leave the parent out the same way: the
  // gap names the child, since that is what to export once.
  const about = [
    ...(dispute.fields.size === 0 ? [] : [[...dispute.fields].sort(compareIds).join(', ')]),
    ...[...dispute.children].sort(([a], [b]) => compareIds(a, b)).map(([child, fields]) => `${[...fields].sort(compareIds).join(', ')} of ${child}`),
  ].join('; ');
  return {
    code: 'skipped-input', scope: id,
    message: `${files.join(' and ')} hold copies of ${id} that disagree about ${about} (a value in one and none in the other counts): `
      + 'an export carries no capture time, so nothing says which is current. It was left out, so no verdict rests on either copy (what references it is unknown); give one export of it.',
  };
}

/** ARM JSON documents → the normalized model. Pure; throws InputError on malformed input. */
export function normalizeArm(documents: readonly ArmDocument[], options: NormalizeOptions = {}): NormalizeResult {
  const documentNames = documents.map((d) => d.fileName);
  const state: ReadState = {
    // Merged with snapshots, even one export file is one input of several: which of its copies are
    // partial matters (a partial copy never replaces a snapshot's whole one, see load.ts).
    store: new DraftStore(options.mergedWithOthers === true ? Math.max(documents.length, 2) : documents.length), types: new Map(), unsupported: new Map(), effectiveRoutes: new Map(), effectiveRouteDocuments: new Map(),
    documentNames, brokenParents: new Map(), withoutProperties: new Map(),
  };
  documents.forEach((doc, index) => {
    state.store.readingFile(index);
    readDocument(state, doc, index);
  });
  for (const [id, { type, how }] of state.withoutProperties) {
    if (state.store.has(id)) continue;
    state.store.gaps.push({
      code: 'skipped-input', scope: id,
      message: `${id} (${type}) was ${how}, so it is not modelled and what references it is unknown. Export it with az network … list or show, or Resource Graph.`,
    });
  }
  const elsewhere = options.mergedWithOthers === true;
  const orphans = state.store.attachChildren();
  if (!elsewhere) state.store.gaps.push(...orphans.map(orphanGap));
  const brokenElsewhere = new Map<ResourceId, string>();
  for (const [parentId, childId] of state.brokenParents) {
    if (!state.store.discard(parentId)) {
      if (elsewhere) brokenElsewhere.set(parentId, childId);
      continue;
    }
    state.store.gaps.push(brokenParentGap(parentId, childId));
  }
  // After attaching: the children of a disputed resource go with it, and never to another copy.
  const disputes = state.store.settleDisputes();
  for (const [id, dispute] of disputes) state.store.gaps.push(disputeGap(id, dispute, documentNames));
  // Merged with snapshots, what the input shows of missing parents and peerings is read from the
  // merged model (joinDetached): a snapshot may hold them.
  const built = buildModel(state.store);
  const inferred = elsewhere ? { model: built, gaps: [] } : withPeeringsNotExported(withUnseenHubConnections(built, orphans));
  const model = inferred.model;
  const effectiveRoutes = [...state.effectiveRoutes.values()].sort((a, b) => compareIds(a.networkInterfaceId, b.networkInterfaceId));
  const gaps = [...state.store.gaps, ...inferred.gaps, ...unsupportedGaps(state.unsupported)].sort(compareGaps);
  if (!elsewhere) return { model, effectiveRoutes, gaps };
  return {
    model, effectiveRoutes, gaps,
    merge: {
      documentOf: state.store.files, effectiveRoutesDocumentOf: state.effectiveRouteDocuments, disputed: new Set(disputes.keys()), partialOnly: state.store.partialOnly,
      detached: { children: orphans, brokenParents: brokenElsewhere },
    },
  };
}

function brokenParentGap(parentId: ResourceId, childId: string): Gap {
  return {
    code: 'skipped-input', scope: parentId,
    message: `${parentId} was left out because its child ${childId} was malformed: without it the rest would be read as complete.`,
  };
}

type ModelKey = keyof NetworkModel;

/**
 * Children saved on their own whose parent is in another input (a snapshot), joined to the parent
 * the merged model holds: a route added with `az network route-table route create` must change
 * the route table a snapshot captured, or the subnet would be answered from a table that no longer
 * exists. A parent whose child (listed on its own) was malformed is left out, as in `normalizeArm`;
 * a child whose parent is in no input is a `missing-reference` gap.
 */
export function joinDetached(model: NetworkModel, detached: DetachedChildren): { readonly model: NetworkModel; readonly gaps: readonly Gap[] } {
  const joined = joinDetachedChildren(model, detached);
  // What the merged input shows of hubs and peerings it does not hold (not-exported.ts).
  const inferred = withPeeringsNotExported(withUnseenHubConnections(joined.model, joined.orphans));
  return { model: inferred.model, gaps: [...joined.gaps, ...inferred.gaps] };
}

function joinDetachedChildren(model: NetworkModel, detached: DetachedChildren): { readonly model: NetworkModel; readonly gaps: readonly Gap[]; readonly orphans: readonly PendingChild[] } {
  if (detached.children.length === 0 && detached.brokenParents.size === 0) return { model, gaps: [], orphans: [] };
  const wanted = new Set<ResourceId>([...detached.children.map((c) => c.parentId), ...detached.brokenParents.keys()]);
  const keys = Object.keys(model) as ModelKey[];
  // Only the parents go through a store of their own: attached there by the children's own code,
  // then finalized (child lists sorted) as every normalized resource. Copies: finalizing completes a
  // draft in place, and the model's resources are not ours to change.
  const store = new DraftStore();
  for (const key of keys) {
    for (const resource of model[key] as readonly NetworkResource[]) {
      if (wanted.has(resource.id)) store.put(resource.kind, { ...resource } as DraftOf<NetworkResourceKind>);
    }
  }
  const gaps: Gap[] = [];
  const orphans: PendingChild[] = [];
  for (const child of detached.children) {
    if (child.attach(store)) continue;
    orphans.push(child);
    gaps.push(orphanGap(child));
  }
  const dropped: string[] = [];
  for (const [parentId, childId] of detached.brokenParents) {
    if (!store.discard(parentId)) continue;
    dropped.push(parentId);
    gaps.push(brokenParentGap(parentId, childId));
  }
  const joined = buildModel(store);
  const replaced = new Map<ResourceId, NetworkResource>();
  for (const key of keys) for (const resource of joined[key] as readonly NetworkResource[]) replaced.set(resource.id, resource);
  const isDropped = (id: ResourceId): boolean => dropped.some((p) => id === p || id.startsWith(`${p}/`));
  const out: Record<string, readonly NetworkResource[]> = {};
  for (const key of keys) {
    out[key] = (model[key] as readonly NetworkResource[]).filter((r) => dropped.length === 0 || !isDropped(r.id)).map((r) => replaced.get(r.id) ?? r);
  }
  return { model: out as unknown as NetworkModel, gaps, orphans };
}
