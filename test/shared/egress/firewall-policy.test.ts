/**
 * Azure Firewall decisions where auditors probe: policy completeness (DNAT-only / empty rule
 * collection groups), IP groups, address ranges, partial allows of the internet, and SNAT private
 * ranges. Inputs are ARM JSON as Azure returns it (REST shape and `az -o json` shape) run through
 * the real normalizer, plus direct unit tests of evaluateFirewallRules.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import type { TrafficSpec } from '../../../shared/egress/destination';
import { evaluateFirewallRules, firewallRuleSet, firewallSnat, prepareRuleSet } from '../../../shared/egress/firewall-rules';
import type { FirewallDecision, FirewallRuleSet } from '../../../shared/egress/firewall-rules';
import { toResourceId } from '../../../shared/model/ids';
import { parseCidr, parseIp } from '../../../shared/model/ip';
import type { Cidr, IpAddress } from '../../../shared/model/ip';
import { Ipv4Set } from '../../../shared/model/ip-set';
import { buildModelIndex } from '../../../shared/model/model-index';
import type { ModelIndex } from '../../../shared/model/model-index';
import type { AzureFirewall, FirewallRule, IpGroup } from '../../../shared/model/topology';
import { applicationRule, networkRule } from '../../support/model-builder';

const NET = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub/providers/Microsoft.Network';
const POLICY_ID = `${NET}/firewallPolicies/fwp-hub`;
const FIREWALL_ID = `${NET}/azureFirewalls/afw-hub`;
const id = (raw: string) => toResourceId(raw);

const INTERNET: TrafficSpec = { destination: { kind: 'default-route' }, port: 443, protocol: 'Tcp' };
const to = (ip: string, port = 443): TrafficSpec => ({ destination: { kind: 'address', ip: parseIp(ip) as IpAddress, text: ip }, port, protocol: 'Tcp' });
const from = (cidr: string) => ({ cidrs: [parseCidr(cidr) as Cidr] });
const FROM_APP = from('10.1.1.0/24');

// ---------------------------------------------------------------------------------------------
// ARM JSON as Azure returns it

/** A VNet firewall attached to the policy (REST shape, as `az rest` / ARM GET return it). */
function firewallRest(extra: Readonly<Record<string, unknown>> = {}): unknown {
  return {
    id: FIREWALL_ID, name: 'afw-hub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
    properties: {
      sku: { name: 'AZFW_VNet', tier: 'Standard' },
      firewallPolicy: { id: POLICY_ID },
      ipConfigurations: [{
        id: `${FIREWALL_ID}/azureFirewallIpConfigurations/ipconfig1`, name: 'ipconfig1',
        properties: { privateIPAddress: '10.0.1.4', subnet: { id: `${NET}/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet` } },
      }],
      ...extra,
    },
  };
}

