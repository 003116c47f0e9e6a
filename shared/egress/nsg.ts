/**
 * Outbound NSG evaluation: priority order, first match wins; the NIC's NSG first, then the
 * subnet's; a deny in either drops the traffic [NSG]
 * https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 */
import type { NetworkSecurityGroup, SecurityRule } from '../model/topology';
import { entriesCoverDestination, entriesCoverSource, portRangeCovers } from './destination';
import type { SourceAddress, TrafficSpec } from './destination';

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

function ruleMatches(rule: SecurityRule, traffic: TrafficSpec, source: SourceAddress): boolean {
  return protocolCovers(rule.protocol, traffic.protocol)
    && (rule.sourceAddressPrefixes.length === 0 || entriesCoverSource(rule.sourceAddressPrefixes, source))
    && entriesCoverDestination(rule.destinationAddressPrefixes, traffic.destination)
    && (rule.destinationPortRanges.length === 0 || rule.destinationPortRanges.some((r) => portRangeCovers(r, traffic.port)));
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
