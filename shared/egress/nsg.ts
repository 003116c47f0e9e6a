/**
 * Outbound NSG evaluation: priority order, first match wins; the NIC's NSG first, then the
 * subnet's; a deny in either drops the traffic [NSG]
 * https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 */
import type { ResourceId } from '../model/ids';
import { Ipv4Set, publicIpv4 } from '../model/ip-set';
import type { NetworkSecurityGroup, SecurityRule } from '../model/topology';
import type { Cidr } from '../model/ip';
import { formatIp } from '../model/ip';
import { destinationCoverage, entriesCoverDestination, portRangeCovers } from './destination';
import type { CoverageOptions, SourceAddress, TrafficSpec } from './destination';

/** Azure's default outbound rules, used when a captured NSG came without them [NSG]. */
export const DEFAULT_OUTBOUND_RULES: readonly SecurityRule[] = [
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', protocol: '*', sourceAddressPrefixes: ['VirtualNetwork'],
    destinationAddressPrefixes: ['VirtualNetwork'], destinationPortRanges: ['*'], isDefault: true },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', protocol: '*', sourceAddressPrefixes: ['*'],
    destinationAddressPrefixes: ['Internet'], destinationPortRanges: ['*'], isDefault: true },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', protocol: '*', sourceAddressPrefixes: ['*'],
    destinationAddressPrefixes: ['*'], destinationPortRanges: ['*'], isDefault: true },
];

export interface NsgDecision {
  readonly access: 'Allow' | 'Deny';
  readonly rule: SecurityRule;
  /** True when the model's NSG lacked default rules and Azure's were assumed. */
  readonly defaultsAssumed: boolean;
}

function protocolCovers(ruleProtocol: string, protocol: 'Tcp' | 'Udp'): boolean {
  const p = ruleProtocol.trim().toLowerCase();
  return p === '*' || p === 'any' || p === protocol.toLowerCase();
}

/**
 * How a rule's match condition relates to a source: it certainly matches, certainly does not, or
 * may match (`maybe`), when the answer depends on a fact the source entry does not carry. A subnet
 * entry stands for every VM of the subnet, so a rule naming only part of the subnet matches some of
 * them; an outbound connection's source port is chosen by the VM's OS.
 */
type Match = 'yes' | 'no' | 'maybe';

/** Why a rule may or may not match this source: the fact that would decide it. */
export type SourceUncertainty =
  /** The rule's source prefixes cover part of the source (a subnet entry): it depends on the VM's private IP. */
  | { readonly kind: 'source-address'; readonly covered: readonly string[]; readonly source: readonly string[] }
  /** The rule's source ports cover part of the ephemeral range: it depends on the OS's ephemeral port range. */
  | { readonly kind: 'source-port'; readonly ports: readonly string[] };

/**
 * The source port of an outbound client connection is an ephemeral port the VM's OS picks. Every
 * common ephemeral range lies in 1024–65535: IANA's dynamic range is 49152–65535 and ports 0–1023
 * are system (well-known) ports (RFC 6335 §6, https://www.rfc-editor.org/rfc/rfc6335#section-6);
 * Windows uses 49152–65535 (https://learn.microsoft.com/troubleshoot/windows-server/networking/default-dynamic-port-range-tcpip-chang);
 * Linux 32768–60999 (`net.ipv4.ip_local_port_range`, https://www.kernel.org/doc/html/latest/networking/ip-sysctl.html).
 * So a rule covering all of 1024–65535 matches whatever the OS, one disjoint from it never does,
 * and anything in between depends on the OS's range: unknown.
 */
export const EPHEMERAL_PORTS = { low: 1024, high: 65535 } as const;

/** Per source-port list: does it match an ephemeral source port. */
const sourcePortMatches = new WeakMap<readonly string[], Match>();

function sourcePortMatch(rule: SecurityRule): Match {
  const ranges = rule.sourcePortRanges;
  // Absent (any port, or a snapshot from before the field was kept) or empty means every source port.
  if (!ranges || ranges.length === 0) return 'yes';
  let found = sourcePortMatches.get(ranges);
  if (found) return found;
  const intervals: { readonly low: number; readonly high: number }[] = [];
  let unreadable = false;
  for (const raw of ranges) {
    const r = raw.trim();
    if (r === '*' || r.toLowerCase() === 'any') { intervals.push({ low: 0, high: 65535 }); continue; }
    const dash = r.indexOf('-');
    const low = Number(dash < 0 ? r : r.slice(0, dash));
    const high = Number(dash < 0 ? r : r.slice(dash + 1));
    if (r === '' || !Number.isInteger(low) || !Number.isInteger(high) || low > high) { unreadable = true; continue; }
    intervals.push({ low, high });
  }
  // The part of the ephemeral range the rule covers, walked in port order.
  const overlapping = intervals
    .map((i) => ({ low: Math.max(i.low, EPHEMERAL_PORTS.low), high: Math.min(i.high, EPHEMERAL_PORTS.high) }))
    .filter((i) => i.low <= i.high).sort((a, b) => a.low - b.low);
  let next: number = EPHEMERAL_PORTS.low;
  for (const i of overlapping) if (i.low <= next) next = Math.max(next, i.high + 1);
  found = next > EPHEMERAL_PORTS.high ? 'yes' : overlapping.length === 0 && !unreadable ? 'no' : 'maybe';
  sourcePortMatches.set(ranges, found);
  return found;
}

