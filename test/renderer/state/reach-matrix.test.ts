import { describe, expect, it } from 'vitest';
import type { MatrixResult } from '../../../shared/egress/matrix';
import type { ReachEntry } from '../../../shared/egress/reach';
import { INITIAL_STATE, perform, type AppState } from '../../../renderer/state/app-state';
import { buildMatrixView, groupReachEntries, portsText, sourceToSelect } from '../../../renderer/state/reach-matrix';
import { APP, BUILD_NIC, DB, LEGACY, SUB_A, SUB_B, estate, model, result } from '../fixtures';

function matrix(): MatrixResult {
  const cell = (destination: string, verdict: 'internet' | 'denied', exit: 'nat-gateway' | 'default-outbound' | null) =>
    ({ destination, verdict, exit, via: [], egressIps: [] });
  return {
    schema: 'egress-atlas/matrix@1',
    destinations: [
      { destination: 'api.stripe.com', label: 'Stripe', interpretation: 'FQDN' },
      { destination: 'exfil.example.net', label: null, interpretation: 'FQDN' },
    ],
    // The engine sorts rows by ID; the view regroups them like the source list.
    rows: [
      { source: { type: 'subnet', id: LEGACY, name: 'snet-legacy', role: 'workload' }, results: [cell('api.stripe.com', 'internet', 'default-outbound'), cell('exfil.example.net', 'internet', 'default-outbound')] },
      { source: { type: 'nic', id: BUILD_NIC, name: 'nic-build-01', role: 'workload' }, results: [cell('api.stripe.com', 'internet', 'nat-gateway'), cell('exfil.example.net', 'denied', null)] },
      { source: { type: 'subnet', id: DB, name: 'snet-db', role: 'workload' }, results: [cell('api.stripe.com', 'denied', null), cell('exfil.example.net', 'denied', null)] },
      { source: { type: 'subnet', id: APP, name: 'snet-app', role: 'workload' }, results: [cell('api.stripe.com', 'internet', 'nat-gateway'), cell('exfil.example.net', 'denied', null)] },
    ],
    gaps: [],
  };
}

function entry(kind: ReachEntry['kind'], value: string, fields: Partial<ReachEntry> = {}): ReachEntry {
  return { kind, value, ports: ['443'], protocols: ['Https'], verdict: 'internet', exit: 'nat-gateway', via: [], egressIps: [], rule: 'p/c/r', ...fields };
}

describe('destinations matrix view', () => {
  it('groups rows by subscription and VNet, NICs under their subnet, with the list\'s badge labels', () => {
    const view = buildMatrixView(model(), matrix());
    expect(view.columns.map((c) => c.label ?? c.destination)).toEqual(['Stripe', 'exfil.example.net']);
    expect(view.groups.map((g) => g.subscriptionId)).toEqual([SUB_A, SUB_B]);
    const spoke = view.groups[0]?.vnets[0];
    expect(spoke?.name).toBe('vnet-spoke');
    expect(spoke?.rows.map((r) => [r.source.name, r.nested])).toEqual([['snet-app', false], ['nic-build-01', true], ['snet-db', false]]);
    expect(spoke?.rows[0]?.cells.map((c) => [c.badge.text, c.badge.tone])).toEqual([['Internet via NAT', 'good'], ['Denied', 'bad']]);
    expect(view.groups[1]?.vnets[0]?.rows[0]?.cells[0]?.badge.text).toBe('Default outbound');
    expect(view.rowCount).toBe(4);
  });

  it('selects a row\'s own path after the what-if, else its subnet\'s', () => {
    const paths = result().paths;
    expect(sourceToSelect(model(), paths, BUILD_NIC)).toBe(BUILD_NIC);
    expect(sourceToSelect(model(), paths.filter((p) => p.source.id !== BUILD_NIC), BUILD_NIC.toUpperCase())).toBe(APP);
    expect(sourceToSelect(model(), [], APP)).toBeNull();
  });
});

describe('Can reach view', () => {
  it('groups entries by kind, named destinations first and the catch-all last', () => {
    const groups = groupReachEntries([entry('any', '*'), entry('cidr', '185.40.56.0/24'), entry('fqdn', 'api.stripe.com'), entry('fqdn', 'time.windows.com')]);
    expect(groups.map((g) => [g.label, g.entries.length])).toEqual([['FQDN', 2], ['CIDR', 1], ['Any destination', 1]]);
  });

  it('writes ports after protocols', () => {
    expect(portsText(entry('fqdn', 'x', { protocols: ['Https'], ports: ['443'] }))).toBe('Https 443');
    expect(portsText(entry('fqdn', 'x', { protocols: ['Udp'], ports: ['123'] }))).toBe('UDP 123');
    expect(portsText(entry('cidr', 'x', { protocols: ['Tcp', 'Udp'], ports: ['*'] }))).toBe('TCP/UDP any port');
  });
});

describe('matrix state', () => {
  const opened = (): AppState => perform(INITIAL_STATE, { kind: 'estate-opened', estate: estate(), result: result() });

  it('shows the matrix when loaded, switches back to the graph, and a cell pick selects and resolves', () => {
    let state = perform(opened(), { kind: 'matrix-loaded', matrix: { fileName: 'l.txt', result: matrix() } });
    expect(state.centreView).toBe('matrix');
    state = perform(state, { kind: 'centre-view', view: 'graph' });
    expect(state.centreView).toBe('graph');
    state = perform(state, { kind: 'matrix-pick', destination: 'exfil.example.net', result: { ...result(), destination: 'exfil.example.net' }, sourceId: APP });
    expect(state).toMatchObject({ centreView: 'graph', destination: 'exfil.example.net', selectedSourceId: APP, busy: null });
    expect(state.matrix?.fileName).toBe('l.txt');
    state = perform(state, { kind: 'close-matrix' });
    expect(state.matrix).toBeNull();
    // No matrix: the centre stays on the graph.
    expect(perform(state, { kind: 'centre-view', view: 'matrix' }).centreView).toBe('graph');
  });
});
