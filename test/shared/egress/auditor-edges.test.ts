/**
 * Edges auditors probe, checked end to end through `resolveEgress`: firewall policy completeness,
 * IP groups, SNAT private ranges, peering reach of a next hop, appliance hops (inbound NSGs, internal
 * LB rules, multi-NIC NVAs), NSG application security groups and partial denies, destinations
 * inside an address space, and platform edges (private endpoints, classic secured hubs, firewalls
 * without a public IP, management NICs).
 *
 * Estates are ARM JSON as Azure returns it (REST `properties` shape, or `az ... -o json` flattened
 * shape; IDs in Azure's mixed casing, references sometimes lower-cased) run through the real
 * normalizer (`normalizeArm`), then `resolveEgress`. Each test cites the Microsoft Learn page that
 * states the rule it checks.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import type { ResolveOptions } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import { terminalOf } from '../../../shared/egress/steps';
import type { Step, TerminalReason } from '../../../shared/egress/steps';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import { toResourceId } from '../../../shared/model/ids';
import { asAzOutput } from '../arm/helpers';
import { nsgJson } from './nsg-support';
import { explanations, pathOf } from './support';

// ---------------------------------------------------------------------------------------------
// ARM JSON as Azure returns it (REST shape: fields under `properties`)

const SUB = '55555555-5555-5555-5555-555555555555';
const NET = `/subscriptions/${SUB}/resourceGroups/RG-Egress/providers/Microsoft.Network`;
const COMPUTE = `/subscriptions/${SUB}/resourceGroups/RG-Egress/providers/Microsoft.Compute`;
const id = (raw: string) => toResourceId(raw);

type Json = Record<string, unknown>;
type Shape = 'rest' | 'az';
const SHAPES: readonly Shape[] = ['rest', 'az'];

const vnetId = (vnet: string) => `${NET}/virtualNetworks/${vnet}`;
const subnetId = (vnet: string, subnet: string) => `${vnetId(vnet)}/subnets/${subnet}`;
const pipId = (name: string) => `${NET}/publicIPAddresses/${name}`;
const nicId = (name: string) => `${NET}/networkInterfaces/${name}`;
const rtId = (name: string) => `${NET}/routeTables/${name}`;
const fwId = (name: string) => `${NET}/azureFirewalls/${name}`;
const policyId = (name: string) => `${NET}/firewallPolicies/${name}`;
const groupId = (policy: string, group: string) => `${policyId(policy)}/ruleCollectionGroups/${group}`;
const ipGroupId = (name: string) => `${NET}/ipGroups/${name}`;
const lbId = (name: string) => `${NET}/loadBalancers/${name}`;
const hubId = (name: string) => `${NET}/virtualHubs/${name}`;

interface SubnetSpec {
  readonly name: string;
  readonly prefix: string;
  readonly routeTable?: string;
  readonly natGateway?: string;
  readonly nsg?: string;
  readonly defaultOutboundAccess?: boolean;
}

/** `VirtualNetworks_Get`: subnets and peerings embedded. */
function vnetJson(name: string, prefixes: readonly string[], subnets: readonly SubnetSpec[], peerings: readonly Json[] = []): Json {
  return {
    id: vnetId(name), name, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: prefixes },
      subnets: subnets.map((s) => ({
        id: subnetId(name, s.name), name: s.name, type: 'Microsoft.Network/virtualNetworks/subnets',
        properties: {
          addressPrefix: s.prefix,
          ...(s.routeTable ? { routeTable: { id: s.routeTable } } : {}),
          ...(s.natGateway ? { natGateway: { id: s.natGateway } } : {}),
          ...(s.nsg ? { networkSecurityGroup: { id: s.nsg } } : {}),
          ...(s.defaultOutboundAccess === undefined ? {} : { defaultOutboundAccess: s.defaultOutboundAccess }),
        },
      })),
      virtualNetworkPeerings: peerings,
    },
  };
}

interface PeeringSpec {
  readonly remoteAddressSpace: readonly string[];
  readonly remoteVirtualNetworkAddressSpace?: readonly string[];
  readonly state?: string;
  readonly syncLevel?: string;
  readonly peerCompleteVnets?: boolean;
  readonly localSubnetNames?: readonly string[];
  readonly remoteSubnetNames?: readonly string[];
}

function peeringJson(local: string, remote: string, spec: PeeringSpec): Json {
  return {
    id: `${vnetId(local)}/virtualNetworkPeerings/${local}-to-${remote}`, name: `${local}-to-${remote}`,
    type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
    properties: {
      provisioningState: 'Succeeded', remoteVirtualNetwork: { id: vnetId(remote) },
      allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: false, useRemoteGateways: false,
      peeringState: spec.state ?? 'Connected', peeringSyncLevel: spec.syncLevel ?? 'FullyInSync',
      remoteAddressSpace: { addressPrefixes: spec.remoteAddressSpace },
      remoteVirtualNetworkAddressSpace: { addressPrefixes: spec.remoteVirtualNetworkAddressSpace ?? spec.remoteAddressSpace },
      ...(spec.peerCompleteVnets === undefined ? {} : { peerCompleteVnets: spec.peerCompleteVnets }),
      ...(spec.localSubnetNames ? { localSubnetNames: spec.localSubnetNames } : {}),
      ...(spec.remoteSubnetNames ? { remoteSubnetNames: spec.remoteSubnetNames } : {}),
    },
  };
}

function routeTableJson(name: string, routes: readonly { readonly name: string; readonly prefix: string; readonly nextHopType: string; readonly nextHopIp?: string }[]): Json {
  return {
    id: rtId(name), name, type: 'Microsoft.Network/routeTables', location: 'westeurope',
    properties: {
      disableBgpRoutePropagation: false,
      routes: routes.map((r) => ({
        id: `${rtId(name)}/routes/${r.name}`, name: r.name, type: 'Microsoft.Network/routeTables/routes',
        properties: { addressPrefix: r.prefix, nextHopType: r.nextHopType, ...(r.nextHopIp ? { nextHopIpAddress: r.nextHopIp } : {}) },
      })),
    },
  };
}

/** A route table sending the default route to a virtual appliance. */
const defaultTo = (name: string, ip: string): Json => routeTableJson(name, [{ name: 'default', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: ip }]);

function pipJson(name: string, address: string): Json {
  return {
    id: pipId(name), name, type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', sku: { name: 'Standard', tier: 'Regional' },
    properties: { publicIPAddressVersion: 'IPv4', publicIPAllocationMethod: 'Static', ipAddress: address },
  };
}

interface NicSpec {
  readonly ipForwarding?: boolean;
  readonly nsg?: string;
  readonly publicIp?: string;
  readonly vm?: string;
  readonly pools?: readonly string[];
  readonly asgs?: readonly string[];
  readonly privateEndpoint?: string;
}

function nicJson(name: string, subnet: string, privateIp: string, spec: NicSpec = {}): Json {
  return {
    id: nicId(name), name, type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded', enableIPForwarding: spec.ipForwarding ?? false,
      ...(spec.nsg ? { networkSecurityGroup: { id: spec.nsg } } : {}),
      ...(spec.vm ? { virtualMachine: { id: spec.vm } } : {}),
      ...(spec.privateEndpoint ? { privateEndpoint: { id: spec.privateEndpoint } } : {}),
      ipConfigurations: [{
        id: `${nicId(name)}/ipConfigurations/ipconfig1`, name: 'ipconfig1', type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
        properties: {
          primary: true, privateIPAddress: privateIp, privateIPAllocationMethod: 'Dynamic', privateIPAddressVersion: 'IPv4', subnet: { id: subnet },
          ...(spec.publicIp ? { publicIPAddress: { id: spec.publicIp } } : {}),
          ...(spec.pools ? { loadBalancerBackendAddressPools: spec.pools.map((p) => ({ id: p })) } : {}),
          ...(spec.asgs ? { applicationSecurityGroups: spec.asgs.map((a) => ({ id: a })) } : {}),
        },
      }],
    },
  };
}

