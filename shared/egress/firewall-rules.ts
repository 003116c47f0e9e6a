/**
 * Azure Firewall rule processing for one flow: Network rules, then Application rules, each in
 * priority order (parent policy first); no match = default deny [FWRULES]
 * https://learn.microsoft.com/azure/firewall/rule-processing
 *
 * Rules name addresses as IPs, CIDRs, ranges `a.b.c.d-e.f.g.h`, `*`, service tags, or IP groups
 * [FWIPG] https://learn.microsoft.com/azure/firewall/ip-groups. "The internet" (the default
 * route) is a set of addresses, not one: rules on parts of it are combined as interval sets, so a
 * network allow on 20.0.0.0/8 is an allow restricted to 20.0.0.0/8, and denies on 0.0.0.0/1 and
 * 128.0.0.0/1 together deny everything.
 */
import type { ResourceId } from '../model/ids';
import { cidrContainsCidr, cidrContainsIp, formatCidr, formatIp, isPublicIp, NON_PUBLIC_IPV4_CIDRS, parseCidr, parseIpv4Range } from '../model/ip';
import type { Cidr, IpAddress, Ipv6Cidr } from '../model/ip';
import { Ipv4Set } from '../model/ip-set';
import type { ModelIndex } from '../model/model-index';
import type { ServiceTagIndex } from '../model/service-tags';
import type { AzureFirewall, FirewallRule, IpGroup } from '../model/topology';
import { portRangeCovers } from './destination';
import { fqdnPatternMatches } from './destination-spec';
import type { EgressDestination, SourceAddress, TrafficSpec } from './destination';

type NetworkRule = Extract<FirewallRule, { kind: 'network' }>;
type ApplicationRule = Extract<FirewallRule, { kind: 'application' }>;

export type FirewallRuleSet =
  | {
      readonly kind: 'rules';
      readonly rules: readonly FirewallRule[];
      /** Rules per policy, base (parent) policy first: parent rule collection groups always win [FWRULES]. */
      readonly tiers?: readonly (readonly FirewallRule[])[];
      readonly policyIds: readonly string[];
      /**
       * The IP groups of the input, for rules' `sourceIpGroups` / `destinationIpGroups`. Absent =
       * none: a rule naming a group then cannot be decided (never guessed).
       */
      readonly ipGroups?: ReadonlyMap<ResourceId, IpGroup>;
      /** Set by prepareRuleSet: the rules split by type and sorted once, for reuse across flows. */
      readonly sorted?: { readonly network: readonly NetworkRule[]; readonly application: readonly ApplicationRule[] };
      /**
       * Service tag prefix data, set by prepareRuleSet when given: network rules naming a listed tag
       * match its prefixes [FWTAG] https://learn.microsoft.com/azure/firewall/service-tags. Absent
       * (or a tag it does not list): a decision that depends on the tag is `unknown`.
       */
      readonly serviceTags?: ServiceTagIndex;
      /**
       * Threat intelligence in Deny mode: known-malicious IPs and FQDNs are dropped before any rule
       * [FWTI] https://learn.microsoft.com/azure/firewall/threat-intel, from a Microsoft feed the
       * snapshot does not hold. Set by firewallRuleSet; absent = not Deny.
       */
      readonly threatIntelDeny?: boolean;
      /**
       * How FQDNs in network rules resolve: `proxy` (DNS proxy on), `no-proxy` (the firewall and
       * the client may resolve a name differently [FWFQDNNET]), `unavailable` (Basic SKU: no DNS
       * proxy, so no FQDN network rules [FWBASIC]). Absent = `proxy` (no caveat).
       */
      readonly fqdnNetworkRules?: FqdnNetworkRuleMode;
      /** Set by prepareRuleSet: see dependsOnClientDns. */
      readonly clientDnsMatters?: boolean;
    }
  | { readonly kind: 'not-captured'; readonly reason: string };

/** See FirewallRuleSet `fqdnNetworkRules`. */
export type FqdnNetworkRuleMode = 'proxy' | 'no-proxy' | 'unavailable';

/** [FWFQDNNET] Network rules with FQDNs: the firewall resolves them itself; DNS proxy keeps client and firewall in step. */
const FQDN_NETWORK_DOC = 'https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules';
/** [FWBASIC] Basic SKU: no DNS proxy (so no FQDN network rules), threat intelligence alert-only. */
const BASIC_DOC = 'https://learn.microsoft.com/azure/firewall/basic-features';

/**
 * A caveat on a decision by an FQDN network rule: without DNS proxy (`fqdn-no-dns-proxy`), with the
 * proxy on but the client resolving elsewhere (`fqdn-client-dns`), or skipped because the SKU is
 * Basic (`fqdn-basic-sku`).
 */
export interface FirewallNote {
  readonly kind: 'fqdn-no-dns-proxy' | 'fqdn-basic-sku' | 'fqdn-client-dns';
  readonly rule: FirewallRule;
  readonly text: string;
}

/** A decision with the caveats (if any) found while reaching it. */
export type FirewallDecision = FirewallVerdict & { readonly notes?: readonly FirewallNote[] };

type FirewallVerdict =
  /**
   * Allowed. `rules`: every rule that allowed a part, in processing order (`rule` is the first).
   * `exceptFqdns`: names (or FQDN tags, web categories, URLs) that rules processed earlier deny,
   * so their addresses are not allowed (the default route only).
   */
  | { readonly kind: 'allow'; readonly rule: FirewallRule; readonly rules: readonly FirewallRule[]; readonly exceptFqdns?: readonly string[] }
  /** Denied by rules. For the default route, several deny rules may together cover the internet. */
  | { readonly kind: 'deny'; readonly rule: FirewallRule; readonly rules: readonly FirewallRule[] }
  /**
   * Only part of the destination is allowed: network rules allow these IPv4 `prefixes` (and, by
   * service tag, `serviceTags`), application or FQDN network rules allow these names (`fqdns`, with
   * `FQDN tag X` entries); everything else is denied.
   */
  | {
      readonly kind: 'allow-partial';
      readonly rules: readonly FirewallRule[];
      readonly prefixes: readonly string[];
      readonly serviceTags: readonly string[];
      readonly fqdns: readonly string[];
      /** Names denied by rules processed before the allows (see `allow`). */
      readonly exceptFqdns?: readonly string[];
    }
  | { readonly kind: 'default-deny' }
  | { readonly kind: 'not-captured'; readonly reason: string }
  /**
   * A rule the flow reaches names IP groups that are not in the input, or service tags whose
   * prefixes are not in the input, and the decision depends on them.
   */
  | {
      readonly kind: 'unknown';
      readonly reason: string;
      readonly rule: FirewallRule;
      readonly missingIpGroupIds: readonly ResourceId[];
      /** Tags (lower-case, as matched) without prefix data that the decision depends on. */
      readonly missingServiceTags: readonly string[];
    };

// ---------------------------------------------------------------------------------------------
// Rule sets

function lastSegment(id: ResourceId): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/**
 * Classic rules on the firewall, or the policy's rules with its base policies' rules first. A
 * policy is complete when every rule collection group it lists was loaded, even if those groups
 * hold only DNAT collections or nothing (then default deny applies [FWRULES]); a listed group that
 * is not in the input makes the set not captured.
 */
export function firewallRuleSet(index: ModelIndex, firewall: AzureFirewall): FirewallRuleSet {
  const ipGroups = index.ipGroups;
  // Basic has no DNS proxy, so no FQDN network rules, and its threat intelligence only alerts [FWBASIC].
  const basic = firewall.skuTier === 'Basic';
  if (!firewall.firewallPolicyId) {
    // Rule collections the input does not hold are not "no rules": default deny applies to rules
    // that exist and were read [FWRULES], so the verdict is not known.
    if (firewall.rulesCaptured === false) {
      return { kind: 'not-captured', reason: `the rule collections of firewall ${firewall.name} (networkRuleCollections, applicationRuleCollections) were not captured` };
    }
    return {
      kind: 'rules', rules: firewall.rules, policyIds: [], ipGroups,
      threatIntelDeny: !basic && isDeny(firewall.threatIntelMode),
      fqdnNetworkRules: basic ? 'unavailable' : firewall.dnsProxyEnabled === true ? 'proxy' : 'no-proxy',
    };
  }
  const chain: string[] = [];
  const rules: FirewallRule[][] = [];
  let threatIntelDeny = false;
  // DNS settings of the policy the firewall uses; inheritance of DNS settings from a base policy is
  // not in our reference, so only the attached policy's `dnsSettings.enableProxy` counts.
  const attached = index.firewallPolicies.get(firewall.firewallPolicyId);
  const dnsProxy = attached?.dnsProxyEnabled === true;
  let policyId: ResourceId | null = firewall.firewallPolicyId;
  while (policyId && !chain.includes(policyId)) {
    const policy = index.firewallPolicies.get(policyId);
    if (!policy) return { kind: 'not-captured', reason: `firewall policy ${policyId} is not in the snapshot` };
    // A stub of the policy (no `ruleCollectionGroups`) does not say it has no groups.
    if (policy.ruleCollectionGroupsCaptured === false) {
      return { kind: 'not-captured', reason: `the rule collection groups of firewall policy ${policy.name} were not captured (the input holds the policy without its ruleCollectionGroups)` };
    }
    const loaded = new Set(policy.loadedRuleCollectionGroupIds);
    const missing = policy.ruleCollectionGroupIds.filter((id) => !loaded.has(id));
    if (missing.length > 0 && missing.length === policy.ruleCollectionGroupIds.length) {
      return { kind: 'not-captured', reason: `the rule collection groups of firewall policy ${policy.name} were not captured` };
    }
    if (missing.length > 0) {
      return {
        kind: 'not-captured',
        reason: `rule collection group${missing.length === 1 ? '' : 's'} ${missing.map(lastSegment).join(', ')} of firewall policy ${policy.name} ${missing.length === 1 ? 'was' : 'were'} not captured`,
      };
    }
    chain.push(policyId);
    rules.unshift([...policy.rules]);
    // A child policy inherits its parent's threat intelligence mode and may only make it stricter
    // https://learn.microsoft.com/azure/firewall-manager/policy-overview: Deny anywhere in the chain is Deny.
    threatIntelDeny ||= isDeny(policy.threatIntelMode);
    policyId = policy.basePolicyId;
  }
  // Parent (base) policy rule collection groups always win [FWRULES]: they come first.
  return {
    kind: 'rules', rules: rules.flat(), tiers: rules, policyIds: chain, ipGroups,
    threatIntelDeny: !basic && threatIntelDeny,
    fqdnNetworkRules: basic ? 'unavailable' : dnsProxy ? 'proxy' : 'no-proxy',
  };
}

