/**
 * Collects normalized resources while documents are read, merging copies of the same resource.
 *
 * A resource may appear more than once: in two files, embedded in its parent and listed on its
 * own (a subnet inside its VNet and from `Subnets_Get`), or split into parent + child resources
 * (a firewall policy and its rule collection groups). Mappers therefore produce *drafts*: the
 * fields the input actually carried, nothing defaulted. Drafts of one ID from one file are merged
 * field by field (the higher-ranked, then the later, copy wins for each field it carries), and
 * defaults are applied only once, at the end, so a sparse copy never erases what a fuller one said.
 *
 * Copies from different files are compared first: two exports of one VNet taken months apart are
 * two states of it, and merging them field by field makes one that never existed (ARM omits a
 * reference that is not set, so the older copy's NAT gateway would survive the newer copy that has
 * none). A copy speaks for a field when it carries a value for it, and a *whole* copy also for every
 * single value (a reference, a flag, a number) it omits: that one is not set. A copy is whole when
 * it has its `properties` envelope (REST, Resource Graph, `az rest`) or, flattened (`az … list`,
 * PowerShell, the SDK), its type's core fields (`WHOLE_BY`: a subnet's prefixes, a NIC's IP
 * configurations); anything else is partial (`az vm nic list` prints `{id, primary, deleteOption}`
 * per NIC; a `--query` projection) and speaks only for what it carries. Copies disagree about a
 * field when both speak for it with different values, compared as the model holds them: child lists
 * in ID order, as finalize sorts them, and no default filled in. A list or object a copy lacks is
 * never a disagreement (a copy without `subnets` or `routes` is sparse, not "none"). When copies
 * disagree, nothing in an export says which is current: the resource is left out with a gap naming
 * it, the fields and the files, so what depends on it is unknown (see `settleDisputes`). One file
 * compares nothing and records nothing per resource.
 *
 * Child items (a route, an NSG rule, a rule collection group) are compared the same way: a copy
 * listed on its own with another file's copy listed on its own, or with the copy embedded in
 * another file's copy of the parent. Attached, the later would silently replace the other, so when
 * they disagree the parent is left out, its gap naming the child (see `child`, `attachChildren`).
 * A child item is mapped whole by its own mapper, so unlike a parent's copy it speaks for every
 * field: a list it omits is empty (a rule's ASGs, source ports that are `*`), and only a value its
 * mapper filled in for one the input lacked says nothing (`withDefaulted`). A parent copy without
 * the child's list at all (a `--query` projection) still says nothing of its children.
 */
import type { Gap } from '../model/gaps';
import { compareIds, type ResourceId } from '../model/ids';
import type {
  AzureFirewall, FirewallPolicy, LoadBalancer, NatGateway, NetworkInterface, NetworkResourceKind,
  NetworkSecurityGroup, PublicIpAddress, PublicIpPrefix, RouteTable, SecurityRule, Subnet, VirtualHub, VirtualNetwork,
  VirtualNetworkGateway, VirtualWan, IpGroup, PrivateEndpoint, PrivateDnsZone,
} from '../model/topology';

export interface KindMap {
  readonly virtualNetwork: VirtualNetwork;
  readonly subnet: Subnet;
  readonly routeTable: RouteTable;
  readonly natGateway: NatGateway;
  readonly publicIpAddress: PublicIpAddress;
  readonly publicIpPrefix: PublicIpPrefix;
  readonly networkInterface: NetworkInterface;
  readonly azureFirewall: AzureFirewall;
  readonly firewallPolicy: FirewallPolicy;
  readonly networkSecurityGroup: NetworkSecurityGroup;
  readonly loadBalancer: LoadBalancer;
  readonly virtualNetworkGateway: VirtualNetworkGateway;
  readonly virtualHub: VirtualHub;
  readonly virtualWan: VirtualWan;
  readonly ipGroup: IpGroup;
  readonly privateEndpoint: PrivateEndpoint;
  readonly privateDnsZone: PrivateDnsZone;
}

/** The fields an input carried; `id`, `name`, `subscriptionId`, `resourceGroup` always. */
export type Draft<T> = Partial<T> & {
  readonly id: ResourceId;
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
};

export type DraftOf<K extends NetworkResourceKind> = Draft<KindMap[K]>;

/** Embedded copies (a subnet inside its VNet) rank below standalone ones (from `Subnets_Get`). */
export const RANK_EMBEDDED = 0;
export const RANK_STANDALONE = 1;

type Entry = Readonly<Record<string, unknown>>;

