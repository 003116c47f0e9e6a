/**
 * A cheap synchronous layered layout, O(nodes + edges · log): one column per layer (longest path
 * from the sources, sinks alone in the last column), each VNet a horizontal band of its own so compound
 * boxes never overlap; top-level nodes (exits, public IPs, sinks, hubs) share the first band.
 * Straight edges. For graphs too big for ELK, and for fast tests.
 */
import type { EdgeRoute, GraphLayout, LayoutOptions, NodeBox } from './layout-types';
import type { ResolvedLayoutOptions } from './node-sizes';
import { COMPOUND_PADDING, compoundMinWidth, compoundTopPadding, leafSize, resolveLayoutOptions, round2, textLines } from './node-sizes';
import { GRAPH_FONT_FAMILY } from './text-width';
import type { EgressGraph, GraphNode } from './types';

const MARGIN = 16;
const COLUMN_GAP = 48;
const ROW_GAP = 16;
const BAND_GAP = 24;
const SINK_KINDS: ReadonlySet<GraphNode['kind']> = new Set<GraphNode['kind']>(['internet', 'on-premises', 'dropped', 'unknown']);

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Longest-path layer per leaf; edges closing a cycle (route loops) are ignored, found by a DFS in ID order. */
function assignLayers(leaves: readonly GraphNode[], graph: EgressGraph): Map<string, number> {
  const ids = new Set(leaves.map((n) => n.id));
  const outgoing = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (!ids.has(edge.source) || !ids.has(edge.target) || edge.source === edge.target) continue;
    pushTo(outgoing, edge.source, edge.target);
  }
  const state = new Map<string, 'open' | 'done'>();
  const order: string[] = [];
  const forward = new Map<string, string[]>();
  // Iterative DFS: post-order gives a reverse topological order of the acyclic part.
  for (const root of [...ids].sort(compareText)) {
    if (state.has(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      const targets = outgoing.get(top.id) ?? [];
      const target = targets[top.next];
      top.next += 1;
      if (target === undefined) {
        state.set(top.id, 'done');
        order.push(top.id);
        stack.pop();
        continue;
      }
      const seen = state.get(target);
      if (seen === 'open') continue; // back edge: a loop, drop it for layering
      pushTo(forward, top.id, target);
      if (seen === undefined) {
        state.set(target, 'open');
        stack.push({ id: target, next: 0 });
      }
    }
  }
  const layer = new Map<string, number>();
  for (const id of order.reverse()) {
    const own = layer.get(id) ?? 0;
    layer.set(id, own);
    for (const target of forward.get(id) ?? []) layer.set(target, Math.max(layer.get(target) ?? 0, own + 1));
  }
  // Sinks get a column of their own, right of everything else.
  const isSink = (node: GraphNode): boolean => SINK_KINDS.has(node.kind) && node.parent === null;
  let lastOther = -1;
  for (const node of leaves) if (!isSink(node)) lastOther = Math.max(lastOther, layer.get(node.id) ?? 0);
  for (const node of leaves) if (isSink(node)) layer.set(node.id, lastOther + 1);
  return layer;
}

interface Placed {
  readonly node: GraphNode;
  readonly layer: number;
  readonly width: number;
  readonly height: number;
}

function bandKey(node: GraphNode, compoundIds: ReadonlySet<string>): string {
  return node.parent !== null && compoundIds.has(node.parent) ? node.parent : '';
}