function isDeny(mode: string | null | undefined): boolean {
  return mode?.trim().toLowerCase() === 'deny';
}

function byPriority<T extends FirewallRule>(rules: readonly T[]): T[] {
  return [...rules].sort((a, b) => a.priority - b.priority);
}

/** Priority order within each policy, base policy before child policy. */
function ordered<T extends FirewallRule>(ruleSet: Extract<FirewallRuleSet, { kind: 'rules' }>, isKind: (r: FirewallRule) => r is T): T[] {
  return (ruleSet.tiers ?? [ruleSet.rules]).flatMap((tier) => byPriority(tier.filter(isKind)));
}

const isNetworkRule = (r: FirewallRule): r is NetworkRule => r.kind === 'network';
const isApplicationRule = (r: FirewallRule): r is ApplicationRule => r.kind === 'application';

/**
 * Sorts the rules once so evaluating many flows against one firewall does not re-sort them, and
 * attaches the service tag data (if any) the rules are read against.
 */
export function prepareRuleSet(ruleSet: FirewallRuleSet, serviceTags?: ServiceTagIndex): FirewallRuleSet {
  if (ruleSet.kind === 'not-captured') return ruleSet;
  return {
    ...ruleSet,
    sorted: {
      network: ordered(ruleSet, isNetworkRule),
      application: ordered(ruleSet, isApplicationRule),
    },
    ...(serviceTags ? { serviceTags } : {}),
    clientDnsMatters: clientDnsMatters(ruleSet),
  };
}

// ---------------------------------------------------------------------------------------------
// Address matching (firewall-local: IP groups and ranges are firewall concepts)

/** Public IPv4 space: what "the internet" (0.0.0.0/0 leaving Azure) can reach. */
const INTERNET = NON_PUBLIC_IPV4_CIDRS.reduce((set, cidr) => set.subtract(Ipv4Set.fromCidr(cidr)), Ipv4Set.all());

/** One side (source or destination) of a rule, addresses and IP groups merged and parsed once. */
interface AddressSpec {
  /** `*` / `Any` (or, for a source, nothing given at all). */
  readonly any: boolean;
  /** Lower-case service tags (`internet`, `virtualnetwork`, `azurecloud.westeurope`, ...). */
  readonly tags: readonly string[];
  /**
   * Tags (as written) whose meaning in a firewall rule Azure does not document: every tag in a
   * source field (service tags are for "the network rules destination field" [FWTAG]), and in a
   * destination `Internet` / `VirtualNetwork`, which the service tags table marks "No" under
   * "Usable in Azure Firewall rules" [TAG]. What they match is not known: a decision that depends
   * on them is `unknown`, never read as "every address" or "every VNet source".
   */
  readonly unsupportedTags: readonly string[];
  readonly side: 'source' | 'destination';
  /** Addresses and ranges written in the rule or its IP groups. */
  readonly v4: Ipv4Set;
  /** The prefixes of the tags (other than unsupported ones) the service tag data lists. */
  readonly tagV4: Ipv4Set;
  readonly tagV6: readonly Ipv6Cidr[];
  /**
   * Tags (other than unsupported ones, as written) with prefix data, and without: those may cover
   * any public address [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
   */
  readonly knownTags: readonly string[];
  readonly unknownTags: readonly string[];
  readonly v6: readonly Ipv6Cidr[];
  /** Referenced IP groups that are not in the input. */
  readonly missingIpGroupIds: readonly ResourceId[];
}

type Match = 'yes' | 'no' | 'unknown';

const NO_IP_GROUPS: ReadonlyMap<ResourceId, IpGroup> = new Map();

/** Entry text → IPv4 set, IPv6 CIDR, or null (not an address: `*` or a tag). */
function parseAddress(entry: string): Ipv4Set | Ipv6Cidr | null {
  const range = parseIpv4Range(entry);
  if (range) return Ipv4Set.fromIntervals([{ start: range.start.value, end: range.end.value }]);
  const cidr: Cidr | null = parseCidr(entry);
  if (!cidr) return null;
  return cidr.version === 4 ? Ipv4Set.fromCidr(cidr) : cidr;
}

/**
 * [TAG] "Available service tags" table, column "Usable in Azure Firewall rules": `Internet` and
 * `VirtualNetwork` are "No" (lower-case).
 * https://learn.microsoft.com/azure/virtual-network/service-tags-overview#available-service-tags
 */
const TAGS_NOT_FOR_FIREWALL_RULES: ReadonlySet<string> = new Set(['internet', 'virtualnetwork']);

function buildSpec(addresses: readonly string[], groupIds: readonly ResourceId[], ipGroups: ReadonlyMap<ResourceId, IpGroup>, side: 'source' | 'destination',
  serviceTags: ServiceTagIndex | undefined): AddressSpec {
  // An empty source with IP groups is the groups' addresses; with nothing at all, any source.
  let any = side === 'source' && addresses.length === 0 && groupIds.length === 0;
  const tags: string[] = [];
  const written: string[] = [];
  const v6: Ipv6Cidr[] = [];
  let v4 = Ipv4Set.empty();
  const add = (entry: string, fromGroup: boolean): void => {
    const e = entry.trim();
    const lower = e.toLowerCase();
    if (!fromGroup && (lower === '*' || lower === 'any')) {
      any = true;
      return;
    }
    const parsed = parseAddress(e);
    if (parsed instanceof Ipv4Set) v4 = v4.union(parsed);
    else if (parsed) v6.push(parsed);
    // IP groups hold addresses only (validated on input); in a rule, anything else is a service tag.
    else if (!fromGroup) {
      tags.push(lower);
      written.push(e);
    }
  };
  for (const entry of addresses) add(entry, false);
  const missingIpGroupIds: ResourceId[] = [];
  for (const id of groupIds) {
    const group = ipGroups.get(id);
    // A group with no addresses contributes nothing: "If you delete all the IP addresses in an IP
    // Group while it is still in use in a rule, that rule is skipped" [FWIPG]. That holds for a
    // group known to be empty; one whose addresses the input lacks (a stub) is as unknown as a
    // group that is not in the input at all.
    if (group && group.ipAddressesCaptured !== false) for (const entry of group.ipAddresses) add(entry, true);
    else missingIpGroupIds.push(id);
  }
  let tagV4 = Ipv4Set.empty();
  const tagV6: Ipv6Cidr[] = [];
  const knownTags: string[] = [];
  const unknownTags: string[] = [];
  const unsupportedTags: string[] = [];
  written.forEach((tag, i) => {
    if (side === 'source' || TAGS_NOT_FOR_FIREWALL_RULES.has(tags[i] ?? '')) {
      unsupportedTags.push(tag);
      return;
    }
    const prefixes = serviceTags?.prefixes(tag) ?? null;
    if (prefixes) {
      tagV4 = tagV4.union(prefixes);
      for (const p of serviceTags?.tag(tag)?.addressPrefixes ?? []) {
        const cidr = parseCidr(p);
        if (cidr?.version === 6) tagV6.push(cidr);
      }
      knownTags.push(tag);
    } else {
      unknownTags.push(tag);
    }
  });
  return { any, tags, unsupportedTags, side, v4, tagV4, tagV6, knownTags, unknownTags, v6, missingIpGroupIds };
}

type RuleSpecs = { readonly source: AddressSpec; readonly destination: AddressSpec | null };

/** Per IP-group map, per tag data (or none), per rule: specs are built once per firewall, not once per flow. */
const specCache = new WeakMap<ReadonlyMap<ResourceId, IpGroup>, WeakMap<object, WeakMap<FirewallRule, RuleSpecs>>>();
const NO_SERVICE_TAGS = {};

/** What a rule is read against: its input's IP groups and the service tag data, if any. */
interface RuleContext {
  readonly ipGroups: ReadonlyMap<ResourceId, IpGroup>;
  readonly serviceTags: ServiceTagIndex | undefined;
}

/** One flow's evaluation: how FQDN network rules resolve, and the caveats met on the way. */
interface EvalContext extends RuleContext {
  readonly fqdnMode: FqdnNetworkRuleMode;
  readonly clientDns: ClientDns;
  readonly notes: FirewallNote[];
}

/**
 * Whether the source resolves names through the firewall's DNS proxy: `firewall` (its DNS servers
 * are the firewall's private IP), or `other`, with the fact that says it does not (Azure-provided
 * DNS, other servers). "To enable DNS proxy, you must configure your virtual network DNS servers
 * setting to use the firewall private IP address" [FWDNS] https://learn.microsoft.com/azure/firewall/dns-settings
 */
export type ClientDns = { readonly kind: 'firewall' } | { readonly kind: 'other'; readonly fact: string };

const CLIENT_USES_FIREWALL_DNS: ClientDns = { kind: 'firewall' };

/**
 * Whether a decision may depend on how the source resolves names (ClientDns): DNS proxy is on and
 * some network rule names FQDNs. Without the proxy every FQDN network rule is uncertain anyway.
 * Read from prepareRuleSet's answer; computed for a rule set that was not prepared.
 */
export function dependsOnClientDns(ruleSet: FirewallRuleSet): boolean {
  return ruleSet.kind === 'rules' && (ruleSet.clientDnsMatters ?? clientDnsMatters(ruleSet));
}

function clientDnsMatters(ruleSet: Extract<FirewallRuleSet, { kind: 'rules' }>): boolean {
  return (ruleSet.fqdnNetworkRules ?? 'proxy') === 'proxy' && ruleSet.rules.some((r) => r.kind === 'network' && r.destinationFqdns.length > 0);
}