/**
 * A rule's source prefixes, parsed once: `*`/`Any` and `VirtualNetwork` cover every source here
 * (each is a private address in a VNet); IPv4 CIDRs, addresses and `a-b` ranges form one set (an
 * augmented rule matches a source in any of its prefixes [NSG] "Augmented security rules"); other
 * service tags (`Internet`, `AzureCloud`, ...) hold public Azure ranges and cover no VNet source.
 */
interface SourcePrefixes {
  readonly any: boolean;
  readonly set: Ipv4Set;
}

const parsedSourcePrefixes = new WeakMap<readonly string[], SourcePrefixes>();

function sourcePrefixesOf(entries: readonly string[]): SourcePrefixes {
  let parsed = parsedSourcePrefixes.get(entries);
  if (!parsed) {
    let any = false;
    let set = Ipv4Set.empty();
    for (const raw of entries) {
      const e = raw.trim();
      const lower = e.toLowerCase();
      if (lower === '*' || lower === 'any' || lower === 'virtualnetwork' || lower === 'virtual_network') { any = true; continue; }
      const exact = e.includes('-') ? Ipv4Set.tryFromRange(e) : Ipv4Set.tryFromCidr(e);
      if (exact) set = set.union(exact);
    }
    parsed = { any, set };
    parsedSourcePrefixes.set(entries, parsed);
  }
  return parsed;
}

/** The source's IPv4 addresses as a set, made once per source CIDR list. */
const sourceSets = new WeakMap<readonly Cidr[], Ipv4Set>();

function sourceSetOf(source: SourceAddress): Ipv4Set {
  let set = sourceSets.get(source.cidrs);
  if (!set) {
    set = source.cidrs.reduce((acc, c) => acc.union(Ipv4Set.tryFromCidr(c) ?? Ipv4Set.empty()), Ipv4Set.empty());
    sourceSets.set(source.cidrs, set);
  }
  return set;
}

/**
 * The source side of a rule: with source ASGs, only members match (a subnet entry, which carries no
 * memberships, never does) [ASG]; otherwise the union of the address prefixes (none listed = any):
 * covering the whole source, it matches; disjoint from it, it does not; covering part of it (a
 * subnet entry, whose VMs' addresses are the subnet's), it matches some VMs and not others.
 * https://learn.microsoft.com/azure/virtual-network/application-security-groups
 */
function sourceMatch(rule: SecurityRule, source: SourceAddress): Match {
  const asgs = rule.sourceApplicationSecurityGroupIds;
  if (asgs && asgs.length > 0) return isMember(source.applicationSecurityGroupIds, asgs) ? 'yes' : 'no';
  if (rule.sourceAddressPrefixes.length === 0) return 'yes';
  const prefixes = sourcePrefixesOf(rule.sourceAddressPrefixes);
  if (prefixes.any) return 'yes';
  const own = sourceSetOf(source);
  // No IPv4 source address (none known, or IPv6 only): no IPv4 prefix covers it, as before.
  if (own.isEmpty() || prefixes.set.isEmpty()) return 'no';
  if (prefixes.set.containsSet(own)) return 'yes';
  return prefixes.set.overlaps(own) ? 'maybe' : 'no';
}

/** What decides a `maybe` match of this rule for this source (address first, then port). */
function uncertaintyOf(rule: SecurityRule, source: SourceAddress): SourceUncertainty {
  if (sourceMatch(rule, source) === 'maybe') {
    const own = sourceSetOf(source);
    return { kind: 'source-address', covered: sourcePrefixesOf(rule.sourceAddressPrefixes).set.intersect(own).toCidrs(), source: own.toCidrs() };
  }
  return { kind: 'source-port', ports: rule.sourcePortRanges ?? [] };
}

function isMember(memberships: readonly ResourceId[] | undefined, asgs: readonly ResourceId[]): boolean {
  return memberships !== undefined && memberships.some((id) => asgs.includes(id));
}

/** Destination ASGs hold NICs, never an internet address: such a rule never matches here [ASG]. */
function hasDestinationAsgs(rule: SecurityRule): boolean {
  return (rule.destinationApplicationSecurityGroupIds?.length ?? 0) > 0;
}

/**
 * The part of `universe` a rule with destination ASGs certainly covers (addresses of NICs in the
 * input that are members) and the part it may cover: a private address (or one in the VNet's own
 * or peered space) whose NIC is not in the input, or, for a range, any such address other than the
 * known NICs'. ASG members are NICs, addressed by their private IPs [ASG]
 * https://learn.microsoft.com/azure/virtual-network/application-security-groups, so an internet
 * address outside the VNet space is never covered.
 */
