/**
 * The legend every export draws: the tones that occur in this graph (in the palette's order), and
 * the dashed border when some source leaves by default outbound access. Only encodings that are
 * used, so the legend explains the picture instead of the whole palette.
 */
import { edgeTone, nodeTone, TONE_COLORS, usesDefaultOutbound, type Tone } from '../palette';
import type { EgressGraph } from '../types';

export interface LegendEntry {
  readonly tone: Tone;
  readonly text: string;
  readonly dashed: boolean;
}

export const DEFAULT_OUTBOUND_LEGEND = 'Dashed border: leaves by default outbound access (no NAT, firewall or public IP of its own)';

export function legendEntries(graph: EgressGraph): readonly LegendEntry[] {
  const used = new Set<Tone>(graph.nodes.map(nodeTone));
  const tones = new Map(graph.nodes.map((n) => [n.id, nodeTone(n)]));
  for (const e of graph.edges) used.add(edgeTone(tones.get(e.source) ?? 'exit', tones.get(e.target) ?? 'exit'));
  const entries: LegendEntry[] = (Object.keys(TONE_COLORS) as Tone[])
    .filter((tone) => used.has(tone))
    .map((tone) => ({ tone, text: TONE_COLORS[tone].legend, dashed: false }));
  if (graph.nodes.some(usesDefaultOutbound)) entries.push({ tone: 'internet', text: DEFAULT_OUTBOUND_LEGEND, dashed: true });
  return entries;
}