/**
 * Why an FQDN network rule naming a host may not match the client's connection to it, or null
 * when it does: the rule matches the addresses the firewall resolves the name to [FWFQDNNET], the
 * client connects to the addresses it resolved, and only when the client asks the firewall's DNS
 * proxy are they known to agree. "You must enable DNS Proxy to use FQDNs in your network rules";
 * without it "DNS requests from the client may travel to a DNS server at a different time or
 * return a different response compared to that of the firewall" [FWDNS].
 */
function fqdnUncertainty(context: EvalContext): string | null {
  if (context.fqdnMode === 'no-proxy') {
    return `DNS proxy is not enabled on the firewall, so the firewall resolves the name itself and the client may get other addresses (CDN, geo-DNS; ${FQDN_NETWORK_DOC})`;
  }
  return context.fqdnMode === 'proxy' && context.clientDns.kind === 'other' ? context.clientDns.fact : null;
}

/**
 * Why an FQDN network rule may match a destination it does not name: it matches addresses, and
 * "cannot discern between two FQDNs that resolve to the same IP address" [FWFQDNNET].
 */
function sharedAddressText(rule: NetworkRule, destination: string): string {
  return `${fqdnRuleText(rule)} ${rule.action === 'Allow' ? 'allows' : 'denies'} the addresses the firewall resolves those names to, and an FQDN network rule cannot tell apart names that resolve to one address (${FQDN_NETWORK_DOC}): ${destination} may be one of them`;
}

/** An FQDN rule may match first (`why`); otherwise `decider` (or, without one, default deny) decides the other way. */
function maybeDecision(rule: NetworkRule, why: string, decider: FirewallRule | undefined, allowed: boolean): FirewallDecision {
  const otherwise = decider ? `rule ${decider.collection}/${decider.name} ${allowed ? 'allows' : 'denies'} it` : allowed ? 'it is allowed' : 'no rule allows it (default deny)';
  return { kind: 'unknown', rule, missingIpGroupIds: [], missingServiceTags: [], reason: `${why}; otherwise ${otherwise}` };
}

/** Why `rule` may or may not match `destination` (named `name`, or null for a bare IP). */
function maybeMatchText(rule: NetworkRule, name: string | null, destination: string, context: EvalContext): string {
  const why = name !== null && namesName(rule, name) ? fqdnUncertainty(context) : null;
  return why === null
    ? sharedAddressText(rule, destination)
    : `${fqdnRuleText(rule)} ${rule.action === 'Allow' ? 'allows' : 'denies'} ${destination} only at the addresses the firewall resolves it to, and ${why}`;
}

/** Whether the rule's FQDNs can match at all: not on Basic, which has no DNS proxy [FWBASIC]. */
function fqdnsActive(context: EvalContext): boolean {
  return context.fqdnMode !== 'unavailable';
}

/**
 * Records why a decision by an FQDN network rule needs a caveat. Basic: the rule matches nothing
 * ("no FQDN network rules", [FWBASIC]). Without DNS proxy ("You must enable DNS Proxy to use FQDNs
 * in your network rules" [FWFQDNNET]) the firewall resolves the name itself and the client may get
 * other addresses (CDN, geo-DNS): the decision is `unknown` (fqdnUncertainty) and the note says how
 * to fix it. With the proxy on but a client that does not ask it (ClientDns `other`) the same
 * mismatch applies to that client [FWDNS]: a what-if on a name is `unknown`, the default route
 * keeps its restriction (evaluateInternet), and the note says so.
 */
function noteFqdnRule(rule: NetworkRule, context: EvalContext): void {
  const clientDns = context.clientDns;
  if ((context.fqdnMode === 'proxy' && clientDns.kind === 'firewall') || context.notes.some((n) => n.rule === rule)) return;
  const label = fqdnRuleText(rule);
  if (context.fqdnMode === 'unavailable') {
    context.notes.push({ kind: 'fqdn-basic-sku', rule, text: `${label} names FQDNs, but a Basic firewall has no DNS proxy, so FQDNs in network rules are not available (${BASIC_DOC}): the rule is read as matching no name` });
  } else if (context.fqdnMode === 'no-proxy') {
    context.notes.push({ kind: 'fqdn-no-dns-proxy', rule, text: `${label} matches the addresses the firewall itself resolves the name to, and DNS proxy is not enabled: the firewall and the client may resolve it to different addresses (CDN, geo-DNS), so the client's connection may not match (${FQDN_NETWORK_DOC})` });
  } else if (clientDns.kind === 'other') {
    context.notes.push({ kind: 'fqdn-client-dns', rule, text: `${label} matches the addresses the firewall resolves the name to through its DNS proxy, and ${clientDns.fact}, so the client's connection may not match` });
  }
}

function specsOf(rule: FirewallRule, context: RuleContext): RuleSpecs {
  const { ipGroups, serviceTags } = context;
  let byTags = specCache.get(ipGroups);
  if (!byTags) {
    byTags = new WeakMap();
    specCache.set(ipGroups, byTags);
  }
  let byRule = byTags.get(serviceTags ?? NO_SERVICE_TAGS);
  if (!byRule) {
    byRule = new WeakMap();
    byTags.set(serviceTags ?? NO_SERVICE_TAGS, byRule);
  }
  let specs = byRule.get(rule);
  if (!specs) {
    const source = buildSpec(rule.sourceAddresses, rule.sourceIpGroupIds, ipGroups, 'source', serviceTags);
    const destination = rule.kind === 'network' ? buildSpec(rule.destinationAddresses, rule.destinationIpGroupIds, ipGroups, 'destination', serviceTags) : null;
    specs = { source, destination };
    byRule.set(rule, specs);
  }
  return specs;
}

function knownOrMissing(known: boolean, spec: AddressSpec): Match {
  return known ? 'yes' : spec.missingIpGroupIds.length > 0 ? 'unknown' : 'no';
}

/**
 * Every source prefix must lie inside the rule's sources. A service tag there (`VirtualNetwork`)
 * is not documented for firewall rules [FWTAG]: unless the rule's addresses already cover the
 * source, whether it matches is `unknown`.
 * `partial`: the rule names some of the source's addresses only (a subnet entry stands for any
 * NIC in the subnet, and the firewall matches each packet's source address [FWRULES]), so whether
 * it applies depends on the workload's own address.
 */
type SourceMatch = Match | 'partial';

function sourceMatch(spec: AddressSpec, source: SourceAddress): SourceMatch {
  if (spec.any) return 'yes';
  const known = source.cidrs.length > 0 && source.cidrs.every((c) =>
    (c.version === 4 ? spec.v4.containsSet(Ipv4Set.fromCidr(c)) : spec.v6.some((r) => cidrContainsCidr(r, c))));
  const match = knownOrMissing(known, spec);
  if (match !== 'no') return match;
  if (spec.unsupportedTags.length > 0) return 'unknown';
  const overlaps = source.cidrs.some((c) =>
    (c.version === 4 ? spec.v4.overlaps(Ipv4Set.fromCidr(c)) : spec.v6.some((r) => cidrContainsCidr(r, c) || cidrContainsCidr(c, r))));
  return overlaps ? 'partial' : 'no';
}

/** A rule that applies to part of the source's addresses decides the flow: unknown, saying which part. */
function partialSourceDecision(rule: FirewallRule, source: SourceAddress): FirewallDecision {
  const named = [...rule.sourceAddresses, ...rule.sourceIpGroupIds.map(lastSegment)].join(', ');
  return {
    kind: 'unknown', rule, missingIpGroupIds: [], missingServiceTags: [],
    reason: `rule ${rule.collection}/${rule.name} (${rule.action}) applies to sources ${named}, which hold only part of ${source.cidrs.map(formatCidr).join(', ')}: the answer depends on the workload's own address`,
  };
}

/**
 * Whether the rule's destination covers one address. A tag without prefix data may cover any
 * public address (service tags list public Azure ranges [TAG]), so for those the answer is open;
 * so it is for a tag not documented for firewall rules, except that `Internet` ("outside the
 * virtual network and reachable by the public internet" [TAG]) never holds a non-public address.
 */
function destinationMatchesAddress(spec: AddressSpec, ip: IpAddress): Match {
  if (spec.any) return 'yes';
  const known = ip.version === 4
    ? spec.v4.contains(ip.value) || spec.tagV4.contains(ip.value)
    : spec.v6.some((c) => cidrContainsIp(c, ip)) || spec.tagV6.some((c) => cidrContainsIp(c, ip));
  if (known) return 'yes';
  if (spec.missingIpGroupIds.length > 0) return 'unknown';
  if (spec.unsupportedTags.some((t) => t.toLowerCase() !== 'internet' || isPublicIp(ip))) return 'unknown';
  return spec.unknownTags.length > 0 && isPublicIp(ip) ? 'unknown' : 'no';
}

/** The part of the IPv4 space a destination spec certainly names (tags without data, and unsupported tags, excluded). */
function destinationSet(spec: AddressSpec): Ipv4Set {
  return spec.any ? Ipv4Set.all() : spec.v4.union(spec.tagV4);
}

function protocolCovers(protocols: readonly string[], protocol: 'Tcp' | 'Udp'): boolean {
  return protocols.length === 0 || protocols.some((p) => {
    const lower = p.trim().toLowerCase();
    return lower === 'any' || lower === '*' || lower === protocol.toLowerCase();
  });
}

function networkRuleCoversFlow(rule: NetworkRule, traffic: TrafficSpec): boolean {
  return protocolCovers(rule.protocols, traffic.protocol)
    && (rule.destinationPorts.length === 0 || rule.destinationPorts.some((p) => portRangeCovers(p, traffic.port)));
}

const DEFAULT_APP_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, mssql: 1433 };

/** Application protocols look like `Https:443`, `Http`, `mssql:1433`; they are TCP only. */
function applicationRuleCoversPort(rule: ApplicationRule, traffic: TrafficSpec): boolean {
  return traffic.protocol === 'Tcp' && applicationRuleProtocols(rule).some((t) => t.port === traffic.port);
}

/**
 * Well-known TCP ports of protocols other than HTTP and HTTPS (IANA service name and port number
 * registry, https://www.iana.org/assignments/service-names-port-numbers): SSH, Telnet, SMTP, DNS,
 * NTP, SMB, MSSQL, MySQL, RDP, PostgreSQL, the mail and directory ports. An `Http`/`Https` entry on
 * one of them (`Https:22`) is an odd combination: a flow there most likely speaks that port's own
 * protocol, which no application rule matches [FWRULES], so the rule is not read as applying.
 */
