/**
 * The ONE place our egress graph becomes cytoscape elements (cytoscape's element typings are loose,
 * so the conversion is kept in a single, tested file). Labels stay plain text: cytoscape draws them
 * on a canvas, never as HTML.
 */
import type { ElementDefinition } from 'cytoscape';
import type { GraphLayout, NodeBox } from '../../shared/graph/layout-types';
import type { EgressGraph, GraphNode } from '../../shared/graph/types';
import { KIND_LOOK, SOLID_KINDS } from './style';

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

/** CSS-ish classes: the kind, plus the verdict for sources (colours the border). */
function nodeClasses(node: GraphNode, changed: ReadonlySet<string>): string {
  const classes: string[] = [`k-${node.kind}`];
  switch (node.kind) {
    case 'vnet':
      if (node.compound) classes.push('compound');
      break;
    case 'subnet':
      if (node.verdict !== null) classes.push(`v-${node.verdict}`);
      break;
    case 'nic':
      classes.push(`v-${node.verdict}`);
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
  const elements: ElementDefinition[] = [];
  for (const node of graph.nodes) {
    const b = boxes.get(node.id);
    const isBox = node.kind === 'vnet' && node.compound;
    elements.push({
      group: 'nodes',
      data: {
        id: node.id,
        label: displayLabel(node, b),
        fullLabel: node.label,
        kind: node.kind,
        shape: KIND_LOOK[node.kind].shape,
        color: node.kind === 'dropped' && node.reason === 'no-outbound' ? NO_OUTBOUND_COLOR : KIND_LOOK[node.kind].color,
        resourceId: node.resourceId,
        ...(node.parent !== null ? { box: node.parent } : {}),
        width: b?.width ?? FALLBACK_SIZE,
        height: b?.height ?? FALLBACK_SIZE,
        ...(isBox ? { titleMarginY: titleMarginY(b) } : {}),
      },
      ...(b ? { position: { x: b.x + b.width / 2, y: b.y + b.height / 2 } } : {}),
      classes: `${nodeClasses(node, changedSourceIds)}${isBox ? ' vnet-box' : ''}${SOLID_KINDS.includes(node.kind) ? ' solid' : ''}`,
    });
  }
  for (const edge of graph.edges) {
    elements.push({
      group: 'edges',
      data: { id: edge.id, source: edge.source, target: edge.target, weight: edge.weight, label: truncateLabel(edge.label) },
      classes: edge.sourceIds.some((id) => changedSourceIds.has(id.toLowerCase())) ? 'changed' : '',
    });
  }
  return elements;
}
