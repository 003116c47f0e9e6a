import { describe, expect, it } from 'vitest';
import {
  buildEgressGraph, estimateTextWidth, layoutEgressGraph, layoutLayeredQuick, toElkGraph,
} from '../../../shared/graph';
import type { EgressGraph, GraphLayout, NodeBox } from '../../../shared/graph';
import { emptyNetworkModel } from '../../../shared/model/topology';
import { hubSpokeModel, hubSpokeResult, ids, path, result } from './hub-spoke-fixture';
import { syntheticFirewallId, syntheticHubSpoke } from './synthetic-estate';

function overlaps(a: NodeBox, b: NodeBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Sibling boxes (same parent) must not overlap; children must sit inside their compound. */
function layoutProblems(layout: GraphLayout): string[] {
  const problems: string[] = [];
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  const groups = new Map<string | null, NodeBox[]>();
  for (const node of layout.nodes) groups.set(node.parent, [...(groups.get(node.parent) ?? []), node]);
  for (const [parent, siblings] of groups) {
    for (let i = 0; i < siblings.length; i++) {
      for (let j = i + 1; j < siblings.length; j++) {
        const [a, b] = [siblings[i]!, siblings[j]!];
        if (overlaps(a, b)) problems.push(`${a.id} overlaps ${b.id}`);
      }
      const child = siblings[i]!;
      const box = parent === null ? undefined : byId.get(parent);
      if (box !== undefined && (child.x < box.x || child.y < box.y || child.x + child.width > box.x + box.width || child.y + child.height > box.y + box.height)) {
        problems.push(`${child.id} outside ${parent}`);
      }
    }
  }
  for (const node of layout.nodes) {
    if (node.width <= 0 || node.height <= 0) problems.push(`${node.id} has no size`);
    if (node.x < 0 || node.y < 0 || node.x + node.width > layout.width || node.y + node.height > layout.height) problems.push(`${node.id} outside the bounding box`);
  }
  return problems;
}

function box(layout: GraphLayout, id: string): NodeBox {
  const found = layout.nodes.find((n) => n.id === id);
  if (found === undefined) throw new Error(`no box for ${id}`);
  return found;
}

/** ~50 nodes: the hub-spoke fixture plus 8 generated spokes of 4 subnets. */
function mediumGraph(): EgressGraph {
  const generated = syntheticHubSpoke(8, 4);
  return buildEgressGraph(hubSpokeModel, result([...hubSpokeResult.paths, ...generated.paths]), { kind: 'full' });
}

const hubSpokeGraph = buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' });
let hubSpokeLayout: Promise<GraphLayout> | null = null;
/** ELK costs ~0.3 s of CPU per run here: lay the fixture out once for the tests that only read it. */
function hubSpokeElkLayout(): Promise<GraphLayout> {
  hubSpokeLayout ??= layoutEgressGraph(hubSpokeGraph);
  return hubSpokeLayout;
}

describe('layoutEgressGraph (ELK)', () => {
  it('lays out left → right: source, then appliance, then egress IP, then the internet', async () => {
    const layout = await hubSpokeElkLayout();
    expect(layout.engine).toBe('elk');
    const [app, firewall, pip, internet] = [box(layout, ids.app), box(layout, ids.firewall), box(layout, ids.pipFirewall), box(layout, 'internet')];
    expect(app.x + app.width).toBeLessThan(firewall.x);
    expect(firewall.x + firewall.width).toBeLessThan(pip.x);
    expect(pip.x + pip.width).toBeLessThan(internet.x);
    // Every sink shares the last column.
    expect(box(layout, 'denied').x).toBe(internet.x);
    expect(box(layout, 'on-premises').x).toBe(internet.x);
    expect(layoutProblems(layout)).toEqual([]);
  });

  it('gives VNets compound boxes around their subnets, with room for the title', async () => {
    const layout = await hubSpokeElkLayout();
    const spoke1 = box(layout, ids.spoke1);
    expect(spoke1.compound).toBe(true);
    expect(spoke1.lines.map((l) => [l.text, l.align, l.weight])).toEqual([['vnet-spoke1', 'left', 'bold'], ['10.1.0.0/16', 'left', 'regular']]);
    const lastTitleLine = spoke1.lines[1]!;
    for (const id of [ids.app, ids.data, ids.locked, ids.nic]) {
      expect(box(layout, id).parent).toBe(ids.spoke1);
      expect(box(layout, id).y).toBeGreaterThanOrEqual(lastTitleLine.y + lastTitleLine.fontSize);
    }
  });

  it('routes every edge from the source box border to the target box border', async () => {
    const layout = await hubSpokeElkLayout();
    expect(layout.edges.map((e) => e.id)).toEqual(hubSpokeGraph.edges.map((e) => e.id));
    for (const edge of layout.edges) {
      const [from, to] = [box(layout, edge.source), box(layout, edge.target)];
      const [first, last] = [edge.points[0]!, edge.points[edge.points.length - 1]!];
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
      expect(first.x).toBeCloseTo(from.x + from.width, 0);
      expect(last.x).toBeCloseTo(to.x, 0);
      expect(last.y).toBeGreaterThanOrEqual(to.y);
      expect(last.y).toBeLessThanOrEqual(to.y + to.height);
    }
  });

  it('is deterministic: the same graph gives the same layout, byte for byte', async () => {
    const again = await layoutEgressGraph(buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'full' }));
    expect(JSON.stringify(again)).toBe(JSON.stringify(await hubSpokeElkLayout()));
  });

  it('does not overlap boxes in a ~50-node estate', async () => {
    const graph = mediumGraph();
    expect(graph.nodes.length).toBeGreaterThanOrEqual(45);
    const first = await layoutEgressGraph(graph);
    expect(layoutProblems(first)).toEqual([]);
    const firewall = box(first, syntheticFirewallId);
    const intoFirewall = first.edges.filter((e) => e.target === syntheticFirewallId);
    expect(intoFirewall.length).toBeGreaterThan(20);
    for (const edge of intoFirewall) expect(box(first, edge.source).x + box(first, edge.source).width).toBeLessThan(firewall.x);
  });

  it('truncates long names with an ellipsis in the layout and keeps them whole in the graph', async () => {
    const longName = 'snet-a-very-long-subnet-name-that-would-never-fit-in-a-box-at-all';
    const graph = buildEgressGraph(emptyNetworkModel(), result([
      path({ id: `${ids.spoke1}/subnets/${longName}`, name: longName, verdict: 'no-outbound' }),
    ]), { kind: 'full' });
    expect(graph.nodes.find((n) => n.kind === 'subnet')?.label).toBe(longName);
    const layout = await layoutEgressGraph(graph, { maxLabelWidth: 150 });
    const subnet = layout.nodes.find((n) => n.kind === 'subnet')!;
    const label = subnet.lines[0]!;
    expect(label.text.endsWith('\u2026')).toBe(true);
    expect(longName.startsWith(label.text.slice(0, -1))).toBe(true);
    expect(estimateTextWidth(label.text, label.fontSize, 'bold')).toBeLessThanOrEqual(150);
    expect(estimateTextWidth(label.text, label.fontSize, 'bold')).toBeLessThanOrEqual(label.width);
    expect(subnet.width).toBeLessThanOrEqual(150 + 20);
  });

  it('lays out the overview with folded exit names placed on edges', async () => {
    const layout = await layoutEgressGraph(buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'overview' }));
    expect(layout.nodes.every((n) => !n.compound)).toBe(true);
    const natEdge = layout.edges.find((e) => e.source === ids.spoke2 && e.target === 'internet');
    expect(natEdge?.label?.text).toBe('nat-spoke2, 20.0.0.2');
    expect(layoutProblems(layout)).toEqual([]);
  });

  it('pins sinks to the last layer and nests compounds in the ELK input', () => {
    const elkGraph = toElkGraph(hubSpokeGraph);
    expect(elkGraph.children?.map((c) => c.id)).toEqual([ids.hub, ids.spoke1, ids.spoke2, ids.nat, ids.pipFirewall, ids.pipNat, ids.pipVm, 'denied', 'internet', 'on-premises']);
    expect(elkGraph.children?.find((c) => c.id === ids.spoke1)?.children?.map((c) => c.id)).toEqual([ids.nic, ids.app, ids.data, ids.locked]);
    expect(elkGraph.children?.find((c) => c.id === 'internet')?.layoutOptions).toEqual({ 'elk.layered.layering.layerConstraint': 'LAST' });
  });

  it('lays out an empty result as an empty picture', async () => {
    const empty = buildEgressGraph(emptyNetworkModel(), result([]), { kind: 'full' });
    for (const layout of [await layoutEgressGraph(empty), layoutLayeredQuick(empty)]) {
      expect(layout.nodes).toEqual([]);
      expect(layout.edges).toEqual([]);
      expect(Number.isFinite(layout.width) && Number.isFinite(layout.height)).toBe(true);
    }
  });

  it('falls back to the quick layout above the element threshold', async () => {
    const graph = mediumGraph();
    const layout = await layoutEgressGraph(graph, { quickThreshold: 10 });
    expect(layout).toEqual(layoutLayeredQuick(graph));
    expect(layout.engine).toBe('quick');
  });
});

