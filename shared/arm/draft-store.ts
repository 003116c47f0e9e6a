/**
 * Collects normalized resources while documents are read, merging copies of the same resource.
 *
 * A resource may appear more than once: in two files, embedded in its parent and listed on its
 * own (a subnet inside its VNet and from `Subnets_Get`), or split into parent + child resources
 * (a firewall policy and its rule collection groups). Mappers therefore produce *drafts*: the
 * fields the input actually carried, nothing defaulted. Drafts of one ID are merged field by
 * field (the higher-ranked, then the later, copy wins for each field it carries), and defaults
 * are applied only once, at the end, so a sparse copy never erases what a fuller one said.
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
  readonly flexibleScaleSetVms = new Set<ResourceId>();
  /** VMs read with their properties: their NICs' Flexible scale set membership is known (see mapVirtualMachineHint). */
  readonly capturedVms = new Set<ResourceId>();
  readonly gaps: Gap[] = [];

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
      return;
    }
    const existingRank = this.ranks.get(id) ?? RANK_STANDALONE;
    if (rank >= existingRank) {
      drafts.set(id, overlay(existing, incoming));
      if (rank !== existingRank) this.ranks.delete(id);
    } else {
      drafts.set(id, overlay(incoming, existing));
    }
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

  /** Attaches standalone children in input order; an orphan becomes a `missing-reference` gap. */
  attachChildren(): void {
    for (const pending of this.children) {
      if (pending.attach(this)) continue;
      this.gaps.push({
        code: 'missing-reference',
        scope: pending.id,
        message: `${pending.type} ${pending.id} belongs to ${pending.parentId}, which is not in the input, so it is not modelled.`,
      });
    }
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
