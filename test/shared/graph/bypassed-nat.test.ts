/**
 * Attached-but-bypassed NAT gateways (the engine's `nat-gateway-bypassed` finding) in the egress
 * graph: drawn in every picture of it (the app, the diagram exports, the PDF), as a `bypassed` edge
 * from the subnet that no traffic takes; never as a hop of the path. The exports and the PDF once
 * built their graph without it, so the bank demo's `ng-card-auth-weu` was missing from every
 * draw.io / SVG / PNG / Mermaid file and from the PDF's diagram while the app drew it dashed.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import { DEMO_ESTATES, findDemo } from '../../../shared/demo/index';
import { resolveEgress } from '../../../shared/egress/index';
import { buildDefaultGraph, buildEgressGraph, bypassedNodeIds, pathElementIds } from '../../../shared/graph/build-egress-graph';
import { BYPASSED_NAT_LEGEND, EXPORT_LAYOUT_OPTIONS, exportGraph, legendEntries, toDrawio, toMermaid, toSvg, type DiagramMeta } from '../../../shared/graph/export';
import { layoutLayeredQuick } from '../../../shared/graph/layout-quick';
import { TONE_COLORS } from '../../../shared/graph/palette';
import type { EgressGraph } from '../../../shared/graph/types';
import { toDiagramLayout } from '../../../electron/evidence/graph-adapter';

function demo(name: string) {
  const d = findDemo(name);
  if (!d) throw new Error(`no ${name} demo`);
  const normalized = normalizeArm(d.documents);
  return { model: normalized.model, result: resolveEgress({ ...normalized, metrics: [] }, {}) };
}

const META: DiagramMeta = {
  title: 'Egress paths: bank', scope: 'demo bank', destination: '0.0.0.0/0 (default route)',
  capturedAt: '2026-11-26T06:00:00.000Z', snapshotSha256: 'ab'.repeat(32),
};

/** The app's graph: what renderer/layout.worker.ts builds (APP_GRAPH_OPTIONS). */
const APP = { bypassedNat: true } as const;

function ids(graph: EgressGraph): { nodes: string[]; edges: string[] } {
  return { nodes: graph.nodes.map((n) => n.id), edges: graph.edges.map((e) => e.id) };
}

describe('bypassed NAT gateways', () => {
  const { model, result } = demo('bank');
  const cardAuth = result.paths.find((p) => p.source.name === 'snet-card-auth');
  const natId = model.subnets.find((s) => s.name === 'snet-card-auth')?.natGatewayId ?? '';

  it('the bank demo has one: snet-card-auth’s own NAT gateway, overridden by the route to the firewall', () => {
    expect(cardAuth?.findings.map((f) => f.code)).toContain('nat-gateway-bypassed');
    expect(cardAuth?.exit).toBe('nat-gateway');
    expect(natId).not.toBe('');
  });

  it('is drawn by default, with a bypassed edge from the subnet; bypassedNat: false leaves only it out', () => {
    const graph = buildEgressGraph(model, result, { kind: 'full' });
    const bypassed = graph.edges.filter((e) => e.bypassed === true);
    expect(bypassed.map((e) => [e.source, e.target.toLowerCase()])).toEqual([[cardAuth?.source.id, natId.toLowerCase()]]);
    const nat = graph.nodes.find((n) => n.id.toLowerCase() === natId.toLowerCase());
    expect(nat?.kind).toBe('nat-gateway');
    expect(bypassedNodeIds(graph)).toEqual(new Set([nat?.id]));
    // No traffic leaves the bypassed NAT gateway: it has no outgoing edge.
    expect(graph.edges.some((e) => e.source === nat?.id)).toBe(false);
    // It stays lit with its subnet's path (not dimmed away), as a bypassed edge.
    const lit = pathElementIds(graph, cardAuth?.source.id ?? '');
    expect(lit.edgeIds).toContain(bypassed[0]?.id);

    const plain = buildEgressGraph(model, result, { kind: 'full' }, { bypassedNat: false });
    expect(plain.edges.some((e) => e.bypassed === true)).toBe(false);
    expect(plain.nodes.some((n) => n.id.toLowerCase() === natId.toLowerCase())).toBe(false);
    // Everything else is the same graph.
    expect(graph.edges.filter((e) => e.bypassed !== true).map((e) => e.id)).toEqual(plain.edges.map((e) => e.id));
  });

  it('the default graph draws it; the overview (sources folded into VNets) never does', () => {
    expect(buildDefaultGraph(model, result).graph.edges.some((e) => e.bypassed === true)).toBe(true);
    expect(buildEgressGraph(model, result, { kind: 'overview' }, APP).edges.some((e) => e.bypassed === true)).toBe(false);
  });

  it('a path view of the subnet draws it too (diagram --source, the app\'s selection)', () => {
    const graph = buildEgressGraph(model, result, { kind: 'path', sourceIds: [cardAuth?.source.id ?? ''] });
    expect(graph.edges.filter((e) => e.bypassed === true)).toHaveLength(1);
  });
});

