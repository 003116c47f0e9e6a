/**
 * NSGs, Azure Firewalls (VNet and hub SKUs, classic rule collections) and firewall policies
 * (with rule collection groups embedded or listed on their own): ARM JSON → drafts.
 */
import { parseFirewallSkuName, parseFirewallSkuTier } from '../model/arm-values';
import { parentResourceId, type ResourceId } from '../model/ids';
import type { FirewallIpConfiguration, FirewallRule, FirewallSkuName, SecurityRule } from '../model/topology';
import { upsert, type DraftStore } from './draft-store';
import { addressOnly, type BaseFields } from './map-network';
import { parseCidr, parseIpv4Range } from '../model/ip';
import {
  childId, fail, optArray, optBool, optNodes, optNumber, optObject, optRef, optRefs, optString, optStrings, pathOf,
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

/**
 * `sourceAddressPrefix` and `sourceAddressPrefixes` (ARM sets one or the other) merged, each entry
 * checked by `valid` (its message says what was expected). ARM and az print the unused single
 * field as `""` (`az network nsg rule create --destination-asgs …` prints
 * `"destinationAddressPrefix": ""` with `"destinationAddressPrefixes": []`): a blank single value
 * is "not set", a blank or malformed entry in the list is not.
 */
function singleAndMany(node: JsonNode, single: string, many: string, valid: (text: string) => boolean, expected: string): readonly string[] {
  const one = optString(node, single);
  const list = optStrings(node, many) ?? [];
  for (let i = 0; i < list.length; i++) {
    if (!valid(list[i] ?? '')) fail(node.file, `${pathOf(node, many)}[${i}]`, expected, list[i]);
  }
  if (one === undefined || one.trim() === '') return list;
  if (!valid(one)) fail(node.file, pathOf(node, single), expected, one);
  return [one, ...list.filter((x) => x !== one)];
}

/**
 * NSG rule values as Azure accepts them [NSG]
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules
 * ("Priority: a number between 100 and 4096"; "Protocol: TCP, UDP, ICMP, ESP, AH, or Any", `*`
 * in ARM's SecurityRuleProtocol; ports "an individual port or ranges of ports" 0-65535; source
 * and destination "Any, an individual IP address, a CIDR block, a service tag, or an application
 * security group"). The default rules Azure lists in `defaultSecurityRules` carry 65000, 65001 and
 * 65500 ("Default security rules", and every REST example and recording in test/fixtures). A value
 * outside these is no rule Azure evaluates: read anyway, a deny rule with a protocol "Tpc", a port
 * "44x", a priority after the defaults' or a prefix "0.0.0.0/33" would silently stop applying.
 */
const CUSTOM_PRIORITY = { low: 100, high: 4096 } as const;
const DEFAULT_PRIORITY = { low: 65000, high: 65500 } as const;
const NSG_PROTOCOLS = ['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*', 'Any'] as const;
const PORT_EXPECTED = 'a port range: "*", a port 0-65535 or a range like "1000-2000"';
const PREFIX_EXPECTED = 'an address prefix: "*", an IP address, a CIDR like "10.0.0.0/24" or a service tag';
const PORT_RANGE_RE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

function isPortRange(text: string): boolean {
  const t = text.trim();
  if (t === '*' || t.toLowerCase() === 'any') return true;
  const match = PORT_RANGE_RE.exec(t);
  if (match === null) return false;
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  return high <= 65535 && low <= high;
}

/**
 * Text meant as an address: it starts with a digit (`10.0.0.256`, `10.0.0.1-10.0.0.9`) or holds a
 * `:` (IPv6) or a `/` (a length). A service tag never does: it is a name, regional or not
 * (`Internet`, `VirtualNetwork`, `Storage.WestEurope`, `AzureCloud.EastUS2`), as is `*` or `Any`.
 */
const ADDRESS_LIKE_RE = /^\d|[:/]/;

/**
 * An NSG rule source or destination prefix [NSG]: "Any, an individual IP address, a CIDR block (for
 * example, 10.0.0.0/24), a service tag" (ARM's `*` for Any). Blank is no prefix. Text meant as an
 * address (ADDRESS_LIKE_RE) must be a valid IP or CIDR, IPv4 or IPv6: read as a tag, `10.0.0.256`
 * or `10.0.0.1/33` would match nothing and a deny rule naming it would silently stop applying.
 * An IPv4 range `a-b` (start <= end) is kept: the docs list no such form for NSGs (Azure Firewall
 * rules and IP Groups take it), but the engine evaluates it as exactly those addresses (nsg.ts,
 * destination.ts), never as a tag, and test/shared/egress/nsg-coverage.test.ts reads one; a range
 * with a bad address or reversed ends (`10.0.0.9-10.0.0.1`) is refused. Other text is a service
 * tag (which tags exist is the service tag list's to say, not the reader's).
 */
function isAddressPrefix(text: string): boolean {
  const t = text.trim();
  return t !== '' && (!ADDRESS_LIKE_RE.test(t) || parseCidr(t) !== null || parseIpv4Range(t) !== null);
}

function rulePriority(node: JsonNode, isDefault: boolean): number {
  const range = isDefault ? DEFAULT_PRIORITY : CUSTOM_PRIORITY;
  const expected = `${isDefault ? 'a default rule priority number' : 'a rule priority number'} (a whole number ${range.low}-${range.high})`;
  const priority = requiredNumber(node, 'priority', expected);
  if (!Number.isInteger(priority) || priority < range.low || priority > range.high) fail(node.file, pathOf(node, 'priority'), expected, priority);
  return priority;
}

/**
 * `protocol` is required (SecurityRulePropertiesFormat `required` in networkSecurityGroup.json:
 * protocol, access, priority, direction in 2025-07-01; protocol, access, direction and both single
 * prefixes in 2016-09-01); ARM, az and Resource Graph always print it. Absent, it is malformed:
 * read as `*`, a deny rule would deny, and an allow rule allow, every protocol. (`access`,
 * `direction` and `priority` absent were already malformed: `oneOf`, `rulePriority`.)
 */
function ruleProtocol(node: JsonNode): string {
  const protocol = optString(node, 'protocol');
  const known = protocol !== undefined && NSG_PROTOCOLS.some((p) => p.toLowerCase() === protocol.trim().toLowerCase());
  if (!known) fail(node.file, pathOf(node, 'protocol'), `an NSG rule protocol: ${NSG_PROTOCOLS.map((p) => `"${p}"`).join(', ')}`, protocol);
  return protocol;
}

/**
 * One side's addresses. Azure requires one of the single prefix, the prefix list or the ASG list
 * on each side: it refuses a rule without them ("SecurityRuleParametersMissing ... Security rule
 * must specify SourceAddressPrefixes, SourceAddressPrefix, or SourceApplicationSecurityGroups",
 * quoted in Azure/sap-hana#135). The REST spec cannot say "one of": 2016-09-01 listed both single
 * prefixes as `required`, dropped once the plural lists came because "the user must supply one or
 * the other" (Azure/azure-rest-api-specs#1591). A side with none of them (absent, or a blank
 * single prefix with an empty list and no ASGs) is malformed: read as an empty list, a destination
 * would cover nothing (a deny rule silently stops applying) and a source anything (nsg.ts takes no
 * source prefixes for any source). A blank single prefix next to a list or ASGs is what ARM and
 * az print, and is kept.
 */
function ruleAddresses(node: JsonNode, side: 'source' | 'destination', asgs: readonly ResourceId[]): readonly string[] {
  const single = `${side}AddressPrefix`;
  const prefixes = singleAndMany(node, single, `${side}AddressPrefixes`, isAddressPrefix, PREFIX_EXPECTED);
  if (prefixes.length === 0 && asgs.length === 0) {
    fail(node.file, pathOf(node, single), `${PREFIX_EXPECTED} (or ${side}AddressPrefixes or ${side}ApplicationSecurityGroups)`, optString(node, single));
  }
  return prefixes;
}

/**
 * One side's ports: the single range or the list. ARM, az and Resource Graph always print them (az
 * fills `*` and `80` when the user gives none), and nothing documents what a rule without
 * destination ports matches: absent or blank on both, they are malformed, since read as no ports a
 * deny rule would silently stop applying. Source ports absent are read as `*` (every port, what az
 * fills), as hand-written inputs leave them out; a blank single range with no list is malformed.
 */
function rulePorts(node: JsonNode, side: 'source' | 'destination'): readonly string[] {
  const single = `${side}PortRange`;
  const ports = singleAndMany(node, single, `${side}PortRanges`, isPortRange, PORT_EXPECTED);
  if (ports.length === 0 && (side === 'destination' || optString(node, single) !== undefined)) {
    fail(node.file, pathOf(node, single), `${PORT_EXPECTED} (or ${side}PortRanges)`, optString(node, single));
  }
  return ports;
}

export function mapSecurityRule(node: JsonNode, isDefault: boolean): SecurityRule {
  // Source ports are part of the five-tuple a rule matches [NSG]
  // https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules
  // Set only when they restrict the port, so rules with `*` (nearly all) keep their old shape.
  const sourcePorts = rulePorts(node, 'source');
  const anySourcePort = sourcePorts.every((p) => p.trim() === '*' || p.trim().toLowerCase() === 'any');
  // `[{ "id": ".../applicationSecurityGroups/x" }]` in both the REST and the az shape; set only when
  // present so rules without ASGs keep their old shape [ASG]
  // https://learn.microsoft.com/azure/virtual-network/application-security-groups
  const sourceAsgs = optRefs(node, 'sourceApplicationSecurityGroups') ?? [];
  const destinationAsgs = optRefs(node, 'destinationApplicationSecurityGroups') ?? [];
  return {
    name: optString(node, 'name') ?? '',
    priority: rulePriority(node, isDefault),
    direction: oneOf(node, 'direction', ['Inbound', 'Outbound'] as const),
    access: oneOf(node, 'access', ['Allow', 'Deny'] as const),
    protocol: ruleProtocol(node),
    // Rules that use application security groups carry no prefixes: empty, never widened to `*`.
    sourceAddressPrefixes: ruleAddresses(node, 'source', sourceAsgs),
    destinationAddressPrefixes: ruleAddresses(node, 'destination', destinationAsgs),
    destinationPortRanges: rulePorts(node, 'destination'),
    ...(anySourcePort ? {} : { sourcePortRanges: sourcePorts }),
    isDefault,
    ...(sourceAsgs.length > 0 ? { sourceApplicationSecurityGroupIds: sourceAsgs } : {}),
    ...(destinationAsgs.length > 0 ? { destinationApplicationSecurityGroupIds: destinationAsgs } : {}),
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
    id, type, parentId, writes: { kind: 'networkSecurityGroup', field: 'securityRules', items: [rule] },
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
    // A UDR's next hop is matched to its owner by this address: one that is no IP would leave the
    // firewall owning no address, and the route's traffic "dropped". Checked as a NIC's is.
    privateIpAddress: addressOnly(node, 'privateIPAddress') ?? null,
    subnetId: optRef(node, 'subnet') ?? null,
    publicIpAddressId: optRef(node, 'publicIPAddress') ?? null,
  };
}

/**
 * `azureFirewalls/azureFirewallIpConfigurations` listed on its own: what `az network firewall
 * ip-config create` prints (the one configuration, SDK-flattened, `privateIpAddress` casing). The
 * management configuration has the same type; it replaces the parent's when the IDs match.
 */
export function standaloneFirewallIpConfiguration(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  const config = mapFirewallIpConfiguration(node, parentId);
  store.child({
    id, type, parentId, writes: { kind: 'azureFirewall', field: 'ipConfigurations', items: [config] },
    attach: (s) => s.update('azureFirewall', parentId, (fw) => (fw.managementIpConfiguration?.id === config.id
      ? { ...fw, managementIpConfiguration: config }
      : { ...fw, ipConfigurations: upsert(fw.ipConfigurations, config, (c) => c.id) })),
  });
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
    sourceIpGroupIds: ipGroupRefs(node, 'sourceIpGroups'),
    destinationAddresses: optStrings(node, 'destinationAddresses') ?? [],
    destinationIpGroupIds: ipGroupRefs(node, 'destinationIpGroups'),
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
    sourceIpGroupIds: ipGroupRefs(node, 'sourceIpGroups'),
    targetFqdns: optStrings(node, 'targetFqdns') ?? [],
    fqdnTags: optStrings(node, 'fqdnTags') ?? [],
    webCategories: optStrings(node, 'webCategories') ?? [],
    targetUrls: optStrings(node, 'targetUrls') ?? [],
  };
}

