/**
 * Hand-made estates for the pull tests, built with the demo ARM builders (REST shape):
 *  - `hub` subscription: hub VNet (AzureFirewallSubnet + NAT gateway, GatewaySubnet + VPN gateway
 *    in another resource group, snet-shared → firewall), firewall + policy + rule collection group,
 *    a Virtual WAN hub with a VNet connection and routing intent;
 *  - `apps` subscription: a spoke peered to the hub: snet-web and snet-api share one route table
 *    (one route signature), snet-batch has a NAT gateway, snet-pe holds only a private endpoint NIC;
 *    nic-api-1's VM is stopped;
 *  - `legacy` subscription: one VNet, one subnet, one VM (tests make it 403).
 */
import {
  azureFirewall, backendPoolId, defaultRouteTo, loadBalancer, loadBalancerId, firewallPolicy, hubVirtualNetworkConnection, natGateway, networkInterface,
  networkSecurityGroup, publicIp, routeTable, routingIntent, ruleCollectionGroup, subnetId, virtualHub,
  virtualHubId, virtualNetwork, virtualNetworkGateway, virtualWan, vnetId, armId, type ArmResource, type Scope,
} from '../../shared/demo/arm-builders';
import { generateSyntheticEstate } from '../../shared/demo/synthetic';
import type { FakeEstate, FakeResource } from '../../electron/azure/fake-arm/server';
import type { NetworkModel } from '../../shared/model/topology';

export const TENANT = '00000000-0000-4000-8000-0000000000aa';
export const SUB_HUB = '11111111-1111-4111-8111-111111111111';
export const SUB_APPS = '22222222-2222-4222-8222-222222222222';
export const SUB_LEGACY = '33333333-3333-4333-8333-333333333333';

const tags = { owner: 'network-platform@contoso.example', costCenter: 'CC-1000', environment: 'prod' };
const hub: Scope = { subscriptionId: SUB_HUB, resourceGroup: 'rg-hub', location: 'westeurope', tags };
const hubGateways: Scope = { ...hub, resourceGroup: 'rg-hub-gateways' };
const vwanScope: Scope = { ...hub, resourceGroup: 'rg-vwan' };
const apps: Scope = { subscriptionId: SUB_APPS, resourceGroup: 'rg-apps', location: 'westeurope', tags: { ...tags, owner: 'apps@contoso.example' } };
const legacy: Scope = { subscriptionId: SUB_LEGACY, resourceGroup: 'rg-legacy', location: 'northeurope', tags: { ...tags, owner: 'legacy@contoso.example' } };

export const FIREWALL_IP = '10.0.0.4';

