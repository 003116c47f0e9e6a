/**
 * The node graph's readability rules as pure functions: the readable viewport (never under 11 px
 * labels), hop numbers from the explanation's hops, the verdict encodings (colour class, border,
 * glyph) and the layout's bend points as cytoscape segments.
 */
import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import type { Hop } from '../../../shared/egress/types';
import { buildEgressGraph } from '../../../shared/graph/build-egress-graph';
import { layoutEgressGraph } from '../../../shared/graph/layout';
import type { EdgeRoute } from '../../../shared/graph/layout-types';
import { graphEncodings, segmentsOf, toCytoscapeElements } from '../../../renderer/graph/elements';
import { hopNumbers, parseStepPrefix, stepPrefix, type NumberableNode } from '../../../renderer/graph/path-steps';
import { graphStylesheet, MIN_LABEL_PX, NODE_FONT_SIZE, READABLE_ZOOM, SOURCE_ENCODINGS, sourceEncoding } from '../../../renderer/graph/style';
import { readableViewport } from '../../../renderer/graph/viewport';
import { APP, BUILD_NIC, DB, FIREWALL_ID, LEGACY, model, result } from '../fixtures';

describe('readableViewport', () => {
  const pane = { width: 740, height: 700 };

  it('fits a small box whole, centred, no closer than the cap', () => {
    const v = readableViewport({ x1: 100, y1: 50, w: 200, h: 100 }, pane.width, pane.height, { padding: 30, maxZoom: 1.75 });
    expect(v.zoom).toBe(1.75);
    expect(v.whole).toBe(true);
    // Centre of the box lands at the centre of the pane.
    expect(v.pan.x + 200 * v.zoom).toBeCloseTo(pane.width / 2, 6);
    expect(v.pan.y + 100 * v.zoom).toBeCloseTo(pane.height / 2, 6);
  });

  it('never zooms out below the readable zoom: a big graph shows its top-left window, labels at 11 px', () => {
    // The training estate's all-paths extent (fitted whole it drew labels at ≈4 px).
    const v = readableViewport({ x1: 0, y1: 0, w: 1820, h: 1980 }, pane.width, pane.height, { padding: 30, maxZoom: 4 });
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(NODE_FONT_SIZE * v.zoom).toBeGreaterThanOrEqual(MIN_LABEL_PX);
    expect(v.whole).toBe(false);
    expect(v.pan).toEqual({ x: 30, y: 30 });
  });

  it('a long path keeps its source end in view, centred on the source vertically but inside the path', () => {
    const box = { x1: 400, y1: 100, w: 1400, h: 1500 };
    const v = readableViewport(box, pane.width, pane.height, { padding: 60, maxZoom: 1.75, anchorY: 900 });
    expect(v.zoom).toBe(READABLE_ZOOM);
    // Left edge of the path at the left margin.
    expect(400 * v.zoom + v.pan.x).toBeCloseTo(60, 6);
    // The source (y = 900) in the middle of the pane.
    expect(900 * v.zoom + v.pan.y).toBeCloseTo(pane.height / 2, 6);
    // An anchor near the top does not scroll above the path.
    const top = readableViewport(box, pane.width, pane.height, { padding: 60, maxZoom: 1.75, anchorY: 110 });
    expect(100 * top.zoom + top.pan.y).toBeCloseTo(60, 6);
  });
});

