/**
 * `health`: a health provider's patient services on private subnets (`defaultOutboundAccess:
 * false`) with one shared NAT gateway and private endpoints for their PaaS data; two legacy services
 * still on direct public egress (the PACS gateway with an instance-level Standard public IP, the
 * HL7 engine on default outbound access); the lab-results web tier behind a public Standard LB
 * whose outbound rule gives it SNAT; and an imaging batch subnet that is private with no outbound
 * method at all, so its OS updates silently fail [DOA].
 *
 * Patient records live in storage account `stpatients`, reached through private endpoint
 * `pe-stpatients-blob` and the `privatelink.blob.core.windows.net` zone linked to the patient-data
 * VNet: from there the name resolves to the endpoint's private IP. The HL7 engine sits in its own
 * VNet (lifted from the old data centre, peered for the FHIR feed) that was never linked to the
 * zone, so the same name resolves publicly there and the records travel by default outbound access
 * [PEDNS] https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 * The imaging batch subnet writes its archive through a Microsoft.Storage service endpoint.
 */
import {
  backendPoolId, loadBalancer, loadBalancerId, natGateway, networkInterface, networkSecurityGroup,
  nicIpConfigId, privateDnsARecord, privateDnsSoaRecord, privateDnsZone, privateDnsZoneGroup,
  privateDnsZoneVirtualNetworkLink, privateEndpoint, publicIp, subnetId, virtualNetwork, vnetId, armId, type ArmResource, type Scope,
} from './arm-builders';

export const HEALTH_SUBSCRIPTION = '5d8a2f16-9c4b-4e7d-a3b5-c0f2817e6d49';

const net: Scope = {
  subscriptionId: HEALTH_SUBSCRIPTION,
  resourceGroup: 'rg-network-prod-uks',
  location: 'uksouth',
  tags: { owner: 'cloud-network@northwind-health.example', costCenter: 'CC-310-IT-INFRA', environment: 'prod' },
};
const portal: Scope = { ...net, resourceGroup: 'rg-patient-portal-prod-uks', tags: { ...net.tags, owner: 'digital-front-door@northwind-health.example', costCenter: 'CC-420-DIGITAL' } };
const clinical: Scope = { ...net, resourceGroup: 'rg-clinical-systems-prod-uks', tags: { ...net.tags, owner: 'clinical-apps@northwind-health.example', costCenter: 'CC-450-CLINICAL' } };
const patientData: Scope = { ...net, resourceGroup: 'rg-patient-data-prod-uks', tags: { ...net.tags, owner: 'patient-data@northwind-health.example', costCenter: 'CC-430-RECORDS' } };
/** Private DNS zones and their links are global resources [PEDNS]. */
const dns: Scope = { ...net, location: 'global' };
const imaging: Scope = { ...net, resourceGroup: 'rg-imaging-prod-uks', tags: { ...net.tags, owner: 'radiology-it@northwind-health.example', costCenter: 'CC-470-RADIOLOGY' } };

/** The private endpoint's IP for `stpatients` blob, in snet-private-endpoints. */
export const HEALTH_STPATIENTS_PE_IP = '10.50.0.7';

