/**
 * VNet flow logs (version 4) and NSG flow logs (version 1 / 2) → TrafficRecords
 * [destinations.md §2.1, §2.2]. Only outbound tuples become records: egress is the question, and
 * an inbound tuple's source is the remote side; they are counted in `skipped`, not lost silently.
 */
import { parseIp } from '../model/ip';
import type { TrafficAction, TrafficRecord } from './types';
import { fail } from './values';
import type { CellAt } from './values';

export interface FlowLogRead {
  readonly records: TrafficRecord[];
  inbound: number;
}

/** IANA protocol numbers in v4 tuples [§2.1]. */
function ianaProtocol(value: string): string {
  switch (value) {
    case '6': return 'TCP';
    case '17': return 'UDP';
    case '1': return 'ICMP';
    default: return `IP-${value}`;
  }
}

function counter(value: string | undefined, at: CellAt, tuple: string): number {
  if (value === undefined || value === '') return 0;
  if (!/^\d+$/.test(value)) fail(at, '', 'a flow tuple whose packet and byte counters are whole numbers', tuple);
  return Number(value);
}

function port(value: string, protocol: string, at: CellAt, tuple: string): number | null {
  if (!/^\d+$/.test(value)) fail(at, '', 'a flow tuple with a numeric destination port', tuple);
  const n = Number(value);
  return protocol === 'ICMP' || protocol.startsWith('IP-') ? null : n;
}

/**
 * Flows: one per `B` (begin) or `D` (denied) tuple; `C` (continuing) and `E` (end) tuples carry
 * the byte counters of a flow already counted. Version 1 has no state: every tuple is a flow.
 * Bytes: sent plus received (both directions cross the NAT gateway or firewall that bills them).
 */
function flowCount(state: string | undefined): number {
  return state === undefined || state === 'B' || state === 'D' ? 1 : 0;
}

/**
 * `ts,srcIp,dstIp,srcPort,dstPort,protocol,direction,flowState,encryption,pktsSent,bytesSent,pktsRecv,bytesRecv`,
 * ts in epoch milliseconds, protocol an IANA number [§2.1].
 */
export function readVnetTuple(tuple: string, at: CellAt, rule: string | null, out: FlowLogRead): void {
  const f = tuple.split(',');
  if (f.length < 8) fail(at, '', 'a version 4 flow tuple "ts,srcIp,dstIp,srcPort,dstPort,protocol,direction,flowState,encryption,packets,bytes,packets,bytes"', tuple);
  const [ts = '', src = '', dst = '', , dport = '', proto = '', direction = '', state = ''] = f;
  if (!/^\d+$/.test(ts) || !parseIp(src) || !parseIp(dst)) fail(at, '', 'a version 4 flow tuple starting "epoch-ms,source IP,destination IP"', tuple);
  if (direction !== 'O') {
    if (direction !== 'I') fail(at, '', 'a flow direction I or O in the flow tuple', tuple);
    out.inbound += 1;
    return;
  }
  if (!/^[BCED]$/.test(state)) fail(at, '', 'a flow state B, C, E or D in the flow tuple', tuple);
  const protocol = ianaProtocol(proto);
  const action: TrafficAction = state === 'D' ? 'deny' : 'allow';
  const bytes = counter(f[10], at, tuple) + counter(f[12], at, tuple);
  out.records.push({
    time: new Date(Number(ts)).toISOString(), until: null, sourceIp: src, destination: dst, destinationIp: dst,
    port: port(dport, protocol, at, tuple), protocol, action, flows: flowCount(state), bytes,
    rule: rule === null ? null : { policy: null, collectionGroup: null, collection: null, rule }, firewallId: null, log: 'vnet-flow',
  });
}

/**
 * v1 `ts,srcIp,dstIp,srcPort,dstPort,T|U,I|O,A|D`, v2 adds `,B|C|E,pktsS2D,bytesS2D,pktsD2S,bytesD2S`;
 * ts in epoch seconds [§2.2].
 */
export function readNsgTuple(tuple: string, at: CellAt, rule: string | null, out: FlowLogRead): void {
  const f = tuple.split(',');
  if (f.length < 8) fail(at, '', 'an NSG flow tuple "ts,srcIp,dstIp,srcPort,dstPort,T|U,I|O,A|D[,state,packets,bytes,packets,bytes]"', tuple);
  const [ts = '', src = '', dst = '', , dport = '', proto = '', direction = '', decision = '', state] = f;
  if (!/^\d+$/.test(ts) || !parseIp(src) || !parseIp(dst)) fail(at, '', 'an NSG flow tuple starting "epoch-seconds,source IP,destination IP"', tuple);
  if (direction !== 'O') {
    if (direction !== 'I') fail(at, '', 'a flow direction I or O in the flow tuple', tuple);
    out.inbound += 1;
    return;
  }
  if (decision !== 'A' && decision !== 'D') fail(at, '', 'a decision A (allowed) or D (denied) in the flow tuple', tuple);
  const protocol = proto === 'T' ? 'TCP' : proto === 'U' ? 'UDP' : fail(at, '', 'a protocol T or U in the flow tuple', tuple);
  const hasState = state !== undefined && state !== '';
  if (hasState && !/^[BCE]$/.test(state)) fail(at, '', 'a flow state B, C or E in the version 2 flow tuple', tuple);
  const bytes = hasState ? counter(f[10], at, tuple) + counter(f[12], at, tuple) : null;
  out.records.push({
    time: new Date(Number(ts) * 1000).toISOString(), until: null, sourceIp: src, destination: dst, destinationIp: dst,
    port: port(dport, protocol, at, tuple), protocol, action: decision === 'D' ? 'deny' : 'allow',
    flows: decision === 'D' ? 1 : flowCount(hasState ? state : undefined), bytes,
    rule: rule === null ? null : { policy: null, collectionGroup: null, collection: null, rule }, firewallId: null, log: 'nsg-flow',
  });
}
