/**
 * Service tags in UDRs and NSG rules, service endpoints (and their policies), and how destinations
 * naming the internet, CSV destination lists and internationalised URLs are read.
 * [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes
 * [SE] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
 * [SEP] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview
 * [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 * [XREG] https://learn.microsoft.com/azure/storage/elastic-san/elastic-san-networking (cross-region storage endpoints)
 * [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns (the services' public zones)
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { computeReach, LOCATIONS_NOT_IN_INPUT } from '../../../shared/egress/reach';
import { privateLinkMappingFor, PRIVATE_LINK_ZONES, SERVICE_ENDPOINT_SUFFIXES, serviceEndpointsOfName, serviceEndpointSuffixesOf, serviceEndpointUnattributedOf } from '../../../shared/dns/zones';
import { parseDestinationSpec } from '../../../shared/egress/destination-spec';
import { parseDestinationList, resolveMatrix } from '../../../shared/egress/matrix';
import { terminalOf } from '../../../shared/egress/steps';
import type { EgressPath } from '../../../shared/egress/types';
import type { ResourceId } from '../../../shared/model/ids';
import { parseIp, type IpAddress } from '../../../shared/model/ip';
import { buildModelIndex } from '../../../shared/model/model-index';
import { pairedRegionsOf } from '../../../shared/model/region-pairs';
import { buildServiceTagIndex, type ServiceTagSet } from '../../../shared/model/service-tags';
import type { NetworkModel, Subnet } from '../../../shared/model/topology';
import { lookupRoute, type RouteLookup } from '../../../shared/routing/lpm';
import { RouteSetBuilder } from '../../../shared/routing/subnet-routes';
import { applicationRule, effectiveRoute, ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { serviceEndpointTags } from '../../support/service-endpoint-tags';
import { HUB_FIREWALL_IP, hubSpokeFirewall, pathOf, resolve } from './support';

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
    const model = b.build();
    const result = resolveWith(model, '20.150.4.4', PER_REGION);
    // The VNet is in westeurope, paired with northeurope: a Storage endpoint that lists only
    // westeurope may or may not carry the pair's prefixes [SE] (see 'the VNet's paired region').
    expect(pathOf(result, weu).verdict).toBe('unknown');
    expect(pathOf(result, neu)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    const west = resolveWith(model, '20.60.4.4', PER_REGION);
    expect(pathOf(west, weu)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    expect(pathOf(west, neu).verdict).toBe('dropped');
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

/** Tag data for the service endpoint tests below (prefixes illustrative, as in ServiceTags_Public_*.json). */
const SE_TAGS: ServiceTagSet = serviceEndpointTags('Storage', 'Storage.WestEurope', 'Storage.NorthEurope', 'Storage.EastUS', 'Sql', 'Sql.WestEurope', 'AzureCosmosDB');

const SE_NET = '/subscriptions/00000000-0000-0000-0000-0000000000bb/resourceGroups/rg-net/providers/Microsoft.Network';

/**
 * A westeurope VNet with one subnet `app` as the input writes it: `rest` (ARM GET / `az rest`,
 * camelCase under `properties`), `az` (`az network vnet show`: the same keys flattened) or
 * `powershell` (Get-AzVirtualNetwork: PascalCase keys). `endpoint` is one service endpoint in the
 * matching casing.
 */
function seModel(endpoint: Record<string, unknown>, shape: 'rest' | 'az' | 'powershell' = 'rest'): { model: NetworkModel; subnetId: ResourceId } {
  const subnetId = `${SE_NET}/virtualNetworks/v/subnets/app`;
  const vnet = shape === 'rest'
    ? { id: `${SE_NET}/virtualNetworks/v`, name: 'v', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ id: subnetId, name: 'app', properties: { addressPrefix: '10.1.1.0/24', serviceEndpoints: [endpoint] } }] } }
    : shape === 'az'
      ? { id: `${SE_NET}/virtualNetworks/v`, name: 'v', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
        addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ id: subnetId, name: 'app', addressPrefix: '10.1.1.0/24', serviceEndpoints: [endpoint] }] }
      : { Id: `${SE_NET}/virtualNetworks/v`, Name: 'v', Type: 'Microsoft.Network/virtualNetworks', Location: 'westeurope',
        AddressSpace: { AddressPrefixes: ['10.1.0.0/16'] }, Subnets: [{ Id: subnetId, Name: 'app', AddressPrefix: ['10.1.1.0/24'], ServiceEndpoints: [endpoint] }] };
  const normalized = normalizeArm([{ fileName: 'vnet.json', json: [vnet] }]);
  const subnet = normalized.model.subnets[0];
  if (!subnet) throw new Error('no subnet');
  return { model: normalized.model, subnetId: subnet.id };
}

function ending(path: EgressPath): string {
  const reason = terminalOf(path.steps).reason;
  return reason.kind === 'undecided' ? `undecided: ${reason.missingFact}` : reason.kind;
}

