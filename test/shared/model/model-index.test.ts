import { describe, expect, it } from 'vitest';
import type { ResourceId } from '../../../shared/model/ids';
import { buildModelIndex } from '../../../shared/model/model-index';
import { ModelBuilder } from '../../support/model-builder';

describe('buildModelIndex', () => {
  it('indexes subnets → VNet, NICs by subnet, private IP owners per VNet, peerings both ways and public IP attachments', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub);
    const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26');
    const fwPip = b.publicIp('fw-pip', '20.0.0.10');
    const fw = b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', publicIpIds: [fwPip] });
    const s = b.subnet(spoke, 'app', '10.1.1.0/24');
    const nic = b.nic(s, 'vm-nic', '10.1.1.4');
    const index = buildModelIndex(b.build());
    expect(index.subnetVirtualNetwork.get(s)?.id).toBe(spoke);
    expect(index.subnetNics.get(s)?.map((n) => n.id)).toEqual([nic]);
    expect(index.privateIpOwner(hub, '10.0.1.4')).toMatchObject({ kind: 'azure-firewall', firewall: { id: fw } });
    expect(index.privateIpOwner(spoke, '10.1.1.4')).toMatchObject({ kind: 'nic', nic: { id: nic } });
    expect(index.privateIpOwner(spoke, '10.0.1.4')).toBeUndefined();
    expect(index.peerings.get(spoke)?.map((p) => p.peering.remoteVirtualNetworkId)).toEqual([hub]);
    expect(index.inboundPeerings.get(spoke)?.map((p) => p.localVirtualNetwork.id)).toEqual([hub]);
    expect(index.publicIpAttachments.get(fwPip)).toMatchObject({ kind: 'azure-firewall' });
    expect(index.gaps).toEqual([]);
  });

  it('turns every dangling reference into a missing-reference gap instead of throwing', () => {
    const b = new ModelBuilder();
    const v = b.vnet('v', ['10.0.0.0/16']);
    const ghost = (type: string) => `/subscriptions/x/resourcegroups/rg/providers/microsoft.network/${type}/ghost` as ResourceId;
    const s = b.subnet(v, 'app', '10.0.1.0/24', { routeTableId: ghost('routetables'), natGatewayId: ghost('natgateways'), networkSecurityGroupId: ghost('networksecuritygroups') });
    b.nic(s, 'nic', '10.0.1.4', { publicIpId: ghost('publicipaddresses') });
    const index = buildModelIndex(b.build());
    expect(index.gaps.map((g) => g.code)).toEqual(['missing-reference', 'missing-reference', 'missing-reference', 'missing-reference']);
    expect(index.gaps.map((g) => g.message.split(' ')[0])).toEqual(['Route', 'NAT', 'Network', 'Public']);
  });
});
