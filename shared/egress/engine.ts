/**
 * The forwarding walk: from a source subnet (or NIC), through NSGs, the winning route and every
 * appliance or gateway it leads to, until the packet leaves for the internet, goes on-premises, or
 * is dropped or denied. Each step records the hop that decided it (rule, explanation, docs,
 * verify command): the evidence is produced by the same code that decides.
 */
import type { ResourceId } from '../model/ids';
import { formatCidr, parseCidr, cidrContainsIp, parseIp } from '../model/ip';
import type { Cidr, IpAddress } from '../model/ip';
import type { ModelIndex, PrivateIpOwner } from '../model/model-index';
import type {
  AzureFirewall, LoadBalancer, LoadBalancerFrontend, NetworkInterface, NicIpConfiguration, SecurityRule, Subnet, VirtualHub, VirtualNetwork,
} from '../model/topology';
import { lookupRoute } from '../routing/lpm';
import type { RouteLookup } from '../routing/lpm';
import { describeRoute, nextHopLabel } from '../routing/route';
import type { ComputedRoute, RouteSet } from '../routing/route';
import { gatewayDomainOf } from '../routing/subnet-routes';
import { describeDestination, toRouteDestination } from './destination';
import { DOCS, VERIFY } from './docs';
import { addGap, makeHop, memoize, NO_EXIT, Trail } from './trail';
import type { Continuation, EngineContext, OwnerLookup, Outcome } from './trail';
import { evaluateFirewallRules, firewallRuleSet, prepareRuleSet } from './firewall-rules';
import { evaluateNsg } from './nsg';
import { isPlatformSubnet } from './platform';
import { chooseOutboundMethod, methodEgress, primaryIpConfiguration, FIREWALL_MIN_INSTANCES, FIREWALL_SNAT_PORTS_PER_IP_PER_INSTANCE } from './outbound';
import type { MethodEgress, OutboundMethod, Sender } from './outbound';
import type { ExitMethod, Hop } from './types';

/** Appliance chains deeper than this are reported as a loop: no real design chains this many. */
export const MAX_APPLIANCE_DEPTH = 8;

function verifyRoutes(subnet: Subnet, set: RouteSet): string {
  if (set.capturedFromNicId) return VERIFY.effectiveRoutes(set.capturedFromNicId);
  return set.routeTableId ? VERIFY.routeTable(set.routeTableId) : VERIFY.subnet(subnet.id);
}

function lookup(ctx: EngineContext, set: RouteSet): RouteLookup {
  const cached = ctx.lookups.get(set);
  if (cached) return cached;
  const result = lookupRoute(set.routes, toRouteDestination(ctx.traffic.destination));
  ctx.lookups.set(set, result);
  return result;
}

function routeSignature(route: ComputedRoute | null): string {
  if (!route) return 'no route';
  const ip = route.nextHop.kind === 'known' && route.nextHop.type === 'VirtualAppliance' ? ` ${route.nextHopIpAddress ?? ''}` : '';
  return `${route.cidr ? formatCidr(route.cidr) : route.addressPrefix} → ${nextHopLabel(route.nextHop)}${ip}`;
}

/** Captured effective routes override the model; when they disagree on what matters, say so. */
function checkDrift(ctx: EngineContext, trail: Trail, subnet: Subnet, set: RouteSet, captured: RouteLookup): void {
  if (!set.capturedFromNicId) return;
  const computedSet = ctx.routes.computedRoutesFor(subnet);
  const destinations = ctx.traffic.destination.kind === 'default-route'
    ? [{ label: '0.0.0.0/0', captured, computed: lookupRoute(computedSet.routes, { kind: 'default-route' }) }]
    : [
        { label: ctx.traffic.destination.text, captured, computed: lookupRoute(computedSet.routes, toRouteDestination(ctx.traffic.destination)) },
        { label: '0.0.0.0/0', captured: lookupRoute(set.routes, { kind: 'default-route' }), computed: lookupRoute(computedSet.routes, { kind: 'default-route' }) },
      ];
  for (const d of destinations) {
    // Service-endpoint prefixes are not in the model: a captured service-endpoint winner is not drift.
    const capturedHop = d.captured.winner?.nextHop;
    if (capturedHop?.kind === 'known' && capturedHop.type === 'VirtualNetworkServiceEndpoint' && subnet.serviceEndpoints.length > 0) continue;
    const capturedText = routeSignature(d.captured.winner);
    const computedText = routeSignature(d.computed.winner);
    if (capturedText === computedText) continue;
    trail.finding('route-drift', 'warning',
      `Subnet ${subnet.name}: for ${d.label} the captured effective routes (NIC ${set.capturedFromNicId}) use "${capturedText}" but the configuration in the snapshot gives "${computedText}". The captured routes were used.`,
      'Re-capture the effective routes, or check for changes since the capture (route table edits, BGP advertisements, peering state).',
      [subnet.id, set.capturedFromNicId], DOCS.effectiveRoutes);
  }
}

function explainLookup(ctx: EngineContext, result: RouteLookup, set: RouteSet): string {
  const winner = result.winner;
  if (!winner) return '';
  const where = set.capturedFromNicId ? 'the captured effective routes' : 'the routes computed from the configuration';
  const losers = result.candidates.filter((c) => c.lostBecause !== null).slice(0, 3)
    .map((c) => `${describeRoute(c.route)} lost: ${c.lostBecause}`);
  return `Longest prefix match for ${describeDestination(ctx.traffic.destination)} (using ${where}) picks ${describeRoute(winner)} (source ${winner.source}).`
    + (losers.length > 0 ? ` Overridden: ${losers.join('; ')}.` : '');
}

function routeHopId(subnet: Subnet, route: ComputedRoute): string {
  return route.resourceId ?? subnet.routeTableId ?? subnet.id;
}

