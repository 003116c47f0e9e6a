/**
 * Estate-level findings: what only shows when looking across paths (a subnet that bypasses the
 * firewall its neighbours use), SNAT capacity (metrics when captured, static limits otherwise) and
 * configuration mistakes that are visible without walking a path [§11 of the egress rules].
 */
import type { ResourceId } from '../model/ids';
import type { ModelIndex } from '../model/model-index';
import type { ResourceMetric } from '../model/snapshot';
import type { AzureFirewall, Subnet } from '../model/topology';
import { lookupRoute } from '../routing/lpm';
import type { RouteSetBuilder } from '../routing/subnet-routes';
import { DELEGATION_DOCS, standardV2UnsupportedServices } from './delegation';
import { DOCS } from './docs';
import { FIREWALL_MIN_INSTANCES, FIREWALL_SNAT_PORTS_PER_IP_PER_INSTANCE, firewallMinimumSnatPorts } from './outbound';
import { isPlatformSubnet } from './platform';
import type { EgressPath, Finding } from './types';

/** A firewall with one public IP and no NAT gateway serving more subnets than this gets a capacity warning. */
export const FIREWALL_SUBNETS_PER_PUBLIC_IP_WARNING = 10;
/** Azure Firewall `SNATPortUtilization` (percent) at or above which SNAT exhaustion is near [FWMET]. */
export const FIREWALL_SNAT_UTILIZATION_WARNING_PERCENT = 80;


export interface EstateFindings {
  readonly findings: readonly Finding[];
  /** Findings that also belong on every path passing the resource (e.g. SNAT exhaustion of its NAT gateway). */
  readonly byResource: ReadonlyMap<string, readonly Finding[]>;
}

/** `a, b, c` or `a, b, c and 12 more`: messages stay readable in large estates (resourceIds list them all). */
function listNames(names: readonly string[], max = 10): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** A subnet that reaches the internet directly while others in its VNet go through a firewall/NVA: the exfiltration path. */
function firewallBypass(index: ModelIndex, paths: readonly EgressPath[]): Finding[] {
  const appliances = new Set<string>();
  for (const p of paths) for (const v of p.via) if (v.kind === 'nva') appliances.add(v.id);
  // NVA NICs passed: their subnets are appliance subnets, not bypasses. (Firewall subnets are platform subnets.)
  const applianceSubnets = new Set<string>();
  for (const id of appliances) {
    const nic = index.networkInterfaces.get(id as ResourceId);
    for (const c of nic?.ipConfigurations ?? []) if (c.subnetId) applianceSubnets.add(c.subnetId);
  }
  const byVnet = new Map<string, { inspected: EgressPath[]; direct: EgressPath[] }>();
  for (const path of paths) {
    if (path.source.type !== 'subnet' || path.verdict !== 'internet') continue;
    const subnet = index.subnets.get(path.source.id as ResourceId);
    if (!subnet || isPlatformSubnet(subnet) || applianceSubnets.has(subnet.id)) continue;
    const group = byVnet.get(subnet.virtualNetworkId) ?? { inspected: [], direct: [] };
    (path.via.length > 0 ? group.inspected : group.direct).push(path);
    byVnet.set(subnet.virtualNetworkId, group);
  }
  const findings: Finding[] = [];
  for (const [vnetId, { inspected, direct }] of [...byVnet].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (inspected.length === 0 || direct.length === 0) continue;
    const through = [...new Set(inspected.flatMap((p) => p.via.map((v) => v.id)))];
    findings.push({
      code: 'firewall-bypass', severity: 'warning',
      message: `In virtual network ${index.virtualNetworks.get(vnetId as ResourceId)?.name ?? vnetId}, ${listNames(direct.map((p) => p.source.name))} reach${direct.length === 1 ? 'es' : ''} the internet directly while ${inspected.length} other subnet(s) go through ${through.length} firewall/NVA(s): a path around inspection.`,
      advice: 'Associate the route table that sends 0.0.0.0/0 to the firewall with these subnets, or document why they are exempt.',
      resourceIds: [...direct.map((p) => p.source.id), ...through], docs: DOCS.udr,
    });
  }
  return findings;
}

/**
 * A secured virtual hub firewall (AZFW_Hub): "Azure NAT Gateway isn't supported in a secured virtual
 * hub network (vWAN) architecture" [NATRES][FWNAT], so its SNAT capacity grows only with public IPs.
 * https://learn.microsoft.com/azure/firewall/integrate-with-nat-gateway
 */
function isHubFirewall(firewall: AzureFirewall): boolean {
  return firewall.skuName === 'AZFW_Hub' || firewall.virtualHubId !== null;
}

