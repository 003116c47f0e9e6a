/**
 * The cytoscape stylesheet, one per colour scheme (light / dark follow `prefers-color-scheme`).
 * Node shape and colour say the kind; the border says the verdict of a source.
 */
import type { Css, NodeSingular, StylesheetJson } from 'cytoscape';
import { KIND_PALETTE, sourceEncodingKey, type SourceEncodingKey } from '../../shared/graph/palette';
import type { GraphNodeKind } from '../../shared/graph/types';

export type Theme = 'light' | 'dark';

interface Palette {
  readonly text: string;
  readonly textOutline: string;
  readonly edge: string;
  readonly compoundFill: string;
  readonly compoundBorder: string;
  readonly highlight: string;
  readonly changed: string;
  readonly verdict: { readonly good: string; readonly warn: string; readonly bad: string; readonly neutral: string };
}

const PALETTES: Readonly<Record<Theme, Palette>> = {
  light: {
    text: '#1d2530', textOutline: '#f4f6f8', edge: '#a3adb9', compoundFill: '#e9eef4', compoundBorder: '#c3ccd7',
    highlight: '#2c6bd6', changed: '#7a3fc4',
    verdict: { good: '#1f7a55', warn: '#c27a00', bad: '#b3261e', neutral: '#3f5a7a' },
  },
  dark: {
    text: '#e3e8ee', textOutline: '#121519', edge: '#566170', compoundFill: '#1b222b', compoundBorder: '#364150',
    highlight: '#6c9ef8', changed: '#b68cf0',
    verdict: { good: '#5cc499', warn: '#f0b45a', bad: '#f08a80', neutral: '#9db4d1' },
  },
};

interface KindLook {
  readonly label: string;
  readonly shape: Css.NodeShape;
  readonly color: string;
}

/** Node shape per kind (cytoscape's); the name and colour come from the shared palette. */
const KIND_SHAPE: Readonly<Record<GraphNodeKind, Css.NodeShape>> = {
  'vnet': 'round-rectangle', 'subnet': 'round-rectangle', 'nic': 'round-rectangle', 'nat-gateway': 'round-rectangle',
  'azure-firewall': 'cut-rectangle', 'nva': 'cut-rectangle', 'internal-load-balancer': 'round-octagon',
  'load-balancer': 'round-octagon', 'virtual-network-gateway': 'barrel', 'virtual-hub': 'round-octagon',
  'default-outbound': 'round-rectangle', 'public-ip': 'round-rectangle', 'internet': 'round-rectangle',
  'on-premises': 'round-rectangle', 'private': 'round-rectangle', 'unknown': 'round-rectangle', 'dropped': 'round-rectangle',
};

/**
 * Shape and fill per node kind; also drives the legend. Names and colours are the shared palette's
 * (shared/graph/palette.ts), so the exports and the PDF use the same ones.
 */
export const KIND_LOOK: Readonly<Record<GraphNodeKind, KindLook>> = Object.fromEntries(
  (Object.keys(KIND_SHAPE) as GraphNodeKind[]).map((kind) => [kind, { label: KIND_PALETTE[kind].label, shape: KIND_SHAPE[kind], color: KIND_PALETTE[kind].color }]),
) as Record<GraphNodeKind, KindLook>;

/** Sinks are drawn solid with white text; everything else as a tinted box with a coloured border. */
export const SOLID_KINDS: readonly GraphNodeKind[] = ['internet', 'private', 'on-premises', 'unknown', 'dropped'];

/**
 * Text size. Node and edge labels are drawn at this size in model units, and hidden below
 * MIN_LABEL_PX on screen (cytoscape's min-zoomed-font-size), so no label is ever drawn smaller than
 * 11 px: the fit and the path zoom (canvas.ts) never go below READABLE_ZOOM when that would hide them.
 */
export const NODE_FONT_SIZE = 11;
export const EDGE_FONT_SIZE = 11;
export const MIN_LABEL_PX = 11;
/** Traffic badges (traffic-marks.ts) draw their counts at the node font size. */
export const TRAFFIC_BADGE_FONT_SIZE = NODE_FONT_SIZE;
export const READABLE_ZOOM = MIN_LABEL_PX / Math.min(NODE_FONT_SIZE, EDGE_FONT_SIZE);

/** How a source node says its verdict and whether its traffic is inspected (one rule for the app and the exports). */
export type { SourceEncodingKey };

export interface SourceEncoding {
  /** Leads the node's label. Glyphs DejaVu Sans and Segoe UI Symbol both carry (no emoji font needed). */
  readonly glyph: string;
  readonly border: 'solid' | 'dashed' | 'dotted' | 'double';
  readonly tone: keyof Palette['verdict'];
  readonly text: string;
}

