/**
 * Traffic Analytics NTANetAnalytics summary rows (what `pull --logs` asks a workspace for) and the
 * gaps a `pull --logs` file records, read by the same parser as every other log file.
 */
import { describe, expect, it } from 'vitest';
import { analyzeTraffic, parseLogFile } from '../../shared/traffic/index';
import { demoInput } from '../shared/traffic/support';

const COLUMNS = ['Type', 'SrcIp', 'DestIp', 'DestPort', 'L4Protocol', 'FlowStatus', 'NsgRule', 'Flows', 'Bytes', 'FirstSeen', 'LastSeen'];

function rest(rows: readonly (readonly unknown[])[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ tables: [{ name: 'PrimaryResult', columns: COLUMNS.map((name) => ({ name, type: 'string' })), rows }], ...extra });
}

describe('NTANetAnalytics rows', () => {
  it('reads summarised rows as flow-log evidence: TCP/UDP, allowed / denied, flows, bytes, first / last seen', () => {
    const log = parseLogFile('nta.json', rest([
      ['NTANetAnalytics', '10.110.1.4', '52.239.148.4', 443, 'T', 'A', 'AllowInternetOutBound', 412, 9874120448, '2026-12-01T00:00:00Z', '2026-12-05T09:00:00Z'],
      ['NTANetAnalytics', '10.130.1.4', '20.42.65.92', 53, 'U', 'D', '', 3, 0, '2026-12-02T00:00:00Z', '2026-12-02T01:00:00Z'],
    ]));
    expect(log.shape).toBe('log-analytics-rest');
    expect(log.records).toEqual([
      {
        time: '2026-12-01T00:00:00.000Z', until: '2026-12-05T09:00:00.000Z', sourceIp: '10.110.1.4', destination: '52.239.148.4', destinationIp: '52.239.148.4',
        // The summary's Bytes is one total: the bytes sent are unknown (null), not guessed.
        port: 443, protocol: 'TCP', action: 'allow', flows: 412, bytes: 9874120448, bytesSent: null,
        rule: { policy: null, collectionGroup: null, collection: null, rule: 'AllowInternetOutBound' }, firewallId: null, log: 'traffic-analytics',
      },
      {
        time: '2026-12-02T00:00:00.000Z', until: '2026-12-02T01:00:00.000Z', sourceIp: '10.130.1.4', destination: '20.42.65.92', destinationIp: '20.42.65.92',
        port: 53, protocol: 'UDP', action: 'deny', flows: 3, bytes: 0, bytesSent: null, rule: null, firewallId: null, log: 'traffic-analytics',
      },
    ]);
  });

  it('reads the az CLI form (every value a string) the same way', () => {
    const az = JSON.stringify([{ TableName: 'PrimaryResult', Type: 'NTANetAnalytics', SrcIp: '10.110.1.4', DestIp: '52.239.148.4', DestPort: '443', L4Protocol: 'T', FlowStatus: 'A', NsgRule: 'AllowInternetOutBound', Flows: '412', Bytes: '9874120448', FirstSeen: '2026-12-01T00:00:00Z', LastSeen: '2026-12-05T09:00:00Z' }]);
    const fromRest = parseLogFile('nta.json', rest([['NTANetAnalytics', '10.110.1.4', '52.239.148.4', 443, 'T', 'A', 'AllowInternetOutBound', 412, 9874120448, '2026-12-01T00:00:00Z', '2026-12-05T09:00:00Z']]));
    expect(parseLogFile('nta-az.json', az).records).toEqual(fromRest.records);
  });

  it('names the row and column of a bad value', () => {
    expect(() => parseLogFile('nta.json', rest([['NTANetAnalytics', '10.110.1.4', '', 443, 'T', 'A', '', 1, 0, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z']])))
      .toThrow('nta.json: $.tables[0].rows[0].DestIp: expected an IP address');
    expect(() => parseLogFile('nta.json', rest([['NTANetAnalytics', '10.110.1.4', '52.239.148.4', 443, 'I', 'A', '', 1, 0, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z']])))
      .toThrow('nta.json: $.tables[0].rows[0].L4Protocol: expected an L4Protocol T (TCP) or U (UDP), found "I"');
    expect(() => parseLogFile('nta.json', rest([['NTANetAnalytics', '10.110.1.4', '52.239.148.4', 443, 'T', 'X', '', 1, 0, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z']])))
      .toThrow(/FlowStatus: expected a FlowStatus A \(allowed\) or D \(denied\)/);
  });
});

describe('gaps recorded by pull --logs', () => {
  const gap = { code: 'access-denied', scope: '4f1c2a9e-6b3d-4e8f-a215-7c9d0e1f2a3b/NTANetAnalytics', message: 'Log Analytics query of NTANetAnalytics failed: HTTP 403 InsufficientAccessError' };

  it('carries them into the analysis, naming the file, so no rows is never read as no traffic', () => {
    const log = parseLogFile('ws.logs.json', rest([], { egressAtlas: { schema: 'egress-atlas/logs-pull@1', gaps: [gap] } }));
    expect(log.records).toEqual([]);
    expect(log.gaps).toEqual([gap]);
    const result = analyzeTraffic(demoInput('bank'), [log]);
    expect(result.gaps).toContainEqual({ ...gap, message: `${gap.message} (recorded in ws.logs.json)` });
  });

  it('a file without the record has no gaps; a malformed record is an error naming it', () => {
    expect(parseLogFile('plain.json', rest([])).gaps).toBeUndefined();
    expect(() => parseLogFile('ws.logs.json', rest([], { egressAtlas: { gaps: [{ ...gap, code: 'oops' }] } })))
      .toThrow('ws.logs.json: $.egressAtlas.gaps[0]: expected a gap { code, scope, message }');
    expect(() => parseLogFile('ws.logs.json', rest([], { egressAtlas: { gaps: 'none' } }))).toThrow(/\$\.egressAtlas\.gaps: expected the pull record/);
  });
});
