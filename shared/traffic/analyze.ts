/**
 * Observed traffic against the model (`egress-atlas traffic`, issue 13): attribute every record to
 * a subnet / NIC, aggregate per source and destination, ask the engine what the configuration
 * says about each destination from that source, and raise the findings. Pure and deterministic.
 *
 * The app view, the PDF section and cost attribution read this same `TrafficResult`; the live
 * `pull --logs` produces ParsedLogs (summary rows) and calls analyzeTraffic the same way.
 */
import type { Gap } from '../model/gaps';
import { cidrContainsIp, isPublicIp, parseCidr, parseIp } from '../model/ip';
import type { Cidr } from '../model/ip';
import type { FirewallRule } from '../model/topology';
import { parseDestinationSpec } from '../egress/destination-spec';
import { resolveEgress } from '../egress/resolve';
import type { ResolveInput } from '../egress/index';
import type { EgressPath, Verdict } from '../egress/types';
import type { Policy } from '../policy/index';
import { buildAttributionIndex, canonicalIp } from './attribute';
import { compareWithPolicy } from './policy';
import type {
  FirewallRuleLog, LogKind, LoggedRule, ModelView, ObservedDestination, ParsedLog, SkippedInput, TrafficAction, TrafficFinding, TrafficRecord,
  TrafficResult, TrafficSource, TrafficSourceRef, UnattributedSource,
} from './types';
import { TRAFFIC_SCHEMA } from './types';

export interface TrafficOptions {
  /** ISO 8601: records that ended before this are left out of the window. */
  readonly since?: string | null;
  /** Denied flows per source and destination at or above which `denied-traffic` is raised (default 5). */
  readonly deniedThreshold?: number;
  /**
   * A policy (issue 11): allowed traffic outside a control's `mayReach`, from a source in its scope,
   * is an `observed-outside-policy` finding; what the logs cannot decide is a gap (see policy.ts).
   */
  readonly policy?: Policy | null;
}

export const DEFAULT_DENIED_THRESHOLD = 5;

const FIREWALL_LOGS: ReadonlySet<LogKind> = new Set(['azfw-application', 'azfw-network', 'azfw-nat', 'azfw-threat-intel', 'azfw-idps', 'azure-diagnostics']);

/** One observed destination while aggregating. */
interface Accumulator {
  readonly destination: string;
  readonly destinationIp: string | null;
  readonly port: number | null;
  readonly protocol: string;
  readonly action: TrafficAction;
  readonly rule: LoggedRule | null;
  flows: number;
  bytes: number | null;
  /** Sum of the records' bytesSent; meaningful only while `sentSplit` holds. */
  bytesSent: number | null;
  /** Every record with bytes also gave bytesSent (else the outbound share is unknown). */
  sentSplit: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  readonly logs: Set<LogKind>;
}

interface SourceAccumulator {
  readonly ref: TrafficSourceRef;
  readonly subnet: { readonly id: string; readonly name: string };
  /** The subnet's ID: the path a NIC without an entry of its own follows. */
  readonly subnetId: string;
  readonly entries: Map<string, Accumulator>;
  /** What NSG flow logs, VNet flow logs and Traffic Analytics each recorded from this source (see flowLogOverlap). */
  readonly flowLogs: Map<FlowLogKind, FlowLogSpan>;
}

type FlowLogKind = Extract<LogKind, 'nsg-flow' | 'vnet-flow' | 'traffic-analytics'>;

const FLOW_LOG_KINDS: readonly FlowLogKind[] = ['nsg-flow', 'vnet-flow', 'traffic-analytics'];

const FLOW_LOG_NAMES: Readonly<Record<FlowLogKind, string>> = { 'nsg-flow': 'NSG flow logs', 'vnet-flow': 'VNet flow logs', 'traffic-analytics': 'Traffic Analytics' };

function isFlowLogKind(log: LogKind): log is FlowLogKind {
  return log === 'nsg-flow' || log === 'vnet-flow' || log === 'traffic-analytics';
}

/** One flow-log kind's share of a source: two counters and a time span, bounded per source. */
interface FlowLogSpan {
  flows: number;
  bytes: number | null;
  first: string | null;
  last: string | null;
}

interface UnattributedAccumulator {
  readonly sourceIp: string;
  readonly reason: UnattributedSource['reason'];
  flows: number;
  bytes: number | null;
  readonly destinations: Set<string>;
  firstSeen: string | null;
  lastSeen: string | null;
  readonly logs: Set<LogKind>;
}

function earlier(a: string | null, b: string | null): string | null {
  return a === null ? b : b === null ? a : a < b ? a : b;
}

function later(a: string | null, b: string | null): string | null {
  return a === null ? b : b === null ? a : a > b ? a : b;
}

function addBytes(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b;
}

function addFlowLogSpan(spans: Map<FlowLogKind, FlowLogSpan>, kind: FlowLogKind, record: TrafficRecord): void {
  const span = spans.get(kind) ?? { flows: 0, bytes: null, first: null, last: null };
  span.flows += record.flows;
  span.bytes = addBytes(span.bytes, record.bytes);
  span.first = earlier(span.first, record.time);
  span.last = later(span.last, record.until ?? record.time);
  spans.set(kind, span);
}

