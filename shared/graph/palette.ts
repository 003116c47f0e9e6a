/**
 * One palette and one set of shape names for every picture of the egress graph: the app's graph
 * (renderer/graph/style.ts reads the kind colours), the evidence PDF (electron/evidence reads the
 * tones) and the diagram exports (shared/graph/export: draw.io, SVG, Mermaid). Kept here, in
 * `shared/`, so the same thing never gets two colours in two places.
 *
 * Two layers, because the app and the PDF encode different things and both are kept as they were:
 * - kind colours (`KIND_PALETTE[kind].color`): what the app tints a node with;
 * - tones (`TONE_COLORS`): what the PDF and the exports fill and stroke with: sources by their
 *   verdict, the rest by role (inspection, exit, sink).
 *
 * draw.io icons are the built-in Azure 2 set (`img/lib/azure2/...`), resolved by draw.io from its
 * own bundle, so an exported file needs no embedded images. Names checked against
 * jgraph/drawio `src/main/webapp/js/diagramly/sidebar/Sidebar-Azure2.js` (see
 * docs reference destinations.md §7.2).
 */
import type { ExitMethod, Verdict } from '../egress/types';
import type { GraphNode, GraphNodeKind, VerdictCounts } from './types';

/** Fill/stroke role of a box in the PDF and the exports. */
export type Tone = 'internet' | 'private' | 'on-premises' | 'blocked' | 'unknown' | 'inspection' | 'exit' | 'neutral';

export interface ToneColors {
  readonly fill: string;
  readonly stroke: string;
  /** Legend text. */
  readonly legend: string;
}

/** Light-background tones (the PDF's, unchanged). Order = legend order. */
export const TONE_COLORS: Readonly<Record<Tone, ToneColors>> = {
  'internet': { fill: '#e6f4ea', stroke: '#1a7f37', legend: 'Reaches the internet' },
  'on-premises': { fill: '#efe6fb', stroke: '#6f42c1', legend: 'Forced to on-premises' },
  'private': { fill: '#e0f2f1', stroke: '#00796b', legend: 'Delivered privately (never internet)' },
  'blocked': { fill: '#fde8e8', stroke: '#cf222e', legend: 'Dropped / denied / no way out' },
  'unknown': { fill: '#fff4d6', stroke: '#9a6700', legend: 'Unknown: a fact is missing (see the explanation)' },
  'inspection': { fill: '#e3effc', stroke: '#0b5cad', legend: 'Firewall / NVA / hub' },
  'exit': { fill: '#f1f3f5', stroke: '#57606a', legend: 'Exit: NAT / public IP / LB / default' },
  'neutral': { fill: '#f8fafc', stroke: '#8c959f', legend: 'Virtual network' },
};

/**
 * Dark-background tones for the optional dark SVG: the same hues, dark fills and lighter strokes,
 * so text (#e3e8ee) keeps ≥ 4.5:1 on every fill.
 */
export const TONE_COLORS_DARK: Readonly<Record<Tone, ToneColors>> = {
  'internet': { fill: '#12301f', stroke: '#5cc499', legend: TONE_COLORS.internet.legend },
  'on-premises': { fill: '#2a1f40', stroke: '#b68cf0', legend: TONE_COLORS['on-premises'].legend },
  'private': { fill: '#0f2e2b', stroke: '#4fc1b0', legend: TONE_COLORS.private.legend },
  'blocked': { fill: '#3a1616', stroke: '#f08a80', legend: TONE_COLORS.blocked.legend },
  'unknown': { fill: '#33290f', stroke: '#f0b45a', legend: TONE_COLORS.unknown.legend },
  'inspection': { fill: '#132a45', stroke: '#6c9ef8', legend: TONE_COLORS.inspection.legend },
  'exit': { fill: '#23282f', stroke: '#a3adb9', legend: TONE_COLORS.exit.legend },
  'neutral': { fill: '#1b222b', stroke: '#566170', legend: TONE_COLORS.neutral.legend },
};

/** The tone a path verdict is drawn in. */
export const VERDICT_TONE: Readonly<Record<Verdict, Tone>> = {
  'internet': 'internet', 'private': 'private', 'on-premises': 'on-premises',
  'dropped': 'blocked', 'denied': 'blocked', 'no-outbound': 'blocked', 'unknown': 'unknown',
};

