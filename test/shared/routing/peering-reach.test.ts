/**
 * Peering reachability follows what each peering carries: `remoteAddressSpace` (not the remote
 * VNet's current space), subnet peering (`peerCompleteVnets: false` with local / remote subnet
 * names), `peeringSyncLevel`, and the peering state. Peerings are given as Azure returns them (REST
 * with `properties`, and az-flattened) and run through the real normalizer.
 *  - https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
 *  - https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering
 *  - https://learn.microsoft.com/azure/virtual-network/update-virtual-network-peering-address-space
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { toResourceId } from '../../../shared/model/ids';
import { buildModelIndex, type ModelIndex } from '../../../shared/model/model-index';
import type { Subnet, VirtualNetworkPeering } from '../../../shared/model/topology';
import { lookupRoute, peeringReach, RouteSetBuilder } from '../../../shared/routing';
import { parseIp } from '../../../shared/model/ip';
import { flattenRest } from '../arm/helpers';

const NET = '/subscriptions/00000000-0000-0000-0000-0000000000bb/resourceGroups/rg-net/providers/Microsoft.Network';

interface PeeringProps { readonly [key: string]: unknown }

function vnet(name: string, prefixes: readonly string[], subnets: readonly (readonly [string, string])[], peerings: readonly (readonly [string, PeeringProps])[]): unknown {
  return {
    id: `${NET}/virtualNetworks/${name}`, name, type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: {
      addressSpace: { addressPrefixes: prefixes },
      subnets: subnets.map(([subnet, prefix]) => ({ id: `${NET}/virtualNetworks/${name}/subnets/${subnet}`, name: subnet, properties: { addressPrefix: prefix } })),
      virtualNetworkPeerings: peerings.map(([peeringName, props]) => ({
        id: `${NET}/virtualNetworks/${name}/virtualNetworkPeerings/${peeringName}`, name: peeringName,
        properties: { allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: false, useRemoteGateways: false, ...props },
      })),
    },
  };
}

const space = (...prefixes: string[]) => ({ addressPrefixes: prefixes });

function load(resources: readonly unknown[], flattened: boolean): ModelIndex {
  return buildModelIndex(normalizeArm([{ fileName: 'peering.json', json: flattened ? resources.map(flattenRest) : resources }]).model);
}

function subnet(index: ModelIndex, vnetName: string, name: string): Subnet {
  const found = index.subnets.get(toResourceId(`${NET}/virtualNetworks/${vnetName}/subnets/${name}`));
  if (!found) throw new Error(`no subnet ${vnetName}/${name}`);
  return found;
}

function peering(index: ModelIndex, vnetName: string, name: string): VirtualNetworkPeering {
  const found = index.virtualNetworks.get(toResourceId(`${NET}/virtualNetworks/${vnetName}`))?.peerings.find((p) => p.name === name);
  if (!found) throw new Error(`no peering ${name}`);
  return found;
}

function peeringRoutePrefixes(index: ModelIndex, s: Subnet): string[] {
  return new RouteSetBuilder(index, []).routesFor(s).routes.filter((r) => r.origin === 'peering').map((r) => r.addressPrefix);
}

/**
 * spoke (10.1.0.0/16) ↔ hub. The hub added 10.99.0.0/16 to its address space; the spoke's peering
 * was not synced: remoteAddressSpace still shows only 10.0.0.0/16, sync level RemoteNotInSync.
 */
function unsyncedEstate(): unknown[] {
  return [
    vnet('spoke', ['10.1.0.0/16'], [['app', '10.1.1.0/24']], [['spoke-to-hub', {
      remoteVirtualNetwork: { id: `${NET}/virtualNetworks/hub` }, peeringState: 'Connected', peeringSyncLevel: 'RemoteNotInSync',
      remoteAddressSpace: space('10.0.0.0/16'), remoteVirtualNetworkAddressSpace: space('10.0.0.0/16', '10.99.0.0/16'),
    }]]),
    vnet('hub', ['10.0.0.0/16', '10.99.0.0/16'], [['nva', '10.0.1.0/24'], ['new', '10.99.1.0/24']], [['hub-to-spoke', {
      remoteVirtualNetwork: { id: `${NET}/virtualNetworks/spoke` }, peeringState: 'Connected', peeringSyncLevel: 'LocalNotInSync',
      remoteAddressSpace: space('10.1.0.0/16'), remoteVirtualNetworkAddressSpace: space('10.1.0.0/16'),
    }]]),
  ];
}

