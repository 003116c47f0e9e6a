/**
 * The flow overview's geometry and list filter (renderer/state/flow-overview.ts) on the training
 * demo: band thickness proportional to the count, bands leaving one bar never overlap (each has its
 * own labelled slot), every node inside the picture; the band filter keeps exactly the band's
 * sources (with a subnet kept as the heading of its NICs); and when the flow overview shows.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import { findDemo } from '../../../shared/demo/index';
import { resolveEgress } from '../../../shared/egress/index';
import { aggregateFlow, bandMembers, describeBand, flowFacts, type FlowBand } from '../../../shared/graph/flow-overview';
import { INITIAL_STATE, perform } from '../../../renderer/state/app-state';
import { bandLabelText, filterListByBand, FLOW_LABEL_PX, layoutFlow, showsFlow } from '../../../renderer/state/flow-overview';
import { estimateTextWidth } from '../../../shared/graph/text-width';
import { buildSourceList } from '../../../renderer/state/selectors';
import type { Snapshot } from '../../../shared/model/snapshot';

const demo = findDemo('training');
if (!demo) throw new Error('no training demo');
const normalized = normalizeArm(demo.documents);
const result = resolveEgress({ ...normalized, metrics: [] }, {});
const facts = flowFacts(normalized.model, result);
const overview = aggregateFlow(facts, 'virtual-network');

describe('flow overview layout', () => {
  const layout = layoutFlow(overview, 720, 700);

  it('draws every node and band inside the picture, bands proportional to their counts', () => {
    expect(layout.nodes).toHaveLength(overview.nodes.length);
    expect(layout.bands).toHaveLength(overview.bands.length);
    for (const n of layout.nodes) {
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
      expect(n.x).toBeLessThanOrEqual(layout.width);
    }
    const perSource = layout.bands.filter((b) => b.thickness > 2).map((b) => b.thickness / b.band.count);
    expect(Math.max(...perSource) - Math.min(...perSource)).toBeLessThan(1e-9);
  });

  it('gives each band leaving a bar its own slot: no overlap, room for its count label', () => {
    const byFrom = new Map<string, typeof layout.bands[number][]>();
    for (const b of layout.bands) byFrom.set(b.band.from, [...(byFrom.get(b.band.from) ?? []), b]);
    for (const bands of byFrom.values()) {
      const sorted = [...bands].sort((a, b) => a.labelY - b.labelY);
      for (let i = 1; i < sorted.length; i++) {
        const prev = sorted[i - 1];
        const cur = sorted[i];
        if (!prev || !cur) continue;
        expect(cur.labelY - prev.labelY).toBeGreaterThanOrEqual(Math.max(16, (prev.thickness + cur.thickness) / 2) - 1e-9);
      }
    }
  });
});

describe('band filter', () => {
  const snapshot = { model: normalized.model } as unknown as Snapshot;
  const state = perform(INITIAL_STATE, { kind: 'estate-opened', estate: { summary: { estateId: 'e', title: 't', subnetCount: 0, networkInterfaceCount: 0, virtualNetworkCount: 0 }, snapshot }, result });
  const list = buildSourceList(state);

  it('keeps exactly the band\'s sources, a subnet kept only as the heading of its NICs on the band', () => {
    const band = overview.bands.find((b) => b.bypass && b.from.startsWith('s:'));
    expect(band).toBeDefined();
    if (!band) return;
    const ids = new Set(bandMembers(facts, overview, band.id).map((f) => f.sourceId.toLowerCase()));
    const filtered = filterListByBand(list, { bandId: band.id, label: describeBand(overview, band), sourceIds: ids });
    const onBand = filtered.visibleSourceIds.filter((id) => ids.has(id.toLowerCase()));
    expect(new Set(onBand)).toEqual(new Set([...ids].map((id) => list.visibleSourceIds.find((v) => v.toLowerCase() === id))));
    for (const s of filtered.groups) for (const v of s.vnets) for (const e of v.entries) {
      if (!ids.has(e.sourceId.toLowerCase())) expect(e.nics.length).toBeGreaterThan(0);
    }
    expect(filtered.shownCount).toBe(filtered.visibleSourceIds.length);
    expect(filtered.totalCount).toBe(list.totalCount);
    expect(filterListByBand(list, null)).toBe(list);
  });

  it('shows the flow overview when picked, or automatically for a large estate, never over a selected path', () => {
    expect(showsFlow('flow', false, null)).toBe(true);
    expect(showsFlow('auto', true, null)).toBe(true);
    expect(showsFlow('auto', false, null)).toBe(false);
    expect(showsFlow('other', true, null)).toBe(false);
    expect(showsFlow('flow', true, '/subscriptions/x/subnets/a')).toBe(false);
  });
});

describe('band labels', () => {
  const band = (from: string, count: number, bypass: boolean): FlowBand => ({ id: `${from}>x${bypass ? '!' : ''}`, from, to: 'x', count, bypass });

  it('a bypass leaving its sources says so in full where there is room, shorter where the next column is near, the count alone in the end', () => {
    expect(bandLabelText(band('s:vnet-a', 1234, true), 400)).toBe('1,234 · bypasses firewall');
    expect(bandLabelText(band('s:vnet-a', 1234, true), 110)).toBe('1,234 · bypass');
    expect(bandLabelText(band('s:vnet-a', 1234, true), 40)).toBe('1,234');
    expect(bandLabelText(band('i:none', 36, true), 400)).toBe('36 · bypass');
    expect(bandLabelText(band('s:vnet-a', 36, false), 400)).toBe('36');
  });

  it('every label of the laid-out training demo beyond its bare count fits before the next column, narrow or wide', () => {
    for (const width of [720, 1400]) {
      const bands = layoutFlow(overview, width, 700).bands;
      expect(bands.some((b) => b.band.bypass)).toBe(true);
      for (const b of bands) {
        const text = bandLabelText(b.band, b.labelRoom);
        if (text === b.band.count.toLocaleString('en-US')) continue;
        expect(estimateTextWidth(text, FLOW_LABEL_PX, 'bold'), `${width} px: ${text}`).toBeLessThanOrEqual(b.labelRoom);
      }
    }
  });
});