/** Legend order. Colour, border style and glyph all say the same thing, so none is needed alone. */
export const SOURCE_ENCODINGS: Readonly<Record<SourceEncodingKey, SourceEncoding>> = {
  'inspected': { glyph: '✓', border: 'solid', tone: 'good', text: 'Internet, inspected by a firewall / NVA' },
  'direct': { glyph: '↗', border: 'dashed', tone: 'neutral', text: 'Internet, not inspected (NAT / public IP / LB)' },
  'default-outbound': { glyph: '⚠', border: 'dashed', tone: 'warn', text: 'Default outbound access (implicit IP)' },
  'on-premises': { glyph: '⇄', border: 'solid', tone: 'good', text: 'Forced to on-premises' },
  'private': { glyph: '⌂', border: 'solid', tone: 'good', text: 'Private: never reaches the internet' },
  'no-outbound': { glyph: '⊘', border: 'dotted', tone: 'neutral', text: 'No outbound method' },
  'blocked': { glyph: '✕', border: 'double', tone: 'bad', text: 'Dropped or denied' },
  // Not "see gaps": most unknowns name their missing fact on the path itself (a what-if IP behind
  // name-only firewall rules has no gap at all), and the explanation pane shows it first.
  'unknown': { glyph: '?', border: 'dotted', tone: 'warn', text: 'Unknown: a fact is missing (see the explanation)' },
};

/** The encoding of a source with a path of its own (shared with the diagram exports). */
export const sourceEncoding = sourceEncodingKey;

/** The verdict colours, for the legend's swatches. */
export function verdictColors(theme: Theme): Palette['verdict'] {
  return PALETTES[theme].verdict;
}

export const LEGEND_KINDS: readonly GraphNodeKind[] = [
  'subnet', 'nic', 'azure-firewall', 'nva', 'nat-gateway', 'load-balancer', 'default-outbound', 'public-ip',
  'virtual-network-gateway', 'internet', 'on-premises', 'dropped',
];