const OTHER_PROTOCOL_PORTS: ReadonlySet<number> = new Set([20, 21, 22, 23, 25, 53, 110, 123, 143, 389, 445, 465, 587, 636, 993, 995, 1433, 3306, 3389, 5432]);

/**
 * Whether a bare TCP flow (no scheme stated) on an entry's port is read as the entry's protocol:
 * on the protocol's own port (Https:443, Http:80, Mssql:1433), as everywhere in this tool; and on
 * another port that the rule declares for HTTP or HTTPS (`Https:8443`, `Http:8080`), as the admin
 * declared it, unless that port is another application protocol's own (Http:443) or a well-known
 * port of another protocol (OTHER_PROTOCOL_PORTS). Mssql on another port than 1433 stays open.
 */
function declaredProtocolHolds(entry: { readonly type: string; readonly port: number }): boolean {
  const type = entry.type.toLowerCase();
  if (DEFAULT_APP_PORTS[type] === entry.port) return true;
  if (type !== 'http' && type !== 'https') return false;
  return !Object.values(DEFAULT_APP_PORTS).includes(entry.port) && !OTHER_PROTOCOL_PORTS.has(entry.port);
}

/**
 * Application rules match HTTP, HTTPS and MSSQL only: "if the protocol is HTTP, HTTPS, or MSSQL,
 * then the packet is then evaluated by the application rules" [FWRULES]. A flow is TCP and a port,
 * and, when the destination was a URL, the application protocol its scheme states: then the rule
 * applies when one of its entries on that port is that protocol. Without a stated protocol an entry
 * on the port is read as its protocol where declaredProtocolHolds says so. Otherwise (`Https:22`
 * for TCP 22: TLS with SNI, or SSH?) which protocol the flow speaks is not in the snapshot: the
 * condition, as text; null when the rule covers the flow (or does not cover its port at all).
 */
function openApplicationProtocol(rule: ApplicationRule, traffic: TrafficSpec): string | null {
  if (traffic.protocol !== 'Tcp') return null;
  const entries = applicationRuleProtocols(rule).filter((t) => t.port === traffic.port);
  if (entries.length === 0) return null;
  const stated = traffic.applicationProtocol?.toLowerCase();
  if (stated !== undefined ? entries.some((t) => t.type.toLowerCase() === stated) : entries.some(declaredProtocolHolds)) return null;
  const types = [...new Set(entries.map((t) => t.type))].join(' or ');
  // A stated protocol the rule does not name on this port: whether Azure's rule still matches it is not documented.
  return `application protocol ${types} on TCP ${traffic.port}${traffic.applicationProtocol ? ` (the URL states ${traffic.applicationProtocol})` : ''}`;
}

/** [FWTAG] Service tags in Azure Firewall rules. */
const TAG_DOC = 'https://learn.microsoft.com/azure/firewall/service-tags';
/** [FWRULES] Rule processing: network rules, then application rules for HTTP, HTTPS and MSSQL. */
const RULE_PROCESSING_DOC = 'https://learn.microsoft.com/azure/firewall/rule-processing';

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** An application rule reached for a flow whose application protocol is not known (see openApplicationProtocol). */
function openProtocolDecision(rule: ApplicationRule, protocol: string): FirewallDecision {
  return {
    kind: 'unknown', rule, missingIpGroupIds: [], missingServiceTags: [],
    reason: `rule ${rule.collection}/${rule.name} (${rule.action}) applies only to ${protocol}: application rules match HTTP, HTTPS and MSSQL only, and which application protocol this flow speaks is not in the snapshot (${RULE_PROCESSING_DOC})`,
  };
}

/** [TAG] The service tags table, with the column "Usable in Azure Firewall rules". */
const TAG_TABLE_DOC = 'https://learn.microsoft.com/azure/virtual-network/service-tags-overview#available-service-tags';

/**
 * The decision depends on IP groups or service tag prefixes the input does not have, or on service
 * tags Azure does not document for firewall rules: say which, never guess.
 */
