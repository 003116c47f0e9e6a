/**
 * Virtual WAN questions the engine asks of a spoke's route: whether its virtual hub may give it a
 * 0.0.0.0/0 or a route for a specific prefix that the model does not add, and whether a VNet may be
 * a spoke of a hub whose connections could not be read. Each answers with what is not known (the
 * path then ends `unknown`, naming it), never with a guess. The hub's own default route sources are
 * in routing/virtual-hub.ts, shared with the route builder.
 */
import { nameFromResourceId, type ResourceId } from '../model/ids';
import { cidrContainsCidr, cidrContainsIp, parseCidr } from '../model/ip';
import type { ModelIndex } from '../model/model-index';
import type { HubVirtualNetworkConnection, RoutingPolicy, Subnet, VirtualHub, VirtualNetworkPeering } from '../model/topology';
import { splitDefaultRoutes } from '../routing/lpm';
import { vwanPeeringDown, vwanPeeringOf } from '../routing/peering';
import { describeRoute } from '../routing/route';
import type { ComputedRoute } from '../routing/route';
import { hubDefaultRouteSources, hubDynamicRouteSources, isDefaultPrefix, isInternetPolicy, legacyTableWords } from '../routing/virtual-hub';
import { destinationAddress, type EgressDestination } from './destination';
import { DOCS } from './docs';
import { addGap, memoize, type EngineContext, type Outcome, type Trail } from './trail';

/** Why a spoke's internet path through its system 0.0.0.0/0 cannot be told: see hubDefaultRouteQuestion. */
interface HubDefaultRouteQuestion {
  /** Null when the hub is not in the input (unseenHubQuestion): the gap then has `gapScope`. */
  readonly hub: VirtualHub | null;
  readonly resourceId: string;
  readonly rule: string;
  readonly missingFact: string;
  /** Hub-wide, for the estate's gaps (one per hub); null when only the connection's flag is missing. */
  readonly gap: string | null;
  /** The gap's scope when not the hub's ID (gaps are kept one per code and scope). */
  readonly gapScope?: string;
  readonly docs: string;
}

/** Where a routing-intent policy sends its traffic, in an answer's words. */
function policyNextHop(policy: RoutingPolicy): string {
  return policy.nextHopId ? nameFromResourceId(policy.nextHopId) : 'the routing policy\'s next hop';
}

/**
 * A spoke whose Virtual WAN peering is not Connected (Initiated, Disconnected, or its state not in
 * the input): only a Connected peering carries traffic [PEER]
 * https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering and what a hub
 * router programs into such a spoke is not documented, so its routes from the hub are not known.
 */
function peeringDownQuestion(subnet: Subnet, hub: VirtualHub, connection: HubVirtualNetworkConnection, down: VirtualNetworkPeering, policy: RoutingPolicy | undefined): HubDefaultRouteQuestion {
  const state = down.peeringState === 'Unknown' ? 'not in the input' : down.peeringState;
  const words = down.peeringState === 'Unknown' ? 'in a state the input does not give' : `${down.peeringState}, not Connected`;
  return { hub, resourceId: down.id, docs: DOCS.vwanHubRouting, gapScope: `${hub.id}/peeringstate`,
    rule: `Peering ${down.name} to virtual hub ${hub.name} (peering state ${state})`,
    gap: `Virtual network ${nameFromResourceId(subnet.virtualNetworkId)} (the first found) is connected to virtual hub ${hub.name} by hub connection ${connection.name}, but its Virtual WAN peering ${down.name} is ${words}: whether the hub gives it the hub's routes (a 0.0.0.0/0 among them) is not known, so paths through its system routes are unknown. Check the peering, or capture the spoke's effective routes.`,
    missingFact: `whether virtual hub ${hub.name} gives this spoke its routes: the spoke's Virtual WAN peering ${down.name} is ${words} (only a Connected peering carries traffic)${policy ? `; connected, routing intent ${policy.name} sends its internet traffic to ${policyNextHop(policy)}` : ''}` };
}

