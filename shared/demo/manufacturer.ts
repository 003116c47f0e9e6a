/**
 * `manufacturer`: Container Apps jobs (workload-profiles environment) pull packages through an
 * approved route: UDR 0/0 → the internal Standard LB (HA ports) in front of an NVA pair in the hub;
 * the NVA NICs forward (IP forwarding on) and the NVA subnet egresses through a NAT gateway with a
 * /30 public IP prefix. The plants' VPN advertises 0.0.0.0/0 over BGP, so the plant-floor subnets
 * are forced-tunnelled on-premises (captured in their effective routes). The build agents escape the
 * tunnel with their own route table (0/0 → Internet, gateway route propagation off) and use
 * instance public IPs. The image builds (a second Container Apps environment) go through a hub Azure
 * Firewall instead, whose policy names the package feeds they may reach and nothing else: the
 * destination story (what-if `pypi.org` → allowed, `example.com` → denied), which the NVA pair
 * cannot tell because an NVA's rules are not readable.
 */
import {
  azureFirewall, azureFirewallId, backendPoolId, effectiveRoute, firewallPolicy, ruleCollectionGroup, inGroup, loadBalancer, loadBalancerId, natGateway, networkInterface,
  networkSecurityGroup, nicIpConfigId, publicIp, publicIpPrefix, routeTable, subnetId,
  systemEffectiveRoutes, virtualNetwork, virtualNetworkGateway, vnetId, armId,
  type ArmResource, type CapturedRoutes, type EffectiveRouteSpec, type Scope,
} from './arm-builders';

export const MFG_SUBSCRIPTION = '0c7e4b91-5a2d-4c63-b8f0-9d14a6e2c378';

const hub: Scope = {
  subscriptionId: MFG_SUBSCRIPTION,
  resourceGroup: 'rg-mfg-hub-neu',
  location: 'northeurope',
  tags: { owner: 'ot-network@fabrikam-mfg.example', costCenter: 'CC-7100-INFRA', environment: 'prod' },
};
const apps: Scope = {
  ...inGroup(hub, 'rg-mfg-apps-neu'),
  tags: { owner: 'platform-engineering@fabrikam-mfg.example', costCenter: 'CC-7300-DIGITAL', environment: 'prod' },
};
const plant: Scope = {
  ...inGroup(hub, 'rg-mfg-plant-neu'),
  tags: { owner: 'plant-it@fabrikam-mfg.example', costCenter: 'CC-7500-PLANTS', environment: 'prod' },
};
const build: Scope = {
  ...inGroup(hub, 'rg-mfg-build-neu'),
  tags: { owner: 'devex@fabrikam-mfg.example', costCenter: 'CC-7310-DEVEX', environment: 'shared' },
};

export const MFG_ILB_FRONTEND_IP = '10.200.0.10';
/** The hub Azure Firewall's private IP: the image-build subnet's 0/0 UDR points here. */
export const MFG_FIREWALL_IP = '10.200.2.4';

const HUB_PREFIXES = ['10.200.0.0/22'];
const SPOKE_PREFIXES = ['10.210.0.0/20'];

