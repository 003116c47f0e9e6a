/**
 * Observed traffic against a policy (`egress-atlas traffic --policy`, issues 11 and 13): for every
 * control with `mayReach` whose scope covers an attributed source, each destination that source was
 * observed reaching (allowed by the log) must be within the list; one that is not is an
 * `observed-outside-policy` finding (error for a deny control, warning for audit).
 *
 * The matching is the policy module's own (`entryCovered`, the same test `check` applies to what a
 * rule allows): an observed destination is put as a reach entry (an FQDN, or an address as a /32)
 * with its port, so a host name is judged against the host names and `*.` patterns of the list (as
 * `check` judges an application rule; a CIDR never covers a name), an address against its CIDRs.
 * Added here: an address against a service tag's prefixes when the input has them. What the log
 * cannot answer is a gap, never a guess: an address against a list that names hosts (a flow log
 * records no name), an address against a service tag without prefix data, a name against a service
 * or FQDN tag (their members are not in the input), a TLS flow without SNI.
 * Pure and deterministic.
 */
import type { ResolveInput } from '../egress/index';
import type { ReachEntry } from '../egress/reach';
import type { ResolveResult } from '../egress/types';
import type { Gap } from '../model/gaps';
import { isPublicIp, parseIp } from '../model/ip';
import type { Ipv4Set } from '../model/ip-set';
import { buildServiceTagIndex } from '../model/service-tags';
import type { ServiceTagIndex } from '../model/service-tags';
import { primaryIpConfiguration } from '../egress/outbound';
import { buildSources, entryCovered, inScope, transportOf } from '../policy/index';
import type { Control, Policy, PolicyException, ReachPattern, SourceInfo } from '../policy/index';
import { anyMatches } from '../policy/glob';
import type { LogKind, LoggedRule, TrafficFinding, TrafficSourceRef } from './types';

/** One aggregated observation of a source (analyze.ts's accumulator, as this module reads it). */
export interface PolicyObservation {
  readonly destination: string;
  /** The address, when the log has it besides a name (network rules on FQDNs). */
  readonly destinationIp: string | null;
  readonly port: number | null;
  readonly protocol: string;
  readonly action: 'allow' | 'deny';
  readonly flows: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly rule: LoggedRule | null;
  readonly logs: ReadonlySet<LogKind>;
  /**
   * Names of the firewalls / NVAs on the model's path from this source to this destination: `[]`
   * none; null or absent when not known. A flow log's allow behind one of them is the NSG's word only.
   */
  readonly inspectedBy?: readonly string[] | null;
  /**
   * The traffic stays inside the VNet or what a peering carries: the engine's verdict `private` for
   * this destination from this source (README: "inside the VNet's own address space (public ranges
   * included)"). Absent: judged by the address alone (public or not).
   */
  readonly staysPrivate?: boolean;
}

export interface PolicySubject {
  readonly ref: TrafficSourceRef;
  readonly subnetId: string;
  /** `NIC nic-vm-01 (snet-app)`, `Subnet snet-app`: how findings name the source. */
  readonly label: string;
  readonly observed: readonly PolicyObservation[];
}

export interface PolicyComparison {
  readonly findings: readonly TrafficFinding[];
  readonly gaps: readonly Gap[];
}

/** Why an observed destination cannot be judged against a list: the fact the log does not give. */
type Missing = 'name' | 'tag-members' | 'sni' | 'service-tags';

const MISSING_TEXT: Readonly<Record<Missing, string>> = {
  name: 'the log records only the address, and which host names it serves is not known, so it cannot be matched against the host names in mayReach',
  'tag-members': 'the log records only the host name, and mayReach names tags (service tags or firewall FQDN tags) whose members (addresses, host names) the input does not list',
  sni: 'the connection named no host (TLS without SNI) and the log records no address',
  'service-tags': 'the input has no prefix data for the service tag(s) in mayReach (give --service-tags ServiceTags_Public_*.json)',
};

const HOST = /^(?!-)[a-z0-9_-]{1,63}(?<!-)(\.(?!-)[a-z0-9_-]{1,63}(?<!-))+\.?$/i;

function destinationLabel(o: { readonly destination: string; readonly port: number | null; readonly protocol: string }): string {
  return `${o.destination}${o.port === null ? '' : `:${o.port}`}/${o.protocol}`;
}

