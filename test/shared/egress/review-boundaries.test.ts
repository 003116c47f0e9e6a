/**
 * Where the rules for unexported NICs, hub states, appliances routing back to themselves and scale
 * set instance names stop: a true answer is not turned unknown without a reason, a loop stays a
 * loop, and a NIC still answers to the name Azure gives it.
 * Shapes: az CLI output (flattened) as in test/shared/egress/unexported-nics.test.ts, aks.test.ts and
 * vwan-unseen-hub.test.ts; the hub's parts in REST shape.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import { toResourceId } from '../../../shared/model/ids';
import type { NetworkModel } from '../../../shared/model/topology';
import { checkPolicy, parsePolicy } from '../../../shared/policy/index';
import { filterBySource } from '../../../electron/cli/commands/resolve';
import { ModelBuilder, networkRule } from '../../support/model-builder';
import { pathOf, resolve, summary } from './support';
import { aksIds } from '../../support/aks-ids';

const load = (files: Readonly<Record<string, readonly unknown[]>>): ReturnType<typeof normalizeArm> =>
  normalizeArm(Object.entries(files).map(([fileName, json]) => ({ fileName, json })));
const resolveNormalized = (n: ReturnType<typeof normalizeArm>, destination?: string): ResolveResult =>
  resolveEgress({ model: n.model, effectiveRoutes: n.effectiveRoutes, metrics: [], gaps: n.gaps }, destination === undefined ? {} : { destination });
const pathById = (r: ResolveResult, id: string): EgressPath => {
  const p = r.paths.find((x) => x.source.id.toLowerCase() === id.toLowerCase());
  if (!p) throw new Error(`no path for ${id}`);
  return p;
};

// ---------------------------------------------------------------------------------------------
// a subnet listing a private endpoint's NIC the input lacks
// ---------------------------------------------------------------------------------------------
describe('missing private endpoint NICs', () => {
  const SUB = '/subscriptions/6f1d2c3b-0000-4000-8000-00000000a1b2';
  const RG = 'rg-data';
  const NET = `${SUB}/resourceGroups/${RG}/providers/Microsoft.Network`;
  const VNET = `${NET}/virtualNetworks/vnet-data`;
  const PE_SUBNET = `${VNET}/subnets/snet-pe`;
  const PE = `${NET}/privateEndpoints/pe-stdata-blob`;
  const PE_NIC = `${NET}/networkInterfaces/pe-stdata-blob.nic.3f0a2b1c-0000-4000-8000-000000000001`;
  const PE_CONFIG = `${PE_NIC}/ipConfigurations/privateEndpointIpConfig.5d6e7f80-0000-4000-8000-000000000002`;
  const vnets = [{
    addressSpace: { addressPrefixes: ['10.40.0.0/16'] }, id: VNET, location: 'westeurope', name: 'vnet-data', resourceGroup: RG, type: 'Microsoft.Network/virtualNetworks',
    subnets: [{
      addressPrefix: '10.40.1.0/24', id: PE_SUBNET, name: 'snet-pe', ipConfigurations: [{ id: PE_CONFIG, resourceGroup: RG }],
      privateEndpoints: [{ id: PE, resourceGroup: RG }], privateEndpointNetworkPolicies: 'Disabled', privateLinkServiceNetworkPolicies: 'Enabled',
      provisioningState: 'Succeeded', resourceGroup: RG, type: 'Microsoft.Network/virtualNetworks/subnets',
    }],
    virtualNetworkPeerings: [],
  }];
  // `az network private-endpoint list`: its `networkInterfaces` names the NIC the subnet lists.
  const endpoints = [{
    id: PE, name: 'pe-stdata-blob', location: 'westeurope', resourceGroup: RG, type: 'Microsoft.Network/privateEndpoints', provisioningState: 'Succeeded',
    subnet: { id: PE_SUBNET, resourceGroup: RG }, networkInterfaces: [{ id: PE_NIC, resourceGroup: RG }],
    privateLinkServiceConnections: [{
      id: `${PE}/privateLinkServiceConnections/blob`, name: 'blob', groupIds: ['blob'], privateLinkServiceId: `${SUB}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/stdata`,
      privateLinkServiceConnectionState: { status: 'Approved', description: 'Auto-Approved', actionsRequired: 'None' },
    }],
    manualPrivateLinkServiceConnections: [], customDnsConfigs: [{ fqdn: 'stdata.blob.core.windows.net', ipAddresses: ['10.40.1.4'] }],
  }];
  const peNic = {
    id: PE_NIC, name: 'pe-stdata-blob.nic.3f0a2b1c-0000-4000-8000-000000000001', location: 'westeurope', resourceGroup: RG, type: 'Microsoft.Network/networkInterfaces',
    enableIPForwarding: false, privateEndpoint: { id: PE, resourceGroup: RG },
    ipConfigurations: [{
      id: PE_CONFIG, name: 'privateEndpointIpConfig.5d6e7f80-0000-4000-8000-000000000002', primary: true, privateIPAddress: '10.40.1.4', privateIPAddressVersion: 'IPv4',
      privateIPAllocationMethod: 'Dynamic', subnet: { id: PE_SUBNET, resourceGroup: RG }, resourceGroup: RG,
    }],
  };

  /*
   * What is wrong: a subnet that holds only private endpoints lists their NICs in `ipConfigurations`.
   * With the endpoint in the input (its `networkInterfaces` names the NIC) but its NIC not (an export
   * without `az network nic list`, or the NIC in a group not exported), the new rule takes the missing
   * NIC for a VM NIC that "may leave through its own public IP or load balancer" and turns the subnet's
   * answer unknown. A private endpoint's NIC is platform-managed and initiates nothing ("Private endpoints
   * ... the network interface ... is read-only", learn.microsoft.com/azure/private-link/private-endpoint-overview;
   * the model itself says "such NICs initiate nothing [PE]", topology.ts privateEndpointId, and
   * subnetEntryHasInputNic skips them): it can have no public IP and no load balancer pool, so it
   * cannot make the subnet entry's default-outbound answer wrong. With the NIC in the input the same
   * subnet is `internet` / `default-outbound`; the only fact missing is one the input already settles.
   * A true answer needlessly turned unknown.
   * Expected: the same verdict and exit as with the NIC exported (internet, default-outbound), no
   * "NICs the input lacks" unknown for a NIC a private endpoint of the input names.
   */
  it('a missing NIC that a private endpoint in the input names does not turn the subnet unknown', () => {
    const withNic = pathById(resolveNormalized(load({ 'vnets.json': vnets, 'pe.json': endpoints, 'nics.json': [peNic] })), PE_SUBNET);
    expect(withNic).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    const withoutNic = pathById(resolveNormalized(load({ 'vnets.json': vnets, 'pe.json': endpoints, 'nics.json': [] })), PE_SUBNET);
    expect({ verdict: withoutNic.verdict, exit: withoutNic.exit }).toEqual({ verdict: withNic.verdict, exit: withNic.exit });
  });
});

