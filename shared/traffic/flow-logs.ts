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
  /**
   * The log kind and the capturing NIC of the tuples being read (`v` / `n` and the record's
   * `macAddress` (VNet, §2.1) or `flows[].mac` (NSG, §2.2)), set by the reader once per record / MAC
   * entry: the prefix of every connection key of those tuples (see connectionKey).
   */
  connectionPrefix?: string;
}

/**
 * Connections seen begin (B) or continue (C) and not yet end (E), across the files of one read:
 * what tells a C or E tuple of a connection already counted from one whose B tuple was never read.
 * Keyed by log kind, capturing NIC and 5-tuple (see connectionKey); an entry leaves at the
 * connection's E tuple, so the map holds the connections open at a time (those crossing an hourly
 * blob), not every connection. Bounded and least-recently-used: a C tuple moves its connection to
 * the end, and at OPEN_CONNECTION_LIMIT the entry unseen longest is dropped and counted (`evicted`);
 * a later C / E tuple of it then counts as a connection again, which the gap of that file says.
 * Cost: about 250 bytes per entry (the key retains its tuple text), so at most ~25 MB (and as much
 * for `orphaned`) whatever the number of tuples or files.
 */
export interface FlowConnections {
  /** Open connection → the time (ISO, as its record has it) of its latest tuple read. */
  readonly open: Map<string, string>;
  /**
   * Connections counted from a C or E tuple with no B tuple read before it ("orphans") → the time of
   * that tuple. Files may be read in any order (the app gets every hourly blob as `PT1H.json`, so
   * names say nothing of time): a B, C or E tuple of one of them read later, no later than that
   * time, is the same connection and counts 0, so the count does not depend on the file order.
   * Bounded as `open` is (oldest dropped first, counted in `forgotten`).
   */
  readonly orphaned: Map<string, string>;
  /** Flows counted from a C or E tuple with no B tuple (nor earlier C) read before it. */
  orphans: number;
  /** Entries dropped from `open` at its limit. */
  evicted: number;
  /** Entries dropped from `orphaned` at its limit: a B tuple of each read later counts it again. */
  forgotten: number;
  /**
   * Set by each flowCount: for a tuple of a connection already counted, the time of that
   * connection's previous tuple; else null. Carried on the record as `continuesFrom`.
   */
  previous: string | null;
}

export const OPEN_CONNECTION_LIMIT = 100_000;