function asEntry(kind: 'fqdn' | 'cidr', value: string, o: PolicyObservation): ReachEntry {
  return {
    kind, value, ports: o.port === null ? [] : [String(o.port)], protocols: [o.protocol],
    verdict: 'internet', exit: null, via: [], egressIps: [], rule: '',
  };
}

function cidrOf(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

/** Whether a pattern speaks about this port and protocol at all (`:443`, `/udp`; policy.schema.json). */
function portApplies(pattern: ReachPattern, o: PolicyObservation): boolean {
  return (pattern.port === null || pattern.port === o.port) && (pattern.protocol === null || transportOf(o.protocol) === pattern.protocol);
}

type Judgement = { readonly kind: 'within' } | { readonly kind: 'outside' } | { readonly kind: 'unknown'; readonly missing: Missing; readonly tags: readonly string[] };

/**
 * Whether an observed destination is within a mayReach list: the policy's own `entryCovered` for
 * names and addresses, service-tag prefixes for addresses, and `unknown` (with the missing fact)
 * where the log cannot say.
 */
export function judgeObserved(o: PolicyObservation, patterns: readonly ReachPattern[], tags: () => ServiceTagIndex | null): Judgement {
  const ip = parseIp(o.destination) ? o.destination : null;
  const name = ip === null && HOST.test(o.destination) ? o.destination.replace(/\.$/, '') : null;
  const address = ip ?? (o.destinationIp !== null && parseIp(o.destinationIp) ? o.destinationIp : null);
  const entries = [...(name === null ? [] : [asEntry('fqdn', name, o)]), ...(address === null ? [] : [asEntry('cidr', cidrOf(address), o)])];
  if (entries.some((e) => entryCovered(e, patterns))) return { kind: 'within' };
  const relevant = patterns.filter((p) => portApplies(p, o));
  const tagPatterns = relevant.filter((p): p is ReachPattern & { readonly kind: 'service-tag' } => p.kind === 'service-tag');
  const unknownTags: string[] = [];
  if (address !== null && tagPatterns.length > 0) {
    const index = tags();
    for (const p of tagPatterns) {
      // The index holds IPv4 prefixes only: an IPv6 address is as undecided as a tag without data.
      const prefixes: Ipv4Set | null = address.includes(':') ? null : index?.prefixes(p.tag) ?? null;
      if (prefixes === null) unknownTags.push(p.tag);
      else if (prefixes.contains(address)) return { kind: 'within' };
    }
  }
  if (name === null && address === null) return { kind: 'unknown', missing: 'sni', tags: [] };
  // An address only (flow logs, network rules). Each listed host name may be the one it serves.
  if (name === null && relevant.some((p) => p.kind === 'fqdn')) return { kind: 'unknown', missing: 'name', tags: [] };
  if (unknownTags.length > 0) return { kind: 'unknown', missing: 'service-tags', tags: unknownTags };
  // A name only, against a tag: an FQDN tag (WindowsUpdate) lists host names, a service tag addresses; neither is in the input.
  if (address === null && tagPatterns.length > 0) return { kind: 'unknown', missing: 'tag-members', tags: tagPatterns.map((p) => p.tag) };
  return { kind: 'outside' };
}

// Traffic Analytics rows are flow-log evidence too (computed from the flow-log blobs, §2.3): the NSG's word.
const FLOW_LOGS: ReadonlySet<LogKind> = new Set<LogKind>(['vnet-flow', 'nsg-flow', 'traffic-analytics']);

/**
 * Whether an observation's "allowed" is only an NSG's: every log of it is a flow log (or Traffic
 * Analytics, read as one) and the path may go through a firewall or NVA. destinations.md §2.1:
 * flowGroups[].rule is the NSG / ACL rule, and "when traffic is forced through Azure Firewall, the
 * VM-side tuple shows the real destination IP": the firewall decides after the tuple is written
 * (its default deny is an AZFWNetworkRule row, §1.3). Only a path known to have none is taken at
 * the flow log's word.
 */
function nsgOnly(o: PolicyObservation): boolean {
  return [...o.logs].every((l) => FLOW_LOGS.has(l)) && (o.inspectedBy === undefined || o.inspectedBy === null || o.inspectedBy.length > 0);
}

/** Destination address (or name), port and transport: how a flow-log record finds the firewall's record of the same flow. */
function flowKey(o: PolicyObservation): string {
  return `${(o.destinationIp ?? o.destination).toLowerCase()}|${o.port ?? ''}|${transportOf(o.protocol) ?? o.protocol}`;
}

/** Traffic the policy speaks about: allowed connections to a public address or a host name (not DNS questions, not VNet traffic). */
function comparable(o: PolicyObservation): boolean {
  if (o.action !== 'allow') return false;
  // A DNS query log says which name was asked, not that a connection was made (destinations.md
  // §2.1: "firewall DNS logs only tell you names asked, not answers"). The question comes from
  // AZFWDnsQuery or, in legacy mode, from an AzureDiagnostics "DNS Request: ..." msg_s line (§1.4);
  // firewall.ts reads both, and only those, as protocol DNS.
  if (o.protocol === 'DNS' || [...o.logs].every((l) => l === 'azfw-dns')) return false;
  // VNet traffic to a public range the VNet holds is not egress: the engine's notion of private.
  if (o.staysPrivate === true) return false;
  const ip = parseIp(o.destination);
  return ip === null || isPublicIp(ip);
}

/** The exception waiving this source, if one was in force when the traffic was last seen (no time: judged in force). */
function waiverFor(control: Control, ref: TrafficSourceRef, subnet: readonly string[], at: string | null): PolicyException | null {
  const when = at === null ? null : Date.parse(at);
  return control.exceptions.find((e) => (when === null || when < e.expiresAt)
    && (anyMatches([e.source], [ref.name, ref.id]) || anyMatches([e.source], subnet))) ?? null;
}

function ruleText(rule: LoggedRule | null): string {
  if (rule === null) return 'no rule logged';
  return `rule ${[rule.policy, rule.collectionGroup, rule.collection, rule.rule].filter((p): p is string => p !== null && p !== '').join('/')}`;
}

function listText(items: readonly string[], max = 3): string {
  return `${items.slice(0, max).join(', ')}${items.length > max ? `, … (${items.length - max} more)` : ''}`;
}

export function compareWithPolicy(input: ResolveInput, policy: Policy, base: ResolveResult, subjects: readonly PolicySubject[]): PolicyComparison {
  const controls = policy.controls.filter((c) => c.effect !== 'disabled' && c.requirements.some((r) => r.kind === 'mayReach'));
  if (controls.length === 0 || subjects.length === 0) return { findings: [], gaps: [] };
  const nicSubnet = new Map<string, string>();
  for (const nic of input.model.networkInterfaces) {
    const subnetId = primaryIpConfiguration(nic)?.subnetId;
    if (subnetId) nicSubnet.set(nic.id, subnetId);
  }
  const infos = new Map(buildSources(input, base, nicSubnet).map((s) => [`${s.source.type}|${s.source.id}`, s] as const));
  let tagIndex: ServiceTagIndex | null | undefined;
  const tags = (): ServiceTagIndex | null => {
    if (tagIndex === undefined) tagIndex = input.serviceTags ? buildServiceTagIndex(input.serviceTags) : null;
    return tagIndex;
  };
  const findings: TrafficFinding[] = [];
  const gaps: Gap[] = [];
  for (const control of controls) {
    const severity = control.effect === 'deny' ? 'error' : 'warning';
    for (const subject of subjects) {
      // A NIC without a path of its own is covered through its subnet, as `check` covers it.
      const info: SourceInfo | undefined = infos.get(`${subject.ref.type}|${subject.ref.id}`) ?? infos.get(`subnet|${subject.subnetId}`);
      if (!info || !inScope(control.scope, info)) continue;
      // Flows a firewall log recorded from this source (its connection logs, not DNS questions).
      const firewallSeen = new Set(subject.observed.filter((o) => o.protocol !== 'DNS' && [...o.logs].some((l) => !FLOW_LOGS.has(l))).map(flowKey));
      for (const requirement of control.requirements) {
        if (requirement.kind !== 'mayReach') continue;
        const where = `${policy.fileName}:${requirement.line}`;
        // One line per destination, port and protocol: the rules that let it through are listed together.
        const outside = new Map<string, { o: PolicyObservation; flows: number; first: string | null; last: string | null; rules: Set<string> }>();
        const unknown = new Map<Missing, { labels: Set<string>; tags: Set<string> }>();
        // Outside mayReach but allowed by the NSG only, on a path through a firewall or NVA (nsgOnly).
        const unconfirmed = new Map<string, { flows: number; via: Set<string> }>();
        for (const o of subject.observed) {
          if (!comparable(o)) continue;
          const judgement = judgeObserved(o, requirement.patterns, tags);
          if (judgement.kind === 'within') continue;
          const label = destinationLabel(o);
          if (nsgOnly(o)) {
            // The firewall's own record of the same flow decides: its allow is judged as that
            // observation, its deny (e.g. the default action, §1.3) means no connection was made.
            if (firewallSeen.has(flowKey(o))) continue;
            if (judgement.kind === 'outside') {
              const u = unconfirmed.get(label) ?? { flows: 0, via: new Set<string>() };
              u.flows += o.flows;
              for (const v of o.inspectedBy ?? []) u.via.add(v);
              unconfirmed.set(label, u);
              continue;
            }
          }
          if (judgement.kind === 'unknown') {
            const u = unknown.get(judgement.missing) ?? { labels: new Set<string>(), tags: new Set<string>() };
            u.labels.add(label);
            for (const t of judgement.tags) u.tags.add(t);
            unknown.set(judgement.missing, u);
            continue;
          }
          const found = outside.get(label) ?? { o, flows: 0, first: null, last: null, rules: new Set<string>() };
          found.flows += o.flows;
          if (o.firstSeen !== null && (found.first === null || o.firstSeen < found.first)) found.first = o.firstSeen;
          if (o.lastSeen !== null && (found.last === null || o.lastSeen > found.last)) found.last = o.lastSeen;
          found.rules.add(ruleText(o.rule));
          outside.set(label, found);
        }
        const ordered = [...outside].sort(([a, x], [b, y]) => y.flows - x.flows || (a < b ? -1 : a > b ? 1 : 0));
        for (const [label, f] of ordered) {
          const waiver = waiverFor(control, subject.ref, info.subnet, f.last);
          const seen = f.first === null ? '' : f.last !== null && f.last !== f.first ? ` between ${f.first} and ${f.last}` : ` at ${f.first}`;
          const base = `${subject.label}: ${label} was allowed (${f.flows} flow(s)${seen}, ${[...f.rules].join('; ')}) but is not within mayReach of control ${control.id} (${where})`;
          findings.push({
            code: 'observed-outside-policy',
            severity: waiver ? 'info' : severity,
            subject: subject.ref.id,
            message: waiver
              ? `${base}; waived by the exception for "${waiver.source.text}" (${waiver.ticket ? `${waiver.ticket}, ` : ''}until ${waiver.expires}, line ${waiver.line}): ${waiver.reason}.`
              : `${base}.`,
            policy: { file: policy.fileName, control: control.id, line: requirement.line, destination: f.o.destination, port: f.o.port, protocol: f.o.protocol },
          });
        }
        if (unconfirmed.size > 0) {
          const labels = [...unconfirmed.keys()];
          const via = [...new Set([...unconfirmed.values()].flatMap((u) => [...u.via]))];
          const flows = [...unconfirmed.values()].reduce((n, u) => n + u.flows, 0);
          gaps.push({
            code: 'not-modelled', scope: subject.ref.id, count: labels.length,
            message: `${control.id} (${where}): ${subject.label} passed the NSG to ${labels.length} destination(s) outside mayReach (${listText(labels)}; ${flows} flow(s) in flow logs), `
              + `but its path goes through ${via.length > 0 ? via.join(', ') : 'a firewall or NVA'}, and whether that allowed them is not in the logs given: a flow log records the NSG's decision only, so they are not reported as allowed.`,
          });
        }
        for (const [missing, u] of unknown) {
          const labels = [...u.labels];
          const why = missing === 'service-tags' ? MISSING_TEXT[missing].replace('the service tag(s)', `the service tag(s) ${[...u.tags].join(', ')}`) : MISSING_TEXT[missing];
          gaps.push({
            code: 'not-modelled', scope: subject.ref.id, count: labels.length,
            message: `${control.id} (${where}): ${labels.length} destination(s) ${subject.label} was observed reaching could not be judged against mayReach (${listText(labels)}): ${why}.`,
          });
        }
      }
    }
  }
  return { findings, gaps };
}