/** One colour per verdict (text, badges, Mermaid strokes): the stroke of its tone. */
export const VERDICT_COLOR: Readonly<Record<Verdict, string>> = {
  'internet': TONE_COLORS.internet.stroke,
  'private': TONE_COLORS.private.stroke,
  'on-premises': TONE_COLORS['on-premises'].stroke,
  'dropped': TONE_COLORS.blocked.stroke,
  'denied': TONE_COLORS.blocked.stroke,
  'no-outbound': TONE_COLORS.blocked.stroke,
  'unknown': TONE_COLORS.unknown.stroke,
};

const AZURE2 = 'img/lib/azure2';

export interface KindPalette {
  /** Legend name. */
  readonly label: string;
  /** The app's kind colour (node tint and border). */
  readonly color: string;
  /** Tone for the PDF and exports; sources (subnet, NIC) use their verdict's tone instead. */
  readonly tone: Tone;
  /** draw.io built-in icon (`img/lib/azure2/...svg`), or null: drawn as a plain box. */
  readonly drawioIcon: string | null;
}

/**
 * Per node kind. Subnets and NICs stay boxes (their fill carries the verdict); sinks and the
 * default-outbound pseudo-exit have no Azure resource, so no icon. No graph node kind is a private
 * endpoint (private endpoints are reach facts, not path hops), so `PRIVATE_ENDPOINT_ICON` is
 * exported for callers that draw them.
 */
export const KIND_PALETTE: Readonly<Record<GraphNodeKind, KindPalette>> = {
  'vnet': { label: 'Virtual network', color: '#6d8bb3', tone: 'neutral', drawioIcon: null },
  'subnet': { label: 'Subnet', color: '#4a78c2', tone: 'neutral', drawioIcon: null },
  'nic': { label: 'NIC exception', color: '#7b8794', tone: 'neutral', drawioIcon: null },
  'nat-gateway': { label: 'NAT gateway', color: '#2e9d74', tone: 'exit', drawioIcon: `${AZURE2}/networking/NAT.svg` },
  'azure-firewall': { label: 'Azure Firewall', color: '#d0584f', tone: 'inspection', drawioIcon: `${AZURE2}/networking/Firewalls.svg` },
  'nva': { label: 'Virtual appliance', color: '#df8a2a', tone: 'inspection', drawioIcon: `${AZURE2}/compute/Virtual_Machine.svg` },
  'internal-load-balancer': { label: 'Internal LB', color: '#8e6cc9', tone: 'inspection', drawioIcon: `${AZURE2}/networking/Load_Balancers.svg` },
  'load-balancer': { label: 'Load balancer', color: '#7656b8', tone: 'exit', drawioIcon: `${AZURE2}/networking/Load_Balancers.svg` },
  'virtual-network-gateway': { label: 'VNet gateway', color: '#2f97ad', tone: 'inspection', drawioIcon: `${AZURE2}/networking/Virtual_Network_Gateways.svg` },
  'virtual-hub': { label: 'Virtual hub', color: '#5566cc', tone: 'inspection', drawioIcon: `${AZURE2}/networking/Virtual_WAN_Hub.svg` },
  'default-outbound': { label: 'Default outbound', color: '#c98a12', tone: 'exit', drawioIcon: null },
  'public-ip': { label: 'Public IP', color: '#c9961b', tone: 'exit', drawioIcon: `${AZURE2}/networking/Public_IP_Addresses.svg` },
  'internet': { label: 'Internet', color: '#2c6bd6', tone: 'internet', drawioIcon: null },
  'on-premises': { label: 'On-premises', color: '#5b6f86', tone: 'on-premises', drawioIcon: null },
  'private': { label: 'Private (never internet)', color: '#00796b', tone: 'private', drawioIcon: null },
  // Solid sink, white bold label: #667080 gives 5.0:1 (the earlier #8a94a3 gave 3.1:1).
  'unknown': { label: 'Unknown', color: '#667080', tone: 'unknown', drawioIcon: null },
  'dropped': { label: 'Dropped / denied', color: '#b3261e', tone: 'blocked', drawioIcon: null },
};

export const PRIVATE_ENDPOINT_ICON = `${AZURE2}/networking/Private_Endpoint.svg`;

/** The draw.io style of a built-in image shape (the sidebar's, minus `html=1`: labels are user data, drawn as plain text). */
export function drawioImageStyle(icon: string): string {
  return `image;aspect=fixed;points=[];align=center;verticalLabelPosition=bottom;verticalAlign=top;fontSize=11;image=${icon};`;
}

