/**
 * The ONE place our egress graph becomes cytoscape elements (cytoscape's element typings are loose,
 * so the conversion is kept in a single, tested file). Labels stay plain text: cytoscape draws them
 * on a canvas, never as HTML.
 */
import type { ElementDefinition } from 'cytoscape';
import { bypassedNodeIds } from '../../shared/graph/build-egress-graph';
import type { EdgeRoute, GraphLayout, NodeBox, Point } from '../../shared/graph/layout-types';
import type { EgressGraph, GraphNode, GraphNodeKind } from '../../shared/graph/types';
import { estimateTextWidth } from '../../shared/graph/text-width';
import { KIND_LOOK, LEGEND_KINDS, NODE_FONT_SIZE, SOLID_KINDS, SOURCE_ENCODINGS, sourceEncoding, type SourceEncodingKey } from './style';

/** Longest line a label keeps before an ellipsis, so labels never spill over neighbours. */
export const LABEL_MAX_CHARS = 28;

export function truncateLabel(text: string, maxChars = LABEL_MAX_CHARS): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= maxChars ? clean : `${clean.slice(0, maxChars - 1)}…`;
}

/** The layout's truncated lines when it has them (same text as the PDF), else our own truncation. */
export function displayLabel(node: GraphNode, box?: NodeBox): string {
  if (box && box.lines.length > 0) return box.lines.map((l) => l.text).join('\n');
  const sub = node.sublabel.trim();
  return sub === '' ? truncateLabel(node.label) : `${truncateLabel(node.label)}\n${truncateLabel(sub)}`;
}

/** The verdict encoding of a source node (subnet with a path of its own, or NIC), else null. */
export function nodeEncoding(node: GraphNode, inspected: boolean): SourceEncodingKey | null {
  if (node.kind !== 'subnet' && node.kind !== 'nic') return null;
  if (node.verdict === null) return null;
  return sourceEncoding(node.verdict, node.exit, inspected);
}

/**
 * Sinks the fixed kind legend leaves out, listed when the graph draws them: the grey "Unknown" box
 * is otherwise unexplained next to the grey "On-premises" one, and so is teal "Private".
 */
const DRAWN_ONLY_KINDS: readonly GraphNodeKind[] = ['private', 'unknown'];

/** The node kinds the legend names: the fixed ones, then the sinks above that this graph draws. */
export function legendKinds(graph: EgressGraph | null): readonly GraphNodeKind[] {
  const drawn = new Set(graph?.nodes.map((n) => n.kind) ?? []);
  return [...LEGEND_KINDS, ...DRAWN_ONLY_KINDS.filter((k) => drawn.has(k))];
}

/** The source encodings a graph uses, in legend order (the legend explains only these). */
export function graphEncodings(graph: EgressGraph): readonly SourceEncodingKey[] {
  const used = new Set<SourceEncodingKey>();
  for (const node of graph.nodes) {
    const key = nodeEncoding(node, (node.kind === 'subnet' || node.kind === 'nic') && node.inspected);
    if (key !== null) used.add(key);
  }
  return (Object.keys(SOURCE_ENCODINGS) as SourceEncodingKey[]).filter((k) => used.has(k));
}

/** CSS-ish classes: the kind, plus the verdict for sources (colours the border). */
function nodeClasses(node: GraphNode, changed: ReadonlySet<string>, inspected: boolean): string {
  const classes: string[] = [`k-${node.kind}`];
  switch (node.kind) {
    case 'vnet':
      if (node.compound) classes.push('compound');
      break;
    case 'subnet':
    case 'nic':
      if (node.verdict !== null) {
        classes.push(`v-${node.verdict}`);
        if (node.exit !== null) classes.push(`x-${node.exit}`);
        // Internet without a firewall / NVA on the way: dashed (the legend's "not inspected").
        if (node.verdict === 'internet' && !inspected) classes.push('direct');
      }
      break;
    case 'dropped':
      classes.push(`r-${node.reason}`);
      break;
    case 'azure-firewall': case 'nva': case 'internal-load-balancer': case 'virtual-network-gateway': case 'virtual-hub':
    case 'nat-gateway': case 'load-balancer': case 'default-outbound': case 'public-ip':
    case 'internet': case 'private': case 'on-premises': case 'unknown':
      break;
    default: {
      const never: never = node;
      return never;
    }
  }
  if (changed.has(node.id.toLowerCase())) classes.push('changed');
  return classes.join(' ');
}

/** "No outbound" is an absence, not a failure: slate, not red. */
const NO_OUTBOUND_COLOR = '#5b6f86';

/** Size of a node the layout did not place (should not happen; keeps the style mappers fed). */
const FALLBACK_SIZE = 40;

/** Line height factor the layout sizes text with (shared/graph/node-sizes). */
const LINE_HEIGHT_FACTOR = 1.25;

/** A VNet box's title sits inside its top edge, where the layout reserved room for it. */
function titleMarginY(box: NodeBox | undefined): number {
  if (!box || box.lines.length === 0) return 18;
  const first = box.lines[0];
  const textHeight = box.lines.reduce((sum, l) => sum + l.fontSize * LINE_HEIGHT_FACTOR, 0);
  return (first ? first.y - box.y : 4) + textHeight;
}

