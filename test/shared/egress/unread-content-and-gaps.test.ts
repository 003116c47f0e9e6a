/**
 * Inputs that say nothing of a resource's rules, and the gaps of resources where unknown paths
 * stop: a confident verdict never rests on a copy without its content, and a gap never states one
 * source's missing fact for another's path.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm, type ArmDocument } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { terminalOf } from '../../../shared/egress/steps';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import type { ServiceTagSet } from '../../../shared/model/service-tags';

const pathOf = (r: ResolveResult, id: string): EgressPath | undefined => r.paths.find((p) => p.source.id.toLowerCase() === id.toLowerCase());

function undecidedFacts(result: ResolveResult): { readonly source: string; readonly scope: string; readonly fact: string }[] {
  return result.paths.flatMap((p) => {
    const reason = terminalOf(p.steps).reason;
    return p.verdict === 'unknown' && reason.kind === 'undecided' ? [{ source: p.source.name, scope: reason.resourceId, fact: reason.missingFact }] : [];
  });
}

// ---------------------------------------------------------------------------------------------
// e9d8abe: a child listed on its own without its properties

describe('a rule collection group listed on its own without its rules', () => {
  const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
  const N = `${SUB}/resourceGroups/rg/providers/Microsoft.Network`;
  const HUB = `${N}/virtualHubs/hub1`;
  const FW = `${N}/azureFirewalls/fw-hub`;
  const POLICY = `${N}/firewallPolicies/pol`;
  const RCG = `${POLICY}/ruleCollectionGroups/rcg`;
  const SPOKE = `${N}/virtualNetworks/spoke`;
  const APP = `${SPOKE}/subnets/app`;

  /** A secured Virtual WAN hub (routing intent Internet → its firewall) with one spoke; `group` is the policy's rule collection group. */
  function estate(group: unknown): unknown[] {
    return [
      { id: SPOKE, name: 'spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
        properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ id: APP, name: 'app', properties: { addressPrefix: '10.1.1.0/24' } }] } },
      { id: HUB, name: 'hub1', type: 'Microsoft.Network/virtualHubs', location: 'westeurope',
        properties: { addressPrefix: '10.100.0.0/23', virtualWan: { id: `${N}/virtualWans/wan` }, azureFirewall: { id: FW }, routeTable: { routes: [] }, virtualHubRouteTableV2s: [], expressRouteGateway: null, vpnGateway: null } },
      { id: `${HUB}/hubVirtualNetworkConnections/spoke-conn`, name: 'spoke-conn', type: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
        properties: { provisioningState: 'Succeeded', enableInternetSecurity: true, remoteVirtualNetwork: { id: SPOKE },
          routingConfiguration: { associatedRouteTable: { id: `${HUB}/hubRouteTables/defaultRouteTable` }, propagatedRouteTables: { ids: [{ id: `${HUB}/hubRouteTables/defaultRouteTable` }], labels: ['default'] }, vnetRoutes: { staticRoutes: [] } } } },
      { id: FW, name: 'fw-hub', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
        properties: { sku: { name: 'AZFW_Hub', tier: 'Standard' }, virtualHub: { id: HUB }, firewallPolicy: { id: POLICY }, hubIPAddresses: { privateIPAddress: '10.100.0.132', publicIPs: { count: 1, addresses: [{ address: '20.5.5.5' }] } } } },
      { id: POLICY, name: 'pol', type: 'Microsoft.Network/firewallPolicies', location: 'westeurope', properties: { ruleCollectionGroups: [{ id: RCG }] } },
      group,
      { id: `${HUB}/routingIntent/ri`, name: 'ri', type: 'Microsoft.Network/virtualHubs/routingIntent',
        properties: { routingPolicies: [{ name: 'InternetTraffic', destinations: ['Internet'], nextHop: FW }] } },
      { id: `${HUB}/hubRouteTables/defaultRouteTable`, name: 'defaultRouteTable', type: 'Microsoft.Network/virtualHubs/hubRouteTables',
        properties: { labels: ['default'], routes: [{ name: '_policy_InternetTraffic', destinationType: 'CIDR', destinations: ['0.0.0.0/0'], nextHopType: 'ResourceId', nextHop: FW }] } },
    ];
  }

  function resolveWith(group: unknown): ResolveResult {
    const n = normalizeArm([{ fileName: 'export.json', json: estate(group) }] as readonly ArmDocument[]);
    return resolveEgress({ model: n.model, effectiveRoutes: n.effectiveRoutes, metrics: [], gaps: n.gaps });
  }

  // A copy without `ruleCollections` (an identity-only projection, `--query "[].{id:id,name:name}"`)
  // says nothing of the group's rules: read as empty, its policy would be complete and deny all
  // [FWRULES] https://learn.microsoft.com/azure/firewall/rule-processing. It is malformed, and its
  // policy is left out with it, as with `"properties": null`.
  it('an identity-only rule collection group (no properties, no ruleCollections) does not make the firewall deny everything', () => {
    const control = resolveWith({ id: RCG, name: 'rcg', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: null });
    expect(pathOf(control, APP)?.verdict).toBe('unknown');
    const result = resolveWith({ id: RCG, name: 'rcg', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups' });
    expect(pathOf(result, APP)?.verdict).toBe('unknown');
    const empty = resolveWith({ id: RCG, name: 'rcg', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: {} });
    expect(pathOf(empty, APP)?.verdict).toBe('unknown');
    // An empty group as ARM prints it (`ruleCollections: []`) is loaded: the policy has no rules, default deny.
    const none = resolveWith({ id: RCG, name: 'rcg', type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { priority: 100, ruleCollections: [] } });
    expect(pathOf(none, APP)?.verdict).toBe('denied');
  });
});

