/**
 * `training`: one subnet per Azure egress rule, named after the rule it teaches and tagged
 * `lesson`. `TRAINING_TOUR` is the order the app's trainee mode steps through them: from the
 * implicit default, through each explicit outbound method in Azure's precedence order, to the
 * routing that overrides them (UDRs, appliances, gateways, vWAN), the NSG that denies before any of
 * it, and finally what captured evidence says when it disagrees with the configuration.
 */
import {
  armId, azureFirewall, azureFirewallId, backendPoolId, defaultRouteTo, effectiveRoute, firewallPolicy,
  hubVirtualNetworkConnection, loadBalancer, loadBalancerId, natGateway, networkInterface,
  networkSecurityGroup, nicIpConfigId, publicIp, routeTable, routingIntent, ruleCollectionGroup,
  subnetId, systemEffectiveRoutes, virtualHub, virtualHubId, virtualNetwork, virtualNetworkGateway,
  virtualWan, vnetId, withTags, type ArmResource, type CapturedRoutes, type Scope, type SubnetSpec,
} from './arm-builders';

export const TRAINING_SUBSCRIPTION = 'e7a41c0b-2f86-4d95-8b3e-1a6c9f0d5e27';

const base: Scope = {
  subscriptionId: TRAINING_SUBSCRIPTION,
  resourceGroup: 'rg-egress-training-weu',
  location: 'westeurope',
  tags: { owner: 'cloud-academy@tailspin.example', costCenter: 'CC-9000-TRAINING', environment: 'training' },
};

export interface TrainingLesson {
  readonly subnetName: string;
  readonly title: string;
  readonly text: string;
}

const DOCS = {
  doa: 'https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access',
  natOverview: 'https://learn.microsoft.com/azure/nat-gateway/nat-overview',
  lbOutbound: 'https://learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections',
  udr: 'https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview',
} as const;