/**
 * `sourceIpGroups` / `destinationIpGroups`: IP group resource IDs (plain strings in the REST spec)
 * [FWIPG] https://learn.microsoft.com/azure/firewall/ip-groups. Exporters differ in the casing
 * of `Ip` (`sourceIPGroups`); the reader matches either (see reader.ts `keyIn`).
 */
function ipGroupRefs(node: JsonNode, key: string): readonly ResourceId[] {
  return optRefs(node, key) ?? [];
}

/**
 * A rule collection's `priority` is optional in the REST spec. Without one the collection is
 * processed after every collection that has one (the lowest priority Azure allows is 65,000),
 * keeping input order among such collections (the sort is stable) [FWRULES].
 */
const UNSET_COLLECTION_PRIORITY = 99_999;

function collectionPriority(collection: JsonNode): number {
  return optNumber(collection, 'priority') ?? UNSET_COLLECTION_PRIORITY;
}

/** Classic `networkRuleCollections` / `applicationRuleCollections`; NAT (DNAT) collections are inbound only. */
function classicRules(node: JsonNode): readonly FirewallRule[] | undefined {
  const network = optNodes(node, 'networkRuleCollections');
  const application = optNodes(node, 'applicationRuleCollections');
  if (network === undefined && application === undefined) return undefined;
  const rules: FirewallRule[] = [];
  for (const collection of network ?? []) {
    const name = optString(collection, 'name') ?? '';
    const priority = collectionPriority(collection);
    const action = ruleAction(collection);
    for (const rule of optNodes(collection, 'rules') ?? []) rules.push(networkRule(rule, name, priority, action, 'protocols'));
  }
  for (const collection of application ?? []) {
    const name = optString(collection, 'name') ?? '';
    const priority = collectionPriority(collection);
    const action = ruleAction(collection);
    for (const rule of optNodes(collection, 'rules') ?? []) rules.push(applicationRule(rule, name, priority, action));
  }
  return rules;
}