// ---------------------------------------------------------------------------------------------
// hub connection not Succeeded on a hub that has no 0.0.0.0/0 source at all
// ---------------------------------------------------------------------------------------------
describe('a Failed hub connection where no state could give the spoke a 0.0.0.0/0', () => {
  const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
  const N = `${SUB}/resourceGroups/rg/providers/Microsoft.Network`;
  const HUB = `${N}/virtualHubs/hub1`;
  const SPOKE = `${N}/virtualNetworks/spoke`;
  const APP = `${SPOKE}/subnets/app`;
  const MANAGED = '/subscriptions/8f2a7c1e-55aa-4c3e-9d1f-2b6c0e9a7d41/resourceGroups/RG_hub1_33e8a688-6e34-4fce-8af6-5db929a73890/providers/Microsoft.Network/virtualNetworks/HV_hub1_b48f56c5-f434-4b78-850b-684f3017b53b';
  const peering = {
    id: `${SPOKE}/virtualNetworkPeerings/RemoteVnetToHubPeering_2943d591-5557-47dd-aedc-ac1564b09909`, name: 'RemoteVnetToHubPeering_2943d591-5557-47dd-aedc-ac1564b09909',
    resourceGroup: 'rg', type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings', allowForwardedTraffic: false, allowGatewayTransit: false, allowVirtualNetworkAccess: true,
    useRemoteGateways: true, peeringState: 'Connected', peeringSyncLevel: 'FullyInSync', provisioningState: 'Succeeded', remoteAddressSpace: { addressPrefixes: ['10.100.0.0/23'] },
    remoteVirtualNetwork: { id: MANAGED },
  };
  const spoke = {
    id: SPOKE, name: 'spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', resourceGroup: 'rg', addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
    subnets: [{ id: APP, name: 'app', addressPrefix: '10.1.1.0/24', resourceGroup: 'rg', type: 'Microsoft.Network/virtualNetworks/subnets' }], virtualNetworkPeerings: [peering],
  };
  // A plain (unsecured) hub: no firewall, no routing intent, no gateways, its route tables read and empty.
  const hub = {
    id: HUB, name: 'hub1', type: 'Microsoft.Network/virtualHubs', location: 'westeurope',
    properties: { addressPrefix: '10.100.0.0/23', virtualWan: { id: `${N}/virtualWans/wan` }, routeTable: { routes: [] }, virtualHubRouteTableV2s: [], expressRouteGateway: null, vpnGateway: null },
  };
  const defaultRouteTable = { id: `${HUB}/hubRouteTables/defaultRouteTable`, name: 'defaultRouteTable', type: 'Microsoft.Network/virtualHubs/hubRouteTables', properties: { labels: ['default'], routes: [] } };
  const connection = (state: string): unknown => ({
    id: `${HUB}/hubVirtualNetworkConnections/spoke-conn`, name: 'spoke-conn', resourceGroup: 'rg', type: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
    provisioningState: state, enableInternetSecurity: true, remoteVirtualNetwork: { id: SPOKE },
    routingConfiguration: {
      associatedRouteTable: { id: defaultRouteTable.id }, propagatedRouteTables: { ids: [{ id: defaultRouteTable.id }], labels: ['default'] }, vnetRoutes: { staticRoutes: [] },
    },
  });
  const resolveWith = (state: string): EgressPath => pathById(resolveNormalized(normalizeArm([{ fileName: 'export.json', json: [spoke, hub, defaultRouteTable, connection(state)] }])), APP);

  /*
   * What is wrong: hubDefaultRouteQuestion asks about a connection whose provisioningState is not
   * Succeeded before it looks whether the hub has any source of a 0.0.0.0/0. On a hub with no routing
   * intent, no firewall, no ExpressRoute / VPN gateway, no static route and route tables read without
   * a 0/0, "Supported sources of the default route" (ExpressRoute, site-to-site VPN, an NVA, a static
   * route on a connection: learn.microsoft.com/azure/virtual-wan/about-internet-routing) are all ruled
   * out by the input: whatever the hub router has programmed for a Failed connection, it has no 0/0 to
   * give, and the spoke leaves by its own method either way. The Succeeded twin answers
   * internet / default-outbound; the Failed one is unknown "whether hub connection spoke-conn gives this
   * spoke virtual hub hub1's routes" although no answer to that question changes the verdict.
   * Expected: the same verdict and exit as Succeeded (internet, default-outbound).
   */
  it('a Failed connection of a hub with no 0.0.0.0/0 source answers as a Succeeded one', () => {
    expect(resolveWith('Succeeded')).toMatchObject({ verdict: 'internet', exit: 'default-outbound' });
    const failed = resolveWith('Failed');
    expect({ verdict: failed.verdict, exit: failed.exit }).toEqual({ verdict: 'internet', exit: 'default-outbound' });
  });
});