/**
 * Whether a spoke whose VNet is connected to a virtual hub may learn a 0.0.0.0/0 from the hub that
 * the model does not add (it adds one for an Internet routing-intent policy, and for a classic
 * secured hub's 0/0 → its firewall when nothing else may give one: subnet-routes.ts, hubDefaultRouteSources).
 * A subnet whose route table does not propagate gateway routes learns none (learnsGatewayRoutes).
 * A connection learns the hub's 0/0 only with "Propagate default route" (enableInternetSecurity)
 * true [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies so false decides
 * nothing here: the spoke's own method applies. True or not said, every documented source of a hub
 * 0/0 the input shows, or cannot rule out, makes the path unknown: "Supported sources of the default
 * route" are ExpressRoute, site-to-site VPN, an NVA in the hub or in a spoke and a static route on a
 * virtual network connection [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing
 * and a hub route table route (defaultRouteTable 0/0 → the hub firewall: a classic secured hub, or
 * forced-tunnel mode with a Private-only routing intent) [VWANROUTING]
 * https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
 * What counts as not ruled out: the hub's route tables absent from the input (every hub has a
 * defaultRouteTable, so none read means none exported, VirtualHub.routeTables), a connection of the
 * hub without `routingConfiguration.vnetRoutes`, the hub gateway fields of an older snapshot. An NVA
 * in the hub (Microsoft.Network/networkVirtualAppliances naming it) and the hub router's BGP peers
 * (`bgpConnections`, an NVA in a spoke) are sources: they speak BGP with the hub router, and what
 * they advertise is not in the input; so are routes 0/0 of the hub's pre-existing `routeTable` /
 * `virtualHubRouteTableV2s`. A route table's 0/0 counts only through the connection's association
 * when the input gives it (hubDefaultRouteSources). Connections of the hub absent from the input
 * cannot be seen; a VNet that may be connected to a hub whose connections could not be read is
 * asked the same question (unreadHubConnectionsQuestion).
 */
export function hubDefaultRouteQuestion(ctx: EngineContext, subnet: Subnet): HubDefaultRouteQuestion | null {
  if (!ctx.routes.learnsGatewayRoutes(subnet)) return null;
  const ref = ctx.index.hubConnections.get(subnet.virtualNetworkId);
  if (!ref) return unreadHubConnectionsQuestion(ctx, subnet);
  const { hub, connection } = ref;
  const flag = connection.enableInternetSecurity;
  if (flag === false) return null;
  const flagMissing = `"Propagate default route" (enableInternetSecurity) of hub connection ${connection.name}, which is not in the input`;
  const policy = hub.routingPolicies.find(isInternetPolicy);
  // Not Succeeded (Failed, Updating, Deleting): what the hub router has programmed is not documented,
  // so the route builder adds no hub 0/0 for it and the answer is unknown, naming the state; unless
  // the hub has no 0/0 to give (no routing intent, and every source of one ruled out by the input).
  const noDefaultRoute = (): boolean => {
    const { sources, unread } = hubDefaultRouteSources(hub, connection);
    return sources.length === 0 && unread.length === 0;
  };
  if (connection.provisioningState !== undefined && (policy !== undefined || !noDefaultRoute())) {
    return { hub, resourceId: connection.id, docs: DOCS.vwanHubRouting, gapScope: `${hub.id}/connectionstate`,
      rule: `Hub connection ${connection.name} (provisioning state ${connection.provisioningState})`,
      gap: `Hub connection ${connection.name} of virtual hub ${hub.name} (the first found) is in provisioning state ${connection.provisioningState}, not Succeeded: whether the hub gives its VNet the hub's routes (a 0.0.0.0/0 among them) is not known, so paths through its system routes are unknown. Check the connection, or capture the spoke's effective routes.`,
      missingFact: `whether hub connection ${connection.name} gives this spoke virtual hub ${hub.name}'s routes: its provisioningState is ${connection.provisioningState}, not Succeeded${policy ? `; in force, routing intent ${policy.name} sends its internet traffic to ${policyNextHop(policy)}` : ''}` };
  }
  const down = vwanPeeringDown(ctx.index, subnet.virtualNetworkId);
  if (down !== null && (policy !== undefined || !noDefaultRoute())) return peeringDownQuestion(subnet, hub, connection, down, policy);
  if (policy?.provisioningState !== undefined) {
    const next = policyNextHop(policy);
    return { hub, resourceId: hub.id, docs: DOCS.vwanRoutingPolicies, gapScope: `${hub.id}/routingintent`,
      rule: `Virtual hub ${hub.name} routing intent ${policy.name} (Internet, provisioning state ${policy.provisioningState})`,
      gap: `The routing intent of virtual hub ${hub.name} is in provisioning state ${policy.provisioningState}, not Succeeded: whether its policies are in force is not known, so its spokes' internet paths are unknown. Check the routing intent, or capture the spokes' effective routes.`,
      missingFact: `whether routing intent policy ${policy.name} of virtual hub ${hub.name} is in force: its provisioningState is ${policy.provisioningState}, not Succeeded; in force, the hub advertises 0.0.0.0/0 to this spoke${flag === null ? ` (if ${flagMissing} is true)` : ''} and its internet traffic goes to ${next}; otherwise the spoke uses its own outbound method` };
  }
  if (policy) {
    // With the flag true the route set already holds the routing intent 0/0 (it wins over this route).
    if (flag === true) return null;
    return { hub, resourceId: connection.id, rule: `Virtual hub ${hub.name} routing intent ${policy.name} (Internet)`, gap: null, docs: DOCS.vwanRoutingPolicies,
      missingFact: `${flagMissing}: with it true the hub advertises 0.0.0.0/0 to this spoke and its internet traffic goes to ${policyNextHop(policy)}; with it false the spoke uses its own outbound method` };
  }
  const { sources, unread } = hubDefaultRouteSources(hub, connection);
  if (sources.length === 0 && unread.length === 0) return null;
  const what = [...sources, ...(unread.length > 0 ? [`not in the input: ${unread.join('; ')}`] : [])].join('; ');
  const gap = `Virtual hub ${hub.name} may give connections with "Propagate default route" a 0.0.0.0/0 that is not modelled (${what}): their spokes' internet path is unknown. Capture the spokes' effective routes, or export the hub's route tables, connections and gateways.`;
  return {
    hub, resourceId: hub.id, gap, docs: DOCS.vwanInternetRouting,
    rule: sources.length > 0 ? `Virtual hub ${hub.name}: a 0.0.0.0/0 source other than routing intent` : `Virtual hub ${hub.name}: its 0.0.0.0/0 sources not in the input`,
    missingFact: `whether virtual hub ${hub.name} gives this spoke a 0.0.0.0/0${flag === null ? ` (and ${flagMissing})` : ' (hub connection ' + connection.name + ' propagates the default route)'}: ${what}`,
  };
}