function unknownDecision(rule: FirewallRule, specs: readonly AddressSpec[], missingServiceTags: readonly string[] = [], hasTagData = false): FirewallDecision {
  const missingIpGroupIds = [...new Set(specs.flatMap((s) => s.missingIpGroupIds))];
  const tags = [...new Set(missingServiceTags)];
  const unsupported = [...new Set(specs.flatMap((s) => s.unsupportedTags))];
  const parts: string[] = [];
  for (const side of ['source', 'destination'] as const) {
    const list = [...new Set(specs.filter((s) => s.side === side).flatMap((s) => s.unsupportedTags))];
    if (list.length === 0) continue;
    const what = `${side} service tag${plural(list.length, '', 's')} ${list.join(', ')}`;
    parts.push(side === 'source'
      ? `${what}, though Azure documents service tags in firewall rules for the network rules destination field only (${TAG_DOC}), so what ${plural(list.length, 'it matches', 'they match')} is not known`
      : `${what}, which Azure's service tags table marks as not usable in Azure Firewall rules (${TAG_TABLE_DOC}), so what ${plural(list.length, 'it matches', 'they match')} is not known`);
  }
  if (missingIpGroupIds.length > 0) {
    parts.push(`IP group${plural(missingIpGroupIds.length, '', 's')} ${missingIpGroupIds.map(lastSegment).join(', ')} whose addresses are not in the snapshot`);
  }
  if (tags.length > 0) {
    parts.push(`service tag${plural(tags.length, '', 's')} ${tags.join(', ')} whose prefixes ${plural(tags.length, 'is', 'are')} not in ${hasTagData ? 'the service tag data' : 'the snapshot'} (${TAG_DOC})`);
  }
  const count = missingIpGroupIds.length + tags.length + unsupported.length;
  return {
    kind: 'unknown',
    rule,
    missingIpGroupIds,
    missingServiceTags: tags,
    reason: `rule ${rule.collection}/${rule.name} names ${parts.join(' and ')}, and this flow's decision depends on ${plural(count, 'it', 'them')}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/**
 * Decides one flow. Network rules are terminating; Application rules only run if no network rule
 * matched, for HTTP/HTTPS/MSSQL only [FWRULES]. For the default route the destination is the
 * whole public IPv4 space, decided part by part. Service tags in network rules match their
 * prefixes when the prepared rule set carries tag data [FWTAG]; otherwise a decision that depends
 * on a tag's contents is `unknown`. `clientDns`: how the source resolves names (see ClientDns);
 * rule sets read by hand default to the firewall's DNS proxy.
 */
export function evaluateFirewallRules(ruleSet: FirewallRuleSet, traffic: TrafficSpec, source: SourceAddress,
  clientDns: ClientDns = CLIENT_USES_FIREWALL_DNS): FirewallDecision {
  if (ruleSet.kind === 'not-captured') return ruleSet;
  const network = ruleSet.sorted?.network ?? ordered(ruleSet, isNetworkRule);
  const application = ruleSet.sorted?.application ?? ordered(ruleSet, isApplicationRule);
  const context: EvalContext = {
    ipGroups: ruleSet.ipGroups ?? NO_IP_GROUPS, serviceTags: ruleSet.serviceTags, fqdnMode: ruleSet.fqdnNetworkRules ?? 'proxy', clientDns, notes: [],
  };
  const decision = evaluateFlow(network, application, context, traffic, source);
  return context.notes.length > 0 && decision.kind !== 'not-captured' ? { ...decision, notes: context.notes } : decision;
}

function evaluateFlow(
  network: readonly NetworkRule[], application: readonly ApplicationRule[], context: EvalContext, traffic: TrafficSpec, source: SourceAddress,
): FirewallDecision {
  const destination = traffic.destination;
  switch (destination.kind) {
    case 'address': return evaluateAddress(network, application, context, traffic, destination.ip, null, source);
    case 'name':
      return destination.address
        ? evaluateAddress(network, application, context, traffic, destination.address, destination.name, source)
        : evaluateName(network, application, context, traffic, destination.name, source);
    case 'range': return evaluateInternet(network, application, context, traffic, source, destination.set);
    case 'default-route': return evaluateInternet(network, application, context, traffic, source, INTERNET);
  }
}

/** Per rule set, per source prefixes (the resolver's cached arrays): the source's signature. */
const signatures = new WeakMap<FirewallRuleSet, WeakMap<readonly Cidr[], string>>();

/**
 * How the rule set sees a source: for each rule, in order, whether its source side matches it
 * (`y`, `n`, `p` for part of the source, `?`). evaluateFirewallRules reads the source only through those matches (sourceMatch,
 * which reads only the prefixes), so two sources with one signature get one decision for every
 * flow, and a decision can be shared between them exactly. Not destination-dependent: computed
 * once per source and rule set.
 */
export function sourceSignature(ruleSet: FirewallRuleSet, source: SourceAddress): string {
  if (ruleSet.kind === 'not-captured') return '';
  let bySource = signatures.get(ruleSet);
  if (!bySource) {
    bySource = new WeakMap();
    signatures.set(ruleSet, bySource);
  }
  let signature = bySource.get(source.cidrs);
  if (signature === undefined) {
    const context: RuleContext = { ipGroups: ruleSet.ipGroups ?? NO_IP_GROUPS, serviceTags: ruleSet.serviceTags };
    const network = ruleSet.sorted?.network ?? ordered(ruleSet, isNetworkRule);
    const application = ruleSet.sorted?.application ?? ordered(ruleSet, isApplicationRule);
    signature = '';
    for (const rule of [...network, ...application]) {
      const match = sourceMatch(specsOf(rule, context).source, source);
      signature += match === 'yes' ? 'y' : match === 'no' ? 'n' : match === 'partial' ? 'p' : '?';
    }
    bySource.set(source.cidrs, signature);
  }
  return signature;
}

/** Network rules with FQDNs match a name exactly: "no wildcards" [FWFQDNNET]. */
function namesName(rule: NetworkRule, name: string): boolean {
  return rule.destinationFqdns.some((f) => f.trim().toLowerCase().replace(/\.$/, '') === name);
}

/**
 * How a network rule's FQDNs match the destination (`name`, or null for a bare IP): `yes` when it
 * names this very name and the client resolves it as the firewall does (DNS proxy, used by the
 * client); `maybe` for any other active FQDN rule, which matches the addresses the firewall resolves
 * its names to whatever name the client used and "cannot discern between two FQDNs that are
 * resolved to the same IP address" [FWFQDNNET] (a bare IP, another name at a shared address, or this
 * name resolved differently); `no` without FQDNs, or on Basic, where they match nothing [FWBASIC].
 * A rule naming the name records its caveat (noteFqdnRule).
 */
function fqdnMatch(rule: NetworkRule, name: string | null, context: EvalContext): 'yes' | 'maybe' | 'no' {
  const named = name !== null && namesName(rule, name);
  if (named) noteFqdnRule(rule, context);
  if (rule.destinationFqdns.length === 0 || !fqdnsActive(context)) return 'no';
  return named && fqdnUncertainty(context) === null ? 'yes' : 'maybe';
}

/**
 * A host name whose address is not known: network rules decide by the address (any public
 * address), application rules by the name [FWRULES]. When every address the name could resolve
 * to gets the same answer, that is the answer; otherwise it depends on the address, which is
 * unknown (give --resolve name=ip).
 */
function evaluateName(
  network: readonly NetworkRule[], application: readonly ApplicationRule[], context: EvalContext,
  traffic: TrafficSpec, name: string, source: SourceAddress,
): FirewallDecision {
  let remaining = INTERNET;
  const allows: FirewallRule[] = [];
  const denies: FirewallRule[] = [];
  const maybes: NetworkRule[] = [];
  for (const rule of network) {
    if (remaining.isEmpty()) break;
    if (!networkRuleCoversFlow(rule, traffic)) continue;
    const specs = specsOf(rule, context);
    const dest = specs.destination as AddressSpec;
    const src = sourceMatch(specs.source, source);
    if (src === 'no') continue;
    const byFqdn = fqdnMatch(rule, name, context);
    const part = byFqdn === 'yes' ? remaining : remaining.intersect(destinationSet(dest));
    const openTags = byFqdn === 'yes' || dest.any ? [] : [...dest.unknownTags, ...dest.unsupportedTags];
    const onlyMaybe = part.isEmpty() && openTags.length === 0 && dest.missingIpGroupIds.length === 0;
    if (onlyMaybe && byFqdn === 'no') continue;
    // A rule for part of the source that only may match (by its FQDNs) is weighed like any other
    // maybe: it decides nothing if its action agrees with what decides otherwise.
    if (src === 'partial' && !onlyMaybe) return partialSourceDecision(rule, source);
    if (src === 'unknown' || dest.missingIpGroupIds.length > 0) return unknownDecision(rule, [specs.source, dest]);
    // Whether the name's address is in a tag without prefix data (or in a tag not documented for firewall rules) is open.
    if (openTags.length > 0) return unknownDecision(rule, [dest], dest.unknownTags, context.serviceTags !== undefined);
    if (byFqdn === 'maybe') maybes.push(rule);
    if (part.isEmpty()) continue;
    (rule.action === 'Allow' ? allows : denies).push(rule);
    remaining = remaining.subtract(part);
  }
  const byApplication = remaining.isEmpty() ? null : applicationForName(application, context, traffic, source, name);
  // Application rules alone decide nothing certain (an FQDN tag, a web category): their reason stands.
  if (byApplication?.kind === 'unknown' && allows.length === 0 && denies.length === 0) return byApplication;
  const outcomes = new Set<string>([...(allows.length > 0 ? ['allow'] : []), ...(denies.length > 0 ? ['deny'] : [])]);
  if (byApplication) outcomes.add(byApplication.kind === 'default-deny' ? 'deny' : byApplication.kind);
  const [firstAllow] = allows;
  const [firstDeny] = denies;
  // An FQDN rule that may match first decides nothing unless it agrees with what decides otherwise.
  const against = outcomes.size === 1 ? maybes.find((r) => !outcomes.has(r.action === 'Allow' ? 'allow' : 'deny')) : undefined;
  if (against) {
    const allowed = outcomes.has('allow');
    const decider = allowed ? firstAllow ?? (byApplication?.kind === 'allow' ? byApplication.rule : undefined)
      : firstDeny ?? (byApplication?.kind === 'deny' ? byApplication.rule : undefined);
    return maybeDecision(against, maybeMatchText(against, name, name, context), decider, allowed);
  }
  if (outcomes.size === 1 && byApplication) return byApplication.kind === 'allow' && firstAllow ? { kind: 'allow', rule: firstAllow, rules: [...allows, ...byApplication.rules] } : byApplication;
  if (outcomes.size === 1 && outcomes.has('allow') && firstAllow) return { kind: 'allow', rule: firstAllow, rules: allows };
  if (outcomes.size === 1 && outcomes.has('deny') && firstDeny) return { kind: 'deny', rule: firstDeny, rules: denies };
  const decider = firstAllow ?? firstDeny ?? network[0] ?? application[0];
  if (!decider) return { kind: 'default-deny' };
  return {
    kind: 'unknown', rule: decider, missingIpGroupIds: [], missingServiceTags: [],
    reason: `the answer for ${name} depends on the address it resolves to: network rules ${[...allows, ...denies].map((r) => `${r.collection}/${r.name}`).join(', ')} decide some addresses and not others (give the address with --resolve ${name}=IP)`,
  };
}

/** Names allowed by application rules (and FQDN tags), collected while no rule decided. */
interface NameAllows {
  readonly rules: FirewallRule[];
  readonly fqdns: string[];
}

function allowNames(names: NameAllows, rule: FirewallRule, fqdns: readonly string[]): void {
  names.rules.push(rule);
  names.fqdns.push(...fqdns);
}

/** `name` lists FQDN network rules: the rule label and its names, for reasons. */
function fqdnRuleText(rule: NetworkRule): string {
  return `rule ${rule.collection}/${rule.name} (${rule.destinationFqdns.join(', ')})`;
}

/**
 * One address (a what-if IP, with the host name when one was given): the first matching rule
 * decides. A network rule on FQDNs matches the addresses the firewall itself resolves those names
 * to [FWFQDNNET] https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules, which
 * the snapshot does not hold: for a bare IP such a rule may or may not match, so a later rule
 * decides only when both outcomes agree.
 */
function evaluateAddress(
  network: readonly NetworkRule[], application: readonly ApplicationRule[], context: EvalContext,
  traffic: TrafficSpec, destination: IpAddress, name: string | null, source: SourceAddress,
): FirewallDecision {
  const names: NameAllows = { rules: [], fqdns: [] };
  const fqdnAllows: NetworkRule[] = [];
  const fqdnDenies: NetworkRule[] = [];
  const ip = formatIp(destination);
  const shown = name === null ? ip : `${name} (${ip})`;
  // Rules that match the destination for part of the source's addresses: they decide nothing
  // unless the outcome for the rest agrees with them.
  const partial: NetworkRule[] = [];
  const agreeing = (decision: FirewallDecision): FirewallDecision => {
    const allows = decision.kind === 'allow';
    const denies = decision.kind === 'deny' || decision.kind === 'default-deny';
    const against = partial.find((r) => !(r.action === 'Allow' ? allows : denies));
    return against && decision.kind !== 'unknown' ? partialSourceDecision(against, source) : decision;
  };
  for (const rule of network) {
    if (!networkRuleCoversFlow(rule, traffic)) continue;
    const specs = specsOf(rule, context);
    const dest = specs.destination as AddressSpec;
    const src = sourceMatch(specs.source, source);
    if (src === 'no') continue;
    const byFqdn = fqdnMatch(rule, name, context);
    const dst = byFqdn === 'yes' ? 'yes' : destinationMatchesAddress(dest, destination);
    if (dst === 'no' && byFqdn === 'no') continue;
    // For part of the source, a rule that matches (or only may match, by its FQDNs) decides
    // nothing unless the outcome for the rest disagrees with it (agreeing).
    if (src === 'partial' && (dst === 'yes' || dst === 'no')) {
      partial.push(rule);
      continue;
    }
    if (src === 'partial') return partialSourceDecision(rule, source);
    if (src === 'unknown' || dst === 'unknown') {
      // Whether this address is one of the tag's is open: the first rule that may decide it decides nothing certain.
      const tags = dst === 'unknown' && dest.missingIpGroupIds.length === 0 ? dest.unknownTags : [];
      return unknownDecision(rule, [specs.source, dest], tags, context.serviceTags !== undefined);
    }
    if (dst === 'yes') {
      if (rule.action === 'Allow') {
        const [deny] = fqdnDenies;
        if (!deny) return agreeing({ kind: 'allow', rule, rules: [rule] });
        if (name !== null) return maybeDecision(deny, maybeMatchText(deny, name, shown, context), rule, true);
        return {
          kind: 'unknown', rule: deny, missingIpGroupIds: [], missingServiceTags: [],
          reason: `${fqdnRuleText(deny)} denies ${ip} if it is an address of one of those names, which the firewall resolves itself; otherwise rule ${rule.collection}/${rule.name} allows it (give the name: --destination NAME --resolve NAME=${ip})`,
        };
      }
      // An earlier FQDN allow may have matched this address first: then the name decides.
      const [allow] = fqdnAllows;
      if (allow && name !== null) return maybeDecision(allow, maybeMatchText(allow, name, shown, context), rule, false);
      if (names.fqdns.length > 0) return { kind: 'allow-partial', rules: names.rules, prefixes: [], serviceTags: [], fqdns: [...new Set(names.fqdns)] };
      return agreeing({ kind: 'deny', rule, rules: [rule] });
    }
    if (rule.action === 'Allow') {
      allowNames(names, rule, rule.destinationFqdns);
      fqdnAllows.push(rule);
    } else {
      fqdnDenies.push(rule);
    }
  }
  if (name === null) return agreeing(applicationForAddress(application, context, traffic, source, names));
  const byApplication = applicationForName(application, context, traffic, source, name);
  // An FQDN rule that may have matched first decides nothing unless application rules agree with it.
  const allowed = byApplication.kind === 'allow';
  const denied = byApplication.kind === 'deny' || byApplication.kind === 'default-deny';
  const [against] = allowed ? fqdnDenies : denied ? fqdnAllows : [];
  if (against) {
    const decider = byApplication.kind === 'allow' || byApplication.kind === 'deny' ? byApplication.rule : undefined;
    return maybeDecision(against, maybeMatchText(against, name, shown, context), decider, allowed);
  }
  return agreeing(byApplication);
}

/**
 * Whether an application rule applies to the flow's port and source: `no` (skip it), a decision
 * when its source names an IP group that is not in the input, else how its source matches.
 */
function applicationRuleSource(rule: ApplicationRule, context: RuleContext, traffic: TrafficSpec, source: SourceAddress): Exclude<SourceMatch, 'unknown'> | { readonly decided: FirewallDecision } {
  if (!applicationRuleCoversPort(rule, traffic)) return 'no';
  const specs = specsOf(rule, context);
  const src = sourceMatch(specs.source, source);
  return src === 'unknown' ? { decided: unknownDecision(rule, [specs.source]) } : src;
}

/** An application rule's conditions the snapshot cannot decide for a name, as text (`FQDN tag WindowsUpdate`). */
function openConditions(rule: ApplicationRule, name: string | null): string[] {
  const open = [...rule.fqdnTags.map((t) => `FQDN tag ${t}`), ...(rule.webCategories ?? []).map((c) => `web category ${c}`)];
  for (const url of rule.targetUrls ?? []) if (name === null || fqdnPatternMatches(urlHost(url), name)) open.push(`URL ${url}`);
  return open;
}

/** `https://www.contoso.com:443/docs/*` → `www.contoso.com`. */
function urlHost(url: string): string {
  const rest = url.trim().replace(/^[a-z]+:\/\//i, '');
  const host = rest.split('/')[0] ?? '';
  return host.replace(/:\d+$/, '');
}

/** Why an open condition cannot be decided from the snapshot. */
function openConditionsWhy(conditions: readonly string[]): string {
  const why: string[] = [];
  if (conditions.some((c) => c.startsWith('FQDN tag'))) why.push('Microsoft does not publish the FQDNs behind a tag');
  if (conditions.some((c) => c.startsWith('web category'))) why.push('a Microsoft service categorises names at run time');
  if (conditions.some((c) => c.startsWith('URL'))) why.push('a URL rule matches some paths of the host only, with TLS inspection');
  if (conditions.some((c) => c.startsWith('application protocol'))) why.push('application rules match HTTP, HTTPS and MSSQL only, and which one a flow on another port than the protocol\'s own speaks is not in the snapshot');
  return why.join('; ');
}

interface OpenRule {
  readonly rule: ApplicationRule;
  readonly conditions: readonly string[];
}

/** The decision when a rule that may or may not match the name (tag, category, URL) came first and the outcomes differ. */
function contingent(name: string, open: OpenRule, then: ApplicationRule | null): FirewallDecision {
  const verb = (rule: FirewallRule): string => (rule.action === 'Allow' ? 'allows' : 'denies');
  const otherwise = then ? `rule ${then.collection}/${then.name} ${verb(then)} it` : 'no rule allows it (default deny)';
  return {
    kind: 'unknown', rule: open.rule, missingIpGroupIds: [], missingServiceTags: [],
    reason: `rule ${open.rule.collection}/${open.rule.name} ${verb(open.rule)} ${name} only if it matches ${open.conditions.join(' or ')} (${openConditionsWhy(open.conditions)}); otherwise ${otherwise}`,
  };
}

/**
 * Application rules for a host name: the first rule whose target FQDNs match the SNI / Host name
 * decides, wildcards as Azure documents them [FWFAQ]. A rule that matches by FQDN tag [FWFQDNTAG],
 * web category [FWWEBCAT] or URL path [FWPREMIUM] may or may not match the name: it decides
 * nothing unless every later outcome agrees with it.
 */
function applicationForName(
  application: readonly ApplicationRule[], context: RuleContext, traffic: TrafficSpec, source: SourceAddress, name: string,
): FirewallDecision {
  const open: OpenRule[] = [];
  for (const rule of application) {
    const src = applicationRuleSource(rule, context, traffic, source);
    if (src === 'no') continue;
    if (typeof src === 'object') return src.decided;
    const conditions = openConditions(rule, name);
    const byName = rule.targetFqdns.some((pattern) => fqdnPatternMatches(pattern, name));
    if (src === 'partial' && (byName || conditions.length > 0)) return partialSourceDecision(rule, source);
    if (src === 'partial') continue;
    // On a port that is not its protocol's own, the rule may not apply at all: it decides nothing certain.
    const protocol = openApplicationProtocol(rule, traffic);
    if (protocol !== null) {
      if (byName || conditions.length > 0) open.push({ rule, conditions: [byName ? protocol : `${protocol} and ${conditions.join(' or ')}`] });
      continue;
    }
    if (byName) {
      const against = open.find((o) => o.rule.action !== rule.action);
      if (against) return contingent(name, against, rule);
      return rule.action === 'Allow' ? { kind: 'allow', rule, rules: [rule] } : { kind: 'deny', rule, rules: [rule] };
    }
    if (conditions.length > 0) open.push({ rule, conditions });
  }
  // Nothing matched for sure: denied by default, unless an open rule allows it.
  const openAllow = open.find((o) => o.rule.action === 'Allow');
  return openAllow ? contingent(name, openAllow, null) : { kind: 'default-deny' };
}

/**
 * Application rules for a bare IP: they match the TLS SNI / HTTP Host name, not the address, and
 * HTTPS without SNI is denied [FWRULES]. So they never allow the IP as such: traffic gets through
 * only for a name they allow (`name-based`), `*` included.
 */
function applicationForAddress(
  application: readonly ApplicationRule[], context: RuleContext, traffic: TrafficSpec, source: SourceAddress, names: NameAllows,
): FirewallDecision {
  for (const rule of application) {
    const src = applicationRuleSource(rule, context, traffic, source);
    if (src === 'no') continue;
    if (typeof src === 'object') return src.decided;
    const catchAll = rule.targetFqdns.some((f) => f.trim() === '*');
    // Deny rules on names only take names away from a bare IP: they decide nothing here.
    if (src === 'partial' && (catchAll || rule.action === 'Allow')) return partialSourceDecision(rule, source);
    if (src === 'partial') continue;
    const protocol = openApplicationProtocol(rule, traffic);
    if (protocol !== null && (catchAll || rule.action === 'Allow')) return openProtocolDecision(rule, protocol);
    if (protocol !== null) continue;
    if (catchAll) {
      if (rule.action === 'Allow') {
        allowNames(names, rule, ['*']);
        break;
      }
      // A catch-all deny after some named allows: only those names get through.
      if (names.fqdns.length === 0) return { kind: 'deny', rule, rules: [rule] };
      break;
    }
    if (rule.action === 'Allow') allowNames(names, rule, [...rule.targetFqdns, ...openConditions(rule, null)]);
  }
  if (names.fqdns.length > 0) return { kind: 'allow-partial', rules: names.rules, prefixes: [], serviceTags: [], fqdns: [...new Set(names.fqdns)] };
  return { kind: 'default-deny' };
}

/** Whether every name `allowed` matches also matches `denied` (both FQDN patterns as rules write them). */
function patternCovers(denied: string, allowed: string): boolean {
  const d = denied.trim().toLowerCase().replace(/\.$/, '');
  const a = allowed.trim().toLowerCase().replace(/\.$/, '');
  if (d === '*') return true;
  if (!a.startsWith('*')) return fqdnPatternMatches(d, a);
  if (!d.startsWith('*')) return false;
  const tail = a.slice(1);
  const shortest = tail.startsWith('.') ? `a${tail}` : tail;
  return tail.endsWith(d.slice(1)) && fqdnPatternMatches(d, shortest);
}

/**
 * Application rules for the part of the internet (or range) no network rule decided. A `*` rule
 * decides all of it; names a Deny rule matched first are never allowed by a later rule [FWRULES],
 * so they leave the allowed names and are reported as exceptions.
 */
function applicationForInternet(
  application: readonly ApplicationRule[], context: RuleContext, traffic: TrafficSpec, source: SourceAddress,
  names: NameAllows, internet: InternetState,
): FirewallDecision {
  const deniedPatterns: string[] = [];
  for (const rule of application) {
    const src = applicationRuleSource(rule, context, traffic, source);
    if (src === 'no') continue;
    if (typeof src === 'object') return src.decided;
    if (src === 'partial') return partialSourceDecision(rule, source);
    const protocol = openApplicationProtocol(rule, traffic);
    if (protocol !== null) return openProtocolDecision(rule, protocol);
    if (rule.targetFqdns.some((f) => f.trim() === '*')) {
      if (rule.action === 'Allow') internet.allow(rule, internet.remaining, internet.remaining, []);
      else internet.deny(rule, internet.remaining);
      break;
    }
    const conditions = openConditions(rule, null);
    if (rule.action === 'Deny') {
      deniedPatterns.push(...rule.targetFqdns);
      internet.denyNames([...rule.targetFqdns, ...conditions]);
      continue;
    }
    const allowed = rule.targetFqdns.filter((f) => !deniedPatterns.some((d) => patternCovers(d, f)));
    if (allowed.length > 0 || conditions.length > 0) allowNames(names, rule, [...allowed, ...conditions]);
  }
  return internet.decision(names);
}

/** The default route, decided part by part: what is still undecided, what was allowed, by which rules. */
class InternetState {
  remaining: Ipv4Set;
  /** Every allowed address, and the part allowed by addresses written in rules (listed as prefixes). */
  private allowed: Ipv4Set = Ipv4Set.empty();
  private allowedWritten: Ipv4Set = Ipv4Set.empty();
  private readonly allowRules: FirewallRule[] = [];
  private readonly denyRules: FirewallRule[] = [];
  private readonly serviceTagRules: FirewallRule[] = [];
  private readonly serviceTags: string[] = [];
  /**
   * The first deny on tags without prefix data, and how many names were allowed before it. Any
   * address allowed after it may be one the deny already stopped, so such an allow is not known.
   */
  private unknownDeny: { readonly decision: FirewallDecision; readonly namesBefore: number } | null = null;
  /** Names (FQDN network rules, application rules: FQDNs, tags, categories, URLs) denied before later allows. */
  private readonly deniedNames: string[] = [];
  private allowedAfterUnknownDeny = false;

  constructor(private readonly hasTagData: boolean, private readonly universe: Ipv4Set) {
    this.remaining = universe;
  }

  /** `part` is decided Allow; `written` is the part named by addresses; `tags` the data-backed tags that named the rest. */
  allow(rule: FirewallRule, part: Ipv4Set, written: Ipv4Set, tags: readonly string[]): void {
    this.allowed = this.allowed.union(part);
    this.allowedWritten = this.allowedWritten.union(written);
    this.remaining = this.remaining.subtract(part);
    this.allowRules.push(rule);
    this.serviceTags.push(...tags);
    if (this.unknownDeny) this.allowedAfterUnknownDeny = true;
  }

  deny(rule: FirewallRule, part: Ipv4Set): void {
    this.remaining = this.remaining.subtract(part);
    this.denyRules.push(rule);
  }

  /** Names a Deny rule matches: whatever is allowed after it is allowed except their addresses [FWRULES]. */
  denyNames(names: readonly string[]): void {
    this.deniedNames.push(...names);
  }

  /** An allow by service tags without prefix data: some Azure ranges, named but not listed. */
  allowTags(rule: FirewallRule, tags: readonly string[]): void {
    this.serviceTagRules.push(rule);
    this.serviceTags.push(...tags);
    if (this.unknownDeny) this.allowedAfterUnknownDeny = true;
  }

  /** A deny by service tags without prefix data: which addresses it stops is not known. */
  denyTags(rule: FirewallRule, tags: readonly string[], names: NameAllows): void {
    this.denyUnknown(unknownDecision(rule, [], tags, this.hasTagData), names);
  }

  /** A deny whose extent is not known (`why` says why), decisive only if something is allowed after it. */
  denyUnknown(why: FirewallDecision, names: NameAllows): void {
    this.unknownDeny ??= { decision: why, namesBefore: names.fqdns.length };
  }

  decision(names: NameAllows): FirewallDecision {
    const pending = this.unknownDeny;
    if (pending && (this.allowedAfterUnknownDeny || names.fqdns.length > pending.namesBefore)) {
      // Something is allowed after a deny whose extent is unknown: it may all have been denied already.
      return pending.decision;
    }
    const [firstAllow] = this.allowRules;
    const except = [...new Set(this.deniedNames)];
    const exceptions = except.length > 0 ? { exceptFqdns: except } : {};
    if (firstAllow && this.allowed.containsSet(this.universe)) return { kind: 'allow', rule: firstAllow, rules: this.allowRules, ...exceptions };
    if (this.allowed.isEmpty() && names.fqdns.length === 0 && this.serviceTags.length === 0) {
      const [firstDeny] = this.denyRules;
      // Rules deny every part explicitly; otherwise (some or all of it unmatched) default deny.
      return firstDeny && this.remaining.isEmpty() ? { kind: 'deny', rule: firstDeny, rules: this.denyRules } : { kind: 'default-deny' };
    }
    const rules = [...new Set([...this.allowRules, ...this.serviceTagRules, ...names.rules])];
    return {
      kind: 'allow-partial',
      rules,
      prefixes: this.allowedWritten.toCidrs(),
      serviceTags: [...new Set(this.serviceTags)],
      fqdns: [...new Set(names.fqdns)],
      ...exceptions,
    };
  }
}

function evaluateInternet(
  network: readonly NetworkRule[], application: readonly ApplicationRule[], context: EvalContext,
  traffic: TrafficSpec, source: SourceAddress, universe: Ipv4Set,
): FirewallDecision {
  const internet = new InternetState(context.serviceTags !== undefined, universe);
  const names: NameAllows = { rules: [], fqdns: [] };
  // Without DNS proxy, the first FQDN allow: the rule may not work at all (see below).
  let uncertainAllow: NetworkRule | null = null;
  for (const rule of network) {
    if (internet.remaining.isEmpty()) break;
    if (!networkRuleCoversFlow(rule, traffic)) continue;
    const specs = specsOf(rule, context);
    const dest = specs.destination as AddressSpec;
    const src = sourceMatch(specs.source, source);
    if (src === 'no') continue;
    const part = internet.remaining.intersect(destinationSet(dest));
    // On Basic the names match nothing [FWBASIC].
    const hasFqdns = rule.destinationFqdns.length > 0 && fqdnsActive(context);
    const fqdnAllow = rule.action === 'Allow' && hasFqdns;
    // The firewall resolves the names itself [FWFQDNNET]: their addresses, unknown here, are denied.
    const fqdnDeny = rule.action === 'Deny' && hasFqdns;
    const unknownTags = dest.any ? [] : dest.unknownTags;
    const unsupportedTags = dest.any ? [] : dest.unsupportedTags;
    const relevant = !part.isEmpty() || fqdnAllow || fqdnDeny || unknownTags.length > 0 || unsupportedTags.length > 0 || dest.missingIpGroupIds.length > 0;
    // A Basic firewall's FQDN rule would have decided names here: say it does not.
    if (rule.destinationFqdns.length > 0 && !hasFqdns) noteFqdnRule(rule, context);
    if (!relevant) continue;
    // The rule is reached with part of the internet still undecided: an unknown group decides it.
    if (src === 'partial') return partialSourceDecision(rule, source);
    if (src === 'unknown' || dest.missingIpGroupIds.length > 0) return unknownDecision(rule, [specs.source, dest]);
    // A tag not documented for firewall rules (`Internet` [TAG]): an allow by it is not known; a
    // deny by it matters only if something is allowed after it.
    if (unsupportedTags.length > 0 && rule.action === 'Allow') return unknownDecision(rule, [dest]);
    if (unsupportedTags.length > 0) internet.denyUnknown(unknownDecision(rule, [dest]), names);
    if (!part.isEmpty()) {
      if (rule.action === 'Allow') {
        const written = internet.remaining.intersect(dest.any ? Ipv4Set.all() : dest.v4);
        // Tags with data are listed by name (AzureCloud alone has thousands of prefixes), where they decided something.
        const tags = dest.knownTags.filter((t) => internet.remaining.overlaps(context.serviceTags?.prefixes(t) ?? Ipv4Set.empty()));
        internet.allow(rule, part, written, tags);
      } else {
        internet.deny(rule, part);
      }
    }
    if (unknownTags.length > 0) {
      if (rule.action === 'Allow') internet.allowTags(rule, unknownTags);
      else internet.denyTags(rule, unknownTags, names);
    }
    if (hasFqdns) noteFqdnRule(rule, context);
    if (fqdnAllow) allowNames(names, rule, rule.destinationFqdns);
    if (fqdnAllow && context.fqdnMode === 'no-proxy') uncertainAllow ??= rule;
    if (fqdnDeny) internet.denyNames(rule.destinationFqdns);
  }
  const decision = internet.remaining.isEmpty() ? internet.decision(names) : applicationForInternet(application, context, traffic, source, names, internet);
  // Without DNS proxy "only these names" is not known to hold: "You must enable DNS Proxy to use
  // FQDNs in your network rules" [FWFQDNNET], and the firewall and the client may resolve a name
  // differently [FWDNS]. With the proxy on, the firewall lets through only the addresses it
  // resolves the names to, whatever the client resolves: the restriction holds (a client with
  // another answer is denied, never let through elsewhere), and the note (noteFqdnRule) says its
  // connections may not match. Client DNS matters for a what-if on the name, not for this question.
  if (uncertainAllow && decision.kind === 'allow-partial' && decision.rules.includes(uncertainAllow)) {
    const why = fqdnUncertainty(context) ?? '';
    return {
      kind: 'unknown', rule: uncertainAllow, missingIpGroupIds: [], missingServiceTags: [],
      reason: `${fqdnRuleText(uncertainAllow)} allows the addresses the firewall resolves those names to, and ${why}: whether the client's connections to them match the rule is not known`,
    };
  }
  return decision;
}

// ---------------------------------------------------------------------------------------------
// SNAT private ranges

/**
 * IANA private ranges: RFC 1918 plus RFC 6598 shared address space. Network-rule traffic to them
 * is not SNATed by default [FWSNAT] https://learn.microsoft.com/azure/firewall/snat-private-range
 */
export const IANA_PRIVATE_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

/** Whether network-rule traffic to a destination leaves the firewall with a SNATed source. */
export type FirewallSnat =
  /** SNATed to the firewall's public IP(s): no part of the destination is in the private ranges. */
  | { readonly kind: 'snat'; readonly privateRanges: readonly string[] }
  /**
   * Never SNATed: the destination lies in the private ranges. For the default route (`0.0.0.0/0`
   * as a private range) the firewall "can never route traffic directly to the Internet" [FWSNAT].
   */
  | { readonly kind: 'no-snat'; readonly privateRanges: readonly string[] }
  /** Destinations in `noSnatPrefixes` keep their source address; the rest is SNATed. */
  | { readonly kind: 'partial-snat'; readonly privateRanges: readonly string[]; readonly noSnatPrefixes: readonly string[] }
  | { readonly kind: 'unknown'; readonly reason: string };

interface SnatRanges { readonly privateRanges: readonly string[]; readonly set: Ipv4Set; readonly autoLearn: boolean }

type SnatConfig =
  | SnatRanges & {
    readonly kind: 'config';
    /**
     * The SNAT settings of the attached policy's parent (base) policies, nearest first. Microsoft
     * documents that a child policy inherits its parent's rule collections and threat intelligence
     * mode (https://learn.microsoft.com/azure/firewall-manager/policy-overview), not whether it
     * inherits `snat.privateRanges`: where a parent's ranges would give another answer, unknown.
     */
    readonly parents: readonly { readonly policyName: string; readonly ranges: SnatRanges }[];
    /** The attached policy's name; null for a classic firewall. */
    readonly policyName: string | null;
  }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * The firewall's SNAT private ranges: from its policy when one is attached (such firewalls must
 * set them in the policy, `additionalProperties` is ignored), else the classic firewall's
 * `Network.SNAT.PrivateRanges`; unset or empty = IANA private ranges. `IANAPrivateRanges` in a
 * list "is expanded to the current defaults" [FWSNAT].
 */
const snatConfigs = new WeakMap<AzureFirewall, SnatConfig>();

/** Once per firewall: every source through it asks. */
function snatConfig(index: ModelIndex, firewall: AzureFirewall): SnatConfig {
  let found = snatConfigs.get(firewall);
  if (!found) {
    found = readSnatConfig(index, firewall);
    snatConfigs.set(firewall, found);
  }
  return found;
}

function readSnatConfig(index: ModelIndex, firewall: AzureFirewall): SnatConfig {
  if (!firewall.firewallPolicyId) return readSnatRanges(firewall.name, firewall.snatPrivateRanges, firewall.snatAutoLearnPrivateRanges, [], null);
  const policy = index.firewallPolicies.get(firewall.firewallPolicyId);
  if (!policy) return { kind: 'unknown', reason: `firewall policy ${firewall.firewallPolicyId} is not in the snapshot, so its SNAT private ranges are unknown` };
  const parents: { policyName: string; ranges: SnatRanges }[] = [];
  const seen = new Set<string>([policy.id]);
  for (let parentId = policy.basePolicyId; parentId && !seen.has(parentId);) {
    seen.add(parentId);
    const parent = index.firewallPolicies.get(parentId);
    if (!parent) {
      return {
        kind: 'unknown',
        reason: `firewall policy ${policy.name} has the parent policy ${parentId}, which is not in the snapshot; whether a child policy inherits its parent's SNAT private ranges is not documented, so the ranges that apply are unknown`,
      };
    }
    const ranges = readSnatRanges(firewall.name, parent.snatPrivateRanges, parent.snatAutoLearnPrivateRanges, [], parent.name);
    if (ranges.kind === 'unknown') return ranges;
    parents.push({ policyName: parent.name, ranges });
    parentId = parent.basePolicyId;
  }
  return readSnatRanges(firewall.name, policy.snatPrivateRanges, policy.snatAutoLearnPrivateRanges, parents, policy.name);
}

function readSnatRanges(
  firewallName: string, configured: readonly string[] | null, autoLearn: boolean,
  parents: Extract<SnatConfig, { kind: 'config' }>['parents'], policyName: string | null,
): SnatConfig {
  const privateRanges = configured === null || configured.length === 0
    ? IANA_PRIVATE_RANGES
    : [...new Set(configured.flatMap((r) => (r.trim().toLowerCase() === 'ianaprivateranges' ? IANA_PRIVATE_RANGES : [r.trim()])))];
  let set = Ipv4Set.empty();
  for (const range of privateRanges) {
    const parsed = parseAddress(range);
    if (!(parsed instanceof Ipv4Set)) return { kind: 'unknown', reason: `SNAT private range "${range}" of firewall ${firewallName} is not an IPv4 address, CIDR or range` };
    set = set.union(parsed);
  }
  return { kind: 'config', privateRanges, set, autoLearn, parents, policyName };
}

/**
 * Whether the firewall SNATs traffic it forwards to `destination` under `decision`.
 * Application-rule traffic is always SNATed (transparent proxy); network-rule traffic is not SNATed
 * to destinations in the private ranges [FWSNAT] https://learn.microsoft.com/azure/firewall/snat-private-range.
 * For decisions that forward nothing (deny, default deny, unknown) the answer is what network
 * rules would get, so a what-if can still show it. With auto-learned ranges enabled (Azure Route
 * Server), the learned ranges are not in the input: where they could change the answer, unknown.
 */
export function firewallSnat(index: ModelIndex, firewall: AzureFirewall, decision: FirewallDecision, destination: EgressDestination): FirewallSnat {
  const rules = decision.kind === 'allow' || decision.kind === 'allow-partial' ? decision.rules : [];
  const networkRules = rules.filter(isNetworkRule);
  // "Application rules are always SNATed using a transparent proxy whatever the destination IP address."
  if (rules.length > 0 && networkRules.length === 0) return { kind: 'snat', privateRanges: [] };
  const config = snatConfig(index, firewall);
  if (config.kind === 'unknown') return config;
  const { privateRanges } = config;
  let target: Ipv4Set;
  const address = destination.kind === 'address' ? destination.ip : destination.kind === 'name' ? destination.address : null;
  if (address) {
    if (address.version !== 4) return { kind: 'unknown', reason: 'SNAT private ranges are IPv4; the firewall\'s handling of this IPv6 destination is not modelled' };
    target = Ipv4Set.fromIntervals([{ start: address.value, end: address.value }]);
  } else if (destination.kind === 'range') {
    target = destination.set;
  } else if (decision.kind === 'allow-partial' && networkRules.every((r) => r.destinationFqdns.length === 0 && !r.destinationAddresses.some((a) => parseAddress(a) === null))) {
    // Network rules allowed only these prefixes: only they are forwarded under network rules.
    target = decision.prefixes.reduce((set, p) => set.union(Ipv4Set.fromCidr(p)), Ipv4Set.empty());
  } else {
    target = INTERNET;
  }
  const hasApplicationPart = rules.some(isApplicationRule);
  const own = snatUnder(config, target, hasApplicationPart, firewall.name);
  for (const parent of config.parents) {
    if (!sameSnat(own, snatUnder(parent.ranges, target, hasApplicationPart, firewall.name))) {
      return {
        kind: 'unknown',
        reason: `the SNAT private ranges of firewall ${firewall.name}'s policy ${config.policyName ?? ''} (${privateRanges.join(', ')}) and of its parent policy ${parent.policyName} (${parent.ranges.privateRanges.join(', ')}) give different answers for this destination; whether a child policy inherits its parent's SNAT settings is not documented`,
      };
    }
  }
  return own;
}

function snatUnder(config: SnatRanges, target: Ipv4Set, hasApplicationPart: boolean, firewallName: string): FirewallSnat {
  const { privateRanges } = config;
  const kept = target.intersect(config.set);
  if (!target.isEmpty() && kept.equals(target)) {
    // Never SNATed; for the default route this means no direct internet egress (0.0.0.0/0) [FWSNAT].
    return hasApplicationPart ? { kind: 'partial-snat', privateRanges, noSnatPrefixes: kept.toCidrs() } : { kind: 'no-snat', privateRanges };
  }
  if (config.autoLearn) {
    return {
      kind: 'unknown',
      reason: `firewall ${firewallName} auto-learns SNAT private ranges from Azure Route Server; the learned ranges are not in the snapshot and may include this destination`,
    };
  }
  if (kept.isEmpty()) return { kind: 'snat', privateRanges };
  return { kind: 'partial-snat', privateRanges, noSnatPrefixes: kept.toCidrs() };
}

/** Whether two readings SNAT the same part of a destination (the ranges named may differ). */
function sameSnat(a: FirewallSnat, b: FirewallSnat): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'partial-snat' && b.kind === 'partial-snat') return a.noSnatPrefixes.join() === b.noSnatPrefixes.join();
  return a.kind !== 'unknown';
}

