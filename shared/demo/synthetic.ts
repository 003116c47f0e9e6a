/**
 * A seeded generator of large, realistic estates in ARM REST shape, for the bench (100
 * subscriptions / 2,000 VNets / 20,000 subnets / 100,000 NICs in a few seconds) and for the fake
 * Azure server used by live-pull tests. Pure and deterministic: same options, same JSON.
 *
 * Each subscription is a hub-spoke landing zone: the hub VNet holds an Azure Firewall (its
 * AzureFirewallSubnet egresses through a NAT gateway with two public IPs) and a VPN gateway; the
 * spokes mix the patterns real estates have: UDR 0/0 → firewall (most), a spoke NAT gateway, a NAT
 * gateway bypassed by the UDR, instance public IPs, a public LB outbound-rule pool, default outbound
 * access and private subnets with no method. Every resource's subscription is in its ID, so a fake
 * ARM server can serve the estate one subscription at a time (see `resourcesBySubscription`).
 */
import {
  armId, azureFirewall, backendPoolId, defaultRouteTo, effectiveRoute, firewallPolicy, loadBalancer,
  loadBalancerId, natGateway, networkInterface, nicIpConfigId, publicIp, routeTable, ruleCollectionGroup,
  subnetId, systemEffectiveRoutes, virtualNetwork, virtualNetworkGateway, vnetId,
  type ArmResource, type EffectiveRouteSpec, type PeeringSpec, type Scope, type SubnetSpec,
} from './arm-builders';

export interface SyntheticEstateOptions {
  readonly subscriptions: number;
  /** Total over all subscriptions (at least one per subscription: its hub). */
  readonly virtualNetworks: number;
  /** Total over all VNets. */
  readonly subnets: number;
  /** Total over all workload subnets. */
  readonly networkInterfaces: number;
  readonly seed: number;
  /** Capture effective routes for one NIC in every N-th subscription (default 1: every subscription). */
  readonly effectiveRoutesEvery?: number;
}

export interface SyntheticEstate {
  /** ARM REST-shaped resources. */
  readonly resources: readonly unknown[];
  /** Captured effective routes keyed by NIC resource ID (the normalizer's bundle form). */
  readonly effectiveRouteTables: Readonly<Record<string, { readonly value: readonly unknown[] }>>;
}