function destinationAsgScope(rule: SecurityRule, traffic: TrafficSpec, universe: Ipv4Set, options: NsgEvaluationOptions): { readonly members: Ipv4Set; readonly unknown: Ipv4Set } {
  const asgs = rule.destinationApplicationSecurityGroupIds ?? [];
  const privateSpace = universe.subtract(publicIpv4()).union(universe.intersect((options.virtualNetworkKnown ?? []).reduce(
    (set, p) => set.union(Ipv4Set.tryFromCidr(p) ?? Ipv4Set.empty()), Ipv4Set.empty())));
  const d = traffic.destination;
  // The default route (0.0.0.0/0) never carries VNet addresses (the VnetLocal / peering routes do).
  if (privateSpace.isEmpty() || d.kind === 'default-route') return { members: Ipv4Set.empty(), unknown: Ipv4Set.empty() };
  const ip = d.kind === 'address' ? d.ip : d.kind === 'name' ? d.address : null;
  if (ip && ip.version === 4 && options.destinationAsgsOf) {
    const held = options.destinationAsgsOf(formatIp(ip));
    if (held !== null) return { members: held.some((id) => asgs.includes(id)) ? privateSpace : Ipv4Set.empty(), unknown: Ipv4Set.empty() };
  }
  // No NIC known for the address, or a range of addresses: membership not known there.
  return { members: Ipv4Set.empty(), unknown: privateSpace };
}

/**
 * Protocol, source, source port and destination port: everything but the destination.
 * `sourcePortsAsAny`: every rule's source ports are read as `*` (see NsgEvaluationOptions).
 */
function ruleMatchExceptDestination(rule: SecurityRule, traffic: TrafficSpec, source: SourceAddress, sourcePortsAsAny = false): Match {
  if (!protocolCovers(rule.protocol, traffic.protocol)) return 'no';
  if (rule.destinationPortRanges.length > 0 && !rule.destinationPortRanges.some((r) => portRangeCovers(r, traffic.port))) return 'no';
  const bySource = sourceMatch(rule, source);
  if (bySource === 'no') return 'no';
  const byPort = sourcePortsAsAny ? 'yes' : sourcePortMatch(rule);
  if (byPort === 'no') return 'no';
  return bySource === 'yes' && byPort === 'yes' ? 'yes' : 'maybe';
}

/** Only certain matches: the legacy first-match evaluation below takes a rule that may match as not matching. */
function ruleMatches(rule: SecurityRule, traffic: TrafficSpec, source: SourceAddress): boolean {
  return ruleMatchExceptDestination(rule, traffic, source) === 'yes'
    && !hasDestinationAsgs(rule)
    && entriesCoverDestination(rule.destinationAddressPrefixes, traffic.destination);
}

/** The first outbound rule (by priority) that matches; Azure's defaults fill in when the model has none. */
export function evaluateNsg(nsg: NetworkSecurityGroup, traffic: TrafficSpec, source: SourceAddress): NsgDecision {
  const outbound = nsg.securityRules.filter((r) => r.direction === 'Outbound');
  const defaultsAssumed = !outbound.some((r) => r.isDefault);
  const rules = [...outbound, ...(defaultsAssumed ? DEFAULT_OUTBOUND_RULES : [])].sort((a, b) => a.priority - b.priority);
  for (const rule of rules) {
    if (ruleMatches(rule, traffic, source)) return { access: rule.access, rule, defaultsAssumed };
  }
  // Unreachable with DenyAllOutBound present; kept total for a malformed rule set.
  const denyAll = DEFAULT_OUTBOUND_RULES[2] as SecurityRule;
  return { access: 'Deny', rule: denyAll, defaultsAssumed: true };
}

// ---------------------------------------------------------------------------------------------
// Range-aware evaluation: both directions, the default route as a range, ASGs, tags without data.

export type NsgDirection = 'Inbound' | 'Outbound';

/**
 * Azure's default inbound rules, used when a captured NSG came without them [NSG]
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules
 * (Learn lists AllowAzureLoadBalancerInBound's destination as 0.0.0.0/0; ARM returns `*`.)
 */
export const DEFAULT_INBOUND_RULES: readonly SecurityRule[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefixes: ['VirtualNetwork'],
    destinationAddressPrefixes: ['VirtualNetwork'], destinationPortRanges: ['*'], isDefault: true },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefixes: ['AzureLoadBalancer'],
    destinationAddressPrefixes: ['*'], destinationPortRanges: ['*'], isDefault: true },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefixes: ['*'],
    destinationAddressPrefixes: ['*'], destinationPortRanges: ['*'], isDefault: true },
];

export interface NsgEvaluationOptions extends CoverageOptions {
  /**
   * The application security groups of the NIC IP configuration(s) holding a private address (as
   * written, e.g. `10.1.2.4`), or null when no NIC in the input holds it. A rule naming destination
   * ASGs applies to the members' addresses [ASG]
   * https://learn.microsoft.com/azure/virtual-network/application-security-groups; without this,
   * whether such a rule matches a private destination is not known.
   */
  readonly destinationAsgsOf?: (address: string) => readonly ResourceId[] | null;
  /**
   * Read every rule's source port ranges as `*`. For traffic destined to a private endpoint (its
   * subnet's NSG, applied by network policies), "Source port filtering is interpreted as *":
   * "Source port filtering isn't actively used as valid scenario of traffic filtering for traffic
   * destined to a private endpoint" [PEOV] https://learn.microsoft.com/azure/private-link/private-endpoint-overview#network-security-group
   * So a rule limited to source port 80 matches every source port there: a Deny denies all of it,
   * an Allow allows all of it (never the ephemeral-port reading used elsewhere).
   */
  readonly sourcePortsAsAny?: boolean;
}

