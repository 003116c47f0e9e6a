/**
 * The path view's layout (renderer/graph/path-focus.ts): rows by hop distance from the source,
 * wrapped into columns when that draws the path larger, every box inside the extent, no overlaps,
 * deterministic and fast. Node sizes are the app's (layout boxes of 11 px labels with hop numbers).
 */
import { describe, expect, it } from 'vitest';
import { pathFocusLayout, pathRows, type FocusEdge, type FocusNode } from '../../../renderer/graph/path-focus';
import { READABLE_ZOOM } from '../../../renderer/graph/style';

// The bank demo's snet-card-auth path as the estate graph draws it: subnet → firewall → NAT
// gateway → public IP → internet, and the subnet's own NAT gateway that the UDR bypasses.
const SUBNET = '/subscriptions/a0d9e5c7-3b2f-4e18-8a6d-7c1f2e9b4a10/resourcegroups/rg-card-auth/providers/microsoft.network/virtualnetworks/vnet-card-auth-weu/subnets/snet-card-auth';
const FIREWALL = '/subscriptions/6b1f2c8a-8d4e-4f7a-9c15-2e7b3a9d0c41/resourcegroups/rg-hub/providers/microsoft.network/azurefirewalls/afw-hub-weu';
const NAT = '/subscriptions/6b1f2c8a-8d4e-4f7a-9c15-2e7b3a9d0c41/resourcegroups/rg-hub/providers/microsoft.network/natgateways/ng-hub-egress-weu';
const BYPASSED = '/subscriptions/a0d9e5c7-3b2f-4e18-8a6d-7c1f2e9b4a10/resourcegroups/rg-card-auth/providers/microsoft.network/natgateways/ng-card-auth-weu';
const PIP = 'exit-ips:20.61.14.21,20.61.14.22';
const INTERNET = 'internet';
/** As the app draws it (canvas.ts): labels hidden under READABLE_ZOOM, a selection never zoomed past 1.75. */
const ZOOM = { min: READABLE_ZOOM, max: 1.75 };

const NODES: readonly FocusNode[] = [
  { id: SUBNET, width: 164, height: 40 },
  { id: BYPASSED, width: 140, height: 40 },
  { id: FIREWALL, width: 150, height: 40 },
  { id: NAT, width: 176, height: 40 },
  { id: PIP, width: 150, height: 40 },
  { id: INTERNET, width: 110, height: 36 },
];
const EDGES: readonly FocusEdge[] = [
  { source: SUBNET, target: FIREWALL },
  { source: SUBNET, target: BYPASSED },
  { source: FIREWALL, target: NAT },
  { source: NAT, target: PIP },
  { source: PIP, target: INTERNET },
];

/** No two boxes overlap, and all lie in the layout's extent. */
function checkBoxes(nodes: readonly FocusNode[], layout: ReturnType<typeof pathFocusLayout>): void {
  const boxes = nodes.map((n) => {
    const p = layout.positions.get(n.id);
    if (!p) throw new Error(`no position for ${n.id}`);
    return { id: n.id, x1: p.x - n.width / 2, x2: p.x + n.width / 2, y1: p.y - n.height / 2, y2: p.y + n.height / 2 };
  });
  for (const b of boxes) {
    expect(b.x1).toBeGreaterThanOrEqual(-1e-9);
    expect(b.y1).toBeGreaterThanOrEqual(-1e-9);
    expect(b.x2).toBeLessThanOrEqual(layout.width + 1e-9);
    expect(b.y2).toBeLessThanOrEqual(layout.height + 1e-9);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (!a || !b) continue;
      const overlap = a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
      expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
    }
  }
}

describe('pathRows', () => {
  it('puts each node at its hop distance from the source; the bypassed NAT gateway shares the firewall row', () => {
    const rows = pathRows(NODES, EDGES, SUBNET).map((r) => r.map((n) => n.id));
    expect(rows).toEqual([[SUBNET], [BYPASSED, FIREWALL], [NAT], [PIP], [INTERNET]]);
  });

  it('keeps nodes the source does not reach, in a last row', () => {
    const rows = pathRows([...NODES, { id: 'on-premises', width: 120, height: 36 }], EDGES, SUBNET);
    expect(rows.at(-1)?.map((n) => n.id)).toEqual(['on-premises']);
    expect(rows.flat()).toHaveLength(NODES.length + 1);
  });
});