/**
 * The layout's bend points as cytoscape segment weights and distances (edge-distances
 * `node-position`): weight = position along source centre → target centre, distance = signed offset
 * along the normal (-dy, dx)/len, cytoscape's own convention. Null when the route is straight.
 */
export function segmentsOf(route: EdgeRoute | undefined, source: Point | undefined, target: Point | undefined): { readonly weights: string; readonly distances: string } | null {
  if (!route || !source || !target || route.points.length <= 2) return null;
  const dx = target.x - source.x;
  const dy = target.y - source.y;
  const len2 = dx * dx + dy * dy;
  if (len2 < 1) return null;
  const len = Math.sqrt(len2);
  const bends = route.points.slice(1, -1);
  const weights = bends.map((p) => ((p.x - source.x) * dx + (p.y - source.y) * dy) / len2);
  const distances = bends.map((p) => ((p.x - source.x) * -dy + (p.y - source.y) * dx) / len);
  const fmt = (v: number) => (Math.round(v * 1000) / 1000).toString();
  return { weights: weights.map(fmt).join(' '), distances: distances.map(fmt).join(' ') };
}

/**
 * Graph + layout → cytoscape elements, positioned (no cytoscape layout runs). The layout gives
 * top-left corners; cytoscape wants centres.
 *
 * VNets that contain nodes are drawn as plain boxes BEHIND their children (class `vnet-box`, the
 * layout's own rectangle), not as cytoscape compound parents: compound bookkeeping made the first
 * paint of a 5,000-element graph several times slower, and the layout already sized the boxes.
 * Children name their box in `data.box`, so a highlight can keep it lit.
 */
export function toCytoscapeElements(graph: EgressGraph, layout: GraphLayout | null, changedSourceIds: ReadonlySet<string> = new Set()): ElementDefinition[] {
  const boxes = new Map<string, NodeBox>((layout?.nodes ?? []).map((b) => [b.id, b]));
  const bypassed = bypassedNodeIds(graph);
  const elements: ElementDefinition[] = [];
  const centres = new Map<string, Point>();
  for (const node of graph.nodes) {
    const b = boxes.get(node.id);
    const isBox = node.kind === 'vnet' && node.compound;
    const inspected = (node.kind === 'subnet' || node.kind === 'nic') && node.inspected;
    const encoding = nodeEncoding(node, inspected);
    // The verdict glyph leads the label; the box grows by its width (centred: both sides).
    const glyph = encoding === null ? '' : `${SOURCE_ENCODINGS[encoding].glyph} `;
    const glyphWidth = glyph === '' ? 0 : Math.ceil(estimateTextWidth(glyph, NODE_FONT_SIZE, 'bold'));
    if (b) centres.set(node.id, { x: b.x + b.width / 2, y: b.y + b.height / 2 });
    elements.push({
      group: 'nodes',
      data: {
        id: node.id,
        label: displayLabel(node, b),
        // What the node shows: the verdict glyph first (data.label stays the plain name, for screen readers).
        shownLabel: `${glyph}${displayLabel(node, b)}`,
        ...(encoding === null ? {} : { encoding }),
        fullLabel: node.label,
        kind: node.kind,
        shape: KIND_LOOK[node.kind].shape,
        color: node.kind === 'dropped' && node.reason === 'no-outbound' ? NO_OUTBOUND_COLOR : KIND_LOOK[node.kind].color,
        resourceId: node.resourceId,
        ...(node.parent !== null ? { box: node.parent } : {}),
        width: (b?.width ?? FALLBACK_SIZE) + glyphWidth,
        height: b?.height ?? FALLBACK_SIZE,
        ...(isBox ? { titleMarginY: titleMarginY(b) } : {}),
      },
      ...(b ? { position: { x: b.x + b.width / 2, y: b.y + b.height / 2 } } : {}),
      classes: `${nodeClasses(node, changedSourceIds, inspected)}${bypassed.has(node.id) ? ' bypassed' : ''}${isBox ? ' vnet-box' : ''}${SOLID_KINDS.includes(node.kind) ? ' solid' : ''}`,
    });
  }
  const routes = new Map<string, EdgeRoute>((layout?.edges ?? []).map((r) => [r.id, r]));
  for (const edge of graph.edges) {
    const segments = segmentsOf(routes.get(edge.id), centres.get(edge.source), centres.get(edge.target));
    const classes = [
      ...(edge.sourceIds.some((id) => changedSourceIds.has(id.toLowerCase())) ? ['changed'] : []),
      ...(segments ? ['routed'] : []),
      ...(edge.bypassed === true ? ['bypassed'] : []),
    ];
    elements.push({
      group: 'edges',
      data: {
        id: edge.id, source: edge.source, target: edge.target, weight: edge.weight, label: truncateLabel(edge.label),
        ...(segments ? { segmentWeights: segments.weights, segmentDistances: segments.distances } : {}),
      },
      classes: classes.join(' '),
    });
  }
  return elements;
}