/**
 * What a child listed on its own writes into its parent: the parent's kind, the field, and its items
 * there as `attach` writes them (a route; a rule collection group's rules, sorted as the policy holds
 * them; an intent's policies; none for a record set that is not modelled). Declared by the mapper
 * next to `attach`, so copies of the child from different files are compared as the model would hold
 * them (see `DraftStore.child`). A firewall's IP configuration names `ipConfigurations`; it is
 * compared with the management configuration when the parent's has its ID (as `attach` places it).
 */
export type ChildWrites = {
  readonly [K in NetworkResourceKind]: {
    readonly kind: K;
    readonly field: keyof KindMap[K] & string;
    readonly items: readonly object[];
  };
}[NetworkResourceKind];

/** A child resource listed on its own, attached to its parent once every parent is merged. */
export interface PendingChild {
  readonly id: ResourceId;
  /** ARM type, lower case, for the gap message when the parent is missing. */
  readonly type: string;
  readonly parentId: ResourceId;
  readonly writes: ChildWrites;
  /** Returns false when the parent is not in the input. */
  attach(store: DraftStore): boolean;
}

/**
 * Fields that say what a copy looks like rather than what the resource does: the name and scope come
 * from the ID, a subnet inside its VNet inherits the VNet's location while one listed on its own has
 * none, and no verdict reads tags. Copies are not compared on them.
 */
const NOT_COMPARED: ReadonlySet<string> = new Set(['id', 'name', 'subscriptionId', 'resourceGroup', 'location', 'tags']);

function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** A member of the object itself: a key from another object (`__proto__` in parsed JSON) must not reach the prototype. */
function own(value: Readonly<Record<string, unknown>>, key: string): unknown {
  return hasOwn(value, key) ? value[key] : undefined;
}

/** Whether two JSON-like values are equal; an `undefined` member counts as absent. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  const x = a as Readonly<Record<string, unknown>>;
  const y = b as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(x)) if (!sameValue(x[key], own(y, key))) return false;
  for (const key of Object.keys(y)) if (!hasOwn(x, key) && y[key] !== undefined) return false;
  return true;
}

/**
 * The fields two whole copies of one resource (finalized, as snapshots hold them) disagree about,
 * sorted: different values, or a value in one and none in the other.
 */
export function disagreeingFields(a: object, b: object): string[] {
  return fieldsApart(a as Entry, b as Entry, (_key, p, q) => !sameValue(p, q));
}

/** Child lists sorted by ID (order in the input carries no meaning for these): finalize sorts the model's so, and copies are compared so. */
export const SORTED_CHILDREN: { readonly [K in NetworkResourceKind]: readonly (keyof KindMap[K] & string)[] } = {
  virtualNetwork: ['peerings'], subnet: [], routeTable: ['routes'], natGateway: [], publicIpAddress: [], publicIpPrefix: [],
  networkInterface: ['ipConfigurations'], azureFirewall: ['ipConfigurations'], firewallPolicy: [], networkSecurityGroup: [],
  loadBalancer: ['frontendIpConfigurations', 'backendAddressPools', 'loadBalancingRules', 'outboundRules'], virtualNetworkGateway: [],
  virtualHub: ['connections', 'routeTables', 'legacyRouteTables', 'bgpConnections', 'networkVirtualAppliances'], virtualWan: [], ipGroup: [],
  privateEndpoint: ['privateDnsZoneGroups'], privateDnsZone: ['virtualNetworkLinks', 'recordSets'],
};

export function sortedById<T extends { readonly id: string }>(items: readonly T[]): readonly T[] {
  return items.length < 2 ? items : [...items].sort((a, b) => compareIds(a.id, b.id));
}

type OrderKey = (item: unknown) => string;
const byId: OrderKey = (item) => String((item as { readonly id?: unknown }).id);
const asText: OrderKey = (item) => String(item);
/** As a rule listed on its own replaces one (map-security.ts): Azure applies NSG rules by priority, never by position. */
const byRule: OrderKey = (item) => {
  const rule = item as SecurityRule;
  return `${rule.isDefault ? 'default' : 'custom'}/${rule.name.toLowerCase()}`;
};

/** Lists whose order carries no meaning, with the key copies are compared in: SORTED_CHILDREN, the ID sets buildModel sorts, NSG rules. */
const UNORDERED: ReadonlyMap<NetworkResourceKind, ReadonlyMap<string, OrderKey>> = new Map(
  (Object.keys(SORTED_CHILDREN) as NetworkResourceKind[]).map((kind) => {
    const keys = new Map<string, OrderKey>(SORTED_CHILDREN[kind].map((field) => [field, byId]));
    if (kind === 'virtualNetwork') keys.set('subnetIds', asText);
    if (kind === 'firewallPolicy') keys.set('ruleCollectionGroupIds', asText).set('loadedRuleCollectionGroupIds', asText);
    if (kind === 'networkSecurityGroup') keys.set('securityRules', byRule);
    return [kind, keys];
  }),
);