/** Walks on from a subnet: route lookup, then the next hop's handler. */
export function forward(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender): Outcome {
  const set = ctx.routes.routesFor(subnet);
  const result = lookup(ctx, set);
  checkDrift(ctx, trail, subnet, set, result);
  const route = result.winner;
  if (!route) {
    trail.hop('drop', subnet.id, 'No matching route', `No route in subnet ${subnet.name} covers ${describeDestination(ctx.traffic.destination)}, so Azure drops the traffic.`,
      DOCS.udr, verifyRoutes(subnet, set));
    return { verdict: 'dropped', ...NO_EXIT };
  }
  // Shared by all subnets on the same route set, unless the evidence (system route, no route table) is the subnet itself.
  const perSubnet = route.resourceId === null && set.routeTableId === null && set.capturedFromNicId === null;
  trail.add(memoize(ctx, result, perSubnet ? subnet.id : '', () =>
    makeHop('route', routeHopId(subnet, route), describeRoute(route), explainLookup(ctx, result, set), DOCS.udr, verifyRoutes(subnet, set))));
  const nextHop = route.nextHop;
  if (nextHop.kind === 'unknown') return unknownNextHop(trail, subnet, route);
  const divertsInternet = nextHop.type === 'VirtualAppliance' || nextHop.type === 'VirtualNetworkGateway';
  if (subnet.natGatewayId && divertsInternet) natBypassed(trail, subnet, route);
  if (sender.kind === 'firewall' && sender.firewall.managementIpConfiguration === null && nextHop.type !== 'Internet') {
    trail.finding('firewall-subnet-default-route', 'error',
      `Azure Firewall ${sender.firewall.name} is not in forced-tunnel mode but its subnet's route for internet traffic is "${describeRoute(route)}": the firewall needs direct internet connectivity.`,
      'Add a UDR 0.0.0.0/0 → Internet on AzureFirewallSubnet (or deploy the firewall in forced-tunnel mode).',
      [sender.firewall.id, subnet.id], DOCS.firewallForcedTunnel);
  }
  switch (nextHop.type) {
    case 'Internet': return toInternet(ctx, trail, subnet, sender, route);
    case 'None':
      trail.hop('drop', routeHopId(subnet, route), describeRoute(route), 'Next hop None: Azure drops the traffic.', DOCS.udr, verifyRoutes(subnet, set));
      return { verdict: 'dropped', ...NO_EXIT };
    case 'VnetLocal':
    case 'VNetPeering':
      trail.hop('drop', routeHopId(subnet, route), describeRoute(route),
        `The winning route keeps the traffic inside the virtual network (${nextHop.type}), so it has no path to the internet. UNCONFIRMED: Azure documents no behaviour for a public destination on this next hop; it is treated as dropped.`,
        DOCS.udr, verifyRoutes(subnet, set));
      return { verdict: 'dropped', ...NO_EXIT };
    case 'VirtualNetworkServiceEndpoint':
      trail.hop('drop', routeHopId(subnet, route), describeRoute(route),
        'The destination is covered by a service-endpoint route: traffic goes to the Azure service over the backbone with the subnet\'s private identity. This is not internet egress.',
        DOCS.serviceEndpoints, verifyRoutes(subnet, set));
      return { verdict: 'unknown', ...NO_EXIT };
    case 'VirtualAppliance': return toVirtualAppliance(ctx, trail, subnet, route);
    case 'VirtualNetworkGateway':
      // On GatewaySubnet the "gateway" next hop is the sender itself: its own traffic leaves from its public IPs.
      if (sender.kind === 'gateway') return toInternet(ctx, trail, subnet, sender, route);
      return toGateway(ctx, trail, subnet, route);
  }
}

function unknownNextHop(trail: Trail, subnet: Subnet, route: ComputedRoute): Outcome {
  trail.hop('drop', routeHopId(subnet, route), describeRoute(route), `Next hop type "${nextHopLabel(route.nextHop)}" is not modelled, so where the traffic goes is unknown.`, DOCS.udr, VERIFY.subnet(subnet.id));
  trail.finding('unknown-next-hop', 'warning', `Subnet ${subnet.name}: the winning route has next hop type "${nextHopLabel(route.nextHop)}", which Egress Atlas does not model.`,
    'Check the effective routes of a NIC in this subnet.', [subnet.id], DOCS.udr);
  return { verdict: 'unknown', ...NO_EXIT };
}

function natBypassed(trail: Trail, subnet: Subnet, route: ComputedRoute): void {
  trail.finding('nat-gateway-bypassed', 'warning',
    `Subnet ${subnet.name} has a NAT gateway, but internet traffic follows "${describeRoute(route)}", which takes precedence: the NAT gateway is not used for it.`,
    'Remove the unused NAT gateway, or route internet traffic to Internet if the NAT gateway should be the exit.',
    [subnet.id, ...(subnet.natGatewayId ? [subnet.natGatewayId] : []), ...(route.resourceId ? [route.resourceId] : [])], DOCS.natGateway);
}

function exitOf(method: OutboundMethod): ExitMethod | null {
  switch (method.kind) {
    case 'nat-gateway': return 'nat-gateway';
    case 'instance-public-ip': case 'firewall-public-ip': case 'platform-public-ip': return 'public-ip';
    case 'lb-outbound-rule': case 'lb-rule-snat': case 'lb-basic': return 'load-balancer';
    case 'default-outbound': return 'default-outbound';
    case 'none': return null;
  }
}

/** 64512 → "64,512". Not toLocaleString: it builds an Intl formatter per call, far too slow at estate scale. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}


/** The model object an exit belongs to: equal keys mean the same exit hops and egress for every source. */
function exitKey(method: OutboundMethod): unknown {
  switch (method.kind) {
    case 'nat-gateway': return method.natGateway ?? method.natGatewayId;
    case 'instance-public-ip': return method.publicIpAddressId;
    case 'firewall-public-ip': return method.firewall;
    case 'platform-public-ip': return method.ownerId;
    case 'lb-outbound-rule': return method.rule;
    case 'lb-rule-snat': return method.rule;
    case 'lb-basic': return method.pool;
    case 'default-outbound': case 'none': return null;
  }
}

interface ExitHops {
  readonly egress: MethodEgress;
  readonly exitHop: Hop;
  readonly internetHop: Hop;
}

