/**
 * The legend every export draws: the tones that occur in this graph (in the palette's order), the
 * dashed border when some source leaves by default outbound access, and the dashed NAT gateway
 * when a route bypasses one attached to a subnet (the app's legend entry, same words). Only
 * encodings that are used, so the legend explains the picture instead of the whole palette.
 */
import { BYPASSED_EDGE_TONE, edgeTone, nodeTone, TONE_COLORS, usesDefaultOutbound, type Tone } from '../palette';
import type { EgressGraph } from '../types';

export interface LegendEntry {
  readonly tone: Tone;
  readonly text: string;
  readonly dashed: boolean;
}

export const DEFAULT_OUTBOUND_LEGEND = 'Dashed border: leaves by default outbound access (no NAT, firewall or public IP of its own)';

/** The legend text for a `bypassed` edge and the NAT gateway it leads to: the app's (renderer/components/GraphPane.tsx), the exports' and the PDF's. */
export const BYPASSED_NAT_LEGEND = 'NAT gateway attached but bypassed by a route';

export function legendEntries(graph: EgressGraph): readonly LegendEntry[] {
  const used = new Set<Tone>(graph.nodes.map(nodeTone));
  const tones = new Map(graph.nodes.map((n) => [n.id, nodeTone(n)]));
  for (const e of graph.edges) used.add(e.bypassed === true ? BYPASSED_EDGE_TONE : edgeTone(tones.get(e.source) ?? 'exit', tones.get(e.target) ?? 'exit'));
  const entries: LegendEntry[] = (Object.keys(TONE_COLORS) as Tone[])
    .filter((tone) => used.has(tone))
    .map((tone) => ({ tone, text: TONE_COLORS[tone].legend, dashed: false }));
  if (graph.nodes.some(usesDefaultOutbound)) entries.push({ tone: 'internet', text: DEFAULT_OUTBOUND_LEGEND, dashed: true });
  if (graph.edges.some((e) => e.bypassed === true)) entries.push({ tone: 'exit', text: BYPASSED_NAT_LEGEND, dashed: true });
  return entries;
}
