import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { buildEgressGraph, pathElementIds } from '../../../shared/graph/build-egress-graph';
import { layoutEgressGraph } from '../../../shared/graph/layout';
import { displayLabel, toCytoscapeElements, truncateLabel } from '../../../renderer/graph/elements';
import { pathSteps } from '../../../renderer/graph/path-steps';
import { graphStylesheet, KIND_LOOK } from '../../../renderer/graph/style';
import { sourceChanges } from '../../../renderer/state/compare';
import { APP, DB, LEGACY, model, path, result } from '../fixtures';

describe('our graph → cytoscape elements', () => {
  it('places leaves at the layout centres, nests subnets in VNet compounds and tags kinds and verdicts', async () => {
    const graph = buildEgressGraph(model(), result(), { kind: 'full' });
    const layout = await layoutEgressGraph(graph);
    const elements = toCytoscapeElements(graph, layout, new Set([DB]));
    const cy = cytoscape({ headless: true, styleEnabled: true, elements, style: graphStylesheet('light'), layout: { name: 'preset' } });
    try {
      expect(cy.nodes().length).toBe(graph.nodes.length);
      expect(cy.edges().length).toBe(graph.edges.length);
      const app = cy.getElementById(APP);
      const box = layout.nodes.find((b) => b.id === APP);
      expect(box).toBeDefined();
      expect(app.position()).toEqual({ x: (box?.x ?? 0) + (box?.width ?? 0) / 2, y: (box?.y ?? 0) + (box?.height ?? 0) / 2 });
      // VNets are boxes behind their subnets (not cytoscape compounds), sized by the layout.
      const vnetId = graph.nodes.find((n) => n.id === APP)?.parent ?? '';
      expect(app.data('box')).toBe(vnetId);
      const vnet = cy.getElementById(vnetId);
      const vnetBox = layout.nodes.find((b) => b.id === vnetId);
      expect(vnet.hasClass('vnet-box')).toBe(true);
      expect(vnet.isParent()).toBe(false);
      expect(vnet.width()).toBe(vnetBox?.width);
      expect(Number(vnet.style('z-index'))).toBeLessThan(Number(app.style('z-index')));
      expect(app.hasClass('k-subnet')).toBe(true);
      expect(app.hasClass('v-internet')).toBe(true);
      expect(cy.getElementById(DB).hasClass('changed')).toBe(true);
      expect(cy.getElementById('internet').style('shape')).toBe(KIND_LOOK.internet.shape);
      // Every edge of the selected path exists as a cytoscape element.
      const lit = pathElementIds(graph, APP);
      for (const id of [...lit.nodeIds, ...lit.edgeIds]) expect(cy.getElementById(id).nonempty()).toBe(true);
      expect(lit.nodeIds).toContain('internet');
    } finally {
      cy.destroy();
    }
  });

  it('keeps hostile names as plain label text, truncated with an ellipsis', () => {
    const hostile = '<img src=x onerror=alert(1)> and a very long subnet name that goes on';
    const m = model();
    const hostileModel = { ...m, subnets: m.subnets.map((s) => (s.id === APP ? { ...s, name: hostile } : s)) };
    const graph = buildEgressGraph(hostileModel, { ...result(), paths: [path(APP, hostile, 'subnet', { exit: 'default-outbound' })] }, { kind: 'full' });
    const elements = toCytoscapeElements(graph, null);
    const label = String(elements.find((e) => e.data.id === APP)?.data['label']);
    expect(label.startsWith('<img src=x onerror=alert(1)')).toBe(true);
    expect(label.split('\n')[1]).toBe('10.1.1.0/24');
    expect(label.split('\n')[0]?.endsWith('…')).toBe(true);
    expect(truncateLabel('short')).toBe('short');
    expect(displayLabel({ ...graph.nodes[0]!, label: 'a', sublabel: '' })).toBe('a');
  });

  it('the tour lights the path up from the source, hop by hop', () => {
    const ends: Record<string, { source: string; target: string }> = {
      'edge:s|fw': { source: 's', target: 'fw' }, 'edge:fw|nat': { source: 'fw', target: 'nat' }, 'edge:nat|internet': { source: 'nat', target: 'internet' },
    };
    const steps = pathSteps({ nodeIds: ['s', 'fw', 'nat', 'internet', 'vnet'], edgeIds: Object.keys(ends).reverse() }, 's', (id) => ends[id] ?? null);
    expect(steps).toEqual([['s'], ['edge:s|fw', 'fw'], ['edge:fw|nat', 'nat'], ['edge:nat|internet', 'internet'], ['vnet']]);
  });
});

describe('comparison', () => {
  it('lists only sources whose outcome changed, as badge text was → now', () => {
    const before = result();
    const after = { ...before, paths: before.paths.map((p) => (p.source.id === LEGACY ? { ...p, exit: 'nat-gateway' as const, egressIps: ['20.2.2.2'], findings: [] } : p)) };
    expect(sourceChanges(before, after)).toEqual([
      {
        sourceId: LEGACY, name: 'snet-legacy', kind: 'changed', was: 'Default outbound', now: 'Internet via NAT (20.2.2.2)',
        difference: 'exit default-outbound \u2192 nat-gateway; egress IPs none \u2192 20.2.2.2; findings \u2212default-outbound',
      },
    ]);
    expect(sourceChanges(before, { ...before, paths: before.paths.filter((p) => p.source.id !== DB) })).toEqual([
      { sourceId: DB, name: 'snet-db', kind: 'absent', was: 'Dropped', now: null },
    ]);
  });
});