/** One rule's part in a verdict. */
export interface NsgRuleEffect {
  readonly nsgId: ResourceId;
  readonly rule: SecurityRule;
  /**
   * The destination addresses this rule certainly decided (minimal IPv4 CIDR cover), or, for
   * `kind: 'uncertain-tag'`, the addresses it decides if its tag covers them.
   */
  readonly prefixes: readonly string[];
  /**
   * `uncertain-source`: the rule may or may not match the source (part of a subnet's addresses, or
   * part of the ephemeral source ports); `prefixes` are the addresses it decides if it does.
   */
  readonly kind: 'decided' | 'uncertain-tag' | 'uncertain-source' | 'uncertain-destination-asg';
  /** The tag (as written) for `uncertain-tag`; null otherwise. */
  readonly tag: string | null;
}

/** A fact the model lacks and the verdict depends on: the verdict names it instead of guessing. */
export type NsgMissingFact =
  /** A service tag's prefixes (e.g. `Storage`, `AzureCloud.WestEurope`): no service-tag data in the model. */
  | { readonly kind: 'service-tag-prefixes'; readonly tag: string }
  /**
   * What the `VirtualNetwork` tag contains here: it includes "address prefixes used on user-defined
   * routes" and "might also contain default routes" [TAG]; Learn does not say which NIC's routes
   * count, so whether it covers a public destination is open.
   */
  | { readonly kind: 'virtual-network-tag-contents'; readonly tag: string }
  /** IPv6 destinations are not evaluated by this range model. */
  | { readonly kind: 'ipv6-destination' }
  /**
   * Whether a rule matches the sender: its source prefixes cover only part of the source (a subnet
   * entry: it depends on the VM's private IP), or its source ports only part of the ephemeral range.
   */
  | (SourceUncertainty & { readonly rule: string })
  /** Whether the destination address belongs to a NIC in one of these destination ASGs: no NIC in the input holds it. */
  | { readonly kind: 'destination-asg-membership'; readonly rule: string; readonly asgs: readonly string[]; readonly address: string };

interface VerdictBase {
  /** The rules that decided (or may decide) part of the destination space, in evaluation order. */
  readonly rules: readonly NsgRuleEffect[];
  /** True when a captured NSG lacked default rules for the direction and Azure's were assumed. */
  readonly defaultsAssumed: boolean;
  /** One or two sentences for the explanation. */
  readonly reason: string;
}

/**
 * The NSG result for a destination. For the default route ("the internet", i.e. all public IPv4
 * space) `Partial` means some of it is allowed: `allowedPrefixes`, plus the addresses of
 * `allowedServiceTags`, minus those of `exceptServiceTags` (tags the model has no prefixes for).
 * `Unknown` names the missing facts; it is never replaced by a guess.
 */
export type NsgVerdict =
  | (VerdictBase & { readonly access: 'Allow' })
  | (VerdictBase & { readonly access: 'Deny' })
  | (VerdictBase & {
      readonly access: 'Partial';
      readonly allowedPrefixes: readonly string[];
      readonly allowedServiceTags: readonly string[];
      readonly exceptServiceTags: readonly string[];
    })
  | (VerdictBase & { readonly access: 'Unknown'; readonly missing: readonly NsgMissingFact[] });

/** A rule's part, in evaluation order: a certain decision, or a possible one through a tag. */
type ScanEffect =
  | { readonly kind: 'decided'; readonly nsgId: ResourceId; readonly rule: SecurityRule; readonly region: Ipv4Set }
  | { readonly kind: 'virtual-network' | 'service-tag'; readonly nsgId: ResourceId; readonly rule: SecurityRule; readonly tag: string; readonly region: Ipv4Set }
  /** A rule that may or may not match the source (see {@link SourceUncertainty}): it possibly decides `region`. */
  | { readonly kind: 'uncertain-source'; readonly nsgId: ResourceId; readonly rule: SecurityRule; readonly uncertainty: SourceUncertainty; readonly region: Ipv4Set }
  /** A rule naming destination ASGs whose members' addresses are not known for `region`: it possibly decides it. */
  | { readonly kind: 'destination-asg'; readonly nsgId: ResourceId; readonly rule: SecurityRule; readonly region: Ipv4Set };

type TagHit = Extract<ScanEffect, { kind: 'virtual-network' | 'service-tag' }>;
type SourceHit = Extract<ScanEffect, { kind: 'uncertain-source' }>;
type AsgHit = Extract<ScanEffect, { kind: 'destination-asg' }>;

const ASG_DOC = 'https://learn.microsoft.com/azure/virtual-network/application-security-groups';

/** A rule's destination ASGs by name (the last segment of the ID). */
function asgNames(rule: SecurityRule): string[] {
  return (rule.destinationApplicationSecurityGroupIds ?? []).map((id) => id.slice(id.lastIndexOf('/') + 1));
}

function isTagHit(e: ScanEffect): e is TagHit {
  return e.kind === 'virtual-network' || e.kind === 'service-tag';
}

function isSourceHit(e: ScanEffect): e is SourceHit {
  return e.kind === 'uncertain-source';
}

