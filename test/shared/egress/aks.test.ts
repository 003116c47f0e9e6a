/**
 * Azure Kubernetes Service (AKS) estates as users export them: kubenet's pod routes, node public
 * IPs as Microsoft's example of their list gives them, and node NICs that share one name.
 *
 * Shapes: `az network vnet list` (subnets inline, each listing the IP configurations that use it),
 * `az vmss nic list -g MC_… --vmss-name …` (Uniform scale set instance NICs, IDs under
 * Microsoft.Compute/virtualMachineScaleSets/{s}/virtualMachines/{i}/networkInterfaces/{name}; AKS names
 * every instance NIC after the scale set), `az network lb list` for the AKS `kubernetes` Standard load
 * balancer (outbound rule `aksOutboundRule` over `aksOutboundBackendPool`, allocatedOutboundPorts 0 as
 * `az network lb outbound-rule list -g $NODE_RG --lb-name kubernetes` prints it in
 * MicrosoftDocs/azure-aks-docs articles/aks/load-balancer-standard.md and Azure-Samples/azure-cli-samples
 * aks/load-balancer-standard.sh), `az network public-ip list`, `az network route-table list`. The same
 * shapes the project's own test/shared/egress/unexported-nics.test.ts and test/fake-arm/estates.ts use.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import type { NetworkModel } from '../../../shared/model/topology';
import { formatTable } from '../../../electron/cli/format-table';
import { aksIds } from '../../support/aks-ids';

const { SUB, RG, MC, MC_NET, VMSS, VNET, NODES, LB } = aksIds('3f2b8a71-0000-4000-8000-00000000c0de');
const POOL_OUT = `${LB}/backendAddressPools/aksOutboundBackendPool`;
const POOL_K = `${LB}/backendAddressPools/kubernetes`;
const RT = `${MC_NET}/routeTables/aks-agentpool-31337731-routetable`;
const OUT_PIP = `${MC_NET}/publicIPAddresses/5ba3fda8-4e25-4f30-b8f1-e7d27c87cd02`;
const FRONTEND = `${LB}/frontendIPConfigurations/5ba3fda8-4e25-4f30-b8f1-e7d27c87cd02`;

const nicId = (i: number): string => `${VMSS}/virtualMachines/${i}/networkInterfaces/aks-nodepool1-31337731-vmss`;
const configId = (i: number): string => `${nicId(i)}/ipConfigurations/ipconfig1`;

function vnetList(ipConfigurations: readonly string[], routeTable?: string): unknown[] {
  return [{
    addressSpace: { addressPrefixes: ['10.224.0.0/12'] }, id: VNET, location: 'westeurope', name: 'vnet-aks', provisioningState: 'Succeeded', resourceGroup: RG,
    subnets: [{
      addressPrefix: '10.224.0.0/16', id: NODES, name: 'snet-aks-nodes',
      ipConfigurations: ipConfigurations.map((id) => ({ id, resourceGroup: MC })),
      ...(routeTable ? { routeTable: { id: routeTable, resourceGroup: MC } } : {}),
      privateEndpointNetworkPolicies: 'Disabled', privateLinkServiceNetworkPolicies: 'Enabled', provisioningState: 'Succeeded', resourceGroup: RG,
      type: 'Microsoft.Network/virtualNetworks/subnets',
    }],
    type: 'Microsoft.Network/virtualNetworks', virtualNetworkPeerings: [],
  }];
}

/** An instance NIC as `az vmss nic list` prints it (flattened: no `properties`). */
function vmssNic(i: number, ip: string, options: { readonly forwarding?: boolean; readonly publicIp?: string } = {}): Record<string, unknown> {
  return {
    dnsSettings: { appliedDnsServers: [], dnsServers: [] }, enableAcceleratedNetworking: true, enableIPForwarding: options.forwarding ?? false, id: nicId(i),
    ipConfigurations: [{
      id: configId(i), loadBalancerBackendAddressPools: [{ id: POOL_OUT, resourceGroup: MC }, { id: POOL_K, resourceGroup: MC }], name: 'ipconfig1', primary: true,
      privateIPAddress: ip, privateIPAddressVersion: 'IPv4', privateIPAllocationMethod: 'Dynamic', provisioningState: 'Succeeded', resourceGroup: MC,
      subnet: { id: NODES, resourceGroup: RG },
      ...(options.publicIp ? { publicIPAddress: { id: options.publicIp, resourceGroup: MC } } : {}),
    }],
    location: 'westeurope', macAddress: `00-0D-3A-2B-00-0${String(i)}`, name: 'aks-nodepool1-31337731-vmss', primary: true, provisioningState: 'Succeeded',
    resourceGroup: MC, type: 'Microsoft.Network/networkInterfaces', virtualMachine: { id: `${VMSS}/virtualMachines/${i}`, resourceGroup: MC },
  };
}