/** SNAT capacity advice for a firewall: a NAT gateway on AzureFirewallSubnet only where one is supported. */
function firewallCapacityAdvice(hub: boolean): string {
  return hub
    ? 'Add public IPs to the secured-hub firewall (2,496 SNAT ports per public IP per instance), or reduce connection churn (connection pooling, Private Link for PaaS).'
    : 'Attach a NAT gateway to AzureFirewallSubnet (64,512 ports per IP) or add public IPs to the firewall.';
}

type MetricResourceKind = 'NAT gateway' | 'Azure Firewall' | 'Load balancer' | 'Resource';

/** What a metric belongs to, from the model or else the resource type in its (lower-case) ID. */
function metricResourceKind(metric: ResourceMetric, index: ModelIndex): MetricResourceKind {
  const id = metric.resourceId;
  if (index.natGateways.has(id) || id.includes('/microsoft.network/natgateways/')) return 'NAT gateway';
  if (index.azureFirewalls.has(id) || id.includes('/microsoft.network/azurefirewalls/')) return 'Azure Firewall';
  if (index.loadBalancers.has(id) || id.includes('/microsoft.network/loadbalancers/')) return 'Load balancer';
  return 'Resource';
}

function metricFinding(metric: ResourceMetric, index: ModelIndex): Finding | null {
  const name = metric.metricName.toLowerCase();
  const kind = metricResourceKind(metric, index);
  const firewall = index.azureFirewalls.get(metric.resourceId);
  const resourceName = index.natGateways.get(metric.resourceId)?.name ?? firewall?.name ?? index.loadBalancers.get(metric.resourceId)?.name ?? metric.resourceId;
  const window = `${metric.windowStart} – ${metric.windowEnd}`;
  if (name === 'snatconnectioncount' && (metric.filter ?? '').toLowerCase().includes('failed') && metric.value > 0) {
    if (kind === 'Load balancer') {
      // A load balancer's SNAT ports come from its frontend IPs (64,000 each) and the outbound
      // rules' allocatedOutboundPorts (or the default table by pool size) [LBMET][LBOUT][LBRULES]:
      // the remedy is on the load balancer, not another resource's public IPs.
      // https://learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections
      return { code: 'snat-capacity', severity: 'error', message: `Load balancer ${resourceName}: ${metric.value} failed SNAT connections (${window}) suggest SNAT port exhaustion on its outbound frontends.`,
        advice: 'Add frontend public IPs (or a public IP prefix) to the load balancer\'s outbound rule and raise allocatedOutboundPorts there (an outbound rule instead of load-balancing-rule SNAT), or reduce connection churn (connection pooling, Private Link for PaaS).',
        resourceIds: [metric.resourceId], docs: DOCS.lbOutboundConnections };
    }
    return { code: 'snat-capacity', severity: 'error', message: `${kind} ${resourceName}: ${metric.value} failed SNAT connections (${window}) suggest SNAT port exhaustion or the connection limit.`,
      advice: 'Add public IPs or a prefix to the NAT gateway, or reduce connection churn (connection pooling, Private Link for PaaS).', resourceIds: [metric.resourceId], docs: DOCS.natGatewayMetrics };
  }
  if (name === 'packetdropcount' && metric.value > 0) {
    return { code: 'snat-capacity', severity: 'warning', message: `${kind} ${resourceName}: ${metric.value} dropped packets (${window}).`,
      advice: 'Check SNAT connection failures and the connection limits of the NAT gateway.', resourceIds: [metric.resourceId], docs: DOCS.natGatewayMetrics };
  }
  if (name === 'snatportutilization' && metric.value >= FIREWALL_SNAT_UTILIZATION_WARNING_PERCENT) {
    return { code: 'snat-capacity', severity: 'warning', message: `${kind} ${resourceName}: SNAT port utilization reached ${metric.value}% (${window}).`,
      advice: firewallCapacityAdvice(firewall !== undefined && isHubFirewall(firewall)), resourceIds: [metric.resourceId], docs: DOCS.firewallNatGateway };
  }
  return null;
}

/** The shared SNAT ports of a firewall with one public IP, as a floor (see staticFirewallCapacity). */
const FLOOR = `at least ${firewallMinimumSnatPorts(1).toLocaleString('en-US')} SNAT ports (${FIREWALL_SNAT_PORTS_PER_IP_PER_INSTANCE.toLocaleString('en-US')} per instance, `
  + `${FIREWALL_MIN_INSTANCES} instances at minimum; more as the firewall scales out, an instance count the input does not give)`;

/**
 * A firewall with one public IP and no NAT gateway serving many subnets: 2,496 SNAT ports per
 * public IP per instance, "Minimum of two instances" [FWNAT], so all of them share as few as 4,992.
 * The instance count is not in the input and grows as the firewall scales out, so the message states
 * a floor ("at least"); the warning stands on the floor, the capacity the subnets can count on.
 */