/**
 * The hubs whose VNet connections could not be read that a VNet may be connected to: none when it
 * is connected to a hub whose connections were read (the hub router is then its gateway [UDR]
 * https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview), or has a
 * virtual network gateway of its own: "Your virtual network doesn't have any virtual network
 * gateways. If your virtual network has a gateway (either VPN or ExpressRoute), you must remove all
 * gateways" to connect it to a hub https://learn.microsoft.com/azure/virtual-wan/virtual-wan-expressroute-portal
 */
function unreadHubsFor(ctx: EngineContext, virtualNetworkId: ResourceId): readonly VirtualHub[] {
  const hubs = ctx.index.hubsWithUnreadConnections;
  if (hubs.length === 0 || ctx.index.hubConnections.has(virtualNetworkId) || (ctx.index.gateways.get(virtualNetworkId)?.length ?? 0) > 0) return [];
  return hubs;
}

/**
 * A VNet connected to no hub whose connections were read, in an estate where some hub's VNet
 * connections could not be read (VirtualHub.connectionsRead false: a pull whose list failed). The
 * VNet may be one of that hub's spokes, and a connection gets the hub's routes, its 0.0.0.0/0 where
 * it propagates the default route [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
 * and the connection (its flag, its static routes) is what could not be read. The simplest sound
 * rule: every such VNet is asked, whatever its subscription or region (a connection may cross
 * both), except those that cannot be a spoke of it (unreadHubsFor). Null when none is in question,
 * and for a subnet that does not propagate gateway routes: a spoke or not, it learns no hub route.
 */