describe('pathFocusLayout', () => {
  it('fits the bank path top to bottom in the 1440×900 graph pane at a readable zoom', () => {
    // The pane at 1440×900 (≈ 714 × 640 px) less the 60 px margin each side.
    const layout = pathFocusLayout(NODES, EDGES, SUBNET, { width: 594, height: 520 }, ZOOM);
    checkBoxes(NODES, layout);
    // Left to right it would need zoom ≈ 0.6 (labels under 11 px): top to bottom, one column.
    expect(layout.direction).toBe('down');
    expect(layout.columns).toBe(1);
    expect(layout.fitZoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // Reading order: the source on top, the internet at the bottom.
    const y = (id: string) => layout.positions.get(id)?.y ?? NaN;
    expect(y(SUBNET)).toBeLessThan(y(FIREWALL));
    expect(y(FIREWALL)).toBeLessThan(y(NAT));
    expect(y(NAT)).toBeLessThan(y(PIP));
    expect(y(PIP)).toBeLessThan(y(INTERNET));
    expect(y(BYPASSED)).toBe(y(FIREWALL));
  });

  it('wraps a long path into columns when the pane is wide and short, and draws it larger that way', () => {
    const chain: FocusNode[] = Array.from({ length: 12 }, (_, i) => ({ id: `hop-${String(i)}`, width: 160, height: 40 }));
    const edges: FocusEdge[] = chain.slice(1).map((n, i) => ({ source: `hop-${String(i)}`, target: n.id }));
    const pane = { width: 900, height: 420 };
    const wrapped = pathFocusLayout(chain, edges, 'hop-0', pane, ZOOM);
    expect(wrapped.columns).toBeGreaterThan(1);
    checkBoxes(chain, wrapped);
    const oneColumn = 420 / (12 * 40 + 11 * 40);
    expect(wrapped.fitZoom).toBeGreaterThan(oneColumn);
    expect(wrapped.fitZoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // Reading order down each column, then the next column to the right.
    const p0 = wrapped.positions.get('hop-0');
    const p11 = wrapped.positions.get('hop-11');
    expect(p0 && p11 && p11.x > p0.x).toBe(true);
  });

  it('draws a short path left to right, filling the pane, where a column would fill half of it at the zoom cap', () => {
    // snet-payments-reporting → Default outbound → Internet (bank demo).
    const nodes: FocusNode[] = [
      { id: 'snet-payments-reporting', width: 196, height: 40 },
      { id: 'default-outbound', width: 150, height: 40 },
      { id: INTERNET, width: 110, height: 36 },
    ];
    const edges: FocusEdge[] = [{ source: 'snet-payments-reporting', target: 'default-outbound' }, { source: 'default-outbound', target: INTERNET }];
    const layout = pathFocusLayout(nodes, edges, 'snet-payments-reporting', { width: 594, height: 520 }, ZOOM);
    checkBoxes(nodes, layout);
    expect(layout.direction).toBe('right');
    expect(layout.fitZoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    const x = (id: string) => layout.positions.get(id)?.x ?? NaN;
    expect(x('snet-payments-reporting')).toBeLessThan(x('default-outbound'));
    expect(x('default-outbound')).toBeLessThan(x(INTERNET));
    // It fills the pane's width at the zoom it is drawn at.
    expect(layout.width * Math.min(layout.fitZoom, ZOOM.max)).toBeGreaterThan(0.95 * 594);
  });

  it('is deterministic and fast', () => {
    const a = pathFocusLayout(NODES, EDGES, SUBNET, { width: 594, height: 520 }, ZOOM);
    const b = pathFocusLayout([...NODES], [...EDGES], SUBNET, { width: 594, height: 520 }, ZOOM);
    expect([...b.positions]).toEqual([...a.positions]);
    const chain: FocusNode[] = Array.from({ length: 60 }, (_, i) => ({ id: `n${String(i)}`, width: 150, height: 40 }));
    const edges: FocusEdge[] = chain.slice(1).map((n, i) => ({ source: `n${String(i)}`, target: n.id }));
    const started = performance.now();
    for (let i = 0; i < 100; i++) pathFocusLayout(chain, edges, 'n0', { width: 600, height: 500 }, ZOOM);
    // 100 layouts of a 60-node path: far under the 100 ms budget for one (machine shared, generous bound).
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('returns an empty layout for an empty path', () => {
    const layout = pathFocusLayout([], [], SUBNET, { width: 600, height: 500 }, ZOOM);
    expect(layout.positions.size).toBe(0);
  });
});
