import { describe, expect, it } from 'vitest';
import { badgeFor } from '../../../renderer/state/badges';
import { flattenSourceList, ROW_HEIGHT, rowAt, scrollToReveal, windowRange } from '../../../renderer/state/list-window';
import type { SourceEntry, SubscriptionGroup } from '../../../renderer/state/selectors';

function entry(sourceId: string, type: 'subnet' | 'nic', nics: readonly SourceEntry[] = []): SourceEntry {
  return {
    sourceId, name: sourceId, type, badge: badgeFor({ verdict: 'internet', exit: 'nat-gateway', via: [] }),
    addresses: [], worstSeverity: null, findingCount: 0, changed: false, nics,
  };
}

const GROUPS: readonly SubscriptionGroup[] = [
  {
    subscriptionId: 'sub-a',
    vnets: [
      { virtualNetworkId: 'vnet-1', name: 'vnet-hub', entries: [entry('snet-1', 'subnet', [entry('nic-1', 'nic'), entry('nic-2', 'nic')]), entry('snet-2', 'subnet')] },
      { virtualNetworkId: 'vnet-2', name: 'vnet-spoke', entries: [entry('snet-3', 'subnet')] },
    ],
  },
  { subscriptionId: 'sub-b', vnets: [{ virtualNetworkId: 'vnet-3', name: 'vnet-b', entries: [entry('snet-4', 'subnet')] }] },
];

describe('flattened source list', () => {
  const flat = flattenSourceList({ groups: GROUPS });

  it('lists headings and sources in display order, NICs right under their subnet', () => {
    expect(flat.rows.map((r) => (r.kind === 'source' ? r.entry.sourceId : `${r.kind}:${r.kind === 'vnet' ? r.name : r.subscriptionId}`))).toEqual([
      'subscription:sub-a', 'vnet:vnet-hub', 'snet-1', 'nic-1', 'nic-2', 'snet-2', 'vnet:vnet-spoke', 'snet-3',
      'subscription:sub-b', 'vnet:vnet-b', 'snet-4',
    ]);
  });

  it('numbers sources 1..n for aria-posinset, skipping headings', () => {
    expect(flat.rows.flatMap((r) => (r.kind === 'source' ? [r.position] : []))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('places each row at the sum of the heights above it', () => {
    const { subscription: s, vnet: v, source: r } = ROW_HEIGHT;
    expect(flat.offsets.slice(0, 4)).toEqual([0, s, s + v, s + v + r]);
    expect(flat.offsets[flat.rows.length]).toBe(2 * s + 3 * v + 6 * r);
    expect(flat.indexBySourceId.get('nic-2')).toBe(4);
    expect(flat.indexBySourceId.get('vnet-hub')).toBeUndefined();
  });

  it('is empty for an empty list', () => {
    const empty = flattenSourceList({ groups: [] });
    expect(empty.rows).toEqual([]);
    expect(empty.offsets).toEqual([0]);
    expect(windowRange(empty.offsets, 0, 500, 5)).toEqual({ start: 0, end: 0 });
  });
});

describe('windowing arithmetic', () => {
  // 10,000 rows of 40 px.
  const offsets = Array.from({ length: 10_001 }, (_, i) => i * 40);

  it('finds the row under a pixel', () => {
    expect(rowAt(offsets, 0)).toBe(0);
    expect(rowAt(offsets, 39)).toBe(0);
    expect(rowAt(offsets, 40)).toBe(1);
    expect(rowAt(offsets, 200_000)).toBe(5000);
    expect(rowAt(offsets, -10)).toBe(0);
    expect(rowAt(offsets, 10_000_000)).toBe(9999);
  });

  it('mounts the rows in view plus the overscan, clamped to the list', () => {
    // 400 px at 200,020 px: rows 5000..5010 are (partly) visible.
    expect(windowRange(offsets, 200_020, 400, 3)).toEqual({ start: 4997, end: 5014 });
    expect(windowRange(offsets, 0, 400, 3)).toEqual({ start: 0, end: 13 });
    expect(windowRange(offsets, 399_800, 400, 3)).toEqual({ start: 9992, end: 10_000 });
  });

  it('scrolls the least distance that shows a row, and not at all when it is in view', () => {
    expect(scrollToReveal(offsets, 10, 0, 400)).toBe(40); // row 10 (400..440) below the fold: bottom at the bottom edge
    expect(scrollToReveal(offsets, 5, 0, 400)).toBe(0);
    expect(scrollToReveal(offsets, 2, 1000, 400)).toBe(80); // above: top at the top edge
    expect(scrollToReveal(offsets, 20_000, 123, 400)).toBe(123); // unknown row: stay
  });
});
