/**
 * Private endpoints, private DNS zone groups, private DNS zones, VNet links and record sets through
 * normalizeArm, in the shapes Azure prints them: Microsoft's REST examples (azure-rest-api-specs,
 * test/fixtures/private-link/SOURCES.md), the same flattened as az prints them, Resource Graph rows,
 * children listed apart from their parents, and property names in either casing.
 * [PE] https://learn.microsoft.com/azure/private-link/private-endpoint-overview
 * [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { toResourceId } from '../../../shared/model/ids';
import { asAzOutput, flattenRest } from './helpers';

const DIR = fileURLToPath(new URL('../../fixtures/private-link/', import.meta.url));

function example(name: string): Record<string, unknown> {
  const file = JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8')) as { responses: Record<string, { body: Record<string, unknown> }> };
  const body = file.responses['200']?.body;
  if (!body) throw new Error(`${name} has no 200 body`);
  return body;
}

function load(resources: readonly unknown[]) {
  return normalizeArm([{ fileName: 'input.json', json: resources }]);
}

const id = (raw: string) => toResourceId(raw);
const PE = '/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/privateEndpoints/testPe';
const ZONE = '/subscriptions/subscriptionId/resourceGroups/resourceGroup1/providers/Microsoft.Network/privateDnsZones/privatezone1.com';

/**
 * Microsoft's zone group example files the group under `privateLinkServices/testPe` and has no
 * `type` (see SOURCES.md); the real `PrivateDnsZoneGroups_Get` returns it under its endpoint.
 */