/**
 * The tone a node is filled and stroked with: a source by its own verdict; an overview VNet (a leaf
 * standing for its sources) by its sources' verdicts when they all share one tone, so a VNet whose
 * every source is denied is not drawn like one that reaches the internet (`verdictCounts`,
 * shared/graph/types.ts); anything else by its kind.
 */
export function nodeTone(node: GraphNode): Tone {
  if ((node.kind === 'subnet' || node.kind === 'nic') && node.verdict !== null) return VERDICT_TONE[node.verdict];
  if (node.kind === 'vnet' && !node.compound) {
    const tones = new Set((Object.keys(node.verdictCounts) as Verdict[]).filter((v) => node.verdictCounts[v] > 0).map((v) => VERDICT_TONE[v]));
    // Mixed verdicts keep the VNet tone: the label says how many of each (export/labels.ts).
    const [only] = tones;
    if (tones.size === 1 && only !== undefined) return only;
  }
  return KIND_PALETTE[node.kind].tone;
}

/** How a source says its verdict besides colour: the keys of the app's legend (renderer/graph/style.ts `SourceEncodingKey`). */
export type SourceEncodingKey =
  | 'inspected' | 'direct' | 'default-outbound' | 'on-premises' | 'private' | 'no-outbound' | 'blocked' | 'unknown';

/**
 * The app's verdict glyphs (renderer/graph/style.ts `SOURCE_ENCODINGS`, pinned equal by a test),
 * for the exports: colour alone must not carry the verdict (WCAG 2.2 SC 1.4.1 Use of Color), and a
 * diagram printed in greyscale loses the difference between the light green and light red fills.
 * Glyphs that DejaVu Sans (the PDF's and PNG's font) and Segoe UI Symbol both carry.
 */
export const SOURCE_GLYPHS: Readonly<Record<SourceEncodingKey, string>> = {
  'inspected': '\u2713', 'direct': '\u2197', 'default-outbound': '\u26a0', 'on-premises': '\u21c4',
  'private': '\u2302', 'no-outbound': '\u2298', 'blocked': '\u2715', 'unknown': '?',
};

/** The encoding of a source with a path of its own (the app's `sourceEncoding`, same rules). */
export function sourceEncodingKey(verdict: Verdict, exit: ExitMethod | null, inspected: boolean): SourceEncodingKey {
  switch (verdict) {
    case 'internet':
      if (exit === 'default-outbound') return 'default-outbound';
      return inspected ? 'inspected' : 'direct';
    case 'on-premises': return 'on-premises';
    case 'private': return 'private';
    case 'no-outbound': return 'no-outbound';
    case 'dropped': case 'denied': return 'blocked';
    case 'unknown': return 'unknown';
  }
}

/**
 * A source that leaves through default outbound access is drawn with a dashed border as well as
 * its colour: the issue users hit is that it otherwise looks exactly like a firewalled subnet
 * (same verdict, same green) [DOA, see graph-nodes.ts].
 */
export function usesDefaultOutbound(node: GraphNode): boolean {
  return (node.kind === 'subnet' || node.kind === 'nic') && node.exit === 'default-outbound';
}

/** An edge's tone: where it ends when that is a sink (so a drop reads red all the way in), else where it starts. Same rule as the PDF. */
export function edgeTone(source: Tone, target: Tone): Tone {
  if (target === 'internet' || target === 'blocked' || target === 'on-premises' || target === 'unknown') return target;
  return source === 'neutral' ? 'exit' : source;
}

/**
 * The tone of a `bypassed` edge (subnet → the attached NAT gateway a route overrides): the exit's
 * grey, dashed and without an arrowhead, whatever the subnet's verdict, since no traffic takes it.
 */
export const BYPASSED_EDGE_TONE: Tone = 'exit';

/** Verdict words, in the order counts are listed. */
export const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  'internet': 'internet', 'on-premises': 'on-premises', 'private': 'private', 'dropped': 'dropped',
  'denied': 'denied', 'no-outbound': 'no outbound', 'unknown': 'unknown',
};

/** "2 denied", "1 internet, 2 denied": an overview VNet's paths per verdict. */
export function verdictCountsText(counts: VerdictCounts): string {
  return (Object.keys(VERDICT_WORDS) as Verdict[])
    .filter((v) => counts[v] > 0)
    .map((v) => `${counts[v]} ${VERDICT_WORDS[v]}`)
    .join(', ');
}

