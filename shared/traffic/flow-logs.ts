/**
 * VNet flow logs (version 4) and NSG flow logs (version 1 / 2) → TrafficRecords
 * [destinations.md §2.1, §2.2]. Only outbound tuples become records: egress is the question, and
 * an inbound tuple's source is the remote side; they are counted in `skipped`, not lost silently.
 */
import { parseIp } from '../model/ip';
import type { TrafficAction, TrafficRecord } from './types';
import { fail } from './values';
import type { CellAt } from './values';

/**
 * Where tuples go as they are read: a file's records are handed on one by one (never an array of
 * a whole blob), so the CLI can aggregate a 2 GB tree of PT1H.json files in bounded memory.
 */
export interface FlowLogRead {
  readonly emit: (record: TrafficRecord) => void;
  inbound: number;
  /** Per file: addresses already validated, and ISO text per minute (a blob repeats both millions of times). */
  readonly memo?: FlowLogMemo;
  /** The connections a read has seen begin and not end, across its files (see flowCount). */
  readonly connections?: FlowConnections;
}

/**
 * Connections seen begin (B) or continue (C) and not yet end (E), across the files of one read:
 * what tells a C or E tuple of a connection already counted from one whose B tuple was never read.
 * Keyed by log kind and 5-tuple (source, destination, ports, protocol), the connection's identity
 * in a flow log; an entry leaves at the connection's E tuple, so the set holds the connections open
 * at a time (those crossing an hourly blob), not every connection. Bounded: at OPEN_CONNECTION_LIMIT
 * the oldest entry is dropped and counted (`evicted`); a later C / E tuple of it then counts as a
 * connection again, which the gap of that file says. Cost: about 100 bytes per entry, so at most
 * ~10 MB whatever the number of tuples or files.
 */
export interface FlowConnections {
  readonly open: Set<string>;
  /** Flows counted from a C or E tuple with no B tuple (nor earlier C) read before it. */
  orphans: number;
  /** Entries dropped from `open` at its limit. */
  evicted: number;
}

export const OPEN_CONNECTION_LIMIT = 100_000;

export function flowConnections(): FlowConnections {
  return { open: new Set(), orphans: 0, evicted: 0 };
}

export interface FlowLogMemo {
  readonly ips: Map<string, boolean>;
  readonly minutes: Map<number, string>;
}

export function flowLogMemo(): FlowLogMemo {
  return { ips: new Map(), minutes: new Map() };
}

function validIp(text: string, memo: FlowLogMemo | undefined): boolean {
  if (memo === undefined) return parseIp(text) !== null;
  let ok = memo.ips.get(text);
  if (ok === undefined) {
    ok = parseIp(text) !== null;
    // Bounded: a file with more distinct addresses than this just validates the rest each time.
    if (memo.ips.size < 65_536) memo.ips.set(text, ok);
  }
  return ok;
}