/** The `kubernetes` Standard load balancer of outbound type loadBalancer (`az network lb list`). */
function kubernetesLb(members: readonly string[]): unknown {
  const rule = `${LB}/outboundRules/aksOutboundRule`;
  const pool = (id: string, name: string) => ({
    backendIPConfigurations: members.map((m) => ({ id: m, resourceGroup: MC })), id, name, provisioningState: 'Succeeded', resourceGroup: MC,
    type: 'Microsoft.Network/loadBalancers/backendAddressPools',
  });
  return {
    backendAddressPools: [{ ...pool(POOL_OUT, 'aksOutboundBackendPool'), outboundRules: [{ id: rule, resourceGroup: MC }] }, pool(POOL_K, 'kubernetes')],
    frontendIPConfigurations: [{
      id: FRONTEND, name: '5ba3fda8-4e25-4f30-b8f1-e7d27c87cd02', outboundRules: [{ id: rule, resourceGroup: MC }], privateIPAllocationMethod: 'Dynamic',
      provisioningState: 'Succeeded', publicIPAddress: { id: OUT_PIP, resourceGroup: MC }, resourceGroup: MC, type: 'Microsoft.Network/loadBalancers/frontendIPConfigurations',
    }],
    id: LB, inboundNatPools: [], inboundNatRules: [], loadBalancingRules: [], location: 'westeurope', name: 'kubernetes',
    outboundRules: [{
      allocatedOutboundPorts: 0, backendAddressPool: { id: POOL_OUT, resourceGroup: MC }, enableTcpReset: true, frontendIPConfigurations: [{ id: FRONTEND, resourceGroup: MC }],
      id: rule, idleTimeoutInMinutes: 30, name: 'aksOutboundRule', protocol: 'All', provisioningState: 'Succeeded', resourceGroup: MC,
      type: 'Microsoft.Network/loadBalancers/outboundRules',
    }],
    probes: [], provisioningState: 'Succeeded', resourceGroup: MC, sku: { name: 'Standard', tier: 'Regional' }, type: 'Microsoft.Network/loadBalancers',
  };
}

const outboundPip = {
  id: OUT_PIP, idleTimeoutInMinutes: 30, ipAddress: '20.61.12.34', ipConfiguration: { id: FRONTEND, resourceGroup: MC }, ipTags: [], location: 'westeurope',
  name: '5ba3fda8-4e25-4f30-b8f1-e7d27c87cd02', provisioningState: 'Succeeded', publicIPAddressVersion: 'IPv4', publicIPAllocationMethod: 'Static', resourceGroup: MC,
  sku: { name: 'Standard', tier: 'Regional' }, type: 'Microsoft.Network/publicIPAddresses',
};

function load(files: Readonly<Record<string, readonly unknown[]>>): ReturnType<typeof normalizeArm> {
  return normalizeArm(Object.entries(files).map(([fileName, json]) => ({ fileName, json })));
}

