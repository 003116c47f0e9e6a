/**
 * Service tags in UDRs and NSG rules, service endpoints (and their policies), and how destinations
 * naming the internet, CSV destination lists and internationalised URLs are read.
 * [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes
 * [SE] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 * [SEP] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview
 * [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { parseDestinationSpec } from '../../../shared/egress/destination-spec';
import { parseDestinationList } from '../../../shared/egress/matrix';
import { terminalOf } from '../../../shared/egress/steps';
import type { EgressPath } from '../../../shared/egress/types';
import type { ResourceId } from '../../../shared/model/ids';
import { parseIp, type IpAddress } from '../../../shared/model/ip';
import { buildModelIndex } from '../../../shared/model/model-index';
import { buildServiceTagIndex, type ServiceTagSet } from '../../../shared/model/service-tags';
import type { NetworkModel, Subnet } from '../../../shared/model/topology';
import { lookupRoute, type RouteLookup } from '../../../shared/routing/lpm';
import { RouteSetBuilder } from '../../../shared/routing/subnet-routes';
import { effectiveRoute, ModelBuilder, securityRule } from '../../support/model-builder';
import { pathOf, resolve } from './support';

/** Every tag holds 13.69.40.0/24: the UDR tie rules decide between routes on it. */
const UDR_DATA: ServiceTagSet = {
  changeNumber: 1, cloud: 'Public',
  tags: [
    { name: 'Storage', region: '', systemService: 'AzureStorage', addressPrefixes: ['13.69.40.0/24', '20.150.0.0/16'], networkFeatures: ['UDR'] },
    { name: 'Storage.WestEurope', region: 'westeurope', systemService: 'AzureStorage', addressPrefixes: ['13.69.40.0/24'], networkFeatures: ['UDR'] },
    { name: 'AzureCloud.westeurope', region: 'westeurope', systemService: '', addressPrefixes: ['13.69.40.0/24'], networkFeatures: ['UDR'] },
    { name: 'AzureCloud', region: '', systemService: '', addressPrefixes: ['13.69.40.0/24'], networkFeatures: ['UDR'] },
  ],
};

type RouteIn = { name: string; prefix: string; nextHopType: string; nextHopIp?: string };

function udrLookup(routes: RouteIn[], ip: string): RouteLookup {
  const b = new ModelBuilder();
  const v = b.vnet('v', ['10.0.0.0/16']);
  const rt = b.routeTable('rt', routes);
  const s = b.subnet(v, 's', '10.0.1.0/24', { routeTableId: rt });
  const model = b.build();
  const set = new RouteSetBuilder(buildModelIndex(model), [], buildServiceTagIndex(UDR_DATA)).routesFor(model.subnets.find((x) => x.id === s) as Subnet);
  return lookupRoute(set.routes, { kind: 'address', ip: parseIp(ip) as IpAddress });
}

function udrWinner(routes: RouteIn[], ip: string): string | undefined {
  return udrLookup(routes, ip).winner?.name;
}

function resolveWith(model: NetworkModel, destination: string, serviceTags?: ServiceTagSet) {
  return resolveEgress({ model, serviceTags, effectiveRoutes: [], metrics: [], gaps: [] }, { destination });
}

function missingFact(path: EgressPath): string {
  const reason = terminalOf(path.steps).reason;
  return reason.kind === 'undecided' ? reason.missingFact : `(not undecided: ${reason.kind})`;
}

function withPolicies(model: NetworkModel, subnetId: ResourceId, policyIds: readonly ResourceId[]): NetworkModel {
  return { ...model, subnets: model.subnets.map((s) => (s.id === subnetId ? { ...s, serviceEndpointPolicyIds: policyIds } : s)) };
}

