/**
 * Layered left → right layout with ELK (elkjs, bundled build: runs in Node, vitest and Web
 * Workers; it blocks the calling thread, so the app calls this from a worker). VNets are compound
 * boxes around their subnets, NICs and appliances (`hierarchyHandling: INCLUDE_CHILDREN`), sinks
 * are pinned to the last layer. Coordinates come back absolute (`elk.json.*Coords: ROOT`).
 *
 * Deterministic: the graph's nodes and edges are already sorted and ELK's random seed is fixed, so
 * the same graph gives the same layout (byte-identical PDFs).
 *
 * Web Workers: `new ELK()` from the bundled build hijacks `self.onmessage` inside a worker; `elk()`
 * below undoes that, so a worker may use `self.onmessage = ...` or `addEventListener` freely.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, LayoutOptions as ElkLayoutOptions } from 'elkjs/lib/elk-api';
import { graphElementCount } from './build-egress-graph';
import type { EdgeRoute, GraphLayout, LayoutOptions, NodeBox, Point, TextLine } from './layout-types';
import { layoutLayeredQuick } from './layout-quick';
import type { ResolvedLayoutOptions } from './node-sizes';
import {
  COMPOUND_PADDING, compoundMinWidth, compoundTopPadding, leafSize, lineHeight, resolveLayoutOptions, round2, textLines,
} from './node-sizes';
import { estimateTextWidth, GRAPH_FONT_FAMILY } from './text-width';
import type { EgressGraph, GraphEdge, GraphNode } from './types';

const SINK_KINDS: ReadonlySet<GraphNode['kind']> = new Set<GraphNode['kind']>(['internet', 'private', 'on-premises', 'dropped', 'unknown']);

const EDGE_LABEL_FONT_SIZE = 10;

/** Above this many elements ELK does less crossing-minimisation work (thoroughness 1 instead of 7) and edge labels are not placed. */
const LARGE_GRAPH_ELEMENTS = 1_500;

let elkInstance: InstanceType<typeof ELK> | null = null;

/**
 * Inside a Web Worker, `new ELK()` (bundled build) assigns `self.onmessage` to its own dispatcher
 * (checked: it happens synchronously in the constructor). Put back whatever the worker had, so its
 * handler keeps working whether it was assigned or added with `addEventListener`.
 */
function elk(): InstanceType<typeof ELK> {
  if (elkInstance !== null) return elkInstance;
  const scope = globalThis as { onmessage?: unknown };
  const previous = scope.onmessage;
  elkInstance = new ELK();
  if (scope.onmessage !== previous) scope.onmessage = previous ?? null;
  return elkInstance;
}

// Measured (test/shared/graph, 300-VNet overview): `considerModelOrder` doubled ELK's time and edge
// labels add a label layer, so big graphs go without both. Input order is already sorted, so the
// result stays deterministic.
function rootLayoutOptions(large: boolean, compound: boolean): ElkLayoutOptions {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.hierarchyHandling': compound ? 'INCLUDE_CHILDREN' : 'SEPARATE_CHILDREN',
    // Orthogonal routing gives every edge between two layers its own vertical channel: with 2,000
    // VNets fanning into one firewall the overview came out 10,500 px wide (8,400 with polylines).
    // With compounds polylines were wider instead (150 spokes: 4,900 vs 2,900 px), so only big flat graphs use them.
    'elk.edgeRouting': large && !compound ? 'POLYLINE' : 'ORTHOGONAL',
    'elk.randomSeed': '1',
    // One layering for the whole picture, so every sink sits in the same right-hand column even
    // when (say) the on-premises paths share no node with the internet ones.
    'elk.separateConnectedComponents': 'false',
    'elk.layered.thoroughness': large ? '1' : '7',
    'elk.spacing.nodeNode': '16',
    'elk.layered.spacing.nodeNodeBetweenLayers': '48',
    'elk.spacing.edgeNode': '12',
    'elk.spacing.edgeEdge': '6',
    'elk.layered.spacing.edgeNodeBetweenLayers': '12',
    'elk.edgeLabels.placement': 'CENTER',
    'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    'elk.json.shapeCoords': 'ROOT',
    'elk.json.edgeCoords': 'ROOT',
  };
}

function childrenByParent(graph: EgressGraph): Map<string | null, GraphNode[]> {
  const byParent = new Map<string | null, GraphNode[]>();
  const ids = new Set(graph.nodes.map((n) => n.id));
  for (const node of graph.nodes) {
    const parent = node.parent !== null && ids.has(node.parent) ? node.parent : null;
    const siblings = byParent.get(parent);
    if (siblings === undefined) byParent.set(parent, [node]);
    else siblings.push(node);
  }
  return byParent;
}

