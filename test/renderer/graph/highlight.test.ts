/**
 * Selecting a source lights its path (`path`: a halo round each hop) and dims the rest. A NAT
 * gateway attached to the source but overridden by its route is drawn with the path (its dashed
 * edge) but is never one of its hops, also when another source's path does use it. Training:
 * ng-training is snet-03-nat-gateway's exit and is bypassed by snet-13-nat-bypassed-by-udr, whose
 * route sends traffic to afw-training and out through ng-training-firewall.
 */
import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import { findDemo } from '../../../shared/demo/index';
import { resolveEgress } from '../../../shared/egress/index';
import { buildDefaultGraph, bypassedNodeIds, pathElementIds } from '../../../shared/graph/build-egress-graph';
import type { EgressGraph } from '../../../shared/graph/types';
import { toCytoscapeElements } from '../../../renderer/graph/elements';
import { highlightPath, PATH_BYPASSED } from '../../../renderer/graph/highlight';
import { graphStylesheet } from '../../../renderer/graph/style';

function demo(name: string) {
  const d = findDemo(name);
  if (!d) throw new Error(`no ${name} demo`);
  const normalized = normalizeArm(d.documents);
  const result = resolveEgress({ ...normalized, metrics: [] }, {});
  return { result, graph: buildDefaultGraph(normalized.model, result).graph };
}

function sourceId(result: ReturnType<typeof demo>['result'], name: string): string {
  const id = result.paths.find((p) => p.source.name === name)?.source.id;
  if (id === undefined) throw new Error(`no source ${name}`);
  return id;
}

/** How `nodeId` looks after selecting each of `sourceIds` in turn (as GraphCanvas.highlight does). */
function afterSelecting(graph: EgressGraph, sourceIds: readonly string[], nodeId: string) {
  const cy = cytoscape({ headless: true, styleEnabled: true, elements: toCytoscapeElements(graph, null), style: graphStylesheet('light') });
  try {
    for (const id of sourceIds) highlightPath(cy, pathElementIds(graph, id));
    const node = cy.getElementById(nodeId);
    return { halo: Number(node.style('underlay-opacity')), dimmed: node.hasClass('dim'), lit: node.hasClass('path'), bypassed: node.hasClass(PATH_BYPASSED) };
  } finally {
    cy.destroy();
  }
}

describe('highlighting a selected path', () => {
  const training = demo('training');
  const snet13 = sourceId(training.result, 'snet-13-nat-bypassed-by-udr');
  const snet03 = sourceId(training.result, 'snet-03-nat-gateway');
  const edge = training.graph.edges.find((e) => e.bypassed === true && e.source === snet13);
  const nat = edge?.target ?? '';

  it('the path index names the NAT gateway a source only bypasses, per source', () => {
    expect(training.graph.nodes.find((n) => n.id === nat)?.label).toBe('ng-training');
    // snet-03 uses it, so it is not drawn dashed for the whole graph...
    expect(bypassedNodeIds(training.graph).has(nat)).toBe(false);
    // ...but snet-13's path reaches it only by its bypassed edge; snet-03's reaches it as a hop.
    const bypassing = pathElementIds(training.graph, snet13);
    expect(bypassing.nodeIds).toContain(nat);
    expect(bypassing.edgeIds).toContain(edge?.id);
    expect(bypassing.bypassedNodeIds).toEqual([nat]);
    expect(pathElementIds(training.graph, snet03).nodeIds).toContain(nat);
    expect(pathElementIds(training.graph, snet03).bypassedNodeIds).toBeUndefined();
  });

  it('does not light a NAT gateway as a hop of the source that bypasses it, though another source uses it (training snet-13 → ng-training)', () => {
    // Kept on screen with the path (not dimmed), without the hop halo.
    expect(afterSelecting(training.graph, [snet13], nat)).toEqual({ halo: 0, dimmed: false, lit: true, bypassed: true });
    // A hop of snet-03's path: lit with the halo, also right after snet-13 was selected.
    expect(afterSelecting(training.graph, [snet03], nat)).toMatchObject({ halo: 0.25, dimmed: false, bypassed: false });
    expect(afterSelecting(training.graph, [snet13, snet03], nat)).toMatchObject({ halo: 0.25, dimmed: false, bypassed: false });
    // Clearing the selection clears the mark.
    const cy = cytoscape({ headless: true, styleEnabled: true, elements: toCytoscapeElements(training.graph, null), style: graphStylesheet('light') });
    try {
      highlightPath(cy, pathElementIds(training.graph, snet13));
      highlightPath(cy, null);
      expect(cy.elements(`.${PATH_BYPASSED}, .path, .dim`).length).toBe(0);
    } finally {
      cy.destroy();
    }
  });

  it('does not light a NAT gateway only bypassed edges reach (bank snet-card-auth → ng-card-auth-weu)', () => {
    const bank = demo('bank');
    const cardAuth = sourceId(bank.result, 'snet-card-auth');
    const bankNat = bank.graph.edges.find((e) => e.bypassed === true)?.target ?? '';
    expect(bypassedNodeIds(bank.graph).has(bankNat)).toBe(true);
    expect(afterSelecting(bank.graph, [cardAuth], bankNat)).toMatchObject({ halo: 0, dimmed: false, lit: true });
  });
});
