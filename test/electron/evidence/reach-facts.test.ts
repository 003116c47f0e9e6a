import { describe, expect, it } from 'vitest';
import type { MatrixResult } from '../../../shared/egress/matrix';
import {
  additionalGaps, columnChunks, matrixCounts, matrixRowLabels, matrixRowsInScope, plural, portsLabel, privateTargetLabel,
} from '../../../electron/evidence/reach-facts';
import { fixtureModel, fixturePaths, IDS } from './fixture';

const cell = (verdict: 'internet' | 'denied') => ({ destination: 'x', verdict, exit: null, via: [], egressIps: [] });

describe('reach and matrix facts', () => {
  it('counts in the singular for one', () => {
    expect(plural(1, 'destination')).toBe('1 destination');
    expect(plural(0, 'destination')).toBe('0 destinations');
    expect(plural(1200, 'entry', 'entries')).toBe('1,200 entries');
  });

  it('writes ports and protocols in words', () => {
    expect(portsLabel({ ports: ['443'], protocols: ['Https'] })).toBe('Https 443');
    expect(portsLabel({ ports: ['*'], protocols: ['Any'] })).toBe('any protocol any port');
    expect(portsLabel({ ports: ['80', '443'], protocols: ['Http', 'Https'] })).toBe('Http/Https 80, 443');
  });

  it('splits columns into tables of at most n', () => {
    expect(columnChunks(3, 8)).toEqual([[0, 3]]);
    expect(columnChunks(17, 8)).toEqual([[0, 8], [8, 16], [16, 17]]);
    expect(columnChunks(0, 8)).toEqual([]);
  });

  it('orders matrix rows like the path sections and labels NICs and ambiguous names', () => {
    const paths = fixturePaths();
    const model = fixtureModel();
    const source = (type: 'subnet' | 'nic', id: string, name: string) => ({ type, id, name });
    const matrix: MatrixResult = {
      schema: 'egress-atlas/matrix@1', destinations: [{ destination: 'x', label: null, interpretation: '' }], gaps: [],
      // ID order, as resolveMatrix gives it.
      rows: [
        { source: source('nic', IDS.nic, 'nic-jump'), results: [cell('internet')] },
        { source: source('subnet', IDS.web, 'snet-web'), results: [cell('denied')] },
        { source: source('subnet', IDS.app, 'snet-app'), results: [cell('internet')] },
      ],
    };
    const rows = matrixRowsInScope(matrix, paths, model, () => true);
    expect(rows.map((r) => r.source.name)).toEqual(['snet-app', 'snet-web', 'nic-jump']);
    expect(matrixRowLabels(rows, model)).toEqual(['snet-app', 'snet-web', 'nic-jump (NIC)']);
    expect(matrixCounts(rows)).toEqual([['internet', 2], ['denied', 1]]);
    const twins = [{ source: source('subnet', IDS.app, 'GatewaySubnet'), results: [] }, { source: source('subnet', IDS.web, 'gatewaysubnet'), results: [] }];
    expect(matrixRowLabels(twins, model)).toEqual(['GatewaySubnet · vnet-spoke', 'gatewaysubnet · vnet-spoke']);
    expect(matrixRowsInScope(matrix, paths, model, (s) => s.type === 'subnet').map((r) => r.source.name)).toEqual(['snet-app', 'snet-web']);
  });

  it('names a private endpoint target by name and type', () => {
    expect(privateTargetLabel(IDS.privateEndpoint)).toBe('pe-kv-contoso (privateendpoints)');
    expect(privateTargetLabel('westeurope')).toBe('westeurope');
  });

  it('keeps only gaps the main list does not already state, once each', () => {
    const known = [{ code: 'access-denied' as const, scope: '/subscriptions/A', message: 'm' }];
    const again = { code: 'access-denied' as const, scope: '/subscriptions/a', message: 'm' };
    const other = { code: 'not-modelled' as const, scope: '/x', message: 'n' };
    expect(additionalGaps(known, [again, other], [other])).toEqual([other]);
  });
});