/**
 * Fields every whole copy of a type carries, flattened too (ARM always returns them; az, PowerShell
 * and the SDK print them): a copy without `properties` that carries one of them is whole. A stub or
 * projection that lacks them speaks only for what it carries.
 */
const WHOLE_BY: { readonly [K in NetworkResourceKind]: readonly (keyof KindMap[K] & string)[] } = {
  virtualNetwork: ['addressPrefixes'], subnet: ['addressPrefixes'], routeTable: ['routes'], natGateway: ['idleTimeoutInMinutes'],
  publicIpAddress: ['version'], publicIpPrefix: ['prefixLength'], networkInterface: ['ipConfigurations'],
  azureFirewall: ['ipConfigurations', 'virtualHubId'], firewallPolicy: ['ruleCollectionGroupIds', 'threatIntelMode'],
  networkSecurityGroup: ['securityRules'], loadBalancer: ['frontendIpConfigurations'], virtualNetworkGateway: ['gatewayType'],
  virtualHub: ['addressPrefix'], virtualWan: ['virtualHubIds'], ipGroup: ['ipAddresses'], privateEndpoint: ['subnetId'],
  privateDnsZone: ['numberOfRecordSets'],
};

/** A single value (a reference, a flag, a number, a string), which a whole copy omits only when it is not set. */
function isSingle(value: unknown): boolean {
  return typeof value !== 'object' || value === null;
}

function inOrder(keyOf: OrderKey | undefined, value: unknown): unknown {
  if (keyOf === undefined || !Array.isArray(value) || value.length < 2) return value;
  return [...(value as readonly unknown[])].sort((a, b) => compareIds(keyOf(a), keyOf(b)));
}

/**
 * The same for drafts from two files, which carry only what their input did (see the module
 * comment): a field both speak for with different values, lists compared in the order of UNORDERED.
 * A whole copy speaks for a single value it omits ("not set"); a partial one does not, and a list
 * or object a copy lacks is never a disagreement.
 */
function draftFieldsApart(kind: NetworkResourceKind, a: Entry, aWhole: boolean, b: Entry, bWhole: boolean): string[] {
  const unordered = UNORDERED.get(kind);
  return fieldsApart(a, b, (key, p, q) => {
    if (p === undefined) return q !== undefined && aWhole && isSingle(q);
    if (q === undefined) return bWhole && isSingle(p);
    const keyOf = unordered?.get(key);
    // Child items (routes, NSG rules) as one copy of them is compared with another (`sameItem`).
    if (keyOf !== undefined && keyOf !== asText && Array.isArray(p) && Array.isArray(q)) {
      return !sameItems(inOrder(keyOf, p) as readonly unknown[], inOrder(keyOf, q) as readonly unknown[]);
    }
    return !sameValue(inOrder(keyOf, p), inOrder(keyOf, q));
  });
}

/** The compared fields for which `differ` holds, sorted; an absent field is `undefined`. */
function fieldsApart(x: Entry, y: Entry, differ: (key: string, p: unknown, q: unknown) => boolean): string[] {
  const fields: string[] = [];
  for (const key of Object.keys(x)) if (!NOT_COMPARED.has(key) && differ(key, x[key], own(y, key))) fields.push(key);
  for (const key of Object.keys(y)) if (!NOT_COMPARED.has(key) && !hasOwn(x, key) && differ(key, undefined, y[key])) fields.push(key);
  return fields.sort(compareIds);
}

/** Copies of one resource from different files that disagree. */
export interface Dispute {
  /** The fields they disagree about. */
  readonly fields: ReadonlySet<string>;
  /** The files (by index) whose copies were compared. */
  readonly files: ReadonlySet<number>;
  /** Child items (a route, an NSG rule) whose copies disagree, with the fields they disagree about. */
  readonly children: ReadonlyMap<ResourceId, ReadonlySet<string>>;
}

/** A dispute while it is collected. */
interface DisputeRecord {
  readonly fields: Set<string>;
  readonly files: Set<number>;
  readonly children: Map<ResourceId, Set<string>>;
}

/**
 * The fields of a parent that children listed on their own write into (ChildWrites; CHILD_TYPES in
 * normalize.ts): a copy of the parent carrying one of them may hold an embedded copy of such a child.
 */