function policyRest(properties: Readonly<Record<string, unknown>>): unknown {
  return { id: POLICY_ID, name: 'fwp-hub', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope', properties: { sku: { tier: 'Standard' }, ...properties } };
}

const groupId = (name: string) => `${POLICY_ID}/ruleCollectionGroups/${name}`;
const groupRef = (name: string) => ({ id: groupId(name) });

/** A rule collection group resource (REST shape), as FirewallPolicyRuleCollectionGroups_Get returns it. */
function groupRest(name: string, priority: number, ruleCollections: readonly unknown[]): unknown {
  return { id: groupId(name), name, type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { priority, ruleCollections } };
}

const DNAT_COLLECTION = {
  ruleCollectionType: 'FirewallPolicyNatRuleCollection', name: 'dnat-rdp', priority: 100, action: { type: 'DNAT' },
  rules: [{
    ruleType: 'NatRule', name: 'rdp', ipProtocols: ['TCP'], sourceAddresses: ['*'], destinationAddresses: ['20.0.0.1'],
    destinationPorts: ['3389'], translatedAddress: '10.1.1.4', translatedPort: '3389',
  }],
};

function filterCollection(name: string, priority: number | undefined, action: 'Allow' | 'Deny', rules: readonly unknown[]): unknown {
  return { ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name, ...(priority === undefined ? {} : { priority }), action: { type: action }, rules };
}

function netRule(name: string, fields: Readonly<Record<string, unknown>>): unknown {
  return { ruleType: 'NetworkRule', name, ipProtocols: ['TCP'], sourceAddresses: ['10.0.0.0/8'], destinationAddresses: [], destinationPorts: ['443'], ...fields };
}

function ipGroupRest(name: string, ipAddresses: readonly string[]): unknown {
  return { id: `${NET}/ipGroups/${name}`, name, type: 'Microsoft.Network/ipGroups', location: 'westeurope', properties: { ipAddresses } };
}

interface Loaded {
  readonly index: ModelIndex;
  readonly firewall: AzureFirewall;
  readonly ruleSet: FirewallRuleSet;
}

function load(resources: readonly unknown[]): Loaded {
  const { model } = normalizeArm([{ fileName: 'estate.json', json: resources }]);
  const index = buildModelIndex(model);
  const firewall = index.azureFirewalls.get(id(FIREWALL_ID));
  if (!firewall) throw new Error('firewall not normalized');
  return { index, firewall, ruleSet: prepareRuleSet(firewallRuleSet(index, firewall)) };
}

const decide = (l: Loaded, traffic: TrafficSpec = INTERNET, source = FROM_APP): FirewallDecision => evaluateFirewallRules(l.ruleSet, traffic, source);

// ---------------------------------------------------------------------------------------------

describe('firewall policy completeness', () => {
  // https://learn.microsoft.com/azure/firewall/rule-processing: "Azure Firewall denies all traffic
  // by default"; DNAT collections translate inbound traffic and allow no egress.
  it('a policy whose rule collection group holds only DNAT collections is complete: default deny', () => {
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('DefaultDnatRuleCollectionGroup')] }),
      groupRest('DefaultDnatRuleCollectionGroup', 100, [DNAT_COLLECTION])]);
    expect(l.ruleSet).toMatchObject({ kind: 'rules', rules: [] });
    expect(decide(l)).toEqual({ kind: 'default-deny' });
  });

  // https://learn.microsoft.com/azure/firewall/rule-processing (default deny); groups as
  // `az network firewall policy rule-collection-group list -o json` prints them (flattened).
  it('an empty rule collection group from az rule-collection-group list is complete: default deny', () => {
    const azList = [{
      id: groupId('DefaultNetworkRuleCollectionGroup'), name: 'DefaultNetworkRuleCollectionGroup', priority: 200, provisioningState: 'Succeeded',
      resourceGroup: 'rg-hub', ruleCollections: [], type: 'Microsoft.Network/FirewallPolicies/RuleCollectionGroups',
    }];
    const { model } = normalizeArm([
      { fileName: 'fw.json', json: [firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('DefaultNetworkRuleCollectionGroup')] })] },
      { fileName: 'rcg.json', json: azList },
    ]);
    const index = buildModelIndex(model);
    const firewall = index.azureFirewalls.get(id(FIREWALL_ID)) as AzureFirewall;
    expect(model.firewallPolicies[0]?.loadedRuleCollectionGroupIds).toEqual([id(groupId('DefaultNetworkRuleCollectionGroup'))]);
    expect(evaluateFirewallRules(firewallRuleSet(index, firewall), INTERNET, FROM_APP)).toEqual({ kind: 'default-deny' });
  });

  // https://learn.microsoft.com/azure/firewall/policy-rule-sets: rules live in rule collection
  // groups; a policy GET lists only their IDs, so without the groups the rules are unknown.
  it('a policy whose listed groups are all missing from the input is not captured', () => {
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('rcg-egress')] })]);
    expect(l.ruleSet).toEqual({ kind: 'not-captured', reason: 'the rule collection groups of firewall policy fwp-hub were not captured' });
    expect(decide(l)).toMatchObject({ kind: 'not-captured' });
  });

  // https://learn.microsoft.com/azure/firewall/policy-rule-sets: a missing group could hold an
  // allow or a deny of higher priority, so the loaded groups alone decide nothing.
  it('a policy with one of its two groups missing is not captured, naming the missing group', () => {
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('rcg-dnat'), groupRef('rcg-egress')] }),
      groupRest('rcg-dnat', 100, [DNAT_COLLECTION])]);
    expect(l.ruleSet).toEqual({ kind: 'not-captured', reason: 'rule collection group rcg-egress of firewall policy fwp-hub was not captured' });
  });

  // https://learn.microsoft.com/azure/firewall/rule-processing: groups embedded with their
  // `ruleCollections` (an expanded export) carry the rules themselves.
  it('groups embedded with their ruleCollections count as loaded', () => {
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [{
      id: groupId('rcg-egress'), name: 'rcg-egress',
      properties: { priority: 200, ruleCollections: [filterCollection('web', 100, 'Allow', [netRule('https', { destinationAddresses: ['*'] })])] },
    }] })]);
    expect(decide(l)).toMatchObject({ kind: 'allow', rule: { name: 'https' } });
  });

  // A policy listed only as a stub (a resource listing, a Resource Graph projection: id / name /
  // type, no properties) does not say it has no rule collection groups. "If still no match is
  // found ... the packet is denied by default" [FWRULES] holds for rules that exist and were read.
  it('a policy present only as a stub (no properties) is not captured, never a default deny', () => {
    const stub = { id: POLICY_ID, name: 'fwp-hub', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope' };
    const l = load([firewallRest(), stub]);
    expect(l.ruleSet).toEqual({
      kind: 'not-captured',
      reason: 'the rule collection groups of firewall policy fwp-hub were not captured (the input holds the policy without its ruleCollectionGroups)',
    });
    expect(decide(l)).toMatchObject({ kind: 'not-captured' });
    // A policy that lists no groups (`ruleCollectionGroups: []`) is complete: default deny.
    expect(decide(load([firewallRest(), policyRest({ ruleCollectionGroups: [] })]))).toEqual({ kind: 'default-deny' });
    // The stub next to a full copy in another file says nothing against it.
    const { model } = normalizeArm([{ fileName: 'list.json', json: [stub] }, { fileName: 'fw.json', json: [firewallRest(), policyRest({ ruleCollectionGroups: [] })] }]);
    expect(model.firewallPolicies[0]?.ruleCollectionGroupsCaptured).toBe(true);
  });

  // A classic firewall (no policy) whose copy holds no networkRuleCollections /
  // applicationRuleCollections at all: `az network firewall show` prints both lists (empty ones
  // too, test/fixtures/az-outputs/firewall-create.json), so absent keys mean "not read", not "none".
  it('a classic firewall whose rule collections are absent from the input is not captured; empty lists are a default deny', () => {
    const classic = (properties: Readonly<Record<string, unknown>>): unknown => ({
      id: FIREWALL_ID, name: 'afw-hub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
      properties: {
        sku: { name: 'AZFW_VNet', tier: 'Standard' },
        ipConfigurations: [{
          id: `${FIREWALL_ID}/azureFirewallIpConfigurations/ipconfig1`, name: 'ipconfig1',
          properties: { privateIPAddress: '10.0.1.4', subnet: { id: `${NET}/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet` } },
        }],
        ...properties,
      },
    });
    const absent = load([classic({})]);
    expect(absent.ruleSet).toEqual({
      kind: 'not-captured', reason: 'the rule collections of firewall afw-hub (networkRuleCollections, applicationRuleCollections) were not captured',
    });
    expect(decide(absent, to('20.1.2.3'))).toMatchObject({ kind: 'not-captured' });
    const empty = load([classic({ networkRuleCollections: [], applicationRuleCollections: [], natRuleCollections: [] })]);
    expect(decide(empty)).toEqual({ kind: 'default-deny' });
  });

  // Rule collection `priority` is optional in the REST spec (firewallPolicy.json); rule processing
  // is by priority (https://learn.microsoft.com/azure/firewall/rule-processing), so a collection
  // without one is processed after those that have one.
  it('a rule collection without a priority is accepted and processed after prioritised ones', () => {
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('rcg')] }), groupRest('rcg', 200, [
      filterCollection('no-priority-deny', undefined, 'Deny', [netRule('deny-all', { destinationAddresses: ['*'] })]),
      filterCollection('allow', 65000, 'Allow', [netRule('allow-all', { destinationAddresses: ['*'] })]),
    ])]);
    expect(decide(l)).toMatchObject({ kind: 'allow', rule: { name: 'allow-all' } });
  });
});