export function unreadHubConnectionsQuestion(ctx: EngineContext, subnet: Subnet): HubDefaultRouteQuestion | null {
  if (!ctx.routes.learnsGatewayRoutes(subnet)) return null;
  const hubs = unreadHubsFor(ctx, subnet.virtualNetworkId);
  const hub = hubs[0];
  if (hub === undefined) return null;
  const names = hubs.map((h) => h.name).join(', ');
  return {
    hub, resourceId: hub.id, docs: DOCS.vwanHubRouting, gapScope: `${hub.id}/hubvirtualnetworkconnections`,
    rule: `Virtual hub ${names}: VNet connections not read`,
    gap: `The VNet connections of virtual hub ${names} could not be read, so a virtual network not connected to another hub may be one of its spokes, and then gets the hub's routes (a 0.0.0.0/0 among them where its connection propagates the default route), so those networks' paths through system routes are unknown. Pull again, or export the hub's hubVirtualNetworkConnections.`,
    missingFact: `whether virtual network ${nameFromResourceId(subnet.virtualNetworkId)} is connected to virtual hub ${names}, whose VNet connections could not be read: a connected network gets the hub's routes, a 0.0.0.0/0 among them where its connection propagates the default route (routing intent, a static route, a hub gateway or appliance), instead of its own`,
  };
}

/**
 * A VNet that Virtual WAN has connected to a hub (its peering says so, vwanPeeringOf) while no hub
 * connection in the input names it: the hub is not in the input (another subscription or tenant,
 * not exported, or left out as malformed), or its connections are not. A connected VNet's gateway
 * is the hub router, which programs the hub's routes into it as gateway routes: a 0.0.0.0/0 where
 * the connection propagates the default route (routing intent, a secured hub's firewall route) and
 * routes for private and branch prefixes [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
 * [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
 * Any of them beats a system route of that prefix or shorter [UDR], so a path through a system
 * route other than the VNet's own, its peerings' and its service endpoints' (which beat gateway
 * routes however specific) is unknown. A UDR stands, as against a VNet gateway's learned routes.
 */
function unseenHubQuestion(ctx: EngineContext, subnet: Subnet, winner: ComputedRoute): HubDefaultRouteQuestion | null {
  if (winner.source !== 'Default') return null;
  const peering = vwanPeeringOf(ctx.index, subnet.virtualNetworkId);
  if (peering === null) return orphanConnectionQuestion(ctx, subnet, winner);
  const vnet = nameFromResourceId(subnet.virtualNetworkId);
  const remote = peering.remoteVirtualNetworkId === null ? '' : ` to ${nameFromResourceId(peering.remoteVirtualNetworkId)}`;
  // Only a Connected peering carries traffic [PEER]: another state is named, never called connected.
  const state = peering.peeringState === 'Connected' ? null : peering.peeringState === 'Unknown' ? 'in a state the input does not give' : peering.peeringState;
  const madeBy = `peering ${peering.name}${remote}${state === null ? '' : ` (${state})`} is the one Virtual WAN makes for a hub connection`;
  return {
    hub: null, resourceId: peering.id, docs: DOCS.vwanHubRouting, gapScope: 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections',
    rule: state === null ? `Peering ${peering.name}: connected to a Virtual WAN hub not in the input` : `Peering ${peering.name} (${state}): made by Virtual WAN for a hub not in the input`,
    gap: `Virtual network ${vnet} (the first found) ${state === null ? 'is connected' : 'was connected'} to a Virtual WAN hub: its ${madeBy}, and no hub connection in the input names it (the hub, or its connections, are not in the input). `
      + 'A connected network gets the hub\'s routes (a 0.0.0.0/0 where its connection propagates the default route), so such networks\' paths through system routes are unknown. '
      + 'Export the virtual hubs with their hubVirtualNetworkConnections, route tables and routing intent, or capture the spokes\' effective routes.',
    missingFact: `which routes the Virtual WAN hub gives virtual network ${vnet}: ${madeBy}, and no hub connection in the input names it (the hub, or its connections, are not in the input); `
      + `the hub router gives a connected network its routes, a 0.0.0.0/0 among them where the connection propagates the default route (routing intent, a secured hub's firewall), and they beat "${describeRoute(winner)}"`
      + (state === null ? '' : `; whether a peering ${state} still gets them is not documented (only a Connected peering carries traffic)`),
  };
}

/**
 * The same question for a VNet that a hub connection in the input names (`remoteVirtualNetwork`)
 * while the connection's virtual hub is not in the input (VirtualNetwork.unseenHubConnectionIds,
 * shared/arm/not-exported.ts): the connection says the VNet is a spoke of that hub, whose routes
 * (a 0.0.0.0/0 among them where the connection propagates the default route) are not known [VWANROUTING].
 */