/** `new Date(ms).toISOString()`, with the `YYYY-MM-DDTHH:MM:` prefix computed once per minute. */
function isoTime(ms: number, memo: FlowLogMemo | undefined): string {
  if (memo === undefined || !Number.isSafeInteger(ms) || ms < 0 || ms >= 253_402_300_800_000) return new Date(ms).toISOString();
  const minute = Math.floor(ms / 60_000);
  let prefix = memo.minutes.get(minute);
  if (prefix === undefined) {
    prefix = new Date(minute * 60_000).toISOString().slice(0, 17);
    if (memo.minutes.size >= 4_096) memo.minutes.clear();
    memo.minutes.set(minute, prefix);
  }
  const rest = ms - minute * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${prefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
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
 * Flows: one per connection. A `B` (begin) or `D` (denied) tuple is one; `C` (continuing) and `E`
 * (end) tuples carry the byte counters of a connection, counted already when its B (or an earlier
 * C) was read. A C or E tuple with none before it is a connection too, counted once: its B tuple is
 * in an hour's blob not given, or never written (the flow log's `recordTypes` filters "any comma
 * separated combination of B,C,E or D", @azure/arm-network FlowLogInformation; the Learn version 2
 * sample has connections seen only by their E or C tuple), and counting it 0 would report its bytes
 * with no flow. `connections` (the read's open set) tells them apart; without one only B and D count.
 * Version 1 has no state: every tuple is a flow.
 * Bytes: sent plus received (both directions cross the NAT gateway or firewall that bills them),
 * and the sent ones apart (internet data transfer out bills only those: destinations.md §8.1).
 */
function flowCount(state: string | undefined, key: string, connections: FlowConnections | undefined): number {
  if (state === undefined || state === 'D') return 1;
  if (connections === undefined) return state === 'B' ? 1 : 0;
  const { open } = connections;
  if (state === 'B') {
    // A B tuple begins a connection even when the 5-tuple was open (a source port reused).
    open.delete(key);
    track(connections, key);
    return 1;
  }
  if (state === 'E' ? open.delete(key) : open.has(key)) return 0;
  if (state === 'C') track(connections, key);
  connections.orphans += 1;
  return 1;
}

function track(connections: FlowConnections, key: string): void {
  if (connections.open.size >= OPEN_CONNECTION_LIMIT) {
    const oldest = connections.open.values().next();
    if (oldest.done !== true) connections.open.delete(oldest.value);
    connections.evicted += 1;
  }
  connections.open.add(key);
}

/**
 * VNet flow log encryption statuses under which the packet is dropped (vnet-flow-logs-overview.md,
 * "Flow encryption": NX_SW_NOT_READY "In all these scenarios, the packet is dropped"; NX_NOT_ACCEPTED
 * "Drop due to no encryption ... If traffic encryption fails, the packet is dropped"; NX_NOT_SUPPORTED
 * "In this case, the packet is dropped"). Such a tuple's flow state is not D, yet nothing passed.
 */
const DROPPED_BY_ENCRYPTION: ReadonlySet<string> = new Set(['NX_SW_NOT_READY', 'NX_NOT_ACCEPTED', 'NX_NOT_SUPPORTED']);

/** Log kind and 5-tuple (fields 2-6 of either tuple form): which tuples are of one connection. */
function connectionKey(kind: 'v' | 'n', f: readonly string[]): string {
  return `${kind}${f[1] ?? ''},${f[2] ?? ''},${f[3] ?? ''},${f[4] ?? ''},${f[5] ?? ''}`;
}

/**
 * `ts,srcIp,dstIp,srcPort,dstPort,protocol,direction,flowState,encryption,pktsSent,bytesSent,pktsRecv,bytesRecv`,
 * ts in epoch milliseconds, protocol an IANA number [§2.1].
 */
export function readVnetTuple(tuple: string, at: CellAt, rule: string | null, out: FlowLogRead): void {
  const f = tuple.split(',');
  // Exactly 13 fields (§2.1; a B tuple's counters are empty or 0, never left out): a tuple without
  // the encryption field shifts every counter by one, so it is refused rather than misread.
  if (f.length !== 13) fail(at, '', `a version 4 flow tuple of 13 fields "ts,srcIp,dstIp,srcPort,dstPort,protocol,direction,flowState,encryption,packets,bytes,packets,bytes" (found ${f.length} fields)`, tuple);
  const [ts = '', src = '', dst = '', , dport = '', proto = '', direction = '', state = '', encryption = ''] = f;
  // Encryption is X or NX / NX_<reason> (§2.1): a number here means a field is missing before it.
  if (!/^(X|NX(_[A-Z_]+)?)$/.test(encryption)) fail(at, '', 'an encryption status X, NX or NX_<reason> as the 9th field of the version 4 flow tuple', tuple);
  if (!/^\d+$/.test(ts) || !validIp(src, out.memo) || !validIp(dst, out.memo)) fail(at, '', 'a version 4 flow tuple starting "epoch-ms,source IP,destination IP"', tuple);
  if (direction !== 'O') {
    if (direction !== 'I') fail(at, '', 'a flow direction I or O in the flow tuple', tuple);
    out.inbound += 1;
    return;
  }
  if (!/^[BCED]$/.test(state)) fail(at, '', 'a flow state B, C, E or D in the flow tuple', tuple);
  const protocol = ianaProtocol(proto);
  const action: TrafficAction = state === 'D' || DROPPED_BY_ENCRYPTION.has(encryption) ? 'deny' : 'allow';
  // Sent (src→dst, field 11) kept apart from the total: internet egress bills it alone (§2.1, §8.1).
  const bytesSent = counter(f[10], at, tuple);
  const bytes = bytesSent + counter(f[12], at, tuple);
  out.emit({
    time: isoTime(Number(ts), out.memo), until: null, sourceIp: src, destination: dst, destinationIp: dst,
    port: port(dport, protocol, at, tuple), protocol, action, flows: flowCount(state, connectionKey('v', f), out.connections), bytes, bytesSent,
    rule: rule === null ? null : { policy: null, collectionGroup: null, collection: null, rule }, firewallId: null, log: 'vnet-flow',
  });
}

/**
 * v1 `ts,srcIp,dstIp,srcPort,dstPort,T|U,I|O,A|D`, v2 adds `,B|C|E,pktsS2D,bytesS2D,pktsD2S,bytesD2S`;
 * ts in epoch seconds [§2.2].
 */
export function readNsgTuple(tuple: string, at: CellAt, rule: string | null, out: FlowLogRead): void {
  const f = tuple.split(',');
  // Version 1 has 8 fields, version 2 13 (§2.2). Another count would shift the counters.
  if (f.length !== 8 && f.length !== 13) fail(at, '', `an NSG flow tuple of 8 (version 1) or 13 (version 2) fields "ts,srcIp,dstIp,srcPort,dstPort,T|U,I|O,A|D[,state,packets,bytes,packets,bytes]" (found ${f.length} fields)`, tuple);
  const [ts = '', src = '', dst = '', , dport = '', proto = '', direction = '', decision = '', state] = f;
  if (!/^\d+$/.test(ts) || !validIp(src, out.memo) || !validIp(dst, out.memo)) fail(at, '', 'an NSG flow tuple starting "epoch-seconds,source IP,destination IP"', tuple);
  if (direction !== 'O') {
    if (direction !== 'I') fail(at, '', 'a flow direction I or O in the flow tuple', tuple);
    out.inbound += 1;
    return;
  }
  if (decision !== 'A' && decision !== 'D') fail(at, '', 'a decision A (allowed) or D (denied) in the flow tuple', tuple);
  const protocol = proto === 'T' ? 'TCP' : proto === 'U' ? 'UDP' : fail(at, '', 'a protocol T or U in the flow tuple', tuple);
  const hasState = state !== undefined && state !== '';
  if (hasState && !/^[BCE]$/.test(state)) fail(at, '', 'a flow state B, C or E in the version 2 flow tuple', tuple);
  // Version 2 counts source → destination (field 11) apart from destination → source (§2.2).
  const bytesSent = hasState ? counter(f[10], at, tuple) : null;
  const bytes = bytesSent === null ? null : bytesSent + counter(f[12], at, tuple);
  out.emit({
    time: isoTime(Number(ts) * 1000, out.memo), until: null, sourceIp: src, destination: dst, destinationIp: dst,
    port: port(dport, protocol, at, tuple), protocol, action: decision === 'D' ? 'deny' : 'allow',
    flows: decision === 'D' ? 1 : flowCount(hasState ? state : undefined, hasState ? connectionKey('n', f) : '', out.connections), bytes, bytesSent,
    rule: rule === null ? null : { policy: null, collectionGroup: null, collection: null, rule }, firewallId: null, log: 'nsg-flow',
  });
}
