/**
 * Free-text ARM values that decide behaviour are parsed once, at the boundary, into closed unions:
 * case-, space-, `_`-insensitively, from REST (`properties`) and az-flattened shapes alike, and an
 * unrecognised value becomes `Unknown` (conservative, never a crash). Older snapshots with other
 * casings load through the same parsers.
 */
import { describe, expect, it } from 'vitest';
import { normalizeSnapshotModel } from '../../../electron/snapshot/validate';
import { normalizeArm } from '../../../shared/arm';
import { chooseOutboundMethod } from '../../../shared/egress/outbound';
import {
  parseFirewallSkuName, parseFirewallSkuTier, parseGatewayType, parseLoadBalancerProtocol, parseLoadBalancerSku, parseNatGatewaySku,
  parsePeeringState, parsePeeringSyncLevel, parsePublicIpSku, parseVpnType,
} from '../../../shared/model/arm-values';
import { toResourceId } from '../../../shared/model/ids';
import { buildModelIndex } from '../../../shared/model/model-index';
import type { NetworkModel } from '../../../shared/model/topology';
import { RouteSetBuilder } from '../../../shared/routing';
import { flattenRest } from './helpers';

const NET = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg1/providers/Microsoft.Network';

/** One estate in the REST shape, SKUs and enums in odd casings as exporters and hand edits produce them. */
function restEstate(casing: {
  readonly lbSku: string; readonly pipSku: string; readonly natSku: string; readonly protocol: string; readonly gatewayType: string;
  readonly vpnType: string; readonly peeringState: string; readonly syncLevel: string; readonly fwSku: string; readonly fwTier: string;
}): unknown[] {
  return [
    {
      id: `${NET}/virtualNetworks/vnet1`, name: 'vnet1', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
      properties: {
        addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
        subnets: [{ id: `${NET}/virtualNetworks/vnet1/subnets/app`, name: 'app', properties: { addressPrefix: '10.1.1.0/24' } }],
        virtualNetworkPeerings: [{
          id: `${NET}/virtualNetworks/vnet1/virtualNetworkPeerings/to-vnet2`, name: 'to-vnet2',
          properties: {
            remoteVirtualNetwork: { id: `${NET}/virtualNetworks/vnet2` }, peeringState: casing.peeringState, peeringSyncLevel: casing.syncLevel,
            remoteAddressSpace: { addressPrefixes: ['10.2.0.0/16'] }, allowVirtualNetworkAccess: true,
          },
        }],
      },
    },
    {
      id: `${NET}/publicIPAddresses/lb-pip`, name: 'lb-pip', type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope',
      sku: { name: casing.pipSku }, properties: { ipAddress: '20.1.1.1', publicIPAddressVersion: 'IPv4' },
    },
    {
      id: `${NET}/natGateways/nat1`, name: 'nat1', type: 'Microsoft.Network/natGateways', location: 'westeurope', sku: { name: casing.natSku }, properties: {},
    },
    {
      id: `${NET}/loadBalancers/lb1`, name: 'lb1', type: 'Microsoft.Network/loadBalancers', location: 'westeurope', sku: { name: casing.lbSku },
      properties: {
        frontendIPConfigurations: [{ id: `${NET}/loadBalancers/lb1/frontendIPConfigurations/fe`, name: 'fe', properties: { publicIPAddress: { id: `${NET}/publicIPAddresses/lb-pip` } } }],
        backendAddressPools: [{ id: `${NET}/loadBalancers/lb1/backendAddressPools/pool`, name: 'pool', properties: {} }],
        outboundRules: [{
          id: `${NET}/loadBalancers/lb1/outboundRules/out`, name: 'out',
          properties: { protocol: casing.protocol, frontendIPConfigurations: [{ id: `${NET}/loadBalancers/lb1/frontendIPConfigurations/fe` }], backendAddressPool: { id: `${NET}/loadBalancers/lb1/backendAddressPools/pool` } },
        }],
      },
    },
    {
      id: `${NET}/networkInterfaces/vm1-nic`, name: 'vm1-nic', type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
      properties: {
        ipConfigurations: [{
          id: `${NET}/networkInterfaces/vm1-nic/ipConfigurations/ipconfig1`, name: 'ipconfig1',
          properties: {
            primary: true, privateIPAddress: '10.1.1.4', subnet: { id: `${NET}/virtualNetworks/vnet1/subnets/app` },
            loadBalancerBackendAddressPools: [{ id: `${NET}/loadBalancers/lb1/backendAddressPools/pool` }],
          },
        }],
      },
    },
    {
      id: `${NET}/virtualNetworkGateways/gw1`, name: 'gw1', type: 'Microsoft.Network/virtualNetworkGateways', location: 'westeurope',
      properties: { gatewayType: casing.gatewayType, vpnType: casing.vpnType, enableBgp: false },
    },
    {
      id: `${NET}/azureFirewalls/fw1`, name: 'fw1', type: 'Microsoft.Network/azureFirewalls', location: 'westeurope',
      properties: { sku: { name: casing.fwSku, tier: casing.fwTier } },
    },
  ];
}

