/**
 * A subnet whose own record lists IP configurations (`ipConfigurations`) of NICs the input lacks.
 * The subnet's entry stands for a NIC with no public IP and no load balancer membership of its own;
 * a missing NIC may have either, and "associate a public IP to any of the virtual machine's network
 * interfaces" or a Standard load balancer backend pool turns default outbound access off [DOA]
 * https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 * The real case: `az network vnet list` + `az network nic list`, which does not return Uniform
 * scale set instance NICs (AKS node pools: `az vmss nic list` does), while the AKS `kubernetes`
 * load balancer's pool lists them. A NAT gateway "takes precedence over other outbound
 * connectivity methods, including Load balancer, instance-level public IP addresses" [NATOV]
 * https://learn.microsoft.com/azure/nat-gateway/nat-overview, so a NAT gateway subnet keeps its answer.
 * Shapes: az CLI output (flattened: no `properties`, `resourceGroup` on every object).
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { toResourceId, type ResourceId } from '../../../shared/model/ids';
import type { NetworkModel } from '../../../shared/model/topology';
import type { ResolveResult } from '../../../shared/egress/types';
import { explanations, pathOf, resolve } from './support';
import { aksIds } from '../../support/aks-ids';

const { SUB, RG, MC, NET, MC_NET, VMSS, VNET, NODES, LB } = aksIds('6f1d2c3b-0000-4000-8000-00000000a1b2');
const POOL = `${LB}/backendAddressPools/aksOutboundBackendPool`;
const OUTBOUND_IP = '20.61.12.34';

/** A Uniform scale set instance's NIC (AKS names it after the scale set). */
const instanceNic = (i: number): string => `${VMSS}/virtualMachines/${i}/networkInterfaces/aks-nodepool1-31337731-vmss`;
const instanceConfig = (i: number): string => `${instanceNic(i)}/ipConfigurations/ipconfig1`;

interface SubnetSpec {
  readonly name: string;
  readonly prefix: string;
  readonly ipConfigurations?: readonly string[];
  readonly natGateway?: string;
  readonly defaultOutboundAccess?: boolean;
}

/** One VNet as `az network vnet list` prints it: subnets inline, each with the IP configurations using it. */
function vnetList(subnets: readonly SubnetSpec[]): unknown[] {
  return [{
    addressSpace: { addressPrefixes: ['10.224.0.0/12'] }, enableDdosProtection: false, etag: 'W/"1"', id: VNET, location: 'westeurope',
    name: 'vnet-aks', provisioningState: 'Succeeded', resourceGroup: RG, resourceGuid: '5b0e4f7a-0000-4000-8000-000000000001',
    subnets: subnets.map((s) => ({
      addressPrefix: s.prefix, etag: 'W/"1"', id: `${VNET}/subnets/${s.name}`, name: s.name,
      ...(s.ipConfigurations ? { ipConfigurations: s.ipConfigurations.map((id) => ({ id, resourceGroup: id.split('/')[4] })) } : {}),
      ...(s.natGateway ? { natGateway: { id: s.natGateway, resourceGroup: RG } } : {}),
      ...(s.defaultOutboundAccess === undefined ? {} : { defaultOutboundAccess: s.defaultOutboundAccess }),
      privateEndpointNetworkPolicies: 'Disabled', privateLinkServiceNetworkPolicies: 'Enabled', provisioningState: 'Succeeded',
      resourceGroup: RG, type: 'Microsoft.Network/virtualNetworks/subnets',
    })),
    type: 'Microsoft.Network/virtualNetworks', virtualNetworkPeerings: [],
  }];
}