interface FirewallSpec {
  readonly subnet: string;
  readonly privateIp: string;
  readonly publicIps: readonly string[];
  readonly policy?: string;
  readonly tier?: 'Basic' | 'Standard' | 'Premium';
  readonly management?: { readonly subnet: string; readonly publicIp: string };
}

/** `AzureFirewalls_Get` for a VNet firewall: the SKU sits under `properties`. */
function firewallJson(name: string, spec: FirewallSpec): Json {
  const configs = spec.publicIps.length > 0 ? spec.publicIps : [null];
  return {
    id: fwId(name), name, type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded', threatIntelMode: 'Alert',
      sku: { name: 'AZFW_VNet', tier: spec.tier ?? 'Standard' },
      ...(spec.policy ? { firewallPolicy: { id: spec.policy } } : {}),
      ipConfigurations: configs.map((pip, i) => ({
        id: `${fwId(name)}/azureFirewallIpConfigurations/ipconfig${i + 1}`, name: `ipconfig${i + 1}`,
        properties: {
          ...(i === 0 ? { privateIPAddress: spec.privateIp, subnet: { id: spec.subnet } } : {}),
          ...(pip ? { publicIPAddress: { id: pip } } : {}),
        },
      })),
      ...(spec.management ? {
        managementIpConfiguration: {
          id: `${fwId(name)}/azureFirewallIpConfigurations/mgmt`, name: 'mgmt',
          properties: { subnet: { id: spec.management.subnet }, publicIPAddress: { id: spec.management.publicIp } },
        },
      } : {}),
    },
  };
}

/** `FirewallPolicies_Get`: rule collection groups are listed by ID only. */
function policyJson(name: string, groups: readonly string[], extra: Json = {}): Json {
  return {
    id: policyId(name), name, type: 'Microsoft.Network/firewallPolicies', location: 'westeurope',
    properties: { provisioningState: 'Succeeded', sku: { tier: 'Standard' }, threatIntelMode: 'Alert', ruleCollectionGroups: groups.map((g) => ({ id: g })), ...extra },
  };
}

/** `FirewallPolicyRuleCollectionGroups_Get`. */
function groupJson(policy: string, name: string, priority: number, ruleCollections: readonly Json[]): Json {
  return { id: groupId(policy, name), name, type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { provisioningState: 'Succeeded', priority, ruleCollections } };
}

const DNAT_COLLECTION: Json = {
  ruleCollectionType: 'FirewallPolicyNatRuleCollection', name: 'dnat-rdp', priority: 100, action: { type: 'DNAT' },
  rules: [{ ruleType: 'NatRule', name: 'rdp', ipProtocols: ['TCP'], sourceAddresses: ['*'], destinationAddresses: ['20.10.0.1'], destinationPorts: ['3389'], translatedAddress: '10.1.1.4', translatedPort: '3389' }],
};

function filterCollection(name: string, priority: number, rules: readonly Json[], action: 'Allow' | 'Deny' = 'Allow'): Json {
  return { ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name, priority, action: { type: action }, rules };
}

function ipGroupJson(name: string, ipAddresses: readonly string[]): Json {
  return { id: ipGroupId(name), name, type: 'Microsoft.Network/ipGroups', location: 'westeurope', properties: { provisioningState: 'Succeeded', ipAddresses } };
}