const ODD = {
  lbSku: 'standard', pipSku: 'Standard ', natSku: 'standardv2', protocol: 'tcp', gatewayType: 'VPN', vpnType: 'routebased',
  peeringState: ' connected', syncLevel: 'remotenotinsync', fwSku: 'azfw_vnet', fwTier: 'PREMIUM',
} as const;

function load(resources: readonly unknown[], flattened: boolean): NetworkModel {
  return normalizeArm([{ fileName: 'estate.json', json: flattened ? resources.map(flattenRest) : resources }]).model;
}

describe('closed unions at the ARM boundary', () => {
  for (const flattened of [false, true]) {
    const shape = flattened ? 'az-flattened' : 'REST';

    it(`parses odd casings into union members (${shape} shape)`, () => {
      const model = load(restEstate(ODD), flattened);
      expect(model.loadBalancers[0]?.skuName).toBe('Standard');
      expect(model.loadBalancers[0]?.outboundRules[0]?.protocol).toBe('Tcp');
      expect(model.publicIpAddresses[0]?.skuName).toBe('Standard');
      expect(model.natGateways[0]?.skuName).toBe('StandardV2');
      expect(model.virtualNetworkGateways[0]).toMatchObject({ gatewayType: 'Vpn', vpnType: 'RouteBased' });
      expect(model.virtualNetworks[0]?.peerings[0]).toMatchObject({ peeringState: 'Connected', peeringSyncLevel: 'RemoteNotInSync' });
      expect(model.azureFirewalls[0]).toMatchObject({ skuName: 'AZFW_VNet', skuTier: 'Premium' });
    });

    it(`maps values Azure may add later to Unknown instead of failing (${shape} shape)`, () => {
      const model = load(restEstate({
        lbSku: 'Premium', pipSku: 'Global', natSku: 'StandardV3', protocol: 'tcp', gatewayType: 'RouteServer', vpnType: 'Hybrid',
        peeringState: 'Updating', syncLevel: 'Syncing', fwSku: 'AZFW_Edge', fwTier: 'Ultra',
      }), flattened);
      expect(model.loadBalancers[0]?.skuName).toBe('Unknown');
      expect(model.publicIpAddresses[0]?.skuName).toBe('Unknown');
      expect(model.natGateways[0]?.skuName).toBe('Unknown');
      expect(model.virtualNetworkGateways[0]).toMatchObject({ gatewayType: 'Unknown', vpnType: 'Unknown' });
      expect(model.virtualNetworks[0]?.peerings[0]).toMatchObject({ peeringState: 'Unknown', peeringSyncLevel: 'Unknown' });
      expect(model.azureFirewalls[0]).toMatchObject({ skuName: 'Unknown', skuTier: 'Unknown' });
    });
  }

  // Outbound rules are a Standard load balancer feature and cover only their protocol:
  // https://learn.microsoft.com/azure/load-balancer/outbound-rules
  it('a lower-case "standard" LB with a "tcp" outbound rule gives the NIC that outbound rule (behaviour follows the parsed value)', () => {
    const index = buildModelIndex(load(restEstate(ODD), false));
    const subnet = index.subnets.get(toResourceId(`${NET}/virtualNetworks/vnet1/subnets/app`));
    const nic = index.networkInterfaces.get(toResourceId(`${NET}/networkInterfaces/vm1-nic`));
    if (!subnet || !nic) throw new Error('fixture');
    const config = nic.ipConfigurations[0] ?? null;
    expect(chooseOutboundMethod(index, subnet, { kind: 'nic', nic, ipConfiguration: config }, 'Tcp').kind).toBe('lb-outbound-rule');
    // The rule is TCP only: UDP gets no SNAT from it, and the Standard pool turns default outbound off [DOA].
    expect(chooseOutboundMethod(index, subnet, { kind: 'nic', nic, ipConfiguration: config }, 'Udp').kind).toBe('none');
  });

  // A rule protocol is not such a value: Azure's is Tcp, Udp or All, and read as Unknown the rule
  // covered no flow, a confident "no outbound". The load balancer is left out instead
  // (test/shared/arm/malformed-values.test.ts).
  it('an Unknown LB SKU claims no outbound method (conservative)', () => {
    const index = buildModelIndex(load(restEstate({ ...ODD, lbSku: 'Premium' }), false));
    const subnet = index.subnets.get(toResourceId(`${NET}/virtualNetworks/vnet1/subnets/app`));
    const nic = index.networkInterfaces.get(toResourceId(`${NET}/networkInterfaces/vm1-nic`));
    if (!subnet || !nic) throw new Error('fixture');
    const method = chooseOutboundMethod(index, subnet, { kind: 'nic', nic, ipConfiguration: nic.ipConfigurations[0] ?? null }, 'Tcp');
    expect(method.kind).not.toBe('lb-outbound-rule');
    expect(method.kind).not.toBe('lb-rule-snat');
  });

  it('a peering whose state is Unknown installs no peering route (only Connected peerings carry traffic)', () => {
    const index = buildModelIndex(load(restEstate({ ...ODD, peeringState: 'Updating' }), false));
    const subnet = index.subnets.get(toResourceId(`${NET}/virtualNetworks/vnet1/subnets/app`));
    if (!subnet) throw new Error('fixture');
    const routes = new RouteSetBuilder(index, []).routesFor(subnet).routes;
    expect(routes.filter((r) => r.origin === 'peering')).toEqual([]);
  });
});