/** Per-address outcomes of one NSG over the destination universe, across unknown tag contents. */
interface Scan {
  /** Addresses that some possible tag content lets through / stops. Both = depends on the tag. */
  readonly possibleAllow: Ipv4Set;
  readonly possibleDeny: Ipv4Set;
  /** Allowed when every uncertain tag covers nothing (the certain decisions alone). */
  readonly baseAllowed: Ipv4Set;
  readonly effects: readonly ScanEffect[];
  readonly defaultsAssumed: boolean;
}

function certainly(scan: Scan, access: 'Allow' | 'Deny'): Ipv4Set {
  return access === 'Allow' ? scan.possibleAllow.subtract(scan.possibleDeny) : scan.possibleDeny.subtract(scan.possibleAllow);
}

function rulesFor(nsg: NetworkSecurityGroup, direction: NsgDirection): { readonly rules: readonly SecurityRule[]; readonly defaultsAssumed: boolean } {
  const own = nsg.securityRules.filter((r) => r.direction === direction);
  const defaultsAssumed = !own.some((r) => r.isDefault);
  const defaults = direction === 'Inbound' ? DEFAULT_INBOUND_RULES : DEFAULT_OUTBOUND_RULES;
  // Stable sort: equal priorities (not allowed by Azure) keep the captured order.
  return { rules: [...own, ...(defaultsAssumed ? defaults : [])].sort((a, b) => a.priority - b.priority), defaultsAssumed };
}

/**
 * Priority order, first match wins [NSG], applied to a set of destinations at once: each matching
 * rule decides the still-undecided part its destination covers. A tag without prefix data may or
 * may not cover an address, so such addresses are recorded as possibly decided by the rule and
 * stay undecided for the rules after it (the world where the tag does not cover them).
 */
function scanNsg(nsg: NetworkSecurityGroup, traffic: TrafficSpec, source: SourceAddress, direction: NsgDirection,
  universe: Ipv4Set, options: NsgEvaluationOptions, after: SecurityRule | null = null): Scan {
  const ordered = rulesFor(nsg, direction);
  const defaultsAssumed = ordered.defaultsAssumed;
  // `after`: continue from the rule after this one (what an address not matched by it meets next).
  const rules = after === null ? ordered.rules : ordered.rules.slice(ordered.rules.indexOf(after) + 1);
  let pending = universe;
  let possibleAllow = Ipv4Set.empty();
  let possibleDeny = Ipv4Set.empty();
  let baseAllowed = Ipv4Set.empty();
  const effects: ScanEffect[] = [];
  for (const rule of rules) {
    if (pending.isEmpty()) break;
    const match = ruleMatchExceptDestination(rule, traffic, source, options.sourcePortsAsAny === true);
    if (match === 'no') continue;
    if (hasDestinationAsgs(rule)) {
      // The rule's destination is its ASGs' member addresses [ASG]: decided where membership is
      // known, possibly decided where a private address's NIC is not in the input.
      const { members, unknown } = destinationAsgScope(rule, traffic, pending, options);
      const maybeRegion = match === 'maybe' ? pending.intersect(members.union(unknown)) : pending.intersect(unknown);
      const region = match === 'maybe' ? Ipv4Set.empty() : pending.intersect(members);
      if (!region.isEmpty()) {
        if (rule.access === 'Allow') { possibleAllow = possibleAllow.union(region); baseAllowed = baseAllowed.union(region); }
        else possibleDeny = possibleDeny.union(region);
        pending = pending.subtract(region);
        effects.push({ kind: 'decided', nsgId: nsg.id, rule, region });
      }
      if (!maybeRegion.isEmpty()) {
        if (rule.access === 'Allow') possibleAllow = possibleAllow.union(maybeRegion);
        else possibleDeny = possibleDeny.union(maybeRegion);
        effects.push(match === 'maybe' && !pending.intersect(members).isEmpty()
          ? { kind: 'uncertain-source', nsgId: nsg.id, rule, uncertainty: uncertaintyOf(rule, source), region: maybeRegion }
          : { kind: 'destination-asg', nsgId: nsg.id, rule, region: maybeRegion });
      }
      continue;
    }
    const coverage = destinationCoverage(rule.destinationAddressPrefixes, options);
    if (match === 'maybe') {
      // Like a tag of unknown contents: the addresses it would decide are possibly decided by it,
      // and stay undecided for the rules after it (the VMs / ports it does not match).
      const scope = coverage.uncertainTags.reduce((set, t) => set.union(t.scope), coverage.certain);
      const maybe = pending.intersect(scope);
      if (maybe.isEmpty()) continue;
      if (rule.access === 'Allow') possibleAllow = possibleAllow.union(maybe);
      else possibleDeny = possibleDeny.union(maybe);
      effects.push({ kind: 'uncertain-source', nsgId: nsg.id, rule, uncertainty: uncertaintyOf(rule, source), region: maybe });
      continue;
    }
    const region = pending.intersect(coverage.certain);
    if (!region.isEmpty()) {
      if (rule.access === 'Allow') { possibleAllow = possibleAllow.union(region); baseAllowed = baseAllowed.union(region); }
      else possibleDeny = possibleDeny.union(region);
      pending = pending.subtract(region);
      effects.push({ kind: 'decided', nsgId: nsg.id, rule, region });
    }
    for (const tag of coverage.uncertainTags) {
      const maybe = pending.intersect(tag.scope);
      if (maybe.isEmpty()) continue;
      if (rule.access === 'Allow') possibleAllow = possibleAllow.union(maybe);
      else possibleDeny = possibleDeny.union(maybe);
      effects.push({ kind: tag.kind, nsgId: nsg.id, rule, tag: tag.tag, region: maybe });
    }
  }
  // Only reachable for a captured rule set whose defaults lack a catch-all: Azure denies the rest.
  possibleDeny = possibleDeny.union(pending);
  return { possibleAllow, possibleDeny, baseAllowed, effects, defaultsAssumed };
}

