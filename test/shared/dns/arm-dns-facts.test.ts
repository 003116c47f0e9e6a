/**
 * Names resolved from ARM exports where the answer depends on facts the export may or may not
 * carry: a NIC's own DNS servers (they replace the VNet's for its VM), record sets listed one type
 * at a time (not all of a zone that reports more), a link exported without resolutionPolicy (API
 * versions before 2024-06-01 omit it). Each was a confident verdict (or a passing control) found by
 * an audit; each test cites the Microsoft Learn page for what Azure does.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { control, input, pathFor } from './support';


// -------------------------------------------------------------------------------------------------
// ARM shapes (REST, as az and Resource Graph print them)

const SUB = '/subscriptions/44444444-4444-4444-4444-444444444444';
const RG = `${SUB}/resourceGroups/rg-net`;
const NET = `${RG}/providers/Microsoft.Network`;
const VNET = `${NET}/virtualNetworks/vnet-app`;
const SUBNET_WEB = `${VNET}/subnets/web`;
const SUBNET_PE = `${VNET}/subnets/pe`;
const ZONE = `${NET}/privateDnsZones/privatelink.blob.core.windows.net`;
const PE = `${NET}/privateEndpoints/pe-mystg`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/mystg`;

function armVnet() {
  return {
    id: VNET, name: 'vnet-app', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded', addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, dhcpOptions: { dnsServers: [] },
      subnets: [
        { id: SUBNET_WEB, name: 'web', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.1.1.0/24', defaultOutboundAccess: true, privateEndpointNetworkPolicies: 'Disabled' } },
        { id: SUBNET_PE, name: 'pe', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.1.5.0/24', defaultOutboundAccess: false, privateEndpointNetworkPolicies: 'Disabled' } },
      ],
      virtualNetworkPeerings: [],
    },
  };
}

function armNic(name: string, subnetId: string, ip: string, extra: Record<string, unknown> = {}) {
  const id = `${NET}/networkInterfaces/${name}`;
  return {
    id, name, type: 'Microsoft.Network/networkInterfaces', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      ipConfigurations: [{
        id: `${id}/ipConfigurations/ipconfig1`, name: 'ipconfig1', type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
        properties: { privateIPAddress: ip, privateIPAllocationMethod: 'Static', privateIPAddressVersion: 'IPv4', subnet: { id: subnetId }, primary: true },
      }],
      enableIPForwarding: false,
      ...extra,
    },
  };
}

function armPrivateEndpoint() {
  return {
    id: PE, name: 'pe-mystg', type: 'Microsoft.Network/privateEndpoints', location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded', subnet: { id: SUBNET_PE },
      networkInterfaces: [{ id: `${NET}/networkInterfaces/pe-mystg.nic` }],
      privateLinkServiceConnections: [{
        id: `${PE}/privateLinkServiceConnections/pe-mystg`, name: 'pe-mystg', type: 'Microsoft.Network/privateEndpoints/privateLinkServiceConnections',
        properties: { privateLinkServiceId: STORAGE, groupIds: ['blob'], privateLinkServiceConnectionState: { status: 'Approved', description: 'Auto-Approved', actionsRequired: 'None' } },
      }],
      manualPrivateLinkServiceConnections: [],
      customDnsConfigs: [{ fqdn: 'mystg.blob.core.windows.net', ipAddresses: ['10.1.5.4'] }],
    },
  };
}

/** `az network private-dns zone list` (flattened, camelCase, resourceGroup). */
function azZone(numberOfRecordSets: number) {
  return {
    id: ZONE, name: 'privatelink.blob.core.windows.net', type: 'Microsoft.Network/privateDnsZones', location: 'global', resourceGroup: 'rg-net',
    etag: 'e', maxNumberOfRecordSets: 25000, numberOfRecordSets, numberOfVirtualNetworkLinks: 1, numberOfVirtualNetworkLinksWithRegistration: 0, provisioningState: 'Succeeded', tags: {},
  };
}

/** `az network private-dns link vnet list` (flattened). */
function azLink() {
  return {
    id: `${ZONE}/virtualNetworkLinks/link-app`, name: 'link-app', type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', location: 'global', resourceGroup: 'rg-net',
    etag: 'e', provisioningState: 'Succeeded', registrationEnabled: false, resolutionPolicy: 'Default', virtualNetwork: { id: VNET }, virtualNetworkLinkState: 'Completed',
  };
}

function armEstate(extra: readonly unknown[], nicExtra: Record<string, unknown> = {}) {
  return normalizeArm([{
    fileName: 'estate.json',
    json: [armVnet(), armNic('vm1-nic', SUBNET_WEB, '10.1.1.4', nicExtra), armNic('pe-mystg.nic', SUBNET_PE, '10.1.5.4', { privateEndpoint: { id: PE } }), armPrivateEndpoint(), ...extra],
  }]);
}

// -------------------------------------------------------------------------------------------------

