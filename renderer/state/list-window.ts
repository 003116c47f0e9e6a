/**
 * The source list as one flat run of fixed-height rows (subscription heading, VNet heading, source),
 * and the arithmetic that windows it: a 100,000-NIC estate lists ~35,000 rows, and mounting them
 * all costs seconds and hundreds of MB; the list mounts only what is in view plus an overscan.
 * Heights must match `.sub-heading`, `.vnet-heading` and `.source` in styles.css.
 */
import type { SourceEntry, SourceList } from './selectors';

export type ListRow =
  | { readonly kind: 'subscription'; readonly key: string; readonly subscriptionId: string }
  | { readonly kind: 'vnet'; readonly key: string; readonly virtualNetworkId: string; readonly name: string }
  /** `position`: 1-based place among the shown sources (aria-posinset). */
  | { readonly kind: 'source'; readonly key: string; readonly entry: SourceEntry; readonly position: number };

export const ROW_HEIGHT: Readonly<Record<ListRow['kind'], number>> = { subscription: 28, vnet: 26, source: 46 };

export interface FlatList {
  readonly rows: readonly ListRow[];
  /** offsets[i] = top of row i; offsets[rows.length] = total height. */
  readonly offsets: readonly number[];
  /** Source ID → row index (exact IDs, as the selection holds them). */
  readonly indexBySourceId: ReadonlyMap<string, number>;
}

export function flattenSourceList(list: Pick<SourceList, 'groups'>): FlatList {
  const rows: ListRow[] = [];
  let position = 0;
  const pushSource = (entry: SourceEntry): void => {
    position += 1;
    rows.push({ kind: 'source', key: `s:${entry.sourceId}`, entry, position });
  };
  for (const sub of list.groups) {
    rows.push({ kind: 'subscription', key: `sub:${sub.subscriptionId}`, subscriptionId: sub.subscriptionId });
    for (const vnet of sub.vnets) {
      rows.push({ kind: 'vnet', key: `vnet:${vnet.virtualNetworkId}`, virtualNetworkId: vnet.virtualNetworkId, name: vnet.name });
      for (const entry of vnet.entries) {
        pushSource(entry);
        for (const nic of entry.nics) pushSource(nic);
      }
    }
  }
  const offsets: number[] = [0];
  const indexBySourceId = new Map<string, number>();
  rows.forEach((row, i) => {
    offsets.push((offsets[i] ?? 0) + ROW_HEIGHT[row.kind]);
    if (row.kind === 'source') indexBySourceId.set(row.entry.sourceId, i);
  });
  return { rows, offsets, indexBySourceId };
}

/** Index of the row that contains pixel `y` (clamped to the list). */
export function rowAt(offsets: readonly number[], y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return 0;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] ?? 0) <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Rows to mount, [start, end), for a viewport at `scrollTop` of `height` px, plus `overscan` rows each side. */
export function windowRange(offsets: readonly number[], scrollTop: number, height: number, overscan: number): { readonly start: number; readonly end: number } {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  const first = rowAt(offsets, Math.max(0, scrollTop));
  const last = rowAt(offsets, Math.max(0, scrollTop + height - 1));
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + 1 + overscan) };
}

/** The scrollTop that shows row `index` with the least movement (as scrollIntoView `nearest`). */
export function scrollToReveal(offsets: readonly number[], index: number, scrollTop: number, height: number): number {
  const top = offsets[index];
  const bottom = offsets[index + 1];
  if (top === undefined || bottom === undefined) return scrollTop;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + height) return Math.max(0, bottom - height);
  return scrollTop;
}