/**
 * Every pair of overlapping boxes, except a compound with its own child, found with a sweep over x
 * (all pairs are checked, in O(n · column) instead of O(n²)).
 */
function overlappingPairs(layout: GraphLayout): string[] {
  const sorted = [...layout.nodes].sort((a, b) => a.x - b.x);
  const active: NodeBox[] = [];
  const found: string[] = [];
  for (const node of sorted) {
    for (let i = active.length - 1; i >= 0; i--) if (active[i]!.x + active[i]!.width <= node.x) active.splice(i, 1);
    for (const other of active) {
      if (node.parent === other.id || other.parent === node.id) continue;
      if (overlaps(node, other)) found.push(`${other.id} overlaps ${node.id}`);
    }
    active.push(node);
  }
  return found;
}

/** Edges whose target box does not start right of where the source box ends. */
function backwardEdges(layout: GraphLayout): string[] {
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  return layout.edges.filter((e) => {
    const [from, to] = [byId.get(e.source)!, byId.get(e.target)!];
    return !(from.x + from.width < to.x);
  }).map((e) => e.id);
}

const SINKS = new Set(['internet', 'on-premises', 'dropped', 'denied', 'no-outbound', 'unknown']);

/** Sinks must sit right of everything else (the last layer). */
function sinksNotLast(layout: GraphLayout): string[] {
  const sinks = layout.nodes.filter((n) => SINKS.has(n.id));
  const leftmostSink = Math.min(...sinks.map((n) => n.x));
  return layout.nodes.filter((n) => !SINKS.has(n.id) && n.x + n.width >= leftmostSink).map((n) => n.id);
}