/**
 * Subnet peering (Learn's example): vnet-1 subnet-1 ↔ vnet-2 subnet-3 only.
 * remoteAddressSpace lists only the peered remote subnets' ranges.
 */
function subnetPeeringEstate(): unknown[] {
  return [
    vnet('vnet-1', ['10.0.0.0/16'], [['subnet-1', '10.0.1.0/24'], ['subnet-2', '10.0.2.0/24']], [['vnet-1_to_vnet-2', {
      remoteVirtualNetwork: { id: `${NET}/virtualNetworks/vnet-2` }, peeringState: 'Connected', peeringSyncLevel: 'FullyInSync',
      peerCompleteVnets: false, localSubnetNames: ['subnet-1'], remoteSubnetNames: ['subnet-3'],
      remoteAddressSpace: space('10.1.1.0/24'), remoteVirtualNetworkAddressSpace: space('10.1.0.0/16'),
    }]]),
    vnet('vnet-2', ['10.1.0.0/16'], [['subnet-3', '10.1.1.0/24'], ['subnet-4', '10.1.2.0/24']], [['vnet-2_to_vnet-1', {
      remoteVirtualNetwork: { id: `${NET}/virtualNetworks/vnet-1` }, peeringState: 'Connected', peeringSyncLevel: 'FullyInSync',
      peerCompleteVnets: false, localSubnetNames: ['subnet-3'], remoteSubnetNames: ['subnet-1'],
      remoteAddressSpace: space('10.0.1.0/24'), remoteVirtualNetworkAddressSpace: space('10.0.0.0/16'),
    }]]),
  ];
}

