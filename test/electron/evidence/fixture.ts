/**
 * A small hand-made estate and resolver output for the evidence tests: a hub firewall spoke, a NAT
 * gateway subnet, a default-outbound subnet with a Unicode name, a private subnet with no way out
 * and a NIC exception with its own public IP. Built by hand so these tests do not depend on the
 * resolver.
 */
import type { Flow, Named, Step } from '../../../shared/egress/steps';
import type { EgressPath, InternetExit, ResolveResult } from '../../../shared/egress/types';
import { toResourceId, type ResourceId } from '../../../shared/model/ids';
import type { Snapshot } from '../../../shared/model/snapshot';
import { emptyNetworkModel, type NetworkModel, type Subnet } from '../../../shared/model/topology';

export const SUB = '00000000-1111-2222-3333-444444444444';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network`;

export const IDS = {
  hub: toResourceId(`${RG}/virtualNetworks/vnet-hub`),
  spoke: toResourceId(`${RG}/virtualNetworks/vnet-spoke`),
  app: toResourceId(`${RG}/virtualNetworks/vnet-spoke/subnets/snet-app`),
  web: toResourceId(`${RG}/virtualNetworks/vnet-spoke/subnets/snet-web`),
  zurich: toResourceId(`${RG}/virtualNetworks/vnet-spoke/subnets/subnet-zürich-東京`),
  isolated: toResourceId(`${RG}/virtualNetworks/vnet-spoke/subnets/snet-isolated`),
  firewall: toResourceId(`${RG}/azureFirewalls/afw-hub`),
  natGateway: toResourceId(`${RG}/natGateways/ng-web`),
  routeTable: toResourceId(`${RG}/routeTables/rt-spoke`),
  route: toResourceId(`${RG}/routeTables/rt-spoke/routes/default-to-fw`),
  nic: toResourceId(`${RG}/networkInterfaces/nic-jump`),
  pip: toResourceId(`${RG}/publicIPAddresses/pip-jump`),
  privateEndpoint: toResourceId(`${RG}/privateEndpoints/pe-kv-contoso`),
  keyVault: toResourceId(`/subscriptions/${SUB}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-contoso`),
};

function subnet(id: ResourceId, name: string, prefix: string, extra: Partial<Subnet> = {}): Subnet {
  return {
    kind: 'subnet', id, name, subscriptionId: SUB, resourceGroup: 'rg-net', location: 'westeurope', tags: {},
    virtualNetworkId: IDS.spoke, addressPrefixes: [prefix], routeTableId: null, natGatewayId: null,
    networkSecurityGroupId: null, defaultOutboundAccess: null, delegations: [], serviceEndpoints: [],
    privateEndpointNetworkPolicies: null, ...extra,
  };
}

function base(id: ResourceId, name: string, tags: Record<string, string> = {}) {
  return { id, name, subscriptionId: SUB, resourceGroup: 'rg-net', location: 'westeurope', tags };
}

export function fixtureModel(): NetworkModel {
  return {
    ...emptyNetworkModel(),
    virtualNetworks: [
      { kind: 'virtualNetwork', ...base(IDS.hub, 'vnet-hub'), addressPrefixes: ['10.0.0.0/16'], subnetIds: [], peerings: [] },
      { kind: 'virtualNetwork', ...base(IDS.spoke, 'vnet-spoke'), addressPrefixes: ['10.1.0.0/16'], subnetIds: [IDS.app, IDS.web, IDS.zurich, IDS.isolated], peerings: [] },
    ],
    subnets: [
      subnet(IDS.app, 'snet-app', '10.1.1.0/24', { routeTableId: IDS.routeTable }),
      subnet(IDS.web, 'snet-web', '10.1.2.0/24', { natGatewayId: IDS.natGateway, serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['westeurope', 'northeurope'] }] }),
      subnet(IDS.zurich, 'subnet-zürich-東京', '10.1.3.0/24', { tags: { Owner: 'Zoë Müller', 'Cost-Center': 'CC-4711' } }),
      subnet(IDS.isolated, 'snet-isolated', '10.1.4.0/24', { defaultOutboundAccess: false }),
    ],
    routeTables: [{ kind: 'routeTable', ...base(IDS.routeTable, 'rt-spoke', { owner: 'netops@contoso.example', costCenter: 'CC-1001' }), routes: [
      { id: IDS.route, name: 'default-to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', hasBgpOverride: false },
    ], disableBgpRoutePropagation: false }],
    natGateways: [{ kind: 'natGateway', ...base(IDS.natGateway, 'ng-web', { owner: 'web-team' }), skuName: 'Standard', publicIpAddressIds: [], publicIpPrefixIds: [], idleTimeoutInMinutes: 4, subnetIds: [IDS.web] }],
    azureFirewalls: [{ kind: 'azureFirewall', ...base(IDS.firewall, 'afw-hub', { Owner: 'security', CostCentre: 'CC-2002' }), skuName: 'AZFW_VNet', skuTier: 'Standard', ipConfigurations: [], managementIpConfiguration: null, firewallPolicyId: null, virtualHubId: null, hubPrivateIpAddress: null, hubPublicIpAddresses: [], rules: [], snatPrivateRanges: null, snatAutoLearnPrivateRanges: false }],
    // Private reach for the reach block: a key vault's private endpoint in the spoke.
    privateEndpoints: [{
      kind: 'privateEndpoint', ...base(IDS.privateEndpoint, 'pe-kv-contoso'), subnetId: IDS.isolated, networkInterfaceIds: [],
      connections: [{ id: toResourceId(`${IDS.privateEndpoint}/privateLinkServiceConnections/kv`), name: 'kv', privateLinkServiceId: IDS.keyVault, groupIds: ['vault'], status: 'Approved', manual: false }],
      customDnsConfigs: [{ fqdn: 'kv-contoso.vault.azure.net', ipAddresses: ['10.1.4.5'] }], ipConfigurations: [], privateDnsZoneGroups: [],
    }],
    networkInterfaces: [{ kind: 'networkInterface', ...base(IDS.nic, 'nic-jump'), ipConfigurations: [{ id: toResourceId(`${IDS.nic}/ipConfigurations/ipconfig1`), name: 'ipconfig1', primary: true, privateIpAddress: '10.1.1.10', privateIpAddressVersion: 'IPv4', subnetId: IDS.app, publicIpAddressId: IDS.pip, loadBalancerBackendAddressPoolIds: [] }], enableIPForwarding: false, networkSecurityGroupId: null, virtualMachineId: null, flexibleScaleSetMember: false, primary: true }],
  };
}

const FLOW: Flow = { destination: 'the internet (0.0.0.0/0)', protocol: 'Tcp', port: 443 };

function named(id: string): Named {
  return { id, name: id.slice(id.lastIndexOf('/') + 1) };
}

function source(id: ResourceId, prefix: string): Step {
  return { kind: 'source', origin: 'subnet', subnet: named(id), addressPrefixes: [prefix] };
}

function internet(exit: InternetExit, egressIps: readonly string[], egressText = egressIps.join(', ')): Step {
  return { kind: 'terminal', reason: { kind: 'egress', exit, egressIps, egressText, restrictedTo: null } };
}

const udrToFirewall: Step = {
  kind: 'route', subnet: named(IDS.app),
  route: { source: 'User', origin: 'udr', name: 'default-to-fw', addressPrefix: '0.0.0.0/0', nextHop: { kind: 'known', type: 'VirtualAppliance' }, nextHopIpAddress: '10.0.1.4', resourceId: IDS.route },
  overridden: [{ route: { source: 'Default', origin: 'system', name: 'Default route to the internet', addressPrefix: '0.0.0.0/0', nextHop: { kind: 'known', type: 'Internet' }, nextHopIpAddress: null, resourceId: null }, lostBecause: 'same prefix: a user-defined route beats a system route' }],
  capturedFromNicId: null, routeTableId: IDS.routeTable, flow: FLOW,
};

export function fixturePaths(): readonly EgressPath[] {
  return [
    {
      source: { type: 'subnet', id: IDS.app, name: 'snet-app' }, verdict: 'internet', exit: 'public-ip', via: [{ kind: 'azure-firewall', id: IDS.firewall }],
      egressIps: ['20.50.1.1'], snatPorts: 2496,
      steps: [
        source(IDS.app, '10.1.1.0/24'),
        udrToFirewall,
        { kind: 'azure-firewall', firewall: named(IDS.firewall), skuName: 'AZFW_VNet', skuTier: 'Standard', forcedTunnel: false, hub: null },
        { kind: 'public-ip', owner: 'firewall', resourceId: IDS.firewall, ownerId: IDS.firewall, ownerName: 'afw-hub', publicIpName: null, egressIps: ['20.50.1.1'] },
        internet('public-ip', ['20.50.1.1']),
      ],
      findings: [],
    },
    {
      source: { type: 'subnet', id: IDS.web, name: 'snet-web' }, verdict: 'internet', exit: 'nat-gateway', via: [],
      egressIps: ['20.60.2.0/30'], snatPorts: 64512,
      steps: [
        source(IDS.web, '10.1.2.0/24'),
        { kind: 'nat-gateway', natGateway: named(IDS.natGateway), egressIps: ['20.60.2.0/30'], snatPorts: 64512, sharedBySubnets: 1, ownPublicIpInboundOnly: false },
        internet('nat-gateway', ['20.60.2.0/30']),
      ],
      findings: [{ code: 'snat-capacity', severity: 'warning', message: 'Failed SNAT connections were captured on ng-web.', advice: 'Add public IPs or a prefix to the NAT gateway.', resourceIds: [IDS.natGateway], docs: 'https://learn.microsoft.com/azure/nat-gateway/troubleshoot-nat' }],
    },
    {
      source: { type: 'subnet', id: IDS.zurich, name: 'subnet-zürich-東京' }, verdict: 'internet', exit: 'default-outbound', via: [],
      egressIps: [], snatPorts: null,
      steps: [
        source(IDS.zurich, '10.1.3.0/24'),
        { kind: 'default-outbound', subnet: named(IDS.zurich), defaultOutboundAccess: null, reason: 'allowed' },
        internet('default-outbound', [], 'a Microsoft-owned default outbound IP'),
      ],
      findings: [{ code: 'default-outbound', severity: 'error', message: 'subnet-zürich-東京 relies on default outbound access.', advice: 'Attach a NAT gateway and set defaultOutboundAccess to false.' }],
    },
    {
      source: { type: 'subnet', id: IDS.isolated, name: 'snet-isolated' }, verdict: 'no-outbound', exit: null, via: [],
      egressIps: [], snatPorts: null,
      steps: [
        source(IDS.isolated, '10.1.4.0/24'),
        { kind: 'terminal', reason: { kind: 'no-outbound-method', subnet: named(IDS.isolated), reason: 'the subnet is private (defaultOutboundAccess = false) and has no explicit outbound method' } },
      ],
      findings: [{ code: 'no-outbound', severity: 'info', message: 'snet-isolated cannot reach the internet.' }],
    },
    {
      source: { type: 'nic', id: IDS.nic, name: 'nic-jump' }, verdict: 'internet', exit: 'public-ip', via: [],
      egressIps: ['52.10.10.10'], snatPorts: 64000,
      steps: [
        { kind: 'source', origin: 'nic', nic: named(IDS.nic), privateIp: '10.1.1.10', subnet: named(IDS.app) },
        { kind: 'public-ip', owner: 'instance', resourceId: IDS.pip, ownerId: IDS.pip, ownerName: 'pip-jump', publicIpName: 'pip-jump', egressIps: ['52.10.10.10'] },
        internet('public-ip', ['52.10.10.10']),
      ],
      findings: [],
    },
  ];
}

export function fixtureResult(): ResolveResult {
  return {
    schema: 'egress-atlas/resolve@1',
    destination: '0.0.0.0/0',
    paths: fixturePaths(),
    findings: [{ code: 'firewall-bypass', severity: 'warning', message: 'snet-web bypasses the hub firewall via its NAT gateway.', advice: 'Route 0.0.0.0/0 to the firewall or accept the bypass.' }],
    gaps: [{ code: 'access-denied', scope: `/subscriptions/${SUB}/resourceGroups/rg-secret`, message: 'The account has no Reader role on rg-secret.' }],
  };
}

export function fixtureSnapshot(): Snapshot {
  return {
    format: 'egress-atlas/snapshot@1',
    metadata: {
      capturedAt: '2026-11-20T10:00:00.000Z', source: 'import', origin: ['estate.json'], capturedBy: null,
      scope: { tenantId: 'contoso.onmicrosoft.com', subscriptionIds: [SUB], managementGroupId: null, cloud: 'AzurePublicCloud' },
      toolVersion: '0.1.0',
    },
    model: fixtureModel(),
    effectiveRoutes: [{ networkInterfaceId: IDS.nic, routes: [
      { name: null, source: 'Default', state: 'Active', addressPrefixes: ['10.1.0.0/16'], nextHopType: 'VnetLocal', nextHopIpAddresses: [], disableBgpRoutePropagation: false },
      { name: 'default-to-fw', source: 'User', state: 'Active', addressPrefixes: ['0.0.0.0/0'], nextHopType: 'VirtualAppliance', nextHopIpAddresses: ['10.0.1.4'], disableBgpRoutePropagation: false },
    ] }],
    metrics: [{ resourceId: IDS.natGateway, metricName: 'SNATConnectionCount', filter: "ConnectionState eq 'Failed'", aggregation: 'Total', windowStart: '2026-11-19T10:00:00Z', windowEnd: '2026-11-20T10:00:00Z', value: 42, unit: 'Count' }],
    gaps: [{ code: 'effective-routes-unavailable', scope: IDS.app, message: 'No running VM in snet-app to read effective routes from.' }],
    sha256: 'a3f1c2d4e5b6978812345678909abcdefa3f1c2d4e5b6978812345678909abcd',
  };
}

export const EXPORTED_AT = new Date('2026-11-26T06:00:00.000Z');
