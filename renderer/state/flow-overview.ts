/**
 * The flow overview's geometry and its band filter. Pure: the component (FlowOverview.tsx) only
 * draws what `layoutFlow` computes, and the list filter is a function of the list and a set of IDs.
 *
 * Geometry: four columns of bars (sources, inspection, exit, internet); one vertical scale for the
 * whole picture, so a band's thickness is its number of sources everywhere (at least 2 px so a
 * single source stays clickable); a bar is at least tall enough for its two lines of 12 px text.
 * Bands leave and enter bars stacked in the order of the bars they go to, so they do not cross
 * within a bar. The picture is as tall as it needs: the pane scrolls rather than shrink text.
 */
import type { FlowBand, FlowColumn, FlowNode, FlowOverview } from '../../shared/graph/flow-overview';
import { estimateTextWidth } from '../../shared/graph/text-width';
import type { SourceEntry, SourceList } from './selectors';

export const FLOW_LABEL_PX = 12;
const MIN_NODE_PX = 16;
/** Each band leaving a bar gets a slot of its own there, at least this tall, its count written beside it. */
const BAND_LINE_PX = 16;
/** Name and count of a bar, above it. */
const NODE_LABEL_PX = 30;
const NODE_GAP_PX = 12;
const BAR_WIDTH = 14;
const MIN_BAND_PX = 2;
/** Source names are right-aligned left of their bars. */
const SOURCE_LABEL_WIDTH = 200;
const MARGIN = { top: 34, bottom: 24, left: 12, right: 16 } as const;
/** Space kept between a band's label and the next column (whose bar names start at its x). */
const LABEL_CLEARANCE_PX = 6;
/** A column's bands together are at least this thick, so widths still compare on a huge estate. */
const MIN_COLUMN_BAND_PX = 320;

export interface LaidNode {
  readonly node: FlowNode;
  readonly x: number;
  /** Top of the bar (its label is above it, except in the source column). */
  readonly y: number;
  readonly height: number;
}

export interface LaidBand {
  readonly band: FlowBand;
  /** SVG path of the ribbon. */
  readonly d: string;
  readonly thickness: number;
  /** Where its count is written: just right of where it leaves its bar, on its own line. */
  readonly labelX: number;
  readonly labelY: number;
  /** Width its label may take before it reaches the next column's bar and that bar's name (px). */
  readonly labelRoom: number;
}

export interface FlowLayout {
  readonly width: number;
  readonly height: number;
  readonly columns: readonly { readonly column: FlowColumn; readonly x: number; readonly title: string }[];
  readonly nodes: readonly LaidNode[];
  readonly bands: readonly LaidBand[];
}

const COLUMNS: readonly FlowColumn[] = ['source', 'inspection', 'exit', 'sink'];
const COLUMN_TITLES: Readonly<Record<FlowColumn, string>> = { source: 'Sources', inspection: 'Inspection', exit: 'Exit', sink: 'Internet' };

