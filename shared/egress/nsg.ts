/**
 * Outbound NSG evaluation: priority order, first match wins; the NIC's NSG first, then the
 * subnet's; a deny in either drops the traffic [NSG]
 * https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 */
import type { ResourceId } from '../model/ids';
import { Ipv4Set, publicIpv4 } from '../model/ip-set';
import type { NetworkSecurityGroup, SecurityRule } from '../model/topology';
import { destinationCoverage, entriesCoverDestination, entriesCoverSource, portRangeCovers } from './destination';
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
 * The source side of a rule: with source ASGs, only members match (a subnet entry, which carries no
 * memberships, never does) [ASG]; otherwise the address prefixes (none listed = any).
 * https://learn.microsoft.com/azure/virtual-network/application-security-groups
 */
function sourceMatches(rule: SecurityRule, source: SourceAddress): boolean {
  const asgs = rule.sourceApplicationSecurityGroupIds;
  if (asgs && asgs.length > 0) return isMember(source.applicationSecurityGroupIds, asgs);
  return rule.sourceAddressPrefixes.length === 0 || entriesCoverSource(rule.sourceAddressPrefixes, source);
}

function isMember(memberships: readonly ResourceId[] | undefined, asgs: readonly ResourceId[]): boolean {
  return memberships !== undefined && memberships.some((id) => asgs.includes(id));
}

/** Destination ASGs hold NICs, never an internet address: such a rule never matches here [ASG]. */
function hasDestinationAsgs(rule: SecurityRule): boolean {
  return (rule.destinationApplicationSecurityGroupIds?.length ?? 0) > 0;
}

/** Protocol, source and port: everything but the destination. */
function ruleMatchesExceptDestination(rule: SecurityRule, traffic: TrafficSpec, source: SourceAddress): boolean {
  return protocolCovers(rule.protocol, traffic.protocol)
    && sourceMatches(rule, source)
    && (rule.destinationPortRanges.length === 0 || rule.destinationPortRanges.some((r) => portRangeCovers(r, traffic.port)));
}

function ruleMatches(rule: SecurityRule, traffic: TrafficSpec, source: SourceAddress): boolean {
  return ruleMatchesExceptDestination(rule, traffic, source)
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

export type NsgEvaluationOptions = CoverageOptions;

/** One rule's part in a verdict. */
export interface NsgRuleEffect {
  readonly nsgId: ResourceId;
  readonly rule: SecurityRule;
  /**
   * The destination addresses this rule certainly decided (minimal IPv4 CIDR cover), or, for
   * `kind: 'uncertain-tag'`, the addresses it decides if its tag covers them.
   */
  readonly prefixes: readonly string[];
  readonly kind: 'decided' | 'uncertain-tag';
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
  | { readonly kind: 'ipv6-destination' };

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
  | { readonly kind: 'virtual-network' | 'service-tag'; readonly nsgId: ResourceId; readonly rule: SecurityRule; readonly tag: string; readonly region: Ipv4Set };

type TagHit = Exclude<ScanEffect, { kind: 'decided' }>;

function isTagHit(e: ScanEffect): e is TagHit {
  return e.kind !== 'decided';
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
    if (!ruleMatchesExceptDestination(rule, traffic, source) || hasDestinationAsgs(rule)) continue;
    const coverage = destinationCoverage(rule.destinationAddressPrefixes, options);
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
  const relevant = scans.flatMap((s) => s.effects).filter((e) => !isTagHit(e) || e.region.overlaps(uncertain));
  const relevantHits = relevant.filter(isTagHit);
  const rules = relevant.map((e): NsgRuleEffect => (isTagHit(e)
    ? { nsgId: e.nsgId, rule: e.rule, prefixes: e.region.toCidrs(), kind: 'uncertain-tag', tag: e.tag }
    : { nsgId: e.nsgId, rule: e.rule, prefixes: e.region.toCidrs(), kind: 'decided', tag: null }));
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