function spanText(span: FlowLogSpan): string {
  return `${span.flows} flow(s), ${span.bytes ?? 0} bytes, ${span.first ?? '?'} to ${span.last ?? '?'}`;
}

/**
 * A source two kinds of flow evidence recorded over overlapping times (each pair of NSG flow logs,
 * VNet flow logs and Traffic Analytics). Learn (vnet-flow-logs-overview.md, IMPORTANT box): with NSG
 * flow logs on a subnet's NSG and VNet flow logs on the subnet or its VNet "you might get duplicate
 * logging (both network security group flow logs and virtual network flow logs generated for all
 * supported workloads in that particular subnet)"; and Traffic Analytics is computed from those
 * blobs (traffic-analytics-schema.md: "traffic analytics picks blobs from the storage account for
 * aggregation"), so blobs and the TA rows of them are the same connections. Which connections are
 * in both is not provable from counters (matching them one by one would keep every connection in
 * memory), so the counts add them and this gap says the same connections may be counted twice,
 * with each log's share: the true figures lie between the larger share and the sum. Undated spans
 * are taken as overlapping. One gap per source, naming every overlapping pair. (`cost` prices these
 * bytes and does not carry traffic gaps yet: its figure for such a source is the sum, an upper bound.)
 */
function flowLogOverlap(source: SourceAccumulator): Gap | null {
  const present = FLOW_LOG_KINDS.flatMap((kind) => {
    const span = source.flowLogs.get(kind);
    return span ? [{ kind, span }] : [];
  });
  const overlapping = new Set<FlowLogKind>();
  for (const [i, a] of present.entries()) {
    for (const b of present.slice(i + 1)) {
      const apart = (a.span.last !== null && b.span.first !== null && a.span.last < b.span.first) || (b.span.last !== null && a.span.first !== null && b.span.last < a.span.first);
      if (!apart) { overlapping.add(a.kind); overlapping.add(b.kind); }
    }
  }
  if (overlapping.size < 2) return null;
  const shares = present.filter((p) => overlapping.has(p.kind)).map((p) => `${FLOW_LOG_NAMES[p.kind]} (${spanText(p.span)})`);
  return {
    code: 'not-modelled', scope: source.ref.id,
    message: `${sourceLabel(source)}: ${shares.join(' and ')} recorded its traffic over overlapping times; `
      + 'NSG and VNet flow logs both enabled on one subnet log the same flows (Learn warns of duplicate logging), and Traffic Analytics is computed from the flow-log blobs, '
      + 'so its flows and bytes (which add every log) may count the same connections twice: '
      + 'the true figures lie between the larger share and the sum. Give one kind of flow evidence per subnet for exact counts.',
  };
}

/**
 * The own address space of each subnet's VNet (public ranges included) and what its connected
 * peerings carry (`remoteAddressSpace`, else the remote VNet's space): the engine's `private`
 * (README: "inside the VNet's own address space (public ranges included) or what a peering
 * carries"; engine.ts virtualNetworkTagKnown reads connected peerings' remoteAddressPrefixes the
 * same way). Only `Connected` peerings carry traffic (topology.ts PeeringState).
 */
function ownAddressSpaces(model: ResolveInput['model']): (subnetId: string) => readonly Cidr[] {
  const vnetOf = new Map<string, string>(model.subnets.map((s) => [s.id, s.virtualNetworkId]));
  const vnets = new Map(model.virtualNetworks.map((v) => [v.id as string, v]));
  const spaces = new Map<string, readonly Cidr[]>(model.virtualNetworks.map((v) => {
    const peered = v.peerings.flatMap((p) => {
      if (p.peeringState !== 'Connected') return [];
      if (p.remoteAddressPrefixes.length > 0) return p.remoteAddressPrefixes;
      return (p.remoteVirtualNetworkId ? vnets.get(p.remoteVirtualNetworkId)?.addressPrefixes : undefined) ?? p.remoteVirtualNetworkAddressPrefixes ?? [];
    });
    return [v.id, [...v.addressPrefixes, ...peered].map(parseCidr).filter((c): c is Cidr => c !== null)];
  }));
  return (subnetId) => spaces.get(vnetOf.get(subnetId) ?? '') ?? [];
}

/**
 * Which rule kind's log a record proves was given: its table (AZFWApplicationRule /
 * AZFWNetworkRule) or its legacy category (destinations.md §1.1, §1.4). NAT, threat-intel and DNS
 * rows prove neither.
 */
function ruleLogOf(record: TrafficRecord): FirewallRuleLog | null {
  if (record.log === 'azfw-application') return 'application';
  if (record.log === 'azfw-network') return 'network';
  return record.log === 'azure-diagnostics' ? record.ruleLog ?? null : null;
}