function orphanConnectionQuestion(ctx: EngineContext, subnet: Subnet, winner: ComputedRoute): HubDefaultRouteQuestion | null {
  const connectionId = ctx.index.virtualNetworks.get(subnet.virtualNetworkId)?.unseenHubConnectionIds?.[0];
  if (connectionId === undefined) return null;
  const vnet = nameFromResourceId(subnet.virtualNetworkId);
  const connection = nameFromResourceId(connectionId);
  const hubId = connectionId.slice(0, connectionId.toLowerCase().lastIndexOf('/hubvirtualnetworkconnections/'));
  const hub = hubId.length > 0 ? nameFromResourceId(hubId) : 'its virtual hub';
  const madeBy = `hub connection ${connection} connects it to virtual hub ${hub}, which is not in the input`;
  return {
    hub: null, resourceId: connectionId, docs: DOCS.vwanHubRouting, gapScope: 'Microsoft.Network/virtualHubs',
    rule: `Hub connection ${connection}: connected to virtual hub ${hub}, not in the input`,
    gap: `Virtual network ${vnet} (the first found) is connected to a Virtual WAN hub the input does not hold: ${madeBy}. `
      + 'A connected network gets the hub\'s routes (a 0.0.0.0/0 where its connection propagates the default route), so such networks\' paths through system routes are unknown. '
      + 'Export the virtual hubs with their hubVirtualNetworkConnections, route tables and routing intent, or capture the spokes\' effective routes.',
    missingFact: `which routes virtual hub ${hub} gives virtual network ${vnet}: ${madeBy}; `
      + `the hub router gives a connected network its routes, a 0.0.0.0/0 among them where the connection propagates the default route (routing intent, a secured hub's firewall), and they beat "${describeRoute(winner)}"`,
  };
}

/** A route of a hub for a prefix other than 0.0.0.0/0, as its connections would get it, and where the input holds it. */
interface HubSpecificRoute {
  readonly route: ComputedRoute;
  readonly words: string;
}

interface HubRoutes {
  /** Routes for specific prefixes the input shows: hub route tables, connections' static routes, pre-existing tables. */
  readonly specific: readonly HubSpecificRoute[];
  /** Those of `specific` that together cover every public address (a split default route, lpm.ts). */
  readonly split: readonly HubSpecificRoute[];
  /** What may hold such routes and is not in the input (or not as prefixes), in words. */
  readonly unknown: readonly string[];
}

/** Per hub, the same for every spoke and destination: see hubRoutes. */
const hubRoutesCache = new WeakMap<VirtualHub, HubRoutes>();

/**
 * The routes a hub's router may give its connections for prefixes other than 0.0.0.0/0: a hub
 * route table's static routes ("Associating a connection to a route table allows the traffic
 * (from that connection) to be sent to the destination indicated as routes in the route table"
 * [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing), routing
 * intent's consolidated `private_traffic` route among them [VWAN]; the static routes of every VNet
 * connection (propagated to the tables the connection propagates to); the pre-existing `routeTable`
 * and `virtualHubRouteTableV2s`. Association and propagation are not modelled, so every table of
 * the hub counts for every spoke of it: a route may reach a spoke it does not, never the reverse.
 * "Propagate default route" gates the 0.0.0.0/0 alone [VWAN], so it decides nothing here.
 */
