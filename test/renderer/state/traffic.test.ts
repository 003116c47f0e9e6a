/**
 * renderer/state/traffic.ts on the bank demo with its sample logs: NIC traffic rolled up to the
 * subnet path it leaves by, edge widths on a log scale that follow the flows, the denied counts the
 * graph badges show, the details rows (disagreements, sort by bytes) and the money texts (a
 * missing figure is never $0.00).
 */
import { describe, expect, it } from 'vitest';
import { sampleLogsFor } from '../../../electron/services/sample-logs';
import { buildDemoSnapshot } from '../../../electron/snapshot';
import { findDemo } from '../../../shared/demo';
import { resolveEgress } from '../../../shared/egress';
import { buildEgressGraph, pathElementIds } from '../../../shared/graph/build-egress-graph';
import { analyzeTraffic, parseLogFile } from '../../../shared/traffic/index';
import {
  edgeWidths, MAX_OBSERVED_WIDTH, MIN_OBSERVED_WIDTH, observedRows, usdText, volumesBySource, widthForFlows,
} from '../../../renderer/state/traffic';

const snapshot = buildDemoSnapshot(findDemo('bank')!);
const result = resolveEgress(snapshot);
const traffic = analyzeTraffic(snapshot, sampleLogsFor('bank').map((f) => parseLogFile(f.name, f.text)));
const volumes = volumesBySource(result, traffic);
const idOf = (name: string): string => result.paths.find((p) => p.source.name === name)!.source.id;

describe('observed traffic in the renderer', () => {
  it('rolls NIC traffic up to the subnet path it leaves by, with denied flows and findings', () => {
    const api = volumes.get(idOf('snet-payments-api').toLowerCase());
    expect(api?.sources.map((s) => s.source.name).sort()).toEqual(['nic-vm-payapi-01', 'nic-vm-payapi-02']);
    expect(api?.flows).toBe(traffic.sources.filter((s) => s.subnet.name === 'snet-payments-api').reduce((n, s) => n + s.observed.reduce((m, o) => m + o.flows, 0), 0));
    expect(api?.deniedFlows).toBe(24);
    expect(api?.deniedFindings).toBe(1);
    expect(api?.bytes).toBeNull();
    const db = volumes.get(idOf('snet-settlement-db').toLowerCase());
    expect(db?.flows).toBe(2);
    expect(db?.deniedFindings).toBe(0);
    expect(volumes.get(idOf('snet-payments-reporting').toLowerCase())?.bytes).toBeGreaterThan(50_000_000);
    // Platform subnets carry no workload traffic here.
    expect(volumes.has(idOf('AzureFirewallSubnet').toLowerCase())).toBe(false);
  });

  it('draws widths on a log scale, capped, and sums flows on shared edges', () => {
    expect(widthForFlows(0)).toBe(0);
    expect(widthForFlows(1)).toBe(MIN_OBSERVED_WIDTH);
    expect(widthForFlows(10) - widthForFlows(1)).toBeCloseTo(widthForFlows(100) - widthForFlows(10));
    expect(widthForFlows(1e12)).toBe(MAX_OBSERVED_WIDTH);
    const graph = buildEgressGraph(snapshot.model, result, { kind: 'full' });
    const widths = edgeWidths(graph, volumes);
    const first = (name: string): string => pathElementIds(graph, idOf(name)).edgeIds.find((id) => graph.edges.find((e) => e.id === id)?.source === idOf(name))!;
    expect(widths.get(first('snet-payments-api'))).toBeCloseTo(widthForFlows(volumes.get(idOf('snet-payments-api').toLowerCase())!.flows));
    expect(widths.get(first('snet-payments-api'))!).toBeGreaterThan(widths.get(first('snet-settlement-db'))! + 3);
    // The firewall's way out carries every firewalled source's flows.
    const firewalled = ['snet-payments-api', 'snet-card-auth', 'snet-settlement-batch', 'snet-settlement-db'];
    const shared = pathElementIds(graph, idOf('snet-card-auth')).edgeIds.filter((id) => firewalled.every((n) => pathElementIds(graph, idOf(n)).edgeIds.includes(id)));
    expect(shared.length).toBeGreaterThan(0);
    const sum = firewalled.reduce((n, name) => n + volumes.get(idOf(name).toLowerCase())!.flows, 0);
    for (const id of shared) expect(widths.get(id)).toBeCloseTo(widthForFlows(sum));
  });

  it('lists a source\'s rows by flows or bytes and marks where the log and the model disagree', () => {
    const reporting = volumes.get(idOf('snet-payments-reporting').toLowerCase())!;
    const byFlows = observedRows(reporting, 'flows');
    expect(byFlows.map((r) => r.observed.flows)).toEqual([...byFlows.map((r) => r.observed.flows)].sort((a, b) => b - a));
    expect(byFlows.filter((r) => r.disagrees).map((r) => `${r.observed.destination}:${r.observed.port}`)).toEqual(['203.0.113.99:3389']);
    expect(observedRows(reporting, 'bytes')[0]?.observed.destination).toBe('52.239.10.20');
  });

  it('never writes a missing figure as $0.00', () => {
    expect(usdText(null)).toBe('missing');
    expect(usdText(0)).toBe('$0.00');
    expect(usdText(1234.5)).toBe('$1,234.50');
  });
});