describe('IP groups in firewall rules', () => {
  // https://learn.microsoft.com/azure/firewall/ip-groups: IP groups are "a source or destination
  // address in network rules"; a rule whose source is only an IP group matches only its addresses.
  it('a policy network rule with empty sourceAddresses and a sourceIpGroups entry is not "any"', () => {
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('rcg')] }),
      ipGroupRest('ipg-app', ['10.1.0.0/16']),
      groupRest('rcg', 200, [filterCollection('web', 100, 'Allow', [
        netRule('app-https', { sourceAddresses: [], sourceIpGroups: [`${NET}/ipGroups/ipg-app`], destinationAddresses: ['*'] }),
      ])])]);
    expect(decide(l, INTERNET, from('10.1.1.0/24'))).toMatchObject({ kind: 'allow', rule: { name: 'app-https' } });
    expect(decide(l, INTERNET, from('10.2.1.0/24'))).toEqual({ kind: 'default-deny' });
  });

  // https://learn.microsoft.com/azure/firewall/ip-groups: "Address range: 10.2.0.0-10.2.0.31".
  it('a destination IP group with an address range decides a what-if IP by the range', () => {
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('rcg')] }),
      ipGroupRest('ipg-partner', ['20.1.0.0-20.1.0.255', '40.0.0.1']),
      groupRest('rcg', 200, [filterCollection('partner', 100, 'Allow', [
        netRule('partner', { destinationIpGroups: [`${NET}/ipGroups/ipg-partner`] }),
      ])])]);
    expect(decide(l, to('20.1.0.7'))).toMatchObject({ kind: 'allow', rule: { name: 'partner' } });
    expect(decide(l, to('40.0.0.1'))).toMatchObject({ kind: 'allow' });
    expect(decide(l, to('20.1.1.1'))).toEqual({ kind: 'default-deny' });
    // The default route: the group's addresses only.
    expect(decide(l)).toMatchObject({ kind: 'allow-partial', prefixes: ['20.1.0.0/24', '40.0.0.1/32'] });
  });

  // https://learn.microsoft.com/azure/firewall/rule-processing (first match decides): a group not
  // in the input may or may not contain the address, so the decision is unknown, never guessed.
  it('a rule naming an IP group absent from the input makes the decision unknown', () => {
    const missing = `${NET}/ipGroups/ipg-elsewhere`;
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('rcg')] }),
      groupRest('rcg', 200, [filterCollection('deny-bad', 100, 'Deny', [
        netRule('deny-listed', { destinationIpGroups: [missing] }),
      ]), filterCollection('allow', 200, 'Allow', [netRule('allow-all', { destinationAddresses: ['*'] })])])]);
    const unknown = { kind: 'unknown', rule: { name: 'deny-listed' }, missingIpGroupIds: [id(missing)] };
    expect(decide(l, to('20.1.2.3'))).toMatchObject(unknown);
    expect(decide(l)).toMatchObject(unknown);
    expect((decide(l) as Extract<FirewallDecision, { kind: 'unknown' }>).reason).toContain('ipg-elsewhere');
    // The snapshot reports the dangling reference as a gap too.
    expect(l.index.gaps).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'missing-reference', scope: id(POLICY_ID) })]));
  });

  // [FWIPG] "If you delete all the IP addresses in an IP Group while it is still in use in a rule,
  // that rule is skipped": that holds for a group known to be empty. A group listed only as a stub
  // (no `ipAddresses`) may hold the address: the Deny on it is not skipped, the decision is unknown
  // and the index records the gap, as for a group missing from the input altogether.
  it('a Deny to an IP group whose addresses are not in the input is not skipped: unknown, with a gap', () => {
    const ipGroupId = `${NET}/ipGroups/ipg-blocked`;
    const stub = { id: ipGroupId, name: 'ipg-blocked', type: 'Microsoft.Network/ipGroups', location: 'westeurope' };
    const rules = groupRest('rcg', 200, [
      filterCollection('deny', 100, 'Deny', [netRule('deny-blocked', { sourceAddresses: ['*'], destinationIpGroups: [ipGroupId] })]),
      filterCollection('allow', 200, 'Allow', [netRule('all-https', { sourceAddresses: ['*'], destinationAddresses: ['*'] })]),
    ]);
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('rcg')] }), rules, stub]);
    const unknown = { kind: 'unknown', rule: { name: 'deny-blocked' }, missingIpGroupIds: [id(ipGroupId)] };
    expect(decide(l, to('20.1.2.3'))).toMatchObject(unknown);
    expect(decide(l)).toMatchObject(unknown);
    expect((decide(l) as Extract<FirewallDecision, { kind: 'unknown' }>).reason).toContain('IP group ipg-blocked whose addresses are not in the snapshot');
    expect(l.index.gaps).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'missing-reference', scope: id(POLICY_ID), message: expect.stringContaining('without its addresses') })]));
    // A group known to be empty (`ipAddresses: []`) is skipped [FWIPG]: the allow decides.
    const empty = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('rcg')] }), rules, ipGroupRest('ipg-blocked', [])]);
    expect(decide(empty, to('20.1.2.3'))).toMatchObject({ kind: 'allow', rule: { name: 'all-https' } });
  });

  // https://learn.microsoft.com/azure/firewall/rule-processing: "rules are terminating": a missing
  // group in a rule the flow never reaches does not matter.
  it('a missing IP group in a rule after the deciding one does not change the decision', () => {
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('rcg')] }),
      groupRest('rcg', 200, [filterCollection('allow', 100, 'Allow', [netRule('allow-all', { destinationAddresses: ['*'] })]),
        filterCollection('later', 200, 'Deny', [netRule('deny-listed', { destinationIpGroups: [`${NET}/ipGroups/ipg-elsewhere`] })])])]);
    expect(decide(l)).toMatchObject({ kind: 'allow', rule: { name: 'allow-all' } });
    expect(decide(l, to('20.1.2.3'))).toMatchObject({ kind: 'allow', rule: { name: 'allow-all' } });
  });

  // https://learn.microsoft.com/azure/firewall/ip-groups: also usable with classic rules (REST
  // azureFirewall.json: networkRuleCollections[].rules[].sourceIpGroups / destinationIpGroups).
  it('classic network rules carry sourceIpGroups (either casing of "Ip")', () => {
    const classic = {
      id: FIREWALL_ID, name: 'afw-hub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
      properties: {
        sku: { name: 'AZFW_VNet', tier: 'Standard' },
        networkRuleCollections: [{ name: 'net', properties: { priority: 100, action: { type: 'Allow' }, rules: [
          { name: 'from-group', protocols: ['TCP'], sourceIPGroups: [`${NET}/ipGroups/ipg-app`], destinationAddresses: ['*'], destinationPorts: ['443'] },
        ] } }],
      },
    };
    const l = load([classic, ipGroupRest('ipg-app', ['10.1.1.0/24'])]);
    expect(l.firewall.rules[0]).toMatchObject({ sourceAddresses: [], sourceIpGroupIds: [id(`${NET}/ipGroups/ipg-app`)] });
    expect(decide(l, INTERNET, from('10.1.1.0/24'))).toMatchObject({ kind: 'allow' });
    expect(decide(l, INTERNET, from('10.9.0.0/24'))).toEqual({ kind: 'default-deny' });
  });
});