/** `count` VNets dealt round-robin over `subscriptions` subscriptions, so name order ≠ subscription order. */
function multiSubscriptionOverview(count: number, subscriptions: number): EgressGraph {
  const paths = Array.from({ length: count }, (_, i) => {
    const subscription = `sub-${String(subscriptions - (i % subscriptions)).padStart(2, '0')}`;
    const vnet = `/subscriptions/${subscription}/resourcegroups/rg/providers/microsoft.network/virtualnetworks/vnet-${String(i).padStart(4, '0')}`;
    return i % 5 === 4
      ? path({ id: `${vnet}/subnets/snet`, verdict: 'no-outbound' })
      : path({ id: `${vnet}/subnets/snet`, verdict: 'internet', exit: 'public-ip', via: [syntheticFirewallId], egressIps: ['20.0.0.1'] });
  });
  return buildEgressGraph(emptyNetworkModel(), result(paths), { kind: 'overview' });
}

describe('layoutLayeredQuick', () => {
  const bigOverview = buildEgressGraph(emptyNetworkModel(), syntheticHubSpoke(2_000, 1), { kind: 'overview' });
  let bigOverviewLayout: GraphLayout | null = null;
  function bigLayout(): GraphLayout {
    bigOverviewLayout ??= layoutLayeredQuick(bigOverview);
    return bigOverviewLayout;
  }

  it('wraps a 2,000-VNet overview into a grid near 16:10 instead of one tall column', () => {
    const layout = bigLayout();
    expect(bigOverview.nodes.filter((n) => n.kind === 'vnet')).toHaveLength(2_000);
    const aspect = layout.width / layout.height;
    expect(aspect).toBeGreaterThan(0.8);
    expect(aspect).toBeLessThan(3);
    // One column of 2,000 boxes would be > 100,000 px tall.
    expect(layout.height).toBeLessThan(10_000);
    const vnetColumns = new Set(layout.nodes.filter((n) => n.kind === 'vnet').map((n) => n.x + n.width / 2));
    expect(vnetColumns.size).toBeGreaterThan(10);
  });

  it('keeps a 2,000-VNet overview overlap-free, inside its bounding box, and flowing left → right', () => {
    const layout = bigLayout();
    expect(overlappingPairs(layout)).toEqual([]);
    expect(layoutProblems(layout).filter((p) => !p.includes(' overlaps '))).toEqual([]);
    expect(backwardEdges(layout)).toEqual([]);
    expect(sinksNotLast(layout)).toEqual([]);
    // Layers: every VNet left of the firewall, the firewall left of its public IP.
    const firewall = box(layout, syntheticFirewallId);
    const rightmostVnet = Math.max(...layout.nodes.filter((n) => n.kind === 'vnet').map((n) => n.x + n.width));
    expect(rightmostVnet).toBeLessThan(firewall.x);
    expect(firewall.x + firewall.width).toBeLessThan(box(layout, 'public-ip:20.0.0.1').x);
  });

  it('is deterministic on a 2,000-VNet overview', () => {
    expect(JSON.stringify(layoutLayeredQuick(bigOverview))).toBe(JSON.stringify(bigLayout()));
  });

  it('keeps compound VNets around their subnets and apart from each other in a wrapped full view', () => {
    const graph = buildEgressGraph(emptyNetworkModel(), syntheticHubSpoke(300, 3), { kind: 'full' });
    expect(graph.nodes.length).toBeGreaterThan(1_000);
    const layout = layoutLayeredQuick(graph);
    expect(layoutProblems(layout)).toEqual([]);
    expect(overlappingPairs(layout)).toEqual([]);
    expect(backwardEdges(layout)).toEqual([]);
    expect(sinksNotLast(layout)).toEqual([]);
    const compounds = layout.nodes.filter((n) => n.compound);
    expect(compounds).toHaveLength(300);
    expect(new Set(compounds.map((n) => n.x)).size).toBeGreaterThan(3);
    const aspect = layout.width / layout.height;
    expect(aspect).toBeGreaterThan(0.8);
    expect(aspect).toBeLessThan(3);
  });

  it('orders VNets by subscription, then name, and keeps each subscription in one sub-column', () => {
    // 12 subscriptions of 15 VNets: each fits in one sub-column, and there are several sub-columns.
    const layout = layoutLayeredQuick(multiSubscriptionOverview(180, 12));
    const vnets = layout.nodes.filter((n) => n.kind === 'vnet');
    const columnOf = (n: NodeBox): number => n.x + n.width / 2;
    const reading = [...vnets].sort((a, b) => columnOf(a) - columnOf(b) || a.y - b.y);
    const subscriptionOf = (n: NodeBox): string => n.id.split('/')[2]!;
    const keys = reading.map((n) => `${subscriptionOf(n)} ${n.lines[0]!.text}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(reading.map(columnOf)).size).toBeGreaterThan(1);
    const subscriptions = new Set(reading.map(subscriptionOf));
    expect(subscriptions.size).toBe(12);
    for (const subscription of subscriptions) {
      expect(new Set(reading.filter((n) => subscriptionOf(n) === subscription).map(columnOf)).size).toBe(1);
    }
    // A wider gap where the subscription changes inside a sub-column.
    const gaps = { same: new Set<number>(), change: new Set<number>() };
    for (let i = 1; i < reading.length; i++) {
      const [above, below] = [reading[i - 1]!, reading[i]!];
      if (columnOf(above) !== columnOf(below)) continue;
      gaps[subscriptionOf(above) === subscriptionOf(below) ? 'same' : 'change'].add(below.y - (above.y + above.height));
    }
    expect(gaps.change.size).toBeGreaterThan(0);
    expect(Math.min(...gaps.change)).toBeGreaterThan(Math.max(...gaps.same));
    expect(overlappingPairs(layout)).toEqual([]);
    expect(backwardEdges(layout)).toEqual([]);
  });

  it('puts each layer in its own column, left → right, without overlaps', () => {
    const layout = layoutLayeredQuick(hubSpokeGraph);
    const [app, firewall, pip, internet] = [box(layout, ids.app), box(layout, ids.firewall), box(layout, ids.pipFirewall), box(layout, 'internet')];
    expect(app.x + app.width).toBeLessThan(firewall.x);
    expect(firewall.x + firewall.width).toBeLessThan(pip.x);
    expect(pip.x + pip.width).toBeLessThan(internet.x);
    expect(box(layout, 'denied').x + box(layout, 'denied').width / 2).toBeCloseTo(internet.x + internet.width / 2, 5);
    expect(layoutProblems(layout)).toEqual([]);
  });

  it('is deterministic and overlap-free on a ~50-node estate', () => {
    const first = layoutLayeredQuick(mediumGraph());
    expect(layoutProblems(first)).toEqual([]);
    expect(JSON.stringify(layoutLayeredQuick(mediumGraph()))).toBe(JSON.stringify(first));
  });

  it('survives a route loop (a cycle between two NVAs)', () => {
    const nvaA = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/networkinterfaces/nva-a';
    const nvaB = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/networkinterfaces/nva-b';
    const graph = buildEgressGraph(emptyNetworkModel(), result([path({ id: ids.app, verdict: 'dropped', via: [nvaA, nvaB, nvaA] })]), { kind: 'full' });
    const layout = layoutLayeredQuick(graph);
    expect(box(layout, ids.app).x).toBeLessThan(box(layout, nvaA).x);
    expect(box(layout, nvaA).x).toBeLessThan(box(layout, nvaB).x);
    expect(box(layout, nvaB).x).toBeLessThan(box(layout, 'dropped').x);
    expect(layoutProblems(layout)).toEqual([]);
  });
});
