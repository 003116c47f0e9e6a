import { describe, expect, it } from 'vitest';
import type { TrafficSpec } from '../../../shared/egress/destination';
import { evaluateFirewallRules } from '../../../shared/egress/firewall-rules';
import type { FirewallRuleSet } from '../../../shared/egress/firewall-rules';
import { evaluateNsg } from '../../../shared/egress/nsg';
import { defaultLoadBalancerSnatPorts } from '../../../shared/egress/outbound';
import { parseCidr, parseIp } from '../../../shared/model/ip';
import type { Cidr, IpAddress } from '../../../shared/model/ip';
import type { FirewallRule, NetworkSecurityGroup } from '../../../shared/model/topology';
import { applicationRule, networkRule, securityRule } from '../../support/model-builder';

const INTERNET: TrafficSpec = { destination: { kind: 'default-route' }, port: 443, protocol: 'Tcp' };
const to = (ip: string, port = 443): TrafficSpec => ({ destination: { kind: 'address', ip: parseIp(ip) as IpAddress, text: ip }, port, protocol: 'Tcp' });
const FROM_APP = { cidrs: [parseCidr('10.1.1.0/24') as Cidr] };

function nsg(rules: NetworkSecurityGroup['securityRules']): NetworkSecurityGroup {
  return { id: '/nsg' as NetworkSecurityGroup['id'], name: 'nsg', subscriptionId: 's', resourceGroup: 'rg', location: null, tags: {}, kind: 'networkSecurityGroup', securityRules: rules };
}

describe('evaluateNsg', () => {
  it('first match by priority wins, whatever the listing order', () => {
    const decision = evaluateNsg(nsg([securityRule('allow-all', 300, 'Allow', '*'), securityRule('deny-internet', 200, 'Deny', 'Internet')]), INTERNET, FROM_APP);
    expect([decision.access, decision.rule.name, decision.defaultsAssumed]).toEqual(['Deny', 'deny-internet', true]);
  });

  it('applies Azure defaults when the captured NSG has none: AllowInternetOutBound allows internet', () => {
    const decision = evaluateNsg(nsg([]), INTERNET, FROM_APP);
    expect([decision.access, decision.rule.name, decision.rule.priority, decision.defaultsAssumed]).toEqual(['Allow', 'AllowInternetOutBound', 65001, true]);
  });

  it('matches ports, ranges, protocol and source prefixes', () => {
    const rules = [
      securityRule('deny-high-ports', 100, 'Deny', 'Internet', { destinationPortRanges: ['8000-9000'] }),
      securityRule('deny-udp', 110, 'Deny', '*', { protocol: 'Udp' }),
      securityRule('deny-other-subnet', 120, 'Deny', '*', { sourceAddressPrefixes: ['10.9.0.0/16'] }),
      securityRule('deny-from-app', 130, 'Deny', '*', { sourceAddressPrefixes: ['10.1.0.0/16'], destinationPortRanges: ['22'] }),
    ];
    expect(evaluateNsg(nsg(rules), to('8.8.8.8', 8443), FROM_APP).rule.name).toBe('deny-high-ports');
    expect(evaluateNsg(nsg(rules), { ...to('8.8.8.8'), protocol: 'Udp' }, FROM_APP).rule.name).toBe('deny-udp');
    expect(evaluateNsg(nsg(rules), to('8.8.8.8', 22), FROM_APP).rule.name).toBe('deny-from-app');
    expect(evaluateNsg(nsg(rules), to('8.8.8.8'), FROM_APP).rule.name).toBe('AllowInternetOutBound');
  });

  it('ignores inbound rules and VirtualNetwork-only destinations for internet traffic', () => {
    const rules = [securityRule('in', 100, 'Deny', '*', { direction: 'Inbound' }), securityRule('deny-vnet', 110, 'Deny', 'VirtualNetwork')];
    expect(evaluateNsg(nsg(rules), INTERNET, FROM_APP).access).toBe('Allow');
  });
});

