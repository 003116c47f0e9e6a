/**
 * NSGs, Azure Firewalls (VNet and hub SKUs, classic rule collections) and firewall policies
 * (with rule collection groups embedded or listed on their own): ARM JSON → drafts.
 */
import { parentResourceId, type ResourceId } from '../model/ids';
import type { FirewallIpConfiguration, FirewallRule, SecurityRule } from '../model/topology';
import { upsert, type DraftStore } from './draft-store';
import type { BaseFields } from './map-network';
import {
  childId, fail, optArray, optNodes, optNumber, optObject, optRef, optRefs, optString, optStrings, pathOf,
  type JsonNode,
} from './reader';

// ---------------------------------------------------------------------------------------------
// Network security groups

function requiredNumber(node: JsonNode, key: string, expected: string): number {
  const value = optNumber(node, key);
  if (value === undefined) fail(node.file, pathOf(node, key), expected, undefined);
  return value;
}

function oneOf<T extends string>(node: JsonNode, key: string, allowed: readonly T[]): T {
  const text = optString(node, key);
  const match = allowed.find((a) => a.toLowerCase() === text?.toLowerCase());
  if (match === undefined) fail(node.file, pathOf(node, key), allowed.map((a) => `"${a}"`).join(' or '), text);
  return match;
}

/** `sourceAddressPrefix` and `sourceAddressPrefixes` (ARM sets one or the other) merged. */
function singleAndMany(node: JsonNode, single: string, many: string): readonly string[] {
  const one = optString(node, single);
  const list = optStrings(node, many) ?? [];
  return one === undefined || one === '' ? list : [one, ...list.filter((x) => x !== one)];
}

export function mapSecurityRule(node: JsonNode, isDefault: boolean): SecurityRule {
  return {
    name: optString(node, 'name') ?? '',
    priority: requiredNumber(node, 'priority', 'a rule priority number (100-4096)'),
    direction: oneOf(node, 'direction', ['Inbound', 'Outbound'] as const),
    access: oneOf(node, 'access', ['Allow', 'Deny'] as const),
    protocol: optString(node, 'protocol') ?? '*',
    // Rules that use application security groups carry no prefixes: empty, never widened to `*`.
    sourceAddressPrefixes: singleAndMany(node, 'sourceAddressPrefix', 'sourceAddressPrefixes'),
    destinationAddressPrefixes: singleAndMany(node, 'destinationAddressPrefix', 'destinationAddressPrefixes'),
    destinationPortRanges: singleAndMany(node, 'destinationPortRange', 'destinationPortRanges'),
    isDefault,
  };
}

export function mapNetworkSecurityGroup(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const custom = optNodes(node, 'securityRules')?.map((r) => mapSecurityRule(r, false));
  const defaults = optNodes(node, 'defaultSecurityRules')?.map((r) => mapSecurityRule(r, true));
  store.put('networkSecurityGroup', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'networkSecurityGroup',
    securityRules: custom === undefined && defaults === undefined ? undefined : [...(custom ?? []), ...(defaults ?? [])],
  });
}

export function standaloneSecurityRule(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  const rule = mapSecurityRule(node, type.endsWith('/defaultsecurityrules'));
  store.child({
    id, type, parentId,
    attach: (s) => s.update('networkSecurityGroup', parentId, (nsg) => ({
      ...nsg,
      securityRules: upsert(nsg.securityRules, rule, (r) => `${r.isDefault ? 'default' : 'custom'}/${r.name.toLowerCase()}`),
    })),
  });
}

// ---------------------------------------------------------------------------------------------
// Azure Firewall

function mapFirewallIpConfiguration(node: JsonNode, firewallId: ResourceId): FirewallIpConfiguration {
  const { id, name } = childId(node, firewallId, 'ipConfigurations');
  return {
    id,
    name,
    privateIpAddress: optString(node, 'privateIPAddress') ?? null,
    subnetId: optRef(node, 'subnet') ?? null,
    publicIpAddressId: optRef(node, 'publicIPAddress') ?? null,
  };
}