for (const flattened of [false, true]) {
  const shape = flattened ? 'az-flattened' : 'REST';

  describe(`peering address-space sync (${shape} shape)`, () => {
    // "When an update is made to the address space for a virtual network, you will need to sync the
    // virtual network peer for each remote peered VNet to learn of the new address space updates."
    // https://learn.microsoft.com/azure/virtual-network/update-virtual-network-peering-address-space
    it('parses remoteAddressSpace, remoteVirtualNetworkAddressSpace and peeringSyncLevel separately', () => {
      const index = load(unsyncedEstate(), flattened);
      expect(peering(index, 'spoke', 'spoke-to-hub')).toMatchObject({
        remoteAddressPrefixes: ['10.0.0.0/16'], remoteVirtualNetworkAddressPrefixes: ['10.0.0.0/16', '10.99.0.0/16'], peeringSyncLevel: 'RemoteNotInSync',
      });
    });

    it('installs peering routes only for the synced remote range, not the remote VNet\'s whole current space', () => {
      const index = load(unsyncedEstate(), flattened);
      expect(peeringRoutePrefixes(index, subnet(index, 'spoke', 'app'))).toEqual(['10.0.0.0/16']);
      const ip = parseIp('10.99.1.4');
      if (!ip) throw new Error('ip');
      // The unsynced range is not routed through the peering: the system None route for 10/8 wins.
      const winner = lookupRoute(new RouteSetBuilder(index, []).routesFor(subnet(index, 'spoke', 'app')).routes, { kind: 'address', ip }).winner;
      expect(winner?.nextHop).toEqual({ kind: 'known', type: 'None' });
    });

    it('peeringReach: an address in the unsynced remote range is not carried, and says the peering must be synced', () => {
      const index = load(unsyncedEstate(), flattened);
      const reach = peeringReach(index, peering(index, 'spoke', 'spoke-to-hub'), subnet(index, 'spoke', 'app'), '10.99.1.4');
      expect(reach.kind).toBe('not-carried');
      expect(reach.kind === 'not-carried' ? reach.reason : '').toMatch(/RemoteNotInSync.*not synced/);
    });

    it('peeringReach: an address in the synced range is carried', () => {
      const index = load(unsyncedEstate(), flattened);
      expect(peeringReach(index, peering(index, 'spoke', 'spoke-to-hub'), subnet(index, 'spoke', 'app'), '10.0.1.4')).toEqual({ kind: 'carried' });
    });
  });

  describe(`subnet peering (${shape} shape)`, () => {
    // "only those subnets are peered": subnet-1 ↔ subnet-3
    // https://learn.microsoft.com/azure/virtual-network/how-to-configure-subnet-peering
    it('parses peerCompleteVnets, localSubnetNames and remoteSubnetNames', () => {
      const index = load(subnetPeeringEstate(), flattened);
      expect(peering(index, 'vnet-1', 'vnet-1_to_vnet-2')).toMatchObject({
        peerCompleteVnets: false, localSubnetNames: ['subnet-1'], remoteSubnetNames: ['subnet-3'], remoteAddressPrefixes: ['10.1.1.0/24'],
      });
    });

    it('a peered local subnet reaches a peered remote subnet', () => {
      const index = load(subnetPeeringEstate(), flattened);
      expect(peeringReach(index, peering(index, 'vnet-1', 'vnet-1_to_vnet-2'), subnet(index, 'vnet-1', 'subnet-1'), '10.1.1.10')).toEqual({ kind: 'carried' });
    });

    it('a remote subnet not named in the peering is not carried', () => {
      const index = load(subnetPeeringEstate(), flattened);
      const reach = peeringReach(index, peering(index, 'vnet-1', 'vnet-1_to_vnet-2'), subnet(index, 'vnet-1', 'subnet-1'), '10.1.2.10');
      expect(reach.kind).toBe('not-carried');
      expect(reach.kind === 'not-carried' ? reach.reason : '').toContain('subnet-3');
    });

    // "forward route from non-peered subnet to peered subnet exists ... although the packet gets dropped and don't reach VM"
    it('a local subnet not named in the peering is not carried, although Azure still installs the route (the route name says so)', () => {
      const index = load(subnetPeeringEstate(), flattened);
      const reach = peeringReach(index, peering(index, 'vnet-1', 'vnet-1_to_vnet-2'), subnet(index, 'vnet-1', 'subnet-2'), '10.1.1.10');
      expect(reach.kind).toBe('not-carried');
      expect(reach.kind === 'not-carried' ? reach.reason : '').toMatch(/subnet-2 is not one of the local subnets.*dropped/);
      const builder = new RouteSetBuilder(index, []);
      const peered = builder.routesFor(subnet(index, 'vnet-1', 'subnet-1'));
      const notPeered = builder.routesFor(subnet(index, 'vnet-1', 'subnet-2'));
      expect(peered.key).not.toBe(notPeered.key);
      expect(peered.routes.filter((r) => r.origin === 'peering').map((r) => [r.addressPrefix, r.name])).toEqual([['10.1.1.0/24', 'Peering vnet-1_to_vnet-2']]);
      expect(notPeered.routes.filter((r) => r.origin === 'peering').map((r) => r.name)).toEqual([expect.stringContaining('not in the subnet peering')]);
    });

    it('subnet names compare case-insensitively (Azure names do)', () => {
      const resources = subnetPeeringEstate();
      const index = load(JSON.parse(JSON.stringify(resources).replace('"localSubnetNames":["subnet-1"]', '"localSubnetNames":["SUBNET-1"]')) as unknown[], flattened);
      expect(peeringReach(index, peering(index, 'vnet-1', 'vnet-1_to_vnet-2'), subnet(index, 'vnet-1', 'subnet-1'), '10.1.1.10')).toEqual({ kind: 'carried' });
    });
  });
}