/** The exit hop (NAT gateway, public IP, load balancer) and the internet sink, for methods that are not per subnet. */
function buildExitHops(ctx: EngineContext, method: Exclude<OutboundMethod, { kind: 'default-outbound' | 'none' }>, variant: string): ExitHops {
  const { index } = ctx;
  const egress = methodEgress(index, method);
  const ips = egress.egressIps.length > 0 ? egress.egressIps.join(', ') : 'unknown addresses';
  let exitHop: Hop;
  switch (method.kind) {
    case 'nat-gateway': {
      const shared = index.natGatewaySubnets.get(method.natGatewayId)?.length ?? 1;
      const ownPip = variant === 'own-pip' ? ' The NIC\'s own public IP then serves only inbound-originated flows.' : '';
      exitHop = makeHop('nat-gateway', method.natGatewayId, `NAT gateway ${method.natGateway?.name ?? method.natGatewayId} (${ips})`,
        `A NAT gateway on the subnet takes precedence over instance public IPs, load balancers and default outbound access: new outbound connections are SNATed to ${ips}.`
        + ` Its ${egress.snatPorts === null ? 'unknown number of' : formatCount(egress.snatPorts)} SNAT ports are shared on demand by the ${shared} subnet(s) attached to it.${ownPip}`,
        DOCS.natGateway, VERIFY.natGateway(method.natGatewayId));
      break;
    }
    case 'instance-public-ip':
      exitHop = makeHop('public-ip', method.publicIpAddressId, `Instance-level public IP ${method.publicIp?.name ?? ''} (${ips})`.replace(' ()', ''),
        `The NIC's IP configuration has its own public IP: outbound traffic is 1:1 NATed to ${ips} with all 64,512 ports. It takes precedence over load balancer outbound rules and default outbound access.`,
        DOCS.lbOutboundConnections, VERIFY.publicIp(method.publicIpAddressId));
      break;
    case 'firewall-public-ip':
      exitHop = makeHop('public-ip', method.publicIpAddressIds[0] ?? method.firewall.id, `Azure Firewall ${method.firewall.name} public IPs (${ips})`,
        `With no NAT gateway on AzureFirewallSubnet, the firewall SNATs internet traffic to its own public IPs: ${formatCount(FIREWALL_SNAT_PORTS_PER_IP_PER_INSTANCE)} SNAT ports per public IP per instance (at least ${FIREWALL_MIN_INSTANCES} instances).`,
        DOCS.firewallNatGateway, VERIFY.firewall(method.firewall.id));
      break;
    case 'platform-public-ip':
      exitHop = method.owner === 'gateway'
        ? makeHop('public-ip', method.publicIpAddressIds[0] ?? method.ownerId, `Gateway ${method.ownerName} public IPs (${ips})`,
          `The gateway instances are Azure-managed and send their own traffic (tunnel endpoints, BGP, platform management) from the gateway's public IPs: ${ips}. Routes on GatewaySubnet steer traffic that transits the gateway, not the instances' own egress (INFERRED).`,
          DOCS.gatewaySubnet, VERIFY.gateway(method.ownerId))
        : makeHop('public-ip', method.publicIpAddressIds[0] ?? method.ownerId, `Azure Firewall ${method.ownerName} management public IP (${ips})`,
          `In forced-tunnel mode the firewall's management NIC in AzureFirewallManagementSubnet has its own public IP, which the platform uses only for management traffic: ${ips}.`,
          DOCS.firewallForcedTunnel, VERIFY.firewall(method.ownerId));
      break;
    case 'lb-outbound-rule': {
      const ports = method.rule.allocatedOutboundPorts && method.rule.allocatedOutboundPorts > 0 ? `${method.rule.allocatedOutboundPorts} ports per instance set by the rule` : `${egress.snatPorts ?? 0} ports per instance from the default allocation table`;
      exitHop = makeHop('load-balancer', method.loadBalancer.id, `LB ${method.loadBalancer.name} outbound rule ${method.rule.name} (pool ${method.pool.name})`,
        `The primary IPv4 configuration is in a NIC-based backend pool of Standard public load balancer ${method.loadBalancer.name}, whose outbound rule SNATs to ${ips} (${ports}).`,
        DOCS.lbOutboundRules, VERIFY.loadBalancer(method.loadBalancer.id));
      break;
    }
    case 'lb-rule-snat':
      exitHop = makeHop('load-balancer', method.loadBalancer.id, `LB ${method.loadBalancer.name} rule ${method.rule.name} implicit SNAT (pool ${method.pool.name})`,
        `The NIC is in the backend pool of a load-balancing rule with disableOutboundSnat = false, which programs outbound SNAT to ${ips} with ${egress.snatPorts ?? 0} ports per instance (default table by pool size). Ranking this below outbound rules is INFERRED.`,
        DOCS.lbOutboundRules, VERIFY.loadBalancer(method.loadBalancer.id));
      break;
    case 'lb-basic':
      exitHop = makeHop('load-balancer', method.loadBalancer.id, `Basic public LB ${method.loadBalancer.name} (pool ${method.pool.name})`,
        `Membership in a Basic public load balancer's pool gives outbound SNAT to ${egress.egressIps.length > 1 ? `one of them, picked at random by the platform: ${ips}` : ips}. Basic load balancers were retired on 30 September 2025.`,
        DOCS.lbOutboundConnections, VERIFY.loadBalancer(method.loadBalancer.id));
      break;
  }
  return { egress, exitHop, internetHop: internetHop(ctx, ips, null, exitHop.verify) };
}

function internetHop(ctx: EngineContext, ips: string, restrictedToFqdns: readonly string[] | null, verify: string): Hop {
  const restricted = restrictedToFqdns ? ` Only these FQDNs are allowed by the firewall: ${restrictedToFqdns.join(', ')}.` : '';
  return makeHop('internet', 'internet', 'Internet', `Traffic leaves Azure for ${describeDestination(ctx.traffic.destination)} from ${ips}.${restricted}`, DOCS.udr, verify);
}

function isPlatformSender(sender: Sender): boolean {
  return sender.kind === 'firewall' || sender.kind === 'firewall-management' || sender.kind === 'gateway';
}

/** Next hop Internet: the outbound method of the sender decides the public IP [NATOV][LBOUT][DOA]. */
function toInternet(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, route: ComputedRoute): Outcome {
  const method = chooseOutboundMethod(ctx.index, subnet, sender, ctx.traffic.protocol);
  switch (method.kind) {
    case 'default-outbound': {
      const why = method.reason === 'delegated'
        ? 'The subnet is delegated to a service: private-subnet settings do not apply and outbound is managed by the service (shown as default outbound).'
        : 'Nothing explicit (NAT gateway, public IP, load balancer) gives this source outbound access, and the subnet is not private, so Azure gives it default outbound access: a Microsoft-owned IP that can change without notice. It is being retired for new virtual networks.';
      const verify = VERIFY.subnet(subnet.id);
      trail.hop('default-outbound', subnet.id, `Default outbound access (defaultOutboundAccess = ${String(subnet.defaultOutboundAccess)})`, why, DOCS.defaultOutbound, verify);
      if (method.reason === 'allowed' && !isPlatformSubnet(subnet)) {
        trail.finding('default-outbound', 'warning', `Subnet ${subnet.name} reaches the internet through default outbound access (implicit, deprecated, IP not under your control).`,
          'Attach a NAT gateway to the subnet (or route it through a firewall), then set defaultOutboundAccess = false.', [subnet.id], DOCS.defaultOutbound);
      }
      trail.add(internetHop(ctx, 'a Microsoft-owned default outbound IP', trail.restrictedToFqdns, verify));
      return { verdict: 'internet', exit: 'default-outbound', egressIps: [], snatPorts: null };
    }
    case 'none': {
      if (isPlatformSender(sender) || isPlatformSubnet(subnet)) {
        // Azure-managed instances: "no outbound" is a workload finding; what they use is not in the snapshot.
        trail.hop('drop', subnet.id, 'Platform egress not in the snapshot', `No public IP of the Azure-managed instances in ${subnet.name} is in the snapshot (${method.reason}), so their egress is unknown.`,
          DOCS.udr, VERIFY.subnet(subnet.id));
        return { verdict: 'unknown', ...NO_EXIT };
      }
      trail.hop('drop', subnet.id, 'No outbound method', `No outbound method applies: ${method.reason}. Internet traffic is dropped.`, DOCS.defaultOutbound, VERIFY.subnet(subnet.id));
      trail.finding('no-outbound', 'error', `Subnet ${subnet.name}${sender.kind === 'nic' ? ` (NIC ${sender.nic.name})` : ''} has no internet egress: ${method.reason}.`,
        'Add an explicit outbound method (NAT gateway, public IP, load balancer outbound rule) or route the traffic to a firewall.', [subnet.id], DOCS.defaultOutbound);
      if (route.source === 'User' && subnet.defaultOutboundAccess === false) {
        trail.finding('private-subnet-internet-udr', 'error', `Private subnet ${subnet.name} has a UDR "${describeRoute(route)}" with next hop Internet but no explicit outbound method: that route cannot work.`,
          'Attach a NAT gateway to the subnet, or send the prefix to the firewall.', [subnet.id, ...(route.resourceId ? [route.resourceId] : [])], DOCS.defaultOutbound);
      }
      return { verdict: 'no-outbound', ...NO_EXIT };
    }
    default: {
      const variant = method.kind === 'nat-gateway' && sender.kind === 'nic' && sender.ipConfiguration?.publicIpAddressId ? 'own-pip' : '';
      const exit = memoize(ctx, exitKey(method), variant, () => buildExitHops(ctx, method, variant));
      trail.add(exit.exitHop);
      if (method.kind === 'nat-gateway') {
        if (!method.natGateway) addGap(ctx, { code: 'missing-reference', scope: method.natGatewayId, message: 'NAT gateway not in the snapshot: its public IPs are unknown.' });
        basicWithNat(ctx, trail, subnet, sender, method.natGatewayId);
      }
      if (method.kind === 'instance-public-ip' && method.publicIp?.skuName.toLowerCase() === 'basic') {
        basicSku(trail, method.publicIpAddressId, `Public IP ${method.publicIp.name}`);
      }
      if (method.kind === 'lb-basic') basicSku(trail, method.loadBalancer.id, `Load balancer ${method.loadBalancer.name}`);
      const ips = exit.egress.egressIps.length > 0 ? exit.egress.egressIps.join(', ') : 'unknown addresses';
      trail.add(trail.restrictedToFqdns ? internetHop(ctx, ips, trail.restrictedToFqdns, exit.exitHop.verify) : exit.internetHop);
      return { verdict: 'internet', exit: exitOf(method), egressIps: exit.egress.egressIps, snatPorts: exit.egress.snatPorts };
    }
  }
}

