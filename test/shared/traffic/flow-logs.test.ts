/**
 * Flow-log semantics (shared/traffic/flow-logs.ts): one flow per connection whichever of its tuples
 * were given, connections crossing hourly blobs counted once, NSG and VNet flow logs of one subnet,
 * and encryption statuses that drop the packet.
 *
 * References:
 *  [REF]   /work/shared/reference/destinations.md §2 (flow logs)
 *  [ARMFL] @azure/arm-network FlowLogInformation.recordTypes: "any comma separated combination of B,C,E or D"
 *  [NSGFL] MicrosoftDocs/azure-docs articles/network-watcher/nsg-flow-logs-overview.md, "Version 2" sample
 *  [VNETFL] MicrosoftDocs/azure-docs articles/network-watcher/vnet-flow-logs-overview.md
 */
import { describe, expect, it } from 'vitest';
import { analyzeTraffic, createLogReadSession, parseLogFile } from '../../../shared/traffic/index';
import { OPEN_CONNECTION_LIMIT } from '../../../shared/traffic/flow-logs';
import { natEstate, nsgBlob, observedTo, vnetBlob } from './support';

const WITHOUT_B = /without a B \(begin\) tuple/;

describe('one flow per connection, whichever of its tuples were given', () => {
  it('a connection seen only by its E tuple (recordTypes without B, or B in an hour not given) is one flow, with a gap saying so', () => {
    // [ARMFL] recordTypes filters B, C, E, D; with "E" (or the B tuple in the previous hour's blob)
    // a completed connection appears only as its E tuple ([REF] §2.1 sample "...,O,E,NX,3,767,2,1580").
    const { input } = natEstate();
    const parsed = parseLogFile('PT1H.json', vnetBlob(['1714557603606,10.0.1.4,192.0.2.180,23956,443,6,O,E,NX,3,767,2,1580']));
    const result = analyzeTraffic(input, [parsed]);
    expect(observedTo(result, '192.0.2.180').map((o) => [o.flows, o.bytes, o.bytesSent])).toEqual([[1, 2347, 767]]);
    expect(parsed.gaps).toEqual([expect.objectContaining({ code: 'not-modelled', scope: 'PT1H.json', count: 1, message: expect.stringMatching(WITHOUT_B) })]);
    expect(result.gaps.some((g) => WITHOUT_B.test(g.message))).toBe(true);
  });

  it('every outbound connection of the Learn version 2 sample is one flow', () => {
    // [NSGFL] verbatim tuples: 203.0.113.118 has a B tuple; 203.0.113.117 and 198.51.100.225 only an E
    // tuple, 203.0.113.115 only a C tuple (their B in an earlier blob).
    const { input } = natEstate();
    const parsed = parseLogFile('PT1H.json', nsgBlob([
      '1542110377,10.0.1.4,203.0.113.118,59831,443,T,O,A,B,,,,',
      '1542110379,10.0.1.4,203.0.113.117,59932,443,T,O,A,E,1,66,1,66',
      '1542110379,10.0.1.4,203.0.113.115,44931,443,T,O,A,C,30,16978,24,14008',
      '1542110406,10.0.1.4,198.51.100.225,59929,443,T,O,A,E,15,8489,12,7054',
    ]));
    const result = analyzeTraffic(input, [parsed]);
    expect(Object.fromEntries(result.sources.flatMap((s) => s.observed).map((o) => [o.destination, o.flows])))
      .toEqual({ '203.0.113.118': 1, '203.0.113.117': 1, '203.0.113.115': 1, '198.51.100.225': 1 });
    expect(parsed.gaps?.map((g) => g.count)).toEqual([3]);
  });

  it('B, C and E tuples of one connection are one flow with their bytes summed, and no gap', () => {
    const { input } = natEstate();
    const parsed = parseLogFile('PT1H.json', vnetBlob([
      '1714557600000,10.0.1.4,203.0.113.7,40000,443,6,O,B,NX,0,0,0,0',
      '1714557900000,10.0.1.4,203.0.113.7,40000,443,6,O,C,NX,5,500,5,700',
      '1714558000000,10.0.1.4,203.0.113.7,40000,443,6,O,E,NX,1,100,1,200',
      // The same 5-tuple begun again (a source port reused): a second connection.
      '1714558100000,10.0.1.4,203.0.113.7,40000,443,6,O,B,NX,0,0,0,0',
    ]));
    expect(observedTo(analyzeTraffic(input, [parsed]), '203.0.113.7').map((o) => [o.flows, o.bytes])).toEqual([[2, 1500]]);
    expect(parsed.gaps).toBeUndefined();
  });

  it('a connection whose B tuple is in one hour\'s blob and E tuple in the next is counted once when both are read in one session', () => {
    const { input } = natEstate();
    const session = createLogReadSession();
    const hour10 = parseLogFile('h=10/PT1H.json', vnetBlob(['1714557590000,10.0.1.4,203.0.113.8,40001,443,6,O,B,NX,0,0,0,0']), session);
    const hour11 = parseLogFile('h=11/PT1H.json', vnetBlob(['1714561260000,10.0.1.4,203.0.113.8,40001,443,6,O,E,NX,2,300,2,400']), session);
    const result = analyzeTraffic(input, [hour10, hour11]);
    expect(observedTo(result, '203.0.113.8').map((o) => [o.flows, o.bytes])).toEqual([[1, 700]]);
    expect([hour10.gaps, hour11.gaps]).toEqual([undefined, undefined]);
    // Read apart (no shared session), the E tuple is a connection of its own, and its gap says so (in a
    // shared session, a B tuple read after it is recognised: counting does not depend on file order).
    const apart = parseLogFile('h=11/PT1H.json', vnetBlob(['1714561260000,10.0.1.4,203.0.113.8,40001,443,6,O,E,NX,2,300,2,400']));
    expect(apart.gaps?.[0]?.message).toContain('each is counted as one flow; a B tuple of one of them in a file read later is recognised and counts 0');
  });

  it('keeps at most OPEN_CONNECTION_LIMIT open connections, and names the ones it stopped tracking', () => {
    // Bounded memory: connections that never end (recordTypes without E) would otherwise grow the
    // set with every connection of a multi-GB tree.
    const session = createLogReadSession();
    const begins = Array.from({ length: OPEN_CONNECTION_LIMIT + 2 }, (_, i) => `1714557600000,10.0.1.4,203.0.113.9,${10_000 + (i % 50_000)},${1 + Math.floor(i / 50_000)},6,O,B,NX,0,0,0,0`);
    const first = parseLogFile('h=10/PT1H.json', vnetBlob(begins), session);
    expect(session.connections.open.size).toBe(OPEN_CONNECTION_LIMIT);
    expect(first.gaps?.map((g) => [g.count, g.message.slice(0, 80)])).toEqual([[2, 'More than 100,000 connections were open at once while reading this file: 2 were ']]);
    // The first connection was dropped: its E tuple counts again, and that file's gap says so.
    const later = parseLogFile('h=11/PT1H.json', vnetBlob(['1714561260000,10.0.1.4,203.0.113.9,10000,1,6,O,E,NX,1,1,1,1']), session);
    expect(later.records.map((r) => r.flows)).toEqual([1]);
    expect(later.gaps?.map((g) => g.count)).toEqual([1]);
  });
});