/**
 * The Allow rules whose sources cover a source, network rules first, each in processing order
 * [FWRULES]: the destinations a source may be allowed to reach through this firewall (`reach`).
 * `certain: false` when the source match depends on an IP group that is not in the input.
 */
export function allowRulesFor(ruleSet: FirewallRuleSet, source: SourceAddress): readonly { readonly rule: FirewallRule; readonly certain: boolean }[] {
  if (ruleSet.kind === 'not-captured') return [];
  const context: RuleContext = { ipGroups: ruleSet.ipGroups ?? NO_IP_GROUPS, serviceTags: ruleSet.serviceTags };
  const network = ruleSet.sorted?.network ?? ordered(ruleSet, isNetworkRule);
  const application = ruleSet.sorted?.application ?? ordered(ruleSet, isApplicationRule);
  return [...network, ...application].flatMap((rule) => {
    if (rule.action !== 'Allow') return [];
    const match = sourceMatch(specsOf(rule, context).source, source);
    return match === 'no' ? [] : [{ rule, certain: match === 'yes' }];
  });
}

/** `Https:443` → Https on TCP 443; `Http` → Http on TCP 80; none: HTTPS and HTTP (application rules are TCP only). */
export function applicationRuleProtocols(rule: Extract<FirewallRule, { kind: 'application' }>): readonly { readonly type: string; readonly port: number }[] {
  if (rule.protocols.length === 0) return [{ type: 'Https', port: 443 }, { type: 'Http', port: 80 }];
  return rule.protocols.flatMap((p) => {
    const [type = '', portText] = p.split(':');
    const port = portText === undefined ? DEFAULT_APP_PORTS[type.trim().toLowerCase()] : Number(portText);
    return port === undefined || !Number.isFinite(port) ? [] : [{ type: type.trim(), port }];
  });
}

