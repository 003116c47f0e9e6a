/** Small hand-made results and models for the renderer's pure tests. */
import type { EgressPath, Finding, ResolveResult } from '../../shared/egress/types';
import type { OpenedEstate } from '../../shared/ipc/contract';
import { emptyNetworkModel, type NetworkModel, type Subnet, type VirtualNetwork, type NetworkInterface } from '../../shared/model/topology';
import { SNAPSHOT_FORMAT } from '../../shared/model/snapshot';
import { toResourceId, type ResourceId } from '../../shared/model/ids';
import { stepOf, terminalFor, viaOf } from '../support/steps';

export const SUB_A = '11111111-1111-1111-1111-111111111111';
export const SUB_B = '22222222-2222-2222-2222-222222222222';

export function vnetId(sub: string, name: string): ResourceId {
  return toResourceId(`/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/${name}`);
}
export function subnetId(sub: string, vnet: string, name: string): ResourceId {
  return toResourceId(`${vnetId(sub, vnet)}/subnets/${name}`);
}
export function nicId(sub: string, name: string): ResourceId {
  return toResourceId(`/subscriptions/${sub}/resourceGroups/rg-app/providers/Microsoft.Network/networkInterfaces/${name}`);
}
export const FIREWALL_ID = toResourceId(`/subscriptions/${SUB_A}/resourceGroups/rg-net/providers/Microsoft.Network/azureFirewalls/afw-hub`);
export const NVA_NIC_ID = nicId(SUB_A, 'nic-nva-01');

function vnet(sub: string, name: string, prefix: string, subnets: readonly ResourceId[]): VirtualNetwork {
  return {
    kind: 'virtualNetwork', id: vnetId(sub, name), name, subscriptionId: sub, resourceGroup: 'rg-net', location: 'westeurope',
    tags: { owner: 'netops@contoso.example', costCenter: 'CC-1234' }, addressPrefixes: [prefix], subnetIds: subnets, peerings: [],
  };
}

function subnet(sub: string, vnetName: string, name: string, prefix: string): Subnet {
  return {
    kind: 'subnet', id: subnetId(sub, vnetName, name), name, subscriptionId: sub, resourceGroup: 'rg-net', location: 'westeurope', tags: {},
    virtualNetworkId: vnetId(sub, vnetName), addressPrefixes: [prefix], routeTableId: null, natGatewayId: null, networkSecurityGroupId: null,
    defaultOutboundAccess: null, delegations: [], serviceEndpoints: [], privateEndpointNetworkPolicies: null,
  };
}

function nic(sub: string, name: string, subnetRef: ResourceId, ip: string): NetworkInterface {
  return {
    kind: 'networkInterface', id: nicId(sub, name), name, subscriptionId: sub, resourceGroup: 'rg-app', location: 'westeurope', tags: {},
    ipConfigurations: [{
      id: toResourceId(`${nicId(sub, name)}/ipConfigurations/ipconfig1`), name: 'ipconfig1', primary: true, privateIpAddress: ip,
      privateIpAddressVersion: 'IPv4', subnetId: subnetRef, publicIpAddressId: null, loadBalancerBackendAddressPoolIds: [],
    }],
    enableIPForwarding: false, networkSecurityGroupId: null, virtualMachineId: null, flexibleScaleSetMember: false, primary: true,
  };
}

export const APP = subnetId(SUB_A, 'vnet-spoke', 'snet-app');
export const DB = subnetId(SUB_A, 'vnet-spoke', 'snet-db');
export const LEGACY = subnetId(SUB_B, 'vnet-legacy', 'snet-legacy');
export const BUILD_NIC = nicId(SUB_A, 'nic-build-01');

export function model(): NetworkModel {
  return {
    ...emptyNetworkModel(),
    virtualNetworks: [vnet(SUB_A, 'vnet-spoke', '10.1.0.0/16', [APP, DB]), vnet(SUB_B, 'vnet-legacy', '10.2.0.0/16', [LEGACY])],
    subnets: [subnet(SUB_A, 'vnet-spoke', 'snet-app', '10.1.1.0/24'), subnet(SUB_A, 'vnet-spoke', 'snet-db', '10.1.2.0/24'), subnet(SUB_B, 'vnet-legacy', 'snet-legacy', '10.2.1.0/24')],
    networkInterfaces: [nic(SUB_A, 'nic-build-01', APP, '10.1.1.10')],
  };
}

const warning: Finding = { code: 'default-outbound', severity: 'warning', message: 'Uses default outbound access.' };
const error: Finding = { code: 'next-hop-unreachable', severity: 'error', message: 'Next hop is not in the model.' };

export function path(id: string, name: string, type: 'subnet' | 'nic', fields: Partial<EgressPath>): EgressPath {
  return {
    source: { type, id, name }, verdict: 'internet', exit: null, via: [], egressIps: [], snatPorts: null, findings: [],
    ...fields,
    steps: [stepOf('source', id), terminalFor(fields.verdict ?? 'internet', id)],
  };
}

export function result(): ResolveResult {
  return {
    schema: 'egress-atlas/resolve@1',
    destination: '0.0.0.0/0',
    paths: [
      path(APP, 'snet-app', 'subnet', { exit: 'nat-gateway', via: [viaOf(FIREWALL_ID)], egressIps: ['20.1.1.1'] }),
      path(DB, 'snet-db', 'subnet', { verdict: 'dropped', findings: [error] }),
      path(LEGACY, 'snet-legacy', 'subnet', { exit: 'default-outbound', findings: [warning] }),
      path(BUILD_NIC, 'nic-build-01', 'nic', { exit: 'public-ip', egressIps: ['20.9.9.9'] }),
    ],
    findings: [],
    gaps: [],
  };
}

export function estate(): OpenedEstate {
  const m = model();
  return {
    summary: { estateId: 'e1', title: 'Test estate', subnetCount: 3, networkInterfaceCount: 1, virtualNetworkCount: 2 },
    snapshot: {
      format: SNAPSHOT_FORMAT,
      metadata: {
        capturedAt: '2026-01-01T00:00:00Z', source: 'import', origin: [], capturedBy: null,
        scope: { tenantId: null, subscriptionIds: [], managementGroupId: null, cloud: null }, toolVersion: 'test',
      },
      model: m, effectiveRoutes: [], metrics: [], gaps: [], sha256: '',
    },
  };
}