// ---------------------------------------------------------------------------------------------
// an Azure Firewall its own subnet's route sends back to it
// ---------------------------------------------------------------------------------------------
describe('an Azure Firewall routing a private destination back to itself', () => {
  /*
   * What is wrong: the new check in loopGuard turns every private what-if that an appliance's own
   * subnet route sends back to it into `unknown` ("whether fw serves 10.50.0.5 itself, as a range its
   * operating system holds (a kubenet node's pod range, containers, a VPN client pool)"). That question
   * exists for a VM NVA (a kubenet node), never for an Azure Firewall: a managed service with no OS
   * of yours, no pod range and no client pool; it only forwards by its rules and its subnet's routes
   * (learn.microsoft.com/azure/firewall/overview). A route table shared by the spokes and
   * AzureFirewallSubnet (10.0.0.0/8 → the firewall) is the classic loop: the firewall's own subnet sends
   * the packet back to the firewall ("traffic returns to fw", UDR overview: a route to an appliance that
   * routes back to itself loops). Before c032034 this was `dropped` with the `route-loop` error, a true
   * and confident answer that auditors need; now it is unknown with a missing fact that cannot exist.
   * Expected: dropped, with the route-loop finding.
   */
  it('AzureFirewallSubnet routing a private destination back to its own firewall is a route loop, not unknown', () => {
    const b = new ModelBuilder();
    const hub = b.vnet('hub', ['10.0.0.0/16']);
    const spoke = b.vnet('spoke', ['10.1.0.0/16']);
    b.peer(spoke, hub, { allowForwardedTraffic: true });
    b.peer(hub, spoke, { allowForwardedTraffic: true });
    const rt = b.routeTable('rt-shared', [{ prefix: '10.0.0.0/8', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.1.4' }]);
    const fwSubnet = b.subnet(hub, 'AzureFirewallSubnet', '10.0.1.0/26', { routeTableId: rt });
    const policy = b.firewallPolicy('fw-policy', [networkRule('all-private', { destinationAddresses: ['10.0.0.0/8'] })]);
    b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], policyId: policy });
    const app = b.subnet(spoke, 'app', '10.1.1.0/24', { routeTableId: rt });
    const path = pathOf(resolve(b.build(), { destination: '10.50.0.5' }), app);
    expect(summary(path)).toMatchObject({ verdict: 'dropped', findings: ['route-loop'] });
  });
});