/** The destination addresses the rules are applied to: one address, a range, or all public space (default route, or a name whose address is not known). */
function destinationUniverse(traffic: TrafficSpec): Ipv4Set | null {
  const d = traffic.destination;
  switch (d.kind) {
    case 'default-route': return publicIpv4();
    case 'range': return d.set;
    case 'address': return d.ip.version === 4 ? Ipv4Set.fromRange(d.ip.value, d.ip.value) : null;
    case 'name':
      if (!d.address) return publicIpv4();
      return d.address.version === 4 ? Ipv4Set.fromRange(d.address.value, d.address.value) : null;
  }
}

const MAX_LISTED = 4;

function listPrefixes(prefixes: readonly string[]): string {
  return prefixes.length <= MAX_LISTED ? prefixes.join(', ') : `${prefixes.slice(0, MAX_LISTED).join(', ')} and ${prefixes.length - MAX_LISTED} more`;
}

/** `rule A matches` / `rules A, B match`. */
function listRules(labels: readonly string[]): string {
  const unique = [...new Set(labels)];
  return unique.length === 1 ? `${unique[0] ?? ''} matches` : `${unique.join(', ')} match`;
}

function ruleLabel(rule: SecurityRule): string {
  return `${rule.name} (${rule.priority})`;
}

const TAG_DOC = 'https://learn.microsoft.com/azure/virtual-network/service-tags-overview';

/**
 * The NSGs a packet crosses, in Azure's order (outbound: NIC then subnet; inbound: subnet then NIC
 * [NSGHOW] https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works),
 * evaluated for the traffic's destination: an address passes only if every NSG allows it.
 *
 * - Default route: the destination is all public IPv4 space; the result is Allow (all of it),
 *   Deny (none, e.g. deny 0.0.0.0/1 + deny 128.0.0.0/1), or Partial with the allowed prefixes.
 * - An address: first match, as Azure does.
 * - Source ASGs match members only; destination ASGs never match an internet address [ASG].
 * - The `Internet` tag is "the IP address space that's outside the virtual network" [TAG]: the
 *   VNet's own and peered ranges (`options.virtualNetworkKnown`) are left out of it, so a deny on
 *   Internet does not drop traffic to a VNet that uses public ranges as its address space.
 * - Tags without prefix data: an allow on one makes the default route Partial (naming the tag);
 *   wherever the answer would depend on the tag's contents for a specific address, Unknown.
 * - The `VirtualNetwork` tag "might also contain default routes" [TAG]: unless its prefixes are
 *   passed in `options`, a verdict that depends on whether it covers a public address is Unknown.
 *   This matters for traffic forwarded through an NVA (inbound at the NVA, source = the original
 *   sender, destination = the internet address): AllowVnetInBound (VirtualNetwork → VirtualNetwork)
 *   admits it only if the tag, as applied to the NVA's NIC, contains the destination. Learn does not
 *   say which route tables feed the tag; `az network nic list-effective-nsg` shows the expansion.
 *   (User reports, not documentation: with a 0.0.0.0/0 UDR the tag was seen to contain 0.0.0.0/0,
 *   MicrosoftDocs/azure-docs#22178; and to take its UDR prefixes from the route table of the NIC's
 *   own subnet, MicrosoftDocs/azure-docs#124192. Hence Unknown rather than a confident answer.)
 */