function ruleAction(node: JsonNode): 'Allow' | 'Deny' {
  const action = optObject(node, 'action');
  if (action === undefined) fail(node.file, pathOf(node, 'action'), 'an action like { "type": "Allow" }', undefined);
  return oneOf(action, 'type', ['Allow', 'Deny'] as const);
}

/** Application rule protocols `{ protocolType: "Https", port: 443 }` → `Https:443`. */
function applicationProtocols(node: JsonNode): readonly string[] {
  return (optNodes(node, 'protocols') ?? []).map((p) => {
    const type = optString(p, 'protocolType') ?? '';
    const port = optNumber(p, 'port');
    return port === undefined ? type : `${type}:${port}`;
  });
}

function networkRule(node: JsonNode, collection: string, priority: number, action: 'Allow' | 'Deny', protocolsKey: string): FirewallRule {
  return {
    kind: 'network',
    name: optString(node, 'name') ?? '',
    collection,
    priority,
    action,
    protocols: optStrings(node, protocolsKey) ?? [],
    sourceAddresses: optStrings(node, 'sourceAddresses') ?? [],
    destinationAddresses: optStrings(node, 'destinationAddresses') ?? [],
    destinationFqdns: optStrings(node, 'destinationFqdns') ?? [],
    destinationPorts: optStrings(node, 'destinationPorts') ?? [],
  };
}

function applicationRule(node: JsonNode, collection: string, priority: number, action: 'Allow' | 'Deny'): FirewallRule {
  return {
    kind: 'application',
    name: optString(node, 'name') ?? '',
    collection,
    priority,
    action,
    protocols: applicationProtocols(node),
    sourceAddresses: optStrings(node, 'sourceAddresses') ?? [],
    targetFqdns: optStrings(node, 'targetFqdns') ?? [],
    fqdnTags: optStrings(node, 'fqdnTags') ?? [],
  };
}

/** Classic `networkRuleCollections` / `applicationRuleCollections`; NAT (DNAT) collections are inbound only. */
function classicRules(node: JsonNode): readonly FirewallRule[] | undefined {
  const network = optNodes(node, 'networkRuleCollections');
  const application = optNodes(node, 'applicationRuleCollections');
  if (network === undefined && application === undefined) return undefined;
  const rules: FirewallRule[] = [];
  for (const collection of network ?? []) {
    const name = optString(collection, 'name') ?? '';
    const priority = requiredNumber(collection, 'priority', 'a rule collection priority number');
    const action = ruleAction(collection);
    for (const rule of optNodes(collection, 'rules') ?? []) rules.push(networkRule(rule, name, priority, action, 'protocols'));
  }
  for (const collection of application ?? []) {
    const name = optString(collection, 'name') ?? '';
    const priority = requiredNumber(collection, 'priority', 'a rule collection priority number');
    const action = ruleAction(collection);
    for (const rule of optNodes(collection, 'rules') ?? []) rules.push(applicationRule(rule, name, priority, action));
  }
  return rules;
}

export function mapAzureFirewall(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const sku = optObject(node, 'sku');
  const hub = optObject(node, 'hubIPAddresses');
  const publicIps = hub === undefined ? undefined : optObject(hub, 'publicIPs');
  const management = optObject(node, 'managementIpConfiguration');
  const virtualHubId = optRef(node, 'virtualHub');
  store.put('azureFirewall', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'azureFirewall',
    // The SKU sits under `properties` for firewalls; when absent, the hub reference tells the kind.
    skuName: (sku === undefined ? undefined : optString(sku, 'name')) ?? (virtualHubId !== undefined ? 'AZFW_Hub' : undefined),
    skuTier: sku === undefined ? undefined : optString(sku, 'tier'),
    ipConfigurations: optNodes(node, 'ipConfigurations')?.map((c) => mapFirewallIpConfiguration(c, base.id)),
    managementIpConfiguration: management === undefined ? undefined : mapFirewallIpConfiguration(management, base.id),
    firewallPolicyId: optRef(node, 'firewallPolicy'),
    virtualHubId,
    hubPrivateIpAddress: hub === undefined ? undefined : optString(hub, 'privateIPAddress'),
    hubPublicIpAddresses: publicIps === undefined
      ? undefined
      : (optNodes(publicIps, 'addresses') ?? []).flatMap((a) => {
          const address = optString(a, 'address');
          return address === undefined ? [] : [address];
        }),
    rules: classicRules(node),
  });
}

