/**
 * Estates opened in this session, in memory: estateId → snapshot, plus the resolver's answers per
 * destination (the resolver is deterministic, so an answer never goes stale for one snapshot).
 * Both maps are bounded (least recently used goes first) so a long session cannot grow without limit.
 */
import type { ResolveResult } from '../../shared/egress/types';
import type { EstateId, EstateSummary, OpenedEstate } from '../../shared/ipc/contract';
import type { Snapshot } from '../../shared/model/snapshot';

export interface StoredEstate {
  readonly summary: EstateSummary;
  readonly snapshot: Snapshot;
}

export interface EstateStoreOptions {
  readonly maxEstates?: number;
  readonly maxResolvesPerEstate?: number;
  readonly newId: () => string;
}

interface Entry extends StoredEstate {
  /** Key: the destination, `''` for the default route (null). */
  readonly resolves: Map<string, ResolveResult>;
}

export interface EstateStore {
  add(title: string, snapshot: Snapshot): OpenedEstate;
  get(estateId: EstateId): StoredEstate | undefined;
  /** The cached answer for (estate, destination), or computes and caches it. */
  resolve(estateId: EstateId, destination: string | null, compute: (snapshot: Snapshot) => ResolveResult): ResolveResult | undefined;
  readonly size: number;
}

export function summarizeSnapshot(estateId: EstateId, title: string, snapshot: Snapshot): EstateSummary {
  return {
    estateId,
    title,
    subnetCount: snapshot.model.subnets.length,
    networkInterfaceCount: snapshot.model.networkInterfaces.length,
    virtualNetworkCount: snapshot.model.virtualNetworks.length,
  };
}

/** Map iteration order is insertion order: delete + set moves a key to the "most recent" end. */
function touch<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done === true) break;
    map.delete(oldest.value);
  }
}

export function createEstateStore(options: EstateStoreOptions): EstateStore {
  const maxEstates = options.maxEstates ?? 16;
  const maxResolves = options.maxResolvesPerEstate ?? 32;
  const estates = new Map<EstateId, Entry>();

  return {
    add(title, snapshot) {
      const estateId = options.newId();
      const summary = summarizeSnapshot(estateId, title, snapshot);
      touch(estates, estateId, { summary, snapshot, resolves: new Map() }, maxEstates);
      return { summary, snapshot };
    },
    get(estateId) {
      const entry = estates.get(estateId);
      if (entry) touch(estates, estateId, entry, maxEstates);
      return entry;
    },
    resolve(estateId, destination, compute) {
      const entry = estates.get(estateId);
      if (!entry) return undefined;
      touch(estates, estateId, entry, maxEstates);
      const key = destination ?? '';
      const cached = entry.resolves.get(key);
      if (cached) {
        touch(entry.resolves, key, cached, maxResolves);
        return cached;
      }
      const result = compute(entry.snapshot);
      touch(entry.resolves, key, result, maxResolves);
      return result;
    },
    get size() {
      return estates.size;
    },
  };
}
