/**
 * Response bodies Azure itself returned, read as they are: each `test/fixtures/az-outputs/recorded-*.json`
 * is one body copied verbatim from the Azure CLI's own test recordings (vcrpy cassettes under
 * `…/tests/latest/recordings/` in github.com/Azure/azure-cli and github.com/Azure/azure-cli-extensions,
 * MIT licence; request, recording and shape of each in test/fixtures/az-outputs/SOURCES.md).
 * Proves that shapes no one here wrote are read whole: a Standard LB's outbound rules and its
 * public IP prefix frontend, a NIC whose NSG and public IP were not exported (unknown, with gaps
 * naming them, never "internet"), a private subnet exported apart from a VNet saved with
 * `"subnets": []` (no outbound, in either file order), Uniform scale-set NICs listed without a
 * `type`, and a secured-hub firewall whose addresses live in `hubIPAddresses`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import type { ArmDocument } from '../../../shared/arm';
import type { Gap } from '../../../shared/model/gaps';
import { pathOf, resolve, summary } from '../egress/support';

const AZ_DIR = fileURLToPath(new URL('../../fixtures/az-outputs/', import.meta.url));

/** The recordings' resource group `rg`, provider Microsoft.Network, as the model spells IDs (lower case). */
function net(rg: string, rest: string): string {
  return `/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/${rg}/providers/microsoft.network/${rest}`.toLowerCase();
}

function recorded(name: string): ArmDocument {
  return { fileName: name, json: JSON.parse(readFileSync(`${AZ_DIR}${name}`, 'utf8')) as unknown };
}

function load(...names: readonly string[]) {
  const normalized = normalizeArm(names.map(recorded));
  return { ...normalized, result: resolve(normalized.model) };
}

/** Missing-reference gaps of the resolve, as [scope, the resource the message names]. */
function missingReferences(gaps: readonly Gap[]): string[][] {
  return gaps.filter((g) => g.code === 'missing-reference').map((g) => [g.scope, /\/subscriptions\/\S+?(?= is referenced)/.exec(g.message)?.[0] ?? g.message]);
}

describe('az network lb outbound-rule create / public-ip prefix create (test_network_load_balancer_outbound_rules.yaml)', () => {
  const LB_RG = 'test_network_lb_outbound_rules000001';
  const LB = net(LB_RG, 'loadBalancers/lb1');
  const POOL = `${LB}/backendaddresspools/lb1bepool`;
  const PREFIX = net(LB_RG, 'publicIPPrefixes/prefix1');

  it('reads Standard LB lb1 whole: a public IP frontend, a public IP prefix frontend, two outbound rules on one pool', () => {
    const { model, gaps, result } = load('recorded-lb-outbound-rules.json');
    expect(gaps).toEqual([]);
    expect(model.loadBalancers).toHaveLength(1);
    const lb = model.loadBalancers[0];
    expect(lb).toMatchObject({ id: LB, name: 'lb1', skuName: 'Standard', loadBalancingRules: [] });
    expect(lb?.frontendIpConfigurations).toEqual([
      { id: `${LB}/frontendipconfigurations/loadbalancerfrontend`, name: 'LoadBalancerFrontEnd', privateIpAddress: null, subnetId: null,
        publicIpAddressId: net(LB_RG, 'publicIPAddresses/PublicIPlb1'), publicIpPrefixId: null },
      { id: `${LB}/frontendipconfigurations/prefixfrontend`, name: 'prefixFrontEnd', privateIpAddress: null, subnetId: null,
        publicIpAddressId: null, publicIpPrefixId: PREFIX },
    ]);
    // The pool the two rules name has no members yet (`loadBalancerBackendAddresses: []`).
    expect(lb?.backendAddressPools).toEqual([{ id: POOL, name: 'lb1bepool', backendIpConfigurationIds: [], backendIpAddresses: [] }]);
    expect(lb?.outboundRules).toEqual([
      { id: `${LB}/outboundrules/rule1`, name: 'rule1', frontendIpConfigurationIds: [`${LB}/frontendipconfigurations/loadbalancerfrontend`],
        backendAddressPoolId: POOL, allocatedOutboundPorts: 512, protocol: 'Tcp', idleTimeoutInMinutes: 4 },
      { id: `${LB}/outboundrules/rule2`, name: 'rule2', frontendIpConfigurationIds: [`${LB}/frontendipconfigurations/prefixfrontend`],
        backendAddressPoolId: POOL, allocatedOutboundPorts: 1024, protocol: 'All', idleTimeoutInMinutes: 20 },
    ]);
    // No subnet or NIC in the file, so no path; the frontends' public IP and prefix were not exported and are named.
    expect(result.paths).toEqual([]);
    expect(missingReferences(result.gaps)).toContainEqual([LB, net(LB_RG, 'publicIPAddresses/PublicIPlb1')]);
    expect(missingReferences(result.gaps)).toContainEqual([LB, PREFIX]);
  });

  it('reads prefix1 as 172.203.57.56/30 (IPv4, Standard), the prefix the LB\'s prefixFrontEnd names', () => {
    const alone = load('recorded-public-ip-prefix.json');
    expect(alone.gaps).toEqual([]);
    expect(alone.model.publicIpPrefixes).toEqual([expect.objectContaining({
      id: PREFIX, name: 'prefix1', ipPrefix: '172.203.57.56/30', prefixLength: 30, version: 'IPv4', skuName: 'Standard',
    })]);
    const both = load('recorded-lb-outbound-rules.json', 'recorded-public-ip-prefix.json');
    expect(both.gaps).toEqual([]);
    const frontend = both.model.loadBalancers[0]?.frontendIpConfigurations.find((f) => f.name === 'prefixFrontEnd');
    expect(both.model.publicIpPrefixes.map((p) => p.id)).toEqual([frontend?.publicIpPrefixId]);
  });
});