/** An internal Standard load balancer in front of NVAs; the pool lists no members (the NICs do). */
function ilbJson(name: string, frontendSubnet: string, frontendIp: string, rules: readonly { readonly name: string; readonly protocol: string; readonly port: number }[]): Json {
  const fe = `${lbId(name)}/frontendIPConfigurations/fe`;
  const pool = `${lbId(name)}/backendAddressPools/nvas`;
  return {
    id: lbId(name), name, type: 'Microsoft.Network/loadBalancers', location: 'westeurope', sku: { name: 'Standard', tier: 'Regional' },
    properties: {
      frontendIPConfigurations: [{ id: fe, name: 'fe', properties: { privateIPAddress: frontendIp, privateIPAllocationMethod: 'Static', subnet: { id: frontendSubnet } } }],
      backendAddressPools: [{ id: pool, name: 'nvas', properties: {} }],
      loadBalancingRules: rules.map((r) => ({
        id: `${lbId(name)}/loadBalancingRules/${r.name}`, name: r.name,
        properties: { frontendIPConfiguration: { id: fe }, backendAddressPool: { id: pool }, protocol: r.protocol, frontendPort: r.port, backendPort: r.port, enableFloatingIP: false, idleTimeoutInMinutes: 4 },
      })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Running an estate and reading the answer

function resolveArm(resources: readonly Json[], options: ResolveOptions = {}, shape: Shape = 'rest'): ResolveResult {
  const json = shape === 'rest' ? resources : resources.map((r) => asAzOutput(r));
  const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: `estate-${shape}.json`, json }]);
  return resolveEgress({ model, effectiveRoutes, metrics: [], gaps }, options);
}

const at = (result: ResolveResult, raw: string): EgressPath => pathOf(result, id(raw));
const kinds = (path: EgressPath): string[] => path.steps.map((s) => s.kind);
const terminal = (path: EgressPath): TerminalReason => terminalOf(path.steps).reason;
const codes = (path: EgressPath): string[] => path.findings.map((f) => f.code).sort();
const hopText = (path: EgressPath): string => explanations(path);
const stepOf = <K extends Step['kind']>(path: EgressPath, kind: K): Extract<Step, { kind: K }> => {
  const step = path.steps.find((s) => s.kind === kind);
  if (!step) throw new Error(`no ${kind} step in ${kinds(path).join(', ')}`);
  return step as Extract<Step, { kind: K }>;
};

// ---------------------------------------------------------------------------------------------
// Hub 10.0.0.0/16 with Azure Firewall afw-hub (10.0.1.4, public IP 20.10.0.1); spoke 10.1.0.0/16
// whose subnets send 0.0.0.0/0 to the firewall.

const FW_IP = '10.0.1.4';
const FW_PIP = '20.10.0.1';
const HUB_SUBNETS: readonly SubnetSpec[] = [{ name: 'AzureFirewallSubnet', prefix: '10.0.1.0/26' }];

function hubAndSpoke(opts: { readonly policy: Json; readonly extra?: readonly Json[]; readonly spokeSubnets?: readonly SubnetSpec[]; readonly firewall?: Partial<FirewallSpec>; readonly hubSubnets?: readonly SubnetSpec[] }): Json[] {
  const spokeSubnets = opts.spokeSubnets ?? [{ name: 'app', prefix: '10.1.1.0/24', routeTable: rtId('rt-spoke') }];
  return [
    vnetJson('vnet-hub', ['10.0.0.0/16'], opts.hubSubnets ?? HUB_SUBNETS, [peeringJson('vnet-hub', 'vnet-spoke', { remoteAddressSpace: ['10.1.0.0/16'] })]),
    vnetJson('vnet-spoke', ['10.1.0.0/16'], spokeSubnets, [peeringJson('vnet-spoke', 'vnet-hub', { remoteAddressSpace: ['10.0.0.0/16'] })]),
    defaultTo('rt-spoke', FW_IP),
    pipJson('pip-afw', FW_PIP),
    firewallJson('afw-hub', { subnet: subnetId('vnet-hub', 'AzureFirewallSubnet'), privateIp: FW_IP, publicIps: [pipId('pip-afw')], policy: policyId('fwp-hub'), ...opts.firewall }),
    opts.policy,
    ...(opts.extra ?? []),
  ];
}

const APP = subnetId('vnet-spoke', 'app');
const FIREWALL = { kind: 'azure-firewall', id: id(fwId('afw-hub')) } as const;

/** Network rule allowing TCP 443 to anything, from `sources` (addresses) and `ipGroups`. */
function allowHttps(name: string, sources: readonly string[], ipGroups: readonly string[] = []): Json {
  return { ruleType: 'NetworkRule', name, ipProtocols: ['TCP'], sourceAddresses: sources, sourceIpGroups: ipGroups, destinationAddresses: ['*'], destinationPorts: ['443'] };
}

// =============================================================================================
// 1. Firewall policy completeness

describe('1. firewall policy completeness', () => {
  for (const shape of SHAPES) {
    // https://learn.microsoft.com/azure/firewall/rule-processing: "Azure Firewall denies all traffic
    // by default" until a rule allows it; DNAT rules translate inbound traffic and allow no egress.
    // https://learn.microsoft.com/azure/firewall/policy-rule-sets: rules live in rule collection groups.
    it(`loaded groups with only DNAT collections or none at all → default deny, firewall-default-deny (${shape})`, () => {
      const result = resolveArm(hubAndSpoke({
        policy: policyJson('fwp-hub', [groupId('fwp-hub', 'DefaultDnatRuleCollectionGroup'), groupId('fwp-hub', 'rcg-empty')]),
        extra: [groupJson('fwp-hub', 'DefaultDnatRuleCollectionGroup', 100, [DNAT_COLLECTION]), groupJson('fwp-hub', 'rcg-empty', 200, [])],
      }), {}, shape);
      const path = at(result, APP);
      expect(path.verdict).toBe('denied');
      expect(path.exit).toBeNull();
      expect(path.via).toEqual([FIREWALL]);
      expect(kinds(path)).toEqual(['source', 'route', 'azure-firewall', 'firewall-rule', 'terminal']);
      expect(stepOf(path, 'firewall-rule').decision).toEqual({ kind: 'default-deny' });
      expect(terminal(path)).toEqual({ kind: 'firewall-deny', firewall: { id: id(fwId('afw-hub')), name: 'afw-hub' }, rule: null });
      expect(codes(path)).toEqual(['firewall-default-deny']);
      expect(path.findings[0]?.severity).toBe('warning');
      expect(codes(path)).not.toContain('firewall-rules-not-captured');
      const hops = explainPath(path);
      expect(hops.find((h) => h.kind === 'firewall-rule')?.rule).toBe('Default deny (no rule matched)');
      expect(hops[hops.length - 1]?.explanation).toContain('default deny');
    });

    // https://learn.microsoft.com/azure/firewall/policy-rule-sets: a policy GET lists only its rule
    // collection groups' IDs; a group that was not read could hold any allow or deny.
    it(`a group listed by the policy but not in the input → unknown (never assumed to allow), with a firewall-rules-not-captured warning (${shape})`, () => {
      const result = resolveArm(hubAndSpoke({
        policy: policyJson('fwp-hub', [groupId('fwp-hub', 'DefaultDnatRuleCollectionGroup'), groupId('fwp-hub', 'rcg-egress')]),
        extra: [groupJson('fwp-hub', 'DefaultDnatRuleCollectionGroup', 100, [DNAT_COLLECTION])],
      }), {}, shape);
      const path = at(result, APP);
      expect(path.verdict).toBe('unknown');
      expect(path.exit).toBeNull();
      expect(path.egressIps).toEqual([]);
      expect(path.via).toEqual([FIREWALL]);
      expect(kinds(path)).toEqual(['source', 'route', 'azure-firewall', 'firewall-rule', 'terminal']);
      expect(terminal(path)).toMatchObject({ kind: 'undecided', rule: 'Firewall afw-hub: rules not captured' });
      const decision = stepOf(path, 'firewall-rule').decision;
      expect(decision.kind).toBe('not-captured');
      expect(decision.kind === 'not-captured' ? decision.reason : '').toContain('rcg-egress');
      expect(codes(path)).toEqual(['firewall-rules-not-captured']);
      expect(path.findings[0]?.severity).toBe('warning');
      expect(codes(path)).not.toContain('firewall-default-deny');
      expect(explainPath(path).find((h) => h.kind === 'firewall-rule')?.rule).toBe('Rules not captured');
    });

    // A classic firewall (no policy) whose copy holds neither networkRuleCollections nor
    // applicationRuleCollections (a projection): its rules were not read, so default deny
    // ("If still no match is found ... denied by default" [FWRULES]) does not apply (it was `denied`).
    it(`a classic firewall whose rule collections are not in the input → unknown, firewall-rules-not-captured (${shape})`, () => {
      const result = resolveArm(hubAndSpoke({ policy: policyJson('fwp-hub', []), firewall: { policy: undefined } }), {}, shape);
      const path = at(result, APP);
      expect(path.verdict).toBe('unknown');
      expect(terminal(path)).toMatchObject({ kind: 'undecided', rule: 'Firewall afw-hub: rules not captured' });
      expect(codes(path)).toEqual(['firewall-rules-not-captured']);
      expect(path.findings[0]?.advice).toContain('az network firewall show');
    });
  }
});

// =============================================================================================
// 2. IP groups

describe('2. IP groups in network rules', () => {
  const SPOKE_SUBNETS: readonly SubnetSpec[] = [
    { name: 'app', prefix: '10.1.1.0/24', routeTable: rtId('rt-spoke') },
    { name: 'app2', prefix: '10.1.2.0/24', routeTable: rtId('rt-spoke') },
    { name: 'other', prefix: '10.1.3.0/24', routeTable: rtId('rt-spoke') },
  ];
  // A range that is exactly app's /24, and a CIDR that is app2.
  const SPOKES_GROUP = ipGroupJson('ipg-Spokes', ['10.1.1.0-10.1.1.255', '10.1.2.0/24']);

  function estate(collections: readonly Json[], extra: readonly Json[] = []): Json[] {
    return hubAndSpoke({
      policy: policyJson('fwp-hub', [groupId('fwp-hub', 'rcg-egress')]),
      extra: [groupJson('fwp-hub', 'rcg-egress', 200, collections), ...extra],
      spokeSubnets: SPOKE_SUBNETS,
    });
  }

  for (const shape of SHAPES) {
    // https://learn.microsoft.com/azure/firewall/ip-groups: an IP group holds single addresses, CIDRs
    // ("10.1.0.0/32") and ranges ("10.2.0.0-10.2.0.31") and is used as "a source address in network rules".
    it(`sourceIpGroups matches sources in the group (range and CIDR entries); empty sourceAddresses is not "any" (${shape})`, () => {
      // The rule references the group with a lower-cased ID: Azure IDs compare case-insensitively.
      const result = resolveArm(estate([filterCollection('allow-spokes', 100, [allowHttps('spokes-https', [], [ipGroupId('ipg-spokes').toLowerCase()])])], [SPOKES_GROUP]), {}, shape);
      for (const name of ['app', 'app2']) {
        const path = at(result, subnetId('vnet-spoke', name));
        expect(path.verdict, name).toBe('internet');
        expect(path.via).toEqual([FIREWALL]);
        expect(path.egressIps).toEqual([FW_PIP]);
        expect(stepOf(path, 'firewall-rule').decision).toMatchObject({ kind: 'allow', rule: { ruleKind: 'network', name: 'spokes-https' } });
      }
      // 10.1.3.0/24 is in neither entry: the rule (sourceAddresses [] + a group) does not match it.
      const other = at(result, subnetId('vnet-spoke', 'other'));
      expect(other.verdict).toBe('denied');
      expect(stepOf(other, 'firewall-rule').decision).toEqual({ kind: 'default-deny' });
      expect(codes(other)).toEqual(['firewall-default-deny']);
      expect(result.gaps.filter((g) => g.message.toLowerCase().includes('ip group'))).toEqual([]);
    });

    // https://learn.microsoft.com/azure/firewall/ip-groups: the rule's sources are the group's
    // contents; a group that is not in the input leaves them unknown.
    it(`a rule naming an IP group missing from the input, reached by the flow → unknown, with a gap naming the group (${shape})`, () => {
      const result = resolveArm(estate([
        filterCollection('allow-spokes', 100, [allowHttps('spokes-https', [], [ipGroupId('ipg-Spokes')])]),
        filterCollection('allow-partners', 200, [allowHttps('partners-https', [], [ipGroupId('ipg-Partners')])]),
      ], [SPOKES_GROUP]), {}, shape);
      // app matches the first rule and never reaches the one with the missing group.
      expect(at(result, APP).verdict).toBe('internet');
      const other = at(result, subnetId('vnet-spoke', 'other'));
      expect(other.verdict).toBe('unknown');
      expect(other.via).toEqual([FIREWALL]);
      expect(stepOf(other, 'firewall-rule').decision.kind).toBe('unknown');
      const reason = terminal(other);
      expect(reason.kind).toBe('undecided');
      expect(reason.kind === 'undecided' ? reason.missingFact.toLowerCase() : '').toContain('ipg-partners');
      const gap = result.gaps.find((g) => g.message.toLowerCase().includes('ipg-partners'));
      expect(gap).toMatchObject({ code: 'missing-reference' });
      expect(hopText(other).toLowerCase()).toContain('ipg-partners');
    });
  }
});

// =============================================================================================
// 3. SNAT private ranges 0.0.0.0/0

describe('3. firewall policy snat.privateRanges ["0.0.0.0/0"]', () => {
  const withSnat = (collections: readonly Json[]): Json[] => hubAndSpoke({
    policy: policyJson('fwp-hub', [groupId('fwp-hub', 'rcg-egress')], { snat: { privateRanges: ['0.0.0.0/0'] } }),
    extra: [groupJson('fwp-hub', 'rcg-egress', 200, collections)],
  });

  for (const shape of SHAPES) {
    // https://learn.microsoft.com/azure/firewall/snat-private-range: "To configure Azure Firewall to
    // never SNAT traffic processed by network rules regardless of the destination IP address, use
    // 0.0.0.0/0 as your private IP address range. With this configuration, Azure Firewall can't route
    // traffic directly to the Internet."
    it(`a network rule allowing all → the default route is dropped (firewall-no-snat) (${shape})`, () => {
      const path = at(resolveArm(withSnat([filterCollection('allow-all', 100, [{
        ruleType: 'NetworkRule', name: 'any', ipProtocols: ['Any'], sourceAddresses: ['*'], destinationAddresses: ['*'], destinationPorts: ['*'],
      }])]), {}, shape), APP);
      expect(path.verdict).toBe('dropped');
      expect(path.exit).toBeNull();
      expect(path.via).toEqual([FIREWALL]);
      expect(stepOf(path, 'firewall-rule').decision).toMatchObject({ kind: 'allow', rule: { ruleKind: 'network', name: 'any' } });
      expect(terminal(path)).toEqual({ kind: 'firewall-no-snat', firewall: { id: id(fwId('afw-hub')), name: 'afw-hub' }, privateRanges: ['0.0.0.0/0'] });
      expect(kinds(path)).toEqual(['source', 'route', 'azure-firewall', 'firewall-rule', 'terminal']);
      const last = explainPath(path).at(-1);
      expect(last?.rule).toContain('never SNATs');
      expect(last?.explanation).toContain('0.0.0.0/0');
    });

    // Same page: "Application rules are always SNATed using a transparent proxy", whatever the
    // private ranges.
    it(`an application rule allowing '*' is still SNATed → internet from the firewall's public IP (${shape})`, () => {
      const path = at(resolveArm(withSnat([filterCollection('allow-web', 300, [{
        ruleType: 'ApplicationRule', name: 'any-https', sourceAddresses: ['*'], protocols: [{ protocolType: 'Https', port: 443 }], targetFqdns: ['*'],
      }])]), {}, shape), APP);
      expect(path.verdict).toBe('internet');
      expect(path.exit).toBe('public-ip');
      expect(path.egressIps).toEqual([FW_PIP]);
      expect(path.via).toEqual([FIREWALL]);
      expect(stepOf(path, 'firewall-rule').decision).toMatchObject({ kind: 'allow', rule: { ruleKind: 'application', name: 'any-https' } });
      expect(terminal(path).kind).toBe('egress');
      expect(kinds(path)).not.toContain('firewall-no-snat');
    });
  }
});

// =============================================================================================
// 4. Peering reach of an NVA next hop

describe('4. an NVA next hop in a peered hub that the peering does not carry', () => {
  // https://learn.microsoft.com/azure/virtual-network/update-virtual-network-peering-address-space:
  // after the address space of a peered VNet changes, the peering must be synced before the new
  // range is reachable (peeringSyncLevel RemoteNotInSync until then).
  it('peering RemoteNotInSync whose remoteAddressSpace lacks the NVA range → dropped, next-hop-unreachable', () => {
    const result = resolveArm([
      // 10.50.0.0/16 was added to the hub; the NVA sits in it.
      vnetJson('vnet-hub', ['10.0.0.0/16', '10.50.0.0/16'], [{ name: 'nva', prefix: '10.50.1.0/24' }],
        [peeringJson('vnet-hub', 'vnet-spoke', { remoteAddressSpace: ['10.1.0.0/16'], syncLevel: 'LocalNotInSync' })]),
      vnetJson('vnet-spoke', ['10.1.0.0/16'], [{ name: 'app', prefix: '10.1.1.0/24', routeTable: rtId('rt-spoke') }],
        [peeringJson('vnet-spoke', 'vnet-hub', { remoteAddressSpace: ['10.0.0.0/16'], remoteVirtualNetworkAddressSpace: ['10.0.0.0/16', '10.50.0.0/16'], syncLevel: 'RemoteNotInSync' })]),
      defaultTo('rt-spoke', '10.50.1.4'),
      pipJson('pip-nva', '20.60.0.1'),
      nicJson('nva-nic', subnetId('vnet-hub', 'nva'), '10.50.1.4', { ipForwarding: true, publicIp: pipId('pip-nva') }),
    ]);
    const path = at(result, APP);
    expect(path.verdict).toBe('dropped');
    expect(path.via).toEqual([]);
    expect(kinds(path)).toEqual(['source', 'route', 'terminal']);
    const reason = terminal(path);
    expect(reason).toMatchObject({ kind: 'next-hop-not-carried', peering: { id: id(`${vnetId('vnet-spoke')}/virtualNetworkPeerings/vnet-spoke-to-vnet-hub`) } });
    expect(reason.kind === 'next-hop-not-carried' ? reason.reason : '').toContain('RemoteNotInSync');
    expect(codes(path)).toEqual(['next-hop-unreachable']);
    const last = explainPath(path).at(-1);
    expect(last?.explanation).toContain('10.50.1.4');
    expect(last?.explanation).toContain('RemoteNotInSync');
  });

  // https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering: with
  // peerCompleteVnets false only the named subnets are peered.
  it('subnet peering (peerCompleteVnets false) that does not include the NVA subnet → dropped, next-hop-unreachable', () => {
    for (const shape of SHAPES) {
      const result = resolveArm([
        vnetJson('vnet-hub', ['10.0.0.0/16'], [{ name: 'nva', prefix: '10.0.1.0/24' }, { name: 'mgmt', prefix: '10.0.9.0/24' }],
          [peeringJson('vnet-hub', 'vnet-spoke', { remoteAddressSpace: ['10.1.1.0/24'], peerCompleteVnets: false, localSubnetNames: ['mgmt'], remoteSubnetNames: ['app'] })]),
        vnetJson('vnet-spoke', ['10.1.0.0/16'], [{ name: 'app', prefix: '10.1.1.0/24', routeTable: rtId('rt-spoke') }],
          [peeringJson('vnet-spoke', 'vnet-hub', { remoteAddressSpace: ['10.0.9.0/24'], remoteVirtualNetworkAddressSpace: ['10.0.0.0/16'], peerCompleteVnets: false, localSubnetNames: ['app'], remoteSubnetNames: ['mgmt'] })]),
        defaultTo('rt-spoke', '10.0.1.4'),
        pipJson('pip-nva', '20.60.0.1'),
        nicJson('nva-nic', subnetId('vnet-hub', 'nva'), '10.0.1.4', { ipForwarding: true, publicIp: pipId('pip-nva') }),
      ], {}, shape);
      const path = at(result, APP);
      expect(path.verdict, shape).toBe('dropped');
      expect(path.via).toEqual([]);
      const reason = terminal(path);
      expect(reason.kind).toBe('next-hop-not-carried');
      expect(reason.kind === 'next-hop-not-carried' ? reason.reason : '').toContain('mgmt');
      expect(codes(path)).toEqual(['next-hop-unreachable']);
      expect(explainPath(path).at(-1)?.rule).toContain('not carried by peering');
    }
  });
});

// =============================================================================================
// 5. Appliance hops

/** Hub with an NVA subnet (and whatever else), spoke app routed to `nextHop`, peered both ways. */
function nvaEstate(nextHop: string, hubSubnets: readonly SubnetSpec[], resources: readonly Json[]): Json[] {
  return [
    vnetJson('vnet-hub', ['10.0.0.0/16'], hubSubnets, [peeringJson('vnet-hub', 'vnet-spoke', { remoteAddressSpace: ['10.1.0.0/16'] })]),
    vnetJson('vnet-spoke', ['10.1.0.0/16'], [{ name: 'app', prefix: '10.1.1.0/24', routeTable: rtId('rt-spoke') }], [peeringJson('vnet-spoke', 'vnet-hub', { remoteAddressSpace: ['10.0.0.0/16'] })]),
    defaultTo('rt-spoke', nextHop),
    ...resources,
  ];
}

const NVA_SUBNET = subnetId('vnet-hub', 'nva');
const NVA = { kind: 'nva', id: id(nicId('nva-nic')) } as const;

describe('5. appliance hops', () => {
  // https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works: for
  // inbound traffic Azure processes the subnet's NSG rules, then the NIC's; a matching Deny drops it.
  it('an inbound NSG on the NVA NIC that explicitly denies the internet destination → denied', () => {
    const nsg = nsgJson('nsg-nva', [
      { name: 'deny-internet-transit', priority: 100, direction: 'Inbound', access: 'Deny', sourceAddressPrefix: '*', destinationAddressPrefix: 'Internet' },
    ]);
    const result = resolveArm(nvaEstate('10.0.1.4', [{ name: 'nva', prefix: '10.0.1.0/24' }], [
      nsg, pipJson('pip-nva', '20.60.0.1'),
      nicJson('nva-nic', NVA_SUBNET, '10.0.1.4', { ipForwarding: true, publicIp: pipId('pip-nva'), nsg: String(nsg.id) }),
    ]));
    const path = at(result, APP);
    expect(path.verdict).toBe('denied');
    expect(path.via).toEqual([NVA]);
    expect(kinds(path)).toEqual(['source', 'route', 'virtual-appliance', 'nsg', 'terminal']);
    expect(stepOf(path, 'nsg')).toMatchObject({ attachedTo: 'NIC', direction: 'Inbound', access: 'Deny', rules: [{ name: 'deny-internet-transit' }] });
    expect(terminal(path)).toEqual({ kind: 'nsg-deny', nsg: { id: id(String(nsg.id)), name: 'nsg-nva' }, rules: ['deny-internet-transit'], direction: 'Inbound' });
    expect(hopText(path)).toContain('deny-internet-transit');
  });

  // Same page, and https://learn.microsoft.com/azure/virtual-network/service-tags-overview: the
  // default AllowVnetInBound admits VirtualNetwork → VirtualNetwork, and the VirtualNetwork tag
  // "might also contain default routes": whether it covers an internet destination is not in the
  // snapshot.
  it('an NVA NIC NSG with only Azure\'s default rules (no outbound deny) → unknown, the VirtualNetwork tag decides', () => {
    for (const shape of SHAPES) {
      const nsg = nsgJson('nsg-nva', []);
      const result = resolveArm(nvaEstate('10.0.1.4', [{ name: 'nva', prefix: '10.0.1.0/24' }], [
        nsg, pipJson('pip-nva', '20.60.0.1'),
        nicJson('nva-nic', NVA_SUBNET, '10.0.1.4', { ipForwarding: true, publicIp: pipId('pip-nva'), nsg: String(nsg.id) }),
      ]), {}, shape);
      const path = at(result, APP);
      expect(path.verdict, shape).toBe('unknown');
      expect(path.via).toEqual([NVA]);
      const inbound = path.steps.find((s): s is Extract<Step, { kind: 'nsg' }> => s.kind === 'nsg' && s.direction === 'Inbound');
      expect(inbound).toMatchObject({ attachedTo: 'NIC', access: 'Unknown' });
      expect(inbound?.rules.map((r) => r.name)).toContain('AllowVnetInBound');
      expect(path.steps.some((s) => s.kind === 'nsg' && s.access === 'Deny')).toBe(false);
      const reason = terminal(path);
      expect(reason.kind).toBe('undecided');
      expect(reason.kind === 'undecided' ? reason.missingFact : '').toContain('VirtualNetwork');
      expect(hopText(path)).toContain('VirtualNetwork service tag');
      expect(codes(path)).not.toContain('no-outbound');
    }
  });

  // https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview: an internal LB
  // balances the flows its rules carry; "HA ports load-balancing rules are configured when you set
  // the frontend and backend ports to 0 and the protocol to All", which carries all TCP and UDP flows.
  it('an internal LB next hop whose only rule is TCP 80 drops the default flow (TCP 443): ilb-no-rule', () => {
    const result = resolveArm(nvaEstate('10.0.1.100', [{ name: 'nva', prefix: '10.0.1.0/24' }], [
      ilbJson('ilb-nva', NVA_SUBNET, '10.0.1.100', [{ name: 'http-only', protocol: 'Tcp', port: 80 }]),
      pipJson('pip-nva', '20.60.0.1'),
      nicJson('nva-nic', NVA_SUBNET, '10.0.1.4', { ipForwarding: true, publicIp: pipId('pip-nva'), pools: [`${lbId('ilb-nva')}/backendAddressPools/nvas`] }),
    ]));
    const path = at(result, APP);
    expect(path.verdict).toBe('dropped');
    expect(path.via).toEqual([{ kind: 'internal-load-balancer', id: id(lbId('ilb-nva')) }]);
    expect(kinds(path)).toEqual(['source', 'route', 'internal-load-balancer', 'terminal']);
    expect(stepOf(path, 'internal-load-balancer').rule).toBeNull();
    expect(terminal(path)).toMatchObject({ kind: 'ilb-no-rule', loadBalancer: { id: id(lbId('ilb-nva')) }, flow: { protocol: 'Tcp', port: 443 } });
    expect(codes(path)).toEqual(['next-hop-unreachable']);
    const last = explainPath(path).at(-1);
    expect(last?.rule).toContain('no rule carries Tcp 443');
    expect(last?.explanation).toContain('HA-ports');
  });

  it('with an HA-ports rule (protocol All, ports 0) it continues, finding the NVA from the NIC-side pool membership', () => {
    for (const shape of SHAPES) {
      const result = resolveArm(nvaEstate('10.0.1.100', [{ name: 'nva', prefix: '10.0.1.0/24' }], [
        ilbJson('ilb-nva', NVA_SUBNET, '10.0.1.100', [{ name: 'ha-ports', protocol: 'All', port: 0 }]),
        pipJson('pip-nva', '20.60.0.1'),
        // Only the NIC lists the pool (loadBalancerBackendAddressPools); the LB pool lists nothing.
        nicJson('nva-nic', NVA_SUBNET, '10.0.1.4', { ipForwarding: true, publicIp: pipId('pip-nva'), pools: [`${lbId('ilb-nva')}/backendAddressPools/nvas`] }),
      ]), {}, shape);
      const path = at(result, APP);
      expect(path.verdict, shape).toBe('internet');
      expect(path.exit).toBe('public-ip');
      expect(path.egressIps).toEqual(['20.60.0.1']);
      expect(path.via).toEqual([{ kind: 'internal-load-balancer', id: id(lbId('ilb-nva')) }, NVA]);
      expect(stepOf(path, 'internal-load-balancer')).toMatchObject({ rule: { name: 'ha-ports', haPorts: true }, memberCount: 1, firstMember: 'nva-nic' });
      expect(kinds(path)).toEqual(['source', 'route', 'internal-load-balancer', 'virtual-appliance', 'route', 'public-ip', 'terminal']);
      expect(hopText(path)).toContain('HA-ports rule ha-ports');
    }
  });

  // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview: the NVA
  // forwards the traffic itself; https://learn.microsoft.com/azure/virtual-machines/windows/multiple-nics#configure-guest-os-for-multiple-nics:
  // "Azure assigns a default gateway to the first (primary) network interface ... Azure does not
  // assign a default gateway to additional (secondary) network interfaces": whether the appliance
  // sends from the untrusted NIC (its public IP) or the trusted one is its own routing, not in the
  // input. (This test expected the untrusted NIC's public IP until the NVA audit.)
  it('a two-NIC NVA VM (trusted NIC = next hop, untrusted NIC with a public IP) is unknown: which NIC sends is the appliance\'s own routing', () => {
    const vm = `${COMPUTE}/virtualMachines/vm-nva`;
    const result = resolveArm(nvaEstate('10.0.1.4', [{ name: 'trusted', prefix: '10.0.1.0/24' }, { name: 'untrusted', prefix: '10.0.2.0/24' }], [
      pipJson('pip-untrusted', '20.60.0.2'),
      nicJson('nva-nic', subnetId('vnet-hub', 'trusted'), '10.0.1.4', { ipForwarding: true, vm }),
      nicJson('nva-untrusted-nic', subnetId('vnet-hub', 'untrusted'), '10.0.2.4', { ipForwarding: true, vm, publicIp: pipId('pip-untrusted') }),
    ]));
    const path = at(result, APP);
    expect(path.verdict).toBe('unknown');
    expect(path.egressIps).toEqual([]);
    expect(path.via).toEqual([NVA]);
    const reason = terminal(path);
    expect(reason.kind === 'undecided' ? reason.missingFact : '').toContain('nva-untrusted-nic: public IP pip-untrusted');
    expect(result.gaps.find((g) => g.scope === id(nicId('nva-nic')))?.message).toContain('vm-nva');
  });

  // Same pages: which NIC the appliance's OS sends from is not visible to Azure; without a NIC that
  // can reach the internet the answer is not known from the snapshot, not "no way out".
  it('a two-NIC NVA where neither NIC has a public IP or a NAT gateway → unknown, never no-outbound', () => {
    const vm = `${COMPUTE}/virtualMachines/vm-nva`;
    const result = resolveArm(nvaEstate('10.0.1.4', [{ name: 'trusted', prefix: '10.0.1.0/24' }, { name: 'untrusted', prefix: '10.0.2.0/24' }], [
      nicJson('nva-nic', subnetId('vnet-hub', 'trusted'), '10.0.1.4', { ipForwarding: true, vm }),
      nicJson('nva-untrusted-nic', subnetId('vnet-hub', 'untrusted'), '10.0.2.4', { ipForwarding: true, vm }),
    ]));
    const path = at(result, APP);
    expect(path.verdict).toBe('unknown');
    expect(path.verdict).not.toBe('no-outbound');
    expect(path.via).toEqual([NVA]);
    const reason = terminal(path);
    expect(reason.kind).toBe('undecided');
    expect(reason.kind === 'undecided' ? reason.missingFact : '').toContain('none of them has a public IP or a NAT gateway');
    expect(codes(path)).not.toContain('no-outbound');
    expect(result.gaps.find((g) => g.scope === id(nicId('nva-nic')))?.message).toContain('vm-nva');
  });
});

// =============================================================================================
// 6. NSGs: application security groups, split denies, partial allows

describe('6. NSG edges', () => {
  // https://learn.microsoft.com/azure/virtual-network/application-security-groups: rules that name an
  // ASG as source apply only to NICs that are members of it.
  it('a subnet NSG denying Internet for source ASG asg-web: the member NIC gets its own entry, denied; the subnet entry is internet', () => {
    for (const shape of SHAPES) {
      const asgWeb = `${NET}/applicationSecurityGroups/asg-Web`;
      const nsg = nsgJson('nsg-app', [
        { name: 'deny-web-internet', priority: 100, direction: 'Outbound', access: 'Deny', destinationAddressPrefix: 'Internet', sourceApplicationSecurityGroups: [{ id: asgWeb }] },
      ]);
      const app = subnetId('vnet-app', 'app');
      const result = resolveArm([
        vnetJson('vnet-app', ['10.1.0.0/16'], [{ name: 'app', prefix: '10.1.1.0/24', nsg: String(nsg.id) }]),
        nsg,
        nicJson('vm-web-nic', app, '10.1.1.4', { asgs: [asgWeb.toLowerCase()] }),
        nicJson('vm-plain-nic', app, '10.1.1.5'),
      ], {}, shape);
      const web = at(result, nicId('vm-web-nic'));
      expect(web.source.type).toBe('nic');
      expect(web.verdict, shape).toBe('denied');
      expect(terminal(web)).toMatchObject({ kind: 'nsg-deny', rules: ['deny-web-internet'], direction: 'Outbound' });
      expect(hopText(web)).toContain('deny-web-internet');
      const subnetEntry = at(result, app);
      expect(subnetEntry.source.type).toBe('subnet');
      expect(subnetEntry.verdict).toBe('internet');
      expect(subnetEntry.exit).toBe('default-outbound');
      expect(stepOf(subnetEntry, 'nsg')).toMatchObject({ access: 'Allow', rules: [{ name: 'AllowInternetOutBound' }] });
      // The plain NIC follows the subnet entry: no entry of its own.
      expect(result.paths.some((p) => p.source.id === id(nicId('vm-plain-nic')))).toBe(false);
    }
  });

  // https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview: rules are
  // processed in priority order and the first match decides; two halves cover all of 0.0.0.0/0.
  it('two deny rules 0.0.0.0/1 + 128.0.0.0/1 deny the default route', () => {
    const nsg = nsgJson('nsg-halves', [
      { name: 'deny-low-half', priority: 100, direction: 'Outbound', access: 'Deny', destinationAddressPrefix: '0.0.0.0/1' },
      { name: 'deny-high-half', priority: 110, direction: 'Outbound', access: 'Deny', destinationAddressPrefix: '128.0.0.0/1' },
    ]);
    const result = resolveArm([vnetJson('vnet-app', ['10.1.0.0/16'], [{ name: 'app', prefix: '10.1.1.0/24', nsg: String(nsg.id) }]), nsg]);
    const path = at(result, subnetId('vnet-app', 'app'));
    expect(path.verdict).toBe('denied');
    expect(kinds(path)).toEqual(['source', 'nsg', 'terminal']);
    expect(terminal(path)).toMatchObject({ kind: 'nsg-deny', direction: 'Outbound' });
    const reason = terminal(path);
    expect(reason.kind === 'nsg-deny' ? [...reason.rules].sort() : []).toEqual(['deny-high-half', 'deny-low-half']);
    expect(hopText(path)).toContain('together deny');
  });

  // https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview (first match
  // by priority): an allow for 20.50.0.0/16 ahead of a deny of Internet lets only that range out.
  // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview: the subnet
  // without the route table reaches the internet directly, around the firewall its neighbour uses.
  it('an NSG allowing only 20.50.0.0/16 then denying Internet → internet restricted to 20.50.0.0/16; firewall-bypass raised', () => {
    const nsg = nsgJson('nsg-web', [
      { name: 'allow-partner', priority: 100, direction: 'Outbound', access: 'Allow', destinationAddressPrefix: '20.50.0.0/16', destinationPortRange: '443', protocol: 'Tcp' },
      { name: 'deny-internet', priority: 200, direction: 'Outbound', access: 'Deny', destinationAddressPrefix: 'Internet' },
    ]);
    const result = resolveArm(hubAndSpoke({
      policy: policyJson('fwp-hub', [groupId('fwp-hub', 'rcg-egress')]),
      extra: [groupJson('fwp-hub', 'rcg-egress', 200, [filterCollection('allow', 100, [allowHttps('https', ['10.0.0.0/8'])])]), nsg],
      spokeSubnets: [
        { name: 'app', prefix: '10.1.1.0/24', routeTable: rtId('rt-spoke') },
        { name: 'web', prefix: '10.1.2.0/24', nsg: String(nsg.id) },
      ],
    }));
    const web = at(result, subnetId('vnet-spoke', 'web'));
    expect(web.verdict).toBe('internet');
    expect(web.via).toEqual([]);
    expect(stepOf(web, 'nsg')).toMatchObject({ access: 'Partial', allowed: ['20.50.0.0/16'] });
    expect(terminal(web)).toMatchObject({ kind: 'egress', restrictedTo: ['20.50.0.0/16'] });
    const hops = explainPath(web);
    expect(hops.find((h) => h.kind === 'nsg')?.explanation).toContain('20.50.0.0/16');
    expect(hops.at(-1)?.rule).toBe('Internet (restricted)');
    expect(hops.at(-1)?.explanation).toContain('20.50.0.0/16');
    // app goes through the firewall: web is the way around it.
    expect(at(result, APP).via).toEqual([FIREWALL]);
    const bypass = result.findings.find((f) => f.code === 'firewall-bypass');
    expect(bypass?.resourceIds).toContain(id(subnetId('vnet-spoke', 'web')));
    expect(bypass?.message).toContain('web');
  });
});

// =============================================================================================
// 7. Destinations inside an address space

describe('7. what-if destinations inside an address space', () => {
  // https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview: the system route
  // for each VNet address range has next hop "Virtual network" (VnetLocal), whatever the range.
  it('an address in the VNet\'s own (public) address space → private, exit virtual-network', () => {
    for (const shape of SHAPES) {
      const result = resolveArm([vnetJson('vnet-app', ['10.1.0.0/16', '52.10.0.0/16'], [{ name: 'app', prefix: '10.1.1.0/24' }, { name: 'pub', prefix: '52.10.1.0/24' }])], { destination: '52.10.1.5' }, shape);
      const path = at(result, subnetId('vnet-app', 'app'));
      expect(path.verdict, shape).toBe('private');
      expect(path.exit).toBe('virtual-network');
      expect(path.egressIps).toEqual([]);
      expect(terminal(path)).toMatchObject({ kind: 'delivered-in-vnet', vnet: { id: id(vnetId('vnet-app')) }, addressPrefix: '52.10.0.0/16' });
      expect(codes(path)).not.toContain('default-outbound');
      expect(explainPath(path).at(-1)?.explanation).toContain('52.10.0.0/16');
    }
  });

  // https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview: peered VNets
  // reach each other over the Microsoft backbone (system route next hop "VNet peering").
  it('an address in a Connected peered VNet → private, exit peering', () => {
    const result = resolveArm([
      vnetJson('vnet-app', ['10.1.0.0/16'], [{ name: 'app', prefix: '10.1.1.0/24' }], [peeringJson('vnet-app', 'vnet-shared', { remoteAddressSpace: ['52.20.0.0/16'] })]),
      vnetJson('vnet-shared', ['52.20.0.0/16'], [{ name: 'svc', prefix: '52.20.3.0/24' }], [peeringJson('vnet-shared', 'vnet-app', { remoteAddressSpace: ['10.1.0.0/16'] })]),
    ], { destination: '52.20.3.4' });
    const path = at(result, subnetId('vnet-app', 'app'));
    expect(path.verdict).toBe('private');
    expect(path.exit).toBe('peering');
    expect(terminal(path)).toMatchObject({
      kind: 'delivered-over-peering', remoteVnet: { id: id(vnetId('vnet-shared')) },
      peering: { id: id(`${vnetId('vnet-app')}/virtualNetworkPeerings/vnet-app-to-vnet-shared`) }, addressPrefix: '52.20.0.0/16',
    });
    expect(explainPath(path).at(-1)?.rule).toContain('vnet-app-to-vnet-shared');
  });
});

// =============================================================================================
// 8. Platform edges

describe('8. platform edges', () => {
  // https://learn.microsoft.com/azure/private-link/private-endpoint-overview: a private endpoint is a
  // network interface that clients connect to; it initiates no outbound connections.
  it('a subnet holding only private-endpoint NICs on default outbound: its default-outbound finding is info', () => {
    for (const shape of SHAPES) {
      const pe = subnetId('vnet-app', 'pe');
      const result = resolveArm([
        vnetJson('vnet-app', ['10.1.0.0/16'], [{ name: 'pe', prefix: '10.1.9.0/24' }, { name: 'app', prefix: '10.1.1.0/24' }]),
        nicJson('pe-storage.nic.0001', pe, '10.1.9.4', { privateEndpoint: `${NET}/privateEndpoints/pe-storage` }),
        nicJson('pe-kv.nic.0002', pe, '10.1.9.5', { privateEndpoint: `${NET}/privateEndpoints/pe-kv` }),
        nicJson('vm-app-nic', subnetId('vnet-app', 'app'), '10.1.1.4'),
      ], {}, shape);
      const path = at(result, pe);
      expect(path.verdict, shape).toBe('internet');
      expect(path.exit).toBe('default-outbound');
      const finding = path.findings.find((f) => f.code === 'default-outbound');
      expect(finding?.severity).toBe('info');
      expect(finding?.message).toContain('private endpoints');
      // A subnet with a VM keeps the warning.
      expect(at(result, subnetId('vnet-app', 'app')).findings.find((f) => f.code === 'default-outbound')?.severity).toBe('warning');
    }
  });

  // https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies: without routing intent,
  // a secured hub (Firewall Manager) steers traffic with the hub's route tables.
  it('a classic secured hub (azureFirewall set, no routing intent, connection enableInternetSecurity true) → spoke unknown, gap naming the hub route tables', () => {
    const hub = hubId('vhub-weu');
    const result = resolveArm([
      vnetJson('vnet-spoke', ['10.1.0.0/16'], [{ name: 'app', prefix: '10.1.1.0/24' }]),
      {
        id: hub, name: 'vhub-weu', type: 'Microsoft.Network/virtualHubs', location: 'westeurope',
        properties: { virtualWan: { id: `${NET}/virtualWans/vwan` }, addressPrefix: '10.255.0.0/23', azureFirewall: { id: fwId('afw-vhub') }, sku: 'Standard' },
      },
      {
        id: `${hub}/hubVirtualNetworkConnections/conn-spoke`, name: 'conn-spoke', type: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
        properties: { remoteVirtualNetwork: { id: vnetId('vnet-spoke') }, enableInternetSecurity: true, allowHubToRemoteVnetTransit: true },
      },
      {
        id: fwId('afw-vhub'), name: 'afw-vhub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
        properties: {
          sku: { name: 'AZFW_Hub', tier: 'Standard' }, virtualHub: { id: hub },
          hubIPAddresses: { privateIPAddress: '10.255.0.132', publicIPs: { count: 1, addresses: [{ address: '20.70.0.1' }] } },
        },
      },
    ]);
    const path = at(result, subnetId('vnet-spoke', 'app'));
    expect(path.verdict).toBe('unknown');
    expect(path.exit).toBeNull();
    const reason = terminal(path);
    expect(reason).toMatchObject({ kind: 'undecided', resourceId: id(hub) });
    // The missing facts: the hub's route tables (and the connection's static routes), not exported.
    expect(reason.kind === 'undecided' ? reason.missingFact : '').toContain('virtual hub vhub-weu');
    expect(reason.kind === 'undecided' ? reason.missingFact : '').toContain('hub route tables');
    const gap = result.gaps.find((g) => g.scope === id(hub));
    expect(gap?.code).toBe('not-modelled');
    expect(gap?.message).toContain('route tables');
    expect(explainPath(path).at(-1)?.explanation).toContain('route tables');
  });

  // https://learn.microsoft.com/azure/firewall/integrate-with-nat-gateway and
  // https://learn.microsoft.com/azure/firewall/forced-tunneling: the firewall sends internet traffic
  // from its public IPs, or from a NAT gateway on AzureFirewallSubnet; with neither it has no way out.
  it('an Azure Firewall with no public IP on its data path and no NAT gateway, spoke routed to it → no-outbound', () => {
    for (const shape of SHAPES) {
      const result = resolveArm(hubAndSpoke({
        policy: policyJson('fwp-hub', [groupId('fwp-hub', 'rcg-egress')]),
        extra: [groupJson('fwp-hub', 'rcg-egress', 200, [filterCollection('allow', 100, [allowHttps('https', ['*'])])])],
        firewall: { publicIps: [] },
      }), {}, shape);
      const path = at(result, APP);
      expect(path.verdict, shape).toBe('no-outbound');
      expect(path.verdict).not.toBe('unknown');
      expect(path.exit).toBeNull();
      expect(path.via).toEqual([FIREWALL]);
      expect(kinds(path)).toEqual(['source', 'route', 'azure-firewall', 'firewall-rule', 'route', 'terminal']);
      expect(terminal(path)).toMatchObject({ kind: 'no-outbound-method', subnet: { id: id(subnetId('vnet-hub', 'AzureFirewallSubnet')) } });
      expect(codes(path)).toContain('no-outbound');
      expect(explainPath(path).at(-1)?.explanation).toContain('no public IP on its data path');
      // The firewall's own subnet says the same.
      expect(at(result, subnetId('vnet-hub', 'AzureFirewallSubnet')).verdict).toBe('no-outbound');
    }
  });

  // https://learn.microsoft.com/azure/firewall/management-nic: "This feature was previously called
  // Forced Tunneling ... it has been decoupled from Forced Tunneling"; "all Basic Firewall versions ...
  // always have a Management NIC enabled". A management NIC alone does not mean forced tunnelling.
  for (const tier of ['Basic', 'Standard'] as const) {
    it(`an Azure Firewall ${tier} with a managementIpConfiguration is not described as "forced-tunnel mode" in any hop`, () => {
      const result = resolveArm(hubAndSpoke({
        policy: policyJson('fwp-hub', [groupId('fwp-hub', 'rcg-egress')]),
        extra: [groupJson('fwp-hub', 'rcg-egress', 200, [filterCollection('allow', 100, [allowHttps('https', ['*'])])]), pipJson('pip-afw-mgmt', '20.10.0.9')],
        hubSubnets: [{ name: 'AzureFirewallSubnet', prefix: '10.0.1.0/26' }, { name: 'AzureFirewallManagementSubnet', prefix: '10.0.2.0/26' }],
        firewall: { tier, management: { subnet: subnetId('vnet-hub', 'AzureFirewallManagementSubnet'), publicIp: pipId('pip-afw-mgmt') } },
      }));
      const spoke = at(result, APP);
      expect(spoke.verdict).toBe('internet');
      expect(spoke.egressIps).toEqual([FW_PIP]);
      const fwStep = stepOf(spoke, 'azure-firewall');
      expect(fwStep.skuTier).toBe(tier);
      for (const path of result.paths) {
        for (const hop of explainPath(path)) {
          expect(`${hop.rule} ${hop.explanation}`, `${path.source.name}: ${hop.rule}`).not.toMatch(/forced[- ]tunnel(?:l?ing)?[- ]mode/i);
        }
      }
      // Nor in what any of those paths say about the firewall's own egress.
      expect(at(result, subnetId('vnet-hub', 'AzureFirewallManagementSubnet')).verdict).toBe('internet');
    });
  }
});