/**
 * The classic rules and whether this copy held them: a copy without either list (a projection, a
 * stub) says nothing of them, and if no copy does, finalize marks them not captured (the rules are
 * unknown, never "none") [FWRULES] https://learn.microsoft.com/azure/firewall/rule-processing
 */
function classicRulesOf(node: JsonNode): { readonly rules?: readonly FirewallRule[]; readonly rulesCaptured?: boolean } {
  const rules = classicRules(node);
  return rules === undefined ? {} : { rules, rulesCaptured: true };
}

/** `sku.name` parsed; absent or unrecognised, a firewall with a `virtualHub` reference is a hub firewall. */
function firewallSkuName(raw: string | undefined, inHub: boolean): FirewallSkuName | undefined {
  const parsed = raw === undefined ? undefined : parseFirewallSkuName(raw);
  if (parsed !== undefined && parsed !== 'Unknown') return parsed;
  return inHub ? 'AZFW_Hub' : parsed;
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
    skuName: firewallSkuName(sku === undefined ? undefined : optString(sku, 'name'), virtualHubId !== undefined),
    skuTier: sku === undefined || optString(sku, 'tier') === undefined ? undefined : parseFirewallSkuTier(optString(sku, 'tier')),
    ipConfigurations: optNodes(node, 'ipConfigurations')?.map((c) => mapFirewallIpConfiguration(c, base.id)),
    managementIpConfiguration: management === undefined ? undefined : mapFirewallIpConfiguration(management, base.id),
    firewallPolicyId: optRef(node, 'firewallPolicy'),
    virtualHubId,
    // A hub firewall's routing-intent next hop: checked as an ipconfig's is.
    hubPrivateIpAddress: hub === undefined ? undefined : addressOnly(hub, 'privateIPAddress'),
    // `count` without `addresses` (a trimmed export): the firewall has public IPs the input does not name.
    hubPublicIpCount: publicIps === undefined ? undefined : optNumber(publicIps, 'count'),
    hubPublicIpAddresses: publicIps === undefined
      ? undefined
      : (optNodes(publicIps, 'addresses') ?? []).flatMap((a) => {
          const address = optString(a, 'address');
          return address === undefined ? [] : [address];
        }),
    ...classicRulesOf(node),
    ...classicSnat(node),
    // Classic firewalls only (a policy's own setting wins when one is attached): threat
    // intelligence in Deny mode drops known-malicious traffic before any rule [FWTI]
    // https://learn.microsoft.com/azure/firewall/threat-intel
    threatIntelMode: optString(node, 'threatIntelMode'),
    ...classicDnsProxy(node),
  });
}

