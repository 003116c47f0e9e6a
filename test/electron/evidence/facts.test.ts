import { describe, expect, it } from 'vitest';
import {
  citedResourceIds, findOwningResource, indexResources, mergeGaps, metricsForPath, ownerTagsForHop, ownerTagsOf, routesInScope,
  selectPaths, summarize,
} from '../../../electron/evidence/facts';
import { fixtureResult, fixtureSnapshot, IDS } from './fixture';

describe('evidence facts', () => {
  const snapshot = fixtureSnapshot();
  const result = fixtureResult();

  it('counts every verdict and severity, zeros included', () => {
    const s = summarize(result.paths, result);
    expect(s.pathCount).toBe(5);
    expect(s.verdictCounts.get('internet')).toBe(4);
    expect(s.verdictCounts.get('no-outbound')).toBe(1);
    expect(s.verdictCounts.get('denied')).toBe(0);
    // 3 path findings + 1 estate finding
    expect(s.severityCounts.get('error')).toBe(1);
    expect(s.severityCounts.get('warning')).toBe(2);
    expect(s.severityCounts.get('info')).toBe(1);
  });

  it('does not list platform subnets (firewall, gateway) as uninspected workloads', () => {
    const firewallSubnet = { ...result.paths[0]!, source: { ...result.paths[0]!.source, name: 'AzureFirewallSubnet', role: 'azure-firewall' as const }, verdict: 'internet' as const, via: [] };
    const s = summarize([firewallSubnet, ...result.paths], result);
    expect(s.uninspected.map((l) => l.name)).toEqual(['snet-web', 'subnet-zürich-東京', 'nic-jump']);
    expect(s.pathCount).toBe(6);
  });

  it('lists uninspected, default-outbound and no-way-out sources from the resolver output', () => {
    const s = summarize(result.paths, result);
    expect(s.uninspected.map((l) => l.name)).toEqual(['snet-web', 'subnet-zürich-東京', 'nic-jump']);
    expect(s.defaultOutbound.map((l) => l.name)).toEqual(['subnet-zürich-東京']);
    expect(s.noOutbound.map((l) => l.name)).toEqual(['snet-isolated']);
  });

  it('selects sources case-insensitively and keeps NIC exceptions inside a selected subnet', () => {
    const paths = selectPaths(result, snapshot.model, { sourceIds: [IDS.app.toUpperCase()] });
    expect(paths.map((p) => p.source.name)).toEqual(['snet-app', 'nic-jump']);
    expect(selectPaths(result, snapshot.model, null)).toHaveLength(5);
    expect(selectPaths(result, snapshot.model, { sourceIds: [IDS.web] }).map((p) => p.source.name)).toEqual(['snet-web']);
  });

  it('finds owner and cost-centre tags whatever their spelling, walking up from a child resource', () => {
    const index = indexResources(snapshot.model);
    const route = findOwningResource(index, IDS.route.toUpperCase());
    expect(route?.name).toBe('rt-spoke');
    expect(ownerTagsOf(route)).toEqual({ owner: 'netops@contoso.example', costCentre: 'CC-1001' });
    expect(ownerTagsOf(findOwningResource(index, IDS.firewall))).toEqual({ owner: 'security', costCentre: 'CC-2002' });
    expect(ownerTagsOf(findOwningResource(index, IDS.zurich))).toEqual({ owner: 'Zoë Müller', costCentre: 'CC-4711' });
    expect(findOwningResource(index, 'internet')).toBeNull();
    expect(ownerTagsOf(null)).toEqual({ owner: null, costCentre: null });
  });

  it('merges snapshot and resolver gaps without repeating one', () => {
    const withRepeat = { ...result, gaps: [...result.gaps, ...snapshot.gaps] };
    const gaps = mergeGaps(snapshot, withRepeat);
    expect(gaps.map((g) => g.code)).toEqual(['effective-routes-unavailable', 'access-denied']);
  });

  it('attaches captured SNAT metrics to the path whose exit they measure', () => {
    const web = result.paths.find((p) => p.source.name === 'snet-web');
    const app = result.paths.find((p) => p.source.name === 'snet-app');
    expect(web && metricsForPath(web, snapshot.metrics).map((m) => m.metricName)).toEqual(['SNATConnectionCount']);
    expect(app && metricsForPath(app, snapshot.metrics)).toEqual([]);
  });

  it('cites real resource IDs only, sorted and lower-cased', () => {
    const ids = citedResourceIds(result.paths, result);
    expect(ids).toContain(IDS.route);
    expect(ids).toContain(IDS.natGateway);
    expect(ids).not.toContain('internet');
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps only the effective routes of NICs in the selection', () => {
    const all = selectPaths(result, snapshot.model, null);
    expect(routesInScope(snapshot, all, null)).toHaveLength(1);
    const web = selectPaths(result, snapshot.model, { sourceIds: [IDS.web] });
    expect(routesInScope(snapshot, web, { sourceIds: [IDS.web] })).toHaveLength(0);
    const app = selectPaths(result, snapshot.model, { sourceIds: [IDS.app] });
    expect(routesInScope(snapshot, app, { sourceIds: [IDS.app] })).toHaveLength(1);
  });

  it('gives a subnet hop its VNet owner tags (ARM subnets carry none) and says where they come from', () => {
    const model = snapshot.model;
    const taggedSpoke = { ...model, virtualNetworks: model.virtualNetworks.map((v) => (v.id === IDS.spoke ? { ...v, tags: { owner: 'spoke-team', costCenter: 'CC-7' } } : v)) };
    const index = indexResources(taggedSpoke);
    expect(ownerTagsForHop(index, IDS.web)).toEqual({ owner: 'spoke-team', costCentre: 'CC-7', inheritedFrom: 'vnet-spoke' });
    // A subnet with its own tags keeps them.
    expect(ownerTagsForHop(index, IDS.zurich)).toEqual({ owner: 'Zoë Müller', costCentre: 'CC-4711', inheritedFrom: null });
    // Nothing tagged up the chain: no owner, no invented parent.
    expect(ownerTagsForHop(indexResources(model), IDS.web)).toEqual({ owner: null, costCentre: null, inheritedFrom: null });
  });
});
