/**
 * A small hand-made hub-spoke estate and resolver result for the graph tests:
 *
 *   vnet-hub     AzureFirewallSubnet (fw-hub 10.0.1.4, pip-fw 20.0.0.1), GatewaySubnet (vgw-hub), mgmt → on-premises
 *   vnet-spoke1  app, data → fw-hub → internet from 20.0.0.1; locked → fw-hub → denied; vm1-nic (own PIP 20.0.0.3)
 *   vnet-spoke2  web → nat-spoke2 → internet from 20.0.0.2
 */
import type { Step } from '../../../shared/egress/steps';
import type { EgressPath, ExitMethod, ResolveResult, Verdict } from '../../../shared/egress/types';
import { stepOf, terminalFor, viaOf } from '../../support/steps';
import type { FixtureStepKind } from '../../support/steps';
import { RESOLVE_SCHEMA } from '../../../shared/egress/types';
import type { ResourceId } from '../../../shared/model/ids';
import { toResourceId } from '../../../shared/model/ids';
import type {
  AzureFirewall, NatGateway, NetworkInterface, NetworkModel, PublicIpAddress, Subnet, VirtualNetwork, VirtualNetworkGateway,
} from '../../../shared/model/topology';
import { emptyNetworkModel } from '../../../shared/model/topology';

const RG = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network';

export function rid(type: string, name: string, child?: string): ResourceId {
  return toResourceId(`${RG}/${type}/${name}${child === undefined ? '' : `/${child}`}`);
}

export const ids = {
  hub: rid('virtualnetworks', 'vnet-hub'),
  spoke1: rid('virtualnetworks', 'vnet-spoke1'),
  spoke2: rid('virtualnetworks', 'vnet-spoke2'),
  firewallSubnet: rid('virtualnetworks', 'vnet-hub', 'subnets/azurefirewallsubnet'),
  mgmt: rid('virtualnetworks', 'vnet-hub', 'subnets/mgmt'),
  app: rid('virtualnetworks', 'vnet-spoke1', 'subnets/app'),
  data: rid('virtualnetworks', 'vnet-spoke1', 'subnets/data'),
  locked: rid('virtualnetworks', 'vnet-spoke1', 'subnets/locked'),
  web: rid('virtualnetworks', 'vnet-spoke2', 'subnets/web'),
  firewall: rid('azurefirewalls', 'fw-hub'),
  gateway: rid('virtualnetworkgateways', 'vgw-hub'),
  nat: rid('natgateways', 'nat-spoke2'),
  nic: rid('networkinterfaces', 'vm1-nic'),
  pipFirewall: rid('publicipaddresses', 'pip-fw'),
  pipNat: rid('publicipaddresses', 'pip-nat'),
  pipVm: rid('publicipaddresses', 'pip-vm1'),
} as const;

const base = (id: ResourceId, name: string) => ({ id, name, subscriptionId: 's1', resourceGroup: 'rg', location: 'westeurope', tags: {} });

function vnet(id: ResourceId, name: string, prefix: string, subnetIds: readonly ResourceId[]): VirtualNetwork {
  return { ...base(id, name), kind: 'virtualNetwork', addressPrefixes: [prefix], subnetIds, peerings: [] };
}

function subnet(id: ResourceId, name: string, vnetId: ResourceId, prefix: string, natGatewayId: ResourceId | null = null): Subnet {
  return {
    ...base(id, name), kind: 'subnet', virtualNetworkId: vnetId, addressPrefixes: [prefix], routeTableId: null, natGatewayId,
    networkSecurityGroupId: null, defaultOutboundAccess: null, delegations: [], serviceEndpoints: [], privateEndpointNetworkPolicies: null,
  };
}

function pip(id: ResourceId, name: string, ipAddress: string): PublicIpAddress {
  return { ...base(id, name), kind: 'publicIpAddress', ipAddress, skuName: 'Standard', version: 'IPv4', ipConfigurationId: null, publicIpPrefixId: null };
}

const firewall: AzureFirewall = {
  ...base(ids.firewall, 'fw-hub'), kind: 'azureFirewall', skuName: 'AZFW_VNet', skuTier: 'Standard',
  ipConfigurations: [{ id: rid('azurefirewalls', 'fw-hub', 'ipconfigurations/ipconfig'), name: 'ipconfig', privateIpAddress: '10.0.1.4', subnetId: ids.firewallSubnet, publicIpAddressId: ids.pipFirewall }],
  managementIpConfiguration: null, firewallPolicyId: null, virtualHubId: null, hubPrivateIpAddress: null, hubPublicIpAddresses: [], rules: [], snatPrivateRanges: null, snatAutoLearnPrivateRanges: false,
};

const gateway: VirtualNetworkGateway = {
  ...base(ids.gateway, 'vgw-hub'), kind: 'virtualNetworkGateway', gatewayType: 'Vpn', vpnType: 'RouteBased', virtualNetworkId: ids.hub,
  gatewayDefaultSiteId: null, enableBgp: true, publicIpAddressIds: [],
};

