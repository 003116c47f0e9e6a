/**
 * Observed traffic on the graph (issue 13): edges on an observed source's path drawn as wide as its
 * flows (log scale, renderer/state/traffic.ts), and a badge at each observed source's top-right
 * corner: its flow count, in red with the denied count when the logs hold a denied-traffic finding
 * for it. Badges are extra nodes that take no events (clicks reach the source under them); they
 * are rebuilt after every redraw, since setElements replaces every element.
 */
import type { Core } from 'cytoscape';
import type { EgressGraph } from '../../shared/graph/types';
import { estimateTextWidth } from '../../shared/graph/text-width';
import { TRAFFIC_BADGE_FONT_SIZE } from './style';

export interface TrafficBadge {
  /** The graph node (a path's source) the badge sits on. */
  readonly nodeId: string;
  readonly text: string;
  readonly denied: boolean;
}

export interface TrafficMarks {
  readonly edgeWidths: ReadonlyMap<string, number>;
  readonly badges: readonly TrafficBadge[];
}

export const TRAFFIC_BADGE_CLASS = 'traffic-badge';

/** Badge fills; white bold text on either is ≥ 4.5:1 (test/renderer/graph/contrast.test.ts). */
export const TRAFFIC_BADGE_COLORS = { flows: '#2c5fa8', denied: '#b3261e' } as const;

/** Room around the text: the badge is a pill just big enough for its count at the node font size. */
const BADGE_PADDING_X = 6;
const BADGE_HEIGHT = Math.ceil(TRAFFIC_BADGE_FONT_SIZE * 1.3 + 1);
/** How far the badge reaches up into the source's box: less than the room under its last label line (≈ 5 px). */
const BADGE_OVERLAP = 3;

/**
 * The badge's width for its text at the badge font size (estimated: labels are drawn on a canvas).
 * It was sized for 10 px text while the label was never set (the node rule draws `shownLabel`):
 * the badges came out as blank bars.
 */
export function badgeWidth(text: string): number {
  return Math.ceil(estimateTextWidth(text, TRAFFIC_BADGE_FONT_SIZE, 'bold') + 2 * BADGE_PADDING_X);
}

/**
 * The badge's centre: on the source's bottom-right corner, hanging below its bottom border. Not on
 * top: there it covered the name's first line and the VNet box's title above the first subnet;
 * below, it fits the layout's 16 px between stacked nodes and the VNet box's bottom padding.
 */
export function badgePosition(node: { readonly x: number; readonly y: number; readonly width: number; readonly height: number }, width: number): { readonly x: number; readonly y: number } {
  return { x: node.x + node.width / 2 - width / 2 + 4, y: node.y + node.height / 2 - BADGE_OVERLAP + BADGE_HEIGHT / 2 };
}

export function applyTrafficMarks(cy: Core, marks: TrafficMarks | null, graph: EgressGraph): void {
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  cy.batch(() => {
    cy.nodes(`.${TRAFFIC_BADGE_CLASS}`).remove();
    cy.edges('.observed').removeClass('observed').removeData('trafficWidth');
    if (marks === null) return;
    for (const [edgeId, width] of marks.edgeWidths) {
      const edge = cy.getElementById(edgeId);
      if (edge.nonempty()) edge.data('trafficWidth', width).addClass('observed');
    }
    for (const badge of marks.badges) {
      if (!nodeIds.has(badge.nodeId)) continue;
      const node = cy.getElementById(badge.nodeId);
      if (node.empty()) continue;
      const width = badgeWidth(badge.text);
      const at = badgePosition({ ...node.position(), width: Number(node.data('width') ?? 40), height: Number(node.data('height') ?? 40) }, width);
      cy.add({
        group: 'nodes',
        data: {
          // `shownLabel` is what the node rule draws; `label` keeps the plain text for tests and tools.
          id: `traffic-badge:${badge.nodeId}`, label: badge.text, shownLabel: badge.text, kind: TRAFFIC_BADGE_CLASS, shape: 'round-rectangle',
          color: badge.denied ? TRAFFIC_BADGE_COLORS.denied : TRAFFIC_BADGE_COLORS.flows, width, height: BADGE_HEIGHT, badgeFor: badge.nodeId,
        },
        position: at,
        // Hidden with its node while the path view hides it (canvas.ts).
        classes: `${TRAFFIC_BADGE_CLASS}${badge.denied ? ' traffic-denied' : ''}${node.hasClass('focus-hidden') ? ' focus-hidden' : ''}`,
      });
    }
  });
}