const CHILD_FIELDS: { readonly [K in NetworkResourceKind]?: readonly (keyof KindMap[K] & string)[] } = {
  virtualNetwork: ['peerings'], routeTable: ['routes'], networkInterface: ['ipConfigurations'],
  azureFirewall: ['ipConfigurations', 'managementIpConfiguration'], firewallPolicy: ['rules'], networkSecurityGroup: ['securityRules'],
  loadBalancer: ['frontendIpConfigurations', 'backendAddressPools', 'loadBalancingRules', 'outboundRules'],
  virtualHub: ['connections', 'routingPolicies', 'routeTables', 'legacyRouteTables', 'bgpConnections', 'networkVirtualAppliances'], privateEndpoint: ['privateDnsZoneGroups'], privateDnsZone: ['virtualNetworkLinks', 'recordSets'],
};

function carriesChildren(fields: readonly string[], draft: Entry): boolean {
  for (const field of fields) if (own(draft, field) !== undefined) return true;
  return false;
}

/**
 * Input files (by index): a bit set while every index fits in one (a merge has a few files, and a
 * number per parent costs no allocation), else a Set.
 */
type FileSet = number | ReadonlySet<number>;

function withFile(set: FileSet, file: number): FileSet {
  if (typeof set === 'number' && file < 31) return set | (1 << file);
  return new Set([...filesIn(set), file]);
}

function filesIn(set: FileSet): number[] {
  if (typeof set !== 'number') return [...set];
  const files: number[] = [];
  for (let file = 0; file < 31; file++) if ((set & (1 << file)) !== 0) files.push(file);
  return files;
}

/** A rule collection group's rules carry `group/collection` (map-security.ts): the group they came from. */
const byGroup: OrderKey = (item) => {
  const collection = (item as { readonly collection?: unknown }).collection;
  const text = typeof collection === 'string' ? collection : '';
  const slash = text.indexOf('/');
  return (slash < 0 ? text : text.slice(0, slash)).toLowerCase();
};

/** Routing policies are replaced by name (mergePolicies in map-gateways.ts). */
const byName: OrderKey = (item) => String((item as { readonly name?: unknown }).name).toLowerCase();

/**
 * How an item a child writes into its parent is matched with the parent's own items, as the child's
 * `attach` replaces it: by ID; NSG rules as `byRule`, routing policies by name, a policy's rules by
 * their group.
 */
function childItemKey(writes: ChildWrites): OrderKey {
  if (writes.kind === 'firewallPolicy') return byGroup;
  if (writes.kind === 'virtualHub' && writes.field === 'routingPolicies') return byName;
  if (writes.kind === 'networkSecurityGroup') return byRule;
  return byId;
}

/** A child listed on its own, as compared with other files' copies of it (only with more than one file). */
interface ChildCopy {
  readonly parentId: ResourceId;
  readonly writes: ChildWrites;
  /** The files whose copies of it agree. */
  readonly files: Set<number>;
}

/** Lists up to this long are searched; longer ones (a zone's 20,000 records) are indexed once. */
const SCANNED = 8;

/**
 * The items of parents' lists by key, built once per list while children are compared with them
 * (a parent's field is always matched by one key, `childItemKey`, so the list alone identifies it).
 */
class ItemIndex {
  private readonly lists = new Map<readonly unknown[], Map<string, unknown[]>>();

  find(list: readonly unknown[], keyOf: OrderKey, key: string): readonly unknown[] {
    if (list.length <= SCANNED) return list.filter((item) => keyOf(item) === key);
    let byKey = this.lists.get(list);
    if (byKey === undefined) {
      byKey = new Map();
      for (const item of list) {
        const k = keyOf(item);
        const same = byKey.get(k);
        if (same === undefined) byKey.set(k, [item]);
        else same.push(item);
      }
      this.lists.set(list, byKey);
    }
    return byKey.get(key) ?? [];
  }
}

/**
 * The copy of a child the parent draft itself holds (embedded in it), as the child would replace it;
 * undefined when the parent's copy does not have it: a list the copy lacks is sparse, and a child
 * missing from a list is one added since (joinDetached relies on that), neither a disagreement.
 */
function heldItems(writes: ChildWrites, parent: Entry, childId: ResourceId, index: ItemIndex): readonly unknown[] | undefined {
  const [first] = writes.items;
  if (writes.kind === 'azureFirewall' && first !== undefined) {
    // `attach` replaces the management configuration when the parent's has the child's ID.
    const management = own(parent, 'managementIpConfiguration');
    if (management !== undefined && management !== null && byId(management) === byId(first)) return [management];
  }
  const list = own(parent, writes.field);
  if (!Array.isArray(list) || list.length === 0) return undefined;
  if (writes.kind === 'firewallPolicy') {
    // A group embedded as a bare `{ id }` reference was not loaded: it says nothing of its rules.
    const loaded = own(parent, 'loadedRuleCollectionGroupIds');
    if (!Array.isArray(loaded) || !loaded.includes(childId)) return undefined;
    return index.find(list, byGroup, childId.slice(childId.lastIndexOf('/') + 1));
  }
  // A hub has one routing intent, whose policies `attach` merges by name: the hub's list is the
  // embedded intent whole, so a policy the other copy dropped (Internet traffic no longer to the
  // firewall) is compared, whichever file is read first.
  if (writes.kind === 'virtualHub' && writes.field === 'routingPolicies') return list;
  const keyOf = childItemKey(writes);
  const held: unknown[] = [];
  for (const item of writes.items) held.push(...index.find(list, keyOf, keyOf(item)));
  return held.length === 0 ? undefined : held;
}

