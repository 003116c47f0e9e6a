/**
 * One flow per connection across files, NICs, file orders and the --since window
 * (shared/traffic/flow-logs.ts flowCount / connectionKey, analyze.ts add). From the review of
 * 80baada / fb71013 (each scenario failed before its fix).
 *
 * References:
 *  [REF]    /work/shared/reference/destinations.md §2.1 (VNet flow logs: one PT1H.json per hour and MAC)
 *  [VNETFL] MicrosoftDocs/azure-docs articles/network-watcher/vnet-flow-logs-overview.md
 *           (flow state C "continuing", emitted for long flows; E end)
 *  [TA]     MicrosoftDocs/azure-docs articles/network-watcher/traffic-analytics-schema.md
 *           (IsFlowCapturedAtUDRHop: a flow captured at the VM's NIC and again at the NVA's)
 */
import { describe, expect, it } from 'vitest';
import { analyzeTraffic, createLogReadSession, parseLogFile } from '../../../shared/traffic/index';
import { OPEN_CONNECTION_LIMIT } from '../../../shared/traffic/flow-logs';
import { inlineLog, natEstate, nsgBlob, observedTo, totalFlows, vnetBlob } from './support';

const B10 = '1714557590000,10.0.1.4,203.0.113.8,40001,443,6,O,B,NX,0,0,0,0';        // 09:59:50
const C11 = '1714561200000,10.0.1.4,203.0.113.8,40001,443,6,O,C,NX,1,100,1,100';    // 11:00:00
const E11 = '1714561260000,10.0.1.4,203.0.113.8,40001,443,6,O,E,NX,2,300,2,400';    // 11:01:00

describe('a connection begun before --since and ended inside it', () => {
  it('is one flow in the window, with its bytes (its B record is outside the window)', () => {
    // The session saw the B tuple, so the E tuple counts 0; the aggregator leaves the B record out
    // (it ended before --since). The E record carries the time of the connection's previous tuple
    // (continuesFrom): before --since, so the connection is counted by its first tuple inside.
    const { input } = natEstate();
    const session = createLogReadSession();
    const h10 = parseLogFile('h=10/PT1H.json', vnetBlob([B10]), session);
    const h11 = parseLogFile('h=11/PT1H.json', vnetBlob([E11]), session);
    const result = analyzeTraffic(input, [h10, h11], { since: '2024-05-01T11:00:00.000Z' });
    expect(observedTo(result, '203.0.113.8').map((o) => [o.flows, o.bytes])).toEqual([[1, 700]]);
  });

  it('counts it once when several of its tuples fall inside the window (C then E)', () => {
    const { input } = natEstate();
    const session = createLogReadSession();
    const h10 = parseLogFile('h=10/PT1H.json', vnetBlob([B10]), session);
    const h11 = parseLogFile('h=11/PT1H.json', vnetBlob([C11, E11]), session);
    expect(h11.records.map((r) => [r.flows, r.continuesFrom])).toEqual([[0, '2024-05-01T09:59:50.000Z'], [0, '2024-05-01T11:00:00.000Z']]);
    const result = analyzeTraffic(input, [h10, h11], { since: '2024-05-01T11:00:00.000Z' });
    expect(observedTo(result, '203.0.113.8').map((o) => [o.flows, o.bytes])).toEqual([[1, 900]]);
    // Without --since the B tuple counts it: still one.
    expect(totalFlows(analyzeTraffic(input, [h10, h11]), '203.0.113.8')).toBe(1);
  });
});

describe('file order does not change the count (the app gets every blob as PT1H.json)', () => {
  it('an E tuple read before its B tuple: one flow, and no gap left saying it may be counted twice', () => {
    const { input } = natEstate();
    const session = createLogReadSession();
    const h11 = parseLogFile('PT1H.json', vnetBlob([E11]), session);
    const h10 = parseLogFile('PT1H.json', vnetBlob([B10]), session);
    expect([h11.records.map((r) => r.flows), h10.records.map((r) => r.flows)]).toEqual([[1], [0]]);
    expect(observedTo(analyzeTraffic(input, [h11, h10]), '203.0.113.8').map((o) => [o.flows, o.bytes])).toEqual([[1, 700]]);
    expect(h11.gaps?.map((g) => g.message).join(' ')).not.toMatch(/counted twice/);
  });

  it('hours read newest first (E, C, B): one flow', () => {
    const { input } = natEstate();
    const session = createLogReadSession();
    const logs = [E11, C11, B10].map((t) => parseLogFile('PT1H.json', vnetBlob([t]), session));
    expect(totalFlows(analyzeTraffic(input, logs), '203.0.113.8')).toBe(1);
  });

  it('a B tuple after the orphan\'s time is another connection (the 5-tuple reused), counted', () => {
    const { input } = natEstate();
    const session = createLogReadSession();
    const first = parseLogFile('PT1H.json', vnetBlob([E11]), session);
    const reused = parseLogFile('PT1H.json', vnetBlob(['1714564800000,10.0.1.4,203.0.113.8,40001,443,6,O,B,NX,0,0,0,0']), session);
    expect(totalFlows(analyzeTraffic(input, [first, reused]), '203.0.113.8')).toBe(2);
  });
});