function hubRoutes(hub: VirtualHub): HubRoutes {
  const known = hubRoutesCache.get(hub);
  if (known) return known;
  const specific: HubSpecificRoute[] = [];
  const unknown: string[] = [];
  const add = (prefix: string, name: string, resourceId: string, words: string): void => {
    if (isDefaultPrefix(prefix)) return;
    const cidr = parseCidr(prefix.trim());
    if (cidr === null) {
      unknown.push(`${words} (not an address prefix: which addresses it carries is not known)`);
      return;
    }
    if (cidr.prefixLength === 0) return;
    specific.push({ words, route: { source: 'VirtualNetworkGateway', origin: 'vwan-hub', name, addressPrefix: prefix.trim(), cidr,
      nextHop: { kind: 'known', type: 'VirtualNetworkGateway' }, nextHopIpAddress: null, hasBgpOverride: false, resourceId, active: true } });
  };
  for (const c of hub.connections) {
    if (c.staticRoutes === undefined) {
      unknown.push(`the static routes of hub connection ${c.name} (routingConfiguration.vnetRoutes, not in the input)`);
      continue;
    }
    for (const r of c.staticRoutes) {
      for (const p of r.addressPrefixes) add(p, r.name, c.id, `static route ${r.name} ${p} → ${r.nextHopIpAddress ?? 'no next hop IP'} on hub connection ${c.name}`);
    }
  }
  if (hub.routeTables === undefined) unknown.push('the hub route tables (hubRouteTables: defaultRouteTable and any custom table, not in the input)');
  for (const t of hub.routeTables ?? []) {
    for (const r of t.routes) {
      const hop = r.nextHop ? nameFromResourceId(r.nextHop) : r.nextHopType;
      if (r.destinationType.trim().toLowerCase() !== 'cidr') {
        unknown.push(`route ${r.name} → ${hop} in hub route table ${t.name} (destination type ${r.destinationType}: ${r.destinations.join(', ')}, whose addresses are not in the input)`);
        continue;
      }
      for (const p of r.destinations) add(p, r.name, t.id, `route ${r.name} ${p} → ${hop} in hub route table ${t.name}`);
    }
  }
  for (const t of hub.legacyRouteTables ?? []) {
    for (const r of t.routes) {
      for (const p of r.destinations) add(p, t.name, t.id, `route ${p} → ${r.nextHops.join(', ') || 'no next hop'} in ${legacyTableWords(t)}`);
    }
  }
  const split = new Set(splitDefaultRoutes(specific.map((s) => s.route)));
  const found: HubRoutes = { specific, split: specific.filter((s) => split.has(s.route)), unknown };
  hubRoutesCache.set(hub, found);
  return found;
}

/** Whether a hub route covers (part of) the flow's destination: an address, or a range it overlaps. */
function hubRouteCovers(route: ComputedRoute, destination: EgressDestination): boolean {
  if (route.cidr === null) return false;
  const cidr = route.cidr;
  if (destination.kind === 'range') return destination.cidrs.some((c) => cidrContainsCidr(cidr, c) || cidrContainsCidr(c, cidr));
  const address = destinationAddress(destination);
  return address !== null && cidrContainsIp(cidr, address);
}

/**
 * A route of the spoke's hub (or, for a VNet that may be connected to a hub whose connections
 * could not be read, of that hub) for a specific prefix that takes the flow from the winning
 * route: the hub router programs its routes into the spoke with source VirtualNetworkGateway, and
 * longest-prefix match decides between them and the spoke's own, the system route losing a tie
 * [UDR] https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route
 * Routes to the VNet, its peerings and service endpoints are preferred over gateway routes however
 * specific, and a UDR with hasBgpOverride over overlapping ones (lpm.ts): those winners stand. With
 * the internet as a whole (no what-if destination) only a split default route counts, as for the
 * subnet's own routes; use a what-if destination for a specific public prefix. Where the hub then
 * delivers the flow (its next hop's decision, a connection, a branch) is not modelled: unknown,
 * naming the route. Null when no such route of a hub beats the winner, or when the subnet's route
 * table does not propagate gateway routes (learnsGatewayRoutes): the hub's routes never reach it.
 */