describe('the exports\' graph is the app\'s, for every demo\'s default view', () => {
  for (const { name } of DEMO_ESTATES.filter((d) => ['bank', 'manufacturer', 'training', 'health'].includes(d.name))) {
    it(name, () => {
      const { model, result } = demo(name);
      // The diagram command, the app's Export menu and the PDF build with no options; the app's graph pane with APP.
      const exported = buildDefaultGraph(model, result);
      const app = buildDefaultGraph(model, result, undefined, APP);
      expect(exported.view).toEqual(app.view);
      expect(ids(exported.graph)).toEqual(ids(app.graph));
      expect(exported.graph.edges.filter((e) => e.bypassed === true).map((e) => e.id)).toEqual(app.graph.edges.filter((e) => e.bypassed === true).map((e) => e.id));
    });
  }

  it('training: the bypassed edge into a NAT gateway other subnets use is dashed; the gateway itself stays solid', () => {
    const { model, result } = demo('training');
    const graph = buildDefaultGraph(model, result).graph;
    const bypassed = graph.edges.filter((e) => e.bypassed === true);
    expect(bypassed).toHaveLength(1);
    expect(bypassed[0]?.source).toMatch(/snet-13-nat-bypassed-by-udr$/);
    expect(bypassedNodeIds(graph).size).toBe(0);
    const layout = layoutLayeredQuick(exportGraph(graph), EXPORT_LAYOUT_OPTIONS);
    expect(toSvg(graph, layout, META)).toMatch(/<polyline [^>]*stroke-dasharray="6 3"\/>/);
    expect(toMermaid(graph, META)).toMatch(/ -\.- n\d+\n/);
    // Only the legend swatch is dashed: no node is reached by bypassed edges alone.
    expect(toMermaid(graph, META)).toMatch(/\n {2}class key_\d+ bypassed_nat\n/);
  });
});

