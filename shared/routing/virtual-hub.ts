/**
 * What a Virtual WAN hub may give the VNets connected to it, read from the hub's configuration: the
 * route builder adds the one hub 0.0.0.0/0 outside routing intent that the input fully decides
 * (HubDefaultRouteSources.hubFirewallRoute), the engine asks about the rest (hubDefaultRouteQuestion,
 * hubLearnedRouteQuestion). One place, so both read the same sources.
 * [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
 * [VWAN-INET] https://learn.microsoft.com/azure/virtual-wan/about-internet-routing
 * [VWAN] https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
 */
import { nameFromResourceId, toResourceId, type ResourceId } from '../model/ids';
import type { HubLegacyRouteTable, HubRouteTable, HubVirtualNetworkConnection, RoutingPolicy, VirtualHub } from '../model/topology';

export const isDefaultPrefix = (prefix: string): boolean => prefix.trim() === '0.0.0.0/0';
export const isInternetPolicy = (p: RoutingPolicy): boolean => p.destinations.some((d) => d.toLowerCase() === 'internet');

export function legacyTableWords(table: HubLegacyRouteTable): string {
  return table.name === 'routeTable' ? 'the hub\'s pre-existing routeTable' : `the hub's pre-existing route table ${table.name} (virtualHubRouteTableV2s)`;
}

/**
 * The hub router's BGP peers the input shows, named: its `bgpConnections` (an NVA or BGP end point
 * in a connected VNet, "the virtual hub router exchanges BGP routes with your NVA and propagates
 * them to your virtual network" [VWAN-BGP] https://learn.microsoft.com/azure/virtual-wan/scenario-bgp-peering-hub)
 * and the NVAs deployed in the hub. What they advertise (0.0.0.0/0 or any prefix) is in no export.
 */
export function hubBgpSpeakers(hub: VirtualHub): readonly string[] {
  const words: string[] = [];
  const detailed = new Set<string>();
  for (const c of hub.bgpConnections ?? []) {
    detailed.add(c.id);
    const peer = c.peerIp === null ? '' : ` (peer ${c.peerIp}${c.peerAsn === null ? '' : `, ASN ${c.peerAsn}`})`;
    words.push(`BGP connection ${c.name}${peer} of the hub router`);
  }
  for (const id of hub.bgpConnectionIds ?? []) {
    if (!detailed.has(id)) words.push(`BGP connection ${nameFromResourceId(id)} of the hub router`);
  }
  for (const nva of hub.networkVirtualAppliances ?? []) {
    words.push(`network virtual appliance ${nva.name}${nva.vendor === null ? '' : ` (${nva.vendor})`} deployed in the hub`);
  }
  return words;
}

/**
 * Everything of a hub that learns routes dynamically and hands them to the hub router, in words:
 * its ExpressRoute and site-to-site VPN gateways (the routes its branches advertise) and its BGP
 * speakers (hubBgpSpeakers). "Connections dynamically propagate routes to a route table. With a VPN
 * connection, ExpressRoute connection ... routes are propagated" [VWANROUTING]. Whether the hub has
 * a gateway is itself not known in a snapshot written before the fields.
 */
export function hubDynamicRouteSources(hub: VirtualHub): readonly string[] {
  const words: string[] = [];
  for (const [id, what, article] of [[hub.expressRouteGatewayId, 'ExpressRoute gateway', 'an'], [hub.vpnGatewayId, 'site-to-site VPN gateway', 'a']] as const) {
    if (id === undefined) words.push(`whether the hub has ${article} ${what} (not in the input)`);
    else if (id !== null) words.push(`${what} ${nameFromResourceId(id)} of the hub (the routes its branches advertise are not in the input)`);
  }
  for (const speaker of hubBgpSpeakers(hub)) words.push(`${speaker} (what it advertises is not in the input)`);
  for (const missing of unreadHubSpeakers(hub)) words.push(`${missing} (not in the input)`);
  return words;
}

/**
 * The hub's BGP speakers a pull could not read, in words: the NVAs deployed in the hub
 * (VirtualHub.nvasRead false) and the hub router's BGP connections (bgpConnectionsRead false).
 * Either may be a source of the hub's routes, its 0.0.0.0/0 among them [VWAN-INET].
 */
export function unreadHubSpeakers(hub: VirtualHub): readonly string[] {
  const words: string[] = [];
  if (hub.nvasRead === false) words.push('the network virtual appliances deployed in the hub (their list, Microsoft.Network/networkVirtualAppliances, could not be read)');
  if (hub.bgpConnectionsRead === false) words.push('the BGP connections of the hub router (their list, virtualHubs/bgpConnections, could not be read)');
  return words;
}

/** See hubDefaultRouteSources. */
export interface HubDefaultRouteSources {
  /** The 0.0.0.0/0 sources other than routing intent that may reach the connection, in words. */
  readonly sources: readonly string[];
  /** What may hold such a source and is not in the input, in words. */
  readonly unread: readonly string[];
  /**
   * When the only source is a route 0.0.0.0/0 → the hub's own Azure Firewall in the route table
   * the connection is associated with (a classic secured hub: Firewall Manager's "secure internet
   * traffic", no routing intent) and nothing else is unread: that route. Null otherwise.
   */
  readonly hubFirewallRoute: { readonly table: HubRouteTable; readonly routeName: string; readonly firewallId: ResourceId } | null;
}

/**
 * Per hub, then per association of the connection (the same for every connection associated
 * alike), without the words that name a connection: `missingAssociated` marks where the words for
 * an associated table the input lacks go, which name each connection itself.
 */