describe('the open set is least-recently-used and keyed by the capturing NIC', () => {
  it('a C tuple refreshes a live connection, so eviction at the limit drops the one unseen longest', () => {
    // [VNETFL]: C is emitted for long flows. At OPEN_CONNECTION_LIMIT the entry dropped is the one
    // unseen longest, not the live long-lived connection that just proved itself alive.
    const { input } = natEstate();
    const session = createLogReadSession();
    const live = '10.0.1.4,203.0.113.200,50000,443,6,O';
    const others = Array.from({ length: OPEN_CONNECTION_LIMIT - 1 }, (_, i) => `1714557601000,10.0.1.4,203.0.113.201,${10_000 + (i % 50_000)},${1 + Math.floor(i / 50_000)},6,O,B,NX,0,0,0,0`);
    const h10 = parseLogFile('h=10/PT1H.json', vnetBlob([`1714557600000,${live},B,NX,0,0,0,0`, ...others]), session);
    // Next hour: the live connection continues (C), one new connection begins (the set is full), then the live one ends.
    const h11 = parseLogFile('h=11/PT1H.json', vnetBlob([
      `1714561200000,${live},C,NX,1,100,1,100`,
      '1714561201000,10.0.1.4,203.0.113.202,60000,443,6,O,B,NX,0,0,0,0',
      `1714561202000,${live},E,NX,1,100,1,100`,
    ]), session);
    const result = analyzeTraffic(input, [inlineLog(h10.records.slice(0, 1)), h11]);
    expect(totalFlows(result, '203.0.113.200')).toBe(1);
  });

  it('a connection an NVA\'s NIC logs again (UDR hop) crossing an hour: each NIC\'s B and E pair, at most 2 and no orphan gap', () => {
    // [TA] IsFlowCapturedAtUDRHop; one PT1H.json per MAC ([REF] §2.1), read h10/VM, h10/NVA, h11/VM,
    // h11/NVA. Keyed without the NIC the NVA's B re-counted, the VM's E closed the NVA's entry and the
    // NVA's E was an orphan counted a third time. (The UDR-hop duplicate itself is a separate gap.)
    const { input } = natEstate();
    const session = createLogReadSession();
    const t = '10.0.1.4,203.0.113.210,40100,443,6,O';
    const logs = [
      parseLogFile('h=10/macAddress=000D3A000001/PT1H.json', vnetBlob([`1714557590000,${t},B,NX,0,0,0,0`], 'DefaultRule_AllowInternetOutBound', '000D3A000001'), session),
      parseLogFile('h=10/macAddress=000D3A0000FF/PT1H.json', vnetBlob([`1714557590100,${t},B,NX,0,0,0,0`], 'DefaultRule_AllowInternetOutBound', '000D3A0000FF'), session),
      parseLogFile('h=11/macAddress=000D3A000001/PT1H.json', vnetBlob([`1714561260000,${t},E,NX,2,300,2,400`], 'DefaultRule_AllowInternetOutBound', '000D3A000001'), session),
      parseLogFile('h=11/macAddress=000D3A0000FF/PT1H.json', vnetBlob([`1714561260100,${t},E,NX,2,300,2,400`], 'DefaultRule_AllowInternetOutBound', '000D3A0000FF'), session),
    ];
    const result = analyzeTraffic(input, logs);
    expect(totalFlows(result, '203.0.113.210')).toBe(2);
    expect(logs.flatMap((l) => l.gaps ?? []).filter((g) => /without a B \(begin\) tuple/.test(g.message))).toEqual([]);
  });

  it('NSG flow logs are keyed by flows[].mac the same way', () => {
    const session = createLogReadSession();
    const t = '10.0.1.4,203.0.113.211,40100,443,T,O,A';
    const read = (mac: string, tuple: string) => parseLogFile(`${mac}/PT1H.json`, nsgBlob([tuple], 'DefaultRule_AllowInternetOutBound', mac), session);
    const flows = [
      read('000D3A000001', `1714557590,${t},B,,,,`), read('000D3A0000FF', `1714557590,${t},B,,,,`),
      read('000D3A000001', `1714561260,${t},E,2,300,2,400`), read('000D3A0000FF', `1714561260,${t},E,2,300,2,400`),
    ].map((l) => l.records[0]?.flows);
    expect(flows).toEqual([1, 1, 0, 0]);
  });
});
