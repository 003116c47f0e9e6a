/**
 * Input forms (bundle, ARM list, bare array, single resource, az effective routes), shapes mixed in
 * one bundle, case-insensitive IDs, merging of duplicate and child resources, unknown types.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { toResourceId } from '../../../shared/model/ids';
import { flattenRest, inputText } from './helpers';

const SPOKE = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-spoke/providers/Microsoft.Network';
const HUB = '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-hub/providers/Microsoft.Network';
const id = (raw: string) => toResourceId(raw);

function input(name: string) {
  return { fileName: name, json: JSON.parse(inputText(name)) as unknown };
}

describe('a mixed bundle ({ resources, effectiveRouteTables })', () => {
  const result = normalizeArm([input('bundle-spoke.json')]);
  const { model } = result;

  it('keeps the VNet with both address families and lists both subnets', () => {
    expect(model.virtualNetworks).toHaveLength(1);
    expect(model.virtualNetworks[0]).toMatchObject({
      id: id(`${SPOKE}/virtualNetworks/vnet-spoke`),
      name: 'vnet-spoke',
      resourceGroup: 'RG-Spoke',
      subscriptionId: '11111111-1111-1111-1111-111111111111',
      tags: { owner: 'team-payments' },
      addressPrefixes: ['10.20.0.0/16', 'fd00:20::/48'],
      subnetIds: [id(`${SPOKE}/virtualNetworks/vnet-spoke/subnets/app`), id(`${SPOKE}/virtualNetworks/vnet-spoke/subnets/data`)],
    });
  });

  it('merges the embedded and the standalone (differently cased, flattened) copy of a subnet: standalone wins per field', () => {
    expect(model.subnets).toHaveLength(2);
    expect(model.subnets[0]).toMatchObject({
      id: id(`${SPOKE}/virtualNetworks/vnet-spoke/subnets/app`),
      addressPrefixes: ['10.20.1.0/24'],
      routeTableId: id(`${SPOKE}/routeTables/rt-spoke`),
      networkSecurityGroupId: id(`${SPOKE}/networkSecurityGroups/nsg-app`),
      // Only the embedded copy names the NAT gateway; the standalone copy prints it as null (absent).
      natGatewayId: id(`${SPOKE}/natGateways/ngw-spoke`),
      // Both copies carry it: the standalone one wins.
      privateEndpointNetworkPolicies: 'Enabled',
      location: 'westeurope',
    });
  });

  it('keeps dual-stack subnet prefixes and a private subnet flag', () => {
    expect(model.subnets[1]).toMatchObject({ addressPrefixes: ['10.20.2.0/24', 'fd00:20:0:2::/64'], defaultOutboundAccess: false });
  });

  it('merges a standalone route (service-tag prefix) into its flattened route table', () => {
    expect(model.routeTables[0]?.disableBgpRoutePropagation).toBe(true);
    expect(model.routeTables[0]?.routes.map((r) => [r.name, r.addressPrefix, r.nextHopType, r.nextHopIpAddress])).toEqual([
      ['default-to-fw', '0.0.0.0/0', 'VirtualAppliance', '10.0.1.4'],
      ['storage-direct', 'Storage.WestEurope', 'Internet', null],
    ]);
  });

  it('reads REST NAT gateway and flattened public IP alike', () => {
    expect(model.natGateways[0]?.publicIpAddressIds).toEqual([id(`${SPOKE}/publicIPAddresses/pip-ngw`)]);
    expect(model.publicIpAddresses[0]).toMatchObject({ ipAddress: '20.50.1.10', skuName: 'Standard', version: 'IPv4', ipConfigurationId: null });
  });

  it('resolves a subnet reference written in another casing to the same subnet ID', () => {
    const subnetId = model.networkInterfaces[0]?.ipConfigurations[0]?.subnetId;
    expect(subnetId).toBe(model.subnets[0]?.id);
  });

  it('marks a NIC whose VM belongs to a Flexible scale set (from the VM resource)', () => {
    expect(model.networkInterfaces[0]?.flexibleScaleSetMember).toBe(true);
  });

  it('reads az effective routes ({ nextLink, value }) keyed by a differently cased NIC ID', () => {
    expect(result.effectiveRoutes).toHaveLength(1);
    expect(result.effectiveRoutes[0]?.networkInterfaceId).toBe(model.networkInterfaces[0]?.id);
    expect(result.effectiveRoutes[0]?.routes[1]).toEqual({
      name: 'default-to-fw', source: 'User', state: 'Active', addressPrefixes: ['0.0.0.0/0'], nextHopType: 'VirtualAppliance',
      nextHopIpAddresses: ['10.0.1.4'], disableBgpRoutePropagation: true,
    });
  });

  it('counts unknown types as gaps, one per type, never silently', () => {
    expect(result.gaps).toEqual([
      expect.objectContaining({ code: 'unsupported-resource-type', scope: 'microsoft.compute/disks', count: 2 }),
      expect.objectContaining({ code: 'unsupported-resource-type', scope: 'microsoft.storage/storageaccounts', count: 1 }),
    ]);
  });
});

describe('other input forms', () => {
  it('reads az output (a bare array, flattened, with resourceGroup) including embedded peerings', () => {
    const { model } = normalizeArm([input('az-vnet-list.json')]);
    expect(model.subnets.map((s) => s.name)).toEqual(['AzureFirewallSubnet']);
    expect(model.virtualNetworks[0]?.peerings).toEqual([{
      id: id(`${HUB}/virtualNetworks/vnet-hub/virtualNetworkPeerings/hub-to-spoke`), name: 'hub-to-spoke',
      remoteVirtualNetworkId: id(`${SPOKE}/virtualNetworks/vnet-spoke`), remoteAddressPrefixes: ['10.20.0.0/16'],
      remoteVirtualNetworkAddressPrefixes: null,
      allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: true, useRemoteGateways: false, peeringState: 'Connected',
      // Not in this (older) az output: defaults.
      peeringSyncLevel: 'Unknown', peerCompleteVnets: true, localSubnetNames: [], remoteSubnetNames: [], enableOnlyIPv6Peering: false,
    }]);
  });

  it('reads an ARM list response ({ value }) and merges standalone rule collection groups into the policy', () => {
    const { model, gaps } = normalizeArm([input('arm-list-firewall.json')]);
    expect(gaps).toEqual([]);
    expect(model.azureFirewalls[0]).toMatchObject({
      skuTier: 'Premium',
      firewallPolicyId: id(`${HUB}/firewallPolicies/fwp-hub`),
      managementIpConfiguration: { name: 'mgmt', publicIpAddressId: id(`${HUB}/publicIPAddresses/pip-fw-mgmt`), privateIpAddress: null },
    });
    const [policy] = model.firewallPolicies;
    expect(policy).toMatchObject({
      basePolicyId: id(`${HUB}/firewallPolicies/fwp-base`), snatPrivateRanges: ['10.0.0.0/8', '100.64.0.0/10'], threatIntelMode: 'Deny',
    });
    // Group priority 200, then collection priority: the deny collection (100) comes before allow (300); DNAT is inbound only.
    expect(policy?.rules.map((r) => [r.kind, r.collection, r.name, r.action, r.priority])).toEqual([
      ['network', 'rcg-egress/deny-dns', 'no-public-dns', 'Deny', 200 * 100_000 + 100],
      ['application', 'rcg-egress/allow-web', 'microsoft', 'Allow', 200 * 100_000 + 300],
    ]);
    expect(policy?.rules[0]).toMatchObject({ protocols: ['UDP'], destinationPorts: ['53'] });
  });

  it('reads a single resource (az ... show) and an az effective route table given as a bare array', () => {
    const nic = {
      id: `${SPOKE}/networkInterfaces/nva-nic`, name: 'nva-nic', type: 'Microsoft.Network/networkInterfaces', resourceGroup: 'rg-spoke',
      enableIPForwarding: true, ipConfigurations: [{ name: 'ipconfig1', privateIPAddress: '10.20.3.4', subnet: { id: `${SPOKE}/virtualNetworks/vnet-spoke/subnets/nva` } }],
    };
    const routes = [{ source: 'Default', state: 'Active', addressPrefix: ['0.0.0.0/0'], nextHopType: 'Internet', nextHopIpAddress: [] }];
    const result = normalizeArm([
      { fileName: 'nic.json', json: nic },
      { fileName: 'routes.json', json: { effectiveRouteTables: { [nic.id]: routes } } },
    ]);
    expect(result.model.networkInterfaces[0]).toMatchObject({
      enableIPForwarding: true,
      // An ipconfig without an ID gets one derived from its NIC and name.
      ipConfigurations: [{ id: id(`${nic.id}/ipConfigurations/ipconfig1`), privateIpAddress: '10.20.3.4', primary: false }],
    });
    expect(result.effectiveRoutes[0]?.routes[0]?.nextHopType).toBe('Internet');
  });

  it('accepts a Resource Graph result ({ data: [...] }) of REST rows', () => {
    const { model } = normalizeArm([{ fileName: 'arg.json', json: { totalRecords: 1, count: 1, data: [{
      id: `${HUB}/virtualWans/wan`, name: 'wan', type: 'microsoft.network/virtualwans', subscriptionId: '22222222-2222-2222-2222-222222222222',
      properties: { virtualHubs: [{ id: `${HUB}/virtualHubs/hub-weu` }] },
    }] } }]);
    expect(model.virtualWans[0]?.virtualHubIds).toEqual([id(`${HUB}/virtualHubs/hub-weu`)]);
  });
});

describe('duplicates and child resources', () => {
  const vnet = (tags: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    id: `${HUB}/virtualNetworks/vnet-hub`, name: 'vnet-hub', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', tags,
    properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, ...extra },
  });

  it('the same resource in two files (IDs in different casing) is merged, not duplicated', () => {
    const upper = { ...vnet({ owner: 'netops' }), id: `${HUB}/virtualNetworks/vnet-hub`.toUpperCase() };
    const { model } = normalizeArm([
      { fileName: 'a.json', json: [vnet({ owner: 'platform' }, { subnets: [{ name: 'GatewaySubnet', properties: { addressPrefix: '10.0.0.0/27' } }] })] },
      { fileName: 'b.json', json: [upper] },
    ]);
    expect(model.virtualNetworks).toHaveLength(1);
    // The copies agree on what both carry: the later one's tags stand (not compared: no verdict reads
    // them), and the subnet list only the first copy had survives (a copy without one is sparse).
    expect(model.virtualNetworks[0]?.tags).toEqual({ owner: 'netops' });
    expect(model.virtualNetworks[0]?.subnetIds).toEqual([id(`${HUB}/virtualNetworks/vnet-hub/subnets/GatewaySubnet`)]);
    expect(model.subnets.map((s) => s.name)).toEqual(['GatewaySubnet']);
  });

  // Two files are two exports, maybe months apart: merged field by field they would make a
  // resource that never existed (ARM omits a reference that is not set, so one copy's NAT gateway
  // would survive the other's "none"). Nothing in an export says which is current.
  it('copies in two files that disagree (a reference in one and not the other) leave the resource out with a gap naming fields and files', () => {
    const subnetId = `${HUB}/virtualNetworks/vnet-hub/subnets/app`;
    const subnet = (extra: Record<string, unknown>) => ({ id: subnetId, name: 'app', properties: { addressPrefix: '10.0.8.0/24', ...extra } });
    const result = normalizeArm([
      { fileName: 'q1.json', json: [vnet({}, { subnets: [subnet({ natGateway: { id: `${HUB}/natGateways/ngw` } })] })] },
      { fileName: 'q4.json', json: [vnet({}, { subnets: [subnet({ defaultOutboundAccess: false })] })] },
    ]);
    expect(result.model.subnets).toEqual([]);
    expect(result.model.virtualNetworks.map((v) => v.name)).toEqual(['vnet-hub']);
    expect(result.gaps).toEqual([{
      code: 'skipped-input', scope: id(subnetId),
      message: `q1.json and q4.json hold copies of ${id(subnetId)} that disagree about defaultOutboundAccess, natGatewayId (a value in one and none in the other counts): `
        + 'an export carries no capture time, so nothing says which is current. It was left out, so no verdict rests on either copy (what references it is unknown); give one export of it.',
    }]);
  });

  it('a disputed VNet goes alone: its subnets stay, and its children saved on their own go with it', () => {
    const peering = {
      id: `${HUB}/virtualNetworks/vnet-hub/virtualNetworkPeerings/to-spoke`, name: 'to-spoke', type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
      properties: { peeringState: 'Connected', remoteVirtualNetwork: { id: `${SPOKE}/virtualNetworks/vnet-spoke` } },
    };
    const result = normalizeArm([
      { fileName: 'a.json', json: [vnet({}, { subnets: [{ name: 'app', properties: { addressPrefix: '10.0.8.0/24' } }] }), peering] },
      { fileName: 'b.json', json: [{ ...vnet({}), properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16', '10.9.0.0/16'] } } }] },
    ]);
    expect(result.model.virtualNetworks).toEqual([]);
    expect(result.model.subnets.map((s) => s.id)).toEqual([id(`${HUB}/virtualNetworks/vnet-hub/subnets/app`)]);
    const vnetId = id(`${HUB}/virtualNetworks/vnet-hub`);
    expect(result.gaps).toEqual([{
      code: 'skipped-input', scope: vnetId,
      message: `a.json and b.json hold copies of ${vnetId} that disagree about addressPrefixes (a value in one and none in the other counts): `
        + 'an export carries no capture time, so nothing says which is current. It was left out, so no verdict rests on either copy (what references it is unknown); give one export of it.',
    }]);
  });

  it('copies in two files that agree are one resource, with no gap; so are copies within one file that differ', () => {
    const twoFiles = normalizeArm([{ fileName: 'a.json', json: [vnet({ owner: 'a' })] }, { fileName: 'b.json', json: [vnet({ owner: 'b' })] }]);
    expect(twoFiles.model.virtualNetworks).toHaveLength(1);
    expect(twoFiles.gaps).toEqual([]);
    // One file: a standalone copy and the embedded one are merged field by field (next test), as ever.
    const oneFile = normalizeArm([{ fileName: 'a.json', json: [vnet({}), { ...vnet({}), properties: { addressSpace: { addressPrefixes: ['10.9.0.0/16'] } } }] }]);
    expect(oneFile.model.virtualNetworks[0]?.addressPrefixes).toEqual(['10.9.0.0/16']);
    expect(oneFile.gaps).toEqual([]);
  });

  // A copy is whole with its `properties` envelope, or flattened with its type's core fields (a
  // subnet's prefix, a NIC's IP configurations); whole copies speak for every single value they omit
  // ("not set"), partial ones (a stub, a --query projection) only for what they carry.
  const dispute = (scope: string, files: string, fields: string) => ({
    code: 'skipped-input', scope,
    message: `${files} hold copies of ${scope} that disagree about ${fields} (a value in one and none in the other counts): `
      + 'an export carries no capture time, so nothing says which is current. It was left out, so no verdict rests on either copy (what references it is unknown); give one export of it.',
  });

  it('a partial copy (az vm nic list: {id, primary, deleteOption}) given before the whole one is merged, not a disagreement', () => {
    const nicId = `${SPOKE}/networkInterfaces/nic1`;
    const whole = {
      id: nicId, name: 'nic1', type: 'Microsoft.Network/networkInterfaces', enableIPForwarding: true, primary: true,
      virtualMachine: { id: `${SPOKE.replace('Microsoft.Network', 'Microsoft.Compute')}/virtualMachines/vm1` },
      ipConfigurations: [{ id: `${nicId}/ipConfigurations/ipconfig1`, name: 'ipconfig1', privateIPAddress: '10.20.1.4', subnet: { id: `${SPOKE}/virtualNetworks/vnet-spoke/subnets/app` } }],
    };
    const result = normalizeArm([
      { fileName: 'vm1-nics.json', json: [{ id: nicId, primary: true, deleteOption: 'Delete', resourceGroup: 'rg-spoke' }] },
      { fileName: 'nics.json', json: [whole] },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.networkInterfaces).toMatchObject([{ id: id(nicId), enableIPForwarding: true, primary: true, ipConfigurations: [{ privateIpAddress: '10.20.1.4' }] }]);
    // The stub disagreeing about what it does carry is a disagreement.
    const other = normalizeArm([
      { fileName: 'vm1-nics.json', json: [{ id: nicId, primary: false, deleteOption: 'Delete' }] },
      { fileName: 'nics.json', json: [whole] },
    ]);
    expect(other.model.networkInterfaces).toEqual([]);
    expect(other.gaps).toEqual([dispute(id(nicId), 'vm1-nics.json and nics.json', 'primary')]);
  });

  it('a partial copy naming a reference a whole copy omits disagrees with it; partial copies agree on what they do not both carry', () => {
    // `az network vnet subnet list --query "[].{id:id, natGateway:natGateway}"`: the projection
    // names a NAT gateway, the whole copy has none (ARM omits a reference that is not set).
    const subnetId = `${HUB}/virtualNetworks/vnet-hub/subnets/app`;
    const projection = (natGateway: string | null, nsg?: string) => ({
      id: subnetId, natGateway: natGateway === null ? null : { id: natGateway }, ...(nsg === undefined ? {} : { networkSecurityGroup: { id: nsg } }),
    });
    const wholeCopy = vnet({}, { subnets: [{ id: subnetId, name: 'app', properties: { addressPrefix: '10.0.8.0/24' } }] });
    const named = normalizeArm([{ fileName: 'nat.json', json: [projection(`${HUB}/natGateways/ngw`)] }, { fileName: 'vnets.json', json: [wholeCopy] }]);
    expect(named.model.subnets).toEqual([]);
    expect(named.gaps).toEqual([dispute(id(subnetId), 'nat.json and vnets.json', 'natGatewayId')]);
    // Two projections: the one without a NAT gateway (null, absent) says nothing of it, and the NSG only one carries stands.
    const partials = normalizeArm([
      { fileName: 'a.json', json: [projection(`${HUB}/natGateways/ngw`)] },
      { fileName: 'b.json', json: [projection(null, `${HUB}/networkSecurityGroups/nsg`)] },
      { fileName: 'vnets.json', json: [vnet({})] },
    ]);
    expect(partials.gaps).toEqual([]);
    expect(partials.model.subnets).toMatchObject([{ natGatewayId: id(`${HUB}/natGateways/ngw`), networkSecurityGroupId: id(`${HUB}/networkSecurityGroups/nsg`) }]);
    // Both carry it, differently: a disagreement.
    const apart = normalizeArm([{ fileName: 'a.json', json: [projection(`${HUB}/natGateways/ngw`)] }, { fileName: 'b.json', json: [projection(`${HUB}/natGateways/ngw2`)] }]);
    expect(apart.gaps).toEqual([dispute(id(subnetId), 'a.json and b.json', 'natGatewayId')]);
  });

  it('child lists in another order are the same (peerings, NSG rules, load balancer parts); a changed child is not', () => {
    const peering = (name: string, state = 'Connected') => ({
      id: `${HUB}/virtualNetworks/vnet-hub/virtualNetworkPeerings/${name}`, name,
      properties: { peeringState: state, remoteVirtualNetwork: { id: `${SPOKE}/virtualNetworks/${name}` } },
    });
    const rule = (name: string, priority: number) => ({
      name, properties: { priority, direction: 'Outbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', sourcePortRange: '*',
        destinationAddressPrefix: 'Internet', destinationPortRange: '*' },
    });
    const nsg = (rules: readonly unknown[]) => ({ id: `${HUB}/networkSecurityGroups/nsg`, type: 'Microsoft.Network/networkSecurityGroups', properties: { securityRules: rules } });
    const result = normalizeArm([
      { fileName: 'a.json', json: [vnet({}, { virtualNetworkPeerings: [peering('p1'), peering('p2')] }), nsg([rule('r1', 100), rule('r2', 200)])] },
      { fileName: 'b.json', json: [vnet({}, { virtualNetworkPeerings: [peering('p2'), peering('p1')] }), nsg([rule('r2', 200), rule('r1', 100)])] },
    ]);
    expect(result.gaps).toEqual([]);
    expect(result.model.virtualNetworks[0]?.peerings.map((p) => p.name)).toEqual(['p1', 'p2']);
    expect(result.model.networkSecurityGroups[0]?.securityRules.map((r) => r.name)).toEqual(['r2', 'r1']);
    const changed = normalizeArm([
      { fileName: 'a.json', json: [vnet({}, { virtualNetworkPeerings: [peering('p1'), peering('p2')] }), nsg([rule('r1', 100), rule('r2', 200)])] },
      { fileName: 'b.json', json: [vnet({}, { virtualNetworkPeerings: [peering('p2', 'Disconnected'), peering('p1')] }), nsg([rule('r2', 200), rule('r1', 300)])] },
    ]);
    expect(changed.gaps.map((g) => [g.scope, g.message.slice(g.message.indexOf('disagree about'), g.message.indexOf(' ('))])).toEqual([
      [id(`${HUB}/networkSecurityGroups/nsg`), 'disagree about securityRules'],
      [id(`${HUB}/virtualNetworks/vnet-hub`), 'disagree about peerings'],
    ]);
  });

  it('effective routes of one NIC in two files that differ: the later file\'s are used, and a gap says so', () => {
    const nicId = `${SPOKE}/networkInterfaces/nic1`;
    const routes = (nextHopType: string) => ({ effectiveRouteTables: { [nicId]: [{ source: 'Default', state: 'Active', addressPrefix: ['0.0.0.0/0'], nextHopType, nextHopIpAddress: [] }] } });
    const result = normalizeArm([{ fileName: 'a.json', json: routes('Internet') }, { fileName: 'b.json', json: routes('None') }]);
    expect(result.effectiveRoutes.map((e) => e.routes.map((r) => r.nextHopType))).toEqual([['None']]);
    expect(result.gaps).toEqual([{
      code: 'skipped-input', scope: id(nicId),
      message: `a.json and b.json hold different effective routes of ${id(nicId)}: those of b.json, given later, are used; the others are left out.`,
    }]);
  });

  it('a standalone subnet wins over the embedded copy even when it comes first', () => {
    const subnetId = `${HUB}/virtualNetworks/vnet-hub/subnets/app`;
    const { model } = normalizeArm([{ fileName: 's.json', json: [
      { id: subnetId, type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.0.8.0/24', defaultOutboundAccess: false } },
      vnet({}, { subnets: [{ id: subnetId, name: 'app', properties: { addressPrefix: '10.0.8.0/24', defaultOutboundAccess: true,
        routeTable: { id: `${HUB}/routeTables/rt` } } }] }),
    ] }]);
    expect(model.subnets).toHaveLength(1);
    expect(model.subnets[0]).toMatchObject({ name: 'app', defaultOutboundAccess: false, routeTableId: id(`${HUB}/routeTables/rt`), location: 'westeurope' });
  });

  it('a standalone peering replaces the embedded copy of the same peering', () => {
    const peering = (state: string) => ({
      id: `${HUB}/virtualNetworks/vnet-hub/virtualNetworkPeerings/to-spoke`, name: 'to-spoke',
      properties: { peeringState: state, remoteVirtualNetwork: { id: `${SPOKE}/virtualNetworks/vnet-spoke` } },
    });
    const { model } = normalizeArm([{ fileName: 'p.json', json: [
      { ...peering('Connected'), type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings' },
      vnet({}, { virtualNetworkPeerings: [peering('Initiated')] }),
    ] }]);
    expect(model.virtualNetworks[0]?.peerings.map((p) => p.peeringState)).toEqual(['Connected']);
  });

  it('hub connections and routing intent listed on their own land on the hub; an orphan child becomes a gap', () => {
    const hubId = `${HUB}/virtualHubs/hub-weu`;
    const { model, gaps } = normalizeArm([{ fileName: 'hub.json', json: [
      { id: hubId, type: 'Microsoft.Network/virtualHubs', properties: { addressPrefix: '10.100.0.0/23', azureFirewall: { id: `${HUB}/azureFirewalls/fw-hub` } } },
      { id: `${hubId}/hubVirtualNetworkConnections/spoke`, type: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
        properties: { remoteVirtualNetwork: { id: `${SPOKE}/virtualNetworks/vnet-spoke` }, enableInternetSecurity: true } },
      { id: `${hubId}/routingIntent/ri`, type: 'Microsoft.Network/virtualHubs/routingIntent',
        properties: { routingPolicies: [{ name: 'Internet', destinations: ['Internet'], nextHop: `${HUB}/azureFirewalls/fw-hub` }] } },
      { id: `${HUB}/routeTables/gone/routes/r1`, type: 'Microsoft.Network/routeTables/routes', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' } },
    ] }]);
    expect(model.virtualHubs[0]).toMatchObject({
      name: 'hub-weu',
      azureFirewallId: id(`${HUB}/azureFirewalls/fw-hub`),
      connections: [{ name: 'spoke', remoteVirtualNetworkId: id(`${SPOKE}/virtualNetworks/vnet-spoke`), enableInternetSecurity: true }],
      routingPolicies: [{ name: 'Internet', destinations: ['Internet'], nextHopId: id(`${HUB}/azureFirewalls/fw-hub`) }],
    });
    expect(gaps).toEqual([expect.objectContaining({ code: 'missing-reference', scope: id(`${HUB}/routeTables/gone/routes/r1`) })]);
  });

  it('load balancer: IP-based pool members vs NIC-based members, NIC pool membership', () => {
    const lbId = `${HUB}/loadBalancers/lb-out`;
    const { model } = normalizeArm([{ fileName: 'lb.json', json: flattenRest([{
      id: lbId, type: 'Microsoft.Network/loadBalancers', sku: { name: 'Standard' },
      properties: { backendAddressPools: [
        { id: `${lbId}/backendAddressPools/ip-pool`, name: 'ip-pool', properties: { loadBalancerBackendAddresses: [{ name: 'a', properties: { ipAddress: '10.0.5.4' } }] } },
        { id: `${lbId}/backendAddressPools/nic-pool`, name: 'nic-pool', properties: {
          backendIPConfigurations: [{ id: `${HUB}/networkInterfaces/n1/ipConfigurations/ipconfig1` }],
          loadBalancerBackendAddresses: [{ name: 'b', properties: { networkInterfaceIPConfiguration: { id: `${HUB}/networkInterfaces/n2/ipConfigurations/ipconfig1` } } }],
        } },
      ] },
    }]) }]);
    expect(model.loadBalancers[0]?.backendAddressPools).toEqual([
      { id: id(`${lbId}/backendAddressPools/ip-pool`), name: 'ip-pool', backendIpConfigurationIds: [], backendIpAddresses: ['10.0.5.4'] },
      { id: id(`${lbId}/backendAddressPools/nic-pool`), name: 'nic-pool', backendIpAddresses: [], backendIpConfigurationIds: [
        id(`${HUB}/networkInterfaces/n1/ipConfigurations/ipconfig1`), id(`${HUB}/networkInterfaces/n2/ipConfigurations/ipconfig1`),
      ] },
    ]);
  });

  it('NSG rules: *Prefix and *Prefixes variants, port range variants, standalone security rules', () => {
    const nsgId = `${HUB}/networkSecurityGroups/nsg`;
    const { model } = normalizeArm([{ fileName: 'nsg.json', json: [
      { id: nsgId, type: 'Microsoft.Network/networkSecurityGroups', properties: { securityRules: [
        { name: 'deny-web', properties: { priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp',
          sourceAddressPrefix: '*', destinationAddressPrefixes: ['20.1.0.0/16', '20.2.0.0/16'], destinationPortRanges: ['80', '8000-8080'] } },
      ] } },
      { id: `${nsgId}/securityRules/allow-https`, type: 'Microsoft.Network/networkSecurityGroups/securityRules', name: 'allow-https',
        priority: 200, direction: 'outbound', access: 'allow', protocol: 'Tcp', sourceAddressPrefixes: ['10.0.0.0/8'], destinationAddressPrefix: 'Internet', destinationPortRange: '443' },
    ] }]);
    expect(model.networkSecurityGroups[0]?.securityRules).toEqual([
      { name: 'deny-web', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', sourceAddressPrefixes: ['*'],
        destinationAddressPrefixes: ['20.1.0.0/16', '20.2.0.0/16'], destinationPortRanges: ['80', '8000-8080'], isDefault: false },
      { name: 'allow-https', priority: 200, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefixes: ['10.0.0.0/8'],
        destinationAddressPrefixes: ['Internet'], destinationPortRanges: ['443'], isDefault: false },
    ]);
  });

  it('output is deterministic: sorted by ID whatever the input order', () => {
    const docs = [input('bundle-spoke.json'), input('az-vnet-list.json'), input('arm-list-firewall.json')];
    const forward = normalizeArm(docs);
    const backward = normalizeArm([...docs].reverse());
    expect(backward).toEqual(forward);
    const ids = forward.model.virtualNetworks.map((v) => v.id);
    expect(ids).toEqual([...ids].sort());
  });
});