function resolve(normalized: ReturnType<typeof normalizeArm>, destination?: string): ResolveResult {
  return resolveEgress({ model: normalized.model, effectiveRoutes: normalized.effectiveRoutes, metrics: [], gaps: normalized.gaps }, destination === undefined ? {} : { destination });
}

const pathOf = (r: ResolveResult, id: string): EgressPath => {
  const path = r.paths.find((p) => p.source.id.toLowerCase() === id.toLowerCase());
  if (!path) throw new Error(`no path for ${id}; have ${r.paths.map((p) => p.source.id).join(', ')}`);
  return path;
};

// ---------------------------------------------------------------------------------------------

describe('AKS kubenet: pod CIDR routes to the node that hosts them', () => {
  /*
   * Shape: AKS's kubenet route table `aks-agentpool-<id>-routetable` in the node resource group, one
   * route per node, named `<instance>____<pod CIDR digits>`, next hop VirtualAppliance = the node's IP,
   * as `az network route-table list -g MC_…` prints it; the node NICs have IP forwarding on.
   * Docs (MicrosoftDocs/azure-aks-docs articles/aks/configure-kubenet.md): "With kubenet, only the
   * nodes receive an IP address in the virtual network subnet. ... User Defined Routing (UDR) and IP
   * forwarding handle connectivity between pods across nodes"; "--pod-cidr of 10.244.0.0/16 assigns
   * the first node 10.244.0.0/24, the second node 10.244.1.0/24".
   *
   * Read wrongly, as it once was: a what-if to a pod on the second node (10.244.1.7) is routed by the subnet's UDR to
   * that node (10.224.0.5, an NVA to the engine); the engine then routes again from the node's own
   * subnet, finds the same UDR pointing at the same node, and ends `dropped` with an error
   * `route-loop` finding ("traffic loops and is dropped"). The node owns the pod CIDR (its bridge
   * holds 10.244.1.0/24): Azure delivered the packet to the VM, and what the VM's OS does with it is not
   * Azure's routing. A documented, working AKS configuration is reported as a dropped error: a
   * confident wrong verdict. Expected: the packet reaches the node (`private`), or `unknown` naming
   * what the appliance does with a destination its own route sends back to itself; never `dropped`
   * with a route-loop error.
   */
  it('a what-if to a pod IP on another node is not a dropped routing loop', () => {
    const routeTable = {
      disableBgpRoutePropagation: false, id: RT, location: 'westeurope', name: 'aks-agentpool-31337731-routetable', provisioningState: 'Succeeded', resourceGroup: MC,
      routes: [
        { addressPrefix: '10.244.0.0/24', id: `${RT}/routes/aks-nodepool1-31337731-vmss000000____102440024`, name: 'aks-nodepool1-31337731-vmss000000____102440024',
          nextHopIpAddress: '10.224.0.4', nextHopType: 'VirtualAppliance', provisioningState: 'Succeeded', resourceGroup: MC, type: 'Microsoft.Network/routeTables/routes' },
        { addressPrefix: '10.244.1.0/24', id: `${RT}/routes/aks-nodepool1-31337731-vmss000001____102441024`, name: 'aks-nodepool1-31337731-vmss000001____102441024',
          nextHopIpAddress: '10.224.0.5', nextHopType: 'VirtualAppliance', provisioningState: 'Succeeded', resourceGroup: MC, type: 'Microsoft.Network/routeTables/routes' },
      ],
      subnets: [{ id: NODES, resourceGroup: RG }], type: 'Microsoft.Network/routeTables',
    };
    const normalized = load({
      'vnets.json': vnetList([configId(0), configId(1)], RT),
      'vmss-nics.json': [vmssNic(0, '10.224.0.4', { forwarding: true }), vmssNic(1, '10.224.0.5', { forwarding: true })],
      'lbs.json': [kubernetesLb([configId(0), configId(1)])],
      'pips.json': [outboundPip],
      'route-tables.json': [routeTable],
    });
    // The default route is fine: every node leaves through the outbound rule.
    expect(pathOf(resolve(normalized), nicId(1))).toMatchObject({ verdict: 'internet', exit: 'load-balancer', egressIps: ['20.61.12.34'] });

    const path = pathOf(resolve(normalized, '10.244.1.7'), NODES);
    expect(path.findings.map((f) => f.code)).not.toContain('route-loop');
    expect(path.verdict).toBe('unknown');
    const last = path.steps[path.steps.length - 1];
    expect(last?.kind === 'terminal' && last.reason.kind === 'undecided' ? last.reason.missingFact : '').toBe('whether aks-nodepool1-31337731-vmss (instance 1) serves 10.244.1.7 itself, as a range its operating system holds (a kubenet node\'s pod range, containers, a VPN client pool), or forwards it again, which would loop: its subnet\'s route sends that address back to it (10.244.1.7 is a private address (RFC 1918), not an internet address)');
  });
});

