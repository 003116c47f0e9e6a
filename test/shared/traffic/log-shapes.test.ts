/**
 * Log files read as what they say, or refused: Traffic Analytics rows by direction and counters
 * (destinations.md §2.3), partial Log Analytics results (§1.5), flow tuples by their field count
 * (§2.1 v4, §2.2 v1 / v2). Bad input is an InputError naming the file, where and what was expected.
 */
import { describe, expect, it } from 'vitest';
import { parseLogFile } from '../../../shared/traffic/index';
import { inputError } from '../../support/errors';


describe('Traffic Analytics rows: direction and counters (§2.3)', () => {
  // NTANetAnalytics has FlowDirection (I/O) and counters AllowedOutFlows, DeniedOutFlows, ...; "One
  // row per aggregated flow". An inbound row's SrcIp is the remote side, as for flow-log tuples.
  const raw = (o: Readonly<Record<string, unknown>>): string => JSON.stringify([{
    TimeGenerated: '2024-05-01T12:00:00Z', Type: 'NTANetAnalytics', SubType: 'FlowLog', FlowDirection: 'O', SrcIp: '10.110.0.4', DestIp: '10.130.1.4', DestPort: 1433,
    L4Protocol: 'T', FlowStatus: 'D', NsgRule: 'DenyOut', AllowedInFlows: 0, DeniedInFlows: 0, AllowedOutFlows: 0, DeniedOutFlows: 40, ...o,
  }]);

  it('skips an inbound (FlowDirection I) row, counted', () => {
    const log = parseLogFile('nta.json', raw({ FlowDirection: 'I', SrcIp: '10.120.0.5', DestIp: '10.110.0.4', DestPort: 443, NsgRule: 'DenyAllInBound', DeniedInFlows: 30, DeniedOutFlows: 0 }));
    expect(log.records).toEqual([]);
    expect(log.skipped).toEqual([{ reason: 'inbound Traffic Analytics rows (FlowDirection I; egress reads outbound flows only)', count: 1 }]);
  });

  it('counts a row standing for 40 denied outbound flows as 40, and sums the byte counters', () => {
    const log = parseLogFile('nta.json', raw({ BytesSrcToDest: 1200, BytesDestToSrc: 300 }));
    expect(log.records.map((r) => [r.sourceIp, r.action, r.flows, r.bytes])).toEqual([['10.110.0.4', 'deny', 40, 1500]]);
    // BytesSrcToDest is the bytes sent (§2.3): internet data transfer out bills only those (§8.1).
    expect(log.records.map((r) => r.bytesSent)).toEqual([1200]);
  });

  it('counts allowed outbound flows from AllowedOutFlows', () => {
    const log = parseLogFile('nta.json', raw({ FlowStatus: 'A', NsgRule: 'AllowOut', AllowedOutFlows: 7, DeniedOutFlows: 0 }));
    expect(log.records.map((r) => [r.action, r.flows, r.bytes])).toEqual([['allow', 7, null]]);
  });

  it('refuses a FlowDirection other than I or O, and a row with neither FlowDirection nor the pull summary\'s Flows', () => {
    expect(inputError(() => parseLogFile('nta.json', raw({ FlowDirection: 'X' }))).message).toMatch(/nta\.json.*FlowDirection.*I \(inbound\) or O \(outbound\)/s);
    const rows = JSON.parse(raw({})) as Record<string, unknown>[];
    const noDirection = rows.map(({ FlowDirection: _d, ...rest }) => rest);
    expect(inputError(() => parseLogFile('nta.json', JSON.stringify(noDirection))).message).toMatch(/nta\.json.*FlowDirection/s);
  });
});

