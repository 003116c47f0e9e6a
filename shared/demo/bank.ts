/**
 * `bank`: a bank's payment spokes that must reach approved SaaS APIs (card networks, PSPs) only
 * through the hub Azure Firewall, whose AzureFirewallSubnet egresses through a NAT gateway with two
 * public IPs (the IPs the PSPs allow-list). Two realistic mistakes:
 * - `snet-payments-reporting` was added later without the route table: default outbound access
 *   from a Microsoft-owned IP, bypassing the firewall.
 * - `snet-card-auth` still has the NAT gateway it had before the hub existed; the 0/0 UDR to the
 *   firewall makes it dead configuration [NATOV].
 */
import {
  azureFirewall, defaultRouteTo, effectiveRoute, firewallPolicy, inGroup, natGateway, networkInterface,
  networkSecurityGroup, publicIp, routeTable, ruleCollectionGroup, subnetId, systemEffectiveRoutes,
  virtualNetwork, virtualNetworkGateway, vnetId, armId, type ArmResource, type CapturedRoutes, type EffectiveRouteSpec, type Scope,
} from './arm-builders';

export const BANK_HUB_SUBSCRIPTION = '6b1f3c2a-8d4e-4f7a-9c15-2e8b7d0a4c91';
export const BANK_PAYMENTS_SUBSCRIPTION = 'a0d9e5c7-3b2f-4e18-8a6d-71c4f9b2e305';

const hub: Scope = {
  subscriptionId: BANK_HUB_SUBSCRIPTION,
  resourceGroup: 'rg-hub-network-weu',
  location: 'westeurope',
  tags: { owner: 'network-platform@contoso-bank.example', costCenter: 'CC-1040-NETWORK', environment: 'prod' },
};

const payments: Scope = {
  subscriptionId: BANK_PAYMENTS_SUBSCRIPTION,
  resourceGroup: 'rg-payments-api-weu',
  location: 'westeurope',
  tags: { owner: 'payments-team@contoso-bank.example', costCenter: 'CC-2210-PAYMENTS', environment: 'prod' },
};
const cardAuth: Scope = { ...inGroup(payments, 'rg-card-auth-weu'), tags: { ...payments.tags, owner: 'card-auth-team@contoso-bank.example', costCenter: 'CC-2230-CARDS' } };
const settlement: Scope = { ...inGroup(payments, 'rg-settlement-weu'), tags: { ...payments.tags, owner: 'settlement-ops@contoso-bank.example', costCenter: 'CC-2250-SETTLEMENT' } };
const reporting: Scope = { ...payments, tags: { ...payments.tags, owner: 'payments-bi@contoso-bank.example', costCenter: 'CC-2290-BI' } };

/** The hub firewall's private IP: every spoke's 0/0 UDR points here. */
export const BANK_FIREWALL_IP = '10.100.0.4';