describe('evaluateFirewallRules', () => {
  const rules = (list: readonly FirewallRule[]): FirewallRuleSet => ({ kind: 'rules', rules: list, policyIds: [] });

  it('network rules before application rules, by priority; deny is terminating', () => {
    const set = rules([networkRule('allow', { priority: 300 }), networkRule('deny', { priority: 100, action: 'Deny' }), applicationRule('app', ['*'])]);
    expect(evaluateFirewallRules(set, INTERNET, FROM_APP)).toMatchObject({ kind: 'deny', rule: { name: 'deny' } });
  });

  it('application rule with * allows the internet; with names only, the internet is restricted to those names', () => {
    expect(evaluateFirewallRules(rules([applicationRule('all', ['*'])]), INTERNET, FROM_APP)).toMatchObject({ kind: 'allow', rule: { name: 'all' } });
    expect(evaluateFirewallRules(rules([applicationRule('a', ['*.contoso.com']), applicationRule('b', ['github.com'], { fqdnTags: ['WindowsUpdate'] })]), INTERNET, FROM_APP))
      .toEqual({ kind: 'allow-partial', rules: expect.any(Array), prefixes: [], serviceTags: [], fqdns: ['*.contoso.com', 'github.com', 'FQDN tag WindowsUpdate'] });
  });

  it('application rules are HTTP(S)/MSSQL only: a UDP flow or another port is default-denied', () => {
    const set = rules([applicationRule('all', ['*'])]);
    expect(evaluateFirewallRules(set, { ...INTERNET, protocol: 'Udp' }, FROM_APP)).toEqual({ kind: 'default-deny' });
    expect(evaluateFirewallRules(set, { ...INTERNET, port: 22 }, FROM_APP)).toEqual({ kind: 'default-deny' });
  });

  it('network rules match what-if IPs by CIDR and sources by prefix', () => {
    const set = rules([networkRule('partner', { destinationAddresses: ['40.1.0.0/16'], sourceAddresses: ['10.1.0.0/16'] })]);
    expect(evaluateFirewallRules(set, to('40.1.2.3'), FROM_APP).kind).toBe('allow');
    expect(evaluateFirewallRules(set, to('40.1.2.3'), { cidrs: [parseCidr('10.2.0.0/24') as Cidr] }).kind).toBe('default-deny');
    // For the default route a rule on part of the internet is an allow restricted to that part.
    expect(evaluateFirewallRules(set, INTERNET, FROM_APP)).toMatchObject({ kind: 'allow-partial', prefixes: ['40.1.0.0/16'] });
  });

  it('rules not captured are reported as such, never guessed', () => {
    expect(evaluateFirewallRules({ kind: 'not-captured', reason: 'x' }, INTERNET, FROM_APP)).toEqual({ kind: 'not-captured', reason: 'x' });
  });
});

describe('defaultLoadBalancerSnatPorts', () => {
  it('follows the default allocation table, capped at 1,024 per instance', () => {
    expect([1, 50, 51, 100, 101, 200, 201, 400, 401, 800, 801, 1000].map((n) => defaultLoadBalancerSnatPorts(n, 1))).toEqual([1024, 1024, 512, 512, 256, 256, 128, 128, 64, 64, 32, 32]);
    expect(defaultLoadBalancerSnatPorts(60, 2)).toBe(1024);
    expect(defaultLoadBalancerSnatPorts(300, 2)).toBe(256);
  });
});

describe('firewallRuleSet', () => {
  it('puts the base policy\'s rules first (parent policy groups win) and reports a missing policy as not captured', async () => {
    const { ModelBuilder } = await import('../../support/model-builder');
    const { buildModelIndex } = await import('../../../shared/model/model-index');
    const { firewallRuleSet } = await import('../../../shared/egress/firewall-rules');
    const b = new ModelBuilder();
    const base = b.firewallPolicy('base', [networkRule('base-deny-all', { action: 'Deny', priority: 500 })]);
    const child = b.firewallPolicy('child', [networkRule('child-allow', { priority: 100 })], { basePolicyId: base });
    const withGroupsOnly = b.firewallPolicy('groups-not-merged', [], { ruleCollectionGroupIds: [base] });
    const v = b.vnet('v', ['10.0.0.0/16']);
    const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.0.0/26');
    const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.0.4', policyId: child });
    const fw2 = b.firewall('fw2', { subnetId: fwSubnet, privateIp: '10.0.0.5', policyId: withGroupsOnly });
    const model = b.build();
    const index = buildModelIndex(model);
    const set = firewallRuleSet(index, model.azureFirewalls.find((f) => f.id === fw) as (typeof model.azureFirewalls)[number]);
    expect(set.kind === 'rules' ? [set.rules.map((r) => r.name), set.policyIds] : set).toEqual([['base-deny-all', 'child-allow'], [child, base]]);
    // The child's priority-100 allow does not beat the base policy's priority-500 deny.
    expect(evaluateFirewallRules(set, INTERNET, FROM_APP)).toMatchObject({ kind: 'deny', rule: { name: 'base-deny-all' } });
    const set2 = firewallRuleSet(index, model.azureFirewalls.find((f) => f.id === fw2) as (typeof model.azureFirewalls)[number]);
    expect(set2).toEqual({ kind: 'not-captured', reason: 'the rule collection groups of firewall policy groups-not-merged were not captured' });
  });
});