function basicSku(trail: Trail, resourceId: string, what: string): void {
  trail.finding('basic-sku', 'warning', `${what} is Basic SKU: Basic public IPs and load balancers were retired on 30 September 2025 and cannot be used with a NAT gateway.`,
    'Upgrade to Standard SKU.', [resourceId], DOCS.basicRetirement);
}

/** NAT gateways cannot coexist with Basic public IPs or Basic load balancers in the subnet [NATOV][NATRES]. */
function basicWithNat(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, natGatewayId: string): void {
  if (sender.kind !== 'nic') return;
  for (const config of sender.nic.ipConfigurations) {
    const pip = config.publicIpAddressId ? ctx.index.publicIpAddresses.get(config.publicIpAddressId) : undefined;
    const basicPool = config.loadBalancerBackendAddressPoolIds.map((id) => ctx.index.backendPools.get(id)).find((p) => p?.loadBalancer.skuName.toLowerCase() === 'basic');
    if (pip?.skuName.toLowerCase() === 'basic' || basicPool) {
      trail.finding('basic-sku', 'error', `Subnet ${subnet.name} has a NAT gateway but NIC ${sender.nic.name} uses a Basic ${pip?.skuName.toLowerCase() === 'basic' ? 'public IP' : 'load balancer'}: NAT gateway is not compatible with Basic resources.`,
        'Upgrade the public IP / load balancer to Standard SKU.', [natGatewayId, sender.nic.id], DOCS.natGatewayResource);
    }
  }
}

const parsedPrefixes = new WeakMap<readonly string[], readonly Cidr[]>();

function vnetContains(prefixes: readonly string[], address: IpAddress): boolean {
  let cidrs = parsedPrefixes.get(prefixes);
  if (!cidrs) {
    cidrs = prefixes.map((p) => parseCidr(p)).filter((c): c is Cidr => c !== null);
    parsedPrefixes.set(prefixes, cidrs);
  }
  return cidrs.some((c) => cidrContainsIp(c, address));
}

function findOwnerCached(ctx: EngineContext, vnet: VirtualNetwork, ip: string): OwnerLookup {
  let byIp = ctx.owners.get(vnet);
  if (!byIp) {
    byIp = new Map<string, OwnerLookup>();
    ctx.owners.set(vnet, byIp);
  }
  let found = byIp.get(ip);
  if (!found) {
    found = findOwner(ctx.index, vnet, ip);
    byIp.set(ip, found);
  }
  return found;
}

/** The owner of a next-hop IP, in the VNet or a Connected peered VNet ("direct connectivity") [UDR][PEER]. */
function findOwner(index: ModelIndex, vnet: VirtualNetwork, ip: string): OwnerLookup {
  const address = parseIp(ip);
  // Only look where the address can be: the VNet or peered VNet whose address space contains it.
  if (!address || vnetContains(vnet.addressPrefixes, address)) {
    const own = index.privateIpOwner(vnet.id, ip);
    if (own) return { kind: 'found', owner: own, viaPeering: null };
  }
  const peerings = [...(index.peerings.get(vnet.id) ?? [])].sort((a, b) => (a.peering.id < b.peering.id ? -1 : 1));
  for (const ref of peerings) {
    const { peering } = ref;
    if (peering.peeringState.toLowerCase() !== 'connected' || !peering.remoteVirtualNetworkId) continue;
    const remote = index.virtualNetworks.get(peering.remoteVirtualNetworkId);
    if (remote && address && !vnetContains(remote.addressPrefixes, address)) continue;
    const owner = index.privateIpOwner(peering.remoteVirtualNetworkId, ip);
    if (owner) return { kind: 'found', owner, viaPeering: ref };
    if (!remote && address && vnetContains(peering.remoteAddressPrefixes, address)) return { kind: 'out-of-scope', peering: ref };
  }
  return { kind: 'unowned' };
}

function ownerId(owner: PrivateIpOwner): string {
  switch (owner.kind) {
    case 'azure-firewall': return owner.firewall.id;
    case 'nic': return owner.nic.id;
    case 'internal-load-balancer': return owner.loadBalancer.id;
  }
}

function loopGuard(trail: Trail, id: string, what: string): Outcome | null {
  if (!trail.visited.has(id) && trail.depth < MAX_APPLIANCE_DEPTH) return null;
  trail.hop('drop', id, 'Routing loop', `${what} was already passed on this path (or the appliance chain is deeper than ${MAX_APPLIANCE_DEPTH}): the traffic loops and is dropped.`,
    DOCS.udr, VERIFY.effectiveRoutes(id));
  trail.finding('route-loop', 'error', `Routing loop: traffic returns to ${what}.`,
    'Put appliances in their own subnet with a route table that does not point back to an appliance on the same path.', [id], DOCS.udr);
  return { verdict: 'dropped', ...NO_EXIT };
}