export function hubRouteQuestion(ctx: EngineContext, subnet: Subnet, winner: ComputedRoute): HubDefaultRouteQuestion | null {
  if (!ctx.routes.learnsGatewayRoutes(subnet)) return null;
  const hop = winner.nextHop.kind === 'known' ? winner.nextHop.type : null;
  if (winner.source === 'Default' && (hop === 'VnetLocal' || hop === 'VNetPeering' || hop === 'VirtualNetworkServiceEndpoint')) return null;
  const ref = ctx.index.hubConnections.get(subnet.virtualNetworkId);
  if (!ref) {
    const unseen = unseenHubQuestion(ctx, subnet, winner);
    if (unseen) return unseen;
  }
  const hubs = ref ? [ref.hub] : unreadHubsFor(ctx, subnet.virtualNetworkId);
  if (hubs.length === 0) return null;
  if (winner.source === 'User' && winner.hasBgpOverride) return null;
  const destination = ctx.traffic.destination;
  const whole = destination.kind !== 'range' && destinationAddress(destination) === null;
  const length = winner.cidr?.prefixLength ?? 0;
  for (const hub of hubs) {
    const routes = hubRoutes(hub);
    // Per hub and destination (every spoke of the hub asks the same).
    const covering = whole ? (length === 0 ? routes.split : []) : memoize(ctx, hub, 'hub-routes-covering', () => routes.specific.filter((s) => hubRouteCovers(s.route, destination)));
    const taking = covering.filter((s) => s.route.cidr !== null && (s.route.cidr.prefixLength > length || (s.route.cidr.prefixLength === length && winner.source === 'Default')));
    if (taking.length === 0) continue;
    // The peering itself in doubt comes first: whether any hub route reaches the spoke depends on it.
    const down = ref ? vwanPeeringDown(ctx.index, subnet.virtualNetworkId) : null;
    if (ref && down !== null) return peeringDownQuestion(subnet, ref.hub, ref.connection, down, hub.routingPolicies.find(isInternetPolicy));
    const what = taking.slice(0, 3).map((s) => s.words).join('; ') + (taking.length > 3 ? `; and ${taking.length - 3} more` : '');
    const first = taking[0]?.route;
    const where = ref ? '' : ` (if virtual network ${nameFromResourceId(subnet.virtualNetworkId)} is one of its spokes: the hub's VNet connections could not be read)`;
    return {
      hub, resourceId: first?.resourceId ?? hub.id, docs: DOCS.vwanHubRouting, gapScope: `${hub.id}/hubroutes`,
      rule: `Virtual hub ${hub.name}: ${whole ? 'routes that together cover every public address' : `route for ${first?.addressPrefix ?? ctx.flow.destination}`}`,
      gap: `Virtual hub ${hub.name} gives its connections routes for specific prefixes (e.g. ${routes.specific[0]?.words ?? what}): where the hub delivers traffic on them is not modelled, so spokes' paths they carry are unknown.`,
      missingFact: `where virtual hub ${hub.name} sends this spoke's traffic for ${ctx.flow.destination}${where}: ${what} ${taking.length > 1 ? 'take' : 'takes'} it from "${describeRoute(winner)}" (the hub router gives its connections its route tables' routes; which table this connection is associated with, and where the next hop delivers the traffic, are not modelled)`,
    };
  }
  return null;
}

/** The hubs of a model by virtual WAN, and those that learn routes dynamically (see otherWanHubSources). */
interface WanRouteSpeakers {
  /** Each hub's virtual WAN: `virtualWan`, or the virtual WAN listing it; null when the input gives neither. */
  readonly wanOf: ReadonlyMap<VirtualHub, ResourceId | null>;
  /** Every hub with dynamic route sources (hubDynamicRouteSources), in words. */
  readonly speakers: readonly { readonly hub: VirtualHub; readonly words: readonly string[] }[];
}

/** Per model: computed once for every spoke of every hub of its virtual WANs. */
const wanRouteSpeakersCache = new WeakMap<ModelIndex, WanRouteSpeakers>();

function wanRouteSpeakers(index: ModelIndex): WanRouteSpeakers {
  const known = wanRouteSpeakersCache.get(index);
  if (known) return known;
  const listed = new Map<string, ResourceId>();
  for (const wan of index.virtualWans.values()) for (const id of wan.virtualHubIds) listed.set(id, wan.id);
  const wanOf = new Map<VirtualHub, ResourceId | null>();
  const speakers: { readonly hub: VirtualHub; readonly words: readonly string[] }[] = [];
  for (const hub of index.virtualHubs.values()) {
    wanOf.set(hub, hub.virtualWanId ?? listed.get(hub.id) ?? null);
    const words = hubDynamicRouteSources(hub);
    if (words.length > 0) speakers.push({ hub, words });
  }
  const found: WanRouteSpeakers = { wanOf, speakers };
  wanRouteSpeakersCache.set(index, found);
  return found;
}

