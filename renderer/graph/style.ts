/**
 * The cytoscape stylesheet, one per colour scheme (light / dark follow `prefers-color-scheme`).
 * Node shape and colour say the kind; the border says the verdict of a source.
 */
import type { Css, NodeSingular, StylesheetJson } from 'cytoscape';
import { KIND_PALETTE } from '../../shared/graph/palette';
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
        'label': 'data(label)',
        'width': 'data(width)',
        'height': 'data(height)',
        'shape': 'data(shape)' as Css.NodeShape,
        'background-color': 'data(color)',
        'border-color': 'data(color)',
        'color': p.text,
        'font-size': 11,
        'font-family': 'Segoe UI, system-ui, Helvetica, Arial, sans-serif',
        // Labels sit inside the boxes the layout sized for them (truncated there with an ellipsis).
        'text-valign': 'center',
        'text-halign': 'center',
        'text-wrap': 'wrap',
        // A constant, not `data(width)`: the mapper made the first paint ~30 % slower at 5,000
        // elements, and the layout already truncated labels to 200 px.
        'text-max-width': '240px',
        'line-height': 1.3,
        // Below this on-screen size labels are hidden instead of overlapping [cytoscape min-zoomed-font-size].
        'min-zoomed-font-size': 7,
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
    { selector: 'node.v-internet, node.v-on-premises', style: { 'border-width': 3, 'border-color': p.verdict.good } },
    { selector: 'node.v-no-outbound', style: { 'border-width': 3, 'border-color': p.verdict.neutral } },
    { selector: 'node.v-unknown', style: { 'border-width': 3, 'border-color': p.verdict.warn } },
    { selector: 'node.v-dropped, node.v-denied', style: { 'border-width': 3, 'border-color': p.verdict.bad } },
    {
      selector: 'edge',
      style: {
        'width': 'mapData(weight, 1, 50, 1.2, 5)',
        'line-color': p.edge,
        'target-arrow-color': p.edge,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        // Straight edges: bezier bundling costs seconds on the first paint of big graphs.
        'curve-style': 'straight',
        'z-index-compare': 'manual',
        'z-index': 5,
        // Overview edges carry a folded exit ("this VNet leaves via 20.61.14.30"): the label sits
        // next to its source rather than at the midpoint, where a long straight edge may cross
        // another node; an opaque background keeps it legible over lines.
        'source-label': 'data(label)',
        'source-text-offset': 56,
        'font-size': 10,
        'color': p.text,
        'text-background-color': p.textOutline,
        'text-background-opacity': 0.92,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'min-zoomed-font-size': 8,
      },
    },
    { selector: 'node.changed', style: { 'border-width': 4, 'border-color': p.changed, 'border-style': 'double' } },
    { selector: 'edge.changed', style: { 'line-color': p.changed, 'target-arrow-color': p.changed, 'line-style': 'dashed' } },
    // Policy control: its violating sources and the edges they use, in the verdict's red.
    { selector: 'node.violating', style: { 'border-width': 4, 'border-color': p.verdict.bad, 'underlay-color': p.verdict.bad, 'underlay-opacity': 0.22, 'underlay-padding': 8 } },
    { selector: 'edge.violating', style: { 'line-color': p.verdict.bad, 'target-arrow-color': p.verdict.bad, 'width': 3 } },
    { selector: '.dim', style: { 'opacity': 0.18 } },
    { selector: 'node.path', style: { 'opacity': 1, 'underlay-color': p.highlight, 'underlay-opacity': 0.25, 'underlay-padding': 6 } },
    { selector: 'node.vnet-box.path', style: { 'underlay-opacity': 0 } },
    {
      selector: 'edge.path',
      style: { 'opacity': 1, 'line-color': p.highlight, 'target-arrow-color': p.highlight, 'width': 4, 'z-index': 10 },
    },
    { selector: 'node:selected', style: { 'overlay-color': p.highlight, 'overlay-opacity': 0.18, 'overlay-padding': 6 } },
    // The source the graph's keyboard focus is on (arrow keys, GraphPane.tsx): a thick accent ring.
    { selector: 'node.kb-focus', style: { 'opacity': 1, 'border-width': 4, 'border-color': p.highlight, 'border-style': 'solid', 'overlay-color': p.highlight, 'overlay-opacity': 0.12, 'overlay-padding': 5 } },
  ];
}