/** Lays the overview out in a `width` × at least `minHeight` box. */
export function layoutFlow(overview: FlowOverview, width: number, minHeight: number): FlowLayout {
  const W = Math.max(720, width);
  const byColumn = new Map<FlowColumn, FlowNode[]>(COLUMNS.map((c) => [c, []]));
  for (const n of overview.nodes) byColumn.get(n.column)?.push(n);
  const firstX = MARGIN.left + SOURCE_LABEL_WIDTH;
  const lastX = W - MARGIN.right - BAR_WIDTH - 44;
  const fractions: Readonly<Record<FlowColumn, number>> = { source: 0, inspection: 0.34, exit: 0.68, sink: 1 };
  const xOf = (c: FlowColumn): number => firstX + fractions[c] * (lastX - firstX);

  const outgoing = new Map<string, FlowBand[]>();
  const incoming = new Map<string, FlowBand[]>();
  for (const b of overview.bands) {
    outgoing.set(b.from, [...(outgoing.get(b.from) ?? []), b]);
    incoming.set(b.to, [...(incoming.get(b.to) ?? []), b]);
  }
  // One scale for the picture: fit the viewport if it can, else grow (the pane scrolls).
  const fixedOf = (column: FlowColumn): number => (byColumn.get(column) ?? []).reduce((s, n) =>
    s + (column === 'source' ? 0 : NODE_LABEL_PX) + NODE_GAP_PX + Math.max(MIN_NODE_PX, (outgoing.get(n.id)?.length ?? 0) * BAND_LINE_PX), 0);
  const inner = Math.max(200, minHeight - MARGIN.top - MARGIN.bottom);
  const fit = overview.total === 0 ? 0 : Math.min(...COLUMNS.map((c) => (inner - fixedOf(c)) / overview.total));
  const scale = overview.total === 0 ? 0 : Math.max(fit, MIN_COLUMN_BAND_PX / overview.total);
  const thickness = (count: number): number => Math.max(MIN_BAND_PX, count * scale);

  const laid = new Map<string, LaidNode>();
  let height = minHeight;
  for (const column of COLUMNS) {
    let y = MARGIN.top;
    for (const node of byColumn.get(column) ?? []) {
      if (column !== 'source') y += NODE_LABEL_PX;
      const lines = (outgoing.get(node.id) ?? []).reduce((sum, b) => sum + Math.max(BAND_LINE_PX, thickness(b.count)), 0);
      const h = Math.max(MIN_NODE_PX, lines, thickness(node.count), (incoming.get(node.id) ?? []).reduce((s, b) => s + thickness(b.count), 0));
      laid.set(node.id, { node, x: xOf(column), y, height: h });
      y += h + NODE_GAP_PX;
    }
    height = Math.max(height, y + MARGIN.bottom);
  }

  const order = new Map(overview.nodes.map((n, i) => [n.id, i]));
  const byOther = (key: 'from' | 'to') => (a: FlowBand, b: FlowBand): number => (order.get(a[key]) ?? 0) - (order.get(b[key]) ?? 0) || Number(a.bypass) - Number(b.bypass);
  const slot = new Map<string, { y0: number; y1: number }>();
  // Leaving: each band centred on its own line of the bar. Arriving: stacked, centred on the bar.
  for (const [id, bands] of outgoing) {
    const node = laid.get(id);
    if (!node) continue;
    const sorted = [...bands].sort(byOther('to'));
    // Each band gets its own slot, at least a line tall (for its count), centred in it.
    const slots = sorted.map((b) => Math.max(BAND_LINE_PX, thickness(b.count)));
    let y = node.y + Math.max(0, (node.height - slots.reduce((a, b) => a + b, 0)) / 2);
    sorted.forEach((b, i) => {
      const size = slots[i] ?? BAND_LINE_PX;
      const centre = y + size / 2;
      const t = thickness(b.count);
      slot.set(`out:${b.id}`, { y0: centre - t / 2, y1: centre + t / 2 });
      y += size;
    });
  }
  for (const [id, bands] of incoming) {
    const node = laid.get(id);
    if (!node) continue;
    const sorted = [...bands].sort(byOther('from'));
    const total = sorted.reduce((s, b) => s + thickness(b.count), 0);
    let y = node.y + Math.max(0, (node.height - total) / 2);
    for (const b of sorted) {
      slot.set(`in:${b.id}`, { y0: y, y1: y + thickness(b.count) });
      y += thickness(b.count);
    }
  }

  const bands: LaidBand[] = [];
  for (const b of overview.bands) {
    const from = laid.get(b.from);
    const to = laid.get(b.to);
    const s = slot.get(`out:${b.id}`);
    const t = slot.get(`in:${b.id}`);
    if (!from || !to || !s || !t) continue;
    const x0 = from.x + BAR_WIDTH;
    const x1 = to.x;
    const mx = (x0 + x1) / 2;
    const d = `M${x0},${s.y0}C${mx},${s.y0} ${mx},${t.y0} ${x1},${t.y0}L${x1},${t.y1}C${mx},${t.y1} ${mx},${s.y1} ${x0},${s.y1}Z`;
    bands.push({ band: b, d, thickness: thickness(b.count), labelX: x0 + 5, labelY: (s.y0 + s.y1) / 2, labelRoom: x1 - (x0 + 5) - LABEL_CLEARANCE_PX });
  }
  return {
    width: W,
    height,
    columns: COLUMNS.map((column) => ({ column, x: column === 'source' ? firstX : xOf(column), title: COLUMN_TITLES[column] })),
    nodes: [...laid.values()],
    bands,
  };
}

export const FLOW_BAR_WIDTH = BAR_WIDTH;

/**
 * A band's label (12 px, semi-bold): its count, and for a bypass "· bypasses firewall" where it
 * leaves its sources, "· bypass" after, or where the long form would run into the next column's
 * names (a narrow pane); the count alone when even that does not fit. Widths are DejaVu Sans
 * estimates, as wide as the fonts the page may use or wider.
 */
export function bandLabelText(band: FlowBand, room: number): string {
  const count = band.count.toLocaleString('en-US');
  if (!band.bypass) return count;
  const forms = band.from.startsWith('s:') ? [`${count} · bypasses firewall`, `${count} · bypass`] : [`${count} · bypass`];
  return forms.find((text) => estimateTextWidth(text, FLOW_LABEL_PX, 'bold') <= room) ?? count;
}

/** A band picked in the overview: the list shows only its sources until the chip is cleared. */
export interface BandFilter {
  readonly bandId: string;
  /** The band in words, for the chip. */
  readonly label: string;
  /** Lower-cased source IDs on the band. */
  readonly sourceIds: ReadonlySet<string>;
}

/** The list with only the band's sources (a subnet stays as the heading of its NICs on the band). */
export function filterListByBand(list: SourceList, filter: BandFilter | null): SourceList {
  if (filter === null) return list;
  const on = (e: SourceEntry): boolean => filter.sourceIds.has(e.sourceId.toLowerCase());
  const visibleSourceIds: string[] = [];
  const groups = list.groups.map((s) => ({
    ...s,
    vnets: s.vnets.map((v) => ({
      ...v,
      entries: v.entries.flatMap((e) => {
        const nics = e.nics.filter(on);
        return on(e) || nics.length > 0 ? [{ ...e, nics }] : [];
      }),
    })).filter((v) => v.entries.length > 0),
  })).filter((s) => s.vnets.length > 0);
  for (const s of groups) for (const v of s.vnets) for (const e of v.entries) {
    visibleSourceIds.push(e.sourceId);
    for (const n of e.nics) visibleSourceIds.push(n.sourceId);
  }
  return { ...list, groups, visibleSourceIds, shownCount: visibleSourceIds.length };
}

/**
 * Whether the centre pane opens on the flow overview: the user picked it, or `auto` on an estate
 * too large for a node-per-subnet graph; never while a source is selected (its path is drawn).
 */
export function showsFlow(choice: 'auto' | 'flow' | 'other', tooLargeForGraph: boolean, selectedSourceId: string | null): boolean {
  if (selectedSourceId !== null) return false;
  return choice === 'flow' || (choice === 'auto' && tooLargeForGraph);
}