describe('AKS node public IPs (enableNodePublicIP) listed in the REST shape', () => {
  /*
   * Shape: the scale set public IP list (`az rest --method get --url …/virtualMachineScaleSets/{s}/
   * publicipaddresses?api-version=2018-10-01`, the list `az vmss list-instance-public-ips` calls, and
   * what `pull` reads) as Microsoft's REST example VmssPublicIpListAll.json gives it
   * (Azure/azure-rest-api-specs specification/network/…/examples/VmssPublicIpListAll.json, reproduced
   * in Azure/azure-sdk-for-go armnetwork ExamplePublicIPAddressesClient_NewListVirtualMachineScaleSetPublicIPAddressesPager):
   * `name`, `id` (…/virtualMachines/1/networkInterfaces/nic1/ipConfigurations/ip1/publicIPAddresses/pub1)
   * and `properties`, no `type`. The project knows the list carries no type: its pull adds one
   * (electron/azure/topology.ts `typed`, "Microsoft's VMSS list examples carry none"), and its fake ARM
   * serves it without (electron/azure/fake-arm/server.ts scaleSetPublicIpShape). Docs:
   * MicrosoftDocs/azure-aks-docs articles/aks/use-node-public-ips.md ("nodes in a node pool ... receive
   * their own dedicated public IP addresses"); "Azure uses the public IP assigned to the IP
   * configuration of the instance's NIC" (load-balancer-outbound-connections).
   *
   * Read wrongly, as it once was: normalizeArm takes the type from the ID
   * (microsoft.compute/virtualmachinescalesets/virtualmachines/networkinterfaces/ipconfigurations/publicipaddresses),
   * ignores both public IPs as an `unsupported-resource-type`, and then reports each node's public IP as
   * "referenced but not in the input" (`missing-reference`): the node's egress IP is shown as the
   * resource name `pub1`, never 13.67.119.72, although the input holds it. Expected: the listed public
   * IP is read as a public IP (its ID names the type), the node's egress IP is its address, and no gap
   * says the input lacks what it holds.
   */
  it('an instance-level public IP without `type` is read: the node leaves from its address', () => {
    const example = `${SUB}/resourceGroups/vmss-tester/providers/Microsoft.Compute/virtualMachineScaleSets/vmss1`;
    const exampleNic = `${example}/virtualMachines/1/networkInterfaces/nic1`;
    const pipId = `${exampleNic}/ipConfigurations/ip1/publicIPAddresses/pub1`;
    const net = `${SUB}/resourceGroups/vmss-tester/providers/Microsoft.Network`;
    const vnet = `${net}/virtualNetworks/vn1`;
    const subnet = `${vnet}/subnets/sn1`;
    const normalized = load({
      'vnets.json': [{ id: vnet, name: 'vn1', type: 'Microsoft.Network/virtualNetworks', location: 'southeastasia',
        properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ id: subnet, name: 'sn1', properties: { addressPrefix: '10.0.0.0/24', ipConfigurations: [{ id: `${exampleNic}/ipConfigurations/ip1` }] } }] } }],
      'vmss-nics.json': [{ id: exampleNic, name: 'nic1', type: 'Microsoft.Network/networkInterfaces', location: 'southeastasia',
        properties: { enableIPForwarding: false, primary: true, virtualMachine: { id: `${example}/virtualMachines/1` },
          ipConfigurations: [{ id: `${exampleNic}/ipConfigurations/ip1`, name: 'ip1',
            properties: { primary: true, privateIPAddress: '10.0.0.5', privateIPAddressVersion: 'IPv4', privateIPAllocationMethod: 'Dynamic', subnet: { id: subnet }, publicIPAddress: { id: pipId } } }] } }],
      // VmssPublicIpListAll.json's item, as the service returns it: no `type`.
      'vmss-public-ips.json': [{
        name: 'pub1', id: pipId,
        properties: {
          provisioningState: 'Succeeded', publicIPAddressVersion: 'IPv4', publicIPAllocationMethod: 'Dynamic', idleTimeoutInMinutes: 10, ipAddress: '13.67.119.72',
          dnsSettings: { domainNameLabel: 'vm1.testvmssacc', fqdn: 'vm1.testvmssacc.southeastasia.cloudapp.azure.com' },
          ipConfiguration: { id: `${exampleNic}/ipConfigurations/ip1` },
        },
      }],
    });
    expect(normalized.gaps.map((g) => g.code)).not.toContain('unsupported-resource-type');
    const result = resolve(normalized);
    const path = pathOf(result, exampleNic);
    expect(path).toMatchObject({ verdict: 'internet', exit: 'public-ip' });
    expect(path.egressIps).toEqual(['13.67.119.72']);
    expect(result.gaps.filter((g) => g.code === 'missing-reference' && g.message.toLowerCase().includes('pub1'))).toEqual([]);
  });
});