/**
 * Classic firewalls turn DNS proxy on with `additionalProperties["Network.DNS.EnableProxy"]`
 * (`"true"`) [FWDNS] https://learn.microsoft.com/azure/firewall/dns-settings
 */
function classicDnsProxy(node: JsonNode): { readonly dnsProxyEnabled?: boolean } {
  const proxy = additionalProperty(node, 'Network.DNS.EnableProxy');
  if (proxy === undefined) return {};
  return { dnsProxyEnabled: enabledFlag(node.file, `${pathOf(node, 'additionalProperties')}["Network.DNS.EnableProxy"]`, proxy) };
}

/** An `additionalProperties` entry, its key matched case-insensitively (exporters vary); must be a string. */
function additionalProperty(node: JsonNode, key: string): string | undefined {
  const bag = optObject(node, 'additionalProperties');
  if (bag === undefined) return undefined;
  const found = Object.keys(bag.raw).find((k) => k.toLowerCase() === key.toLowerCase());
  if (found === undefined) return undefined;
  const value = bag.raw[found];
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') fail(bag.file, `${bag.path}[${JSON.stringify(found)}]`, 'a string', value);
  return value;
}

/** `Enabled` / `Disabled` (also `true` / `false`), case-insensitive. */
function enabledFlag(file: string, path: string, value: string): boolean {
  const lower = value.trim().toLowerCase();
  if (lower === 'enabled' || lower === 'true') return true;
  if (lower === 'disabled' || lower === 'false') return false;
  return fail(file, path, '"Enabled" or "Disabled"', value);
}