export function smallEstateResources(): readonly ArmResource[] {
  const hubVnetId = vnetId(hub, 'vnet-hub');
  const appVnetId = vnetId(apps, 'vnet-apps');
  const ngPip = publicIp(hub, 'pip-ng-hub', { ipAddress: '20.1.1.1' });
  const ngHub = natGateway(hub, 'ng-hub', { publicIps: [ngPip], subnetIds: [subnetId(hubVnetId, 'AzureFirewallSubnet')] });
  const fwPip = publicIp(hub, 'pip-afw-hub', { ipAddress: '20.1.1.2' });
  const policy = firewallPolicy(hub, 'afwp-hub', ['rcg-egress']);
  const rcg = ruleCollectionGroup(hub, 'afwp-hub', 'rcg-egress', 200, [{
    name: 'allow-web', priority: 200, action: 'Allow',
    rules: [{ kind: 'network', name: 'https-out', ipProtocols: ['TCP'], sourceAddresses: ['10.0.0.0/8'], destinationAddresses: ['*'], destinationPorts: ['443'] }],
  }]);
  const firewall = azureFirewall(hub, 'afw-hub', { subnetId: subnetId(hubVnetId, 'AzureFirewallSubnet'), privateIp: FIREWALL_IP, publicIps: [fwPip], policy });
  const rtShared = routeTable(hub, 'rt-shared', [defaultRouteTo(FIREWALL_IP)]);
  const gwPip = publicIp(hubGateways, 'pip-vgw-hub', { ipAddress: '20.1.1.3' });
  const gateway = virtualNetworkGateway(hubGateways, 'vgw-hub', { gatewaySubnetId: subnetId(hubVnetId, 'GatewaySubnet'), publicIp: gwPip, enableBgp: true });
  const hubVnet = virtualNetwork(hub, 'vnet-hub', ['10.0.0.0/16'], [
    { name: 'AzureFirewallSubnet', addressPrefix: '10.0.0.0/26', natGateway: ngHub },
    { name: 'GatewaySubnet', addressPrefix: '10.0.1.0/27' },
    { name: 'snet-shared', addressPrefix: '10.0.2.0/24', routeTable: rtShared },
  ], [{ name: 'hub-to-apps', remote: { id: appVnetId, addressPrefixes: ['10.1.0.0/16'] }, allowForwardedTraffic: true, allowGatewayTransit: true }]);
  const wanId = armId(vwanScope, 'Microsoft.Network/virtualWans', 'vwan-global');
  const vhubId = virtualHubId(vwanScope, 'vhub-weu');
  const wan = virtualWan(vwanScope, 'vwan-global', [vhubId]);
  const vhub = virtualHub(vwanScope, 'vhub-weu', { virtualWanId: wanId, addressPrefix: '10.200.0.0/23' });
  const vhubConnection = hubVirtualNetworkConnection(vhubId, 'conn-legacy', { remoteVirtualNetworkId: vnetId(legacy, 'vnet-legacy'), enableInternetSecurity: true });
  const intent = routingIntent(vhubId, 'ri-internet', [{ name: 'InternetTraffic', destinations: ['Internet'], nextHop: armId(vwanScope, 'Microsoft.Network/azureFirewalls', 'afw-vhub') }]);

  const rtApps = routeTable(apps, 'rt-apps', [defaultRouteTo(FIREWALL_IP)], { disableBgpRoutePropagation: true });
  const ngAppsPip = publicIp(apps, 'pip-ng-apps', { ipAddress: '20.1.2.1' });
  const ngApps = natGateway(apps, 'ng-apps', { publicIps: [ngAppsPip] });
  const nsgWeb = networkSecurityGroup(apps, 'nsg-web', []);
  const appVnet = virtualNetwork(apps, 'vnet-apps', ['10.1.0.0/16'], [
    { name: 'snet-web', addressPrefix: '10.1.1.0/24', routeTable: rtApps, networkSecurityGroup: nsgWeb },
    { name: 'snet-api', addressPrefix: '10.1.2.0/24', routeTable: rtApps },
    { name: 'snet-batch', addressPrefix: '10.1.3.0/24', natGateway: ngApps, defaultOutboundAccess: false },
    { name: 'snet-pe', addressPrefix: '10.1.4.0/24' },
  ], [{ name: 'apps-to-hub', remote: { id: hubVnetId, addressPrefixes: ['10.0.0.0/16'] }, allowForwardedTraffic: true, useRemoteGateways: true }]);
  const webPip = publicIp(apps, 'pip-vm-web-3', { ipAddress: '20.1.2.9', ipConfigurationId: `${armId(apps, 'Microsoft.Network/networkInterfaces', 'nic-web-3')}/ipConfigurations/ipconfig1` });

  const legacyVnet = virtualNetwork(legacy, 'vnet-legacy', ['10.9.0.0/16'], [{ name: 'snet-old', addressPrefix: '10.9.1.0/24' }]);

  const nic = (scope: Scope, name: string, vnet: string, subnet: string, ip: string, vm: boolean, extra: { publicIp?: ArmResource } = {}): ArmResource =>
    networkInterface(scope, name, { subnetId: subnetId(vnet, subnet), privateIp: ip, ...(vm ? { vmName: name.replace(/^nic-/, 'vm-') } : { privateEndpointName: `pe-${name}` }), ...extra });

  return [
    ngPip, ngHub, fwPip, policy, rcg, firewall, rtShared, gwPip, gateway, hubVnet, wan, vhub, vhubConnection, intent,
    nic(hub, 'nic-shared-1', hubVnetId, 'snet-shared', '10.0.2.4', true),
    nic(hub, 'nic-shared-2', hubVnetId, 'snet-shared', '10.0.2.5', true),
    rtApps, ngAppsPip, ngApps, nsgWeb, appVnet, webPip,
    nic(apps, 'nic-api-1', appVnetId, 'snet-api', '10.1.2.4', true),
    nic(apps, 'nic-api-2', appVnetId, 'snet-api', '10.1.2.5', true),
    nic(apps, 'nic-web-1', appVnetId, 'snet-web', '10.1.1.4', true),
    nic(apps, 'nic-web-2', appVnetId, 'snet-web', '10.1.1.5', true),
    nic(apps, 'nic-web-3', appVnetId, 'snet-web', '10.1.1.6', true, { publicIp: webPip }),
    nic(apps, 'nic-batch-1', appVnetId, 'snet-batch', '10.1.3.4', true),
    nic(apps, 'nic-pe-1', appVnetId, 'snet-pe', '10.1.4.4', false),
    legacyVnet,
    nic(legacy, 'nic-old-1', vnetId(legacy, 'vnet-legacy'), 'snet-old', '10.9.1.4', true),
  ];
}