describe('NSG and VNet flow logs of one subnet', () => {
  it('a source both recorded over overlapping times gets a gap naming each log\'s share (duplicate logging)', () => {
    // [VNETFL] IMPORTANT box: with NSG flow logs on a subnet's NSG and VNet flow logs on the subnet or
    // its VNet "you might get duplicate logging". Which connections are in both is not provable from
    // counters: both are added, and the gap says they may be counted twice, with each share.
    const { input, nicId } = natEstate();
    const nsg = parseLogFile('nsg/PT1H.json', nsgBlob(['1714557600,10.0.1.4,203.0.113.118,59831,443,T,O,A,B,,,,', '1714557660,10.0.1.4,203.0.113.118,59831,443,T,O,A,E,10,1000,20,3000']));
    const vnet = parseLogFile('vnet/PT1H.json', vnetBlob(['1714557600000,10.0.1.4,203.0.113.118,59831,443,6,O,B,NX,0,0,0,0', '1714557660000,10.0.1.4,203.0.113.118,59831,443,6,O,E,NX,10,1000,20,3000']));
    const result = analyzeTraffic(input, [nsg, vnet]);
    expect(observedTo(result, '203.0.113.118').reduce((n, o) => n + o.flows, 0)).toBe(2);
    const gap = result.gaps.find((g) => g.scope === nicId);
    expect(gap?.message).toBe('NIC nic-app-01 (snet-apps): NSG flow logs (1 flow(s), 4000 bytes, 2024-05-01T10:00:00.000Z to 2024-05-01T10:01:00.000Z) '
      + 'and VNet flow logs (1 flow(s), 4000 bytes, 2024-05-01T10:00:00.000Z to 2024-05-01T10:01:00.000Z) recorded its traffic over overlapping times; '
      + 'NSG and VNet flow logs both enabled on one subnet log the same flows (Learn warns of duplicate logging), and Traffic Analytics is computed from the flow-log blobs, '
      + 'so its flows and bytes (which add every log) may count the same connections twice: '
      + 'the true figures lie between the larger share and the sum. Give one kind of flow evidence per subnet for exact counts.');
  });

  it('no gap when the two logs cover different times (NSG flow logs retired, then VNet flow logs)', () => {
    const { input, nicId } = natEstate();
    const nsg = parseLogFile('nsg/PT1H.json', nsgBlob(['1714550400,10.0.1.4,203.0.113.118,59831,443,T,O,A,B,,,,']));
    const vnet = parseLogFile('vnet/PT1H.json', vnetBlob(['1714557600000,10.0.1.4,203.0.113.118,59832,443,6,O,B,NX,0,0,0,0']));
    expect(analyzeTraffic(input, [nsg, vnet]).gaps.filter((g) => g.scope === nicId)).toEqual([]);
  });
});

describe('VNet flow log encryption status', () => {
  it('a tuple whose encryption status says the packet was dropped is a deny, not an allow', () => {
    // [VNETFL] Flow encryption: NX_NOT_ACCEPTED "If traffic encryption fails, the packet is dropped";
    // NX_SW_NOT_READY "In all these scenarios, the packet is dropped"; NX_NOT_SUPPORTED "In this case,
    // the packet is dropped"; the flow state is not D.
    const records = parseLogFile('PT1H.json', vnetBlob([
      '1714557600000,10.0.1.4,10.0.2.5,40001,443,6,O,B,NX_NOT_ACCEPTED,0,0,0,0',
      '1714557600000,10.0.1.4,10.0.2.5,40002,443,6,O,B,NX_SW_NOT_READY,0,0,0,0',
      '1714557600000,10.0.1.4,10.0.2.5,40003,443,6,O,B,NX_NOT_SUPPORTED,0,0,0,0',
      '1714557600000,10.0.1.4,10.0.2.5,40004,443,6,O,B,NX_FALLBACK,0,0,0,0',
      '1714557600000,10.0.1.4,10.0.2.5,40005,443,6,O,B,NX_HW_NOT_SUPPORTED,0,0,0,0',
    ], 'unspecified')).records;
    expect(records.map((r) => r.action)).toEqual(['deny', 'deny', 'deny', 'allow', 'allow']);
  });
});
