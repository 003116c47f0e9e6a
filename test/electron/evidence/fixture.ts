/**
 * A small hand-made estate and resolver output for the evidence tests: a hub firewall spoke, a NAT
 * gateway subnet, a default-outbound subnet with a Unicode name, a private subnet with no way out
 * and a NIC exception with its own public IP. Built by hand so these tests do not depend on the
 * resolver.
 */
import type { EgressPath, Hop, ResolveResult } from '../../../shared/egress/types';
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
      subnet(IDS.web, 'snet-web', '10.1.2.0/24', { natGatewayId: IDS.natGateway }),
      subnet(IDS.zurich, 'subnet-zürich-東京', '10.1.3.0/24', { tags: { Owner: 'Zoë Müller', 'Cost-Center': 'CC-4711' } }),
      subnet(IDS.isolated, 'snet-isolated', '10.1.4.0/24', { defaultOutboundAccess: false }),
    ],
    routeTables: [{ kind: 'routeTable', ...base(IDS.routeTable, 'rt-spoke', { owner: 'netops@contoso.example', costCenter: 'CC-1001' }), routes: [
      { id: IDS.route, name: 'default-to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', hasBgpOverride: false },
    ], disableBgpRoutePropagation: false }],
    natGateways: [{ kind: 'natGateway', ...base(IDS.natGateway, 'ng-web', { owner: 'web-team' }), skuName: 'Standard', publicIpAddressIds: [], publicIpPrefixIds: [], idleTimeoutInMinutes: 4, subnetIds: [IDS.web] }],
    azureFirewalls: [{ kind: 'azureFirewall', ...base(IDS.firewall, 'afw-hub', { Owner: 'security', CostCentre: 'CC-2002' }), skuName: 'AZFW_VNet', skuTier: 'Standard', ipConfigurations: [], managementIpConfiguration: null, firewallPolicyId: null, virtualHubId: null, hubPrivateIpAddress: null, hubPublicIpAddresses: [], rules: [] }],
    networkInterfaces: [{ kind: 'networkInterface', ...base(IDS.nic, 'nic-jump'), ipConfigurations: [{ id: toResourceId(`${IDS.nic}/ipConfigurations/ipconfig1`), name: 'ipconfig1', primary: true, privateIpAddress: '10.1.1.10', privateIpAddressVersion: 'IPv4', subnetId: IDS.app, publicIpAddressId: IDS.pip, loadBalancerBackendAddressPoolIds: [] }], enableIPForwarding: false, networkSecurityGroupId: null, virtualMachineId: null, flexibleScaleSetMember: false, primary: true }],
  };
}

function hop(kind: Hop['kind'], id: string, rule: string, explanation: string): Hop {
  return { kind, id, rule, explanation, docs: `https://learn.microsoft.com/azure/${kind}`, verify: `az network ${kind} show --ids ${id}` };
}

const internet = hop('internet', 'internet', 'Internet', 'Traffic leaves Azure for the internet.');

export function fixturePaths(): readonly EgressPath[] {
  return [
    {
      source: { type: 'subnet', id: IDS.app, name: 'snet-app' }, verdict: 'internet', exit: 'public-ip', via: [IDS.firewall],
      egressIps: ['20.50.1.1'], snatPorts: 2496,
      hops: [
        hop('source', IDS.app, 'subnet snet-app 10.1.1.0/24', 'Traffic starts in snet-app.'),
        hop('route', IDS.route, 'UDR default-to-fw 0.0.0.0/0 → VirtualAppliance 10.0.1.4', 'The user-defined route wins longest-prefix match over the system default route.'),
        hop('azure-firewall', IDS.firewall, 'Azure Firewall afw-hub (SNAT to its public IP)', 'The firewall inspects and SNATs the traffic.'),
        internet,
      ],
      findings: [],
    },
    {
      source: { type: 'subnet', id: IDS.web, name: 'snet-web' }, verdict: 'internet', exit: 'nat-gateway', via: [],
      egressIps: ['20.60.2.0/30'], snatPorts: 64512,
      hops: [hop('source', IDS.web, 'subnet snet-web 10.1.2.0/24', 'Traffic starts in snet-web.'), hop('nat-gateway', IDS.natGateway, 'NAT gateway ng-web on the subnet', 'A NAT gateway takes precedence over every other outbound method.'), internet],
      findings: [{ code: 'snat-capacity', severity: 'warning', message: 'Failed SNAT connections were captured on ng-web.', advice: 'Add public IPs or a prefix to the NAT gateway.', resourceIds: [IDS.natGateway], docs: 'https://learn.microsoft.com/azure/nat-gateway/troubleshoot-nat' }],
    },
    {
      source: { type: 'subnet', id: IDS.zurich, name: 'subnet-zürich-東京' }, verdict: 'internet', exit: 'default-outbound', via: [],
      egressIps: [], snatPorts: null,
      hops: [hop('source', IDS.zurich, 'subnet subnet-zürich-東京 10.1.3.0/24', 'Traffic starts in subnet-zürich-東京.'), hop('default-outbound', 'default-outbound', 'Default outbound access', 'No explicit outbound method: Azure assigns an IP it owns.'), internet],
      findings: [{ code: 'default-outbound', severity: 'error', message: 'subnet-zürich-東京 relies on default outbound access.', advice: 'Attach a NAT gateway and set defaultOutboundAccess to false.' }],
    },
    {
      source: { type: 'subnet', id: IDS.isolated, name: 'snet-isolated' }, verdict: 'no-outbound', exit: null, via: [],
      egressIps: [], snatPorts: null,
      hops: [hop('source', IDS.isolated, 'subnet snet-isolated 10.1.4.0/24', 'Traffic starts in snet-isolated.'), hop('drop', 'no-outbound', 'Private subnet, no outbound method', 'defaultOutboundAccess is false and nothing else gives the subnet a way out.')],
      findings: [{ code: 'no-outbound', severity: 'info', message: 'snet-isolated cannot reach the internet.' }],
    },
    {
      source: { type: 'nic', id: IDS.nic, name: 'nic-jump' }, verdict: 'internet', exit: 'public-ip', via: [],
      egressIps: ['52.10.10.10'], snatPorts: 64000,
      hops: [hop('source', IDS.nic, 'NIC nic-jump 10.1.1.10', 'Traffic starts on the NIC.'), hop('public-ip', IDS.pip, 'Instance public IP pip-jump', 'A public IP on the NIC is used before the subnet route.'), internet],
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