export function evaluateNsgChain(nsgs: readonly NetworkSecurityGroup[], traffic: TrafficSpec, source: SourceAddress,
  direction: NsgDirection, options: NsgEvaluationOptions = {}): NsgVerdict {
  const universe = destinationUniverse(traffic);
  if (!universe) {
    return { access: 'Unknown', rules: [], defaultsAssumed: false, missing: [{ kind: 'ipv6-destination' }],
      reason: 'IPv6 destinations are not evaluated against NSG rules by this model.' };
  }
  if (nsgs.length === 0) {
    // No NSG on the NIC or subnet: everything is allowed [NSGHOW].
    return { access: 'Allow', rules: [], defaultsAssumed: false, reason: 'No network security group applies, so all traffic is allowed.' };
  }
  const scans = scansWithoutIrrelevantVirtualNetworkTag(nsgs, traffic, source, direction, universe, options);
  let certainlyAllowed = universe;
  let certainlyDenied = Ipv4Set.empty();
  let baseAllowed = universe;
  for (const scan of scans) {
    certainlyAllowed = certainlyAllowed.intersect(scan.possibleAllow.subtract(scan.possibleDeny));
    certainlyDenied = certainlyDenied.union(scan.possibleDeny.subtract(scan.possibleAllow));
    baseAllowed = baseAllowed.intersect(scan.baseAllowed);
  }
  const uncertain = universe.subtract(certainlyAllowed).subtract(certainlyDenied);
  const relevant = scans.flatMap((s) => s.effects).filter((e) => e.kind === 'decided' || e.region.overlaps(uncertain));
  const relevantHits = relevant.filter(isTagHit);
  const sourceHits = relevant.filter(isSourceHit);
  const asgHits = relevant.filter((e): e is AsgHit => e.kind === 'destination-asg');
  const rules = relevant.map((e): NsgRuleEffect => (isTagHit(e)
    ? { nsgId: e.nsgId, rule: e.rule, prefixes: e.region.toCidrs(), kind: 'uncertain-tag', tag: e.tag }
    : { nsgId: e.nsgId, rule: e.rule, prefixes: e.region.toCidrs(), kind: e.kind === 'decided' ? 'decided' : e.kind === 'destination-asg' ? 'uncertain-destination-asg' : 'uncertain-source', tag: null }));
  const defaultsAssumed = scans.some((s) => s.defaultsAssumed);
  const what = traffic.destination.kind === 'default-route' ? 'the internet' : traffic.destination.text;
  const flow = `${direction.toLowerCase()} ${traffic.protocol} ${traffic.port} to ${what}`;
  const deciders = (access: 'Allow' | 'Deny'): string => [...new Set(rules.filter((r) => r.kind === 'decided' && r.rule.access === access).map((r) => ruleLabel(r.rule)))].join(', ');

  if (uncertain.isEmpty()) {
    if (certainlyAllowed.equals(universe)) return { access: 'Allow', rules, defaultsAssumed, reason: `${deciders('Allow')} allow ${flow}.` };
    if (certainlyAllowed.isEmpty()) return { access: 'Deny', rules, defaultsAssumed, reason: `${deciders('Deny')} deny ${flow}.` };
    const allowedPrefixes = certainlyAllowed.toCidrs();
    return { access: 'Partial', rules, defaultsAssumed, allowedPrefixes, allowedServiceTags: [], exceptServiceTags: [],
      reason: `Only part of ${what} is allowed (${flow}): ${listPrefixes(allowedPrefixes)} by ${deciders('Allow')}; ${deciders('Deny')} deny the rest.` };
  }

  if (sourceHits.length > 0) {
    // The answer depends on which VM sends (or on its OS's ephemeral ports): never a guess, never a
    // Partial that would read as "these prefixes are allowed from every VM".
    const missing = sourceHits.map((h): NsgMissingFact => ({ ...h.uncertainty, rule: h.rule.name }));
    return { access: 'Unknown', rules, defaultsAssumed, missing,
      reason: `${flow}: ${[...new Set(sourceHits.map((h) => sourceUncertaintyText(h.rule, h.uncertainty)))].join(' ')}` };
  }
  if (asgHits.length > 0) {
    // Which NICs are in a destination ASG is not in the input for these addresses: never a guess.
    const address = traffic.destination.kind === 'default-route' ? what : traffic.destination.text;
    const missing = asgHits.map((h): NsgMissingFact => ({ kind: 'destination-asg-membership', rule: h.rule.name, asgs: asgNames(h.rule), address }));
    return { access: 'Unknown', rules, defaultsAssumed, missing,
      reason: `${flow}: ${[...new Set(asgHits.map((h) => `rule ${ruleLabel(h.rule)} applies to destinations in application security group ${asgNames(h.rule).join(', ')}, and no NIC holding ${address} is in the input, so whether it is a member is not known (${ASG_DOC}).`))].join(' ')}` };
  }
  const vnetHits = relevantHits.filter((h) => h.kind === 'virtual-network');
  if (vnetHits.length > 0) {
    const tag = vnetHits[0]?.tag ?? 'VirtualNetwork';
    return { access: 'Unknown', rules, defaultsAssumed, missing: [{ kind: 'virtual-network-tag-contents', tag }],
      reason: `${listRules(vnetHits.map((h) => ruleLabel(h.rule)))} the ${tag} service tag, and whether that tag contains ${what} is not known: it includes address prefixes used on user-defined routes and "might also contain default routes" (${TAG_DOC}). Check the expanded prefixes with az network nic list-effective-nsg.` };
  }
  const tagsOf = (access: 'Allow' | 'Deny'): string[] => [...new Set(relevantHits.filter((h) => h.rule.access === access).map((h) => h.tag))];
  if (traffic.destination.kind === 'address') {
    const tags = [...new Set(relevantHits.map((h) => h.tag))];
    return { access: 'Unknown', rules, defaultsAssumed, missing: tags.map((tag) => ({ kind: 'service-tag-prefixes', tag })),
      reason: `Whether ${what} is allowed depends on whether it belongs to service tag ${tags.join(', ')}, whose prefixes are not in ${tagDataName(options)} (${TAG_DOC}).` };
  }
  const allowedPrefixes = baseAllowed.toCidrs();
  const allowedServiceTags = tagsOf('Allow');
  const exceptServiceTags = tagsOf('Deny');
  const parts = [
    allowedPrefixes.length > 0 ? listPrefixes(allowedPrefixes) : null,
    allowedServiceTags.length > 0 ? `service tag ${allowedServiceTags.join(', ')}` : null,
  ].filter((p): p is string => p !== null).join(' and ');
  const except = exceptServiceTags.length > 0 ? `, except service tag ${exceptServiceTags.join(', ')}` : '';
  return { access: 'Partial', rules, defaultsAssumed, allowedPrefixes, allowedServiceTags, exceptServiceTags,
    reason: `Only part of ${what} is allowed (${flow}): ${parts || 'nothing named'}${except}. Service tag prefixes are not in ${tagDataName(options)} (${TAG_DOC}).` };
}