describe('peering state and what the snapshot can tell', () => {
  // Only a Connected peering carries traffic: https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
  it('an Initiated peering carries nothing', () => {
    const resources = [vnet('a', ['10.1.0.0/16'], [['app', '10.1.1.0/24']], [['a-to-b', {
      remoteVirtualNetwork: { id: `${NET}/virtualNetworks/b` }, peeringState: 'Initiated', remoteAddressSpace: space('10.2.0.0/16'),
    }]])];
    const index = load(resources, false);
    const reach = peeringReach(index, peering(index, 'a', 'a-to-b'), subnet(index, 'a', 'app'), '10.2.0.4');
    expect(reach).toEqual({ kind: 'not-carried', reason: expect.stringContaining('Initiated') });
  });

  it('a peering in a state Azure may add later is unknown, not carried', () => {
    const resources = [vnet('a', ['10.1.0.0/16'], [['app', '10.1.1.0/24']], [['a-to-b', {
      remoteVirtualNetwork: { id: `${NET}/virtualNetworks/b` }, peeringState: 'Updating', remoteAddressSpace: space('10.2.0.0/16'),
    }]])];
    const index = load(resources, false);
    expect(peeringReach(index, peering(index, 'a', 'a-to-b'), subnet(index, 'a', 'app'), '10.2.0.4').kind).toBe('unknown');
  });

  it('a remote VNet out of scope with no reported address space is unknown', () => {
    const resources = [vnet('a', ['10.1.0.0/16'], [['app', '10.1.1.0/24']], [['a-to-b', {
      remoteVirtualNetwork: { id: `${NET}/virtualNetworks/b` }, peeringState: 'Connected',
    }]])];
    const index = load(resources, false);
    expect(peeringReach(index, peering(index, 'a', 'a-to-b'), subnet(index, 'a', 'app'), '10.2.0.4').kind).toBe('unknown');
  });

  it('a remote VNet out of scope: remoteAddressSpace alone decides', () => {
    const resources = [vnet('a', ['10.1.0.0/16'], [['app', '10.1.1.0/24']], [['a-to-b', {
      remoteVirtualNetwork: { id: `${NET}/virtualNetworks/b` }, peeringState: 'Connected', remoteAddressSpace: space('10.2.0.0/16'),
    }]])];
    const index = load(resources, false);
    expect(peeringReach(index, peering(index, 'a', 'a-to-b'), subnet(index, 'a', 'app'), '10.2.0.4')).toEqual({ kind: 'carried' });
    expect(peeringReach(index, peering(index, 'a', 'a-to-b'), subnet(index, 'a', 'app'), '10.3.0.4').kind).toBe('not-carried');
  });

  it('replies need the way back: the remote side\'s peering must carry the local subnet\'s range', () => {
    // The spoke added 10.50.0.0/16 (its new subnet lives there); the hub's peering back was not synced.
    const resources = [
      vnet('spoke', ['10.1.0.0/16', '10.50.0.0/16'], [['new', '10.50.1.0/24']], [['spoke-to-hub', {
        remoteVirtualNetwork: { id: `${NET}/virtualNetworks/hub` }, peeringState: 'Connected', peeringSyncLevel: 'LocalNotInSync', remoteAddressSpace: space('10.0.0.0/16'),
      }]]),
      vnet('hub', ['10.0.0.0/16'], [['nva', '10.0.1.0/24']], [['hub-to-spoke', {
        remoteVirtualNetwork: { id: `${NET}/virtualNetworks/spoke` }, peeringState: 'Connected', peeringSyncLevel: 'RemoteNotInSync',
        remoteAddressSpace: space('10.1.0.0/16'), remoteVirtualNetworkAddressSpace: space('10.1.0.0/16', '10.50.0.0/16'),
      }]]),
    ];
    const index = load(resources, false);
    const reach = peeringReach(index, peering(index, 'spoke', 'spoke-to-hub'), subnet(index, 'spoke', 'new'), '10.0.1.4');
    expect(reach.kind).toBe('not-carried');
    expect(reach.kind === 'not-carried' ? reach.reason : '').toMatch(/10\.50\.1\.0\/24.*replies cannot return/);
  });

  // "Only changes the definition of the VirtualNetwork service tag. It doesn't fully prevent traffic
  // flow across the peer connection" [PEERMANAGE]: not known, never "not carried".
  it('allowVirtualNetworkAccess = false: whether the traffic flows is not known (NSG rules may still allow it)', () => {
    const resources = [vnet('a', ['10.1.0.0/16'], [['app', '10.1.1.0/24']], [['a-to-b', {
      remoteVirtualNetwork: { id: `${NET}/virtualNetworks/b` }, peeringState: 'Connected', remoteAddressSpace: space('10.2.0.0/16'), allowVirtualNetworkAccess: false,
    }]])];
    const index = load(resources, false);
    expect(peeringReach(index, peering(index, 'a', 'a-to-b'), subnet(index, 'a', 'app'), '10.2.0.4').kind).toBe('unknown');
  });
});