/**
 * Fields a mapper filled in for a child item whose input lacked them (a route's `hasBgpOverride`,
 * which older api-versions do not return): the model needs a value, but the copy said nothing of it, so copies
 * are not compared on it. Keyed by the item object, which drafts share rather than copy.
 */
const DEFAULTED = new WeakMap<object, readonly string[]>();

/** Marks `fields` of a mapped child item as filled in by its mapper (see DEFAULTED). */
export function withDefaulted<T extends object>(item: T, fields: readonly (keyof T & string)[]): T {
  DEFAULTED.set(item, fields);
  return item;
}

/**
 * Whether two copies of one child item agree on `key`. A child item is mapped whole by its own
 * mapper, which omits a list only when it is empty (a rule's ASGs, source ports that are `*`): none
 * and empty are the same, while a value against none (a single value or a non-empty list) is a
 * disagreement, unlike for a parent's fields. A value the mapper filled in says nothing.
 */
function itemValuesAgree(key: string, p: unknown, q: unknown, filledX: readonly string[] | undefined, filledY: readonly string[] | undefined): boolean {
  if (filledX?.includes(key) === true || filledY?.includes(key) === true) return true;
  if (p === undefined) return q === undefined || (Array.isArray(q) && q.length === 0);
  if (q === undefined) return Array.isArray(p) && p.length === 0;
  return sameValue(p, q);
}

function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields two copies of one child item disagree about (see `itemValuesAgree`). */
function itemFieldsApart(x: Entry, y: Entry): string[] {
  const filledX = DEFAULTED.get(x);
  const filledY = DEFAULTED.get(y);
  return fieldsApart(x, y, (key, p, q) => !itemValuesAgree(key, p, q, filledX, filledY));
}

/** Whether two copies of one child item agree (see `itemValuesAgree`). */
function sameItem(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (!isEntry(x) || !isEntry(y)) return sameValue(x, y);
  const filledX = DEFAULTED.get(x);
  const filledY = DEFAULTED.get(y);
  for (const key of Object.keys(x)) if (!NOT_COMPARED.has(key) && !itemValuesAgree(key, x[key], own(y, key), filledX, filledY)) return false;
  for (const key of Object.keys(y)) if (!NOT_COMPARED.has(key) && !hasOwn(x, key) && !itemValuesAgree(key, undefined, y[key], filledX, filledY)) return false;
  return true;
}

/** Lists of child items, in their order (sorted by the caller where order carries no meaning). */
function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameItem(a[i], b[i])) return false;
  return true;
}

/**
 * The fields two copies of what a child writes into its parent disagree about: one item each (a
 * route, an NSG rule) field by field, else the parent's field. Items are compared in key order, a
 * policy's rules of one group (which their key does not tell apart) in the order the policy holds
 * them.
 */
function childItemsApart(writes: ChildWrites, a: readonly unknown[], b: readonly unknown[]): string[] {
  const [x] = a;
  const [y] = b;
  const keyOf = writes.kind === 'firewallPolicy' ? undefined : childItemKey(writes);
  // Two items are one only under one key: two routing policies of another name are two policies.
  if (keyOf !== undefined && a.length === 1 && b.length === 1 && isEntry(x) && isEntry(y) && keyOf(x) === keyOf(y)) return itemFieldsApart(x, y);
  return sameItems(inOrder(keyOf, a) as readonly unknown[], inOrder(keyOf, b) as readonly unknown[]) ? [] : [writes.field];
}

/** The gap for a child listed on its own whose parent is in no input. */
export function orphanGap(pending: PendingChild): Gap {
  return {
    code: 'missing-reference',
    scope: pending.id,
    message: `${pending.type} ${pending.id} belongs to ${pending.parentId}, which is not in the input, so it is not modelled.`,
  };
}