/**
 * Classic firewalls keep their SNAT private ranges in `additionalProperties`:
 * `"Network.SNAT.PrivateRanges": "IANAPrivateRanges , IPRange1, IPRange2"` [FWSNAT]
 * https://learn.microsoft.com/azure/firewall/snat-private-range
 */
function classicSnat(node: JsonNode): { readonly snatPrivateRanges?: readonly string[]; readonly snatAutoLearnPrivateRanges?: boolean } {
  const ranges = additionalProperty(node, 'Network.SNAT.PrivateRanges');
  const autoLearn = additionalProperty(node, 'Network.SNAT.AutoLearnPrivateRanges');
  const path = `${pathOf(node, 'additionalProperties')}["Network.SNAT.AutoLearnPrivateRanges"]`;
  return {
    ...(ranges === undefined ? {} : { snatPrivateRanges: ranges.split(',').map((r) => r.trim()).filter((r) => r !== '') }),
    ...(autoLearn === undefined ? {} : { snatAutoLearnPrivateRanges: enabledFlag(node.file, path, autoLearn) }),
  };
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
    // `ruleCollectionType` is the required discriminator of FirewallPolicyRuleCollection (REST spec
    // firewallPolicy.json): absent or unknown, whether the collection filters traffic is not known.
    const type = oneOf(collection, 'ruleCollectionType', ['FirewallPolicyFilterRuleCollection', 'FirewallPolicyNatRuleCollection'] as const);
    // DNAT collections translate inbound traffic; they never allow or deny egress.
    if (type === 'FirewallPolicyNatRuleCollection') continue;
    const name = `${groupName}/${optString(collection, 'name') ?? ''}`;
    const priority = groupPriority * GROUP_PRIORITY_SCALE + collectionPriority(collection);
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

interface EmbeddedGroups {
  readonly ids: readonly ResourceId[] | undefined;
  /** Undefined when no group was expanded: a sparse copy must not erase what a fuller one said. */
  readonly rules: readonly FirewallRule[] | undefined;
  readonly loadedIds: readonly ResourceId[] | undefined;
}

/**
 * Groups embedded in a policy are usually bare `{ id }` references (not loaded: their rules are
 * unknown); expanded ones carry `ruleCollections` (loaded, even when that list is empty).
 */
function embeddedGroups(node: JsonNode, policyId: ResourceId): EmbeddedGroups {
  const groups = optNodes(node, 'ruleCollectionGroups');
  if (groups === undefined) return { ids: undefined, rules: undefined, loadedIds: undefined };
  const ids = [...(optRefs(node, 'ruleCollectionGroups') ?? [])];
  const expanded = groups.filter((group) => optArray(group, 'ruleCollections') !== undefined);
  if (expanded.length === 0) return { ids, rules: undefined, loadedIds: undefined };
  const loadedIds = expanded.map((group) => childId(group, policyId, 'ruleCollectionGroups').id);
  return { ids: [...new Set([...ids, ...loadedIds])], rules: sortRules(expanded.flatMap((group) => mapRuleCollectionGroup(group))), loadedIds };
}

export function mapFirewallPolicy(store: DraftStore, node: JsonNode, base: BaseFields): void {
  const snat = optObject(node, 'snat');
  const groups = embeddedGroups(node, base.id);
  const autoLearn = snat === undefined ? undefined : optString(snat, 'autoLearnPrivateRanges');
  const dns = optObject(node, 'dnsSettings');
  store.put('firewallPolicy', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'firewallPolicy',
    basePolicyId: optRef(node, 'basePolicy'),
    snatPrivateRanges: snat === undefined ? undefined : (optStrings(snat, 'privateRanges') ?? null),
    // `snat.autoLearnPrivateRanges`: `Enabled` | `Disabled` [FWSNAT].
    snatAutoLearnPrivateRanges: snat === undefined || autoLearn === undefined
      ? undefined : enabledFlag(snat.file, pathOf(snat, 'autoLearnPrivateRanges'), autoLearn),
    threatIntelMode: optString(node, 'threatIntelMode'),
    // `dnsSettings.enableProxy`: FQDNs in network rules resolve reliably only through the
    // firewall's DNS proxy [FWFQDNNET] https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules
    dnsProxyEnabled: dns === undefined ? undefined : optBool(dns, 'enableProxy'),
    rules: groups.rules,
    ruleCollectionGroupIds: groups.ids,
    // A copy that lists `ruleCollectionGroups` (even `[]`) says which groups the policy has; one
    // without the key (a stub `{ id, name, type }`, a projection) says nothing, and if no copy and
    // no group listed on its own does, the policy's rules are not known.
    ruleCollectionGroupsCaptured: groups.ids === undefined ? undefined : true,
    loadedRuleCollectionGroupIds: groups.loadedIds,
  });
}