export function graphStylesheet(theme: Theme): StylesheetJson {
  const p = PALETTES[theme];
  return [
    {
      selector: 'node',
      style: {
        'label': 'data(shownLabel)',
        'width': 'data(width)',
        'height': 'data(height)',
        'shape': 'data(shape)' as Css.NodeShape,
        'background-color': 'data(color)',
        'border-color': 'data(color)',
        'color': p.text,
        'font-size': NODE_FONT_SIZE,
        'font-family': 'Segoe UI, system-ui, Helvetica, Arial, sans-serif',
        // Labels sit inside the boxes the layout sized for them (truncated there with an ellipsis).
        'text-valign': 'center',
        'text-halign': 'center',
        'text-wrap': 'wrap',
        // A constant, not `data(width)`: the mapper made the first paint ~30 % slower at 5,000
        // elements, and the layout already truncated labels to 200 px.
        'text-max-width': '240px',
        'line-height': 1.3,
        // Below this on-screen size labels are hidden rather than drawn illegibly [cytoscape min-zoomed-font-size].
        'min-zoomed-font-size': MIN_LABEL_PX,
        'z-index-compare': 'manual',
        'z-index': 10,
        'background-opacity': theme === 'light' ? 0.14 : 0.22,
        'border-width': 1.5,
      },
    },
    {
      // Kind look comes from element data (elements.ts): one rule instead of one per kind keeps
      // style matching cheap on 5,000-element graphs.
      selector: 'node.solid',
      style: { 'background-opacity': 1, 'color': '#ffffff', 'font-weight': 'bold' },
    },
    {
      // A VNet drawn as the layout's box behind its subnets (see elements.ts).
      selector: 'node.vnet-box',
      style: {
        'shape': 'round-rectangle',
        'background-color': p.compoundFill,
        'background-opacity': 1,
        'border-width': 1,
        'border-color': p.compoundBorder,
        // The layout reserved room inside the top edge for this title.
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': (ele: NodeSingular) => Number(ele.data('titleMarginY') ?? 18),
        'text-wrap': 'wrap',
        'font-weight': 'bold',
        'color': p.text,
        'z-index': 0,
      },
    },
    // Verdict and inspection, each said three ways (colour, border style, the label's glyph: see
    // SOURCE_ENCODINGS): inspected internet solid green ✓; uninspected internet dashed; default
    // outbound dashed amber ⚠; no way out dotted; dropped / denied double red ✕.
    { selector: 'node.v-internet, node.v-on-premises, node.v-private', style: { 'border-width': 3, 'border-color': p.verdict.good } },
    { selector: 'node.v-internet.direct', style: { 'border-color': p.verdict.neutral, 'border-style': 'dashed' } },
    { selector: 'node.v-internet.x-default-outbound', style: { 'border-color': p.verdict.warn, 'border-style': 'dashed' } },
    { selector: 'node.v-no-outbound', style: { 'border-width': 3, 'border-color': p.verdict.neutral, 'border-style': 'dotted' } },
    { selector: 'node.v-unknown', style: { 'border-width': 3, 'border-color': p.verdict.warn, 'border-style': 'dotted' } },
    { selector: 'node.v-dropped, node.v-denied', style: { 'border-width': 4, 'border-color': p.verdict.bad, 'border-style': 'double' } },
    // A NAT gateway attached to the subnet but bypassed by a route: drawn, dashed, not on the path.
    { selector: 'node.bypassed', style: { 'border-style': 'dashed', 'border-width': 2, 'background-opacity': 0.05 } },
    {
      selector: 'edge',
      style: {
        'width': 'mapData(weight, 1, 50, 1.2, 5)',
        'line-color': p.edge,
        'target-arrow-color': p.edge,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        // Straight edges unless the layout routed them (ELK, orthogonal around the boxes: the
        // `routed` rule below); bezier bundling costs seconds on the first paint of big graphs.
        'curve-style': 'straight',
        'z-index-compare': 'manual',
        'z-index': 5,
        // Overview edges carry a folded exit ("this VNet leaves via 20.61.14.30"): the label sits
        // next to its source rather than at the midpoint, where a long straight edge may cross
        // another node; an opaque background keeps it legible over lines.
        'source-label': 'data(label)',
        'source-text-offset': 56,
        'font-size': EDGE_FONT_SIZE,
        'color': p.text,
        'text-background-color': p.textOutline,
        'text-background-opacity': 0.92,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'min-zoomed-font-size': MIN_LABEL_PX,
      },
    },
    {
      // The layout's own bend points (elements.ts turns them into cytoscape's relative segments), so
      // an edge goes around boxes instead of through them.
      selector: 'edge.routed',
      style: {
        'curve-style': 'segments',
        'segment-weights': 'data(segmentWeights)',
        'segment-distances': 'data(segmentDistances)',
        'edge-distances': 'node-position',
      },
    },
    // The path view (path-focus.ts): the path's edges run straight between the moved nodes, the
    // estate layout's bend points no longer apply; everything else is hidden.
    { selector: 'edge.focus-edge', style: { 'curve-style': 'straight' } },
    { selector: '.focus-hidden', style: { 'display': 'none' } },
    { selector: 'edge.bypassed', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none' } },
    { selector: 'node.changed', style: { 'border-width': 4, 'border-color': p.changed, 'border-style': 'double' } },
    { selector: 'edge.changed', style: { 'line-color': p.changed, 'target-arrow-color': p.changed, 'line-style': 'dashed' } },
    // Policy control: its violating sources and the edges they use, in the verdict's red.
    { selector: 'node.violating', style: { 'border-width': 4, 'border-color': p.verdict.bad, 'underlay-color': p.verdict.bad, 'underlay-opacity': 0.22, 'underlay-padding': 8 } },
    { selector: 'edge.violating', style: { 'line-color': p.verdict.bad, 'target-arrow-color': p.verdict.bad, 'width': 3 } },
    // Sources the list's filters hide, and what only they use: faded on the graph as well.
    { selector: '.filtered', style: { 'opacity': 0.12 } },
    { selector: '.dim', style: { 'opacity': 0.18 } },
    { selector: 'node.path', style: { 'opacity': 1, 'underlay-color': p.highlight, 'underlay-opacity': 0.25, 'underlay-padding': 6 } },
    { selector: 'node.vnet-box.path', style: { 'underlay-opacity': 0 } },
    // The selected path's hop numbers (path-steps.ts: the explanation's step numbers) before the name.
    { selector: 'node.hop', style: { 'label': 'data(hopLabel)' } },
    {
      selector: 'edge.path',
      style: { 'opacity': 1, 'line-color': p.highlight, 'target-arrow-color': p.highlight, 'width': 4, 'z-index': 10 },
    },
    // A bypassed NAT gateway stays on screen with its path, but never reads as a hop of it.
    { selector: 'node.bypassed.path', style: { 'underlay-opacity': 0 } },
    // So does a NAT gateway another path uses, when the selected path only bypasses it (highlight.ts).
    { selector: 'node.path-bypassed.path', style: { 'underlay-opacity': 0 } },
    { selector: 'edge.bypassed.path', style: { 'line-color': p.verdict.warn, 'width': 2 } },
    { selector: 'node:selected', style: { 'overlay-color': p.highlight, 'overlay-opacity': 0.18, 'overlay-padding': 6 } },
    // The source the graph's keyboard focus is on (arrow keys, GraphPane.tsx): a thick accent ring.
    { selector: 'node.kb-focus', style: { 'opacity': 1, 'border-width': 4, 'border-color': p.highlight, 'border-style': 'solid', 'overlay-color': p.highlight, 'overlay-opacity': 0.12, 'overlay-padding': 5 } },
    // Observed traffic (graph/traffic-marks.ts): width by observed flows, log scale; last, so it wins over .path / .violating.
    { selector: 'edge.observed', style: { 'width': 'data(trafficWidth)' } },
    // The badge's text is its `shownLabel` (the node label rule), white on the badge colour (≥ 4.5:1:
    // contrast.test.ts), at the node font size so it is as readable as the names at the fitted zoom.
    { selector: 'node.traffic-badge', style: { 'background-opacity': 1, 'border-width': 0, 'color': '#ffffff', 'font-size': TRAFFIC_BADGE_FONT_SIZE, 'font-weight': 'bold', 'opacity': 1, 'events': 'no', 'z-index': 30, 'text-max-width': '400px', 'text-wrap': 'none' } },
  ];
}