describe('the parsers', () => {
  it('ignore case, surrounding and inner spaces, underscores and hyphens; "*" is All', () => {
    expect(parsePublicIpSku(' standard v2 ')).toBe('StandardV2');
    expect(parsePublicIpSku('BASIC')).toBe('Basic');
    expect(parseLoadBalancerSku('gateway')).toBe('Gateway');
    expect(parseNatGatewaySku('Standard_V2')).toBe('StandardV2');
    expect(parseFirewallSkuName('AZFW-Hub')).toBe('AZFW_Hub');
    expect(parseFirewallSkuTier('basic')).toBe('Basic');
    expect(parseGatewayType('expressroute')).toBe('ExpressRoute');
    expect(parseGatewayType('LOCALGATEWAY')).toBe('LocalGateway');
    expect(parseVpnType('Policy Based')).toBe('PolicyBased');
    expect(parsePeeringState('disconnected')).toBe('Disconnected');
    expect(parsePeeringSyncLevel('localandremotenotinsync')).toBe('LocalAndRemoteNotInSync');
    expect(parseLoadBalancerProtocol('*')).toBe('All');
    expect(parseLoadBalancerProtocol('UDP')).toBe('Udp');
  });

  it('return Unknown for empty, null and undefined', () => {
    expect(parsePublicIpSku('')).toBe('Unknown');
    expect(parseGatewayType(null)).toBe('Unknown');
    expect(parsePeeringState(undefined)).toBe('Unknown');
  });
});

describe('older snapshots', () => {
  it('normalizeSnapshotModel re-parses casings and fills peering fields added since (whole-VNet peering, sync Unknown)', () => {
    const current = load(restEstate(ODD), false);
    // What an older tool version wrote: raw casings, no sync level / subnet-peering fields.
    const vnet = current.virtualNetworks[0];
    const peering = vnet?.peerings[0];
    if (!vnet || !peering) throw new Error('fixture');
    const { peeringSyncLevel: _s, peerCompleteVnets: _c, localSubnetNames: _l, remoteSubnetNames: _r, enableOnlyIPv6Peering: _v, remoteVirtualNetworkAddressPrefixes: _p, ...oldPeering } = peering;
    const stored = JSON.parse(JSON.stringify({
      ...current,
      virtualNetworks: [{ ...vnet, peerings: [{ ...oldPeering, peeringState: 'connected' }] }],
      loadBalancers: current.loadBalancers.map((lb) => ({ ...lb, skuName: 'standard', outboundRules: lb.outboundRules.map((r) => ({ ...r, protocol: 'TCP' })) })),
      virtualNetworkGateways: current.virtualNetworkGateways.map((g) => ({ ...g, gatewayType: 'vpn', vpnType: 'routebased' })),
    })) as NetworkModel;
    const model = normalizeSnapshotModel(stored);
    expect(model.virtualNetworks[0]?.peerings[0]).toMatchObject({
      peeringState: 'Connected', peeringSyncLevel: 'Unknown', peerCompleteVnets: true, localSubnetNames: [], remoteSubnetNames: [],
      enableOnlyIPv6Peering: false, remoteVirtualNetworkAddressPrefixes: null, remoteAddressPrefixes: ['10.2.0.0/16'],
    });
    expect(model.loadBalancers[0]?.skuName).toBe('Standard');
    expect(model.loadBalancers[0]?.outboundRules[0]?.protocol).toBe('Tcp');
    expect(model.virtualNetworkGateways[0]).toMatchObject({ gatewayType: 'Vpn', vpnType: 'RouteBased' });
  });
});