/** Next hop VirtualAppliance: Azure Firewall, NVA NIC, or internal LB frontend [UDR]. */
function toVirtualAppliance(ctx: EngineContext, trail: Trail, subnet: Subnet, route: ComputedRoute): Outcome {
  const vnet = ctx.index.subnetVirtualNetwork.get(subnet.id);
  const ip = route.nextHopIpAddress;
  const found = vnet && ip ? findOwnerCached(ctx, vnet, ip) : { kind: 'unowned' as const };
  if (found.kind === 'out-of-scope') {
    trail.hop('drop', found.peering.peering.id, `Next hop ${ip ?? ''} in peered VNet out of scope`,
      `The next hop ${ip ?? ''} is in peered virtual network ${found.peering.peering.remoteVirtualNetworkId ?? ''}, which is not in the snapshot, so what happens next is unknown.`,
      DOCS.peering, VERIFY.peering(found.peering.peering.id));
    addGap(ctx, { code: 'missing-reference', scope: found.peering.peering.remoteVirtualNetworkId ?? found.peering.peering.id, message: `Next-hop appliance ${ip ?? ''} is in a peered virtual network that is not in the snapshot.` });
    return { verdict: 'unknown', ...NO_EXIT };
  }
  if (found.kind === 'unowned') {
    // A secured hub's firewall is reached through Virtual WAN, which a UDR next hop cannot be [UDR].
    const hub = vnet ? ctx.index.hubConnections.get(vnet.id)?.hub : undefined;
    const hubFirewall = hub?.azureFirewallId ? ctx.index.azureFirewalls.get(hub.azureFirewallId) : undefined;
    const viaWan = ip !== null && hubFirewall?.hubPrivateIpAddress === ip
      ? ` ${ip} is the private IP of secured hub firewall ${hubFirewall.name}: a next hop reachable only through Virtual WAN is not a valid UDR target; use routing intent instead.`
      : '';
    trail.hop('drop', routeHopId(subnet, route), `Next hop ${ip ?? '(none)'} has no owner`,
      `No Azure Firewall, NIC or internal load balancer frontend in virtual network ${vnet?.name ?? subnet.virtualNetworkId} or a connected peered network owns ${ip ?? 'the next hop'}: the UDR is invalid. Azure is assumed to drop the traffic (UNCONFIRMED: the docs only call such a route invalid).${viaWan}`,
      DOCS.udr, VERIFY.subnet(subnet.id));
    trail.finding('next-hop-unreachable', 'error', `Subnet ${subnet.name}: next hop ${ip ?? '(none)'} of "${describeRoute(route)}" is not owned by any reachable appliance.`,
      'Point the route at the firewall / NVA / internal load balancer private IP, or fix the peering to its VNet.', [subnet.id, ...(route.resourceId ? [route.resourceId] : [])], DOCS.udr);
    return { verdict: 'dropped', ...NO_EXIT };
  }
  const id = ownerId(found.owner);
  const looped = loopGuard(trail, id, `appliance ${id}`);
  if (looped) return looped;
  if (found.viaPeering && !found.viaPeering.peering.allowForwardedTraffic) {
    trail.finding('allow-forwarded-traffic-missing', 'warning',
      `Peering ${found.viaPeering.peering.name} from ${found.viaPeering.localVirtualNetwork.name} to the appliance's network does not allow forwarded traffic; replies forwarded by the appliance may be dropped (which side enforces it is UNCONFIRMED).`,
      'Enable "Allow forwarded traffic" on both peerings of a hub-and-spoke with a hub appliance.', [found.viaPeering.peering.id], DOCS.peering);
  }
  trail.visited.add(id);
  trail.depth += 1;
  switch (found.owner.kind) {
    case 'azure-firewall': return toFirewall(ctx, trail, found.owner.firewall, null);
    case 'nic': return toNva(ctx, trail, found.owner.nic, found.owner.ipConfiguration);
    case 'internal-load-balancer': return toInternalLoadBalancer(ctx, trail, found.owner.loadBalancer, found.owner.frontend);
  }
}

function firewallRuleHops(ctx: EngineContext, trail: Trail, firewall: AzureFirewall): Outcome | null {
  let ruleSet = ctx.firewallRules.get(firewall);
  if (!ruleSet) {
    ruleSet = prepareRuleSet(firewallRuleSet(ctx.index, firewall));
    ctx.firewallRules.set(firewall, ruleSet);
  }
  const decision = evaluateFirewallRules(ruleSet, ctx.traffic, trail.source);
  trail.sourceConsulted = true;
  const policyId = firewall.firewallPolicyId;
  // Built only when a hop is made (most decisions hit the memo).
  const verify = (): string => (policyId ? VERIFY.firewallPolicy(policyId) : VERIFY.firewall(firewall.id));
  const ruleId = policyId ?? firewall.id;
  const what = describeDestination(ctx.traffic.destination);
  const flow = ctx.traffic.protocol === 'Tcp' && ctx.traffic.port === 443 ? 'Tcp 443' : `${ctx.traffic.protocol} ${ctx.traffic.port}`;
  switch (decision.kind) {
    case 'allow': {
      const r = decision.rule;
      trail.add(memoize(ctx, r, 'allow', () => makeHop('firewall-rule', ruleId, `${r.kind === 'network' ? 'Network' : 'Application'} rule ${r.collection}/${r.name} (priority ${r.priority}) Allow`,
        `Azure Firewall evaluates network rules, then application rules, in priority order; rule ${r.name} allows ${flow} to ${what}${r.kind === 'application' ? ' (any FQDN)' : ''}.`,
        DOCS.firewallRules, verify())));
      return null;
    }
    case 'allow-fqdns':
      if (ctx.traffic.destination.kind === 'address') {
        // A what-if names an IP, not a name: application rules match the SNI / Host header and
        // FQDN network rules the firewall's own DNS answers, so traffic to an arbitrary IP is
        // denied by default unless it is for one of these names [FWRULES] (scenario 15).
        trail.hop('firewall-rule', ruleId, `Rules ${decision.rules.map((r) => `${r.collection}/${r.name}`).join(', ')} Allow FQDNs only: default deny for ${what}`,
          `No network rule allows ${flow} to ${what}. The firewall allows only named destinations (matched by SNI / Host header or its DNS proxy): ${decision.fqdns.join(', ')}. Traffic to ${what} gets through only if it is for one of those names; anything else is denied by default.`,
          DOCS.firewallRules, verify());
        return { verdict: 'denied', ...NO_EXIT };
      }
      trail.restrictedToFqdns = decision.fqdns;
      trail.hop('firewall-rule', ruleId, `Rules ${decision.rules.map((r) => `${r.collection}/${r.name}`).join(', ')} Allow FQDNs only`,
        `No network rule allows ${flow} to ${what}; only named destinations are allowed (matched by SNI / Host header): ${decision.fqdns.join(', ')}. Everything else is denied by default.`,
        DOCS.firewallRules, verify());
      return null;
    case 'deny': {
      const r = decision.rule;
      trail.add(memoize(ctx, r, 'deny', () => makeHop('firewall-rule', ruleId, `${r.kind === 'network' ? 'Network' : 'Application'} rule ${r.collection}/${r.name} (priority ${r.priority}) Deny`,
        `Rule ${r.name} denies ${flow} to ${what}; firewall rules are terminating.`, DOCS.firewallRules, verify())));
      return { verdict: 'denied', ...NO_EXIT };
    }
    case 'default-deny':
      trail.add(memoize(ctx, firewall, 'default-deny', () => makeHop('firewall-rule', ruleId, 'Default deny (no rule matched)',
        `Azure Firewall denies all traffic until a rule allows it, and no network or application rule allows ${flow} to ${what}.`, DOCS.firewallRules, verify())));
      trail.finding('firewall-default-deny', 'warning', `Azure Firewall ${firewall.name} has no rule allowing ${flow} to ${what}: internet traffic sent to it is denied.`,
        'Add a network or application rule for the traffic that should reach the internet.', [firewall.id, ...(policyId ? [policyId] : [])], DOCS.firewallRules);
      return { verdict: 'denied', ...NO_EXIT };
    case 'not-captured':
      trail.add(memoize(ctx, firewall, 'not-captured', () => makeHop('firewall-rule', ruleId, 'Rules not captured',
        `The firewall's rules are not in the snapshot (${decision.reason}); the path below assumes they allow the traffic.`, DOCS.firewallRules, verify())));
      trail.finding('firewall-rules-not-captured', 'warning', `Azure Firewall ${firewall.name}: ${decision.reason}, so whether it allows internet traffic is not known.`,
        'Capture the firewall policy and its rule collection groups.', [firewall.id, ...(policyId ? [policyId] : [])], DOCS.firewallRules);
      return null;
  }
}

