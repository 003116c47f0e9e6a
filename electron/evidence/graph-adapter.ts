/**
 * Converts the app's `GraphLayout` (shared/graph) into the diagram the PDF draws, keeping every
 * position, size, edge route and label placement: the PDF shows the same picture as the app.
 * Only colours are added, from the resolver's verdicts (the layout carries kinds, not verdicts).
 */
import type { ResolveResult } from '../../shared/egress/types';
import { bypassedNodeIds } from '../../shared/graph/build-egress-graph';
import type { GraphLayout, NodeBox, TextLine } from '../../shared/graph/layout-types';
import { BYPASSED_EDGE_TONE } from '../../shared/graph/palette';
import type { EgressGraph } from '../../shared/graph/types';
import { verdictTone, type DiagramLayout, type DiagramNode, type DiagramText, type DiagramTone } from './diagram-layout';

function toText(line: TextLine): DiagramText {
  return { text: line.text, x: line.x, y: line.y, width: line.width, fontSize: line.fontSize, bold: line.weight === 'bold', align: line.align };
}

function toneOf(box: NodeBox, verdicts: ReadonlyMap<string, DiagramTone>): DiagramTone {
  switch (box.kind) {
    case 'vnet': return 'neutral';
    case 'subnet': case 'nic': return verdicts.get(box.id.toLowerCase()) ?? 'neutral';
    case 'azure-firewall': case 'nva': case 'internal-load-balancer': case 'virtual-network-gateway': case 'virtual-hub': return 'inspection';
    case 'nat-gateway': case 'load-balancer': case 'default-outbound': case 'public-ip': return 'exit';
    case 'internet': return 'internet';
    case 'on-premises': return 'on-premises';
    case 'private': return 'private';
    case 'dropped': return 'blocked';
    case 'unknown': return 'unknown';
  }
}

/**
 * `graph`: the graph the layout was made from, whose nodes keep the full label and sublabel the
 * layout cut short with "…": the PDF's diagram key gives them in full. Its `bypassed` edges (and a
 * NAT gateway only they reach) are marked, so the PDF draws them dashed, as the app does.
 */
export function toDiagramLayout(layout: GraphLayout, result: ResolveResult, graph?: EgressGraph): DiagramLayout {
  const verdicts = new Map<string, DiagramTone>(result.paths.map((p) => [p.source.id.toLowerCase(), verdictTone(p.verdict)]));
  const full = new Map((graph?.nodes ?? []).map((n) => [n.id, [n.label, n.sublabel] as const]));
  const bypassedEdges = new Set((graph?.edges ?? []).filter((e) => e.bypassed === true).map((e) => e.id));
  const bypassedNodes = graph === undefined ? new Set<string>() : bypassedNodeIds(graph);
  const nodes: DiagramNode[] = layout.nodes.map((box) => {
    const lines = box.lines.map(toText);
    const texts = full.get(box.id);
    return {
      ...(texts === undefined ? {} : { fullLines: texts }),
      id: box.id,
      label: lines[0]?.text ?? box.id,
      sublabel: lines[1]?.text ?? null,
      role: box.compound ? 'group' : 'node',
      tone: toneOf(box, verdicts),
      x: box.x, y: box.y, width: box.width, height: box.height,
      parentId: box.parent,
      lines,
      ...(bypassedNodes.has(box.id) ? { bypassed: true as const } : {}),
    };
  });
  const toneById = new Map(nodes.map((n) => [n.id, n.tone]));
  const edges = layout.edges.map((e) => {
    const target = toneById.get(e.target) ?? 'exit';
    const source = toneById.get(e.source) ?? 'exit';
    // Colour an edge by where it ends when that is a sink, else by the source that starts it.
    const bypassed = bypassedEdges.has(e.id);
    const tone: DiagramTone = bypassed ? BYPASSED_EDGE_TONE
      : target === 'internet' || target === 'blocked' || target === 'on-premises' || target === 'unknown' ? target : source === 'neutral' ? 'exit' : source;
    return {
      id: e.id, sourceId: e.source, targetId: e.target, points: e.points, label: e.label?.text ?? null, tone,
      ...(e.label ? { labelLine: toText(e.label) } : {}), ...(bypassed ? { bypassed: true as const } : {}),
    };
  });
  const sizes = nodes.flatMap((n) => (n.lines ?? []).map((l) => l.fontSize));
  return { width: layout.width, height: layout.height, nodes, edges, labelSize: sizes.length > 0 ? Math.min(...sizes) : 10 };
}