export const STOPPED_NIC = armId(apps, 'Microsoft.Network/networkInterfaces', 'nic-api-1');

export function smallEstate(): FakeEstate {
  const resources = smallEstateResources() as readonly FakeResource[];
  const natGateways = resources.filter((r) => r.type === 'Microsoft.Network/natGateways');
  const metrics = new Map<string, readonly number[]>();
  for (const n of natGateways) {
    metrics.set(`${n.id.toLowerCase()}|snatconnectioncount`, [0, 3, 4]);
    metrics.set(`${n.id.toLowerCase()}|packetdropcount`, [1, 1]);
  }
  metrics.set(`${armId(hub, 'Microsoft.Network/azureFirewalls', 'afw-hub').toLowerCase()}|snatportutilization`, [12, 87, 40]);
  return {
    tenantId: TENANT,
    subscriptions: [
      { subscriptionId: SUB_HUB, displayName: 'Connectivity' },
      { subscriptionId: SUB_APPS, displayName: 'Apps' },
      { subscriptionId: SUB_LEGACY, displayName: 'Legacy' },
    ],
    resources,
    stoppedVmNicIds: [STOPPED_NIC],
    metrics,
  };
}

/** nic-tools-1's VM in smallEstateWithVirtualMachines: a Flexible scale set instance in a subnet with no explicit outbound method. */
export const FLEXIBLE_VM = armId(apps, 'Microsoft.Compute/virtualMachines', 'vm-tools-1');
/** nic-tools-2's VM in smallEstateWithVirtualMachines names an availability set (REST: `properties.availabilitySet.id`, upper-case as ARM returns it). */
export const AVAILABILITY_SET_VM = armId(apps, 'Microsoft.Compute/virtualMachines', 'vm-tools-2');
export const AVAILABILITY_SET = armId(apps, 'Microsoft.Compute/availabilitySets', 'AVSET-TOOLS');

/**
 * The small estate plus an isolated `vnet-tools` (snet-tools: no route table, NAT gateway or public
 * IP, so default outbound access) holding nic-tools-1 and nic-tools-2, and one VM resource per VM
 * NIC (REST shape, with more properties than the pull's slim Resource Graph projection keeps).
 * vm-tools-1 is a Flexible-orchestration scale set instance: without its VM resource its NIC would
 * be read as using default outbound access, which such instances never get [DOA]
 * https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 */
export function smallEstateWithVirtualMachines(): FakeEstate {
  const estate = smallEstate();
  const toolsVnet = virtualNetwork(apps, 'vnet-tools', ['10.5.0.0/16'], [{ name: 'snet-tools', addressPrefix: '10.5.1.0/24' }]);
  const toolsNic = (name: string, ip: string): ArmResource =>
    networkInterface(apps, `nic-${name}`, { subnetId: subnetId(toolsVnet.id, 'snet-tools'), privateIp: ip, vmName: `vm-${name}` });
  const network = [...estate.resources, toolsVnet, toolsNic('tools-1', '10.5.1.4'), toolsNic('tools-2', '10.5.1.5')] as readonly FakeResource[];
  const vms: FakeResource[] = [];
  for (const nic of network) {
    const vm = nic.properties['virtualMachine'] as { id?: string } | undefined;
    if (nic.type !== 'Microsoft.Network/networkInterfaces' || vm?.id === undefined) continue;
    const name = vm.id.split('/').pop() ?? '';
    vms.push({
      id: vm.id, name, type: 'Microsoft.Compute/virtualMachines', location: nic.location ?? 'westeurope',
      properties: {
        hardwareProfile: { vmSize: 'Standard_B2s' },
        networkProfile: { networkInterfaces: [{ id: nic.id, properties: { primary: true } }] },
        provisioningState: 'Succeeded',
        ...(vm.id === FLEXIBLE_VM ? { virtualMachineScaleSet: { id: armId(apps, 'Microsoft.Compute/virtualMachineScaleSets', 'vmss-tools') } } : {}),
        ...(vm.id === AVAILABILITY_SET_VM ? { availabilitySet: { id: AVAILABILITY_SET } } : {}),
      },
    });
  }
  return { ...estate, resources: [...network, ...vms] };
}