function staticFirewallCapacity(index: ModelIndex, paths: readonly EgressPath[]): Finding[] {
  const served = new Map<string, Set<string>>();
  for (const path of paths) {
    if (path.source.type !== 'subnet' || path.verdict !== 'internet' || path.exit !== 'public-ip') continue;
    const last = path.via[path.via.length - 1];
    if (!last || last.kind !== 'azure-firewall') continue;
    served.set(last.id, (served.get(last.id) ?? new Set()).add(path.source.id));
  }
  const findings: Finding[] = [];
  for (const [firewallId, subnets] of [...served].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const firewall = index.azureFirewalls.get(firewallId as ResourceId);
    if (!firewall) continue;
    const publicIps = firewall.hubPublicIpAddresses.length || firewall.ipConfigurations.filter((c) => c.publicIpAddressId !== null).length;
    if (publicIps !== 1 || subnets.size <= FIREWALL_SUBNETS_PER_PUBLIC_IP_WARNING) continue;
    const hub = isHubFirewall(firewall);
    findings.push({ code: 'snat-capacity', severity: 'warning',
      message: hub
        ? `Secured-hub Azure Firewall ${firewall.name} has one public IP but is the internet exit of ${subnets.size} subnets: they share ${FLOOR}.`
        : `Azure Firewall ${firewall.name} has one public IP and no NAT gateway but is the internet exit of ${subnets.size} subnets: they share ${FLOOR}.`,
      advice: firewallCapacityAdvice(hub), resourceIds: [firewall.id], docs: DOCS.firewallNatGateway });
  }
  return findings;
}

function isDefaultRoutePrefix(prefix: string): boolean {
  return prefix.trim() === '0.0.0.0/0';
}

/**
 * Whether the hub's 0.0.0.0/0 is the route the subnet's internet traffic takes, read from the route
 * set the engine walks, so the finding and the path never disagree: the route builder adds that
 * route only where the engine does (routing intent's Internet policy, or a classic secured hub's
 * 0/0 → its firewall in the associated table with nothing else that could give one:
 * hubDefaultRouteSources; "Propagate default route" true; a route table that propagates gateway
 * routes: learnsGatewayRoutes) and longest-prefix match decides whether a UDR beats it [UDR]
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
 * With captured effective routes the captured winner must lead to the hub router too.
 */
function hubDefaultRouteTakesInternet(routes: RouteSetBuilder, subnet: Subnet, hubId: ResourceId): boolean {
  const computed = lookupRoute(routes.computedRoutesFor(subnet).routes, INTERNET, { candidates: false }).winner;
  if (computed?.origin !== 'vwan-hub' || computed.resourceId !== hubId) return false;
  const used = routes.routesFor(subnet);
  if (used.capturedFromNicId === null) return true;
  const winner = lookupRoute(used.routes, INTERNET, { candidates: false }).winner;
  return winner?.nextHop.kind === 'known' && winner.nextHop.type === 'VirtualNetworkGateway';
}

const INTERNET = { kind: 'default-route' } as const;