function toFirewall(ctx: EngineContext, trail: Trail, firewall: AzureFirewall, hub: VirtualHub | null): Outcome {
  const forced = firewall.managementIpConfiguration !== null;
  trail.via.push(firewall.id);
  trail.add(memoize(ctx, firewall, hub ? 'hub' : 'vnet', () => makeHop('azure-firewall', firewall.id, `Azure Firewall ${firewall.name} (${firewall.skuName} ${firewall.skuTier}${forced ? ', forced-tunnel mode' : ''})`,
    hub ? `The secured hub ${hub.name} sends internet traffic to its Azure Firewall.` : `The route's next hop is the private IP of Azure Firewall ${firewall.name}.`,
    DOCS.firewallRules, VERIFY.firewall(firewall.id))));
  const denied = firewallRuleHops(ctx, trail, firewall);
  if (denied) return denied;
  if (hub || firewall.skuName.toLowerCase() === 'azfw_hub') return hubFirewallEgress(ctx, trail, firewall);
  const subnetId = firewall.ipConfigurations.find((c) => c.subnetId !== null)?.subnetId ?? null;
  const subnet = subnetId ? ctx.index.subnets.get(subnetId) : undefined;
  if (!subnet) {
    addGap(ctx, { code: 'missing-reference', scope: firewall.id, message: 'The firewall\'s AzureFirewallSubnet is not in the snapshot: its egress cannot be followed.' });
    trail.hop('drop', firewall.id, 'Firewall subnet not captured', 'AzureFirewallSubnet is not in the snapshot, so the firewall\'s own egress is unknown.', DOCS.firewallNatGateway, VERIFY.firewall(firewall.id));
    return { verdict: 'unknown', ...NO_EXIT };
  }
  // The firewall SNATs, then its own subnet's routes and outbound method apply [FWNAT][FWFT].
  return forwardFromAppliance(ctx, trail, subnet, { kind: 'firewall', firewall }, firewall);
}

function hubFirewallEgress(ctx: EngineContext, trail: Trail, firewall: AzureFirewall): Outcome {
  const ips = firewall.hubPublicIpAddresses;
  const snatPorts = ips.length > 0 ? ips.length * FIREWALL_SNAT_PORTS_PER_IP_PER_INSTANCE * FIREWALL_MIN_INSTANCES : null;
  const verify = VERIFY.firewall(firewall.id);
  const ipText = ips.join(', ') || 'the hub firewall';
  trail.add(memoize(ctx, firewall, 'hub-public-ip', () => makeHop('public-ip', firewall.id, `Hub firewall public IPs (${ips.join(', ') || 'unknown'})`,
    'A secured-hub Azure Firewall SNATs internet traffic to its hub public IPs.', DOCS.vwanRoutingPolicies, verify)));
  trail.add(trail.restrictedToFqdns ? internetHop(ctx, ipText, trail.restrictedToFqdns, verify) : memoize(ctx, firewall, 'hub-internet', () => internetHop(ctx, ipText, null, verify)));
  return { verdict: 'internet', exit: 'public-ip', egressIps: ips, snatPorts };
}

function nsgStep(ctx: EngineContext, trail: Trail, nsgId: ResourceId | null, attachedTo: 'NIC' | 'subnet'): boolean {
  if (!nsgId) return true;
  const nsg = ctx.index.networkSecurityGroups.get(nsgId);
  if (!nsg) return true;
  const decision = evaluateNsg(nsg, ctx.traffic, trail.source);
  trail.sourceConsulted = true;
  const r = decision.rule;
  const assumed = decision.defaultsAssumed && r.isDefault ? ' (Azure default rule; the captured NSG listed no defaults)' : '';
  // Default rules are shared constants: key them by NSG as well.
  const hops = memoize(ctx, nsg, attachedTo, () => new Map<SecurityRule, Hop>());
  const cached = hops.get(r);
  if (cached) {
    trail.add(cached);
    return decision.access === 'Allow';
  }
  trail.add(setAndReturn(hops, r, makeHop('nsg', nsg.id, `NSG ${nsg.name} rule ${r.name} (${r.priority}) ${r.access}`,
    `Outbound rules of the ${attachedTo}'s NSG are evaluated by priority and the first match decides: ${r.name} ${r.access === 'Allow' ? 'allows' : 'denies'} ${ctx.traffic.protocol} ${ctx.traffic.port} to ${describeDestination(ctx.traffic.destination)}${assumed}. NSGs see the original public destination, before any SNAT.`,
    DOCS.nsg, VERIFY.nsgRules(nsg.id))));
  return decision.access === 'Allow';
}

function setAndReturn<K, V>(map: Map<K, V>, key: K, value: V): V {
  map.set(key, value);
  return value;
}

/** NIC NSG first, then the subnet NSG; a deny in either drops the traffic [NSGHOW]. */
export function nsgSteps(ctx: EngineContext, trail: Trail, subnet: Subnet, nic: NetworkInterface | null): Outcome | null {
  if (!nsgStep(ctx, trail, nic?.networkSecurityGroupId ?? null, 'NIC')) return { verdict: 'denied', ...NO_EXIT };
  if (!nsgStep(ctx, trail, subnet.networkSecurityGroupId, 'subnet')) return { verdict: 'denied', ...NO_EXIT };
  return null;
}

