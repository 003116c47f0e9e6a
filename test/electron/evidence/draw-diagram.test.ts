import { describe, expect, it } from 'vitest';
import { buildPathDiagram, type DiagramLayout } from '../../../electron/evidence/diagram-layout';
import { MIN_LABEL_PT, planDiagramPages } from '../../../electron/evidence/draw-diagram';
import type { EgressPath } from '../../../shared/egress/types';
import { emptyNetworkModel } from '../../../shared/model/topology';
import { fixtureModel, fixturePaths } from './fixture';
import { stepOf, terminalFor } from '../../support/steps';

function manyPaths(vnets: number, subnetsPerVnet: number): readonly EgressPath[] {
  const paths: EgressPath[] = [];
  for (let v = 0; v < vnets; v++) {
    for (let s = 0; s < subnetsPerVnet; s++) {
      const id = `/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/vnet-${v}/subnets/snet-${s}`;
      paths.push({
        source: { type: 'subnet', id, name: `snet-${v}-${s}` }, verdict: s % 3 === 0 ? 'no-outbound' : 'internet',
        exit: s % 3 === 0 ? null : 'default-outbound', via: [], egressIps: [], snatPorts: null,
        steps: [stepOf('default-outbound', id), terminalFor(s % 3 === 0 ? 'no-outbound' : 'internet', id)], findings: [],
      });
    }
  }
  return paths;
}

describe('diagram pages', () => {
  it('fits a small estate on one labelled overview page', () => {
    const layout = buildPathDiagram(fixturePaths(), fixtureModel());
    const plan = planDiagramPages(layout);
    expect(plan.pages).toHaveLength(1);
    expect(plan.pages[0]?.showLabels).toBe(true);
    expect(layout.nodes.filter((n) => n.role === 'group').map((n) => n.label)).toEqual(['vnet-spoke']);
  });

  it('splits a big estate into per-VNet pages instead of shrinking labels below the minimum', () => {
    const layout = buildPathDiagram(manyPaths(6, 40), emptyNetworkModel());
    const plan = planDiagramPages(layout);
    expect(plan.pages[0]?.title).toBe('Overview');
    expect(plan.pages[0]?.showLabels).toBe(false);
    const detail = plan.pages.slice(1);
    expect(detail.length).toBeGreaterThanOrEqual(6);
    for (const page of detail) expect(page.scale * layout.labelSize).toBeGreaterThanOrEqual(MIN_LABEL_PT - 1e-9);
    // 40 subnets do not fit one page at the minimum label size: each VNet is tiled.
    expect(detail.some((p) => p.title.includes('(part 2 of'))).toBe(true);
    expect(plan.omittedGroups).toEqual([]);
  });

  it('caps detail pages and names the VNets left out', () => {
    const layout: DiagramLayout = buildPathDiagram(manyPaths(30, 40), emptyNetworkModel());
    const plan = planDiagramPages(layout, 10);
    expect(plan.pages.length).toBeLessThanOrEqual(11);
    expect(plan.omittedGroups.length).toBeGreaterThan(0);
    expect(plan.omittedGroups[0]).toMatch(/^vnet-\d+$/);
  });
});
