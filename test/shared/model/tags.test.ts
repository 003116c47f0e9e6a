import { describe, expect, it } from 'vitest';
import { toResourceId, type ResourceId } from '../../../shared/model/ids';
import { effectiveTags } from '../../../shared/model/tags';
import type { NetworkResource, Subnet, VirtualNetwork } from '../../../shared/model/topology';

const VNET = toResourceId('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-spoke');
const SUBNET = toResourceId(`${VNET}/subnets/snet-app`);

function vnet(tags: Record<string, string>): VirtualNetwork {
  return { kind: 'virtualNetwork', id: VNET, name: 'vnet-spoke', subscriptionId: 's', resourceGroup: 'rg', location: 'westeurope', tags, addressPrefixes: ['10.1.0.0/16'], subnetIds: [SUBNET], peerings: [] };
}

function subnet(tags: Record<string, string>): Subnet {
  return {
    kind: 'subnet', id: SUBNET, name: 'snet-app', subscriptionId: 's', resourceGroup: 'rg', location: 'westeurope', tags, virtualNetworkId: VNET,
    addressPrefixes: ['10.1.1.0/24'], routeTableId: null, natGatewayId: null, networkSecurityGroupId: null, defaultOutboundAccess: null,
    delegations: [], serviceEndpoints: [], privateEndpointNetworkPolicies: null,
  };
}

const lookup = (resources: readonly NetworkResource[]) => (id: ResourceId) => resources.find((r) => r.id === id);

describe('effectiveTags', () => {
  it('gives an untagged subnet its VNet\'s tags and names the VNet', () => {
    const parent = vnet({ owner: 'spoke-team' });
    expect(effectiveTags(subnet({}), lookup([parent]))).toEqual({ tags: { owner: 'spoke-team' }, inheritedFrom: parent });
  });

  it('keeps a resource\'s own tags, and invents nothing when no parent is tagged or modelled', () => {
    expect(effectiveTags(subnet({ owner: 'app-team' }), lookup([vnet({ owner: 'spoke-team' })]))).toEqual({ tags: { owner: 'app-team' }, inheritedFrom: null });
    expect(effectiveTags(subnet({}), lookup([vnet({})]))).toEqual({ tags: {}, inheritedFrom: null });
    expect(effectiveTags(subnet({}), lookup([]))).toEqual({ tags: {}, inheritedFrom: null });
  });
});