describe('host names of services a subnet\'s endpoint carries (one source: the service zone table)', () => {
  // [SE] "Azure Cosmos DB (Microsoft.AzureCosmosDB)", and under Microsoft.Sql: Azure Synapse
  // Analytics dedicated SQL pools, Azure Database for PostgreSQL / MySQL / MariaDB. Their public
  // names [PEDNS] (shared/dns/zones.ts) get the answer the service's other names get: the endpoint
  // route "override[s] any BGP or UDR routes", so never the firewall's internet path.
  it.each(['acct.mongo.cosmos.azure.com', 'acct.cassandra.cosmos.azure.com', 'acct.gremlin.cosmos.azure.com', 'acct.table.cosmos.azure.com'])(
    'Cosmos DB API endpoint %s from a subnet with a Microsoft.AzureCosmosDB endpoint is not the firewall\'s internet path', (name) => {
      const { b, app } = hubSpokeFirewall([networkRule('all')]);
      b.updateSubnet(app, { serviceEndpoints: [{ service: 'Microsoft.AzureCosmosDB', locations: ['*'] }] });
      const model = b.build();
      expect(pathOf(resolveWith(model, 'acct.documents.azure.com', SE_TAGS), app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
      const path = pathOf(resolveWith(model, name, SE_TAGS), app);
      expect(['private', 'unknown'], `${path.verdict} ${path.exit} ${path.egressIps.join(',')}`).toContain(path.verdict);
      // Like the NoSQL name: with `*` over the endpoint.
      expect(path).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    });

  // "For Azure SQL, a service endpoint applies only to Azure service traffic within a virtual
  // network's region" [SE]: the name does not tell the server's region, as for srv.database.windows.net.
  it.each(['db1.postgres.database.azure.com', 'db1.mysql.database.azure.com', 'db1.mariadb.database.azure.com', 'ws1.sql.azuresynapse.net'])(
    '%s from a subnet with a Microsoft.Sql endpoint (westeurope) is unknown, as a SQL Database name is', (name) => {
      const { b, app } = hubSpokeFirewall([networkRule('all')]);
      b.updateSubnet(app, { serviceEndpoints: [{ service: 'Microsoft.Sql', locations: ['westeurope'] }] });
      const model = b.build();
      expect(pathOf(resolveWith(model, 'srv.database.windows.net', SE_TAGS), app).verdict).toBe('unknown');
      const path = pathOf(resolveWith(model, name, SE_TAGS), app);
      expect(path.verdict, `${path.verdict} ${path.exit} ${path.egressIps.join(',')}`).toBe('unknown');
      expect(missingFact(path)).toContain(`the region of ${name}`);
    });

  it('Azure OpenAI names go over a Microsoft.CognitiveServices endpoint, as Azure AI services names do', () => {
    const { b, app } = hubSpokeFirewall([networkRule('all')]);
    b.updateSubnet(app, { serviceEndpoints: [{ service: 'Microsoft.CognitiveServices', locations: ['*'] }] });
    const model = b.build();
    expect(pathOf(resolveWith(model, 'ai1.cognitiveservices.azure.com', SE_TAGS), app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    expect(pathOf(resolveWith(model, 'ai1.openai.azure.com', SE_TAGS), app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
  });

  it('the names stay unaffected where no endpoint carries them: the subnet\'s own path', () => {
    const { b, app } = hubSpokeFirewall([networkRule('all')]);
    b.updateSubnet(app, { serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['westeurope'] }] });
    const model = b.build();
    for (const name of ['acct.mongo.cosmos.azure.com', 'db1.postgres.database.azure.com', 'api.stripe.com']) {
      expect(pathOf(resolveWith(model, name, SE_TAGS), app), name).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
    }
  });

  it('the suffixes come from the zone table: every name it says an endpoint carries, no other', () => {
    expect(serviceEndpointsOfName('acct.table.cosmos.azure.com')).toEqual(['microsoft.azurecosmosdb']);
    expect(serviceEndpointsOfName('acct.table.core.windows.net')).toEqual(['microsoft.storage', 'microsoft.storage.global']);
    expect(serviceEndpointsOfName('ws1.sql.azuresynapse.net')).toEqual(['microsoft.sql']);
    expect(serviceEndpointsOfName('ws1.dev.azuresynapse.net')).toBeNull();
    expect(serviceEndpointsOfName('kv1.vault.azure.net')).toEqual(['microsoft.keyvault']);
    expect(serviceEndpointSuffixesOf('Microsoft.Sql')).toEqual(expect.arrayContaining(['database.windows.net', 'postgres.database.azure.com', 'mysql.database.azure.com', 'mariadb.database.azure.com', 'sql.azuresynapse.net']));
    const mapped = PRIVATE_LINK_ZONES.filter((z) => (z.serviceEndpoints ?? []).length > 0).map((z) => z.publicSuffix);
    for (const suffix of mapped) expect(SERVICE_ENDPOINT_SUFFIXES.some(([s]) => s === `.${suffix}`), suffix).toBe(true);
  });
});

describe('a service endpoint whose locations the input does not give', () => {
  // An absent `locations` is a missing fact, not every region: the local Microsoft.Storage endpoint
  // covers the VNet's region (and its pair), "you should create cross-region endpoints, identified
  // as Microsoft.Storage.Global" for any region [SE][XREG]
  // https://learn.microsoft.com/azure/storage/elastic-san/elastic-san-networking
  it('an East US storage address is not sent over a westeurope Microsoft.Storage endpoint without locations', () => {
    const { model, subnetId } = seModel({ service: 'Microsoft.Storage', provisioningState: 'Succeeded' });
    const path = pathOf(resolveWith(model, '52.239.1.1', SE_TAGS), subnetId);
    expect(path.exit, ending(path)).not.toBe('service-endpoint');
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('locations are not in the input');
  });

  it('a storage account name over a Microsoft.Storage endpoint without locations is unknown (its region and the endpoint\'s are not known)', () => {
    const { model, subnetId } = seModel({ service: 'Microsoft.Storage', provisioningState: 'Succeeded' });
    const result = resolveWith(model, 'acct.blob.core.windows.net', SE_TAGS);
    const path = pathOf(result, subnetId);
    expect(path.verdict, ending(path)).toBe('unknown');
    expect(missingFact(path)).toContain('locations of subnet app\'s service endpoint for Microsoft.Storage');
    expect(result.gaps.some((g) => g.scope.startsWith(subnetId) && g.message.includes('no locations in the input'))).toBe(true);
  });

  it.each(['rest', 'az', 'powershell'] as const)('reads the missing locations the same from the %s shape', (shape) => {
    const endpoint = shape === 'powershell' ? { Service: 'Microsoft.Storage', ProvisioningState: 'Succeeded' } : { service: 'Microsoft.Storage', provisioningState: 'Succeeded' };
    const { model, subnetId } = seModel(endpoint, shape);
    expect(model.subnets[0]?.serviceEndpoints).toEqual([{ service: 'Microsoft.Storage', locations: [], provisioningState: 'Succeeded' }]);
    expect(pathOf(resolveWith(model, '20.60.1.1', SE_TAGS), subnetId).verdict).toBe('unknown');
  });

  it('what the service\'s tag does not hold stays confident, and ["*"] still means every region', () => {
    const { model, subnetId } = seModel({ service: 'Microsoft.Storage', provisioningState: 'Succeeded' });
    // 8.8.8.8 is in no Storage tag: the endpoint cannot carry it.
    expect(pathOf(resolveWith(model, '8.8.8.8', SE_TAGS), subnetId).verdict).toBe('internet');
    const star = seModel({ service: 'Microsoft.Storage', locations: ['*'], provisioningState: 'Succeeded' });
    expect(pathOf(resolveWith(star.model, '52.239.1.1', SE_TAGS), star.subnetId)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    expect(pathOf(resolveWith(star.model, 'acct.blob.core.windows.net', SE_TAGS), star.subnetId)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    // Named locations: their regional tags, as before.
    const weu = seModel({ service: 'Microsoft.Storage', locations: ['westeurope'], provisioningState: 'Succeeded' });
    expect(pathOf(resolveWith(weu.model, '20.60.1.1', SE_TAGS), weu.subnetId)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    expect(pathOf(resolveWith(weu.model, '52.239.1.1', SE_TAGS), weu.subnetId).verdict).toBe('internet');
  });

  it('reach does not list such an endpoint as covering every region ("*")', () => {
    const { model, subnetId } = seModel({ service: 'Microsoft.Storage', provisioningState: 'Succeeded' });
    const reach = computeReach({ model, effectiveRoutes: [], metrics: [], gaps: [], serviceTags: SE_TAGS });
    const entry = reach.sources.find((s) => s.source.id === subnetId)?.private.find((e) => e.kind === 'service-endpoint');
    expect(entry?.value).toBe('Microsoft.Storage');
    expect(entry?.target).not.toBe('*');
    expect(entry?.target).toBe(LOCATIONS_NOT_IN_INPUT);
    const star = seModel({ service: 'Microsoft.Storage', locations: ['*'], provisioningState: 'Succeeded' });
    const starReach = computeReach({ model: star.model, effectiveRoutes: [], metrics: [], gaps: [], serviceTags: SE_TAGS });
    expect(starReach.sources.find((s) => s.source.id === star.subnetId)?.private).toEqual([{ kind: 'service-endpoint', value: 'Microsoft.Storage', target: '*' }]);
  });
});

describe('captured effective routes and host names', () => {
  // Captured effective routes are Azure's word (README: "A NIC with captured effective routes of
  // its own follows them"); an endpoint in effect shows there with "a nextHopType of
  // VirtualNetworkServiceEndpoint" [SE]. A name follows them as its address does.
  function capturedEstate(routes: ReturnType<typeof effectiveRoute>[]) {
    const { b, app } = hubSpokeFirewall([networkRule('all')]);
    b.updateSubnet(app, { serviceEndpoints: [{ service: 'Microsoft.Storage.Global', locations: ['*'] }] });
    const nic = b.nic(app, 'vm1-nic', '10.1.1.4');
    const model = b.build();
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [
      effectiveRoute('10.1.0.0/16', 'VnetLocal'),
      effectiveRoute('10.0.0.0/16', 'VNetPeering'),
      effectiveRoute('0.0.0.0/0', 'VirtualAppliance', { source: 'User', nextHopIpAddresses: [HUB_FIREWALL_IP] }),
      ...routes,
    ] }];
    return { model, app, effectiveRoutes };
  }
  const resolveCaptured = (estate: ReturnType<typeof capturedEstate>, destination: string, tags: ServiceTagSet | null = SE_TAGS) =>
    pathOf(resolveEgress({ model: estate.model, serviceTags: tags, effectiveRoutes: estate.effectiveRoutes, metrics: [], gaps: [] }, { destination }), estate.app);

  it('a name follows the captured routes that hold no service-endpoint route, as its address does', () => {
    const estate = capturedEstate([]);
    expect(resolveCaptured(estate, '20.60.1.1').exit).not.toBe('service-endpoint');
    const byName = resolveCaptured(estate, 'acct.blob.core.windows.net');
    expect(byName.exit, ending(byName)).not.toBe('service-endpoint');
    expect(byName).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
  });

  it('a capture that shows the service\'s endpoint routes sends the name over the endpoint', () => {
    const estate = capturedEstate(['20.60.0.0/16', '20.150.0.0/16', '52.239.0.0/16'].map((p) => effectiveRoute(p, 'VirtualNetworkServiceEndpoint')));
    expect(resolveCaptured(estate, 'acct.blob.core.windows.net')).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
  });

  it('a capture whose endpoint routes carry only some regions of the service leaves the name\'s region open', () => {
    const estate = capturedEstate([effectiveRoute('20.60.0.0/16', 'VirtualNetworkServiceEndpoint')]);
    const path = resolveCaptured(estate, 'acct.blob.core.windows.net');
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('the region of acct.blob.core.windows.net');
    // Its address is decided by the captured routes as before.
    expect(resolveCaptured(estate, '20.60.1.1')).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    expect(resolveCaptured(estate, '52.239.1.1')).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
  });

  it('a capture whose endpoint routes are another service\'s does not send the name over the endpoint', () => {
    const estate = capturedEstate([effectiveRoute('40.68.0.0/16', 'VirtualNetworkServiceEndpoint')]);
    expect(resolveCaptured(estate, 'acct.blob.core.windows.net')).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
  });

  it('without tag data a capture\'s endpoint routes cannot be told apart: unknown, naming the NIC', () => {
    const estate = capturedEstate([effectiveRoute('20.60.0.0/16', 'VirtualNetworkServiceEndpoint')]);
    const path = resolveCaptured(estate, 'acct.blob.core.windows.net', null);
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('captured VirtualNetworkServiceEndpoint routes of NIC vm1-nic');
  });
});

describe('the service endpoint\'s provisioningState', () => {
  // The REST model documents the field ("Known values are: Failed, Succeeded, Canceled, Creating,
  // Updating, and Deleting": ServiceEndpointPropertiesFormat,
  // https://learn.microsoft.com/python/api/azure-mgmt-network/azure.mgmt.network.models.serviceendpointpropertiesformat);
  // what any state but Succeeded does to the subnet's routes is not documented: unknown, naming it.
  it.each(['20.60.1.1', 'acct.blob.core.windows.net'])('%s over a Microsoft.Storage.Global endpoint in state Failed is unknown', (destination) => {
    const { model, subnetId } = seModel({ service: 'Microsoft.Storage.Global', locations: ['*'], provisioningState: 'Failed' });
    const result = resolveWith(model, destination, SE_TAGS);
    const path = pathOf(result, subnetId);
    expect(path.verdict, ending(path)).toBe('unknown');
    expect(missingFact(path)).toContain('provisioning state is Failed');
    expect(result.gaps.some((g) => g.scope.startsWith(subnetId) && g.message.includes('provisioning state Failed'))).toBe(true);
  });

  it.each([
    ['rest', { service: 'Microsoft.Storage.Global', locations: ['*'], provisioningState: 'Updating' }],
    ['az', { service: 'Microsoft.Storage.Global', locations: ['*'], provisioningState: 'Deleting' }],
    ['powershell', { Service: 'Microsoft.Storage.Global', Locations: ['*'], ProvisioningState: 'Failed' }],
    ['rest', { service: 'Microsoft.Storage.Global', locations: ['*'], provisioningState: 'failed' }],
  ] as const)('a state other than Succeeded (%s shape, %j) is unknown for the address and the name', (shape, endpoint) => {
    const { model, subnetId } = seModel(endpoint, shape);
    for (const destination of ['20.60.1.1', 'acct.blob.core.windows.net']) {
      expect(pathOf(resolveWith(model, destination, SE_TAGS), subnetId).verdict, `${destination}`).toBe('unknown');
    }
  });

  it.each([
    ['rest', { service: 'Microsoft.Storage.Global', locations: ['*'], provisioningState: 'Succeeded' }],
    ['powershell', { Service: 'Microsoft.Storage.Global', Locations: ['*'], ProvisioningState: 'succeeded' }],
    ['az', { service: 'Microsoft.Storage.Global', locations: ['*'] }],
  ] as const)('Succeeded, in any casing, or no state in the input (%s shape, %j) stays over the endpoint', (shape, endpoint) => {
    const { model, subnetId } = seModel(endpoint, shape);
    for (const destination of ['20.60.1.1', 'acct.blob.core.windows.net']) {
      expect(pathOf(resolveWith(model, destination, SE_TAGS), subnetId), destination).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    }
  });

  it('an address the endpoint would not carry stays confident; reach notes the state', () => {
    const { model, subnetId } = seModel({ service: 'Microsoft.Storage.Global', locations: ['*'], provisioningState: 'Failed' });
    expect(pathOf(resolveWith(model, '8.8.8.8', SE_TAGS), subnetId).verdict).toBe('internet');
    const reach = computeReach({ model, effectiveRoutes: [], metrics: [], gaps: [], serviceTags: SE_TAGS });
    expect(reach.sources.find((s) => s.source.id === subnetId)?.private).toEqual([
      { kind: 'service-endpoint', value: 'Microsoft.Storage.Global', target: '*', note: 'provisioning state Failed: whether it is in effect is not known' },
    ]);
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

describe('service endpoints: names the zone table misses or cannot attribute, captures, the paired region (review of the endpoint fix)', () => {
  // [SE] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
  // [SAO] https://learn.microsoft.com/azure/storage/common/storage-account-overview
  // [SBSE] https://learn.microsoft.com/azure/service-bus-messaging/service-bus-service-endpoints
  // [PAIRS] https://learn.microsoft.com/azure/reliability/cross-region-replication-azure
  const TAGS: ServiceTagSet = { ...SE_TAGS, tags: [...SE_TAGS.tags,
    { name: 'ServiceBus', region: '', systemService: 'AzureServiceBus', addressPrefixes: ['13.70.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] },
    { name: 'EventHub', region: '', systemService: 'AzureEventHub', addressPrefixes: ['13.71.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] },
    { name: 'Storage.ItalyNorth', region: 'italynorth', systemService: 'AzureStorage', addressPrefixes: ['51.1.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] },
    { name: 'Storage.MarsCentral', region: 'marscentral', systemService: 'AzureStorage', addressPrefixes: ['51.2.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] },
  ] };
  type Endpoint = { service: string; locations: readonly string[]; provisioningState?: string };
  const STORAGE_ENDPOINT_ROUTES = ['20.60.0.0/16', '20.150.0.0/16', '52.239.0.0/16'].map((p) => effectiveRoute(p, 'VirtualNetworkServiceEndpoint'));

  function firewallEstate(serviceEndpoints: readonly Endpoint[]) {
    const { b, app } = hubSpokeFirewall([applicationRule('stripe', ['api.stripe.com'])]);
    b.updateSubnet(app, { serviceEndpoints });
    return { input: { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [], serviceTags: TAGS }, app };
  }

  function capturedEstate(serviceEndpoints: readonly Endpoint[], extra: readonly ReturnType<typeof effectiveRoute>[], rules = [applicationRule('stripe', ['api.stripe.com'])]) {
    const { b, app } = hubSpokeFirewall(rules);
    b.updateSubnet(app, { serviceEndpoints });
    const nic = b.nic(app, 'vm1-nic', '10.1.1.4');
    const effectiveRoutes = [{ networkInterfaceId: nic, routes: [
      effectiveRoute('10.1.0.0/16', 'VnetLocal'),
      effectiveRoute('10.0.0.0/16', 'VNetPeering'),
      effectiveRoute('0.0.0.0/0', 'VirtualAppliance', { source: 'User', nextHopIpAddresses: [HUB_FIREWALL_IP] }),
      ...extra,
    ] }];
    return { input: { model: b.build(), effectiveRoutes, metrics: [], gaps: [], serviceTags: TAGS }, app };
  }

  // From test/audit/se-review.test.ts ("captured service endpoint routes the subnet configuration does not list").
  it('a storage account name follows the capture that carries all of Storage, as its address does', () => {
    const { input, app } = capturedEstate([], STORAGE_ENDPOINT_ROUTES, [networkRule('all')]);
    expect(pathOf(resolveEgress(input, { destination: '20.60.1.1' }), app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    const byName = pathOf(resolveEgress(input, { destination: 'acct.blob.core.windows.net' }), app);
    expect(['private', 'unknown'], ending(byName)).toContain(byName.verdict);
  });

  it('without a configured endpoint a name goes over the captured endpoint routes that hold all of its service, stays open for part of it, and follows the rest', () => {
    const all = capturedEstate([], STORAGE_ENDPOINT_ROUTES, [networkRule('all')]);
    expect(pathOf(resolveEgress(all.input, { destination: 'acct.blob.core.windows.net' }), all.app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    const part = capturedEstate([], [effectiveRoute('20.60.0.0/16', 'VirtualNetworkServiceEndpoint')], [networkRule('all')]);
    const partial = pathOf(resolveEgress(part.input, { destination: 'acct.blob.core.windows.net' }), part.app);
    expect(partial.verdict).toBe('unknown');
    expect(missingFact(partial)).toContain('the region of acct.blob.core.windows.net');
    // Another service's endpoint routes leave a storage name on the captured 0/0.
    const other = capturedEstate([], [effectiveRoute('40.68.0.0/16', 'VirtualNetworkServiceEndpoint')], [networkRule('all')]);
    expect(pathOf(resolveEgress(other.input, { destination: 'acct.blob.core.windows.net' }), other.app)).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
    expect(pathOf(resolveEgress(other.input, { destination: 'srv.database.windows.net' }), other.app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
  });

  // From test/audit/se-review.test.ts ("host names the zone table misses or cannot attribute").
  it('acct.z12.blob.storage.azure.net from a subnet with a Microsoft.Storage.Global endpoint is not a confident firewall deny', () => {
    const { input, app } = firewallEstate([{ service: 'Microsoft.Storage.Global', locations: ['*'] }]);
    const path = pathOf(resolveEgress(input, { destination: 'acct.z12.blob.storage.azure.net' }), app);
    expect(['private', 'unknown'], ending(path)).toContain(path.verdict);
  });

  it('every Azure DNS zone endpoint form of a storage account [SAO] is Storage\'s, and no privatelink mapping', () => {
    for (const service of ['blob', 'file', 'queue', 'table', 'dfs', 'web']) {
      const name = `acct.z07.${service}.storage.azure.net`;
      expect(serviceEndpointsOfName(name), name).toEqual(['microsoft.storage', 'microsoft.storage.global']);
      expect(privateLinkMappingFor(name), name).toBeNull();
    }
    expect(serviceEndpointsOfName('acct.z07.blob.storage.azure.net.attacker.net')).toBeNull();
    const { input, app } = firewallEstate([{ service: 'Microsoft.Storage.Global', locations: ['*'] }]);
    expect(pathOf(resolveEgress(input, { destination: 'ACCT.Z49.DFS.STORAGE.AZURE.NET.' }), app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
  });

  // From test/audit/se-review.test.ts: [SBSE] "The endpoint is restricted to Premium tier namespaces only".
  it.each(['Microsoft.ServiceBus', 'Microsoft.EventHub'])('ns1.servicebus.windows.net over a %s endpoint ("*") is unknown', (service) => {
    const { input, app } = firewallEstate([{ service, locations: ['*'] }]);
    const path = pathOf(resolveEgress(input, { destination: 'ns1.servicebus.windows.net' }), app);
    expect(path.verdict, ending(path)).toBe('unknown');
  });

  it('a servicebus.windows.net name names what it leaves open, with a gap; over captured routes too; without an endpoint it takes the subnet\'s path', () => {
    const { input, app } = firewallEstate([{ service: 'Microsoft.ServiceBus', locations: ['*'] }]);
    const result = resolveEgress(input, { destination: 'ns1.servicebus.windows.net' });
    expect(missingFact(pathOf(result, app))).toContain('Premium Service Bus namespace');
    expect(result.gaps.some((g) => g.message.includes('ns1.servicebus.windows.net') && g.message.includes('Event Hubs namespace'))).toBe(true);
    expect(serviceEndpointUnattributedOf('ns1.servicebus.windows.net')).not.toBeNull();
    expect(serviceEndpointUnattributedOf('acct.blob.core.windows.net')).toBeNull();
    const captured = capturedEstate([], [effectiveRoute('13.70.0.0/16', 'VirtualNetworkServiceEndpoint')]);
    expect(pathOf(resolveEgress(captured.input, { destination: 'ns1.servicebus.windows.net' }), captured.app).verdict).toBe('unknown');
    const none = firewallEstate([]);
    expect(pathOf(resolveEgress(none.input, { destination: 'ns1.servicebus.windows.net' }), none.app).verdict).toBe('denied');
  });

  // From test/audit/se-review.test.ts ("a local Microsoft.Storage endpoint and the VNet's paired region").
  it('a North Europe storage address is not confidently sent through the firewall', () => {
    const { b, app } = hubSpokeFirewall([networkRule('all')]);
    b.updateSubnet(app, { serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['westeurope'] }] });
    const input = { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [], serviceTags: TAGS };
    const path = pathOf(resolveEgress(input, { destination: '20.150.1.1' }), app);
    expect(['private', 'unknown'], ending(path)).toContain(path.verdict);
  });

  it('the paired region: unknown with a gap naming it; a listed pair, `*`, another region\'s address or a nonpaired region stay confident', () => {
    const estate = (locations: readonly string[], vnetRegion: string | null = 'westeurope') => {
      const { b, app } = hubSpokeFirewall([networkRule('all')]);
      b.updateSubnet(app, { serviceEndpoints: [{ service: 'Microsoft.Storage', locations }] });
      const model = b.build();
      const located = { ...model, virtualNetworks: model.virtualNetworks.map((v) => ({ ...v, location: vnetRegion })), subnets: model.subnets.map((s) => ({ ...s, location: vnetRegion })) };
      return { input: { model: located, effectiveRoutes: [], metrics: [], gaps: [], serviceTags: TAGS }, app };
    };
    const weu = estate(['westeurope']);
    const result = resolveEgress(weu.input, { destination: '20.150.1.1' });
    const path = pathOf(result, weu.app);
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('paired region northeurope');
    expect(result.gaps.some((g) => g.scope.endsWith('/paired-region') && g.message.includes('northeurope'))).toBe(true);
    // East US is no pair of West Europe: the 0/0 to the firewall.
    expect(pathOf(resolveEgress(weu.input, { destination: '52.239.1.1' }), weu.app)).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
    expect(pathOf(resolveEgress(weu.input, { destination: '20.60.1.1' }), weu.app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    const both = estate(['westeurope', 'northeurope']);
    expect(pathOf(resolveEgress(both.input, { destination: '20.150.1.1' }), both.app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    // A VNet region the input does not give: every other region may be its pair.
    const unknownRegion = estate(['westeurope'], null);
    expect(pathOf(resolveEgress(unknownRegion.input, { destination: '52.239.1.1' }), unknownRegion.app).verdict).toBe('unknown');
    // A region [PAIRS] lists as nonpaired, and one the table does not know.
    const italy = estate(['italynorth'], 'italynorth');
    expect(pathOf(resolveEgress(italy.input, { destination: '51.1.1.1' }), italy.app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    expect(pathOf(resolveEgress(italy.input, { destination: '20.150.1.1' }), italy.app)).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
    const mars = estate(['marscentral'], 'marscentral');
    expect(pathOf(resolveEgress(mars.input, { destination: '51.2.1.1' }), mars.app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
    expect(missingFact(pathOf(resolveEgress(mars.input, { destination: '20.150.1.1' }), mars.app))).toContain('or that region\'s pair, is not known');
    // A storage name over a regional endpoint stays unknown (its account's region is not known).
    expect(pathOf(resolveEgress(weu.input, { destination: 'acct.blob.core.windows.net' }), weu.app).verdict).toBe('unknown');
    // The destinations matrix agrees with resolve.
    const destinations = ['20.150.1.1', '52.239.1.1', '20.60.1.1', 'acct.blob.core.windows.net'];
    const matrix = resolveMatrix(weu.input, destinations.map((d) => ({ destination: d, label: null })));
    const row = matrix.rows.find((r) => r.source.id === weu.app);
    expect(row?.results.map((r) => r?.verdict)).toEqual(destinations.map((d) => pathOf(resolveEgress(weu.input, { destination: d }), weu.app).verdict));
  });

  it('region pairs [PAIRS]: each region\'s own pair, nonpaired regions empty, unknown regions null', () => {
    expect(pairedRegionsOf('westeurope')).toEqual(['northeurope']);
    expect(pairedRegionsOf('West Europe')).toEqual(['northeurope']);
    expect(pairedRegionsOf('italynorth')).toEqual([]);
    expect(pairedRegionsOf('marscentral')).toBeNull();
    expect(pairedRegionsOf('')).toBeNull();
  });
});

describe('region pairs have a direction; display-name locations (review 3 of the endpoint fix)', () => {
  // [PAIRS] https://learn.microsoft.com/azure/reliability/regions-paired ("Asymmetrically paired regions")
  // [LIST] https://learn.microsoft.com/azure/reliability/regions-list ("Paired region" column)
  // [SE] https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
  const TAGS: ServiceTagSet = { ...SE_TAGS, tags: [...SE_TAGS.tags,
    { name: 'Storage.WestUS', region: 'westus', systemService: 'AzureStorage', addressPrefixes: ['52.240.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] },
    { name: 'Storage.WestUS3', region: 'westus3', systemService: 'AzureStorage', addressPrefixes: ['52.241.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] },
    { name: 'Storage.MexicoCentral', region: 'mexicocentral', systemService: 'AzureStorage', addressPrefixes: ['52.245.0.0/16'], networkFeatures: ['NSG', 'UDR', 'FW'] },
  ] };
  /** hubSpokeFirewall letting everything out; `app` with one Storage endpoint; every VNet in `region`. */
  const estate = (locations: readonly string[], region: string) => {
    const { b, app } = hubSpokeFirewall([networkRule('all')]);
    b.updateSubnet(app, { serviceEndpoints: [{ service: 'Microsoft.Storage', locations }] });
    const model = b.build();
    const located = { ...model, virtualNetworks: model.virtualNetworks.map((v) => ({ ...v, location: region })), subnets: model.subnets.map((s) => ({ ...s, location: region })) };
    return { input: { model: located, effectiveRoutes: [], metrics: [], gaps: [], serviceTags: TAGS }, app };
  };

  // From test/audit/se-review3.test.ts ("the region-pair table gives each region its documented pair").
  it('each region gets the pair of its own [LIST] row: one-way rows do not pair the other region back', () => {
    expect(pairedRegionsOf('eastus')).toEqual(['westus']);
    expect(pairedRegionsOf('westus')).toEqual(['eastus']);
    expect(pairedRegionsOf('westus3')).toEqual(['eastus']);
    expect(pairedRegionsOf('southcentralus')).toEqual(['northcentralus']);
    expect(pairedRegionsOf('brazilsouth')).toEqual(['southcentralus']);
    expect(pairedRegionsOf('brazilsoutheast')).toEqual(['brazilsouth']);
    expect(pairedRegionsOf('southindia')).toEqual(['centralindia']);
    expect(pairedRegionsOf('westindia')).toEqual(['southindia']);
    expect(pairedRegionsOf('centralindia')).toEqual(['southindia']);
    expect(pairedRegionsOf('US Gov Texas')).toEqual(['usgovvirginia']);
    expect(pairedRegionsOf('usgovarizona')).toEqual(['usgovtexas']);
  });

  it('every region [LIST] gives "N/A" as paired region is nonpaired (empty, not unknown)', () => {
    for (const r of ['austriaeast', 'belgiumcentral', 'chilecentral', 'denmarkeast', 'indonesiacentral', 'israelcentral', 'italynorth',
      'malaysiawest', 'mexicocentral', 'newzealandnorth', 'polandcentral', 'qatarcentral', 'spaincentral']) expect(pairedRegionsOf(r), r).toEqual([]);
    expect(pairedRegionsOf('Mexico Central')).toEqual([]);
  });

  it('a westus3 VNet\'s [westus3] endpoint leaves East US (its pair) open; an eastus VNet\'s [eastus, westus] endpoint leaves nothing open', () => {
    const w3 = estate(['westus3'], 'westus3');
    const path = pathOf(resolveEgress(w3.input, { destination: '52.239.1.1' }), w3.app);
    expect(path.verdict).toBe('unknown');
    expect(missingFact(path)).toContain('paired region eastus');
    const east = estate(['eastus', 'westus'], 'eastus');
    // West US 3 is no pair of East US: its address takes the 0/0 to the firewall.
    expect(pathOf(resolveEgress(east.input, { destination: '52.241.1.1' }), east.app)).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
    expect(pathOf(resolveEgress(east.input, { destination: '52.240.1.1' }), east.app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
  });

  // From test/audit/se-review3.test.ts ("resolve from a mexicocentral VNet ... is not unknown"), with a
  // firewall that decides an address (the audit's lets out names only: undecided there, whatever the endpoint).
  it('a mexicocentral VNet\'s [mexicocentral] endpoint: another region\'s Storage address takes the default route, confidently', () => {
    const mx = estate(['mexicocentral'], 'mexicocentral');
    expect(pathOf(resolveEgress(mx.input, { destination: '20.60.1.1' }), mx.app)).toMatchObject({ verdict: 'internet', egressIps: ['20.0.0.10'] });
    expect(pathOf(resolveEgress(mx.input, { destination: '52.245.1.1' }), mx.app)).toMatchObject({ verdict: 'private', exit: 'service-endpoint' });
  });

  it('locations and VNet region in display form ("West Europe") route the regional tag and pair as ARM names do', () => {
    const display = estate(['West Europe', 'North Europe'], 'West Europe');
    for (const [ip, verdict] of [['20.60.1.1', 'private'], ['20.150.1.1', 'private'], ['52.239.1.1', 'internet']] as const) {
      expect(pathOf(resolveEgress(display.input, { destination: ip }), display.app).verdict, ip).toBe(verdict);
    }
    const one = estate(['West Europe'], 'West Europe');
    expect(missingFact(pathOf(resolveEgress(one.input, { destination: '20.150.1.1' }), one.app))).toContain('paired region northeurope');
  });
});
