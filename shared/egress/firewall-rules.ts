/**
 * Azure Firewall rule processing for one flow: Network rules, then Application rules, each in
 * priority order (parent policy first); no match = default deny [FWRULES]
 * https://learn.microsoft.com/azure/firewall/rule-processing
 */
import type { ModelIndex } from '../model/model-index';
import type { AzureFirewall, FirewallRule } from '../model/topology';
import { entriesCoverDestination, entriesCoverSource, portRangeCovers } from './destination';
import type { SourceAddress, TrafficSpec } from './destination';

type NetworkRule = Extract<FirewallRule, { kind: 'network' }>;
type ApplicationRule = Extract<FirewallRule, { kind: 'application' }>;

export type FirewallRuleSet =
  | {
      readonly kind: 'rules';
      readonly rules: readonly FirewallRule[];
      /** Rules per policy, base (parent) policy first: parent rule collection groups always win [FWRULES]. */
      readonly tiers?: readonly (readonly FirewallRule[])[];
      readonly policyIds: readonly string[];
      /** Set by prepareRuleSet: the rules split by type and sorted once, for reuse across flows. */
      readonly sorted?: { readonly network: readonly NetworkRule[]; readonly application: readonly ApplicationRule[] };
    }
  | { readonly kind: 'not-captured'; readonly reason: string };

export type FirewallDecision =
  | { readonly kind: 'allow'; readonly rule: FirewallRule }
  | { readonly kind: 'deny'; readonly rule: FirewallRule }
  /** Application rules allow only some FQDNs: internet, restricted to these names. */
  | { readonly kind: 'allow-fqdns'; readonly rules: readonly FirewallRule[]; readonly fqdns: readonly string[] }
  | { readonly kind: 'default-deny' }
  | { readonly kind: 'not-captured'; readonly reason: string };

/** Classic rules on the firewall, or the policy's rules with its base policies' rules first. */
export function firewallRuleSet(index: ModelIndex, firewall: AzureFirewall): FirewallRuleSet {
  if (!firewall.firewallPolicyId) return { kind: 'rules', rules: firewall.rules, policyIds: [] };
  const chain: string[] = [];
  const rules: FirewallRule[][] = [];
  let policyId: string | null = firewall.firewallPolicyId;
  while (policyId && !chain.includes(policyId)) {
    const policy = index.firewallPolicies.get(policyId as typeof firewall.firewallPolicyId);
    if (!policy) return { kind: 'not-captured', reason: `firewall policy ${policyId} is not in the snapshot` };
    if (policy.rules.length === 0 && policy.ruleCollectionGroupIds.length > 0) {
      return { kind: 'not-captured', reason: `the rule collection groups of firewall policy ${policy.name} were not captured` };
    }
    chain.push(policyId);
    rules.unshift([...policy.rules]);
    policyId = policy.basePolicyId;
  }
  // Parent (base) policy rule collection groups always win [FWRULES]: they come first.
  return { kind: 'rules', rules: rules.flat(), tiers: rules, policyIds: chain };
}

function protocolCovers(protocols: readonly string[], protocol: 'Tcp' | 'Udp'): boolean {
  return protocols.length === 0 || protocols.some((p) => {
    const lower = p.trim().toLowerCase();
    return lower === 'any' || lower === '*' || lower === protocol.toLowerCase();
  });
}

function sourceCovers(entries: readonly string[], source: SourceAddress): boolean {
  return entries.length === 0 || entriesCoverSource(entries, source);
}

function networkRuleMatches(rule: NetworkRule, traffic: TrafficSpec, source: SourceAddress): boolean {
  return protocolCovers(rule.protocols, traffic.protocol)
    && sourceCovers(rule.sourceAddresses, source)
    && entriesCoverDestination(rule.destinationAddresses, traffic.destination)
    && (rule.destinationPorts.length === 0 || rule.destinationPorts.some((p) => portRangeCovers(p, traffic.port)));
}

/** Network rules naming FQDNs instead of addresses: they allow those names only. */
function networkFqdnRuleMatches(rule: NetworkRule, traffic: TrafficSpec, source: SourceAddress): boolean {
  return rule.destinationFqdns.length > 0 && protocolCovers(rule.protocols, traffic.protocol)
    && sourceCovers(rule.sourceAddresses, source)
    && (rule.destinationPorts.length === 0 || rule.destinationPorts.some((p) => portRangeCovers(p, traffic.port)));
}

const DEFAULT_APP_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, mssql: 1433 };

/** Application protocols look like `Https:443`, `Http`, `mssql:1433`; they are TCP only. */
function applicationRuleCoversPort(rule: ApplicationRule, traffic: TrafficSpec): boolean {
  if (traffic.protocol !== 'Tcp') return false;
  if (rule.protocols.length === 0) return traffic.port === 443 || traffic.port === 80;
  return rule.protocols.some((p) => {
    const [type = '', portText] = p.split(':');
    const port = portText === undefined ? DEFAULT_APP_PORTS[type.trim().toLowerCase()] : Number(portText);
    return port === traffic.port;
  });
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

/** Sorts the rules once so evaluating many flows against one firewall does not re-sort them. */
export function prepareRuleSet(ruleSet: FirewallRuleSet): FirewallRuleSet {
  if (ruleSet.kind === 'not-captured') return ruleSet;
  return {
    ...ruleSet,
    sorted: {
      network: ordered(ruleSet, isNetworkRule),
      application: ordered(ruleSet, isApplicationRule),
    },
  };
}

/** Decides one flow. Network rules are terminating; Application rules only run if none matched [FWRULES]. */
export function evaluateFirewallRules(ruleSet: FirewallRuleSet, traffic: TrafficSpec, source: SourceAddress): FirewallDecision {
  if (ruleSet.kind === 'not-captured') return ruleSet;
  const network = ruleSet.sorted?.network ?? ordered(ruleSet, isNetworkRule);
  const fqdnRules: FirewallRule[] = [];
  const fqdns: string[] = [];
  for (const rule of network) {
    if (networkRuleMatches(rule, traffic, source)) return rule.action === 'Allow' ? { kind: 'allow', rule } : { kind: 'deny', rule };
    if (rule.action === 'Allow' && rule.destinationAddresses.length === 0 && networkFqdnRuleMatches(rule, traffic, source)) {
      fqdnRules.push(rule);
      fqdns.push(...rule.destinationFqdns);
    }
  }
  const application = ruleSet.sorted?.application ?? ordered(ruleSet, isApplicationRule);
  for (const rule of application) {
    if (!sourceCovers(rule.sourceAddresses, source) || !applicationRuleCoversPort(rule, traffic)) continue;
    if (rule.targetFqdns.some((f) => f.trim() === '*')) {
      if (rule.action === 'Allow') return { kind: 'allow', rule };
      // A catch-all deny after some named allows: only those names get through.
      if (fqdns.length === 0) return { kind: 'deny', rule };
      break;
    }
    if (rule.action === 'Allow') {
      fqdnRules.push(rule);
      fqdns.push(...rule.targetFqdns, ...rule.fqdnTags.map((t) => `FQDN tag ${t}`));
    }
  }
  if (fqdns.length > 0) return { kind: 'allow-fqdns', rules: fqdnRules, fqdns: [...new Set(fqdns)] };
  return { kind: 'default-deny' };
}