function addKind(map: Map<string, Set<FirewallRuleLog>>, key: string, kind: FirewallRuleLog): void {
  const kinds = map.get(key) ?? new Set<FirewallRuleLog>();
  kinds.add(kind);
  map.set(key, kinds);
}

function ruleKey(rule: LoggedRule | null): string {
  return rule === null ? '' : [rule.policy ?? '', rule.collectionGroup ?? '', rule.collection ?? '', rule.rule].join('/').toLowerCase();
}

/** The rule in words; a deny with no rule named is the firewall's (or NSG's) default action. */
export function ruleLabel(rule: LoggedRule | null, action: TrafficAction = 'deny'): string {
  if (rule === null) return action === 'deny' ? 'default action' : '-';
  return [rule.policy, rule.collectionGroup, rule.collection, rule.rule].filter((p): p is string => p !== null && p !== '').join('/');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Internet (or private delivery) = allowed; a deny, a drop or no way out = denied; unknown / on-premises = not modelled. */
export function modelViewOf(verdict: Verdict): ModelView {
  switch (verdict) {
    case 'internet': case 'private': return 'allowed';
    case 'denied': case 'dropped': case 'no-outbound': return 'denied';
    // On-premises: what happens past the tunnel is outside the snapshot.
    case 'on-premises': case 'unknown': return 'not-modelled';
  }
}

/** The engine's protocol for a logged one; null where the engine has no answer (ICMP, DNS questions). */
function engineProtocol(protocol: string): 'tcp' | 'udp' | null {
  if (protocol === 'TCP' || protocol === 'HTTP' || protocol === 'HTTPS' || protocol === 'MSSQL') return 'tcp';
  if (protocol === 'UDP') return 'udp';
  return null;
}

/** The what-if text for an observed destination, or null when the engine cannot evaluate it. */
function whatIf(entry: { readonly destination: string; readonly port: number | null; readonly protocol: string }): string | null {
  const protocol = engineProtocol(entry.protocol);
  if (protocol === null || entry.port === null || entry.port < 1) return null;
  const ip = parseIp(entry.destination);
  const host = ip?.version === 6 ? `[${entry.destination}]` : entry.destination;
  const text = `${host}:${entry.port}/${protocol}`;
  return parseDestinationSpec(text).kind === 'ok' ? text : null;
}

function isPublicIpv4Address(text: string | null): boolean {
  const ip = text === null ? null : parseIp(text);
  return ip !== null && ip.version === 4 && isPublicIp(ip);
}

function inspected(path: EgressPath | undefined): boolean {
  return path !== undefined && path.via.some((v) => v.kind === 'azure-firewall' || v.kind === 'nva');
}

/** Per-source path lookup of one resolve: the NIC's own entry, else its subnet's. */
function pathIndex(paths: readonly EgressPath[]): ReadonlyMap<string, EgressPath> {
  return new Map(paths.map((p) => [`${p.source.type}|${p.source.id}`, p]));
}

function pathFor(index: ReadonlyMap<string, EgressPath>, source: SourceAccumulator): EgressPath | undefined {
  return index.get(`${source.ref.type}|${source.ref.id}`) ?? index.get(`subnet|${source.subnetId}`);
}

/**
 * Where a record falls against `--since`: inside, outside (ended before it), or `straddles`: a
 * summarised row (hits, firstSeen, lastSeen; destinations.md §1.5) first seen before `since` and
 * last seen inside. How many of its flows fell inside is not in the row: it is counted whole, and a
 * gap says how many rows and flows did so.
 */
function windowed(record: TrafficRecord, since: string | null): 'inside' | 'outside' | 'straddles' {
  if (since === null) return 'inside';
  const end = record.until ?? record.time;
  if (end !== null && end < since) return 'outside';
  return record.until !== null && record.time !== null && record.time < since ? 'straddles' : 'inside';
}

/** What the aggregation keeps: counters per source and destination, never the records. */
interface AggregateState {
  readonly since: string | null;
  readonly attribution: ReturnType<typeof buildAttributionIndex>;
  readonly sources: Map<string, SourceAccumulator>;
  readonly unattributed: Map<string, UnattributedAccumulator>;
  readonly gaps: Gap[];
  from: string | null;
  to: string | null;
  /**
   * Rule hits (policy name / collection / rule, lower case) and the firewalls and policies the logs
   * speak for, with the rule kinds whose logs were given for each (an application rule's hits are
   * only ever in AZFWApplicationRule, a network rule's in AZFWNetworkRule: destinations.md §1.1).
   */
  readonly hits: Set<string>;
  readonly loggedPolicies: Map<string, Set<FirewallRuleLog>>;
  readonly loggedFirewalls: Map<string, Set<FirewallRuleLog>>;
  /** Undated rows of the file being read. */
  undated: number;
  /** Rows of the file being read that began before `since` and ended inside the window, and their flows. */
  straddling: { rows: number; flows: number };
  /** Records added (inside the window or not). */
  records: number;
  /**
   * Firewalls whose rule-log rows (AZFWNetworkRule / AZFWApplicationRule, legacy rule categories)
   * were read in this run, window or not (lower-case ID; '' for rows naming none): whether the
   * threat-intel / IDPS Alert rows skipped as duplicates really annotate a connection the counts
   * hold. A small set: one entry per firewall.
   */
  readonly ruleLogFirewalls: Set<string>;
  /** Alert rows skipped, by file, reason and firewall, worded at the end (see alertGaps). */
  readonly alerts: Map<string, { readonly file: string; readonly entry: SkippedInput; rows: number; flows: number }>;
}

/**
 * Incremental aggregation: records are added one at a time (file by file, as they are parsed)
 * and folded into counters per source and destination at once, so memory grows with the number
 * of distinct (source, destination, port, protocol, action, rule) keys, never with the number of
 * records or files. `analyzeTraffic` is this over in-memory ParsedLogs; the CLI streams files.
 */
export interface TrafficAggregator {
  /** One record of the file being read; a record that ended before `since` is left out. */
  readonly add: (record: TrafficRecord) => void;
  /** Closes a file: what its parser skipped, the gaps it records and its undated rows become gaps naming it. */
  readonly endFile: (file: string, skipped: ParsedLog['skipped'], recorded?: readonly Gap[]) => void;
  /** `add` for every record of a parsed file, then `endFile`. */
  readonly addLog: (log: ParsedLog) => void;
  /** Records added so far. */
  readonly recordCount: () => number;
  readonly state: AggregateState;
}

export function createTrafficAggregator(model: ResolveInput['model'], options: { readonly since?: string | null } = {}): TrafficAggregator {
  const state: AggregateState = {
    since: options.since ?? null, attribution: buildAttributionIndex(model), sources: new Map(), unattributed: new Map(), gaps: [],
    from: null, to: null, hits: new Set(), loggedPolicies: new Map(), loggedFirewalls: new Map(), undated: 0, straddling: { rows: 0, flows: 0 }, records: 0,
    ruleLogFirewalls: new Set(), alerts: new Map(),
  };
  const { sources, unattributed, hits, loggedPolicies, loggedFirewalls, attribution } = state;
  const add = (read: TrafficRecord): void => {
    state.records += 1;
    if (FIREWALL_LOGS.has(read.log) && ruleLogOf(read) !== null) state.ruleLogFirewalls.add(read.firewallId ?? '');
    const place = windowed(read, state.since);
    if (place === 'outside') return;
    // A flow-log tuple of a connection counted from an earlier tuple (flows 0) whose earlier tuple
    // (its B) fell before --since and so was left out: the connection is one flow in the window,
    // counted by its first tuple inside it (flow-logs.ts flowCount). Without this the window would
    // hold the connection's bytes and no flow.
    const record = read.flows === 0 && state.since !== null && (read.continuesFrom ?? null) !== null && (read.continuesFrom ?? '') < state.since ? { ...read, flows: 1 } : read;
    if (place === 'straddles') {
      state.straddling.rows += 1;
      state.straddling.flows += record.flows;
    }
    if (record.time === null) state.undated += 1;
    state.from = earlier(state.from, record.time);
    state.to = later(state.to, record.until ?? record.time);
    if (FIREWALL_LOGS.has(record.log)) {
      const kind = ruleLogOf(record);
      if (kind !== null) {
        if (record.firewallId) addKind(loggedFirewalls, record.firewallId, kind);
        if (record.rule?.policy) addKind(loggedPolicies, record.rule.policy.toLowerCase(), kind);
      }
      if (record.rule && record.action === 'allow') {
        const policy = (record.rule.policy ?? '').toLowerCase();
        const collection = (record.rule.collection ?? '').toLowerCase();
        const name = record.rule.rule.toLowerCase();
        hits.add(`${policy}|${collection}|${name}`);
        // The model names a policy rule's collection `group/collection`; classic rules by collection alone.
        if (record.rule.collectionGroup) hits.add(`${policy}|${record.rule.collectionGroup.toLowerCase()}/${collection}|${name}`);
      }
    }
    // A Traffic Analytics row with a blank SrcIp names its sender (SrcNIC / SrcSubnet) instead.
    const names = record.sourceIp === '' ? record.sourceNames : undefined;
    const who = (names ? attribution.attributeByName(names.nic, names.subnet) : null)
      ?? (names ? { kind: 'unattributed' as const, reason: 'unknown-private' as const } : attribution.attribute(record.sourceIp));
    if (who.kind === 'unattributed') {
      // Listed by the name the row gives when it has no address: never dropped.
      const sourceIp = names ? `SrcNic ${names.nic ?? '-'} / SrcSubnet ${names.subnet ?? '-'}` : record.sourceIp;
      let u = unattributed.get(sourceIp);
      if (!u) {
        u = { sourceIp, reason: who.reason, flows: 0, bytes: null, destinations: new Set(), firstSeen: null, lastSeen: null, logs: new Set() };
        unattributed.set(sourceIp, u);
      }
      u.flows += record.flows;
      u.bytes = addBytes(u.bytes, record.bytes);
      u.destinations.add(record.destination);
      u.firstSeen = earlier(u.firstSeen, record.time);
      u.lastSeen = later(u.lastSeen, record.until ?? record.time);
      u.logs.add(record.log);
      return;
    }
    const sourceKey = who.kind === 'nic' ? `nic|${who.nic.id}` : `subnet|${who.subnet.id}`;
    let source = sources.get(sourceKey);
    if (!source) {
      const ref: TrafficSourceRef = who.kind === 'nic'
        ? { type: 'nic', id: who.nic.id, name: who.nic.name }
        : { type: 'subnet', id: who.subnet.id, name: who.subnet.name };
      source = { ref, subnet: { id: who.subnet.id, name: who.subnet.name }, subnetId: who.subnet.id, entries: new Map(), flowLogs: new Map() };
      sources.set(sourceKey, source);
    }
    if (isFlowLogKind(record.log)) addFlowLogSpan(source.flowLogs, record.log, record);
    // One address, one entry: IPv6 in its RFC 5952 form, as sources are (attribute.ts canonicalIp;
    // RFC 4291 §2.2: 2001:db8::10 and 2001:DB8:0:0:0:0:0:10 are one address). Only text with a
    // colon can be IPv6: IPv4 and names (already lower case) skip the parse, per record.
    const destination = record.destination.includes(':') ? canonicalIp(record.destination) : record.destination;
    const destinationIp = record.destinationIp !== null && record.destinationIp.includes(':') ? canonicalIp(record.destinationIp) : record.destinationIp;
    const key = `${destination}|${record.port ?? ''}|${record.protocol}|${record.action}|${ruleKey(record.rule)}`;
    let entry = source.entries.get(key);
    if (!entry) {
      entry = {
        destination, destinationIp, port: record.port, protocol: record.protocol, action: record.action,
        rule: record.rule, flows: 0, bytes: null, bytesSent: null, sentSplit: true, firstSeen: null, lastSeen: null, logs: new Set(),
      };
      source.entries.set(key, entry);
    }
    entry.flows += record.flows;
    entry.bytes = addBytes(entry.bytes, record.bytes);
    // Sent bytes (internet egress bills those only, destinations.md §8.1) stay known only while every
    // record with bytes split them: a summary's one total mixed in makes the share unknown.
    if (record.bytes !== null) {
      const sent = record.bytesSent ?? null;
      if (sent === null) entry.sentSplit = false;
      else entry.bytesSent = (entry.bytesSent ?? 0) + sent;
    }
    entry.firstSeen = earlier(entry.firstSeen, record.time);
    entry.lastSeen = later(entry.lastSeen, record.until ?? record.time);
    entry.logs.add(record.log);
  };
  const endFile = (file: string, skipped: ParsedLog['skipped'], recorded: readonly Gap[] = []): void => {
    for (const s of skipped) {
      if (s.alert) {
        // Worded at the end, once every file's rule-log rows are known (alertGaps).
        const key = `${file}\n${s.reason}\n${s.alert.firewallId ?? ''}`;
        const held = state.alerts.get(key) ?? { file, entry: s, rows: 0, flows: 0 };
        held.rows += s.count;
        held.flows += s.flows ?? s.count;
        state.alerts.set(key, held);
        continue;
      }
      state.gaps.push({ code: 'skipped-input', scope: file, message: `${s.count} ${s.reason}${flowsText(s.count, s.flows)}.`, count: s.count });
    }
    for (const g of recorded) state.gaps.push({ ...g, message: `${g.message} (recorded in ${file})` });
    if (state.undated > 0) {
      state.gaps.push({ code: 'not-modelled', scope: file, message: `${state.undated} summarised row(s) carry no time column: they are counted whatever the window.`, count: state.undated });
    }
    const { rows, flows } = state.straddling;
    if (rows > 0) {
      state.gaps.push({
        code: 'not-modelled', scope: file, count: rows,
        message: `${rows} summarised row(s) (${flows} flow(s)) were first seen before --since ${state.since ?? ''} and last seen inside the window: how many of their flows fell inside it is not in the rows, so they are counted whole (the window's counts are an upper bound for them).`,
      });
    }
    state.undated = 0;
    state.straddling = { rows: 0, flows: 0 };
  };
  return {
    add, endFile, state,
    addLog(log) {
      for (const record of log.records) add(record);
      endFile(log.file, log.skipped, log.gaps);
    },
    recordCount: () => state.records,
  };
}

/** ` (N flows)` when a skipped entry's rows stand for more flows than rows (summarised rows' count_). */
function flowsText(rows: number, flows: number | undefined): string {
  return flows === undefined || flows === rows ? '' : ` (standing for ${flows} flow(s): summarised rows' counts)`;
}

/**
 * The gaps of the threat-intel / IDPS Alert rows skipped (firewall.ts firewallSkipReason). Skipping
 * is right when the rule logs of that firewall were read too: the connection is in them (ASIM drops
 * Alert rows "to avoid duplicate network session logs", assuming the rule tables are collected).
 * When no rule-log row of that firewall was in the input (only AZFWThreatIntel ticked in the
 * diagnostic setting, destinations.md §1.1, or a TI-only export), the alert is the only record of
 * the connection: the gap says the connections are NOT counted and why, with rows and flows.
 */
function alertGaps(state: AggregateState): Gap[] {
  return [...state.alerts.values()].map(({ file, entry, rows, flows }) => {
    const firewallId = entry.alert?.firewallId ?? null;
    const seen = firewallId === null ? state.ruleLogFirewalls.size > 0 : state.ruleLogFirewalls.has(firewallId) || state.ruleLogFirewalls.has('');
    const cut = entry.reason.indexOf(': alerts');
    const table = cut < 0 ? entry.reason : entry.reason.slice(0, cut);
    const message = seen
      ? `${rows} ${entry.reason}${flowsText(rows, flows)}.`
      : `${rows} ${table}${flowsText(rows, flows)}: not counted, and no network- or application-rule rows of ${firewallId === null ? 'any firewall' : `firewall ${firewallId}`} were in the input, `
        + 'so these alerts may be the only record of their connections, which are missing from the counts (give the AZFWNetworkRule / AZFWApplicationRule logs of the same window).';
    return { code: 'skipped-input' as const, scope: file, message, count: rows };
  });
}

export function analyzeTraffic(input: ResolveInput, logs: readonly ParsedLog[], options: TrafficOptions = {}): TrafficResult {
  const aggregator = createTrafficAggregator(input.model, { since: options.since ?? null });
  for (const log of logs) aggregator.addLog(log);
  return finishTraffic(input, aggregator, options);
}

/** The result of an aggregation: the model's view of every observed destination, findings, gaps. */
export function finishTraffic(input: ResolveInput, aggregator: TrafficAggregator, options: Omit<TrafficOptions, 'since'> = {}): TrafficResult {
  const { since, attribution, sources, unattributed, gaps, from, to, hits, loggedPolicies, loggedFirewalls } = aggregator.state;
  gaps.push(...alertGaps(aggregator.state));
  aggregator.state.alerts.clear();
  const threshold = options.deniedThreshold ?? DEFAULT_DENIED_THRESHOLD;
  for (const [ip, nics] of attribution.ambiguous) {
    gaps.push({ code: 'not-modelled', scope: ip, message: `Private IP ${ip} is held by ${nics.length} NICs (overlapping address spaces); its traffic is attributed to ${nics[0] ?? ''}.` });
  }
  for (const [ip, subnets] of attribution.ambiguousSubnets) {
    gaps.push({
      code: 'not-modelled', scope: ip,
      message: `Private IP ${ip} (held by no NIC of the snapshot) is inside ${subnets.length} subnets of VNets with overlapping address spaces (${subnets.join(', ')}); `
        + `which sent its traffic is not in the logs: it is attributed to ${subnets[0] ?? ''}.`,
    });
  }

  // The model's view: one resolve per distinct destination + port + protocol, read for every source.
  const nicIds = new Set([...sources.values()].filter((s) => s.ref.type === 'nic').map((s) => s.ref.id));
  const resolves = new Map<string, ReadonlyMap<string, EgressPath>>();
  const pathOf = (source: SourceAccumulator, entry: Accumulator): EgressPath | undefined => {
    const text = whatIf(entry);
    if (text === null) return undefined;
    let index = resolves.get(text);
    if (!index) {
      index = pathIndex(resolveEgress(input, { destination: text, nicIds, estateFindings: false, sorted: false }).paths);
      resolves.set(text, index);
    }
    return pathFor(index, source);
  };
  const modelFor = (source: SourceAccumulator, entry: Accumulator): ModelView => {
    const path = pathOf(source, entry);
    return path ? modelViewOf(path.verdict) : 'not-modelled';
  };
  const ownSpace = ownAddressSpaces(input.model);
  /**
   * Whether traffic to this destination stays inside the VNet (or what a peering carries): the
   * engine's own notion, verdict `private` (README: "the destination is inside the VNet's own address
   * space (public ranges included) or what a peering carries"); where the engine cannot evaluate the
   * destination (ICMP, no port), the VNet's own address space. Such traffic is not internet traffic,
   * whatever range its address is in.
   */
  const staysPrivate = (source: SourceAccumulator, entry: Accumulator): boolean => {
    const path = pathOf(source, entry);
    if (path) return path.verdict === 'private';
    const ip = entry.destinationIp === null ? null : parseIp(entry.destinationIp);
    return ip !== null && ownSpace(source.subnetId).some((c) => cidrContainsIp(c, ip));
  };
  const defaultRoute = resolveEgress(input, { nicIds, estateFindings: false });
  const defaultPaths = pathIndex(defaultRoute.paths);
  /**
   * The firewalls and NVAs on the model's path to an observed destination and on the source's
   * default route (a path the model stops early, at an NSG deny or a platform block, names no hop
   * past it); null when the model has neither. The policy comparison needs it: a flow log's
   * "allowed" is the NSG's word only (destinations.md §2.1).
   */
  const inspectedBy = (source: SourceAccumulator, entry: Accumulator): readonly string[] | null => {
    const paths = [pathOf(source, entry), pathFor(defaultPaths, source)].filter((p): p is EgressPath => p !== undefined);
    if (paths.length === 0) return null;
    const via = paths.flatMap((p) => p.via).filter((v) => v.kind === 'azure-firewall' || v.kind === 'nva');
    return [...new Set(via.map((v) => v.id.slice(v.id.lastIndexOf('/') + 1)))];
  };

  const findings: TrafficFinding[] = [];
  const result: TrafficSource[] = [];
  const ordered = [...sources.values()].sort((a, b) => compareText(a.ref.name, b.ref.name) || compareText(a.ref.id, b.ref.id));
  for (const source of ordered) {
    const observed: (ObservedDestination & { readonly acc: Accumulator; readonly staysPrivate: boolean })[] = [...source.entries.values()].map((e) => ({
      destination: e.destination, port: e.port, protocol: e.protocol, action: e.action, flows: e.flows, bytes: e.bytes,
      bytesSent: e.sentSplit && e.bytes !== null ? e.bytesSent : null, firstSeen: e.firstSeen, lastSeen: e.lastSeen, rule: e.rule, model: modelFor(source, e), acc: e,
      staysPrivate: staysPrivate(source, e),
    }));
    observed.sort((a, b) => b.flows - a.flows || compareText(a.destination, b.destination) || (a.port ?? 0) - (b.port ?? 0) || compareText(a.action, b.action));
    findings.push(...sourceFindings(source, observed, pathFor(defaultPaths, source), threshold));
    result.push({ source: source.ref, subnet: source.subnet, observed: observed.map(({ acc: _acc, staysPrivate: _private, ...o }) => o) });
    const overlap = flowLogOverlap(source);
    if (overlap) gaps.push(overlap);
  }
  findings.push(...unusedAllowRules(input, hits, loggedPolicies, loggedFirewalls));
  const compared = options.policy
    ? compareWithPolicy(input, options.policy, defaultRoute, ordered.map((s) => ({
      ref: s.ref, subnetId: s.subnetId, label: sourceLabel(s),
      observed: [...s.entries.values()].map((e) => ({
        destination: e.destination, destinationIp: e.destinationIp, port: e.port, protocol: e.protocol, action: e.action,
        flows: e.flows, firstSeen: e.firstSeen, lastSeen: e.lastSeen, rule: e.rule, logs: e.logs, inspectedBy: inspectedBy(s, e),
        staysPrivate: staysPrivate(s, e),
      })),
    })))
    : { findings: [], gaps: [] };
  findings.push(...compared.findings);

  return {
    schema: TRAFFIC_SCHEMA,
    window: { from: since ?? from, to },
    sources: result,
    unattributed: [...unattributed.values()]
      .sort((a, b) => b.flows - a.flows || compareText(a.sourceIp, b.sourceIp))
      .map((u) => ({ sourceIp: u.sourceIp, reason: u.reason, flows: u.flows, bytes: u.bytes, destinations: u.destinations.size, firstSeen: u.firstSeen, lastSeen: u.lastSeen, logs: [...u.logs].sort() })),
    findings,
    gaps: [...defaultRoute.gaps, ...gaps, ...compared.gaps],
  };
}

function label(o: { readonly destination: string; readonly port: number | null; readonly protocol: string }): string {
  return `${o.destination}${o.port === null ? '' : `:${o.port}`}/${o.protocol}`;
}

function sourceLabel(source: SourceAccumulator): string {
  return source.ref.type === 'nic' ? `NIC ${source.ref.name} (${source.subnet.name})` : `Subnet ${source.ref.name}`;
}

function sourceFindings(
  source: SourceAccumulator, observed: readonly (ObservedDestination & { readonly acc: Accumulator; readonly staysPrivate: boolean })[], defaultPath: EgressPath | undefined, threshold: number,
): TrafficFinding[] {
  const findings: TrafficFinding[] = [];
  const subject = source.ref.id;
  // Flows a firewall logged were inspected whatever the model says; the question is the flows no firewall saw.
  if (defaultPath?.verdict === 'internet' && !inspected(defaultPath)) {
    // A public-range address the VNet holds (or a peering carries) is VNet traffic, as the engine says.
    // The default route is 0.0.0.0/0: IPv6 flows follow ::/0 routes, which the model does not walk
    // (their observed entry says not-modelled), so they are no evidence about this path.
    const direct = observed.filter((o) => o.action === 'allow' && isPublicIpv4Address(o.acc.destinationIp) && !o.staysPrivate && ![...o.acc.logs].some((l) => FIREWALL_LOGS.has(l)));
    if (direct.length > 0) {
      const flows = direct.reduce((n, o) => n + o.flows, 0);
      const addresses = [...new Set(direct.map((o) => o.destination))];
      findings.push({
        code: 'uninspected-public-traffic', severity: 'warning', subject,
        message: `${sourceLabel(source)} sent ${flows} flow(s) to ${addresses.length} public address(es) (${addresses.slice(0, 3).join(', ')}${addresses.length > 3 ? ', …' : ''}) on a path with no firewall or NVA (exit: ${defaultPath.exit ?? 'unknown'}).`,
      });
    }
  }
  // Repeated denies per destination (every rule and log together): the broken update path, or a probe.
  const denied = new Map<string, { flows: number; first: string | null; last: string | null; rules: Set<string>; o: ObservedDestination }>();
  for (const o of observed) {
    if (o.action !== 'deny') continue;
    const key = `${o.destination}|${o.port ?? ''}|${o.protocol}`;
    const d = denied.get(key) ?? { flows: 0, first: null, last: null, rules: new Set<string>(), o };
    d.flows += o.flows;
    d.first = earlier(d.first, o.firstSeen);
    d.last = later(d.last, o.lastSeen);
    d.rules.add(ruleLabel(o.rule, o.action));
    denied.set(key, d);
  }
  for (const d of denied.values()) {
    if (d.flows < threshold) continue;
    findings.push({
      code: 'denied-traffic', severity: 'warning', subject,
      message: `${sourceLabel(source)}: ${d.flows} denied flow(s) to ${label(d.o)}${d.first ? ` between ${d.first} and ${d.last ?? d.first}` : ''} (${[...d.rules].join(', ')}).`,
    });
  }
  for (const o of observed) {
    if (o.model === 'not-modelled') continue;
    // A flow log's "allowed" is the NSG's word only: behind a firewall the packet may still be
    // denied, so only a firewall's allow (or an uninspected path) contradicts a modelled deny.
    const passed = [...o.acc.logs].some((l) => FIREWALL_LOGS.has(l)) || !inspected(defaultPath);
    if (o.action === 'allow' && o.model === 'denied' && passed) {
      findings.push({ code: 'model-disagrees', severity: 'warning', subject, message: `${sourceLabel(source)}: ${label(o)} was allowed (${o.flows} flow(s), ${ruleLabel(o.rule, o.action)}) but the model says it is denied: drift since the snapshot, or a modelling gap.` });
    } else if (o.action === 'deny' && o.model === 'allowed') {
      findings.push({ code: 'model-disagrees', severity: 'warning', subject, message: `${sourceLabel(source)}: ${label(o)} was denied (${o.flows} flow(s), ${ruleLabel(o.rule)}) but the model says it is allowed: drift since the snapshot, or a modelling gap.` });
    }
  }
  return findings;
}

/**
 * Allow rules of the policies (and classic firewalls) the logs speak for, with no hit in the
 * window. Only those: a firewall whose logs were not given says nothing about its rules, and only
 * rules of a kind whose log was given: application-rule hits are in AZFWApplicationRule (legacy
 * category AzureFirewallApplicationRule), never in AZFWNetworkRule (destinations.md §1.1, §1.2), so
 * a network-rule export alone says nothing about the application rules.
 */
function unusedAllowRules(
  input: ResolveInput, hits: ReadonlySet<string>,
  loggedPolicies: ReadonlyMap<string, ReadonlySet<FirewallRuleLog>>, loggedFirewalls: ReadonlyMap<string, ReadonlySet<FirewallRuleLog>>,
): TrafficFinding[] {
  const findings: TrafficFinding[] = [];
  const policyKinds = new Map<string, Set<FirewallRuleLog>>();
  for (const firewall of input.model.azureFirewalls) {
    const kinds = loggedFirewalls.get(firewall.id.toLowerCase());
    if (!kinds) continue;
    if (firewall.firewallPolicyId) for (const kind of kinds) addKind(policyKinds, firewall.firewallPolicyId.toLowerCase(), kind);
    // Classic rules log no policy name.
    findings.push(...unused(firewall.rules.filter((r) => kinds.has(r.kind)), firewall.id, firewall.name, '', hits));
  }
  const policies = [...input.model.firewallPolicies].sort((a, b) => compareText(a.id, b.id));
  for (const policy of policies) {
    const kinds = new Set([...policyKinds.get(policy.id.toLowerCase()) ?? [], ...loggedPolicies.get(policy.name.toLowerCase()) ?? []]);
    if (kinds.size === 0) continue;
    findings.push(...unused(policy.rules.filter((r) => kinds.has(r.kind)), policy.id, policy.name, policy.name.toLowerCase(), hits));
  }
  return findings;
}

function unused(rules: readonly FirewallRule[], ownerId: string, ownerName: string, policyKey: string, hits: ReadonlySet<string>): TrafficFinding[] {
  return rules
    .filter((r) => r.action === 'Allow' && !hits.has(`${policyKey}|${r.collection.toLowerCase()}|${r.name.toLowerCase()}`))
    .map((r) => ({
      code: 'unused-allow-rule' as const, severity: 'info' as const, subject: `${ownerId}/${r.collection}/${r.name}`,
      message: `${r.kind === 'application' ? 'Application' : 'Network'} rule ${ownerName}/${r.collection}/${r.name} allowed nothing in the window: a candidate for clean-up.`,
    }));
}