describe('az network nic update / vnet create (test_network_nic.yaml)', () => {
  const RG = 'cli_test_nic_scenario000001';
  const NIC = net(RG, 'networkInterfaces/cli-test-nic');
  const SUBNET = net(RG, 'virtualNetworks/myvnet/subnets/mysubnet');
  const NSG = net(RG, 'networkSecurityGroups/myothernsg');
  const PIP = net(RG, 'publicIPAddresses/publicip1');

  it('NIC 10.0.0.15 in mysubnet with public IP publicip1 and NSG myothernsg, neither exported: unknown, and the gaps name both', () => {
    const { model, gaps, result } = load('recorded-nic-show.json', 'recorded-nic-scenario-vnet.json');
    expect(gaps).toEqual([]);
    expect(model.networkInterfaces).toEqual([expect.objectContaining({
      id: NIC, name: 'cli-test-nic', networkSecurityGroupId: NSG, enableIPForwarding: false,
      ipConfigurations: [expect.objectContaining({ name: 'ipconfig1', primary: true, privateIpAddress: '10.0.0.15', subnetId: SUBNET, publicIpAddressId: PIP })],
    })]);
    expect(model.publicIpAddresses).toEqual([]);
    expect(model.networkSecurityGroups).toEqual([]);
    const nic = pathOf(result, NIC);
    expect(summary(nic)).toMatchObject({ verdict: 'unknown', exit: null, egressIps: [] });
    expect(nic.steps.at(-1)).toMatchObject({ kind: 'terminal', reason: { kind: 'missing-resource', resourceId: NSG } });
    const missing = missingReferences(result.gaps);
    expect(missing).toContainEqual([NIC, PIP]);
    expect(missing).toContainEqual([NIC, NSG]);
  });

  it('mysubnet (api-version 2022-01-01: no defaultOutboundAccess field) reaches the internet by default outbound access', () => {
    const { model, result } = load('recorded-nic-show.json', 'recorded-nic-scenario-vnet.json');
    expect(model.subnets).toEqual([expect.objectContaining({ id: SUBNET, addressPrefixes: ['10.0.0.0/24'], defaultOutboundAccess: null, networkSecurityGroupId: null })]);
    expect(summary(pathOf(result, SUBNET))).toMatchObject({ verdict: 'internet', exit: 'default-outbound', findings: ['default-outbound'] });
  });
});

describe('az network vnet subnet create --default-outbound false (test_network_subnet_default_outbound_access.yaml)', () => {
  const RG = 'cli_subnet_default_outbound_access000001';
  const VNET = net(RG, 'virtualNetworks/vnet1');
  const SUBNET = `${VNET}/subnets/subnet1`;

  it('the VNet was saved before the subnet existed ("subnets": []): alone it holds no subnet, and the subnet alone lacks its VNet', () => {
    const vnet = load('recorded-doa-vnet.json');
    expect(vnet.gaps).toEqual([]);
    expect(vnet.model.virtualNetworks).toEqual([expect.objectContaining({ id: VNET, addressPrefixes: ['10.0.0.0/16'], subnetIds: [] })]);
    expect(vnet.result.paths).toEqual([]);
    const subnet = load('recorded-doa-subnet.json');
    expect(subnet.model.subnets).toEqual([expect.objectContaining({ id: SUBNET, virtualNetworkId: VNET, defaultOutboundAccess: false })]);
    expect(pathOf(subnet.result, SUBNET).verdict).toBe('unknown');
    expect(missingReferences(subnet.result.gaps)).toContainEqual([SUBNET, VNET]);
  });

  it.each([
    ['VNet first', ['recorded-doa-vnet.json', 'recorded-doa-subnet.json']],
    ['subnet first', ['recorded-doa-subnet.json', 'recorded-doa-vnet.json']],
  ])('%s: subnet1 (defaultOutboundAccess false) is kept, and it has no outbound', (_order, files) => {
    const { model, gaps, result } = load(...files);
    expect(gaps).toEqual([]);
    expect(result.gaps).toEqual([]);
    expect(model.virtualNetworks.map((v) => v.subnetIds)).toEqual([[SUBNET]]);
    expect(model.subnets).toEqual([expect.objectContaining({ id: SUBNET, addressPrefixes: ['10.0.3.0/24'], defaultOutboundAccess: false, location: 'westcentralus' })]);
    expect(summary(pathOf(result, SUBNET))).toMatchObject({ verdict: 'no-outbound', exit: null, findings: ['no-outbound'] });
  });
});