describe('CLI table: the instance NICs of one node pool', () => {
  /*
   * Shape: `az vmss nic list` of an AKS node pool: every instance NIC has the scale set's name
   * (`aks-nodepool1-31337731-vmss`), the instance only in its ID (…/virtualMachines/{i}/…), as in
   * test/fake-arm/estates.ts `scaleSetNicId` ("AKS names the NIC after the scale set").
   * Docs: README "CLI" — the table lists "every subnet's and NIC's egress path"; the engine's own
   * words name an instance NIC as "NIC … of scale set … instance i" (shared/egress/outbound.ts nicLabel).
   *
   * Read wrongly, as it once was: `egress-atlas resolve` prints one row per node NIC whose SOURCE cell is the bare NIC
   * name, so every node of a pool has the same, indistinguishable row (and `reach` the same heading);
   * when one node leaves differently (its own public IP, left out of the outbound pool) the reader
   * cannot tell which. Expected: each instance's row names its instance (or is otherwise told apart).
   */
  it('rows of two instances of one scale set are told apart', () => {
    const normalized = load({
      'vnets.json': vnetList([configId(0), configId(1)]),
      'vmss-nics.json': [vmssNic(0, '10.224.0.4'), vmssNic(1, '10.224.0.5')],
      'lbs.json': [kubernetesLb([configId(0), configId(1)])],
      'pips.json': [outboundPip],
    });
    const result = resolve(normalized);
    expect(result.paths.filter((p) => p.source.type === 'nic')).toHaveLength(2);
    const table = formatTable(result, normalized.model as NetworkModel, { color: false });
    const rows = table.split('\n').filter((line) => line.includes('aks-nodepool1-31337731-vmss'));
    expect(rows).toHaveLength(2);
    const sourceCells = rows.map((r) => r.trim().split(/\s{2,}/)[0]);
    expect(new Set(sourceCells).size).toBe(2);
  });
});