/** mulberry32: small, fast, good enough to pick patterns; deterministic per seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `total` into `parts` near-equal integers (the first ones get the remainder). */
function spread(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Deterministic GUID-shaped subscription ID for index i. */
export function syntheticSubscriptionId(seed: number, index: number): string {
  const hex = (n: number, width: number): string => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
  const r = prng(seed * 7919 + index);
  const words = [r(), r(), r(), r()].map((x) => Math.floor(x * 0xffffffff));
  return `${hex(words[0] ?? 0, 8)}-${hex(index, 4)}-4${hex(words[1] ?? 0, 3)}-8${hex(words[2] ?? 0, 3)}-${hex(words[3] ?? 0, 8)}${hex(index, 4)}`;
}

function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Public IPs come from 20.0.0.0/8 in order: unique, deterministic, routable-looking. */
function publicIpAllocator(): () => string {
  let next = (20 << 24) + 256;
  return () => ipv4(next++ >>> 0);
}

type SpokeSubnetPattern = 'udr-firewall' | 'nat' | 'nat-bypassed' | 'public-ip' | 'lb-outbound' | 'default-outbound' | 'private-no-method';

/** Roughly what estates look like: most spokes route to the hub firewall. */
const PATTERN_WEIGHTS: readonly (readonly [SpokeSubnetPattern, number])[] = [
  ['udr-firewall', 0.55], ['nat', 0.1], ['nat-bypassed', 0.07], ['public-ip', 0.06],
  ['lb-outbound', 0.08], ['default-outbound', 0.09], ['private-no-method', 0.05],
];

function pickPattern(random: () => number): SpokeSubnetPattern {
  let x = random();
  for (const [pattern, weight] of PATTERN_WEIGHTS) {
    if (x < weight) return pattern;
    x -= weight;
  }
  return 'udr-firewall';
}

const TEAMS = ['payments', 'identity', 'logistics', 'analytics', 'web', 'erp', 'iot', 'ml', 'crm', 'hr'];
const ENVIRONMENTS = ['prod', 'prod', 'staging', 'dev'];
const REGIONS = ['westeurope', 'northeurope', 'eastus2', 'uksouth', 'swedencentral'];

interface SubnetPlan {
  readonly spec: SubnetSpec;
  readonly pattern: SpokeSubnetPattern | 'hub-shared' | 'infrastructure';
  readonly firstHost: number;
  readonly hostCount: number;
}

interface VnetLayout {
  readonly networkBase: number;
  readonly subnetPrefixLength: number;
}

/** Each VNet gets a /20 of 10.0.0.0/8 (wrapping after 4,096 VNets); subnets split it evenly. */
function vnetLayout(globalVnetIndex: number, subnetCount: number): VnetLayout {
  const networkBase = ((10 << 24) + (globalVnetIndex % 4096) * 4096) >>> 0;
  const bits = Math.max(0, Math.ceil(Math.log2(Math.max(1, subnetCount))));
  return { networkBase, subnetPrefixLength: Math.min(29, 20 + bits) };
}

/** Generates the whole estate. */
export function generateSyntheticEstate(options: SyntheticEstateOptions): SyntheticEstate {
  const subscriptions = Math.max(1, Math.floor(options.subscriptions));
  const vnetsPerSub = spread(Math.max(subscriptions, Math.floor(options.virtualNetworks)), subscriptions);
  const totalVnets = vnetsPerSub.reduce((a, b) => a + b, 0);
  const subnetsPerVnet = spread(Math.max(totalVnets, Math.floor(options.subnets)), totalVnets);
  const random = prng(options.seed);
  const nextPublicIp = publicIpAllocator();
  const resources: ArmResource[] = [];
  const effectiveRouteTables: Record<string, { readonly value: readonly unknown[] }> = {};

  // Phase 1: plan every subnet (so NICs can be spread exactly over the workload subnets).
  interface VnetPlan { readonly sub: number; readonly index: number; readonly scope: Scope; readonly name: string; readonly id: string; readonly prefix: string; readonly subnets: SubnetPlan[] }
  const vnetPlans: VnetPlan[] = [];
  let globalVnet = 0;
  for (let s = 0; s < subscriptions; s++) {
    const subscriptionId = syntheticSubscriptionId(options.seed, s);
    const region = REGIONS[s % REGIONS.length] ?? 'westeurope';
    for (let v = 0; v < (vnetsPerSub[s] ?? 0); v++, globalVnet++) {
      const team = v === 0 ? 'connectivity' : TEAMS[(s + v) % TEAMS.length] ?? 'apps';
      const scope: Scope = {
        subscriptionId,
        resourceGroup: v === 0 ? `rg-hub-network-${region}` : `rg-${team}-${String(v).padStart(2, '0')}-${region}`,
        location: region,
        tags: {
          owner: `${team}-team@contoso.example`,
          costCenter: `CC-${1000 + ((s * 37 + v) % 9000)}`,
          environment: v === 0 ? 'prod' : ENVIRONMENTS[(s + v) % ENVIRONMENTS.length] ?? 'prod',
        },
      };
      const name = v === 0 ? `vnet-hub-${String(s).padStart(3, '0')}-${region}` : `vnet-${team}-${String(s).padStart(3, '0')}-${String(v).padStart(2, '0')}`;
      const subnetCount = subnetsPerVnet[globalVnet] ?? 1;
      const layout = vnetLayout(globalVnet, subnetCount);
      const subnetSize = 2 ** (32 - layout.subnetPrefixLength);
      const subnets: SubnetPlan[] = [];
      for (let n = 0; n < subnetCount; n++) {
        const network = (layout.networkBase + n * subnetSize) >>> 0;
        const addressPrefix = `${ipv4(network)}/${layout.subnetPrefixLength}`;
        // Azure reserves the first four addresses and the last one of every subnet.
        const firstHost = network + 4;
        const hostCount = Math.max(1, subnetSize - 5);
        if (v === 0 && n === 0) subnets.push({ spec: { name: 'AzureFirewallSubnet', addressPrefix }, pattern: 'infrastructure', firstHost, hostCount });
        else if (v === 0 && n === 1) subnets.push({ spec: { name: 'GatewaySubnet', addressPrefix }, pattern: 'infrastructure', firstHost, hostCount });
        else if (v === 0) subnets.push({ spec: { name: `snet-shared-${String(n).padStart(2, '0')}`, addressPrefix }, pattern: 'hub-shared', firstHost, hostCount });
        else subnets.push({ spec: { name: `snet-${team}-${String(n).padStart(2, '0')}`, addressPrefix }, pattern: pickPattern(random), firstHost, hostCount });
      }
      vnetPlans.push({ sub: s, index: v, scope, name, id: vnetId(scope, name), prefix: `${ipv4(layout.networkBase)}/20`, subnets });
    }
  }
  const workloadSubnets = vnetPlans.reduce((count, v) => count + v.subnets.filter((p) => p.pattern !== 'infrastructure').length, 0);
  const nicsPerWorkloadSubnet = spread(Math.max(0, Math.floor(options.networkInterfaces)), Math.max(1, workloadSubnets));
  let workloadIndex = 0;

  // Phase 2: resources, one subscription at a time.
  const every = Math.max(1, Math.floor(options.effectiveRoutesEvery ?? 1));
  for (let s = 0; s < subscriptions; s++) {
    const vnets = vnetPlans.filter((v) => v.sub === s);
    const hubPlan = vnets[0];
    if (hubPlan === undefined) continue;
    const hub = hubPlan.scope;
    const firewallSubnet = hubPlan.subnets[0];
    const firewallIp = firewallSubnet === undefined ? '10.0.0.4' : ipv4(firewallSubnet.firstHost);

    // Hub: NAT gateway on AzureFirewallSubnet, firewall, policy, VPN gateway.
    const natIps = [0, 1].map((i) => publicIp(hub, `pip-ng-hub-egress-${i + 1}`, { ipAddress: nextPublicIp() }));
    const hubNat = natGateway(hub, 'ng-hub-egress', { publicIps: natIps, subnetIds: [subnetId(hubPlan.id, 'AzureFirewallSubnet')] });
    const fwPip = publicIp(hub, 'pip-afw-hub', { ipAddress: nextPublicIp() });
    const policy = firewallPolicy(hub, 'afwp-hub-egress', ['rcg-egress']);
    const rules = ruleCollectionGroup(hub, 'afwp-hub-egress', 'rcg-egress', 200, [{
      name: 'allow-web', priority: 200, action: 'Allow', rules: [
        { kind: 'network', name: 'https-out', ipProtocols: ['TCP'], sourceAddresses: ['10.0.0.0/8'], destinationAddresses: ['*'], destinationPorts: ['443'] },
        { kind: 'application', name: 'updates', sourceAddresses: ['10.0.0.0/8'], fqdnTags: ['WindowsUpdate'] },
      ],
    }]);
    const firewall = azureFirewall(hub, 'afw-hub', { subnetId: subnetId(hubPlan.id, 'AzureFirewallSubnet'), privateIp: firewallIp, publicIps: [fwPip], policy });
    resources.push(...natIps, hubNat, fwPip, policy, rules, firewall);
    if (hubPlan.subnets.length > 1) {
      const gwPip = publicIp(hub, 'pip-vgw-hub', { ipAddress: nextPublicIp() });
      resources.push(gwPip, virtualNetworkGateway(hub, 'vgw-hub', { gatewaySubnetId: subnetId(hubPlan.id, 'GatewaySubnet'), publicIp: gwPip, enableBgp: true, asn: 65000 + (s % 500) }));
    }
    const hubRoute = routeTable(hub, 'rt-shared-to-firewall', [defaultRouteTo(firewallIp)]);
    resources.push(hubRoute);

    let capturedThisSub = s % every !== 0;
    // The spokes' route tables stop gateway route propagation, so their captures show no learned
    // routes: a capture in the hub (propagation on) is what tells which routes the BGP gateway
    // learned, as `pull` samples one NIC per route signature. On-premises advertises its data
    // centre, no default route.
    const gatewaySubnet = hubPlan.subnets[1];
    let capturedHub = s % every !== 0 || hubPlan.subnets.length <= 1 || gatewaySubnet === undefined;
    for (const plan of vnets) {
      const scope = plan.scope;
      const isHub = plan.index === 0;
      const spokeRoute = isHub ? hubRoute : routeTable(scope, `rt-${plan.name}-egress`, [defaultRouteTo(firewallIp)], { disableBgpRoutePropagation: true });
      const patterns = new Set(plan.subnets.map((p) => p.pattern));
      const spokeNatIp = !isHub && (patterns.has('nat') || patterns.has('nat-bypassed'))
        ? publicIp(scope, `pip-ng-${plan.name}`, { ipAddress: nextPublicIp() })
        : null;
      const spokeNat = spokeNatIp === null ? null : natGateway(scope, `ng-${plan.name}`, { publicIps: [spokeNatIp] });
      const lbId = loadBalancerId(scope, `lbe-${plan.name}`);
      const poolId = backendPoolId(lbId, 'bep-workloads');
      const poolMembers: string[] = [];

      const subnetSpecs: SubnetSpec[] = plan.subnets.map((p): SubnetSpec => {
        switch (p.pattern) {
          case 'infrastructure': return p.spec.name === 'AzureFirewallSubnet' ? { ...p.spec, natGateway: hubNat } : p.spec;
          case 'hub-shared': return { ...p.spec, routeTable: hubRoute };
          case 'udr-firewall': return { ...p.spec, routeTable: spokeRoute };
          case 'nat': return spokeNat === null ? p.spec : { ...p.spec, natGateway: spokeNat, defaultOutboundAccess: false };
          case 'nat-bypassed': return spokeNat === null ? p.spec : { ...p.spec, natGateway: spokeNat, routeTable: spokeRoute };
          case 'public-ip': return p.spec;
          case 'lb-outbound': return { ...p.spec, defaultOutboundAccess: false };
          case 'default-outbound': return p.spec;
          case 'private-no-method': return { ...p.spec, defaultOutboundAccess: false };
        }
      });
      const peerings: PeeringSpec[] = isHub
        ? vnets.slice(1).map((spoke) => ({ name: `peer-hub-to-${spoke.name}`, remote: { id: spoke.id, addressPrefixes: [spoke.prefix] }, allowForwardedTraffic: true, allowGatewayTransit: true }))
        : [{ name: `peer-${plan.name}-to-hub`, remote: { id: hubPlan.id, addressPrefixes: [hubPlan.prefix] }, allowForwardedTraffic: true, useRemoteGateways: hubPlan.subnets.length > 1 }];
      resources.push(virtualNetwork(scope, plan.name, [plan.prefix], subnetSpecs, peerings));
      if (!isHub) resources.push(spokeRoute);
      if (spokeNatIp !== null && spokeNat !== null) resources.push(spokeNatIp, spokeNat);

      for (const p of plan.subnets) {
        if (p.pattern === 'infrastructure') continue;
        const count = nicsPerWorkloadSubnet[workloadIndex++] ?? 0;
        const sid = subnetId(plan.id, p.spec.name);
        for (let i = 0; i < count; i++) {
          const vm = `vm-${p.spec.name.slice(5)}-${String(s).padStart(3, '0')}${String(plan.index).padStart(2, '0')}-${String(i).padStart(3, '0')}`;
          const nicName = `nic-${vm}`;
          const privateIp = ipv4((p.firstHost + (i % p.hostCount)) >>> 0);
          if (p.pattern === 'public-ip') {
            const nicId = armId(scope, 'Microsoft.Network/networkInterfaces', nicName);
            const pip = publicIp(scope, `pip-${vm}`, { ipAddress: nextPublicIp(), ipConfigurationId: nicIpConfigId(nicId) });
            resources.push(pip, networkInterface(scope, nicName, { subnetId: sid, privateIp, vmName: vm, publicIp: pip }));
          } else if (p.pattern === 'lb-outbound') {
            const nic = networkInterface(scope, nicName, { subnetId: sid, privateIp, vmName: vm, backendPoolIds: [poolId] });
            poolMembers.push(nicIpConfigId(nic.id));
            resources.push(nic);
          } else {
            const nic = networkInterface(scope, nicName, { subnetId: sid, privateIp, vmName: vm });
            resources.push(nic);
            if (!capturedThisSub && p.pattern === 'udr-firewall') {
              capturedThisSub = true;
              effectiveRouteTables[nic.id] = { value: capturedSpokeRoutes(plan.prefix, hubPlan.prefix, firewallIp).map(effectiveRoute) };
            }
            if (!capturedHub && p.pattern === 'hub-shared' && gatewaySubnet !== undefined) {
              capturedHub = true;
              const spokePrefixes = vnets.slice(1).map((v) => v.prefix);
              effectiveRouteTables[nic.id] = { value: capturedHubRoutes(hubPlan.prefix, spokePrefixes, firewallIp, ipv4(gatewaySubnet.firstHost)).map(effectiveRoute) };
            }
          }
        }
      }
      if (poolMembers.length > 0) {
        const lbPip = publicIp(scope, `pip-lbe-${plan.name}`, { ipAddress: nextPublicIp(), ipConfigurationId: `${lbId}/frontendIPConfigurations/fe-public` });
        // 64,000 ports per frontend IP shared by the pool, in multiples of 8 [LBOUT].
        const ports = Math.max(8, Math.min(1024, Math.floor(64000 / poolMembers.length / 8) * 8));
        resources.push(lbPip, loadBalancer(scope, `lbe-${plan.name}`, {
          frontends: [{ name: 'fe-public', publicIp: lbPip }],
          backendPools: [{ name: 'bep-workloads', nicIpConfigIds: poolMembers }],
          rules: [{ name: 'https', frontend: 'fe-public', backendPool: 'bep-workloads', protocol: 'Tcp', frontendPort: 443, backendPort: 443, disableOutboundSnat: true }],
          outboundRules: [{ name: 'outbound', frontends: ['fe-public'], backendPool: 'bep-workloads', allocatedOutboundPorts: ports }],
        }));
      }
    }
  }
  return { resources, effectiveRouteTables };
}

/** What a spoke NIC behind the hub firewall really shows: the UDR wins, the system 0/0 is Invalid. */
function capturedSpokeRoutes(spokePrefix: string, hubPrefix: string, firewallIp: string): readonly EffectiveRouteSpec[] {
  return [
    ...systemEffectiveRoutes([spokePrefix]).map((r) => r.addressPrefix[0] === '0.0.0.0/0' ? { ...r, state: 'Invalid' as const } : r),
    { source: 'Default', addressPrefix: [hubPrefix], nextHopType: 'VNetPeering' },
    { source: 'User', name: 'default-to-hub-firewall', addressPrefix: ['0.0.0.0/0'], nextHopType: 'VirtualAppliance', nextHopIpAddress: [firewallIp] },
  ];
}

/** A hub subnet's capture: its UDR to the firewall, the peered spokes, and what the gateway learned over BGP. */
function capturedHubRoutes(hubPrefix: string, spokePrefixes: readonly string[], firewallIp: string, gatewayIp: string): readonly EffectiveRouteSpec[] {
  return [
    ...systemEffectiveRoutes([hubPrefix]).map((r) => r.addressPrefix[0] === '0.0.0.0/0' ? { ...r, state: 'Invalid' as const } : r),
    ...spokePrefixes.map((prefix): EffectiveRouteSpec => ({ source: 'Default', addressPrefix: [prefix], nextHopType: 'VNetPeering' })),
    { source: 'VirtualNetworkGateway', addressPrefix: ['172.20.0.0/16'], nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: [gatewayIp] },
    { source: 'User', name: 'default-to-hub-firewall', addressPrefix: ['0.0.0.0/0'], nextHopType: 'VirtualAppliance', nextHopIpAddress: [firewallIp] },
  ];
}

/** Groups generated resources by the subscription in their ID (for a per-subscription fake ARM). */
export function resourcesBySubscription(resources: readonly unknown[]): ReadonlyMap<string, readonly unknown[]> {
  const groups = new Map<string, unknown[]>();
  for (const r of resources) {
    const id = typeof r === 'object' && r !== null && 'id' in r && typeof r.id === 'string' ? r.id : '';
    const sub = (id.split('/')[2] ?? '').toLowerCase();
    const list = groups.get(sub) ?? [];
    list.push(r);
    groups.set(sub, list);
  }
  return groups;
}