describe('evaluateFirewallRules (unit)', () => {
  const rules = (list: readonly FirewallRule[], ipGroups: readonly IpGroup[] = []): FirewallRuleSet =>
    ({ kind: 'rules', rules: list, policyIds: [], ipGroups: new Map(ipGroups.map((g) => [g.id, g])) });

  // https://learn.microsoft.com/azure/firewall/ip-groups ("Address range: 10.2.0.0-10.2.0.31"):
  // rules accept the same range form in sourceAddresses / destinationAddresses.
  it('accepts address ranges in sourceAddresses and destinationAddresses', () => {
    const set = rules([networkRule('range', { sourceAddresses: ['10.1.1.0-10.1.1.255'], destinationAddresses: ['52.0.0.0-52.0.0.15'] })]);
    expect(evaluateFirewallRules(set, to('52.0.0.9'), FROM_APP)).toMatchObject({ kind: 'allow' });
    expect(evaluateFirewallRules(set, to('52.0.0.16'), FROM_APP)).toEqual({ kind: 'default-deny' });
    // 10.1.0.0/16 is only partly in the source range: the answer depends on the workload's address.
    expect(evaluateFirewallRules(set, to('52.0.0.9'), from('10.1.0.0/16'))).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('only part of 10.1.0.0/16') });
    expect(evaluateFirewallRules(set, to('52.0.0.9'), from('10.2.0.0/16'))).toEqual({ kind: 'default-deny' });
  });

  // https://learn.microsoft.com/azure/firewall/ip-groups: "If you delete all the IP addresses in an
  // IP Group while it is still in use in a rule, that rule is skipped."
  it('a rule whose only source is an empty IP group is skipped', () => {
    const group: IpGroup = { id: id(`${NET}/ipGroups/empty`), name: 'empty', subscriptionId: 's', resourceGroup: 'rg', location: null, tags: {}, kind: 'ipGroup', ipAddresses: [] };
    const set = rules([networkRule('skipped', { sourceAddresses: [], sourceIpGroupIds: [group.id] })], [group]);
    expect(evaluateFirewallRules(set, INTERNET, FROM_APP)).toEqual({ kind: 'default-deny' });
  });

  // https://learn.microsoft.com/azure/firewall/rule-processing: network rules are matched on the
  // destination address; one on 20.0.0.0/8 lets only that part of the internet through.
  it('a network rule on part of the internet is an allow restricted to those prefixes', () => {
    const decision = evaluateFirewallRules(rules([networkRule('azure-range', { destinationAddresses: ['20.0.0.0/8'] })]), INTERNET, FROM_APP);
    expect(decision).toEqual({ kind: 'allow-partial', rules: [expect.objectContaining({ name: 'azure-range' })], prefixes: ['20.0.0.0/8'], serviceTags: [], fqdns: [] });
  });

  // https://learn.microsoft.com/azure/firewall/rule-processing: rules are terminating; two denies
  // that together cover every address deny the default route.
  it('deny rules that together cover the whole internet (0.0.0.0/1 + 128.0.0.0/1) deny the default route', () => {
    const decision = evaluateFirewallRules(rules([
      networkRule('low-half', { action: 'Deny', destinationAddresses: ['0.0.0.0/1'], priority: 100 }),
      networkRule('high-half', { action: 'Deny', destinationAddresses: ['128.0.0.0/1'], priority: 110 }),
      applicationRule('all-web', ['*']),
    ]), INTERNET, FROM_APP);
    expect(decision).toMatchObject({ kind: 'deny', rule: { name: 'low-half' }, rules: [{ name: 'low-half' }, { name: 'high-half' }] });
  });

  // Same page: allows that together cover the internet allow it.
  it('allow rules that together cover the whole internet allow the default route', () => {
    const decision = evaluateFirewallRules(rules([
      networkRule('low-half', { destinationAddresses: ['0.0.0.0/1'] }),
      networkRule('high-half', { destinationAddresses: ['128.0.0.0-255.255.255.255'] }),
    ]), INTERNET, FROM_APP);
    expect(decision).toMatchObject({ kind: 'allow', rule: { name: 'low-half' }, rules: [{ name: 'low-half' }, { name: 'high-half' }] });
  });

  // https://learn.microsoft.com/azure/firewall/rule-processing: the first matching rule wins, so a
  // deny before an allow-all carves its prefix out of the allowed internet.
  it('a deny before an allow-all leaves the internet allowed except the denied prefix', () => {
    const decision = evaluateFirewallRules(rules([
      networkRule('block', { action: 'Deny', destinationAddresses: ['20.0.0.0/8'], priority: 100 }),
      networkRule('all', { destinationAddresses: ['*'], priority: 200 }),
    ]), INTERNET, FROM_APP);
    if (decision.kind !== 'allow-partial') throw new Error(`expected allow-partial, got ${decision.kind}`);
    const allowed = decision.prefixes.reduce((s, p) => s.union(Ipv4Set.fromCidr(p)), Ipv4Set.empty());
    expect(allowed.overlaps(Ipv4Set.fromCidr('20.0.0.0/8'))).toBe(false);
    expect(allowed.contains('8.8.8.8')).toBe(true);
    expect(allowed.contains('10.0.0.1')).toBe(false);
  });

  // https://learn.microsoft.com/azure/firewall/rule-processing: application rules are evaluated
  // only when no network rule matched; both kinds of partial allow are reported together.
  it('network prefixes and application FQDNs combine into one restricted allow', () => {
    const decision = evaluateFirewallRules(rules([
      networkRule('partner', { destinationAddresses: ['40.1.0.0/16'] }),
      applicationRule('github', ['github.com']),
    ]), INTERNET, FROM_APP);
    expect(decision).toMatchObject({ kind: 'allow-partial', prefixes: ['40.1.0.0/16'], fqdns: ['github.com'], rules: [{ name: 'partner' }, { name: 'github' }] });
  });
});

