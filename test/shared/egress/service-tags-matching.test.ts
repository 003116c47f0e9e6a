/**
 * Service tags in NSG rules, Azure Firewall network rules and UDRs: with prefix data a tag is its
 * prefixes; without, a verdict that depends on the tag's contents is Unknown (never guessed).
 * [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 * [FWTAG] https://learn.microsoft.com/azure/firewall/service-tags
 * [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
 * [NSG] https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
 * [FWRULES] https://learn.microsoft.com/azure/firewall/rule-processing
 */
import { describe, expect, it } from 'vitest';
import { destinationCoverage } from '../../../shared/egress/destination';
import { evaluateFirewallRules, prepareRuleSet, type FirewallDecision, type FirewallRuleSet } from '../../../shared/egress/firewall-rules';
import { evaluateNsgChain, evaluateNsgForDestination, type NsgVerdict } from '../../../shared/egress/nsg';
import { buildModelIndex } from '../../../shared/model/model-index';
import { Ipv4Set, publicIpv4 } from '../../../shared/model/ip-set';
import { buildServiceTagIndex, type ServiceTagSet } from '../../../shared/model/service-tags';
import type { FirewallRule, NetworkSecurityGroup, SecurityRule, Subnet } from '../../../shared/model/topology';
import { parseIp, type IpAddress } from '../../../shared/model/ip';
import { lookupRoute, type RouteDestination } from '../../../shared/routing/lpm';
import { RouteSetBuilder } from '../../../shared/routing/subnet-routes';
import { applicationRule, ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { INTERNET, from, to } from './nsg-support';

const DATA: ServiceTagSet = {
  changeNumber: 376,
  cloud: 'Public',
  tags: [
    { name: 'Storage', region: '', systemService: 'AzureStorage', addressPrefixes: ['13.65.107.32/28', '13.69.40.0/24', '20.60.26.0/23', '2603:1020:201::/48'], networkFeatures: ['API', 'NSG', 'UDR', 'FW', 'VSE'] },
    { name: 'Storage.WestEurope', region: 'westeurope', systemService: 'AzureStorage', addressPrefixes: ['13.69.40.0/24', '20.60.26.0/23', '2603:1020:201::/48'], networkFeatures: ['API', 'NSG', 'UDR', 'FW', 'VSE'] },
    { name: 'AzureCloud.WestEurope', region: 'westeurope', systemService: '', addressPrefixes: ['13.69.0.0/17', '20.61.0.0/16'], networkFeatures: ['API', 'NSG', 'UDR', 'FW'] },
  ],
};
const TAGS = buildServiceTagIndex(DATA);
const STORAGE = TAGS.prefixes('Storage') as Ipv4Set;

const APP = from('10.1.1.4/32');
const STORAGE_IP = '13.69.40.10';
const AZURE_WEU_IP = '20.61.14.21';
const ELSEWHERE = '8.8.8.8';

function nsg(rules: readonly SecurityRule[]): NetworkSecurityGroup {
  return { id: '/nsg' as NetworkSecurityGroup['id'], name: 'nsg', subscriptionId: 's', resourceGroup: 'rg', location: null, tags: {}, kind: 'networkSecurityGroup', securityRules: rules };
}

function only<A extends NsgVerdict['access']>(v: NsgVerdict, access: A): Extract<NsgVerdict, { access: A }> {
  if (v.access !== access) throw new Error(`expected ${access}, got ${v.access}: ${v.reason}`);
  return v as Extract<NsgVerdict, { access: A }>;
}

describe('NSG rules on service tags', () => {
  // [NSG] first match by priority; [TAG] Storage is a set of public Azure prefixes.
  const denyStorage = nsg([securityRule('deny-storage', 100, 'Deny', 'Storage')]);

  it('without data: the default route is Partial except the tag, and an address it may contain is Unknown', () => {
    const route = only(evaluateNsgForDestination(denyStorage, INTERNET, APP, 'Outbound'), 'Partial');
    expect(route.exceptServiceTags).toEqual(['Storage']);
    const address = only(evaluateNsgForDestination(denyStorage, to(STORAGE_IP), APP, 'Outbound'), 'Unknown');
    expect(address.missing).toEqual([{ kind: 'service-tag-prefixes', tag: 'Storage' }]);
    expect(address.reason).toContain('not in the snapshot');
  });

  it('with data: the tag is exactly its IPv4 prefixes: certain Deny inside, Allow outside, Partial for the internet', () => {
    const options = { serviceTags: TAGS };
    const inside = evaluateNsgForDestination(denyStorage, to(STORAGE_IP), APP, 'Outbound', options);
    expect([inside.access, inside.rules[0]?.rule.name]).toEqual(['Deny', 'deny-storage']);
    expect(evaluateNsgForDestination(denyStorage, to(ELSEWHERE), APP, 'Outbound', options).access).toBe('Allow');
    const route = only(evaluateNsgForDestination(denyStorage, INTERNET, APP, 'Outbound', options), 'Partial');
    expect(route.exceptServiceTags).toEqual([]);
    expect(route.allowedServiceTags).toEqual([]);
    const allowed = route.allowedPrefixes.reduce((set, c) => set.union(Ipv4Set.fromCidr(c)), Ipv4Set.empty());
    expect(allowed.equals(publicIpv4().subtract(STORAGE))).toBe(true);
  });

  it('with data: a regional tag (any casing) allows only its prefixes when the rest is denied', () => {
    const rules = nsg([securityRule('allow-storage-weu', 100, 'Allow', 'storage.westeurope'), securityRule('deny-internet', 200, 'Deny', 'Internet')]);
    const options = { serviceTags: TAGS };
    const route = only(evaluateNsgChain([rules], INTERNET, APP, 'Outbound', options), 'Partial');
    expect(route.allowedPrefixes).toEqual(['13.69.40.0/24', '20.60.26.0/23']);
    expect(evaluateNsgChain([rules], to('20.60.27.1'), APP, 'Outbound', options).access).toBe('Allow');
    expect(evaluateNsgChain([rules], to('13.65.107.33'), APP, 'Outbound', options).access).toBe('Deny');
  });

  it('with data that lacks the tag: still Unknown, and the reason says the data does not list it', () => {
    const v = only(evaluateNsgForDestination(nsg([securityRule('deny-kv', 100, 'Deny', 'AzureKeyVault')]), to(ELSEWHERE), APP, 'Outbound', { serviceTags: TAGS }), 'Unknown');
    expect(v.missing).toEqual([{ kind: 'service-tag-prefixes', tag: 'AzureKeyVault' }]);
    expect(v.reason).toContain('service tag data (change number 376)');
  });

  it('destinationCoverage: certain with data, uncertain without; Internet/AzureLoadBalancer unchanged', () => {
    const entries = ['Storage', 'Internet'];
    expect(destinationCoverage(entries).uncertainTags.map((t) => t.tag)).toEqual(['Storage']);
    const withData = destinationCoverage(entries, { serviceTags: TAGS });
    expect(withData.uncertainTags).toEqual([]);
    expect(withData.certain.equals(publicIpv4().union(STORAGE))).toBe(true);
    // Cached per data: asking again without data is not answered from the with-data cache.
    expect(destinationCoverage(entries).uncertainTags).toHaveLength(1);
  });
});

function ruleSet(rules: readonly FirewallRule[], withData: boolean): FirewallRuleSet {
  return prepareRuleSet({ kind: 'rules', rules, policyIds: [] }, withData ? TAGS : undefined);
}

function decide(rules: readonly FirewallRule[], withData: boolean, traffic = INTERNET): FirewallDecision {
  return evaluateFirewallRules(ruleSet(rules, withData), traffic, APP);
}

describe('Azure Firewall network rules on service tags', () => {
  const allowWeu = networkRule('azure-weu', { destinationAddresses: ['AzureCloud.WestEurope'] });
  const denyStorage = networkRule('no-storage', { action: 'Deny', destinationAddresses: ['Storage'], priority: 100 });
  const allowAll = networkRule('https-out', { destinationAddresses: ['*'], priority: 200 });

  it('prepareRuleSet stores the data in the prepared rule set', () => {
    const set = ruleSet([allowWeu], true);
    expect(set.kind === 'rules' && set.serviceTags).toBe(TAGS);
  });

  // [FWTAG] network rules may name service tags in destinationAddresses.
  it('with data: an allow on a tag allows exactly its prefixes (listed by tag name for the internet)', () => {
    expect(decide([allowWeu], true)).toEqual({ kind: 'allow-partial', rules: [allowWeu], prefixes: [], serviceTags: ['AzureCloud.WestEurope'], fqdns: [] });
    expect(decide([allowWeu], true, to(AZURE_WEU_IP))).toMatchObject({ kind: 'allow', rule: { name: 'azure-weu' } });
    expect(decide([allowWeu], true, to(ELSEWHERE))).toEqual({ kind: 'default-deny' });
  });

  it('without data: the internet is allowed in part by tag name; an address the tag may hold is unknown', () => {
    expect(decide([allowWeu], false)).toEqual({ kind: 'allow-partial', rules: [allowWeu], prefixes: [], serviceTags: ['AzureCloud.WestEurope'], fqdns: [] });
    expect(decide([allowWeu], false, to(AZURE_WEU_IP))).toMatchObject({ kind: 'unknown', rule: { name: 'azure-weu' }, missingServiceTags: ['AzureCloud.WestEurope'], missingIpGroupIds: [] });
    // Service tags list public Azure ranges: a private destination is not one of them.
    expect(decide([allowWeu], false, to('10.50.0.4')).kind).toBe('default-deny');
  });

  // [FWRULES] rules are terminating, priority order: a deny on Storage before an allow-all decides Storage's addresses.
  it('with data: a deny on a tag carves its prefixes out of a later allow', () => {
    const decision = decide([denyStorage, allowAll], true);
    if (decision.kind !== 'allow-partial') throw new Error(decision.kind);
    const allowed = decision.prefixes.reduce((set, c) => set.union(Ipv4Set.fromCidr(c)), Ipv4Set.empty());
    expect(allowed.equals(publicIpv4().subtract(STORAGE))).toBe(true);
    expect(decide([denyStorage, allowAll], true, to(STORAGE_IP))).toMatchObject({ kind: 'deny', rule: { name: 'no-storage' } });
    expect(decide([denyStorage, allowAll], true, to(ELSEWHERE))).toMatchObject({ kind: 'allow', rule: { name: 'https-out' } });
  });

  it('without data: a deny on a tag followed by an allow is unknown (it used to be a confident allow)', () => {
    const decision = decide([denyStorage, allowAll], false);
    expect(decision).toMatchObject({ kind: 'unknown', rule: { name: 'no-storage' }, missingServiceTags: ['Storage'] });
    expect(decision.kind === 'unknown' && decision.reason).toContain('https://learn.microsoft.com/azure/firewall/service-tags');
    expect(decide([denyStorage, allowAll], false, to(ELSEWHERE))).toMatchObject({ kind: 'unknown', missingServiceTags: ['Storage'] });
    // Application-rule allows after the deny may resolve into the tag as well.
    expect(decide([denyStorage, applicationRule('contoso', ['*.contoso.com'])], false).kind).toBe('unknown');
  });

  it('without data: a deny on a tag that nothing later allows around still gives a confident (default) deny', () => {
    expect(decide([denyStorage], false)).toEqual({ kind: 'default-deny' });
    // An allow before the deny is unaffected by it.
    const earlier = networkRule('partner', { destinationAddresses: ['40.1.0.0/16'], priority: 50 });
    expect(decide([earlier, denyStorage], false)).toMatchObject({ kind: 'allow-partial', prefixes: ['40.1.0.0/16'] });
  });

  it('with data that lacks the tag: unknown, and the reason names the service tag data', () => {
    const kv = networkRule('kv', { destinationAddresses: ['AzureKeyVault.WestEurope'] });
    const decision = decide([kv], true, to(ELSEWHERE));
    expect(decision).toMatchObject({ kind: 'unknown', missingServiceTags: ['AzureKeyVault.WestEurope'] });
    expect(decision.kind === 'unknown' && decision.reason).toContain('not in the service tag data');
  });
});

describe('UDRs on service tags', () => {
  function routes(withData: boolean, extra: readonly { name: string; prefix: string; nextHopType: string; nextHopIp?: string }[] = []) {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const rt = b.routeTable('rt', [
      { name: 'storage-via-nva', prefix: 'Storage', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' },
      { name: 'default-internet', prefix: '0.0.0.0/0', nextHopType: 'Internet' },
      ...extra,
    ]);
    const s = b.subnet(v, 's', '10.0.1.0/24', { routeTableId: rt });
    const model = b.build();
    const builder = new RouteSetBuilder(buildModelIndex(model), [], withData ? TAGS : undefined);
    const set = builder.routesFor(model.subnets.find((x) => x.id === s) as Subnet);
    return { set, builder, rt };
  }
  const address = (ip: string): RouteDestination => ({ kind: 'address', ip: parseIp(ip) as IpAddress });

  // [UDR] a route's address prefix may be a service tag; longest prefix match then applies to its prefixes.
  it('with data: the tag route becomes one route per prefix (addressPrefix keeps the tag) and wins by longest prefix', () => {
    const { set, builder } = routes(true);
    const expanded = set.routes.filter((r) => r.name === 'storage-via-nva');
    expect(expanded.map((r) => [r.addressPrefix, r.cidr?.prefixLength])).toEqual([['Storage', 28], ['Storage', 24], ['Storage', 23], ['Storage', 48]]);
    expect(builder.gaps).toEqual([]);
    const winner = lookupRoute(set.routes, address(STORAGE_IP)).winner;
    expect([winner?.name, winner?.addressPrefix, winner?.nextHopIpAddress]).toEqual(['storage-via-nva', 'Storage', '10.0.0.4']);
    expect(lookupRoute(set.routes, address(ELSEWHERE)).winner?.name).toBe('default-internet');
    // The default route (the internet as a whole) is still decided by the /0.
    expect(lookupRoute(set.routes, { kind: 'default-route' }).winner?.name).toBe('default-internet');
  });

  it('with data: a more specific CIDR UDR still beats the tag\'s shorter prefix', () => {
    const { set } = routes(true, [{ name: 'pin', prefix: '13.69.40.0/25', nextHopType: 'Internet' }]);
    expect(lookupRoute(set.routes, address(STORAGE_IP)).winner?.name).toBe('pin');
  });

  it('without data: the tag route never matches and the route table is a not-modelled gap (as before)', () => {
    const { set, builder, rt } = routes(false);
    expect(set.routes.filter((r) => r.name === 'storage-via-nva').map((r) => r.cidr)).toEqual([null]);
    expect(lookupRoute(set.routes, address(STORAGE_IP)).winner?.name).toBe('default-internet');
    expect(builder.gaps.map((g) => [g.code, g.scope])).toEqual([['not-modelled', rt]]);
    expect(builder.gaps[0]?.message).toContain('not in the snapshot');
  });

  it('with data that lacks the tag: the gap says the data does not list it', () => {
    const { builder } = routes(true, [{ name: 'kv', prefix: 'AzureKeyVault', nextHopType: 'Internet' }]);
    expect(builder.gaps).toHaveLength(1);
    expect(builder.gaps[0]?.message).toContain('change number 376');
  });
});