const nat: NatGateway = {
  ...base(ids.nat, 'nat-spoke2'), kind: 'natGateway', skuName: 'Standard', publicIpAddressIds: [ids.pipNat], publicIpPrefixIds: [],
  idleTimeoutInMinutes: 4, subnetIds: [ids.web],
};

const nic: NetworkInterface = {
  ...base(ids.nic, 'vm1-nic'), kind: 'networkInterface', enableIPForwarding: false, networkSecurityGroupId: null, virtualMachineId: null,
  flexibleScaleSetMember: false, primary: true,
  ipConfigurations: [{
    id: rid('networkinterfaces', 'vm1-nic', 'ipconfigurations/ipconfig1'), name: 'ipconfig1', primary: true, privateIpAddress: '10.1.1.10',
    privateIpAddressVersion: 'IPv4', subnetId: ids.app, publicIpAddressId: ids.pipVm, loadBalancerBackendAddressPoolIds: [],
  }],
};

export const hubSpokeModel: NetworkModel = {
  ...emptyNetworkModel(),
  virtualNetworks: [
    vnet(ids.hub, 'vnet-hub', '10.0.0.0/16', [ids.firewallSubnet, ids.mgmt]),
    vnet(ids.spoke1, 'vnet-spoke1', '10.1.0.0/16', [ids.app, ids.data, ids.locked]),
    vnet(ids.spoke2, 'vnet-spoke2', '10.2.0.0/16', [ids.web]),
  ],
  subnets: [
    subnet(ids.firewallSubnet, 'AzureFirewallSubnet', ids.hub, '10.0.1.0/26'),
    subnet(ids.mgmt, 'mgmt', ids.hub, '10.0.2.0/24'),
    subnet(ids.app, 'app', ids.spoke1, '10.1.1.0/24'),
    subnet(ids.data, 'data', ids.spoke1, '10.1.2.0/24'),
    subnet(ids.locked, 'locked', ids.spoke1, '10.1.3.0/24'),
    subnet(ids.web, 'web', ids.spoke2, '10.2.1.0/24', ids.nat),
  ],
  natGateways: [nat],
  publicIpAddresses: [pip(ids.pipFirewall, 'pip-fw', '20.0.0.1'), pip(ids.pipNat, 'pip-nat', '20.0.0.2'), pip(ids.pipVm, 'pip-vm1', '20.0.0.3')],
  networkInterfaces: [nic],
  azureFirewalls: [firewall],
  virtualNetworkGateways: [gateway],
};

/** A typed step of this kind about this resource (graph fixtures only need kinds and IDs). */
export function hop(kind: FixtureStepKind, id: string): Step {
  return stepOf(kind, id);
}

export interface PathSpec {
  readonly type?: 'subnet' | 'nic';
  readonly id: string;
  readonly name?: string;
  readonly verdict: Verdict;
  readonly exit?: ExitMethod | null;
  readonly via?: readonly string[];
  readonly egressIps?: readonly string[];
  readonly hops?: readonly Step[];
  readonly findings?: EgressPath['findings'];
}

export function path(spec: PathSpec): EgressPath {
  return {
    source: { type: spec.type ?? 'subnet', id: spec.id, name: spec.name ?? spec.id.split('/').pop() ?? spec.id },
    verdict: spec.verdict, exit: spec.exit ?? null, via: (spec.via ?? []).map(viaOf), egressIps: spec.egressIps ?? [], snatPorts: null,
    steps: [...(spec.hops ?? [hop('source', spec.id)]), terminalFor(spec.verdict, spec.id)], findings: spec.findings ?? [],
  };
}

export function result(paths: readonly EgressPath[]): ResolveResult {
  return { schema: RESOLVE_SCHEMA, destination: '0.0.0.0/0', paths: [...paths].sort((a, b) => (a.source.id < b.source.id ? -1 : 1)), findings: [], gaps: [] };
}

export const hubSpokeResult: ResolveResult = result([
  path({ id: ids.app, verdict: 'internet', exit: 'public-ip', via: [ids.firewall], egressIps: ['20.0.0.1'] }),
  path({ id: ids.data, verdict: 'internet', exit: 'public-ip', via: [ids.firewall], egressIps: ['20.0.0.1'] }),
  path({ id: ids.locked, verdict: 'denied', exit: null, via: [ids.firewall] }),
  path({ id: ids.web, verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.0.0.2'], hops: [hop('source', ids.web), hop('nat-gateway', ids.nat)] }),
  path({ id: ids.mgmt, verdict: 'on-premises', hops: [hop('source', ids.mgmt), hop('route', 'r'), hop('virtual-network-gateway', ids.gateway), hop('on-premises', 'on-premises')] }),
  path({ type: 'nic', id: ids.nic, name: 'vm1-nic', verdict: 'internet', exit: 'public-ip', egressIps: ['20.0.0.3'] }),
]);