/** The AKS `kubernetes` Standard load balancer (`az network lb list`): outbound rule over the node pool. */
function kubernetesLb(members: readonly string[]): unknown {
  const frontend = `${LB}/frontendIPConfigurations/5e0b7c1d-0000-4000-8000-00000000f00d`;
  return {
    backendAddressPools: [{
      backendIPConfigurations: members.map((id) => ({ id, resourceGroup: MC })), etag: 'W/"1"', id: POOL, loadBalancerBackendAddresses: [],
      name: 'aksOutboundBackendPool', outboundRules: [{ id: `${LB}/outboundRules/aksOutboundRule`, resourceGroup: MC }],
      provisioningState: 'Succeeded', resourceGroup: MC, type: 'Microsoft.Network/loadBalancers/backendAddressPools',
    }],
    etag: 'W/"1"',
    frontendIPConfigurations: [{
      etag: 'W/"1"', id: frontend, name: '5e0b7c1d-0000-4000-8000-00000000f00d',
      outboundRules: [{ id: `${LB}/outboundRules/aksOutboundRule`, resourceGroup: MC }], privateIPAllocationMethod: 'Dynamic', provisioningState: 'Succeeded',
      publicIPAddress: { id: `${MC_NET}/publicIPAddresses/pip-aks-outbound`, resourceGroup: MC }, resourceGroup: MC,
      type: 'Microsoft.Network/loadBalancers/frontendIPConfigurations',
    }],
    id: LB, inboundNatPools: [], inboundNatRules: [], loadBalancingRules: [], location: 'westeurope', name: 'kubernetes',
    outboundRules: [{
      allocatedOutboundPorts: 0, backendAddressPool: { id: POOL, resourceGroup: MC }, enableTcpReset: true, etag: 'W/"1"',
      frontendIPConfigurations: [{ id: frontend, resourceGroup: MC }], id: `${LB}/outboundRules/aksOutboundRule`, idleTimeoutInMinutes: 30,
      name: 'aksOutboundRule', protocol: 'All', provisioningState: 'Succeeded', resourceGroup: MC, type: 'Microsoft.Network/loadBalancers/outboundRules',
    }],
    probes: [], provisioningState: 'Succeeded', resourceGroup: MC, resourceGuid: '0d3c1f2e-0000-4000-8000-000000000002',
    sku: { name: 'Standard', tier: 'Regional' }, type: 'Microsoft.Network/loadBalancers',
  };
}

const outboundPip = {
  id: `${MC_NET}/publicIPAddresses/pip-aks-outbound`, idleTimeoutInMinutes: 4, ipAddress: OUTBOUND_IP, ipTags: [], location: 'westeurope',
  name: 'pip-aks-outbound', provisioningState: 'Succeeded', publicIPAddressVersion: 'IPv4', publicIPAllocationMethod: 'Static',
  resourceGroup: MC, sku: { name: 'Standard', tier: 'Regional' }, type: 'Microsoft.Network/publicIPAddresses',
  ipConfiguration: { id: `${LB}/frontendIPConfigurations/5e0b7c1d-0000-4000-8000-00000000f00d`, resourceGroup: MC },
};

/** A scale set instance NIC as `az vmss nic list` prints it. */
function vmssNic(i: number, ip: string): unknown {
  return {
    dnsSettings: { appliedDnsServers: [], dnsServers: [] }, enableAcceleratedNetworking: true, enableIPForwarding: false, id: instanceNic(i),
    ipConfigurations: [{
      id: instanceConfig(i), loadBalancerBackendAddressPools: [{ id: POOL, resourceGroup: MC }], name: 'ipconfig1', primary: true,
      privateIPAddress: ip, privateIPAddressVersion: 'IPv4', privateIPAllocationMethod: 'Dynamic', provisioningState: 'Succeeded',
      resourceGroup: MC, subnet: { id: NODES, resourceGroup: RG },
    }],
    location: 'westeurope', macAddress: `00-0D-3A-2B-00-0${String(i)}`, name: 'aks-nodepool1-31337731-vmss', primary: true, provisioningState: 'Succeeded',
    resourceGroup: MC, type: 'Microsoft.Network/networkInterfaces', virtualMachine: { id: `${VMSS}/virtualMachines/${i}`, resourceGroup: MC },
  };
}