describe('UDRs on service tags: Azure\'s tie rules for exactly the same prefix', () => {
  // [UDR] "If there are exact prefix matches between a route with an explicit IP prefix and a route
  // with a Service Tag, then preference is given to the route with the explicit prefix."
  // (egress-rules.md §2.3: "the explicit route wins")
  it('an explicit-CIDR UDR beats a service-tag UDR with exactly the same prefix, whatever the order in the table', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const rt = b.routeTable('rt', [
      { name: 'storage-blackhole', prefix: 'Storage', nextHopType: 'None' },
      { name: 'pin-storage-weu', prefix: '13.69.40.0/24', nextHopType: 'Internet' },
    ]);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.9.9.9')] });
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: rt, natGatewayId: nat });
    const path = pathOf(resolveWith(b.build(), '13.69.40.10', UDR_DATA), s);
    // The explicit /24 → Internet wins: out through the NAT gateway, not dropped by the tag's None route.
    expect({ verdict: path.verdict, exit: path.exit }).toEqual({ verdict: 'internet', exit: 'nat-gateway' });
  });

  it('says why the service-tag route lost', () => {
    const found = udrLookup([
      { name: 'storage-blackhole', prefix: 'Storage', nextHopType: 'None' },
      { name: 'pin-storage-weu', prefix: '13.69.40.0/24', nextHopType: 'Internet' },
    ], '13.69.40.10');
    expect(found.winner?.name).toBe('pin-storage-weu');
    expect(found.candidates.find((c) => c.route.name === 'storage-blackhole')?.lostBecause).toBe('same prefix: a UDR on an explicit prefix beats one on service tag Storage');
  });

  it('leaves longest-prefix match first: a tag route on a longer prefix still beats a shorter explicit one', () => {
    expect(udrWinner([
      { name: 'broad', prefix: '13.69.0.0/16', nextHopType: 'Internet' },
      { name: 'storage-top', prefix: 'Storage', nextHopType: 'None' },
    ], '13.69.40.10')).toBe('storage-top');
  });

  // [UDR] "If multiple routes with Service Tags have matching IP prefixes, routes are evaluated in the
  // following order: Regional tags (for example, Storage.EastUS ...), Top level tags (for example,
  // Storage ...), AzureCloud regional tags (...), The AzureCloud tag" (egress-rules.md §2.3)
  it('a regional tag route beats a top-level tag route on the same prefix', () => {
    expect(udrWinner([
      { name: 'storage-top', prefix: 'Storage', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' },
      { name: 'storage-weu', prefix: 'Storage.WestEurope', nextHopType: 'Internet' },
    ], '13.69.40.10')).toBe('storage-weu');
  });

  it('a top-level tag beats AzureCloud.<region>, which beats AzureCloud, on the same prefix', () => {
    expect(udrWinner([
      { name: 'azurecloud-weu', prefix: 'AzureCloud.westeurope', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' },
      { name: 'storage-top', prefix: 'Storage', nextHopType: 'Internet' },
    ], '13.69.40.10')).toBe('storage-top');
    expect(udrWinner([
      { name: 'azurecloud', prefix: 'AzureCloud', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.0.4' },
      { name: 'azurecloud-weu', prefix: 'AzureCloud.westeurope', nextHopType: 'Internet' },
    ], '13.69.40.10')).toBe('azurecloud-weu');
  });
});

describe('UDRs on service tags whose prefixes the input lacks', () => {
  /**
   * "You can now specify a service tag as the address prefix for a user-defined route instead of an
   * explicit IP range" [UDR virtual-networks-udr-overview.md#service-tags-for-user-defined-routes];
   * egress-rules.md §2.3. Without the tag's prefixes the route never matches here, but in Azure it
   * carries them: 20.50.0.1 may well be in AzureCloud.westeurope (whose route drops it), so the
   * answer depends on a fact the input lacks and the verdict is unknown, as for a service endpoint
   * whose tag prefixes are missing (uncertainServiceEndpoint), not `internet`.
   */
  function tagRoute(nextHopType: string, extra: readonly RouteIn[] = []) {
    const b = new ModelBuilder();
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    const rt = b.routeTable('rt', [{ name: 'drop-azure-weu', prefix: 'AzureCloud.westeurope', nextHopType }, ...extra]);
    const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    b.nic(app, 'vm1', '10.1.1.4');
    return { model: b.build(), app };
  }
  const WEU: ServiceTagSet = { changeNumber: 9, cloud: 'Public', tags: [
    { name: 'AzureCloud.westeurope', region: 'westeurope', systemService: '', addressPrefixes: ['20.50.0.0/16'], networkFeatures: ['UDR'] },
  ] };
  /** Data that lists the top-level AzureCloud tag but not AzureCloud.westeurope. */
  const TOP_ONLY: ServiceTagSet = { changeNumber: 10, cloud: 'Public', tags: [
    { name: 'AzureCloud', region: '', systemService: '', addressPrefixes: ['20.0.0.0/8'], networkFeatures: ['UDR'] },
  ] };

  it('a what-if to a public address is unknown when an unexpanded tag route (→ None) may cover it, naming the tag', () => {
    const { model, app } = tagRoute('None');
    const path = pathOf(resolveWith(model, '20.50.0.1'), app);
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('AzureCloud.westeurope');
    expect(missingFact(path)).toContain('--service-tags');
  });

  it('with the tag\'s prefixes the route is expanded as before: dropped inside the tag, internet outside it', () => {
    const { model, app } = tagRoute('None');
    expect(pathOf(resolveWith(model, '20.50.0.1', WEU), app).verdict).toBe('dropped');
    expect(pathOf(resolveWith(model, '8.8.8.8', WEU), app).verdict).toBe('internet');
  });

  it('data that lacks the regional tag bounds it by the top-level tag it lists', () => {
    const { model, app } = tagRoute('None');
    const inside = pathOf(resolveWith(model, '20.50.0.1', TOP_ONLY), app);
    expect(inside.verdict).toBe('unknown');
    expect(missingFact(inside)).toContain('change number 10');
    // 8.8.8.8 is in no AzureCloud prefix, so in no AzureCloud.<region> one either.
    expect(pathOf(resolveWith(model, '8.8.8.8', TOP_ONLY), app).verdict).toBe('internet');
  });

  it('does not hold up an answer the tag route would not change, nor what no tag route can decide', () => {
    // → Internet ends as the system default route does.
    const same = tagRoute('Internet');
    expect(pathOf(resolveWith(same.model, '20.50.0.1'), same.app).verdict).toBe('internet');
    const { model, app } = tagRoute('None', [{ name: 'pin', prefix: '20.50.0.1/32', nextHopType: 'Internet' }]);
    // An explicit single-address UDR beats a tag route on the same prefix [UDR].
    expect(pathOf(resolveWith(model, '20.50.0.1'), app).verdict).toBe('internet');
    // The internet as a whole is decided by 0.0.0.0/0, which no tag route is; tags hold public ranges only [TAG].
    expect(pathOf(resolveWith(model, 'internet'), app).verdict).toBe('internet');
    expect(pathOf(resolveWith(model, '10.1.1.4'), app).verdict).toBe('private');
  });
});

describe('service endpoints with partial service tag data', () => {
  // Tag data that lists Storage and Storage.WestEurope but not Storage.NorthEurope (e.g. one page
  // of serviceTagDetails, which parseServiceTags accepts).
  const PARTIAL: ServiceTagSet = {
    changeNumber: 7, cloud: 'Public',
    tags: [
      { name: 'Storage', region: '', systemService: 'AzureStorage', addressPrefixes: ['20.60.0.0/16', '20.150.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] },
      { name: 'Storage.WestEurope', region: 'westeurope', systemService: 'AzureStorage', addressPrefixes: ['20.60.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] },
    ],
  };

  function blackholedSubnet(locations: string[]): { model: NetworkModel; subnet: ResourceId } {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.1.0.0/16']);
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'None' }]);
    const subnet = b.subnet(v, 'app', '10.1.1.0/24', { routeTableId: rt, serviceEndpoints: [{ service: 'Microsoft.Storage', locations }] });
    return { model: b.build(), subnet };
  }

  // [SE] the endpoint's routes carry the service's prefixes for its locations and "can't be
  // overridden, even by a route table" (egress-rules.md §2.5.3; destinations.md §3.7). One location's
  // prefixes missing from the data does not remove the routes of the locations the data does list,
  // and an address the missing location may hold is not known, not confidently dropped.
  it('a location whose regional tag the data lacks does not cancel the endpoint for the listed regions', () => {
    const { model, subnet } = blackholedSubnet(['westeurope', 'northeurope']);
    // 20.60.4.4 is Storage.WestEurope: the service endpoint route takes it.
    expect(pathOf(resolveWith(model, '20.60.4.4', PARTIAL), subnet)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    // 20.150.4.4 is Storage outside West Europe: it may be North Europe's (not in the data): unknown.
    expect(pathOf(resolveWith(model, '20.150.4.4', PARTIAL), subnet).verdict).toBe('unknown');
  });

  it('names the missing regional tag in the unknown path and in a gap', () => {
    const { model, subnet } = blackholedSubnet(['westeurope', 'northeurope']);
    const result = resolveWith(model, '20.150.4.4', PARTIAL);
    expect(missingFact(pathOf(result, subnet))).toContain('Storage.northeurope');
    expect(result.gaps.some((g) => g.scope === subnet && g.message.includes('Storage.northeurope'))).toBe(true);
  });

  it('an address outside the service\'s tag is not held up by the missing region', () => {
    const { model, subnet } = blackholedSubnet(['westeurope', 'northeurope']);
    // 8.8.8.8 is in no Storage tag: the 0/0 → None UDR drops it.
    expect(pathOf(resolveWith(model, '8.8.8.8', PARTIAL), subnet).verdict).toBe('dropped');
  });

  it('subnets of one VNet and route table with different endpoint locations get different routes', () => {
    const PER_REGION: ServiceTagSet = { ...PARTIAL, tags: [...PARTIAL.tags,
      { name: 'Storage.NorthEurope', region: 'northeurope', systemService: 'AzureStorage', addressPrefixes: ['20.150.0.0/16'], networkFeatures: ['UDR'] }] };
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.1.0.0/16']);
    const rt = b.routeTable('rt', [{ prefix: '0.0.0.0/0', nextHopType: 'None' }]);
    const weu = b.subnet(v, 'weu', '10.1.1.0/24', { routeTableId: rt, serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['westeurope'] }] });
    const neu = b.subnet(v, 'neu', '10.1.2.0/24', { routeTableId: rt, serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['northeurope'] }] });
    const result = resolveWith(b.build(), '20.150.4.4', PER_REGION);
    expect(pathOf(result, weu).verdict).toBe('dropped');
    expect(pathOf(result, neu)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
  });
});