/** The missing fact behind a rule that may or may not match the source, in words. */
function sourceUncertaintyText(rule: SecurityRule, u: SourceUncertainty): string {
  if (u.kind === 'source-address') {
    return `rule ${ruleLabel(rule)} applies only to sources in ${listPrefixes(u.covered)}, part of ${listPrefixes(u.source)}: whether it decides depends on the VM's private IP address (a NIC whose address the rule names has an entry of its own).`;
  }
  return `rule ${ruleLabel(rule)} matches source ports ${u.ports.join(', ')} only: an outbound connection's source port is an ephemeral port chosen by the VM's OS (somewhere in ${EPHEMERAL_PORTS.low}-${EPHEMERAL_PORTS.high}), so whether it matches depends on the OS's ephemeral port range.`;
}

/** Where tag prefixes would have come from: the snapshot has none, or the given data lacks the tag. */
function tagDataName(options: NsgEvaluationOptions): string {
  return options.serviceTags ? `the service tag data (change number ${options.serviceTags.changeNumber})` : 'the snapshot';
}

/**
 * The `VirtualNetwork` tag's unknown contents matter only where a rule on it could change an
 * outcome. For every rule that matched through the tag, the addresses it may decide are scanned
 * again from the next rule on, with the tag covering nothing: if that continuation decides them
 * the same way in every case (e.g. AllowVnetOutBound 65000 followed by AllowInternetOutBound
 * 65001), the tag's contents cannot change the outcome, and the NSGs are scanned with the tag
 * covering nothing of the destinations. Otherwise the verdict will be Unknown, naming the tag.
 */
function scansWithoutIrrelevantVirtualNetworkTag(nsgs: readonly NetworkSecurityGroup[], traffic: TrafficSpec, source: SourceAddress,
  direction: NsgDirection, universe: Ipv4Set, options: NsgEvaluationOptions): readonly Scan[] {
  const scans = nsgs.map((nsg) => scanNsg(nsg, traffic, source, direction, universe, options));
  if (options.virtualNetworkPrefixes !== undefined || !scans.some((s) => s.effects.some((e) => e.kind === 'virtual-network'))) return scans;
  const noVnet: NsgEvaluationOptions = { ...options, virtualNetworkPrefixes: [] };
  const irrelevant = scans.every((scan, i) => {
    const nsg = nsgs[i] as NetworkSecurityGroup;
    return scan.effects.every((e) => e.kind !== 'virtual-network'
      || certainly(scanNsg(nsg, traffic, source, direction, e.region, noVnet, e.rule), e.rule.access).containsSet(e.region));
  });
  return irrelevant ? nsgs.map((nsg) => scanNsg(nsg, traffic, source, direction, universe, noVnet)) : scans;
}

/** One NSG (see {@link evaluateNsgChain}). */
export function evaluateNsgForDestination(nsg: NetworkSecurityGroup, traffic: TrafficSpec, source: SourceAddress,
  direction: NsgDirection, options: NsgEvaluationOptions = {}): NsgVerdict {
  return evaluateNsgChain([nsg], traffic, source, direction, options);
}

/**
 * The first outbound rule, by priority, whose destination names one of `tags` (service tags,
 * compared case-insensitively) and that matches the flow's protocol, ports and source (`yes`), or
 * may match it (`maybe`: a source prefix covering part of the source, a source port range);
 * null when no rule names them. For the host node's platform addresses (168.63.129.16,
 * 169.254.169.254), which "aren't subject to the configured network security groups unless
 * targeted by service tags specific to each service" (AzurePlatformDNS, AzurePlatformIMDS) [NSGOV]
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#azure-platform-considerations
 * so only rules naming the tag apply: the default rules and rules on addresses never do.
 */
export function ruleTargetingTag(nsg: NetworkSecurityGroup, tags: readonly string[], traffic: TrafficSpec, source: SourceAddress):
  { readonly rule: SecurityRule; readonly match: 'yes' | 'maybe' } | null {
  const wanted = tags.map((t) => t.toLowerCase());
  const rules = nsg.securityRules
    .filter((r) => r.direction === 'Outbound' && !r.isDefault && r.destinationAddressPrefixes.some((p) => wanted.includes(p.trim().toLowerCase())))
    .sort((a, b) => a.priority - b.priority);
  for (const rule of rules) {
    const match = ruleMatchExceptDestination(rule, traffic, source);
    if (match !== 'no') return { rule, match };
  }
  return null;
}
