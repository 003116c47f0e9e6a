/**
 * Estates opened in this session, in memory: estateId → snapshot, plus the engine's answers per
 * destination, per reach source and per destinations list (the engine is deterministic, so an
 * answer never goes stale for one snapshot). Every map is bounded (least recently used goes
 * first) so a long session cannot grow without limit.
 */
import type { MatrixResult } from '../../shared/egress/matrix';
import type { ReachResult } from '../../shared/egress/reach';
import type { ResolveResult } from '../../shared/egress/types';
import type { EstateId, EstateSummary, OpenedEstate } from '../../shared/ipc/contract';
import type { Snapshot } from '../../shared/model/snapshot';
import type { CheckResult } from '../../shared/policy/types';

export interface StoredEstate {
  readonly summary: EstateSummary;
  readonly snapshot: Snapshot;
}

export interface EstateStoreOptions {
  readonly maxEstates?: number;
  readonly maxResolvesPerEstate?: number;
  /** Reach answers kept per estate (one per selected source, plus "every source"). */
  readonly maxReachesPerEstate?: number;
  /** Matrices kept per estate (one per distinct destinations list). */
  readonly maxMatricesPerEstate?: number;
  /** Policy checks kept per estate (one per distinct policy file and day). */
  readonly maxChecksPerEstate?: number;
  readonly newId: () => string;
}

interface Entry extends StoredEstate {
  /** Key: the destination, `''` for the default route (null). */
  readonly resolves: Map<string, ResolveResult>;
  /** Key: the source ID, `''` for every source (null). */
  readonly reaches: Map<string, ReachResult>;
  /** Key: the list's text (a digest of it would do, but lists are small and bounded by the validator). */
  readonly matrices: Map<string, MatrixResult>;
  /** Key: chosen by the caller (the policy's text, file name and evaluation day). */
  readonly checks: Map<string, CheckResult>;
}

export interface EstateStore {
  add(title: string, snapshot: Snapshot): OpenedEstate;
  get(estateId: EstateId): StoredEstate | undefined;
  /** The cached answer for (estate, destination), or computes and caches it. */
  resolve(estateId: EstateId, destination: string | null, compute: (snapshot: Snapshot) => ResolveResult): ResolveResult | undefined;
  /** The cached reach answer for (estate, source or every source), or computes and caches it. */
  reach(estateId: EstateId, sourceId: string | null, compute: (snapshot: Snapshot) => ReachResult): ReachResult | undefined;
  /** The cached matrix for (estate, list text), or computes and caches it (a throw caches nothing). */
  matrix(estateId: EstateId, listText: string, compute: (snapshot: Snapshot) => MatrixResult): MatrixResult | undefined;
  /** The cached policy check for (estate, key), or computes and caches it (a throw caches nothing). */
  check(estateId: EstateId, key: string, compute: (snapshot: Snapshot) => CheckResult): CheckResult | undefined;
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
  const maxReaches = options.maxReachesPerEstate ?? 64;
  const maxMatrices = options.maxMatricesPerEstate ?? 4;
  const maxChecks = options.maxChecksPerEstate ?? 4;
  const estates = new Map<EstateId, Entry>();

  /** One estate's cache of one kind of answer: hit (refreshing its recency) or compute and keep. */
  function cached<V>(estateId: EstateId, pick: (entry: Entry) => Map<string, V>, key: string, max: number, compute: (snapshot: Snapshot) => V): V | undefined {
    const entry = estates.get(estateId);
    if (!entry) return undefined;
    touch(estates, estateId, entry, maxEstates);
    const map = pick(entry);
    const hit = map.get(key);
    if (hit !== undefined) {
      touch(map, key, hit, max);
      return hit;
    }
    const value = compute(entry.snapshot);
    touch(map, key, value, max);
    return value;
  }

  return {
    add(title, snapshot) {
      const estateId = options.newId();
      const summary = summarizeSnapshot(estateId, title, snapshot);
      touch(estates, estateId, { summary, snapshot, resolves: new Map(), reaches: new Map(), matrices: new Map(), checks: new Map() }, maxEstates);
      return { summary, snapshot };
    },
    get(estateId) {
      const entry = estates.get(estateId);
      if (entry) touch(estates, estateId, entry, maxEstates);
      return entry;
    },
    resolve(estateId, destination, compute) {
      return cached(estateId, (e) => e.resolves, destination ?? '', maxResolves, compute);
    },
    reach(estateId, sourceId, compute) {
      return cached(estateId, (e) => e.reaches, sourceId ?? '', maxReaches, compute);
    },
    matrix(estateId, listText, compute) {
      return cached(estateId, (e) => e.matrices, listText, maxMatrices, compute);
    },
    check(estateId, key, compute) {
      return cached(estateId, (e) => e.checks, key, maxChecks, compute);
    },
    get size() {
      return estates.size;
    },
  };
}