describe('bank: the bypassed NAT gateway in every export, dashed, labelled, in the legend', () => {
  const { model, result } = demo('bank');
  const graph = buildDefaultGraph(model, result).graph;
  const layout = layoutLayeredQuick(exportGraph(graph), EXPORT_LAYOUT_OPTIONS);
  const nat = graph.nodes.find((n) => n.label === 'ng-card-auth-weu');

  it('the legend has the app\'s entry, dashed, in the exit grey', () => {
    expect(nat).toBeDefined();
    expect(legendEntries(graph).filter((e) => e.text === BYPASSED_NAT_LEGEND)).toEqual([{ tone: 'exit', text: BYPASSED_NAT_LEGEND, dashed: true }]);
    // Only where a graph has a bypassed edge.
    expect(legendEntries(buildDefaultGraph(model, result, undefined, { bypassedNat: false }).graph).some((e) => e.text === BYPASSED_NAT_LEGEND)).toBe(false);
  });

  it('its box says it is bypassed (a filed diagram is read without the app)', () => {
    expect(exportGraph(graph).nodes.find((n) => n.id === nat?.id)?.sublabel).toBe('NAT gateway \u00b7 attached, bypassed by a route');
  });

  it('SVG: a dashed box, a dashed edge without arrowhead, the legend entry', () => {
    const svg = toSvg(graph, layout, META);
    expect(svg).toContain('>ng-card-auth-weu</text>');
    expect(svg).toContain('>NAT gateway · attached, bypassed by a route</text>');
    const box = layout.nodes.find((b) => b.id === nat?.id);
    expect(box).toBeDefined();
    expect(svg).toMatch(new RegExp(`<rect x="[\\d.]+" y="[\\d.]+" width="${box?.width ?? 0}" height="${box?.height ?? 0}" rx="4" fill="${TONE_COLORS.exit.fill}" stroke="${TONE_COLORS.exit.stroke}" stroke-width="2" stroke-dasharray="6 3"/>`));
    const dashedEdges = svg.split('\n').filter((l) => l.startsWith('<polyline') && l.includes('stroke-dasharray'));
    expect(dashedEdges).toHaveLength(1);
    expect(dashedEdges[0]).not.toContain('marker-end');
    expect(dashedEdges[0]).toContain(`stroke="${TONE_COLORS.exit.stroke}"`);
    expect(svg).toContain(`>${BYPASSED_NAT_LEGEND}</text>`);
  });

  it('draw.io: the NAT icon with a dashed border, a dashed edge without arrowhead, the legend entry', () => {
    const xml = toDrawio(graph, layout, META);
    const cell = xml.split('\n').find((l) => l.includes('label="ng-card-auth-weu&#xa;'));
    expect(cell).toContain('image=img/lib/azure2/networking/NAT.svg;');
    expect(cell).toContain(`imageBorder=${TONE_COLORS.exit.stroke};strokeWidth=2;dashed=1;dashPattern=6 3;`);
    const edges = xml.split('\n').filter((l) => l.includes('edge="1"'));
    expect(edges).toHaveLength(graph.edges.length);
    const dashed = edges.filter((l) => l.includes('dashed=1'));
    expect(dashed).toHaveLength(1);
    expect(dashed[0]).toContain('endArrow=none;');
    expect(xml).toContain(`value="${BYPASSED_NAT_LEGEND}"`);
  });

  it('Mermaid: a dotted link without arrowhead, a dashed node, the legend entry', () => {
    const text = toMermaid(graph, META);
    const line = text.split('\n').find((l) => l.includes('("ng-card-auth-weu<br/>'));
    const id = /^\s*(n\d+)\(/.exec(line ?? '')?.[1];
    expect(id).toBeDefined();
    expect(text).toMatch(new RegExp(`\\n  n\\d+ -\\.- ${id ?? ''}\\n`));
    expect(text.split('\n').filter((l) => l.includes(' -.- '))).toHaveLength(1);
    expect(text).toContain('classDef bypassed_nat stroke-dasharray:6 3,stroke-width:2px');
    expect(text).toMatch(new RegExp(`\\n  class ${id ?? ''},key_\\d+ bypassed_nat\\n`));
    expect(text).toContain(`["${BYPASSED_NAT_LEGEND}"]`);
  });

  it('the PDF\'s diagram marks the edge and the gateway (dashed there too)', () => {
    const d = toDiagramLayout(layoutLayeredQuick(graph), result, graph);
    expect(d.edges.filter((e) => e.bypassed === true).map((e) => [e.targetId, e.tone])).toEqual([[nat?.id, 'exit']]);
    expect(d.nodes.filter((n) => n.bypassed === true).map((n) => n.id)).toEqual([nat?.id]);
  });
});