/** A plain VM NIC as `az network nic list` prints it. */
function vmNic(name: string, ip: string, subnet: string): unknown {
  const id = `${NET}/networkInterfaces/${name}`;
  return {
    dnsSettings: { appliedDnsServers: [], dnsServers: [] }, enableAcceleratedNetworking: false, enableIPForwarding: false, id,
    ipConfigurations: [{
      id: `${id}/ipConfigurations/ipconfig1`, name: 'ipconfig1', primary: true, privateIPAddress: ip, privateIPAddressVersion: 'IPv4',
      privateIPAllocationMethod: 'Dynamic', provisioningState: 'Succeeded', resourceGroup: RG, subnet: { id: subnet, resourceGroup: RG },
    }],
    location: 'westeurope', name, primary: true, provisioningState: 'Succeeded', resourceGroup: RG, type: 'Microsoft.Network/networkInterfaces',
    virtualMachine: { id: `${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${name.replace(/-nic$/, '')}`, resourceGroup: RG },
  };
}

function load(files: Readonly<Record<string, readonly unknown[]>>): NetworkModel {
  return normalizeArm(Object.entries(files).map(([fileName, json]) => ({ fileName, json }))).model;
}

const id = (raw: string): ResourceId => toResourceId(raw);
const findingCodes = (result: ResolveResult, source: string): string[] => pathOf(result, id(source)).findings.map((f) => f.code);
const gapOfUnreadNics = (result: ResolveResult) => result.gaps.find((g) => g.code === 'missing-reference' && g.scope === 'Microsoft.Network/networkInterfaces');

