/**
 * Microsoft's own ARM examples (azure-rest-api-specs, 2026-01-01) through normalizeArm, in the REST
 * shape they were published in and flattened the way az / the JS SDK print them.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import type { ArmDocument } from '../../../shared/arm';
import { toResourceId } from '../../../shared/model/ids';
import { asAzOutput, exampleBody, exampleNames, flattenRest } from './helpers';

const SUB = '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network';
const NIC_ID = `${SUB}/networkInterfaces/test-nic`;
const id = (raw: string) => toResourceId(raw);

/** Parents for examples that are child resources, so they have somewhere to land. */
const PARENTS: Readonly<Record<string, unknown>> = {
  LoadBalancerOutboundRuleGet: {
    id: '/subscriptions/subid/resourceGroups/testrg/providers/Microsoft.Network/loadBalancers/lb1',
    type: 'Microsoft.Network/loadBalancers', location: 'westus', sku: { name: 'Standard' }, properties: {},
  },
  RoutingIntentGet: exampleBody('VirtualHubGet'),
  VirtualNetworkPeeringGet: {
    id: '/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet1',
    type: 'Microsoft.Network/virtualNetworks', location: 'westus', properties: { addressSpace: { addressPrefixes: ['11.0.0.0/8'] } },
  },
};

/** Each example as normalizeArm input: effective routes go under `effectiveRouteTables`. */
function documentFor(name: string, shape: (resource: unknown) => unknown): ArmDocument {
  const body = exampleBody(name);
  if (name === 'NetworkInterfaceEffectiveRouteTableList') {
    return { fileName: `${name}.json`, json: { effectiveRouteTables: { [NIC_ID]: body } } };
  }
  const parent = PARENTS[name];
  const resources = parent === undefined ? [body] : [parent, body];
  // A list response stays a list response; a single resource stays single.
  const json = parent === undefined ? shape(body) : { resources: resources.map(shape) };
  return { fileName: `${name}.json`, json };
}

function load(name: string, shape: (resource: unknown) => unknown = (r) => r) {
  return normalizeArm([documentFor(name, shape)]);
}

describe('every Microsoft ARM example loads', () => {
  it.each(exampleNames())('%s', (name) => {
    const result = load(name);
    const resources = Object.values(result.model).reduce((n, list) => n + list.length, 0);
    const notModelled = result.gaps.filter((g) => g.code === 'not-modelled');
    // Either it produced resources / effective routes, or it is a diagnostic result reported as a gap.
    expect(resources + result.effectiveRoutes.length + notModelled.length).toBeGreaterThan(0);
    expect(result.gaps.filter((g) => g.code === 'missing-reference')).toEqual([]);
  });

  it.each(exampleNames())('%s gives the same model flattened (az / SDK shape)', (name) => {
    const rest = load(name);
    expect(load(name, flattenRest)).toEqual(rest);
    expect(load(name, (r) => (Array.isArray(r) ? r.map(asAzOutput) : asAzOutput(r)))).toEqual(rest);
  });
});