interface CachedSources {
  readonly found: HubDefaultRouteSources;
  /** Index in `found.unread` of the associated table the input lacks; null when it is in the input (or no table is named). */
  readonly missingAssociated: number | null;
}
const sourcesCache = new WeakMap<VirtualHub, Map<string, CachedSources>>();

/**
 * What may give a VNet connection of the hub a 0.0.0.0/0 outside routing intent, and what the
 * input lacks to tell. "Supported sources of the default route" are ExpressRoute, site-to-site VPN,
 * an NVA in the hub or in a spoke and a static route on a virtual network connection [VWAN-INET],
 * and a hub route table route (defaultRouteTable 0/0 → the hub firewall) [VWANROUTING]. Route table
 * routes reach the connection only through its association: "Associating a connection to a route
 * table allows the traffic (from that connection) to be sent to the destination indicated as routes
 * in the route table" [VWANROUTING], so with `associatedRouteTableId` in the input only that
 * table counts; without it, every table may be the one. A connection's static routes propagate to
 * the tables it propagates to, which is not modelled: every connection's count (a source may reach
 * a connection it does not, never the reverse). Pre-existing route tables are "still in force until
 * deleted" [VWANROUTING]: theirs count too.
 */
export function hubDefaultRouteSources(hub: VirtualHub, connection: HubVirtualNetworkConnection): HubDefaultRouteSources {
  const associated = connection.associatedRouteTableId;
  const key = associated ?? '';
  let perHub = sourcesCache.get(hub);
  let cached = perHub?.get(key);
  if (!cached) {
    cached = hubSources(hub, associated);
    if (!perHub) {
      perHub = new Map();
      sourcesCache.set(hub, perHub);
    }
    perHub.set(key, cached);
  }
  const at = cached.missingAssociated;
  if (at === null || associated === undefined) return cached.found;
  // Each spoke's own connection is the one associated with the table the input lacks [VWANROUTING].
  const unread = [...cached.found.unread];
  unread.splice(at, 0, `route table ${nameFromResourceId(associated)}, which hub connection ${connection.name} is associated with (routingConfiguration.associatedRouteTable)`);
  return { ...cached.found, unread };
}

/** hubDefaultRouteSources for one association, without the words naming a connection (CachedSources). */
function hubSources(hub: VirtualHub, associated: ResourceId | undefined): CachedSources {
  const sources: string[] = [];
  const unread: string[] = [];
  for (const c of hub.connections) {
    if (c.staticRoutes === undefined) { unread.push(`the static routes of hub connection ${c.name} (routingConfiguration.vnetRoutes)`); continue; }
    for (const r of c.staticRoutes) {
      if (r.addressPrefixes.some(isDefaultPrefix)) sources.push(`static route ${r.name} 0.0.0.0/0 → ${r.nextHopIpAddress ?? 'no next hop IP'} on hub connection ${c.name}`);
    }
  }
  let firewallRoutes = 0;
  let firewallRoute: HubDefaultRouteSources['hubFirewallRoute'] = null;
  let missingAssociated: number | null = null;
  if (hub.routeTables === undefined) unread.push(`the hub route tables (hubRouteTables: defaultRouteTable and any custom table)`);
  else if (associated !== undefined && !hub.routeTables.some((t) => t.id === associated)) missingAssociated = unread.length;
  for (const t of hub.routeTables ?? []) {
    if (associated !== undefined && t.id !== associated) continue;
    for (const r of t.routes) {
      if (!r.destinations.some(isDefaultPrefix)) continue;
      sources.push(`route ${r.name} 0.0.0.0/0 → ${r.nextHop ? nameFromResourceId(r.nextHop) : r.nextHopType} in hub route table ${t.name}`);
      const hop = r.nextHop === null ? null : toResourceId(r.nextHop);
      if (associated !== undefined && hop !== null && hop === hub.azureFirewallId) {
        firewallRoutes += 1;
        firewallRoute ??= { table: t, routeName: r.name, firewallId: hop };
      }
    }
  }
  for (const t of hub.legacyRouteTables ?? []) {
    for (const r of t.routes) {
      if (r.destinations.some(isDefaultPrefix)) sources.push(`route 0.0.0.0/0 → ${r.nextHops.join(', ') || 'no next hop'} in ${legacyTableWords(t)}`);
    }
  }
  for (const [id, what, article] of [[hub.expressRouteGatewayId, 'ExpressRoute gateway', 'an'], [hub.vpnGatewayId, 'site-to-site VPN gateway', 'a']] as const) {
    if (id === undefined) unread.push(`whether the hub has ${article} ${what}`);
    else if (id !== null) sources.push(`${what} ${nameFromResourceId(id)} of the hub, which may learn a 0.0.0.0/0 (what it learns is not in the input)`);
  }
  // "NVA in the spoke" (a BGP peering of the hub router) and "NVA in the hub" [VWAN-INET].
  for (const speaker of hubBgpSpeakers(hub)) sources.push(`${speaker}, which may advertise 0.0.0.0/0 (what it advertises is not in the input)`);
  // Whether such a speaker exists, where a pull could not read it, is itself missing.
  unread.push(...unreadHubSpeakers(hub));
  // Routing intent manages the tables' routes and the connections' association [VWAN]: the
  // firewall route alone decides only on a hub without it.
  const only = hub.routingPolicies.length === 0 && unread.length === 0 && missingAssociated === null && firewallRoutes > 0 && firewallRoutes === sources.length;
  return { found: { sources, unread, hubFirewallRoute: only ? firewallRoute : null }, missingAssociated };
}