/** `target` with every defined field of `source` written over it. */
export function overlay<T extends object>(target: T, source: Partial<T>): T {
  const out: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  for (const key of Object.keys(source)) {
    const value = (source as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

/** Replaces the element with the same key, or appends. */
export function upsert<T>(list: readonly T[] | undefined, item: T, keyOf: (x: T) => string): readonly T[] {
  const key = keyOf(item);
  const current = list ?? [];
  const at = current.findIndex((x) => keyOf(x) === key);
  if (at < 0) return [...current, item];
  return current.map((x, i) => (i === at ? item : x));
}

export class DraftStore {
  private readonly byKind = new Map<NetworkResourceKind, Map<ResourceId, Entry>>();
  /** Ranks other than RANK_STANDALONE (only embedded copies), kept apart to spare an object per resource. */
  private readonly ranks = new Map<ResourceId, number>();
  private readonly children: PendingChild[] = [];
  /**
   * The file (index) each resource's copy was last read from, when there is more than one file:
   * one read of one file has nothing to compare, and spares a map entry per resource.
   */
  private readonly fileOf: Map<ResourceId, number> | null;
  /** With more than one file, the resources whose copies so far are all partial (see the module comment); few. */
  private readonly partial: Set<ResourceId> | null;
  private file = 0;
  /** Whether the resource being read has its `properties` envelope (see `readingResource`). */
  private enveloped = false;
  private readonly disputes = new Map<ResourceId, DisputeRecord>();
  /**
   * With more than one file, for parents (CHILD_FIELDS) read from more than one: the files whose
   * copies carried a child list, so an embedded child is compared only with other files' copies (in
   * one file the copy listed on its own wins). A parent read from one file carried them from that
   * one (`fileOf`), and one no copy of which carried any has no entry: a number per parent, for
   * estates whose parents are all in two files.
   */
  private readonly carriers: Map<ResourceId, FileSet> | null;
  /** With more than one file, the last copy of each child listed on its own. */
  private readonly childCopies: Map<ResourceId, ChildCopy> | null;
  readonly flexibleScaleSetVms = new Set<ResourceId>();
  /**
   * Each subnet's `ipConfigurations` lists (embedded and standalone copies) as the input holds them:
   * the parsed JSON arrays themselves, no copies. Read once every resource is in, for the owners the
   * input lacks (see buildModel); not compared between copies (a NIC added between two exports is
   * no dispute about the subnet).
   */
  readonly subnetIpConfigurations = new Map<ResourceId, (readonly unknown[])[]>();
  /** VMs read with their properties: their NICs' Flexible scale set membership is known (see mapVirtualMachineHint). */
  readonly capturedVms = new Set<ResourceId>();
  /**
   * The NICs each VM's document lists (networkProfile.networkInterfaces), for VMs listing more than
   * one (copies in several files: the union). Only multi-NIC VMs: "every NIC of the VM" is what
   * needs them; buildModel keeps those the input lacks (NetworkInterface.missingSiblingNicIds).
   */
  readonly vmNicIds = new Map<ResourceId, readonly ResourceId[]>();
  /** VM → the availability set its document names (`availabilitySet.id`); only VMs naming one (see NetworkInterface.availabilitySet). */
  readonly vmAvailabilitySets = new Map<ResourceId, ResourceId>();
  /**
   * VM naming an availability set → the NICs its document lists, whatever their number (copies in
   * several files: the union): which VMs of the set a load balancer's pool lists when their NIC
   * documents are not in the input (AvailabilitySetMembers.missingNetworkInterfaceIds).
   */
  readonly availabilitySetVmNicIds = new Map<ResourceId, readonly ResourceId[]>();
  /** VM → the availability set whose own document lists it (`virtualMachines`); a VM's own document decides over it. */
  readonly availabilitySetListedVms = new Map<ResourceId, ResourceId>();
  readonly gaps: Gap[] = [];

  /** `files`: how many input files the drafts come from (see `readingFile`). */
  constructor(files = 1) {
    this.fileOf = files > 1 ? new Map() : null;
    this.partial = files > 1 ? new Set() : null;
    this.carriers = files > 1 ? new Map() : null;
    this.childCopies = files > 1 ? new Map() : null;
  }

  /** Drafts put from now on come from input file `index` (0 to files - 1). */
  readingFile(index: number): void {
    this.file = index;
  }

  /**
   * The resource read next (its standalone draft; embedded ones go by their fields) has its
   * `properties` envelope: a whole copy, whose omitted single values are "not set".
   */
  readingResource(enveloped: boolean): void {
    this.enveloped = enveloped;
  }

  /**
   * Input file (index) of each resource's last copy, for callers ordering it against other inputs;
   * empty when there was one file (every resource is from file 0).
   */
  get files(): ReadonlyMap<ResourceId, number> {
    return this.fileOf ?? new Map();
  }

  /** Resources every copy of which was partial (`az vm nic list`'s NIC stubs); tracked with more than one file. */
  get partialOnly(): ReadonlySet<ResourceId> {
    return this.partial ?? new Set();
  }

  put<K extends NetworkResourceKind>(kind: K, draft: DraftOf<K>, rank: number = RANK_STANDALONE): void {
    let drafts = this.byKind.get(kind);
    if (drafts === undefined) {
      drafts = new Map();
      this.byKind.set(kind, drafts);
    }
    const id: ResourceId = draft.id;
    const incoming = draft as Readonly<Record<string, unknown>>;
    const existing = drafts.get(id);
    if (existing === undefined) {
      drafts.set(id, incoming);
      if (rank !== RANK_STANDALONE) this.ranks.set(id, rank);
      if (this.fileOf !== null && this.partial !== null) {
        this.fileOf.set(id, this.file);
        if (!this.isWhole(kind, incoming, rank)) this.partial.add(id);
      }
      return;
    }
    if (this.fileOf !== null && this.partial !== null) this.compareAcrossFiles(kind, this.fileOf, this.partial, id, existing, incoming, rank);
    const existingRank = this.ranks.get(id) ?? RANK_STANDALONE;
    if (rank >= existingRank) {
      drafts.set(id, overlay(existing, incoming));
      if (rank !== existingRank) this.ranks.delete(id);
    } else {
      drafts.set(id, overlay(incoming, existing));
    }
  }

  /** Whether a draft is a whole copy: an enveloped standalone one, or one with a core field of its type. */
  private isWhole(kind: NetworkResourceKind, draft: Entry, rank: number): boolean {
    if (this.enveloped && rank === RANK_STANDALONE) return true;
    for (const key of WHOLE_BY[kind] as readonly string[]) if (draft[key] !== undefined) return true;
    return false;
  }

  /**
   * Records a dispute when `incoming` comes from another file than the copy held and they disagree.
   * The copy held is whole when any copy merged into it was.
   */
  private compareAcrossFiles(
    kind: NetworkResourceKind, fileOf: Map<ResourceId, number>, partial: Set<ResourceId>, id: ResourceId, existing: Entry, incoming: Entry, rank: number,
  ): void {
    const whole = this.isWhole(kind, incoming, rank);
    const heldWhole = !partial.has(id);
    if (whole) partial.delete(id);
    const from = fileOf.get(id);
    if (from === undefined) return;
    const childFields = CHILD_FIELDS[kind] as readonly string[] | undefined;
    if (this.carriers !== null && childFields !== undefined && (from !== this.file || this.carriers.has(id))) {
      this.noteCarriers(this.carriers, childFields, id, from, existing, incoming);
    }
    if (from === this.file) return;
    fileOf.set(id, this.file);
    const fields = draftFieldsApart(kind, existing, heldWhole, incoming, whole);
    if (fields.length === 0) return;
    const dispute = this.disputeOf(id);
    for (const f of fields) dispute.fields.add(f);
    dispute.files.add(from).add(this.file);
  }

  /**
   * Records the files whose copies of a parent read from more than one carried a child list; without
   * an entry yet, what the parent holds came from `from` (files are read in order).
   */
  private noteCarriers(carriers: Map<ResourceId, FileSet>, childFields: readonly string[], id: ResourceId, from: number, existing: Entry, incoming: Entry): void {
    let carried = carriers.get(id) ?? (carriesChildren(childFields, existing) ? withFile(0, from) : 0);
    if (carriesChildren(childFields, incoming)) carried = withFile(carried, this.file);
    if (carried !== 0) carriers.set(id, carried);
  }

  private disputeOf(id: ResourceId): DisputeRecord {
    let dispute = this.disputes.get(id);
    if (dispute === undefined) {
      dispute = { fields: new Set(), files: new Set(), children: new Map() };
      this.disputes.set(id, dispute);
    }
    return dispute;
  }

  /** A parent left out (see `settleDisputes`) because copies of its child from `files` disagree about `fields`. */
  private childDispute(parentId: ResourceId, childId: ResourceId, fields: readonly string[], files: Iterable<number>): void {
    const dispute = this.disputeOf(parentId);
    let apart = dispute.children.get(childId);
    if (apart === undefined) {
      apart = new Set();
      dispute.children.set(childId, apart);
    }
    for (const f of fields) apart.add(f);
    for (const f of files) dispute.files.add(f);
  }

  /**
   * Leaves out every resource whose copies in different files disagree (children attached to it go
   * with it; resources of their own under it, a VNet's subnets, stay and resolve as missing their
   * parent) and returns the disputes, for the caller's gaps. Call after `attachChildren`.
   */
  settleDisputes(): ReadonlyMap<ResourceId, Dispute> {
    for (const id of this.disputes.keys()) {
      for (const drafts of this.byKind.values()) drafts.delete(id);
      this.ranks.delete(id);
    }
    return this.disputes;
  }

  /** Rewrites a draft in place; false when there is no resource of that kind and ID. */
  update<K extends NetworkResourceKind>(kind: K, id: ResourceId, change: (draft: DraftOf<K>) => DraftOf<K>): boolean {
    const drafts = this.byKind.get(kind);
    const entry = drafts?.get(id);
    if (drafts === undefined || entry === undefined) return false;
    drafts.set(id, change(entry as DraftOf<K>) as Entry);
    return true;
  }

  /** Whether a resource of any kind has this ID. */
  has(id: ResourceId): boolean {
    for (const drafts of this.byKind.values()) if (drafts.has(id)) return true;
    return false;
  }

  get<K extends NetworkResourceKind>(kind: K, id: ResourceId): DraftOf<K> | undefined {
    return this.byKind.get(kind)?.get(id) as DraftOf<K> | undefined;
  }

  /**
   * Queues a child listed on its own. With more than one file, a copy of it from another file that
   * disagrees leaves its parent out, as copies of a resource do: attached, the later copy would
   * silently replace the other (a route to the firewall turned into one to the internet).
   */
  child(pending: PendingChild): void {
    this.children.push(pending);
    if (this.childCopies === null) return;
    const copy: ChildCopy = { parentId: pending.parentId, writes: pending.writes, files: new Set([this.file]) };
    const held = this.childCopies.get(pending.id);
    // Within one file the later copy wins, as for resources.
    if (held === undefined || held.files.has(this.file)) {
      this.childCopies.set(pending.id, copy);
      return;
    }
    const fields = held.writes.field === copy.writes.field ? childItemsApart(copy.writes, held.writes.items, copy.writes.items) : [copy.writes.field];
    if (fields.length === 0) {
      held.files.add(this.file);
      return;
    }
    this.childDispute(pending.parentId, pending.id, fields, [...held.files, this.file]);
    this.childCopies.set(pending.id, copy);
  }

  /**
   * Attaches standalone children in input order; returns those whose parent is not in the store.
   * First compares each with the copy embedded in its parent, when another file's copy of the
   * parent carried it (before any is attached: attaching replaces the embedded copy).
   */
  attachChildren(): PendingChild[] {
    if (this.childCopies !== null) {
      const index = new ItemIndex();
      for (const [id, copy] of this.childCopies) this.compareEmbedded(id, copy, index);
    }
    return this.children.filter((pending) => !pending.attach(this));
  }

  private compareEmbedded(childId: ResourceId, copy: ChildCopy, index: ItemIndex): void {
    const parent = this.byKind.get(copy.writes.kind)?.get(copy.parentId);
    if (parent === undefined) return;
    const held = heldItems(copy.writes, parent, childId, index);
    if (held === undefined) return;
    // Per parent, not per list: a file whose copy carried another of the parent's child lists but
    // not this one (a projection) is counted too. That can only add a comparison (in that corner, a
    // dispute where the file's own copy listed on its own was newer), never miss one.
    const from = this.fileOf?.get(copy.parentId);
    const carried = this.carriers?.get(copy.parentId) ?? (from === undefined ? 0 : withFile(0, from));
    const others = filesIn(carried).filter((file) => !copy.files.has(file));
    if (others.length === 0) return;
    const fields = childItemsApart(copy.writes, held, copy.writes.items);
    if (fields.length > 0) this.childDispute(copy.parentId, childId, fields, [...others, ...copy.files]);
  }

  /**
   * Drops the resource with this ID (whatever its kind), children already attached included; true
   * when there was one. For a parent whose child, listed on its own, was malformed: a route table
   * missing one of its routes (an NSG missing a rule) would give a confident verdict from partial
   * data, so the parent goes too, and what references it resolves as missing.
   */
  discard(id: ResourceId): boolean {
    // Children kept as resources of their own (a VNet's subnets) go with their parent. Rare (only
    // on malformed input), so a scan is fine.
    const prefix = `${id}/`;
    let found = false;
    for (const drafts of this.byKind.values()) {
      for (const key of [...drafts.keys()]) {
        if (key !== id && !key.startsWith(prefix)) continue;
        drafts.delete(key);
        this.ranks.delete(key);
        found = true;
      }
    }
    return found;
  }

  /** Drafts of one kind, sorted by ID (plain code-unit order: IDs are already lower case). */
  drafts<K extends NetworkResourceKind>(kind: K): readonly DraftOf<K>[] {
    const drafts = this.byKind.get(kind);
    if (drafts === undefined) return [];
    // Default sort compares strings by UTF-16 code units, exactly like compareIds, without a JS callback per comparison.
    const ids = [...drafts.keys()].sort();
    return ids.map((id) => drafts.get(id) as DraftOf<K>);
  }
}

export { compareIds };