describe('service endpoint policies', () => {
  const NET = '/subscriptions/00000000-0000-0000-0000-0000000000bb/resourceGroups/rg-net/providers/Microsoft.Network';
  const STORAGE: ServiceTagSet = {
    changeNumber: 3, cloud: 'Public',
    tags: [
      { name: 'Storage', region: '', systemService: 'AzureStorage', addressPrefixes: ['20.60.0.0/16'], networkFeatures: ['UDR'] },
      { name: 'Sql', region: '', systemService: 'AzureSQL', addressPrefixes: ['40.68.0.0/16'], networkFeatures: ['UDR'] },
    ],
  };

  function armVnet(subnetProperties: Record<string, unknown>): unknown {
    return {
      id: `${NET}/virtualNetworks/v`, name: 'v', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: {
        addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
        subnets: [{ id: `${NET}/virtualNetworks/v/subnets/app`, name: 'app', properties: { addressPrefix: '10.1.1.0/24', ...subnetProperties } }],
      },
    };
  }

  // [SEP] "Virtual network service endpoint policies enable you to filter egress virtual network
  // traffic to Azure Storage accounts over service endpoint, and allow data exfiltration to only
  // specific Azure Storage accounts." "Once a policy is configured on that subnet, only the resources
  // specified in the policy can be accessed ... Access to all other storage accounts will be denied."
  // destinations.md §3.7 lists `serviceEndpointPolicies` as a subnet input. The subnet's policy is
  // not in the input, so whether stother is allowed is not known: never a confident "private".
  it('a subnet with a service endpoint policy is not confidently reaching any storage account', () => {
    const vnet = armVnet({
      serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['*'], provisioningState: 'Succeeded' }],
      serviceEndpointPolicies: [{ id: `${NET}/serviceEndpointPolicies/only-stapproved` }],
    });
    const normalized = normalizeArm([{ fileName: 'vnet.json', json: [vnet] }]);
    const result = resolveEgress({ model: normalized.model, effectiveRoutes: [], metrics: [], gaps: normalized.gaps }, { destination: 'stother.blob.core.windows.net' });
    const path = result.paths.find((p) => p.source.type === 'subnet') as EgressPath;
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('only-stapproved');
  });

  it('reads serviceEndpointPolicies from ARM into the subnet (absent when there are none)', () => {
    const withPolicy = normalizeArm([{ fileName: 'vnet.json', json: [armVnet({ serviceEndpointPolicies: [{ id: `${NET}/serviceEndpointPolicies/only-stapproved` }] })] }]);
    expect(withPolicy.model.subnets[0]?.serviceEndpointPolicyIds).toEqual([`${NET}/serviceEndpointPolicies/only-stapproved`.toLowerCase()]);
    const without = normalizeArm([{ fileName: 'vnet.json', json: [armVnet({})] }]);
    expect(without.model.subnets[0]?.serviceEndpointPolicyIds).toBeUndefined();
  });

  it('an address taken by the Storage endpoint route is unknown under a policy, naming it', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.1.0.0/16']);
    const s = b.subnet(v, 'app', '10.1.1.0/24', { serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['*'] }] });
    const policy = `${NET}/serviceendpointpolicies/only-stapproved` as ResourceId;
    const result = resolveWith(withPolicies(b.build(), s, [policy]), '20.60.1.1', STORAGE);
    expect(pathOf(result, s).verdict).toBe('unknown');
    expect(missingFact(pathOf(result, s))).toContain('only-stapproved');
    expect(result.gaps.some((g) => g.scope === policy)).toBe(true);
  });

  it('also when the endpoint route comes from captured effective routes (which do not name the service)', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.1.0.0/16']);
    const s = b.subnet(v, 'app', '10.1.1.0/24', { serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['*'] }] });
    const nic = b.nic(s, 'vm-nic', '10.1.1.4');
    const model = withPolicies(b.build(), s, [`${NET}/serviceendpointpolicies/only-stapproved` as ResourceId]);
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [
      effectiveRoute('10.1.0.0/16', 'VnetLocal'), effectiveRoute('0.0.0.0/0', 'Internet'), effectiveRoute('20.60.0.0/16', 'VirtualNetworkServiceEndpoint'),
    ] }];
    const result = resolveEgress({ model, effectiveRoutes, metrics: [], gaps: [] }, { destination: '20.60.1.1' });
    expect(pathOf(result, s).verdict).toBe('unknown');
  });

  it('does not touch a non-Storage endpoint: policies filter Azure Storage only', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.1.0.0/16']);
    const s = b.subnet(v, 'app', '10.1.1.0/24', { serviceEndpoints: [{ service: 'Microsoft.Sql', locations: ['*'] }] });
    const result = resolveWith(withPolicies(b.build(), s, [`${NET}/serviceendpointpolicies/p` as ResourceId]), '40.68.1.1', STORAGE);
    expect(pathOf(result, s)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
  });
});