describe('hopNumbers', () => {
  const hub = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/afw-hub';
  const nat = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng-hub';
  const subnet = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-a';
  const hops: Pick<Hop, 'kind' | 'id'>[] = [
    { kind: 'source', id: subnet },
    { kind: 'nsg', id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg' },
    { kind: 'route', id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt/routes/default' },
    { kind: 'azure-firewall', id: `${hub}/azureFirewallIpConfigurations/ipconfig` },
    { kind: 'firewall-rule', id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/firewallPolicies/afwp' },
    { kind: 'nat-gateway', id: nat },
    { kind: 'internet', id: 'internet' },
  ];
  const nodes: NumberableNode[] = [
    { id: subnet, kind: 'subnet', resourceId: subnet },
    { id: hub, kind: 'azure-firewall', resourceId: hub },
    { id: nat, kind: 'nat-gateway', resourceId: nat },
    { id: 'public-ip:20.1.1.1', kind: 'public-ip', resourceId: null },
    { id: 'internet', kind: 'internet', resourceId: null },
    { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v', kind: 'vnet', resourceId: null },
  ];

  it('gives each node the step numbers of the hops that describe it, in the explanation’s numbering', () => {
    const numbers = hopNumbers(hops, nodes);
    expect(numbers.get(subnet)).toEqual([1]);
    // The firewall hop cites an IP configuration of the firewall; its rule hop cites the policy.
    expect(numbers.get(hub)).toEqual([4, 5]);
    expect(numbers.get(nat)).toEqual([6]);
    expect(numbers.get('internet')).toEqual([7]);
    // No hop of their own: no number (NSG and route hops are not nodes; no public-IP hop here).
    expect(numbers.has('public-ip:20.1.1.1')).toBe(false);
    expect(numbers.has(nodes[5]?.id ?? '')).toBe(false);
  });

  it('with two nodes of a kind, a hop numbers only the one it cites', () => {
    const other = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng-other';
    const numbers = hopNumbers(hops, [...nodes, { id: other, kind: 'nat-gateway', resourceId: other }]);
    expect(numbers.get(nat)).toEqual([6]);
    expect(numbers.has(other)).toBe(false);
  });

  it('prefixes labels "4,5. " and reads them back', () => {
    expect(stepPrefix([4, 5])).toBe('4,5. ');
    expect(parseStepPrefix(`${stepPrefix([12])}afw-hub`)).toEqual([12]);
    expect(parseStepPrefix('afw-hub 1.2')).toEqual([]);
    expect(stepPrefix([])).toBe('');
  });
});

describe('verdict encodings', () => {
  it('says verdict and inspection with a distinct glyph and border for each encoding', () => {
    const glyphs = Object.values(SOURCE_ENCODINGS).map((e) => e.glyph);
    expect(new Set(glyphs).size).toBe(glyphs.length);
    expect(sourceEncoding('internet', 'nat-gateway', true)).toBe('inspected');
    expect(sourceEncoding('internet', 'nat-gateway', false)).toBe('direct');
    expect(sourceEncoding('internet', 'default-outbound', false)).toBe('default-outbound');
    expect(sourceEncoding('denied', null, false)).toBe('blocked');
    expect(SOURCE_ENCODINGS.inspected.border).toBe('solid');
    expect(SOURCE_ENCODINGS.direct.border).toBe('dashed');
    expect(SOURCE_ENCODINGS['default-outbound'].border).toBe('dashed');
  });

  it('draws them on the graph: glyph before the name, border style per encoding, legend lists the used ones', async () => {
    const graph = buildEgressGraph(model(), result(), { kind: 'full' });
    const layout = await layoutEgressGraph(graph);
    const elements = toCytoscapeElements(graph, layout);
    const cy = cytoscape({ headless: true, styleEnabled: true, elements, style: graphStylesheet('light'), layout: { name: 'preset' } });
    try {
      const app = cy.getElementById(APP);
      const legacy = cy.getElementById(LEGACY);
      const db = cy.getElementById(DB);
      const nic = cy.getElementById(BUILD_NIC);
      // snet-app goes through the firewall: inspected, solid, ✓.
      expect(app.data('encoding')).toBe('inspected');
      expect(String(app.style('label')).startsWith(`${SOURCE_ENCODINGS.inspected.glyph} snet-app`)).toBe(true);
      expect(app.data('label')).not.toContain(SOURCE_ENCODINGS.inspected.glyph);
      expect(app.style('border-style')).toBe('solid');
      // Default outbound: dashed, ⚠, not the firewall's look.
      expect(legacy.data('encoding')).toBe('default-outbound');
      expect(legacy.style('border-style')).toBe('dashed');
      expect(legacy.style('border-color')).not.toBe(app.style('border-color'));
      // A NIC with its own public IP: internet, not inspected.
      expect(nic.data('encoding')).toBe('direct');
      expect(nic.style('border-style')).toBe('dashed');
      expect(db.data('encoding')).toBe('blocked');
      expect(db.style('border-style')).toBe('double');
      // The box grew by the glyph, so the label still fits it.
      const box = layout.nodes.find((b) => b.id === APP);
      expect(app.width()).toBeGreaterThan(box?.width ?? Infinity);
      expect(graphEncodings(graph)).toEqual(['inspected', 'direct', 'default-outbound', 'blocked']);
      expect(cy.getElementById(FIREWALL_ID).data('encoding')).toBeUndefined();
    } finally {
      cy.destroy();
    }
  });
});

describe('segmentsOf', () => {
  it('turns the layout’s bend points into weights and distances that land on the same points', () => {
    const source = { x: 100, y: 100 };
    const target = { x: 500, y: 300 };
    const route: EdgeRoute = { id: 'e', source: 's', target: 't', label: null, points: [{ x: 160, y: 100 }, { x: 300, y: 100 }, { x: 300, y: 300 }, { x: 440, y: 300 }] };
    const seg = segmentsOf(route, source, target);
    expect(seg).not.toBeNull();
    const w = (seg?.weights ?? '').split(' ').map(Number);
    const d = (seg?.distances ?? '').split(' ').map(Number);
    expect(w.length).toBe(2);
    // cytoscape: point = source + w·(target − source) + d·(−dy, dx)/len.
    const dx = target.x - source.x;
    const dy = target.y - source.y;
    const len = Math.hypot(dx, dy);
    const points = w.map((wi, i) => ({ x: source.x + wi * dx + (d[i] ?? 0) * (-dy / len), y: source.y + wi * dy + (d[i] ?? 0) * (dx / len) }));
    expect(points[0]?.x).toBeCloseTo(300, 1);
    expect(points[0]?.y).toBeCloseTo(100, 1);
    expect(points[1]?.x).toBeCloseTo(300, 1);
    expect(points[1]?.y).toBeCloseTo(300, 1);
    // Straight routes stay straight (no segments).
    expect(segmentsOf({ ...route, points: [{ x: 160, y: 100 }, { x: 440, y: 300 }] }, source, target)).toBeNull();
  });
});

describe('edges around nodes', () => {
  // Quick: the layout big estates get (issue 12), forced here on a demo small enough to read.
  for (const [demoName, engine] of [['bank', 'elk'], ['bank', 'quick'], ['training', 'quick'], ['manufacturer', 'quick']] as const) it(`on the ${demoName} demo (${engine} layout), no edge as cytoscape draws it (source centre → layout bends → target centre) crosses another node`, async () => {
    const { normalizeArm } = await import('../../../shared/arm/index');
    const { findDemo } = await import('../../../shared/demo/index');
    const { resolveEgress } = await import('../../../shared/egress/index');
    const demo = findDemo(demoName);
    if (!demo) throw new Error(`no ${demoName} demo`);
    const normalized = normalizeArm(demo.documents);
    const graph = buildEgressGraph(normalized.model, resolveEgress({ ...normalized, metrics: [] }, {}), { kind: 'full' }, { bypassedNat: true });
    const layout = await layoutEgressGraph(graph, { engine });
    expect(layout.engine).toBe(engine);
    const elements = toCytoscapeElements(graph, layout);
    const leaves = layout.nodes.filter((b) => !b.compound);
    const centre = (id: string) => {
      const b = layout.nodes.find((n) => n.id === id);
      return b ? { x: b.x + b.width / 2, y: b.y + b.height / 2 } : null;
    };
    // Segment–rectangle intersection by sampling (boxes are ≥ 20 px, steps of 2 px).
    const crosses = (a: { x: number; y: number }, b: { x: number; y: number }, box: { x: number; y: number; width: number; height: number }) => {
      const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 2));
      for (let i = 0; i <= steps; i++) {
        const x = a.x + ((b.x - a.x) * i) / steps;
        const y = a.y + ((b.y - a.y) * i) / steps;
        if (x > box.x + 1 && x < box.x + box.width - 1 && y > box.y + 1 && y < box.y + box.height - 1) return true;
      }
      return false;
    };
    let routed = 0;
    const offenders: string[] = [];
    for (const el of elements) {
      if (el.group !== 'edges') continue;
      const { id, source, target } = el.data as { id: string; source: string; target: string };
      const s = centre(source);
      const t = centre(target);
      if (!s || !t) continue;
      const route = layout.edges.find((r) => r.id === id);
      const bends = route && route.points.length > 2 ? route.points.slice(1, -1) : [];
      if (bends.length > 0) {
        routed++;
        expect(String(el.classes)).toContain('routed');
      }
      const line = [s, ...bends, t];
      for (const box of leaves) {
        if (box.id === source || box.id === target) continue;
        for (let i = 1; i < line.length; i++) {
          const a = line[i - 1];
          const b = line[i];
          if (a && b && crosses(a, b, box)) offenders.push(`${id} through ${box.id}`);
        }
      }
    }
    expect(routed).toBeGreaterThan(3);
    expect([...new Set(offenders)]).toEqual([]);
  });
});