function toNva(ctx: EngineContext, trail: Trail, nic: NetworkInterface, config: NicIpConfiguration): Outcome {
  if (!nic.enableIPForwarding) {
    trail.hop('drop', nic.id, `NIC ${nic.name} (${config.privateIpAddress ?? ''}) without IP forwarding`,
      'The next hop is a NIC whose Azure IP forwarding is disabled: Azure drops traffic not addressed to the NIC itself.', DOCS.ipForwarding, VERIFY.nic(nic.id));
    trail.finding('nva-ip-forwarding-disabled', 'error', `NIC ${nic.name} is used as a next hop but has IP forwarding disabled: traffic routed to it is dropped.`,
      'Enable IP forwarding on the NVA NIC (and forwarding in its OS).', [nic.id], DOCS.ipForwarding);
    return { verdict: 'dropped', ...NO_EXIT };
  }
  trail.via.push(nic.id);
  trail.add(memoize(ctx, config, 'nva', () => makeHop('virtual-appliance', nic.id, `NVA NIC ${nic.name} (${config.privateIpAddress ?? ''})`,
    'The route\'s next hop is a network virtual appliance NIC with IP forwarding. The NVA is assumed to SNAT to its own private IP; Azure then applies the NVA subnet\'s routes and the NVA NIC\'s own outbound method.',
    DOCS.udr, VERIFY.nic(nic.id))));
  const subnet = config.subnetId ? ctx.index.subnets.get(config.subnetId) : undefined;
  if (!subnet) {
    trail.hop('drop', nic.id, 'NVA subnet not captured', 'The NVA\'s subnet is not in the snapshot, so its egress is unknown.', DOCS.udr, VERIFY.nic(nic.id));
    return { verdict: 'unknown', ...NO_EXIT };
  }
  const denied = nsgSteps(ctx, trail, subnet, nic);
  if (denied) return denied;
  // The NVA SNATs to "its own private IP address" before Azure translates it [UDR]: the primary IP configuration
  // (the next-hop address may be a secondary, floating one); LB outbound rules bind to the primary too [LBRULES].
  return forwardFromAppliance(ctx, trail, subnet, { kind: 'nic', nic, ipConfiguration: primaryIpConfiguration(nic) ?? config }, config);
}

/**
 * `forward` from an appliance's subnet, shared between sources: at estate scale thousands of
 * spokes reach the same firewall, and what happens after it is the same for all of them unless a
 * rule further on looks at the source (then the walk is redone per source).
 */
function forwardFromAppliance(ctx: EngineContext, trail: Trail, subnet: Subnet, sender: Sender, senderKey: object): Outcome {
  let bySender = ctx.continuations.get(subnet);
  if (!bySender) {
    bySender = new Map<unknown, Continuation>();
    ctx.continuations.set(subnet, bySender);
  }
  // A path restricted to some FQDNs says so in its internet hop: not shared.
  const cached = trail.restrictedToFqdns ? undefined : bySender.get(senderKey);
  if (cached && trail.depth + cached.depth < MAX_APPLIANCE_DEPTH && !cached.visited.some((id) => trail.visited.has(id))) return trail.append(cached);
  const child = trail.fork();
  const outcome = forward(ctx, child, subnet, sender);
  const part: Continuation = {
    outcome, hops: child.hops, via: child.via, findings: child.findings,
    visited: [...child.visited].filter((id) => !trail.visited.has(id)), depth: child.depth - trail.depth,
  };
  const shareable = !trail.restrictedToFqdns && !child.sourceConsulted && !child.findings.some((f) => f.code === 'route-loop');
  if (shareable) bySender.set(senderKey, part);
  if (child.sourceConsulted) trail.sourceConsulted = true;
  return trail.append(part);
}

function toInternalLoadBalancer(ctx: EngineContext, trail: Trail, lb: LoadBalancer, frontend: LoadBalancerFrontend): Outcome {
  trail.via.push(lb.id);
  const rules = lb.loadBalancingRules.filter((r) => r.frontendIpConfigurationIds.includes(frontend.id));
  const poolIds = new Set(rules.length > 0 ? rules.flatMap((r) => r.backendAddressPoolIds) : lb.backendAddressPools.map((p) => p.id));
  const members = lb.backendAddressPools.filter((p) => poolIds.has(p.id))
    .flatMap((p) => p.backendIpConfigurationIds)
    .map((id) => ctx.index.ipConfiguration(id))
    .filter((m): m is NonNullable<typeof m> => m !== undefined)
    .sort((a, b) => (a.nic.id < b.nic.id ? -1 : 1));
  const first = members[0];
  trail.hop('internal-load-balancer', lb.id, `Internal LB ${lb.name} frontend ${frontend.privateIpAddress ?? frontend.name}`,
    first
      ? `The next hop is an internal load balancer frontend; it spreads flows over ${members.length} backend NVA NIC(s) (HA ports). The path is shown through the first, ${first.nic.name}.`
      : 'The next hop is an internal load balancer frontend with no NIC backends in the snapshot: traffic is dropped.',
    DOCS.udr, VERIFY.loadBalancer(lb.id));
  if (!first) {
    trail.finding('next-hop-unreachable', 'error', `Internal load balancer ${lb.name} is a next hop but has no backend NICs.`,
      'Add the NVA NICs to the backend pool used by the HA-ports rule.', [lb.id], DOCS.udr);
    return { verdict: 'dropped', ...NO_EXIT };
  }
  return toNva(ctx, trail, first.nic, first.ipConfiguration);
}