describe('a SQL Managed Instance name from a subnet with a Microsoft.Sql service endpoint', () => {
  // [SE] lists SQL Database and Synapse Analytics for Microsoft.Sql, not SQL Managed Instance,
  // whose public endpoint is its own virtual cluster's address: the endpoint's routes may or may not
  // carry it, so the path is unknown; a SQL Database server name (one label) still goes over it.
  const b = new ModelBuilder();
  const v = b.vnet('v', ['10.1.0.0/16']);
  const s = b.subnet(v, 'app', '10.1.1.0/24', { serviceEndpoints: [{ service: 'Microsoft.Sql', locations: ['*'] }] });
  const model = b.build();

  it.each(['sqlmi1.a1b2c3d4e5f6.database.windows.net', 'sqlmi1.public.a1b2c3d4e5f6.database.windows.net'])('%s is unknown, naming the missing fact', (name) => {
    const path = pathOf(resolve(model, { destination: name }), s);
    expect(path.verdict).toBe('unknown');
    expect(JSON.stringify(path)).toMatch(/Managed Instance/);
  });

  it.each(['sqlsrv1.database.windows.net', 'fog1.secondary.database.windows.net'])('a SQL Database name (server, failover group read-only listener) %s goes over the endpoint', (name) => {
    expect(pathOf(resolve(model, { destination: name }), s)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
  });
});

describe('the Internet tag in NSG rules', () => {
  // [TAG] Internet: "The IP address space that's outside the virtual network and reachable by the
  // public internet" (egress-rules.md §7). A VNet may use public ranges as its address space; its
  // own range (and a peered VNet's) is inside the VirtualNetwork tag, not the Internet tag, so a
  // Deny on Internet does not drop traffic to another subnet of the same VNet.
  it('Deny Internet does not drop traffic to the VNet\'s own (public-range) address space', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['20.0.0.0/16']);
    const nsg = b.nsg('nsg', [securityRule('deny-internet', 100, 'Deny', 'Internet')]);
    const a = b.subnet(v, 'a', '20.0.1.0/24', { networkSecurityGroupId: nsg });
    b.subnet(v, 'b', '20.0.2.0/24');
    const model = b.build();
    expect(pathOf(resolve(model, { destination: '20.0.2.4' }), a).verdict).toBe('private');
    // Still denied for a real internet address.
    expect(pathOf(resolve(model, { destination: '8.8.8.8' }), a).verdict).toBe('denied');
  });

  it('nor to a directly peered VNet\'s public-range address space', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const w = b.vnet('w', ['20.5.0.0/16']);
    b.peer(v, w);
    const nsg = b.nsg('nsg', [securityRule('deny-internet', 100, 'Deny', 'Internet')]);
    const a = b.subnet(v, 'a', '10.0.1.0/24', { networkSecurityGroupId: nsg });
    b.subnet(w, 'b', '20.5.2.0/24');
    expect(pathOf(resolve(b.build(), { destination: '20.5.2.4' }), a).verdict).toBe('private');
  });
});