/** A generated estate (for paging: more rows than a page) as a fake estate. */
export function syntheticFakeEstate(options: { subscriptions: number; virtualNetworks: number; subnets: number; networkInterfaces: number; seed: number }): FakeEstate {
  const estate = generateSyntheticEstate(options);
  const resources = estate.resources as readonly FakeResource[];
  const subs = [...new Set(resources.map((r) => r.id.split('/')[2] ?? ''))];
  return {
    tenantId: TENANT,
    subscriptions: subs.map((subscriptionId, i) => ({ subscriptionId, displayName: `Landing zone ${i + 1}` })),
    resources,
    effectiveRoutes: new Map(Object.entries(estate.effectiveRouteTables).map(([k, v]) => [k, v.value])),
  };
}

/**
 * Lower-case IDs of the estate's top-level network resources (and subnets) in the given
 * subscriptions. VMs are read only for what they say about their NICs: they are no model resource.
 */
export function expectedIds(estate: FakeEstate, subscriptions: readonly string[]): ReadonlySet<string> {
  const subs = new Set(subscriptions.map((s) => s.toLowerCase()));
  const out = new Set<string>();
  for (const r of estate.resources) {
    const sub = (r.id.split('/')[2] ?? '').toLowerCase();
    if (!subs.has(sub) || r.type.split('/').length > 2 || r.type.toLowerCase() === 'microsoft.compute/virtualmachines') continue;
    out.add(r.id.toLowerCase());
    const subnets = r.properties['subnets'];
    if (Array.isArray(subnets)) for (const s of subnets as { id: string }[]) out.add(s.id.toLowerCase());
  }
  return out;
}

/** Every resource and subnet ID in a normalized model. */
export function modelIds(model: NetworkModel): ReadonlySet<string> {
  return new Set([
    ...model.virtualNetworks, ...model.subnets, ...model.routeTables, ...model.natGateways, ...model.publicIpAddresses,
    ...model.publicIpPrefixes, ...model.networkInterfaces, ...model.azureFirewalls, ...model.firewallPolicies,
    ...model.networkSecurityGroups, ...model.loadBalancers, ...model.virtualNetworkGateways, ...model.virtualHubs, ...model.virtualWans,
    ...model.ipGroups,
  ].map((r) => r.id as string));
}

// ---------------------------------------------------------------------------------------------
// AKS-like Uniform scale sets

const aks: Scope = { subscriptionId: SUB_APPS, resourceGroup: 'MC_rg-aks_aks-weu_westeurope', location: 'westeurope', tags: { ...tags, owner: 'platform-aks@contoso.example' } };

/** The system node pool: 3 instances; instance 2 has an instance-level public IP. */
export const AKS_SYSTEM_POOL = armId(aks, 'Microsoft.Compute/virtualMachineScaleSets', 'aks-system-12345678-vmss');
/** The user node pool: 2 instances, no public IPs. */
export const AKS_USER_POOL = armId(aks, 'Microsoft.Compute/virtualMachineScaleSets', 'aks-user-12345678-vmss');
export const AKS_OUTBOUND_IP = '20.30.0.1';
export const AKS_NODE_PUBLIC_IP = '20.30.0.99';
export const AKS_SUBNET = subnetId(vnetId(aks, 'vnet-aks'), 'snet-aks-nodes');

/** A Uniform scale set instance's NIC ID (AKS names the NIC after the scale set). */
export function scaleSetNicId(scaleSetId: string, instance: number): string {
  return `${scaleSetId}/virtualMachines/${instance}/networkInterfaces/${scaleSetId.split('/').pop() ?? ''}`;
}

/**
 * An instance NIC as NetworkInterfaces_ListVirtualMachineScaleSetNetworkInterfaces returns it
 * (Microsoft's VmssNetworkInterfaceList.json example: the NIC under the Compute provider's path,
 * `virtualMachine` naming the instance, IP configurations with their pools and public IP).
 */