export function bankResources(): readonly ArmResource[] {
  // ---- hub
  const hubVnetId = vnetId(hub, 'vnet-hub-weu');
  const hubPrefixes = ['10.100.0.0/22'];
  const firewallSubnetId = subnetId(hubVnetId, 'AzureFirewallSubnet');
  const gatewaySubnetId = subnetId(hubVnetId, 'GatewaySubnet');

  const natIp1 = publicIp(hub, 'pip-ng-hub-egress-weu-01', { ipAddress: '20.61.14.21' });
  const natIp2 = publicIp(hub, 'pip-ng-hub-egress-weu-02', { ipAddress: '20.61.14.22' });
  const hubNat = natGateway(hub, 'ng-hub-egress-weu', { publicIps: [natIp1, natIp2], subnetIds: [firewallSubnetId] });

  const firewallIpConfig = `${armId(hub, 'Microsoft.Network/azureFirewalls', 'afw-hub-weu')}/azureFirewallIpConfigurations/ipconfig1`;
  const firewallPip = publicIp(hub, 'pip-afw-hub-weu', { ipAddress: '20.61.14.10', ipConfigurationId: firewallIpConfig });
  const policy = firewallPolicy(hub, 'afwp-bank-egress', ['rcg-payments-egress', 'rcg-platform']);
  const paymentsRules = ruleCollectionGroup(hub, 'afwp-bank-egress', 'rcg-payments-egress', 200, [
    {
      name: 'allow-approved-psp-apis', priority: 210, action: 'Allow', rules: [
        { kind: 'application', name: 'stripe', sourceAddresses: ['10.110.0.0/24', '10.120.0.0/24'], targetFqdns: ['api.stripe.com'] },
        { kind: 'application', name: 'card-networks', sourceAddresses: ['10.120.0.0/24'], targetFqdns: ['*.visa.com', '*.mastercard.com'] },
        { kind: 'application', name: 'adyen', sourceAddresses: ['10.110.0.0/24'], targetFqdns: ['checkout-live.adyen.com', 'pal-live.adyen.com'] },
      ],
    },
    {
      name: 'allow-clearing-house', priority: 220, action: 'Allow', rules: [
        // The clearing house's SFTP endpoint is an IP range: network rule, no FQDN.
        { kind: 'network', name: 'clearing-sftp', ipProtocols: ['TCP'], sourceAddresses: ['10.130.0.0/24'], destinationAddresses: ['185.40.56.0/24'], destinationPorts: ['22'] },
      ],
    },
  ]);
  const platformRules = ruleCollectionGroup(hub, 'afwp-bank-egress', 'rcg-platform', 100, [
    {
      name: 'allow-platform-updates', priority: 110, action: 'Allow', rules: [
        // Named FQDNs, not the WindowsUpdate FQDN tag: Microsoft does not publish a tag's contents, so
        // with the tag nobody (auditor or tool) can say that an arbitrary name such as
        // exfil.example.net is outside the allow-list; PCI DSS 1.3 wants it enumerable.
        { kind: 'application', name: 'windows-update', sourceAddresses: ['10.110.0.0/16', '10.120.0.0/16', '10.130.0.0/16'], targetFqdns: ['*.update.microsoft.com', '*.windowsupdate.com', '*.delivery.mp.microsoft.com'] },
        { kind: 'network', name: 'ntp', ipProtocols: ['UDP'], sourceAddresses: ['10.0.0.0/8'], destinationFqdns: ['time.windows.com'], destinationPorts: ['123'] },
      ],
    },
  ]);
  const firewall = azureFirewall(hub, 'afw-hub-weu', { tier: 'Premium', subnetId: firewallSubnetId, privateIp: BANK_FIREWALL_IP, publicIps: [firewallPip], policy });

  const gatewayPip = publicIp(hub, 'pip-vgw-hub-weu', { ipAddress: '20.61.14.30' });
  const vpnGateway = virtualNetworkGateway(hub, 'vgw-hub-weu', { gatewaySubnetId, publicIp: gatewayPip, enableBgp: true, asn: 65010, bgpPeeringAddress: '10.100.1.30' });

  // ---- spokes
  const spokes = [
    { scope: payments, name: 'vnet-payments-api-weu', prefixes: ['10.110.0.0/22'] },
    { scope: cardAuth, name: 'vnet-card-auth-weu', prefixes: ['10.120.0.0/22'] },
    { scope: settlement, name: 'vnet-settlement-weu', prefixes: ['10.130.0.0/22'] },
  ].map((s) => ({ ...s, id: vnetId(s.scope, s.name) }));

  const hubVnet = virtualNetwork(hub, 'vnet-hub-weu', hubPrefixes, [
    { name: 'AzureFirewallSubnet', addressPrefix: '10.100.0.0/26', natGateway: hubNat },
    { name: 'GatewaySubnet', addressPrefix: '10.100.1.0/27' },
  ], spokes.map((s) => ({
    name: `peer-hub-to-${s.name}`, remote: { id: s.id, addressPrefixes: s.prefixes },
    allowForwardedTraffic: true, allowGatewayTransit: true,
  })));

  const spokePeering = (name: string): { name: string; remote: { id: string; addressPrefixes: readonly string[] }; allowForwardedTraffic: boolean; useRemoteGateways: boolean } => ({
    name: `peer-${name}-to-hub`, remote: { id: hubVnetId, addressPrefixes: hubPrefixes }, allowForwardedTraffic: true, useRemoteGateways: true,
  });

  const blockSmtp = { name: 'Deny-SMTP-Outbound', priority: 200, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', source: '*', destination: 'Internet', destinationPort: '25', description: 'PCI DSS 1.3.4: no direct mail relay from the CDE' } as const;

  // payments-api
  const rtPayments = routeTable(payments, 'rt-payments-api-egress', [defaultRouteTo(BANK_FIREWALL_IP)], { disableBgpRoutePropagation: true });
  const nsgPayments = networkSecurityGroup(payments, 'nsg-snet-payments-api', [blockSmtp]);
  const nsgReporting = networkSecurityGroup(reporting, 'nsg-snet-payments-reporting', []);
  const paymentsVnet = virtualNetwork(payments, 'vnet-payments-api-weu', ['10.110.0.0/22'], [
    { name: 'snet-payments-api', addressPrefix: '10.110.0.0/24', routeTable: rtPayments, networkSecurityGroup: nsgPayments },
    // Mistake 1: added for the BI team, never associated with the route table.
    { name: 'snet-payments-reporting', addressPrefix: '10.110.1.0/24', networkSecurityGroup: nsgReporting },
  ], [spokePeering('vnet-payments-api-weu')]);

  // card-auth
  const cardNatIp = publicIp(cardAuth, 'pip-ng-card-auth-weu', { ipAddress: '20.61.90.7' });
  const cardSubnetId = subnetId(spokes[1]?.id ?? '', 'snet-card-auth');
  const cardNat = natGateway(cardAuth, 'ng-card-auth-weu', { publicIps: [cardNatIp], subnetIds: [cardSubnetId] });
  const rtCard = routeTable(cardAuth, 'rt-card-auth-egress', [defaultRouteTo(BANK_FIREWALL_IP)], { disableBgpRoutePropagation: true });
  const nsgCard = networkSecurityGroup(cardAuth, 'nsg-snet-card-auth', [blockSmtp]);
  const cardVnet = virtualNetwork(cardAuth, 'vnet-card-auth-weu', ['10.120.0.0/22'], [
    // Mistake 2: the NAT gateway from before the hub; the 0/0 UDR to the firewall bypasses it.
    { name: 'snet-card-auth', addressPrefix: '10.120.0.0/24', routeTable: rtCard, natGateway: cardNat, networkSecurityGroup: nsgCard },
  ], [spokePeering('vnet-card-auth-weu')]);

  // settlement
  const rtSettlement = routeTable(settlement, 'rt-settlement-egress', [defaultRouteTo(BANK_FIREWALL_IP)], { disableBgpRoutePropagation: false });
  const nsgSettlement = networkSecurityGroup(settlement, 'nsg-snet-settlement', [blockSmtp]);
  const settlementVnet = virtualNetwork(settlement, 'vnet-settlement-weu', ['10.130.0.0/22'], [
    { name: 'snet-settlement-batch', addressPrefix: '10.130.0.0/24', routeTable: rtSettlement, networkSecurityGroup: nsgSettlement },
    { name: 'snet-settlement-db', addressPrefix: '10.130.1.0/24', routeTable: rtSettlement, networkSecurityGroup: nsgSettlement, defaultOutboundAccess: false },
  ], [spokePeering('vnet-settlement-weu')]);

  const nic = (scope: Scope, vnet: string, subnet: string, vm: string, ip: string): ArmResource =>
    networkInterface(scope, `nic-${vm}`, { subnetId: subnetId(vnetId(scope, vnet), subnet), privateIp: ip, vmName: vm });

  return [
    hubVnet, natIp1, natIp2, hubNat, firewallPip, policy, platformRules, paymentsRules, firewall, gatewayPip, vpnGateway,
    rtPayments, nsgPayments, nsgReporting, paymentsVnet,
    nic(payments, 'vnet-payments-api-weu', 'snet-payments-api', 'vm-payapi-01', '10.110.0.4'),
    nic(payments, 'vnet-payments-api-weu', 'snet-payments-api', 'vm-payapi-02', '10.110.0.5'),
    nic(reporting, 'vnet-payments-api-weu', 'snet-payments-reporting', 'vm-payrpt-01', '10.110.1.4'),
    cardNatIp, cardNat, rtCard, nsgCard, cardVnet,
    nic(cardAuth, 'vnet-card-auth-weu', 'snet-card-auth', 'vm-cardauth-01', '10.120.0.4'),
    nic(cardAuth, 'vnet-card-auth-weu', 'snet-card-auth', 'vm-cardauth-02', '10.120.0.5'),
    rtSettlement, nsgSettlement, settlementVnet,
    nic(settlement, 'vnet-settlement-weu', 'snet-settlement-batch', 'vm-settle-batch-01', '10.130.0.4'),
    nic(settlement, 'vnet-settlement-weu', 'snet-settlement-db', 'vm-settle-db-01', '10.130.1.4'),
  ];
}

/**
 * The bank estate with the effective routes captured from the reporting VM (as `egress-atlas pull`
 * captures one NIC per route signature). The hub's VPN gateway speaks BGP: without a capture in
 * its gateway domain, whether on-premises advertises 0.0.0.0/0 (forced tunnelling) is not known.
 * The capture shows what it does advertise (the data centre, 172.20.0.0/16) and that the reporting
 * subnet's 0.0.0.0/0 is the system route to the internet: the bypass is proven, not assumed.
 */
export function bankEstate(): { readonly resources: readonly ArmResource[]; readonly effectiveRoutes: readonly CapturedRoutes[] } {
  const reportingNicId = armId(reporting, 'Microsoft.Network/networkInterfaces', 'nic-vm-payrpt-01');
  const routes = ([
    ...systemEffectiveRoutes(['10.110.0.0/22']),
    { source: 'Default', addressPrefix: ['10.100.0.0/22'], nextHopType: 'VNetPeering' },
    { source: 'VirtualNetworkGateway', addressPrefix: ['172.20.0.0/16'], nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: ['10.100.1.30'] },
  ] satisfies readonly EffectiveRouteSpec[]).map(effectiveRoute);
  return { resources: bankResources(), effectiveRoutes: [{ networkInterfaceId: reportingNicId, routes }] };
}