describe('destinations naming the internet, destination lists and internationalised URLs', () => {
  // The parser reads `internet` as the default route ("the internet" as a whole); the Internet tag is
  // never in the service tag data ("Tags such as Internet, VirtualNetwork, AzureLoadBalancer are not
  // in the file", destinations.md §4.1), so reading `Internet:53/udp` or `tag:Internet` as a service
  // tag means it is never evaluated.
  it('Internet with a port / protocol, or as tag:Internet, is the internet (default route)', () => {
    for (const text of ['Internet:53/udp', 'internet/udp', 'tag:Internet', 'tag:internet:53/udp']) {
      const parsed = parseDestinationSpec(text);
      expect(parsed.kind === 'ok' ? parsed.spec.target.kind : parsed.message, text).toBe('default-route');
    }
    const dns = parseDestinationSpec('Internet:53/udp');
    expect(dns.kind === 'ok' ? [dns.spec.port, dns.spec.protocol] : null).toEqual([53, 'Udp']);
    const tagged = parseDestinationSpec('tag:Internet:53/udp');
    expect(tagged.kind === 'ok' ? [tagged.spec.port, tagged.spec.protocol] : null).toEqual([53, 'Udp']);
  });

  // parseDestinationList: "`#` comments, blank lines ignored), optionally CSV `destination,label`
  // with or without a header". A header after a comment line is still the header, not a destination.
  it('a CSV header after leading comment and blank lines is not read as a destination', () => {
    expect(parseDestinationList('# egress allow-list\ndestination,label\n1.2.3.4,dns', 'list.csv')).toEqual([{ destination: '1.2.3.4', label: 'dns' }]);
    expect(parseDestinationList('# a\n\n# b\nDestination,Label\n1.2.3.4,dns\n8.8.8.8', 'list.csv'))
      .toEqual([{ destination: '1.2.3.4', label: 'dns' }, { destination: '8.8.8.8', label: null }]);
  });

  // WHATWG URL host parsing maps an internationalized host to its ASCII (punycode) form, as Node's
  // URL does: new URL('https://bücher.de/').hostname === 'xn--bcher-kva.de'.
  it('a URL with an internationalized host is read as its punycode name', () => {
    const parsed = parseDestinationSpec('https://bücher.de/');
    expect(parsed.kind === 'ok' ? parsed.spec.target : parsed.message).toEqual({ kind: 'fqdn', name: 'xn--bcher-kva.de' });
  });

  it('so is a bare internationalized host name with a port', () => {
    const parsed = parseDestinationSpec('Bücher.de:8443');
    expect(parsed.kind === 'ok' ? [parsed.spec.target, parsed.spec.port] : parsed.message).toEqual([{ kind: 'fqdn', name: 'xn--bcher-kva.de' }, 8443]);
  });
});