/** The trainee tour, in order. Each subnet name starts with its lesson number. */
export const TRAINING_TOUR: readonly TrainingLesson[] = [
  {
    subnetName: 'snet-01-default-outbound', title: 'Default outbound access',
    text: `A VM in a subnet with no NAT gateway, no public IP, no load balancer and no route to an appliance still reaches the internet: Azure gives it an implicit, Microsoft-owned public IP. That address is not yours, can change, and is being retired: after 31 March 2026 new virtual networks default to private subnets. Treat it as a finding, not a design (${DOCS.doa}).`,
  },
  {
    subnetName: 'snet-02-private-no-method', title: 'Private subnet without an outbound method',
    text: `The same subnet with defaultOutboundAccess = false is a private subnet: no implicit IP, so with no explicit method nothing leaves. Windows activation and OS updates fail quietly. Add a NAT gateway, a public IP, a load balancer outbound rule, or a route to a firewall (${DOCS.doa}).`,
  },
  {
    subnetName: 'snet-03-nat-gateway', title: 'NAT gateway',
    text: `A NAT gateway on the subnet replaces the subnet's default route to the internet without any route-table change, and takes precedence over instance public IPs and load balancers for outbound flows. Every VM in the subnet shares its public IPs and their 64,512 SNAT ports each (${DOCS.natOverview}).`,
  },
  {
    subnetName: 'snet-04-instance-public-ip', title: 'Instance-level public IP',
    text: `A Standard public IP on the VM's NIC gives that VM 1:1 NAT with all ephemeral ports. Without a NAT gateway on the subnet it is the VM's outbound identity, and it beats any load balancer the VM is also in (${DOCS.lbOutbound}).`,
  },
  {
    subnetName: 'snet-05-lb-outbound-rule', title: 'Load balancer outbound rule',
    text: `VMs in a NIC-based backend pool of a public Standard load balancer with an outbound rule SNAT to the rule's frontend IPs. The rule fixes the ports each instance gets (frontend IPs × 64,000 ÷ instances at most), so SNAT exhaustion is a capacity question you can compute (${DOCS.lbOutbound}).`,
  },
  {
    subnetName: 'snet-06-lb-implicit-snat', title: 'Load balancer implicit SNAT',
    text: `A load-balancing rule with disableOutboundSnat = false also programs outbound SNAT, from a small default port allocation that shrinks as the pool grows. It works until it doesn't: prefer an explicit outbound rule or a NAT gateway (${DOCS.lbOutbound}).`,
  },
  {
    subnetName: 'snet-07-ip-based-backend-pool', title: 'IP-based backend pool',
    text: `A backend pool built from IP addresses instead of NICs gives no outbound SNAT at all, even with an outbound rule: the VM silently falls back to default outbound access (a known limitation) (${DOCS.doa}).`,
  },
  {
    subnetName: 'snet-08-udr-none', title: 'UDR 0.0.0.0/0 → None',
    text: `A user-defined route wins over the system route for the same prefix. With next hop None, Azure drops everything the route matches: the subnet has no internet path whatever outbound method it has (${DOCS.udr}).`,
  },
  {
    subnetName: 'snet-09-udr-unowned-appliance', title: 'UDR to an appliance IP nobody owns',
    text: `A route to a VirtualAppliance whose IP belongs to no NIC, load balancer or firewall (here a deleted appliance) is an invalid route: the traffic is black-holed. Effective routes show such a next hop as None when the device is missing or not running (${DOCS.udr}).`,
  },
  {
    subnetName: 'snet-10-nva-without-forwarding', title: 'NVA without IP forwarding',
    text: `A network virtual appliance must have "IP forwarding" enabled on its Azure NIC, or Azure drops packets not addressed to the NIC's own IP. The route looks right, the appliance is running, and nothing gets through (${DOCS.udr}).`,
  },
  {
    subnetName: 'snet-11-nva-with-forwarding', title: 'NVA with IP forwarding',
    text: `With forwarding on, the appliance receives the traffic, SNATs it to its own private IP, and Azure then sends it out through the appliance's own outbound method: here the public IP on the appliance NIC. The egress IP is the appliance's, not the source subnet's (${DOCS.udr}).`,
  },
  {
    subnetName: 'snet-12-firewall-with-nat', title: 'Azure Firewall with a NAT gateway',
    text: 'A 0/0 route to the Azure Firewall\'s private IP sends traffic through the firewall policy (deny by default). With a NAT gateway on AzureFirewallSubnet, everything the firewall allows leaves from the NAT gateway\'s IPs, with far more SNAT ports than the firewall\'s own 2,496 per public IP per instance (https://learn.microsoft.com/azure/firewall/integrate-with-nat-gateway).',
  },
  {
    subnetName: 'snet-13-nat-bypassed-by-udr', title: 'NAT gateway bypassed by a UDR',
    text: `This subnet has its own NAT gateway, yet its 0/0 route to the firewall wins: a UDR to a virtual appliance or gateway takes precedence over the NAT gateway. The NAT gateway is dead configuration you still pay for, and its IPs are not the ones partners see (${DOCS.natOverview}).`,
  },
  {
    subnetName: 'snet-14-vpn-forced-tunnel', title: 'VPN forced tunnel (default site)',
    text: 'The VNet\'s route-based VPN gateway has a default site: all internet-bound traffic goes through the tunnel to head office, and whether it reaches the internet is decided on-premises. A subnet escapes only with its own UDR 0/0 → Internet (https://learn.microsoft.com/azure/vpn-gateway/about-site-to-site-tunneling).',
  },
  {
    subnetName: 'snet-15-vwan-routing-intent', title: 'Virtual WAN routing intent',
    text: 'The spoke is connected to a secured Virtual WAN hub whose routing intent sends Internet traffic to the hub\'s Azure Firewall. The hub advertises 0/0 to connections with "propagate default route" (enableInternetSecurity) on, so this spoke leaves through the hub firewall\'s public IPs (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies).',
  },
  {
    subnetName: 'snet-16-vwan-no-internet-security', title: 'Virtual WAN connection without internet security',
    text: 'Same hub, same routing intent, but this spoke\'s connection has enableInternetSecurity = false: it never learns the hub\'s 0/0, so it falls back to its own outbound method, here default outbound access, bypassing the hub firewall entirely (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies).',
  },
  {
    subnetName: 'snet-17-nsg-deny-internet', title: 'NSG denying Internet',
    text: 'The subnet has a NAT gateway, but its NSG denies outbound traffic to the Internet service tag. NSGs are evaluated before any translation (NIC NSG, then subnet NSG), so the packet is denied before the NAT gateway sees it (https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works).',
  },
  {
    subnetName: 'snet-18-route-drift', title: 'Effective routes disagree with the route table',
    text: 'The subnet\'s configuration says 0/0 → firewall, but the effective routes captured from a running VM show only Azure\'s system routes: the route table is not what the NIC actually uses. Evidence beats configuration: trust the captured routes, then find out why they drifted (https://learn.microsoft.com/azure/virtual-network/diagnose-network-routing-problem).',
  },
];