export function manufacturerEstate(): { readonly resources: readonly ArmResource[]; readonly effectiveRoutes: readonly CapturedRoutes[] } {
  const hubVnetId = vnetId(hub, 'vnet-mfg-hub-neu');
  const spokeVnetId = vnetId(apps, 'vnet-mfg-apps-neu');
  const nvaSubnetId = subnetId(hubVnetId, 'snet-nva');
  const gatewaySubnetId = subnetId(hubVnetId, 'GatewaySubnet');
  const firewallSubnetId = subnetId(hubVnetId, 'AzureFirewallSubnet');

  // NVA and firewall subnets: one NAT gateway with a /30 prefix (four egress IPs the package mirrors allow-list).
  const egressPrefix = publicIpPrefix(hub, 'ippre-mfg-egress-neu', '20.166.40.0/30');
  const nvaNat = natGateway(hub, 'ng-mfg-nva-neu', { publicIpPrefixes: [egressPrefix], subnetIds: [nvaSubnetId, firewallSubnetId], idleTimeoutInMinutes: 10 });
  // The hub learns 0/0 from the plants over BGP: the NVA subnet must keep its direct way out.
  const rtNva = routeTable(hub, 'rt-nva-internet', [{ name: 'internet-direct', addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' }], { disableBgpRoutePropagation: true });

  const ilbId = loadBalancerId(hub, 'lbi-nva-neu');
  const nvaPool = backendPoolId(ilbId, 'bep-nva');
  const nvaNics = [
    { name: 'nic-vm-nva-fw-01', ip: '10.200.0.4', vm: 'vm-nva-fw-01' },
    { name: 'nic-vm-nva-fw-02', ip: '10.200.0.5', vm: 'vm-nva-fw-02' },
  ].map((n) => networkInterface(hub, n.name, { subnetId: nvaSubnetId, privateIp: n.ip, vmName: n.vm, enableIPForwarding: true, backendPoolIds: [nvaPool] }));
  const ilb = loadBalancer(hub, 'lbi-nva-neu', {
    frontends: [{ name: 'fe-nva', privateIp: MFG_ILB_FRONTEND_IP, subnetId: nvaSubnetId }],
    backendPools: [{ name: 'bep-nva', nicIpConfigIds: nvaNics.map((n) => nicIpConfigId(n.id)) }],
    // HA ports: protocol All, port 0 — every flow on every port is balanced [HAP].
    rules: [{ name: 'ha-ports', frontend: 'fe-nva', backendPool: 'bep-nva', protocol: 'All', frontendPort: 0, backendPort: 0, disableOutboundSnat: true }],
  });

  // Hub Azure Firewall for the image builds. Its subnet needs a direct way out: the plants' BGP 0/0
  // would otherwise pull it on-premises, so a UDR 0/0 → Internet with propagation off
  // https://learn.microsoft.com/azure/firewall/forced-tunneling
  const rtFirewall = routeTable(hub, 'rt-afw-internet', [{ name: 'internet-direct', addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' }], { disableBgpRoutePropagation: true });
  const firewallPip = publicIp(hub, 'pip-afw-mfg-hub-neu', { ipAddress: '20.166.41.10', ipConfigurationId: `${azureFirewallId(hub, 'afw-mfg-hub-neu')}/azureFirewallIpConfigurations/ipconfig1` });
  const policy = firewallPolicy(hub, 'afwp-mfg-package-feeds', ['rcg-package-feeds']);
  const packageFeeds = ruleCollectionGroup(hub, 'afwp-mfg-package-feeds', 'rcg-package-feeds', 200, [
    {
      name: 'allow-package-feeds', priority: 210, action: 'Allow', rules: [
        { kind: 'application', name: 'npm', sourceAddresses: ['10.210.5.0/24'], targetFqdns: ['registry.npmjs.org'] },
        { kind: 'application', name: 'pypi', sourceAddresses: ['10.210.5.0/24'], targetFqdns: ['pypi.org', 'files.pythonhosted.org'] },
        // The company's own registry by name, not *.azurecr.io: a wildcard would let a build push
        // images (and anything in them) to any registry in Azure.
        { kind: 'application', name: 'container-registries', sourceAddresses: ['10.210.5.0/24'], targetFqdns: ['crfabrikammfg.azurecr.io', 'crfabrikammfg.northeurope.data.azurecr.io', 'mcr.microsoft.com', '*.data.mcr.microsoft.com'] },
      ],
    },
  ]);
  const firewall = azureFirewall(hub, 'afw-mfg-hub-neu', { subnetId: firewallSubnetId, privateIp: MFG_FIREWALL_IP, publicIps: [firewallPip], policy });

  const gatewayPip = publicIp(hub, 'pip-vgw-mfg-hub-neu', { ipAddress: '20.166.41.5' });
  const vpnGateway = virtualNetworkGateway(hub, 'vgw-mfg-hub-neu', { gatewaySubnetId, publicIp: gatewayPip, enableBgp: true, asn: 65020, bgpPeeringAddress: '10.200.1.30' });

  const hubVnet = virtualNetwork(hub, 'vnet-mfg-hub-neu', HUB_PREFIXES, [
    { name: 'snet-nva', addressPrefix: '10.200.0.0/27', natGateway: nvaNat, routeTable: rtNva },
    { name: 'GatewaySubnet', addressPrefix: '10.200.1.0/27' },
    { name: 'AzureFirewallSubnet', addressPrefix: '10.200.2.0/26', natGateway: nvaNat, routeTable: rtFirewall },
  ], [{ name: 'peer-hub-to-apps', remote: { id: spokeVnetId, addressPrefixes: SPOKE_PREFIXES }, allowForwardedTraffic: true, allowGatewayTransit: true }]);

  // ---- spoke
  const rtAca = routeTable(apps, 'rt-aca-jobs-egress', [
    { name: 'default-to-nva-ilb', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: MFG_ILB_FRONTEND_IP },
  ], { disableBgpRoutePropagation: true });
  const rtAcaBuilds = routeTable(apps, 'rt-aca-builds-egress', [
    { name: 'default-to-hub-firewall', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: MFG_FIREWALL_IP },
  ], { disableBgpRoutePropagation: true });
  const rtBuild = routeTable(build, 'rt-build-agents', [
    // Per-subnet escape from forced tunnelling: UDR 0/0 → Internet beats the BGP 0/0 [S2SFT].
    { name: 'internet-direct', addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' },
  ], { disableBgpRoutePropagation: true });
  const nsgPlant = networkSecurityGroup(plant, 'nsg-snet-plant-floor', [
    { name: 'Allow-OPC-UA-From-OnPrem', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '172.20.0.0/14', destination: 'VirtualNetwork', destinationPort: '4840' },
  ]);
  const nsgBuild = networkSecurityGroup(build, 'nsg-snet-build-agents', [
    { name: 'Deny-Inbound-Internet', priority: 100, direction: 'Inbound', access: 'Deny', protocol: '*', source: 'Internet', destination: '*', destinationPort: '*' },
  ]);

  const spokeVnet = virtualNetwork(apps, 'vnet-mfg-apps-neu', SPOKE_PREFIXES, [
    { name: 'snet-aca-jobs', addressPrefix: '10.210.0.0/24', routeTable: rtAca, delegation: 'Microsoft.App/environments' },
    { name: 'snet-aca-builds', addressPrefix: '10.210.5.0/24', routeTable: rtAcaBuilds, delegation: 'Microsoft.App/environments' },
    { name: 'snet-plant-floor-line1', addressPrefix: '10.210.2.0/24', networkSecurityGroup: nsgPlant },
    { name: 'snet-plant-floor-line2', addressPrefix: '10.210.3.0/24', networkSecurityGroup: nsgPlant },
    { name: 'snet-build-agents', addressPrefix: '10.210.4.0/24', routeTable: rtBuild, networkSecurityGroup: nsgBuild },
  ], [{ name: 'peer-apps-to-hub', remote: { id: hubVnetId, addressPrefixes: HUB_PREFIXES }, allowForwardedTraffic: true, useRemoteGateways: true }]);

  const plantNics = [
    { name: 'nic-vm-mes-line1-01', subnet: 'snet-plant-floor-line1', ip: '10.210.2.4', vm: 'vm-mes-line1-01' },
    { name: 'nic-vm-historian-line2-01', subnet: 'snet-plant-floor-line2', ip: '10.210.3.4', vm: 'vm-historian-line2-01' },
  ].map((n) => networkInterface(plant, n.name, { subnetId: subnetId(spokeVnetId, n.subnet), privateIp: n.ip, vmName: n.vm }));

  const buildNics: ArmResource[] = [];
  const buildPips: ArmResource[] = [];
  for (const [i, ip] of [['01', '20.166.41.20'], ['02', '20.166.41.21']] as const) {
    const nicName = `nic-vm-build-agent-${i}`;
    const pip = publicIp(build, `pip-vm-build-agent-${i}`, { ipAddress: ip, ipConfigurationId: nicIpConfigId(armId(build, 'Microsoft.Network/networkInterfaces', nicName)) });
    buildPips.push(pip);
    buildNics.push(networkInterface(build, nicName, { subnetId: subnetId(spokeVnetId, 'snet-build-agents'), privateIp: `10.210.4.${3 + Number(i)}`, vmName: `vm-build-agent-${i}`, publicIp: pip }));
  }

  // The plants advertise 0/0 over BGP: captured effective routes of one VM per plant subnet [S2SFT].
  const forcedTunnel: readonly EffectiveRouteSpec[] = [
    ...systemEffectiveRoutes(SPOKE_PREFIXES).map((r) => r.addressPrefix[0] === '0.0.0.0/0' ? { ...r, state: 'Invalid' as const } : r),
    { source: 'Default', addressPrefix: HUB_PREFIXES, nextHopType: 'VNetPeering' },
    { source: 'VirtualNetworkGateway', addressPrefix: ['0.0.0.0/0'], nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: ['10.200.1.30'] },
    { source: 'VirtualNetworkGateway', addressPrefix: ['172.20.0.0/14'], nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: ['10.200.1.30'] },
  ];
  const effectiveRoutes = plantNics.map((n) => ({ networkInterfaceId: n.id, routes: forcedTunnel.map(effectiveRoute) }));

  return {
    resources: [
      egressPrefix, nvaNat, rtNva, ...nvaNics, ilb, rtFirewall, firewallPip, policy, packageFeeds, firewall, gatewayPip, vpnGateway, hubVnet,
      rtAca, rtAcaBuilds, rtBuild, nsgPlant, nsgBuild, spokeVnet, ...plantNics, ...buildPips, ...buildNics,
    ],
    effectiveRoutes,
  };
}