describe('firewall SNAT private ranges', () => {
  function snatFor(policySnat: Readonly<Record<string, unknown>> | undefined, traffic: TrafficSpec, rulesOverride?: readonly unknown[]) {
    const l = load([firewallRest(), policyRest({ ruleCollectionGroups: [groupRef('rcg')], ...(policySnat === undefined ? {} : { snat: policySnat }) }),
      groupRest('rcg', 200, rulesOverride ?? [filterCollection('all', 100, 'Allow', [netRule('all', { destinationAddresses: ['*'] })])])]);
    return firewallSnat(l.index, l.firewall, decide(l, traffic), traffic.destination);
  }

  // https://learn.microsoft.com/azure/firewall/snat-private-range: "By default, Azure Firewall
  // doesn't SNAT with Network rules when the destination IP address is in a private IP address
  // range per IANA RFC 1918 or shared address space per IANA RFC 6598."
  it('by default network-rule traffic to the internet is SNATed, to RFC 1918 / RFC 6598 it is not', () => {
    expect(snatFor(undefined, INTERNET)).toMatchObject({ kind: 'snat' });
    expect(snatFor(undefined, to('8.8.8.8'))).toMatchObject({ kind: 'snat' });
    expect(snatFor(undefined, to('10.5.0.4'))).toMatchObject({ kind: 'no-snat' });
    expect(snatFor(undefined, to('100.64.1.1'))).toMatchObject({ kind: 'no-snat' });
  });

  // Same page: "use 0.0.0.0/0 as your private IP address range. With this configuration, Azure
  // Firewall can never route traffic directly to the Internet."
  it('private range 0.0.0.0/0 means never SNAT: no direct internet egress for the default route', () => {
    expect(snatFor({ privateRanges: ['0.0.0.0/0'] }, INTERNET)).toEqual({ kind: 'no-snat', privateRanges: ['0.0.0.0/0'] });
  });

  // Same page: "use 255.255.255.255/32 as your private IP address range" to always SNAT.
  it('private range 255.255.255.255/32 means always SNAT, even to RFC 1918 destinations', () => {
    expect(snatFor({ privateRanges: ['255.255.255.255/32'] }, to('10.5.0.4'))).toMatchObject({ kind: 'snat' });
  });

  // Same page: "IANAPrivateRanges is expanded to the current defaults ... while the other ranges
  // are added to it"; a registered public range listed as private is not SNATed.
  it('IANAPrivateRanges plus a registered range: that range keeps its source address', () => {
    expect(snatFor({ privateRanges: ['IANAPrivateRanges', '20.0.0.0/8'] }, to('20.1.2.3'))).toMatchObject({ kind: 'no-snat' });
    expect(snatFor({ privateRanges: ['IANAPrivateRanges', '20.0.0.0/8'] }, INTERNET)).toMatchObject({ kind: 'partial-snat', noSnatPrefixes: ['20.0.0.0/8'] });
  });

  // Same page, "Auto-learn SNAT routes": learned ranges "aren't SNATed"; they are not in the input.
  it('auto-learned private ranges make the internet answer unknown, but not a destination already private', () => {
    expect(snatFor({ autoLearnPrivateRanges: 'Enabled' }, INTERNET)).toMatchObject({ kind: 'unknown' });
    expect(snatFor({ autoLearnPrivateRanges: 'Enabled' }, to('10.5.0.4'))).toMatchObject({ kind: 'no-snat' });
    expect(snatFor({ autoLearnPrivateRanges: 'Disabled' }, INTERNET)).toMatchObject({ kind: 'snat' });
  });

  // Same page: "Application rules are always SNATed using a transparent proxy whatever the
  // destination IP address" and "The private address range configuration only applies to network rules".
  it('application-rule traffic is always SNATed, whatever the private ranges', () => {
    const appOnly = [filterCollection('web', 100, 'Allow', [{
      ruleType: 'ApplicationRule', name: 'all-web', sourceAddresses: ['10.0.0.0/8'], protocols: [{ protocolType: 'Https', port: 443 }], targetFqdns: ['*'],
    }])];
    expect(snatFor({ privateRanges: ['0.0.0.0/0'] }, INTERNET, appOnly)).toMatchObject({ kind: 'snat' });
  });

  // Same page, ARM template, classic rules: `"Network.SNAT.PrivateRanges": "IANAPrivateRanges , IPRange1, IPRange2"`.
  it('classic firewalls read additionalProperties Network.SNAT.PrivateRanges', () => {
    const classic = {
      id: FIREWALL_ID, name: 'afw-hub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
      properties: {
        sku: { name: 'AZFW_VNet', tier: 'Standard' },
        additionalProperties: { 'Network.SNAT.PrivateRanges': 'IANAPrivateRanges , 0.0.0.0/0' },
        networkRuleCollections: [{ name: 'net', properties: { priority: 100, action: { type: 'Allow' }, rules: [
          { name: 'all', protocols: ['Any'], sourceAddresses: ['*'], destinationAddresses: ['*'], destinationPorts: ['*'] },
        ] } }],
      },
    };
    const l = load([classic]);
    expect(l.firewall.snatPrivateRanges).toEqual(['IANAPrivateRanges', '0.0.0.0/0']);
    expect(firewallSnat(l.index, l.firewall, decide(l), INTERNET.destination)).toMatchObject({ kind: 'no-snat' });
  });

  // Same page: "Firewalls associated with a firewall policy must specify the range in the policy
  // and not use AdditionalProperties."
  it('a policy-attached firewall ignores additionalProperties SNAT ranges', () => {
    const l = load([firewallRest({ additionalProperties: { 'Network.SNAT.PrivateRanges': '0.0.0.0/0' } }),
      policyRest({ ruleCollectionGroups: [groupRef('rcg')] }),
      groupRest('rcg', 200, [filterCollection('all', 100, 'Allow', [netRule('all', { destinationAddresses: ['*'] })])])]);
    expect(firewallSnat(l.index, l.firewall, decide(l), INTERNET.destination)).toMatchObject({ kind: 'snat' });
  });

  // Microsoft documents that a child policy inherits its parent's rule collections and threat
  // intelligence mode (https://learn.microsoft.com/azure/firewall-manager/policy-overview), and says
  // nothing of `snat.privateRanges`: where the parent's ranges would decide otherwise, unknown.
  describe('a policy with a parent (base) policy', () => {
    const PARENT_ID = `${NET}/firewallPolicies/fwp-parent`;
    function withParent(childSnat: Readonly<Record<string, unknown>> | undefined, parentSnat: Readonly<Record<string, unknown>> | undefined, parentPresent = true) {
      const parent = { id: PARENT_ID, name: 'fwp-parent', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope',
        properties: { sku: { tier: 'Standard' }, ruleCollectionGroups: [], ...(parentSnat === undefined ? {} : { snat: parentSnat }) } };
      const l = load([firewallRest(), ...(parentPresent ? [parent] : []),
        policyRest({ basePolicy: { id: PARENT_ID }, ruleCollectionGroups: [groupRef('rcg')], ...(childSnat === undefined ? {} : { snat: childSnat }) }),
        groupRest('rcg', 200, [filterCollection('all', 100, 'Allow', [netRule('all', { destinationAddresses: ['*'] })])])]);
      return (traffic: TrafficSpec) => firewallSnat(l.index, l.firewall, decide(l, traffic), traffic.destination);
    }

    it('is unknown where the parent\'s ranges would SNAT differently, naming both policies', () => {
      const snat = withParent(undefined, { privateRanges: ['0.0.0.0/0'] });
      const internet = snat(INTERNET);
      expect(internet.kind).toBe('unknown');
      expect(internet.kind === 'unknown' && internet.reason).toMatch(/fwp-hub.*parent policy fwp-parent \(0\.0\.0\.0\/0\).*not documented/);
      // Both readings keep a private destination's source address: no doubt there.
      expect(snat(to('10.5.0.4'))).toMatchObject({ kind: 'no-snat' });
      // A child that sets a range the parent does not: unknown for that range only.
      const registered = withParent({ privateRanges: ['IANAPrivateRanges', '20.0.0.0/8'] }, undefined);
      expect(registered(to('20.1.2.3')).kind).toBe('unknown');
      expect(registered(to('8.8.8.8'))).toMatchObject({ kind: 'snat' });
    });

    it('is the child\'s answer when parent and child agree (same ranges, or both the IANA defaults)', () => {
      expect(withParent(undefined, undefined)(INTERNET)).toMatchObject({ kind: 'snat' });
      expect(withParent({ privateRanges: ['IANAPrivateRanges'] }, { privateRanges: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'] })(INTERNET)).toMatchObject({ kind: 'snat' });
    });

    it('is unknown when the parent policy is not in the input', () => {
      const snat = withParent(undefined, undefined, false)(INTERNET);
      expect(snat.kind).toBe('unknown');
      expect(snat.kind === 'unknown' && snat.reason).toContain(`has the parent policy ${PARENT_ID.toLowerCase()}`);
    });
  });
});