const LESSONS_PREFIXES = ['10.60.0.0/16'];
export const TRAINING_FIREWALL_IP = '10.60.254.4';
/** Lesson 9: an appliance that was deleted; no NIC, LB or firewall owns this IP. */
export const TRAINING_UNOWNED_APPLIANCE_IP = '10.60.99.4';

function lesson(n: number): Scope {
  return withTags(base, { lesson: TRAINING_TOUR[n - 1]?.subnetName ?? `lesson-${n}` });
}

function lessonSubnet(n: number, spec: Omit<SubnetSpec, 'name' | 'tags'>): SubnetSpec {
  const name = TRAINING_TOUR[n - 1]?.subnetName ?? `snet-${n}`;
  return { name, tags: { ...base.tags, lesson: name }, ...spec };
}

export function trainingEstate(): { readonly resources: readonly ArmResource[]; readonly effectiveRoutes: readonly CapturedRoutes[] } {
  const lessonsVnetId = vnetId(base, 'vnet-training-lessons');
  const sid = (name: string): string => subnetId(lessonsVnetId, name);
  const lessonSid = (n: number): string => sid(TRAINING_TOUR[n - 1]?.subnetName ?? '');
  const resources: ArmResource[] = [];
  const add = <T extends ArmResource>(r: T): T => { resources.push(r); return r; };
  const vm = (n: number, i: number, extra: { publicIp?: ArmResource; backendPoolIds?: readonly string[] } = {}): ArmResource =>
    add(networkInterface(lesson(n), `nic-vm-lesson${String(n).padStart(2, '0')}-0${i}`, {
      subnetId: lessonSid(n), privateIp: `10.60.${n}.${3 + i}`, vmName: `vm-lesson${String(n).padStart(2, '0')}-0${i}`, ...extra,
    }));
  const nicId = (n: number, i: number): string => armId(base, 'Microsoft.Network/networkInterfaces', `nic-vm-lesson${String(n).padStart(2, '0')}-0${i}`);

  // Shared NAT gateway for lessons 3, 13 and 17 (one NAT gateway serves many subnets [NATRES]).
  const ngIp = add(publicIp(lesson(3), 'pip-ng-training', { ipAddress: '20.93.10.1' }));
  const ngTraining = add(natGateway(lesson(3), 'ng-training', { publicIps: [ngIp], subnetIds: [lessonSid(3), lessonSid(13), lessonSid(17)] }));

  // Lesson 4: instance public IP.
  const pip4 = add(publicIp(lesson(4), 'pip-vm-lesson04-01', { ipAddress: '20.93.10.4', ipConfigurationId: nicIpConfigId(nicId(4, 1)) }));

  // Lesson 5: outbound rule, 2 VMs, 10,000 ports each.
  const lb5 = loadBalancerId(base, 'lbe-training-outbound-rule');
  const pip5 = add(publicIp(lesson(5), 'pip-lbe-training-outbound-rule', { ipAddress: '20.93.10.5', ipConfigurationId: `${lb5}/frontendIPConfigurations/fe-public` }));
  add(loadBalancer(lesson(5), 'lbe-training-outbound-rule', {
    frontends: [{ name: 'fe-public', publicIp: pip5 }],
    backendPools: [{ name: 'bep-lesson05', nicIpConfigIds: [nicIpConfigId(nicId(5, 1)), nicIpConfigId(nicId(5, 2))] }],
    rules: [{ name: 'https', frontend: 'fe-public', backendPool: 'bep-lesson05', protocol: 'Tcp', frontendPort: 443, backendPort: 443, disableOutboundSnat: true }],
    outboundRules: [{ name: 'outbound-lesson05', frontends: ['fe-public'], backendPool: 'bep-lesson05', allocatedOutboundPorts: 10000 }],
  }));

  // Lesson 6: implicit SNAT through a load-balancing rule.
  const lb6 = loadBalancerId(base, 'lbe-training-implicit-snat');
  const pip6 = add(publicIp(lesson(6), 'pip-lbe-training-implicit-snat', { ipAddress: '20.93.10.6', ipConfigurationId: `${lb6}/frontendIPConfigurations/fe-public` }));
  add(loadBalancer(lesson(6), 'lbe-training-implicit-snat', {
    frontends: [{ name: 'fe-public', publicIp: pip6 }],
    backendPools: [{ name: 'bep-lesson06', nicIpConfigIds: [nicIpConfigId(nicId(6, 1))] }],
    rules: [{ name: 'https', frontend: 'fe-public', backendPool: 'bep-lesson06', protocol: 'Tcp', frontendPort: 443, backendPort: 443, disableOutboundSnat: false }],
  }));

  // Lesson 7: IP-based pool with an outbound rule that does nothing for it.
  const lb7 = loadBalancerId(base, 'lbe-training-ip-pool');
  const pip7 = add(publicIp(lesson(7), 'pip-lbe-training-ip-pool', { ipAddress: '20.93.10.7', ipConfigurationId: `${lb7}/frontendIPConfigurations/fe-public` }));
  add(loadBalancer(lesson(7), 'lbe-training-ip-pool', {
    frontends: [{ name: 'fe-public', publicIp: pip7 }],
    backendPools: [{ name: 'bep-lesson07-by-ip', ipAddresses: [{ ipAddress: '10.60.7.4', virtualNetworkId: lessonsVnetId }] }],
    outboundRules: [{ name: 'outbound-lesson07', frontends: ['fe-public'], backendPool: 'bep-lesson07-by-ip', allocatedOutboundPorts: 8000 }],
  }));

  // Lessons 8–11: routes.
  const rt8 = add(routeTable(lesson(8), 'rt-lesson08-none', [{ name: 'drop-internet', addressPrefix: '0.0.0.0/0', nextHopType: 'None' }]));
  const rt9 = add(routeTable(lesson(9), 'rt-lesson09-deleted-appliance', [defaultRouteTo(TRAINING_UNOWNED_APPLIANCE_IP, 'default-to-old-proxy')]));
  const rt10 = add(routeTable(lesson(10), 'rt-lesson10-nva-no-forwarding', [defaultRouteTo('10.60.200.4', 'default-to-nva')]));
  const rt11 = add(routeTable(lesson(11), 'rt-lesson11-nva-forwarding', [defaultRouteTo('10.60.201.4', 'default-to-nva')]));
  add(networkInterface(lesson(10), 'nic-vm-nva-noforward-01', { subnetId: sid('snet-nva-no-forwarding'), privateIp: '10.60.200.4', vmName: 'vm-nva-noforward-01', enableIPForwarding: false }));
  const nvaNicId = armId(base, 'Microsoft.Network/networkInterfaces', 'nic-vm-nva-forward-01');
  const nvaPip = add(publicIp(lesson(11), 'pip-vm-nva-forward-01', { ipAddress: '20.93.10.11', ipConfigurationId: nicIpConfigId(nvaNicId) }));
  add(networkInterface(lesson(11), 'nic-vm-nva-forward-01', { subnetId: sid('snet-nva-forwarding'), privateIp: '10.60.201.4', vmName: 'vm-nva-forward-01', enableIPForwarding: true, publicIp: nvaPip }));

  // Lessons 12, 13, 18: the training firewall with a NAT gateway on AzureFirewallSubnet.
  const fwNatIps = [add(publicIp(lesson(12), 'pip-ng-training-firewall-01', { ipAddress: '20.93.10.12' })), add(publicIp(lesson(12), 'pip-ng-training-firewall-02', { ipAddress: '20.93.10.13' }))];
  const fwNat = add(natGateway(lesson(12), 'ng-training-firewall', { publicIps: fwNatIps, subnetIds: [sid('AzureFirewallSubnet')] }));
  const fwPip = add(publicIp(lesson(12), 'pip-afw-training', { ipAddress: '20.93.10.14', ipConfigurationId: `${azureFirewallId(base, 'afw-training')}/azureFirewallIpConfigurations/ipconfig1` }));
  const policy = add(firewallPolicy(base, 'afwp-training', ['rcg-training-web']));
  add(ruleCollectionGroup(base, 'afwp-training', 'rcg-training-web', 100, [{
    name: 'allow-web', priority: 100, action: 'Allow', rules: [
      { kind: 'network', name: 'web-out', ipProtocols: ['TCP'], sourceAddresses: ['10.60.0.0/16', '10.63.0.0/24', '10.64.0.0/24'], destinationAddresses: ['*'], destinationPorts: ['80', '443'] },
    ],
  }]));
  add(azureFirewall(lesson(12), 'afw-training', { subnetId: sid('AzureFirewallSubnet'), privateIp: TRAINING_FIREWALL_IP, publicIps: [fwPip], policy }));
  const rtFirewall = add(routeTable(base, 'rt-to-firewall', [defaultRouteTo(TRAINING_FIREWALL_IP, 'default-to-firewall')]));

  // Lesson 17: NSG denying Internet.
  const nsg17 = add(networkSecurityGroup(lesson(17), 'nsg-lesson17-deny-internet', [
    { name: 'Deny-Internet-Outbound', priority: 100, direction: 'Outbound', access: 'Deny', protocol: '*', source: '*', destination: 'Internet', destinationPort: '*' },
  ]));

  add(virtualNetwork(base, 'vnet-training-lessons', LESSONS_PREFIXES, [
    lessonSubnet(1, { addressPrefix: '10.60.1.0/24' }),
    lessonSubnet(2, { addressPrefix: '10.60.2.0/24', defaultOutboundAccess: false }),
    lessonSubnet(3, { addressPrefix: '10.60.3.0/24', natGateway: ngTraining }),
    lessonSubnet(4, { addressPrefix: '10.60.4.0/24' }),
    lessonSubnet(5, { addressPrefix: '10.60.5.0/24' }),
    lessonSubnet(6, { addressPrefix: '10.60.6.0/24' }),
    lessonSubnet(7, { addressPrefix: '10.60.7.0/24' }),
    lessonSubnet(8, { addressPrefix: '10.60.8.0/24', routeTable: rt8 }),
    lessonSubnet(9, { addressPrefix: '10.60.9.0/24', routeTable: rt9 }),
    lessonSubnet(10, { addressPrefix: '10.60.10.0/24', routeTable: rt10 }),
    lessonSubnet(11, { addressPrefix: '10.60.11.0/24', routeTable: rt11 }),
    lessonSubnet(12, { addressPrefix: '10.60.12.0/24', routeTable: rtFirewall }),
    lessonSubnet(13, { addressPrefix: '10.60.13.0/24', routeTable: rtFirewall, natGateway: ngTraining }),
    lessonSubnet(17, { addressPrefix: '10.60.17.0/24', natGateway: ngTraining, networkSecurityGroup: nsg17 }),
    lessonSubnet(18, { addressPrefix: '10.60.18.0/24', routeTable: rtFirewall }),
    { name: 'snet-nva-no-forwarding', addressPrefix: '10.60.200.0/28', tags: { ...base.tags, lesson: 'snet-10-nva-without-forwarding' } },
    { name: 'snet-nva-forwarding', addressPrefix: '10.60.201.0/28', tags: { ...base.tags, lesson: 'snet-11-nva-with-forwarding' } },
    { name: 'AzureFirewallSubnet', addressPrefix: '10.60.254.0/26', natGateway: fwNat },
  ]));
  for (const n of [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 17, 18]) {
    vm(n, 1, n === 4 ? { publicIp: pip4 } : n === 6 ? { backendPoolIds: [backendPoolId(lb6, 'bep-lesson06')] } : {});
  }
  vm(5, 1, { backendPoolIds: [backendPoolId(lb5, 'bep-lesson05')] });
  vm(5, 2, { backendPoolIds: [backendPoolId(lb5, 'bep-lesson05')] });

  // Lesson 14: a branch VNet whose VPN gateway has a default site (forced tunnel) [DEFSITE].
  const branch = lesson(14);
  const branchVnetId = vnetId(branch, 'vnet-training-branch');
  const vgwPip = add(publicIp(branch, 'pip-vgw-training-branch', { ipAddress: '20.93.10.40' }));
  add(virtualNetworkGateway(branch, 'vgw-training-branch', {
    gatewaySubnetId: subnetId(branchVnetId, 'GatewaySubnet'), publicIp: vgwPip,
    gatewayDefaultSiteId: armId(branch, 'Microsoft.Network/localNetworkGateways', 'lng-training-hq'),
  }));
  add(virtualNetwork(branch, 'vnet-training-branch', ['10.61.0.0/22'], [
    { name: 'GatewaySubnet', addressPrefix: '10.61.0.0/27' },
    lessonSubnet(14, { addressPrefix: '10.61.1.0/24' }),
  ]));
  add(networkInterface(branch, 'nic-vm-lesson14-01', { subnetId: subnetId(branchVnetId, TRAINING_TOUR[13]?.subnetName ?? ''), privateIp: '10.61.1.4', vmName: 'vm-lesson14-01' }));

  // Lessons 15, 16: a secured Virtual WAN hub with routing intent Internet → hub firewall [VWAN].
  const wanScope = lesson(15);
  const hubId = virtualHubId(wanScope, 'vhub-training-weu');
  const wanId = armId(wanScope, 'Microsoft.Network/virtualWans', 'vwan-training');
  const hubFirewallId = azureFirewallId(wanScope, 'afw-vhub-training');
  add(virtualWan(wanScope, 'vwan-training', [hubId]));
  add(virtualHub(wanScope, 'vhub-training-weu', { virtualWanId: wanId, addressPrefix: '10.62.0.0/23', azureFirewallId: hubFirewallId }));
  add(azureFirewall(wanScope, 'afw-vhub-training', { virtualHubId: hubId, hubPrivateIp: '10.62.0.132', hubPublicIps: ['20.93.20.1', '20.93.20.2'], policy }));
  add(routingIntent(hubId, 'hubRoutingIntent', [{ name: 'InternetTraffic', destinations: ['Internet'], nextHop: hubFirewallId }]));
  const spokes = [
    { n: 15, vnet: 'vnet-training-vwan-spoke-a', prefix: '10.63.0.0/24', subnetPrefix: '10.63.0.0/25', ip: '10.63.0.4', conn: 'conn-spoke-a', security: true },
    { n: 16, vnet: 'vnet-training-vwan-spoke-b', prefix: '10.64.0.0/24', subnetPrefix: '10.64.0.0/25', ip: '10.64.0.4', conn: 'conn-spoke-b', security: false },
  ];
  for (const s of spokes) {
    const scope = lesson(s.n);
    const id = vnetId(scope, s.vnet);
    add(virtualNetwork(scope, s.vnet, [s.prefix], [lessonSubnet(s.n, { addressPrefix: s.subnetPrefix })]));
    add(hubVirtualNetworkConnection(hubId, s.conn, { remoteVirtualNetworkId: id, enableInternetSecurity: s.security }));
    add(networkInterface(scope, `nic-vm-lesson${s.n}-01`, { subnetId: subnetId(id, TRAINING_TOUR[s.n - 1]?.subnetName ?? ''), privateIp: s.ip, vmName: `vm-lesson${s.n}-01` }));
  }

  // Lesson 18: the NIC's captured effective routes carry only system routes: the route table the
  // configuration shows is not applied.
  const effectiveRoutes: readonly CapturedRoutes[] = [
    { networkInterfaceId: nicId(18, 1), routes: systemEffectiveRoutes(LESSONS_PREFIXES).map(effectiveRoute) },
  ];
  return { resources, effectiveRoutes };
}