export function sortRules(rules: readonly FirewallRule[]): readonly FirewallRule[] {
  // Stable sort: rules of one collection keep their order.
  return [...rules].sort((a, b) => a.priority - b.priority);
}

export function standaloneRuleCollectionGroup(store: DraftStore, node: JsonNode, id: ResourceId, type: string): void {
  const parentId = parentResourceId(id);
  // ARM and az print `ruleCollections` on every group (`[]` when empty): a copy without it (a
  // projection of names, `"properties": {}`) says nothing of the rules, and read as empty it would
  // leave the policy complete and denying everything. Malformed: its policy is left out with it.
  if (optArray(node, 'ruleCollections') === undefined) {
    fail(node.file, pathOf(node, 'ruleCollections'), 'the group\'s ruleCollections (a list, [] when it has none): without it what the group allows is not known', undefined);
  }
  const rules = mapRuleCollectionGroup(node);
  const prefix = `${optString(node, 'name') ?? ''}/`;
  store.child({
    id, type, parentId, writes: { kind: 'firewallPolicy', field: 'rules', items: sortRules(rules) },
    attach: (s) => s.update('firewallPolicy', parentId, (policy) => ({
      ...policy,
      ruleCollectionGroupIds: [...new Set([...(policy.ruleCollectionGroupIds ?? []), id])],
      ruleCollectionGroupsCaptured: true,
      // Listed on its own, the group was loaded: with no filter collections it adds no rules, and
      // the policy's rule set is still complete (default deny) [FWRULES].
      loadedRuleCollectionGroupIds: [...new Set([...(policy.loadedRuleCollectionGroupIds ?? []), id])],
      // Replace what an earlier copy of the same group contributed.
      rules: sortRules([...(policy.rules ?? []).filter((r) => !r.collection.startsWith(prefix)), ...rules]),
    })),
  });
}