// ---------------------------------------------------------------------------------------------
// Firewall policies

/**
 * Policy rules are processed by rule collection group priority, then by collection priority
 * within the group [FWRULES] https://learn.microsoft.com/azure/firewall/rule-processing. The
 * model has one `priority` number, so it carries both: group × 100000 + collection (both are
 * 100-65000), which sorts exactly like Azure Firewall processes them.
 */
const GROUP_PRIORITY_SCALE = 100_000;

export function mapRuleCollectionGroup(node: JsonNode): readonly FirewallRule[] {
  const groupName = optString(node, 'name') ?? '';
  const groupPriority = optNumber(node, 'priority') ?? 0;
  const rules: FirewallRule[] = [];
  for (const collection of optNodes(node, 'ruleCollections') ?? []) {
    const type = optString(collection, 'ruleCollectionType') ?? '';
    // DNAT collections translate inbound traffic; they never allow or deny egress.
    if (type === 'FirewallPolicyNatRuleCollection') continue;
    const name = `${groupName}/${optString(collection, 'name') ?? ''}`;
    const priority = groupPriority * GROUP_PRIORITY_SCALE + requiredNumber(collection, 'priority', 'a rule collection priority number');
    const action = ruleAction(collection);
    for (const rule of optNodes(collection, 'rules') ?? []) {
      const ruleType = optString(rule, 'ruleType');
      if (ruleType === 'NetworkRule') rules.push(networkRule(rule, name, priority, action, 'ipProtocols'));
      else if (ruleType === 'ApplicationRule') rules.push(applicationRule(rule, name, priority, action));
      else if (ruleType !== 'NatRule') fail(rule.file, pathOf(rule, 'ruleType'), '"NetworkRule", "ApplicationRule" or "NatRule"', ruleType);
    }
  }
  return rules;
}

/** Groups embedded in a policy are usually bare `{ id }` references; expanded ones carry rules. */
function embeddedGroups(node: JsonNode): { readonly ids: readonly ResourceId[] | undefined; readonly rules: readonly FirewallRule[] } {
  const groups = optNodes(node, 'ruleCollectionGroups');
  if (groups === undefined) return { ids: undefined, rules: [] };
  const ids = optRefs(node, 'ruleCollectionGroups') ?? [];
  const rules = groups.flatMap((group) => (optArray(group, 'ruleCollections') === undefined ? [] : mapRuleCollectionGroup(group)));
  return { ids, rules };
}

export function mapFirewallPolicy(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const snat = optObject(node, 'snat');
  const groups = embeddedGroups(node);
  store.put('firewallPolicy', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'firewallPolicy',
    basePolicyId: optRef(node, 'basePolicy'),
    snatPrivateRanges: snat === undefined ? undefined : (optStrings(snat, 'privateRanges') ?? null),
    threatIntelMode: optString(node, 'threatIntelMode'),
    rules: groups.ids === undefined ? undefined : sortRules(groups.rules),
    ruleCollectionGroupIds: groups.ids,
  });
}

export function sortRules(rules: readonly FirewallRule[]): readonly FirewallRule[] {
  // Stable sort: rules of one collection keep their order.
  return [...rules].sort((a, b) => a.priority - b.priority);
}

export function standaloneRuleCollectionGroup(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  const rules = mapRuleCollectionGroup(node);
  const prefix = `${optString(node, 'name') ?? ''}/`;
  store.child({
    id, type, parentId,
    attach: (s) => s.update('firewallPolicy', parentId, (policy) => ({
      ...policy,
      ruleCollectionGroupIds: [...new Set([...(policy.ruleCollectionGroupIds ?? []), id])],
      // Replace what an earlier copy of the same group contributed.
      rules: sortRules([...(policy.rules ?? []).filter((r) => !r.collection.startsWith(prefix)), ...rules]),
    })),
  });
}