/** Misconfigurations visible on the configuration alone [§11]. */
function staticMisconfigurations(index: ModelIndex, routes: RouteSetBuilder): Finding[] {
  const findings: Finding[] = [];
  for (const subnet of index.model.subnets) {
    const name = subnet.name.toLowerCase();
    const table = subnet.routeTableId ? index.routeTables.get(subnet.routeTableId) : undefined;
    if (name === 'gatewaysubnet') {
      if (subnet.natGatewayId) {
        findings.push({ code: 'nat-gateway-on-gateway-subnet', severity: 'error', message: `GatewaySubnet ${subnet.id} has a NAT gateway, which is not supported there.`,
          advice: 'Remove the NAT gateway from GatewaySubnet.', resourceIds: [subnet.id, subnet.natGatewayId], docs: DOCS.natGatewayResource });
      }
      const defaultUdr = table?.routes.find((r) => isDefaultRoutePrefix(r.addressPrefix));
      if (defaultUdr || table?.disableBgpRoutePropagation) {
        findings.push({ code: 'gateway-subnet-default-route', severity: 'error',
          message: defaultUdr ? `GatewaySubnet ${subnet.id} has a 0.0.0.0/0 UDR (${defaultUdr.name} → ${defaultUdr.nextHopType}), which is not supported.` : `GatewaySubnet ${subnet.id} has gateway route propagation disabled, which breaks the gateway.`,
          advice: 'Remove the 0.0.0.0/0 route and keep route propagation enabled on GatewaySubnet.', resourceIds: [subnet.id, ...(table ? [table.id] : [])], docs: DOCS.udr });
      }
    }
    const nat = subnet.natGatewayId ? index.natGateways.get(subnet.natGatewayId) : undefined;
    const unsupported = nat ? standardV2UnsupportedServices(subnet, nat) : [];
    if (nat && unsupported.length > 0) {
      // "StandardV2 NAT Gateway doesn't support and can't be attached to delegated subnets" of these
      // services [NATOV]: the configuration the input shows is one Azure documents as impossible.
      findings.push({ code: 'nat-gateway-v2-unsupported-delegation', severity: 'error',
        message: `Subnet ${subnet.name} is delegated to ${unsupported.join(', ')} and has StandardV2 NAT gateway ${nat.name}, which doesn't support and can't be attached to subnets delegated to ${unsupported.length > 1 ? 'these services' : 'this service'}.`,
        advice: 'Use a Standard NAT gateway on the subnet (where the service supports one), or route its traffic to a firewall.', resourceIds: [subnet.id, nat.id], docs: DELEGATION_DOCS.natGatewayStandardV2 });
    }
    if (subnet.natGatewayId) {
      const hub = index.hubConnections.get(subnet.virtualNetworkId);
      // "Propagate gateway routes" = No keeps every Virtual WAN route, the hub's 0/0 included, off the
      // subnet https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies: a route table
      // the input lacks leaves that open (the path is unknown, naming it), so nothing is asserted.
      const tableMissing = subnet.routeTableId !== null && table === undefined;
      const secured = hub && !tableMissing && routes.learnsGatewayRoutes(subnet) && hubDefaultRouteTakesInternet(routes, subnet, hub.hub.id);
      if (secured) {
        findings.push({ code: 'secured-hub-nat-gateway', severity: 'warning',
          message: `Subnet ${subnet.name} has a NAT gateway but its VNet is connected to secured hub ${hub.hub.name} with internet security on: the hub's 0.0.0.0/0 takes its internet traffic and NAT gateway is not supported in a secured-hub design.`,
          advice: 'Decide on one egress: remove the NAT gateway, or turn off "Propagate default route" on the hub connection.', resourceIds: [subnet.id, subnet.natGatewayId, hub.hub.id], docs: DOCS.natGatewayResource });
      }
    }
  }
  for (const lb of [...index.model.loadBalancers].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const isPublic = lb.frontendIpConfigurations.some((f) => f.publicIpAddressId !== null || f.publicIpPrefixId !== null);
    if (!isPublic) continue;
    for (const pool of lb.backendAddressPools) {
      if (pool.backendIpAddresses.length === 0) continue;
      findings.push({ code: 'ip-based-backend-pool', severity: 'warning',
        message: `Load balancer ${lb.name} pool ${pool.name} is IP-address based: its members get no outbound SNAT from the load balancer and fall back to default outbound access (or none in a private subnet).`,
        advice: 'Use a NIC-based backend pool, or give the subnet a NAT gateway.', resourceIds: [lb.id, pool.id], docs: DOCS.lbOutboundRules });
    }
  }
  return findings;
}

/** Snapshot-level drift: how many subnets' captured effective routes disagree with the configuration. */
function driftSummary(paths: readonly EgressPath[]): Finding[] {
  const drifted = paths.filter((p) => p.source.type === 'subnet' && p.findings.some((f) => f.code === 'route-drift'));
  if (drifted.length === 0) return [];
  return [{
    code: 'route-drift', severity: 'warning',
    message: `${drifted.length} subnet(s) have captured effective routes that disagree with the configuration in the snapshot (${listNames(drifted.map((p) => p.source.name))}); the captured routes were used.`,
    advice: 'Re-capture the effective routes, or look for route table, BGP or peering changes since the capture.',
    resourceIds: drifted.map((p) => p.source.id), docs: DOCS.effectiveRoutes,
  }];
}

/** All estate-level findings, in a stable order. */
export function estateFindings(index: ModelIndex, routes: RouteSetBuilder, paths: readonly EgressPath[], metrics: readonly ResourceMetric[]): EstateFindings {
  const byResource = new Map<string, Finding[]>();
  const metricFindings: Finding[] = [];
  for (const metric of [...metrics].sort((a, b) => (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : a.metricName < b.metricName ? -1 : 1))) {
    const finding = metricFinding(metric, index);
    if (!finding) continue;
    metricFindings.push(finding);
    byResource.set(metric.resourceId, [...(byResource.get(metric.resourceId) ?? []), finding]);
  }
  return {
    findings: [...firewallBypass(index, paths), ...driftSummary(paths), ...metricFindings, ...staticFirewallCapacity(index, paths), ...staticMisconfigurations(index, routes)],
    byResource,
  };
}