describe('a subnet listing NICs the input lacks', () => {
  it('(a) AKS node subnet, instance NICs not exported, the kubernetes LB pool lists them → unknown, naming the first instance NIC', () => {
    const model = load({
      'vnets.json': vnetList([{ name: 'snet-aks-nodes', prefix: '10.224.0.0/16', ipConfigurations: [instanceConfig(1), instanceConfig(0)] }]),
      'nics.json': [],
      'lbs.json': [kubernetesLb([instanceConfig(0), instanceConfig(1)])],
      'pips.json': [outboundPip],
    });
    const subnet = model.subnets.find((s) => s.id === id(NODES));
    expect(subnet?.unreadIpConfigurations).toEqual({ count: 2, firstOwnerId: id(instanceNic(0)) });
    const result = resolve(model);
    const path = pathOf(result, id(NODES));
    expect(path.verdict).toBe('unknown');
    expect(path.exit).toBeNull();
    expect(findingCodes(result, NODES)).not.toContain('default-outbound');
    const text = explanations(path);
    expect(text).toContain('what the 2 IP configuration(s) subnet snet-aks-nodes lists but the input lacks use');
    expect(text).toContain('NIC aks-nodepool1-31337731-vmss of scale set aks-nodepool1-31337731-vmss instance 0');
    expect(text).toContain('az vmss nic list');
    // The unknown path's gap names the NIC; one gap for the estate names the subnet.
    expect(result.gaps.some((g) => g.scope === id(instanceNic(0)))).toBe(true);
    expect(gapOfUnreadNics(result)?.message).toContain('(first: subnet snet-aks-nodes, 2 IP configuration(s), NIC aks-nodepool1-31337731-vmss of scale set aks-nodepool1-31337731-vmss instance 0)');
    expect(result.gaps.filter((g) => g.scope === 'Microsoft.Network/networkInterfaces')).toHaveLength(1);
    // No instance is invented from the pool's list.
    expect(result.paths.filter((p) => /virtualmachinescalesets/.test(p.source.id))).toEqual([]);
  });

  it('(a) in a private subnet (defaultOutboundAccess false): unknown too, not "no outbound"', () => {
    const model = load({
      'vnets.json': vnetList([{ name: 'snet-aks-nodes', prefix: '10.224.0.0/16', defaultOutboundAccess: false, ipConfigurations: [instanceConfig(0)] }]),
      'lbs.json': [kubernetesLb([instanceConfig(0)])],
      'pips.json': [outboundPip],
    });
    const result = resolve(model);
    const path = pathOf(result, id(NODES));
    expect(path.verdict).toBe('unknown');
    expect(findingCodes(result, NODES)).not.toContain('no-outbound');
    expect(explanations(path)).toContain('the subnet is private (defaultOutboundAccess = false), so only a public IP or load balancer outbound rule of their own gives them a way out');
  });

  it('(b) only non-NIC owners missing (a private link service, a bastion host) → default outbound unchanged; a NIC among them is the one named', () => {
    const pls = `${NET}/privateLinkServices/pls-api/ipConfigurations/pls-api-ipconfig`;
    const bastion = `${NET}/bastionHosts/bas-aks/bastionHostIpConfigurations/IpConf`;
    const base = [
      { name: 'snet-app', prefix: '10.225.1.0/24', ipConfigurations: [pls] },
      { name: 'AzureBastionSubnet', prefix: '10.225.0.0/26', ipConfigurations: [bastion] },
    ];
    const model = load({ 'vnets.json': vnetList(base) });
    const app = `${VNET}/subnets/snet-app`;
    expect(model.subnets.find((s) => s.id === id(app))?.unreadIpConfigurations).toEqual({ count: 1, firstOwnerId: id(`${NET}/privateLinkServices/pls-api`) });
    const result = resolve(model);
    expect(pathOf(result, id(app))).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    expect(findingCodes(result, app)).toContain('default-outbound');
    const stripped = resolve(load({ 'vnets.json': vnetList(base.map(({ ipConfigurations: _, ...s }) => s)) }));
    const bastionSubnet = id(`${VNET}/subnets/AzureBastionSubnet`);
    expect(pathOf(result, bastionSubnet).verdict).toBe(pathOf(stripped, bastionSubnet).verdict);
    expect(gapOfUnreadNics(result)).toBeUndefined();

    // The private link service sorts first, but the missing NIC is the owner kept.
    const mixed = load({ 'vnets.json': vnetList([{ name: 'snet-app', prefix: '10.225.1.0/24', ipConfigurations: [pls, instanceConfig(3)] }]) });
    expect(mixed.subnets[0]?.unreadIpConfigurations).toEqual({ count: 2, firstOwnerId: id(instanceNic(3)) });
    expect(pathOf(resolve(mixed), id(app)).verdict).toBe('unknown');
  });

  it('(c) the instance NICs exported (az vmss nic list) → their own LB paths; the subnet entry is default outbound as before', () => {
    const model = load({
      'vnets.json': vnetList([{ name: 'snet-aks-nodes', prefix: '10.224.0.0/16', ipConfigurations: [instanceConfig(0), instanceConfig(1)] }]),
      'vmss-nics.json': [vmssNic(0, '10.224.0.4'), vmssNic(1, '10.224.0.5')],
      'lbs.json': [kubernetesLb([instanceConfig(0), instanceConfig(1)])],
      'pips.json': [outboundPip],
    });
    expect(model.subnets[0]?.unreadIpConfigurations).toBeUndefined();
    const result = resolve(model);
    for (const i of [0, 1]) expect(pathOf(result, id(instanceNic(i)))).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: [OUTBOUND_IP] });
    expect(pathOf(result, id(NODES))).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    // Every NIC has its own entry: the subnet's finding is about a VM that does not exist (info).
    expect(pathOf(result, id(NODES)).findings.find((f) => f.code === 'default-outbound')?.severity).toBe('info');
    expect(gapOfUnreadNics(result)).toBeUndefined();
  });

  it('(d) a NAT gateway subnet with NICs missing keeps its NAT gateway answer', () => {
    const nat = `${NET}/natGateways/ng-aks`;
    const model = load({
      'vnets.json': vnetList([{ name: 'snet-aks-nodes', prefix: '10.224.0.0/16', natGateway: nat, ipConfigurations: [instanceConfig(0), instanceConfig(1)] }]),
      'lbs.json': [kubernetesLb([instanceConfig(0), instanceConfig(1)])],
      'pips.json': [outboundPip, {
        id: `${NET}/publicIPAddresses/pip-ng`, ipAddress: '20.61.99.1', location: 'westeurope', name: 'pip-ng', publicIPAddressVersion: 'IPv4',
        publicIPAllocationMethod: 'Static', resourceGroup: RG, sku: { name: 'Standard', tier: 'Regional' }, type: 'Microsoft.Network/publicIPAddresses',
      }],
      'nat.json': [{
        id: nat, idleTimeoutInMinutes: 4, location: 'westeurope', name: 'ng-aks', provisioningState: 'Succeeded',
        publicIpAddresses: [{ id: `${NET}/publicIPAddresses/pip-ng`, resourceGroup: RG }], resourceGroup: RG, sku: { name: 'Standard' },
        subnets: [{ id: NODES, resourceGroup: RG }], type: 'Microsoft.Network/natGateways',
      }],
    });
    const result = resolve(model);
    expect(pathOf(result, id(NODES))).toMatchObject({ verdict: 'internet', exit: 'nat-gateway', egressIps: ['20.61.99.1'] });
    expect(gapOfUnreadNics(result)).toBeUndefined();
  });

  it('(e) GatewaySubnet and AzureFirewallSubnet answer as without their lists', () => {
    const subnets: SubnetSpec[] = [
      { name: 'GatewaySubnet', prefix: '10.225.255.0/27', ipConfigurations: [`${NET}/virtualNetworkGateways/vgw-aks/ipConfigurations/default`] },
      { name: 'AzureFirewallSubnet', prefix: '10.225.254.0/26', ipConfigurations: [`${NET}/azureFirewalls/fw-aks/azureFirewallIpConfigurations/ipconfig1`, instanceConfig(9)] },
    ];
    const withLists = resolve(load({ 'vnets.json': vnetList(subnets) }));
    const without = resolve(load({ 'vnets.json': vnetList(subnets.map(({ ipConfigurations: _, ...s }) => s)) }));
    for (const name of ['GatewaySubnet', 'AzureFirewallSubnet']) {
      const subnet = id(`${VNET}/subnets/${name}`);
      expect(pathOf(withLists, subnet).verdict).toBe(pathOf(without, subnet).verdict);
      expect(pathOf(withLists, subnet).exit).toBe(pathOf(without, subnet).exit);
    }
    expect(gapOfUnreadNics(withLists)).toBeUndefined();
  });

  it('a NIC in the input follows the subnet entry: default outbound holds for it, and the estate gap names the missing NICs', () => {
    const app = `${VNET}/subnets/snet-app`;
    const model = load({
      'vnets.json': vnetList([{ name: 'snet-app', prefix: '10.225.1.0/24', ipConfigurations: [`${NET}/networkInterfaces/vm-app-1-nic/ipConfigurations/ipconfig1`, `${NET}/networkInterfaces/vm-app-2-nic/ipConfigurations/ipconfig1`] }]),
      'nics.json': [vmNic('vm-app-1-nic', '10.225.1.4', app)],
    });
    expect(model.subnets[0]?.unreadIpConfigurations).toEqual({ count: 1, firstOwnerId: id(`${NET}/networkInterfaces/vm-app-2-nic`) });
    const result = resolve(model);
    expect(pathOf(result, id(app))).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    expect(pathOf(result, id(app)).findings.find((f) => f.code === 'default-outbound')?.severity).toBe('warning');
    expect(gapOfUnreadNics(result)?.message).toContain('(first: subnet snet-app, 1 IP configuration(s), NIC vm-app-2-nic)');
  });

  it('VM NICs simply not exported, none in the input → unknown, naming the first', () => {
    const app = `${VNET}/subnets/snet-app`;
    const model = load({
      'vnets.json': vnetList([{ name: 'snet-app', prefix: '10.225.1.0/24', ipConfigurations: [`${NET}/networkInterfaces/vm-b-nic/ipConfigurations/ipconfig1`, `${NET}/networkInterfaces/vm-a-nic/ipConfigurations/ipconfig1`] }]),
      'nics.json': [],
    });
    const result = resolve(model);
    const path = pathOf(result, id(app));
    expect(path.verdict).toBe('unknown');
    expect(explanations(path)).toContain('(first: NIC vm-a-nic)');
    expect(findingCodes(result, app)).not.toContain('default-outbound');
  });
});