/** `Https:443` → TCP 443; `Http` → TCP 80; `mssql:1433` → TCP 1433. */
export function applicationRulePorts(rule: Extract<FirewallRule, { kind: 'application' }>): readonly number[] {
  return applicationRuleProtocols(rule).map((t) => t.port);
}

/**
 * The Deny rules a flow meets before `rule` that may apply to this source, in processing order:
 * network rules before application rules, parent policy first, then priority [FWRULES]
 * https://learn.microsoft.com/azure/firewall/rule-processing. What `rule` allows on a port such a
 * rule names may be stopped there. A rule the set does not hold: every Deny rule (never fewer).
 */
export function denyRulesBefore(ruleSet: FirewallRuleSet, source: SourceAddress, rule: FirewallRule): readonly FirewallRule[] {
  if (ruleSet.kind === 'not-captured') return [];
  const context: RuleContext = { ipGroups: ruleSet.ipGroups ?? NO_IP_GROUPS, serviceTags: ruleSet.serviceTags };
  const all = [...ruleSet.sorted?.network ?? ordered(ruleSet, isNetworkRule), ...ruleSet.sorted?.application ?? ordered(ruleSet, isApplicationRule)];
  const at = all.indexOf(rule);
  return (at < 0 ? all : all.slice(0, at)).filter((r) => r.action === 'Deny' && sourceMatch(specsOf(r, context).source, source) !== 'no');
}