function scaleSetNic(scaleSetId: string, instance: number, privateIp: string, poolId: string, publicIpId?: string): ArmResource {
  const id = scaleSetNicId(scaleSetId, instance);
  return {
    id, name: id.split('/').pop() ?? '', type: 'Microsoft.Network/networkInterfaces', location: aks.location, tags: aks.tags,
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: `00000000-0000-4000-8000-${String(instance).padStart(12, '0')}`,
      ipConfigurations: [{
        id: `${id}/ipConfigurations/ipconfig1`, name: 'ipconfig1',
        properties: {
          provisioningState: 'Succeeded', privateIPAddress: privateIp, privateIPAllocationMethod: 'Dynamic',
          subnet: { id: AKS_SUBNET }, primary: true, privateIPAddressVersion: 'IPv4',
          loadBalancerBackendAddressPools: [{ id: poolId }],
          ...(publicIpId === undefined ? {} : { publicIPAddress: { id: publicIpId } }),
        },
      }],
      dnsSettings: { dnsServers: [], appliedDnsServers: [], internalDomainNameSuffix: 'contoso.ax.internal.cloudapp.net' },
      macAddress: `00-0D-3A-00-00-${String(10 + instance)}`,
      enableAcceleratedNetworking: true, enableIPForwarding: false, primary: true,
      virtualMachine: { id: `${scaleSetId}/virtualMachines/${instance}` },
    },
  };
}

/**
 * The small estate plus an AKS cluster's node resource group: `vnet-aks` / `snet-aks-nodes` (no
 * route table or NAT gateway: AKS outbound type `loadBalancer`), the `kubernetes` Standard load
 * balancer with an outbound rule over `aksOutboundBackendPool`, and two Uniform node pool scale
 * sets whose instance NICs are in that pool. System pool instance 2 has an instance-level public
 * IP (the node public IP feature). These NICs and public IPs are not in Resource Graph's
 * `resources` table nor in the subscription NIC list: only the scale set lists return them.
 */
export function aksEstate(): FakeEstate {
  const estate = smallEstate();
  const vnet = virtualNetwork(aks, 'vnet-aks', ['10.224.0.0/12'], [{ name: 'snet-aks-nodes', addressPrefix: '10.224.0.0/16' }]);
  const outboundPip = publicIp(aks, 'pip-aks-outbound', { ipAddress: AKS_OUTBOUND_IP });
  const lbId = loadBalancerId(aks, 'kubernetes');
  const poolId = backendPoolId(lbId, 'aksOutboundBackendPool');
  const nodePipId = `${scaleSetNicId(AKS_SYSTEM_POOL, 2)}/ipConfigurations/ipconfig1/publicIPAddresses/pip-node`;
  const nics = [
    scaleSetNic(AKS_SYSTEM_POOL, 0, '10.224.0.4', poolId),
    scaleSetNic(AKS_SYSTEM_POOL, 1, '10.224.0.5', poolId),
    scaleSetNic(AKS_SYSTEM_POOL, 2, '10.224.0.6', poolId, nodePipId),
    scaleSetNic(AKS_USER_POOL, 0, '10.224.0.7', poolId),
    scaleSetNic(AKS_USER_POOL, 1, '10.224.0.8', poolId),
  ];
  const lb = loadBalancer(aks, 'kubernetes', {
    frontends: [{ name: 'outbound-frontend', publicIp: outboundPip }],
    backendPools: [{ name: 'aksOutboundBackendPool', nicIpConfigIds: nics.map((n) => `${n.id}/ipConfigurations/ipconfig1`) }],
    outboundRules: [{ name: 'aksOutboundRule', frontends: ['outbound-frontend'], backendPool: 'aksOutboundBackendPool', allocatedOutboundPorts: 0, idleTimeoutInMinutes: 30 }],
  });
  // VmssPublicIpListAll.json: the instance public IP names its IP configuration; the list gives no `type`.
  const nodePip: ArmResource = {
    id: nodePipId, name: 'pip-node', type: 'Microsoft.Network/publicIPAddresses', location: aks.location, sku: { name: 'Standard', tier: 'Regional' },
    properties: {
      provisioningState: 'Succeeded', ipAddress: AKS_NODE_PUBLIC_IP, publicIPAddressVersion: 'IPv4', publicIPAllocationMethod: 'Static',
      idleTimeoutInMinutes: 4, ipConfiguration: { id: `${scaleSetNicId(AKS_SYSTEM_POOL, 2)}/ipConfigurations/ipconfig1` },
    },
  };
  return { ...estate, resources: [...estate.resources, ...([vnet, outboundPip, lb, ...nics, nodePip] as readonly FakeResource[])] };
}
