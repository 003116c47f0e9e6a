/**
 * "Can reach" for the selected source, fetched lazily from the main side (`reach`) when a source is
 * selected, and kept per estate and source for the session: reach depends on the snapshot only, not
 * on the what-if destination, so moving back to a source shows its answer at once.
 */
import { useEffect, useState } from 'react';
import { nicsFollowingSubnet } from '../../shared/egress/reach';
import type { ReachSource } from '../../shared/egress/reach';
import type { EgressAtlasApi } from '../../shared/ipc/contract';

export type ReachView =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly source: ReachSource | null; readonly nics: readonly ReachSource[] }
  | { readonly status: 'failed'; readonly message: string };

/** Enough for a long review session; one source's answer is a few kilobytes. */
const MAX_CACHED = 200;

/** A source's answer, and for a subnet its NICs that follow its path but reach more on other ports (`followsSubnet`). */
interface ReachAnswer {
  readonly source: ReachSource | null;
  readonly nics: readonly ReachSource[];
}

function withAnswer(cache: ReadonlyMap<string, ReachAnswer>, key: string, answer: ReachAnswer): ReadonlyMap<string, ReachAnswer> {
  const next = new Map(cache);
  next.set(key, answer);
  // Insertion order is age: drop the oldest answers beyond the bound.
  for (const oldest of next.keys()) {
    if (next.size <= MAX_CACHED) break;
    next.delete(oldest);
  }
  return next;
}

export function useReach(api: EgressAtlasApi, estateId: string | null, sourceId: string | null): ReachView | null {
  const [cache, setCache] = useState<ReadonlyMap<string, ReachAnswer>>(() => new Map());
  // A failure is shown for its key but never cached: selecting the source again retries.
  const [failure, setFailure] = useState<{ readonly key: string; readonly message: string } | null>(null);
  const key = estateId === null || sourceId === null ? null : `${estateId}|${sourceId.toLowerCase()}`;
  const known = key !== null && cache.has(key);

  useEffect(() => {
    if (key === null || estateId === null || sourceId === null || known) return undefined;
    let live = true;
    void api.reach({ estateId, sourceId }).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setFailure({ key, message: r.error.message });
        return;
      }
      const wanted = sourceId.toLowerCase();
      const source = r.value.sources.find((s) => s.source.id.toLowerCase() === wanted) ?? null;
      const nics = source?.source.type === 'subnet' ? nicsFollowingSubnet(r.value, source.source.id) : [];
      setCache((c) => withAnswer(c, key, { source, nics }));
    });
    return () => { live = false; };
  }, [api, key, known, estateId, sourceId]);

  if (key === null) return null;
  const answer = cache.get(key);
  if (answer !== undefined) return { status: 'loaded', ...answer };
  if (failure?.key === key) return { status: 'failed', message: failure.message };
  return { status: 'loading' };
}