// ---------------------------------------------------------------------------------------------
// d3330de: a resource's gap lists each distinct missing fact

describe('the gap of a resource where unknown paths stop', () => {
  const NET = '/subscriptions/00000000-0000-0000-0000-0000000000bb/resourceGroups/rg-net/providers/Microsoft.Network';
  const POLICY_ID = `${NET}/serviceEndpointPolicies/only-stapproved`;
  const STORAGE: ServiceTagSet = {
    changeNumber: 3, cloud: 'Public',
    tags: [{ name: 'Storage', region: '', systemService: 'AzureStorage', addressPrefixes: ['20.60.0.0/16'], networkFeatures: ['UDR'] }],
  };

  /** One VNet whose subnets all have a Storage service endpoint and the same service endpoint policy (whose definitions are not in the input). */
  function vnetWithPolicySubnets(count: number): unknown {
    const subnets = Array.from({ length: count }, (_, i) => ({
      id: `${NET}/virtualNetworks/v/subnets/app${i + 1}`, name: `app${i + 1}`,
      properties: { addressPrefix: `10.1.${i + 1}.0/24`, serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['*'], provisioningState: 'Succeeded' }], serviceEndpointPolicies: [{ id: POLICY_ID }] },
    }));
    return { id: `${NET}/virtualNetworks/v`, name: 'v', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets } };
  }

  function resolveTo(count: number, destination: string): ResolveResult {
    const n = normalizeArm([{ fileName: 'vnet.json', json: [vnetWithPolicySubnets(count)] }]);
    return resolveEgress({ model: n.model, effectiveRoutes: [], metrics: [], gaps: n.gaps, serviceTags: STORAGE }, { destination });
  }

  // With an address what-if the walk itself adds the policy's gap for the first subnet
  // (servicePolicyUnknown); the second subnet's fact is added to it, not lost.
  it('a service endpoint policy shared by two subnets, what-if to a Storage address: the policy\'s gap names each subnet\'s fact', () => {
    const result = resolveTo(2, '20.60.4.4');
    const facts = undecidedFacts(result);
    expect(facts.map((f) => f.source).sort()).toEqual(['app1', 'app2']);
    for (const f of facts) {
      const listed = result.gaps.filter((g) => g.scope === f.scope).some((g) => g.message.includes(f.fact));
      expect(listed, `the gap for ${f.scope} should list ${f.source}'s missing fact: ${f.fact}`).toBe(true);
    }
  });

  // README: a resource's gap lists up to 10 distinct facts, the rest counted (a shared resource
  // at 20,000 subnets may have thousands); each path's last hop names its own.
  it('twelve subnets stopping at one policy (FQDN what-if): ten facts listed, two counted', () => {
    const result = resolveTo(12, 'stother.blob.core.windows.net');
    const facts = undecidedFacts(result);
    expect(facts).toHaveLength(12);
    const unlisted = facts.filter((f) => !result.gaps.some((g) => g.scope === f.scope && g.message.includes(f.fact))).map((f) => f.source);
    expect(unlisted).toHaveLength(2);
    expect(result.gaps.find((g) => g.scope === facts[0]?.scope && /and 2 more \(each unknown path's last hop names its own\)$/.test(g.message))).toBeDefined();
  });
});
