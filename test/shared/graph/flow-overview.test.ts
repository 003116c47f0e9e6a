/**
 * The flow overview's aggregation (shared/graph/flow-overview.ts) on the demo estates and a
 * synthetic tenant: every column accounts for every source, bands conserve their sources from
 * column to column, band membership matches band counts, and bypass marks exactly the sources
 * that reach the internet around a firewall their VNet has (the engine's firewall-bypass finding).
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm, type ArmDocument } from '../../../shared/arm/index';
import { DEMO_ESTATES, findDemo, generateSyntheticEstate } from '../../../shared/demo/index';
import { resolveEgress, type ResolveResult } from '../../../shared/egress/index';
import {
  aggregateFlow, bandMembers, describeBand, FLOW_GROUPINGS, flowFacts, INTERNET_NODE, MAX_EXIT_NODES, NO_INSPECTION, OTHER_EXITS, OTHER_GROUPS,
  type FlowFact, type FlowOverview,
} from '../../../shared/graph/flow-overview';
import type { NetworkModel } from '../../../shared/model/topology';

interface Resolved { readonly model: NetworkModel; readonly result: ResolveResult; readonly facts: FlowFact[] }

const cache = new Map<string, Resolved>();
function resolveDocuments(key: string, documents: readonly ArmDocument[]): Resolved {
  const hit = cache.get(key);
  if (hit) return hit;
  const normalized = normalizeArm(documents);
  const result = resolveEgress({ ...normalized, metrics: [] }, {});
  const resolved = { model: normalized.model, result, facts: flowFacts(normalized.model, result) };
  cache.set(key, resolved);
  return resolved;
}
function demo(name: string): Resolved {
  const d = findDemo(name);
  if (!d) throw new Error(`no demo ${name}`);
  return resolveDocuments(name, d.documents);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function expectConserved(overview: FlowOverview, result: ResolveResult): void {
  const column = (c: string) => overview.nodes.filter((n) => n.column === c);
  expect(overview.total).toBe(result.paths.length);
  for (const c of ['source', 'inspection', 'exit']) expect(sum(column(c).map((n) => n.count)), c).toBe(result.paths.length);
  const internet = result.paths.filter((p) => p.verdict === 'internet').length;
  expect(sum(column('sink').map((n) => n.count))).toBe(internet);
  for (const node of overview.nodes) {
    const out = sum(overview.bands.filter((b) => b.from === node.id).map((b) => b.count));
    const into = sum(overview.bands.filter((b) => b.to === node.id).map((b) => b.count));
    if (node.column !== 'source') expect(into, `into ${node.id}`).toBe(node.count);
    if (node.column === 'source' || node.column === 'inspection') expect(out, `out of ${node.id}`).toBe(node.count);
    const ends = ['e:private', 'e:on-premises', 'e:dropped', 'e:unknown'].includes(node.id);
    if (node.column === 'exit') expect(out, `out of ${node.id}`).toBe(ends ? 0 : node.count);
  }
  expect(overview.bypassCount).toBe(sum(overview.bands.filter((b) => b.bypass && b.to.startsWith('i:')).map((b) => b.count)));
}

describe('flow overview aggregation', () => {
  it.each(DEMO_ESTATES.map((d) => d.name))('%s: every grouping accounts for every source in every column', (name) => {
    const { result, facts } = demo(name);
    expect(facts).toHaveLength(result.paths.length);
    for (const { grouping } of FLOW_GROUPINGS) expectConserved(aggregateFlow(facts, grouping), result);
  });

  it.each(DEMO_ESTATES.map((d) => d.name))('%s: each band lists exactly its count of sources, and the bands of a column partition them', (name) => {
    const { facts } = demo(name);
    for (const { grouping } of FLOW_GROUPINGS) {
      const overview = aggregateFlow(facts, grouping);
      const firstColumn: string[] = [];
      for (const band of overview.bands) {
        const members = bandMembers(facts, overview, band.id);
        expect(members, describeBand(overview, band)).toHaveLength(band.count);
        if (band.from.startsWith('s:')) firstColumn.push(...members.map((m) => m.sourceId));
      }
      expect(new Set(firstColumn).size).toBe(facts.length);
    }
    expect(bandMembers(facts, aggregateFlow(facts, 'verdict'), 'no-such-band')).toEqual([]);
  });

  it('exit nodes name the resource that sends the traffic, and non-internet verdicts end before the internet', () => {
    const { result, facts } = demo('bank');
    for (const [i, fact] of facts.entries()) {
      const path = result.paths[i];
      expect(fact.sourceId).toBe(path?.source.id);
      expect(fact.toInternet).toBe(path?.verdict === 'internet');
      if (path?.exit === 'nat-gateway') expect(fact.exit.label).toMatch(/^NAT \S+/);
      if (path?.verdict === 'on-premises') expect(fact.exit.key).toBe('on-premises');
      if (path?.verdict === 'dropped' || path?.verdict === 'denied' || path?.verdict === 'no-outbound') expect(fact.exit.key).toBe('dropped');
      expect(fact.inspection.key === NO_INSPECTION).toBe(!path?.via.some((v) => v.kind === 'azure-firewall' || v.kind === 'nva'));
    }
    const overview = aggregateFlow(facts, 'virtual-network');
    const sinkInto = overview.bands.filter((b) => b.to === INTERNET_NODE);
    expect(sinkInto.every((b) => overview.nodes.find((n) => n.id === b.from)?.column === 'exit')).toBe(true);
  });

  it.each(['bank', 'manufacturer', 'training'])('%s: bypass marks the subnets the engine reports as going around the firewall, and only uninspected internet sources', (name) => {
    const { result, facts } = demo(name);
    const reported = new Set([...result.findings, ...result.paths.flatMap((p) => p.findings)]
      .filter((f) => f.code === 'firewall-bypass').flatMap((f) => f.resourceIds ?? []));
    const bypassSubnets = facts.filter((f) => f.bypass && f.type === 'subnet').map((f) => f.sourceId);
    const reportedSubnets = facts.filter((f) => f.type === 'subnet' && reported.has(f.sourceId)).map((f) => f.sourceId);
    expect(reportedSubnets.length).toBeGreaterThan(0);
    for (const id of reportedSubnets) expect(bypassSubnets, id).toContain(id);
    for (const f of facts.filter((x) => x.bypass)) {
      expect(f.inspection.key).toBe(NO_INSPECTION);
      expect(f.verdict).toBe('internet');
    }
    // Inspected sources and the appliances themselves never bypass.
    const appliances = new Set(result.paths.flatMap((p) => p.via.filter((v) => v.kind === 'nva').map((v) => v.id.toLowerCase())));
    for (const f of facts) if (appliances.has(f.sourceId.toLowerCase()) || f.inspection.key !== NO_INSPECTION) expect(f.bypass, f.name).toBe(false);
    const overview = aggregateFlow(facts, 'virtual-network');
    expect(overview.bands.some((b) => b.bypass)).toBe(true);
    expect(overview.bypassCount).toBe(facts.filter((f) => f.bypass).length);
  });

  it('health (no firewall bypass reported) has no bypass band', () => {
    const { facts } = demo('health');
    expect(aggregateFlow(facts, 'subscription').bands.filter((b) => b.bypass)).toEqual([]);
  });

  it('a synthetic tenant: groups past the limit merge into one "other" node that keeps their counts', () => {
    const estate = generateSyntheticEstate({ subscriptions: 3, virtualNetworks: 60, subnets: 240, networkInterfaces: 400, seed: 11 });
    const { result, facts } = resolveDocuments('synthetic-11', [{ fileName: 'synthetic.json', json: estate }]);
    const all = aggregateFlow(facts, 'virtual-network', 1000);
    const capped = aggregateFlow(facts, 'virtual-network', 8);
    expectConserved(capped, result);
    const sourceNodes = capped.nodes.filter((n) => n.column === 'source');
    expect(sourceNodes).toHaveLength(9);
    expect(sourceNodes.at(-1)?.id).toBe(OTHER_GROUPS);
    const allGroups = all.nodes.filter((n) => n.column === 'source');
    expect(allGroups.length).toBeGreaterThan(9);
    expect(sourceNodes.at(-1)?.count).toBe(sum(allGroups.filter((n) => !capped.shown.source.includes(n.id.slice(2))).map((n) => n.count)));
    expect(sourceNodes.at(-1)?.label).toBe(`${allGroups.length - 8} other groups`);
    const otherBand = capped.bands.find((b) => b.from === OTHER_GROUPS);
    expect(otherBand).toBeDefined();
    if (otherBand) expect(bandMembers(facts, capped, otherBand.id)).toHaveLength(otherBand.count);
    // Internet exits past the limit merge too (a NAT gateway per spoke), never the non-internet ends.
    const exits = capped.nodes.filter((n) => n.column === 'exit');
    expect(exits.length).toBeLessThanOrEqual(MAX_EXIT_NODES + 1 + 4);
    const otherExits = exits.find((n) => n.id === OTHER_EXITS);
    const internetExitKeys = new Set(facts.filter((f) => f.toInternet).map((f) => f.exit.key));
    expect(internetExitKeys.size).toBeGreaterThan(MAX_EXIT_NODES + 1);
    expect(otherExits?.count).toBe(facts.filter((f) => !capped.shown.exit.includes(f.exit.key)).length);
    expect(otherExits?.label).toBe(`${internetExitKeys.size - MAX_EXIT_NODES} other exits`);
    for (const end of ['private', 'dropped']) expect(exits.some((n) => n.id === `e:${end}`)).toBe(facts.some((f) => f.exit.key === end));
    // Same-named firewalls of different subscriptions are told apart by resource group and subscription.
    const inspection = capped.nodes.filter((n) => n.column === 'inspection').map((n) => `${n.label} ${n.detail ?? ''}`);
    expect(new Set(inspection).size).toBe(inspection.length);
    const inspected = facts.filter((f) => f.inspection.key !== NO_INSPECTION);
    expect(new Set(inspected.map((f) => f.inspection.label)).size).toBeLessThan(new Set(inspected.map((f) => f.inspection.key)).size);
    // Deterministic: the same facts in another order give the same overview.
    expect(aggregateFlow([...facts].reverse(), 'virtual-network', 8)).toEqual({ ...capped, bands: capped.bands });
  });
});