describe('partial Log Analytics results are not read as complete (§1.5)', () => {
  // SDK: "discriminated by status: Success | PartialFailure | Failure"; "LogsQueryPartialResult =
  // { status, partialTables, partialError }". REST: "{ tables: [...], error?: {...} }".
  const table = { name: 'PrimaryResult', columnDescriptors: [{ name: 'SourceIp', type: 'string' }, { name: 'DestinationIp', type: 'string' }, { name: 'DestinationPort', type: 'int' }, { name: 'Protocol', type: 'string' }, { name: 'Action', type: 'string' }], rows: [['10.110.0.4', '20.1.2.3', 443, 'TCP', 'Allow']] };

  it('SDK PartialFailure: the rows are kept and a gap names the partial error', () => {
    const log = parseLogFile('sdk.json', JSON.stringify({ status: 'PartialFailure', partialTables: [table], partialError: { code: 'PartialError', message: 'Query result exceeded the row limit; results truncated' } }));
    expect(log.records).toHaveLength(1);
    expect(log.gaps).toEqual([{
      code: 'request-failed', scope: 'sdk.json', count: 1,
      message: 'Log Analytics returned a partial result (PartialError: Query result exceeded the row limit; results truncated): 1 record(s) read, the rest of the query\'s rows are missing.',
    }]);
  });

  it('REST { tables, error }: a gap names the error', () => {
    const log = parseLogFile('rest.json', JSON.stringify({ tables: [{ name: 'PrimaryResult', columns: table.columnDescriptors, rows: table.rows }], error: { code: 'PartialError', message: 'There were some errors when processing your query.' } }));
    expect(log.records).toHaveLength(1);
    expect(log.gaps?.map((g) => [g.code, g.message])).toEqual([['request-failed', expect.stringContaining('PartialError: There were some errors when processing your query.')]]);
  });

  it('a complete result carries no gap', () => {
    expect(parseLogFile('ok.json', JSON.stringify({ status: 'Success', tables: [table] })).gaps).toBeUndefined();
    expect(parseLogFile('ok.json', JSON.stringify({ tables: [table], error: null })).gaps).toBeUndefined();
  });
});

describe('flow tuples by field count', () => {
  const vnet = (tuple: string): string => JSON.stringify({ records: [{ time: '2022-09-14T09:00:52Z', flowLogVersion: 4, category: 'FlowLogFlowEvent', macAddress: '112233445566', flowRecords: { flows: [{ aclID: 'x', flowGroups: [{
    rule: 'DefaultRule_AllowInternetOutBound', flowTuples: [tuple] }] }] } }] });

  // §2.1: "ts,srcIp,dstIp,srcPort,dstPort,protocol,direction,flowState,encryption,pktsSent,bytesSent,
  // pktsRecv,bytesRecv" (13 fields; encryption X / NX / NX_*). Without the encryption field every
  // counter shifts by one: refused, not misread.
  it('a 12-field v4 tuple (no encryption field) is an InputError naming the file, the JSON path and 13 fields', () => {
    const error = inputError(() => parseLogFile('PT1H.json', vnet('1663146003606,10.110.0.4,192.0.2.180,23956,443,6,O,E,3,767,2,1580')));
    expect(error.message).toContain('PT1H.json');
    expect(error.message).toContain('$.records[0].flowRecords.flows[0].flowGroups[0].flowTuples[0]');
    expect(error.message).toContain('13 fields');
  });

  it('a 13-field v4 tuple with a number for encryption is refused too', () => {
    expect(inputError(() => parseLogFile('PT1H.json', vnet('1663146003606,10.110.0.4,192.0.2.180,23956,443,6,O,E,3,767,2,1580,9'))).message).toContain('encryption status');
  });

  it('reads the 13-field tuples of the Learn sample, with NX_<reason> encryption', () => {
    const log = parseLogFile('PT1H.json', vnet('1663146003606,10.110.0.4,192.0.2.180,23956,443,6,O,E,NX_NOT_SUPPORTED,3,767,2,1580'));
    expect(log.records.map((r) => [r.destination, r.port, r.bytes])).toEqual([['192.0.2.180', 443, 767 + 1580]]);
  });

  // §2.2: v1 tuples have 8 fields, v2 13; anything else is refused.
  it('NSG flow tuples keep their own counts: 8 (v1) and 13 (v2) are read, 12 is refused', () => {
    const nsg = (tuple: string): string => JSON.stringify({ records: [{ time: '2024-05-02T09:00:37Z', category: 'NetworkSecurityGroupFlowEvent', macAddress: '000D3A7A2B03',
      properties: { Version: 2, flows: [{ rule: 'DefaultRule_AllowInternetOutBound', flows: [{ mac: '000D3A7A2B03', flowTuples: [tuple] }] }] } }] });
    expect(parseLogFile('PT1H.json', nsg('1714640480,10.130.0.4,185.40.56.11,44932,22,T,O,A')).records).toHaveLength(1);
    expect(parseLogFile('PT1H.json', nsg('1714640470,10.130.0.4,185.40.56.10,44931,22,T,O,A,E,41,5200,38,1048576')).records.map((r) => r.bytes)).toEqual([5200 + 1048576]);
    expect(inputError(() => parseLogFile('PT1H.json', nsg('1714640470,10.130.0.4,185.40.56.10,44931,22,T,O,A,E,41,5200,38'))).message).toContain('8 (version 1) or 13 (version 2) fields');
  });
});