/**
 * What the other hubs of the hub's virtual WAN may advertise to its spokes, in words: their ExpressRoute
 * and VPN gateways' branches and their BGP speakers. "When users propagate connection routes to
 * 'Default' label, it automatically applies to all the Default Route Tables across every hub in the
 * virtual WAN", and "two hubs on the same virtual WAN announce routes to each other ... this only
 * applies to dynamic routing" [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
 * so their static routes stay theirs, and so does their 0.0.0.0/0: "the default route (0.0.0.0/0)
 * does not propagate across hubs" [VWAN]. Which table each remote connection propagates to is not
 * modelled, so each may reach this hub's. A hub whose virtual WAN the input does not give may share it.
 */
function otherWanHubSources(ctx: EngineContext, hub: VirtualHub): readonly string[] {
  const { wanOf, speakers } = wanRouteSpeakers(ctx.index);
  const own = wanOf.get(hub) ?? null;
  const words: string[] = [];
  for (const s of speakers) {
    const theirs = wanOf.get(s.hub) ?? null;
    if (s.hub === hub || (own !== null && theirs !== null && theirs !== own)) continue;
    const which = own !== null && theirs === own ? 'of the same virtual WAN' : '(the input does not say whether it is in the same virtual WAN)';
    words.push(`virtual hub ${s.hub.name} ${which}: ${s.words.join(', ')}`);
  }
  return words;
}

/**
 * A what-if destination (an address or range) that the spoke's default route would carry: the
 * system one to the internet, or the hub's own 0.0.0.0/0 (routing intent, a secured hub's firewall
 * route), when a hub may hold a route for it the input does not show: the hub's route tables or a
 * connection's static routes not exported, a route whose destination is no prefix, or a BGP speaker
 * of the hub or of another hub of its virtual WAN (ExpressRoute / VPN gateway's branches, a BGP
 * peering, an NVA in the hub), whose routes for any prefix the hub router propagates to its
 * connections [VWANROUTING] [VWAN-BGP]. "Longest prefix match" comes first in the hub's route
 * selection (https://learn.microsoft.com/azure/virtual-wan/virtual-wan-faq) and in the spoke's
 * [UDR]: such a route beats any 0/0, the hub's as the system one. As with a VNet gateway's learned
 * routes (learnedRoutesWords) a UDR is taken to stand (the gap says what is not known). Asked
 * after the hub's 0.0.0.0/0 question; "Propagate default route" gates only that 0/0 [VWAN]. None
 * for a subnet that does not propagate gateway routes (learnsGatewayRoutes).
 */
export function hubLearnedRouteQuestion(ctx: EngineContext, subnet: Subnet, winner: ComputedRoute): HubDefaultRouteQuestion | null {
  const destination = ctx.traffic.destination;
  if (destination.kind !== 'range' && destinationAddress(destination) === null) return null;
  if (!ctx.routes.learnsGatewayRoutes(subnet)) return null;
  const ref = ctx.index.hubConnections.get(subnet.virtualNetworkId);
  if (!ref) return null;
  const { hub } = ref;
  // Per hub: the same for every spoke and what-if of it.
  const open = memoize(ctx, hub, 'hub-learned-routes', () => [...hubRoutes(hub).unknown, ...hubDynamicRouteSources(hub), ...otherWanHubSources(ctx, hub)]);
  if (open.length === 0) return null;
  const what = open.join('; ');
  return {
    hub, resourceId: hub.id, docs: DOCS.vwanHubRouting, gapScope: `${hub.id}/learnedroutes`,
    rule: `Virtual hub ${hub.name}: routes it may give this spoke are not in the input`,
    gap: `The routes virtual hub ${hub.name} may give its connections for specific prefixes are not all in the input (${what}): a what-if destination its spokes' default route would carry may be routed elsewhere through the hub instead. Capture the spokes' effective routes.`,
    missingFact: `whether virtual hub ${hub.name} gives this spoke a route for ${ctx.flow.destination}, which would beat "${describeRoute(winner)}": ${what}`,
  };
}

/** Ends the walk on a hub question, with its hub-wide gap (one per hub and kind of question). */
export function endHubQuestion(ctx: EngineContext, trail: Trail, question: HubDefaultRouteQuestion): Outcome {
  if (question.gap !== null) addGap(ctx, { code: 'not-modelled', scope: question.gapScope ?? question.hub?.id ?? 'Microsoft.Network/virtualHubs', message: question.gap });
  return trail.end({ kind: 'undecided', resourceId: question.resourceId, rule: question.rule, missingFact: question.missingFact, docs: question.docs });
}