export function healthResources(): readonly ArmResource[] {
  const vnet = vnetId(net, 'vnet-health-prod-uks');
  const hl7VnetId = vnetId(clinical, 'vnet-legacy-hl7-uks');
  const sid = (name: string): string => subnetId(vnet, name);

  const natIp = publicIp(net, 'pip-ng-health-prod-uks', { ipAddress: '51.104.30.10' });
  const natIp2 = publicIp(net, 'pip-ng-health-prod-uks-02', { ipAddress: '51.104.30.11' });
  const privateSubnets = ['snet-private-endpoints', 'snet-patient-portal-app', 'snet-fhir-api'];
  const nat = natGateway(net, 'ng-health-prod-uks', { publicIps: [natIp, natIp2], subnetIds: privateSubnets.map(sid) });

  const nsgApp = networkSecurityGroup(net, 'nsg-health-app-tier', [
    { name: 'Allow-HTTPS-From-AppGw', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '10.50.250.0/24', destination: 'VirtualNetwork', destinationPort: '443' },
    // The app tier's data path, written out (not left to AllowVnetOutBound) so the patient-data
    // flows to the private endpoints are reviewable in the NSG itself.
    { name: 'Allow-HTTPS-To-PrivateEndpoints', priority: 200, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', source: 'VirtualNetwork', destination: '10.50.0.0/24', destinationPort: '443' },
  ]);
  const nsgLegacy = networkSecurityGroup(net, 'nsg-health-legacy', [
    { name: 'Allow-DICOM-From-Partners', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '81.2.69.0/24', destination: '*', destinationPort: '104' },
    { name: 'Allow-MLLP-From-Labs', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '81.2.70.0/24', destination: '*', destinationPort: '2575' },
  ]);

  const vnetResource = virtualNetwork(net, 'vnet-health-prod-uks', ['10.50.0.0/16'], [
    // Organisation policy attaches the NAT gateway to every private subnet, even the endpoint one.
    { name: 'snet-private-endpoints', addressPrefix: '10.50.0.0/24', natGateway: nat, defaultOutboundAccess: false, privateEndpointNetworkPolicies: 'Enabled' },
    { name: 'snet-patient-portal-app', addressPrefix: '10.50.1.0/24', natGateway: nat, defaultOutboundAccess: false, networkSecurityGroup: nsgApp },
    { name: 'snet-fhir-api', addressPrefix: '10.50.2.0/24', natGateway: nat, defaultOutboundAccess: false, networkSecurityGroup: nsgApp },
    { name: 'snet-legacy-pacs', addressPrefix: '10.50.10.0/24', networkSecurityGroup: nsgLegacy },
    { name: 'snet-lab-results-web', addressPrefix: '10.50.12.0/24', defaultOutboundAccess: false, networkSecurityGroup: nsgApp },
    // Archive writes go over the backbone; OS updates still have no way out.
    { name: 'snet-imaging-batch', addressPrefix: '10.50.20.0/24', defaultOutboundAccess: false, serviceEndpoints: ['Microsoft.Storage'] },
  ], [{ name: 'peer-health-to-legacy-hl7', remote: { id: hl7VnetId, addressPrefixes: ['10.51.0.0/24'] } }]);

  // The HL7 engine's own VNet: peered for the FHIR feed, never linked to the private DNS zone.
  const hl7Vnet = virtualNetwork(clinical, 'vnet-legacy-hl7-uks', ['10.51.0.0/24'], [
    { name: 'snet-legacy-hl7', addressPrefix: '10.51.0.0/24', networkSecurityGroup: nsgLegacy },
  ], [{ name: 'peer-legacy-hl7-to-health', remote: { id: vnet, addressPrefixes: ['10.50.0.0/16'] } }]);

  const privateEndpointNics = [
    { name: 'pe-kv-health-prod.nic', pe: 'pe-kv-health-prod', ip: '10.50.0.4' },
    { name: 'pe-sql-fhir-prod.nic', pe: 'pe-sql-fhir-prod', ip: '10.50.0.5' },
    { name: 'pe-st-patientdocs-prod.nic', pe: 'pe-st-patientdocs-prod', ip: '10.50.0.6' },
  ].map((p) => networkInterface(portal, p.name, { subnetId: sid('snet-private-endpoints'), privateIp: p.ip, privateEndpointName: p.pe }));

  // ---- stpatients: private endpoint, its NIC, the privatelink zone, the link and the A record
  const storageId = `/subscriptions/${HEALTH_SUBSCRIPTION}/resourceGroups/${patientData.resourceGroup}/providers/Microsoft.Storage/storageAccounts/stpatients`;
  const zoneName = 'privatelink.blob.core.windows.net';
  const zoneId = armId(dns, 'Microsoft.Network/privateDnsZones', zoneName);
  const stpatientsNic = networkInterface(patientData, 'pe-stpatients-blob.nic', { subnetId: sid('snet-private-endpoints'), privateIp: HEALTH_STPATIENTS_PE_IP, privateEndpointName: 'pe-stpatients-blob' });
  const stpatientsEndpoint = privateEndpoint(patientData, 'pe-stpatients-blob', {
    subnetId: sid('snet-private-endpoints'), networkInterfaceId: stpatientsNic.id, privateLinkServiceId: storageId, groupIds: ['blob'],
    fqdn: 'stpatients.blob.core.windows.net', privateIp: HEALTH_STPATIENTS_PE_IP,
  });
  const stpatientsZoneGroup = privateDnsZoneGroup(stpatientsEndpoint.id, 'default', [{ zoneId, recordSetName: 'stpatients', privateIp: HEALTH_STPATIENTS_PE_IP }]);
  const blobZone = privateDnsZone(dns, zoneName, { numberOfRecordSets: 2, numberOfVirtualNetworkLinks: 1 });
  // NxDomainRedirect: a storage account with no endpoint here (the imaging archive) still resolves
  // publicly from the linked VNet instead of failing [PDNSFALLBACK] https://learn.microsoft.com/azure/dns/private-dns-fallback
  const blobZoneLink = privateDnsZoneVirtualNetworkLink(dns, zoneName, 'link-vnet-health-prod-uks', { virtualNetworkId: vnet, resolutionPolicy: 'NxDomainRedirect' });
  const blobZoneSoa = privateDnsSoaRecord(dns, zoneName);
  const stpatientsRecord = privateDnsARecord(dns, zoneName, 'stpatients', [HEALTH_STPATIENTS_PE_IP]);

  const vmNic = (scope: Scope, subnet: string, vm: string, ip: string, extra: { publicIp?: ArmResource; backendPoolIds?: readonly string[] } = {}): ArmResource =>
    networkInterface(scope, `nic-${vm}`, { subnetId: sid(subnet), privateIp: ip, vmName: vm, ...extra });

  // Legacy PACS gateway: instance-level Standard public IP (partners allow-list it).
  const pacsNicId = armId(imaging, 'Microsoft.Network/networkInterfaces', 'nic-vm-pacs-gw-01');
  const pacsPip = publicIp(imaging, 'pip-vm-pacs-gw-01', { ipAddress: '51.104.31.44', ipConfigurationId: nicIpConfigId(pacsNicId) });

  // Lab results web tier: public Standard LB, outbound rule with 16,000 ports per instance.
  const lbId = loadBalancerId(clinical, 'lbe-lab-results-uks');
  const pool = backendPoolId(lbId, 'bep-lab-results-web');
  const lbPip = publicIp(clinical, 'pip-lbe-lab-results-uks', { ipAddress: '51.104.32.8', ipConfigurationId: `${lbId}/frontendIPConfigurations/fe-public` });
  const labNics = [
    vmNic(clinical, 'snet-lab-results-web', 'vm-labweb-01', '10.50.12.4', { backendPoolIds: [pool] }),
    vmNic(clinical, 'snet-lab-results-web', 'vm-labweb-02', '10.50.12.5', { backendPoolIds: [pool] }),
  ];
  const lb = loadBalancer(clinical, 'lbe-lab-results-uks', {
    frontends: [{ name: 'fe-public', publicIp: lbPip }],
    backendPools: [{ name: 'bep-lab-results-web', nicIpConfigIds: labNics.map((n) => nicIpConfigId(n.id)) }],
    rules: [{ name: 'https', frontend: 'fe-public', backendPool: 'bep-lab-results-web', protocol: 'Tcp', frontendPort: 443, backendPort: 443, disableOutboundSnat: true }],
    outboundRules: [{ name: 'outbound-web', frontends: ['fe-public'], backendPool: 'bep-lab-results-web', allocatedOutboundPorts: 16000, protocol: 'All', idleTimeoutInMinutes: 15 }],
  });

  return [
    natIp, natIp2, nat, nsgApp, nsgLegacy, vnetResource, hl7Vnet, ...privateEndpointNics,
    stpatientsNic, stpatientsEndpoint, stpatientsZoneGroup, blobZone, blobZoneLink, blobZoneSoa, stpatientsRecord,
    vmNic(portal, 'snet-patient-portal-app', 'vm-portal-app-01', '10.50.1.4'),
    vmNic(portal, 'snet-patient-portal-app', 'vm-portal-app-02', '10.50.1.5'),
    vmNic(clinical, 'snet-fhir-api', 'vm-fhir-api-01', '10.50.2.4'),
    pacsPip,
    vmNic(imaging, 'snet-legacy-pacs', 'vm-pacs-gw-01', '10.50.10.4', { publicIp: pacsPip }),
    networkInterface(clinical, 'nic-vm-hl7-engine-01', { subnetId: subnetId(hl7VnetId, 'snet-legacy-hl7'), privateIp: '10.51.0.4', vmName: 'vm-hl7-engine-01' }),
    lbPip, lb, ...labNics,
    vmNic(imaging, 'snet-imaging-batch', 'vm-imaging-batch-01', '10.50.20.4'),
    vmNic(imaging, 'snet-imaging-batch', 'vm-imaging-batch-02', '10.50.20.5'),
  ];
}