// ---------------------------------------------------------------------------------------------
// Uniform instance NICs renamed '<name> (instance i)'
// ---------------------------------------------------------------------------------------------
describe('scale set instance NICs answer to their Azure name', () => {
  const { RG, MC, MC_NET, VMSS, VNET, NODES } = aksIds('3f2b8a71-0000-4000-8000-00000000c0de');
  const NIC_NAME = 'aks-nodepool1-31337731-vmss';
  const nicId = (i: number): string => `${VMSS}/virtualMachines/${i}/networkInterfaces/${NIC_NAME}`;
  const configId = (i: number): string => `${nicId(i)}/ipConfigurations/ipconfig1`;
  const PIP = (i: number): string => `${MC_NET}/publicIPAddresses/pip-node-${i}`;
  // Nodes with their own public IPs (enableNodePublicIP): each NIC leaves by its public IP, so each
  // has a path of its own apart from the subnet entry (default outbound).
  const model = (): ReturnType<typeof normalizeArm> => load({
    'vnets.json': [{
      addressSpace: { addressPrefixes: ['10.224.0.0/12'] }, id: VNET, location: 'westeurope', name: 'vnet-aks', resourceGroup: RG, type: 'Microsoft.Network/virtualNetworks',
      subnets: [{ addressPrefix: '10.224.0.0/16', id: NODES, name: 'snet-aks-nodes', ipConfigurations: [0, 1].map((i) => ({ id: configId(i), resourceGroup: MC })),
        resourceGroup: RG, type: 'Microsoft.Network/virtualNetworks/subnets' }],
      virtualNetworkPeerings: [],
    }],
    'vmss-nics.json': [0, 1].map((i) => ({
      id: nicId(i), name: NIC_NAME, location: 'westeurope', resourceGroup: MC, type: 'Microsoft.Network/networkInterfaces', enableIPForwarding: false, primary: true,
      ipConfigurations: [{ id: configId(i), name: 'ipconfig1', primary: true, privateIPAddress: `10.224.0.${4 + i}`, privateIPAddressVersion: 'IPv4', privateIPAllocationMethod: 'Dynamic',
        subnet: { id: NODES, resourceGroup: RG }, publicIPAddress: { id: PIP(i), resourceGroup: MC }, resourceGroup: MC }],
      virtualMachine: { id: `${VMSS}/virtualMachines/${i}`, resourceGroup: MC },
    })),
    'pips.json': [0, 1].map((i) => ({
      id: PIP(i), name: `pip-node-${i}`, ipAddress: `20.61.12.${10 + i}`, location: 'westeurope', publicIPAddressVersion: 'IPv4', publicIPAllocationMethod: 'Static',
      resourceGroup: MC, sku: { name: 'Standard', tier: 'Regional' }, type: 'Microsoft.Network/publicIPAddresses',
    })),
  });

  /*
   * What is wrong: mapNetworkInterface now stores a Uniform instance NIC's name as
   * `aks-nodepool1-31337731-vmss (instance 0)`, a name that exists nowhere in Azure. `resolve --source`
   * (and diagram / reach / report --subnet) matches a source "by name or resource ID"
   * (README; electron/cli/commands/resolve.ts sourceMatchesSource: exact name): the name every tool
   * prints for these NICs (`az vmss nic list`, the portal, this tool before c032034) now selects
   * nothing and the CLI says `--source "…" matches no subnet or NIC`. Expected: the Azure name still
   * selects the instance NICs (keep the Azure name for matching, show the instance apart).
   */
  it('resolve --source <the NIC name az vmss nic list prints> still selects the instance NICs', () => {
    const result = resolveNormalized(model());
    expect(pathById(result, nicId(0))).toMatchObject({ verdict: 'internet', exit: 'public-ip' });
    const selected = filterBySource(result, NIC_NAME).paths.map((p) => p.source.id);
    expect(selected).toEqual(expect.arrayContaining([toResourceId(nicId(0)), toResourceId(nicId(1))]));
  });

  /*
   * What is wrong: a policy exception's `source` is matched against the source's name or ID
   * (README "An exception applies to a source (name, ID or glob, matched as scope entries are"):
   * an existing waiver written with the NIC's Azure name, or a glob on it (`aks-nodepool1-*-vmss`),
   * stops matching after the rename, so a passing `check` (CI gate) starts failing with nothing
   * changed in Azure. Expected: the waiver still applies to the instance NICs.
   */
  it('a policy exception naming the instance NICs by their Azure name (or a glob on it) still waives them', () => {
    const n = model();
    const input = { ...n, metrics: [] };
    const policy = parsePolicy(`version: 1
controls:
  - id: no-instance-public-ip
    effect: deny
    forbidExits: [public-ip]
    exceptions:
      - { source: "aks-nodepool1-*-vmss", reason: "node public IPs for the game servers", ticket: CHG-77, expires: 2027-12-31 }
`, 'policy.yaml');
    const result = checkPolicy(input, policy, { now: new Date('2026-11-26T09:00:00Z'), destination: null });
    expect(result.controls[0]?.status).toBe('pass');
  });
});

export type { NetworkModel };