describe('az vmss nic list / az vmss list-instances (test_vmss_nics.yaml)', () => {
  const RG = 'cli_test_vmss_nics000001';
  const VMSS = `/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/${RG}/providers/microsoft.compute/virtualmachinescalesets/vmss1`;
  const SUBNET = net(RG, 'virtualNetworks/vmss1VNET/subnets/vmss1Subnet');
  const POOL = net(RG, 'loadBalancers/vmss1LB/backendAddressPools/vmss1LBBEPool');
  const nicId = (instance: number): string => `${VMSS}/virtualmachines/${instance}/networkinterfaces/vmss1efd7nic`;

  it('the listed items carry no `type`: their kind comes from the ID', () => {
    const items = (recorded('recorded-vmss-nic-list.json').json as { value: Record<string, unknown>[] }).value;
    expect(items).toHaveLength(2);
    expect(items.filter((item) => 'type' in item)).toEqual([]);
  });

  it('reads two Uniform instance NICs: named by instance, IPs, pool membership and VM kept, not Flexible', () => {
    const { model, gaps } = load('recorded-vmss-nic-list.json');
    expect(gaps).toEqual([]);
    expect(model.networkInterfaces).toEqual([0, 3].map((instance) => expect.objectContaining({
      id: nicId(instance), name: `vmss1efd7Nic (instance ${instance})`, virtualMachineId: `${VMSS}/virtualmachines/${instance}`,
      flexibleScaleSetMember: false, primary: true, enableIPForwarding: false,
      ipConfigurations: [expect.objectContaining({ privateIpAddress: instance === 0 ? '10.0.0.4' : '10.0.0.7', subnetId: SUBNET, loadBalancerBackendAddressPoolIds: [POOL], publicIpAddressId: null })],
    })));
    // No VM document in this file: whether the instances are Flexible is not known from it.
    expect(model.networkInterfaces.map((n) => n.virtualMachineCaptured)).toEqual([undefined, undefined]);
  });

  it('with their subnet not exported: no path, and a gap per NIC naming the subnet', () => {
    const { result } = load('recorded-vmss-nic-list.json');
    expect(result.paths).toEqual([]);
    expect(missingReferences(result.gaps)).toEqual([[nicId(0), SUBNET], [nicId(3), SUBNET]]);
  });

  it('list-instances says the instances are Uniform (captured, not Flexible) and adds no gap', () => {
    const alone = load('recorded-vmss-list-instances.json');
    expect(alone.gaps).toEqual([]);
    expect(alone.result.gaps).toEqual([]);
    expect(alone.model.networkInterfaces).toEqual([]);
    const nicsOnly = load('recorded-vmss-nic-list.json');
    const both = load('recorded-vmss-nic-list.json', 'recorded-vmss-list-instances.json');
    expect(both.gaps).toEqual([]);
    expect(both.result.gaps).toEqual(nicsOnly.result.gaps);
    expect(both.model.networkInterfaces.map((n) => [n.name, n.virtualMachineCaptured, n.flexibleScaleSetMember, n.missingSiblingNicIds])).toEqual([
      ['vmss1efd7Nic (instance 0)', true, false, undefined],
      ['vmss1efd7Nic (instance 3)', true, false, undefined],
    ]);
  });
});

describe('az network firewall show, secured virtual hub (azure-cli-extensions test_azure_firewall_virtual_hub_with_public_ips.yaml)', () => {
  const RG = 'cli_test_azure_firewall_virtual_hub000001';

  it('reads AZFW_Hub/Standard (sku inside properties), its private IP, public IP count and the three addresses of hubIPAddresses', () => {
    const { model, gaps } = load('recorded-firewall-hub-public-ips.json');
    expect(gaps).toEqual([]);
    expect(model.azureFirewalls).toEqual([expect.objectContaining({
      id: net(RG, 'azureFirewalls/af1'), name: 'af1', skuName: 'AZFW_Hub', skuTier: 'Standard',
      virtualHubId: net(RG, 'virtualHubs/clitestvhub'), hubPrivateIpAddress: '10.0.0.68', hubPublicIpCount: 3,
      hubPublicIpAddresses: ['20.47.144.63', '20.39.28.242', '20.39.29.156'], ipConfigurations: [], firewallPolicyId: null,
    })]);
  });
});