/** Synchronous layered layout: same output shape as `layoutEgressGraph`. */
export function layoutLayeredQuick(graph: EgressGraph, options?: LayoutOptions): GraphLayout {
  const o: ResolvedLayoutOptions = resolveLayoutOptions(options);
  const nodesById = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodeIds = new Set(nodesById.keys());
  const compoundIds = new Set(graph.nodes.flatMap((n) => (n.parent !== null && nodeIds.has(n.parent) ? [n.parent] : [])));
  const leaves = graph.nodes.filter((n) => !compoundIds.has(n.id));
  const layers = assignLayers(leaves, graph);
  const placed: Placed[] = leaves.map((node) => ({ node, layer: layers.get(node.id) ?? 0, ...leafSize(node, o) }));
  const columnCount = placed.reduce((max, p) => Math.max(max, p.layer), 0) + 1;
  const columnWidth: number[] = Array.from({ length: columnCount }, () => 0);
  for (const p of placed) columnWidth[p.layer] = Math.max(columnWidth[p.layer] ?? 0, p.width);
  const columnX: number[] = [];
  let x = MARGIN + COMPOUND_PADDING;
  for (const width of columnWidth) {
    columnX.push(x);
    x += width + COLUMN_GAP;
  }

  const bands = new Map<string, Placed[]>();
  for (const p of placed) {
    const key = bandKey(p.node, compoundIds);
    pushTo(bands, key, p);
  }
  const boxes = new Map<string, { x: number; y: number; width: number; height: number }>();
  let y = MARGIN;
  let right = 0;
  for (const key of [...bands.keys()].sort(compareText)) {
    const members = bands.get(key) ?? [];
    const compound = key === '' ? undefined : nodesById.get(key);
    const top = compound === undefined ? 0 : compoundTopPadding(o);
    let bandHeight = 0;
    for (let c = 0; c < columnCount; c++) {
      const column = members.filter((p) => p.layer === c).sort((a, b) => compareText(a.node.label, b.node.label) || compareText(a.node.id, b.node.id));
      let rowY = y + top;
      for (const p of column) {
        const colX = (columnX[c] ?? 0) + ((columnWidth[c] ?? 0) - p.width) / 2;
        boxes.set(p.node.id, { x: colX, y: rowY, width: p.width, height: p.height });
        right = Math.max(right, colX + p.width);
        rowY += p.height + ROW_GAP;
      }
      bandHeight = Math.max(bandHeight, rowY - ROW_GAP - (y + top));
    }
    if (compound !== undefined) {
      const inside = members.map((p) => boxes.get(p.node.id)).filter((b) => b !== undefined);
      const left = Math.min(...inside.map((b) => b.x)) - COMPOUND_PADDING;
      const width = Math.max(Math.max(...inside.map((b) => b.x + b.width)) + COMPOUND_PADDING - left, compoundMinWidth(compound, o));
      const height = top + bandHeight + COMPOUND_PADDING;
      boxes.set(compound.id, { x: left, y, width, height });
      right = Math.max(right, left + width);
      bandHeight = height - top;
    }
    y += top + bandHeight + BAND_GAP;
  }

  const nodes: NodeBox[] = graph.nodes.map((node) => {
    const box = boxes.get(node.id) ?? { x: 0, y: 0, width: 0, height: 0 };
    const compound = compoundIds.has(node.id);
    const [bx, by, bw, bh] = [round2(box.x), round2(box.y), round2(box.width), round2(box.height)];
    return { id: node.id, kind: node.kind, x: bx, y: by, width: bw, height: bh, compound, parent: node.parent, lines: textLines(node, compound, bx, by, bw, o) };
  });
  const edges: EdgeRoute[] = graph.edges.map((edge) => {
    const from = boxes.get(edge.source);
    const to = boxes.get(edge.target);
    const points = from === undefined || to === undefined ? [] : [
      { x: round2(from.x + from.width), y: round2(from.y + from.height / 2) },
      { x: round2(to.x), y: round2(to.y + to.height / 2) },
    ];
    return { id: edge.id, source: edge.source, target: edge.target, points, label: null };
  });
  return {
    engine: 'quick', width: round2(right + MARGIN), height: round2(Math.max(y - BAND_GAP + MARGIN, 2 * MARGIN)),
    nodes, edges, fontFamily: GRAPH_FONT_FAMILY,
  };
}
