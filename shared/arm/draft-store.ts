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
 * Copies from different files are compared instead: two exports of one VNet taken months apart are
 * two states of it, and merging them field by field makes one that never existed (ARM omits a
 * reference that is not set, so the older copy's NAT gateway would survive the newer copy that has
 * none). When they disagree, a value in one and none in the other included, nothing in an export
 * says which is current: the resource is left out with a gap naming it, the fields and the files,
 * so what depends on it is unknown (see `settleDisputes`).
 */
import type { Gap } from '../model/gaps';
import type { ResourceId } from '../model/ids';
import type {
  AzureFirewall, FirewallPolicy, LoadBalancer, NatGateway, NetworkInterface, NetworkResourceKind,
  NetworkSecurityGroup, PublicIpAddress, PublicIpPrefix, RouteTable, Subnet, VirtualHub, VirtualNetwork,
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

/** A child resource listed on its own, attached to its parent once every parent is merged. */
export interface PendingChild {
  readonly id: ResourceId;
  /** ARM type, lower case, for the gap message when the parent is missing. */
  readonly type: string;
  readonly parentId: ResourceId;
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
  return fieldsApart(a, b, () => true);
}

/**
 * The same for drafts, which carry only what their input did. A single value one carries and the
 * other lacks (a reference, a setting) is a disagreement: ARM omits those when not set, so the
 * lacking copy says "none". A list or object one lacks is not: a copy without `subnets` or
 * `routes` is a sparse one (a `--query` projection), and the other's stands, as within one file.
 */
function draftFieldsApart(a: object, b: object): string[] {
  return fieldsApart(a, b, (value) => typeof value !== 'object' || value === null);
}

function fieldsApart(a: object, b: object, absenceCounts: (present: unknown) => boolean): string[] {
  const x = a as Readonly<Record<string, unknown>>;
  const y = b as Readonly<Record<string, unknown>>;
  const fields: string[] = [];
  const differ = (p: unknown, q: unknown): boolean => {
    if (p === undefined) return q !== undefined && absenceCounts(q);
    if (q === undefined) return absenceCounts(p);
    return !sameValue(p, q);
  };
  for (const key of Object.keys(x)) if (!NOT_COMPARED.has(key) && differ(x[key], own(y, key))) fields.push(key);
  for (const key of Object.keys(y)) if (!NOT_COMPARED.has(key) && !hasOwn(x, key) && differ(undefined, y[key])) fields.push(key);
  return fields.sort(compareIds);
}

/** Copies of one resource from different files that disagree. */
export interface Dispute {
  /** The fields they disagree about. */
  readonly fields: ReadonlySet<string>;
  /** The files (by index) whose copies were compared. */
  readonly files: ReadonlySet<number>;
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
  private file = 0;
  private readonly disputes = new Map<ResourceId, { readonly fields: Set<string>; readonly files: Set<number> }>();
  readonly flexibleScaleSetVms = new Set<ResourceId>();
  /** VMs read with their properties: their NICs' Flexible scale set membership is known (see mapVirtualMachineHint). */
  readonly capturedVms = new Set<ResourceId>();
  readonly gaps: Gap[] = [];

  /** `files`: how many input files the drafts come from (see `readingFile`). */
  constructor(files = 1) {
    this.fileOf = files > 1 ? new Map() : null;
  }

  /** Drafts put from now on come from input file `index` (0 to files - 1). */
  readingFile(index: number): void {
    this.file = index;
  }

  /**
   * Input file (index) of each resource's last copy, for callers ordering it against other inputs;
   * empty when there was one file (every resource is from file 0).
   */
  get files(): ReadonlyMap<ResourceId, number> {
    return this.fileOf ?? new Map();
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
      if (this.fileOf !== null) this.fileOf.set(id, this.file);
      return;
    }
    if (this.fileOf !== null) this.compareAcrossFiles(this.fileOf, id, existing, incoming);
    const existingRank = this.ranks.get(id) ?? RANK_STANDALONE;
    if (rank >= existingRank) {
      drafts.set(id, overlay(existing, incoming));
      if (rank !== existingRank) this.ranks.delete(id);
    } else {
      drafts.set(id, overlay(incoming, existing));
    }
  }

  /** Records a dispute when `incoming` comes from another file than the copy held and they disagree. */
  private compareAcrossFiles(fileOf: Map<ResourceId, number>, id: ResourceId, existing: Entry, incoming: Entry): void {
    const from = fileOf.get(id);
    if (from === undefined || from === this.file) return;
    fileOf.set(id, this.file);
    const fields = draftFieldsApart(existing, incoming);
    if (fields.length === 0) return;
    let dispute = this.disputes.get(id);
    if (dispute === undefined) {
      dispute = { fields: new Set(), files: new Set() };
      this.disputes.set(id, dispute);
    }
    for (const f of fields) dispute.fields.add(f);
    dispute.files.add(from).add(this.file);
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

  child(pending: PendingChild): void {
    this.children.push(pending);
  }

  /** Attaches standalone children in input order; returns those whose parent is not in the store. */
  attachChildren(): PendingChild[] {
    return this.children.filter((pending) => !pending.attach(this));
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

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