describe('which resolver answers', () => {
  /*
   * A NIC's own DNS servers (`dnsSettings.dnsServers`) replace the VNet's for that VM: "By default
   * ... NICs inherit the DNS servers of the virtual network ... you can specify custom DNS servers
   * for a network interface, which override the virtual network setting"
   * https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#change-dns-servers
   * https://learn.microsoft.com/azure/virtual-network/virtual-networks-name-resolution-for-vms-and-role-instances#specify-dns-servers
   * NetworkInterfaceDnsSettings.dnsServers: "List of DNS servers IP addresses. Use 'AzureProvidedDNS'
   * to switch to azure provided DNS resolution" (Microsoft.Network REST spec).
   * The NIC's resolver (10.50.0.4, a VM not in the snapshot) decides the answer, not the private
   * zone linked to the VNet: unknown. The engine never reads NIC DNS settings and answers "private
   * endpoint" for vm1 from the VNet's linked zone.
   */
  it('a NIC with its own custom DNS servers does not resolve through the VNet\'s linked privatelink zone', () => {
    const { model } = armEstate([
      azZone(2), azLink(),
      { id: `${ZONE}/A/mystg`, name: 'mystg', type: 'Microsoft.Network/privateDnsZones/A', resourceGroup: 'rg-net', fqdn: 'mystg.privatelink.blob.core.windows.net.', ttl: 10, isAutoRegistered: false, aRecords: [{ ipv4Address: '10.1.5.4' }] },
    ], { dnsSettings: { dnsServers: ['10.50.0.4'], appliedDnsServers: ['10.50.0.4'] }, virtualMachine: { id: `${RG}/providers/Microsoft.Compute/virtualMachines/vm1` } });
    const result = resolveEgress(input(model), { destination: 'mystg.blob.core.windows.net' });
    const nicId = model.networkInterfaces.find((n) => n.name === 'vm1-nic')?.id ?? '';
    const subnetId = model.subnets.find((s) => s.name === 'web')?.id ?? '';
    // vm1 is the subnet's only VM: its entry (own, or the subnet's it follows) must not claim the private endpoint.
    const vm1 = result.paths.find((p) => p.source.id === nicId) ?? pathFor(result, subnetId);
    expect(vm1.verdict).toBe('unknown');
  });
});

describe('what a linked private zone answers', () => {
  /*
   * `az network private-dns record-set cname list` prints CNAME record sets only (and `record-set a
   * list` A record sets only): one such list does not show the zone's other records. Here the zone
   * reports numberOfRecordSets 3 (SOA + the CNAME + one more), only the CNAME list was exported, and
   * the endpoint pe-mystg (10.1.5.4) serves mystg: its A record is very likely the missing record set.
   * https://learn.microsoft.com/cli/azure/network/private-dns/record-set/cname#az-network-private-dns-record-set-cname-list
   * https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration
   * The engine marks the zone's records as fully read from any one record set, answers NXDOMAIN,
   * and says `dropped`: a mustNotReach control on the storage account then passes on a fact the
   * snapshot does not have.
   */
  it('records listed by one type (record-set cname list) do not prove a name has no A record', () => {
    const { model } = armEstate([
      azZone(3), azLink(),
      { id: `${ZONE}/CNAME/legacy`, name: 'legacy', type: 'Microsoft.Network/privateDnsZones/CNAME', resourceGroup: 'rg-net', etag: 'e',
        fqdn: 'legacy.privatelink.blob.core.windows.net.', ttl: 3600, isAutoRegistered: false, cnameRecord: { cname: 'mystg.privatelink.blob.core.windows.net' } },
    ]);
    const subnetId = model.subnets.find((s) => s.name === 'web')?.id ?? '';
    const result = resolveEgress(input(model), { destination: 'mystg.blob.core.windows.net' });
    expect(pathFor(result, subnetId).verdict).toBe('unknown');
    const c = control(model, '    scope: { subnets: [web] }\n    mustNotReach: [mystg.blob.core.windows.net]\n');
    expect(c.status).toBe('fail');
  });
});

describe('link resolution policy', () => {
  /*
   * `resolutionPolicy` (Default | NxDomainRedirect) is returned from API version 2024-06-01 on
   * https://learn.microsoft.com/azure/dns/private-dns-fallback ("The ResolutionPolicy property is
   * available in API version 2024-06-01 and later"). An export made with an older API version (older
   * az CLI private-dns module, older SDKs) has no such field even when "Enable fallback to internet"
   * is set on the link. Here the link is printed without it, the zone holds only its SOA
   * (numberOfRecordSets 1), and pe-mystg serves mystg: with NxDomainRedirect the name resolves
   * publicly (internet), with Default it is NXDOMAIN. The engine reads the missing field as Default
   * and says `dropped`, so a mustNotReach control passes on a fact that is not in the input.
   */
  it('a link exported without resolutionPolicy does not prove NXDOMAIN', () => {
    const link = azLink() as Record<string, unknown>;
    delete link.resolutionPolicy;
    const { model } = armEstate([azZone(1), link]);
    const subnetId = model.subnets.find((s) => s.name === 'web')?.id ?? '';
    const path = pathFor(resolveEgress(input(model), { destination: 'mystg.blob.core.windows.net' }), subnetId);
    expect(path.verdict).toBe('unknown');
  });
});