/** Next hop VirtualNetworkGateway: vWAN hub, VPN forced tunnel, or an unsupported ExpressRoute target [UDR][S2SFT][VWAN]. */
function toGateway(ctx: EngineContext, trail: Trail, subnet: Subnet, route: ComputedRoute): Outcome {
  const { index } = ctx;
  const vnet = index.subnetVirtualNetwork.get(subnet.id);
  const domain = vnet ? gatewayDomainOf(index, vnet) : { kind: 'none' as const };
  if (route.origin === 'vwan-hub' || domain.kind === 'virtual-hub') {
    const hubId = domain.kind === 'virtual-hub' ? domain.virtualHubId : (route.resourceId ?? '');
    return toVirtualHub(ctx, trail, subnet, route, index.virtualHubs.get(hubId as ResourceId) ?? null, hubId);
  }
  const gatewayVnetId = domain.kind === 'local' || domain.kind === 'remote' ? domain.virtualNetworkId : null;
  const gateways = gatewayVnetId ? [...(index.gateways.get(gatewayVnetId) ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1)) : [];
  // With both VPN and ExpressRoute gateways, "the VNet's gateway" is the ExpressRoute one [UDR].
  const gateway = gateways.find((g) => g.gatewayType.toLowerCase() === 'expressroute') ?? gateways[0];
  if (!gateway) {
    if (route.source === 'User') {
      trail.hop('drop', routeHopId(subnet, route), 'No virtual network gateway', `The route's next hop is VirtualNetworkGateway but virtual network ${vnet?.name ?? ''} has no gateway (local or through gateway transit): the traffic is dropped.`,
        DOCS.udr, VERIFY.subnet(subnet.id));
      trail.finding('next-hop-unreachable', 'error', `Subnet ${subnet.name}: "${describeRoute(route)}" points at a virtual network gateway that does not exist.`,
        'Remove the route or deploy a route-based VPN gateway.', [subnet.id], DOCS.udr);
      return { verdict: 'dropped', ...NO_EXIT };
    }
    trail.hop('on-premises', 'on-premises', 'On-premises (gateway not in the snapshot)', 'A gateway-learned route sends the traffic to a gateway that is not in the snapshot; it leaves Azure towards the gateway\'s network.', DOCS.forcedTunnel, VERIFY.subnet(subnet.id));
    return forcedTunnel(trail, subnet, null);
  }
  const isExpressRoute = gateway.gatewayType.toLowerCase() === 'expressroute';
  if (route.source === 'User' && !isExpressRoute && gateway.vpnType?.toLowerCase() === 'policybased') {
    trail.hop('virtual-network-gateway', gateway.id, `Policy-based VPN gateway ${gateway.name}`,
      'A UDR with next hop VirtualNetworkGateway works only with a route-based VPN gateway; with a policy-based one the behaviour is UNCONFIRMED, so no egress is reported.',
      DOCS.udr, VERIFY.gateway(gateway.id));
    trail.finding('unsupported-udr-gateway', 'error', `Subnet ${subnet.name}: "${describeRoute(route)}" targets policy-based VPN gateway ${gateway.name}; UDRs to the gateway need a route-based VPN gateway.`,
      'Use a route-based VPN gateway, or point the UDR at a firewall/NVA.', [subnet.id, gateway.id], DOCS.udr);
    return { verdict: 'unknown', ...NO_EXIT };
  }
  if (route.source === 'User' && isExpressRoute) {
    trail.hop('virtual-network-gateway', gateway.id, `ExpressRoute gateway ${gateway.name}`,
      'A UDR with next hop VirtualNetworkGateway is supported only with a VPN gateway, not ExpressRoute: the behaviour is UNCONFIRMED, so no internet egress is reported.',
      DOCS.udr, VERIFY.gateway(gateway.id));
    trail.finding('unsupported-udr-gateway', 'error', `Subnet ${subnet.name}: "${describeRoute(route)}" targets the virtual network gateway, but the VNet's gateway is ExpressRoute (${gateway.name}); UDRs cannot point at an ExpressRoute gateway.`,
      'Advertise the default route over BGP from on-premises, or point the UDR at a firewall/NVA.', [subnet.id, gateway.id], DOCS.udr);
    return { verdict: 'unknown', ...NO_EXIT };
  }
  const how = route.origin === 'default-site' ? `the VPN gateway's GatewayDefaultSite sends internet traffic to that site (no 0.0.0.0/0 UDR on the subnet overrides it)`
    : route.source === 'User' ? 'a UDR sends the traffic to the route-based VPN gateway'
      : `a gateway-learned (BGP) route ${route.addressPrefix} beats the system default route`;
  const transit = domain.kind === 'remote' ? ' The gateway is in a peered VNet (gateway transit, useRemoteGateways).' : '';
  trail.add(memoize(ctx, route, domain.kind, () => makeHop('virtual-network-gateway', gateway.id, `${isExpressRoute ? 'ExpressRoute' : 'VPN'} gateway ${gateway.name}`,
    `Forced tunnelling: ${how}.${transit}`, isExpressRoute ? DOCS.expressRouteRouting : DOCS.forcedTunnel,
    route.origin === 'gateway' || route.origin === 'captured' ? VERIFY.gatewayLearnedRoutes(gateway.id) : VERIFY.gateway(gateway.id))));
  trail.add(memoize(ctx, gateway, 'on-premises', () => makeHop('on-premises', 'on-premises', 'On-premises', 'Traffic leaves Azure over the tunnel or circuit; whether and how it reaches the internet is decided on-premises, outside the snapshot.',
    isExpressRoute ? DOCS.expressRouteRouting : DOCS.forcedTunnel, VERIFY.gateway(gateway.id))));
  return forcedTunnel(trail, subnet, gateway.id);
}

function forcedTunnel(trail: Trail, subnet: Subnet, gatewayId: string | null): Outcome {
  trail.finding('forced-tunnel', 'info', `Subnet ${subnet.name}: internet traffic is forced to on-premises; the public IP it finally uses is decided there.`,
    'Check the on-premises egress (proxy / firewall) for this traffic.', [subnet.id, ...(gatewayId ? [gatewayId] : [])], DOCS.forcedTunnel);
  return { verdict: 'on-premises', ...NO_EXIT };
}

function toVirtualHub(ctx: EngineContext, trail: Trail, subnet: Subnet, route: ComputedRoute, hub: VirtualHub | null, hubId: string): Outcome {
  if (route.source === 'User') {
    trail.hop('virtual-hub', hubId, 'Virtual WAN hub router', 'For a VNet connected to Virtual WAN the gateway is always the hub router, and UDRs with next hop VirtualNetworkGateway are not supported there.',
      DOCS.udr, VERIFY.subnet(subnet.id));
    trail.finding('unsupported-udr-gateway', 'error', `Subnet ${subnet.name}: "${describeRoute(route)}" targets VirtualNetworkGateway in a VNet connected to Virtual WAN, which is not supported.`,
      'Use routing intent on the hub instead of a UDR to the gateway.', [subnet.id, hubId], DOCS.vwanRoutingPolicies);
    return { verdict: 'unknown', ...NO_EXIT };
  }
  const policy = hub?.routingPolicies.find((p) => p.destinations.some((d) => d.toLowerCase() === 'internet'));
  const firewallId = policy?.nextHopId ?? hub?.azureFirewallId ?? null;
  const firewall = firewallId ? ctx.index.azureFirewalls.get(firewallId) : undefined;
  trail.hop('virtual-hub', hubId, `Virtual hub ${hub?.name ?? hubId}${policy ? ` routing intent ${policy.name} (Internet)` : ''}`,
    'The hub advertises 0.0.0.0/0 to this connection ("Propagate default route" is on) because its routing intent sends internet traffic to the hub\'s security appliance.',
    DOCS.vwanRoutingPolicies, hub ? VERIFY.virtualHub(hub.id) : VERIFY.subnet(subnet.id));
  if (!firewall) {
    addGap(ctx, { code: 'missing-reference', scope: hubId, message: 'The hub\'s internet security appliance is not in the snapshot (or is not an Azure Firewall).' });
    trail.hop('drop', hubId, 'Hub appliance not modelled', 'The hub\'s internet next hop is not an Azure Firewall in the snapshot, so the egress is unknown.', DOCS.vwanRoutingPolicies, VERIFY.subnet(subnet.id));
    return { verdict: 'unknown', ...NO_EXIT };
  }
  const looped = loopGuard(trail, firewall.id, `Azure Firewall ${firewall.name}`);
  if (looped) return looped;
  trail.visited.add(firewall.id);
  trail.depth += 1;
  return toFirewall(ctx, trail, firewall, hub);
}

/** Exposed for the resolver's top level: a path starting at a subnet (or NIC in it). */
export function walkFromSource(ctx: EngineContext, trail: Trail, subnet: Subnet, nic: NetworkInterface | null, sender: Sender): Outcome {
  const denied = nsgSteps(ctx, trail, subnet, nic);
  if (denied) return denied;
  return forward(ctx, trail, subnet, sender);
}

export { primaryIpConfiguration, isPlatformSubnet };