export function flowConnections(): FlowConnections {
  return { open: new Map(), orphaned: new Map(), orphans: 0, evicted: 0, forgotten: 0, previous: null };
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
 * The count does not depend on the order the files are read in: a connection counted from a C / E
 * tuple (an orphan) is remembered, and its B (or an earlier C / E) tuple read afterwards counts 0.
 * A C / E tuple of a connection already counted carries the time of its previous tuple
 * (`continuesFrom`): with `--since` the aggregator counts the connection in the window when that
 * earlier tuple (its B) fell before the window (analyze.ts), so no window holds bytes without a flow.
 * Version 1 has no state: every tuple is a flow.
 * Bytes: sent plus received (both directions cross the NAT gateway or firewall that bills them),
 * and the sent ones apart (internet data transfer out bills only those: destinations.md §8.1).
 */
function flowCount(state: string | undefined, key: string, time: string, connections: FlowConnections | undefined): number {
  if (connections !== undefined) connections.previous = null;
  if (state === undefined || state === 'D') return 1;
  if (connections === undefined) return state === 'B' ? 1 : 0;
  const { open, orphaned } = connections;
  if (state === 'B') {
    // A B tuple begins a connection even when the 5-tuple was open (a source port reused).
    open.delete(key);
    track(connections, key, time);
    // Unless a later tuple of it was read first (files out of time order) and counted it already.
    const orphanAt = orphaned.size === 0 ? undefined : orphaned.get(key);
    if (orphanAt !== undefined && time <= orphanAt) {
      orphaned.delete(key);
      return 0;
    }
    return 1;
  }
  const previous = open.get(key);
  if (previous !== undefined) {
    // Least recently used: a C tuple proves the connection alive, so it moves to the end of the
    // Map's order (delete + set) and the entry evicted at the limit is the one unseen longest.
    open.delete(key);
    if (state === 'C') open.set(key, time);
    connections.previous = previous;
    return 0;
  }
  // An earlier tuple of a connection already counted from a later one (files read out of order).
  const orphanAt = orphaned.size === 0 ? undefined : orphaned.get(key);
  if (orphanAt !== undefined && time <= orphanAt) return 0;
  if (state === 'C') track(connections, key, time);
  orphaned.delete(key);
  if (orphaned.size >= OPEN_CONNECTION_LIMIT) {
    const oldest = orphaned.keys().next();
    if (oldest.done !== true) orphaned.delete(oldest.value);
    connections.forgotten += 1;
  }
  orphaned.set(key, time);
  connections.orphans += 1;
  return 1;
}

function track(connections: FlowConnections, key: string, time: string): void {
  if (connections.open.size >= OPEN_CONNECTION_LIMIT) {
    const oldest = connections.open.keys().next();
    if (oldest.done !== true) connections.open.delete(oldest.value);
    connections.evicted += 1;
  }
  connections.open.set(key, time);
}

/**
 * VNet flow log encryption statuses under which the packet is dropped (vnet-flow-logs-overview.md,
 * "Flow encryption": NX_SW_NOT_READY "In all these scenarios, the packet is dropped"; NX_NOT_ACCEPTED
 * "Drop due to no encryption ... If traffic encryption fails, the packet is dropped"; NX_NOT_SUPPORTED
 * "In this case, the packet is dropped"). Such a tuple's flow state is not D, yet nothing passed.
 */
const DROPPED_BY_ENCRYPTION: ReadonlySet<string> = new Set(['NX_SW_NOT_READY', 'NX_NOT_ACCEPTED', 'NX_NOT_SUPPORTED']);

/**
 * Which tuples are of one connection: the log kind and capturing NIC (`out.connectionPrefix`) and
 * the 5-tuple, fields 2-6 of either tuple form, taken as one slice of the tuple text (no string is
 * built per field: this runs for every B / C / E tuple). The NIC belongs in the key: a flow routed
 * through an NVA is captured at the VM's NIC and again at the NVA's with the same 5-tuple
 * (traffic-analytics-schema.md, IsFlowCapturedAtUDRHop; one PT1H.json per MAC, destinations.md
 * §2.1), and each NIC's B and E tuples pair with each other only.
 */
function connectionKey(out: FlowLogRead, kind: string, tuple: string, f: readonly string[]): string {
  const start = (f[0] ?? '').length + 1;
  const end = start + (f[1] ?? '').length + (f[2] ?? '').length + (f[3] ?? '').length + (f[4] ?? '').length + (f[5] ?? '').length + 4;
  return (out.connectionPrefix ?? kind) + tuple.slice(start, end);
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
  const time = isoTime(Number(ts), out.memo);
  const { connections } = out;
  // The key only where it is used: a D tuple, or a read without a session, needs none.
  const flows = flowCount(state, state === 'D' || connections === undefined ? '' : connectionKey(out, 'v,', tuple, f), time, connections);
  out.emit({
    time, until: null, sourceIp: src, destination: dst, destinationIp: dst,
    port: port(dport, protocol, at, tuple), protocol, action, flows, bytes, bytesSent,
    rule: rule === null ? null : { policy: null, collectionGroup: null, collection: null, rule }, firewallId: null, log: 'vnet-flow',
    continuesFrom: connections?.previous ?? null,
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
  const time = isoTime(Number(ts) * 1000, out.memo);
  const { connections } = out;
  const counted = decision !== 'D' && hasState;
  const flows = flowCount(counted ? state : undefined, counted && connections !== undefined ? connectionKey(out, 'n,', tuple, f) : '', time, connections);
  out.emit({
    time, until: null, sourceIp: src, destination: dst, destinationIp: dst,
    port: port(dport, protocol, at, tuple), protocol, action: decision === 'D' ? 'deny' : 'allow', flows, bytes, bytesSent,
    rule: rule === null ? null : { policy: null, collectionGroup: null, collection: null, rule }, firewallId: null, log: 'nsg-flow',
    continuesFrom: connections?.previous ?? null,
  });
}