function zoneGroupBody(): Record<string, unknown> {
  const body = example('PrivateEndpointDnsZoneGroupGet');
  return { ...body, id: `${PE}/privateDnsZoneGroups/testPdnsgroup`, type: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups' };
}

describe('Microsoft.Network/privateEndpoints', () => {
  it('reads PrivateEndpointGet: subnet, NIC, connection (target, groups, status), custom DNS configs, static IP configurations', () => {
    const { model, gaps } = load([example('PrivateEndpointGet')]);
    expect(gaps).toEqual([]);
    expect(model.privateEndpoints).toHaveLength(1);
    const pe = model.privateEndpoints[0];
    expect(pe).toMatchObject({
      id: id(PE), name: 'testPe', kind: 'privateEndpoint', location: 'eastus', subscriptionId: 'subId', resourceGroup: 'rg1',
      subnetId: id('/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/myVnet/subnets/mySubnet'),
      networkInterfaceIds: [id('/subscriptions/subId/resourceGroups/rg1/provders/Microsoft.Network/networkInterfaces/testPe.nic.abcd1234')],
      connections: [{
        id: id(`${PE}/privateLinkServiceConnections/plsconnection1`), name: 'plsconnection1',
        privateLinkServiceId: id('/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/privateLinkServices/testPls'),
        groupIds: ['groupIdFromResource'], status: 'Approved', manual: false,
      }],
      customDnsConfigs: [{ fqdn: 'abc.cosmos.com', ipAddresses: ['192.168.0.4'] }, { fqdn: 'abc2.cosmos.com', ipAddresses: ['192.168.0.5'] }],
      ipConfigurations: [
        { name: 'pestaticconfig', groupId: 'file', memberName: 'file', privateIpAddress: '192.168.0.6' },
        { name: 'pestaticconfig2', groupId: 'file', memberName: 'file2', privateIpAddress: '192.168.0.7' },
      ],
      privateDnsZoneGroups: [],
    });
  });

  it('gives the same model flattened (az private-endpoint show / SDK shape)', () => {
    const rest = load([example('PrivateEndpointGet')]);
    expect(load([flattenRest(example('PrivateEndpointGet'))])).toEqual(rest);
    expect(load([asAzOutput(example('PrivateEndpointGet'))])).toEqual(rest);
  });

  it('attaches a zone group listed apart (PrivateDnsZoneGroups_Get), in either order, and equals the embedded form', () => {
    const group = zoneGroupBody();
    const apart = load([group, example('PrivateEndpointGet')]);
    expect(apart.gaps).toEqual([]);
    const pe = apart.model.privateEndpoints[0];
    expect(pe?.privateDnsZoneGroups).toEqual([{
      id: id(`${PE}/privateDnsZoneGroups/testPdnsgroup`), name: 'testPdnsgroup',
      privateDnsZoneConfigs: [
        {
          name: 'zone1.com', privateDnsZoneId: id('/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/privateDnsZones/zone1.com'),
          recordSets: [
            { recordType: 'A', recordSetName: 'abc', fqdn: 'abc.zone1.com', ipAddresses: ['10.0.0.4'] },
            { recordType: 'A', recordSetName: 'abc2', fqdn: 'abc2.zone1.com', ipAddresses: ['10.0.0.5'] },
          ],
        },
        {
          name: 'zone2.com', privateDnsZoneId: id('/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/privateDnsZones/zone2.com'),
          recordSets: [
            { recordType: 'A', recordSetName: 'abc', fqdn: 'abc.zone2.com', ipAddresses: ['10.0.0.6'] },
            { recordType: 'A', recordSetName: 'abc2', fqdn: 'abc2.zone2.com', ipAddresses: ['10.0.0.7'] },
          ],
        },
      ],
    }]);
    const pe0 = example('PrivateEndpointGet');
    const embedded = load([{ ...pe0, properties: { ...(pe0.properties as Record<string, unknown>), privateDnsZoneGroups: [group] } }]);
    expect(embedded.model).toEqual(apart.model);
    expect(load([flattenRest(group), asAzOutput(pe0)]).model).toEqual(apart.model);
  });

  it('a zone group whose endpoint is not in the input is a missing-reference gap, not a crash', () => {
    const { model, gaps } = load([zoneGroupBody()]);
    expect(model.privateEndpoints).toEqual([]);
    expect(gaps.map((g) => g.code)).toEqual(['missing-reference']);
  });

  it('reads manual connections (pending approval) and PowerShell-style casing (PrivateIpAddress, CustomDnsConfigs, Fqdn)', () => {
    const { model } = load([{
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe-sql', type: 'Microsoft.Network/privateEndpoints', location: 'westeurope',
      Subnet: { Id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe' },
      ManualPrivateLinkServiceConnections: [{
        Name: 'sql-conn', PrivateLinkServiceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1',
        GroupIds: ['sqlServer'], PrivateLinkServiceConnectionState: { Status: 'Pending' },
      }],
      CustomDnsConfigs: [{ Fqdn: 'SQL1.database.windows.net.', IpAddresses: ['10.1.2.5'] }],
      IpConfigurations: [{ Name: 'static', GroupId: 'sqlServer', MemberName: 'sqlServer', PrivateIpAddress: '10.1.2.5' }],
    }]);
    expect(model.privateEndpoints[0]).toMatchObject({
      connections: [{ name: 'sql-conn', groupIds: ['sqlServer'], status: 'Pending', manual: true,
        privateLinkServiceId: id('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1') }],
      customDnsConfigs: [{ fqdn: 'sql1.database.windows.net', ipAddresses: ['10.1.2.5'] }],
      ipConfigurations: [{ name: 'static', groupId: 'sqlServer', privateIpAddress: '10.1.2.5' }],
    });
  });

  it('an endpoint NIC names its endpoint (privateEndpoint.id)', () => {
    const nic = {
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/pe-blob.nic.1', type: 'Microsoft.Network/networkInterfaces',
      properties: {
        privateEndpoint: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe-blob' },
        ipConfigurations: [{ name: 'privateEndpointIpConfig.1', properties: { privateIPAddress: '10.1.2.4', subnet: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe' } } }],
      },
    };
    expect(load([nic]).model.networkInterfaces[0]?.privateEndpointId).toBe(id('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe-blob'));
  });
});

describe('Microsoft.Network/privateDnsZones with links and record sets', () => {
  const zoneWithChildren = () => [example('PrivateZoneGet'), example('VirtualNetworkLinkGet'), example('RecordSetAGet'), example('RecordSetCNAMEGet')];

  it('attaches links and A / CNAME record sets listed apart (REST examples); FQDNs lose the root dot; an absent resolutionPolicy is Unknown (API versions before 2024-06-01 omit it whatever the link says)', () => {
    const { model, gaps } = load(zoneWithChildren());
    expect(gaps).toEqual([]);
    expect(model.privateDnsZones).toEqual([{
      id: id(ZONE), name: 'privatezone1.com', kind: 'privateDnsZone', location: 'global', subscriptionId: 'subscriptionId', resourceGroup: 'resourceGroup1',
      tags: { key1: 'value1' }, numberOfRecordSets: 1, recordSetsCaptured: true,
      virtualNetworkLinks: [{
        id: id(`${ZONE}/virtualNetworkLinks/virtualNetworkLink1`), name: 'virtualNetworkLink1',
        virtualNetworkId: id('/subscriptions/virtualNetworkSubscriptionId/resourceGroups/virtualNetworkResourceGroup/providers/Microsoft.Network/virtualNetworks/virtualNetworkName'),
        registrationEnabled: false, resolutionPolicy: 'Unknown', linkState: 'Completed',
      }],
      recordSets: [
        { id: id(`${ZONE}/A/recorda`), name: 'recorda', fqdn: 'recorda.privatezone1.com', recordType: 'A', ipv4Addresses: ['1.2.3.4'] },
        { id: id(`${ZONE}/CNAME/recordcname`), name: 'recordcname', fqdn: 'recordcname.privatezone1.com', recordType: 'CNAME', cname: 'contoso.com' },
      ],
    }]);
  });

  it('gives the same model flattened (az network private-dns ... list output), children before the zone', () => {
    const rest = load(zoneWithChildren());
    const az = zoneWithChildren().map(asAzOutput).reverse();
    expect(load(az)).toEqual(rest);
  });

  it('reads the public-DNS casing ARecords / CNAMERecord / IPv4Address, and embedded links and record sets', () => {
    const { model } = load([{
      id: `${ZONE}`, type: 'Microsoft.Network/privateDnsZones', name: 'privatezone1.com', location: 'global',
      virtualNetworkLinks: [{ name: 'l1', virtualNetwork: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v' }, resolutionPolicy: 'nxdomainredirect' }],
      recordSets: [
        { name: 'web', type: 'Microsoft.Network/privateDnsZones/A', ARecords: [{ IPv4Address: '10.0.0.9' }] },
        { name: 'alias', CNAMERecord: { Cname: 'web.privatezone1.com.' } },
        { name: '@', type: 'Microsoft.Network/privateDnsZones/SOA', soaRecord: { host: 'azureprivatedns.net' } },
      ],
    }]);
    const zone = model.privateDnsZones[0];
    expect(zone?.virtualNetworkLinks).toMatchObject([{ name: 'l1', resolutionPolicy: 'NxDomainRedirect', registrationEnabled: false, linkState: null }]);
    expect(zone?.recordSets).toEqual([
      { id: id(`${ZONE}/A/web`), name: 'web', fqdn: 'web.privatezone1.com', recordType: 'A', ipv4Addresses: ['10.0.0.9'] },
      { id: id(`${ZONE}/CNAME/alias`), name: 'alias', fqdn: 'alias.privatezone1.com', recordType: 'CNAME', cname: 'web.privatezone1.com' },
    ].sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(zone?.recordSetsCaptured).toBe(true);
  });

  it('Resource Graph rows ({ data: [...] }) of a zone and its link; no record sets captured', () => {
    const rows = {
      data: [
        { id: '/subscriptions/s/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net', name: 'privatelink.blob.core.windows.net',
          type: 'microsoft.network/privatednszones', location: 'global', properties: { numberOfRecordSets: 4 } },
        { id: '/subscriptions/s/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net/virtualNetworkLinks/hub',
          name: 'hub', type: 'microsoft.network/privatednszones/virtualnetworklinks', location: 'global',
          properties: { virtualNetwork: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub' }, registrationEnabled: false,
            resolutionPolicy: 'NxDomainRedirect', virtualNetworkLinkState: 'Completed' } },
      ],
    };
    const { model, gaps } = normalizeArm([{ fileName: 'arg.json', json: rows }]);
    expect(gaps).toEqual([]);
    expect(model.privateDnsZones[0]).toMatchObject({ name: 'privatelink.blob.core.windows.net', numberOfRecordSets: 4, recordSetsCaptured: false, recordSets: [] });
    expect(model.privateDnsZones[0]?.virtualNetworkLinks[0]).toMatchObject({ name: 'hub', resolutionPolicy: 'NxDomainRedirect' });
  });

  it('an SOA record set listed apart (az network private-dns record-set list) marks the records captured without adding one', () => {
    const soa = { id: `${ZONE}/SOA/@`, name: '@', type: 'Microsoft.Network/privateDnsZones/SOA', properties: { fqdn: 'privatezone1.com.', soaRecord: { host: 'azureprivatedns.net' } } };
    const zone = load([example('PrivateZoneGet'), soa]).model.privateDnsZones[0];
    expect(zone).toMatchObject({ recordSetsCaptured: true, recordSets: [] });
  });

  it('record sets whose zone is not in the input are missing-reference gaps', () => {
    const { model, gaps } = load([asAzOutput(example('RecordSetAGet'))]);
    expect(model.privateDnsZones).toEqual([]);
    expect(gaps).toMatchObject([{ code: 'missing-reference', scope: id(`${ZONE}/A/recorda`) }]);
  });
});

describe('VNet dhcpOptions.dnsServers', () => {
  const vnet = (dhcpOptions: unknown) => ({
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v', type: 'Microsoft.Network/virtualNetworks',
    properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, ...(dhcpOptions === undefined ? {} : { dhcpOptions }) },
  });

  it('reads custom DNS servers (REST and flattened); absent dhcpOptions leaves the field unset (Azure-provided DNS)', () => {
    expect(load([vnet({ dnsServers: ['10.0.0.4', ' 10.0.0.5 '] })]).model.virtualNetworks[0]?.dnsServers).toEqual(['10.0.0.4', '10.0.0.5']);
    expect(load([flattenRest(vnet({ dnsServers: ['10.0.0.4'] }))]).model.virtualNetworks[0]?.dnsServers).toEqual(['10.0.0.4']);
    expect(load([vnet({ dnsServers: [] })]).model.virtualNetworks[0]?.dnsServers).toEqual([]);
    expect(load([vnet(undefined)]).model.virtualNetworks[0]?.dnsServers).toBeUndefined();
  });
});