describe('fields land in the model', () => {
  it('NatGatewayGet: public IP and prefix references, back-referenced subnets', () => {
    const [nat] = load('NatGatewayGet').model.natGateways;
    expect(nat).toMatchObject({
      id: id(`${SUB}/natGateways/test-natGateway`),
      name: 'test-natGateway',
      subscriptionId: 'subid',
      resourceGroup: 'rg1',
      location: 'westus',
      skuName: 'Standard',
      idleTimeoutInMinutes: 5,
      publicIpAddressIds: [id(`${SUB}/publicIPAddresses/PublicIpAddress1`)],
      publicIpPrefixIds: [id(`${SUB}/publicIPPrefixes/PublicIpPrefix1`)],
      subnetIds: [id(`${SUB}/virtualNetworks/test-vnet/subnets/subnet1`)],
    });
  });

  it('NatGatewayListAll: StandardV2 IPv6 addresses and prefixes are kept', () => {
    const nats = load('NatGatewayListAll').model.natGateways;
    expect(nats.map((n) => n.skuName).sort()).toEqual(['Standard', 'Standard', 'StandardV2']);
    const v2 = nats.find((n) => n.skuName === 'StandardV2');
    expect(v2?.publicIpAddressIds).toEqual([
      id('/subscriptions/subid/resourceGroups/rg2/providers/Microsoft.Network/publicIPAddresses/PublicIpAddress1'),
      id('/subscriptions/subid/resourceGroups/rg2/providers/Microsoft.Network/publicIPAddresses/PublicIpAddress2'),
    ]);
  });

  it('RouteTableGet: routes and BGP propagation', () => {
    const [rt] = load('RouteTableGet').model.routeTables;
    expect(rt?.disableBgpRoutePropagation).toBe(false);
    expect(rt?.routes).toEqual([{
      id: id(`${SUB}/routeTables/testrt/routes/route1`), name: 'route1', addressPrefix: '10.0.3.0/24',
      nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: null, hasBgpOverride: false,
    }]);
  });

  it('LoadBalancerCreateWithOutboundRules: frontends, pools, LB rule with disableOutboundSnat, outbound rule', () => {
    const [lb] = load('LoadBalancerCreateWithOutboundRules').model.loadBalancers;
    const lbId = `${SUB}/loadBalancers/lb`;
    expect(lb?.skuName).toBe('Standard');
    expect(lb?.frontendIpConfigurations).toEqual([{
      id: id(`${lbId}/frontendIPConfigurations/fe-lb`), name: 'fe-lb', privateIpAddress: null, subnetId: null,
      publicIpAddressId: id(`${SUB}/publicIPAddresses/pip`), publicIpPrefixId: null,
    }]);
    expect(lb?.loadBalancingRules[0]).toMatchObject({ name: 'rulelb', disableOutboundSnat: true, frontendPort: 80, protocol: 'Tcp' });
    expect(lb?.outboundRules).toEqual([{
      id: id(`${lbId}/outboundRules/rule1`), name: 'rule1',
      frontendIpConfigurationIds: [id(`${lbId}/frontendIPConfigurations/fe-lb`)],
      backendAddressPoolId: id(`${lbId}/backendAddressPools/be-lb`),
      allocatedOutboundPorts: 1024, protocol: 'All', idleTimeoutInMinutes: 4,
    }]);
  });

  it('LoadBalancerOutboundRuleGet: a standalone outbound rule merges into its load balancer', () => {
    const [lb] = load('LoadBalancerOutboundRuleGet').model.loadBalancers;
    expect(lb?.outboundRules).toMatchObject([{ name: 'rule1', allocatedOutboundPorts: 64, protocol: 'Tcp', idleTimeoutInMinutes: 15 }]);
  });

  it('AzureFirewallGet: VNet SKU, IP configuration, classic rules (DNAT collections left out)', () => {
    const [fw] = load('AzureFirewallGet').model.azureFirewalls;
    expect(fw).toMatchObject({ skuName: 'AZFW_VNet', skuTier: 'Standard', virtualHubId: null, managementIpConfiguration: null });
    expect(fw?.ipConfigurations).toEqual([{
      id: id(`${SUB}/azureFirewalls/azurefirewall/ipConfigurations/azureFirewallIpConfiguration`), name: 'azureFirewallIpConfiguration',
      privateIpAddress: '10.0.0.0', subnetId: id(`${SUB}/virtualNetworks/vnet2/subnets/AzureFirewallSubnet`),
      publicIpAddressId: id(`${SUB}/publicIPAddresses/pipName`),
    }]);
    expect(fw?.rules.map((r) => `${r.kind}:${r.collection}/${r.name}:${r.action}:${r.priority}`)).toEqual([
      'network:netrulecoll/L4-traffic:Deny:112', 'network:netrulecoll/L4-traffic-with-FQDN:Deny:112', 'application:apprulecoll/rule1:Deny:110',
    ]);
    expect(fw?.rules[2]).toMatchObject({ kind: 'application', protocols: ['Https:443'], targetFqdns: ['www.test.com'] });
  });

  it('AzureFirewallPutInHub: hub SKU, hub, policy, hub private and public IPs', () => {
    const [fw] = load('AzureFirewallPutInHub').model.azureFirewalls;
    expect(fw).toMatchObject({
      skuName: 'AZFW_Hub',
      virtualHubId: id(`${SUB}/virtualHubs/hub1`),
      firewallPolicyId: id(`${SUB}/firewallPolicies/policy1`),
      hubPrivateIpAddress: '10.0.0.0',
      hubPublicIpAddresses: ['13.73.240.12'],
      ipConfigurations: [],
    });
  });

  it('FirewallPolicyGet: SNAT private ranges, threat intel, rule collection group references', () => {
    const [policy] = load('FirewallPolicyGet').model.firewallPolicies;
    expect(policy).toMatchObject({
      snatPrivateRanges: ['IANAPrivateRanges'],
      threatIntelMode: 'Alert',
      basePolicyId: null,
      ruleCollectionGroupIds: [id(`${SUB}/firewallPolicies/firewallPolicy/ruleCollectionGroups/ruleCollectionGroup1`)],
      rules: [],
    });
  });

  it('RoutingIntentGet: the routing policies land on their hub (VirtualHubGet)', () => {
    const [hub] = load('RoutingIntentGet').model.virtualHubs;
    const firewall = id(`${SUB}/azureFirewalls/azfw1`);
    expect(hub).toMatchObject({ name: 'virtualHub1', addressPrefix: '10.10.1.0/24', virtualWanId: id(`${SUB}/virtualWans/virtualWan1`) });
    expect(hub?.routingPolicies).toEqual([
      { name: 'InternetTraffic', destinations: ['Internet'], nextHopId: firewall },
      { name: 'PrivateTrafficPolicy', destinations: ['PrivateTraffic'], nextHopId: firewall },
    ]);
  });

  it('NetworkSecurityGroupGet: custom and all six default rules, AllowInternetOutBound included', () => {
    const [nsg] = load('NetworkSecurityGroupGet').model.networkSecurityGroups;
    expect(nsg?.securityRules.filter((r) => r.isDefault)).toHaveLength(6);
    expect(nsg?.securityRules.find((r) => r.name === 'AllowInternetOutBound')).toEqual({
      name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', protocol: '*',
      sourceAddressPrefixes: ['*'], destinationAddressPrefixes: ['Internet'], destinationPortRanges: ['*'], isDefault: true,
    });
    expect(nsg?.securityRules.find((r) => !r.isDefault)).toMatchObject({ name: 'rule1', priority: 130, destinationPortRanges: ['80'] });
  });

  it('VirtualNetworkGet: address space and the embedded subnet as its own resource', () => {
    const { virtualNetworks, subnets } = load('VirtualNetworkGet').model;
    const vnetId = id(`${SUB}/virtualNetworks/test-vnet`);
    expect(virtualNetworks[0]).toMatchObject({ id: vnetId, addressPrefixes: ['10.0.0.0/16'], subnetIds: [id(`${vnetId}/subnets/subnet1`)], peerings: [] });
    expect(subnets).toEqual([{
      id: id(`${vnetId}/subnets/subnet1`), name: 'subnet1', subscriptionId: 'subid', resourceGroup: 'rg1', location: 'westus', tags: {},
      kind: 'subnet', virtualNetworkId: vnetId, addressPrefixes: ['10.0.1.0/24'], routeTableId: null, natGatewayId: null,
      networkSecurityGroupId: null, defaultOutboundAccess: null, delegations: [], serviceEndpoints: [], privateEndpointNetworkPolicies: null,
      // Microsoft's example subnet lists a load balancer frontend's IP configuration; the example has no load balancer.
      unreadIpConfigurations: { count: 1, firstOwnerId: id(`${SUB}/loadBalancers/lb`) },
    }]);
  });

  it('VirtualNetworkListAll: both VNets of the list response', () => {
    const { virtualNetworks, subnets } = load('VirtualNetworkListAll').model;
    expect(virtualNetworks.map((v) => [v.name, v.resourceGroup, v.addressPrefixes])).toEqual([
      ['vnet1', 'rg1', ['10.0.0.0/8']], ['vnet2', 'rg2', ['10.0.0.0/16']],
    ]);
    expect(subnets.map((s) => s.name)).toEqual(['test-1']);
  });

  it('VirtualNetworkPeeringGet: peering flags, remote VNet and remote address space', () => {
    const [vnet] = load('VirtualNetworkPeeringGet').model.virtualNetworks;
    expect(vnet?.peerings).toEqual([{
      id: id('/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet1/virtualNetworkPeerings/peer'),
      name: 'peer',
      remoteVirtualNetworkId: id('/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet2'),
      remoteAddressPrefixes: ['12.0.0.0/8'], remoteVirtualNetworkAddressPrefixes: ['12.0.0.0/8'],
      allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: false, useRemoteGateways: false,
      peeringState: 'Initiated', peeringSyncLevel: 'FullyInSync',
      peerCompleteVnets: true, localSubnetNames: [], remoteSubnetNames: [], enableOnlyIPv6Peering: false,
    }]);
  });

  it('SubnetGetWithSharingScope: defaultOutboundAccess false (a private subnet)', () => {
    const [subnet] = load('SubnetGetWithSharingScope').model.subnets;
    expect(subnet?.defaultOutboundAccess).toBe(false);
    expect(subnet?.virtualNetworkId).toBe(id('/subscriptions/subid/resourceGroups/subnet-test/providers/Microsoft.Network/virtualNetworks/vnetname'));
    expect(load('SubnetGet').model.subnets[0]?.defaultOutboundAccess).toBeNull();
  });

  it('SubnetGetWithDelegation and SubnetCreateServiceEndpoint: delegations and service endpoints', () => {
    expect(load('SubnetGetWithDelegation').model.subnets[0]?.delegations).toEqual(['Microsoft.Provider/resourceType']);
    expect(load('SubnetCreateServiceEndpoint').model.subnets[0]?.serviceEndpoints).toEqual([
      // provisioningState is read (a state other than Succeeded makes the endpoint's answers unknown).
      { service: 'Microsoft.Storage', locations: ['eastus2(stage)', 'usnorth(stage)'], provisioningState: 'Succeeded' },
    ]);
  });

  it('NetworkInterfaceGet: IP configurations, NSG, VM, IP forwarding; a /28 ipconfig address keeps its address', () => {
    const [nic] = load('NetworkInterfaceGet').model.networkInterfaces;
    expect(nic).toMatchObject({
      enableIPForwarding: false, primary: true, flexibleScaleSetMember: false,
      networkSecurityGroupId: id(`${SUB}/networkSecurityGroups/nsg`),
      virtualMachineId: id('/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1'),
    });
    expect(nic?.ipConfigurations.map((c) => [c.name, c.primary, c.privateIpAddress, c.publicIpAddressId])).toEqual([
      ['ipconfig1', true, '172.20.2.4', id(`${SUB}/publicIPAddresses/test-ip`)],
      ['ipconfig2', false, '172.20.2.16', null],
    ]);
  });

  it('PublicIpAddressGet and PublicIpPrefixGet: attachment, version, prefix (no ipAddress in the example → null)', () => {
    const [pip] = load('PublicIpAddressGet').model.publicIpAddresses;
    expect(pip).toMatchObject({
      ipAddress: null, version: 'IPv4', skuName: 'Unknown',
      ipConfigurationId: id(`${SUB}/networkInterfaces/testDNS649/ipConfigurations/ipconfig1`),
    });
    expect(load('PublicIpPrefixGet').model.publicIpPrefixes[0]).toMatchObject({ ipPrefix: '192.168.254.2/30', prefixLength: 30, skuName: 'Standard' });
  });

  it('VirtualNetworkGatewayGet: type, VNet from the GatewaySubnet, public IP', () => {
    expect(load('VirtualNetworkGatewayGet').model.virtualNetworkGateways[0]).toMatchObject({
      gatewayType: 'Vpn', vpnType: 'RouteBased', enableBgp: false, gatewayDefaultSiteId: null,
      virtualNetworkId: id(`${SUB}/virtualNetworks/vnet1`), publicIpAddressIds: [id(`${SUB}/publicIPAddresses/gwpip`)],
    });
  });

  it('NetworkInterfaceEffectiveRouteTableList: effective routes keyed by NIC', () => {
    const { effectiveRoutes } = load('NetworkInterfaceEffectiveRouteTableList');
    expect(effectiveRoutes).toHaveLength(1);
    expect(effectiveRoutes[0]?.networkInterfaceId).toBe(id(NIC_ID));
    expect(effectiveRoutes[0]?.routes[1]).toEqual({
      name: null, source: 'Default', state: 'Active', addressPrefixes: ['0.0.0.0/0'], nextHopType: 'Internet',
      nextHopIpAddresses: [], disableBgpRoutePropagation: null,
    });
    expect(effectiveRoutes[0]?.routes.map((r) => r.nextHopType)).toEqual(['VnetLocal', 'Internet', 'None', 'None', 'None', 'None']);
  });

  it('NetworkWatcherNextHopGet and NetworkInterfaceEffectiveNSGList are diagnostics: reported, not modelled', () => {
    for (const name of ['NetworkWatcherNextHopGet', 'NetworkInterfaceEffectiveNSGList']) {
      const result = load(name);
      expect(result.gaps).toEqual([expect.objectContaining({ code: 'not-modelled', scope: `${name}.json` })]);
    }
  });
});