function toElkNode(node: GraphNode, byParent: ReadonlyMap<string | null, readonly GraphNode[]>, o: ResolvedLayoutOptions): ElkNode {
  const children = byParent.get(node.id) ?? [];
  if (children.length > 0) {
    const top = compoundTopPadding(o);
    return {
      id: node.id,
      layoutOptions: {
        'elk.padding': `[top=${top},left=${COMPOUND_PADDING},bottom=${COMPOUND_PADDING},right=${COMPOUND_PADDING}]`,
        'elk.nodeSize.constraints': '[MINIMUM_SIZE]',
        'elk.nodeSize.minimum': `(${compoundMinWidth(node, o)},${top + COMPOUND_PADDING})`,
      },
      children: children.map((c) => toElkNode(c, byParent, o)),
    };
  }
  const size = leafSize(node, o);
  const layoutOptions: ElkLayoutOptions = node.parent === null && SINK_KINDS.has(node.kind) ? { 'elk.layered.layering.layerConstraint': 'LAST' }
    : node.parent === null && node.kind === 'vnet' ? { 'elk.layered.layering.layerConstraint': 'FIRST' }
      : {};
  return { id: node.id, width: size.width, height: size.height, layoutOptions };
}

function toElkEdge(edge: GraphEdge, withLabels: boolean): ElkExtendedEdge {
  const labels = edge.label.length === 0 || !withLabels ? [] : [{
    text: edge.label, width: Math.ceil(estimateTextWidth(edge.label, EDGE_LABEL_FONT_SIZE)), height: lineHeight(EDGE_LABEL_FONT_SIZE),
  }];
  return { id: edge.id, sources: [edge.source], targets: [edge.target], labels };
}

/** The ELK input graph (exported for tests and debugging). */
export function toElkGraph(graph: EgressGraph, options?: LayoutOptions): ElkNode {
  const o = resolveLayoutOptions(options);
  const byParent = childrenByParent(graph);
  const large = graphElementCount(graph) > LARGE_GRAPH_ELEMENTS;
  const compound = byParent.size > 1;
  return {
    id: '__root__',
    layoutOptions: rootLayoutOptions(large, compound),
    children: (byParent.get(null) ?? []).map((n) => toElkNode(n, byParent, o)),
    edges: graph.edges.map((e) => toElkEdge(e, !large)),
  };
}

function collectBoxes(node: ElkNode, into: Map<string, { x: number; y: number; width: number; height: number }>): void {
  for (const child of node.children ?? []) {
    into.set(child.id, { x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
    collectBoxes(child, into);
  }
}

function collectEdges(node: ElkNode, into: Map<string, ElkExtendedEdge>): void {
  for (const edge of node.edges ?? []) into.set(edge.id, edge);
  for (const child of node.children ?? []) collectEdges(child, into);
}

function edgePoints(edge: ElkExtendedEdge | undefined): Point[] {
  const points: Point[] = [];
  for (const section of edge?.sections ?? []) {
    for (const p of [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]) {
      const last = points[points.length - 1];
      const rounded = { x: round2(p.x), y: round2(p.y) };
      if (last === undefined || last.x !== rounded.x || last.y !== rounded.y) points.push(rounded);
    }
  }
  return points;
}

function edgeLabel(edge: ElkExtendedEdge | undefined, text: string): TextLine | null {
  const placed = edge?.labels?.[0];
  if (placed === undefined || text.length === 0) return null;
  return {
    text, x: round2(placed.x ?? 0), y: round2(placed.y ?? 0), width: round2(placed.width ?? 0),
    fontSize: EDGE_LABEL_FONT_SIZE, weight: 'regular', align: 'center',
  };
}

async function layoutWithElk(graph: EgressGraph, options: LayoutOptions | undefined): Promise<GraphLayout> {
  const o = resolveLayoutOptions(options);
  const laidOut = await elk().layout(toElkGraph(graph, options));
  const boxes = new Map<string, { x: number; y: number; width: number; height: number }>();
  collectBoxes(laidOut, boxes);
  const elkEdges = new Map<string, ElkExtendedEdge>();
  collectEdges(laidOut, elkEdges);
  const byParent = childrenByParent(graph);
  const nodes: NodeBox[] = graph.nodes.map((node) => {
    const box = boxes.get(node.id) ?? { x: 0, y: 0, width: 0, height: 0 };
    const compound = (byParent.get(node.id)?.length ?? 0) > 0;
    const [x, y, width, height] = [round2(box.x), round2(box.y), round2(box.width), round2(box.height)];
    return { id: node.id, kind: node.kind, x, y, width, height, compound, parent: node.parent, lines: textLines(node, compound, x, y, width, o) };
  });
  const edges: EdgeRoute[] = graph.edges.map((edge) => {
    const elkEdge = elkEdges.get(edge.id);
    return { id: edge.id, source: edge.source, target: edge.target, points: edgePoints(elkEdge), label: edgeLabel(elkEdge, edge.label) };
  });
  return {
    engine: 'elk', width: round2(laidOut.width ?? 0), height: round2(laidOut.height ?? 0), nodes, edges, fontFamily: GRAPH_FONT_FAMILY,
  };
}

/**
 * Lays the graph out left → right. `engine: 'auto'` (default) uses ELK unless the graph has more
 * than `quickThreshold` elements, where it falls back to `layoutLayeredQuick`.
 */
export async function layoutEgressGraph(graph: EgressGraph, options?: LayoutOptions): Promise<GraphLayout> {
  const o = resolveLayoutOptions(options);
  const useQuick = o.engine === 'quick' || (o.engine === 'auto' && graphElementCount(graph) > o.quickThreshold);
  return useQuick ? layoutLayeredQuick(graph, options) : layoutWithElk(graph, options);
}