// ---------------------------------------------------------------------------------------------
// IP groups

const IP_GROUP_ENTRY = 'an IPv4 address, CIDR or range like "10.2.0.0-10.2.0.31"';

/**
 * `Microsoft.Network/ipGroups`: `properties.ipAddresses` holds single addresses, CIDRs and ranges
 * `a.b.c.d-e.f.g.h` [FWIPG] https://learn.microsoft.com/azure/firewall/ip-groups. PowerShell
 * output spells the field `IpAddresses`.
 */
export function mapIpGroup(store: DraftStore, node: JsonNode, base: BaseFields): void {
  // `IpAddresses` (PowerShell) is matched too: the reader compares field names case-insensitively.
  const key = 'ipAddresses';
  const raw = optArray(node, key);
  const ipAddresses = raw?.map((value, i) => {
    if (typeof value !== 'string' || (parseCidr(value) === null && parseIpv4Range(value) === null)) {
      fail(node.file, `${pathOf(node, key)}[${i}]`, IP_GROUP_ENTRY, value);
    }
    return value.trim();
  });
  store.put('ipGroup', {
    id: base.id, name: base.name, subscriptionId: base.subscriptionId, resourceGroup: base.resourceGroup, location: base.location, tags: base.tags,
    kind: 'ipGroup',
    ipAddresses,
    // Without `ipAddresses` the group's addresses are not known (not "none": see IpGroup).
    ipAddressesCaptured: ipAddresses === undefined ? undefined : true,
  });
}
